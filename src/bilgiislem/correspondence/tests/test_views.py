"""The letter pages over real HTTP: they render, the actions answer only the person whose
turn it is (and change nothing otherwise), and bad input names the field."""

import pytest
from django.urls import reverse

from bilgiislem.core.errors import DomainError
from bilgiislem.correspondence import services
from bilgiislem.correspondence.choices import LetterStatus, StepStatus
from bilgiislem.correspondence.models import ApprovalStep, Letter
from bilgiislem.correspondence.signers import configured_signer

pytestmark = pytest.mark.django_db

RECIPIENT = {"kind": "public_body", "name": "Sakarya Valiliği", "identifier": "12345678"}


def _draft(people, recipient=RECIPIENT):
    return services.letter_create(
        actor=people["memur"],
        subject="Bilgi güvenliği tedbirleri",
        body="Birinci paragraf.\n\na) bir\nb) iki\n\nGereğini arz ederim.",
        sdp_code="010.06.01",
        recipients=[recipient],
    )


def _submitted(people, *approvers):
    letter = _draft(people)
    services.letter_submit(actor=people["memur"], letter=letter)
    for who in approvers:
        services.step_approve(actor=people[who], letter=letter)
    return letter


def _form(**changes):
    data = {
        "subject": "Ağ anahtarlarının yenilenmesi",
        "sdp_code": "010.06.01",
        "secrecy": "none",
        "urgency": "normal",
        "urgency_date": "",
        "body": "Birinci paragraf.\n\nGereğini arz ederim.",
        "references": "",
        "reply_to": "",
        "recipients-TOTAL_FORMS": "2",
        "recipients-INITIAL_FORMS": "0",
        "recipients-MIN_NUM_FORMS": "0",
        "recipients-MAX_NUM_FORMS": "20",
        "recipients-0-kind": "public_body",
        "recipients-0-name": "Sakarya Valiliği",
        "recipients-0-identifier": "12345678",
        "recipients-0-purpose": "action",
        "recipients-1-kind": "",
        "recipients-1-purpose": "action",
    }
    data.update(changes)
    return data


def _state(letter):
    letter.refresh_from_db()
    return (
        letter.status,
        letter.version,
        list(ApprovalStep.objects.filter(letter=letter).values_list("status", flat=True)),
    )


# Pages render ----------------------------------------------------------------------------


@pytest.mark.parametrize("tab", ["drafts", "waiting", "sent"])
def test_the_list_renders_each_tab(client_as, people, tab):
    letter = _submitted(people, "sef")
    response = client_as("mudur").get(reverse("correspondence:letter-list"), {"tab": tab})
    assert response.status_code == 200
    assert (letter.subject in response.text) == (tab == "waiting")


def test_drafts_tab_lists_my_drafts(client_as, people):
    letter = _draft(people)
    response = client_as("memur").get(reverse("correspondence:letter-list"))
    assert letter.subject in response.text


def test_create_and_edit_pages_render(client_as, people):
    letter = _draft(people)
    client = client_as("memur")
    assert client.get(reverse("correspondence:letter-create")).status_code == 200
    response = client.get(reverse("correspondence:letter-edit", args=[letter.pk]))
    assert response.status_code == 200
    assert "Sakarya Valiliği" in response.text


def test_creating_a_letter_over_http(client_as, people):
    response = client_as("memur").post(reverse("correspondence:letter-create"), _form())
    letter = Letter.objects.get(subject="Ağ anahtarlarının yenilenmesi")
    assert response.status_code == 302
    assert response["Location"] == reverse("correspondence:letter-detail", args=[letter.pk])
    assert [r.identifier for r in letter.recipients.all()] == ["12345678"]


