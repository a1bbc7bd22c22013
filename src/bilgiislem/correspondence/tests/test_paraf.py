"""Paraf as an e-signature (issue 4 point 5, ``BILGIISLEM_PARAF_ESIGNATURE``): a detached
CAdES signature over the approved version, stored and checked later; every refusal changes
nothing."""

import json

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.correspondence import services
from bilgiislem.correspondence.choices import StepKind, StepStatus
from bilgiislem.correspondence.models import ApprovalStep, LetterVersion
from bilgiislem.correspondence.services.paraf import (
    SIGNED,
    paraf_signatures_verify,
    signed_text,
    step_approve_signed,
)

from . import pades

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

PUBLIC_BODY = {"kind": "public_body", "name": "Sakarya Valiliği", "identifier": "12345678"}


@pytest.fixture(autouse=True)
def configured(settings, tmp_path, pki):
    """Media in a temporary folder; the test PKI as trust roots and server key."""
    settings.MEDIA_ROOT = tmp_path
    files = {}
    for name, data in {
        "root": pki.root.cert_pem,
        "key": pki.signer.key_pem,
        "cert": pki.signer.cert_pem,
        "interm": pki.interm.cert_pem,
    }.items():
        files[name] = tmp_path / f"{name}.pem"
        files[name].write_bytes(data)
    settings.BILGIISLEM_TRUST_ROOTS = [str(files["root"])]
    settings.BILGIISLEM_SIGNING = {
        "kind": "file",
        "key": str(files["key"]),
        "cert": str(files["cert"]),
        "chain": [str(files["interm"])],
    }
    settings.BILGIISLEM_CRL_FILES = []
    return settings


@pytest.fixture
def letter(people):
    """An external letter sent round its chain: sef, mudur and baskan.yardimcisi paraf."""
    letter = services.letter_create(
        actor=people["memur"],
        subject="Bilgi güvenliği tedbirleri",
        body="Birinci paragraf.\n\nGereğini arz ederim.",
        sdp_code="010.06.01",
        recipients=[PUBLIC_BODY],
    )
    services.letter_submit(actor=people["memur"], letter=letter)
    return letter


def _signer(pki, issued=None):
    return pades.signer_for(issued or pki.signer, pki)


def _snapshot(letter):
    steps = ApprovalStep.objects.filter(letter=letter).order_by("order")
    return (
        list(steps.values_list("status", "signature_sha256")),
        AuditEvent.objects.count(),
    )


def test_a_signed_paraf_is_stored_audited_and_verifies(people, letter, pki):
    step = step_approve_signed(
        actor=people["sef"], letter=letter, signer=_signer(pki), comment="Uygundur"
    )
    step.refresh_from_db()
    assert step.status == StepStatus.APPROVED and step.comment == "Uygundur"
    assert len(step.signature_sha256) == 64
    assert list(storage.blob_root().glob("[0-9a-f][0-9a-f]/*")) == [
        storage.blob_path(step.signature_sha256)
    ]
    cms = storage.open_verified(step.signature_sha256)
    assert cms[:1] == b"\x30"  # a DER CMS, the text itself is not in it (detached)
    assert b"Bilgi g" not in cms
    event = AuditEvent.objects.get(action=SIGNED)
    assert event.changes["signature"] == step.signature_sha256
    assert event.changes["version"] == letter.version
    assert event.changes["certificate"]["serial"] == "TCKN12345678901"
    [check] = paraf_signatures_verify(letter)
    assert check.ok, check.reason
    assert (check.step, check.signer_name) == (step.order, "Ayşe Yılmaz")


def test_every_signed_paraf_is_reported(people, letter, pki):
    for who in ("sef", "mudur", "baskan.yardimcisi"):
        step_approve_signed(actor=people[who], letter=letter, signer=_signer(pki))
    checks = paraf_signatures_verify(letter)
    assert [c.person for c in checks] == [
        str(people[w]) for w in ("sef", "mudur", "baskan.yardimcisi")
    ]
    assert all(c.ok for c in checks)
    assert services.current_step(letter).kind == StepKind.SIGNATURE


def test_the_signed_text_is_canonical(letter):
    version = LetterVersion.objects.get(letter=letter, number=letter.version)
    shuffled = json.loads(json.dumps(version.content))
    shuffled = dict(reversed(list(shuffled.items())))
    assert signed_text(letter.pk, letter.version, shuffled) == signed_text(
        letter.pk, letter.version, version.content
    )
    assert b'"letter":%d' % letter.pk in signed_text(letter.pk, 1, {})


def test_a_changed_version_text_no_longer_verifies(people, letter, pki):
    step_approve_signed(actor=people["sef"], letter=letter, signer=_signer(pki))
    version = LetterVersion.objects.get(letter=letter, number=letter.version)
    LetterVersion.objects.filter(pk=version.pk).update(
        content={**version.content, "body": "Başka bir metin."}
    )
    [check] = paraf_signatures_verify(letter)
    assert not check.ok and "does not match the approved text" in check.reason


