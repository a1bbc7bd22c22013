"""Requests: my requests, a new request, the queue, a request and its actions.

Lists are scoped by ``TicketQuerySet.visible_to``; a request the person may not see answers
404; a visible one whose action is not theirs answers 403 with the reason. The queue page
keeps its query count constant (everything a row shows is joined) and computes the SLA state
in Python (services/sla.py ``sla_status``, no queries).
"""

from __future__ import annotations

import re

from django.contrib import messages
from django.db.models import F, Q, Sum
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bilgiislem.core.downloads import attachment_response
from bilgiislem.core.paginator import CappedPaginator
from bilgiislem.core.storage import StorageCorruptionError
from bilgiislem.organization.permissions import effective_posts, managed_unit_ids

from .. import permissions as desk
from .. import workflows
from ..choices import TicketState
from ..models import Queue
from ..permissions import available_actions
from ..querysets import (
    LIST_RELATED,
    attachments_visible_to,
    entries_visible_to,
    ticket_get_for_user,
    tickets,
)
from ..services import ticket_flow as flow
from ..services.sla import sla_status
from ..services.tickets import ticket_create, ticket_message_add, ticket_time_add
from . import ticket_forms as forms
from ._pages import page, run_service

PER_PAGE = 50
DETAIL_RELATED = (
    *LIST_RELATED,
    "recorded_by",
    "accepted_by",
    "parent",
    "merged_into",
    "source_document",
    "reply_letter",
)
_NUMBER = re.compile(r"^\s*(\d{4})\s*[-/]\s*(\d{1,9})\s*$")


def _with_sla(rows, now):
    for ticket in rows:
        ticket.sla = sla_status(ticket, now)
    return rows


def _paged(request, queryset):
    paginator = CappedPaginator(queryset, PER_PAGE)
    page_obj = paginator.get_page(request.GET.get("page"))
    return page_obj, _with_sla(list(page_obj.object_list), timezone.now())


# ---------------------------------------------------------------- lists


@page
def my_requests(request):
    """The person's own requests; their unit's if they lead one; their organisation's for a
    partner account."""
    user = request.user
    if not desk.may_use_desk(user):
        raise Http404
    if not effective_posts(user):
        return redirect("servicedesk:partner-home")  # a partner account has its own page
    tabs = [("mine", _("My requests"))]
    managed = managed_unit_ids(user)
    if managed:
        tabs.append(("unit", _("My unit's requests")))
    org_id = desk.partner_organization_id(user)
    if org_id is not None:
        tabs.append(("organization", _("My organisation's requests")))
    keys = [key for key, _label in tabs]
    tab = request.GET.get("tab") if request.GET.get("tab") in keys else "mine"
    base = tickets().visible_to(user).select_related(*LIST_RELATED)
    if tab == "unit":
        rows = base.filter(requester_unit_id__in=managed)
    elif tab == "organization":
        rows = base.filter(organization_id=org_id)
    else:
        rows = base.filter(Q(requester=user) | Q(recorded_by=user))
    show = request.GET.get("show") if request.GET.get("show") in ("open", "all") else "open"
    if show == "open":
        rows = rows.exclude(
            state__in=[TicketState.CLOSED, TicketState.CANCELLED, TicketState.MERGED]
        )
    page_obj, rows = _paged(request, rows.order_by("-created_at", "-id"))
    return render(
        request,
        "servicedesk/ticket_list.html",
        {
            "tabs": [{"key": k, "label": label, "current": k == tab} for k, label in tabs],
            "tab": tab,
            "show": show,
            "page_obj": page_obj,
            "rows": rows,
        },
    )


QUEUE_VIEWS = {
    "open": gettext_lazy("Open"),
    "new": gettext_lazy("Unassigned"),
    "mine": gettext_lazy("Assigned to me"),
    "waiting": gettext_lazy("Waiting"),
    "resolved": gettext_lazy("Resolved"),
    "closed": gettext_lazy("Closed"),
}
QUEUE_SORTS = {
    "new": ("-created_at", "-id"),
    "due": (F("resolution_due_at").asc(nulls_last=True), "id"),
}


