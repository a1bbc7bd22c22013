"""What waits for a person in the registry, for the "İşlerim" page (issue 3 point 8).

- Routings to the person for action (gereği), and routings to units the person heads, to
  route on or work on; for-information routings not yet opened.
- Paper originals handed to the person (or their unit) waiting for their acknowledgement.
- The Director (or someone acting for the Director): incoming documents waiting for routing
  (havale bekleyen), including those returned.
- The Chief and the Director (and those acting): every overdue routing of their directorate,
  with the late person named (RYY art. 9(ç): the Chief follows deadlines and reports delays).

Items carry the due date, so the page shows the soonest first and the overdue in red.
"""

from django.db.models import Exists, OuterRef, Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.core.calendar import business_days_between
from bilgiislem.core.work import WorkItem
from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import HEAD_OF, PositionKind, UnitKind

from . import permissions
from .choices import RESTRICTED_SECRECY, CustodyKind, Direction, DocumentStatus, Purpose
from .choices import RoutingStatus as S
from .models import Custody, Document, Routing


def _url(document_id: int) -> str:
    try:
        return reverse("registry:document-detail", kwargs={"pk": document_id})
    except NoReverseMatch:  # the registry pages are not installed
        return ""


def _title(document: Document) -> str:
    # A Gizli subject stays off lists that others may glance at: the number is enough.
    if document.secrecy in RESTRICTED_SECRECY:
        return document.number_label
    return f"{document.number_label} {document.subject}"


def _headed_units(person, posts) -> dict[int, str]:
    """Units whose head post the person holds or acts for → the label to show when acting."""
    kinds = permissions.unit_kinds(person)
    return {
        p.unit_id: (p.label if p.acting else "")
        for p in posts
        if kinds.get(p.unit_id) in HEAD_OF and HEAD_OF[kinds[p.unit_id]] == p.kind
    }


def _waiting_routings(person, headed) -> list[Routing]:
    """Open routings to the person or to the units they head (for information: unread),
    cached on the person object: the page and the menu count both need them."""
    cached = getattr(person, "_bi_registry_routings", None)
    if cached is None:
        mine = Q(to_person=person) | Q(to_unit_id__in=headed)
        # Two steps: the few open routings first, then visibility of just their documents.
        # As one query (document IN visible_to(...)) SQLite walked the visible documents,
        # ~6 ms on every page at a million documents (the menu shows this count).
        waiting = list(
            Routing.objects.filter(mine, status=S.OPEN, document__status=DocumentStatus.OPEN)
            .filter(Q(purpose=Purpose.ACTION) | Q(read_at__isnull=True))
            .select_related("document", "to_unit", "routed_by")
        )
        visible = set()
        if waiting:
            visible = set(
                Document.objects.visible_to(person)
                .filter(pk__in={r.document_id for r in waiting})
                .values_list("pk", flat=True)
            )
        cached = [r for r in waiting if r.document_id in visible]
        person._bi_registry_routings = cached
    return cached


def _routing_items(person, headed) -> list[WorkItem]:
    routings = _waiting_routings(person, headed)
    action, info, unit_cat = (
        _("Routed to you for action"),
        _("For your information"),
        _("Routed to your unit"),
    )
    items = []
    for r in routings:
        if r.to_unit_id and r.to_person_id is None:
            category, acting = unit_cat, headed.get(r.to_unit_id, "")
            detail = _("%(unit)s, from %(person)s") % {"unit": r.to_unit, "person": r.routed_by}
        else:
            category = action if r.purpose == Purpose.ACTION else info
            acting, detail = "", _("From %(person)s") % {"person": r.routed_by}
        if r.instruction:
            detail = f"{detail}: {r.instruction[:120]}"
        items.append(
            WorkItem(
                title=_title(r.document),
                url=_url(r.document_id),
                category=str(category),
                due=r.due_date,
                detail=str(detail),
                acting_for=acting,
            )
        )
    return items


def _custody_items(person) -> list[WorkItem]:
    units = permissions.own_units(person)
    waiting = Custody.objects.filter(
        Q(holder=person) | Q(holder__isnull=True, holder_unit_id__in=units),
        kind=CustodyKind.PAPER,
        acknowledged_at__isnull=True,
        released_at__isnull=True,
    ).select_related("document", "given_by")
    return [
        WorkItem(
            title=_title(c.document),
            url=_url(c.document_id),
            category=str(_("Paper originals to acknowledge")),
            detail=str(_("Handed over by %(person)s") % {"person": c.given_by}),
        )
        for c in waiting
    ]


