"""The asset register: sicil numbers, duplicates, corrections, moves, history (services and
API), and who may see an asset (404 otherwise)."""

import datetime

import pytest

from bilgiislem.assets.choices import AssetKind, AssetStatus
from bilgiislem.assets.models import Asset, AssetSequence
from bilgiislem.assets.selectors import asset_history
from bilgiislem.assets.services.register import asset_move, asset_register, asset_update
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from .conftest import tr

pytestmark = pytest.mark.django_db


def _register(kayit, tasinir_code, store, **extra):
    extra.setdefault("entry_date", datetime.date(2026, 3, 2))
    return asset_register(
        actor=kayit, code=tasinir_code, kind=AssetKind.LAPTOP, store=store, **extra
    )


def test_sicil_is_code_year_and_sequence(kayit, tasinir_code, store):
    first = _register(kayit, tasinir_code, store, serial_number="SN1")
    second = _register(kayit, tasinir_code, store)
    next_year = _register(kayit, tasinir_code, store, entry_date=datetime.date(2027, 1, 4))
    assert first.sicil_no == "255.02.02.02-26-00001"
    assert second.sicil_no == "255.02.02.02-26-00002"
    assert next_year.sicil_no == "255.02.02.02-27-00001"
    assert first.status == AssetStatus.IN_STORE and first.is_storage_medium
    event = AuditEvent.objects.get(action="assets.asset.registered", object_id=str(first.pk))
    assert event.changes["sicil_no"] == first.sicil_no and event.actor == kayit


def test_existing_sicil_kept_and_counter_raised(kayit, tasinir_code, store):
    taken = _register(kayit, tasinir_code, store, sicil_no="255.02.02.02-26-00040")
    assert (taken.entry_year, taken.sequence) == (2026, 40)
    assert _register(kayit, tasinir_code, store).sicil_no == "255.02.02.02-26-00041"


def test_duplicate_sicil_refused_naming_the_field(kayit, tasinir_code, store):
    first = _register(kayit, tasinir_code, store)
    before = Asset.objects.count(), AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        _register(kayit, tasinir_code, store, sicil_no=first.sicil_no)
    assert caught.value.errors == {"sicil_no": [tr("This sicil number exists.")]}
    assert (Asset.objects.count(), AuditEvent.objects.count()) == before


def test_malformed_sicil_and_consumable_code_refused(kayit, tasinir_code, consumable_code, store):
    with pytest.raises(DomainError) as caught:
        _register(kayit, tasinir_code, store, sicil_no="253.02.01-26-00001")
    assert "sicil_no" in caught.value.errors
    with pytest.raises(DomainError) as caught:
        _register(kayit, consumable_code, store)
    assert "code" in caught.value.errors
    assert not Asset.objects.exists()


def test_only_the_officer_or_the_director_registers(people, tasinir_code, store):
    with pytest.raises(PermissionDeniedError):
        _register(people["memur"], tasinir_code, store)
    assert _register(people["mudur"], tasinir_code, store).sequence == 1
    assert not AssetSequence.objects.filter(last_number__gt=1).exists()


def test_correct_and_move_are_in_the_history(kayit, tasinir_code, store, room):
    asset = _register(kayit, tasinir_code, store)
    asset_update(actor=kayit, asset=asset, serial_number=" PF-123 ", make="Lenovo")
    with pytest.raises(DomainError) as caught:
        asset_update(actor=kayit, asset=asset, value=1)
    assert list(caught.value.errors) == ["value"]
    asset_move(actor=kayit, asset=asset, room=room, reason="Kullanıma verildi")
    with pytest.raises(DomainError) as caught:
        asset_move(actor=kayit, asset=asset, room=room)
    assert list(caught.value.errors) == ["room"]
    asset.refresh_from_db()
    assert asset.serial_number == "PF-123" and asset.room == room
    assert asset.status == AssetStatus.IN_USE
    actions = [e.action for e in asset_history(asset)]
    assert actions == ["assets.asset.registered", "assets.asset.updated", "assets.asset.moved"]


def test_visibility_staff_unit_holder_and_404(client_as, people, asset_factory, room, other_room):
    ours = asset_factory(room=room)
    theirs = asset_factory(room=other_room)
    held = asset_factory(holder=people["by2"])
    memur = client_as("memur")  # Bilgi İşlem staff: everything
    assert memur.get(f"/tasinir/{theirs.pk}/").status_code == 200
    unit = client_as("yaziisleri")  # Yazı İşleri: only its room's asset
    assert unit.get(f"/tasinir/{theirs.pk}/").status_code == 200
    assert unit.get(f"/tasinir/{ours.pk}/").status_code == 404
    assert unit.get(f"/api/assets/assets/{ours.pk}/").status_code == 404
    listed = {row["id"] for row in unit.get("/api/assets/assets/").json()["results"]}
    assert listed == {theirs.pk}
    holder = client_as("by2")
    assert holder.get(f"/tasinir/{held.pk}/").status_code == 200
    assert holder.get(f"/tasinir/{theirs.pk}/").status_code == 404


