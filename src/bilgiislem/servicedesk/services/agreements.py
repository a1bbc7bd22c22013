"""Partner organisations, their accounts and service agreements (hizmet protokolü; issue 6
point 2, RYY art. 6(o), 6(ö)).

The Director and the Chief of the directorate that runs the desk keep these records; anyone
posted in that directorate reads them (the desk needs the targets and contacts). Every change
is one transaction with its audit event; bad input names the field.
"""

from __future__ import annotations

import datetime as dt
import re

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization import permissions as org
from bilgiislem.registry.models import Document

from ..choices import Category, PartnerKind, Priority
from ..models import AgreementTarget, PartnerMember, PartnerOrganization, ServiceAgreement
from ..permissions import is_desk_head, may_record_on_behalf

# A year of working days is far beyond any real target; more is a typing error.
MAX_TARGET_MINUTES = 540 * 250
ORG_FIELDS = ("name", "kind", "identifier", "email_domain", "address", "phone", "active")
AGREEMENT_FIELDS = (
    "title",
    "organization",
    "is_internal_default",
    "protocol",
    "categories",
    "valid_from",
    "valid_until",
    "work_start",
    "work_end",
    "contacts",
)
_DOMAIN = re.compile(r"^(?=.{3,100}$)([a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}$")


def may_manage_agreements(person) -> bool:
    """The desk's heads: the Director and the Chief of Bilgi İşlem (held or acted for)."""
    return is_desk_head(person)


def may_view_agreements(person) -> bool:
    """Anyone posted in the directorate that runs the desk."""
    return is_desk_head(person) or may_record_on_behalf(person)


def _require_manager(actor) -> None:
    if not may_manage_agreements(actor):
        raise PermissionDeniedError(
            _("Only the Director or the Chief of the directorate keeps partner records.")
        )


def changes_between(before: dict, after: dict) -> dict:
    """``{field: [old, new]}`` for the fields that differ (for the audit trail)."""
    return {k: [before.get(k), v] for k, v in after.items() if before.get(k) != v}


def _snapshot(obj, fields) -> dict:
    values = {}
    for name in fields:
        field = obj._meta.get_field(name)
        values[name] = getattr(obj, field.attname)
    return values


# ---------------------------------------------------------------- partner organisations


def _clean_org(values: dict, *, instance: PartnerOrganization | None) -> dict:
    values = dict(values)
    values["name"] = (values.get("name") or "").strip()
    if not values["name"]:
        raise DomainError(_("Give the organisation's name."), field="name")
    if values.get("kind") not in PartnerKind.values:
        raise DomainError(_("Choose the kind of organisation."), field="kind")
    identifier = (values.get("identifier") or "").strip()
    if identifier and not (identifier.isdigit() and len(identifier) in (8, 10)):
        raise DomainError(
            _("A DETSİS number has 8 digits and a tax number (VKN) 10."), field="identifier"
        )
    values["identifier"] = identifier
    domain = (values.get("email_domain") or "").strip().lower().removeprefix("@")
    if domain:
        if not _DOMAIN.match(domain):
            raise DomainError(
                _("Give a domain such as meb.k12.tr, without the part before @."),
                field="email_domain",
            )
        clash = PartnerOrganization.objects.filter(email_domain=domain)
        if instance is not None:
            clash = clash.exclude(pk=instance.pk)
        if clash.exists():
            raise DomainError(
                _("Another organisation already has this e-mail domain."), field="email_domain"
            )
    values["email_domain"] = domain
    for name in ("address", "phone"):
        values[name] = (values.get(name) or "").strip()
    values["active"] = bool(values.get("active", True))
    return values


def partner_org_create(*, actor, **values) -> PartnerOrganization:
    """Record a partner organisation (school, muhtarlık, NGO, Kaymakamlık, Tapu, ...)."""
    _require_manager(actor)
    values = _clean_org({k: values.get(k) for k in ORG_FIELDS if k in values}, instance=None)
    with transaction.atomic():
        organization = PartnerOrganization.objects.create(**values)
        audit_record(
            actor=actor,
            action="servicedesk.partner.created",
            obj=organization,
            changes=_snapshot(organization, ORG_FIELDS),
        )
    return organization


def partner_org_update(*, actor, organization: PartnerOrganization, **values):
    """Change a partner organisation's record (deactivating it keeps its history)."""
    _require_manager(actor)
    with transaction.atomic():
        organization = PartnerOrganization.objects.select_for_update().get(pk=organization.pk)
        before = _snapshot(organization, ORG_FIELDS)
        merged = {**before, **{k: v for k, v in values.items() if k in ORG_FIELDS}}
        cleaned = _clean_org(merged, instance=organization)
        changes = changes_between(before, cleaned)
        if changes:
            for name, value in cleaned.items():
                setattr(organization, name, value)
            organization.save(update_fields=list(changes))
            audit_record(
                actor=actor,
                action="servicedesk.partner.updated",
                obj=organization,
                changes=changes,
            )
    return organization


