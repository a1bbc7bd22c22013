"""Reads of the organisation: the unit tree on a date, people, requests, and work items.

Every function here reads; writes live in ``services``. Access scopes come from the querysets
(``visible_to``) and ``permissions``, never from the views.
"""

import dataclasses
import datetime

from django.db.models import Prefetch, Q
from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext_lazy as _

from bilgiislem.core.text import fold, sort_key
from bilgiislem.core.work import WorkItem

from . import permissions
from .choices import HEAD_OF, MANAGERIAL_RANK, PositionKind, RequestStatus, UnitKind, rank_of
from .models import (
    ActingAssignment,
    AppointmentRequest,
    Institution,
    OrgUnit,
    OrgUnitVersion,
    Person,
    Position,
    PositionHolding,
    SignatureDelegation,
    UnitChangeRequest,
)

# How long the Mayor has to decide a request before it shows as overdue on "İşlerim".
DECISION_BUSINESS_DAYS = 5
# Acting assignments starting within this many days show on "İşlerim" already.
ACTING_SOON_DAYS = 14


def _date(value: datetime.date | None) -> str:
    return formats.date_format(value, "SHORT_DATE_FORMAT") if value else ""


def add_business_days(start: datetime.date, days: int) -> datetime.date:
    """``start`` plus ``days`` working days (Monday to Friday; public holidays not counted)."""
    current = start
    while days > 0:
        current += datetime.timedelta(days=1)
        if current.weekday() < 5:
            days -= 1
    return current


# --- the unit tree on a date ---------------------------------------------------------------


@dataclasses.dataclass
class ChartPost:
    position: Position
    holdings: list[PositionHolding]
    acting: list[ActingAssignment]
    is_head: bool = False
    title: str = ""  # the title as it read on the chart's date


@dataclasses.dataclass
class ChartNode:
    unit: OrgUnit
    name: str
    kind: str
    parent_id: int | None
    closed: bool
    valid_from: datetime.date
    valid_to: datetime.date | None
    posts: list[ChartPost] = dataclasses.field(default_factory=list)
    children: list["ChartNode"] = dataclasses.field(default_factory=list)

    def get_kind_display(self) -> str:
        return str(UnitKind(self.kind).label) if self.kind in UnitKind.values else self.kind


@dataclasses.dataclass
class Chart:
    on: datetime.date
    institution: Institution | None
    roots: list[ChartNode]
    unit_count: int


def _valid_on(obj, on: datetime.date, start="valid_from", end="valid_to") -> bool:
    last = getattr(obj, end)
    return getattr(obj, start) <= on and (last is None or last >= on)


def _title_on(position: Position, node: "ChartNode") -> str:
    """A post's title on the chart's date: titles made from the unit's name follow its name then.

    (Titles are not versioned; one given by hand in the data file reads as it does today.)
    """
    current = position.unit.name
    if node.name != current and position.title.startswith(current):
        return node.name + position.title[len(current) :]
    return position.title