def _queue_filter(rows, view, user):
    if view == "new":
        return rows.filter(state=TicketState.NEW)
    if view == "mine":
        return rows.filter(assignee=user, state__in=[str(s) for s in workflows.OPEN])
    if view == "waiting":
        return rows.filter(state__in=[str(s) for s in workflows.WAITING])
    if view == "resolved":
        return rows.filter(state=TicketState.RESOLVED)
    if view == "closed":
        return rows.filter(
            state__in=[TicketState.CLOSED, TicketState.CANCELLED, TicketState.MERGED]
        )
    return rows.filter(state__in=[str(s) for s in workflows.OPEN])


class QueuePage:
    """A page of the queue without COUNT(*): one row more than shown says there is a next
    page (a queue is read from the top; its size is on the dashboard)."""

    def __init__(self, rows, number, has_next):
        self.object_list = rows
        self.number = number
        self.has_next = has_next
        self.has_previous = number > 1
        self.has_other_pages = has_next or number > 1
        self.next_page_number = number + 1
        self.previous_page_number = number - 1


def _queue_rows(rows, number):
    start = (number - 1) * PER_PAGE
    found = list(rows[start : start + PER_PAGE + 1])
    shown = found[:PER_PAGE]
    now = timezone.now()
    # One reverse() for the page: the row links differ only in the id.
    base = reverse("servicedesk:ticket-detail", args=[0]).removesuffix("0/")
    for ticket in shown:
        ticket.sla = sla_status(ticket, now)
        ticket.url = f"{base}{ticket.pk}/"
    return QueuePage(shown, number, len(found) > PER_PAGE)


@page
def queue_page(request):
    """A technician's queue (the Chief's and the Director's: every queue), 50 rows a page,
    with the SLA state of each request."""
    user = request.user
    worked = desk.worked_queue_ids(user)
    if not worked:
        raise Http404
    queues = [q for q in Queue.objects.filter(pk__in=worked).order_by("name")]
    chosen = request.GET.get("queue", "")
    queue_ids = [q.pk for q in queues if str(q.pk) == chosen] or [q.pk for q in queues]
    view = request.GET.get("view") if request.GET.get("view") in QUEUE_VIEWS else "open"
    sort = request.GET.get("sort") if request.GET.get("sort") in QUEUE_SORTS else "new"
    number = request.GET.get("page", "1")
    number = min(int(number), 10_000) if number.isdigit() and int(number) > 0 else 1
    rows = tickets().filter(queue_id__in=queue_ids).select_related(*LIST_RELATED)
    rows = _queue_filter(rows, view, user).order_by(*QUEUE_SORTS[sort])
    page_obj = _queue_rows(rows, number)
    return render(
        request,
        "servicedesk/queue.html",
        {
            "queues": queues,
            "chosen": chosen if len(queue_ids) == 1 else "",
            "views": [{"key": k, "label": v, "current": k == view} for k, v in QUEUE_VIEWS.items()],
            "view": view,
            "sort": sort,
            "page_obj": page_obj,
            "rows": page_obj.object_list,
        },
    )


# ---------------------------------------------------------------- a new request


@page
def ticket_new(request):
    user = request.user
    if not desk.may_use_desk(user):
        raise Http404
    if not effective_posts(user):
        return redirect("servicedesk:partner-new")
    form = forms.TicketForm(request.POST or None, request.FILES or None, user=user, prefix="ticket")
    if request.method == "POST" and form.is_valid():
        ticket = run_service(form, lambda: ticket_create(actor=user, **form.service_kwargs(user)))
        if ticket is not None:
            messages.success(
                request,
                _("Your request is recorded as %(number)s.") % {"number": ticket.number_label},
            )
            return redirect("servicedesk:ticket-detail", pk=ticket.pk)
    status = 400 if request.method == "POST" else 200
    return render(request, "servicedesk/ticket_new.html", {"form": form}, status=status)


