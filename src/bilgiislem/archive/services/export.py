"""Export of a folder, a year or a unit archive as a BagIt bag (issue 5 point 8).

The bag holds the files, their metadata as JSON and the audit events of the exported
objects (layout in ``archive/bag.py``); it is validated (every checksum, completeness)
before the export counts as done, and the export itself is recorded in the audit trail.

Who may export: whoever keeps the folders' archive — its archive officers and the Director
of its directorate or anyone above (``permissions.may_keep``). A folder outside that reach
is not found (404 at the interfaces). Documents of the folders the exporter may not see in
the registry (Gizli, Çok Gizli) are left out and counted as withheld in ``bag-info.txt``;
the management command (no person) exports everything.

A file whose blob is missing or damaged stops the export: a bag is never written with a
copy that is not the original. Contents already disposed of are listed without bytes.
"""

from __future__ import annotations

import dataclasses
import shutil
import time
from collections.abc import Iterable
from pathlib import Path

import bagit
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.chain import HASHED_FIELDS
from bilgiislem.audit.models import AuditEvent
from bilgiislem.audit.services import audit_record
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization import permissions as org
from bilgiislem.organization.models import Institution, OrgUnit, Person
from bilgiislem.registry.models import Custody, Document, DocumentFile, Note, Routing

from .. import bag
from .. import permissions as archive_permissions
from ..choices import DisposalState
from ..models import ArchivedRecord, FilePlanCode, Filing, Folder

__all__ = ["ExportResult", "export_bag", "exportable_unit_ids", "folders_for_export"]

# Object types whose audit events travel with the bag (besides those of the folders).
_EVENT_TYPES = {
    "registry.document": Document,
    "registry.documentfile": DocumentFile,
    "registry.routing": Routing,
    "registry.custody": Custody,
    "registry.note": Note,
}
_ID_BATCH = 500


@dataclasses.dataclass
class ExportResult:
    path: Path
    scope: str
    folders: int = 0
    documents: int = 0
    files: int = 0
    bytes: int = 0
    events: int = 0
    withheld: int = 0
    seconds: float = 0.0


# --- who may export what -------------------------------------------------------------------


def exportable_unit_ids(actor) -> set[int] | None:
    """Units whose folders ``actor`` may export; None means every unit (the command)."""
    if actor is None or actor.is_superuser:
        return None

    def compute():
        units = org.unit_parents(actor)
        return {pk for pk in units if archive_permissions.may_keep(actor, pk)}

    return org.remembered(actor, ("archive.exportable_units", timezone.localdate()), compute)


def folders_for_export(actor, *, year: int | None = None, unit: OrgUnit | None = None):
    """The folders ``actor`` may export, narrowed to a year and/or a unit and its sub-units."""
    folders = Folder.objects.all()
    allowed = exportable_unit_ids(actor)
    if allowed is not None:
        folders = folders.filter(unit_id__in=allowed)
    if unit is not None:
        folders = folders.filter(unit_id__in=org.subtree(unit.pk, org.unit_parents(actor)))
    if year is not None:
        folders = folders.filter(year=year)
    return folders


def _scope_label(folders, year, unit) -> str:
    if folders is not None:
        return "folders " + ", ".join(
            f"{f.unit.code}/{f.code.code}/{f.year}" for f in sorted(folders, key=_folder_sort)
        )
    parts = []
    if unit is not None:
        parts.append(f"unit {unit.code}")
    if year is not None:
        parts.append(f"year {year}")
    return " ".join(parts)


def _folder_sort(folder: Folder) -> tuple:
    return (folder.unit.code, folder.code.version.name, folder.code.code, folder.year)


# --- collecting ----------------------------------------------------------------------------


