"""The world of the authorization matrix (test_authorization.py): one object of each kind,
the object each URL's ``pk`` names, valid bodies for the creating endpoints, and PDFs left
untypeset."""

import sys
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def no_weasyprint(monkeypatch):
    """PDFs are rendered from their templates but not typeset: the matrix is about who may
    have them (their content is tested beside each document), and typesetting is slow."""
    from bilgiislem.core import pdf

    real = pdf.html_to_pdf

    def fake(html, **kwargs):
        assert html.strip()
        return b"%PDF-1.7 matrix"

    monkeypatch.setattr(pdf, "html_to_pdf", fake)
    for name, module in list(sys.modules.items()):
        if name.startswith("bilgiislem.assets") and getattr(module, "html_to_pdf", None) is real:
            monkeypatch.setattr(module, "html_to_pdf", fake)


@pytest.fixture
def world(
    settings,
    tmp_path,
    no_weasyprint,
    people,
    units,
    kayit,
    store,
    room,
    shared_room,
    site,
    park,
    tasinir_code,
    consumable_code,
    asset_factory,
    access_point,
    desk_queues,
):
    """One object of each kind, all of Bilgi İşlem (so ``other`` and ``partner`` are
    outsiders everywhere), made through the services where they are stable."""
    from bilgiislem.assets.choices import AssetStatus, VifKind, WriteOffReason
    from bilgiislem.assets.models import Board, WriteOff
    from bilgiislem.assets.services import count as counts
    from bilgiislem.assets.services import custody, datalines, devices, licenses, needs, stock
    from bilgiislem.assets.services.vif import vif_create
    from bilgiislem.servicedesk.models import PartnerMember, PartnerOrganization, VendorContract

    settings.MEDIA_ROOT = tmp_path / "media"  # scans uploaded by the rows
    mudur, sef, memur = people["mudur"], people["sef"], people["memur"]
    today = timezone.localdate()
    school = PartnerOrganization.objects.create(name="Karasu Anadolu Lisesi", kind="school")
    from bilgiislem.organization.models import Person

    partner = Person.objects.create_user(username="ogretmen", password="x", first_name="Selin")
    PartnerMember.objects.create(organization=school, person=partner)

    asset = asset_factory()  # in the store
    laptop = asset_factory()
    in_room = asset_factory(room=room, status=AssetStatus.IN_USE)
    vif = vif_create(
        actor=kayit,
        kind=VifKind.PURCHASE,
        store=store,
        date=today,
        supporting_reference="Fatura 1",
        supporting_date=today,
        lines=[{"code": tasinir_code, "unit_price": 100}],
    )
    request = custody.asset_request_submit(
        actor=memur, unit=units["bilgi-islem"], code=tasinir_code, purpose="Saha"
    )
    handover = custody.handover_issue(actor=kayit, asset=laptop, receiver=memur)
    board = counts.count_board_appoint(
        actor=mudur, name="Sayım Kurulu", members=[sef, kayit, memur], chair=sef
    )
    count = counts.count_start(actor=mudur, board=board, rooms=[room])
    commission = Board.objects.create(
        purpose=Board.Purpose.WRITE_OFF, name="Hurda", appointed_by=mudur, chair=sef, expert=memur
    )
    commission.members.set([sef, kayit, memur])
    writeoff = WriteOff.objects.create(
        commission=commission,
        reason=WriteOffReason.SCRAP,
        explanation="Eski",
        proposed_by=kayit,
    )
    writeoff.assets.set([asset])
    need = needs.need_submit(
        actor=memur,
        unit=units["bilgi-islem-teknik-destek"],
        year=today.year + 1,
        kind="hardware",
        description="Dizüstü",
        justification="Saha",
    )
    license = licenses.license_create(actor=mudur, product="Office", seats=5, key="K-1")
    assignment = licenses.license_assign(actor=mudur, license=license, asset=in_room)
    line = datalines.dataline_create(
        actor=mudur, provider="TT", circuit_id="C-1", site_a=site, site_b=park, speed_mbps=100
    )
    devices.device_token_issue(actor=mudur, asset=access_point)
    contract = VendorContract.objects.create(
        vendor="Servis A.Ş.", number="S-1", subject="Bakım", valid_from=today
    )
    coverage = licenses.contract_cover(actor=mudur, contract=contract, asset=in_room)
    item = stock.stock_item_create(actor=kayit, code=consumable_code, name="Toner")
    stock.stock_receive(
        actor=kayit,
        store=store,
        date=today,
        supporting_reference="Fatura 2",
        supporting_date=today,
        lines=[{"item": item, "quantity": 10, "unit_price": Decimal("5")}],
    )
    issue = stock.stock_issue(actor=kayit, item=item, store=store, quantity=1)[0]
    from bilgiislem.assets.services import loans, receipts, repair, store_handover

    loan = loans.asset_lend(
        actor=kayit,
        asset=asset_factory(),
        borrower="Karasu Anadolu Lisesi",
        coordinating_unit=units["bilgi-islem"],
        purpose="Okul etkinliği",
    )
    receipt = receipts.receipt_create(
        actor=kayit,
        store=store,
        supplier="Tedarik A.Ş.",
        received_on=today,
        lines=[{"code": tasinir_code.code, "description": "Dizüstü", "quantity": 1}],
    )
    store_handover_ = store_handover.store_handover_prepare(
        actor=kayit, store=store, received_by=memur
    )
    repaired = repair.asset_send_for_repair(actor=kayit, asset=asset_factory())
    closed = counts.count_start(actor=mudur, board=board, rooms=[shared_room])
    counts.count_close(actor=kayit, count=closed)
    return {
        "spare": asset_factory(),  # in the store, for the bodies that act on an item
        "in_room": in_room,
        "contract": contract,
        "loan": loan,
        "receipt": receipt,
        "store_handover": store_handover_,
        "repaired": repaired,
        "closed_count": closed,
        "partner": partner,
        "asset": asset,
        "vif": vif,
        "request": request,
        "handover": handover,
        "count": count,
        "board": board,
        "commission": commission,
        "writeoff": writeoff,
        "need": need,
        "license": license,
        "assignment": assignment,
        "line": line,
        "device": access_point,
        "coverage": coverage,
        "item": item,
        "lot": issue.lot,
        "issue": issue,
        "room": room,
        "shared_room": shared_room,
        "site": site,
        "store": store,
        "code": tasinir_code,
        "person": memur,
        "year": today.year + 1,
    }