def chart(on: datetime.date | None = None) -> Chart:
    """The unit tree as it stood on ``on``: names, parents and kinds from ``OrgUnitVersion``.

    A unit closed before ``on`` stays in the tree in its last shape, marked closed with its
    dates and without posts; a unit created after ``on`` is left out, and so is a post set up
    after ``on`` that nobody held then. Five queries whatever the size of the tree.
    """
    on = on or timezone.localdate()
    institution = Institution.objects.first()
    versions_by_unit: dict[int, list[OrgUnitVersion]] = {}
    for version in OrgUnitVersion.objects.select_related("unit").order_by("valid_from", "pk"):
        versions_by_unit.setdefault(version.unit_id, []).append(version)
    nodes: dict[int, ChartNode] = {}
    for versions in versions_by_unit.values():
        unit = versions[0].unit
        if unit.valid_from > on:
            continue
        current = next((v for v in versions if _valid_on(v, on)), None)
        closed = current is None
        if closed and versions[0].valid_from > on:
            continue
        shape = current or versions[-1]
        nodes[unit.pk] = ChartNode(
            unit=unit,
            name=shape.name,
            kind=shape.kind,
            parent_id=shape.parent_id,
            closed=closed or not _valid_on(unit, on),
            valid_from=unit.valid_from,
            valid_to=unit.valid_to,
        )
    posts: dict[int, ChartPost] = {}
    open_units = [pk for pk, node in nodes.items() if not node.closed]
    for position in Position.objects.filter(unit_id__in=open_units):
        node = nodes[position.unit_id]
        position.unit = node.unit  # already loaded: no query per post
        post = ChartPost(
            position=position,
            holdings=[],
            acting=[],
            is_head=HEAD_OF.get(node.kind) == position.kind,
            title=_title_on(position, node),
        )
        posts[position.pk] = post
    holdings = (
        PositionHolding.objects.active_on(on)
        .filter(position_id__in=posts)
        .select_related("person")
        .order_by("start_date", "pk")
    )
    for holding in holdings:
        posts[holding.position_id].holdings.append(holding)
    acting = (
        ActingAssignment.objects.active_on(on)
        .filter(position_id__in=posts)
        .select_related("acting_person")
    )
    for assignment in acting:
        posts[assignment.position_id].acting.append(assignment)
    for post in posts.values():
        created_on = post.position.created_on
        if created_on is not None and created_on > on and not (post.holdings or post.acting):
            continue  # the post did not exist yet: not "vacant"
        nodes[post.position.unit_id].posts.append(post)
    roots = []
    for node in nodes.values():
        node.posts.sort(key=lambda p: (-rank_of(p.position.kind), sort_key(p.title)))
        parent = nodes.get(node.parent_id)
        (parent.children if parent else roots).append(node)
    for node in [*nodes.values()]:
        node.children.sort(key=lambda n: (n.closed, n.unit.sort_order, sort_key(n.name)))
    roots.sort(key=lambda n: (n.closed, n.unit.sort_order, sort_key(n.name)))
    return Chart(on=on, institution=institution, roots=roots, unit_count=len(nodes))


def unit_history(unit: OrgUnit) -> dict:
    """A unit's versions, its posts with every holding, and the acting assignments on them."""
    versions = list(unit.versions.select_related("parent", "change_request").order_by("valid_from"))
    positions = list(
        unit.positions.prefetch_related(
            Prefetch(
                "holdings",
                queryset=PositionHolding.objects.select_related("person").order_by("-start_date"),
            ),
            Prefetch(
                "acting",
                queryset=ActingAssignment.objects.select_related("acting_person").order_by(
                    "-start_date"
                ),
            ),
        )
    )
    positions.sort(key=lambda p: (-rank_of(p.kind), sort_key(p.title)))
    children = list(unit.children.all())
    return {"versions": versions, "positions": positions, "children": children}


# --- people --------------------------------------------------------------------------------


def people_search(queryset, q: str):
    """Every word of ``q`` (folded: 'ŞAHİN', 'şahin', 'sahin' match alike) in the search key."""
    for word in fold(q).split():
        queryset = queryset.filter(search_key__contains=word)
    return queryset


def people_with_current_posts(queryset, on: datetime.date | None = None):
    """Attach ``current_holdings`` (posts held on ``on``) with one extra query."""
    return queryset.prefetch_related(
        Prefetch(
            "holdings",
            queryset=PositionHolding.objects.active_on(on).select_related("position__unit"),
            to_attr="current_holdings",
        )
    )


def person_history(person: Person) -> dict:
    holdings = list(person.holdings.select_related("position__unit").order_by("-start_date", "-pk"))
    acting = list(
        ActingAssignment.objects.filter(acting_person=person)
        .select_related("position__unit", "created_by", "cancelled_by")
        .order_by("-start_date")
    )
    delegations = list(
        SignatureDelegation.objects.filter(Q(delegate=person) | Q(delegator=person))
        .select_related("delegator", "delegate", "delegate_position")
        .prefetch_related("units")
        .order_by("-start_date")
    )
    return {"holdings": holdings, "acting": acting, "delegations": delegations}