class _Keys:
    """Natural keys of units, people, documents and folders, loaded once per export."""

    def __init__(self):
        self.units = dict(OrgUnit.objects.values_list("id", "code"))
        self._people: dict[int, str] = {}
        self.used_units: set[int] = set()
        self.used_people: set[int] = set()

    def unit(self, unit_id: int | None) -> str | None:
        if unit_id is None:
            return None
        self.used_units.add(unit_id)
        return self.units[unit_id]

    def person(self, person_id: int | None) -> str | None:
        if person_id is None:
            return None
        self.used_people.add(person_id)
        if person_id not in self._people:
            self._people.update(Person.objects.filter(pk=person_id).values_list("id", "username"))
        return self._people[person_id]

    def document(self, doc: Document) -> dict:
        return bag.document_key(self.unit(doc.registry_id), doc.registry_year, doc.registry_number)

    def folder(self, folder: Folder) -> dict:
        return {
            "unit": self.unit(folder.unit_id),
            "plan": folder.code.version.name,
            "code": folder.code.code,
            "year": folder.year,
        }


def _document_json(doc: Document, keys: _Keys, doc_keys: dict[int, dict], files_of) -> dict:
    source_key = None
    if doc.source_id is not None:
        source_key = doc_keys.get(doc.source_id) or keys.document(doc.source)
    file_index = {f.pk: i for i, f in enumerate(files_of.get(doc.pk, []))}
    return {
        "key": doc_keys[doc.pk],
        "direction": doc.direction,
        "medium": doc.medium,
        "registered_at": bag.iso_datetime(doc.registered_at),
        "registered_by": keys.person(doc.registered_by_id),
        "party_kind": doc.party_kind,
        "party_name": doc.party_name,
        "party_identifier": doc.party_identifier,
        "party_unit": keys.unit(doc.party_unit_id),
        "sayi": doc.sayi,
        "document_date": bag.iso_date(doc.document_date),
        "subject": doc.subject,
        "sdp_code": doc.sdp_code,
        "secrecy": doc.secrecy,
        "urgency": doc.urgency,
        "urgency_date": bag.iso_date(doc.urgency_date),
        "paper_location": doc.paper_location,
        "status": doc.status,
        "done_at": bag.iso_datetime(doc.done_at),
        "source": source_key,
        "eyp_belge_id": doc.eyp_belge_id,
        "annexes": [
            {
                "kind": a.kind,
                "description": a.description,
                "file": file_index.get(a.file_id) if a.file_id else None,
            }
            for a in doc.annexes.all()
        ],
        "references": [
            {
                "referenced": (
                    (doc_keys.get(r.referenced_id) or keys.document(r.referenced))
                    if r.referenced_id
                    else None
                ),
                "sayi": r.sayi,
                "date": bag.iso_date(r.date),
                "description": r.description,
            }
            for r in doc.references.all()
        ],
    }


def _code_json(code: FilePlanCode) -> dict:
    return {
        "plan": code.version.name,
        "code": code.code,
        "parent": code.parent.code if code.parent_id else None,
        "title": code.title,
        "is_header": code.is_header,
        "secondary_only": code.secondary_only,
        "unit_years": code.unit_years,
        "institution_years": code.institution_years,
        "disposition": code.disposition,
        "is_sample": code.is_sample,
        "note": code.note,
    }


def _location_path(folder: Folder) -> list[str] | None:
    if folder.location_id is None:
        return None
    path, node = [], folder.location
    while node is not None:
        path.append(node.label)
        node = node.parent
    return list(reversed(path))


@dataclasses.dataclass
class _Collected:
    metadata: dict
    shipped: list[DocumentFile]  # files whose bytes go into the bag
    withheld: int
    document_ids: list[int]
    folder_ids: list[int]


