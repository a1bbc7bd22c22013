"""Fixity checks of the stored files (issue 5 point 7).

Every file the records point to is re-hashed on a cycle, so that each one is checked at
least once every ``BILGIISLEM_FIXITY_CYCLE_DAYS`` (90) days, plus a daily random sample
(``BILGIISLEM_FIXITY_SAMPLE``, 50) and a full run on request (``manage.py archive_fixity``).

- **What is expected**: every SHA-256 a row points to — registry files, the disposal lists'
  PDF list and minute, the audit events kept from imported bags — and those named in the
  setting ``BILGIISLEM_FIXITY_REFERENCES`` (``"app_label.Model.field"``), through which a
  higher app (correspondence: letter annexes, signing preparations, e-Yazışma packages)
  adds its own without this app importing it. Files of records whose content was disposed
  of (or is being disposed of) are left out: they are deleted on purpose.
  ``FixityState`` mirrors that set (one row per hash) and holds when each was last checked.
- **A problem** (a file missing, or bytes that no longer hash to their name) is read a
  second time before it is believed, then opens one ``FixityIssue`` per hash, is recorded
  in the audit trail and alerts the Director of the directorate that runs the system and
  the people named in ``BILGIISLEM_FIXITY_ALERT_TO`` (usernames or e-mail addresses): the
  alert is recorded in the audit trail, shown in their İşlerim (``archive/work_fixity.py``)
  and e-mailed when an e-mail backend is configured.
- **Resolution**: a later good check does not close an issue by itself (the file may have
  been put back by hand from an unknown copy). A person closes it with a note
  (``fixity_issue_resolve``), or ``fixity_restore`` puts a good copy back — the copy must
  hash to the expected name — re-verifies it on disk and closes the issue itself.

The checking loop hashes with large reads into one buffer and writes the results in batches
(one UPDATE per few hundred files), never inside a long transaction: SQLite's writers are
not held up by a run.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import logging
import math
import os
import re
import time
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from django.apps import apps
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.db.models import Exists, F, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.models import AuditEvent
from bilgiislem.audit.services import audit_record
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import PositionKind
from bilgiislem.organization.models import ActingAssignment, Person, PositionHolding
from bilgiislem.registry.models import DocumentFile

from ..choices import DisposalState, FixityProblem, FixityRunKind
from ..models import DisposalList, FixityIssue, FixityRun, FixityState

logger = logging.getLogger(__name__)

__all__ = [
    "IMPORTED_EVENTS_ACTION",
    "FixityResult",
    "can_oversee_fixity",
    "coverage",
    "expected_files",
    "fixity_issue_resolve",
    "fixity_restore",
    "fixity_run",
    "hash_file",
    "sync_states",
]

# Large sequential reads: the cost per file is then the hash, not the system calls.
READ_SIZE = 1024 * 1024
# Results written per UPDATE (well under SQLite's 999 parameters of old builds), and per
# transaction; a full run reads the states PAGE at a time.
BATCH = 500
FLUSH = 20_000
PAGE = 5_000
# Content being disposed of or disposed of is deleted on purpose: never a fixity problem.
GONE = (DisposalState.DISPOSING, DisposalState.DISPOSED)
# The audit action of an imported bag; its ``events_sha256`` names a blob to keep checking.
IMPORTED_EVENTS_ACTION = "archive.bag.imported"
_SHA256_RE = re.compile(r"[0-9a-f]{64}")


# --- settings, read at call time -----------------------------------------------------------


def cycle_days() -> int:
    return max(1, int(getattr(settings, "BILGIISLEM_FIXITY_CYCLE_DAYS", 90)))


def sample_size() -> int:
    return max(0, int(getattr(settings, "BILGIISLEM_FIXITY_SAMPLE", 50)))


def alert_to() -> list[str]:
    return [str(v).strip() for v in getattr(settings, "BILGIISLEM_FIXITY_ALERT_TO", []) if v]


def _extra_references() -> list[str]:
    return list(getattr(settings, "BILGIISLEM_FIXITY_REFERENCES", []))


# --- who oversees fixity -------------------------------------------------------------------


def _named_admins() -> set[str]:
    """Usernames (lower case) of the system administrators named in the alert setting."""
    return {v.lower() for v in alert_to() if "@" not in v}


def can_oversee_fixity(person) -> bool:
    """The Director of the directorate that runs the system (held or acting), and the system
    administrators named by username in ``BILGIISLEM_FIXITY_ALERT_TO``: the post model has
    no "system administrator" kind, so the installation names them."""
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return False
    if org.people_admin_post(person) is not None:
        return True
    return person.get_username().lower() in _named_admins()


def _directors(on: datetime.date) -> list[Person]:
    """Holders of (and people acting for) the system-owner directorate's Director post."""
    owner = org.system_owner_unit_ids()
    posts = {"position__kind": PositionKind.MUDUR, "position__unit_id__in": owner}
    held = PositionHolding.objects.active_on(on).filter(**posts).values("person_id")
    acting = ActingAssignment.objects.active_on(on).filter(**posts).values("acting_person_id")
    return list(Person.objects.filter(Q(pk__in=held) | Q(pk__in=acting), is_active=True))


