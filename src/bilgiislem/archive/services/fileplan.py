"""The file plan (Standart Dosya Planı): loading versions, the current version, and checking
a code before anything is filed under it (issue 5 point 1; standards.md 3).

A plan file (YAML, ``data/fileplan/sdp.yaml``) or the official table as CSV (columns code,
title, unit_years, institution_years, disposition) becomes a new ``FilePlanVersion``. Loading
the same content again creates nothing: the version records the SHA-256 of what it was
loaded from, so the command can run on every deploy.
"""

from __future__ import annotations

import csv
import datetime
import hashlib
import io
import json
import re
from dataclasses import dataclass
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from ..choices import Disposition
from ..models import FilePlanCode, FilePlanVersion

_RANGE = re.compile(r"^(\d{3})-(\d{3})$")
_CODE = re.compile(r"^\d{3}(\.\d{2})*$")
# SSDP V.4: 020 and 030 (with its sub-codes) may be used only as a secondary code
# (standards.md 3.1). Applied to a CSV table that has no secondary_only column.
V4_SECONDARY_ONLY = ("020", "030")
DEFAULT_LETTERS = {"A": "transfer", "B": "keep", "C": "evaluate", "D": "destroy"}


def disposition_letters() -> dict[str, str]:
    """Tasfiye letter → Disposition value (BILGIISLEM_DISPOSITION_LETTERS)."""
    return getattr(settings, "BILGIISLEM_DISPOSITION_LETTERS", DEFAULT_LETTERS)


def letter_of(disposition: str) -> str:
    """The tasfiye letter shown for a disposition ("" when none maps to it)."""
    return next((k for k, v in disposition_letters().items() if v == disposition), "")


# --- reading ---------------------------------------------------------------------------------


def current_version(on: datetime.date | None = None) -> FilePlanVersion | None:
    """The version in force on a date: the latest ``effective_from`` not after it."""
    on = on or timezone.localdate()
    return (
        FilePlanVersion.objects.filter(effective_from__lte=on)
        .order_by("-effective_from", "-id")
        .first()
    )


def code_lookup(code: str, *, version: FilePlanVersion | None = None) -> FilePlanCode | None:
    version = version or current_version()
    if version is None:
        return None
    return FilePlanCode.objects.filter(version=version, code=(code or "").strip()).first()


def code_for_filing(
    code: str, *, main: bool = True, version: FilePlanVersion | None = None
) -> FilePlanCode:
    """The plan entry a document may be filed under, or a DomainError naming ``sdp_code``.

    The code must exist in the current plan and not be a section header; a secondary-only
    code (020, 030.*) may hold copies but not a document's main filing.
    """
    code = (code or "").strip()
    if not code:
        raise DomainError(_("Give the file plan (SDP) code."), field="sdp_code")
    version = version or current_version()
    if version is None:
        raise DomainError(_("No file plan is in force; load one first."), field="sdp_code")
    entry = code_lookup(code, version=version)
    if entry is None:
        raise DomainError(
            _("“%(code)s” is not a code of the file plan in force.") % {"code": code},
            field="sdp_code",
        )
    if entry.is_header:
        raise DomainError(
            _("“%(code)s” is a section heading; choose a code under it.") % {"code": code},
            field="sdp_code",
        )
    if main and entry.secondary_only:
        raise DomainError(
            _("“%(code)s” may be used only for a copy in another subject folder.") % {"code": code},
            field="sdp_code",
        )
    return entry


def codes_search(query: str = "", *, version: FilePlanVersion | None = None):
    """Codes of a version whose code starts with, or whose title contains, the query
    (Turkish letters folded: "bilgi islem" finds "Bilgi İşlem")."""
    from bilgiislem.core.text import fold

    version = version or current_version()
    codes = FilePlanCode.objects.filter(version=version).select_related("parent")
    query = (query or "").strip()
    if not query:
        return list(codes)
    key = fold(query)
    return [c for c in codes if c.code.startswith(query) or key in fold(c.title)]


# --- loading ---------------------------------------------------------------------------------


@dataclass
class LoadResult:
    version: FilePlanVersion
    created: bool
    codes: int