WAITING_LIMIT = 50


def _director_items(directed: dict[int, str]) -> list[WorkItem]:
    """Incoming documents of the Director's registry with no routing in progress."""
    live = Routing.objects.filter(document=OuterRef("pk"), status__in=[S.OPEN, S.FORWARDED])
    waiting = Document.objects.filter(
        registry_id__in=directed, direction=Direction.INCOMING, status=DocumentStatus.OPEN
    ).filter(~Exists(live))
    items = []
    # Oldest first and capped: a page of work, not the whole backlog (the registry list shows
    # the rest); the query stops after WAITING_LIMIT rows however large the registry grows.
    for d in waiting.order_by("registered_at", "id").only(
        "id",
        "registry_id",
        "registry_year",
        "registry_number",
        "subject",
        "secrecy",
        "urgency_date",
        "registered_at",
    )[:WAITING_LIMIT]:
        items.append(
            WorkItem(
                title=_title(d),
                url=_url(d.pk),
                category=str(_("Awaiting routing (havale)")),
                due=d.urgency_date,
                detail=str(
                    _("Registered on %(date)s")
                    % {"date": timezone.localtime(d.registered_at).strftime("%d.%m.%Y")}
                ),
                acting_for=directed[d.registry_id],
            )
        )
    return items


def _overdue_items(person, overseen: dict[int, str], today) -> list[WorkItem]:
    """Every overdue for-action routing of the directorates the person oversees (those of
    documents the person may see; their own are already listed as routed to them)."""
    overdue = (
        Routing.objects.filter(
            document__registry_id__in=overseen,
            status=S.OPEN,
            purpose=Purpose.ACTION,
            due_date__lt=today,
            document__in=Document.objects.visible_to(person),
        )
        .exclude(to_person=person)
        .select_related("document", "to_person", "to_unit")
    )
    items = []
    for r in overdue:
        if r.to_person_id:
            late = r.to_person.get_full_name() or r.to_person.get_username()
        else:
            late = str(r.to_unit)
        days = business_days_between(r.due_date, today)
        items.append(
            WorkItem(
                title=_title(r.document),
                url=_url(r.document_id),
                category=str(_("Overdue in your directorate")),
                due=r.due_date,
                detail=str(
                    _("%(person)s — %(days)s business days late") % {"person": late, "days": days}
                ),
                acting_for=overseen[r.document.registry_id],
            )
        )
    return items


def work_items_for(person) -> list[WorkItem]:
    """Everything in the registry waiting for the person, soonest due first (undated last)."""
    if not getattr(person, "is_authenticated", False):
        return []
    today = timezone.localdate()
    posts = org.effective_posts(person)
    if not posts:
        return []
    parents = org.unit_parents(person)
    headed = _headed_units(person, posts)
    directed = {
        p.unit_id: (p.label if p.acting else "") for p in posts if p.kind == PositionKind.MUDUR
    }
    overseen = dict(directed)
    chiefs = [p for p in posts if p.kind == PositionKind.SEF]
    if chiefs:
        kinds = permissions.unit_kinds(person)
        directorates = {pk for pk, kind in kinds.items() if kind == UnitKind.MUDURLUK}
        for p in chiefs:
            # A Chief oversees the directorate the Chief's post is in.
            unit_id = next(
                (u for u in org.ancestors_or_self(p.unit_id, parents) if u in directorates), None
            )
            if unit_id is not None:
                overseen.setdefault(unit_id, p.label if p.acting else "")
    items = _routing_items(person, headed)
    items += _custody_items(person)
    if directed:
        items += _director_items(directed)
    if overseen:
        items += _overdue_items(person, overseen, today)
    return sorted(items, key=lambda i: (i.due is None, i.due or today, i.title))


def open_routing_count(person) -> int:
    """How many routings wait for the person (to them, or to units they head): the count on
    the "Evrak" menu item. Shares the query with ``work_items_for``."""
    if not getattr(person, "is_authenticated", False):
        return 0
    posts = org.effective_posts(person)
    if not posts:
        return 0
    return len(_waiting_routings(person, _headed_units(person, posts)))
