"""Pages and API of loans (emanet) and repairs: the flow, 404 for people who may not see,
403 for readers who may not act, the field named on bad input, and the tutanak PDF."""

import datetime

from django.urls import reverse
from django.utils import timezone

from bilgiislem.assets.choices import AssetStatus
from bilgiislem.assets.models import AssetLoan

from ._stock import make_ticket
from .conftest import tr

API = "/api/assets"
JSON = "application/json"


def _form(item, units, **extra):
    data = {
        "asset": item.sicil_no,
        "borrower": "Yeni Mahalle Muhtarlığı",
        "borrower_contact": "0264 000 00 00",
        "coordinating_unit": units["yazi-isleri"].pk,
        "purpose": "Seçim günü için dizüstü bilgisayar",
        "due_on": (timezone.localdate() + datetime.timedelta(days=3)).isoformat(),
    }
    data.update(extra)
    return data


def test_loan_pages_flow(client_as, kayit, units, asset_factory):
    asset = asset_factory()
    new = reverse("assets:loan-new")
    client = client_as("kalem")
    form_page = client.get(new, {"asset": asset.pk})
    assert form_page.status_code == 200 and asset.sicil_no in form_page.content.decode()
    assert client_as("memur").get(new).status_code == 403
    assert client_as("yaziisleri").get(reverse("assets:loan-list")).status_code == 404

    client = client_as("kalem")
    bad = client.post(new, _form(asset, units, borrower=""))
    assert bad.status_code == 200 and "borrower" in bad.context["form"].errors
    unknown = client.post(new, _form(asset, units, asset="255.99-00"))
    assert unknown.context["form"].errors["asset"] == [tr("No item has this registration number.")]
    assert not AssetLoan.objects.exists()

    done = client.post(new, _form(asset, units))
    loan = AssetLoan.objects.get()
    detail = reverse("assets:loan-detail", args=[loan.pk])
    assert done.status_code == 302 and done["Location"] == detail
    listing = client.get(reverse("assets:loan-list"), {"state": "open"}).content.decode()
    assert f'data-loan="{loan.pk}"' in listing
    asset_page = client.get(reverse("assets:asset-detail", args=[asset.pk])).content.decode()
    assert "data-open-loan" in asset_page and detail in asset_page

    # The coordinating unit sees its loan; another unit does not; readers may not act.
    assert client_as("yaziisleri").get(detail).status_code == 200
    assert client_as("yaziisleri").post(detail, {"return_note": "x"}).status_code == 403
    assert client_as("by2").get(detail).status_code == 404

    client = client_as("kalem")
    missing = client.post(detail, {"return_note": ""})
    assert missing.context["form"].errors["return_note"] == [tr("Note the condition of the item.")]
    client.post(detail, {"return_note": "Sağlam"})
    loan.refresh_from_db()
    asset.refresh_from_db()
    assert loan.returned_at is not None and asset.status == AssetStatus.IN_STORE

    pdf = client_as("yaziisleri").get(reverse("assets:loan-pdf", args=[loan.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client_as("by2").get(reverse("assets:loan-pdf", args=[loan.pk])).status_code == 404


def test_repair_pages(client_as, kayit, people, units, asset_factory):
    asset = asset_factory()
    ticket = make_ticket(people, units)
    page = client_as("kalem").get(reverse("assets:asset-detail", args=[asset.pk]))
    send = reverse("assets:asset-repair", args=[asset.pk])
    assert send in page.content.decode()
    assert client_as("memur").post(send, {"vendor_note": "x"}).status_code == 403
    assert client_as("yaziisleri").get(send).status_code == 404

    client = client_as("kalem")
    bad = client.post(send, {"ticket": "1999-5", "vendor_note": "Servis"})
    assert bad.context["form"].errors["ticket"] == [tr("No service request has this number.")]
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_STORE
    done = client.post(send, {"ticket": ticket.number_label, "vendor_note": "Yetkili servis"})
    assert done.status_code == 302
    page = client.get(reverse("assets:asset-detail", args=[asset.pk])).content.decode()
    assert "data-repair" in page and "Yetkili servis" in page and ticket.number_label in page

    back = reverse("assets:asset-repair-back", args=[asset.pk])
    assert client.post(back, {"note": "Onarıldı"}).status_code == 302
    asset.refresh_from_db()
    assert asset.status == AssetStatus.IN_STORE
    again = client.post(back, {"note": ""})
    assert again.context["form"].non_field_errors() == [tr("This item is not in repair.")]


def test_loan_and_repair_api(client_as, kayit, units, asset_factory):
    asset = asset_factory()
    body = {
        "asset": asset.pk,
        "borrower": "Karasu Lisesi",
        "coordinating_unit": units["yazi-isleri"].pk,
        "purpose": "Sınav",
    }
    assert client_as("yaziisleri").get(f"{API}/loans/").status_code == 404
    assert client_as("yaziisleri").post(f"{API}/loans/", body, content_type=JSON).status_code == 404
    assert client_as("memur").post(f"{API}/loans/", body, content_type=JSON).status_code == 403

    client = client_as("kalem")
    bad = client.post(f"{API}/loans/", {**body, "purpose": ""}, content_type=JSON)
    assert bad.status_code == 400 and "purpose" in bad.json()
    nounit = client.post(f"{API}/loans/", {**body, "coordinating_unit": 0}, content_type=JSON)
    assert nounit.status_code == 400 and "coordinating_unit" in nounit.json()
    assert not AssetLoan.objects.exists()
    made = client.post(f"{API}/loans/", body, content_type=JSON)
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["number"] == 1 and made.json()["sicil_no"] == asset.sicil_no
    assert client.get(f"{API}/loans/", {"state": "open"}).json()["count"] == 1

    assert client_as("yaziisleri").get(f"{API}/loans/{pk}/").status_code == 200
    assert client_as("by2").get(f"{API}/loans/{pk}/").status_code == 404
    client = client_as("kalem")
    empty = client.post(f"{API}/loans/{pk}/return/", {"return_note": ""}, content_type=JSON)
    assert empty.status_code == 400 and "return_note" in empty.json()
    back = client.post(f"{API}/loans/{pk}/return/", {"return_note": "Sağlam"}, content_type=JSON)
    assert back.status_code == 200 and back.json()["return_received_by"] == "kalem"

    assert client_as("yaziisleri").get(f"{API}/repairs/").status_code == 404
    client = client_as("kalem")
    sent = client.post(
        f"{API}/repairs/", {"asset": asset.pk, "vendor_note": "Servis"}, content_type=JSON
    )
    assert sent.status_code == 201 and sent.json()["status"] == "in_repair"
    assert [row["id"] for row in client.get(f"{API}/repairs/").json()["results"]] == [asset.pk]
    twice = client.post(f"{API}/repairs/", {"asset": asset.pk}, content_type=JSON)
    assert twice.status_code == 400 and "asset" in twice.json()
    returned = client.post(f"{API}/repairs/{asset.pk}/back/", {}, content_type=JSON)
    assert returned.status_code == 200 and returned.json()["status"] == "in_store"
