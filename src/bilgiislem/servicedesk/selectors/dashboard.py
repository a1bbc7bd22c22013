"""The Chief's and Director's dashboard (issue 6 point 8; RYY art. 5, 9(c)).

Every figure comes from an indexed aggregate or from the daily queue figures, never from a
pass over all requests (servicedesk.dashboard_ms, 500,000 requests):
- open requests: one GROUP BY over the open states (index ``ticket_state_due``);
- SLA compliance: a GROUP BY over the requests opened this month (index on
  ``created_at``), plus the eleven months before it, counted the same way once a day and
  cached until midnight (``sla_compliance``);
- the backlog trend and the monthly flow: DailyQueueStat rows (services/stats.py).
"""

from __future__ import annotations

import dataclasses
import datetime

from django.core.cache import cache
from django.db.models import Case, Count, IntegerField, Q, Value, When
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import RANK, PositionKind
from bilgiislem.organization.models import Person

from .. import permissions
from ..choices import OPEN_STATES, Category, TicketState
from ..models import DailyQueueStat, Queue, ServiceAgreement, Ticket

TREND_DAYS = 90
SLA_MONTHS = 12
# (upper bound in days, label); the last bucket has no bound.
AGE_BUCKETS = [
    (1, _("under a day")),
    (7, _("1–7 days")),
    (30, _("7–30 days")),
    (90, _("30–90 days")),
    (None, _("over 90 days")),
]
# Requests that never entered the desk's work do not count for or against a target.
NOT_COUNTED = [TicketState.UNCONFIRMED, TicketState.CANCELLED, TicketState.MERGED]
DONE = [TicketState.RESOLVED, TicketState.CLOSED]


# --- who may look ----------------------------------------------------------------------------


def dashboard_post(person) -> org.EffectivePost | None:
    """The Chief or the Director of Bilgi İşlem, or a post above the Director in its line
    (the Deputy Mayor it reports to, the Mayor), held or acted for."""
    head = permissions.desk_head_post(person)
    if head is not None or not getattr(person, "is_authenticated", False):
        return head
    parents = org.unit_parents(person)
    above: set[int] = set()
    for owner in org.system_owner_unit_ids(person):
        above |= set(org.ancestors_or_self(owner, parents)) - {owner}
    for post in org.effective_posts(person):
        if post.rank > RANK[PositionKind.MUDUR] and post.unit_id in above:
            return post
    return None


def may_see_dashboard(person) -> bool:
    return dashboard_post(person) is not None


def dashboard_check(person) -> None:
    """404 for anyone else: the page does not admit it exists."""
    if not may_see_dashboard(person):
        raise Http404


# --- figures ---------------------------------------------------------------------------------


@dataclasses.dataclass
class Row:
    """One line of a breakdown of the open requests."""

    key: object
    label: str
    count: int = 0
    breached: int = 0


@dataclasses.dataclass
class OpenFigures:
    total: int = 0
    breached: int = 0
    unassigned: int = 0
    needs_acceptance: int = 0
    by_queue: list[Row] = dataclasses.field(default_factory=list)
    by_person: list[Row] = dataclasses.field(default_factory=list)
    by_category: list[Row] = dataclasses.field(default_factory=list)
    by_age: list[Row] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class SlaMonth:
    """Requests opened in a month under an agreement, and how their targets went."""

    month: datetime.date
    total: int = 0
    met: int = 0
    missed: int = 0
    response_met: int = 0
    response_missed: int = 0

    @property
    def running(self) -> int:
        return self.total - self.met - self.missed

    @property
    def compliance(self) -> float | None:
        """Per cent of the decided requests resolved within target (None: none decided)."""
        decided = self.met + self.missed
        return round(100 * self.met / decided, 1) if decided else None

    @property
    def response_compliance(self) -> float | None:
        decided = self.response_met + self.response_missed
        return round(100 * self.response_met / decided, 1) if decided else None


@dataclasses.dataclass
class SlaAgreement:
    agreement_id: int | None
    title: str
    months: list[SlaMonth]

    @property
    def total(self) -> SlaMonth:
        """The twelve months together."""
        whole = SlaMonth(self.months[0].month if self.months else None)
        for m in self.months:
            whole.total += m.total
            whole.met += m.met
            whole.missed += m.missed
            whole.response_met += m.response_met
            whole.response_missed += m.response_missed
        return whole


@dataclasses.dataclass
class Flow:
    """Daily (or monthly) figures: opened, resolved, closed, targets missed, open at the end."""

    date: datetime.date
    opened: int = 0
    resolved: int = 0
    closed: int = 0
    breached: int = 0
    open_at_end: int | None = None


@dataclasses.dataclass
class Dashboard:
    today: datetime.date
    queues: list[Queue]
    queue: Queue | None
    open: OpenFigures
    sla: list[SlaAgreement]
    months: list[datetime.date]
    trend: list[Flow]
    monthly: list[Flow]


