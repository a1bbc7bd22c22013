"""Who the set-up commands act as: the Director of the directorate that runs the system."""

from django.core.management.base import CommandError

from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import PositionKind
from bilgiislem.organization.models import Person, PositionHolding


def system_director() -> Person:
    holding = (
        PositionHolding.objects.active_on()
        .filter(
            position__kind=PositionKind.MUDUR, position__unit_id__in=org.system_owner_unit_ids()
        )
        .select_related("person")
        .first()
    )
    if holding is None:
        raise CommandError("Nobody holds the Director's post of the system-owner directorate.")
    return Person.objects.get(pk=holding.person_id)
