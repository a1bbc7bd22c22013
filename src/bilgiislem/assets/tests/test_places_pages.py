"""Pages and API of sites, rooms, stores (with their content) and the code list (H-PLACES):
who reads (Bilgi İşlem staff; anyone for codes), who writes (kayıt yetkilisi, Director,
Chief; kayıt yetkilisi and Director for codes), bad input named by field, nothing changed."""

from decimal import Decimal

import pytest
from django.utils import timezone

from bilgiislem.assets.choices import AssetStatus
from bilgiislem.assets.models import Room, Site, StockItem, StockLot, Store, TasinirCode
from bilgiislem.assets.services.places import (
    room_create,
    site_update,
    store_durables,
    store_stock,
    store_update,
)
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError

from .conftest import tr

pytestmark = pytest.mark.django_db

JSON = "application/json"


@pytest.fixture
def filled_store(store, asset_factory, room, consumable_code, tasinir_code):
    """The store with 2 laptops in store, 1 in use, 1 in repair, 1 written off (not counted),
    and toner lots of 5 + 3 (one emptied lot of 0)."""
    for status in [AssetStatus.IN_STORE] * 2 + [
        AssetStatus.IN_USE,
        AssetStatus.IN_REPAIR,
        AssetStatus.WRITTEN_OFF,
    ]:
        asset_factory(status=status, room=room if status == AssetStatus.IN_USE else None)
    toner = StockItem.objects.create(code=consumable_code, name="Toner 85A")
    now = timezone.now()
    for quantity, remaining, price in ((5, 5, "100"), (3, 3, "120"), (4, 0, "90")):
        StockLot.objects.create(
            item=toner,
            store=store,
            received_at=now,
            quantity=quantity,
            remaining=remaining,
            unit_price=Decimal(price),
        )
    return store


def test_store_content_by_code_and_stock_on_hand(filled_store, tasinir_code):
    assert store_durables(filled_store) == [
        {
            "code": tasinir_code.code,
            "title": tasinir_code.title,
            "total": 4,
            "in_store": 2,
            "in_use": 1,
            "in_repair": 1,
            "lent": 0,
        }
    ]
    [toner] = store_stock(filled_store)
    assert (toner.name, toner.on_hand, toner.value_on_hand) == (
        "Toner 85A",
        Decimal("8"),
        Decimal("860.00"),
    )


def test_store_update_and_refusals(kayit, people, store, units, room):
    other = Store.objects.create(unit=units["bilgi-islem"], code="02", name="Yedek Ambar")
    store_update(actor=kayit, store=other, code="03", name="Yedek Ambar 3", room=room)
    other.refresh_from_db()
    assert (other.code, other.name, other.room) == ("03", "Yedek Ambar 3", room)
    event = AuditEvent.objects.filter(action="assets.store.updated").latest("seq")
    assert event.changes["code"] == ["02", "03"]
    for values, field in (
        ({"code": "01"}, "code"),
        ({"code": "1"}, "code"),
        ({"name": ""}, "name"),
    ):
        with pytest.raises(DomainError) as caught:
            store_update(actor=kayit, store=other, **values)
        assert list(caught.value.errors) == [field]
    with pytest.raises(DomainError) as caught:
        store_update(actor=kayit, store=other, unit=units["yazi-isleri"])
    assert list(caught.value.errors) == ["unit"]
    assert Store.objects.get(pk=other.pk).code == "03"


def test_no_room_at_a_site_out_of_use(kayit, site):
    site_update(actor=kayit, site=site, active=False)
    with pytest.raises(DomainError) as caught:
        room_create(actor=kayit, site=site, name="Yeni")
    assert list(caught.value.errors) == ["site"]
    assert caught.value.errors["site"] == [tr("This site is no longer in use.")]


# ---------------------------------------------------------------- pages


def test_pages_read_by_staff_404_for_others(client, client_as, filled_store, room, tasinir_code):
    site = room.site
    urls = [
        "/tasinir/mekanlar/",
        f"/tasinir/mekanlar/{site.pk}/",
        "/tasinir/ambarlar/",
        f"/tasinir/ambarlar/{filled_store.pk}/",
    ]
    assert client.get(urls[0]).status_code == 302
    for username in ("memur", "mudur"):
        c = client_as(username)
        for url in urls:
            assert c.get(url).status_code == 200, (username, url)
    other = client_as("yaziisleri")
    for url in [*urls, f"/tasinir/mekanlar/{site.pk}/duzenle/", f"/tasinir/oda/{room.pk}/duzenle/"]:
        assert other.get(url).status_code == 404, url
    # The code list is the official list: anyone logged in reads it.
    assert other.get("/tasinir/kodlar/?account=255").status_code == 200


