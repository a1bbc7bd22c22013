"""Disposal under supervision (issue 5 point 6, RYY art. 13(ç)): candidates, the commission,
the list's approvals and their bad input, through the services."""

# Fixtures come from disposal_support by import, so test arguments shadow them by design.
# ruff: noqa: F811

import datetime

import pytest

from bilgiislem.archive.choices import DisposalListState, Disposition, FolderStage
from bilgiislem.archive.models import (
    CommissionMember,
    DisposalApproval,
    DisposalItem,
    DisposalList,
    TransferList,
)
from bilgiislem.archive.services.commission import commission_appoint
from bilgiislem.archive.services.disposal import (
    disposal_approve,
    disposal_candidates,
    disposal_item_remove,
    disposal_list_cancel,
    disposal_list_create,
    disposal_superior_approve,
    state_archives_candidates,
    state_archives_transfer_prepare,
)
from bilgiislem.archive.services.holds import legal_hold_lift, legal_hold_place
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.registry.tests.factories import english  # noqa: F401  (autouse below)

from .conftest import person
from .disposal_support import (
    APPROVER,
    CHAIR,
    MEMBERS,
    YEAR,
    approve_by_members,
    commission,  # noqa: F401 (fixture)
    expire,
    make_list,
    set_disposition,
)


@pytest.fixture
def folder(archived_folder):
    return expire(archived_folder)


def candidate_ids(year=YEAR):
    return set(disposal_candidates(year).values_list("pk", flat=True))


# --- candidates ------------------------------------------------------------------------------


def test_an_expired_destroy_folder_is_a_candidate_only_after_its_retention(folder):
    assert folder.stage == FolderStage.UNIT_ARCHIVE
    assert folder.pk in candidate_ids(2021)
    assert folder.pk not in candidate_ids(2020)  # retention ends at the end of 2020


@pytest.mark.parametrize(
    ("disposition", "candidate"),
    [
        (Disposition.DESTROY, True),
        (Disposition.EVALUATE, True),
        (Disposition.KEEP, False),
        (Disposition.TRANSFER, False),
    ],
)
def test_only_destroy_and_evaluate_folders_are_candidates(folder, disposition, candidate):
    set_disposition(folder, disposition)
    assert (folder.pk in candidate_ids()) is candidate
    assert (folder.pk in state_archives_candidates(YEAR).values_list("pk", flat=True)) is (
        disposition == Disposition.TRANSFER
    )


def test_a_hold_on_the_folder_or_one_of_its_documents_keeps_it_off(folder):
    hold = legal_hold_place(actor=person("mudur"), folder=folder, reason="Dava 2026/12")
    assert folder.pk not in candidate_ids()
    legal_hold_lift(actor=person("mudur"), hold=hold, reason="Dava kesinleşti")
    assert folder.pk in candidate_ids()
    document = folder.records.first().document
    legal_hold_place(actor=person("mudur"), document=document, reason="Bilirkişi incelemesi")
    assert folder.pk not in candidate_ids()


def test_a_hold_on_another_folder_holding_a_copy_keeps_the_record_folder_off(folder):
    from bilgiislem.archive.models import Filing, Folder

    other = Folder.objects.create(
        unit=folder.unit, code=folder.code, year=folder.year - 1, title="Başka klasör"
    )
    Filing.objects.create(
        folder=other,
        document=folder.records.first().document,
        is_main=False,
        filed_by=person("arsiv"),
    )
    legal_hold_place(actor=person("mudur"), folder=other, reason="Soruşturma")
    assert folder.pk not in candidate_ids()


def test_a_folder_on_a_list_in_progress_is_not_listed_again(folder, commission):
    disposal_list = make_list(commission)
    assert folder.pk not in candidate_ids()
    item = disposal_list.items.get(folder=folder)
    disposal_item_remove(actor=person("kalem"), item=item, reason="Bir yıl daha kalsın")
    assert folder.pk in candidate_ids()


def test_transfer_folders_go_to_a_proposed_state_archives_list(folder):
    set_disposition(folder, Disposition.TRANSFER)
    transfer = state_archives_transfer_prepare(actor=person(APPROVER), year=YEAR)
    assert transfer.kind == "to_state_archives" and transfer.unit.code == "yazi-isleri"
    assert list(transfer.folders.all()) == [folder]
    assert folder.pk not in state_archives_candidates(YEAR).values_list("pk", flat=True)
    with pytest.raises(DomainError) as exc:
        state_archives_transfer_prepare(actor=person(APPROVER), year=YEAR)
    assert "year" in exc.value.errors


