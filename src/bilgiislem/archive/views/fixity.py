"""Fixity pages (Bütünlük denetimi): coverage of the cycle, the last runs, the open problems
with a form to resolve each with a note. For the Director of the directorate that runs the
system and the system administrators named in BILGIISLEM_FIXITY_ALERT_TO; everyone else gets
404, as if the page did not exist."""

from django import forms
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext_lazy as _

from bilgiislem.registry.models import DocumentFile
from bilgiislem.registry.views.common import page, posted, run_service

from ..models import FixityIssue, FixityRun, FixityState
from ..services import fixity

RUNS_SHOWN = 20
ISSUES_SHOWN = 200
RESOLVED_SHOWN = 20


class ResolveForm(forms.Form):
    resolution = forms.CharField(
        label=_("What was done"),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=2000,
        help_text=_("E.g. restored from the backup of 12.03.2026 and checked again."),
    )


def _require(user) -> None:
    if not fixity.can_oversee_fixity(user):
        raise Http404


def _files_by_hash(hashes) -> dict[str, list[DocumentFile]]:
    found: dict[str, list[DocumentFile]] = {}
    rows = DocumentFile.objects.filter(sha256__in=list(hashes)).select_related("document")
    for row in rows[:1000]:
        found.setdefault(row.sha256, []).append(row)
    return found


def _context(request, bound: dict | None = None) -> dict:
    issues = list(
        FixityIssue.objects.filter(resolved_at__isnull=True)
        .select_related("found_in")
        .order_by("found_at", "id")[:ISSUES_SHOWN]
    )
    resolved = list(
        FixityIssue.objects.filter(resolved_at__isnull=False)
        .select_related("resolved_by")
        .order_by("-resolved_at", "-id")[:RESOLVED_SHOWN]
    )
    hashes = {i.sha256 for i in issues}
    files = _files_by_hash(hashes)
    good_now = set(
        FixityState.objects.filter(sha256__in=hashes, last_ok=True).values_list("sha256", flat=True)
    )
    bound = bound or {}
    rows = [
        {
            "issue": issue,
            "files": files.get(issue.sha256, []),
            "verifies_now": issue.sha256 in good_now,
            "form": bound.get(issue.pk) or ResolveForm(prefix=f"i{issue.pk}"),
        }
        for issue in issues
    ]
    return {
        "coverage": fixity.coverage(),
        "runs": FixityRun.objects.order_by("-started_at", "-id")[:RUNS_SHOWN],
        "rows": rows,
        "resolved": resolved,
        "sample_size": fixity.sample_size(),
    }


@page
def fixity_overview(request):
    _require(request.user)
    return render(request, "archive/fixity/overview.html", _context(request))


@page
def fixity_issue_resolve(request, pk):
    _require(request.user)
    issue = get_object_or_404(FixityIssue, pk=pk)
    if request.method != "POST":
        return redirect("archive:fixity")
    form = ResolveForm(posted(request), prefix=f"i{issue.pk}")
    if form.is_valid():
        done = run_service(
            form,
            lambda: fixity.fixity_issue_resolve(
                actor=request.user, issue=issue, note=form.cleaned_data["resolution"]
            ),
        )
        if done is not None:
            return redirect("archive:fixity")
    return render(
        request,
        "archive/fixity/overview.html",
        _context(request, bound={issue.pk: form}),
        status=400,
    )
