"""The approval chain of a letter, computed from its recipients (RYY art. 11).

- Between directorates: the preparer initials, (the Chief initials — a setting), the
  Director signs.
- To outside bodies (governorship, metropolitan municipality, public institutions, private
  and legal persons, citizens): the preparer initials, (the Chief), the Director initials,
  the Deputy Mayor who oversees the directorate initials, and the Mayor signs — or the
  Deputy Mayor the Mayor has authorised signs "Başkan a." when a delegation covers the letter.
- Coordination steps the preparer adds come before the Director's step.
Acting assignments apply at the moment each step is taken (``can_act``), not here.
"""

import dataclasses

from django.conf import settings
from django.utils import timezone

from bilgiislem.organization.choices import PositionKind, UnitKind
from bilgiislem.organization.models import Position, SignatureDelegation

from .choices import RecipientKind, StepKind


@dataclasses.dataclass
class PlannedStep:
    kind: str
    position: Position | None = None
    person: object | None = None
    delegation: SignatureDelegation | None = None


def _post(unit, kind) -> Position | None:
    if unit is None:
        return None
    return Position.objects.filter(unit=unit, kind=kind).first()


def covering_delegation(letter, deputy_unit) -> SignatureDelegation | None:
    """A running delegation from the Mayor that covers every outside recipient of the letter."""
    classes = {r.kind for r in letter.recipients.all() if r.kind != RecipientKind.INTERNAL}
    today = timezone.localdate()
    for delegation in SignatureDelegation.objects.active_on(today).select_related(
        "delegate_position"
    ):
        units = set(delegation.units.values_list("pk", flat=True))
        if units and letter.unit_id not in units:
            continue
        if not classes <= set(delegation.recipient_classes):
            continue
        if deputy_unit is not None and delegation.delegate_position.unit_id != deputy_unit.pk:
            # Prefer the Deputy Mayor overseeing the directorate; others only if no such one.
            continue
        return delegation
    return None


def plan(letter, coordination: list[Position] = ()) -> list[PlannedStep]:
    """The steps a letter must pass, in order."""
    directorate = letter.unit
    steps = [PlannedStep(StepKind.PARAF, person=letter.prepared_by)]
    chief = _post(directorate, PositionKind.SEF)
    if settings.BILGIISLEM_CHIEF_PARAF and chief is not None:
        steps.append(PlannedStep(StepKind.PARAF, position=chief))
    steps += [PlannedStep(StepKind.COORDINATION, position=p) for p in coordination]
    director = _post(directorate, PositionKind.MUDUR)
    if letter.is_internal:
        steps.append(PlannedStep(StepKind.SIGNATURE, position=director))
        return steps
    steps.append(PlannedStep(StepKind.PARAF, position=director))
    parent = directorate.parent
    deputy_unit = parent if parent and parent.kind == UnitKind.BASKAN_YARDIMCILIGI else None
    deputy = _post(deputy_unit, PositionKind.BASKAN_YARDIMCISI)
    delegation = covering_delegation(letter, deputy_unit)
    if delegation is not None:
        if deputy is not None and deputy.pk != delegation.delegate_position_id:
            steps.append(PlannedStep(StepKind.PARAF, position=deputy))
        steps.append(
            PlannedStep(
                StepKind.SIGNATURE, position=delegation.delegate_position, delegation=delegation
            )
        )
        return steps
    if deputy is not None:
        steps.append(PlannedStep(StepKind.PARAF, position=deputy))
    mayor = Position.objects.filter(kind=PositionKind.BASKAN, unit__kind=UnitKind.BASKANLIK).first()
    steps.append(PlannedStep(StepKind.SIGNATURE, position=mayor))
    return steps
