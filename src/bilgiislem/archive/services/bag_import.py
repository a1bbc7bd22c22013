"""Import of an exported archive bag into an installation without its records (issue 5
point 8): the same files and metadata, found again by their natural keys.

Order of work, so that a refused bag writes nothing:

1. Unpack (a .zip, a .tar or a directory; no member may leave the unpacking folder) and
   **validate** with bagit: every checksum of every payload and tag file, completeness (no
   file missing, none extra), Payload-Oxum. Then this system's own checks: the metadata
   files parse, every file named in ``files.json`` is in the payload under its SHA-256 and
   the manifest agrees, the units exist (the organisation data file is loaded first), no
   document or folder of the bag is here already.
2. In **one transaction**: people missing here are created as accounts that cannot log in
   (``organization.services.person_create``, the system as actor), file plan versions and
   codes missing here, documents (registry numbers, Sayı and dates kept), their files,
   annexes and references, folders, filings, archived records; the registry counters are
   moved past the imported numbers so no number is ever handed out twice. The blobs are
   written into ``core.storage`` inside that transaction; if anything fails, the rows roll
   back and every blob this import created is removed again.
3. The bag's audit events are **kept as data**, not appended to our chain: a foreign event
   cannot join a hash chain it was not written in without breaking it. ``events.jsonl`` is
   stored as a blob (checked by the fixity cycle like any other file), each event's own
   hash is re-computed (``audit/chain.py``) and the counts recorded; one event
   ``archive.bag.imported`` names the bag, its Payload-Oxum and the blob, and each imported
   document gets ``archive.document.imported``.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime
import json
import tempfile
from pathlib import Path

import bagit
from django.db import transaction
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext as _

from bilgiislem.audit.chain import event_hash
from bilgiislem.audit.services import audit_record
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import OrgUnit, Person
from bilgiislem.organization.services.people import person_create
from bilgiislem.registry.models import (
    Annex,
    Document,
    DocumentFile,
    Reference,
    RegistryCounter,
)
from bilgiislem.registry.services._common import search_text_of

from .. import bag
from ..models import (
    ArchivedRecord,
    FilePlanCode,
    FilePlanVersion,
    Filing,
    Folder,
    StorageLocation,
)
from .fixity import IMPORTED_EVENTS_ACTION

__all__ = ["ImportResult", "bag_import", "bag_validate"]

MAX_BLOB = 2**62
FIELD = "bag"


@dataclasses.dataclass
class ImportResult:
    bag: str
    documents: int = 0
    files: int = 0
    blobs_written: int = 0
    folders: int = 0
    filings: int = 0
    records: int = 0
    events: int = 0
    events_verified: int = 0
    people_created: list[str] = dataclasses.field(default_factory=list)
    locations_not_found: int = 0
    links_dropped: int = 0


def _refuse(message) -> DomainError:
    return DomainError(message, field=FIELD)


# --- 1. validation -------------------------------------------------------------------------


def _describe(exc: bagit.BagError) -> str:
    details = getattr(exc, "details", None) or []
    text = str(exc)
    if details:
        shown = "; ".join(str(d) for d in details[:5])
        more = len(details) - 5
        text = f"{text}: {shown}" + (f" (+{more})" if more > 0 else "")
    return text


def bag_validate(bag_dir: Path) -> bagit.Bag:
    """The bag, once bagit says every checksum and the completeness hold."""
    try:
        with bag.quiet_bagit():
            loaded = bagit.Bag(str(bag_dir))
            loaded.validate()
    except bagit.BagError as exc:
        raise _refuse(
            _("The bag does not validate; nothing was imported. %(error)s")
            % {"error": _describe(exc)}
        ) from exc
    return loaded


def _read_metadata(loaded: bagit.Bag) -> dict:
    root = Path(loaded.path) / "data"
    metadata = {}
    for name in bag.METADATA:
        path = root / bag.METADATA_DIR / f"{name}.json"
        try:
            metadata[name] = json.loads(path.read_text("utf-8"))
        except (OSError, ValueError) as exc:
            raise _refuse(
                _("The bag has no readable %(name)s; it was not made by this system.")
                % {"name": f"metadata/{name}.json"}
            ) from exc
    return metadata


def _check_payload(loaded: bagit.Bag, metadata: dict) -> dict[str, Path]:
    """SHA-256 → payload path of every file to store; the manifest must agree."""
    entries = {Path(p).as_posix(): h for p, h in loaded.entries.items()}
    found: dict[str, Path] = {}
    for row in metadata["files"]:
        if row.get("path") is None:
            continue
        sha = row["sha256"]
        expected = f"data/{bag.FILES_DIR}/{sha}"
        if row["path"] != expected or entries.get(expected, {}).get("sha256") != sha:
            raise _refuse(
                _("The file “%(name)s” is not in the bag under its SHA-256.")
                % {"name": row.get("filename", sha)}
            )
        found[sha] = Path(loaded.path) / expected
    return found


# --- 2. writing ----------------------------------------------------------------------------


class _Importer:
    def __init__(self, actor, metadata: dict, payload: dict[str, Path], result: ImportResult):
        self.actor = actor
        self.meta = metadata
        self.payload = payload
        self.result = result
        self.units: dict[str, int] = {}
        self.people: dict[str, Person] = {}
        self.codes: dict[tuple[str, str], FilePlanCode] = {}
        self.documents: dict[tuple, Document] = {}
        self.folders: dict[tuple, Folder] = {}
        self.created_blobs: list[Path] = []

    # -- checks that need the database, before anything is written --

    def check(self) -> None:
        wanted = {u["code"] for u in self.meta["units"]}
        self.units = dict(OrgUnit.objects.filter(code__in=wanted).values_list("code", "id"))
        missing = sorted(wanted - set(self.units))
        if missing:
            raise _refuse(
                _(
                    "These units are not in this installation: %(codes)s. Load the "
                    "organisation data file first; nothing was imported."
                )
                % {"codes": ", ".join(missing)}
            )
        here = Q(pk__in=[])
        for doc in self.meta["documents"]:
            key = doc["key"]
            here |= Q(
                registry_id=self.units[key["registry"]],
                registry_year=key["year"],
                registry_number=key["number"],
            )
        clash = Document.objects.filter(here).select_related("registry").first()
        if clash is not None:
            raise _refuse(
                _(
                    "Document %(number)s of %(registry)s is already in this installation; "
                    "nothing was imported."
                )
                % {"number": clash.number_label, "registry": clash.registry}
            )
        for folder in self.meta["folders"]:
            key = folder["key"]
            if Folder.objects.filter(
                unit_id=self.units[key["unit"]],
                code__version__name=key["plan"],
                code__code=key["code"],
                year=key["year"],
            ).exists():
                raise _refuse(
                    _(
                        "The folder %(code)s %(year)s of %(unit)s is already in this "
                        "installation; nothing was imported."
                    )
                    % {"code": key["code"], "year": key["year"], "unit": key["unit"]}
                )

    # -- rows --

    def person(self, username: str | None) -> Person | None:
        if username is None:
            return None
        return self.people[username.lower()]

    def write(self) -> None:
        self._people()
        self._file_plan()
        self._documents()
        self._folders()
        self._filings_and_records()
        self._counters()

    def _people(self) -> None:
        wanted = {p["username"].lower(): p for p in self.meta["people"]}
        here = Person.objects.annotate(lower=Lower("username")).filter(lower__in=list(wanted))
        self.people = {p.username.lower(): p for p in here}
        for key, row in sorted(wanted.items()):
            if key in self.people:
                continue
            self.people[key] = person_create(
                actor=None,
                username=row["username"],
                first_name=row.get("first_name") or row["username"],
                last_name=row.get("last_name") or row["username"],
                title=row.get("title", ""),
            )
            self.result.people_created.append(row["username"])

    def _file_plan(self) -> None:
        versions = {}
        for row in self.meta["file_plan"]["versions"]:
            effective = bag.parse_date(row["effective_from"])
            version = FilePlanVersion.objects.filter(
                name=row["name"], effective_from=effective
            ).first() or FilePlanVersion.objects.create(
                name=row["name"],
                effective_from=effective,
                source=row.get("source", ""),
                loaded_by=self.actor,
            )
            versions[row["name"]] = version
        for code in FilePlanCode.objects.filter(version__in=versions.values()).select_related(
            "version"
        ):
            self.codes[(code.version.name, code.code)] = code
        pending = [
            c for c in self.meta["file_plan"]["codes"] if (c["plan"], c["code"]) not in self.codes
        ]
        while pending:
            ready = [
                c for c in pending if c["parent"] is None or (c["plan"], c["parent"]) in self.codes
            ]
            if not ready:
                raise _refuse(_("The bag's file plan codes refer to parents it does not hold."))
            for row in ready:
                self.codes[(row["plan"], row["code"])] = FilePlanCode.objects.create(
                    version=versions[row["plan"]],
                    code=row["code"],
                    parent=self.codes.get((row["plan"], row["parent"])) if row["parent"] else None,
                    title=row["title"],
                    is_header=row["is_header"],
                    secondary_only=row["secondary_only"],
                    unit_years=row["unit_years"],
                    institution_years=row["institution_years"],
                    disposition=row["disposition"],
                    is_sample=row["is_sample"],
                    note=row["note"],
                )
            pending = [c for c in pending if c not in ready]

    def _document_lookup(self, key: dict | None) -> Document | None:
        if key is None:
            return None
        found = self.documents.get(bag.key_tuple(key))
        if found is None and key.get("registry") in self.units:
            found = Document.objects.filter(
                registry_id=self.units[key["registry"]],
                registry_year=key["year"],
                registry_number=key["number"],
            ).first()
        if found is None:
            self.result.links_dropped += 1
        return found

    def _documents(self) -> None:
        files_of: dict[tuple, list[dict]] = {}
        for row in self.meta["files"]:
            files_of.setdefault(bag.key_tuple(row["document"]), []).append(row)
        for row in self.meta["documents"]:
            key = row["key"]
            doc = Document(
                registry_id=self.units[key["registry"]],
                registry_year=key["year"],
                registry_number=key["number"],
                direction=row["direction"],
                medium=row["medium"],
                registered_at=bag.parse_datetime(row["registered_at"]),
                registered_by=self.person(row["registered_by"]),
                party_kind=row["party_kind"],
                party_name=row["party_name"],
                party_identifier=row["party_identifier"],
                party_unit_id=self.units.get(row["party_unit"]) if row["party_unit"] else None,
                sayi=row["sayi"],
                document_date=bag.parse_date(row["document_date"]),
                subject=row["subject"],
                sdp_code=row["sdp_code"],
                secrecy=row["secrecy"],
                urgency=row["urgency"],
                urgency_date=bag.parse_date(row["urgency_date"]),
                paper_location=row["paper_location"],
                status=row["status"],
                done_at=bag.parse_datetime(row["done_at"]),
                eyp_belge_id=row["eyp_belge_id"],
            )
            texts = [f["extracted_text"] for f in files_of.get(bag.key_tuple(key), [])]
            doc.search_text = search_text_of(doc, *[t for t in texts if t])
            doc.save()
            self.documents[bag.key_tuple(key)] = doc
            self.result.documents += 1
        for row in self.meta["documents"]:
            doc = self.documents[bag.key_tuple(row["key"])]
            files = self._files(doc, files_of.get(bag.key_tuple(row["key"]), []))
            for annex in row["annexes"]:
                Annex.objects.create(
                    document=doc,
                    kind=annex["kind"],
                    description=annex["description"],
                    file=files[annex["file"]] if annex["file"] is not None else None,
                )
            for ref in row["references"]:
                Reference.objects.create(
                    document=doc,
                    referenced=self._document_lookup(ref["referenced"]),
                    sayi=ref["sayi"],
                    date=bag.parse_date(ref["date"]),
                    description=ref["description"],
                )
            if row["source"] is not None:
                source = self._document_lookup(row["source"])
                if source is not None:
                    Document.objects.filter(pk=doc.pk).update(source=source)

    def _files(self, doc: Document, rows: list[dict]) -> list[DocumentFile]:
        files = []
        for row in sorted(rows, key=lambda r: r["index"]):
            made = DocumentFile.objects.create(
                document=doc,
                role=row["role"],
                filename=row["filename"],
                content_type=row["content_type"],
                size=row["size"],
                sha256=row["sha256"],
                extracted_text=row["extracted_text"],
                uploaded_by=self.person(row["uploaded_by"]),
            )
            # uploaded_at is set on creation; the original time is the record's.
            DocumentFile.objects.filter(pk=made.pk).update(
                uploaded_at=bag.parse_datetime(row["uploaded_at"])
            )
            files.append(made)
            self.result.files += 1
            if row["path"] is not None:
                self._store(row["sha256"])
        return files

    def _store(self, sha256: str) -> None:
        path = self.payload[sha256]
        with path.open("rb") as handle:
            stored = storage.store_stream(handle, max_bytes=MAX_BLOB)
        if stored.created:
            self.created_blobs.append(stored.path)
            self.result.blobs_written += 1
        if stored.sha256 != sha256:
            raise _refuse(_("A file of the bag changed while it was imported."))

    def _location(self, labels: list[str] | None) -> StorageLocation | None:
        if not labels:
            return None
        node = None
        for label in labels:
            node = StorageLocation.objects.filter(parent=node, label=label).first()
            if node is None:
                self.result.locations_not_found += 1
                return None
        return node

    def _folders(self) -> None:
        for row in self.meta["folders"]:
            key = row["key"]
            folder = Folder.objects.create(
                unit_id=self.units[key["unit"]],
                code=self.codes[(key["plan"], key["code"])],
                year=key["year"],
                title=row["title"],
                stage=row["stage"],
                closed_at=bag.parse_datetime(row["closed_at"]),
                unit_years=row["unit_years"],
                institution_years=row["institution_years"],
                disposition=row["disposition"],
                unit_archive_until=row["unit_archive_until"],
                retention_until=row["retention_until"],
                location=self._location(row["location"]),
                document_count=row["document_count"],
            )
            self.folders[bag.key_tuple(key)] = folder
            self.result.folders += 1

    def _filings_and_records(self) -> None:
        for row in self.meta["filings"]:
            filing = Filing.objects.create(
                folder=self.folders[bag.key_tuple(row["folder"])],
                document=self.documents[bag.key_tuple(row["document"])],
                is_main=row["is_main"],
                filed_by=self.person(row["filed_by"]),
            )
            Filing.objects.filter(pk=filing.pk).update(filed_at=bag.parse_datetime(row["filed_at"]))
            self.result.filings += 1
        # Records last: once a document is a record, its files and metadata are frozen.
        for row in self.meta["records"]:
            ArchivedRecord.objects.create(
                document=self.documents[bag.key_tuple(row["document"])],
                folder=self.folders[bag.key_tuple(row["folder"])],
                archived_at=bag.parse_datetime(row["archived_at"]),
                archived_by=self.person(row["archived_by"]),
                manifest_sha256=row["manifest_sha256"],
                disposal_state=row["disposal_state"],
                disposed_at=bag.parse_datetime(row["disposed_at"]),
            )
            self.result.records += 1

    def _counters(self) -> None:
        """Move each registry's counter past the imported numbers (never hand one out twice)."""
        highest: dict[tuple[int, int], int] = {}
        for doc in self.documents.values():
            k = (doc.registry_id, doc.registry_year)
            highest[k] = max(highest.get(k, 0), doc.registry_number)
        for (registry_id, year), number in highest.items():
            counter, _created = RegistryCounter.objects.select_for_update().get_or_create(
                registry_id=registry_id, year=year, defaults={"last_number": number}
            )
            if counter.last_number < number:
                RegistryCounter.objects.filter(pk=counter.pk).update(last_number=number)

    def remove_created_blobs(self) -> None:
        for path in self.created_blobs:
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        self.created_blobs.clear()


