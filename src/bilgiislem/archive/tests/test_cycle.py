"""The yearly cycle (standards.md 4): January review of last year's closed folders, February
transfer to the institutional archive on a list both sides sign, reminders in January,
February and March."""

import datetime

import pytest
from django.utils import timezone

from bilgiislem.archive.choices import FolderStage, TransferState
from bilgiislem.archive.models import (
    AnnualReview,
    CommissionMember,
    DisposalCommission,
    FilePlanCode,
    Folder,
    LegalHold,
    StorageLocation,
)
from bilgiislem.archive.services import cycle
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization.models import OrgUnit

from .conftest import person
from .test_locations import institution_officer

pytestmark = pytest.mark.django_db
THIS_YEAR = timezone.localdate().year


def folder(
    unit="bilgi-islem",
    code="700.02",
    year=None,
    *,
    stage=FolderStage.UNIT_ARCHIVE,
    until=None,
    closed=True,
    **extra,
):
    """A folder made directly (its filing is the records work's business, tested there)."""
    year = year or THIS_YEAR - 1
    entry = FilePlanCode.objects.filter(code=code).order_by("-version__effective_from").first()
    return Folder.objects.create(
        unit=OrgUnit.objects.get(code=unit),
        code=entry,
        year=year,
        title=entry.title,
        stage=stage,
        closed_at=timezone.now() if closed else None,
        unit_years=entry.unit_years,
        institution_years=entry.institution_years,
        disposition=entry.disposition,
        unit_archive_until=until if until is not None else year + (entry.unit_years or 0),
        retention_until=year + (entry.unit_years or 0) + (entry.institution_years or 0),
        document_count=3,
        **extra,
    )


def unit(code):
    return OrgUnit.objects.get(code=code)


# --- January ---------------------------------------------------------------------------------


def test_each_unit_gets_the_list_of_its_closed_folders(file_plan):
    mine = folder()
    folder(code="700.01")
    folder(unit="yazi-isleri")
    folder(code="700.03", closed=False, stage=FolderStage.ACTIVE)  # not closed: not listed
    lists = {r.unit.code: r for r in cycle.annual_review_lists(THIS_YEAR - 1)}
    assert set(lists) == {"bilgi-islem", "yazi-isleri"}
    assert len(lists["bilgi-islem"].folders) == 2 and mine in lists["bilgi-islem"].folders
    only = cycle.annual_review_lists(THIS_YEAR - 1, person=person("mudur"))
    assert [r.unit.code for r in only] == ["bilgi-islem"]
    assert cycle.annual_review_lists(THIS_YEAR - 1, person=person("memur")) == []


@pytest.mark.parametrize("username", ["mudur", "sef"])
def test_the_director_or_chief_confirms_the_review(file_plan, username):
    folder()
    review = cycle.annual_review_confirm(
        actor=person(username), unit=unit("bilgi-islem"), year=THIS_YEAR - 1, note="Uygun."
    )
    assert review.checked_by.username == username and review.checked_at is not None
    event = AuditEvent.objects.get(action="archive.annual_review.confirmed")
    assert event.changes["folders"] == 1
    (entry,) = cycle.annual_review_lists(THIS_YEAR - 1)
    assert entry.confirmed


@pytest.mark.parametrize("username", ["memur", "arsiv", "yaziisleri.mudur", "baskan"])
def test_others_do_not_confirm_a_units_review(file_plan, username):
    folder()
    with pytest.raises(PermissionDeniedError):
        cycle.annual_review_confirm(
            actor=person(username), unit=unit("bilgi-islem"), year=THIS_YEAR - 1
        )
    assert not AnnualReview.objects.exists()
    assert AuditEvent.objects.filter(action="archive.annual_review.confirm_refused").count() == 1