def test_list_filters(client_as, asset_factory, room, other_room, consumable_code):
    in_room = asset_factory(room=room, status=AssetStatus.IN_USE, kind=AssetKind.MONITOR)
    stored = asset_factory()
    gone = asset_factory(status=AssetStatus.WRITTEN_OFF)
    client = client_as("memur")

    def ids(query):
        return {r["id"] for r in client.get(f"/api/assets/assets/?{query}").json()["results"]}

    assert ids("") == {in_room.pk, stored.pk}
    assert ids("status=all") == {in_room.pk, stored.pk, gone.pk}
    assert ids(f"room={room.pk}") == {in_room.pk}
    assert ids("room=store") == {stored.pk}
    assert ids(f"site={room.site_id}") == {in_room.pk}
    assert ids("kind=monitor") == {in_room.pk}
    assert ids("code=255.02") == {in_room.pk, stored.pk}
    assert ids("code=255.02.0") == set()
    page = client.get(f"/tasinir/?room={room.pk}")
    assert page.status_code == 200
    assert in_room.sicil_no in page.text and stored.sicil_no not in page.text


def test_api_register_duplicate_400_and_nothing_changed(client_as, kayit, tasinir_code, store):
    client = client_as("kalem")
    body = {"code": tasinir_code.code, "kind": "laptop", "store": store.pk, "value": "25000.00"}
    made = client.post("/api/assets/assets/", body, content_type="application/json")
    assert made.status_code == 201, made.content
    sicil = made.json()["sicil_no"]
    before = Asset.objects.count(), AuditEvent.objects.count()
    again = client.post(
        "/api/assets/assets/", {**body, "sicil_no": sicil}, content_type="application/json"
    )
    assert again.status_code == 400
    assert again.json() == {"sicil_no": [tr("This sicil number exists.")]}
    bad_store = client.post(
        "/api/assets/assets/", {**body, "store": 999999}, content_type="application/json"
    )
    assert bad_store.status_code == 400 and "store" in bad_store.json()
    assert (Asset.objects.count(), AuditEvent.objects.count()) == before
    history = client.get(f"/api/assets/assets/{made.json()['id']}/history/").json()
    assert [e["action"] for e in history] == ["assets.asset.registered"]


def test_api_patch_move_and_refusals(client_as, kayit, asset_factory, room):
    asset = asset_factory()
    client = client_as("kalem")
    url = f"/api/assets/assets/{asset.pk}/"
    ok = client.patch(url, {"serial_number": "X1"}, content_type="application/json")
    assert ok.status_code == 200 and ok.json()["serial_number"] == "X1"
    moved = client.post(f"{url}move/", {"room": room.pk}, content_type="application/json")
    assert moved.status_code == 200 and moved.json()["room"] == room.pk
    memur = client_as("memur")  # sees it, may not move it
    refused = memur.post(f"{url}move/", {"room": None}, content_type="application/json")
    assert refused.status_code == 403


def test_register_page_and_form_error(client_as, kayit, tasinir_code, store, asset_factory):
    client = client_as("kalem")
    assert client.get("/tasinir/kayit/").status_code == 200
    existing = asset_factory()
    form = {
        "code": tasinir_code.pk,
        "kind": "laptop",
        "store": store.pk,
        "value": "100",
        "sicil_no": existing.sicil_no,
    }
    page = client.post("/tasinir/kayit/", form)
    assert page.status_code == 200
    assert tr("This sicil number exists.") in page.context["form"].errors["sicil_no"]
    done = client.post("/tasinir/kayit/", {**form, "sicil_no": ""})
    assert done.status_code == 302
    created = Asset.objects.exclude(pk=existing.pk).get()
    assert done["Location"] == f"/tasinir/{created.pk}/"
    assert client_as("yaziisleri").get("/tasinir/kayit/").status_code == 403


def test_label_pdf_holds_the_sicil(client_as, asset_factory):
    asset = asset_factory()
    response = client_as("memur").get(f"/tasinir/{asset.pk}/etiket/")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")


def test_detail_edit_and_move_pages(client_as, kayit, asset_factory, room):
    asset = asset_factory()
    client = client_as("kalem")
    edit = client.post(f"/tasinir/{asset.pk}/duzenle/", {"kind": "laptop", "make": "HP"})
    assert edit.status_code == 302
    moved = client.post(f"/tasinir/{asset.pk}/tasi/", {"room": room.pk, "reason": "Kurulum"})
    assert moved.status_code == 302
    again = client.post(f"/tasinir/{asset.pk}/tasi/", {"room": room.pk})
    assert again.status_code == 200 and "room" in again.context["form"].errors
    page = client.get(f"/tasinir/{asset.pk}/")
    assert page.status_code == 200
    assert [e.action for e in page.context["history"]] == [
        "assets.asset.updated",
        "assets.asset.moved",
    ]
    assert client_as("memur").get(f"/tasinir/{asset.pk}/duzenle/").status_code == 403


def test_list_offers_the_rooms_of_the_chosen_site_only(client_as, room, park):
    from bilgiislem.assets.models import Room

    bench = Room.objects.create(site=park, name="Çay bahçesi kulübesi")
    client = client_as("memur")

    def room_options(url):
        page = client.get(url).text
        select = page[page.index('id="f-room"') :]
        return select[: select.index("</select>")]

    assert "Çay bahçesi" not in room_options("/tasinir/")
    assert room.name not in room_options("/tasinir/")
    chosen = room_options(f"/tasinir/?site={room.site_id}")
    assert f'<option value="{room.pk}"' in chosen and bench.name not in chosen
    picked = room_options(f"/tasinir/?site={room.site_id}&room={room.pk}")
    assert f'<option value="{room.pk}" selected>' in picked