def _collect(folders: list[Folder], actor) -> _Collected:
    """Every metadata file's content, the files to copy, and the withheld count."""
    keys = _Keys()
    folder_ids = [f.pk for f in folders]
    in_folders = Q(filings__folder_id__in=folder_ids) | Q(archived_record__folder_id__in=folder_ids)
    all_docs = Document.objects.filter(in_folders).distinct()
    docs_qs = (
        all_docs
        if actor is None
        else all_docs.filter(
            pk__in=Document.objects.visible_to(actor).filter(in_folders).values("pk")
        )
    )
    documents = list(
        docs_qs.select_related("source").prefetch_related("annexes", "references__referenced")
    )
    withheld = all_docs.count() - len(documents)
    doc_ids = [d.pk for d in documents]
    doc_keys = {d.pk: keys.document(d) for d in documents}
    files = list(
        DocumentFile.objects.filter(document_id__in=doc_ids)
        .select_related("document")
        .order_by("document_id", "id")
    )
    files_of: dict[int, list[DocumentFile]] = {}
    for f in files:
        files_of.setdefault(f.document_id, []).append(f)
    records = list(ArchivedRecord.objects.filter(document_id__in=doc_ids, folder_id__in=folder_ids))
    disposed = {r.document_id for r in records if r.disposal_state != DisposalState.KEPT}
    filings = list(Filing.objects.filter(document_id__in=doc_ids, folder_id__in=folder_ids))
    folder_keys = {f.pk: keys.folder(f) for f in folders}

    codes: dict[int, FilePlanCode] = {}
    for folder in folders:
        node = folder.code
        while node is not None and node.pk not in codes:
            codes[node.pk] = node
            node = node.parent

    metadata = {
        "documents": sorted(
            (_document_json(d, keys, doc_keys, files_of) for d in documents),
            key=lambda d: bag.key_tuple(d["key"]),
        ),
        "files": sorted(
            (
                {
                    "document": doc_keys[f.document_id],
                    "index": i,
                    "role": f.role,
                    "filename": f.filename,
                    "content_type": f.content_type,
                    "size": f.size,
                    "sha256": f.sha256,
                    "uploaded_by": keys.person(f.uploaded_by_id),
                    "uploaded_at": bag.iso_datetime(f.uploaded_at),
                    "extracted_text": f.extracted_text,
                    "path": (
                        None if f.document_id in disposed else f"data/{bag.FILES_DIR}/{f.sha256}"
                    ),
                }
                for doc_files in files_of.values()
                for i, f in enumerate(doc_files)
            ),
            key=lambda f: (bag.key_tuple(f["document"]), f["index"]),
        ),
        "folders": sorted(
            (
                {
                    "key": folder_keys[f.pk],
                    "title": f.title,
                    "stage": f.stage,
                    "closed_at": bag.iso_datetime(f.closed_at),
                    "unit_years": f.unit_years,
                    "institution_years": f.institution_years,
                    "disposition": f.disposition,
                    "unit_archive_until": f.unit_archive_until,
                    "retention_until": f.retention_until,
                    "location": _location_path(f),
                    "document_count": f.document_count,
                }
                for f in folders
            ),
            key=lambda f: bag.key_tuple(f["key"]),
        ),
        "filings": sorted(
            (
                {
                    "folder": folder_keys[f.folder_id],
                    "document": doc_keys[f.document_id],
                    "is_main": f.is_main,
                    "filed_by": keys.person(f.filed_by_id),
                    "filed_at": bag.iso_datetime(f.filed_at),
                }
                for f in filings
            ),
            key=lambda f: (bag.key_tuple(f["folder"]), bag.key_tuple(f["document"])),
        ),
        "records": sorted(
            (
                {
                    "document": doc_keys[r.document_id],
                    "folder": folder_keys[r.folder_id],
                    "archived_at": bag.iso_datetime(r.archived_at),
                    "archived_by": keys.person(r.archived_by_id),
                    "manifest_sha256": r.manifest_sha256,
                    "disposal_state": r.disposal_state,
                    "disposed_at": bag.iso_datetime(r.disposed_at),
                }
                for r in records
            ),
            key=lambda r: bag.key_tuple(r["document"]),
        ),
        "file_plan": {
            "versions": sorted(
                (
                    {
                        "name": v.name,
                        "effective_from": bag.iso_date(v.effective_from),
                        "source": v.source,
                    }
                    for v in {c.version_id: c.version for c in codes.values()}.values()
                ),
                key=lambda v: v["name"],
            ),
            "codes": sorted(
                (_code_json(c) for c in codes.values()), key=lambda c: (c["plan"], c["code"])
            ),
        },
    }
    institution = Institution.objects.first()
    metadata["institution"] = {
        "name": institution.name if institution else "",
        "detsis_no": institution.detsis_no if institution else "",
    }
    units = OrgUnit.objects.filter(pk__in=keys.used_units).order_by("code")
    metadata["units"] = [{"code": u.code, "name": u.name, "kind": u.kind} for u in units]
    people = Person.objects.filter(pk__in=keys.used_people).order_by("username")
    metadata["people"] = [
        {
            "username": p.username,
            "first_name": p.first_name,
            "last_name": p.last_name,
            "title": p.title,
        }
        for p in people
    ]
    shipped = [f for f in files if f.document_id not in disposed]
    return _Collected(metadata, shipped, withheld, doc_ids, folder_ids)