# ---------------------------------------------------------------- a request


def _forms_for(user, ticket, actions, bound=None):
    """An unbound form for each available action; ``bound`` replaces one that failed."""
    makers = {
        "assign": lambda: forms.AssignForm(ticket=ticket, prefix="assign"),
        "move": lambda: forms.MoveForm(ticket=ticket, prefix="move"),
        "start": lambda: forms.MinutesForm(prefix="start"),
        "pause": lambda: forms.PauseForm(prefix="pause"),
        "resume": lambda: forms.MinutesForm(prefix="resume"),
        "resolve": lambda: forms.ResolveForm(prefix="resolve"),
        "reopen": lambda: forms.ReasonForm(prefix="reopen"),
        "cancel": lambda: forms.ReasonForm(prefix="cancel"),
        "message": lambda: forms.MessageForm(
            desk_side=desk.is_desk_side(user, ticket), prefix="message"
        ),
        "time": lambda: forms.TimeForm(prefix="time"),
        "merge": lambda: forms.NumberForm(prefix="merge"),
        "parent": lambda: forms.NumberForm(
            prefix="parent",
            initial={"number": ticket.parent.number_label if ticket.parent_id else ""},
        ),
        "priority": lambda: forms.PriorityForm(
            prefix="priority", initial={"priority": ticket.priority}
        ),
    }
    made = {name: maker() for name, maker in makers.items() if name in actions}
    if bound is not None:
        made[bound[0]] = bound[1]
    return made


# (action, heading, button) in the order the page shows them; the first ones are the work.
ACTION_PANELS = (
    ("take", gettext_lazy("Take this request"), gettext_lazy("Take it")),
    ("start", gettext_lazy("Start work"), gettext_lazy("Start")),
    ("resolve", gettext_lazy("Resolve"), gettext_lazy("Resolve")),
    ("confirm", gettext_lazy("Is it solved?"), gettext_lazy("Yes, it is solved")),
    ("reopen", gettext_lazy("Not solved yet"), gettext_lazy("Reopen")),
    ("assign", gettext_lazy("Assign"), gettext_lazy("Assign")),
    ("pause", gettext_lazy("Wait"), gettext_lazy("Wait")),
    ("resume", gettext_lazy("Resume work"), gettext_lazy("Resume")),
    ("message", gettext_lazy("Write"), gettext_lazy("Send")),
    ("time", gettext_lazy("Book time spent"), gettext_lazy("Book")),
    ("priority", gettext_lazy("Priority"), gettext_lazy("Change the priority")),
    ("parent", gettext_lazy("Part of another request"), gettext_lazy("Save")),
    ("merge", gettext_lazy("Merge as a duplicate"), gettext_lazy("Merge")),
    ("move", gettext_lazy("Move to another queue"), gettext_lazy("Move")),
    ("cancel", gettext_lazy("Cancel the request"), gettext_lazy("Cancel")),
)


# Shown open; the rest fold away under their heading (a long page of forms hides the work).
MAIN_ACTIONS = {"take", "start", "resolve", "confirm", "reopen", "assign", "message"}


def _panels(action_forms, actions, failed=None):
    return [
        {
            "name": name,
            "title": title,
            "button": button,
            "form": action_forms.get(name),
            "open": name in MAIN_ACTIONS or name == failed,
        }
        for name, title, button in ACTION_PANELS
        if name in actions or name in action_forms
    ]


