"""What waits in İşlerim from the fixity checks (issue 5 point 7).

Every open fixity problem (a stored file missing or changed) is listed to the Director of
the directorate that runs the system and to the system administrators named in
``BILGIISLEM_FIXITY_ALERT_TO`` (``services.fixity.can_oversee_fixity``) until a person
resolves it. The item is due the day the problem was found, so it shows red from the next day.
"""

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.core.work import WorkItem
from bilgiislem.registry.models import DocumentFile

from .models import FixityIssue
from .services.fixity import can_oversee_fixity

LIMIT = 50


def _url() -> str:
    try:
        return reverse("archive:fixity")
    except NoReverseMatch:  # the archive pages are not installed
        return ""


def work_items_for(person) -> list[WorkItem]:
    """Open fixity problems, oldest first, for those who handle them."""
    if not can_oversee_fixity(person):
        return []
    issues = list(
        FixityIssue.objects.filter(resolved_at__isnull=True).order_by("found_at", "id")[:LIMIT]
    )
    if not issues:
        return []
    names: dict[str, list[str]] = {}
    for sha, filename in DocumentFile.objects.filter(
        sha256__in=[i.sha256 for i in issues]
    ).values_list("sha256", "filename"):
        names.setdefault(sha, []).append(filename)
    url = _url()
    category = str(_("Stored files failing the fixity check"))
    items = []
    for issue in issues:
        files = ", ".join(names.get(issue.sha256, [])[:3])
        items.append(
            WorkItem(
                title=f"{issue.get_problem_display()}: {files or issue.sha256[:16]}",
                url=url,
                category=category,
                due=timezone.localdate(issue.found_at),
                detail=f"SHA-256 {issue.sha256}",
            )
        )
    return items


def open_issue_count(person) -> int:
    """For a count on the menu."""
    if not can_oversee_fixity(person):
        return 0
    return FixityIssue.objects.filter(resolved_at__isnull=True).count()