def _letter(value, code: str) -> str:
    value = (value or "").strip()
    if value in Disposition.values:
        return value
    letters = disposition_letters()
    if value.upper() in letters:
        return letters[value.upper()]
    raise DomainError(
        _("Code %(code)s: unknown disposition “%(value)s”.") % {"code": code, "value": value},
        field="disposition",
    )


def _years(value, code: str, field: str) -> int | None:
    if value in (None, ""):
        return None
    try:
        years = int(str(value).strip())
    except ValueError:
        years = -1
    if years < 0:
        raise DomainError(
            _("Code %(code)s: “%(value)s” is not a number of years.")
            % {"code": code, "value": value},
            field=field,
        )
    return years


def _truthy(value) -> bool:
    return str(value).strip().lower() in {"1", "true", "yes", "evet", "x", "e"}


def _normalise(rows: list[dict]) -> list[dict]:
    """Check every row and bring it to one shape; any error refuses the whole file."""
    seen: set[str] = set()
    out = []
    for row in rows:
        code = str(row.get("code") or "").strip()
        if not code or not (_CODE.match(code) or _RANGE.match(code)):
            raise DomainError(
                _("“%(code)s” is not a file plan code.") % {"code": code}, field="code"
            )
        if code in seen:
            raise DomainError(_("Code %(code)s appears twice.") % {"code": code}, field="code")
        seen.add(code)
        title = str(row.get("title") or "").strip()
        if not title:
            raise DomainError(_("Code %(code)s has no title.") % {"code": code}, field="title")
        unit = _years(row.get("unit"), code, "unit_years")
        institution = _years(row.get("institution"), code, "institution_years")
        header = bool(_RANGE.match(code)) or _truthy(row.get("header", False))
        disposition = "" if header else _letter(row.get("disposition"), code)
        if not header and (unit is None or institution is None):
            raise DomainError(
                _("Code %(code)s needs its years in the unit and the institutional archive.")
                % {"code": code},
                field="unit_years",
            )
        out.append(
            {
                "code": code,
                "title": title[:300],
                "is_header": header,
                "secondary_only": _truthy(row.get("secondary_only", False)),
                "unit_years": None if header else unit,
                "institution_years": None if header else institution,
                "disposition": disposition,
                "is_sample": _truthy(row.get("sample", False)),
                "note": str(row.get("note") or "").strip()[:500],
            }
        )
    return sorted(out, key=lambda r: _sort_key(r["code"]))


def _sort_key(code: str) -> tuple:
    match = _RANGE.match(code)
    if match:  # a range sorts before the codes it holds; wider ranges first
        low, high = int(match[1]), int(match[2])
        return (low, -1, -high)
    return (int(code[:3]), 0, code)


def _parent_of(code: str, codes: set[str]) -> str | None:
    if "." in code:
        prefix = code.rsplit(".", 1)[0]
        while prefix not in codes and "." in prefix:
            prefix = prefix.rsplit(".", 1)[0]
        if prefix in codes:
            return prefix
        code = prefix
    match = _RANGE.match(code)
    low, high = (int(match[1]), int(match[2])) if match else (int(code[:3]), int(code[:3]))
    best = None
    for other in codes:
        m = _RANGE.match(other)
        if m is None or other == code:
            continue
        o_low, o_high = int(m[1]), int(m[2])
        holds = o_low <= low and high <= o_high and (o_low, o_high) != (low, high)
        if holds and (best is None or (o_high - o_low) < best[0]):
            best = (o_high - o_low, other)
    return best[1] if best else None


def _digest(name: str, effective_from: datetime.date, rows: list[dict]) -> str:
    canonical = json.dumps(
        {"name": name, "effective_from": effective_from.isoformat(), "codes": rows},
        sort_keys=True,
        ensure_ascii=False,
        separators=(",", ":"),
    )
    return hashlib.sha256(canonical.encode()).hexdigest()


def _as_date(value) -> datetime.date:
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value).strip())
    except ValueError:
        raise DomainError(
            _("“%(value)s” is not a date (YYYY-MM-DD).") % {"value": value},
            field="effective_from",
        ) from None


