"""A closed count keeps its result on the row (Count.result, closed_by); the Sayım Tutanağı
is by II. Düzey Detay Kodu with the items per Taşınır Kodu, the Taşınır Sayım ve Döküm
Cetveli per I. Düzey group with "Gelecek Yıla Devir" = "Sayımda Bulunan Miktar" and the
"Kayıtlara Göre Kişilere Verilen Miktar" column (art. 10/1-g, 10/1-ğ, 32/5)."""

import pytest
from django.utils import timezone

from bilgiislem.assets.choices import AssetStatus, CountState
from bilgiislem.assets.models import HandoverDocument, TasinirCode
from bilgiislem.assets.services import count as svc
from bilgiislem.core.pdftext import extract_text

pytestmark = pytest.mark.django_db


def _code(code, title):
    parent = TasinirCode.objects.filter(code=code.rsplit(".", 1)[0]).first()
    return TasinirCode.objects.get_or_create(
        code=code, defaults={"title": title, "parent": parent}
    )[0]


@pytest.fixture
def closed(people, kayit, room, other_room, tasinir_code, asset_factory):
    """Two laptops (one found, one missing), a monitor on a Teslim Belgesi, a phone found in
    another counted room, a written-off switch found (surplus)."""
    _code("253", "Tesis, Makine ve Cihazlar")
    _code("253.02", "Haberleşme cihazları")
    _code("255.02", "Büro ve işyeri makine ve cihazları")
    _code("255.02.02", "Bilgisayarlar ve bilgisayar çevre birimleri")
    monitor_code = _code("255.02.02.03", "Monitör")
    phone_code = _code("255.02.03.01", "Masa telefonu")
    switch_code = _code("253.02.01", "Ağ anahtarı (switch)")
    found = asset_factory(room=room, status=AssetStatus.IN_USE, value="20000.00")
    lost = asset_factory(room=room, status=AssetStatus.IN_USE, value="15000.00")
    monitor = asset_factory(
        code=monitor_code, room=room, status=AssetStatus.IN_USE, value="4000.00"
    )
    HandoverDocument.objects.create(
        year=2026,
        number=1,
        asset=monitor,
        receiver=people["memur"],
        issued_by=kayit,
        issued_at=timezone.now(),
    )
    phone = asset_factory(code=phone_code, room=other_room, status=AssetStatus.IN_USE, value="900")
    switch = asset_factory(code=switch_code, status=AssetStatus.WRITTEN_OFF, value="7000.00")
    board = svc.count_board_appoint(
        actor=people["mudur"],
        name="Yıl Sonu Sayım Kurulu",
        members=[people["sef"], kayit, people["memur"]],
        chair=people["sef"],
    )
    count = svc.count_start(actor=people["mudur"], board=board, rooms=[room, other_room])
    for asset in (found, phone, switch):
        svc.count_scan(actor=people["memur"], count=count, room=room, label=asset.sicil_no)
    result = svc.count_close(actor=kayit, count=count)
    count.refresh_from_db()
    return count, result, {"lost": lost}


def _numbers(row):
    return tuple(int(row[k]) for k in ("recorded", "held", "found", "surplus", "shortage"))


def test_the_result_is_kept_on_the_count(closed, kayit):
    count, result, _assets = closed
    assert count.state == CountState.CLOSED
    assert count.closed_by == kayit
    assert count.result == result
    assert svc.count_result(count) == result
    assert len(result["vifs"]) == 1  # the surplus; the shortage goes to a write-off
    assert len(result["writeoffs"]) == 1


def test_the_minute_is_by_level_two_code(closed):
    _count, result, _assets = closed
    tutanak = {g["code"]: g for g in result["tutanak"]}
    assert list(tutanak) == ["253.02.01", "255.02.02", "255.02.03"]
    computers = tutanak["255.02.02"]
    assert computers["title"] == "Bilgisayarlar ve bilgisayar çevre birimleri"
    # Lines at Taşınır Kodu level: recorded, given to persons, found, surplus, shortage.
    assert [(r["code"], _numbers(r)) for r in computers["rows"]] == [
        ("255.02.02.02", (2, 0, 1, 0, 1)),
        ("255.02.02.03", (1, 1, 1, 0, 0)),
    ]
    assert _numbers(computers["total"]) == (3, 1, 2, 0, 1)
    assert computers["total"]["value"] == "39000.00"
    assert _numbers(tutanak["253.02.01"]["rows"][0]) == (0, 0, 1, 1, 0)
    assert _numbers(tutanak["255.02.03"]["rows"][0]) == (1, 0, 1, 0, 0)  # found elsewhere


def test_the_sheet_is_per_level_one_group_and_carries_what_was_found(closed):
    _count, result, _assets = closed
    cetvel = {g["code"]: g for g in result["cetvel"]}
    assert list(cetvel) == ["253.02", "255.02"]
    office = cetvel["255.02"]
    assert office["title"] == "Büro ve işyeri makine ve cihazları"
    assert [(r["code"], _numbers(r)) for r in office["rows"]] == [
        ("255.02.02", (3, 1, 2, 0, 1)),
        ("255.02.03", (1, 0, 1, 0, 0)),
    ]
    # Gelecek Yıla Devir equals Sayımda Bulunan Miktar, line by line and in total.
    for group in result["cetvel"]:
        for row in [*group["rows"], group["total"]]:
            assert row["carried"] == row["found"], row
    assert office["total"]["found_value"] == "24900.00"  # 20,000 + 4,000 + 900
    assert cetvel["253.02"]["total"]["carried"] == "1"


def test_the_documents_page_and_api_show_the_result(closed, client_as, units):
    count, result, assets = closed
    client = client_as("kalem")
    minute = extract_text(client.get(f"/tasinir/sayim/{count.pk}/tutanak.pdf").content)
    for code in ("255.02.02", "255.02.02.03", "253.02.01", units["bilgi-islem"].name):
        assert code in minute
    sheet = extract_text(client.get(f"/tasinir/sayim/{count.pk}/cetvel.pdf").content)
    assert "255.02.03" in sheet and "253.02" in sheet and "24900.00" in sheet
    assert units["bilgi-islem"].name in sheet

    page = client.get(f"/tasinir/sayim/{count.pk}/")
    content = page.content.decode()
    assert page.status_code == 200 and "data-count-summary" in content
    assert assets["lost"].sicil_no in content and "Zeynep" in content  # closed by kalem

    api = f"/api/assets/counts/{count.pk}/"
    assert client.get(api).json()["closed_by"] == "kalem"
    data = client.get(f"{api}result/").json()
    assert data["missing"] == [assets["lost"].sicil_no]
    assert data["vifs"] == result["vifs"] and data["writeoffs"] == result["writeoffs"]
    assert f"/tasinir/kayittan-dusme/{result['writeoffs'][0]}/" in content
    assert [g["code"] for g in data["cetvel"]] == ["253.02", "255.02"]
    assert data["cetvel"][1]["total"]["carried"] == 3
    assert client_as("yazilim").get(f"{api}result/").status_code == 404


def test_the_result_of_an_open_count_is_refused(client_as, people, kayit, room):
    board = svc.count_board_appoint(
        actor=people["mudur"],
        name="Sayım Kurulu",
        members=[people["sef"], kayit, people["memur"]],
        chair=people["sef"],
    )
    count = svc.count_start(actor=people["mudur"], board=board, rooms=[room])
    refused = client_as("kalem").get(f"/api/assets/counts/{count.pk}/result/")
    assert refused.status_code == 400 and "count" in refused.json()
    assert svc.count_result(count) is None
