"""API for annexes and dispatch: real HTTP, the person's visibility, bad input names its field."""

import pytest
from rest_framework.test import APIClient

from bilgiislem.correspondence.models import Dispatch, Letter
from bilgiislem.registry.models import Custody

from .dispatching import PDF_ANNEX, draft, pdf_upload, signed_letter

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "server_key")]

URL = "/api/correspondence/letters/"


@pytest.fixture
def server_key(settings, tmp_path, pki):
    """Files in a fresh store and the test signer as the server's signing key."""
    settings.MEDIA_ROOT = tmp_path
    for name, data in {
        "key.pem": pki.signer.key_pem,
        "cert.pem": pki.signer.cert_pem,
        "interm.pem": pki.interm.cert_pem,
    }.items():
        (tmp_path / name).write_bytes(data)
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
        client.force_login(people[username])
        return client

    return _client


def test_annexes_of_a_draft(api, people):
    letter = draft(people)
    memur, base = api("memur"), f"{URL}{letter.pk}/annexes/"
    created = memur.post(
        base, {"kind": "file", "description": "Teknik Şartname", "file": pdf_upload()}
    )
    assert created.status_code == 201, created.json()
    body = created.json()
    assert (body["kind"], body["filename"], body["size"]) == (
        "file",
        "teknik şartname.pdf",
        len(PDF_ANNEX),
    )
    assert memur.post(base, {"kind": "physical", "description": "İki adet CD"}).status_code == 201
    link = {"kind": "external", "description": "Rapor", "url": "https://www.karasu.bel.tr/r.pdf"}
    assert memur.post(base, link, format="json").status_code == 201

    listed = memur.get(base).json()
    assert [a["description"] for a in listed] == ["Teknik Şartname", "İki adet CD", "Rapor"]
    download = memur.get(body["download_url"])
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF_ANNEX
    assert download["Content-Type"] == "application/pdf"

    moved = memur.post(f"{base}{listed[2]['id']}/move/", {"position": 1}, format="json")
    assert [a["description"] for a in moved.json()] == ["Rapor", "Teknik Şartname", "İki adet CD"]
    assert memur.delete(f"{base}{listed[1]['id']}/").status_code == 204
    assert [a["description"] for a in memur.get(base).json()] == ["Rapor", "Teknik Şartname"]
    letter.refresh_from_db()
    assert letter.version == 6

    assert api("sef").post(base, {"kind": "physical", "description": "CD"}).status_code == 403
    for call in (lambda c: c.get(base), lambda c: c.get(body["download_url"])):
        assert call(api("yazilim")).status_code == 404
    assert api("yazilim").delete(f"{base}{listed[0]['id']}/").status_code == 404
    assert letter.annexes.count() == 2


@pytest.mark.parametrize(
    ("given", "field"),
    [
        ({"description": "CD"}, "kind"),
        ({"kind": "file", "description": "Şartname"}, "file"),
        ({"kind": "external", "description": "Rapor"}, "url"),
        ({"kind": "physical"}, "description"),
    ],
)
def test_bad_annex_input_is_400_naming_the_field(api, people, given, field):
    letter = draft(people)
    response = api("memur").post(f"{URL}{letter.pk}/annexes/", given)
    assert response.status_code == 400
    assert field in response.json(), response.json()
    assert Letter.objects.get(pk=letter.pk).version == 1 and not letter.annexes.exists()


def test_eyp_export_and_download(api, people, units, pki):
    letter = signed_letter(people, units, pki)
    governorship = letter.recipients.get(kind="governorship")
    eyp = f"{URL}{letter.pk}/recipients/{governorship.pk}/eyp/"
    assert api("memur").get(eyp).status_code == 404  # nothing made yet
    made = api("memur").post(eyp)
    assert made.status_code == 201, made.json()
    assert made.json()["method"] == "eyp" and made.json()["download_url"] == eyp
    again = api("sef").post(eyp)
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]

    download = api("mudur").get(eyp, HTTP_ACCEPT="application/eyazisma")
    assert download.status_code == 200
    assert download["Content-Type"] == "application/eyazisma"
    assert f'filename="{letter.sayi}.eyp"' in download["Content-Disposition"]
    data = b"".join(download.streaming_content)
    assert data.startswith(b"PK") and len(data) == made.json()["package_size"]

    internal = letter.recipients.filter(kind="internal").first()
    refused = api("memur").post(f"{URL}{letter.pk}/recipients/{internal.pk}/eyp/")
    assert refused.status_code == 400 and "recipient" in refused.json()
    unsigned = draft(people)
    refused = api("memur").post(
        f"{URL}{unsigned.pk}/recipients/{unsigned.recipients.get().pk}/eyp/"
    )
    assert refused.status_code == 400 and "letter" in refused.json()
    other = f"{URL}{letter.pk}/recipients/{unsigned.recipients.get().pk}/eyp/"
    assert api("memur").post(other).status_code == 404
    assert api("yazilim").get(eyp).status_code == 404
    assert api("yazilim").post(eyp).status_code == 404
    assert Dispatch.objects.count() == 1


def test_paper_dispatch_and_the_list(api, people, units, pki):
    letter = signed_letter(people, units, pki)
    company = letter.recipients.get(kind="company")
    paper = f"{URL}{letter.pk}/recipients/{company.pk}/paper/"
    refused = api("sef").post(paper, {}, format="json")
    assert refused.status_code == 400 and "courier" in refused.json()
    refused = api("sef").post(paper, {"courier": 999999}, format="json")
    assert refused.status_code == 400 and "courier" in refused.json()
    refused = api("sef").post(paper, {"courier_name": "x" * 201}, format="json")
    assert refused.status_code == 400 and "courier_name" in refused.json()
    assert not Dispatch.objects.exists()

    made = api("sef").post(paper, {"courier": people["kalem"].pk}, format="json")
    assert made.status_code == 201, made.json()
    assert made.json()["courier"] == people["kalem"].pk
    assert Custody.objects.get(document=letter.document).holder == people["kalem"]
    posted = api("memur").post(
        paper, {"courier_name": "PTT", "tracking_number": "RR1TR"}, format="json"
    )
    assert posted.status_code == 201
    listed = api("mudur").get(f"{URL}{letter.pk}/dispatches/").json()
    assert [(d["method"], d["courier_name"], d["recipient_name"]) for d in listed] == [
        ("paper", "", "Örnek Bilişim A.Ş."),
        ("paper", "PTT", "Örnek Bilişim A.Ş."),
    ]
    assert api("yazilim").get(f"{URL}{letter.pk}/dispatches/").status_code == 404
    assert api("yazilim").post(paper, {"courier_name": "PTT"}, format="json").status_code == 404