def alert_recipients(on: datetime.date | None = None) -> tuple[list[str], list[str]]:
    """(names recorded in the alert, e-mail addresses to send to), without repeats."""
    on = on or timezone.localdate()
    people = {p.get_username().lower(): p for p in _directors(on)}
    addresses: list[str] = []
    for value in alert_to():
        if "@" in value:
            addresses.append(value)
        elif value.lower() not in people:
            person = Person.objects.filter(username__iexact=value, is_active=True).first()
            if person is not None:
                people[value.lower()] = person
    names = [p.get_username() for p in people.values()] + addresses
    emails = [p.email for p in people.values() if p.email] + addresses
    return names, list(dict.fromkeys(emails))


# --- the expected set ----------------------------------------------------------------------


@dataclasses.dataclass(frozen=True)
class _Source:
    """A model field holding SHA-256 names of blobs, with the rows that still count."""

    model: type
    field: str
    size_field: str | None = None
    live: Q = dataclasses.field(default_factory=Q)

    def queryset(self):
        return self.model._default_manager.filter(self.live).exclude(**{self.field: ""})

    @property
    def label(self) -> str:
        return f"{self.model._meta.label}.{self.field}"


def _size_field(model, field: str) -> str | None:
    """``size`` beside ``sha256``, ``package_size`` beside ``package_sha256``, if present."""
    candidate = "size" if field == "sha256" else field.removesuffix("sha256") + "size"
    names = {f.name for f in model._meta.get_fields()}
    return candidate if candidate in names and candidate != field else None


def _sources() -> list[_Source]:
    found = [
        _Source(
            DocumentFile,
            "sha256",
            "size",
            ~Q(document__archived_record__disposal_state__in=GONE),
        ),
        _Source(DisposalList, "list_sha256"),
        _Source(DisposalList, "minute_sha256"),
    ]
    paths = _document_paths()
    for ref in _extra_references():
        try:
            app_label, model_name, field = ref.rsplit(".", 2)
            model = apps.get_model(app_label, model_name)
            model._meta.get_field(field)
        except (ValueError, LookupError) as exc:
            # A misspelt setting must not stop the checks of everything else.
            logger.error("BILGIISLEM_FIXITY_REFERENCES: %r is not app.Model.field (%s)", ref, exc)
            continue
        # A row of a record disposed of no longer expects its bytes (``BLOB_REFERENCES``).
        path = paths.get((model._meta.label, field))
        live = ~Q(**{f"{path}__archived_record__disposal_state__in": GONE}) if path else Q()
        found.append(_Source(model, field, _size_field(model, field), live))
    return found


def _document_paths() -> dict[tuple[str, str], str]:
    from .disposal_execution import _blob_references

    return {(label, field): path for label, field, path in _blob_references() if path}


def _imported_event_blobs() -> dict[str, int]:
    """The audit events kept from imported bags (a few rows: one per import)."""
    found = {}
    for changes in AuditEvent.objects.filter(action=IMPORTED_EVENTS_ACTION).values_list(
        "changes", flat=True
    ):
        sha = (changes or {}).get("events_sha256")
        if sha:
            found[sha] = int((changes or {}).get("events_size") or 0)
    return found


