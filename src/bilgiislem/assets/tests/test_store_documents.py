"""Store documents (H-DOCS): the Taşınır Geçici Alındısı (record, accept into a purchase VİF
draft, refuse) and the Ambar Devir ve Teslim Tutanağı (prepare with the store's content,
accept, cancel), with their numbers, audit events and PDFs."""

import datetime
from decimal import Decimal

import pytest

from bilgiislem.assets.choices import (
    AssetStatus,
    ReceiptState,
    StoreHandoverState,
    VifKind,
    VifState,
)
from bilgiislem.assets.models import Asset, StoreHandover, TemporaryReceipt, Vif
from bilgiislem.assets.services import receipts, store_handover
from bilgiislem.assets.services.vif import vif_sign
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from .conftest import tr

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2026, 5, 11)


@pytest.fixture(autouse=True)
def _today(time_machine):
    """A fixed "today": receipts are dated and may not be in the future."""
    time_machine.move_to(datetime.datetime(2026, 5, 11, 9, 0, tzinfo=datetime.UTC), tick=False)


def _lines(tasinir_code, consumable_code):
    return [
        {
            "code": tasinir_code.code,
            "description": "Dizüstü bilgisayar i7",
            "quantity": "2",
            "unit_price": "32500.00",
        },
        {
            "code": consumable_code,
            "description": "HP 59A toner",
            "quantity": "10",
            "unit_of_measure": "kutu",
            "unit_price": "1250.50",
        },
    ]


@pytest.fixture
def receipt(kayit, store, tasinir_code, consumable_code):
    return receipts.receipt_create(
        actor=kayit,
        store=store,
        supplier="Karasu Bilişim Ltd.",
        ikn="2026/123456",
        delivery_note="İrsaliye A-77",
        received_on=datetime.date(2026, 5, 4),
        lines=_lines(tasinir_code, consumable_code),
    )


def test_recording_a_receipt_numbers_it_per_year(kayit, store, receipt, tasinir_code):
    assert (receipt.year, receipt.number, receipt.state) == (2026, 1, ReceiptState.OPEN)
    assert receipt.received_by == kayit
    lines = list(receipt.lines.order_by("id"))
    assert [(ln.quantity, ln.unit_of_measure) for ln in lines] == [
        (Decimal("2.000"), "adet"),
        (Decimal("10.000"), "kutu"),
    ]
    event = AuditEvent.objects.filter(action="assets.receipt.create").get()
    assert event.changes["number"] == "2026/1"
    second = receipts.receipt_create(
        actor=kayit,
        store=store,
        supplier="B",
        received_on=datetime.date(2026, 5, 5),
        lines=[{"code": tasinir_code, "quantity": 1}],
    )
    last_year = receipts.receipt_create(
        actor=kayit,
        store=store,
        supplier="C",
        received_on=datetime.date(2025, 12, 30),
        lines=[{"code": tasinir_code, "quantity": 1}],
    )
    assert (second.number, last_year.year, last_year.number) == (2, 2025, 1)
    assert second.lines.get().description == tasinir_code.title


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"supplier": " "}, "supplier"),
        ({"received_on": None}, "received_on"),
        ({"received_on": TODAY + datetime.timedelta(days=1)}, "received_on"),
        ({"lines": []}, "lines"),
        ({"lines": [{"code": "999.99", "quantity": 1}]}, "lines"),
        ({"lines": [{"code": "255.02.02.02", "quantity": "0"}]}, "lines"),
        ({"lines": [{"code": "255.02.02.02", "quantity": "1.5"}]}, "lines"),
        ({"lines": [{"code": "255.02.02.02", "quantity": "1", "unit_price": "-1"}]}, "lines"),
        ({"lines": [{"code": "255.02.02.02", "quantity": "x"}]}, "lines"),
    ],
)
def test_bad_receipts_name_the_field_and_change_nothing(kayit, store, tasinir_code, change, field):
    values = {
        "store": store,
        "supplier": "Tedarikçi",
        "received_on": datetime.date(2026, 5, 4),
        "lines": [{"code": tasinir_code.code, "quantity": 1}],
        **change,
    }
    with pytest.raises(DomainError) as refused:
        receipts.receipt_create(actor=kayit, **values)
    assert field in refused.value.errors
    assert not TemporaryReceipt.objects.exists()


