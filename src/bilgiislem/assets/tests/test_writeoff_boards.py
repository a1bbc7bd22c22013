"""Write-off, second pass (issue 7 point 6): the expert member a scrapping commission needs,
the write-off on a report documenting the loss (no commission), and the yearly consolidated
report to the top manager — in the services, the API and the pages."""

import datetime
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from bilgiislem.assets.choices import AssetStatus, VifKind, WriteOffState
from bilgiislem.assets.models import Board, WriteOff
from bilgiislem.assets.services import writeoff as services
from bilgiislem.assets.services import writeoff_report
from bilgiislem.assets.services.vif import vif_sign
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.core.pdftext import extract_text
from bilgiislem.core.storage import open_verified

from .conftest import tr

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate()
YESTERDAY = TODAY - datetime.timedelta(days=1)
EXPERT_MESSAGE = (
    "Scrapping is evaluated by a commission with an expert on the items among its members: "
    "name the commission's expert first."
)


@pytest.fixture
def plain_commission(people, kayit):
    """A commission without an expert member."""
    return services.writeoff_commission_appoint(
        actor=people["mudur"],
        name="Komisyon",
        members=[people["sef"], people["memur"], kayit],
        chair=people["sef"],
    )


def _on_report(actor, assets=(), **changes):
    values = {
        "actor": actor,
        "reason": "theft",
        "explanation": "Dizüstü bilgisayar araçtan çalındı.",
        "assets": assets,
        "loss_report": "Karasu Emniyet Amirliği tutanağı",
        "loss_report_date": YESTERDAY,
    }
    values.update(changes)
    return services.writeoff_on_report(**values)


# ---------------------------------------------------------------- the expert member


def test_the_expert_must_be_a_member(people, kayit):
    with pytest.raises(DomainError) as outsider:
        services.writeoff_commission_appoint(
            actor=people["mudur"],
            name="Komisyon",
            members=[people["sef"], people["memur"], kayit],
            chair=people["sef"],
            expert=people["yazilim"],
        )
    assert "expert" in outsider.value.errors
    assert not Board.objects.filter(purpose=Board.Purpose.WRITE_OFF).exists()


@pytest.mark.parametrize("reason", ["scrap", "breakage"])
def test_scrapping_needs_a_commission_with_an_expert(
    people, plain_commission, asset_factory, reason
):
    with pytest.raises(DomainError) as refused:
        services.writeoff_propose(
            actor=people["memur"],
            commission=plain_commission,
            reason=reason,
            explanation="Eski",
            assets=[asset_factory()],
        )
    assert refused.value.errors == {"expert": [tr(EXPERT_MESSAGE)]}
    assert not WriteOff.objects.exists()


def test_a_loss_needs_no_expert_and_an_old_proposal_is_checked_at_approval(
    people, plain_commission, asset_factory
):
    lost = services.writeoff_propose(
        actor=people["memur"],
        commission=plain_commission,
        reason="loss",
        explanation="Kayboldu.",
        assets=[asset_factory()],
    )
    assert lost.state == WriteOffState.PROPOSED
    # A scrapping proposed before the rule (written directly): the Director cannot approve it.
    old = WriteOff.objects.create(
        commission=plain_commission, reason="scrap", explanation="Eski", proposed_by=people["sef"]
    )
    old.assets.set([asset_factory()])
    with pytest.raises(DomainError) as refused:
        services.writeoff_approve(actor=people["mudur"], writeoff=old)
    assert "expert" in refused.value.errors
    old.refresh_from_db()
    assert old.state == WriteOffState.PROPOSED and old.vif is None


def test_api_commission_expert_and_scrap_refused_without_one(client_as, asset_factory):
    mudur = client_as("mudur")
    body = {"name": "Hurda", "members": ["sef", "memur", "kalem"], "chair": "sef"}
    wrong = mudur.post(
        "/api/assets/writeoff-commissions/", {**body, "expert": "yazilim"}, "application/json"
    )
    assert wrong.status_code == 400 and "expert" in wrong.json()
    plain = mudur.post("/api/assets/writeoff-commissions/", body, "application/json")
    assert plain.status_code == 201 and plain.json()["expert"] is None
    expert = mudur.post(
        "/api/assets/writeoff-commissions/", {**body, "expert": "memur"}, "application/json"
    )
    assert expert.status_code == 201 and expert.json()["expert"] == "memur"

    laptop = asset_factory()
    proposal = {"reason": "scrap", "explanation": "Eski", "assets": [laptop.sicil_no]}
    memur = client_as("memur")
    refused = memur.post(
        "/api/assets/writeoffs/", {**proposal, "commission": plain.json()["id"]}, "application/json"
    )
    assert refused.status_code == 400 and refused.json()["expert"] == [tr(EXPERT_MESSAGE)]
    assert not WriteOff.objects.exists()
    made = memur.post(
        "/api/assets/writeoffs/",
        {**proposal, "commission": expert.json()["id"]},
        "application/json",
    )
    assert made.status_code == 201


