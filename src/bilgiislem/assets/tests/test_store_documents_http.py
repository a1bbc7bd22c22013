"""Store document pages and API over real HTTP (H-DOCS): who sees (404), who acts (403), bad
input named (form error / 400) with nothing changed, the accept flows and the PDFs."""

import datetime

import pytest
from django.urls import reverse

from bilgiislem.assets.choices import ReceiptState, StoreHandoverState, VifKind
from bilgiislem.assets.models import StoreHandover, TemporaryReceipt, Vif
from bilgiislem.assets.services import receipts, store_handover

from .conftest import tr

pytestmark = pytest.mark.django_db

API = "/api/assets"
JSON = "application/json"


@pytest.fixture(autouse=True)
def _today(time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 11, 9, 0, tzinfo=datetime.UTC), tick=False)


def _receipt_post(store, code, **extra):
    data = {
        "store": store.pk,
        "supplier": "Karasu Bilişim Ltd.",
        "ikn": "2026/1",
        "delivery_note": "İrsaliye 9",
        "received_on": "2026-05-04",
        "line-TOTAL_FORMS": "8",
        "line-INITIAL_FORMS": "0",
        "line-MIN_NUM_FORMS": "0",
        "line-MAX_NUM_FORMS": "8",
        "line-0-code": code.code,
        "line-0-description": "Dizüstü bilgisayar",
        "line-0-quantity": "2",
        "line-0-unit_price": "30000",
    }
    data.update(extra)
    return data


