"""Annexes of a draft (issue 4 point 1): a change of annexes is a change of the text, and the
letter lists them under "Ek:" with "(Ek konulmadı)" under Dağıtım."""

import io

import pypdf
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.correspondence import letter_pdf, services
from bilgiislem.correspondence.choices import LetterStatus, StepStatus
from bilgiislem.correspondence.models import LetterAnnex
from bilgiislem.correspondence.services.annexes import (
    letter_annex_add,
    letter_annex_move,
    letter_annex_remove,
    letter_recipient_mark_annexes,
)
from bilgiislem.correspondence.services.signing import letter_content

from .dispatching import CITIZEN, GOVERNORSHIP, add_three_annexes, draft, pdf_upload

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "media")]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _text(letter) -> str:
    pdf = letter_pdf.render_letter(letter_content(letter, signed=False))
    pages = pypdf.PdfReader(io.BytesIO(pdf)).pages
    return " ".join(" ".join(page.extract_text() for page in pages).split())


def test_annexes_are_listed_under_ek_and_omitted_recipients_marked(people):
    letter = draft(people, GOVERNORSHIP, CITIZEN, closing="Gereğini arz ve rica ederim.")
    add_three_annexes(people, letter)
    letter.refresh_from_db()
    assert letter.version == 4  # created, then one version per annex
    assert [a.kind for a in letter.annexes.all()] == ["file", "external", "physical"]
    file_annex = letter.annexes.get(kind="file")
    assert storage.open_verified(file_annex.sha256) == pdf_upload().read()
    assert (file_annex.filename, file_annex.content_type) == (
        "teknik şartname.pdf",
        "application/pdf",
    )
    snapshot = letter.versions.get(number=4).content
    assert [a["description"] for a in snapshot["annexes"]] == [
        "Teknik Şartname",
        "Çalışma Raporu",
        "İki adet CD",
    ]
    text = _text(letter)
    assert (
        "Ekler: 1- Teknik Şartname (teknik şartname.pdf) "
        "2- Çalışma Raporu (https://www.karasu.bel.tr/raporlar/2025-1.pdf) 3- İki adet CD"
    ) in text
    assert "Dağıtım: Gereği: Sakarya Valiliği Bilgi: Ali Veli (Ek konulmadı)" in text


def test_one_annex_is_ek_on_one_line_and_without_annexes_no_mark(people):
    letter = draft(people, GOVERNORSHIP, CITIZEN, closing="Gereğini arz ve rica ederim.")
    assert "Ek konulmadı" not in _text(letter)  # nothing is left out when there is no annex
    letter_annex_add(
        actor=people["memur"],
        letter=letter,
        kind="external",
        description="Valilik yazısı",
        sayi="E-24301050-010.01-99",
    )
    text = _text(letter)
    assert "Ek: Valilik yazısı (E-24301050-010.01-99)" in text
    assert "Ekler:" not in text


def test_an_annex_change_voids_the_parafs_like_a_text_change(people):
    letter = draft(people)
    services.letter_submit(actor=people["memur"], letter=letter)
    services.step_approve(actor=people["sef"], letter=letter)
    services.step_return(actor=people["mudur"], letter=letter, comment="Şartnameyi ekleyin")
    letter.refresh_from_db()
    assert letter.steps.filter(status=StepStatus.APPROVED).count() == 2  # memur, sef

    annex = letter_annex_add(
        actor=people["memur"], letter=letter, kind="file", upload=pdf_upload("sartname.pdf")
    )
    letter.refresh_from_db()
    assert (letter.version, letter.status) == (2, LetterStatus.DRAFT)
    assert annex.description == "sartname.pdf"  # a file annex is described by its name
    assert not letter.steps.filter(status=StepStatus.APPROVED).exists()
    event = AuditEvent.objects.filter(action="correspondence.annex.added").get()
    assert event.changes["parafs_voided"] == 2 and event.changes["version"] == 2

    services.letter_submit(actor=people["memur"], letter=letter)
    services.step_approve(actor=people["sef"], letter=letter)
    services.step_return(actor=people["mudur"], letter=letter, comment="Gerek yok")
    letter_annex_remove(actor=people["memur"], letter=letter, annex=annex)
    letter.refresh_from_db()
    assert letter.version == 3 and not letter.annexes.exists()
    assert not letter.steps.filter(status=StepStatus.APPROVED).exists()
    assert letter.versions.get(number=3).content["annexes"] == []
    assert AuditEvent.objects.filter(action="correspondence.annex.removed").exists()


