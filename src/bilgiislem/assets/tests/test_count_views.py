"""Count pages: who sees them, the phone scan page, the Director's forms, the closed count's
PDFs."""

import pytest

from bilgiislem.assets.choices import AssetStatus
from bilgiislem.assets.models import Board, CountScan
from bilgiislem.assets.services import count as svc

pytestmark = pytest.mark.django_db


@pytest.fixture
def count(people, kayit, room):
    board = svc.count_board_appoint(
        actor=people["mudur"],
        name="Sayım Kurulu",
        members=[people["sef"], kayit, people["memur"]],
        chair=people["sef"],
    )
    return svc.count_start(actor=people["mudur"], board=board, rooms=[room])


def test_scan_page(client_as, count, room, asset_factory):
    asset = asset_factory(room=room, status=AssetStatus.IN_USE)
    url = f"/tasinir/sayim/{count.pk}/oda/{room.pk}/"
    assert client_as("yazilim").get(url).status_code == 404
    assert client_as("yazilim").get(f"/tasinir/sayim/{count.pk}/").status_code == 404

    client = client_as("memur")
    page = client.get(url)
    assert page.status_code == 200
    assert b"autofocus" in page.content

    bad = client.post(url, {"label": "YOK-BOYLE-ETIKET"})
    assert bad.status_code == 400
    assert "label" in bad.context["form"].errors
    assert not CountScan.objects.exists()

    ok = client.post(url, {"label": asset.sicil_no})
    assert ok.status_code == 302
    listed = client.get(url)
    assert asset.sicil_no in listed.content.decode()
    assert CountScan.objects.get().asset == asset


def test_director_forms(client_as, people, kayit, room):
    assert client_as("memur").get("/tasinir/sayim/kurul/yeni/").status_code == 404
    client = client_as("mudur")
    before = Board.objects.count()
    refused = client.post(
        "/tasinir/sayim/kurul/yeni/",
        {"name": "K", "members": [kayit.pk, people["sef"].pk], "chair": kayit.pk},
    )
    assert refused.status_code == 400
    assert "members" in refused.context["form"].errors
    assert Board.objects.count() == before
    done = client.post(
        "/tasinir/sayim/kurul/yeni/",
        {
            "name": "K",
            "members": [kayit.pk, people["sef"].pk, people["memur"].pk],
            "chair": kayit.pk,
        },
    )
    assert done.status_code == 302
    board = Board.objects.get(name="K")
    started = client.post("/tasinir/sayim/yeni/", {"board": board.pk, "rooms": [room.pk]})
    assert started.status_code == 302


def test_close_and_pdfs(client_as, count, room, asset_factory):
    asset_factory(room=room, status=AssetStatus.IN_USE)  # missing
    client = client_as("kalem")
    assert client.get(f"/tasinir/sayim/{count.pk}/tutanak.pdf").status_code == 404
    assert client_as("memur").post(f"/tasinir/sayim/{count.pk}/kapat/").status_code == 403
    client = client_as("kalem")
    assert client.post(f"/tasinir/sayim/{count.pk}/kapat/").status_code == 302
    detail = client.get(f"/tasinir/sayim/{count.pk}/")
    # The missing item waits on a shortage write-off for the Director.
    assert detail.status_code == 200 and b"data-count-writeoffs" in detail.content
    for which in ("tutanak", "cetvel"):
        pdf = client.get(f"/tasinir/sayim/{count.pk}/{which}.pdf")
        assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_api_scan_and_differences(client_as, count, room, asset_factory):
    seen = asset_factory(room=room, status=AssetStatus.IN_USE)
    lost = asset_factory(room=room, status=AssetStatus.IN_USE)
    base = f"/api/assets/counts/{count.pk}/"
    assert client_as("yazilim").get(base).status_code == 404
    assert (
        client_as("yazilim").post(f"{base}scan/", {"room": room.pk, "label": "x"}).status_code
        == 404
    )

    client = client_as("memur")
    assert [c["id"] for c in client.get("/api/assets/counts/").json()["results"]] == [count.pk]
    bad = client.post(f"{base}scan/", {"room": room.pk, "label": "YOK"})
    assert bad.status_code == 400 and "label" in bad.json()
    assert not CountScan.objects.exists()
    made = client.post(f"{base}scan/", {"room": room.pk, "label": seen.sicil_no})
    assert made.status_code == 201 and made.json()["result"] == "found_here"
    again = client.post(f"{base}scan/", {"room": room.pk, "label": seen.sicil_no})
    assert again.status_code == 200 and again.json()["id"] == made.json()["id"]
    diff = client.get(f"{base}differences/").json()
    assert diff["missing"] == [lost.sicil_no] and diff["found_here"] == 1


def test_work_item_for_board_members(people, count):
    from bilgiislem.assets.work import counts_in_progress

    [item] = counts_in_progress(people["memur"])
    assert item.url == f"/tasinir/sayim/{count.pk}/"
    assert counts_in_progress(people["yazilim"]) == []
