"""Pages of the VİF and of custody: the request → approve → hand over → acknowledge flow,
404 for people who may not see, field errors on bad input, and the PDFs."""

import datetime

import pytest
from django.urls import reverse

from bilgiislem.assets.choices import AssetStatus, RequestState, VifKind, VifState
from bilgiislem.assets.models import AssetRequest, HandoverDocument, Vif
from bilgiislem.assets.services.vif import vif_create


def test_request_approve_issue_acknowledge_flow(
    client_as, kayit, people, units, tasinir_code, asset_factory
):
    laptop = asset_factory()
    client = client_as("memur")
    response = client.post(
        reverse("assets:request-new"),
        {"unit": units["bilgi-islem"].pk, "code": tasinir_code.pk, "quantity": 1, "purpose": ""},
    )
    assert response.status_code == 200
    assert "purpose" in response.context["form"].errors
    assert not AssetRequest.objects.exists()
    response = client.post(
        reverse("assets:request-new"),
        {
            "unit": units["bilgi-islem"].pk,
            "code": tasinir_code.pk,
            "quantity": 1,
            "purpose": "Saha çalışması",
        },
    )
    item = AssetRequest.objects.get()
    assert response.status_code == 302

    detail = reverse("assets:request-detail", args=[item.pk])
    assert client_as("memur").post(detail, {"decide": "approve"}).status_code == 403
    assert client_as("yaziisleri").get(detail).status_code == 404
    client_as("mudur").post(detail, {"decide": "approve"})
    item.refresh_from_db()
    assert item.state == RequestState.APPROVED

    response = client_as("kalem").post(
        detail, {"issue": "1", "asset": laptop.pk, "receiver": people["memur"].pk}
    )
    handover = HandoverDocument.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("assets:handover-detail", args=[handover.pk])

    client = client_as("memur")
    assert laptop.sicil_no in client.get(reverse("assets:my-items")).content.decode()
    client.post(reverse("assets:handover-detail", args=[handover.pk]), {"acknowledge": "1"})
    handover.refresh_from_db()
    laptop.refresh_from_db()
    assert handover.acknowledged_at is not None
    assert (laptop.holder, laptop.status) == (people["memur"], AssetStatus.IN_USE)
    listing = client_as("memur").get(reverse("assets:home")).content.decode()
    assert "data-my-items" in listing and laptop.sicil_no in listing
    assert (
        client_as("yaziisleri")
        .get(reverse("assets:handover-detail", args=[handover.pk]))
        .status_code
        == 404
    )

    page = client_as("mudur").get(reverse("assets:clearance"), {"person": "memur"})
    assert page.status_code == 200 and laptop.sicil_no in page.content.decode()
    assert client_as("memur").get(reverse("assets:clearance")).status_code == 404

    pdf = client_as("memur").get(reverse("assets:handover-pdf", args=[handover.pk]))
    assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")


@pytest.fixture
def draft(kayit, store, tasinir_code):
    return vif_create(
        actor=kayit,
        kind=VifKind.PURCHASE,
        store=store,
        date=datetime.date(2026, 2, 2),
        supporting_reference="Fatura B-9",
        supporting_date=datetime.date(2026, 2, 1),
        lines=[{"code": tasinir_code, "unit_price": "19999.90"}],
    )


def test_vif_pages_sign_check_and_print(client_as, draft):
    assert client_as("yaziisleri").get(reverse("assets:vif-list")).status_code == 404
    detail = reverse("assets:vif-detail", args=[draft.pk])
    assert client_as("yaziisleri").get(detail).status_code == 404
    assert "Fatura B-9" in client_as("memur").get(reverse("assets:vif-list")).content.decode()

    sign = reverse("assets:vif-action", args=[draft.pk, "sign"])
    assert client_as("mudur").post(sign).status_code == 403
    client_as("kalem").post(sign)
    draft.refresh_from_db()
    assert (draft.state, draft.number) == (VifState.SIGNED, 1)

    control = reverse("assets:vif-action", args=[draft.pk, "control"])
    client_as("sef").post(control)
    draft.refresh_from_db()
    assert draft.controlled_by.username == "sef"

    pdf = client_as("sef").get(reverse("assets:vif-pdf", args=[draft.pk]))
    assert pdf.content.startswith(b"%PDF")
    assert Vif.objects.count() == 1


def _vif_form(store, **extra):
    data = {
        "kind": "purchase",
        "store": store.pk,
        "date": "2026-05-10",
        "supporting_reference": "Fatura D-4",
        "supporting_date": "2026-05-09",
        "line-TOTAL_FORMS": "6",
        "line-INITIAL_FORMS": "0",
        "line-0-code": "255.02.02.02",
        "line-0-quantity": "2",
        "line-0-unit_price": "30000",
    }
    data.update(extra)
    return data


def test_vif_form_prepares_a_draft_and_names_bad_fields(client_as, kayit, store, tasinir_code):
    url = reverse("assets:vif-new")
    assert client_as("yaziisleri").get(url).status_code == 404
    assert client_as("memur").get(url).status_code == 403
    client = client_as("kalem")
    bad = client.post(url, _vif_form(store, supporting_date="2026-05-11"))
    assert bad.status_code == 200 and "date" in bad.context["form"].errors
    unknown = client.post(url, _vif_form(store, **{"line-1-sicil_no": "255-26-99999"}))
    assert unknown.status_code == 200 and unknown.context["form"].non_field_errors()
    assert not Vif.objects.exists()
    response = client.post(url, _vif_form(store))
    vif = Vif.objects.get()
    assert response["Location"] == reverse("assets:vif-detail", args=[vif.pk])
    assert (vif.state, vif.lines.count()) == (VifState.DRAFT, 2)


def test_shared_room_list_page_sign_and_print(client_as, kayit, shared_room, asset_factory):
    asset = asset_factory(room=shared_room, status=AssetStatus.IN_USE)
    url = reverse("assets:shared-list", args=[shared_room.pk])
    assert client_as("yaziisleri").get(url).status_code == 404
    assert asset.sicil_no in client_as("memur").get(url).content.decode()
    sign = reverse("assets:shared-list-sign", args=[shared_room.pk])
    assert client_as("memur").post(sign).status_code == 403
    client_as("kalem").post(sign)
    assert shared_room.list_signoffs.get().items[0]["sicil_no"] == asset.sicil_no
    pdf = client_as("kalem").get(reverse("assets:shared-list-pdf", args=[shared_room.pk]))
    assert pdf.content.startswith(b"%PDF")


def test_asset_list_sums_up_what_i_hold_and_asks_to_acknowledge(
    client_as, kayit, people, asset_factory
):
    from bilgiislem.assets.services.custody import handover_acknowledge, handover_issue

    first = handover_issue(actor=kayit, asset=asset_factory(), receiver=people["memur"])
    second = handover_issue(actor=kayit, asset=asset_factory(), receiver=people["memur"])
    handover_acknowledge(actor=people["memur"], handover=first)
    page = client_as("memur").get(reverse("assets:home")).content.decode()
    summary = page[page.index("data-my-items") :]
    assert "2 taşınır zimmetinizde." in summary
    assert reverse("assets:handover-detail", args=[second.pk]) in summary
    assert reverse("assets:handover-detail", args=[first.pk]) not in summary
    assert "data-my-items" not in client_as("sef").get(reverse("assets:home")).content.decode()
