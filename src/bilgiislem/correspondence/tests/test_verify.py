"""The public verification page /dogrula/<code>/."""

import pytest
from django.core.cache import cache
from django.test import Client

from bilgiislem.core import storage
from bilgiislem.correspondence import services
from bilgiislem.correspondence.signing import file_signer
from bilgiislem.registry.choices import Secrecy

from .test_external import internal_letter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.fixture(autouse=True)
def _clean_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def signed(people, units, pki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    root = tmp_path / "root.pem"
    root.write_bytes(pki.root.cert_pem)
    settings.BILGIISLEM_TRUST_ROOTS = [str(root)]
    letter = internal_letter(people, units)
    signer = file_signer(pki.signer.key_pem, pki.signer.cert_pem, [pki.interm.cert_pem])
    services.letter_sign(actor=people["mudur"], letter=letter, signer=signer)
    letter.refresh_from_db()
    return letter


def english_client(**kw):
    client = Client(**kw)
    client.cookies["django_language"] = "en"
    return client


def page(code, client=None, **kw):
    return (client or english_client()).get(f"/dogrula/{code}/", **kw)


def test_a_known_code_shows_the_letter_without_login(signed):
    response = page(signed.verification_code)
    assert response.status_code == 200
    body = response.content.decode()
    assert signed.sayi in body and signed.subject in body
    assert "Bilgi İşlem Müdürü" in body  # acting as
    # The printed address has no trailing slash and may be typed in lower case.
    assert english_client().get(f"/dogrula/{signed.verification_code.lower()}").status_code == 200


def test_a_secret_letter_shows_only_its_number_and_date(signed):
    type(signed).objects.filter(pk=signed.pk).update(secrecy=Secrecy.GIZLI)
    body = page(signed.verification_code).content.decode()
    assert signed.sayi in body and signed.subject not in body


def test_an_unknown_code_is_404_with_the_same_queries(signed, django_assert_num_queries):
    with django_assert_num_queries(3):  # letter, signature step, main file
        assert page(signed.verification_code).status_code == 200
    with django_assert_num_queries(3):  # the same queries, for a letter that is not
        assert page("0123456789AB").status_code == 404


def test_an_unsigned_letter_has_no_public_page(people, units, pki, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    letter = internal_letter(people, units)
    services.letter_prepare_external(actor=people["mudur"], letter=letter)
    from bilgiislem.audit.models import AuditEvent

    code = AuditEvent.objects.get(action="correspondence.letter.prepared").changes["code"]
    assert page(code).status_code == 404


def test_uploading_the_original_confirms_it(signed):
    original = storage.open_verified(signed.document.files.get().sha256)
    response = english_client().post(
        f"/dogrula/{signed.verification_code}/",
        {"file": _upload(original)},
    )
    assert response.status_code == 200
    assert "is the signed original" in response.content.decode()


def test_uploading_a_changed_copy_is_refused(signed):
    original = storage.open_verified(signed.document.files.get().sha256)
    changed = original + b"\n% added later\n"
    response = english_client().post(
        f"/dogrula/{signed.verification_code}/", {"file": _upload(changed)}
    )
    assert "NOT the signed original" in response.content.decode()


def test_an_empty_upload_names_the_field(signed):
    response = english_client().post(f"/dogrula/{signed.verification_code}/", {})
    assert response.status_code == 200
    assert "PDF file to check" in response.content.decode()


def test_requests_are_rate_limited_per_address(signed, settings):
    settings.BILGIISLEM_VERIFY_RATE_LIMIT = 3
    client = english_client(REMOTE_ADDR="10.0.0.7")
    assert [page("0123456789AB", client).status_code for _ in range(3)] == [404] * 3
    assert page(signed.verification_code, client).status_code == 429
    assert page(signed.verification_code, english_client(REMOTE_ADDR="10.0.0.8")).status_code == 200


def _upload(data: bytes):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile("yazi.pdf", data, content_type="application/pdf")