def test_site_detail_shows_rooms_with_counts_and_store_shows_content(
    client_as, filled_store, room, shared_room, tasinir_code
):
    page = client_as("sef").get(f"/tasinir/mekanlar/{room.site_id}/").content.decode()
    assert f'data-room="{room.pk}"' in page and f'data-room="{shared_room.pk}"' in page
    assert 'data-count="1"' in page  # the laptop in use in room 204
    assert f"/tasinir/oda/{shared_room.pk}/liste/" in page
    assert f"/tasinir/ambarlar/{filled_store.pk}/" in page  # the store's room is at this site
    body = client_as("sef").get(f"/tasinir/ambarlar/{filled_store.pk}/").content.decode()
    assert f'data-code="{tasinir_code.code}"' in body and 'data-total="4"' in body
    assert 'data-on-hand="8"' in body


def test_site_and_room_forms(client_as, kayit, site, units):
    c = client_as("kalem")
    response = c.post("/tasinir/mekanlar/yeni/", {"kind": "park", "name": "Sahil Parkı"})
    park = Site.objects.get(name="Sahil Parkı")
    assert response.status_code == 302 and response["Location"] == f"/tasinir/mekanlar/{park.pk}/"
    again = c.post("/tasinir/mekanlar/yeni/", {"kind": "park", "name": "sahil parkı"})
    assert again.status_code == 200
    assert again.context["form"].errors["name"] == [tr("A site with this name exists.")]
    assert Site.objects.filter(name__iexact="sahil parkı").count() == 1

    response = c.post(
        f"/tasinir/mekanlar/{park.pk}/oda/yeni/",
        {"floor": "0", "name": "Kabin", "unit": units["yazi-isleri"].pk, "shared": "on"},
    )
    assert response.status_code == 302
    cabin = Room.objects.get(site=park)
    assert (cabin.unit, cabin.shared) == (units["yazi-isleri"], True)
    duplicate = c.post(f"/tasinir/mekanlar/{park.pk}/oda/yeni/", {"floor": "0", "name": "KABIN"})
    assert duplicate.context["form"].errors["name"] == [
        tr("This room exists on this floor of the site.")
    ]
    response = c.post(f"/tasinir/oda/{cabin.pk}/duzenle/", {"floor": "1", "name": "Kabin"})
    cabin.refresh_from_db()
    assert response.status_code == 302 and (cabin.floor, cabin.unit, cabin.shared) == (
        "1",
        None,
        False,
    )
    response = c.post(
        f"/tasinir/mekanlar/{park.pk}/duzenle/", {"kind": "park", "name": "Sahil Parkı"}
    )
    park.refresh_from_db()
    assert response.status_code == 302 and not park.active  # unticked: out of use
    assert c.get(f"/tasinir/mekanlar/{park.pk}/oda/yeni/").status_code == 200
    closed = c.post(f"/tasinir/mekanlar/{park.pk}/oda/yeni/", {"name": "Yeni"})
    assert closed.context["form"].non_field_errors() == [tr("This site is no longer in use.")]
    # Bilgi İşlem staff who are not managers: 403 on the forms.
    assert client_as("memur").get("/tasinir/mekanlar/yeni/").status_code == 403
    refused = client_as("memur").post(f"/tasinir/oda/{cabin.pk}/duzenle/", {"name": "X"})
    assert refused.status_code == 403 and Room.objects.get(pk=cabin.pk).name == "Kabin"


def test_store_forms(client_as, store, units, room):
    c = client_as("mudur")
    response = c.post(
        "/tasinir/ambarlar/yeni/",
        {"unit": units["bilgi-islem"].pk, "code": "02", "name": "Yedek", "room": room.pk},
    )
    spare = Store.objects.get(code="02")
    assert response.status_code == 302 and response["Location"] == f"/tasinir/ambarlar/{spare.pk}/"
    clash = c.post(
        "/tasinir/ambarlar/yeni/", {"unit": units["bilgi-islem"].pk, "code": "01", "name": "X"}
    )
    assert clash.context["form"].errors["code"] == [
        tr("This unit already has a store with this code.")
    ]
    edit = c.post(f"/tasinir/ambarlar/{spare.pk}/duzenle/", {"code": "01", "name": "Yedek"})
    assert edit.context["form"].errors["code"] == [
        tr("This unit already has a store with this code.")
    ]
    assert "unit" not in edit.context["form"].fields  # the spending unit is fixed
    c.post(f"/tasinir/ambarlar/{spare.pk}/duzenle/", {"code": "09", "name": "Yedek Ambar"})
    spare.refresh_from_db()
    assert (spare.code, spare.name, spare.room) == ("09", "Yedek Ambar", None)
    assert Store.objects.count() == 2


