"""A signed reply closes the routings it answers (issue 4 point 1); the preparation for
external signing is a record that is signed or abandoned, never left dangling (point 5)."""

import pytest
from django.urls import reverse

from bilgiislem.audit.models import AuditEvent
from bilgiislem.correspondence import services
from bilgiislem.correspondence.choices import LetterStatus
from bilgiislem.correspondence.models import SigningPreparation
from bilgiislem.correspondence.services.external import prepared_pdf
from bilgiislem.correspondence.signing import file_signer
from bilgiislem.registry import services as registry_services
from bilgiislem.registry.choices import DocumentStatus, Purpose, RoutingStatus
from bilgiislem.registry.models import Custody, Document
from bilgiislem.registry.tests.factories import register

from .test_external import TCKN, raw_sign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def incoming(people, units, *recipients):
    document = register(actor="kalem", sayi="E-12345678-010.06.01-4752")
    registry_services.routing_create(
        actor=people["mudur"],
        document=document,
        recipients=list(recipients),
        deadline_basis="documents",
    )
    return document


def reply_waiting_for_the_director(people, units, document):
    letter = services.letter_create(
        actor=people["memur"],
        subject="Yazıcı Bakım Talebi Hakkında",
        body="Talebiniz incelenmiştir.\n\nBilgilerinizi arz ederim.",
        sdp_code="010.06.01",
        recipients=[{"kind": "internal", "unit": units["yazi-isleri"]}],
        references=[document],
        reply_to=document,
    )
    services.letter_submit(actor=people["memur"], letter=letter)
    services.step_approve(actor=people["sef"], letter=letter)
    return letter


def sign(people, letter, pki):
    signer = file_signer(pki.signer.key_pem, pki.signer.cert_pem, [pki.interm.cert_pem])
    services.letter_sign(actor=people["mudur"], letter=letter, signer=signer)
    letter.refresh_from_db()
    return letter


# --- a reply closes the routings it answers ---------------------------------------------


def test_signing_a_reply_closes_the_preparers_routings(people, units, pki, media):
    document = incoming(
        people,
        units,
        (people["memur"], Purpose.ACTION),
        (units["bilgi-islem-teknik-destek"], Purpose.ACTION),  # the preparer's unit
        (people["kalem"], Purpose.ACTION),  # someone else's work: stays open
        (people["arsiv"], Purpose.INFORMATION),
    )
    letter = sign(people, reply_waiting_for_the_director(people, units, document), pki)

    routings = {
        (r.to_person.username if r.to_person_id else r.to_unit.code): r
        for r in document.routings.all()
    }
    for key in ("memur", "bilgi-islem-teknik-destek"):
        routing = routings[key]
        assert routing.status == RoutingStatus.CLOSED
        assert routing.outcome == f"Reply sent: {letter.sayi}"
        assert routing.reply == letter.document and routing.closed_by == people["memur"]
        assert not Custody.objects.filter(routing=routing, released_at__isnull=True).exists()
    assert routings["kalem"].status == RoutingStatus.OPEN
    assert routings["arsiv"].status == RoutingStatus.OPEN
    document.refresh_from_db()
    assert document.status == DocumentStatus.OPEN  # kalem's part is not done yet
    events = AuditEvent.objects.filter(action="registry.routing.closed_by_reply")
    assert events.count() == 2
    assert {e.actor_id for e in events} == {people["mudur"].pk}


def test_the_last_open_routing_answered_makes_the_document_done(people, units, pki, media):
    document = incoming(people, units, (people["memur"], Purpose.ACTION))
    sign(people, reply_waiting_for_the_director(people, units, document), pki)
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE


def test_the_incoming_document_links_to_its_reply_both_ways(client_as, people, units, pki, media):
    document = incoming(people, units, (people["memur"], Purpose.ACTION))
    letter = reply_waiting_for_the_director(people, units, document)
    page = reverse("registry:document-detail", args=[document.pk])
    html = client_as("mudur").get(page).content.decode()
    assert reverse("correspondence:letter-detail", args=[letter.pk]) in html  # the draft
    letter = sign(people, letter, pki)
    html = client_as("mudur").get(page).content.decode()
    assert reverse("registry:document-detail", args=[letter.document_id]) in html
    assert letter.sayi in html
    letter_page = client_as("mudur").get(reverse("correspondence:letter-detail", args=[letter.pk]))
    assert page in letter_page.content.decode()


def test_a_letter_that_replies_to_nothing_closes_nothing(people, units, pki, media):
    document = incoming(people, units, (people["memur"], Purpose.ACTION))
    letter = reply_waiting_for_the_director(people, units, document)
    letter.reply_to = None
    letter.save(update_fields=["reply_to"])
    sign(people, letter, pki)
    assert document.routings.get().status == RoutingStatus.OPEN


# --- the preparation for external signing ----------------------------------------------


@pytest.fixture
def waiting(people, units, media):
    mudur = people["mudur"]
    mudur.tckn = TCKN
    mudur.save(update_fields=["tckn"])
    letter = services.letter_create(
        actor=people["memur"],
        subject="Yazıcı Toner İhtiyacı",
        body="Birinci paragraf.\n\nGereğini arz ederim.",
        sdp_code="010.06.01",
        recipients=[{"kind": "internal", "unit": units["yazi-isleri"]}],
    )
    services.letter_submit(actor=people["memur"], letter=letter)
    services.step_approve(actor=people["sef"], letter=letter)
    return letter


