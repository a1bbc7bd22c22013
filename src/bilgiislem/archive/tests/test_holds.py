"""Legal holds (hukuki bloke, issue 5 point 6): placed and lifted with a reason, by the
Director of the unit or anyone above; audited; bad input named; through the services, the
API and the pages."""

import pytest
from rest_framework.test import APIClient

from bilgiislem.archive.models import LegalHold
from bilgiislem.archive.services.holds import legal_hold_lift, legal_hold_place
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from .conftest import person

API = "/api/archive/holds/"


@pytest.fixture
def folder(archived_folder):
    return archived_folder


def api(username):
    client = APIClient()
    client.force_login(person(username))
    return client


# --- services --------------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["mudur", "baskan.yardimcisi", "baskan"])
def test_the_director_or_above_places_and_lifts_a_hold(folder, username):
    hold = legal_hold_place(actor=person(username), folder=folder, reason="Dava 2026/41")
    assert (hold.folder, hold.reason, hold.placed_by) == (folder, "Dava 2026/41", person(username))
    placed = AuditEvent.objects.get(action="archive.hold.placed")
    assert placed.reason == "Dava 2026/41" and placed.object_id == str(hold.pk)
    legal_hold_lift(actor=person(username), hold=hold, reason="Karar kesinleşti")
    hold.refresh_from_db()
    assert hold.lifted_by == person(username) and hold.lift_reason == "Karar kesinleşti"
    assert AuditEvent.objects.get(action="archive.hold.lifted").reason == "Karar kesinleşti"


@pytest.mark.parametrize("username", ["sef", "arsiv", "memur", "yaziisleri.mudur", "by2"])
def test_others_cannot_place_a_hold(folder, username):
    """The Chief is below the Director; another directorate's Director or another Deputy
    Mayor is not above this unit."""
    with pytest.raises(PermissionDeniedError):
        legal_hold_place(actor=person(username), folder=folder, reason="Dava")
    assert not LegalHold.objects.exists()
    assert AuditEvent.objects.filter(action="archive.hold.refused").count() == 1


def test_a_hold_without_a_reason_is_refused_naming_reason(folder):
    with pytest.raises(DomainError) as exc:
        legal_hold_place(actor=person("mudur"), folder=folder, reason="   ")
    assert set(exc.value.errors) == {"reason"}
    assert not LegalHold.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="archive.hold").exists()


def test_a_hold_on_a_document(folder):
    document = folder.records.first().document
    hold = legal_hold_place(actor=person("mudur"), document=document, reason="İnceleme")
    assert hold.document == document and hold.folder is None


def test_lifting_needs_a_reason_and_happens_once(folder):
    hold = legal_hold_place(actor=person("mudur"), folder=folder, reason="Dava")
    with pytest.raises(DomainError) as exc:
        legal_hold_lift(actor=person("mudur"), hold=hold, reason="")
    assert "reason" in exc.value.errors
    with pytest.raises(PermissionDeniedError):
        legal_hold_lift(actor=person("sef"), hold=hold, reason="Bitti")
    legal_hold_lift(actor=person("mudur"), hold=hold, reason="Bitti")
    with pytest.raises(DomainError):
        legal_hold_lift(actor=person("mudur"), hold=hold, reason="Yine")
    assert AuditEvent.objects.filter(action="archive.hold.lifted").count() == 1


# --- API -------------------------------------------------------------------------------------


def test_api_places_lists_and_lifts(folder):
    response = api("mudur").post(API, {"folder": folder.pk, "reason": "Dava 9"}, format="json")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["folder"] == folder.pk and body["active"] is True
    listed = api("mudur").get(API, {"active": "true"}).json()
    assert [h["id"] for h in listed["results"]] == [body["id"]]
    lifted = api("mudur").post(f"{API}{body['id']}/lift/", {"reason": "Bitti"}, format="json")
    assert lifted.status_code == 200 and lifted.json()["active"] is False


def test_api_hold_without_a_reason_is_400_naming_reason(folder):
    response = api("mudur").post(API, {"folder": folder.pk, "reason": ""}, format="json")
    assert response.status_code == 400
    assert "reason" in response.json()
    assert not LegalHold.objects.exists()


def test_api_hold_on_a_folder_out_of_reach_is_400_naming_folder(folder):
    response = api("yaziisleri.mudur").post(
        API, {"folder": folder.pk, "reason": "Dava"}, format="json"
    )
    assert response.status_code == 400 and "folder" in response.json()
    response = api("mudur").post(API, {"folder": 999999, "reason": "Dava"}, format="json")
    assert response.status_code == 400 and "folder" in response.json()
    assert not LegalHold.objects.exists()


def test_api_hold_not_visible_is_404(folder):
    hold = legal_hold_place(actor=person("mudur"), folder=folder, reason="Dava")
    assert api("yazilim").get(f"{API}{hold.pk}/").status_code == 404
    response = api("yazilim").post(f"{API}{hold.pk}/lift/", {"reason": "x"}, format="json")
    assert response.status_code == 404
    hold.refresh_from_db()
    assert hold.lifted_at is None


# --- pages -----------------------------------------------------------------------------------


def test_pages_place_and_lift_a_hold(folder, client):
    client.force_login(person("mudur"))
    page = client.get("/arsiv/bloke/yeni/", {"folder": folder.pk})
    assert page.status_code == 200
    response = client.post("/arsiv/bloke/yeni/", {"folder": folder.pk, "reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert not LegalHold.objects.exists()
    response = client.post("/arsiv/bloke/yeni/", {"folder": folder.pk, "reason": "Dava 5"})
    assert response.status_code == 302
    hold = LegalHold.objects.get()
    listing = client.get("/arsiv/bloke/")
    assert "Dava 5" in listing.content.decode()
    response = client.post(f"/arsiv/bloke/{hold.pk}/kaldir/", {"reason": "Bitti"})
    assert response.status_code == 302
    hold.refresh_from_db()
    assert hold.lifted_at is not None


def test_pages_hide_holds_from_staff(folder, client):
    hold = legal_hold_place(actor=person("mudur"), folder=folder, reason="Dava")
    client.force_login(person("yazilim"))
    assert client.get("/arsiv/bloke/").status_code == 404
    assert client.get(f"/arsiv/bloke/{hold.pk}/kaldir/").status_code == 404
    assert client.get("/arsiv/bloke/yeni/").status_code == 403


def test_nothing_disposed_of_can_be_held(folder):
    from bilgiislem.archive.models import Folder

    Folder.objects.filter(pk=folder.pk).update(stage="disposed")
    folder.refresh_from_db()
    with pytest.raises(DomainError) as exc:
        legal_hold_place(actor=person("mudur"), folder=folder, reason="Dava")
    assert "folder" in exc.value.errors
