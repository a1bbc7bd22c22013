"""Dispatch of a signed letter (issue 4 point 7): annexes filed on the registration, the
e-Yazışma package per outside recipient, paper given to a courier against custody."""

import io
import zipfile

import pypdf
import pytest
from django.http import Http404

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.correspondence.eyp_export import validate_package_xml
from bilgiislem.correspondence.models import Dispatch
from bilgiislem.correspondence.services.annexes import copy_annexes_to_registration
from bilgiislem.correspondence.services.dispatch import letter_dispatch_paper, letter_export_eyp
from bilgiislem.correspondence.signing import file_signer
from bilgiislem.registry.choices import CustodyKind, FileRole
from bilgiislem.registry.eyp import read_package
from bilgiislem.registry.models import Custody, Document
from bilgiislem.registry.services import custody_acknowledge

from .dispatching import PDF_ANNEX, draft, make_signer, signed_letter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "media")]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def letter(people, units, pki):
    return signed_letter(people, units, pki)


def _recipient(letter, kind):
    return letter.recipients.get(
        kind=kind, **({"unit__code": "yazi-isleri"} if kind == "internal" else {})
    )


def _export(people, letter, recipient, pki, seal=None, who="memur"):
    return letter_export_eyp(
        actor=people[who],
        letter=letter,
        recipient=recipient,
        signer=make_signer(pki),
        seal_signer=file_signer(seal.key_pem, seal.cert_pem, [pki.interm.cert_pem])
        if seal
        else None,
    )


def test_the_signed_letter_lists_its_annexes_and_they_are_filed(people, units, letter):
    document = letter.document
    main = document.files.get(role=FileRole.MAIN)
    pages = pypdf.PdfReader(io.BytesIO(storage.open_verified(main.sha256))).pages
    text = " ".join(" ".join(p.extract_text() for p in pages).split())
    assert "Ekler: 1- Teknik Şartname (teknik şartname.pdf)" in text
    assert "Ali Veli (Ek konulmadı)" in text and "Fen İşleri Müdürlüğü (Ek konulmadı)" in text
    assert "Sakarya Valiliği (Ek konulmadı)" not in text

    copy_annexes_to_registration(actor=people["baskan"], letter=letter, document=document)
    copy_annexes_to_registration(actor=people["baskan"], letter=letter, document=document)
    assert [(a.kind, a.description) for a in document.annexes.all()] == [
        ("file", "Teknik Şartname (teknik şartname.pdf)"),
        ("external", "Çalışma Raporu (https://www.karasu.bel.tr/raporlar/2025-1.pdf)"),
        ("physical", "İki adet CD"),
    ]
    (annex_file,) = document.files.filter(role=FileRole.ANNEX)
    assert storage.open_verified(annex_file.sha256) == PDF_ANNEX
    assert document.annexes.get(kind="file").file == annex_file
    received = Document.objects.get(source=document, registry=units["yazi-isleri"])
    assert received.annexes.count() == 3
    assert received.files.filter(role=FileRole.ANNEX, sha256=annex_file.sha256).exists()
    left_out = Document.objects.get(source=document, registry=units["fen-isleri"])
    assert not left_out.annexes.exists()
    assert not left_out.files.filter(role=FileRole.ANNEX).exists()
    assert AuditEvent.objects.filter(action="correspondence.annex.registered").count() == 1


def test_the_eyp_validates_and_reads_back_with_the_letters_metadata(people, letter, pki, seal):
    governorship = _recipient(letter, "governorship")
    dispatch = _export(people, letter, governorship, pki, seal)
    data = storage.open_verified(dispatch.package_sha256)
    assert validate_package_xml(data) == []
    package = read_package(data, recipient_codes=["24301050"])
    assert package.warnings == []
    assert (package.sayi, package.subject, package.tarih) == (
        letter.sayi,
        letter.subject,
        letter.signed_at,
    )
    assert package.main_bytes == storage.open_verified(
        letter.document.files.get(role=FileRole.MAIN).sha256
    )
    assert [(d.party.kind, d.party.name, d.purpose) for d in package.distribution] == [
        ("public_body", "Sakarya Valiliği", "action"),
        ("company", "Örnek Bilişim A.Ş.", "information"),
        ("person", "Ali Veli", "information"),
        ("public_body", "Yazı İşleri Müdürlüğü", "information"),
        ("public_body", "Fen İşleri Müdürlüğü", "information"),
    ]
    assert [(a.kind, a.name) for a in package.annexes] == [
        ("file", "Teknik Şartname"),
        ("external", "Çalışma Raporu"),
        ("physical", "İki adet CD"),
    ]
    assert package.parts[package.annexes[0].part_name] == PDF_ANNEX
    file_id = package.annexes[0].id
    omitted = {d.party.name: d.omitted_annex_ids for d in package.distribution}
    assert omitted["Ali Veli"] == [a.id for a in package.annexes]
    assert omitted["Sakarya Valiliği"] == []
    (signer,) = package.signers
    assert (signer.person.name, signer.person.position) == ("Ahmet Yılmaz", "Belediye Başkanı")
    assert package.sender.code == "00000000" and package.sender.unit_code == "00000001"

    filed = letter.document.files.get(role=FileRole.EYP_PACKAGE)
    assert (filed.sha256, filed.content_type) == (dispatch.package_sha256, "application/eyazisma")
    assert (dispatch.method, dispatch.recipient, dispatch.package_size) == (
        Dispatch.Method.EYP,
        governorship,
        len(data),
    )
    letter.document.refresh_from_db()
    assert letter.document.eyp_belge_id == package.belge_id
    assert AuditEvent.objects.filter(action="correspondence.letter.eyp_exported").count() == 1

    again = _export(people, letter, governorship, pki, who="sef")
    assert again.pk == dispatch.pk
    assert letter.document.files.filter(role=FileRole.EYP_PACKAGE).count() == 1
    assert Dispatch.objects.count() == 1

    # The citizen marked "Ek konulmadı": same document, without the annex file.
    citizen = _export(people, letter, _recipient(letter, "citizen"), pki)
    data = storage.open_verified(citizen.package_sha256)
    assert not [n for n in zipfile.ZipFile(io.BytesIO(data)).namelist() if n.startswith("Ekler/")]
    package = read_package(data)
    assert package.belge_id == letter.document.eyp_belge_id
    assert [a.name for a in package.annexes] == ["Teknik Şartname", "Çalışma Raporu", "İki adet CD"]
    assert package.annexes[0].id == file_id and package.annexes[0].part_name is None


