"""The Taşınır Kod Listesi: loaded from a YAML file, never deleted (assets refer to codes).

Each durable code may say what an item of it is (``asset_kind``), so an entry VİF registers
it as that kind of asset; a code without one takes its nearest parent's. The institution
may add its own levels under HMB's codes (art. 37) and correct titles and kinds on the page.
"""

import dataclasses
import re
from pathlib import Path

import yaml
from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from ..choices import AssetKind
from ..models import TasinirCode
from ._common import acting_for, require_registrar

CONSUMABLE_ACCOUNT = "150"
_CODE_SHAPE = re.compile(r"^\d{3}(\.\d{1,3})+$")


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


def _entry_kind(entry: dict, code: str) -> dict:
    """``{"asset_kind": …}`` when the entry names one (checked), else nothing: a list without
    kinds (HMB's own) leaves the kinds already recorded alone."""
    if "asset_kind" not in entry:
        return {}
    kind = str(entry.get("asset_kind") or "").strip()
    if kind and kind not in AssetKind.values:
        raise DomainError(
            _("Unknown asset kind %(kind)s for the code %(code)s.") % {"kind": kind, "code": code},
            field="path",
        )
    if kind and code.split(".")[0] == CONSUMABLE_ACCOUNT:
        raise DomainError(
            _("The consumable code %(code)s cannot have an asset kind.") % {"code": code},
            field="path",
        )
    return {"asset_kind": kind}


def _entries(data) -> list[dict]:
    if not isinstance(data, dict) or not isinstance(data.get("codes"), list):
        raise DomainError(_("The code list needs a list named “codes”."), field="path")
    entries = []
    for entry in data["codes"]:
        code = str(entry.get("code", "")).strip() if isinstance(entry, dict) else ""
        title = str(entry.get("title", "")).strip() if isinstance(entry, dict) else ""
        if not code or not title:
            raise DomainError(_("Every code needs a code and a title."), field="path")
        entries.append(
            {
                "code": code,
                "title": title,
                "is_sample": bool(entry.get("sample")),
                **_entry_kind(entry, code),
            }
        )
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
            continue
        wanted = {**entry, "parent_id": parent.pk if parent else None}
        del wanted["code"]
        changed = [field for field, value in wanted.items() if getattr(row, field) != value]
        if changed:
            for field in changed:
                setattr(row, field, wanted[field])
            row.save(update_fields=[f.removesuffix("_id") for f in changed])
            updated += 1
    if created or updated:
        audit_record(
            actor=actor,
            action="assets.codes.loaded",
            changes={"created": created, "updated": updated},
            object_repr="Taşınır Kod Listesi",
        )
    return CodesLoaded(created=created, updated=updated)


def code_filter(queryset, params):
    """The list's filters: ``q`` a code prefix or words of the title; ``account`` one
    account's codes (``255`` and everything under it)."""
    text = (params.get("q") or "").strip()
    if text:
        queryset = queryset.filter(Q(code__startswith=text) | Q(title__icontains=text))
    account = (params.get("account") or "").strip()
    if account:
        queryset = queryset.filter(Q(code=account) | Q(code__startswith=f"{account}."))
    return queryset


def asset_kind_of(code: TasinirCode) -> str:
    """The kind of asset an item of this code is: its own, else its nearest parent's, else
    ``other``."""
    seen = 0
    while code is not None and seen < 12:
        if code.asset_kind:
            return code.asset_kind
        code = code.parent
        seen += 1
    return AssetKind.OTHER


def _clean_kind(value, code: str) -> str:
    kind = (value or "").strip()
    if kind and kind not in AssetKind.values:
        raise DomainError(_("Choose a kind of asset."), field="asset_kind")
    if kind and code.split(".")[0] == CONSUMABLE_ACCOUNT:
        raise DomainError(
            _("Consumables (150) are kept as stock, not as registered assets."),
            field="asset_kind",
        )
    return kind


@transaction.atomic
def tasinir_code_create(*, actor, code: str, title: str, asset_kind: str = "") -> TasinirCode:
    """Add an institution's level under an existing code (art. 37), e.g. ``255.02.02.02.01``."""
    post = require_registrar(actor)
    code = (code or "").strip()
    if not _CODE_SHAPE.match(code):
        raise DomainError(
            _("A code is the account and its levels, separated by dots: 255.02.02.02.01"),
            field="code",
        )
    if TasinirCode.objects.filter(code=code).exists():
        raise DomainError(_("This code exists."), field="code")
    known = set(
        TasinirCode.objects.filter(
            code__in=[code.rsplit(".", n)[0] for n in range(1, code.count(".") + 1)]
        ).values_list("code", flat=True)
    )
    parent_code = _parent_code(code, known)
    if parent_code is None:
        raise DomainError(_("A new code goes under a code of the list."), field="code")
    title = (title or "").strip()
    if not title:
        raise DomainError(_("Enter the code's title."), field="title")
    row = TasinirCode.objects.create(
        code=code,
        title=title[:300],
        parent=TasinirCode.objects.get(code=parent_code),
        asset_kind=_clean_kind(asset_kind, code),
    )
    audit_record(
        actor=actor,
        action="assets.code.created",
        obj=row,
        changes={"code": code, "title": row.title, "asset_kind": row.asset_kind},
        acting_for=acting_for(post),
    )
    return row


@transaction.atomic
def tasinir_code_update(*, actor, code: TasinirCode, **fields) -> TasinirCode:
    """Correct a code's ``title``, ``asset_kind`` or ``is_sample`` (checked against the
    official list); the code itself never changes (assets' sicil numbers carry it)."""
    post = require_registrar(actor)
    row = TasinirCode.objects.select_for_update().get(pk=code.pk)
    changes = {}
    for field, value in fields.items():
        if field == "title":
            value = (value or "").strip()[:300]
            if not value:
                raise DomainError(_("Enter the code's title."), field="title")
        elif field == "asset_kind":
            value = _clean_kind(value, row.code)
        elif field == "is_sample":
            value = bool(value)
        else:
            raise DomainError(_("This field cannot be changed."), field=field)
        if getattr(row, field) != value:
            changes[field] = [getattr(row, field), value]
            setattr(row, field, value)
    if changes:
        row.save(update_fields=list(changes))
        audit_record(
            actor=actor,
            action="assets.code.updated",
            obj=row,
            changes=changes,
            acting_for=acting_for(post),
        )
    return row


def tasinir_codes_load_file(path=None, *, actor=None) -> CodesLoaded:
    path = Path(path) if path else default_codes_file()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DomainError(
            _("The code list cannot be read: %(error)s") % {"error": exc}, field="path"
        ) from exc
    return tasinir_codes_load(actor=actor, data=data)