def test_a_review_is_confirmed_once_for_a_past_year_with_folders(file_plan):
    folder()
    mudur, bilgi = person("mudur"), unit("bilgi-islem")
    for year in (THIS_YEAR, THIS_YEAR - 3, "geçen yıl"):
        with pytest.raises(DomainError) as caught:
            cycle.annual_review_confirm(actor=mudur, unit=bilgi, year=year)
        assert "year" in caught.value.errors
    cycle.annual_review_confirm(actor=mudur, unit=bilgi, year=THIS_YEAR - 1)
    with pytest.raises(DomainError) as caught:
        cycle.annual_review_confirm(actor=mudur, unit=bilgi, year=THIS_YEAR - 1)
    assert "year" in caught.value.errors
    assert AnnualReview.objects.count() == 1


def test_the_review_list_prints_as_csv_and_pdf(file_plan):
    folder()
    (entry,) = cycle.annual_review_lists(THIS_YEAR - 1)
    text = cycle.annual_review_csv(entry).decode("utf-8-sig")
    assert text.splitlines()[1].startswith("700.02;")
    pdf = cycle.annual_review_pdf(entry, printed_by=person("mudur"))
    assert pdf.startswith(b"%PDF")


# --- February --------------------------------------------------------------------------------


def test_the_list_proposes_folders_whose_unit_period_has_ended(file_plan):
    due = folder(year=THIS_YEAR - 3, until=THIS_YEAR - 1)
    held = folder(code="700.01", year=THIS_YEAR - 3, until=THIS_YEAR - 2)
    LegalHold.objects.create(folder=held, reason="Dava sürüyor.", placed_by=person("mudur"))
    folder(code="700.03", year=THIS_YEAR - 1, until=THIS_YEAR)  # not yet
    folder(code="700.04", year=THIS_YEAR - 3, until=THIS_YEAR - 2, unit="yazi-isleri")
    candidates = list(cycle.transfer_candidates(unit("bilgi-islem"), THIS_YEAR))
    # A legal hold stops disposal, not transfer.
    assert candidates == sorted([due, held], key=lambda f: (f.code.code, f.year, f.pk))
    transfer = cycle.transfer_list_prepare(
        actor=person("arsiv"), unit=unit("bilgi-islem"), year=THIS_YEAR
    )
    assert set(transfer.folders.all()) == {due, held} and transfer.state == TransferState.DRAFT
    # Already on a live list: nothing left to propose.
    with pytest.raises(DomainError) as caught:
        cycle.transfer_list_prepare(actor=person("mudur"), unit=unit("bilgi-islem"), year=THIS_YEAR)
    assert "unit" in caught.value.errors


def test_both_sides_sign_and_the_folders_move_to_the_institutional_archive(file_plan):
    box = StorageLocation.objects.create(kind="box", label="Kutu 1", unit=unit("bilgi-islem"))
    due = folder(year=THIS_YEAR - 3, until=THIS_YEAR - 1, location=box)
    transfer = cycle.transfer_list_prepare(
        actor=person("mudur"), unit=unit("bilgi-islem"), year=THIS_YEAR
    )
    officer = institution_officer()
    with pytest.raises(DomainError) as caught:  # the unit has not handed it over yet
        cycle.transfer_list_receive(actor=officer, transfer=transfer)
    assert "state" in caught.value.errors
    with pytest.raises(PermissionDeniedError):
        cycle.transfer_list_hand_over(actor=person("memur"), transfer=transfer)
    cycle.transfer_list_hand_over(actor=person("sef"), transfer=transfer)
    assert transfer.state == TransferState.HANDED_OVER and transfer.handed_by.username == "sef"
    for username in ("arsiv", "mudur"):
        with pytest.raises(PermissionDeniedError):
            cycle.transfer_list_receive(actor=person(username), transfer=transfer)
    cycle.transfer_list_receive(actor=officer, transfer=transfer)
    transfer.refresh_from_db()
    due.refresh_from_db()
    assert transfer.state == TransferState.RECEIVED and transfer.received_by == officer
    assert due.stage == FolderStage.INSTITUTION_ARCHIVE and due.location is None
    actions = set(
        AuditEvent.objects.filter(object_type="archive.transferlist").values_list(
            "action", flat=True
        )
    )
    assert {
        "archive.transfer.prepared",
        "archive.transfer.handed_over",
        "archive.transfer.hand_over_refused",
        "archive.transfer.receive_refused",
        "archive.transfer.received",
    } <= actions
    assert cycle.transfer_list_pdf(transfer, printed_by=officer).startswith(b"%PDF")