def month_start(day: datetime.date, back: int = 0) -> datetime.date:
    """The first day of the month ``back`` months before ``day``'s."""
    index = day.year * 12 + day.month - 1 - back
    return datetime.date(index // 12, index % 12 + 1, 1)


def local_midnight(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


def _person_label(person: Person) -> str:
    return person.get_full_name() or person.username


def open_figures(*, queue_id: int | None = None, now: datetime.datetime | None = None):
    """The open requests by queue, person, category and age: one grouped query."""
    now = now or timezone.now()
    whens = [
        When(created_at__gte=now - datetime.timedelta(days=days), then=Value(i))
        for i, (days, _label) in enumerate(AGE_BUCKETS)
        if days is not None
    ]
    tickets = Ticket.objects.filter(state__in=[str(s) for s in OPEN_STATES])
    if queue_id is not None:
        tickets = tickets.filter(queue_id=queue_id)
    rows = (
        tickets.annotate(
            age=Case(*whens, default=Value(len(AGE_BUCKETS) - 1), output_field=IntegerField())
        )
        .values("queue_id", "assignee_id", "category", "age")
        .annotate(
            n=Count("id"),
            breached=Count("id", filter=Q(resolution_breached=True)),
            acceptance=Count("id", filter=Q(needs_acceptance=True)),
        )
        .order_by()
    )
    figures = OpenFigures()
    queues: dict[int, Row] = {}
    people: dict[int | None, Row] = {}
    categories: dict[str, Row] = {}
    ages = [Row(i, str(label)) for i, (_days, label) in enumerate(AGE_BUCKETS)]
    for row in rows:
        n, breached = row["n"], row["breached"]
        figures.total += n
        figures.breached += breached
        figures.needs_acceptance += row["acceptance"]
        if row["assignee_id"] is None:
            figures.unassigned += n
        for table, key in (
            (queues, row["queue_id"]),
            (people, row["assignee_id"]),
            (categories, row["category"]),
        ):
            line = table.setdefault(key, Row(key, ""))
            line.count += n
            line.breached += breached
        ages[row["age"]].count += n
        ages[row["age"]].breached += breached
    for queue in Queue.objects.filter(pk__in=list(queues)):
        queues[queue.pk].label = queue.name
    named = Person.objects.filter(pk__in=[k for k in people if k is not None]).only(
        "first_name", "last_name", "username"
    )
    for person in named:
        people[person.pk].label = _person_label(person)
    if None in people:
        people[None].label = str(_("Not assigned"))
    for key, line in categories.items():
        line.label = str(Category(key).label) if key in Category.values else key

    def ordered(table):
        return sorted(table.values(), key=lambda r: (-r.count, r.label))

    figures.by_queue = ordered(queues)
    figures.by_person = ordered(people)
    figures.by_category = ordered(categories)
    figures.by_age = ages
    return figures


SLA_FIGURES = ("total", "met", "missed", "response_met", "response_missed")


def _sla_rows(*, queue_id, starts, since, until=None) -> list[tuple]:
    """(agreement id or 0, month index, *SLA_FIGURES) of the requests opened in
    [since, until), ``starts`` being the months' first moments (index = position)."""
    tickets = Ticket.objects.filter(created_at__gte=since).exclude(state__in=NOT_COUNTED)
    if until is not None:
        tickets = tickets.filter(created_at__lt=until)
    if queue_id is not None:
        tickets = tickets.filter(queue_id=queue_id)
    wanted = [
        i for i, start in enumerate(starts) if start >= since and (until is None or start < until)
    ]
    if len(wanted) == 1:
        bucket = Value(wanted[0])
    else:
        # Newest month first: the first matching When wins.
        bucket = Case(
            *[When(created_at__gte=starts[i], then=Value(i)) for i in reversed(wanted)],
            default=Value(wanted[0]),
            output_field=IntegerField(),
        )
    rows = (
        # Grouped by an expression, not the bare column: by ``agreement_id`` itself SQLite
        # prefers walking that index over the whole table (no sort) to the created_at range.
        tickets.annotate(agr=Coalesce("agreement_id", Value(0)), month=bucket)
        .values("agr", "month")
        .annotate(
            total=Count("id"),
            met=Count("id", filter=Q(state__in=DONE, resolution_breached=False)),
            missed=Count("id", filter=Q(resolution_breached=True)),
            response_met=Count(
                "id", filter=Q(first_response_at__isnull=False, response_breached=False)
            ),
            response_missed=Count("id", filter=Q(response_breached=True)),
        )
        .order_by()
    )
    return [(r["agr"], r["month"], *(r[name] for name in SLA_FIGURES)) for r in rows]


def _until_midnight(now: datetime.datetime) -> int:
    tomorrow = timezone.localdate(now) + datetime.timedelta(days=1)
    return max(60, int((local_midnight(tomorrow) - now).total_seconds()))


def sla_compliance(
    *, queue_id: int | None = None, today: datetime.date | None = None
) -> tuple[list[datetime.date], list[SlaAgreement]]:
    """Per agreement, per month of opening (the last twelve, oldest first): targets met and
    missed. Missed is whatever the clock flagged (services/sla.py), resolved or not yet.

    The current month is counted on every call. The eleven months before it are counted
    once a day and kept in the cache until midnight: they move only as their last open
    requests are decided, and recounting ~70,000 rows (at 500,000 requests) on every
    visit would cost the page more than everything else on it together.
    """
    today = today or timezone.localdate()
    months = [month_start(today, back) for back in range(SLA_MONTHS - 1, -1, -1)]
    starts = [local_midnight(m) for m in months]
    key = f"servicedesk:sla:{queue_id or 0}:{today.isoformat()}"
    past = cache.get(key)
    if past is None:
        past = _sla_rows(queue_id=queue_id, starts=starts, since=starts[0], until=starts[-1])
        cache.set(key, past, _until_midnight(timezone.now()))
    live = _sla_rows(queue_id=queue_id, starts=starts, since=starts[-1])
    table: dict[int, list[SlaMonth]] = {}
    for agreement_id, index, *figures in [*past, *live]:
        line = table.setdefault(agreement_id, [SlaMonth(m) for m in months])
        for name, value in zip(SLA_FIGURES, figures, strict=True):
            setattr(line[index], name, value)
    agreements = ServiceAgreement.objects.filter(pk__in=[k for k in table if k])
    titles = {a.pk: a.title for a in agreements}
    result = [SlaAgreement(pk, titles.get(pk, ""), line) for pk, line in table.items() if pk]
    result.sort(key=lambda a: a.title)
    if 0 in table:
        result.append(SlaAgreement(None, str(_("Without an agreement")), table[0]))
    return months, result


def flows(
    *, queue_id: int | None = None, today: datetime.date | None = None, days: int = TREND_DAYS
) -> list[Flow]:
    """One Flow per day, ``days`` days up to today, from the daily queue figures."""
    today = today or timezone.localdate()
    first = today - datetime.timedelta(days=days - 1)
    stats = DailyQueueStat.objects.filter(date__gte=first, date__lte=today)
    if queue_id is not None:
        stats = stats.filter(queue_id=queue_id)
    dates = [first + datetime.timedelta(days=i) for i in range(days)]
    by_day = {day: Flow(day) for day in dates}
    rows = stats.values_list("date", "opened", "resolved", "closed", "breached", "open_at_end")
    for day, opened, resolved, closed, breached, open_at_end in rows:
        flow = by_day[day]
        flow.opened += opened
        flow.resolved += resolved
        flow.closed += closed
        flow.breached += breached
        flow.open_at_end = (flow.open_at_end or 0) + open_at_end
    return list(by_day.values())


def monthly_flows(
    *, queue_id: int | None = None, today: datetime.date | None = None, months: int = SLA_MONTHS
) -> list[Flow]:
    """Opened, resolved, closed and missed per month, the last ``months`` months."""
    today = today or timezone.localdate()
    first = month_start(today, months - 1)
    stats = DailyQueueStat.objects.filter(date__gte=first, date__lte=today)
    if queue_id is not None:
        stats = stats.filter(queue_id=queue_id)
    by_month = {
        month_start(today, back): Flow(month_start(today, back))
        for back in range(months - 1, -1, -1)
    }
    for day, opened, resolved, closed, breached in stats.values_list(
        "date", "opened", "resolved", "closed", "breached"
    ):
        flow = by_month[day.replace(day=1)]
        flow.opened += opened
        flow.resolved += resolved
        flow.closed += closed
        flow.breached += breached
    return list(by_month.values())


def dashboard_get(person, *, queue_id=None, now: datetime.datetime | None = None) -> Dashboard:
    """Everything the dashboard shows, for the desk's heads and those above them (else 404).

    ``queue_id`` narrows every figure to one queue (unknown ids: 404).
    """
    dashboard_check(person)
    now = now or timezone.now()
    today = timezone.localdate(now)
    queues = list(Queue.objects.order_by("name"))
    queue = None
    if queue_id not in (None, ""):
        queue = next((q for q in queues if str(q.pk) == str(queue_id)), None)
        if queue is None:
            raise Http404
    qid = queue.pk if queue else None
    figures = open_figures(queue_id=qid, now=now)
    months, sla = sla_compliance(queue_id=qid, today=today)
    trend = flows(queue_id=qid, today=today)
    # Today's figure is live; earlier days were recounted by the nightly task.
    trend[-1].open_at_end = figures.total
    return Dashboard(
        today=today,
        queues=queues,
        queue=queue,
        open=figures,
        sla=sla,
        months=months,
        trend=trend,
        monthly=monthly_flows(queue_id=qid, today=today),
    )
