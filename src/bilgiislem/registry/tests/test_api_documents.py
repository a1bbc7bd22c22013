"""The registry API's documents over real HTTP: reading, registering, files, e-Yazışma import."""

# Fixtures come from test_api_fixtures by import, so test arguments shadow them by design.
# ruff: noqa: F811

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from bilgiislem.audit.models import AuditEvent
from bilgiislem.registry import services
from bilgiislem.registry.choices import FileRole, Purpose, Secrecy
from bilgiislem.registry.models import Document, DocumentFile, Routing

from .test_api_fixtures import (  # noqa: F401 - fixtures
    API,
    PDF,
    PNG,
    api,
    assert_refused,
    media,
    paper,
    pdf,
    rebuilt_sample,
    refusals,
    routed,
    sample_eyp,
    snapshot,
    yazi_doc,
)

pytestmark = pytest.mark.django_db

INCOMING = f"{API}/documents/incoming/"
OUTGOING = f"{API}/documents/outgoing/"
IMPORT = f"{API}/documents/import-eyp/"


def paper_payload(**changes):
    data = {
        "party_kind": "public_body",
        "party_name": "Sakarya Valiliği",
        "party_identifier": "",
        "sayi": "E-12345678-010.01-4752",
        "document_date": timezone.localdate().isoformat(),
        "subject": "Sunucu odası denetimi",
        "sdp_code": "010.01",
        "paper_location": "Kalem dolabı 3",
    }
    data.update(changes)
    return data


def days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


# --- reading --------------------------------------------------------------------------------


def test_list_shows_only_what_the_person_may_see(api, paper, yazi_doc):
    ids = {d["id"] for d in api("memur").get(f"{API}/documents/").json()["results"]}
    assert paper.pk in ids and yazi_doc.pk not in ids

    ids = {d["id"] for d in api("yaziisleri").get(f"{API}/documents/").json()["results"]}
    assert yazi_doc.pk in ids and paper.pk not in ids


def test_anonymous_reads_nothing(api, paper):
    assert api(None).get(f"{API}/documents/").status_code in (401, 403)
    assert api(None).get(f"{API}/documents/{paper.pk}/").status_code in (401, 403)


def test_token_authentication_works(paper, people):
    from rest_framework.authtoken.models import Token
    from rest_framework.test import APIClient

    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.create(user=people['memur'])}")
    assert client.get(f"{API}/documents/{paper.pk}/").status_code == 200
    client.credentials(HTTP_AUTHORIZATION="Token wrong")
    assert client.get(f"{API}/documents/{paper.pk}/").status_code in (401, 403)


def test_detail_outside_visibility_is_404(api, paper):
    assert api("yaziisleri").get(f"{API}/documents/{paper.pk}/").status_code == 404
    assert api("kalem").get(f"{API}/documents/99999999/").status_code == 404
    assert api("kalem").get(f"{API}/documents/99999999999999999999999/").status_code == 404


def test_full_text_search_folds_turkish_letters(api, people, units):
    for subject in ("İSTANBUL ŞİKAYET", "Işık arızası", "Ankara"):
        services.document_register(
            actor=people["kalem"],
            registry=units["bilgi-islem"],
            party_kind="person",
            party_name="Vatandaş",
            subject=subject,
        )
    client = api("kalem")

    def subjects(q):
        response = client.get(f"{API}/documents/", {"q": q})
        assert response.status_code == 200, response.content
        return {d["subject"] for d in response.json()["results"]}

    assert subjects("istanbul") == {"İSTANBUL ŞİKAYET"}
    assert subjects("sikayet") == {"İSTANBUL ŞİKAYET"}
    assert subjects("ışık") == {"Işık arızası"}


def test_list_filters_are_validated(api, paper):
    response = api("kalem").get(f"{API}/documents/", {"secrecy": "top_secret"})
    assert response.status_code == 400 and "secrecy" in response.json()
    response = api("kalem").get(f"{API}/documents/", {"registered_from": "31.02.2026"})
    assert response.status_code == 400 and "registered_from" in response.json()