def test_a_signature_moved_to_another_letter_does_not_verify(people, letter, pki):
    step = step_approve_signed(actor=people["sef"], letter=letter, signer=_signer(pki))
    other = services.letter_create(
        actor=people["memur"],
        subject="Bilgi güvenliği tedbirleri",
        body="Birinci paragraf.\n\nGereğini arz ederim.",
        sdp_code="010.06.01",
        recipients=[PUBLIC_BODY],
    )
    services.letter_submit(actor=people["memur"], letter=other)
    services.step_approve(actor=people["sef"], letter=other)
    ApprovalStep.objects.filter(letter=other, order=step.order).update(
        signature_sha256=step.signature_sha256
    )
    [check] = paraf_signatures_verify(other)
    assert not check.ok and "does not match the approved text" in check.reason


def test_an_untrusted_root_and_a_lost_blob_are_reported(people, letter, pki, tmp_path):
    step = step_approve_signed(actor=people["sef"], letter=letter, signer=_signer(pki))
    [check] = paraf_signatures_verify(letter, trust_roots=[pki.rogue_root.cert_pem])
    assert not check.ok and "trusted root" in check.reason
    storage.blob_path(step.signature_sha256).unlink()
    [check] = paraf_signatures_verify(letter)
    assert not check.ok and "missing or damaged" in check.reason


@pytest.mark.parametrize(
    ("issued", "expect"),
    [
        ("expired", "expired"),
        ("self_signed", "self-signed"),
        ("no_non_repudiation", "not meant for e-signatures"),
        ("revoked", "revoked"),
    ],
)
def test_a_bad_certificate_makes_no_paraf(
    people, letter, pki, issued, expect, configured, tmp_path
):
    crl = tmp_path / "ara.crl"
    crl.write_bytes(pki.crls[1].dump())
    configured.BILGIISLEM_CRL_FILES = [str(crl)]
    before = _snapshot(letter)
    with pytest.raises(DomainError) as err:
        step_approve_signed(
            actor=people["sef"], letter=letter, signer=_signer(pki, getattr(pki, issued))
        )
    assert list(err.value.errors) == ["signature"]
    assert expect in str(err.value), err.value
    assert _snapshot(letter) == before


def test_someone_elses_certificate_makes_no_paraf(people, letter, pki, other_signer):
    people["sef"].tckn = "12345678901"
    people["sef"].save(update_fields=["tckn"])
    before = _snapshot(letter)
    with pytest.raises(DomainError, match="belongs to someone else"):
        step_approve_signed(actor=people["sef"], letter=letter, signer=_signer(pki, other_signer))
    assert _snapshot(letter) == before
    # With the person's own certificate it goes through.
    step_approve_signed(actor=people["sef"], letter=letter, signer=_signer(pki))


def test_out_of_turn_makes_no_paraf(people, letter, pki):
    before = _snapshot(letter)
    with pytest.raises(PermissionDeniedError):
        step_approve_signed(actor=people["mudur"], letter=letter, signer=_signer(pki))
    assert _snapshot(letter) == before
    assert not list(storage.blob_root().glob("[0-9a-f][0-9a-f]/*"))  # nothing signed or stored


def test_the_page_signs_the_paraf_when_the_setting_is_on(client_as, people, letter, configured):
    url = reverse("correspondence:letter-approve", args=[letter.pk])
    configured.BILGIISLEM_PARAF_ESIGNATURE = False
    assert client_as("sef").post(url, {"approve-comment": ""}).status_code == 302
    assert not ApprovalStep.objects.filter(letter=letter).exclude(signature_sha256="").exists()
    configured.BILGIISLEM_PARAF_ESIGNATURE = True
    client = client_as("mudur")
    assert client.post(url, {"approve-comment": ""}).status_code == 302
    signed = ApprovalStep.objects.get(letter=letter, acted_by=people["mudur"])
    assert signed.signature_sha256
    page = client.get(reverse("correspondence:letter-detail", args=[letter.pk]))
    assert page.text.count("data-paraf-esigned") == 1


def test_the_page_shows_a_missing_key_and_changes_nothing(client_as, letter, configured):
    configured.BILGIISLEM_PARAF_ESIGNATURE = True
    configured.BILGIISLEM_SIGNING = None
    before = _snapshot(letter)
    url = reverse("correspondence:letter-approve", args=[letter.pk])
    client = client_as("sef")
    client.cookies["django_language"] = "en"
    response = client.post(url, {"approve-comment": ""})
    assert response.status_code == 400
    assert "No signing key is configured" in " ".join(response.context["action_errors"])
    assert _snapshot(letter) == before


def test_the_api_signs_the_paraf_when_the_setting_is_on(people, letter, configured):
    configured.BILGIISLEM_PARAF_ESIGNATURE = True
    client = APIClient()
    client.force_login(people["sef"])
    response = client.post(
        f"/api/correspondence/letters/{letter.pk}/approve/", {"comment": ""}, format="json"
    )
    assert response.status_code == 200, response.json()
    [step] = [s for s in response.json()["steps"] if s["acted_by"] == str(people["sef"])]
    assert len(step["signature_sha256"]) == 64
    assert all(c.ok for c in paraf_signatures_verify(letter))
