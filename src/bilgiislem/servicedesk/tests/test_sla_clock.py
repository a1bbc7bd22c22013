"""The SLA clock: working-minute arithmetic on the Turkish calendar, and the hooks that keep a
request's deadlines (issue 6 point 5).

Dates used (Turkey, from the ``holidays`` package): Ramazan Bayramı 2026 is 20–22 March with
its eve (arife, work until 13:00) on Thursday 19 March; Kurban Bayramı 2026 is 27–30 May with
its eve on Tuesday 26 May; 28 October 2026 (Wednesday) is the half day before Cumhuriyet
Bayramı; 1 January 2026 is a Thursday.
"""

import datetime as dt
import random

import pytest
from django.utils import timezone

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.servicedesk import sla
from bilgiislem.servicedesk.choices import SlaStatus, TicketState
from bilgiislem.servicedesk.models import (
    AgreementTarget,
    PartnerOrganization,
    ServiceAgreement,
    Ticket,
)
from bilgiislem.servicedesk.services import sla as clock

TZ = timezone.get_default_timezone()


def at(*args) -> dt.datetime:
    return dt.datetime(*args, tzinfo=TZ)


# ---------------------------------------------------------------- pure arithmetic


@pytest.mark.parametrize(
    ("start", "minutes", "due"),
    [
        # Within one day.
        (at(2026, 3, 2, 9, 0), 60, at(2026, 3, 2, 10, 0)),
        # Using up the day's last minute ends at closing time, not the next morning.
        (at(2026, 3, 2, 8, 30), 540, at(2026, 3, 2, 17, 30)),
        (at(2026, 3, 2, 8, 30), 541, at(2026, 3, 3, 8, 31)),
        # Over a weekend.
        (at(2026, 3, 6, 17, 0), 60, at(2026, 3, 9, 9, 0)),
        # Opened on Saturday or at night: counts from the next opening.
        (at(2026, 3, 7, 11, 0), 30, at(2026, 3, 9, 9, 0)),
        (at(2026, 3, 2, 22, 0), 30, at(2026, 3, 3, 9, 0)),
        (at(2026, 3, 3, 6, 0), 30, at(2026, 3, 3, 9, 0)),
        # Ramazan Bayramı: Wednesday 60 + arife Thursday 08:30–13:00 (270), bayram Friday to
        # Sunday, the rest (270) on Monday.
        (at(2026, 3, 18, 16, 30), 600, at(2026, 3, 23, 13, 0)),
        # A deadline that uses up the arife morning ends at 13:00 on the eve.
        (at(2026, 3, 19, 8, 30), 270, at(2026, 3, 19, 13, 0)),
        # Started on the arife afternoon: nothing counts until Monday.
        (at(2026, 3, 19, 14, 0), 30, at(2026, 3, 23, 9, 0)),
        # Kurban Bayramı: an hour on the eve, then Wednesday to Saturday off.
        (at(2026, 5, 26, 12, 0), 120, at(2026, 6, 1, 9, 30)),
        # 28 Ekim half day, 29 Ekim closed.
        (at(2026, 10, 28, 12, 0), 90, at(2026, 10, 30, 9, 0)),
        # Across the year end: 1 January is closed.
        (at(2025, 12, 31, 17, 0), 60, at(2026, 1, 2, 9, 0)),
        # 19 Mayıs and 1 Mayıs.
        (at(2026, 4, 30, 17, 0), 60, at(2026, 5, 4, 9, 0)),
    ],
)
def test_add_working_minutes(start, minutes, due):
    assert sla.add_working_minutes(start, minutes) == due
    assert sla.working_minutes_between(start, due) == minutes


def test_zero_or_negative_minutes_leave_the_moment_alone():
    start = at(2026, 3, 7, 11, 0)  # a Saturday
    assert sla.add_working_minutes(start, 0) == start
    assert sla.add_working_minutes(start, -5) == start