def _detail_context(request, ticket, bound=None):
    user = request.user
    desk_side = desk.is_desk_side(user, ticket)
    actions = available_actions(user, ticket)
    visible = tickets().visible_to(user)
    entries = list(entries_visible_to(user, ticket))
    files = list(attachments_visible_to(user, ticket))
    by_entry: dict[int, list] = {}
    for f in files:
        if f.entry_id:
            by_entry.setdefault(f.entry_id, []).append(f)
    for entry in entries:
        entry.files = by_entry.get(entry.pk, [])
    return {
        "ticket": ticket,
        "sla": sla_status(ticket, timezone.now()),
        "desk_side": desk_side,
        "entries": entries,
        "files": [f for f in files if not f.entry_id],
        "children": list(visible.filter(parent=ticket).order_by("created_at")),
        "merged": list(visible.filter(merged_into=ticket).order_by("created_at")),
        "parent_visible": ticket.parent_id and visible.filter(pk=ticket.parent_id).exists(),
        "merged_into_visible": ticket.merged_into_id
        and visible.filter(pk=ticket.merged_into_id).exists(),
        "minutes_total": (
            ticket.entries.aggregate(total=Sum("minutes_spent"))["total"] or 0
            if desk_side
            else None
        ),
        "actions": actions,
        "panels": _panels(
            _forms_for(user, ticket, actions, bound), actions, bound[0] if bound else None
        ),
        "needs_acceptance": ticket.needs_acceptance and ticket.accepted_at is None,
        "may_accept": desk.is_desk_head(user),
    }


@page
def ticket_detail(request, pk):
    ticket = ticket_get_for_user(request.user, pk, related=DETAIL_RELATED)
    return render(request, "servicedesk/ticket_detail.html", _detail_context(request, ticket))


def _other_ticket(user, form, field="number"):
    """The visible request a form names by its number, or None with the error on the form."""
    number = form.cleaned_data.get(field, "")
    if not number:
        return None
    match = _NUMBER.match(number)
    found = None
    if match:
        found = (
            tickets()
            .visible_to(user)
            .filter(year=int(match[1]), number=int(match[2]))
            .select_related("queue")
            .first()
        )
    if found is None:
        form.add_error(field, _("No request with this number that you can see."))
    return found


def _call_for(action, user, ticket, form):
    """The service call of an action (None: the form already has the error)."""
    data = form.cleaned_data
    minutes = data.get("minutes_spent")
    if action == "assign":
        return lambda: flow.ticket_assign(
            actor=user, ticket=ticket, assignee=data["assignee"], note=data["note"]
        )
    if action == "move":
        return lambda: flow.ticket_move(
            actor=user, ticket=ticket, queue=data["queue"], note=data["note"]
        )
    if action == "take":
        return lambda: flow.ticket_take(actor=user, ticket=ticket)
    if action == "start":
        return lambda: flow.ticket_start(actor=user, ticket=ticket, minutes_spent=minutes)
    if action == "pause":
        return lambda: flow.ticket_pause(
            actor=user,
            ticket=ticket,
            reason=data["reason"],
            note=data["note"],
            minutes_spent=minutes,
        )
    if action == "resume":
        return lambda: flow.ticket_resume(actor=user, ticket=ticket, minutes_spent=minutes)
    if action == "resolve":
        return lambda: flow.ticket_resolve(
            actor=user, ticket=ticket, resolution=data["resolution"], minutes_spent=minutes
        )
    if action == "confirm":
        return lambda: flow.ticket_confirm(actor=user, ticket=ticket)
    if action == "reopen":
        return lambda: flow.ticket_reopen(actor=user, ticket=ticket, reason=data["reason"])
    if action == "cancel":
        return lambda: flow.ticket_cancel(actor=user, ticket=ticket, reason=data["reason"])
    if action == "message":
        return lambda: ticket_message_add(
            actor=user,
            ticket=ticket,
            text=data["text"],
            internal=data.get("internal", False),
            minutes_spent=minutes,
            attachments=data.get("attachments") or [],
        )
    if action == "time":
        return lambda: ticket_time_add(
            actor=user, ticket=ticket, minutes_spent=minutes, text=data["text"]
        )
    if action == "priority":
        return lambda: flow.ticket_set_priority(
            actor=user, ticket=ticket, priority=data["priority"]
        )
    if action in ("merge", "parent"):
        other = _other_ticket(user, form)
        if form.errors:
            return None
        if action == "merge":
            if other is None:
                form.add_error("number", _("Give the number of the request to merge into."))
                return None
            return lambda: flow.ticket_merge(actor=user, ticket=ticket, into=other)
        return lambda: flow.ticket_set_parent(actor=user, ticket=ticket, parent=other)
    raise Http404