def test_the_detail_page_shows_the_chain_and_only_my_actions(client_as, people):
    letter = _submitted(people, "sef")
    page = client_as("mudur").get(reverse("correspondence:letter-detail", args=[letter.pk]))
    assert page.status_code == 200
    assert 'name="approve"' in page.text and 'name="return"' in page.text
    assert 'name="sign"' not in page.text and 'name="submit"' not in page.text
    page = client_as("baskan").get(reverse("correspondence:letter-detail", args=[letter.pk]))
    assert 'name="approve"' not in page.text and 'name="sign"' not in page.text


def test_the_preview_is_an_inline_pdf(client_as, people):
    letter = _draft(people)
    response = client_as("memur").get(reverse("correspondence:letter-preview", args=[letter.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response.content.startswith(b"%PDF")


def test_a_letter_out_of_sight_is_404(client_as, people):
    letter = _draft(people)
    for name in ("letter-detail", "letter-preview", "letter-edit"):
        url = reverse(f"correspondence:{name}", args=[letter.pk])
        assert client_as("yaziisleri").get(url).status_code == 404


def test_my_work_and_menu_show_waiting_letters(client_as, people):
    letter = _submitted(people, "sef")
    page = client_as("mudur").get(reverse("accounts:home"))
    assert reverse("correspondence:letter-detail", args=[letter.pk]) in page.text
    assert reverse("correspondence:letter-list") in page.text


# Authorization matrix ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("who", "status"),
    [(None, 302), ("yaziisleri", 404), ("sef", 403), ("memur", 403), ("baskan", 403)],
)
def test_approve_is_only_for_the_person_whose_turn_it_is(client, client_as, people, who, status):
    letter = _submitted(people, "sef")  # the Director's turn
    before = _state(letter)
    c = client_as(who) if who else client
    response = c.post(reverse("correspondence:letter-approve", args=[letter.pk]))
    assert response.status_code == status
    assert _state(letter) == before


def test_the_director_paraf_over_http(client_as, people):
    letter = _submitted(people, "sef")
    response = client_as("mudur").post(reverse("correspondence:letter-approve", args=[letter.pk]))
    assert response.status_code == 302
    step = letter.steps.get(acted_by=people["mudur"])
    assert step.status == StepStatus.APPROVED


@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("yaziisleri", 404), ("sef", 403), ("mudur", 403)]
)
def test_only_the_preparer_submits(client, client_as, people, who, status):
    letter = _draft(people)
    before = _state(letter)
    c = client_as(who) if who else client
    response = c.post(reverse("correspondence:letter-submit", args=[letter.pk]))
    assert response.status_code == status
    assert _state(letter) == before


def test_only_the_preparer_edits(client_as, people):
    letter = _draft(people)
    before = _state(letter)
    url = reverse("correspondence:letter-edit", args=[letter.pk])
    assert client_as("mudur").post(url, _form()).status_code == 403
    assert _state(letter) == before


@pytest.mark.parametrize(("who", "status"), [("memur", 403), ("sef", 403), ("yaziisleri", 404)])
def test_return_by_someone_else_is_refused(client_as, people, who, status):
    letter = _submitted(people, "sef")
    before = _state(letter)
    response = client_as(who).post(
        reverse("correspondence:letter-return", args=[letter.pk]), {"return-comment": "Hayır."}
    )
    assert response.status_code == status
    assert _state(letter) == before


def test_return_needs_a_comment(client_as, people):
    letter = _submitted(people, "sef")
    before = _state(letter)
    url = reverse("correspondence:letter-return", args=[letter.pk])
    response = client_as("mudur").post(url, {"return-comment": ""})
    assert response.status_code == 400
    assert _state(letter) == before
    response = client_as("mudur").post(url, {"return-comment": "Konu satırını düzeltin."})
    assert response.status_code == 302
    assert _state(letter)[0] == LetterStatus.RETURNED


def test_signing_by_someone_not_the_required_signer_is_403(client_as, people):
    letter = _submitted(people, "sef", "mudur", "baskan.yardimcisi")  # the Mayor signs
    before = _state(letter)
    for who in ("mudur", "baskan.yardimcisi", "memur"):
        url = reverse("correspondence:letter-sign", args=[letter.pk])
        assert client_as(who).post(url).status_code == 403
    assert _state(letter) == before