def expected_files() -> dict[str, int]:
    """SHA-256 → size of every file that must be in the store (size 0 when not recorded).

    Reads every reference: for tests and small installations; runs use ``sync_states``,
    which does the same in SQL without holding the whole set in memory.
    """
    found: dict[str, int] = {}
    for source in _sources():
        fields = [source.field] + ([source.size_field] if source.size_field else [])
        for row in source.queryset().values_list(*fields):
            found.setdefault(row[0], int(row[1] or 0) if len(row) > 1 else 0)
    for sha, size in _imported_event_blobs().items():
        found.setdefault(sha, size)
    return found


def _disk_size(sha256: str) -> int:
    try:
        return storage.blob_size(sha256)
    except (storage.StorageCorruptionError, ValueError):
        return 0


def sync_states() -> tuple[int, int]:
    """Make ``FixityState`` one row per expected file: add the new, drop what is no longer
    referenced (disposed of). Returns (added, removed). Runs in SQL batches."""
    added = 0
    sources = _sources()
    for source in sources:
        known = FixityState.objects.filter(sha256=OuterRef(source.field))
        fields = [source.field] + ([source.size_field] if source.size_field else [])
        new = (
            source.queryset()
            .filter(~Exists(known))
            .values_list(*fields)
            .order_by()
            .distinct()
            .iterator(chunk_size=2000)
        )
        added += _insert_states(
            (row[0], int(row[1] or 0) if source.size_field else None) for row in new
        )
    imported = _imported_event_blobs()
    have = set(FixityState.objects.filter(sha256__in=imported).values_list("sha256", flat=True))
    added += _insert_states((sha, size) for sha, size in imported.items() if sha not in have)

    stale = FixityState.objects.exclude(sha256__in=list(imported))
    for source in sources:
        stale = stale.exclude(
            Exists(source.queryset().filter(**{source.field: OuterRef("sha256")}))
        )
    removed = 0
    while ids := list(stale.values_list("id", flat=True)[:BATCH]):
        removed += FixityState.objects.filter(id__in=ids).delete()[0]
    return added, removed


def _insert_states(rows: Iterable[tuple[str, int | None]]) -> int:
    count, batch = 0, []
    for sha, size in rows:
        if not _SHA256_RE.fullmatch(sha or ""):
            logger.error("Fixity: %r is not a SHA-256; row skipped.", sha)
            continue
        batch.append(FixityState(sha256=sha, size=_disk_size(sha) if size is None else size))
        if len(batch) >= BATCH:
            count += len(FixityState.objects.bulk_create(batch, ignore_conflicts=True))
            batch = []
    if batch:
        count += len(FixityState.objects.bulk_create(batch, ignore_conflicts=True))
    return count


# --- hashing -------------------------------------------------------------------------------


def hash_file(path: Path | str, buffer: bytearray | None = None) -> tuple[str, int]:
    """(hex SHA-256, bytes read) of a file, read in large chunks into one buffer."""
    buffer = buffer if buffer is not None else bytearray(READ_SIZE)
    view = memoryview(buffer)
    digest = hashlib.sha256()
    total = 0
    with open(path, "rb", buffering=0) as handle:
        while n := handle.readinto(buffer):
            digest.update(view[:n])
            total += n
    return digest.hexdigest(), total


def _blob_file(root: str, sha256: str) -> str:
    """``core.storage.blob_path`` without its per-call Path and settings work (the hashes come
    from rows whose values were checked when stored); the layout test keeps the two equal."""
    return os.path.join(root, sha256[:2], sha256)


def _check(sha256: str, buffer: bytearray, root: str | None = None) -> tuple[str | None, int, str]:
    """(problem or None, bytes read, detail) for one blob."""
    root = root if root is not None else os.fspath(storage.blob_root())
    try:
        found, size = hash_file(_blob_file(root, sha256), buffer)
    except FileNotFoundError:
        return FixityProblem.MISSING, 0, "missing from storage"
    except OSError as exc:
        return FixityProblem.MISMATCH, 0, f"cannot be read ({exc.strerror})"
    if found != sha256:
        return FixityProblem.MISMATCH, size, f"content hashes to {found} ({size} bytes)"
    return None, size, ""