FORM_CLASSES = {
    "assign": forms.AssignForm,
    "move": forms.MoveForm,
    "take": None,
    "start": forms.MinutesForm,
    "pause": forms.PauseForm,
    "resume": forms.MinutesForm,
    "resolve": forms.ResolveForm,
    "confirm": None,
    "reopen": forms.ReasonForm,
    "cancel": forms.ReasonForm,
    "message": forms.MessageForm,
    "time": forms.TimeForm,
    "merge": forms.NumberForm,
    "parent": forms.NumberForm,
    "priority": forms.PriorityForm,
}
DONE = {
    "assign": gettext_lazy("The request is assigned."),
    "move": gettext_lazy("The request is moved to the other queue."),
    "take": gettext_lazy("You took the request."),
    "start": gettext_lazy("Work started."),
    "pause": gettext_lazy("The request is waiting."),
    "resume": gettext_lazy("Work resumed."),
    "resolve": gettext_lazy("The request is resolved; the requester is asked to confirm."),
    "confirm": gettext_lazy("Thank you: the request is closed."),
    "reopen": gettext_lazy("The request is reopened."),
    "cancel": gettext_lazy("The request is cancelled."),
    "message": gettext_lazy("Your message is added."),
    "time": gettext_lazy("The time is recorded."),
    "merge": gettext_lazy("The request is merged."),
    "parent": gettext_lazy("The link is saved."),
    "priority": gettext_lazy("The priority is changed."),
}


def _bound_form(action, request, ticket):
    form_class = FORM_CLASSES[action]
    if form_class is None:
        from django import forms as django_forms

        return django_forms.Form(request.POST, prefix=action)
    kwargs = {"prefix": action}
    if action in ("assign", "move"):
        kwargs["ticket"] = ticket
    if action == "message":
        kwargs["desk_side"] = desk.is_desk_side(request.user, ticket)
    return form_class(request.POST, request.FILES or None, **kwargs)


@page
@require_POST
def ticket_action(request, pk, action):
    """One action on a request, from its page. Errors re-render the page (400) with the
    message on the action's field; an action that is not the person's answers 403."""
    if action not in FORM_CLASSES:
        raise Http404
    ticket = ticket_get_for_user(request.user, pk, related=DETAIL_RELATED)
    form = _bound_form(action, request, ticket)
    if form.is_valid():
        call = _call_for(action, request.user, ticket, form)
        if call is not None:
            result = run_service(form, call)
            if not form.errors and result is not None:
                messages.success(request, DONE[action])
                return redirect(reverse("servicedesk:ticket-detail", args=[ticket.pk]))
    ticket = ticket_get_for_user(request.user, pk, related=DETAIL_RELATED)
    context = _detail_context(request, ticket, bound=(action, form))
    context["failed_action"] = action
    return render(request, "servicedesk/ticket_detail.html", context, status=400)


@page
def attachment_download(request, pk, attachment_pk):
    """A file of a visible request (internal ones only for the desk), as an attachment."""
    ticket = ticket_get_for_user(request.user, pk)
    stored = get_object_or_404(attachments_visible_to(request.user, ticket), pk=attachment_pk)
    try:
        return attachment_response(stored.sha256, stored.filename, stored.content_type)
    except StorageCorruptionError:
        return HttpResponse(
            _("The stored file is damaged or missing; tell the system administrators."),
            status=503,
            content_type="text/plain; charset=utf-8",
        )
