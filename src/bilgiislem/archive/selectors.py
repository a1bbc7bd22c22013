"""Reads of the file plan, folders and archived records, always within what a person may see.

Views and the API call these; a folder or record outside the person's scope answers 404.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from bilgiislem.core.text import fold

from .models import ArchivedRecord, FilePlanCode, FilePlanVersion, Filing, Folder
from .querysets import filings_visible_to, folders_visible_to, records_visible_to
from .services.fileplan import current_version

# --- file plan -------------------------------------------------------------------------------


@dataclass
class PlanRow:
    code: FilePlanCode
    depth: int
    match: bool


def plan_versions() -> list[FilePlanVersion]:
    return list(FilePlanVersion.objects.select_related("loaded_by"))


def plan_version_get(pk=None) -> FilePlanVersion:
    """A version by id, or the one in force; 404 when there is none."""
    if pk in (None, ""):
        version = current_version()
    else:
        try:
            version = FilePlanVersion.objects.filter(pk=int(pk)).first()
        except (TypeError, ValueError):
            version = None
    if version is None:
        raise Http404(_("No such file plan version."))
    return version


def plan_tree(version: FilePlanVersion, query: str = "") -> list[PlanRow]:
    """The codes of a version in tree order with their depth. With a query, the codes whose
    code starts with it or whose title holds it (Turkish letters folded), with their
    ancestors for context."""
    codes = list(FilePlanCode.objects.filter(version=version))
    by_id = {c.pk: c for c in codes}
    children: dict[int | None, list[FilePlanCode]] = {}
    for c in codes:
        children.setdefault(c.parent_id, []).append(c)
    query = (query or "").strip()
    key = fold(query)
    matches = {c.pk for c in codes if query and (c.code.startswith(query) or key in fold(c.title))}
    keep = None
    if query:
        keep = set()
        for pk in matches:
            while pk is not None and pk not in keep:
                keep.add(pk)
                pk = by_id[pk].parent_id
    rows: list[PlanRow] = []

    def walk(parent_id, depth):
        for c in children.get(parent_id, []):  # codes come ordered by code
            if keep is None or c.pk in keep:
                rows.append(PlanRow(c, depth, c.pk in matches))
            walk(c.pk, depth + 1)

    walk(None, 0)
    return rows


def code_get(version: FilePlanVersion, code: str) -> FilePlanCode:
    found = (
        FilePlanCode.objects.select_related("parent", "version")
        .filter(version=version, code=code)
        .first()
    )
    if found is None:
        raise Http404(_("No such file plan code."))
    return found


def matching_codes(query: str) -> set[str]:
    """Code strings (of any version) whose code starts with, or title holds, the query."""
    query = (query or "").strip()
    key = fold(query)
    return {
        code
        for code, title in FilePlanCode.objects.values_list("code", "title")
        if code.startswith(query) or key in fold(title)
    }


# --- folders ---------------------------------------------------------------------------------


def folder_scope(user) -> QuerySet:
    return folders_visible_to(user).select_related("unit", "code", "location")


def folder_list(user, params=None) -> tuple[dict, QuerySet]:
    """The folders the person sees, filtered by ``params`` (unit, year, stage, code, q).

    Returns the cleaned filters (bad values are dropped) and the queryset.
    """
    from .choices import FolderStage

    params = params or {}
    queryset = folder_scope(user)
    used: dict = {}
    unit = params.get("unit")
    if unit and str(unit).isdigit():
        queryset = queryset.filter(unit_id=int(unit))
        used["unit"] = int(unit)
    year = params.get("year")
    if year and str(year).isdigit():
        queryset = queryset.filter(year=int(year))
        used["year"] = int(year)
    stage = params.get("stage")
    if stage in FolderStage.values:
        queryset = queryset.filter(stage=stage)
        used["stage"] = stage
    code = (params.get("code") or "").strip()
    if code:
        queryset = queryset.filter(code__code__startswith=code)
        used["code"] = code
    q = (params.get("q") or "").strip()
    if q:
        queryset = queryset.filter(code__code__in=matching_codes(q))
        used["q"] = q
    return used, queryset.order_by("-year", "unit__name", "code__code", "id")


def folder_get_for_user(user, pk) -> Folder:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("No such folder.")) from None
    found = folder_scope(user).filter(pk=pk).first()
    if found is None:
        raise Http404(_("No such folder."))
    return found


def folder_filings(user, folder: Folder) -> tuple[list[Filing], int]:
    """The filings of a folder whose documents the person may see, and how many are hidden."""
    everything = Filing.objects.filter(folder=folder)
    visible = list(
        filings_visible_to(user, everything)
        .select_related("document", "document__archived_record", "filed_by")
        .order_by("document__registry_year", "document__registry_number", "id")
    )
    return visible, everything.count() - len(visible)


def document_filings(user, document) -> list[Filing]:
    """Where a (visible) document is filed, in folders the person may see; main first."""
    return list(
        Filing.objects.filter(document=document, folder__in=folders_visible_to(user))
        .select_related("folder__code", "folder__unit")
        .order_by("-is_main", "folder__code__code")
    )


# --- records ---------------------------------------------------------------------------------


def record_scope(user) -> QuerySet:
    return records_visible_to(user).select_related(
        "document__registry", "folder__code", "folder__unit", "archived_by"
    )


def record_get_for_user(user, pk) -> ArchivedRecord:
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("No such archived record.")) from None
    found = (
        record_scope(user)
        .prefetch_related(
            Prefetch("corrections", queryset=_corrections()),
        )
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404(_("No such archived record."))
    return found


def _corrections():
    from .models import RecordCorrection

    return RecordCorrection.objects.select_related("correction", "recorded_by").order_by(
        "recorded_at", "id"
    )


def record_of_document(document) -> ArchivedRecord | None:
    return ArchivedRecord.objects.filter(document=document).select_related("folder__code").first()


def corrected_by(user, document) -> list:
    """Archived records (the person may see) that this document corrects."""
    from .models import RecordCorrection

    return list(
        RecordCorrection.objects.filter(
            correction=document, original__in=records_visible_to(user)
        ).select_related("original__document")
    )
