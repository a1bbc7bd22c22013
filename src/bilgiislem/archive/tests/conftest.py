"""Shared fixtures of the archive tests (every archive test module may use them).

- ``file_plan``: the file plan version in force (data/fileplan/sdp.yaml, loaded once per test
  database by the root conftest).
- ``archive_media``: blobs go to a temporary folder; yields the blob root.
- ``archived_folder``: the closed 2025 folder 700.01 of Bilgi İşlem with three archived
  electronic documents, each with a real stored PDF; made through the services as people
  would (registered, routed, finished, archived by ``arsiv``, the year closed on 2 January).
- ``done_document(...)``: register a document and finish its work (status done).
"""

import datetime
import itertools
import zoneinfo

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile

ISTANBUL = zoneinfo.ZoneInfo("Europe/Istanbul")
FOLDER_CODE = "700.01"
FOLDER_YEAR = 2025
_serial = itertools.count(1)


def at(day: datetime.date, hour: int = 10) -> datetime.datetime:
    """A moment of a day in Istanbul (for time_machine.travel)."""
    return datetime.datetime(day.year, day.month, day.day, hour, tzinfo=ISTANBUL)


def pdf_bytes(text: str) -> bytes:
    """A small valid one-page PDF showing ``text`` (ASCII-folded), so its text is extracted
    and its bytes (and hash) differ with ``text``."""
    from bilgiislem.core.text import fold

    line = fold(text).replace("\\", "").replace("(", "").replace(")", "")
    stream = f"BT /F1 12 Tf 72 720 Td ({line}) Tj ET".encode()
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]/Contents 4 0 R"
        b"/Resources<</Font<</F1 5 0 R>>>>>>",
        b"<</Length %d>>stream\n" % len(stream) + stream + b"\nendstream",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for i, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % i + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    for offset in offsets:
        out += b"%010d 00000 n \n" % offset
    out += b"trailer<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


def person(username):
    from bilgiislem.organization.models import Person

    return Person.objects.get(username=username)


def done_document(
    *,
    subject="Sunucu bakım raporu",
    sdp_code=FOLDER_CODE,
    registry="bilgi-islem",
    clerk="kalem",
    director="mudur",
    worker="memur",
    content: bytes | None = None,
    **changes,
):
    """An electronic incoming document with one PDF, routed for action and finished (done).

    Made through the registry services; call inside ``time_machine.travel`` to date it.
    """
    from bilgiislem.organization.models import OrgUnit
    from bilgiislem.registry import services
    from bilgiislem.registry.choices import FileRole, Medium, PartyKind, Purpose

    n = next(_serial)
    upload = SimpleUploadedFile(
        f"belge-{n}.pdf", content or pdf_bytes(f"{subject} {n}"), content_type="application/pdf"
    )
    values = {
        "actor": person(clerk),
        "registry": OrgUnit.objects.get(code=registry),
        "medium": Medium.ELECTRONIC,
        "party_kind": PartyKind.COMPANY,
        "party_name": "Sakarya Bilişim A.Ş.",
        "party_identifier": "1234567890",
        "sayi": "E-67915368-700-4752",
        "subject": subject,
        "sdp_code": sdp_code,
        "uploads": [(upload, FileRole.MAIN)],
    }
    values.update(changes)
    document = services.document_register(**values)
    (routing,) = services.routing_create(
        actor=person(director),
        document=document,
        recipients=[(person(worker), Purpose.ACTION)],
        deadline_basis="documents",
    )
    services.routing_close(actor=person(worker), routing=routing, outcome="Yapıldı.")
    document.refresh_from_db()
    return document


@pytest.fixture
def file_plan(db):
    from bilgiislem.archive.services import current_version

    version = current_version()
    assert version is not None, "the root conftest loads data/fileplan/sdp.yaml"
    return version


@pytest.fixture
def archive_media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media" / "blobs"


@pytest.fixture
def archived_folder(file_plan, archive_media):
    """The closed folder 700.01 / 2025 of Bilgi İşlem holding three archived documents.

    ``folder.records`` are the three ArchivedRecords; each document has one stored PDF.
    """
    from bilgiislem.archive.models import Folder
    from bilgiislem.archive.services import folders_close_year, record_archive

    subjects = ["Sunucu bakım raporu", "Ağ anahtarı arıza kaydı", "Yedekleme denetimi"]
    documents = []
    with time_machine.travel(at(datetime.date(FOLDER_YEAR, 3, 10)), tick=False):
        for subject in subjects:
            documents.append(done_document(subject=subject))
    with time_machine.travel(at(datetime.date(FOLDER_YEAR, 4, 15)), tick=False):
        for document in documents:
            record_archive(actor=person("arsiv"), document=document)
    with time_machine.travel(at(datetime.date(FOLDER_YEAR + 1, 1, 2), hour=3), tick=False):
        folders_close_year(year=FOLDER_YEAR)
    folder = Folder.objects.select_related("code", "unit").get(
        unit__code="bilgi-islem", code__code=FOLDER_CODE, year=FOLDER_YEAR
    )
    assert folder.records.count() == 3
    return folder