def test_preparing_records_a_preparation_and_signing_closes_it(people, waiting, pki):
    pdf = services.letter_prepare_external(actor=people["mudur"], letter=waiting)
    prep = SigningPreparation.objects.get(letter=waiting)
    assert prep.state == SigningPreparation.State.OPEN
    assert prep.version == waiting.version and prep.step == services.current_step(waiting)
    assert prep.signer_as == "Bilgi İşlem Müdürü" and prep.prepared_by == people["mudur"]
    assert prep.document.sayi.startswith("E-") and prep.verification_code
    assert prepared_pdf(waiting) == pdf
    event = AuditEvent.objects.get(action="correspondence.letter.prepared")
    assert event.changes["preparation"] == prep.pk  # the audit event is kept too

    services.letter_sign_external(
        actor=people["mudur"],
        letter=waiting,
        signed_pdf=raw_sign(pdf, pki.signer, [pki.interm]),
        trust_roots=[pki.root.cert_pem],
    )
    prep.refresh_from_db()
    waiting.refresh_from_db()
    assert prep.state == SigningPreparation.State.SIGNED and prep.closed_at is not None
    assert waiting.document == prep.document and waiting.verification_code == prep.verification_code
    assert prepared_pdf(waiting) is None


def test_a_return_abandons_the_preparation_and_cancels_its_number(people, units, waiting, pki):
    pdf = services.letter_prepare_external(actor=people["mudur"], letter=waiting)
    first = SigningPreparation.objects.get(letter=waiting)
    services.step_return(actor=people["mudur"], letter=waiting, comment="Tarihi düzeltin")

    first.refresh_from_db()
    assert first.state == SigningPreparation.State.ABANDONED and first.closed_at is not None
    cancelled = first.document
    cancelled.refresh_from_db()
    assert cancelled.status == DocumentStatus.DONE
    note = cancelled.notes.get().text
    assert note == "Cancelled: Letter returned to its preparer: Tarihi düzeltin"
    assert AuditEvent.objects.filter(
        action="registry.document.cancelled", object_id=str(cancelled.pk)
    ).exists()
    assert AuditEvent.objects.filter(action="correspondence.letter.preparation_abandoned").exists()
    assert prepared_pdf(waiting) is None

    # Sent round again and prepared again: a new number, the old one is never reused.
    services.letter_submit(actor=people["memur"], letter=waiting)
    services.step_approve(actor=people["sef"], letter=waiting)
    again = services.letter_prepare_external(actor=people["mudur"], letter=waiting)
    second = SigningPreparation.objects.get(letter=waiting, state=SigningPreparation.State.OPEN)
    assert second.document_id != cancelled.pk
    assert second.document.registry_number == cancelled.registry_number + 1
    assert second.document.sayi != cancelled.sayi
    # The old file no longer signs the letter; the new one does.
    old = raw_sign(pdf, pki.signer, [pki.interm])
    with pytest.raises(Exception, match="not the letter prepared"):
        services.letter_sign_external(
            actor=people["mudur"], letter=waiting, signed_pdf=old, trust_roots=[pki.root.cert_pem]
        )
    services.letter_sign_external(
        actor=people["mudur"],
        letter=waiting,
        signed_pdf=raw_sign(again, pki.signer, [pki.interm]),
        trust_roots=[pki.root.cert_pem],
    )
    waiting.refresh_from_db()
    assert waiting.status == LetterStatus.SIGNED and waiting.document == second.document
    assert Document.objects.filter(pk=cancelled.pk, status=DocumentStatus.DONE).exists()


def test_a_change_of_the_text_abandons_an_open_preparation(people, units, waiting):
    services.letter_prepare_external(actor=people["mudur"], letter=waiting)
    # A letter returned before preparations were abandoned on return (older data).
    type(waiting).objects.filter(pk=waiting.pk).update(status=LetterStatus.RETURNED)
    services.letter_update(
        actor=people["memur"],
        letter=waiting,
        subject="Yazıcı Toner İhtiyacı",
        body="Yeni metin.\n\nGereğini arz ederim.",
        sdp_code="010.06.01",
        recipients=[{"kind": "internal", "unit": units["yazi-isleri"]}],
    )
    prep = SigningPreparation.objects.get(letter=waiting)
    assert prep.state == SigningPreparation.State.ABANDONED
    assert prep.document.notes.get().text == "Cancelled: The text of the letter changed."


def test_only_an_outgoing_registration_can_be_cancelled(people):
    from bilgiislem.core.errors import DomainError
    from bilgiislem.registry.services.documents import outgoing_registration_cancel

    document = register(actor="kalem")
    with pytest.raises(DomainError) as err:
        outgoing_registration_cancel(actor=people["kalem"], document=document, reason="x")
    assert "document" in err.value.errors
    document.refresh_from_db()
    assert document.status == DocumentStatus.OPEN and not document.notes.exists()
