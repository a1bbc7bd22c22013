"""The approval chain of RYY art. 11, case by case, and a letter from draft to signature."""

import datetime

import pytest
from django.utils import timezone

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.correspondence import services
from bilgiislem.correspondence.choices import LetterStatus, StepKind, StepStatus
from bilgiislem.correspondence.signing import file_signer, verify_pdf
from bilgiislem.organization import services as org_services
from bilgiislem.registry.choices import Direction

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def draft(people, units, *recipients, author="memur", **extra):
    recipients = recipients or (
        {"kind": "public_body", "name": "Sakarya Valiliği", "identifier": "12345678"},
    )
    return services.letter_create(
        actor=people[author],
        subject="Bilgi güvenliği tedbirleri",
        body="Birinci paragraf.\n\na) bir\nb) iki\n\nGereğini arz ederim.",
        sdp_code="010.06.01",
        recipients=list(recipients),
        **extra,
    )


def chain_of(letter):
    return [
        (s.kind, s.person.username if s.person_id else s.position.title)
        for s in letter.steps.order_by("order")
    ]


def test_internal_letter_is_signed_by_the_director(people, units):
    letter = draft(people, units, {"kind": "internal", "unit": units["yazi-isleri"]})
    services.letter_submit(actor=people["memur"], letter=letter)
    assert chain_of(letter) == [
        (StepKind.PARAF, "memur"),
        (StepKind.PARAF, "Bilgi İşlem Şefi"),
        (StepKind.SIGNATURE, "Bilgi İşlem Müdürü"),
    ]


@pytest.mark.parametrize(
    "recipient",
    [
        {"kind": "public_body", "name": "Sakarya Valiliği", "identifier": "12345678"},
        {"kind": "company", "name": "Örnek Bilişim A.Ş.", "identifier": "1234567890"},
        {"kind": "citizen", "name": "Ali Veli", "identifier": "10000000146"},
    ],
)
def test_external_letter_goes_to_the_mayor(people, units, recipient):
    letter = draft(people, units, recipient)
    services.letter_submit(actor=people["memur"], letter=letter)
    assert chain_of(letter) == [
        (StepKind.PARAF, "memur"),
        (StepKind.PARAF, "Bilgi İşlem Şefi"),
        (StepKind.PARAF, "Bilgi İşlem Müdürü"),
        (StepKind.PARAF, "Başkan Yardımcısı (1)"),
        (StepKind.SIGNATURE, "Belediye Başkanı"),
    ]


def test_a_delegation_lets_the_deputy_mayor_sign_baskan_a(people, units):
    org_services.delegation_create(
        actor=people["baskan"],
        delegate=people["baskan.yardimcisi"],
        recipient_classes=["public_body"],
        units=[units["bilgi-islem"]],
        start_date=TODAY(),
        end_date=TODAY() + datetime.timedelta(days=30),
    )
    letter = draft(people, units)
    services.letter_submit(actor=people["memur"], letter=letter)
    assert chain_of(letter)[-1] == (StepKind.SIGNATURE, "Başkan Yardımcısı (1)")
    assert (StepKind.PARAF, "Başkan Yardımcısı (1)") not in chain_of(letter)
    for who in ("sef", "mudur"):
        services.step_approve(actor=people[who], letter=letter)
    step = services.current_step(letter)
    assert services.can_act(people["baskan.yardimcisi"], step) == "Başkan a."
    assert services.can_act(people["baskan"], step) is None


def test_a_delegation_for_other_recipients_does_not_apply(people, units):
    org_services.delegation_create(
        actor=people["baskan"],
        delegate=people["baskan.yardimcisi"],
        recipient_classes=["citizen"],
        start_date=TODAY(),
        end_date=TODAY() + datetime.timedelta(days=30),
    )
    letter = draft(people, units)
    services.letter_submit(actor=people["memur"], letter=letter)
    assert chain_of(letter)[-1] == (StepKind.SIGNATURE, "Belediye Başkanı")


def test_the_acting_director_initials_as_mudur_v(people, units, positions):
    org_services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=TODAY(),
        end_date=TODAY() + datetime.timedelta(days=7),
    )
    letter = draft(people, units, {"kind": "internal", "unit": units["yazi-isleri"]})
    services.letter_submit(actor=people["memur"], letter=letter)
    services.step_approve(actor=people["sef"], letter=letter)  # the Chief's own paraf
    step = services.current_step(letter)
    assert services.can_act(people["sef"], step) == "Bilgi İşlem Müdürü V."


