"""The database itself refuses disposal that is not approved, held or of a keep-permanently
folder, and any tampering with disposal lists (archive/db_disposal.py). Raw SQL, as a
superuser with database access would write it; ``make test`` runs these on SQLite and on
PostgreSQL."""

# Fixtures come from disposal_support by import, so test arguments shadow them by design.
# ruff: noqa: F811

import datetime

import pytest
from django.db import DatabaseError, connection, transaction
from django.utils import timezone

from bilgiislem.archive.choices import DisposalState, Disposition
from bilgiislem.archive.models import (
    ArchivedRecord,
    CommissionMember,
    DisposalApproval,
    DisposalItem,
    DisposalList,
)
from bilgiislem.archive.services.commission import commission_appoint
from bilgiislem.archive.services.holds import legal_hold_place

from .conftest import person
from .disposal_support import (
    approved_list,
    commission,  # noqa: F401 (fixture)
    expire,
    make_list,
    set_disposition,
)


def refused(sql, params=(), message="disposal:"):
    """Run one statement in a savepoint and assert the database refuses it with our guard."""
    with pytest.raises(DatabaseError) as exc, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)
    assert message in str(exc.value)


def run(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


TO_DISPOSING = "UPDATE archive_archivedrecord SET disposal_state = 'disposing' WHERE id = %s"


@pytest.fixture
def folder(archived_folder):
    return expire(archived_folder)


@pytest.fixture
def record(folder):
    return folder.records.order_by("pk").first()


def state(record):
    return ArchivedRecord.objects.values_list("disposal_state", flat=True).get(pk=record.pk)


def test_disposing_without_an_approved_list_is_refused(record, commission):
    refused(TO_DISPOSING, [record.pk], "no approved disposal list")
    make_list(commission)  # a draft is not enough
    refused(TO_DISPOSING, [record.pk], "no approved disposal list")
    refused(
        "UPDATE archive_archivedrecord SET disposal_state = 'disposed' WHERE id = %s", [record.pk]
    )
    assert state(record) == DisposalState.KEPT


def test_disposing_under_an_approved_list_is_allowed(record, commission):
    approved_list(commission)
    assert run(TO_DISPOSING, [record.pk]) == 1
    assert state(record) == DisposalState.DISPOSING


def test_an_item_taken_off_does_not_count(record, folder, commission):
    disposal_list = approved_list(commission)
    run(
        "UPDATE archive_disposalitem SET removed = %s WHERE disposal_list_id = %s",
        [True, disposal_list.pk],
    )
    refused(TO_DISPOSING, [record.pk], "no approved disposal list")


@pytest.mark.parametrize("on", ["folder", "document"])
def test_disposing_a_held_record_is_refused_even_with_an_approved_list(
    record, folder, commission, on
):
    approved_list(commission)
    target = {"folder": folder} if on == "folder" else {"document": record.document}
    legal_hold_place(actor=person("mudur"), reason="Dava", **target)
    refused(TO_DISPOSING, [record.pk], "legal hold")
    assert state(record) == DisposalState.KEPT


def test_a_hold_written_in_sql_counts_too(record, commission):
    approved_list(commission)
    run(
        "INSERT INTO archive_legalhold (document_id, reason, placed_by_id, placed_at, "
        "lift_reason) VALUES (%s, 'Dava', %s, %s, '')",
        [record.document_id, person("baskan").pk, timezone.now()],
    )
    refused(TO_DISPOSING, [record.pk], "legal hold")


@pytest.mark.parametrize("disposition", [Disposition.KEEP, Disposition.TRANSFER])
def test_disposing_a_keep_or_transfer_folder_is_refused(record, folder, commission, disposition):
    approved_list(commission)
    set_disposition(folder, disposition)
    refused(TO_DISPOSING, [record.pk], "disposition")


@pytest.mark.parametrize(
    "table", ["archive_disposallist", "archive_disposalitem", "archive_disposalapproval"]
)
def test_disposal_rows_are_never_deleted(folder, commission, table):
    approved_list(commission)
    refused(f"DELETE FROM {table}")
    assert DisposalList.objects.count() == 1
    assert DisposalItem.objects.count() == 1
    assert DisposalApproval.objects.count() == 3


def test_a_list_cannot_skip_the_members_or_the_superior(folder, commission):
    disposal_list = make_list(commission)
    sql = "UPDATE archive_disposallist SET state = %s WHERE id = %s"
    refused(sql, ["commission_approved", disposal_list.pk], "every commission member")
    refused(sql, ["approved", disposal_list.pk], "not allowed")
    refused(sql, ["executed", disposal_list.pk], "not allowed")


def test_the_superior_must_approve_before_approved(folder, commission):
    from .disposal_support import approve_by_members

    disposal_list = approve_by_members(make_list(commission))
    refused(
        "UPDATE archive_disposallist SET state = 'approved' WHERE id = %s",
        [disposal_list.pk],
        "authorised superior",
    )


def test_approvals_only_by_members_of_a_draft_list(folder, commission):
    disposal_list = make_list(commission)
    other = commission_appoint(
        actor=person("baskan"),
        name="Başka komisyon",
        chair=person("yaziisleri"),
        members=[person("yazilim"), person("memur")],
        valid_from=datetime.date(2026, 1, 1),
    )
    outsider = CommissionMember.objects.get(commission=other, person=person("memur"))
    sql = (
        "INSERT INTO archive_disposalapproval (disposal_list_id, member_id, approved_at) "
        "VALUES (%s, %s, %s)"
    )
    refused(sql, [disposal_list.pk, outsider.pk, timezone.now()], "only a commission member")
    assert not DisposalApproval.objects.exists()


def test_items_are_frozen_once_the_commission_approved(folder, commission):
    disposal_list = approved_list(commission)
    item = disposal_list.items.get()
    refused(
        "INSERT INTO archive_disposalitem (disposal_list_id, folder_id, code, title, unit_name, "
        "folder_year, document_count, removed, removed_reason) "
        "VALUES (%s, %s, 'x', 'x', 'x', 2000, 1, %s, '')",
        [disposal_list.pk, folder.pk, False],
        "draft list",
    )
    # taking off is allowed (it narrows what was approved); putting back is not
    assert run("UPDATE archive_disposalitem SET removed = %s WHERE id = %s", [True, item.pk]) == 1
    refused("UPDATE archive_disposalitem SET removed = %s WHERE id = %s", [False, item.pk])


def test_an_executed_list_never_changes(folder, commission, django_capture_on_commit_callbacks):
    from bilgiislem.archive.services.disposal_execution import disposal_execute

    with django_capture_on_commit_callbacks(execute=True):
        disposal_list = disposal_execute(
            actor=person("sef"),
            disposal_list=approved_list(commission),
            method="Kırpma",
            place="Arşiv",
        )
    refused(
        "UPDATE archive_disposallist SET keep_until = %s WHERE id = %s",
        [datetime.date(2027, 1, 1), disposal_list.pk],
        "cannot change",
    )
    refused("UPDATE archive_disposallist SET state = 'cancelled' WHERE id = %s", [disposal_list.pk])
    refused(
        "UPDATE archive_disposalitem SET removed = %s WHERE disposal_list_id = %s",
        [True, disposal_list.pk],
    )
    # the disposed records stay disposed (db_records: the state only moves forward)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE archive_archivedrecord SET disposal_state = 'kept' WHERE folder_id = %s",
            [folder.pk],
        )