def _verify_events(path: Path) -> tuple[int, int]:
    """(events, events whose own hash still matches their content)."""
    count = verified = 0
    if not path.exists():
        return 0, 0
    with path.open("rb") as handle:
        for line in handle:
            if not line.strip():
                continue
            count += 1
            try:
                values = json.loads(line)
                values["occurred_at"] = datetime.datetime.fromisoformat(values["occurred_at"])
                if event_hash(values) == values.get("hash"):
                    verified += 1
            except (ValueError, KeyError, TypeError):
                continue
    return count, verified


def _open_bag(path: Path, scratch: Path) -> Path:
    if not path.exists():
        raise _refuse(_("There is no bag at %(path)s.") % {"path": path})
    try:
        return bag.unpack(path, scratch)
    except (bag.UnsafeArchiveError, OSError, EOFError) as exc:
        raise _refuse(
            _("The bag cannot be unpacked safely; nothing was imported. (%(error)s)")
            % {"error": exc}
        ) from exc


def bag_import(*, actor, path: Path | str) -> ImportResult:
    """Validate the bag at ``path`` and recreate its records here; refuse with a clear
    message and write nothing (no row, no blob) when anything is wrong."""
    path = Path(path)
    with tempfile.TemporaryDirectory(prefix="bag-import-") as scratch:
        bag_dir = _open_bag(path, Path(scratch))
        loaded = bag_validate(bag_dir)
        metadata = _read_metadata(loaded)
        payload = _check_payload(loaded, metadata)
        result = ImportResult(bag=path.name)
        importer = _Importer(actor, metadata, payload, result)
        events_path = Path(loaded.path) / "data" / bag.AUDIT_FILE
        try:
            importer.check()
            with transaction.atomic():
                importer.write()
                _record(importer, loaded, events_path)
        except BaseException:
            importer.remove_created_blobs()
            raise
    return result