# --- runs ----------------------------------------------------------------------------------


@dataclasses.dataclass
class FixityResult:
    run: FixityRun
    checked: int = 0
    bytes: int = 0
    problems: list[FixityIssue] = dataclasses.field(default_factory=list)
    new_issues: list[FixityIssue] = dataclasses.field(default_factory=list)
    seconds: float = 0.0


def _selection(kind: str, limit: int | None, now: datetime.datetime):
    """(id, sha256) of the states to check in this run, in checking order."""
    states = FixityState.objects.all()
    if kind == FixityRunKind.SAMPLE:
        return states.order_by("?")[: sample_size() if limit is None else limit]
    days = cycle_days()
    if limit is None:
        total = states.count()
        overdue = states.filter(
            Q(last_checked_at__isnull=True) | Q(last_checked_at__lt=now - datetime.timedelta(days))
        ).count()
        # A day's share of the cycle, plus whatever fell behind (new files, missed days).
        limit = math.ceil(total / days) + overdue
    return states.order_by(F("last_checked_at").asc(nulls_first=True), "id")[:limit]


def _rows(kind: str, limit: int | None, now) -> Iterator[tuple[int, str]]:
    """(id, sha256) to check. A full run pages through by id, so no read transaction stays
    open for hours and memory stays flat; the other kinds are a day's worth at most."""
    if kind != FixityRunKind.FULL:
        yield from list(_selection(kind, limit, now).values_list("id", "sha256"))
        return
    last, left = 0, limit
    while left is None or left > 0:
        size = PAGE if left is None else min(PAGE, left)
        page = list(
            FixityState.objects.filter(id__gt=last)
            .order_by("id")
            .values_list("id", "sha256")[:size]
        )
        if not page:
            return
        yield from page
        last = page[-1][0]
        if left is not None:
            left -= len(page)


def fixity_run(
    kind: str = FixityRunKind.CYCLE,
    *,
    limit: int | None = None,
    now: datetime.datetime | None = None,
    actor=None,
) -> FixityResult:
    """Check a cycle's share, a random sample, or every file (``kind``); record the run.

    ``limit`` caps the number of files (default: the kind's own size). ``now`` is the time
    recorded as the check time (tests). ``actor`` is the person who asked for the run, None
    for the scheduled task.
    """
    if kind not in FixityRunKind.values:
        raise DomainError(_("Unknown kind of fixity run."), field="kind")
    now = now or timezone.now()
    started = time.perf_counter()
    sync_states()
    run = FixityRun.objects.create(kind=kind, started_at=now)
    result = FixityResult(run=run)
    buffer = bytearray(READ_SIZE)
    root = os.fspath(storage.blob_root())
    ok: list[int] = []
    suspects: list[tuple[int, str]] = []
    for state_id, sha256 in _rows(kind, limit, now):
        problem, size, _detail = _check(sha256, buffer, root)
        result.checked += 1
        result.bytes += size
        if problem is None:
            ok.append(state_id)
            if len(ok) >= FLUSH:
                _mark_ok(ok, now)
                ok = []
        else:
            suspects.append((state_id, sha256))
    _mark_ok(ok, now)
    for state_id, sha256 in suspects:
        _confirm_problem(result, state_id, sha256, buffer, now)
    result.seconds = time.perf_counter() - started
    _finish(result, actor, now)
    return result


def _mark_ok(ids: list[int], now) -> None:
    """Record good checks: one short transaction (one commit) for many statements."""
    if not ids:
        return
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
            FixityState.objects.filter(id__in=ids[start : start + BATCH]).update(
                last_checked_at=now, last_ok=True
            )


def _still_expected(sha256: str) -> bool:
    """Whether a row still points to this file (a disposal may have run during the check)."""
    if sha256 in _imported_event_blobs():
        return True
    return any(s.queryset().filter(**{s.field: sha256}).exists() for s in _sources())