def test_pages_commission_expert_and_scrap_refused_without_one(
    client_as, people, kayit, plain_commission, asset_factory
):
    mudur = client_as("mudur")
    wrong = mudur.post(
        reverse("assets:writeoff-commission-new"),
        {
            "name": "Hurda",
            "members": [people["sef"].pk, people["memur"].pk, kayit.pk],
            "chair": people["sef"].pk,
            "expert": people["yazilim"].pk,
        },
    )
    assert wrong.status_code == 200 and wrong.context["form"].errors["expert"]
    laptop = asset_factory()
    refused = client_as("memur").post(
        reverse("assets:writeoff-new"),
        {
            "commission": plain_commission.pk,
            "reason": "scrap",
            "explanation": "Eski",
            "assets": laptop.sicil_no,
        },
    )
    assert refused.status_code == 200
    assert tr(EXPERT_MESSAGE) in refused.context["form"].non_field_errors()
    assert not WriteOff.objects.exists()


# ---------------------------------------------------------------- on a report, no commission


def test_on_report_refusals(people, kayit, asset_factory):
    laptop = asset_factory()
    with pytest.raises(PermissionDeniedError):
        _on_report(people["memur"], [laptop])
    cases = [
        ({"reason": "scrap"}, "reason"),
        ({"loss_report": "  "}, "loss_report"),
        ({"loss_report_date": None}, "loss_report_date"),
        ({"loss_report_date": TODAY + datetime.timedelta(days=1)}, "loss_report_date"),
        ({"explanation": ""}, "explanation"),
        ({"assets": []}, "assets"),
    ]
    for changes, field in cases:
        with pytest.raises(DomainError) as refused:
            _on_report(kayit, **{"assets": [laptop], **changes})
        assert field in refused.value.errors, changes
    with pytest.raises(DomainError) as unknown:
        services.registered_document(kayit, "2099/999")
    assert "loss_report_document" in unknown.value.errors
    with pytest.raises(DomainError) as malformed:
        services.registered_document(kayit, "145")
    assert "loss_report_document" in malformed.value.errors
    assert not WriteOff.objects.exists()


def test_on_report_approved_by_the_director_without_a_commission(people, kayit, asset_factory):
    from bilgiislem.assets.work import writeoffs_to_decide
    from bilgiislem.registry.tests.factories import register

    document = register(actor=kayit, subject="Hırsızlık tutanağı")
    assert services.registered_document(kayit, document.number_label) == document
    laptop = asset_factory(value="18000.00")
    writeoff = _on_report(kayit, [laptop], loss_report_document=document)
    assert writeoff.commission is None and writeoff.state == WriteOffState.PROPOSED
    [item] = writeoffs_to_decide(people["mudur"])
    assert "Karasu Emniyet" in item.title

    with pytest.raises(PermissionDeniedError):
        services.writeoff_approve(actor=kayit, writeoff=writeoff)
    approved = services.writeoff_approve(actor=people["mudur"], writeoff=writeoff)

    assert approved.state == WriteOffState.APPROVED
    assert approved.vif.kind == VifKind.WRITE_OFF
    assert approved.vif.supporting_document == document
    text = extract_text(open_verified(approved.minute_sha256))
    assert "Karasu Emniyet Amirliği tutanağı" in text
    assert YESTERDAY.strftime("%d.%m.%Y") in text
    vif_sign(actor=kayit, vif=approved.vif)
    laptop.refresh_from_db()
    assert laptop.status == AssetStatus.WRITTEN_OFF