def test_list_pages_by_fifty_with_bounded_queries(api, people, units):
    def register(n):
        for i in range(n):
            services.document_register(
                actor=people["kalem"],
                registry=units["bilgi-islem"],
                party_kind="person",
                party_name=f"Vatandaş {i}",
                subject=f"Dilekçe {i}",
            )

    client = api("mudur")
    register(3)
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"{API}/documents/").status_code == 200
    register(57)
    with CaptureQueriesContext(connection) as many:
        response = client.get(f"{API}/documents/")
    assert len(response.json()["results"]) == 50 and response.json()["count"] == 60
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_detail_has_everything_and_marks_the_routing_read(api, routed, people):
    services.note_add(actor=people["memur"], document=routed.document, text="Denetim yapıldı")
    response = api("memur").get(f"{API}/documents/{routed.document_id}/")

    assert response.status_code == 200
    body = response.json()
    assert body["number"] == routed.document.number_label
    assert [r["to_person"]["username"] for r in body["routings"]] == ["memur"]
    assert body["routings"][0]["read_at"] is not None
    assert body["notes"][0]["text"] == "Denetim yapıldı"
    assert {c["kind"] for c in body["custody"]} == {"electronic"}
    assert {"files", "annexes", "references", "paper_holder"} <= set(body)
    assert Routing.objects.get(pk=routed.pk).read_at is not None
    assert AuditEvent.objects.filter(action="registry.routing.read").count() == 1


def test_opening_a_secret_document_is_recorded(api, people, units):
    document = services.document_register(
        actor=people["kalem"],
        registry=units["bilgi-islem"],
        party_kind="person",
        party_name="Vatandaş",
        subject="Gizli şikâyet",
        secrecy=Secrecy.GIZLI,
    )
    assert api("memur").get(f"{API}/documents/{document.pk}/").status_code == 404
    response = api("mudur").get(f"{API}/documents/{document.pk}/")
    assert response.status_code == 200
    viewed = AuditEvent.objects.filter(action="registry.document.viewed", object_id=document.pk)
    assert viewed.count() == 1


# --- registering --------------------------------------------------------------------------


def test_kalem_registers_paper_by_json(api, units):
    response = api("kalem").post(INCOMING, paper_payload(), format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["medium"] == "paper" and body["direction"] == "incoming"
    assert body["registry"]["id"] == units["bilgi-islem"].pk
    assert body["number"]
    assert AuditEvent.objects.filter(
        action="registry.document.registered", object_id=body["id"]
    ).exists()


def test_registers_electronic_with_files_annexes_and_references(api, paper):
    annexes = [
        {"kind": "file", "description": "Keşif raporu", "file_index": 0},
        {"kind": "physical", "description": "İki adet CD"},
    ]
    references = [{"document": paper.pk}, {"sayi": "E-12345678-010.01-1", "date": days(-30)}]
    response = api("kalem").post(
        INCOMING,
        {
            **paper_payload(subject="Elektronik yazı"),
            "files": [pdf()],
            "annex_files": [pdf("ek.pdf")],
            "annexes": json.dumps(annexes),
            "references": json.dumps(references),
        },
        format="multipart",
    )

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["medium"] == "electronic"
    assert sorted((f["role"], f["filename"]) for f in body["files"]) == [
        ("annex", "ek.pdf"),
        ("main", "belge.pdf"),
    ]
    assert [a["kind"] for a in body["annexes"]] == ["file", "physical"]
    assert body["annexes"][0]["file"] is not None
    assert [r["referenced"] for r in body["references"]] == [paper.pk, None]


def test_registers_outgoing_with_its_sayi(api):
    response = api("kalem").post(
        OUTGOING, paper_payload(party_name="Sakarya Valiliği"), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()["direction"] == "outgoing"


@pytest.mark.parametrize(
    ("username", "expected"),
    [(None, (401, 403)), ("memur", 403), ("yaziisleri", 403), ("by2", 403)],
)
def test_who_may_not_register(api, units, username, expected):
    before = snapshot()
    payload = paper_payload(registry=units["bilgi-islem"].pk)
    response = api(username).post(INCOMING, payload, format="json")
    assert_refused(response, expected, before)
    if username and expected == 403:
        assert "detail" in response.json()


def test_refused_registration_is_recorded(api, units):
    before = refusals()
    api("memur").post(INCOMING, paper_payload(registry=units["bilgi-islem"].pk), format="json")
    assert refusals() == before + 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sayi": "12/34/ABC"}, "sayi"),
        ({"party_kind": "person", "party_identifier": "12345678901"}, "party_identifier"),
        ({"party_kind": "company", "party_identifier": "1234567891"}, "party_identifier"),
        ({"document_date": "2026-02-31"}, "document_date"),
        ({"document_date": "25.11.2026x"}, "document_date"),
        ({"document_date": days(3)}, "document_date"),
        ({"urgency": "gunludur", "urgency_date": days(-3)}, "urgency_date"),
        ({"urgency": "gunludur"}, "urgency_date"),
        ({"urgency": "someday"}, "urgency"),
        ({"secrecy": "top"}, "secrecy"),
        ({"subject": ""}, "subject"),
        ({"subject": "x" * 501}, "subject"),
        ({"party_name": "x" * 301}, "party_name"),
        ({"sayi": "E-" + "1" * 120}, "sayi"),
        ({"paper_location": "x" * 301}, "paper_location"),
        ({"registry": 99999999}, "registry"),
        ({"party_unit": "abc"}, "party_unit"),
        ({"references": [{"document": 99999999}]}, "references"),
        ({"references": [{}]}, "references"),
        ({"annexes": [{"kind": "file", "description": "Ek"}]}, "annexes"),
        ({"annexes": [{"kind": "physical", "description": "x" * 501}]}, "annexes"),
        ({"annexes": [{"kind": "file", "description": "Ek", "file_index": 3}]}, "annexes"),
        ({"medium": "electronic"}, "files"),
    ],
)
def test_bad_input_is_400_naming_the_field(api, changes, field):
    before = snapshot()
    response = api("kalem").post(INCOMING, paper_payload(**changes), format="json")
    assert_refused(response, 400, before)
    assert field in response.json(), response.json()


