"""Fixity and export through real HTTP: the pages and the API, who gets 404, bad input → 400
naming the field with nothing changed, downloads that are valid bags."""

import io
import zipfile

import bagit
import pytest
from django.urls import reverse

from bilgiislem.archive.choices import FixityRunKind
from bilgiislem.archive.models import FixityIssue
from bilgiislem.archive.services import fixity
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core import storage
from bilgiislem.registry.models import DocumentFile
from bilgiislem.registry.tests.factories import english  # noqa: F401

pytestmark = pytest.mark.django_db


@pytest.fixture
def issue(archived_folder):
    sha = DocumentFile.objects.filter(document__archived_record__folder=archived_folder)[0].sha256
    storage.blob_path(sha).unlink()
    (found,) = fixity.fixity_run(FixityRunKind.FULL).new_issues
    return found


def _bag_from(response, tmp_path):
    content = b"".join(response.streaming_content)
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        archive.extractall(tmp_path / "x")
    (root,) = (tmp_path / "x").iterdir()
    return bagit.Bag(str(root))


# --- fixity pages ---------------------------------------------------------------------------


def test_fixity_page_for_the_director_only(client_as, client, issue):
    url = reverse("archive:fixity")
    assert client.get(url).status_code == 302  # anonymous: to the login page
    for username in ("memur", "arsiv", "yaziisleri.mudur", "baskan"):
        assert client_as(username).get(url).status_code == 404
    response = client_as("mudur").get(url)
    assert response.status_code == 200
    assert issue.sha256 in response.content.decode()


def test_resolve_on_the_page_needs_a_note(client_as, issue):
    url = reverse("archive:fixity-issue-resolve", args=[issue.pk])
    assert client_as("memur").post(url, {f"i{issue.pk}-resolution": "x"}).status_code == 404
    response = client_as("mudur").post(url, {f"i{issue.pk}-resolution": ""})
    assert response.status_code == 400
    assert "has-error" in response.content.decode()
    issue.refresh_from_db()
    assert issue.resolved_at is None
    response = client_as("mudur").post(url, {f"i{issue.pk}-resolution": "Yedekten geri yüklendi."})
    assert response.status_code == 302
    issue.refresh_from_db()
    assert issue.resolution == "Yedekten geri yüklendi."


def test_named_system_administrator_sees_the_page(client_as, settings, issue):
    settings.BILGIISLEM_FIXITY_ALERT_TO = ["yazilim"]
    assert client_as("yazilim").get(reverse("archive:fixity")).status_code == 200


# --- fixity API -----------------------------------------------------------------------------


def test_fixity_api(client_as, issue):
    url = reverse("archive-api:fixity")
    assert client_as("memur").get(url).status_code == 404
    data = client_as("mudur").get(url).json()
    assert data["coverage"]["open_issues"] == 1
    assert data["open_issues"][0]["sha256"] == issue.sha256
    assert data["open_issues"][0]["files"]
    assert data["runs"][0]["problems"] == 1
    runs = client_as("mudur").get(reverse("archive-api:fixity-run-list"), {"kind": "full"})
    assert runs.json()["count"] == 1
    issues_url = reverse("archive-api:fixity-issue-list")
    assert client_as("memur").get(issues_url).status_code == 404
    assert client_as("mudur").get(issues_url, {"open": "true"}).json()["count"] == 1


@pytest.mark.usefixtures("english")
def test_fixity_api_resolve(client_as, issue):
    url = reverse("archive-api:fixity-issue-resolve", args=[issue.pk])
    assert client_as("memur").post(url, {"resolution": "x"}).status_code == 404
    events = AuditEvent.objects.count()
    response = client_as("mudur").post(url, {"resolution": " "}, content_type="application/json")
    assert response.status_code == 400 and "resolution" in response.json()
    assert AuditEvent.objects.count() == events
    response = client_as("mudur").post(
        url, {"resolution": "Dosya yedekten alındı."}, content_type="application/json"
    )
    assert response.status_code == 200
    assert response.json()["resolved_by"] == "mudur"
    assert FixityIssue.objects.get().resolved_at is not None


# --- export page ----------------------------------------------------------------------------


def test_export_page_downloads_a_valid_bag(client_as, archived_folder, tmp_path):
    url = reverse("archive:export")
    assert client_as("memur").get(url).status_code == 404
    assert client_as("yaziisleri").get(url).status_code == 404
    page = client_as("arsiv").get(url, {"folder": archived_folder.pk})
    assert page.status_code == 200
    response = client_as("arsiv").post(url, {"folder": archived_folder.pk, "package": "zip"})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "attachment" in response["Content-Disposition"]
    loaded = _bag_from(response, tmp_path)
    assert loaded.validate() and loaded.info["Document-Count"] == "3"


def test_export_page_bad_input(client_as, archived_folder):
    url = reverse("archive:export")
    response = client_as("arsiv").post(url, {"package": "zip"})
    assert response.status_code == 400
    assert "form-errors" in response.content.decode()
    # A folder of another directorate's archive is not a choice.
    response = client_as("yaziisleri.mudur").post(url, {"folder": archived_folder.pk})
    assert response.status_code == 400
    response = client_as("arsiv").post(url, {"year": 1990, "package": "zip"})
    assert response.status_code == 400
    assert "form-errors" in response.content.decode()
    assert not AuditEvent.objects.filter(action="archive.bag.exported").exists()


# --- export API -----------------------------------------------------------------------------


def test_export_api(client_as, archived_folder, tmp_path):
    url = reverse("archive-api:export")
    folder = {"folder": archived_folder.pk}
    assert client_as("memur").get(url, folder).status_code == 404
    assert client_as("yaziisleri.mudur").get(url, folder).status_code == 404
    assert client_as("mudur").get(url, {"unit": "no-such-unit"}).status_code == 404
    assert client_as("mudur").get(url, {"unit": "yazi-isleri"}).status_code == 404
    response = client_as("mudur").get(url, {**folder, "package": "zip"})
    assert response.status_code == 200
    assert _bag_from(response, tmp_path).validate()
    tarred = client_as("arsiv").get(url, {"year": archived_folder.year, "package": "tar"})
    assert tarred.status_code == 200 and tarred["Content-Type"] == "application/x-tar"
    assert AuditEvent.objects.filter(action="archive.bag.exported").count() == 2


@pytest.mark.usefixtures("english")
def test_export_api_bad_input(client_as, archived_folder):
    url = reverse("archive-api:export")
    response = client_as("arsiv").get(url)
    assert response.status_code == 400 and "folder" in response.json()
    response = client_as("arsiv").get(url, {"year": "abc"})
    assert response.status_code == 400 and "year" in response.json()
    response = client_as("arsiv").get(url, {"year": 1990})
    assert response.status_code == 400
    assert not AuditEvent.objects.filter(action="archive.bag.exported").exists()