def test_minutes_between_counts_only_working_time_and_is_signed():
    friday, tuesday = at(2026, 3, 6, 16, 0), at(2026, 3, 10, 10, 0)
    # Friday 90 + Monday 540 + Tuesday 90.
    assert sla.working_minutes_between(friday, tuesday) == 720
    assert sla.working_minutes_between(tuesday, friday) == -720
    # A whole weekend is worth nothing.
    assert sla.working_minutes_between(at(2026, 3, 7, 9), at(2026, 3, 8, 18)) == 0
    # The Ramazan Bayramı week: Mon–Wed full, Thursday the arife morning, Friday closed.
    assert sla.working_minutes_between(at(2026, 3, 16, 0), at(2026, 3, 21, 0)) == 3 * 540 + 270


def test_across_several_years_round_trips():
    start = at(2025, 6, 2, 10, 15)
    minutes = 540 * 600  # about two and a half years of working days
    due = sla.add_working_minutes(start, minutes)
    assert due.year == 2027
    assert sla.working_minutes_between(start, due) == minutes
    assert sla.working_minutes_between(due, start) == -minutes


def test_round_trip_on_random_moments():
    rng = random.Random(6)
    base = at(2025, 12, 1, 0, 0)
    for _ in range(500):
        start = base + dt.timedelta(minutes=rng.randrange(0, 60 * 24 * 450))
        minutes = rng.randrange(1, 6000)
        due = sla.add_working_minutes(start, minutes)
        assert due > start
        assert sla.working_minutes_between(start, due) == minutes
        local = timezone.localtime(due)
        assert dt.time(8, 30) < local.time() <= dt.time(17, 30)
        if local.date() in (dt.date(2026, 3, 19), dt.date(2026, 5, 26), dt.date(2026, 10, 28)):
            assert local.time() <= dt.time(13, 0)


def test_agreement_hours_and_half_days():
    early = sla.WorkingHours(dt.time(7, 0), dt.time(12, 0))
    # Work ending before 13:00 is untouched by an eve.
    assert sla.working_minutes_between(at(2026, 3, 19, 0), at(2026, 3, 20, 0), early) == 300
    evening = sla.WorkingHours(dt.time(13, 30), dt.time(21, 30))
    # A shift starting after 13:00 does not work on an eve at all.
    assert sla.working_minutes_between(at(2026, 3, 19, 0), at(2026, 3, 20, 0), evening) == 0
    assert sla.add_working_minutes(at(2026, 3, 18, 21, 0), 60, evening) == at(2026, 3, 23, 14, 0)


def test_aware_moments_in_other_zones_are_read_as_local_wall_clock():
    utc_start = dt.datetime(2026, 3, 2, 6, 0, tzinfo=dt.UTC)  # 09:00 in Istanbul
    assert sla.add_working_minutes(utc_start, 30) == at(2026, 3, 2, 9, 30)
    # Before 2016 Turkey had summer time; a winter deadline is +02:00 then.
    due = sla.add_working_minutes(at(2015, 1, 5, 9, 0), 60)
    assert due.utcoffset() == dt.timedelta(hours=2)
    assert due.hour == 10


def test_extra_days_off_are_seen_at_once(settings):
    start = at(2026, 3, 2, 17, 0)
    assert sla.add_working_minutes(start, 60) == at(2026, 3, 3, 9, 0)
    settings.BILGIISLEM_EXTRA_HOLIDAYS = ["2026-03-03"]  # idari izin
    assert sla.add_working_minutes(start, 60) == at(2026, 3, 4, 9, 0)


def test_hours_of_an_agreement():
    agreement = ServiceAgreement(work_start=dt.time(9, 0), work_end=dt.time(18, 0))
    assert sla.hours_of(agreement) == (dt.time(9, 0), dt.time(18, 0))
    assert sla.hours_of(ServiceAgreement()) == sla.DEFAULT_HOURS  # "08:30" strings
    assert sla.hours_of(None) == sla.DEFAULT_HOURS


# ---------------------------------------------------------------- hooks on requests