def test_a_folder_is_taken_off_a_draft_with_a_reason(file_plan):
    first = folder(year=THIS_YEAR - 3, until=THIS_YEAR - 1)
    second = folder(code="700.01", year=THIS_YEAR - 3, until=THIS_YEAR - 1)
    transfer = cycle.transfer_list_prepare(
        actor=person("mudur"), unit=unit("bilgi-islem"), year=THIS_YEAR
    )
    with pytest.raises(DomainError) as caught:
        cycle.transfer_list_remove(
            actor=person("mudur"), transfer=transfer, folder=first, reason=""
        )
    assert "reason" in caught.value.errors
    cycle.transfer_list_remove(
        actor=person("mudur"), transfer=transfer, folder=first, reason="Hâlâ kullanılıyor."
    )
    assert list(transfer.folders.all()) == [second]
    cycle.transfer_list_hand_over(actor=person("arsiv"), transfer=transfer)
    with pytest.raises(DomainError) as caught:
        cycle.transfer_list_cancel(actor=person("mudur"), transfer=transfer, reason="Vazgeçildi")
    assert "state" in caught.value.errors


def test_a_year_that_has_not_come_is_refused(file_plan):
    folder(year=THIS_YEAR - 3, until=THIS_YEAR - 1)
    with pytest.raises(DomainError) as caught:
        cycle.transfer_list_prepare(
            actor=person("mudur"), unit=unit("bilgi-islem"), year=THIS_YEAR + 1
        )
    assert "year" in caught.value.errors


def test_transfer_lists_are_seen_by_the_unit_side_and_the_institutional_archive(file_plan):
    folder(year=THIS_YEAR - 3, until=THIS_YEAR - 1)
    transfer = cycle.transfer_list_prepare(
        actor=person("mudur"), unit=unit("bilgi-islem"), year=THIS_YEAR
    )
    for username in ("mudur", "sef", "arsiv"):
        assert cycle.transfer_get_for_user(person(username), transfer.pk) == transfer
    from django.http import Http404

    for username in ("memur", "yazilim", "by2"):
        with pytest.raises(Http404):
            cycle.transfer_get_for_user(person(username), transfer.pk)
    # The receiving side: the institutional archive officer and the officer's superiors.
    assert cycle.transfer_get_for_user(person("yaziisleri.mudur"), transfer.pk) == transfer
    assert cycle.transfer_get_for_user(institution_officer(), transfer.pk) == transfer


# --- the year at a glance and the reminders --------------------------------------------------


def test_the_cycle_page_shows_each_units_state(file_plan):
    folder()
    folder(year=THIS_YEAR - 3, until=THIS_YEAR - 1, code="700.01")
    cycle.annual_review_confirm(actor=person("mudur"), unit=unit("bilgi-islem"), year=THIS_YEAR - 1)
    (row,) = cycle.cycle_overview(person("mudur"))
    assert row.unit.code == "bilgi-islem"
    assert row.review_folders == 1 and row.review.checked_by.username == "mudur"
    assert row.transfer_due == 1 and row.transfers == []
    assert cycle.cycle_overview(person("memur")) == []


