"""Loading an organisation from its data file (data/organization/karasu.yaml by default).

Idempotent: loading the same file twice changes nothing and records nothing the second time.
A changed name, kind or parent is recorded as a new version of the unit, like any change.
"""

import datetime
from pathlib import Path

import yaml
from django.db import transaction

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from .choices import PositionKind, UnitKind
from .models import Institution, OrgUnit, OrgUnitVersion, Person, Position, PositionHolding

INSTITUTION_FIELDS = (
    "name", "short_name", "letterhead", "detsis_no", "address", "phone", "email",
    "kep_address", "website",
)


def read(path) -> dict:
    try:
        data = yaml.safe_load(Path(path).read_text(encoding="utf-8"))
    except (OSError, yaml.YAMLError) as exc:
        raise DomainError(f"cannot read {path}: {exc}", field="file") from exc
    if not isinstance(data, dict) or "institution" not in data or "units" not in data:
        raise DomainError(f"{path}: needs 'institution' and 'units'", field="file")
    return data


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
    if kind not in UnitKind.values:
        raise DomainError(f"unit {spec.get('code')}: unknown kind {kind!r}", field="kind")
    fields = {
        "name": spec["name"], "kind": kind, "parent": parent, "sort_order": order,
        "detsis_no": str(spec.get("detsis_no") or ""),
        "detsis_is_sample": bool(spec.get("detsis_sample", False)),
        "is_system_owner": bool(spec.get("system_owner", False)),
    }
    unit = OrgUnit.objects.filter(code=spec["code"]).first()
    if unit is None:
        unit = OrgUnit.objects.create(code=spec["code"], valid_from=since, **fields)
        OrgUnitVersion.objects.create(
            unit=unit, name=unit.name, kind=kind, parent=parent, valid_from=since
        )
        stats["units_created"].append(unit.code)
    else:
        shape_changed = (unit.name, unit.kind, unit.parent_id) != (
            fields["name"], kind, parent.pk if parent else None
        )
        changed = [f for f, v in fields.items() if getattr(unit, f) != v]
        if changed:
            for f in changed:
                setattr(unit, f, fields[f])
            unit.save(update_fields=changed)
            stats["units_changed"].append(unit.code)
        if shape_changed:
            today = datetime.date.today()
            unit.versions.filter(valid_to__isnull=True).update(
                valid_to=today - datetime.timedelta(days=1)
            )
            OrgUnitVersion.objects.create(
                unit=unit, name=unit.name, kind=unit.kind, parent=parent, valid_from=today
            )
    for pos in spec.get("positions", []):
        if pos["kind"] not in PositionKind.values:
            raise DomainError(f"unit {unit.code}: unknown post {pos['kind']!r}", field="kind")
        title = pos.get("title") or f"{unit.name} {PositionKind(pos['kind']).label}"
        position, created = Position.objects.get_or_create(
            unit=unit, kind=pos["kind"], defaults={"title": title}
        )
        if created:
            stats["positions_created"] += 1
        elif position.title != title:
            position.title = title
            position.save(update_fields=["title"])
            stats["positions_changed"] += 1
    for i, child in enumerate(spec.get("children", []), start=1):
        _load_unit(child, unit, i, since, stats)


@transaction.atomic
def organization_load(path, *, actor=None) -> dict:
    """Load (or update) the institution, units and posts from a data file."""
    data = read(path)
    since = _as_date(data.get("effective_from", "2024-01-01"))
    institution, inst_changed = _load_institution(data["institution"])
    stats = {"units_created": [], "units_changed": [], "positions_created": 0,
             "positions_changed": 0, "institution_changed": inst_changed}
    for i, spec in enumerate(data["units"], start=1):
        _load_unit(spec, None, i, since, stats)
    if inst_changed or stats["units_created"] or stats["units_changed"] or any(
        stats[k] for k in ("positions_created", "positions_changed")
    ):
        audit_record(
            actor=actor, action="organization.structure.loaded", obj=institution,
            changes={"file": Path(path).name, **stats},
        )
    return stats


@transaction.atomic
def demo_load(path, *, password: str = "demo") -> list[str]:
    """Create the demo people of the data file and their posts. Never used in production."""
    data = read(path)
    since = _as_date(data.get("effective_from", "2024-01-01"))
    created = []
    for spec in data.get("demo_people", []):
        person, new = Person.objects.get_or_create(
            username=spec["username"],
            defaults={"first_name": spec["first_name"], "last_name": spec["last_name"],
                      "title": spec.get("title", ""),
                      "email": f"{spec['username']}@example.invalid"},
        )
        if new:
            person.set_password(password)
            person.save(update_fields=["password"])
            created.append(person.username)
            audit_record(
                actor=None, action="organization.person.created", obj=person,
                changes={"username": person.username, "demo": True},
            )
        position = Position.objects.get(unit__code=spec["unit"], kind=spec["kind"])
        if not PositionHolding.objects.filter(person=person, position=position).exists():
            holding = PositionHolding.objects.create(
                person=person, position=position, start_date=since
            )
            audit_record(
                actor=None, action="organization.holding.created", obj=holding,
                changes={"person": str(person), "position": str(position),
                         "start_date": since, "demo": True},
            )
    return created