def test_only_the_kayit_yetkilisi_records_a_receipt(people, store, tasinir_code):
    for username in ("mudur", "memur", "sef"):
        with pytest.raises(PermissionDeniedError):
            receipts.receipt_create(
                actor=people[username],
                store=store,
                supplier="X",
                received_on=datetime.date(2026, 5, 4),
                lines=[{"code": tasinir_code, "quantity": 1}],
            )
    assert not TemporaryReceipt.objects.exists()


def test_accepting_prepares_the_purchase_vif_that_registers_the_items(kayit, people, receipt):
    with pytest.raises(DomainError) as early:
        receipts.receipt_accept(
            actor=kayit,
            receipt=receipt,
            acceptance_reference="Muayene ve Kabul Tutanağı 14",
            acceptance_date=datetime.date(2026, 5, 3),
        )
    assert early.value.errors["acceptance_date"] == [
        tr("The acceptance report cannot be dated before the goods arrived.")
    ]
    with pytest.raises(DomainError) as nameless:
        receipts.receipt_accept(
            actor=kayit,
            receipt=receipt,
            acceptance_reference="",
            acceptance_date=datetime.date(2026, 5, 6),
        )
    assert "acceptance_reference" in nameless.value.errors
    with pytest.raises(PermissionDeniedError):
        receipts.receipt_accept(
            actor=people["memur"],
            receipt=receipt,
            acceptance_reference="MKT 14",
            acceptance_date=datetime.date(2026, 5, 6),
        )
    assert not Vif.objects.exists()

    accepted = receipts.receipt_accept(
        actor=kayit,
        receipt=receipt,
        acceptance_reference="Muayene ve Kabul Tutanağı 14",
        acceptance_date=datetime.date(2026, 5, 6),
    )

    assert accepted.state == ReceiptState.ACCEPTED and accepted.decided_by == kayit
    vif = accepted.vif
    assert (vif.kind, vif.state, vif.store_id) == (
        VifKind.PURCHASE,
        VifState.DRAFT,
        receipt.store_id,
    )
    assert vif.supporting_reference == "Muayene ve Kabul Tutanağı 14"
    assert (vif.supporting_date, vif.date) == (datetime.date(2026, 5, 6), TODAY)
    # Two laptops are two lines (one asset each); the toner one line at its price.
    assert sorted((str(ln.quantity), str(ln.unit_price)) for ln in vif.lines.all()) == [
        ("1.000", "32500.00"),
        ("1.000", "32500.00"),
        ("10.000", "1250.50"),
    ]
    event = AuditEvent.objects.filter(action="assets.receipt.accept").get()
    assert event.changes["vif"] == vif.pk

    vif_sign(actor=kayit, vif=vif)
    laptops = Asset.objects.filter(vif_lines__vif=vif)
    assert laptops.count() == 2
    assert {a.acceptance_date for a in laptops} == {datetime.date(2026, 5, 6)}
    # The tender number and the delivery note of the receipt go onto the register.
    assert {(a.ikn, a.invoice) for a in laptops} == {("2026/123456", "İrsaliye A-77")}

    with pytest.raises(DomainError) as twice:
        receipts.receipt_refuse(actor=kayit, receipt=receipt, note="geç")
    assert "state" in twice.value.errors


