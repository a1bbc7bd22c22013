"""Hardware and software needs (RYY art. 6(ı)): a unit submits, the directorate (Director or
Chief) assesses each into the yearly needs list with an estimated unit cost; the list is
exported as CSV for the budget."""

import csv
import io
from decimal import Decimal

from django.db import transaction
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization import permissions as org

from .. import permissions
from ..choices import NeedKind, NeedState
from ..models import Need
from ._common import acting_for


def units_for_needs(person) -> set[int]:
    """Units the person may submit needs for: those of their posts and those they manage."""
    return permissions.own_unit_ids(person)


def needs_visible(person):
    """Bilgi İşlem sees every need; anyone else the needs of their units."""
    queryset = Need.objects.select_related("unit", "submitted_by", "assessed_by")
    if not getattr(person, "is_authenticated", False):
        return queryset.none()
    if permissions.is_asset_staff(person):
        return queryset
    return queryset.filter(unit_id__in=units_for_needs(person))


@transaction.atomic
def need_submit(
    *,
    actor,
    unit,
    year: int,
    kind: str,
    description: str,
    justification: str,
    quantity: int = 1,
) -> Need:
    if unit is None or unit.pk not in units_for_needs(actor):
        raise DomainError(_("You may submit needs only for your own unit."), field="unit")
    if kind not in NeedKind.values:
        raise DomainError(_("Choose hardware or software."), field="kind")
    description = (description or "").strip()
    if not description:
        raise DomainError(_("Describe the need."), field="description")
    justification = (justification or "").strip()
    if not justification:
        raise DomainError(_("Say why the unit needs it."), field="justification")
    if not isinstance(quantity, int) or quantity < 1:
        raise DomainError(_("The quantity is at least 1."), field="quantity")
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        raise DomainError(_("Enter the budget year."), field="year")
    need = Need.objects.create(
        unit=unit,
        year=year,
        kind=kind,
        description=description,
        quantity=quantity,
        justification=justification,
        submitted_by=actor,
    )
    audit_record(
        actor=actor,
        action="assets.need.submitted",
        obj=need,
        changes={"unit": str(unit), "year": year, "kind": kind, "quantity": quantity},
    )
    return need


@transaction.atomic
def need_assess(
    *, actor, need: Need, accept: bool, estimated_unit_cost=None, note: str = ""
) -> Need:
    """Accept a need into the year's list (with its estimated unit cost) or decline it."""
    post = permissions.harcama_post(actor) or permissions.chief_post(actor)
    if post is None:
        raise PermissionDeniedError(_("Only the Director or the Chief of Bilgi İşlem may do this."))
    need = Need.objects.select_for_update().get(pk=need.pk)
    if need.state != NeedState.SUBMITTED:
        raise DomainError(_("This need has already been assessed."), field="__all__")
    note = (note or "").strip()
    if accept:
        if estimated_unit_cost is None or Decimal(estimated_unit_cost) < 0:
            raise DomainError(_("Enter the estimated unit cost."), field="estimated_unit_cost")
        need.estimated_unit_cost = Decimal(estimated_unit_cost).quantize(Decimal("0.01"))
        need.state = NeedState.ACCEPTED
    else:
        if not note:
            raise DomainError(_("Say why the need is not accepted."), field="note")
        need.state = NeedState.REJECTED
    need.assessed_by = actor
    need.assessment_note = note
    need.save(update_fields=["state", "estimated_unit_cost", "assessed_by", "assessment_note"])
    audit_record(
        actor=actor,
        action="assets.need.accepted" if accept else "assets.need.rejected",
        obj=need,
        changes={"estimated_unit_cost": need.estimated_unit_cost, "note": note},
        acting_for=acting_for(post),
        reason=note,
    )
    return need


def needs_list(year: int):
    """The year's accepted needs, by unit."""
    return (
        Need.objects.filter(year=year, state=NeedState.ACCEPTED)
        .select_related("unit")
        .order_by("unit__name", "kind", "id")
    )


def needs_list_csv(year: int) -> str:
    """The yearly needs list as CSV (semicolons, for Turkish spreadsheets), with the total."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("Unit"),
            _("Kind"),
            _("Description"),
            _("Quantity"),
            _("Estimated unit cost"),
            _("Estimated cost"),
            _("Justification"),
        ]
    )
    total = Decimal(0)
    for need in needs_list(year):
        cost = (need.estimated_unit_cost or Decimal(0)) * need.quantity
        total += cost
        writer.writerow(
            [
                need.unit.name,
                need.get_kind_display(),
                need.description,
                need.quantity,
                need.estimated_unit_cost,
                cost,
                need.justification,
            ]
        )
    writer.writerow([_("Total"), "", "", "", "", total, ""])
    return out.getvalue()


def may_submit_needs(person) -> bool:
    return bool(org.effective_posts(person))
