"""Subject folders: filing documents by SDP code (RYY art. 13(a)), closing a year's folders
and the retention they carry (issue 5 points 1–2; standards.md 3.3, 4).

A folder is one unit (the document's registry directorate), one code and one year. It is
found by the code *string*, so a plan version that comes into force mid-year keeps filing
into the same folder. Retention is copied into the folder when it is closed and changes
only through ``folder_reevaluate_retention`` (audited): a new plan alters nothing already
computed.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError
from bilgiislem.registry.models import Document
from bilgiislem.registry.services._common import acting_for, atomic_service, refuse

from .. import permissions
from ..choices import FolderStage
from ..models import FilePlanCode, FilePlanVersion, Filing, Folder
from .fileplan import code_for_filing, code_lookup, current_version

RETENTION_STARTS = ("folder_year", "closed_year")


def document_year(document: Document) -> int:
    """The year a document is filed under: its numbering year, else its registration year."""
    return document.registry_year or timezone.localdate(document.registered_at).year


@dataclass(frozen=True)
class Retention:
    unit_years: int
    institution_years: int
    disposition: str
    unit_archive_until: int
    retention_until: int

    def as_dict(self) -> dict:
        return {
            "unit_years": self.unit_years,
            "institution_years": self.institution_years,
            "disposition": self.disposition,
            "unit_archive_until": self.unit_archive_until,
            "retention_until": self.retention_until,
        }


def retention_start_year(folder: Folder, closed_on: datetime.date | None = None) -> int:
    """The year the retention clock starts from (BILGIISLEM_RETENTION_START, [U]): the
    folder's year (the year of its last action) or the year it was closed."""
    rule = getattr(settings, "BILGIISLEM_RETENTION_START", "folder_year")
    if rule == "closed_year":
        if closed_on is None:
            closed_on = (
                timezone.localdate(folder.closed_at) if folder.closed_at else timezone.localdate()
            )
        return closed_on.year
    return folder.year


def retention_of(entry: FilePlanCode, start_year: int) -> Retention:
    """Years in the unit archive, then in the institutional archive, counted from the end of
    ``start_year``: unit_archive_until = start + unit years, retention_until = that + the
    institutional years."""
    unit_years = entry.unit_years or 0
    institution_years = entry.institution_years or 0
    return Retention(
        unit_years=unit_years,
        institution_years=institution_years,
        disposition=entry.disposition,
        unit_archive_until=start_year + unit_years,
        retention_until=start_year + unit_years + institution_years,
    )


def _apply(folder: Folder, retention: Retention) -> None:
    for name, value in retention.as_dict().items():
        setattr(folder, name, value)


def retention_fields() -> list[str]:
    return [
        "unit_years",
        "institution_years",
        "disposition",
        "unit_archive_until",
        "retention_until",
    ]


# --- filing ----------------------------------------------------------------------------------


def folder_get_or_create(*, unit_id: int, entry: FilePlanCode, year: int) -> Folder:
    """The folder of a unit, code and year (by the code string), created when first needed."""
    found = _folder_by_code(unit_id, entry.code, year)
    if found is not None:
        return found
    try:
        with transaction.atomic():
            return Folder.objects.create(unit_id=unit_id, code=entry, year=year, title=entry.title)
    except IntegrityError:
        # Another clerk created it first (the unique unit/code/year constraint).
        found = _folder_by_code(unit_id, entry.code, year)
        if found is None:
            raise
        return found


def _folder_by_code(unit_id: int, code: str, year: int) -> Folder | None:
    return (
        Folder.objects.select_related("code")
        .filter(unit_id=unit_id, code__code=code, year=year)
        .order_by("id")
        .first()
    )


def _check_filer(actor, document: Document, action: str):
    post = permissions.filing_post(actor, document) if actor is not None else None
    if actor is not None and post is None and not actor.is_superuser:
        refuse(
            actor=actor,
            action=action,
            obj=document,
            message=_("Only the archive officer, the registry or the Director files documents."),
        )
    return post


