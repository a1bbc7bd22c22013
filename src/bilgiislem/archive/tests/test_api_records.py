"""The archive API, records part, over real HTTP: the file plan, folders, labels, filing,
archiving, corrections and re-evaluation; bad input answers 400 naming the field, what the
person may not see answers 404."""

import datetime

import pytest
import time_machine
from rest_framework.test import APIClient

from bilgiislem.archive.models import ArchivedRecord, FilePlanVersion, Filing, Folder
from bilgiislem.archive.services import file_plan_load_rows
from bilgiislem.audit.models import AuditEvent
from bilgiislem.registry.tests.factories import register

from .conftest import at, done_document, person

pytestmark = pytest.mark.django_db
API = "/api/archive"


@pytest.fixture
def api(db):
    def _client(username):
        client = APIClient()
        if username is not None:
            client.force_login(person(username))
        return client

    return _client


def snapshot():
    return (
        Filing.objects.count(),
        Folder.objects.count(),
        ArchivedRecord.objects.count(),
        AuditEvent.objects.exclude(action__endswith="_refused").count(),
    )


# --- file plan -------------------------------------------------------------------------------


def test_plan_codes_list_search_and_detail(api, file_plan):
    client = api("memur")
    listed = client.get(f"{API}/file-plan/codes/").json()
    assert listed["count"] == file_plan.codes.count()
    found = client.get(f"{API}/file-plan/codes/", {"q": "bilgi islem"}).json()
    assert {c["code"] for c in found["results"]} >= {"700", "700.01"}
    detail = client.get(f"{API}/file-plan/codes/700.01/").json()
    assert detail["parent"] == "700" and detail["disposition"] == "destroy"
    assert detail["disposition_letter"] == "D" and detail["is_sample"] is True
    assert detail["unit_years"] == 2 and detail["institution_years"] == 8
    header = client.get(f"{API}/file-plan/codes/600-699/").json()
    assert header["is_header"] is True and header["unit_years"] is None
    assert client.get(f"{API}/file-plan/codes/999.99/").status_code == 404
    versions = client.get(f"{API}/file-plan/versions/").json()
    assert versions["results"][0]["id"] == file_plan.pk
    assert api(None).get(f"{API}/file-plan/codes/").status_code in (401, 403)


def test_plan_codes_of_another_version(api, file_plan):
    rows = [
        {"code": "700", "title": "Bilgi İşlem", "unit": 1, "institution": 1, "disposition": "D"}
    ]
    version = file_plan_load_rows(rows, name="Deneme", effective_from="2030-01-01").version
    client = api("memur")
    data = client.get(f"{API}/file-plan/codes/", {"version": version.pk}).json()
    assert [c["code"] for c in data["results"]] == ["700"]
    assert client.get(f"{API}/file-plan/codes/", {"version": 999999}).status_code == 404


# --- folders ---------------------------------------------------------------------------------


def test_folders_are_scoped_by_unit(api, archived_folder):
    url = f"{API}/folders/{archived_folder.pk}/"
    for username in ("arsiv", "memur", "mudur", "baskan"):
        data = api(username).get(url).json()
        assert data["code"] == "700.01" and data["year"] == 2025
        assert data["retention_until"] == 2035 and data["disposition"] == "destroy"
        assert len(data["filings"]) == 3 and data["hidden_documents"] == 0
    assert api("yaziisleri").get(url).status_code == 404
    assert api("yaziisleri").get(f"{API}/folders/").json()["count"] == 0
    assert api("memur").get(f"{API}/folders/", {"year": 2025, "code": "700"}).json()["count"] == 1
    assert api("memur").get(f"{API}/folders/", {"stage": "active"}).json()["count"] == 0
    assert api("memur").get(f"{API}/folders/", {"q": "genel yazisma"}).json()["count"] == 1


def test_a_secret_document_stays_hidden_in_a_visible_folder(api, archived_folder, archive_media):
    from bilgiislem.archive.services import record_archive

    with time_machine.travel(at(datetime.date(2025, 5, 5)), tick=False):
        secret = done_document(subject="Gizli rapor", secrecy="gizli", worker="sef")
        record_archive(actor=person("mudur"), document=secret)
    data = api("memur").get(f"{API}/folders/{archived_folder.pk}/").json()
    assert len(data["filings"]) == 3 and data["hidden_documents"] == 1
    assert secret.pk not in [f["document"]["id"] for f in data["filings"]]
    record = ArchivedRecord.objects.get(document=secret)
    assert api("memur").get(f"{API}/records/{record.pk}/").status_code == 404
    assert api("mudur").get(f"{API}/records/{record.pk}/").status_code == 200


