"""Disposal reaches the letters (archive → correspondence): when the archive disposes of a
signed letter's outgoing registration, the letter's text, versions and stored bytes go too,
while its metadata (subject, Sayı, dates, recipients, who approved and when) stays."""

# Fixtures come from the archive's disposal_support by import (arguments shadow them).
# ruff: noqa: F811

import datetime
import types

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bilgiislem.archive.choices import DisposalState
from bilgiislem.archive.models import ArchivedRecord, Folder
from bilgiislem.archive.services import folders_close_year, record_archive
from bilgiislem.archive.services.disposal_execution import disposal_execute
from bilgiislem.archive.services.fixity import expected_files
from bilgiislem.archive.tests.disposal_support import (
    CHAIR,
    approved_list,
    commission,  # noqa: F401 (fixture)
    expire,
)
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core import storage
from bilgiislem.correspondence import services
from bilgiislem.correspondence.choices import LetterStatus, StepStatus
from bilgiislem.correspondence.disposal import DISPOSED, letters_content_purge
from bilgiislem.correspondence.models import SigningPreparation
from bilgiislem.correspondence.services.annexes import letter_annex_add
from bilgiislem.correspondence.services.paraf import step_paraf
from bilgiislem.correspondence.tests.conftest import _issue
from bilgiislem.correspondence.tests.pades import sign_raw
from bilgiislem.registry.choices import Purpose
from bilgiislem.registry.models import DocumentFile
from bilgiislem.registry.services import routing_close, routing_create

pytestmark = pytest.mark.django_db

TCKN = "12345678901"
BODY = "Gizli teklif ayrıntıları.\n\nGereğini arz ederim."
SHARED_BYTES = b"%PDF-1.4\n% teklif mektubu, iki yazida da ek\n%%EOF\n"


@pytest.fixture(scope="module")
def keys():
    """A root and the Mayor's e-imza certificate (two keys: the whole PKI is not needed)."""
    root = _issue("Karasu Test Kök SM", None, ca=True)
    signer = _issue("Ayşe Yılmaz", root, serial=f"TCKN{TCKN}")
    return types.SimpleNamespace(root=root, signer=signer, chain=lambda: [root.cert_pem])


@pytest.fixture
def signing(settings, tmp_path, keys):
    """Blobs in a temporary store; parafs e-signed with the signer's key."""
    settings.MEDIA_ROOT = tmp_path / "media"
    paths = {}
    for name, data in (
        ("key", keys.signer.key_pem),
        ("cert", keys.signer.cert_pem),
        ("root", keys.root.cert_pem),
    ):
        paths[name] = tmp_path / f"{name}.pem"
        paths[name].write_bytes(data)
    settings.BILGIISLEM_SIGNING = {
        "kind": "file",
        "key": str(paths["key"]),
        "cert": str(paths["cert"]),
        "chain": [str(paths["root"])],
    }
    settings.BILGIISLEM_TRUST_ROOTS = [str(paths["root"])]
    settings.BILGIISLEM_PARAF_ESIGNATURE = True
    settings.BILGIISLEM_CERT_TCKN_MAP = {"baskan": TCKN}
    return keys


def _annex(actor, letter, name, data):
    upload = SimpleUploadedFile(name, data, content_type="application/pdf")
    return letter_annex_add(
        actor=actor, letter=letter, kind="file", description=name, upload=upload
    )


def _draft(people, subject, body):
    return services.letter_create(
        actor=people["memur"],
        subject=subject,
        body=body,
        sdp_code="700.02",  # disposition D: destroyed when its retention is over
        recipients=[{"kind": "public_body", "name": "Sakarya Valiliği", "identifier": "12345678"}],
    )


@pytest.fixture
def signed_letter(people, signing):
    """A letter with two annexes (the second's bytes also on another draft), its parafs
    e-signed, signed by the Mayor with their own e-imza; its registration done."""
    letter = _draft(people, "Enerji verimliliği projesi", BODY)
    own = _annex(people["memur"], letter, "maliyet-tablosu.pdf", b"%PDF-1.4\n% maliyet\n%%EOF\n")
    shared = _annex(people["memur"], letter, "teklif.pdf", SHARED_BYTES)
    other = _draft(people, "Başka bir taslak", "Kalan yazı.")
    _annex(people["memur"], other, "teklif.pdf", SHARED_BYTES)

    services.letter_submit(actor=people["memur"], letter=letter)
    for who in ("sef", "mudur", "baskan.yardimcisi"):
        step_paraf(actor=people[who], letter=letter)
    pdf = services.letter_prepare_external(actor=people["baskan"], letter=letter)
    services.letter_sign_external(
        actor=people["baskan"],
        letter=letter,
        signed_pdf=sign_raw(pdf, signing.signer, signing),
        trust_roots=[signing.root.cert_pem],
    )
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SIGNED
    (routing,) = routing_create(
        actor=people["mudur"],
        document=letter.document,
        recipients=[(people["memur"], Purpose.ACTION)],
        deadline_basis="documents",
    )
    routing_close(actor=people["memur"], routing=routing, outcome="Gönderildi.")
    return letter, own, shared