def test_only_the_superior_or_institution_archivist_prepares_a_state_transfer(folder):
    set_disposition(folder, Disposition.TRANSFER)
    with pytest.raises(PermissionDeniedError):
        state_archives_transfer_prepare(actor=person("memur"), year=YEAR)
    assert not TransferList.objects.exists()


# --- the commission --------------------------------------------------------------------------


def test_the_superior_appoints_a_commission_of_at_least_three(db):
    commission = commission_appoint(
        actor=person("yaziisleri.mudur"),
        name="Komisyon",
        chair=person("sef"),
        members=[person("arsiv"), person("kalem"), person("sef")],  # the chair once only
        valid_from=datetime.date(2026, 1, 1),
    )
    roles = sorted(commission.members.values_list("person__username", "role"))
    assert roles == [("arsiv", "member"), ("kalem", "member"), ("sef", "chair")]
    assert AuditEvent.objects.filter(action="archive.commission.appointed").exists()


def test_a_commission_of_two_is_refused_naming_members(db):
    with pytest.raises(DomainError) as exc:
        commission_appoint(
            actor=person("baskan"),
            name="Komisyon",
            chair=person("sef"),
            members=[person("arsiv"), person("sef")],
            valid_from=datetime.date(2026, 1, 1),
        )
    assert "members" in exc.value.errors
    assert not CommissionMember.objects.exists()


@pytest.mark.parametrize("username", ["mudur", "arsiv", "memur"])
def test_only_the_authorised_superior_appoints(db, username):
    """The Director of Bilgi İşlem is a Director, but not over the institutional archive."""
    with pytest.raises(PermissionDeniedError):
        commission_appoint(
            actor=person(username),
            name="Komisyon",
            chair=person("sef"),
            members=[person("arsiv"), person("kalem")],
            valid_from=datetime.date(2026, 1, 1),
        )
    assert AuditEvent.objects.filter(action="archive.commission.refused").count() == 1


def test_the_end_date_cannot_precede_the_start(db):
    with pytest.raises(DomainError) as exc:
        commission_appoint(
            actor=person("baskan"),
            name="Komisyon",
            chair=person("sef"),
            members=[person("arsiv"), person("kalem")],
            valid_from=datetime.date(2026, 6, 1),
            valid_until=datetime.date(2026, 1, 1),
        )
    assert "valid_until" in exc.value.errors


# --- the list's flow -------------------------------------------------------------------------


def test_the_chair_lists_the_candidates_with_a_snapshot(folder, commission):
    disposal_list = make_list(commission)
    (item,) = disposal_list.items.all()
    assert (item.folder, item.code, item.folder_year, item.document_count) == (
        folder,
        "700.01",
        2025,
        3,
    )
    assert item.unit_name == "Bilgi İşlem Müdürlüğü" and item.title == folder.title
    assert disposal_list.state == DisposalListState.DRAFT


def test_only_the_chair_creates_a_list(folder, commission):
    with pytest.raises(PermissionDeniedError):
        disposal_list_create(actor=person("arsiv"), commission=commission, year=YEAR)
    assert not DisposalList.objects.exists()


def test_a_year_without_candidates_is_refused_naming_year(folder, commission):
    with pytest.raises(DomainError) as exc:
        make_list(commission, year=2019)
    assert "year" in exc.value.errors


def test_every_member_approves_then_the_superior(folder, commission):
    disposal_list = make_list(commission)
    disposal_list = disposal_approve(actor=person(CHAIR), disposal_list=disposal_list)
    with pytest.raises(DomainError):  # not yet: the members have not all approved
        disposal_superior_approve(actor=person(APPROVER), disposal_list=disposal_list)
    for username in MEMBERS:
        disposal_list = disposal_approve(actor=person(username), disposal_list=disposal_list)
    assert disposal_list.state == DisposalListState.COMMISSION_APPROVED
    with pytest.raises(PermissionDeniedError):
        disposal_superior_approve(actor=person("mudur"), disposal_list=disposal_list)
    disposal_list = disposal_superior_approve(actor=person(APPROVER), disposal_list=disposal_list)
    assert disposal_list.state == DisposalListState.APPROVED
    assert disposal_list.approved_by == person(APPROVER)
    assert "Başkan Yardımcısı" in disposal_list.approved_as


def test_approving_twice_is_refused_and_records_nothing(folder, commission):
    disposal_list = make_list(commission)
    disposal_approve(actor=person("arsiv"), disposal_list=disposal_list)
    with pytest.raises(DomainError) as exc:
        disposal_approve(actor=person("arsiv"), disposal_list=disposal_list)
    assert not isinstance(exc.value, PermissionDeniedError)
    assert "already approved" in str(exc.value)
    assert DisposalApproval.objects.filter(disposal_list=disposal_list).count() == 1