def _file(*, actor, document: Document, folder: Folder, is_main: bool) -> Filing:
    filing = Filing.objects.create(
        folder=folder,
        document=document,
        is_main=is_main,
        filed_by=actor or document.registered_by,
    )
    Folder.objects.filter(pk=folder.pk).update(document_count=F("document_count") + 1)
    folder.document_count += 1
    return filing


def main_filing(document: Document) -> Filing | None:
    return (
        Filing.objects.select_related("folder__code", "folder__unit")
        .filter(document=document, is_main=True)
        .first()
    )


def ensure_main_filing(*, actor, document: Document, code: str | None = None, post=None) -> Filing:
    """The document's main filing, made now if it has none (inside the caller's transaction).

    The main code is the registered ``Document.sdp_code``; a document registered without one
    takes ``code``. The registered code is capture metadata and never rewritten here.
    """
    existing = main_filing(document)
    wanted = (document.sdp_code or "").strip() or (code or "").strip()
    if code and document.sdp_code and code.strip() != document.sdp_code.strip():
        raise DomainError(
            _(
                "The document is registered under %(code)s; file it there and put a copy "
                "in the other subject folder."
            )
            % {"code": document.sdp_code},
            field="sdp_code",
        )
    if existing is not None:
        if code and existing.folder.code.code != code.strip():
            raise DomainError(
                _("The document is already filed under %(code)s.")
                % {"code": existing.folder.code.code},
                field="sdp_code",
            )
        return existing
    entry = code_for_filing(wanted, main=True)
    folder = folder_get_or_create(
        unit_id=document.registry_id, entry=entry, year=document_year(document)
    )
    if Filing.objects.filter(folder=folder, document=document).exists():
        # Filed here as a copy before its main code was known: the copy becomes the main one.
        filing = Filing.objects.get(folder=folder, document=document)
        filing.is_main = True
        filing.save(update_fields=["is_main"])
    else:
        filing = _file(actor=actor, document=document, folder=folder, is_main=True)
    audit_record(
        actor=actor,
        action="archive.document.filed",
        obj=document,
        changes={"folder": folder.pk, "code": entry.code, "year": folder.year, "main": True},
        acting_for=acting_for(post),
        object_repr=document.number_label,
    )
    return filing


@atomic_service
def document_file(*, actor, document: Document, code: str | None = None) -> Filing:
    """File a document in its subject folder (its main filing; RYY art. 13(a)).

    Returns the main filing, made now or found. The code must be in the plan in force, not
    a section heading and not a secondary-only code (DomainError on ``sdp_code``).
    """
    post = _check_filer(actor, document, "archive.document.file_refused")
    document = Document.objects.select_for_update().get(pk=document.pk)
    return ensure_main_filing(actor=actor, document=document, code=code, post=post)


@atomic_service
def document_file_copy(*, actor, document: Document, code: str) -> Filing:
    """File a copy of an important document in another subject folder (RYY art. 13(a)).

    Secondary-only codes (020, 030.*) are allowed here; a section heading is not.
    """
    post = _check_filer(actor, document, "archive.document.file_refused")
    document = Document.objects.select_for_update().get(pk=document.pk)
    entry = code_for_filing(code, main=False)
    folder = folder_get_or_create(
        unit_id=document.registry_id, entry=entry, year=document_year(document)
    )
    if Filing.objects.filter(folder=folder, document=document).exists():
        raise DomainError(
            _("The document is already in the folder %(code)s.") % {"code": entry.code},
            field="sdp_code",
        )
    filing = _file(actor=actor, document=document, folder=folder, is_main=False)
    audit_record(
        actor=actor,
        action="archive.document.filed",
        obj=document,
        changes={"folder": folder.pk, "code": entry.code, "year": folder.year, "main": False},
        acting_for=acting_for(post),
        object_repr=document.number_label,
    )
    return filing


# --- closing and retention -------------------------------------------------------------------


def _plan_entry_for(folder: Folder, version: FilePlanVersion | None) -> FilePlanCode:
    """The folder's code in ``version`` (the one in force if None), else its own entry."""
    entry = code_lookup(folder.code.code, version=version) if version is not None else None
    return entry if entry is not None and not entry.is_header else folder.code