def _record(importer: _Importer, loaded: bagit.Bag, events_path: Path) -> None:
    result = importer.result
    result.events, result.events_verified = _verify_events(events_path)
    events_sha, events_size = "", 0
    if events_path.exists() and events_path.stat().st_size:
        with events_path.open("rb") as handle:
            stored = storage.store_stream(handle, max_bytes=MAX_BLOB)
        if stored.created:
            importer.created_blobs.append(stored.path)
        events_sha, events_size = stored.sha256, stored.size
    info = loaded.info
    audit_record(
        actor=importer.actor,
        action=IMPORTED_EVENTS_ACTION,
        object_repr=result.bag[:300],
        changes={
            "bag": result.bag,
            "source_organization": info.get("Source-Organization", ""),
            "bagging_date": info.get("Bagging-Date", ""),
            "payload_oxum": info.get("Payload-Oxum", ""),
            "documents": result.documents,
            "files": result.files,
            "folders": result.folders,
            "filings": result.filings,
            "records": result.records,
            "people_created": result.people_created,
            "events": result.events,
            "events_verified": result.events_verified,
            "events_sha256": events_sha,
            "events_size": events_size,
            "links_dropped": result.links_dropped,
            "locations_not_found": result.locations_not_found,
        },
    )
    for doc in importer.documents.values():
        audit_record(
            actor=importer.actor,
            action="archive.document.imported",
            obj=doc,
            changes={"bag": result.bag, "events_sha256": events_sha},
        )
