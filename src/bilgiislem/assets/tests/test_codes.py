"""The code list: asset kinds from the data file, institution levels, corrections, and an
entry VİF registering each item as its code's kind (H-PLACES)."""

import datetime

import pytest

from bilgiislem.assets.choices import AssetKind, VifKind
from bilgiislem.assets.models import Asset, TasinirCode
from bilgiislem.assets.services.codes import (
    asset_kind_of,
    tasinir_code_create,
    tasinir_code_update,
    tasinir_codes_load,
    tasinir_codes_load_file,
)
from bilgiislem.assets.services.vif import vif_create, vif_sign
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from .conftest import tr

pytestmark = pytest.mark.django_db


def test_data_file_gives_durable_codes_their_kind_and_consumables_none():
    tasinir_codes_load_file()
    kinds = dict(TasinirCode.objects.values_list("code", "asset_kind"))
    assert kinds["255.02.02.02"] == AssetKind.LAPTOP
    assert kinds["255.02.02.06"] == AssetKind.STORAGE
    assert kinds["253.02.02"] == AssetKind.ACCESS_POINT
    assert kinds["255.02.02.07"] == AssetKind.SCREEN
    assert {kinds[c] for c in kinds if c.startswith("150")} == {""}
    # Every leaf durable code of the sample list says what its items are.
    leaves = {c for c in kinds if not any(o.startswith(f"{c}.") for o in kinds)}
    assert {c for c in leaves if c[:3] in {"253", "255"} and not kinds[c]} == set()


def test_a_list_without_kinds_keeps_the_recorded_ones_and_bad_kinds_are_refused():
    tasinir_codes_load(
        data={
            "codes": [
                {"code": "255", "title": "Demirbaşlar"},
                {"code": "255.09", "title": "Yazıcılar", "asset_kind": "printer"},
            ]
        }
    )
    again = tasinir_codes_load(data={"codes": [{"code": "255.09", "title": "Yazıcılar (HMB)"}]})
    assert (again.created, again.updated) == (0, 1)
    row = TasinirCode.objects.get(code="255.09")
    assert (row.title, row.asset_kind) == ("Yazıcılar (HMB)", AssetKind.PRINTER)
    cleared = tasinir_codes_load(
        data={"codes": [{"code": "255.09", "title": row.title, "asset_kind": ""}]}
    )
    assert cleared.updated == 1 and TasinirCode.objects.get(code="255.09").asset_kind == ""
    for bad in (
        {"code": "255.10", "title": "X", "asset_kind": "toaster"},
        {"code": "150.09", "title": "Toner", "asset_kind": "printer"},
    ):
        with pytest.raises(DomainError) as caught:
            tasinir_codes_load(data={"codes": [bad]})
        assert list(caught.value.errors) == ["path"]
    assert not TasinirCode.objects.filter(code__in=["255.10", "150.09"]).exists()


def test_kind_comes_from_the_nearest_parent_that_has_one():
    top = TasinirCode.objects.create(code="255", title="Demirbaşlar")
    group = TasinirCode.objects.create(
        code="255.02.02.05", title="Sunucu", parent=top, asset_kind=AssetKind.SERVER
    )
    leaf = TasinirCode.objects.create(code="255.02.02.05.01", title="Blade", parent=group)
    assert asset_kind_of(leaf) == AssetKind.SERVER
    assert asset_kind_of(top) == AssetKind.OTHER