@atomic_service
def folders_close_year(*, actor=None, year: int, today: datetime.date | None = None) -> int:
    """Close the active folders of ``year`` (run on 2 January for the year before): each gets
    its retention from the plan in force and moves to the unit archive. Returns how many.

    Documents that finish later are still filed into a closed folder (its retention stays).
    """
    today = today or timezone.localdate()
    try:
        year = int(year)
    except (TypeError, ValueError):
        raise DomainError(_("Give the year."), field="year") from None
    if year >= today.year:
        raise DomainError(_("Only the folders of a past year can be closed."), field="year")
    if actor is not None and not actor.is_superuser and not permissions.officer_posts(actor):
        refuse(
            actor=actor,
            action="archive.folder.close_refused",
            obj=None,
            message=_("Only an archive officer closes the year's folders."),
        )
    now = timezone.now()
    version = current_version(today)
    count = 0
    folders = (
        Folder.objects.select_for_update(of=("self",))
        .select_related("code")
        .filter(year=year, stage=FolderStage.ACTIVE)
        .order_by("id")
    )
    # By hand, a unit's archive officer closes that unit's folders; the scheduled task (no
    # actor), the institutional archive officer and a superuser close every unit's.
    if actor is not None and not (
        actor.is_superuser or permissions.is_institution_archive_officer(actor)
    ):
        folders = folders.filter(unit_id__in=permissions.officer_directorate_ids(actor))
    for folder in folders:
        entry = _plan_entry_for(folder, version)
        folder.code = entry
        folder.stage = FolderStage.UNIT_ARCHIVE
        folder.closed_at = now
        retention = retention_of(entry, retention_start_year(folder, today))
        _apply(folder, retention)
        folder.save(update_fields=["code", "stage", "closed_at", *retention_fields()])
        audit_record(
            actor=actor,
            action="archive.folder.closed",
            obj=folder,
            changes={"code": entry.code, "plan": entry.version_id, **retention.as_dict()},
        )
        count += 1
    return count


@atomic_service
def folder_reevaluate_retention(
    *,
    actor,
    folder: Folder | None = None,
    queryset: QuerySet | None = None,
    version: FilePlanVersion,
    reason: str,
) -> list[Folder]:
    """Recompute closed folders' retention from another plan version, on purpose (audited).

    The Director of the folder's directorate or someone above decides; each folder's old
    and new retention go into the audit trail with the reason.
    """
    if not (reason or "").strip():
        raise DomainError(_("Give the reason for the re-evaluation."), field="reason")
    if version is None:
        raise DomainError(_("Choose the plan version."), field="version")
    if (folder is None) == (queryset is None):
        raise DomainError(_("Choose a folder or a set of folders."), field="folder")
    ids = [folder.pk] if folder is not None else list(queryset.values_list("pk", flat=True))
    folders = list(
        Folder.objects.select_for_update(of=("self",))
        .select_related("code", "unit")
        .filter(pk__in=ids)
        .order_by("id")
    )
    done = []
    for item in folders:
        post = permissions.director_or_above_post(actor, item.unit_id)
        if post is None and not actor.is_superuser:
            refuse(
                actor=actor,
                action="archive.folder.reevaluate_refused",
                obj=item,
                message=_("Only the Director or someone above re-evaluates retention."),
            )
        if item.closed_at is None:
            raise DomainError(
                _("The folder %(folder)s is not closed yet; nothing to re-evaluate.")
                % {"folder": item},
                field="folder",
            )
        entry = code_lookup(item.code.code, version=version)
        if entry is None or entry.is_header:
            raise DomainError(
                _("The code %(code)s is not in the plan %(version)s.")
                % {"code": item.code.code, "version": version},
                field="version",
            )
        before = {
            "code": item.code_id,
            **{name: getattr(item, name) for name in retention_fields()},
        }
        retention = retention_of(entry, retention_start_year(item))
        item.code = entry
        _apply(item, retention)
        item.save(update_fields=["code", *retention_fields()])
        audit_record(
            actor=actor,
            action="archive.folder.retention_reevaluated",
            obj=item,
            changes={"before": before, "after": {"code": entry.pk, **retention.as_dict()}},
            reason=reason.strip(),
            acting_for=acting_for(post),
        )
        done.append(item)
    return done