def test_order_is_enforced_and_return_needs_a_comment(people, units):
    letter = draft(people, units)
    services.letter_submit(actor=people["memur"], letter=letter)
    with pytest.raises(PermissionDeniedError):
        services.step_approve(actor=people["mudur"], letter=letter)  # the Chief comes first
    with pytest.raises(DomainError) as err:
        services.step_return(actor=people["sef"], letter=letter, comment=" ")
    assert "comment" in err.value.errors
    services.step_return(actor=people["sef"], letter=letter, comment="Konu eksik")
    letter.refresh_from_db()
    assert letter.status == LetterStatus.RETURNED


def test_a_change_after_a_paraf_voids_it(people, units):
    letter = draft(people, units)
    services.letter_submit(actor=people["memur"], letter=letter)
    services.step_approve(actor=people["sef"], letter=letter)
    services.step_return(actor=people["mudur"], letter=letter, comment="Düzeltin")
    services.letter_update(
        actor=people["memur"],
        letter=letter,
        subject="Düzeltilmiş konu",
        body="Yeni metin.",
        sdp_code="010.06.01",
        recipients=[{"kind": "public_body", "name": "Sakarya Valiliği", "identifier": "12345678"}],
    )
    letter.refresh_from_db()
    assert letter.version == 2
    assert not letter.steps.filter(status=StepStatus.APPROVED).exists()
    assert letter.versions.count() == 2


def test_bad_drafts_are_refused(people, units):
    with pytest.raises(DomainError) as err:
        services.letter_create(
            actor=people["memur"], subject="K", body="M", sdp_code="010", recipients=[]
        )
    assert "recipients" in err.value.errors
    with pytest.raises(DomainError) as err:
        draft(people, units, {"kind": "public_body", "name": "X", "identifier": "1234"})
    assert "recipients" in err.value.errors


def test_a_reference_the_drafter_may_not_see_is_refused(people, units):
    from bilgiislem.registry.services import document_register

    hidden = document_register(
        actor=people["yaziisleri"],
        registry=units["yazi-isleri"],
        party_kind="public_body",
        party_name="Sakarya Valiliği",
        subject="Başka müdürlüğün evrakı",
    )
    with pytest.raises(DomainError) as err:
        draft(people, units, references=[hidden])
    assert "references" in err.value.errors


def test_from_draft_to_signature(people, units, pki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    letter = draft(people, units)
    services.letter_submit(actor=people["memur"], letter=letter)
    for who in ("sef", "mudur", "baskan.yardimcisi"):
        services.step_approve(actor=people[who], letter=letter)
    signer = file_signer(
        pki.signer.key_pem, pki.signer.cert_pem, [pki.interm.cert_pem, pki.root.cert_pem]
    )
    with pytest.raises(PermissionDeniedError):
        services.letter_sign(actor=people["mudur"], letter=letter, signer=signer)
    services.letter_sign(actor=people["baskan"], letter=letter, signer=signer)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SIGNED
    assert letter.sayi == f"E-00000001-010.06.01-{letter.document.registry_number}"
    assert letter.document.direction == Direction.OUTGOING
    pdf = storage.open_verified(letter.document.files.get().sha256)
    result = verify_pdf(pdf, [pki.root.cert_pem])
    assert result.intact and result.trusted
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"correspondence.letter.signed", "registry.document.registered"} <= actions


def test_a_signed_internal_letter_arrives_in_the_recipients_registry(
    people, units, pki, settings, tmp_path
):
    from bilgiislem.registry.models import Document

    settings.MEDIA_ROOT = tmp_path
    letter = draft(people, units, {"kind": "internal", "unit": units["yazi-isleri"]})
    services.letter_submit(actor=people["memur"], letter=letter)
    services.step_approve(actor=people["sef"], letter=letter)
    signer = file_signer(
        pki.signer.key_pem, pki.signer.cert_pem, [pki.interm.cert_pem, pki.root.cert_pem]
    )
    services.letter_sign(actor=people["mudur"], letter=letter, signer=signer)
    letter.refresh_from_db()
    arrived = Document.objects.get(registry=units["yazi-isleri"], source=letter.document)
    assert arrived.direction == Direction.INCOMING
    assert arrived.sayi == letter.sayi
    assert arrived.files.get().sha256 == letter.document.files.get().sha256
    assert Document.objects.visible_to(people["yaziisleri"]).filter(pk=arrived.pk).exists()
