"""Changes to the internal organisation (RYY art. 7(3))."""

import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from .. import permissions
from ..choices import (
    HEAD_OF,
    PositionKind,
    RequestStatus,
    UnitChangeKind,
    UnitKind,
)
from ..models import (
    OrgUnit,
    OrgUnitVersion,
    Position,
    PositionHolding,
    UnitChangeRequest,
)
from ._common import (
    _acting_for,
    _decide,
    _lock_pending,
    _require,
    position_title,
)


def _version_open(unit: OrgUnit, on: datetime.date, change_request=None) -> OrgUnitVersion:
    return OrgUnitVersion.objects.create(
        unit=unit,
        name=unit.name,
        kind=unit.kind,
        parent=unit.parent,
        valid_from=on,
        change_request=change_request,
    )


def _version_close(unit: OrgUnit, on: datetime.date) -> None:
    """Close the open version the day before ``on`` (or on it, if it opened that day)."""
    for version in unit.versions.filter(valid_to__isnull=True):
        version.valid_to = max(version.valid_from, on - datetime.timedelta(days=1))
        version.save(update_fields=["valid_to"])


NAME_MAX_LENGTH = OrgUnit._meta.get_field("name").max_length


def _validate_unit_change(kind, unit, name, parent, directorate_ids, parents):
    """Check a change against the tree as it stands; run at proposal and again at approval."""
    name = (name or "").strip()
    if kind in (UnitChangeKind.CREATE, UnitChangeKind.RENAME):
        if not name:
            raise DomainError(_("Give the unit a name."), field="name")
        if len(name) > NAME_MAX_LENGTH:
            raise DomainError(
                _("The name can be at most %(n)d characters.") % {"n": NAME_MAX_LENGTH},
                field="name",
            )
    if kind in (UnitChangeKind.CREATE, UnitChangeKind.MOVE) and (
        parent is None or parent.pk not in directorate_ids or parent.valid_to is not None
    ):
        raise DomainError(_("Choose an open parent inside your directorate."), field="parent")
    if kind == UnitChangeKind.CREATE:
        return
    if unit is None or unit.pk not in directorate_ids or unit.valid_to is not None:
        raise DomainError(_("Choose an open unit inside your directorate."), field="unit")
    if unit.kind != UnitKind.BIRIM:
        raise DomainError(
            _("Only the units inside a directorate can be changed here."), field="unit"
        )
    if kind == UnitChangeKind.RENAME and name == unit.name:
        raise DomainError(_("The new name is the same as the current one."), field="name")
    if kind == UnitChangeKind.MOVE:
        if parent.pk in permissions.subtree(unit.pk, parents):
            raise DomainError(
                _("A unit cannot be moved under itself or one of its own units."), field="parent"
            )
        if parent.pk == unit.parent_id:
            raise DomainError(_("The unit is already there."), field="parent")


def _directorate_post_for(actor, scope: OrgUnit | None, parents):
    """The actor's Director post whose directorate contains ``scope`` (any, if none given)."""
    posts = [p for p in permissions.effective_posts(actor) if p.kind == PositionKind.MUDUR]
    for post in posts:
        if scope is not None and scope.pk in permissions.subtree(post.unit_id, parents):
            return post
    return posts[0] if posts else None


@transaction.atomic
def unit_change_propose(
    *,
    actor,
    kind: str,
    unit: OrgUnit | None = None,
    name: str = "",
    parent: OrgUnit | None = None,
    justification: str = "",
) -> UnitChangeRequest:
    """The Director proposes a new unit or a change to one inside the directorate."""
    if kind not in UnitChangeKind.values:
        raise DomainError(_("Choose a kind of change."), field="kind")
    parents = permissions.unit_parents()
    scope = parent if kind == UnitChangeKind.CREATE else unit
    post = _require(
        _directorate_post_for(actor, scope, parents),
        _("Only a Director can propose a change to the organisation."),
    )
    directorate_ids = permissions.subtree(post.unit_id, parents)
    _validate_unit_change(kind, unit, name, parent, directorate_ids, parents)
    if (
        kind != UnitChangeKind.CREATE
        and UnitChangeRequest.objects.filter(unit=unit, status=RequestStatus.PENDING).exists()
    ):
        raise DomainError(_("A change to this unit is already awaiting approval."), field="unit")
    name = name.strip() if kind in (UnitChangeKind.CREATE, UnitChangeKind.RENAME) else ""
    request = UnitChangeRequest.objects.create(
        kind=kind,
        unit=unit if kind != UnitChangeKind.CREATE else None,
        name=name,
        unit_kind=UnitKind.BIRIM if kind == UnitChangeKind.CREATE else "",
        parent=parent if kind in (UnitChangeKind.CREATE, UnitChangeKind.MOVE) else None,
        justification=justification,
        proposed_by=actor,
    )
    audit_record(
        actor=actor,
        action="organization.unit_change.proposed",
        obj=request,
        changes={"kind": kind, "unit": str(unit or ""), "name": name, "parent": str(parent or "")},
        reason=justification,
        acting_for=_acting_for(post),
    )
    return request