def test_reordering_and_marking_make_new_versions(people):
    letter = draft(people, GOVERNORSHIP, CITIZEN, closing="Gereğini arz ve rica ederim.")
    add_three_annexes(people, letter)
    cd = letter.annexes.get(kind="physical")
    letter_annex_move(actor=people["memur"], letter=letter, annex=cd, position=0)
    assert [a.kind for a in letter.annexes.all()] == ["physical", "file", "external"]
    citizen = letter.recipients.get(kind="citizen")
    letter_recipient_mark_annexes(
        actor=people["memur"], letter=letter, recipient=citizen, omitted=False
    )
    letter.refresh_from_db()
    assert letter.version == 6
    assert not letter.recipients.get(kind="citizen").annexes_omitted

    # The drafting page does not carry the mark: saving the text keeps it; the API sets it.
    letter_recipient_mark_annexes(
        actor=people["memur"], letter=letter, recipient=citizen, omitted=True
    )
    page_rows = [
        {k: v for k, v in r.items() if k != "annexes_omitted"} for r in (GOVERNORSHIP, CITIZEN)
    ]
    fields = {
        "subject": "Yeni konu",
        "body": "Metin.\n\nArz ve rica ederim.",
        "sdp_code": "010.06.01",
    }
    services.letter_update(actor=people["memur"], letter=letter, recipients=page_rows, **fields)
    assert letter.recipients.get(kind="citizen").annexes_omitted
    api_rows = [{**r, "annexes_omitted": False} for r in page_rows]
    services.letter_update(actor=people["memur"], letter=letter, recipients=api_rows, **fields)
    assert not letter.recipients.get(kind="citizen").annexes_omitted


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"kind": "file"}, "file"),
        ({"kind": "file", "upload": SimpleUploadedFile("a.pdf", b"MZ\x90\x00 not a pdf")}, "file"),
        ({"kind": "file", "upload": SimpleUploadedFile("a.exe", b"MZ\x90\x00")}, "file"),
        ({"kind": "external", "description": "Rapor"}, "url"),
        ({"kind": "external", "description": "Rapor", "url": "javascript:alert(1)"}, "url"),
        ({"kind": "physical"}, "description"),
        ({"kind": "physical", "description": "x" * 501}, "description"),
        ({"kind": "video", "description": "Film"}, "kind"),
    ],
)
def test_bad_annexes_are_refused_naming_the_field(people, given, field):
    letter = draft(people)
    with pytest.raises(DomainError) as refused:
        letter_annex_add(actor=people["memur"], letter=letter, **given)
    assert field in refused.value.errors, refused.value.errors
    letter.refresh_from_db()
    assert letter.version == 1 and not LetterAnnex.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="correspondence.annex").exists()


def test_only_the_preparer_changes_annexes_and_not_during_approval(people):
    letter = draft(people)
    with pytest.raises(PermissionDeniedError):
        letter_annex_add(actor=people["sef"], letter=letter, kind="physical", description="CD")
    services.letter_submit(actor=people["memur"], letter=letter)
    with pytest.raises(DomainError):
        letter_annex_add(actor=people["memur"], letter=letter, kind="physical", description="CD")
    other, third = draft(people), draft(people)
    annex = letter_annex_add(actor=people["memur"], letter=other, kind="physical", description="CD")
    with pytest.raises(DomainError) as refused:  # an annex of another letter
        letter_annex_remove(actor=people["memur"], letter=third, annex=annex)
    assert "annex" in refused.value.errors
    assert not letter.annexes.exists() and other.annexes.count() == 1