def test_export_is_refused_for_drafts_internal_recipients_and_strangers(people, units, letter, pki):
    unsigned = draft(people)
    with pytest.raises(DomainError) as refused:
        _export(people, unsigned, unsigned.recipients.get(), pki)
    assert "letter" in refused.value.errors
    with pytest.raises(DomainError) as refused:
        _export(people, letter, _recipient(letter, "internal"), pki)
    assert "recipient" in refused.value.errors
    with pytest.raises(Http404):  # same directorate, no managerial post, not in the chain
        _export(people, letter, _recipient(letter, "governorship"), pki, who="yazilim")
    with pytest.raises(Http404):  # a recipient of another letter
        _export(people, letter, unsigned.recipients.get(), pki)
    assert not Dispatch.objects.exists()
    assert not letter.document.files.filter(role=FileRole.EYP_PACKAGE).exists()


def test_paper_goes_to_a_colleague_against_custody_or_to_a_named_courier(people, letter):
    company = _recipient(letter, "company")
    with pytest.raises(DomainError) as refused:
        letter_dispatch_paper(actor=people["sef"], letter=letter, recipient=company)
    assert "courier" in refused.value.errors
    with pytest.raises(DomainError) as refused:
        letter_dispatch_paper(
            actor=people["sef"],
            letter=letter,
            recipient=company,
            courier=people["kalem"],
            courier_name="PTT",
        )
    assert "courier_name" in refused.value.errors
    with pytest.raises(PermissionDeniedError):  # handing over is the registry's
        letter_dispatch_paper(
            actor=people["memur"], letter=letter, recipient=company, courier=people["kalem"]
        )
    with pytest.raises(DomainError) as refused:
        letter_dispatch_paper(
            actor=people["sef"],
            letter=letter,
            recipient=_recipient(letter, "internal"),
            courier_name="PTT",
        )
    assert "recipient" in refused.value.errors
    assert not Dispatch.objects.exists() and not Custody.objects.exists()

    dispatch = letter_dispatch_paper(
        actor=people["sef"], letter=letter, recipient=company, courier=people["kalem"]
    )
    custody = Custody.objects.get(document=letter.document)
    assert (custody.kind, custody.holder, custody.given_by) == (
        CustodyKind.PAPER,
        people["kalem"],
        people["sef"],
    )
    custody_acknowledge(actor=people["kalem"], custody=custody)
    custody.refresh_from_db()
    assert custody.acknowledged_by == people["kalem"]
    # The same colleague takes the copy for the governorship too: still one custody.
    letter_dispatch_paper(
        actor=people["sef"],
        letter=letter,
        recipient=_recipient(letter, "governorship"),
        courier=people["kalem"],
    )
    assert Custody.objects.filter(document=letter.document).count() == 1

    posted = letter_dispatch_paper(
        actor=people["memur"],
        letter=letter,
        recipient=_recipient(letter, "citizen"),
        courier_name=" PTT  Kargo ",
        tracking_number="RR123456789TR",
    )
    assert (posted.courier, posted.courier_name, posted.tracking_number) == (
        None,
        "PTT Kargo",
        "RR123456789TR",
    )
    assert (dispatch.method, dispatch.courier) == (Dispatch.Method.PAPER, people["kalem"])
    assert AuditEvent.objects.filter(action="correspondence.letter.dispatched_paper").count() == 3