def test_on_report_api(client_as, kayit, asset_factory):
    laptop = asset_factory()
    body = {
        "reason": "disaster",
        "explanation": "Arşiv odasındaki yangında yandı.",
        "assets": [laptop.sicil_no],
        "loss_report": "İtfaiye raporu 2026/14",
        "loss_report_date": YESTERDAY.isoformat(),
    }
    url = "/api/assets/writeoffs/on-report/"
    assert client_as("memur").post(url, body, "application/json").status_code == 403
    assert client_as("yaziisleri").post(url, body, "application/json").status_code == 404
    kalem = client_as("kalem")
    scrap = kalem.post(url, {**body, "reason": "scrap"}, "application/json")
    assert scrap.status_code == 400 and "reason" in scrap.json()
    nodoc = kalem.post(url, {**body, "loss_report_document": 0}, "application/json")
    assert nodoc.status_code == 400 and "loss_report_document" in nodoc.json()
    assert not WriteOff.objects.exists()
    made = kalem.post(url, body, "application/json")
    assert made.status_code == 201, made.content
    data = made.json()
    assert data["commission"] is None and data["loss_report"] == "İtfaiye raporu 2026/14"
    approved = client_as("mudur").post(f"/api/assets/writeoffs/{data['id']}/approve/")
    assert approved.status_code == 200 and approved.json()["state"] == "approved"


def test_on_report_pages(client_as, kayit, asset_factory):
    laptop = asset_factory()
    url = reverse("assets:writeoff-on-report")
    assert client_as("yaziisleri").get(url).status_code == 404
    assert client_as("memur").get(url).status_code == 403
    kalem = client_as("kalem")
    assert kalem.get(url).status_code == 200
    assert url.encode() in kalem.get(reverse("assets:writeoffs")).content
    body = {
        "reason": "loss",
        "loss_report": "Kayıp tutanağı",
        "loss_report_date": YESTERDAY.isoformat(),
        "loss_report_document": "",
        "explanation": "Toplantı salonunda kayboldu.",
        "assets": laptop.sicil_no,
    }
    bad = kalem.post(url, {**body, "loss_report_document": "2099/999"})
    assert bad.status_code == 400 and bad.context["form"].errors["loss_report_document"]
    assert not WriteOff.objects.exists()
    done = kalem.post(url, body)
    assert done.status_code == 302
    writeoff = WriteOff.objects.get()
    detail = client_as("mudur").get(reverse("assets:writeoff-detail", args=[writeoff.pk]))
    assert detail.status_code == 200 and b"data-loss-report" in detail.content
    approved = client_as("mudur").post(
        reverse("assets:writeoff-detail", args=[writeoff.pk]), {"approve": "1"}
    )
    assert approved.status_code == 302
    assert WriteOff.objects.get().state == WriteOffState.APPROVED
    assert client_as("mudur").get(reverse("assets:writeoffs")).status_code == 200


# ---------------------------------------------------------------- the yearly report


@pytest.fixture
def written_off(people, kayit, asset_factory):
    """This year: two items scrapped (12,500 + 300), one stolen (800), all signed off; a
    proposal still waiting (not in the report)."""
    commission = services.writeoff_commission_appoint(
        actor=people["mudur"],
        name="Hurda",
        members=[people["sef"], people["memur"], kayit],
        chair=people["sef"],
        expert=people["memur"],
    )
    scrap = services.writeoff_propose(
        actor=people["memur"],
        commission=commission,
        reason="scrap",
        explanation="Eski",
        assets=[asset_factory(value="12500.00"), asset_factory(value="300.00")],
    )
    theft = _on_report(kayit, [asset_factory(value="800.00")])
    for writeoff in (scrap, theft):
        approved = services.writeoff_approve(actor=people["mudur"], writeoff=writeoff)
        vif_sign(actor=kayit, vif=approved.vif)
    services.writeoff_propose(
        actor=people["memur"],
        commission=commission,
        reason="scrap",
        explanation="Bekliyor",
        assets=[asset_factory(value="999.00")],
    )
    return TODAY.year


def test_year_report_figures(written_off):
    report = writeoff_report.writeoff_year_report(written_off)
    assert [(r.reason, r.code, r.quantity, r.total) for r in report.rows] == [
        ("scrap", "255.02.02.02", Decimal(2), Decimal("12800.00")),
        ("theft", "255.02.02.02", Decimal(1), Decimal("800.00")),
    ]
    assert (report.quantity, report.total) == (Decimal(3), Decimal("13600.00"))
    assert sorted(line["unit_price"] for line in report.lines) == [
        Decimal("300.00"),
        Decimal("800.00"),
        Decimal("12500.00"),
    ]
    assert report.due == datetime.date(written_off + 1, 1, 31)
    assert writeoff_report.writeoff_year_report(written_off - 1).rows == []
    csv_text = writeoff_report.report_csv(report)
    assert csv_text.count("\n") == 5  # header, three items, total
    assert "13600.00" in csv_text


