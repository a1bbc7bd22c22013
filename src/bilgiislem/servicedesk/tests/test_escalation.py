"""Warning before an SLA target is missed and escalation after it (issue 6 point 5).

An urgent internal request opened on Monday 2 March 2026 at 09:00 must be answered by 09:30
and resolved by 13:00 (30 / 240 working minutes); the Director hears of it 240 working
minutes after the first missed deadline (13:30).
"""

import datetime as dt

import pytest
from django.utils import timezone

from bilgiislem.audit.models import AuditEvent
from bilgiislem.servicedesk.choices import EntryKind
from bilgiislem.servicedesk.models import DailyQueueStat, Notification, Ticket, TicketEntry
from bilgiislem.servicedesk.services import sla as clock
from bilgiislem.servicedesk.services.escalation import desk_heads, sla_sweep
from bilgiislem.servicedesk.tasks import sla_escalate

TZ = timezone.get_default_timezone()
OPENED = dt.datetime(2026, 3, 2, 9, 0, tzinfo=TZ)


def at(hour, minute=0, day=2):
    return dt.datetime(2026, 3, day, hour, minute, tzinfo=TZ)


@pytest.fixture
def urgent(internal_agreement, ticket_factory, people):
    ticket = ticket_factory(
        created_at=OPENED, priority="urgent", state="assigned", assignee=people["memur"]
    )
    clock.sla_start(ticket, OPENED)
    ticket.save()
    return ticket


def notices(person):
    return list(Notification.objects.filter(person=person).values_list("text", flat=True))


def events(action, ticket):
    return AuditEvent.objects.filter(action=action, object_id=str(ticket.pk)).count()


def test_desk_heads(db):
    assert [p.username for p in desk_heads("sef")] == ["sef"]
    assert [p.username for p in desk_heads("mudur")] == ["mudur"]


def test_warns_once_at_eighty_percent(urgent, people):
    run = sla_sweep(at(9, 20))  # 20 of 30 minutes: 67 %
    assert run.warned == 0 and run.checked == 1
    run = sla_sweep(at(9, 25))  # 83 %
    assert run.warned == 1
    urgent.refresh_from_db()
    assert urgent.warned_at == at(9, 25) and urgent.escalation_level == 0
    assert len(notices(people["memur"])) == 1
    assert "5" in notices(people["memur"])[0]
    note = TicketEntry.objects.get(ticket=urgent)
    assert note.kind == EntryKind.NOTE  # never shown to the requester
    assert events("servicedesk.ticket.sla_warned", urgent) == 1
    # Again: nobody is told twice.
    assert sla_sweep(at(9, 27)).warned == 0
    assert len(notices(people["memur"])) == 1


def test_unassigned_warning_goes_to_who_divides_the_work(internal_agreement, ticket_factory):
    ticket = ticket_factory(created_at=OPENED, priority="urgent")
    clock.sla_start(ticket, OPENED)
    ticket.save()
    sla_sweep(at(9, 26))
    # Teknik Destek has no unit head in the demo organisation: the Chief hears of it.
    assert Notification.objects.filter(ticket=ticket).get().person.username == "sef"


def test_escalates_to_the_chief_then_the_director(urgent, people):
    run = sla_sweep(at(9, 31))
    assert (run.escalated_chief, run.escalated_director, run.breached) == (1, 0, 0)
    urgent.refresh_from_db()
    assert urgent.response_breached and not urgent.resolution_breached
    assert urgent.escalation_level == 1
    assert any("Chief" in t or "Şef" in t for t in notices(people["sef"]))
    assert notices(people["mudur"]) == []
    assert events("servicedesk.ticket.escalated", urgent) == 1
    # Still within the further period: nothing more.
    assert sla_sweep(at(13, 0)).as_dict() == {
        "checked": 1,
        "warned": 0,
        "breached": 0,
        "escalated_chief": 0,
        "escalated_director": 0,
    }
    # 13:01: the resolution target is missed too (counted in the day's figures).
    run = sla_sweep(at(13, 1))
    assert run.breached == 1 and run.escalated_director == 0
    assert DailyQueueStat.objects.get(queue=urgent.queue, date=dt.date(2026, 3, 2)).breached == 1
    # 240 working minutes after 09:30: the Director.
    run = sla_sweep(at(13, 30))
    assert run.escalated_director == 1
    urgent.refresh_from_db()
    assert urgent.escalation_level == 2 and urgent.resolution_breached
    assert len(notices(people["mudur"])) == 1
    assert events("servicedesk.ticket.escalated", urgent) == 2
    # Nothing is ever repeated.
    assert sla_sweep(at(16, 0)).as_dict()["escalated_director"] == 0
    assert sla_sweep(at(16, 0)).breached == 0
    assert DailyQueueStat.objects.get(queue=urgent.queue, date=dt.date(2026, 3, 2)).breached == 1
    assert len(notices(people["mudur"])) == 1


def test_a_missed_night_escalates_both_levels_at_once(urgent, people):
    run = sla_sweep(at(9, 0, day=3))  # Tuesday morning: long overdue
    assert (run.escalated_chief, run.escalated_director, run.breached) == (1, 1, 1)
    urgent.refresh_from_db()
    assert urgent.escalation_level == 2


def test_the_director_period_counts_working_minutes(internal_agreement, ticket_factory, people):
    friday = dt.datetime(2026, 3, 6, 17, 0, tzinfo=TZ)  # response due 17:30 Friday
    ticket = ticket_factory(created_at=friday, priority="urgent", assignee=people["memur"])
    clock.sla_start(ticket, friday)
    ticket.save()
    assert sla_sweep(dt.datetime(2026, 3, 6, 17, 31, tzinfo=TZ)).escalated_chief == 1
    # The weekend does not count: Monday 08:30 + 239 minutes is still within the period.
    assert sla_sweep(dt.datetime(2026, 3, 9, 12, 28, tzinfo=TZ)).escalated_director == 0
    assert sla_sweep(dt.datetime(2026, 3, 9, 12, 30, tzinfo=TZ)).escalated_director == 1


def test_paused_answered_and_closed_requests_are_left_alone(urgent, ticket_factory, people):
    clock.sla_pause(urgent, at(9, 10))
    urgent.save()
    answered = ticket_factory(created_at=OPENED, priority="urgent")
    clock.sla_start(answered, OPENED)
    clock.sla_first_response(answered, at(9, 10))
    answered.save()
    done = ticket_factory(created_at=OPENED, priority="urgent", state="closed")
    clock.sla_start(done, OPENED)
    done.save()
    run = sla_sweep(at(9, 45))
    assert run.checked == 1  # only the answered one: its resolution clock runs
    assert run.escalated_chief == 0 and run.warned == 0
    assert Notification.objects.count() == 0
    assert Ticket.objects.filter(escalation_level__gt=0).count() == 0


def test_first_response_gives_the_resolution_its_own_warning(urgent, people):
    sla_sweep(at(9, 26))
    urgent.refresh_from_db()
    clock.sla_first_response(urgent, at(9, 28))
    urgent.save()
    assert urgent.warned_at is None
    assert sla_sweep(at(12, 0)).warned == 0  # 180 of 240 minutes: 75 %
    assert sla_sweep(at(12, 15)).warned == 1
    assert len(notices(people["memur"])) == 2


def test_the_periodic_task_runs_the_sweep(urgent, time_machine):
    time_machine.move_to(at(9, 31), tick=False)
    result = sla_escalate.call_local()
    assert result["escalated_chief"] == 1
    assert sla_escalate.call_local()["escalated_chief"] == 0
