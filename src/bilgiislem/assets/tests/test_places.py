"""Sites, rooms and stores: who records them, duplicates named by field, the API."""

import pytest

from bilgiislem.assets.models import Room, Site, Store
from bilgiislem.assets.services.places import room_create, site_create, store_create
from bilgiislem.core.errors import DomainError, PermissionDeniedError

pytestmark = pytest.mark.django_db


def test_services_and_refusals(people, units, kayit):
    site = site_create(actor=kayit, kind="park", name="Sahil Parkı")
    with pytest.raises(DomainError) as caught:
        site_create(actor=people["sef"], kind="park", name="sahil parkı")
    assert list(caught.value.errors) == ["name"]
    with pytest.raises(PermissionDeniedError):
        site_create(actor=people["memur"], kind="park", name="Başka Park")
    room_create(actor=kayit, site=site, floor="0", name="Kabin")
    with pytest.raises(DomainError) as caught:
        room_create(actor=kayit, site=site, floor="0", name="kabin")
    assert list(caught.value.errors) == ["name"]
    store_create(actor=people["mudur"], unit=units["bilgi-islem"], code="02", name="Yedek")
    with pytest.raises(DomainError) as caught:
        store_create(actor=kayit, unit=units["bilgi-islem"], code="2", name="Hatalı")
    assert list(caught.value.errors) == ["code"]
    assert (Site.objects.count(), Room.objects.count(), Store.objects.count()) == (1, 1, 1)


def test_api(client_as, units):
    client = client_as("sef")
    site = client.post(
        "/api/assets/sites/",
        {"kind": "building", "name": "Ek Bina"},
        content_type="application/json",
    )
    assert site.status_code == 201, site.content
    room = client.post(
        "/api/assets/rooms/",
        {"site": site.json()["id"], "name": "12", "unit": units["yazi-isleri"].pk},
        content_type="application/json",
    )
    assert room.status_code == 201 and room.json()["unit"] == units["yazi-isleri"].pk
    bad = client.post(
        "/api/assets/rooms/", {"site": 999999, "name": "13"}, content_type="application/json"
    )
    assert bad.status_code == 400 and "site" in bad.json()
    store = client.post(
        "/api/assets/stores/",
        {"unit": units["bilgi-islem"].pk, "code": "03", "name": "Ambar 3"},
        content_type="application/json",
    )
    assert store.status_code == 201
    assert client.get(f"/api/assets/rooms/?site={site.json()['id']}").json()["count"] == 1
    refused = client_as("yaziisleri").post(
        "/api/assets/sites/", {"kind": "park", "name": "Park"}, content_type="application/json"
    )
    assert refused.status_code == 403
    assert client_as("yaziisleri").get("/api/assets/codes/").status_code == 200