def partner_member_add(*, actor, organization: PartnerOrganization, person) -> PartnerMember:
    """Give a person a partner account: they ask for help for this organisation only."""
    _require_manager(actor)
    if person is None:
        raise DomainError(_("Choose the person."), field="person")
    if not organization.active:
        raise DomainError(_("This organisation is no longer active."), field="organization")
    if org.effective_posts(person):
        raise DomainError(
            _("A member of the municipality's staff cannot have a partner account."),
            field="person",
        )
    with transaction.atomic():
        if PartnerMember.objects.filter(person=person).exists():
            raise DomainError(_("This person already has a partner account."), field="person")
        member = PartnerMember.objects.create(organization=organization, person=person)
        audit_record(
            actor=actor,
            action="servicedesk.partner_member.added",
            obj=member,
            changes={"organization": organization.pk, "person": person.get_username()},
        )
    org.clear_cache(person)
    return member


def partner_member_set_active(*, actor, member: PartnerMember, active: bool) -> PartnerMember:
    """Suspend or restore a partner account (the person then sees nothing of the desk)."""
    _require_manager(actor)
    with transaction.atomic():
        member = PartnerMember.objects.select_for_update().get(pk=member.pk)
        if member.active != active:
            member.active = active
            member.save(update_fields=["active"])
            audit_record(
                actor=actor,
                action="servicedesk.partner_member." + ("activated" if active else "deactivated"),
                obj=member,
                changes={"active": [not active, active]},
            )
    org.clear_cache(member.person)
    return member


# ---------------------------------------------------------------- agreements


def _as_date(value, field: str) -> dt.date | None:
    if value in (None, ""):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value))
    except ValueError:
        raise DomainError(_("Give a date as YYYY-MM-DD."), field=field) from None


def _as_time(value, field: str) -> dt.time:
    if isinstance(value, dt.time):
        return value
    try:
        return dt.time.fromisoformat(str(value))
    except ValueError:
        raise DomainError(_("Give a time as HH:MM."), field=field) from None


def _overlapping_default(valid_from, valid_until, instance):
    """Another internal default agreement in force on some day of this one."""
    others = ServiceAgreement.objects.filter(is_internal_default=True)
    if instance is not None and instance.pk:
        others = others.exclude(pk=instance.pk)
    others = others.filter(Q(valid_until__isnull=True) | Q(valid_until__gte=valid_from))
    if valid_until is not None:
        others = others.filter(valid_from__lte=valid_until)
    return others.first()


def _clean_agreement(actor, values: dict, *, instance) -> dict:
    values = dict(values)
    values["title"] = (values.get("title") or "").strip()
    if not values["title"]:
        raise DomainError(_("Give the agreement a title."), field="title")
    organization = values.get("organization")
    internal = bool(values.get("is_internal_default"))
    values["is_internal_default"] = internal
    if internal and organization is not None:
        raise DomainError(
            _("The default agreement for municipal units has no partner organisation."),
            field="organization",
        )
    if not internal and organization is None:
        raise DomainError(_("Choose the partner organisation."), field="organization")
    values["valid_from"] = _as_date(values.get("valid_from"), "valid_from")
    if values["valid_from"] is None:
        raise DomainError(_("Give the first day the agreement is in force."), field="valid_from")
    values["valid_until"] = _as_date(values.get("valid_until"), "valid_until")
    if values["valid_until"] is not None and values["valid_until"] < values["valid_from"]:
        raise DomainError(_("The agreement cannot end before it starts."), field="valid_until")
    values["work_start"] = _as_time(values.get("work_start") or "08:30", "work_start")
    values["work_end"] = _as_time(values.get("work_end") or "17:30", "work_end")
    if values["work_end"] <= values["work_start"]:
        raise DomainError(_("Working hours must end after they start."), field="work_end")
    categories = list(values.get("categories") or [])
    unknown = [c for c in categories if c not in Category.values]
    if unknown:
        raise DomainError(
            _("Unknown request category: %(value)s.") % {"value": ", ".join(map(str, unknown))},
            field="categories",
        )
    values["categories"] = [c for c in Category.values if c in categories]  # tidy order
    protocol = values.get("protocol")
    if protocol is not None and not (
        Document.objects.visible_to(actor).filter(pk=protocol.pk).exists()
    ):
        raise DomainError(_("Choose a registered document you may see."), field="protocol")
    values["contacts"] = (values.get("contacts") or "").strip()
    if internal:
        clash = _overlapping_default(values["valid_from"], values["valid_until"], instance)
        if clash is not None:
            raise DomainError(
                _("The default agreement “%(title)s” is already in force in this period.")
                % {"title": clash.title},
                field="valid_from",
            )
    return values