def _archive_and_expire(people, letter):
    record_archive(actor=people["arsiv"], document=letter.document)
    year = letter.document.registry_year
    folders_close_year(year=year, today=datetime.date(year + 1, 1, 2))
    expire(Folder.objects.get(filings__document=letter.document))


def _metadata(letter):
    letter.refresh_from_db()
    return {
        "letter": (
            letter.subject,
            letter.sayi,
            letter.signed_at,
            letter.status,
            letter.document_id,
        ),
        "recipients": list(letter.recipients.values_list("name", "identifier", "purpose")),
        "steps": list(letter.steps.values_list("kind", "status", "acted_by", "acted_at", "order")),
        "annexes": list(letter.annexes.values_list("description", "filename", "size", "sha256")),
        "versions": list(letter.versions.values_list("number", "created_by", "created_at")),
    }


def test_disposal_clears_the_letters_content_and_keeps_its_metadata(
    people, signed_letter, commission, django_capture_on_commit_callbacks
):
    letter, own, shared = signed_letter
    steps = letter.steps.exclude(signature_sha256="")
    assert steps.count() == 3
    # Three parafs of one version with one key within a second are the same bytes.
    parafs = sorted(set(steps.values_list("signature_sha256", flat=True)))
    preparation = SigningPreparation.objects.get(letter=letter)
    signed_pdf = DocumentFile.objects.get(document=letter.document, role="main").sha256
    blobs = [own.sha256, *parafs, preparation.sha256, signed_pdf]
    assert all(storage.blob_path(h).exists() for h in [*blobs, shared.sha256])
    metadata = _metadata(letter)
    _archive_and_expire(people, letter)

    with django_capture_on_commit_callbacks(execute=True):
        disposal_execute(
            actor=people[CHAIR],
            disposal_list=approved_list(commission),
            method="Kağıt kırpma makinesi",
            place="Kurum arşivi",
        )

    assert ArchivedRecord.objects.get(document=letter.document).disposal_state == (
        DisposalState.DISPOSED
    )
    assert letter.body == BODY  # the object read before
    letter.refresh_from_db()
    assert letter.body == ""
    assert [v.content for v in letter.versions.order_by("number")] == [
        {"disposed": True, "number": n} for n in range(1, letter.version + 1)
    ]
    # Every copy of the bytes is gone, except the annex another (kept) draft still holds.
    assert not [h for h in blobs if storage.blob_path(h).exists()]
    assert storage.blob_path(shared.sha256).exists()
    expected = expected_files()  # fixity must not miss what was disposed of on purpose
    assert not set(blobs) & set(expected) and shared.sha256 in expected
    # Subject, Sayı, dates, recipients, the chain and the annex rows are untouched.
    assert _metadata(letter) == metadata
    assert letter.steps.get(kind="signature").status == StepStatus.APPROVED

    event = AuditEvent.objects.get(action=DISPOSED, object_id=str(letter.pk))
    assert event.actor_id == people[CHAIR].pk
    assert event.changes["body"] is True and event.changes["versions"] == letter.version
    assert event.changes["annexes"] == sorted([own.sha256, shared.sha256])
    assert event.changes["paraf_signatures"] == parafs
    assert event.changes["preparations"] == [preparation.sha256]
    # Run again after a crash between the commit and the deletion: nothing left to do.
    assert letters_content_purge()["deleted"] == 0
    # The letter's page says the annex was disposed of instead of linking to missing bytes.
    from django.test import Client
    from django.urls import reverse

    client = Client()
    client.force_login(letter.prepared_by)
    page = client.get(reverse("correspondence:letter-detail", args=[letter.pk]))
    assert page.status_code == 200
    annex_url = reverse("correspondence:annex-file", args=[letter.pk, own.pk])
    assert annex_url not in page.content.decode()


def test_a_failing_receiver_rolls_the_whole_disposal_back(
    people, signed_letter, commission, monkeypatch
):
    """The content of the letter and the records go together, or not at all."""
    from bilgiislem.correspondence import disposal

    letter, own, _shared = signed_letter
    _archive_and_expire(people, letter)
    disposal_list = approved_list(commission)

    def broken(**kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(disposal, "letters_content_dispose", broken)
    with pytest.raises(RuntimeError):
        disposal_execute(
            actor=people[CHAIR], disposal_list=disposal_list, method="Yakma", place="Arşiv"
        )
    letter.refresh_from_db()
    assert letter.body == BODY
    assert ArchivedRecord.objects.get(document=letter.document).disposal_state == (
        DisposalState.KEPT
    )
    assert storage.blob_path(own.sha256).exists()
    assert not AuditEvent.objects.filter(action=DISPOSED).exists()