@transaction.atomic
def file_plan_load_rows(
    rows: list[dict],
    *,
    name: str,
    effective_from,
    source: str = "",
    actor=None,
) -> LoadResult:
    """Create a plan version from rows (dicts with code, title, unit, institution,
    disposition, header, secondary_only, sample, note). The same content loaded twice
    gives back the version already there."""
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the plan version a name."), field="name")
    effective_from = _as_date(effective_from)
    normalised = _normalise(rows)
    if not normalised:
        raise DomainError(_("The file holds no codes."), field="codes")
    digest = _digest(name, effective_from, normalised)
    existing = FilePlanVersion.objects.filter(source__endswith=digest).first()
    if existing is not None:
        return LoadResult(existing, False, existing.codes.count())
    version = FilePlanVersion.objects.create(
        name=name[:200],
        effective_from=effective_from,
        source=f"{source[:220]} sha256:{digest}".strip(),
        loaded_by=actor,
    )
    created = FilePlanCode.objects.bulk_create(
        FilePlanCode(version=version, **row) for row in normalised
    )
    by_code = {c.code: c for c in created}
    if any(c.pk is None for c in created):  # backends without RETURNING ids
        by_code = {c.code: c for c in version.codes.all()}
    codes = set(by_code)
    changed = []
    for code, entry in by_code.items():
        parent = _parent_of(code, codes)
        if parent is not None:
            entry.parent = by_code[parent]
            changed.append(entry)
    FilePlanCode.objects.bulk_update(changed, ["parent"])
    audit_record(
        actor=actor,
        action="archive.file_plan.loaded",
        obj=version,
        changes={
            "name": version.name,
            "effective_from": effective_from,
            "codes": len(normalised),
            "samples": sum(1 for r in normalised if r["is_sample"]),
            "sha256": digest,
        },
    )
    return LoadResult(version, True, len(normalised))


def file_plan_load_file(
    path, *, name: str = "", effective_from=None, actor=None, csv_table: bool = False
) -> LoadResult:
    """Load a YAML plan file, or (``csv_table``) the official table as CSV."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise DomainError(
            _("Cannot read %(path)s: %(error)s") % {"path": path, "error": exc.strerror},
            field="path",
        ) from exc
    if csv_table or path.suffix.lower() == ".csv":
        rows = rows_from_csv(raw.decode("utf-8-sig"))
        meta = {}
    else:
        import yaml

        try:
            data = yaml.safe_load(raw) or {}
        except yaml.YAMLError as exc:
            raise DomainError(
                _("The plan file is not valid YAML: %(error)s") % {"error": exc}, field="path"
            ) from exc
        if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
            raise DomainError(_("The plan file has no list of codes."), field="codes")
        rows, meta = data["codes"], data
    return file_plan_load_rows(
        rows,
        name=name or meta.get("name") or path.stem,
        effective_from=effective_from or meta.get("effective_from") or timezone.localdate(),
        source=str(meta.get("source") or path.name),
        actor=actor,
    )


def rows_from_csv(text: str) -> list[dict]:
    """Rows of the official table: code, title, unit_years, institution_years, disposition;
    optional secondary_only, sample, note. A range such as "600-699", or a row without years
    and disposition, is a section header."""
    reader = csv.DictReader(io.StringIO(text))
    needed = {"code", "title", "unit_years", "institution_years", "disposition"}
    missing = needed - set(reader.fieldnames or [])
    if missing:
        raise DomainError(
            _("The table lacks the columns: %(columns)s") % {"columns": ", ".join(sorted(missing))},
            field="path",
        )
    has_secondary = "secondary_only" in (reader.fieldnames or [])
    rows = []
    for raw in reader:
        row = {k: (v or "").strip() for k, v in raw.items() if k}
        code = row["code"]
        blank = not (row["unit_years"] or row["institution_years"] or row["disposition"])
        secondary = (
            _truthy(row.get("secondary_only", ""))
            if has_secondary
            else any(code == c or code.startswith(c + ".") for c in V4_SECONDARY_ONLY)
        )
        rows.append(
            {
                "code": code,
                "title": row["title"],
                "unit": row["unit_years"],
                "institution": row["institution_years"],
                "disposition": row["disposition"],
                "header": bool(_RANGE.match(code)) or blank,
                "secondary_only": secondary,
                "sample": row.get("sample", ""),
                "note": row.get("note", ""),
            }
        )
    return rows


def versions_with_code(code: str):
    """Every version's entry for a code, newest first (for the plan browser's history)."""
    return (
        FilePlanCode.objects.filter(Q(code=code))
        .select_related("version")
        .order_by("-version__effective_from", "-version_id")
    )