@pytest.fixture
def partner(db, people):
    org = PartnerOrganization.objects.create(name="Karasu Anadolu Lisesi", kind="school")
    agreement = ServiceAgreement.objects.create(
        organization=org,
        title="Okul destek protokolü",
        categories=["hardware", "network"],
        valid_from=dt.date(2026, 1, 1),
        valid_until=dt.date(2026, 12, 31),
        work_start=dt.time(9, 0),
        work_end=dt.time(16, 0),
        created_by=people["mudur"],
    )
    AgreementTarget.objects.create(
        agreement=agreement, priority="normal", response_minutes=120, resolution_minutes=840
    )
    return org, agreement


def started(ticket, now):
    changed = clock.sla_start(ticket, now)
    ticket.save(update_fields=changed or None)
    return changed


def test_start_internal_request(internal_agreement, ticket_factory):
    now = at(2026, 3, 18, 16, 30)
    ticket = ticket_factory(created_at=now)  # normal: 240 / 1620 working minutes
    changed = started(ticket, now)
    assert set(changed) >= {"agreement", "response_due_at", "resolution_due_at"}
    ticket.refresh_from_db()
    assert ticket.agreement == internal_agreement
    assert not ticket.needs_acceptance
    # 60 on Wednesday, 180 of the arife morning.
    assert ticket.response_due_at == at(2026, 3, 19, 11, 30)
    # 60 + 270 (arife) + Monday 540 + Tuesday 540 + 210 on Wednesday 25 March.
    assert ticket.resolution_due_at == at(2026, 3, 25, 12, 0)


def test_start_partner_request_uses_its_agreement_and_hours(partner, ticket_factory):
    org, agreement = partner
    now = at(2026, 5, 26, 10, 0)
    ticket = ticket_factory(organization=org, category="network", created_at=now)
    started(ticket, now)
    assert ticket.agreement == agreement
    # 09:00–16:00, eve until 13:00: 120 minutes → 12:00 on the eve.
    assert ticket.response_due_at == at(2026, 5, 26, 12, 0)
    # 180 on the eve, bayram to Saturday, Monday 1 June 420, Tuesday 240 → 13:00.
    assert ticket.resolution_due_at == at(2026, 6, 2, 13, 0)


@pytest.mark.parametrize(
    "case", ["uncovered category", "expired", "public form", "no target for priority"]
)
def test_no_valid_agreement_needs_acceptance(case, partner, ticket_factory):
    org, agreement = partner
    now = at(2026, 3, 2, 10, 0)
    fields = {"organization": org, "category": "network", "created_at": now}
    if case == "uncovered category":
        fields["category"] = "website"
    elif case == "expired":
        now = fields["created_at"] = at(2027, 1, 4, 10, 0)
    elif case == "public form":
        fields.pop("organization")
        fields.update(requester=None, contact_email="veli@example.org", channel="public_form")
    ticket = ticket_factory(**fields)
    if case == "no target for priority":
        ticket.priority = "urgent"
        started(ticket, now)
        # Served under the agreement, but it promises nothing for this priority.
        assert ticket.agreement == agreement and not ticket.needs_acceptance
        assert ticket.response_due_at is None and ticket.resolution_due_at is None
        assert clock.sla_status(ticket, now) is None
        return
    started(ticket, now)
    ticket.refresh_from_db()
    assert ticket.needs_acceptance
    assert ticket.agreement is None
    assert ticket.response_due_at is None and ticket.resolution_due_at is None
    assert clock.sla_status(ticket, now) is None


def test_gunludur_due_date_caps_resolution(internal_agreement, ticket_factory):
    now = at(2026, 3, 16, 9, 0)
    ticket = ticket_factory(created_at=now, due_date=dt.date(2026, 3, 17))
    started(ticket, now)
    assert ticket.resolution_due_at == at(2026, 3, 17, 17, 30)
    assert ticket.response_due_at == at(2026, 3, 16, 13, 0)  # 240: before the cap
    # A due date on the arife caps at 13:00; one on the bayram at the eve before it.
    for due_date in (dt.date(2026, 3, 19), dt.date(2026, 3, 21)):
        ticket.due_date = due_date
        clock.sla_start(ticket, at(2026, 3, 18, 9, 0))
        assert ticket.resolution_due_at == at(2026, 3, 19, 13, 0)