def _chunks(values: list, size: int = _ID_BATCH) -> Iterable[list]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _ids_of(model, documents_ids: list[int], **extra) -> list[str]:
    ids: list[str] = []
    for batch in _chunks(documents_ids):
        rows = model.objects.filter(document_id__in=batch, **extra).values_list("pk", flat=True)
        ids.extend(str(pk) for pk in rows)
    return ids


def _events(documents_ids: list[int], folder_ids: list[int]) -> list[dict]:
    """Audit events of the exported objects, in chain order, as they are stored (with every
    field their hash covers, so each event can be re-checked outside: audit/chain.py)."""
    wanted: dict[str, list[str]] = {
        "archive.folder": [str(i) for i in folder_ids],
        "archive.filing": _ids_of(Filing, documents_ids, folder_id__in=folder_ids),
        "archive.archivedrecord": _ids_of(ArchivedRecord, documents_ids, folder_id__in=folder_ids),
    }
    for object_type, model in _EVENT_TYPES.items():
        if model is Document:
            wanted[object_type] = [str(i) for i in documents_ids]
        else:
            wanted[object_type] = _ids_of(model, documents_ids)
    rows = []
    for object_type, ids in wanted.items():
        for batch in _chunks(ids):
            rows.extend(
                AuditEvent.objects.filter(object_type=object_type, object_id__in=batch).values(
                    *HASHED_FIELDS, "hash"
                )
            )
    rows.sort(key=lambda r: r["seq"])
    for row in rows:
        row["occurred_at"] = row["occurred_at"].isoformat(timespec="microseconds")
    return rows


# --- writing -------------------------------------------------------------------------------


def _copy_blob(sha256: str, target: Path, document_label: str) -> int:
    try:
        shutil.copyfile(storage.blob_path(sha256), target)
    except FileNotFoundError as exc:
        raise DomainError(
            _("The stored file %(sha)s of document %(document)s is missing; nothing was exported.")
            % {"sha": sha256, "document": document_label},
            field="scope",
        ) from exc
    return target.stat().st_size


