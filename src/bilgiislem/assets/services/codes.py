"""The Taşınır Kod Listesi: loaded from a YAML file, never deleted (assets refer to codes)."""

import dataclasses
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from ..models import TasinirCode


def default_codes_file() -> Path:
    return Path(
        getattr(settings, "BILGIISLEM_TASINIR_CODES_FILE", None)
        or Path(settings.BASE_DIR) / "data" / "assets" / "tasinir_codes.yaml"
    )


@dataclasses.dataclass
class CodesLoaded:
    created: int
    updated: int


def _parent_code(code: str, known: set[str]) -> str | None:
    parts = code.split(".")
    while len(parts) > 1:
        parts.pop()
        candidate = ".".join(parts)
        if candidate in known:
            return candidate
    return None


def _entries(data) -> list[dict]:
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise DomainError(_("The code list needs a list named “codes”."), field="path")
    entries = []
    for entry in data["codes"]:
        code = str(entry.get("code", "")).strip() if isinstance(entry, dict) else ""
        title = str(entry.get("title", "")).strip() if isinstance(entry, dict) else ""
        if not code or not title:
            raise DomainError(_("Every code needs a code and a title."), field="path")
        entries.append({"code": code, "title": title, "is_sample": bool(entry.get("sample"))})
    return sorted(entries, key=lambda e: (e["code"].count("."), e["code"]))


@transaction.atomic
def tasinir_codes_load(*, actor=None, data) -> CodesLoaded:
    """Create or update the codes of a parsed list (parents first); one audit event."""
    entries = _entries(data)
    existing = {c.code: c for c in TasinirCode.objects.all()}
    known = set(existing) | {e["code"] for e in entries}
    created = updated = 0
    for entry in entries:
        parent_code = _parent_code(entry["code"], known)
        parent = existing.get(parent_code) if parent_code else None
        row = existing.get(entry["code"])
        if row is None:
            row = TasinirCode.objects.create(parent=parent, **entry)
            existing[row.code] = row
            created += 1
        elif (row.title, row.is_sample, row.parent_id) != (
            entry["title"],
            entry["is_sample"],
            parent.pk if parent else None,
        ):
            row.title, row.is_sample, row.parent = entry["title"], entry["is_sample"], parent
            row.save(update_fields=["title", "is_sample", "parent"])
            updated += 1
    if created or updated:
        audit_record(
            actor=actor,
            action="assets.codes.loaded",
            changes={"created": created, "updated": updated},
            object_repr="Taşınır Kod Listesi",
        )
    return CodesLoaded(created=created, updated=updated)


def tasinir_codes_load_file(path=None, *, actor=None) -> CodesLoaded:
    path = Path(path) if path else default_codes_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DomainError(
            _("The code list cannot be read: %(error)s") % {"error": exc}, field="path"
        ) from exc
    return tasinir_codes_load(actor=actor, data=data)
