"""Doing the work: every transition, the forbidden ones, and bad input."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.servicedesk.choices import EntryKind, TicketState
from bilgiislem.servicedesk.models import DailyQueueStat, Ticket, TicketEntry
from bilgiislem.servicedesk.services import ticket_flow as flow
from bilgiislem.servicedesk.services.tickets import (
    ticket_create,
    ticket_message_add,
    ticket_time_add,
)

# A Tuesday morning, no holiday near: working minutes are plain to count.
TUESDAY = datetime.datetime(2025, 3, 11, 9, 0, tzinfo=datetime.UTC)


@pytest.fixture
def ticket(queues, internal_agreement, people):
    with time_machine.travel(TUESDAY, tick=False):
        return ticket_create(
            actor=people["yaziisleri"],
            title="Yazıcı",
            description="Çıktı vermiyor.",
            category="hardware",
        )


def _refresh(ticket):
    return Ticket.objects.get(pk=ticket.pk)


def _actions(ticket):
    return list(
        AuditEvent.objects.filter(object_id=str(ticket.pk), object_type="servicedesk.ticket")
        .order_by("seq")
        .values_list("action", flat=True)
    )


def test_the_whole_way_from_assignment_to_confirmation(ticket, people, queues):
    with time_machine.travel(TUESDAY + datetime.timedelta(minutes=10), tick=False):
        flow.ticket_assign(actor=people["sef"], ticket=ticket, assignee=people["memur"])
    assert (ticket.state, ticket.assignee) == (TicketState.ASSIGNED, people["memur"])
    with time_machine.travel(TUESDAY + datetime.timedelta(minutes=20), tick=False):
        flow.ticket_start(actor=people["memur"], ticket=ticket, minutes_spent=5)
    assert ticket.state == TicketState.IN_PROGRESS and ticket.first_response_at is not None
    due_before = ticket.resolution_due_at
    with time_machine.travel(TUESDAY + datetime.timedelta(minutes=30), tick=False):
        flow.ticket_pause(
            actor=people["memur"], ticket=ticket, reason="requester", note="Model nedir?"
        )
    assert ticket.state == TicketState.WAITING_REQUESTER and ticket.paused_since is not None
    # The requester's answer resumes the work; the hour of waiting moves the deadline on.
    with time_machine.travel(TUESDAY + datetime.timedelta(minutes=90), tick=False):
        ticket_message_add(actor=people["yaziisleri"], ticket=ticket, text="HP 400.")
    ticket = _refresh(ticket)
    assert ticket.state == TicketState.IN_PROGRESS and ticket.paused_since is None
    assert ticket.resolution_due_at - due_before == datetime.timedelta(minutes=60)
    with time_machine.travel(TUESDAY + datetime.timedelta(minutes=120), tick=False):
        flow.ticket_resolve(
            actor=people["memur"], ticket=ticket, resolution="Toner değişti.", minutes_spent=25
        )
    assert ticket.state == TicketState.RESOLVED and ticket.resolved_at is not None
    assert not ticket.resolution_breached
    flow.ticket_confirm(actor=people["yaziisleri"], ticket=ticket)
    ticket = _refresh(ticket)
    assert ticket.state == TicketState.CLOSED and ticket.closed_at is not None
    assert _actions(ticket) == [
        "servicedesk.ticket.created",
        "servicedesk.ticket.assigned",
        "servicedesk.ticket.started",
        "servicedesk.ticket.paused",
        "servicedesk.ticket.message",
        "servicedesk.ticket.resolved",
        "servicedesk.ticket.confirmed_resolution",
    ]
    stat = DailyQueueStat.objects.get(queue=queues["teknik"], date=TUESDAY.date())
    assert (stat.opened, stat.resolved) == (1, 1)
    today = DailyQueueStat.objects.get(queue=queues["teknik"], date=timezone.localdate())
    assert today.closed == 1
    minutes = sum(TicketEntry.objects.filter(ticket=ticket).values_list("minutes_spent", flat=True))
    assert minutes == 30


def test_technician_takes_a_new_request_of_their_queue(ticket, people):
    flow.ticket_take(actor=people["memur"], ticket=ticket)
    assert ticket.assignee == people["memur"] and ticket.state == TicketState.ASSIGNED
    assert ticket.first_response_at is not None


def test_technician_of_another_queue_cannot_take_or_assign(ticket, people):
    with pytest.raises(PermissionDeniedError):
        flow.ticket_take(actor=people["yazilim"], ticket=ticket)
    with pytest.raises(PermissionDeniedError):
        flow.ticket_assign(actor=people["memur"], ticket=ticket, assignee=people["memur"])
    fresh = _refresh(ticket)
    assert fresh.state == TicketState.NEW and fresh.assignee is None


def test_assignee_must_work_in_the_queue(ticket, people):
    with pytest.raises(DomainError) as caught:
        flow.ticket_assign(actor=people["sef"], ticket=ticket, assignee=people["yazilim"])
    assert "assignee" in caught.value.errors
    assert _refresh(ticket).assignee is None


def test_resolving_a_request_one_is_not_assigned_to_is_refused(ticket, people):
    flow.ticket_assign(actor=people["sef"], ticket=ticket, assignee=people["memur"])
    for someone in ("sef", "yaziisleri", "yazilim"):
        with pytest.raises(PermissionDeniedError):
            flow.ticket_resolve(actor=people[someone], ticket=ticket, resolution="Oldu.")
    fresh = _refresh(ticket)
    assert fresh.state == TicketState.ASSIGNED and fresh.resolution == ""
    assert fresh.resolved_at is None
    assert "servicedesk.ticket.resolved" not in _actions(ticket)


def test_resolution_needs_a_note(ticket, people):
    flow.ticket_take(actor=people["memur"], ticket=ticket)
    with pytest.raises(DomainError) as caught:
        flow.ticket_resolve(actor=people["memur"], ticket=ticket, resolution="   ")
    assert "resolution" in caught.value.errors
    assert _refresh(ticket).state == TicketState.ASSIGNED


@pytest.mark.parametrize("minutes", [-5, 0, 1441, 100000, "abc", 2.5])
def test_negative_or_absurd_time_is_refused(ticket, people, minutes):
    flow.ticket_take(actor=people["memur"], ticket=ticket)
    with pytest.raises(DomainError) as caught:
        ticket_time_add(actor=people["memur"], ticket=ticket, minutes_spent=minutes)
    assert "minutes_spent" in caught.value.errors
    if minutes != 0:  # 0 is "no time" on an action, but a time entry needs some
        with pytest.raises(DomainError) as caught:
            flow.ticket_resolve(
                actor=people["memur"], ticket=ticket, resolution="Oldu.", minutes_spent=minutes
            )
        assert "minutes_spent" in caught.value.errors
    assert not TicketEntry.objects.filter(ticket=ticket, minutes_spent__gt=0).exists()
    assert _refresh(ticket).state == TicketState.ASSIGNED


def test_time_entries_are_internal_and_desk_only(ticket, people):
    flow.ticket_take(actor=people["memur"], ticket=ticket)
    entry = ticket_time_add(actor=people["memur"], ticket=ticket, minutes_spent=1440)
    assert entry.kind == EntryKind.NOTE and entry.minutes_spent == 1440
    with pytest.raises(PermissionDeniedError):
        ticket_time_add(actor=people["yaziisleri"], ticket=ticket, minutes_spent=10)


def test_requester_cannot_write_internal_notes(ticket, people):
    with pytest.raises(PermissionDeniedError):
        ticket_message_add(actor=people["yaziisleri"], ticket=ticket, text="x", internal=True)
    note = ticket_message_add(actor=people["memur"], ticket=ticket, text="Toner?", internal=True)
    assert note.kind == EntryKind.NOTE
    # An internal note is no answer to the requester.
    assert _refresh(ticket).first_response_at is None


@pytest.mark.parametrize(
    ("action", "kwargs"),
    [
        ("ticket_start", {}),
        ("ticket_resume", {}),
        ("ticket_confirm", {}),
        ("ticket_reopen", {"reason": "Hâlâ bozuk."}),
    ],
)
def test_forbidden_transitions_name_the_state(ticket, people, action, kwargs):
    flow.ticket_assign(actor=people["sef"], ticket=ticket, assignee=people["memur"])
    flow.ticket_start(actor=people["memur"], ticket=ticket)
    actor = people["yaziisleri"] if action in ("ticket_confirm", "ticket_reopen") else None
    with pytest.raises(DomainError) as caught:
        getattr(flow, action)(actor=actor or people["memur"], ticket=ticket, **kwargs)
    assert "state" in caught.value.errors
    assert _refresh(ticket).state == TicketState.IN_PROGRESS


def test_reopen_goes_back_to_the_assignee_and_quiet_ones_close(ticket, people, queues):
    flow.ticket_take(actor=people["memur"], ticket=ticket)
    flow.ticket_resolve(actor=people["memur"], ticket=ticket, resolution="Oldu.")
    with pytest.raises(PermissionDeniedError):
        flow.ticket_reopen(actor=people["memur"], ticket=ticket, reason="x")
    with pytest.raises(DomainError) as caught:
        flow.ticket_reopen(actor=people["yaziisleri"], ticket=ticket, reason="")
    assert "reason" in caught.value.errors
    flow.ticket_reopen(actor=people["yaziisleri"], ticket=ticket, reason="Hâlâ bozuk.")
    assert ticket.state == TicketState.IN_PROGRESS and ticket.resolved_at is None
    flow.ticket_resolve(actor=people["memur"], ticket=ticket, resolution="Şimdi oldu.")
    later = timezone.now() + datetime.timedelta(days=flow.close_after_days(), minutes=1)
    assert flow.tickets_close_quiet(timezone.now()) == 0
    assert flow.tickets_close_quiet(later) == 1
    assert flow.tickets_close_quiet(later) == 0  # idempotent
    assert _refresh(ticket).state == TicketState.CLOSED
    assert "servicedesk.ticket.closed" in _actions(ticket)


def test_pause_for_a_part_stops_the_clock_vendor_does_not(ticket, people):
    flow.ticket_take(actor=people["memur"], ticket=ticket)
    flow.ticket_pause(actor=people["memur"], ticket=ticket, reason="vendor")
    assert ticket.state == TicketState.WAITING_VENDOR and ticket.paused_since is None
    flow.ticket_pause(actor=people["memur"], ticket=ticket, reason="part")
    assert ticket.state == TicketState.WAITING_PART and ticket.paused_since is not None
    with pytest.raises(DomainError) as caught:
        flow.ticket_pause(actor=people["memur"], ticket=ticket, reason="holiday")
    assert "reason" in caught.value.errors
    flow.ticket_resume(actor=people["memur"], ticket=ticket)
    assert ticket.state == TicketState.IN_PROGRESS and ticket.paused_since is None


def test_cancel_by_requester_or_chief_only(ticket, people):
    with pytest.raises(PermissionDeniedError):
        flow.ticket_cancel(actor=people["yazilim"], ticket=ticket, reason="x")
    flow.ticket_cancel(actor=people["yaziisleri"], ticket=ticket, reason="Kendiliğinden düzeldi.")
    assert _refresh(ticket).state == TicketState.CANCELLED
    with pytest.raises(DomainError):
        flow.ticket_cancel(actor=people["sef"], ticket=ticket, reason="again")


def test_children_block_resolving_and_cycles_are_refused(ticket, people):
    child = ticket_create(
        actor=people["yaziisleri"], title="İkinci", description="Aynı arıza.", category="hardware"
    )
    flow.ticket_set_parent(actor=people["memur"], ticket=child, parent=ticket)
    with pytest.raises(DomainError) as caught:
        flow.ticket_set_parent(actor=people["memur"], ticket=ticket, parent=child)
    assert "parent" in caught.value.errors
    flow.ticket_take(actor=people["memur"], ticket=ticket)
    with pytest.raises(DomainError) as caught:
        flow.ticket_resolve(actor=people["memur"], ticket=ticket, resolution="Oldu.")
    assert "resolution" in caught.value.errors
    flow.ticket_cancel(actor=people["sef"], ticket=child, reason="Ana talepte çözülecek.")
    flow.ticket_resolve(actor=people["memur"], ticket=ticket, resolution="Oldu.")


def test_merging_a_duplicate(ticket, people):
    duplicate = ticket_create(
        actor=people["yaziisleri"], title="Yazıcı yine", description="Aynı.", category="hardware"
    )
    with pytest.raises(PermissionDeniedError):
        flow.ticket_merge(actor=people["yaziisleri"], ticket=duplicate, into=ticket)
    with pytest.raises(DomainError):
        flow.ticket_merge(actor=people["memur"], ticket=ticket, into=ticket)
    flow.ticket_merge(actor=people["memur"], ticket=duplicate, into=ticket)
    duplicate = _refresh(duplicate)
    assert duplicate.state == TicketState.MERGED and duplicate.merged_into == ticket
    assert ticket.entries.filter(kind=EntryKind.EVENT).exists()


def test_a_request_without_agreement_waits_for_acceptance(queues, people):
    from bilgiislem.servicedesk.services.sla import ticket_accept

    ticket = ticket_create(
        actor=people["yaziisleri"], title="Ağ", description="Yok.", category="network"
    )  # no internal agreement in this test
    assert ticket.needs_acceptance
    with pytest.raises(DomainError) as caught:
        flow.ticket_take(actor=people["sef"], ticket=ticket)
    assert "state" in caught.value.errors
    ticket_accept(actor=people["sef"], ticket=ticket)
    flow.ticket_take(actor=people["sef"], ticket=ticket)
    assert _refresh(ticket).assignee == people["sef"]


def test_moving_to_another_queue_and_changing_priority(ticket, people, queues):
    flow.ticket_take(actor=people["memur"], ticket=ticket)
    with pytest.raises(PermissionDeniedError):
        flow.ticket_move(actor=people["memur"], ticket=ticket, queue=queues["yazilim"])
    flow.ticket_move(actor=people["sef"], ticket=ticket, queue=queues["yazilim"])
    assert ticket.queue == queues["yazilim"] and ticket.assignee is None
    assert ticket.state == TicketState.NEW
    before = ticket.resolution_due_at
    flow.ticket_set_priority(actor=people["sef"], ticket=ticket, priority="urgent")
    assert ticket.resolution_due_at < before
    with pytest.raises(DomainError) as caught:
        flow.ticket_set_priority(actor=people["sef"], ticket=ticket, priority="whenever")
    assert "priority" in caught.value.errors