def export_bag(
    *,
    actor,
    dest_dir: Path | str,
    folders: Iterable[Folder] | None = None,
    year: int | None = None,
    unit: OrgUnit | None = None,
) -> ExportResult:
    """Write the bag of ``folders`` (or of every folder of ``year`` and/or ``unit`` that
    ``actor`` may export) into ``dest_dir`` (created; must not exist), validate it and
    record the export. ``actor`` None: the command, no restriction."""
    started = time.perf_counter()
    dest = Path(dest_dir)
    if folders is None and year is None and unit is None:
        raise DomainError(_("Choose a folder, a year or a unit to export."), field="scope")
    if unit is not None and actor is not None and not archive_permissions.may_keep(actor, unit):
        raise PermissionDeniedError(_("You do not keep this unit's archive."))
    if folders is not None:
        chosen = list(
            Folder.objects.filter(pk__in=[f.pk for f in folders]).select_related(
                "unit", "code__version", "location"
            )
        )
        allowed = exportable_unit_ids(actor)
        if allowed is not None and any(f.unit_id not in allowed for f in chosen):
            raise PermissionDeniedError(_("You do not keep this folder's archive."))
    else:
        chosen = list(
            folders_for_export(actor, year=year, unit=unit).select_related(
                "unit", "code__version", "location"
            )
        )
    if not chosen:
        raise DomainError(_("There is no folder to export."), field="scope")
    scope = _scope_label(folders and chosen, year, unit)
    if dest.exists() and any(dest.iterdir()):
        raise DomainError(_("The export folder is not empty."), field="dest_dir")

    result = ExportResult(path=dest, scope=scope)
    dest.mkdir(parents=True, exist_ok=True)
    try:
        collected = _collect(chosen, actor)
        metadata = collected.metadata
        events = _events(collected.document_ids, collected.folder_ids)
        _write_payload(dest, metadata, collected.shipped, events)
        result.folders = len(chosen)
        result.documents = len(metadata["documents"])
        result.files = len(metadata["files"])
        result.events = len(events)
        result.withheld = collected.withheld
        made = _make_bag(dest, result, actor)
        result.bytes = sum(p.stat().st_size for p in (dest / "data" / bag.FILES_DIR).iterdir())
    except BaseException:
        shutil.rmtree(dest, ignore_errors=True)
        raise
    with transaction.atomic():
        audit_record(
            actor=actor,
            action="archive.bag.exported",
            object_repr=scope[:300],
            changes={
                "scope": scope,
                "folders": result.folders,
                "documents": result.documents,
                "files": result.files,
                "bytes": result.bytes,
                "events": result.events,
                "withheld": result.withheld,
                "payload_oxum": made.info.get("Payload-Oxum", ""),
            },
        )
    result.seconds = time.perf_counter() - started
    return result


def _write_payload(dest: Path, metadata: dict, shipped: list[DocumentFile], events) -> None:
    files_dir = dest / bag.FILES_DIR
    files_dir.mkdir()
    for f in shipped:
        target = files_dir / f.sha256
        if not target.exists():
            _copy_blob(f.sha256, target, f.document.number_label)
    meta_dir = dest / bag.METADATA_DIR
    meta_dir.mkdir()
    for name in bag.METADATA:
        (meta_dir / f"{name}.json").write_bytes(bag.dumps(metadata[name]))
    audit_path = dest / bag.AUDIT_FILE
    audit_path.parent.mkdir()
    with audit_path.open("wb") as out:
        for event in events:
            out.write(bag.dumps(event).replace(b"\n", b"") + b"\n")


def _make_bag(dest: Path, result: ExportResult, actor) -> bagit.Bag:
    institution = Institution.objects.first()
    info = {
        "Source-Organization": institution.name if institution else "",
        "Bagging-Date": timezone.localdate().isoformat(),
        "BagIt-Profile-Identifier": bag.BAG_PROFILE,
        "External-Description": f"Archive export: {result.scope}",
        "Exported-By": actor.get_username() if actor is not None else "system",
        "Folder-Count": str(result.folders),
        "Document-Count": str(result.documents),
        "File-Count": str(result.files),
        "Audit-Event-Count": str(result.events),
        "Documents-Withheld": str(result.withheld),
        "Bag-Software-Agent": "bilgiislem",
    }
    if institution is not None and institution.detsis_no:
        info["Organization-Identifier"] = f"DETSİS {institution.detsis_no}"
    with bag.quiet_bagit():
        made = bagit.make_bag(str(dest), info, checksums=bag.CHECKSUMS)
        # A blob damaged on disk would have been bagged with its damage: its name says what
        # the bytes must hash to, the manifest says what they do.
        for path, hashes in made.entries.items():
            parts = Path(path).parts
            if len(parts) == 3 and parts[1] == bag.FILES_DIR and hashes["sha256"] != parts[2]:
                raise DomainError(
                    _("The stored file %(sha)s is damaged; nothing was exported.")
                    % {"sha": parts[2]},
                    field="scope",
                )
        try:
            made.validate()
        except bagit.BagValidationError as exc:  # pragma: no cover - the disk failed us
            raise DomainError(
                _("The written bag does not validate: %(error)s") % {"error": exc},
                field="scope",
            ) from exc
    return made