def test_signing_before_the_turn_is_403(client_as, people):
    letter = _submitted(people, "sef")
    url = reverse("correspondence:letter-sign", args=[letter.pk])
    assert client_as("baskan").post(url).status_code == 403


def _key_files(pki, tmp_path, settings):
    paths = {}
    for name, data in (
        ("key", pki.signer.key_pem),
        ("cert", pki.signer.cert_pem),
        ("interm", pki.interm.cert_pem),
    ):
        paths[name] = tmp_path / f"{name}.pem"
        paths[name].write_bytes(data)
    settings.BILGIISLEM_SIGNING = {
        "kind": "file",
        "key": str(paths["key"]),
        "cert": str(paths["cert"]),
        "chain": [str(paths["interm"])],
    }


def test_the_mayor_signs_over_http(client_as, people, pki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    _key_files(pki, tmp_path, settings)
    letter = _submitted(people, "sef", "mudur", "baskan.yardimcisi")
    client = client_as("baskan")
    response = client.post(reverse("correspondence:letter-sign", args=[letter.pk]))
    assert response.status_code == 302
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SIGNED and letter.sayi.startswith("E-")
    page = client.get(reverse("correspondence:letter-detail", args=[letter.pk]))
    assert letter.sayi in page.text
    assert reverse("registry:document-detail", args=[letter.document_id]) in page.text


def test_no_signing_key_is_a_clear_error(client_as, people, settings):
    settings.BILGIISLEM_SIGNING = None
    with pytest.raises(DomainError) as err, configured_signer():
        pass
    assert list(err.value.errors) == ["signature"]
    letter = _submitted(people, "sef", "mudur", "baskan.yardimcisi")
    before = _state(letter)
    response = client_as("baskan").post(reverse("correspondence:letter-sign", args=[letter.pk]))
    assert response.status_code == 400
    assert response.context["action_errors"] == [err.value.errors["signature"][0]]
    assert _state(letter) == before


# Bad input --------------------------------------------------------------------------------


def test_a_draft_with_no_recipient_is_refused(client_as, people):
    data = _form(**{"recipients-0-kind": "", "recipients-0-name": ""})
    response = client_as("memur").post(reverse("correspondence:letter-create"), data)
    assert response.status_code == 400
    assert response.context["recipient_errors"]
    assert not Letter.objects.filter(subject="Ağ anahtarlarının yenilenmesi").exists()


def test_a_detsis_number_not_8_digits_is_refused(client_as, people):
    data = _form(**{"recipients-0-identifier": "1234"})
    response = client_as("memur").post(reverse("correspondence:letter-create"), data)
    assert response.status_code == 400
    assert response.context["formset"].forms[0].errors["identifier"]
    assert not Letter.objects.filter(subject="Ağ anahtarlarının yenilenmesi").exists()


def test_a_reference_not_visible_is_refused(client_as, people):
    data = _form(references="1999/424242")
    response = client_as("memur").post(reverse("correspondence:letter-create"), data)
    assert response.status_code == 400
    assert response.context["form"].errors["references"]


def test_the_demo_pki_command_is_idempotent(settings, tmp_path):
    from django.core.management import call_command

    settings.VAR_DIR = tmp_path
    call_command("correspondence_demo_pki")
    first = (tmp_path / "demo-pki" / "signer.cert.pem").read_bytes()
    call_command("correspondence_demo_pki")
    assert (tmp_path / "demo-pki" / "signer.cert.pem").read_bytes() == first
    from cryptography import x509

    cert = x509.load_pem_x509_certificate(first)
    serial = cert.subject.get_attributes_for_oid(x509.oid.NameOID.SERIAL_NUMBER)[0].value
    assert serial.startswith("TCKN") and len(serial) == 15