def _confirm_problem(result: FixityResult, state_id: int, sha256: str, buffer, now) -> None:
    """Read the file a second time and believe the problem only if it stays."""
    problem, _size, detail = _check(sha256, buffer)
    if problem is None:
        _mark_ok([state_id], now)
        return
    if not _still_expected(sha256):
        FixityState.objects.filter(id=state_id).delete()
        return
    with transaction.atomic():
        FixityState.objects.filter(id=state_id).update(last_checked_at=now, last_ok=False)
        issue = FixityIssue.objects.filter(sha256=sha256, resolved_at__isnull=True).first()
        if issue is None:
            issue = FixityIssue.objects.create(
                sha256=sha256, problem=problem, found_in=result.run, found_at=now
            )
            audit_record(
                actor=None,
                action="archive.fixity.problem_found",
                obj=issue,
                changes={
                    "sha256": sha256,
                    "problem": problem,
                    "detail": detail,
                    "files": referencing_files(sha256),
                },
            )
            result.new_issues.append(issue)
    result.problems.append(issue)


def referencing_files(sha256: str, limit: int = 20) -> list[str]:
    """Which documents' files the damaged blob is (for the alert and the audit trail)."""
    rows = DocumentFile.objects.filter(sha256=sha256).select_related("document")[:limit]
    return [f"{row.document.number_label} {row.filename}" for row in rows]


def _finish(result: FixityResult, actor, now) -> None:
    run = result.run
    run.finished_at = now + datetime.timedelta(seconds=result.seconds)
    run.files_checked = result.checked
    run.bytes_checked = result.bytes
    run.problems = len(result.problems)
    with transaction.atomic():
        run.save(update_fields=["finished_at", "files_checked", "bytes_checked", "problems"])
        audit_record(
            actor=actor,
            action="archive.fixity.run_finished",
            obj=run,
            changes={
                "kind": run.kind,
                "files": run.files_checked,
                "bytes": run.bytes_checked,
                "problems": run.problems,
                "new_issues": [i.pk for i in result.new_issues],
            },
        )
        if result.new_issues:
            _alert(result, now)


def _mail_configured() -> bool:
    """An e-mail backend other than Django's unconfigured default (SMTP on localhost)."""
    backend = getattr(settings, "EMAIL_BACKEND", "")
    return backend != "django.core.mail.backends.smtp.EmailBackend" or (
        getattr(settings, "EMAIL_HOST", "localhost") not in ("", "localhost")
    )


def _alert(result: FixityResult, now) -> None:
    """One alert per run for the new issues: recorded, listed in İşlerim, e-mailed."""
    names, emails = alert_recipients(timezone.localdate(now))
    issues = result.new_issues
    audit_record(
        actor=None,
        action="archive.fixity.alert_sent",
        obj=result.run,
        changes={
            "recipients": names,
            "emailed": emails if _mail_configured() else [],
            "issues": [{"id": i.pk, "sha256": i.sha256, "problem": i.problem} for i in issues],
        },
    )
    if not emails or not _mail_configured():
        return
    subject = _("Fixity check: %(count)d stored file(s) missing or changed") % {
        "count": len(issues)
    }
    lines = [
        f"{i.sha256} — {i.get_problem_display()} — {', '.join(referencing_files(i.sha256, 5))}"
        for i in issues
    ]
    body = "\n".join([str(subject), "", *lines])

    def send():
        try:
            send_mail(str(subject), body, None, emails, fail_silently=False)
        except Exception:  # the alert is recorded and listed; a mail failure must not hide it
            logger.exception("Fixity alert e-mail could not be sent to %s", emails)

    transaction.on_commit(send)


# --- resolving -----------------------------------------------------------------------------


def _require_overseer(actor) -> None:
    if actor is not None and not can_oversee_fixity(actor):
        raise PermissionDeniedError(
            _("Only the Director and the system administrators handle fixity problems.")
        )


