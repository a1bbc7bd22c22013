"""Retrieval pages (Ödünç Talepleri, RYY art. 13(c)): ask for an archived record, the list of
requests, a request with the actions the person may take now (approve or reject, lend or
grant, return, receive back, end access, withdraw).

A request the person may not see is 404; an action the person may not take is 403 (the
service records the refusal); bad input re-shows the page with the error on the named field.
"""

from django import forms
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from bilgiislem.organization.choices import UnitKind
from bilgiislem.organization.models import OrgUnit
from bilgiislem.registry.models import Document
from bilgiislem.registry.views.common import Forbidden, page, posted, run_service

from .. import officers
from ..choices import RetrievalKind, RetrievalState
from ..models import ArchivedRecord, Folder
from ..services import loans
from ..services.locations import document_paper_location, folder_location_path

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
PER_PAGE = 50
S = RetrievalState


# --- forms -----------------------------------------------------------------------------------


class RequestForm(forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("What do you need?"),
        choices=RetrievalKind.choices,
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=gettext_lazy("Why do you need it?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
    )


class FindForm(forms.Form):
    """Find a document to ask for by its registry number (year/number)."""

    registry = forms.ModelChoiceField(
        label=gettext_lazy("Registry"), queryset=OrgUnit.objects.none(), empty_label=None
    )
    number = forms.CharField(
        label=gettext_lazy("Registry number"),
        max_length=20,
        help_text=gettext_lazy("As year/number, e.g. 2026/152."),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["registry"].queryset = OrgUnit.objects.filter(
            kind=UnitKind.MUDURLUK, valid_to__isnull=True
        ).order_by("name")


class NoteForm(forms.Form):
    note = forms.CharField(
        label=gettext_lazy("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
    )


class DueDateForm(forms.Form):
    due_date = forms.DateField(
        label=gettext_lazy("Due back on"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"placeholder": "gg.aa.yyyy"}, format="%d.%m.%Y"),
    )


class UntilForm(forms.Form):
    due_date = forms.DateField(
        label=gettext_lazy("Access until"),
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"placeholder": "gg.aa.yyyy"}, format="%d.%m.%Y"),
    )


class EmptyForm(forms.Form):
    pass


# --- asking ----------------------------------------------------------------------------------


def _record_for(user, params):
    """(document, folder) named by ``?document=`` or ``?folder=``; 404 when not visible."""
    document = folder = None
    try:
        if params.get("document"):
            document = Document.objects.visible_to(user).get(pk=int(params["document"]))
        elif params.get("folder"):
            folder = (
                loans.folders_visible_to(user)
                .select_related("unit", "code")
                .get(pk=int(params["folder"]))
            )
    except (ValueError, TypeError, Document.DoesNotExist, Folder.DoesNotExist):
        raise Http404(_("No such record.")) from None
    return document, folder


def _find(user, form):
    """The visible document with that registry number, or an error on ``number``."""
    data = form.cleaned_data
    try:
        year, number = (int(part) for part in data["number"].strip().split("/"))
    except ValueError:
        form.add_error("number", _("Write the number as year/number, e.g. 2026/152."))
        return None
    document = (
        Document.objects.visible_to(user)
        .filter(registry=data["registry"], registry_year=year, registry_number=number)
        .first()
    )
    if document is None:
        # The same answer whether it does not exist or the person may not see it.
        form.add_error("number", _("You have no document with this number in that registry."))
    return document


@page
def retrieval_create(request):
    """Ask for an archived record: a document (``?document=``) or a folder (``?folder=``)."""
    params = request.POST if request.method == "POST" else request.GET
    document, folder = _record_for(request.user, params)
    if document is None and folder is None:
        find = FindForm(request.GET or None)
        if find.is_bound and find.is_valid():
            found = _find(request.user, find)
            if found is not None:
                return redirect(f"{request.path}?document={found.pk}")
        return render(request, "archive/loans/find.html", {"form": find})
    form = RequestForm(posted(request), initial={"kind": _default_kind(document)})
    if form.is_valid():
        created = run_service(
            form,
            lambda: loans.retrieval_request(
                actor=request.user,
                document=document,
                folder=folder,
                kind=form.cleaned_data["kind"],
                reason=form.cleaned_data["reason"],
            ),
            field_map={"document": "__all__", "folder": "__all__"},
        )
        if created is not None:
            messages.success(request, _("Your request is sent to the archive."))
            return redirect("archive:retrieval-detail", pk=created.pk)
    context = {
        "form": form,
        "document": document,
        "folder": folder,
        "record": _archived(document),
    }
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "archive/loans/create.html", context, status=status)


def _default_kind(document):
    from bilgiislem.registry.choices import Medium

    if document is not None and document.medium == Medium.PAPER:
        return RetrievalKind.PAPER
    return RetrievalKind.ELECTRONIC


def _archived(document):
    if document is None:
        return None
    return ArchivedRecord.objects.filter(document=document).select_related("folder").first()


# --- the list --------------------------------------------------------------------------------


def _tabs(user) -> list[tuple[str, str]]:
    tabs = [("mine", _("My requests"))]
    if officers.supervisor_scope(user):
        tabs.append(("approve", _("To approve")))
    if officers.officer_scope(user):
        tabs.append(("archive", _("Kept by me")))
    tabs.append(("all", _("All I may see")))
    return tabs


