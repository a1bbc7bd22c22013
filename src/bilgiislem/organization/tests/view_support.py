"""Helpers shared by the organisation page tests."""

import datetime

from django.urls import reverse
from django.utils import timezone

from bilgiislem.audit.models import AuditEvent
from bilgiislem.organization.models import (
    ActingAssignment,
    AppointmentRequest,
    OrgUnit,
    Person,
    PositionHolding,
    SignatureDelegation,
    UnitChangeRequest,
)

TODAY = timezone.localdate


def d(days: int = 0) -> str:
    return (TODAY() + datetime.timedelta(days=days)).strftime("%d.%m.%Y")


def snapshot():
    """Row counts that no refused action may change."""
    return {
        "audit": AuditEvent.objects.count(),
        "acting": ActingAssignment.objects.count(),
        "acting_open": ActingAssignment.objects.filter(cancelled_at__isnull=True).count(),
        "delegations": SignatureDelegation.objects.count(),
        "delegations_open": SignatureDelegation.objects.filter(revoked_at__isnull=True).count(),
        "appointments": AppointmentRequest.objects.count(),
        "appointments_pending": AppointmentRequest.objects.filter(status="pending").count(),
        "unit_changes": UnitChangeRequest.objects.count(),
        "unit_changes_pending": UnitChangeRequest.objects.filter(status="pending").count(),
        "holdings": PositionHolding.objects.count(),
        "units": OrgUnit.objects.count(),
        "active_people": Person.objects.filter(is_active=True).count(),
        "people": Person.objects.count(),
        "open_holdings": PositionHolding.objects.filter(end_date__isnull=True).count(),
    }


def login_url_in(response) -> bool:
    return response.status_code == 302 and reverse("accounts:login") in response["Location"]


def post_acting(client, positions, people, **overrides):
    data = {
        "position": positions["bilgi-islem", "mudur"].pk,
        "acting_person": people["sef"].pk,
        "start_date": d(),
        "end_date": d(7),
        "reason": "İzin",
    }
    data.update(overrides)
    return client.post(reverse("organization:acting-create"), data)