def test_refused_goods_go_back_with_a_reason(kayit, people, receipt):
    with pytest.raises(DomainError) as silent:
        receipts.receipt_refuse(actor=kayit, receipt=receipt, note=" ")
    assert "note" in silent.value.errors
    refused = receipts.receipt_refuse(
        actor=people["mudur"], receipt=receipt, note="Teknik şartnameye uymuyor."
    )
    assert refused.state == ReceiptState.REFUSED and refused.vif is None
    assert refused.decision_note == "Teknik şartnameye uymuyor."
    assert AuditEvent.objects.filter(action="assets.receipt.refuse").exists()
    assert not Vif.objects.exists()


def test_the_receipt_prints_in_two_copies(receipt):
    from pypdf import PdfReader

    pdf = receipts.receipt_pdf(receipt)
    text = "\n".join(page.extract_text() for page in PdfReader(_io(pdf)).pages)
    assert pdf.startswith(b"%PDF")
    for expected in ("2026/1", "Karasu Bilişim Ltd.", "2026/123456", "İrsaliye A-77", "kutu"):
        assert text.count(expected) >= 2, expected
    assert text.count("77.505,00") == 2  # 2 × 32 500 + 10 × 1 250,50, once a copy


def _io(data: bytes):
    import io

    return io.BytesIO(data)


# ---------------------------------------------------------------- Ambar Devir ve Teslim


@pytest.fixture
def stocked_store(kayit, store, asset_factory, consumable_code, people):
    """Two laptops in the store, one with a person, one written off; ten toners."""
    from bilgiislem.assets.services import stock

    asset_factory(value=Decimal("30000.00"))
    asset_factory(value=Decimal("31000.00"))
    asset_factory(value=Decimal("29000.00"), status=AssetStatus.IN_USE, holder=people["memur"])
    asset_factory(value=Decimal("100.00"), status=AssetStatus.WRITTEN_OFF)
    item = stock.stock_item_create(actor=kayit, code=consumable_code, name="HP 59A toner")
    from ._stock import receive

    receive(kayit, store, item, 10, "1250.50")
    return store


def test_preparing_keeps_the_store_content(kayit, people, stocked_store, tasinir_code):
    handover = store_handover.store_handover_prepare(
        actor=kayit, store=stocked_store, received_by=people["memur"], note="Emeklilik"
    )
    assert (handover.year, handover.number, handover.state) == (
        TODAY.year,
        1,
        StoreHandoverState.PREPARED,
    )
    assert handover.handed_by == kayit
    [laptops] = handover.items["durables"]
    assert (laptops["code"], laptops["in_store"], laptops["elsewhere"]) == (
        tasinir_code.code,
        2,
        1,
    )
    assert Decimal(laptops["value"]) == Decimal("90000.00")
    assert len(laptops["sicil"]) == 2
    [toner] = handover.items["stock"]
    assert (toner["name"], toner["quantity"], Decimal(toner["value"])) == (
        "HP 59A toner",
        "10",
        Decimal("12505.00"),
    )
    assert AuditEvent.objects.filter(action="assets.store_handover.prepare").exists()

    # One open tutanak a store.
    with pytest.raises(DomainError) as again:
        store_handover.store_handover_prepare(
            actor=kayit, store=stocked_store, received_by=people["sef"]
        )
    assert "store" in again.value.errors

    # Only the incoming person accepts.
    with pytest.raises(PermissionDeniedError):
        store_handover.store_handover_accept(actor=kayit, handover=handover)
    accepted = store_handover.store_handover_accept(actor=people["memur"], handover=handover)
    assert accepted.state == StoreHandoverState.ACCEPTED and accepted.accepted_at
    with pytest.raises(DomainError):
        store_handover.store_handover_cancel(actor=people["mudur"], handover=handover, reason="x")