def _apply_unit_change(request: UnitChangeRequest, today: datetime.date) -> OrgUnit:
    """Change the tree. Every check comes before the first write (no half-applied change)."""
    parents = permissions.unit_parents()
    directorate = permissions.directorate_of(request.scope_unit)
    directorate_ids = permissions.subtree(directorate.pk, parents) if directorate else set()
    unit = (
        OrgUnit.objects.select_for_update().get(pk=request.unit_id)
        if request.kind != UnitChangeKind.CREATE
        else None
    )
    parent = OrgUnit.objects.get(pk=request.parent_id) if request.parent_id else None
    _validate_unit_change(request.kind, unit, request.name, parent, directorate_ids, parents)
    if request.kind == UnitChangeKind.CREATE:
        base = parent.code
        code, n = f"{base}-{slugify_tr(request.name)}"[:55], 1
        while OrgUnit.objects.filter(code=code).exists():
            n += 1
            code = f"{base}-{slugify_tr(request.name)}"[:52] + f"-{n}"
        unit = OrgUnit.objects.create(
            code=code,
            name=request.name,
            kind=request.unit_kind,
            parent=parent,
            valid_from=today,
            sort_order=parent.children.count() + 1,
        )
        Position.objects.create(
            unit=unit,
            kind=HEAD_OF[unit.kind],
            title=position_title(unit, HEAD_OF[unit.kind]),
            created_on=today,
        )
        _version_open(unit, today, request)
        return unit
    if request.kind == UnitChangeKind.CLOSE:
        if PositionHolding.objects.filter(position__unit=unit).exclude(end_date__lt=today).exists():
            raise DomainError(_("People still hold posts in this unit; move them first."))
        if OrgUnit.objects.filter(parent=unit, valid_to__isnull=True).exists():
            raise DomainError(_("This unit still has open units under it."))
    _version_close(unit, today)
    if request.kind == UnitChangeKind.RENAME:
        unit.name = request.name
        unit.save(update_fields=["name"])
    elif request.kind == UnitChangeKind.MOVE:
        unit.parent = parent
        unit.save(update_fields=["parent"])
    elif request.kind == UnitChangeKind.CLOSE:
        unit.valid_to = max(unit.valid_from, today - datetime.timedelta(days=1))
        unit.save(update_fields=["valid_to"])
        return unit
    _version_open(unit, today, request)
    return unit


def slugify_tr(text: str) -> str:
    from django.utils.text import slugify

    from bilgiislem.core.text import fold

    return slugify(fold(text)) or "birim"


@transaction.atomic
def unit_change_approve(
    *, actor, request: UnitChangeRequest, reason: str = ""
) -> UnitChangeRequest:
    """The Mayor approves; the unit tree changes today and keeps its earlier shape."""
    mayor = _require(permissions.mayor_post(actor), _("Only the Mayor approves these changes."))
    request = _lock_pending(UnitChangeRequest, request.pk)
    before = request.unit
    before = {"name": before.name, "parent": str(before.parent or "")} if before else {}
    unit = _apply_unit_change(request, timezone.localdate())
    permissions.clear_cache(actor)  # who manages what follows the tree
    _decide(request, actor=actor, status=RequestStatus.APPROVED, reason=reason)
    request.resulting_unit = unit
    request.save(
        update_fields=["status", "decided_by", "decided_at", "decision_reason", "resulting_unit"]
    )
    audit_record(
        actor=actor,
        action="organization.unit_change.approved",
        obj=request,
        changes={
            "status": [RequestStatus.PENDING, RequestStatus.APPROVED],
            "unit": str(unit),
            "kind": request.kind,
            "before": before,
            "after": {
                "name": unit.name,
                "parent": str(unit.parent or ""),
                "valid_to": unit.valid_to,
            },
        },
        reason=reason,
        acting_for=_acting_for(mayor),
    )
    return request


@transaction.atomic
def unit_change_reject(*, actor, request: UnitChangeRequest, reason: str) -> UnitChangeRequest:
    mayor = _require(permissions.mayor_post(actor), _("Only the Mayor decides these changes."))
    if not reason.strip():
        raise DomainError(_("Give a reason for the rejection."), field="reason")
    request = _lock_pending(UnitChangeRequest, request.pk)
    _decide(request, actor=actor, status=RequestStatus.REJECTED, reason=reason)
    request.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit_record(
        actor=actor,
        action="organization.unit_change.rejected",
        obj=request,
        changes={"status": [RequestStatus.PENDING, RequestStatus.REJECTED]},
        reason=reason,
        acting_for=_acting_for(mayor),
    )
    return request
