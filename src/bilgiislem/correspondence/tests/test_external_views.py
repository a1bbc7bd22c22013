"""The e-imza path of the letter page over real HTTP: prepare and download the PDF, sign it
outside, upload it; a tampered upload is refused with its reason on the field and changes
nothing; only the person whose signature turn it is may use it."""

import html

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from bilgiislem.audit.models import AuditEvent
from bilgiislem.correspondence import services
from bilgiislem.correspondence.choices import LetterStatus, StepStatus
from bilgiislem.correspondence.models import SigningPreparation
from bilgiislem.registry.models import Document

from .pades import add_annotation, sign_raw, update

pytestmark = pytest.mark.django_db

TCKN = "12345678901"  # the test signer certificate carries TCKN12345678901


@pytest.fixture
def setup(settings, tmp_path, pki):
    """Blobs in a temporary store; signatures checked against the test PKI's root."""
    settings.MEDIA_ROOT = tmp_path / "media"
    root = tmp_path / "root.pem"
    root.write_bytes(pki.root.cert_pem)
    settings.BILGIISLEM_TRUST_ROOTS = [str(root)]
    return pki


@pytest.fixture
def letter(people, units, setup):
    """An internal letter paraphed by the Chief, waiting for the Director's signature."""
    letter = services.letter_create(
        actor=people["memur"],
        subject="Yazıcı toner ihtiyacı",
        body="Birinci paragraf.\n\nGereğini arz ederim.",
        sdp_code="010.06.01",
        recipients=[{"kind": "internal", "unit": units["yazi-isleri"]}],
    )
    services.letter_submit(actor=people["memur"], letter=letter)
    services.step_approve(actor=people["sef"], letter=letter)
    people["mudur"].tckn = TCKN
    people["mudur"].save(update_fields=["tckn"])
    return letter


def _urls(letter):
    return (
        reverse("correspondence:letter-detail", args=[letter.pk]),
        reverse("correspondence:letter-prepare-external", args=[letter.pk]),
        reverse("correspondence:letter-sign-external", args=[letter.pk]),
    )


def _upload(data, name="imzali.pdf"):
    return {"external-signed_pdf": SimpleUploadedFile(name, data, content_type="application/pdf")}


def _state(letter):
    letter.refresh_from_db()
    return (
        letter.status,
        letter.sayi,
        letter.version,
        list(letter.steps.values_list("status", flat=True)),
        SigningPreparation.objects.filter(letter=letter).count(),
        Document.objects.count(),
        AuditEvent.objects.filter(action="correspondence.letter.signed").count(),
    )