# The world's object behind ``pk`` for each URL name (without the namespace and the action).
PK_OF = {
    "asset": "asset",
    "asset-detail": "asset",
    "asset-edit": "asset",
    "asset-move": "asset",
    "asset-label": "asset",
    "asset-history": "asset",
    "stock-item": "item",
    "stock-item-detail": "item",
    "stock-item-minimum": "item",
    "stock-lot-detail": "lot",
    "stock-issue-detail": "issue",
    "writeoff-detail": "writeoff",
    "writeoff-minute": "writeoff",
    "writeoff-approve": "writeoff",
    "writeoff-reject": "writeoff",
    "writeoff-commission-detail": "commission",
    "need-detail": "need",
    "need-assess": "need",
    "device-token": "device",
    "device-detail": "device",
    "license-detail": "license",
    "license-key": "license",
    "license-unassign": "license",
    "license-assign": "license",
    "data-line-outage": "line",
    "data-line-detail": "line",
    "data-line-outage-end": "line",
    "contract-coverage-detail": "coverage",
    "vif-detail": "vif",
    "vif-pdf": "vif",
    "vif-action": "vif",
    "vif-sign": "vif",
    "vif-control": "vif",
    "vif-cancel": "vif",
    "request-detail": "request",
    "request-pdf": "request",
    "request-approve": "request",
    "request-issue": "request",
    "request-reject": "request",
    "handover-detail": "handover",
    "handover-pdf": "handover",
    "handover-acknowledge": "handover",
    "handover-scan": "handover",
    "handover-return-item": "handover",
    "shared-list": "shared_room",
    "shared-list-sign": "shared_room",
    "shared-list-pdf": "shared_room",
    "shared-list-detail": "shared_room",
    "count-detail": "count",
    "count-scan": "count",
    "count-pdf": "count",
    "count-action": "count",
    "count-close": "count",
    "count-differences": "count",
    "count-second-round": "count",
    "site-detail": "site",
    "room-detail": "room",
    "store-detail": "store",
    "code-detail": "code",
    "clearance-detail": "person",
    "loan-detail": "loan",
    "loan-pdf": "loan",
    "loan-return-item": "loan",
    "receipt-detail": "receipt",
    "receipt-pdf": "receipt",
    "temporary-receipt-detail": "receipt",
    "temporary-receipt-pdf": "receipt",
    "temporary-receipt-accept": "receipt",
    "temporary-receipt-refuse": "receipt",
    "store-handover-detail": "store_handover",
    "store-handover-pdf": "store_handover",
    "store-handover-accept": "store_handover",
    "store-handover-cancel": "store_handover",
    "asset-repair": "asset",
    "asset-repair-back": "repaired",
    "repair-back": "repaired",
    "code-edit": "code",
    "site-edit": "site",
    "room-new": "site",
    "room-edit": "room",
    "store-edit": "store",
    "store-content": "store",
    "count-result": "closed_count",
}


