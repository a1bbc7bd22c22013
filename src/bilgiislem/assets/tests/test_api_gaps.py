"""API of the count's state changes, shared-room lists and the ilişik kesme check:
the happy path, 400 naming the field (nothing changed), 404 for those who may not see."""

import pytest
from django.utils import timezone

from bilgiislem.assets.choices import AssetStatus, CountState
from bilgiislem.assets.models import (
    Board,
    Count,
    HandoverDocument,
    SharedListSignOff,
    Vif,
    WriteOff,
)

pytestmark = pytest.mark.django_db

API = "/api/assets"
JSON = "application/json"


def test_count_board_start_second_round_close(client_as, kayit, room, other_room, asset_factory):
    mudur = client_as("mudur")
    board_body = {"name": "Sayım Kurulu", "members": ["sef", "kalem", "memur"], "chair": "sef"}
    few = mudur.post(f"{API}/count-boards/", {**board_body, "members": ["sef"]}, JSON)
    assert few.status_code == 400 and "members" in few.json()
    unknown = mudur.post(f"{API}/count-boards/", {**board_body, "chair": "nobody"}, JSON)
    assert unknown.status_code == 400 and "chair" in unknown.json()
    assert not Board.objects.exists()
    made = mudur.post(f"{API}/count-boards/", board_body, JSON)
    assert made.status_code == 201, made.json()
    board = made.json()
    assert board["chair"] == "sef" and sorted(board["members"]) == ["kalem", "memur", "sef"]

    no_rooms = mudur.post(f"{API}/counts/", {"board": board["id"], "rooms": []}, JSON)
    assert no_rooms.status_code == 400 and "rooms" in no_rooms.json()
    bad_board = mudur.post(f"{API}/counts/", {"board": 0, "rooms": [room.pk]}, JSON)
    assert bad_board.status_code == 400 and "board" in bad_board.json()
    not_director = client_as("memur").post(
        f"{API}/counts/", {"board": board["id"], "rooms": [room.pk]}, JSON
    )
    assert not_director.status_code == 403
    assert not Count.objects.exists()
    started = client_as("mudur").post(
        f"{API}/counts/", {"board": board["id"], "rooms": [room.pk, other_room.pk]}, JSON
    )
    assert started.status_code == 201, started.json()
    pk = started.json()["id"]
    assert sorted(started.json()["rooms"]) == sorted([room.pk, other_room.pk])

    # Someone off the board, not the Director or the kayıt yetkilisi: the count is not there.
    outsider = client_as("yaziisleri")
    assert outsider.post(f"{API}/counts/{pk}/second-round/").status_code == 404
    assert outsider.post(f"{API}/counts/{pk}/close/").status_code == 404

    # No differences yet: the second round is refused naming the count.
    none = client_as("sef").post(f"{API}/counts/{pk}/second-round/")
    assert none.status_code == 400 and "count" in none.json()
    asset_factory(room=room, status=AssetStatus.IN_USE)  # expected, never scanned: missing
    second = client_as("sef").post(f"{API}/counts/{pk}/second-round/")
    assert second.status_code == 200 and second.json()["state"] == CountState.SECOND

    closed = client_as("kalem").post(f"{API}/counts/{pk}/close/")
    assert closed.status_code == 200, closed.json()
    assert closed.json()["missing"] == 1 and closed.json()["expected"] == 1
    assert closed.json()["vifs"] == list(Vif.objects.values_list("pk", flat=True)) == []
    # The shortage waits for the Director on a Kayıttan Düşme Tutanağı (no commission).
    assert closed.json()["writeoffs"] == list(
        WriteOff.objects.filter(commission=None).values_list("pk", flat=True)
    )
    assert len(closed.json()["writeoffs"]) == 1
    again = client_as("kalem").post(f"{API}/counts/{pk}/close/")
    assert again.status_code == 400 and "count" in again.json()


def test_shared_list_read_and_sign(client_as, kayit, shared_room, asset_factory):
    asset = asset_factory(room=shared_room, status=AssetStatus.IN_USE)
    url = f"{API}/shared-lists/{shared_room.pk}/"
    assert client_as("yaziisleri").get(url).status_code == 404
    assert client_as("yaziisleri").post(f"{url}sign/").status_code == 404
    assert not SharedListSignOff.objects.exists()

    client = client_as("kalem")
    shown = client.get(url)
    assert shown.status_code == 200
    assert shown.json()["may_sign"] is True and shown.json()["last_signoff"] is None
    assert [i["sicil_no"] for i in shown.json()["items"]] == [asset.sicil_no]
    signed = client.post(f"{url}sign/")
    assert signed.status_code == 201 and signed.json()["signed_by"] == "kalem"
    assert client.get(url).json()["last_signoff"]["items"][0]["sicil_no"] == asset.sicil_no


def test_shared_list_of_a_room_that_is_not_shared_is_not_there(client_as, kayit, room):
    assert client_as("kalem").get(f"{API}/shared-lists/{room.pk}/").status_code == 404


def test_clearance(client_as, people, kayit, asset_factory):
    memur = people["memur"]
    url = f"{API}/clearance/{memur.pk}/"
    assert client_as("memur").get(url).status_code == 404
    assert client_as("mudur").get(f"{API}/clearance/999999/").status_code == 404
    clear = client_as("mudur").get(url)
    assert clear.status_code == 200 and clear.json()["clear"] is True

    asset = asset_factory(status=AssetStatus.IN_USE)
    HandoverDocument.objects.create(
        year=2026, number=1, asset=asset, receiver=memur, issued_by=kayit, issued_at=timezone.now()
    )
    held = client_as("kalem").get(url).json()
    assert held["clear"] is False and [i["sicil_no"] for i in held["items"]] == [asset.sicil_no]