def test_folder_label_pdf(api, archived_folder):
    response = api("arsiv").get(
        f"{API}/folders/{archived_folder.pk}/label/", {"per_page": 4}, HTTP_ACCEPT="application/pdf"
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert api("yaziisleri").get(f"{API}/folders/{archived_folder.pk}/label/").status_code == 404


# --- filing and archiving --------------------------------------------------------------------


@pytest.mark.parametrize("code", ["999", "600-699", "020", ""])
def test_filing_under_a_bad_code_is_400_naming_sdp_code(api, file_plan, code):
    document = register(sdp_code="")
    before = snapshot()
    response = api("kalem").post(
        f"{API}/documents/{document.pk}/file/", {"sdp_code": code}, format="json"
    )
    assert response.status_code == 400
    assert "sdp_code" in response.json()
    assert snapshot() == before


def test_a_copy_under_a_section_heading_is_400(api, file_plan):
    document = register(sdp_code="700.01")
    before = snapshot()
    response = api("kalem").post(
        f"{API}/documents/{document.pk}/file-copy/", {"sdp_code": "700-799"}, format="json"
    )
    assert response.status_code == 400 and "sdp_code" in response.json()
    assert snapshot() == before


def test_filing_a_document_one_may_not_see_is_404(api, file_plan):
    document = register(sdp_code="700.01")
    before = snapshot()
    for path in ("file", "file-copy", "archive"):
        response = api("yaziisleri").post(
            f"{API}/documents/{document.pk}/{path}/", {"sdp_code": "020"}, format="json"
        )
        assert response.status_code == 404
    assert api("yaziisleri").get(f"{API}/documents/{document.pk}/filings/").status_code == 404
    assert snapshot() == before


def test_filing_a_visible_document_without_the_right_is_403(api, file_plan):
    document = register(sdp_code="700.01")
    response = api("memur").post(f"{API}/documents/{document.pk}/file/", {}, format="json")
    assert response.status_code == 403
    assert not Filing.objects.filter(document=document).exists()


def test_filing_copy_and_archiving(api, file_plan, archive_media):
    with time_machine.travel(at(datetime.date(2026, 3, 2)), tick=False):
        document = done_document()
    client = api("arsiv")
    filed = client.post(f"{API}/documents/{document.pk}/file/", {}, format="json")
    assert filed.status_code == 201
    assert filed.json()["is_main"] is True and filed.json()["folder"]["code"] == "700.01"
    copy = client.post(
        f"{API}/documents/{document.pk}/file-copy/", {"sdp_code": "020"}, format="json"
    )
    assert copy.status_code == 201 and copy.json()["is_main"] is False
    archived = client.post(f"{API}/documents/{document.pk}/archive/", {}, format="json")
    assert archived.status_code == 201
    record_id = archived.json()["id"]
    assert len(archived.json()["manifest_sha256"]) == 64
    filings = client.get(f"{API}/documents/{document.pk}/filings/").json()
    assert [f["is_main"] for f in filings] == [True, False]
    assert filings[0]["archived_record"] == record_id
    again = client.post(f"{API}/documents/{document.pk}/archive/", {}, format="json")
    assert again.status_code == 400 and "document" in again.json()
    detail = client.get(f"{API}/records/{record_id}/").json()
    assert detail["manifest_matches"] is True
    assert detail["files"][0]["sha256"] == document.files.get().sha256
    assert client.get(f"{API}/records/").json()["count"] == 1


def test_archiving_an_open_document_is_400(api, file_plan):
    document = register(sdp_code="700.01")
    response = api("arsiv").post(f"{API}/documents/{document.pk}/archive/", {}, format="json")
    assert response.status_code == 400 and "document" in response.json()
    assert not ArchivedRecord.objects.exists()


# --- corrections, re-evaluation, closing -----------------------------------------------------


def test_corrections_over_the_api(api, archived_folder):
    record = archived_folder.records.order_by("id").first()
    correction = register(subject="Düzeltme")
    url = f"{API}/records/{record.pk}/corrections/"
    client = api("arsiv")
    bad = client.post(url, {"correction_document": correction.pk, "reason": ""}, format="json")
    assert bad.status_code == 400 and "reason" in bad.json()
    other = register(actor="yaziisleri", registry="yazi-isleri", subject="Başka")
    hidden = client.post(url, {"correction_document": other.pk, "reason": "x"}, format="json")
    assert hidden.status_code == 400 and "correction_document" in hidden.json()
    made = client.post(url, {"correction_document": correction.pk, "reason": "x"}, format="json")
    assert made.status_code == 201 and made.json()["correction"]["id"] == correction.pk
    detail = client.get(f"{API}/records/{record.pk}/").json()
    assert [c["correction"]["id"] for c in detail["corrections"]] == [correction.pk]
    assert api("yaziisleri").post(url, {}, format="json").status_code == 404


def test_reevaluation_over_the_api(api, archived_folder):
    rows = [{"code": "700.01", "title": "Genel", "unit": 3, "institution": 12, "disposition": "C"}]
    version = file_plan_load_rows(rows, name="Yeni", effective_from="2026-06-01").version
    url = f"{API}/folders/{archived_folder.pk}/reevaluate/"
    refused = api("arsiv").post(url, {"version": version.pk, "reason": "x"}, format="json")
    assert refused.status_code == 403
    missing = api("mudur").post(url, {"version": version.pk, "reason": ""}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    unknown = api("mudur").post(url, {"version": 999999, "reason": "x"}, format="json")
    assert unknown.status_code == 400 and "version" in unknown.json()
    done = api("mudur").post(url, {"version": version.pk, "reason": "Yeni SDP"}, format="json")
    assert done.status_code == 200
    assert done.json()["retention_until"] == 2040 and done.json()["plan_version"] == version.pk
    assert FilePlanVersion.objects.count() == 2


def test_close_year_over_the_api(api, file_plan):
    this_year = datetime.date.today().year
    response = api("arsiv").post(f"{API}/folders/close-year/", {"year": this_year}, format="json")
    assert response.status_code == 400 and "year" in response.json()
    response = api("arsiv").post(f"{API}/folders/close-year/", {"year": 2020}, format="json")
    assert response.status_code == 200 and response.json() == {"closed": 0}
    assert api("memur").post(f"{API}/folders/close-year/", {"year": 2020}).status_code == 403