# --- acting --------------------------------------------------------------------------------


def acting_manageable_position_ids(person, on: datetime.date | None = None) -> set[int]:
    """Posts whose acting ``person`` may arrange or end: posts they hold, and posts below them.

    The same rule as ``services.acting_create`` (holder of the post, or a managerial post of
    higher rank in its unit or above), computed for every post at once.
    """
    if not person.is_authenticated:
        return set()
    rows = list(Position.objects.values_list("id", "unit_id", "kind"))
    if person.is_superuser:
        return {pk for pk, _unit, _kind in rows}
    held = {p.position.pk for p in permissions.held_posts(person, on)}
    managers = [p for p in permissions.effective_posts(person, on) if p.rank >= MANAGERIAL_RANK]
    if not managers:
        return held
    parents = permissions.unit_parents(person)
    allowed = set(held)
    for pk, unit_id, kind in rows:
        line = set(permissions.ancestors_or_self(unit_id, parents))
        if any(p.unit_id in line and p.rank > rank_of(kind) for p in managers):
            allowed.add(pk)
    return allowed


def acting_groups(queryset, on: datetime.date | None = None) -> dict[str, list]:
    """Split acting assignments into current, upcoming and past (ended early counts as past)."""
    on = on or timezone.localdate()
    groups: dict[str, list] = {"current": [], "upcoming": [], "past": []}
    for assignment in queryset:
        ended_early = (
            assignment.cancelled_at is not None
            and timezone.localtime(assignment.cancelled_at).date() <= on
        )
        if ended_early or assignment.end_date < on:
            groups["past"].append(assignment)
        elif assignment.start_date > on:
            groups["upcoming"].append(assignment)
        else:
            groups["current"].append(assignment)
    groups["upcoming"].sort(key=lambda a: a.start_date)
    return groups


def delegation_state(delegation: SignatureDelegation, on: datetime.date | None = None) -> str:
    on = on or timezone.localdate()
    if delegation.revoked_at is not None:
        return "revoked"
    if delegation.end_date < on:
        return "past"
    if delegation.start_date > on:
        return "upcoming"
    return "current"


# --- requests (appointments, organisation changes) -----------------------------------------


def appointment_requests_for(person):
    return AppointmentRequest.objects.visible_to(person).select_related(
        "unit", "person", "proposed_by", "decided_by"
    )


def unit_change_requests_for(person):
    return UnitChangeRequest.objects.visible_to(person).select_related(
        "unit", "parent", "proposed_by", "decided_by", "resulting_unit"
    )


def proposable_units(person):
    """Open units the person may propose a Birim Sorumlusu for: those of their directorate."""
    directorates = [
        p.unit_id for p in permissions.effective_posts(person) if p.kind == PositionKind.MUDUR
    ]
    if person.is_superuser:
        return OrgUnit.objects.active_on().filter(kind=UnitKind.BIRIM)
    return OrgUnit.objects.active_on().filter(kind=UnitKind.BIRIM, parent_id__in=directorates)


def director_post(person):
    """The Director post (held or acted for) the person proposes organisation changes with."""
    return permissions.post_of_kind(person, PositionKind.MUDUR)


def directorate_units(post):
    """Open units in the subtree of a Director's post (the directorate itself included)."""
    ids = permissions.subtree(post.unit_id, permissions.unit_parents())
    return OrgUnit.objects.active_on().filter(pk__in=ids)


# --- work items ("İşlerim") ----------------------------------------------------------------


