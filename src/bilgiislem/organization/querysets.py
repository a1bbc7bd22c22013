"""Querysets with the date filters and the permission scope (``visible_to``)."""

import datetime

from django.db import models
from django.db.models import Q
from django.utils import timezone


def _today(on: datetime.date | None) -> datetime.date:
    return on or timezone.localdate()


class OrgUnitQuerySet(models.QuerySet):
    def active_on(self, on=None):
        on = _today(on)
        return self.filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on), valid_from__lte=on)


class PositionHoldingQuerySet(models.QuerySet):
    def active_on(self, on=None):
        on = _today(on)
        return self.filter(Q(end_date__isnull=True) | Q(end_date__gte=on), start_date__lte=on)


class ActingAssignmentQuerySet(models.QuerySet):
    def active_on(self, on=None):
        """Running on a date; one ended early stops counting from the day it was ended."""
        on = _today(on)
        return self.filter(
            Q(cancelled_at__isnull=True) | Q(cancelled_at__date__gt=on),
            start_date__lte=on,
            end_date__gte=on,
        )

    def current_or_future(self, on=None):
        on = _today(on)
        return self.filter(
            Q(cancelled_at__isnull=True) | Q(cancelled_at__date__gt=on), end_date__gte=on
        )

    def visible_to(self, person):
        # Who acts for whom is public inside the organisation: people must know whom to address.
        return self if person.is_authenticated else self.none()


class SignatureDelegationQuerySet(models.QuerySet):
    def active_on(self, on=None):
        on = _today(on)
        return self.filter(revoked_at__isnull=True, start_date__lte=on, end_date__gte=on)

    def visible_to(self, person):
        return self if person.is_authenticated else self.none()


class RequestQuerySet(models.QuerySet):
    """Appointment and unit-change requests: seen by the proposer and the managers above."""

    def visible_to(self, person):
        from .permissions import managed_unit_ids

        if not person.is_authenticated:
            return self.none()
        if person.is_superuser:
            return self
        units = managed_unit_ids(person)
        scope = Q(unit_id__in=units)
        if "parent" in {f.name for f in self.model._meta.fields}:
            scope |= Q(unit__isnull=True, parent_id__in=units)
        return self.filter(scope | Q(proposed_by=person))