@transaction.atomic
def fixity_issue_resolve(*, actor, issue: FixityIssue, note: str) -> FixityIssue:
    """Close a fixity problem with a note saying what was done (audited).

    The file is checked again now and the answer recorded with the note, so the trail shows
    whether the file was good when the issue was closed.
    """
    _require_overseer(actor)
    note = (note or "").strip()
    if not note:
        raise DomainError(_("Say what was done about the problem."), field="resolution")
    issue = FixityIssue.objects.select_for_update().get(pk=issue.pk)
    if issue.resolved_at is not None:
        raise DomainError(_("This problem is already resolved."), field="resolution")
    problem, _size, detail = _check(issue.sha256, bytearray(READ_SIZE))
    now = timezone.now()
    issue.resolved_by, issue.resolved_at, issue.resolution = actor, now, note
    issue.save(update_fields=["resolved_by", "resolved_at", "resolution"])
    FixityState.objects.filter(sha256=issue.sha256).update(
        last_checked_at=now, last_ok=problem is None
    )
    audit_record(
        actor=actor,
        action="archive.fixity.issue_resolved",
        obj=issue,
        changes={"sha256": issue.sha256, "verifies_now": problem is None, "detail": detail},
        reason=note,
    )
    return issue


def _quarantine(sha256: str) -> Path | None:
    """Move a damaged blob aside (kept as evidence) so a good copy can take its name."""
    path = storage.blob_path(sha256)
    if not path.exists():
        return None
    folder = storage.blob_root() / "quarantine"
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{sha256}.{timezone.now():%Y%m%d%H%M%S%f}"
    os.replace(path, target)
    return target


def fixity_restore(*, actor, fileobj: BinaryIO, note: str = "") -> FixityIssue:
    """Put back a good copy (from a backup) of a file with an open fixity problem.

    The copy must hash to the damaged file's name: which issue it restores is read from its
    content. The damaged bytes are kept in ``blobs/quarantine/``; the restored blob is
    re-read from disk and verified, then the issue is closed (audited).
    """
    _require_overseer(actor)
    # Hash first, without touching the store: a wrong copy changes nothing.
    digest = hashlib.sha256()
    while chunk := fileobj.read(READ_SIZE):
        digest.update(chunk)
    sha256 = digest.hexdigest()
    issue = FixityIssue.objects.filter(sha256=sha256, resolved_at__isnull=True).first()
    if issue is None:
        raise DomainError(
            _("No open fixity problem is waiting for a file with this content (SHA-256 %(sha)s).")
            % {"sha": sha256},
            field="file",
        )
    fileobj.seek(0)
    problem, _size, _detail = _check(sha256, bytearray(READ_SIZE))
    quarantined = _quarantine(sha256) if problem is not None else None
    stored = storage.store_stream(fileobj, max_bytes=2**62)
    if stored.sha256 != sha256:  # the source changed while we read it
        raise DomainError(_("The file changed while it was read; try again."), field="file")
    found, _size = hash_file(stored.path)
    if found != sha256:
        raise DomainError(_("The restored file does not verify on disk."), field="file")
    now = timezone.now()
    with transaction.atomic():
        issue = FixityIssue.objects.select_for_update().get(pk=issue.pk)
        issue.resolved_by, issue.resolved_at = actor, now
        issue.resolution = note.strip() or _("Restored from a copy and verified.")
        issue.save(update_fields=["resolved_by", "resolved_at", "resolution"])
        FixityState.objects.filter(sha256=sha256).update(last_checked_at=now, last_ok=True)
        audit_record(
            actor=actor,
            action="archive.fixity.file_restored",
            obj=issue,
            changes={
                "sha256": sha256,
                "size": stored.size,
                "quarantined": str(quarantined) if quarantined else "",
            },
            reason=issue.resolution,
        )
    return issue


# --- overview ------------------------------------------------------------------------------


def coverage(now: datetime.datetime | None = None) -> dict:
    """How much of the store was checked within the cycle: for the overview page and API."""
    now = now or timezone.now()
    states = FixityState.objects.all()
    total = states.count()
    recent = states.filter(last_checked_at__gte=now - datetime.timedelta(days=cycle_days())).count()
    return {
        "files": total,
        "checked_in_cycle": recent,
        "percent": round(100.0 * recent / total, 1) if total else 100.0,
        "never_checked": states.filter(last_checked_at__isnull=True).count(),
        "failing": states.filter(last_ok=False).count(),
        "cycle_days": cycle_days(),
        "open_issues": FixityIssue.objects.filter(resolved_at__isnull=True).count(),
    }