@page
def retrieval_list(request):
    user = request.user
    tabs = _tabs(user)
    tab = request.GET.get("tab") or ("approve" if len(tabs) > 2 else "mine")
    if tab not in dict(tabs):
        tab = "mine"
    requests = loans.retrievals_visible_to(user).select_related(*loans.RELATED)
    if tab == "mine":
        requests = requests.filter(requester=user)
    elif tab == "approve":
        scope = officers.supervisor_scope(user)
        requests = requests.filter(
            scope.folder_q("folder__") | scope.folder_q("document__archived_record__folder__"),
            state=S.REQUESTED,
        ).exclude(requester=user)
    elif tab == "archive":
        scope = officers.officer_scope(user)
        requests = requests.filter(
            scope.folder_q("folder__") | scope.folder_q("document__archived_record__folder__")
        )
    state = request.GET.get("state", "")
    if state in S.values:
        requests = requests.filter(state=state)
    page_obj = Paginator(requests.order_by("-requested_at", "-id"), PER_PAGE).get_page(
        request.GET.get("page")
    )
    today = timezone.localdate()
    rows = [
        {
            "request": r,
            "label": loans.record_label(r),
            "overdue": r.state == S.LENT and r.due_date is not None and r.due_date < today,
        }
        for r in page_obj.object_list
    ]
    context = {
        "tabs": [{"key": k, "label": label, "current": k == tab} for k, label in tabs],
        "tab": tab,
        "state": state,
        "states": S.choices,
        "rows": rows,
        "page_obj": page_obj,
    }
    return render(request, "archive/loans/list.html", context)


# --- one request -----------------------------------------------------------------------------


def _detail_context(request, retrieval, **forms_):
    user = request.user
    allowed = loans.allowed_actions(user, retrieval)
    folder = loans.record_folder(retrieval)
    today = timezone.localdate()
    keeps = loans.is_officer_for(user, retrieval) is not None
    context = {
        "r": retrieval,
        "label": loans.record_label(retrieval),
        "folder": folder,
        "allowed": allowed,
        "overdue": retrieval.state == S.LENT
        and retrieval.due_date is not None
        and retrieval.due_date < today,
        "officers": officers.officers_of(folder.unit_id, folder.stage),
        "action_errors": forms_.pop("errors", []),
    }
    if keeps:
        # Where the paper is kept: for the officer who fetches it.
        context["place"] = (
            document_paper_location(retrieval.document)
            if retrieval.document_id
            else folder_location_path(folder)
        )
    if allowed.approve:
        context["approve_form"] = forms_.get("approve_form") or NoteForm(prefix="approve")
        context["reject_form"] = forms_.get("reject_form") or NoteForm(prefix="reject")
    if allowed.lend:
        context["lend_form"] = forms_.get("lend_form") or DueDateForm(
            prefix="lend", initial={"due_date": loans.default_due_date(today)}
        )
    if allowed.grant:
        context["grant_form"] = forms_.get("grant_form") or UntilForm(
            prefix="grant", initial={"due_date": loans.default_due_date(today)}
        )
    return context


@page
def retrieval_detail(request, pk):
    retrieval = loans.retrieval_get_for_user(request.user, pk)
    return render(request, "archive/loans/detail.html", _detail_context(request, retrieval))


def _act(request, pk, key, form_class, call, message, *, offered):
    """Run one action: 404 if unseen; 403 if not offered or refused; 400 with the form."""
    retrieval = loans.retrieval_get_for_user(request.user, pk)
    form = form_class(request.POST, prefix=key) if form_class is not EmptyForm else EmptyForm({})
    if form.is_valid():
        done = run_service(form, lambda: call(retrieval, form.cleaned_data))
        if done is not None:
            messages.success(request, message)
            return redirect("archive:retrieval-detail", pk=retrieval.pk)
    elif not getattr(loans.allowed_actions(request.user, retrieval), offered):
        raise Forbidden()
    extra = {f"{key}_form": form} if form_class is not EmptyForm else {}
    errors = [m for ms in form.errors.values() for m in ms] if form_class is EmptyForm else []
    context = _detail_context(request, retrieval, errors=errors, **extra)
    return render(request, "archive/loans/detail.html", context, status=400)


@page
@require_POST
def retrieval_approve(request, pk):
    return _act(
        request,
        pk,
        "approve",
        NoteForm,
        lambda r, d: loans.retrieval_approve(actor=request.user, request=r, note=d["note"]),
        _("The request is approved."),
        offered="approve",
    )


@page
@require_POST
def retrieval_reject(request, pk):
    return _act(
        request,
        pk,
        "reject",
        NoteForm,
        lambda r, d: loans.retrieval_reject(actor=request.user, request=r, note=d["note"]),
        _("The request is rejected."),
        offered="approve",
    )


@page
@require_POST
def retrieval_lend(request, pk):
    return _act(
        request,
        pk,
        "lend",
        DueDateForm,
        lambda r, d: loans.retrieval_lend(actor=request.user, request=r, due_date=d["due_date"]),
        _("The paper original is lent."),
        offered="lend",
    )


@page
@require_POST
def retrieval_grant(request, pk):
    return _act(
        request,
        pk,
        "grant",
        UntilForm,
        lambda r, d: loans.retrieval_grant(actor=request.user, request=r, until=d["due_date"]),
        _("Access to the electronic record is granted."),
        offered="grant",
    )


def _simple(service, message, offered):
    @page
    @require_POST
    def view(request, pk):
        return _act(
            request,
            pk,
            offered,
            EmptyForm,
            lambda r, _d: service(actor=request.user, request=r),
            message,
            offered=offered,
        )

    return view


retrieval_return = _simple(loans.retrieval_return, gettext_lazy("Marked as returned."), "return_")
retrieval_receive = _simple(
    loans.retrieval_receive, gettext_lazy("The record is back in the archive."), "receive"
)
retrieval_end_access = _simple(
    loans.retrieval_end_access, gettext_lazy("Access is ended."), "end_access"
)
retrieval_cancel = _simple(
    loans.retrieval_cancel, gettext_lazy("The request is withdrawn."), "cancel"
)
