"""Loading an organisation from its data file (data/organization/karasu.yaml by default).

Idempotent: loading the same file twice changes nothing and records nothing the second time.
A changed name, kind or parent is recorded as a new version of the unit, like any change.
"""

import datetime
import re
from pathlib import Path

import yaml
from django.db import transaction
from django.utils import timezone

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from . import permissions
from .choices import POSITION_TITLE_SUFFIX, PositionKind, UnitKind
from .models import Institution, OrgUnit, OrgUnitVersion, Person, Position, PositionHolding

INSTITUTION_FIELDS = (
    "name",
    "short_name",
    "letterhead",
    "detsis_no",
    "address",
    "phone",
    "email",
    "kep_address",
    "website",
)


def read(path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DomainError(f"cannot read {path}: {exc}", field="file") from exc
    if not isinstance(data, dict) or "institution" not in data or "units" not in data:
        raise DomainError(f"{path}: needs 'institution' and 'units'", field="file")
    _check(data, path)
    return data


_CODE = re.compile(r"^[-a-zA-Z0-9_]{1,60}$")


def _check(data: dict, path) -> None:
    """Refuse a malformed file as a whole, before anything is written."""

    def fail(message):
        raise DomainError(f"{Path(path).name}: {message}", field="file")

    if not isinstance(data["institution"], dict) or not data["institution"].get("name"):
        fail("'institution' needs at least a 'name'")
    if not isinstance(data["units"], list) or not data["units"]:
        fail("'units' must be a non-empty list")
    try:
        _as_date(data.get("effective_from", "2024-01-01"))
    except (TypeError, ValueError):
        fail(f"'effective_from' is not a date: {data.get('effective_from')!r}")
    codes: set[str] = set()

    def walk(spec, where):
        if not isinstance(spec, dict):
            fail(f"{where}: a unit must be a mapping")
        missing = [k for k in ("code", "name", "kind") if not spec.get(k)]
        if missing:
            fail(f"{where}: unit {spec.get('code', '?')!r} lacks {', '.join(missing)}")
        code = str(spec["code"])
        if not _CODE.match(code):
            fail(f"{where}: unit code {code!r} is not a slug")
        if code in codes:
            fail(f"{where}: unit code {code!r} appears twice")
        codes.add(code)
        if spec["kind"] not in UnitKind.values:
            fail(f"unit {code}: unknown kind {spec['kind']!r}")
        positions = spec.get("positions") or []
        if not isinstance(positions, list):
            fail(f"unit {code}: 'positions' must be a list")
        seen = set()
        for pos in positions:
            if not isinstance(pos, dict) or pos.get("kind") not in PositionKind.values:
                fail(f"unit {code}: unknown post {pos!r}")
            if pos["kind"] in seen:
                fail(f"unit {code}: post {pos['kind']!r} appears twice")
            seen.add(pos["kind"])
        children = spec.get("children") or []
        if not isinstance(children, list):
            fail(f"unit {code}: 'children' must be a list")
        for child in children:
            walk(child, f"{where} > {code}")

    for spec in data["units"]:
        walk(spec, "units")
    people = data.get("demo_people") or []
    if not isinstance(people, list):
        fail("'demo_people' must be a list")
    for spec in people:
        keys = ("username", "first_name", "last_name", "unit", "kind")
        if not isinstance(spec, dict) or any(not spec.get(k) for k in keys):
            fail(f"demo person {spec!r} needs {', '.join(keys)}")
        if spec["unit"] not in codes or spec["kind"] not in PositionKind.values:
            fail(f"demo person {spec['username']}: unknown unit or post")


def _as_date(value) -> datetime.date:
    return value if isinstance(value, datetime.date) else datetime.date.fromisoformat(str(value))


def _load_institution(spec: dict) -> tuple[Institution, bool]:
    values = {f: str(spec.get(f) or "") for f in INSTITUTION_FIELDS}
    values["sample_fields"] = list(spec.get("sample", []))
    institution = Institution.objects.first()
    if institution is None:
        return Institution.objects.create(**values), True
    changed = [f for f, v in values.items() if getattr(institution, f) != v]
    for f in changed:
        setattr(institution, f, values[f])
    if changed:
        institution.save(update_fields=changed)
    return institution, bool(changed)


def _load_unit(spec, parent, order, since, stats):
    kind = spec["kind"]
    fields = {
        "name": str(spec["name"]),
        "kind": kind,
        "parent": parent,
        "sort_order": order,
        "detsis_no": str(spec.get("detsis_no") or ""),
        "detsis_is_sample": bool(spec.get("detsis_sample", False)),
        "is_system_owner": bool(spec.get("system_owner", False)),
    }
    unit = OrgUnit.objects.filter(code=spec["code"]).first()
    # A post of a new unit is as old as the unit; one added later to an existing unit, today.
    posts_since = since if unit is None else timezone.localdate()
    if unit is None:
        unit = OrgUnit.objects.create(code=spec["code"], valid_from=since, **fields)
        OrgUnitVersion.objects.create(
            unit=unit, name=unit.name, kind=kind, parent=parent, valid_from=since
        )
        stats["units_created"].append(unit.code)
    else:
        shape_changed = (unit.name, unit.kind, unit.parent_id) != (
            fields["name"],
            kind,
            parent.pk if parent else None,
        )
        changed = [f for f, v in fields.items() if getattr(unit, f) != v]
        if changed:
            for f in changed:
                setattr(unit, f, fields[f])
            unit.save(update_fields=changed)
            stats["units_changed"].append(unit.code)
        if shape_changed:
            today = timezone.localdate()
            for version in unit.versions.filter(valid_to__isnull=True):
                version.valid_to = max(version.valid_from, today - datetime.timedelta(days=1))
                version.save(update_fields=["valid_to"])
            OrgUnitVersion.objects.create(
                unit=unit, name=unit.name, kind=unit.kind, parent=parent, valid_from=today
            )
    for pos in spec.get("positions") or []:
        title = str(pos.get("title") or f"{unit.name} {POSITION_TITLE_SUFFIX[pos['kind']]}")
        position, created = Position.objects.get_or_create(
            unit=unit, kind=pos["kind"], defaults={"title": title, "created_on": posts_since}
        )
        if created:
            stats["positions_created"] += 1
        elif position.title != title:
            position.title = title
            position.save(update_fields=["title"])
            stats["positions_changed"] += 1
    for i, child in enumerate(spec.get("children") or [], start=1):
        _load_unit(child, unit, i, since, stats)


@transaction.atomic
def organization_load(path, *, actor=None) -> dict:
    """Load (or update) the institution, units and posts from a data file."""
    data = read(path)
    since = _as_date(data.get("effective_from", "2024-01-01"))
    institution, inst_changed = _load_institution(data["institution"])
    stats = {
        "units_created": [],
        "units_changed": [],
        "positions_created": 0,
        "positions_changed": 0,
        "institution_changed": inst_changed,
    }
    for i, spec in enumerate(data["units"], start=1):
        _load_unit(spec, None, i, since, stats)
    permissions.clear_cache()  # the tree (or the system-owner unit) may have changed
    if (
        inst_changed
        or stats["units_created"]
        or stats["units_changed"]
        or any(stats[k] for k in ("positions_created", "positions_changed"))
    ):
        audit_record(
            actor=actor,
            action="organization.structure.loaded",
            obj=institution,
            changes={"file": Path(path).name, **stats},
        )
    return stats


@transaction.atomic
def demo_load(path, *, password: str = "demo") -> list[str]:  # noqa: S107 (demo only)
    """Create the demo people of the data file and their posts. Never used in production."""
    data = read(path)
    since = _as_date(data.get("effective_from", "2024-01-01"))
    created = []
    for spec in data.get("demo_people") or []:
        person, new = Person.objects.get_or_create(
            username=spec["username"],
            defaults={
                "first_name": spec["first_name"],
                "last_name": spec["last_name"],
                "title": spec.get("title", ""),
                "email": f"{spec['username']}@example.invalid",
            },
        )
        if new:
            person.set_password(password)
            person.save(update_fields=["password"])
            created.append(person.username)
            audit_record(
                actor=None,
                action="organization.person.created",
                obj=person,
                changes={"username": person.username, "demo": True},
            )
        position = Position.objects.filter(unit__code=spec["unit"], kind=spec["kind"]).first()
        if position is None:
            raise DomainError(
                f"demo person {spec['username']}: no post {spec['kind']!r} in {spec['unit']!r}"
                " (load the organisation first)",
                field="file",
            )
        if not PositionHolding.objects.filter(person=person, position=position).exists():
            holding = PositionHolding.objects.create(
                person=person, position=position, start_date=since
            )
            audit_record(
                actor=None,
                action="organization.holding.created",
                obj=holding,
                changes={
                    "person": str(person),
                    "position": str(position),
                    "start_date": since,
                    "demo": True,
                },
            )
    return created