def test_the_incoming_person_is_staff_and_another_person(kayit, people, store):
    from bilgiislem.organization.models import Person

    outsider = Person.objects.create_user(username="disaridan", password="x")
    for person, message in (
        (kayit, "The store is handed over to another person."),
        (outsider, "A store is handed over only to a member of staff."),
        (None, "Choose who takes the store over."),
    ):
        with pytest.raises(DomainError) as refused:
            store_handover.store_handover_prepare(actor=kayit, store=store, received_by=person)
        assert refused.value.errors["received_by"] == [tr(message)]
    with pytest.raises(PermissionDeniedError):
        store_handover.store_handover_prepare(
            actor=people["memur"], store=store, received_by=people["sef"]
        )
    # The Director may prepare it in the outgoing officer's name; nobody else may.
    with pytest.raises(PermissionDeniedError):
        store_handover.store_handover_prepare(
            actor=kayit, store=store, received_by=people["sef"], handed_by=people["memur"]
        )
    assert not StoreHandover.objects.exists()
    made = store_handover.store_handover_prepare(
        actor=people["mudur"], store=store, received_by=people["sef"], handed_by=kayit
    )
    assert made.handed_by == kayit and made.items["durables"] == []


def test_the_director_cancels_with_a_reason(kayit, people, store):
    handover = store_handover.store_handover_prepare(
        actor=kayit, store=store, received_by=people["memur"]
    )
    with pytest.raises(PermissionDeniedError):
        store_handover.store_handover_cancel(actor=kayit, handover=handover, reason="x")
    with pytest.raises(DomainError) as silent:
        store_handover.store_handover_cancel(actor=people["mudur"], handover=handover, reason="")
    assert "reason" in silent.value.errors
    cancelled = store_handover.store_handover_cancel(
        actor=people["mudur"], handover=handover, reason="Yanlış kişi"
    )
    assert cancelled.state == StoreHandoverState.CANCELLED
    with pytest.raises(DomainError):
        store_handover.store_handover_accept(actor=people["memur"], handover=handover)
    # A new one can be prepared now, with the next number.
    again = store_handover.store_handover_prepare(
        actor=kayit, store=store, received_by=people["sef"]
    )
    assert again.number == handover.number + 1


def test_the_tutanak_prints_in_three_copies(kayit, people, stocked_store):
    from pypdf import PdfReader

    handover = store_handover.store_handover_prepare(
        actor=kayit, store=stocked_store, received_by=people["memur"]
    )
    pdf = store_handover.store_handover_pdf(handover)
    pages = [page.extract_text() for page in PdfReader(_io(pdf)).pages]
    assert len(pages) == 3
    for page in pages:
        assert page.count("HP 59A toner") == 1
        assert page.count(handover.items["durables"][0]["sicil"][0]) == 1
        # The signature blocks (the names may also label the header rows).
        for block in ("Devreden", "Devralan", "Onaylayan"):
            assert block in page, block


def test_the_incoming_person_finds_it_in_their_work(kayit, people, store):
    from bilgiislem.assets.work import work_items_for

    handover = store_handover.store_handover_prepare(
        actor=kayit, store=store, received_by=people["memur"]
    )
    memur = people["memur"]
    items = [w for w in work_items_for(memur) if str(handover.number) in w.detail]
    assert items and items[0].url.endswith(f"/{handover.pk}/")
    memur._bi_assets_work = None
    store_handover.store_handover_accept(actor=memur, handover=handover)
    assert not [w for w in work_items_for(memur) if w.url.endswith(f"/{handover.pk}/")]


def test_a_vif_dated_before_the_acceptance_report_leaves_the_receipt_open(kayit, receipt):
    with pytest.raises(DomainError) as early:
        receipts.receipt_accept(
            actor=kayit,
            receipt=receipt,
            acceptance_reference="MKT 14",
            acceptance_date=datetime.date(2026, 5, 8),
            date=datetime.date(2026, 5, 7),
        )
    assert early.value.errors["date"] == [
        tr("The VİF cannot be dated before its supporting document.")
    ]
    receipt.refresh_from_db()
    assert receipt.state == ReceiptState.OPEN and receipt.vif is None
    assert not Vif.objects.exists()
    assert not AuditEvent.objects.filter(action="assets.receipt.accept").exists()