def test_outgoing_needs_a_current_sayi(api):
    before = snapshot()
    response = api("kalem").post(OUTGOING, paper_payload(sayi=""), format="json")
    assert_refused(response, 400, before)
    assert "sayi" in response.json()
    response = api("kalem").post(
        OUTGOING, paper_payload(sayi="12345678-010.01-E.1234"), format="json"
    )
    assert_refused(response, 400, before)


def test_a_reference_to_an_invisible_document_is_unknown(api, yazi_doc):
    before = snapshot()
    response = api("kalem").post(
        INCOMING, paper_payload(references=[{"document": yazi_doc.pk}]), format="json"
    )
    assert_refused(response, 400, before)
    assert "references" in response.json()


def test_bad_json_in_multipart_is_400(api):
    before = snapshot()
    response = api("kalem").post(INCOMING, {**paper_payload(), "annexes": "[{"}, format="multipart")
    assert_refused(response, 400, before)
    assert "annexes" in response.json()


@pytest.mark.parametrize(
    ("upload", "field"),
    [
        (pdf(content=b""), "files"),
        (pdf(content=b"<html><script>alert(1)</script></html>"), "files"),
        (pdf("belge.exe", content=b"MZ\x90\x00"), "files"),
        (pdf("resim.png", content=PDF), "files"),
    ],
)
def test_bad_files_are_refused_naming_the_field(api, upload, field):
    before = snapshot()
    response = api("kalem").post(
        INCOMING, {**paper_payload(), "files": [upload]}, format="multipart"
    )
    assert_refused(response, 400, before)
    assert field in response.json(), response.json()
    assert not DocumentFile.objects.exists()


def test_oversize_file_is_refused(api, settings):
    settings.BILGIISLEM_UPLOAD_MAX_BYTES = 64
    before = snapshot()
    big = pdf(content=PDF + b"0" * 100)
    response = api("kalem").post(INCOMING, {**paper_payload(), "files": [big]}, format="multipart")
    assert_refused(response, 400, before)
    assert "files" in response.json()
    response = api("kalem").post(
        INCOMING,
        {
            **paper_payload(),
            "annex_files": [big],
            "annexes": json.dumps([{"kind": "file", "description": "Ek", "file_index": 0}]),
        },
        format="multipart",
    )
    assert_refused(response, 400, before)
    assert "annex_files" in response.json()


def test_registry_must_be_chosen_by_someone_keeping_several(api, people, units):
    services.clerk_grant(
        actor=people["yaziisleri.mudur"],
        registry=units["yazi-isleri"],
        person=people["kalem"],
        start_date=timezone.localdate(),
    )
    before = snapshot()
    response = api("kalem").post(INCOMING, paper_payload(), format="json")
    assert_refused(response, 400, before)
    assert "registry" in response.json()
    response = api("kalem").post(
        INCOMING, paper_payload(registry=units["yazi-isleri"].pk), format="json"
    )
    assert response.status_code == 201
    assert response.json()["registry"]["id"] == units["yazi-isleri"].pk


# --- files --------------------------------------------------------------------------------


