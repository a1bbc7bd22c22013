"""Correspondence API: authorization matrix, the flow end to end, and bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from bilgiislem.audit.models import AuditEvent
from bilgiislem.correspondence.choices import LetterStatus
from bilgiislem.correspondence.models import Letter

from .test_external import TCKN, raw_sign

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

URL = "/api/correspondence/letters/"
BODY = {
    "subject": "Yazıcı toner ihtiyacı",
    "body": "Birinci paragraf.\n\nGereğini arz ederim.",
    "sdp_code": "010.06.01",
}


@pytest.fixture(autouse=True)
def media(settings, tmp_path, pki):
    settings.MEDIA_ROOT = tmp_path
    for name, data in {
        "root.pem": pki.root.cert_pem,
        "key.pem": pki.signer.key_pem,
        "cert.pem": pki.signer.cert_pem,
        "interm.pem": pki.interm.cert_pem,
    }.items():
        (tmp_path / name).write_bytes(data)
    settings.BILGIISLEM_TRUST_ROOTS = [str(tmp_path / "root.pem")]
    settings.BILGIISLEM_SIGNING = {
        "kind": "file",
        "key": str(tmp_path / "key.pem"),
        "cert": str(tmp_path / "cert.pem"),
        "chain": [str(tmp_path / "interm.pem")],
    }


@pytest.fixture
def api(people):
    def _client(username):
        client = APIClient()
        client.cookies["django_language"] = "en"
        if username is not None:
            client.force_login(people[username])
        return client

    return _client


@pytest.fixture
def letter_id(api, units):
    data = {**BODY, "recipients": [{"kind": "internal", "unit": units["yazi-isleri"].pk}]}
    response = api("memur").post(URL, data, format="json")
    assert response.status_code == 201, response.json()
    return response.json()["id"]


def submitted(api, letter_id):
    assert api("memur").post(f"{URL}{letter_id}/submit/").status_code == 200
    assert api("sef").post(f"{URL}{letter_id}/approve/", {}, format="json").status_code == 200
    return letter_id


def state(letter_id):
    letter = Letter.objects.get(pk=letter_id)
    return (letter.status, letter.version, letter.sayi, AuditEvent.objects.count())


@pytest.mark.parametrize(
    ("who", "code"),
    [
        (None, {401, 403}),
        ("yaziisleri", {404}),  # unrelated directorate
        ("kalem", {404}),  # same directorate, no managerial post, not in the chain
        ("sef", {200}),  # manager of the directorate
        ("mudur", {200}),
        ("baskan", {200}),
        ("memur", {200}),  # the preparer
    ],
)
def test_who_sees_a_letter(api, letter_id, who, code):
    assert api(who).get(f"{URL}{letter_id}/").status_code in code
    assert api(who).get(f"{URL}{letter_id}/preview/").status_code in code
    listed = api(who).get(URL)
    if 200 in code:
        assert letter_id in [row["id"] for row in listed.json()["results"]]
    elif who is not None:
        assert letter_id not in [row["id"] for row in listed.json()["results"]]


def test_the_preview_is_a_pdf(api, letter_id):
    response = api("memur").get(f"{URL}{letter_id}/preview/")
    assert response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF-")


@pytest.mark.parametrize(
    ("who", "code"),
    [(None, {401, 403}), ("yaziisleri", {404}), ("kalem", {404}), ("sef", {403})],
)
def test_only_the_preparer_changes_or_submits(api, letter_id, units, who, code):
    before = state(letter_id)
    data = {**BODY, "subject": "Başka", "recipients": [{"kind": "citizen", "name": "Ali"}]}
    assert api(who).put(f"{URL}{letter_id}/", data, format="json").status_code in code
    assert api(who).post(f"{URL}{letter_id}/submit/").status_code in code
    assert state(letter_id) == before


def test_the_chain_by_api_with_a_server_signature(api, letter_id):
    submitted(api, letter_id)
    before = state(letter_id)
    assert api("memur").post(f"{URL}{letter_id}/approve/", {}, format="json").status_code == 403
    assert api("sef").post(f"{URL}{letter_id}/sign/").status_code == 403
    assert api("kalem").post(f"{URL}{letter_id}/sign/").status_code == 404
    assert state(letter_id) == before
    response = api("mudur").post(f"{URL}{letter_id}/sign/")
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == LetterStatus.SIGNED
    assert response.json()["sayi"].startswith("E-")


def test_return_needs_a_comment(api, letter_id):
    submitted(api, letter_id)
    response = api("mudur").post(f"{URL}{letter_id}/return/", {"comment": " "}, format="json")
    assert response.status_code == 400 and "comment" in response.json()
    response = api("mudur").post(f"{URL}{letter_id}/return/", {"comment": "Düzeltin"})
    assert response.status_code == 200
    assert response.json()["status"] == LetterStatus.RETURNED


def test_external_signature_by_api(api, letter_id, people, pki):
    submitted(api, letter_id)
    people["mudur"].tckn = TCKN
    people["mudur"].save(update_fields=["tckn"])
    assert api("sef").post(f"{URL}{letter_id}/prepare-external/").status_code == 403
    response = api("mudur").post(f"{URL}{letter_id}/prepare-external/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    prepared = response.content
    url = f"{URL}{letter_id}/sign-external/"

    bad = api("mudur").post(url, {"file": SimpleUploadedFile("x.pdf", b"not a pdf")})
    assert bad.status_code == 400 and "file" in bad.json()
    missing = api("mudur").post(url, {}, format="multipart")
    assert missing.status_code == 400 and "file" in missing.json()
    unsigned = api("mudur").post(url, {"file": SimpleUploadedFile("x.pdf", prepared)})
    assert unsigned.status_code == 400 and "signature" in unsigned.json()["file"][0]
    assert Letter.objects.get(pk=letter_id).status == LetterStatus.IN_APPROVAL

    signed = raw_sign(prepared, pki.signer, [pki.interm])
    response = api("mudur").post(url, {"file": SimpleUploadedFile("imzali.pdf", signed)})
    assert response.status_code == 200, response.json()
    assert response.json()["status"] == LetterStatus.SIGNED


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({**BODY, "subject": "", "recipients": []}, "subject"),
        ({**BODY, "recipients": []}, "recipients"),
        ({**BODY, "recipients": [{"kind": "planet"}]}, "recipients"),
        (
            {**BODY, "recipients": [{"kind": "public_body", "name": "X", "identifier": "1"}]},
            "recipients",
        ),
        ({**BODY, "secrecy": "top", "recipients": [{"kind": "citizen", "name": "Ali"}]}, "secrecy"),
        (
            {**BODY, "references": [999999], "recipients": [{"kind": "citizen", "name": "Ali"}]},
            "references",
        ),
    ],
)
def test_bad_drafts_name_the_field(api, data, field):
    before = Letter.objects.count()
    response = api("memur").post(URL, data, format="json")
    assert response.status_code == 400 and field in response.json(), response.json()
    assert Letter.objects.count() == before


def test_someone_outside_any_directorate_cannot_draft(api):
    data = {**BODY, "recipients": [{"kind": "citizen", "name": "Ali"}]}
    assert api("baskan").post(URL, data, format="json").status_code == 403