def test_pause_and_resume_move_the_deadlines(internal_agreement, ticket_factory):
    now = at(2026, 3, 16, 13, 0)
    ticket = ticket_factory(created_at=now)
    started(ticket, now)
    response, resolution = ticket.response_due_at, ticket.resolution_due_at
    # 270 + 540 + 540 + the arife morning (270) = 1620.
    assert resolution == at(2026, 3, 19, 13, 0)
    assert clock.sla_pause(ticket, at(2026, 3, 16, 14, 0)) == ["paused_since"]
    # Pausing again keeps the first moment.
    assert clock.sla_pause(ticket, at(2026, 3, 16, 15, 0)) == []
    assert clock.sla_status(ticket, at(2026, 3, 16, 15, 0)).status == SlaStatus.PAUSED
    # Waiting from Monday 14:00 to Wednesday 14:00 (two working days = 1080 minutes).
    changed = clock.sla_resume(ticket, at(2026, 3, 18, 14, 0))
    assert set(changed) == {
        "paused_since",
        "paused_minutes",
        "response_due_at",
        "resolution_due_at",
    }
    assert ticket.paused_since is None and ticket.paused_minutes == 1080
    assert ticket.response_due_at == sla.add_working_minutes(response, 1080)
    # The resolution deadline jumps over the arife afternoon and the bayram.
    assert ticket.resolution_due_at == at(2026, 3, 24, 17, 30)
    assert sla.working_minutes_between(resolution, ticket.resolution_due_at) == 1080
    # Resuming a running clock changes nothing.
    assert clock.sla_resume(ticket, at(2026, 3, 18, 11, 0)) == []


def test_pause_over_a_weekend_costs_nothing(internal_agreement, ticket_factory):
    now = at(2026, 3, 6, 17, 30)  # Friday closing time
    ticket = ticket_factory(created_at=now)
    started(ticket, now)
    due = ticket.resolution_due_at
    clock.sla_pause(ticket, now)
    clock.sla_resume(ticket, at(2026, 3, 9, 8, 0))  # Monday before opening
    assert ticket.paused_minutes == 0 and ticket.resolution_due_at == due


def test_resume_never_passes_the_letters_due_date(internal_agreement, ticket_factory):
    now = at(2026, 3, 16, 9, 0)
    ticket = ticket_factory(created_at=now, due_date=dt.date(2026, 3, 18))
    started(ticket, now)
    clock.sla_pause(ticket, at(2026, 3, 16, 10, 0))
    clock.sla_resume(ticket, at(2026, 3, 17, 17, 0))
    assert ticket.resolution_due_at == at(2026, 3, 18, 17, 30)


def test_first_response_and_resolution_breaches(internal_agreement, ticket_factory):
    now = at(2026, 3, 2, 9, 0)
    ticket = ticket_factory(created_at=now, priority="urgent")  # 30 / 240
    started(ticket, now)
    assert clock.sla_first_response(ticket, at(2026, 3, 2, 9, 20)) == ["first_response_at"]
    assert not ticket.response_breached
    # Only the first response counts.
    assert clock.sla_first_response(ticket, at(2026, 3, 2, 15, 0)) == []
    changed = clock.sla_resolved(ticket, at(2026, 3, 2, 14, 0))
    assert "resolution_breached" in changed and ticket.resolution_breached
    assert ticket.paused_since == at(2026, 3, 2, 14, 0)  # resolved: the clock stands

    late = ticket_factory(created_at=now, priority="urgent")
    started(late, now)
    clock.sla_first_response(late, at(2026, 3, 2, 10, 0))
    assert late.response_breached


def test_reopen_does_not_count_the_resolved_period(internal_agreement, ticket_factory):
    now = at(2026, 3, 2, 9, 0)
    ticket = ticket_factory(created_at=now)
    started(ticket, now)
    due = ticket.resolution_due_at
    clock.sla_resolved(ticket, at(2026, 3, 2, 12, 0))
    ticket.state = TicketState.RESOLVED
    assert clock.sla_status(ticket, at(2026, 3, 9)).status == SlaStatus.MET
    ticket.state, ticket.resolved_at = TicketState.IN_PROGRESS, None
    clock.sla_reopen(ticket, at(2026, 3, 3, 12, 0))
    assert ticket.resolution_due_at == sla.add_working_minutes(due, 540)