def test_approval_by_someone_not_on_the_commission_is_refused(folder, commission):
    disposal_list = make_list(commission)
    with pytest.raises(PermissionDeniedError):
        disposal_approve(actor=person("mudur"), disposal_list=disposal_list)
    assert not DisposalApproval.objects.exists()
    assert AuditEvent.objects.filter(
        action="archive.disposal_list.refused", object_id=str(disposal_list.pk)
    ).exists()


def test_taking_an_item_off_needs_a_reason_and_a_member(folder, commission):
    disposal_list = make_list(commission)
    item = disposal_list.items.get()
    with pytest.raises(DomainError) as exc:
        disposal_item_remove(actor=person("kalem"), item=item, reason="  ")
    assert "reason" in exc.value.errors
    with pytest.raises(PermissionDeniedError):
        disposal_item_remove(actor=person("memur"), item=item, reason="Gerekli")
    item.refresh_from_db()
    assert not item.removed
    disposal_item_remove(actor=person("kalem"), item=item, reason="Denetim sürüyor")
    item.refresh_from_db()
    assert (item.removed, item.removed_reason, item.removed_by) == (
        True,
        "Denetim sürüyor",
        person("kalem"),
    )


def test_a_list_with_every_item_taken_off_cannot_be_approved(folder, commission):
    disposal_list = make_list(commission)
    disposal_item_remove(actor=person("kalem"), item=disposal_list.items.get(), reason="Kalsın")
    with pytest.raises(DomainError):
        disposal_approve(actor=person("kalem"), disposal_list=disposal_list)


def test_cancelling_needs_the_chair_or_superior_and_a_reason(folder, commission):
    disposal_list = approve_by_members(make_list(commission))
    with pytest.raises(PermissionDeniedError):
        disposal_list_cancel(actor=person("kalem"), disposal_list=disposal_list, reason="x")
    with pytest.raises(DomainError) as exc:
        disposal_list_cancel(actor=person(CHAIR), disposal_list=disposal_list, reason="")
    assert "reason" in exc.value.errors
    disposal_list = disposal_list_cancel(
        actor=person(CHAIR), disposal_list=disposal_list, reason="Yeniden hazırlanacak"
    )
    assert disposal_list.state == DisposalListState.CANCELLED
    assert folder.pk in candidate_ids()  # a cancelled list no longer holds it
    assert DisposalItem.objects.filter(disposal_list=disposal_list).exists()  # kept


# --- what waits for whom ("İşlerim") -----------------------------------------------------------


def test_work_items_follow_the_list(folder, commission):
    from bilgiislem.archive.services.disposal import disposal_superior_approve
    from bilgiislem.archive.work_disposal import waiting_count, work_items_for

    disposal_list = make_list(commission)
    (item,) = work_items_for(person("kalem"))
    assert item.url.endswith(f"/imha/listeler/{disposal_list.pk}/")
    assert item.due == datetime.date(YEAR, 3, 31)
    assert waiting_count(person(APPROVER)) == 0
    disposal_approve(actor=person("kalem"), disposal_list=disposal_list)
    assert waiting_count(person("kalem")) == 0
    assert waiting_count(person(CHAIR)) == 1
    for username in (CHAIR, "arsiv"):
        disposal_list = disposal_approve(actor=person(username), disposal_list=disposal_list)
    assert waiting_count(person(APPROVER)) == 1
    disposal_superior_approve(actor=person(APPROVER), disposal_list=disposal_list)
    assert waiting_count(person(APPROVER)) == 0
    assert waiting_count(person(CHAIR)) == 1  # to carry out
    assert waiting_count(person("memur")) == 0


def test_a_state_archives_list_received_moves_its_folders_out(folder):
    """The institutional officer hands the list over and records the State Archives'
    receipt; the folders are then "transferred", never candidates for anything again."""
    from bilgiislem.archive.services import cycle

    from .test_locations import institution_officer

    set_disposition(folder, Disposition.TRANSFER)
    transfer = state_archives_transfer_prepare(actor=person(APPROVER), year=YEAR)
    officer = institution_officer()
    cycle.transfer_list_hand_over(actor=officer, transfer=transfer)
    cycle.transfer_list_receive(actor=officer, transfer=transfer)
    folder.refresh_from_db()
    assert folder.stage == FolderStage.STATE_ARCHIVES
    assert folder.pk not in state_archives_candidates(YEAR + 5).values_list("pk", flat=True)
    event = AuditEvent.objects.filter(action="archive.transfer.received").latest("seq")
    assert event.changes["stage"] == FolderStage.STATE_ARCHIVES


@pytest.fixture(autouse=True)
def _english(english):
    """Assert on the English source strings, whatever the Turkish catalogue says."""