def test_receipt_pages(client_as, kayit, store, tasinir_code):
    urls = [reverse("assets:receipt-list"), reverse("assets:receipt-new")]
    for url in urls:
        assert client_as("yaziisleri").get(url).status_code == 404
    assert client_as("memur").get(urls[0]).status_code == 200
    assert client_as("memur").get(urls[1]).status_code == 403

    client = client_as("kalem")
    bad = client.post(urls[1], _receipt_post(store, tasinir_code, supplier=""))
    assert bad.status_code == 200
    assert bad.context["form"].errors["supplier"] == [tr("Name the supplier.")]
    assert not TemporaryReceipt.objects.exists()

    made = client.post(urls[1], _receipt_post(store, tasinir_code))
    receipt = TemporaryReceipt.objects.get()
    assert made.status_code == 302
    assert made["Location"] == reverse("assets:receipt-detail", args=[receipt.pk])
    detail = reverse("assets:receipt-detail", args=[receipt.pk])
    assert client_as("yaziisleri").get(detail).status_code == 404
    page = client_as("kalem").get(detail)
    assert page.status_code == 200 and "Karasu Bilişim Ltd." in page.content.decode()
    assert "Karasu Bilişim Ltd." in client.get(urls[0]).content.decode()

    # Only the kayıt yetkilisi or the Director decides: a reader gets 403.
    accept = {"accept": "1", "acceptance_reference": "MKT 3", "acceptance_date": "2026-05-01"}
    assert client_as("memur").post(detail, accept).status_code == 403
    early = client_as("kalem").post(detail, accept)
    assert early.status_code == 200
    assert early.context["accept_form"].errors["acceptance_date"] == [
        tr("The acceptance report cannot be dated before the goods arrived.")
    ]
    assert not Vif.objects.exists()
    done = client_as("kalem").post(detail, {**accept, "acceptance_date": "2026-05-06"})
    assert done.status_code == 302
    receipt.refresh_from_db()
    assert receipt.state == ReceiptState.ACCEPTED and receipt.vif.kind == VifKind.PURCHASE

    pdf = client_as("memur").get(reverse("assets:receipt-pdf", args=[receipt.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert (
        client_as("yaziisleri").get(reverse("assets:receipt-pdf", args=[receipt.pk])).status_code
        == 404
    )


def test_refusing_on_the_page_needs_a_reason(client_as, kayit, store, tasinir_code):
    receipt = receipts.receipt_create(
        actor=kayit,
        store=store,
        supplier="X",
        received_on=datetime.date(2026, 5, 4),
        lines=[{"code": tasinir_code, "quantity": 1}],
    )
    detail = reverse("assets:receipt-detail", args=[receipt.pk])
    silent = client_as("mudur").post(detail, {"refuse": "1", "note": ""})
    assert silent.status_code == 200 and silent.context["refuse_form"].errors["note"]
    done = client_as("mudur").post(detail, {"refuse": "1", "note": "Hasarlı geldi"})
    assert done.status_code == 302
    receipt.refresh_from_db()
    assert receipt.state == ReceiptState.REFUSED


def test_receipt_api(client_as, kayit, store, tasinir_code, consumable_code):
    body = {
        "store": store.pk,
        "supplier": "Karasu Bilişim Ltd.",
        "received_on": "2026-05-04",
        "lines": [
            {"code": tasinir_code.code, "quantity": "1", "unit_price": "30000.00"},
            {"code": consumable_code.code, "quantity": "5", "unit_of_measure": "kutu"},
        ],
    }
    url = f"{API}/temporary-receipts/"
    assert client_as("yaziisleri").get(url).status_code == 404
    assert client_as("yaziisleri").post(url, body, content_type=JSON).status_code == 404
    assert client_as("memur").post(url, body, content_type=JSON).status_code == 403
    api = client_as("kalem")
    for change, field in (
        ({"supplier": ""}, "supplier"),
        ({"received_on": "2026-05-12"}, "received_on"),
        ({"lines": [{"code": "999", "quantity": "1"}]}, "lines"),
        ({"store": 999999}, "store"),
    ):
        bad = api.post(url, {**body, **change}, content_type=JSON)
        assert bad.status_code == 400 and field in bad.json(), (change, bad.json())
    assert not TemporaryReceipt.objects.exists()

    made = api.post(url, body, content_type=JSON)
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert (made.json()["number"], len(made.json()["lines"])) == (1, 2)
    assert client_as("yaziisleri").get(f"{url}{pk}/").status_code == 404

    accept = f"{url}{pk}/accept/"
    api = client_as("kalem")  # the test client is shared: log kalem in again
    early = api.post(accept, {"acceptance_reference": "MKT", "acceptance_date": "2026-05-03"}, JSON)
    assert early.status_code == 400 and "acceptance_date" in early.json()
    done = api.post(accept, {"acceptance_reference": "MKT", "acceptance_date": "2026-05-05"}, JSON)
    assert done.status_code == 200 and done.json()["state"] == "accepted"
    vif = Vif.objects.get(pk=done.json()["vif"])
    assert vif.supporting_date == datetime.date(2026, 5, 5)
    again = api.post(f"{url}{pk}/refuse/", {"note": "x"}, JSON)
    assert again.status_code == 400 and "state" in again.json()

    pdf = client_as("memur").get(f"{url}{pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_store_handover_pages(client_as, kayit, people, store):
    new = reverse("assets:store-handover-new")
    listing = reverse("assets:store-handover-list")
    assert client_as("yaziisleri").get(new).status_code == 404
    assert client_as("yaziisleri").get(listing).status_code == 404
    assert client_as("memur").get(new).status_code == 403
    client = client_as("kalem")
    same = client.post(new, {"store": store.pk, "received_by": kayit.pk})
    assert same.status_code == 200
    assert same.context["form"].errors["received_by"] == [
        tr("The store is handed over to another person.")
    ]
    assert not StoreHandover.objects.exists()

    # The incoming person may be posted outside Bilgi İşlem: they see their own tutanak only.
    made = client.post(new, {"store": store.pk, "received_by": people["yaziisleri"].pk})
    handover = StoreHandover.objects.get()
    detail = reverse("assets:store-handover-detail", args=[handover.pk])
    assert made.status_code == 302 and made["Location"] == detail
    assert client_as("yaziisleri.mudur").get(detail).status_code == 404
    assert client_as("memur").post(detail, {"accept": "1"}).status_code == 403
    assert client_as("yaziisleri").get(detail).status_code == 200
    accepted = client_as("yaziisleri").post(detail, {"accept": "1"})
    assert accepted.status_code == 302
    handover.refresh_from_db()
    assert handover.state == StoreHandoverState.ACCEPTED
    pdf = client_as("yaziisleri").get(reverse("assets:store-handover-pdf", args=[handover.pk]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "Bilgi İşlem Ambarı" in client_as("memur").get(listing).content.decode()


def test_the_director_cancels_on_the_page(client_as, kayit, people, store):
    handover = store_handover.store_handover_prepare(
        actor=kayit, store=store, received_by=people["memur"]
    )
    detail = reverse("assets:store-handover-detail", args=[handover.pk])
    assert client_as("kalem").post(detail, {"cancel": "1", "reason": "x"}).status_code == 403
    silent = client_as("mudur").post(detail, {"cancel": "1", "reason": ""})
    assert silent.status_code == 200 and silent.context["cancel_form"].errors["reason"]
    done = client_as("mudur").post(detail, {"cancel": "1", "reason": "Yanlış kişi"})
    assert done.status_code == 302
    handover.refresh_from_db()
    assert handover.state == StoreHandoverState.CANCELLED


def test_store_handover_api(client_as, kayit, people, store):
    from bilgiislem.organization.models import Person

    Person.objects.create_user(username="disaridan", password="x")
    url = f"{API}/store-handovers/"
    body = {"store": store.pk, "received_by": "memur"}
    assert client_as("yaziisleri").get(url).status_code == 404
    assert client_as("memur").post(url, body, content_type=JSON).status_code == 403
    api = client_as("kalem")
    for change, field in (
        ({"received_by": "disaridan"}, "received_by"),
        ({"received_by": "kalem"}, "received_by"),
        ({"received_by": "yok-boyle-biri"}, "received_by"),
        ({"store": 999999}, "store"),
    ):
        bad = api.post(url, {**body, **change}, content_type=JSON)
        assert bad.status_code == 400 and field in bad.json(), (change, bad.json())
    assert not StoreHandover.objects.exists()

    made = api.post(url, body, content_type=JSON)
    assert made.status_code == 201, made.json()
    pk = made.json()["id"]
    assert made.json()["items"]["totals"]["in_store"] == 0
    assert api.post(f"{url}{pk}/accept/").status_code == 403
    assert client_as("yaziisleri").get(f"{url}{pk}/").status_code == 404
    assert client_as("kalem").post(f"{url}{pk}/cancel/", {"reason": "x"}, JSON).status_code == 403
    done = client_as("memur").post(f"{url}{pk}/accept/")
    assert done.status_code == 200 and done.json()["state"] == "accepted"
    pdf = client_as("memur").get(f"{url}{pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_list_pages_query_the_same_for_more_rows(client_as, kayit, people, store, tasinir_code):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from bilgiislem.assets.models import Store

    def add(each, n):
        receipts.receipt_create(
            actor=kayit,
            store=each,
            supplier=f"Tedarikçi {n}",
            received_on=datetime.date(2026, 5, 4),
            lines=[{"code": tasinir_code, "quantity": 1}],
        )
        store_handover.store_handover_prepare(actor=kayit, store=each, received_by=people["sef"])

    def queries(client, name):
        client.get(reverse(name))  # the menu's caches start again after new audit events
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse(name)).status_code == 200
        return len(captured)

    add(store, 0)
    client = client_as("memur")
    names = ("assets:receipt-list", "assets:store-handover-list")
    before = {name: queries(client, name) for name in names}
    for n in (2, 3):
        add(Store.objects.create(unit=store.unit, code=f"0{n}", name=f"Ambar {n}"), n)
    assert {name: queries(client, name) for name in names} == before