def test_prepare_download_sign_and_upload(client_as, letter, setup):
    page_url, prepare_url, sign_url = _urls(letter)
    client = client_as("mudur")
    page = client.get(page_url)
    assert "data-external-sign" in page.text and 'name="prepare_external"' in page.text
    assert 'name="external-signed_pdf"' in page.text and "multipart/form-data" in page.text

    response = client.post(prepare_url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    pdf = response.content
    assert pdf.startswith(b"%PDF-")
    sayi = SigningPreparation.objects.select_related("document").get(letter=letter).document.sayi
    assert sayi.startswith("E-")
    assert response["Content-Disposition"] == f'attachment; filename="{sayi}.pdf"'
    assert response["X-Content-Type-Options"] == "nosniff"
    # Pressing again downloads the same file and takes no second number.
    assert client.post(prepare_url).content == pdf
    assert SigningPreparation.objects.filter(letter=letter).count() == 1
    assert sayi in client.get(page_url).text  # "prepared with the Sayı …"

    response = client.post(sign_url, _upload(sign_raw(pdf, setup.signer, setup)))
    assert response.status_code == 302 and response["Location"] == page_url
    letter.refresh_from_db()
    assert letter.status == LetterStatus.SIGNED and letter.sayi == sayi
    assert letter.steps.get(kind="signature").status == StepStatus.APPROVED
    page = client.get(page_url)
    assert sayi in page.text and "data-external-sign" not in page.text
    assert list(page.context["messages"])  # the success message


@pytest.mark.parametrize("tamper", ["altered byte", "changed then signed"])
def test_a_tampered_upload_is_refused_on_the_field_and_changes_nothing(
    client_as, letter, setup, tamper
):
    _page_url, prepare_url, sign_url = _urls(letter)
    client = client_as("mudur")
    pdf = client.post(prepare_url).content
    if tamper == "altered byte":
        signed = bytearray(sign_raw(pdf, setup.signer, setup))
        at = signed.index(b"/Type /Page") if b"/Type /Page" in signed else len(pdf) // 2
        signed[at + 1] = ord("X")  # inside the signed byte range
        signed = bytes(signed)
    else:  # a valid signature, but over a letter stamped "İPTAL" after it was prepared
        signed = sign_raw(update(pdf, add_annotation), setup.signer, setup)
    before = _state(letter)

    response = client.post(sign_url, _upload(signed))
    assert response.status_code == 400
    errors = response.context["external_form"].errors["signed_pdf"]
    assert errors and errors[0] in html.unescape(response.text)
    assert _state(letter) == before
    assert letter.status == LetterStatus.IN_APPROVAL and letter.sayi == ""


def test_an_upload_before_preparing_and_a_file_too_large_are_refused(
    client_as, letter, setup, settings
):
    _page_url, _prepare_url, sign_url = _urls(letter)
    client = client_as("mudur")
    before = _state(letter)
    response = client.post(sign_url, _upload(b"%PDF-1.7\n%%EOF\n"))
    assert response.status_code == 400
    assert response.context["external_form"].non_field_errors()  # "prepare first"
    settings.BILGIISLEM_SIGNED_PDF_MAX_BYTES = 10
    response = client.post(sign_url, _upload(b"%PDF-1.7\n" + b"0" * 100))
    assert response.status_code == 400
    assert response.context["external_form"].errors["signed_pdf"]
    response = client.post(sign_url, {})
    assert response.context["external_form"].errors["signed_pdf"]
    assert _state(letter) == before


@pytest.mark.parametrize(
    ("who", "status"), [(None, 302), ("yaziisleri.mudur", 404), ("sef", 403), ("memur", 403)]
)
def test_only_the_signer_whose_turn_it_is_prepares_or_uploads(
    client, client_as, letter, setup, who, status
):
    page_url, prepare_url, sign_url = _urls(letter)
    before = _state(letter)
    c = client_as(who) if who else client
    assert c.post(prepare_url).status_code == status
    assert c.post(sign_url, _upload(b"%PDF-1.7\n%%EOF\n")).status_code == status
    assert _state(letter) == before
    if who:
        assert "data-external-sign" not in c.get(page_url).text


def test_the_section_waits_for_the_signature_turn(client_as, people, units, setup):
    letter = services.letter_create(
        actor=people["memur"],
        subject="Yazıcı toner ihtiyacı",
        body="Birinci paragraf.\n\nGereğini arz ederim.",
        sdp_code="010.06.01",
        recipients=[{"kind": "internal", "unit": units["yazi-isleri"]}],
    )
    services.letter_submit(actor=people["memur"], letter=letter)
    page_url, prepare_url, _sign_url = _urls(letter)
    client = client_as("mudur")  # the Chief's paraf comes first
    assert "data-external-sign" not in client.get(page_url).text
    assert client.post(prepare_url).status_code == 403
    assert not SigningPreparation.objects.filter(letter=letter).exists()


def test_a_rule_check_refusal_shows_on_the_page_and_takes_no_number(
    client_as, people, units, setup
):
    letter = services.letter_create(
        actor=people["memur"],
        subject="Yazıcı toner ihtiyacı",
        body="Birinci paragraf.",  # no closing phrase: the rule check blocks signing
        sdp_code="010.06.01",
        recipients=[{"kind": "internal", "unit": units["yazi-isleri"]}],
    )
    services.letter_submit(actor=people["memur"], letter=letter)
    services.step_approve(actor=people["sef"], letter=letter)
    before = _state(letter)
    response = client_as("mudur").post(_urls(letter)[1])
    assert response.status_code == 400
    assert "closing.missing" in response.context["action_errors"][0]
    assert _state(letter) == before