def _clean_targets(targets) -> dict[str, tuple[int, int]]:
    """``{priority: (response, resolution)}`` from a dict or a list of dicts (the API's)."""
    if isinstance(targets, dict):
        items = list(targets.items())
    else:
        items = [
            (t.get("priority"), (t.get("response_minutes"), t.get("resolution_minutes")))
            for t in targets
        ]
    cleaned: dict[str, tuple[int, int]] = {}
    for priority, pair in items:
        if priority not in Priority.values:
            raise DomainError(
                _("Unknown priority: %(value)s.") % {"value": priority}, field="targets"
            )
        if priority in cleaned:
            raise DomainError(
                _("Give one target per priority (%(priority)s twice).")
                % {"priority": Priority(priority).label},
                field="targets",
            )
        response, resolution = pair
        label = Priority(priority).label
        for name, value in (("response", response), ("resolution", resolution)):
            if isinstance(value, bool) or not isinstance(value, int):
                raise DomainError(
                    _("%(priority)s: give the target in whole working minutes.")
                    % {"priority": label},
                    field=f"{name}_minutes_{priority}",
                )
            if not 1 <= value <= MAX_TARGET_MINUTES:
                raise DomainError(
                    _("%(priority)s: a target is between 1 and %(max)s working minutes.")
                    % {"priority": label, "max": MAX_TARGET_MINUTES},
                    field=f"{name}_minutes_{priority}",
                )
        if resolution < response:
            raise DomainError(
                _("%(priority)s: resolution cannot be due before the response.")
                % {"priority": label},
                field=f"resolution_minutes_{priority}",
            )
        cleaned[priority] = (response, resolution)
    return cleaned


def _targets_of(agreement) -> dict[str, list[int]]:
    return {
        t.priority: [t.response_minutes, t.resolution_minutes]
        for t in agreement.targets.order_by("priority")
    }


def _write_targets(agreement, targets: dict[str, tuple[int, int]]) -> None:
    agreement.targets.exclude(priority__in=list(targets)).delete()
    for priority, (response, resolution) in targets.items():
        AgreementTarget.objects.update_or_create(
            agreement=agreement,
            priority=priority,
            defaults={"response_minutes": response, "resolution_minutes": resolution},
        )


def agreement_create(*, actor, targets=None, **values) -> ServiceAgreement:
    """Record a service agreement with its response and resolution targets per priority
    (``targets``: ``{"high": (60, 540), ...}`` in working minutes)."""
    _require_manager(actor)
    values = _clean_agreement(
        actor, {k: values.get(k) for k in AGREEMENT_FIELDS if k in values}, instance=None
    )
    cleaned_targets = _clean_targets(targets or {})
    with transaction.atomic():
        agreement = ServiceAgreement.objects.create(created_by=actor, **values)
        _write_targets(agreement, cleaned_targets)
        changes = _snapshot(agreement, AGREEMENT_FIELDS)
        changes["targets"] = _targets_of(agreement)
        audit_record(
            actor=actor, action="servicedesk.agreement.created", obj=agreement, changes=changes
        )
    return agreement


def agreement_update(*, actor, agreement: ServiceAgreement, targets=None, **values):
    """Change an agreement; ``targets`` given replaces all of them (a priority left out has
    no target any more). Requests already opened keep their deadlines."""
    _require_manager(actor)
    with transaction.atomic():
        agreement = ServiceAgreement.objects.select_for_update().get(pk=agreement.pk)
        before = {
            name: getattr(agreement, name)
            for name in AGREEMENT_FIELDS
            if name not in ("organization", "protocol")
        }
        before["organization"] = agreement.organization
        before["protocol"] = agreement.protocol
        merged = {**before, **{k: v for k, v in values.items() if k in AGREEMENT_FIELDS}}
        cleaned = _clean_agreement(actor, merged, instance=agreement)
        old_snapshot = _snapshot(agreement, AGREEMENT_FIELDS)
        for name, value in cleaned.items():
            setattr(agreement, name, value)
        changes = changes_between(old_snapshot, _snapshot(agreement, AGREEMENT_FIELDS))
        if changes:
            agreement.save(update_fields=list(changes))
        if targets is not None:
            old_targets = _targets_of(agreement)
            _write_targets(agreement, _clean_targets(targets))
            new_targets = _targets_of(agreement)
            if new_targets != old_targets:
                changes["targets"] = [old_targets, new_targets]
        if changes:
            audit_record(
                actor=actor, action="servicedesk.agreement.updated", obj=agreement, changes=changes
            )
    return agreement


def agreement_in_force(agreement: ServiceAgreement, on: dt.date) -> bool:
    return agreement.valid_from <= on and (
        agreement.valid_until is None or agreement.valid_until >= on
    )
