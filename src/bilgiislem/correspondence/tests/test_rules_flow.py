"""The rule check blocks both ways of signing, naming the rule and the field, and shows on
the letter page and in the API (issue 4 point 4)."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError
from bilgiislem.correspondence import services
from bilgiislem.correspondence.choices import LetterStatus
from bilgiislem.correspondence.models import SigningPreparation
from bilgiislem.correspondence.signing import file_signer
from bilgiislem.registry.models import Document

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/api/correspondence/letters/"


def waiting_for_the_director(people, units, closing="Gereğini rica ederim."):
    """An internal letter (same level: "arz") whose closing breaks the rule, paraphed by the
    Chief: the Director's signature is next."""
    letter = services.letter_create(
        actor=people["memur"],
        subject="Yazıcı Toner İhtiyacı",
        body=f"Birinci paragraf.\n\n{closing}",
        sdp_code="010.06.01",
        recipients=[{"kind": "internal", "unit": units["yazi-isleri"]}],
    )
    services.letter_submit(actor=people["memur"], letter=letter)
    services.step_approve(actor=people["sef"], letter=letter)
    return letter


def unchanged(letter, documents_before):
    letter.refresh_from_db()
    assert letter.status == LetterStatus.IN_APPROVAL and letter.sayi == ""
    assert Document.objects.count() == documents_before
    assert not SigningPreparation.objects.filter(letter=letter).exists()
    assert not AuditEvent.objects.filter(action="correspondence.letter.signed").exists()


def test_server_signing_is_blocked_naming_the_rule_and_field(people, units, pki):
    letter = waiting_for_the_director(people, units)
    signer = file_signer(pki.signer.key_pem, pki.signer.cert_pem, [pki.interm.cert_pem])
    before = Document.objects.count()
    with pytest.raises(DomainError) as err:
        services.letter_sign(actor=people["mudur"], letter=letter, signer=signer)
    assert list(err.value.errors) == ["body"]
    assert "closing.hierarchy" in err.value.errors["body"][0]
    assert "Closing formula" in err.value.errors["body"][0]
    unchanged(letter, before)


def test_external_preparation_is_blocked_and_takes_no_number(people, units):
    letter = waiting_for_the_director(people, units)
    before = Document.objects.count()
    with pytest.raises(DomainError) as err:
        services.letter_prepare_external(actor=people["mudur"], letter=letter)
    assert "closing.hierarchy" in err.value.errors["body"][0]
    unchanged(letter, before)


def test_someone_else_is_refused_before_the_rules_are_looked_at(people, units, pki):
    from bilgiislem.core.errors import PermissionDeniedError

    letter = waiting_for_the_director(people, units)
    signer = file_signer(pki.signer.key_pem, pki.signer.cert_pem, [pki.interm.cert_pem])
    with pytest.raises(PermissionDeniedError):
        services.letter_sign(actor=people["baskan"], letter=letter, signer=signer)


def test_warnings_do_not_block(people, units, pki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    letter = waiting_for_the_director(people, units, closing="Gereğini arz ederim.")
    letter.subject = "Yazıcı toner ihtiyacı"  # lower case words: a warning only
    letter.save(update_fields=["subject"])
    signer = file_signer(pki.signer.key_pem, pki.signer.cert_pem, [pki.interm.cert_pem])
    services.letter_sign(actor=people["mudur"], letter=letter, signer=signer)
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SIGNED


def test_the_sign_page_answers_400_with_the_rule(client_as, people, units, pki, tmp_path, settings):
    for name, data in (("k", pki.signer.key_pem), ("c", pki.signer.cert_pem)):
        (tmp_path / f"{name}.pem").write_bytes(data)
    settings.BILGIISLEM_SIGNING = {
        "kind": "file",
        "key": str(tmp_path / "k.pem"),
        "cert": str(tmp_path / "c.pem"),
        "chain": [],
    }
    letter = waiting_for_the_director(people, units)
    before = Document.objects.count()
    response = client_as("mudur").post(reverse("correspondence:letter-sign", args=[letter.pk]))
    assert response.status_code == 400
    assert "closing.hierarchy" in response.content.decode()
    unchanged(letter, before)


def test_the_letter_page_lists_the_findings_until_signed(client_as, people, units):
    letter = waiting_for_the_director(people, units)
    html = client_as("memur").get(reverse("correspondence:letter-detail", args=[letter.pk]))
    html = html.content.decode()
    assert 'data-rule="closing.hierarchy" data-severity="error"' in html
    letter.body = "Birinci paragraf.\n\nGereğini arz ederim."
    letter.save(update_fields=["body"])
    html = client_as("mudur").get(reverse("correspondence:letter-detail", args=[letter.pk]))
    assert "data-rule=" not in html.content.decode()
    assert "kural denetiminden geçti" in html.content.decode()  # Turkish first


def test_the_api_lists_the_findings_and_hides_them_from_outsiders(people, units):
    letter = waiting_for_the_director(people, units)
    client = APIClient()
    client.force_login(people["memur"])
    response = client.get(f"{URL}{letter.pk}/rules/")
    assert response.status_code == 200
    (finding,) = response.json()
    assert finding["code"] == "closing.hierarchy"
    assert finding["field"] == "body" and finding["severity"] == "error"
    assert "arz ederim" in finding["message"]
    client.force_login(people["yaziisleri"])
    assert client.get(f"{URL}{letter.pk}/rules/").status_code == 404


def test_signing_by_api_is_400_naming_the_field(people, units, pki, tmp_path, settings):
    for name, data in (("k", pki.signer.key_pem), ("c", pki.signer.cert_pem)):
        (tmp_path / f"{name}.pem").write_bytes(data)
    settings.BILGIISLEM_SIGNING = {
        "kind": "file",
        "key": str(tmp_path / "k.pem"),
        "cert": str(tmp_path / "c.pem"),
        "chain": [],
    }
    letter = waiting_for_the_director(people, units)
    before = Document.objects.count()
    client = APIClient()
    client.cookies["django_language"] = "en"
    client.force_login(people["mudur"])
    for action in ("sign", "prepare-external"):
        response = client.post(f"{URL}{letter.pk}/{action}/", HTTP_ACCEPT="application/json")
        assert response.status_code == 400
        assert "closing.hierarchy" in response.json()["body"][0]
    unchanged(letter, before)