def test_reminders_go_out_on_the_first_business_day_once(file_plan):
    folder(year=2026, until=2027)
    jan_first_business = datetime.date(2027, 1, 4)  # 1 January is a holiday, then a weekend
    assert cycle.first_business_day(2027, 1) == jan_first_business
    assert cycle.cycle_remind(datetime.date(2027, 1, 1)) is None
    assert cycle.cycle_remind(jan_first_business) == "review"
    assert cycle.cycle_remind(jan_first_business) is None
    event = AuditEvent.objects.get(action="archive.cycle.reminded")
    assert {"mudur", "arsiv"} <= set(event.changes["to"])
    assert cycle.cycle_remind(datetime.date(2027, 1, 5)) is None
    assert cycle.cycle_remind(datetime.date(2027, 4, 1)) is None


def test_the_march_reminder_reaches_the_commission_chair(file_plan):
    commission = DisposalCommission.objects.create(
        name="Ayıklama ve İmha Komisyonu",
        appointed_by=person("mudur"),
        valid_from=datetime.date(2026, 1, 1),
    )
    CommissionMember.objects.create(commission=commission, person=person("sef"), role="chair")
    march = cycle.first_business_day(2027, 3)
    assert cycle.cycle_remind(march) == "disposal"
    event = AuditEvent.objects.get(action="archive.cycle.reminded")
    assert "sef" in event.changes["to"] and event.changes["step"] == "disposal"


# --- the pages -------------------------------------------------------------------------------


def test_the_cycle_pages(client_as, file_plan):
    closed = folder()
    folder(code="700.01", year=THIS_YEAR - 3, until=THIS_YEAR - 1)
    bilgi = unit("bilgi-islem")
    mudur = client_as("mudur")
    page = mudur.get("/arsiv/dongu/").content.decode()
    assert 'data-unit="bilgi-islem"' in page and 'data-review="open"' in page
    review_url = f"/arsiv/dongu/kontrol/{THIS_YEAR - 1}/{bilgi.pk}/"
    review = mudur.get(review_url)
    assert f'data-folder="{closed.pk}"' in review.content.decode()
    assert mudur.get(review_url + "?format=csv").content.decode("utf-8-sig").count("\n") == 2
    assert mudur.get(review_url + "?format=pdf").content.startswith(b"%PDF")
    assert mudur.post(review_url + "onayla/", {"note": "Tamam"}).status_code == 302
    assert AnnualReview.objects.get().checked_by.username == "mudur"
    prepared = mudur.post("/arsiv/dongu/devir/hazirla/", {"unit": bilgi.pk, "year": THIS_YEAR})
    transfer = cycle.TransferList.objects.get()
    assert prepared.url == f"/arsiv/dongu/devir/{transfer.pk}/"
    detail = mudur.get(prepared.url).content.decode()
    assert 'name="hand_over"' in detail and 'name="receive"' not in detail
    assert mudur.post(f"/arsiv/dongu/devir/{transfer.pk}/teslim-al/").status_code == 403
    mudur.post(f"/arsiv/dongu/devir/{transfer.pk}/teslim-et/")
    transfer.refresh_from_db()
    assert transfer.state == TransferState.HANDED_OVER
    assert mudur.get(prepared.url + "?format=pdf").content.startswith(b"%PDF")
    overview = mudur.get("/arsiv/dongu/").content.decode()
    assert (
        f"/arsiv/dongu/devir/{transfer.pk}/" in overview and 'data-review="confirmed"' in overview
    )


def test_the_cycle_pages_are_closed_to_others(client_as, file_plan):
    folder()
    bilgi = unit("bilgi-islem")
    memur = client_as("memur")
    assert memur.get("/arsiv/dongu/").status_code == 404
    assert memur.get(f"/arsiv/dongu/kontrol/{THIS_YEAR - 1}/{bilgi.pk}/").status_code == 404
    confirm = f"/arsiv/dongu/kontrol/{THIS_YEAR - 1}/{bilgi.pk}/onayla/"
    assert client_as("arsiv").post(confirm).status_code == 403
    assert not AnnualReview.objects.exists()