def work_items_for(person) -> list[WorkItem]:
    """What waits for a person in the organisation app.

    - Mayor (or acting Mayor): pending appointments and organisation changes to decide.
    - Proposer (or whoever acts for the proposer's post): their pending proposals.
    - Acting assignments the person holds now or starting soon; active signature delegations.
    """
    if not getattr(person, "is_authenticated", False):
        return []
    today = timezone.localdate()
    posts = permissions.effective_posts(person)
    items: list[WorkItem] = []

    mayor = next((p for p in posts if p.kind == PositionKind.BASKAN), None)
    # Proposals of the holders of posts the person acts for reach them too (RYY art. 9(b)).
    acting_posts = {p.position.pk: p for p in posts if p.acting is not None}
    proposer_label: dict[int, str] = {person.pk: ""}
    if acting_posts:
        holders = PositionHolding.objects.active_on(today).filter(position_id__in=acting_posts)
        for holder_id, position_id in holders.values_list("person_id", "position_id"):
            if holder_id != person.pk:
                proposer_label.setdefault(holder_id, acting_posts[position_id].label)

    for model, url_name in (
        (AppointmentRequest, "organization:appointment-detail"),
        (UnitChangeRequest, "organization:unit-change-detail"),
    ):
        pending = model.objects.filter(status=RequestStatus.PENDING)
        if mayor is None:  # the Mayor decides every pending request; others see their own
            pending = pending.filter(proposed_by_id__in=proposer_label)
        pending = pending.select_related(
            "unit", "proposed_by", *(["person"] if model is AppointmentRequest else ["parent"])
        )
        for request in pending:
            proposed_on = timezone.localtime(request.proposed_at).date()
            url = reverse(url_name, args=[request.pk])
            title = _request_title(request)
            if mayor is not None:
                items.append(
                    WorkItem(
                        title=title,
                        url=url,
                        category=str(_("Awaiting your approval")),
                        due=add_business_days(proposed_on, DECISION_BUSINESS_DAYS),
                        detail=str(request.proposed_by),
                        acting_for=mayor.label if mayor.acting else "",
                    )
                )
            elif request.proposed_by_id in proposer_label:
                items.append(
                    WorkItem(
                        title=title,
                        url=url,
                        category=str(_("Your proposals")),
                        detail=str(_("Proposed on %(date)s")) % {"date": _date(proposed_on)},
                        acting_for=proposer_label[request.proposed_by_id],
                    )
                )

    soon = today + datetime.timedelta(days=ACTING_SOON_DAYS)
    acting = [a for a in permissions.acting_assignments(person, today) if a.start_date <= soon]
    for assignment in acting:
        label = f"{assignment.position.title} V."
        if assignment.start_date > today:
            title = _("You will act for %(post)s from %(start)s to %(end)s")
        else:
            title = _("You act for %(post)s until %(end)s")
        items.append(
            WorkItem(
                title=str(title)
                % {
                    "post": assignment.position.title,
                    "start": _date(assignment.start_date),
                    "end": _date(assignment.end_date),
                },
                url=reverse("organization:acting-list"),
                category=str(_("Acting")),
                detail=assignment.reason,
                acting_for=label,
            )
        )

    # Only a Deputy Mayor can receive a delegation: skip the query for everyone else.
    if any(p.kind == PositionKind.BASKAN_YARDIMCISI for p in posts):
        delegations = SignatureDelegation.objects.active_on(today).filter(delegate=person)
        for delegation in delegations:
            items.append(
                WorkItem(
                    title=str(_("You sign for the Mayor (Başkan a.) until %(end)s"))
                    % {"end": _date(delegation.end_date)},
                    url=reverse("organization:delegation-list"),
                    category=str(_("Signature delegation")),
                    detail=", ".join(delegation.recipient_class_labels()),
                )
            )
    return items


def _request_title(request) -> str:
    if isinstance(request, AppointmentRequest):
        return str(_("Unit head appointment: %(person)s for %(unit)s")) % {
            "person": request.person,
            "unit": request.unit.name,
        }
    return str(_("Organisation change: %(change)s")) % {"change": request}