def test_institution_level_under_a_code(kayit, people, tasinir_code):
    made = tasinir_code_create(
        actor=kayit, code=" 255.02.02.02.01 ", title="Dizüstü (mühendislik)", asset_kind=""
    )
    assert made.parent == tasinir_code and asset_kind_of(made) == AssetKind.OTHER
    event = AuditEvent.objects.filter(action="assets.code.created").latest("seq")
    assert event.changes["code"] == "255.02.02.02.01"
    refusals = [
        ({"code": "255.02.02.02.01", "title": "Yine"}, "code", "This code exists."),
        ({"code": "255-02", "title": "X"}, "code", None),
        ({"code": "999.01", "title": "X"}, "code", "A new code goes under a code of the list."),
        ({"code": "255.02.02.02.02", "title": " "}, "title", "Enter the code's title."),
    ]
    for values, field, message in refusals:
        with pytest.raises(DomainError) as caught:
            tasinir_code_create(actor=kayit, **values)
        assert list(caught.value.errors) == [field]
        if message:
            assert caught.value.errors[field] == [tr(message)]
    with pytest.raises(PermissionDeniedError):
        tasinir_code_create(actor=people["sef"], code="255.02.02.02.03", title="X")
    assert TasinirCode.objects.filter(code__startswith="255.02.02.02.").count() == 1


def test_correct_title_kind_and_sample_mark(kayit, people, tasinir_code, consumable_code):
    tasinir_code_update(
        actor=people["mudur"], code=tasinir_code, asset_kind="computer", is_sample=False
    )
    tasinir_code.refresh_from_db()
    assert (tasinir_code.asset_kind, tasinir_code.is_sample) == ("computer", False)
    event = AuditEvent.objects.filter(action="assets.code.updated").latest("seq")
    assert event.changes == {"asset_kind": ["", "computer"], "is_sample": [True, False]}
    for code, values, field in (
        (consumable_code, {"asset_kind": "printer"}, "asset_kind"),
        (tasinir_code, {"asset_kind": "toaster"}, "asset_kind"),
        (tasinir_code, {"title": ""}, "title"),
        (tasinir_code, {"parent": None}, "parent"),
    ):
        with pytest.raises(DomainError) as caught:
            tasinir_code_update(actor=kayit, code=code, **values)
        assert list(caught.value.errors) == [field]
    with pytest.raises(PermissionDeniedError):
        tasinir_code_update(actor=people["memur"], code=tasinir_code, title="X")
    assert TasinirCode.objects.get(pk=consumable_code.pk).asset_kind == ""


def test_entry_vif_registers_items_as_their_codes_kind_with_the_data_flag(kayit, store):
    tasinir_codes_load_file()
    codes = {c.code: c for c in TasinirCode.objects.all()}
    day = datetime.date(2026, 3, 10)
    vif = vif_create(
        actor=kayit,
        kind=VifKind.PURCHASE,
        store=store,
        date=day,
        supporting_reference="Muayene ve kabul 7",
        supporting_date=day,
        lines=[
            {"code": codes["255.02.02.06"], "unit_price": "3000"},
            {"code": codes["253.02.02"], "unit_price": "4000"},
            {"code": codes["255.02.02.03"], "unit_price": "5000"},
            {"code": codes["255.02.03"], "unit_price": "900"},
        ],
    )
    vif_sign(actor=kayit, vif=vif)
    made = {
        a.code.code: (a.kind, a.is_storage_medium)
        for a in Asset.objects.filter(vif_lines__vif=vif).select_related("code")
    }
    assert made == {
        "255.02.02.06": (AssetKind.STORAGE, True),
        "253.02.02": (AssetKind.ACCESS_POINT, False),
        "255.02.02.03": (AssetKind.MONITOR, False),
        "255.02.03": (AssetKind.PHONE, False),
    }


def test_entry_vif_of_a_code_without_kind_registers_other(kayit, store, tasinir_code):
    day = datetime.date(2026, 3, 10)
    vif = vif_create(
        actor=kayit,
        kind=VifKind.PURCHASE,
        store=store,
        date=day,
        supporting_reference="Fatura 1",
        supporting_date=day,
        lines=[{"code": tasinir_code, "unit_price": "1"}],
    )
    vif_sign(actor=kayit, vif=vif)
    asset = Asset.objects.get(vif_lines__vif=vif)
    assert (asset.kind, asset.is_storage_medium) == (AssetKind.OTHER, False)