def bodies(world) -> dict:
    """Valid bodies of the creating endpoints, so a refusal is a refusal and not a 400 for a
    missing field (``body=<name>`` in a row)."""
    today = timezone.localdate().isoformat()
    unit = world["store"].unit_id
    spare = world["spare"]
    return {
        "asset": {"code": world["code"].code, "kind": "laptop", "store": world["store"].pk},
        "site": {"kind": "building", "name": "Ek Hizmet Binası"},
        "room": {"site": world["site"].pk, "name": "301", "unit": unit},
        "store": {"unit": unit, "code": "02", "name": "İkinci Ambar"},
        "vif": {
            "kind": "purchase",
            "store": world["store"].pk,
            "date": today,
            "supporting_reference": "Fatura 9",
            "supporting_date": today,
            "lines": [{"code": world["code"].code, "unit_price": "100.00"}],
        },
        "request": {"unit": unit, "code": world["code"].code, "purpose": "Saha çalışması"},
        "board": {"name": "Kurul", "members": ["sef", "kalem", "memur"], "chair": "sef"},
        "commission": {
            "name": "Hurda Komisyonu",
            "members": ["sef", "kalem", "memur"],
            "chair": "sef",
            "expert": "memur",
        },
        "count": {"board": world["board"].pk, "rooms": [world["room"].pk]},
        "stock_item": {"code": world["item"].code.code, "name": "Kablo"},
        "license": {"product": "Ofis", "seats": 2},
        "code": {"code": "255.02.02.99", "title": "Deneme"},
        "need": {
            "unit": world["need"].unit_id,
            "year": world["year"],
            "kind": "hardware",
            "description": "Yazıcı",
            "justification": "Eskidi",
        },
        "move": {"room": world["room"].pk, "reason": "Kullanım"},
        "issue": {"asset": spare.pk, "receiver": "memur"},
        "stock_issue": {"item": world["item"].pk, "store": world["store"].pk, "quantity": "1"},
        "stock_receipt": {
            "store": world["store"].pk,
            "date": today,
            "supporting_reference": "Fatura 3",
            "supporting_date": today,
            "lines": [{"item": world["item"].pk, "quantity": "1", "unit_price": "5.00"}],
        },
        "loan": {
            "asset": spare.pk,
            "borrower": "Yalı Mahallesi Muhtarlığı",
            "coordinating_unit": unit,
            "purpose": "Seçim",
        },
        "loan_return": {"return_note": "Sağlam"},
        "repair": {"asset": spare.pk},
        "repair_back": {"note": "Onarıldı"},
        "assign": {"asset": spare.pk},
        "unassign": {"assignment": world["assignment"].pk},
        "assess": {"accept": True, "estimated_unit_cost": "1000.00"},
        "scan": {"room": world["room"].pk, "label": world["in_room"].sicil_no},
        "wipe": {"asset": spare.sicil_no, "method": "Güvenli silme", "witnessed_by": "sef"},
        "writeoff": {
            "commission": world["commission"].pk,
            "reason": "scrap",
            "explanation": "Eski",
            "assets": [spare.sicil_no],
        },
        "on_report": {
            "reason": "theft",
            "explanation": "Çalındı",
            "assets": [spare.sicil_no],
            "loss_report": "Karakol tutanağı",
            "loss_report_date": today,
        },
        "reject": {"reason": "Onarılabilir"},
        "coverage": {"contract": world["contract"].pk, "asset": spare.pk},
        "outage": {"provider_ticket": "TT-1"},
        "receipt": {
            "store": world["store"].pk,
            "supplier": "Tedarik A.Ş.",
            "received_on": today,
            "lines": [{"code": world["code"].code, "quantity": "1"}],
        },
        "receipt_accept": {"acceptance_reference": "Muayene 1", "acceptance_date": today},
        "receipt_refuse": {"note": "Eksik"},
        "store_handover": {"store": world["store"].pk, "received_by": "sef"},
        "cancel": {"reason": "Vazgeçildi"},
        "minimum": {"minimum_level": "3"},
        # A file is read once: a fresh upload for every request (multipart, not JSON).
        "handover_scan": lambda: {"file": SimpleUploadedFile("imzali.pdf", PDF, "application/pdf")},
        "data_line": {
            "provider": "TT",
            "circuit_id": "C-2",
            "site_a": world["site"].pk,
            "site_b": world["device"].site_id,
            "speed_mbps": 10,
        },
    }