def test_priority_change_recomputes_from_the_start(internal_agreement, ticket_factory):
    now = at(2026, 3, 2, 9, 0)
    ticket = ticket_factory(created_at=now)
    started(ticket, now)
    clock.sla_pause(ticket, at(2026, 3, 2, 10, 0))
    clock.sla_resume(ticket, at(2026, 3, 2, 11, 0))  # 60 minutes paused
    ticket.priority = "high"  # 60 / 540
    clock.sla_priority_changed(ticket, at(2026, 3, 2, 11, 30))
    assert ticket.response_due_at == at(2026, 3, 2, 11, 0)
    assert ticket.resolution_due_at == at(2026, 3, 3, 10, 0)  # 510 on Monday, 90 on Tuesday


def test_status_for_display_without_queries(
    internal_agreement, ticket_factory, django_assert_num_queries
):
    now = at(2026, 3, 2, 9, 0)
    ticket = ticket_factory(created_at=now)  # response 240 → 13:00, resolution 1620
    started(ticket, now)
    ticket = Ticket.objects.get(pk=ticket.pk)  # the agreement not loaded
    with django_assert_num_queries(0):
        running = clock.sla_status(ticket, at(2026, 3, 2, 10, 0))
        warning = clock.sla_status(ticket, at(2026, 3, 2, 12, 30))
        breached = clock.sla_status(ticket, at(2026, 3, 2, 13, 1))
    assert (running.status, running.target, running.remaining_minutes) == (
        SlaStatus.RUNNING,
        "response",
        180,
    )
    assert warning.status == SlaStatus.WARNING and warning.remaining_minutes == 30
    assert breached.status == SlaStatus.BREACHED and breached.remaining_minutes == -1
    assert str(running) == str(SlaStatus.RUNNING.label)
    # After the first response the resolution deadline is in view.
    ticket.first_response_at = at(2026, 3, 2, 9, 30)
    info = clock.sla_status(ticket, at(2026, 3, 2, 10, 0))
    assert info.target == "resolution" and info.remaining_minutes == 1620 - 60
    ticket.state = TicketState.CANCELLED
    assert clock.sla_status(ticket, now) is None


@pytest.fixture
def awaiting(db, ticket_factory, internal_agreement):
    org = PartnerOrganization.objects.create(name="Yeni Mahalle Muhtarlığı", kind="muhtarlik")
    ticket = ticket_factory(organization=org, created_at=at(2026, 3, 2, 9, 0))
    started(ticket, at(2026, 3, 2, 9, 0))
    assert ticket.needs_acceptance
    return ticket


def test_accept_starts_the_clock_under_the_internal_targets(awaiting, people, time_machine):
    from bilgiislem.audit.models import AuditEvent

    time_machine.move_to(at(2026, 3, 2, 11, 0), tick=False)
    ticket = clock.ticket_accept(actor=people["sef"], ticket=awaiting)
    ticket.refresh_from_db()
    assert not ticket.needs_acceptance
    assert ticket.accepted_by == people["sef"] and ticket.accepted_at == at(2026, 3, 2, 11, 0)
    assert ticket.agreement is None
    assert ticket.response_due_at == at(2026, 3, 2, 15, 0)  # internal normal: 240
    assert clock.clock_start(ticket) == at(2026, 3, 2, 11, 0)
    event = AuditEvent.objects.filter(action="servicedesk.ticket.accepted").latest("seq")
    assert event.object_id == str(ticket.pk)
    with pytest.raises(DomainError) as refused:
        clock.ticket_accept(actor=people["mudur"], ticket=ticket)
    assert "ticket" in refused.value.errors


@pytest.mark.parametrize("username", ["memur", "yaziisleri", "yaziisleri.mudur"])
def test_only_the_chief_or_director_accepts(awaiting, people, username):
    with pytest.raises(PermissionDeniedError):
        clock.ticket_accept(actor=people[username], ticket=awaiting)
    awaiting.refresh_from_db()
    assert awaiting.needs_acceptance and awaiting.accepted_at is None