def test_code_pages(client_as, kayit, tasinir_code, consumable_code):
    listing = client_as("yaziisleri").get("/tasinir/kodlar/?q=255.02")
    assert [c.code for c in listing.context["page_obj"]] == [tasinir_code.code]
    assert "/tasinir/kodlar/yeni/" not in listing.content.decode()
    assert client_as("sef").get("/tasinir/kodlar/yeni/").status_code == 403
    c = client_as("kalem")
    response = c.post(
        "/tasinir/kodlar/yeni/",
        {"code": "255.02.02.02.01", "title": "Dizüstü (grafik)", "asset_kind": "laptop"},
    )
    assert response.status_code == 302
    made = TasinirCode.objects.get(code="255.02.02.02.01")
    assert (made.parent, made.asset_kind) == (tasinir_code, "laptop")
    bad = c.post("/tasinir/kodlar/yeni/", {"code": "999.01", "title": "X"})
    assert bad.context["form"].errors["code"] == [tr("A new code goes under a code of the list.")]
    response = c.post(
        f"/tasinir/kodlar/{tasinir_code.pk}/duzenle/",
        {"title": "Dizüstü bilgisayar", "asset_kind": "laptop"},
    )
    tasinir_code.refresh_from_db()
    assert response.status_code == 302
    assert (tasinir_code.asset_kind, tasinir_code.is_sample) == ("laptop", False)
    listing = c.get("/tasinir/kodlar/?account=255").content.decode()
    assert f"/tasinir/kodlar/{tasinir_code.pk}/duzenle/" in listing
    assert 'data-kind="laptop"' in listing
    form = c.get(f"/tasinir/kodlar/{consumable_code.pk}/duzenle/").context["form"]
    assert "asset_kind" not in form.fields  # consumables are stock, never assets


# ---------------------------------------------------------------- API


def test_api_reads_staff_only_and_store_content(client_as, filled_store, room, tasinir_code):
    sef = client_as("sef")
    content = sef.get(f"/api/assets/stores/{filled_store.pk}/content/")
    assert content.status_code == 200
    body = content.json()
    assert body["store"]["id"] == filled_store.pk
    assert body["durables"][0]["in_store"] == 2 and body["durables"][0]["total"] == 4
    assert [(r["name"], r["on_hand"]) for r in body["stock"]] == [("Toner 85A", "8.000")]
    other = client_as("yaziisleri")
    for url in (
        "/api/assets/sites/",
        f"/api/assets/sites/{room.site_id}/",
        "/api/assets/rooms/",
        f"/api/assets/stores/{filled_store.pk}/content/",
    ):
        assert other.get(url).status_code == 404, url
    patched = other.patch(f"/api/assets/rooms/{room.pk}/", {"name": "X"}, content_type=JSON)
    assert patched.status_code == 404
    codes = other.get("/api/assets/codes/?account=255").json()
    assert {c["code"] for c in codes["results"]} == {"255", tasinir_code.code}
    assert "asset_kind" in codes["results"][0]


def test_api_writes(client_as, kayit, store, room, units, tasinir_code):
    c = client_as("kalem")
    response = c.patch(
        f"/api/assets/rooms/{room.pk}/",
        {"name": "205", "shared": True, "unit": None},
        content_type=JSON,
    )
    assert response.status_code == 200, response.content
    assert (response.json()["name"], response.json()["unit"], response.json()["shared"]) == (
        "205",
        None,
        True,
    )
    bad = c.patch(f"/api/assets/rooms/{room.pk}/", {"unit": 999999}, content_type=JSON)
    assert bad.status_code == 400 and "unit" in bad.json()
    response = c.patch(
        f"/api/assets/stores/{store.pk}/", {"name": "Ana Ambar", "room": None}, content_type=JSON
    )
    assert response.status_code == 200 and response.json()["room"] is None
    bad = c.patch(f"/api/assets/stores/{store.pk}/", {"code": "ABC"}, content_type=JSON)
    assert bad.status_code == 400 and "code" in bad.json()
    bad = c.patch(f"/api/assets/stores/{store.pk}/", {"code": "0"}, content_type=JSON)
    assert bad.status_code == 400 and "code" in bad.json()
    assert Store.objects.get(pk=store.pk).code == "01"

    made = c.post(
        "/api/assets/codes/",
        {"code": "255.02.02.02.07", "title": "Tablet", "asset_kind": "laptop"},
        content_type=JSON,
    )
    assert made.status_code == 201 and made.json()["parent"] == tasinir_code.pk
    duplicate = c.post(
        "/api/assets/codes/", {"code": "255.02.02.02.07", "title": "X"}, content_type=JSON
    )
    assert duplicate.status_code == 400 and "code" in duplicate.json()
    changed = c.patch(
        f"/api/assets/codes/{tasinir_code.pk}/", {"asset_kind": "computer"}, content_type=JSON
    )
    assert changed.status_code == 200 and changed.json()["asset_kind"] == "computer"
    refused = client_as("sef").patch(
        f"/api/assets/codes/{tasinir_code.pk}/", {"title": "X"}, content_type=JSON
    )
    assert refused.status_code == 403
    refused = client_as("memur").patch(
        f"/api/assets/stores/{store.pk}/", {"name": "X"}, content_type=JSON
    )
    assert refused.status_code == 403 and Store.objects.get(pk=store.pk).name == "Ana Ambar"