def _electronic(api):
    response = api("kalem").post(
        INCOMING,
        {**paper_payload(), "files": [pdf("Güvenlik Şartnamesi.pdf")]},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    return response.json()


def test_file_download_is_an_attachment(api):
    body = _electronic(api)
    url = body["files"][0]["download_url"]
    response = api("memur").get(url, HTTP_ACCEPT="application/pdf")

    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Disposition"].startswith("attachment;")
    assert "G%C3%BCvenlik" in response["Content-Disposition"]
    assert response["Content-Type"] == "application/pdf"
    assert response["X-Content-Type-Options"] == "nosniff"


def test_file_download_outside_visibility_or_document_is_404(api, paper):
    body = _electronic(api)
    file_id = body["files"][0]["id"]
    assert api("yaziisleri").get(body["files"][0]["download_url"]).status_code == 404
    other = f"{API}/documents/{paper.pk}/files/{file_id}/"
    assert api("kalem").get(other).status_code == 404
    assert api("kalem").get(f"{API}/documents/{body['id']}/files/99999999/").status_code == 404
    assert api(None).get(body["files"][0]["download_url"]).status_code in (401, 403)


# --- e-Yazışma ------------------------------------------------------------------------------


def _eyp(data: bytes, name="paket.eyp"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(name, data, content_type="application/octet-stream")


def test_official_sample_imports_with_its_metadata(api):
    response = api("kalem").post(IMPORT, {"file": _eyp(sample_eyp())}, format="multipart")

    assert response.status_code == 201, response.content
    body = response.json()
    assert body["subject"] == "e-Yazışma Test Paketi"
    assert body["party_kind"] == "public_body"
    assert body["party_name"].startswith("Türkiye Cumhuriyeti Cumhurbaşkanlığı")
    assert body["document_date"] == "2025-05-12"
    assert body["secrecy"] == "hizmete_ozel"
    assert body["urgency"] == "acele"
    assert body["sdp_code"] == "010.06.01"
    assert body["eyp_belge_id"] == "4F9E2E9B-F4E6-4428-8F99-2E0A0D1D42D9"
    roles = {f["role"] for f in body["files"]}
    assert {FileRole.EYP_PACKAGE, FileRole.MAIN} <= roles
    package = next(f for f in body["files"] if f["role"] == FileRole.EYP_PACKAGE)
    assert package["size"] == len(sample_eyp())
    assert len(body["annexes"]) == 5
    assert len(body["references"]) == 2


def test_the_same_package_is_not_registered_twice(api):
    assert (
        api("kalem").post(IMPORT, {"file": _eyp(sample_eyp())}, format="multipart").status_code
        == 201
    )
    before = snapshot()
    response = api("kalem").post(IMPORT, {"file": _eyp(sample_eyp())}, format="multipart")
    assert_refused(response, 400, before)
    assert "file" in response.json()


def _sample_part(name):
    import io
    import zipfile

    with zipfile.ZipFile(io.BytesIO(sample_eyp())) as archive:
        return archive.read(name)


@pytest.mark.parametrize("case", ["wrong_digest", "missing_part", "not_zip", "empty", "not_eyp"])
def test_a_bad_package_is_refused_with_reasons(api, case):
    if case == "wrong_digest":
        letter = bytearray(_sample_part("UstYazi/ustyazi.pdf"))
        letter[len(letter) // 2] ^= 0x01
        upload = _eyp(rebuilt_sample({"UstYazi/ustyazi.pdf": bytes(letter)}))
        expected = "digest of /UstYazi/ustyazi.pdf"
    elif case == "missing_part":
        upload = _eyp(rebuilt_sample({"Ekler/dosya1.pdf": None}))
        expected = "/Ekler/dosya1.pdf: missing part"
    elif case == "not_zip":
        upload = _eyp(b"%PDF-1.4 not a package")
        expected = ""
    elif case == "empty":
        upload = _eyp(b"")
        expected = ""
    else:
        upload = _eyp(sample_eyp(), name="paket.zip")
        expected = ""
    before = snapshot()

    response = api("kalem").post(IMPORT, {"file": upload}, format="multipart")

    assert_refused(response, 400, before)
    reasons = response.json()["file"]
    assert reasons and all(isinstance(r, str) for r in reasons)
    assert any(expected in r for r in reasons), reasons
    assert not DocumentFile.objects.exists()


def test_oversize_package_is_refused(api, settings):
    settings.BILGIISLEM_EYP_MAX_BYTES = 1024
    before = snapshot()
    response = api("kalem").post(IMPORT, {"file": _eyp(sample_eyp())}, format="multipart")
    assert_refused(response, 400, before)
    assert "file" in response.json()


@pytest.mark.parametrize(("username", "expected"), [(None, (401, 403)), ("memur", 403)])
def test_who_may_not_import(api, username, expected):
    before = snapshot()
    response = api(username).post(IMPORT, {"file": _eyp(sample_eyp())}, format="multipart")
    assert_refused(response, expected, before)


def test_png_is_not_a_pdf(api):
    """A file whose content does not match its name, as a note file."""
    before = snapshot()
    response = api("kalem").post(
        INCOMING, {**paper_payload(), "files": [pdf("scan.pdf", content=PNG)]}, format="multipart"
    )
    assert_refused(response, 400, before)
    assert "files" in response.json()


def test_document_rows_unchanged_by_reads(api, routed):
    before = Document.objects.filter(pk=routed.document_id).values().get()
    api("mudur").get(f"{API}/documents/{routed.document_id}/")
    assert Document.objects.filter(pk=routed.document_id).values().get() == before
    assert Routing.objects.get(pk=routed.pk).purpose == Purpose.ACTION