def test_year_report_pages_and_api(client_as, written_off):
    year = written_off
    page = reverse("assets:writeoff-year-report", args=[year])
    assert client_as("yaziisleri").get(page).status_code == 404
    assert client_as("yaziisleri").get(f"/api/assets/reports/write-offs/{year}/").status_code == 404
    for username in ("mudur", "baskan"):
        shown = client_as(username).get(page)
        assert shown.status_code == 200, username
        assert b"data-total>13.600,00<" in shown.content
    mudur = client_as("mudur")
    assert mudur.get(reverse("assets:writeoff-year-reports")).status_code == 302
    pdf = mudur.get(reverse("assets:writeoff-year-report-file", args=[year, "pdf"]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert "255.02.02.02" in extract_text(pdf.content)
    csv_file = mudur.get(reverse("assets:writeoff-year-report-file", args=[year, "csv"]))
    assert csv_file.status_code == 200 and "13600.00" in csv_file.content.decode("utf-8-sig")
    assert (
        mudur.get(reverse("assets:writeoff-year-report-file", args=[year, "xls"])).status_code
        == 404
    )

    data = mudur.get(f"/api/assets/reports/write-offs/{year}/").json()
    assert (data["quantity"], data["total"]) == ("3.000", "13600.00")
    assert [row["reason"] for row in data["rows"]] == ["scrap", "theft"]
    api_csv = mudur.get(f"/api/assets/reports/write-offs/{year}/csv/")
    assert api_csv.status_code == 200 and "13600.00" in api_csv.content.decode()


def test_count_shortage_vifs_are_in_the_year_report(people, kayit, room, asset_factory):
    from bilgiislem.assets.services import count as counts

    board = counts.count_board_appoint(
        actor=people["mudur"],
        name="Sayım Kurulu",
        members=[people["sef"], kayit, people["memur"]],
        chair=people["sef"],
    )
    count = counts.count_start(actor=people["mudur"], board=board, rooms=[room])
    asset_factory(room=room, status=AssetStatus.IN_USE, value="450.00")  # never scanned
    result = counts.count_close(actor=kayit, count=count)
    [writeoff] = WriteOff.objects.filter(pk__in=result["writeoffs"])
    vif = services.writeoff_approve(actor=people["mudur"], writeoff=writeoff).vif
    assert vif.kind == VifKind.COUNT_SHORTAGE
    vif_sign(actor=kayit, vif=vif)
    report = writeoff_report.writeoff_year_report(TODAY.year)
    assert [(r.reason, r.quantity, r.total) for r in report.rows] == [
        ("count_shortage", Decimal(1), Decimal("450.00"))
    ]


def test_the_director_is_reminded_of_the_report_in_january(people, kayit, time_machine):
    from bilgiislem.assets.work import writeoff_year_report_due

    time_machine.move_to(datetime.datetime(2027, 1, 10, 9, 0, tzinfo=datetime.UTC), tick=False)
    [item] = writeoff_year_report_due(people["mudur"])
    assert item.url == reverse("assets:writeoff-year-report", args=[2026])
    assert writeoff_year_report_due(kayit) == []
    time_machine.move_to(datetime.datetime(2027, 2, 1, 9, 0, tzinfo=datetime.UTC), tick=False)
    assert writeoff_year_report_due(people["mudur"]) == []


def test_a_stolen_medium_needs_no_wipe_a_burnt_one_does(people, kayit, asset_factory):
    stolen = _on_report(kayit, [asset_factory(is_storage_medium=True, kind="storage")])
    assert services.writeoff_approve(actor=people["mudur"], writeoff=stolen).vif is not None
    disk = asset_factory(is_storage_medium=True, kind="storage")
    burnt = _on_report(kayit, [disk], reason="disaster")
    with pytest.raises(DomainError) as refused:
        services.writeoff_approve(actor=people["mudur"], writeoff=burnt)
    assert disk.sicil_no in refused.value.errors["assets"][0]
