"""Leased data lines between buildings and their outages (issue 7 point 8; RYY art. 6(d)).

The Director or the Chief records a line (provider, circuit id, the two sites, speed,
contract, monthly cost, dates). Bilgi İşlem staff report an outage: it opens a service-desk
request (through ``ticket_create``, as the reporting person) carrying the provider's ticket
number, and a DataLineOutage row that ends when the line is back.
"""

from __future__ import annotations

import datetime
import decimal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError
from bilgiislem.servicedesk.choices import Category, Priority
from bilgiislem.servicedesk.services.tickets import ticket_create

from ..models import DataLine, DataLineOutage
from ._heads import require_head, require_it_staff

PROVIDER_TICKET_MAX = DataLineOutage._meta.get_field("provider_ticket").max_length


def _required(value, *, field: str, message: str, limit: int) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(message, field=field)
    if len(value) > limit:
        raise DomainError(_("At most %(n)d characters.") % {"n": limit}, field=field)
    return value


def dataline_create(
    *,
    actor,
    provider: str,
    circuit_id: str,
    site_a,
    site_b,
    speed_mbps,
    contract_number: str = "",
    monthly_cost=0,
    installed_on: datetime.date | None = None,
    ends_on: datetime.date | None = None,
) -> DataLine:
    require_head(actor)
    provider = _required(provider, field="provider", message=_("Give the provider."), limit=200)
    circuit_id = _required(
        circuit_id, field="circuit_id", message=_("Give the circuit id."), limit=100
    )
    if site_a is None:
        raise DomainError(_("Choose the site the line starts from."), field="site_a")
    if site_b is None or site_b.pk == site_a.pk:
        raise DomainError(_("A line joins two different sites."), field="site_b")
    try:
        speed_mbps = int(speed_mbps)
    except (TypeError, ValueError):
        speed_mbps = 0
    if speed_mbps < 1:
        raise DomainError(_("Give the speed in Mbit/s."), field="speed_mbps")
    try:
        monthly_cost = decimal.Decimal(str(monthly_cost or 0))
    except decimal.InvalidOperation:
        monthly_cost = decimal.Decimal(-1)
    if monthly_cost < 0:
        raise DomainError(_("Give the monthly cost as an amount."), field="monthly_cost")
    if installed_on and ends_on and ends_on < installed_on:
        raise DomainError(_("The contract cannot end before the installation."), field="ends_on")
    if DataLine.objects.filter(circuit_id=circuit_id).exists():
        raise DomainError(_("A line with this circuit id is recorded."), field="circuit_id")
    with transaction.atomic():
        line = DataLine.objects.create(
            provider=provider,
            circuit_id=circuit_id,
            site_a=site_a,
            site_b=site_b,
            speed_mbps=speed_mbps,
            contract_number=(contract_number or "").strip()[:100],
            monthly_cost=monthly_cost,
            installed_on=installed_on,
            ends_on=ends_on,
        )
        audit_record(
            actor=actor,
            action="assets.dataline.created",
            obj=line,
            changes={
                "provider": provider,
                "circuit_id": circuit_id,
                "sites": [site_a.pk, site_b.pk],
            },
        )
    return line


def open_outage(line: DataLine) -> DataLineOutage | None:
    return line.outages.filter(ended_at__isnull=True).first()


def dataline_outage_report(
    *, actor, line: DataLine, provider_ticket: str = "", started_at=None, note: str = ""
) -> DataLineOutage:
    """A line is down: open a service-desk request with the provider's ticket number."""
    require_it_staff(actor)
    provider_ticket = (provider_ticket or "").strip()
    if len(provider_ticket) > PROVIDER_TICKET_MAX:
        raise DomainError(
            _("At most %(n)d characters.") % {"n": PROVIDER_TICKET_MAX}, field="provider_ticket"
        )
    now = timezone.now()
    started_at = started_at or now
    if started_at > now:
        raise DomainError(_("An outage cannot start in the future."), field="started_at")
    if open_outage(line) is not None:
        raise DomainError(_("An outage of this line is already open."), field="line")
    description = _(
        "Leased line %(circuit)s of %(provider)s (%(a)s – %(b)s, %(speed)d Mbit/s) is down "
        "since %(start)s. Provider's ticket number: %(ticket)s."
    ) % {
        "circuit": line.circuit_id,
        "provider": line.provider,
        "a": line.site_a,
        "b": line.site_b,
        "speed": line.speed_mbps,
        "start": timezone.localtime(started_at).strftime("%d.%m.%Y %H:%M"),
        "ticket": provider_ticket or "-",
    }
    if note.strip():
        description += "\n\n" + note.strip()
    with transaction.atomic():
        ticket = ticket_create(
            actor=actor,
            title=_("Data line down: %(provider)s %(circuit)s")
            % {"provider": line.provider, "circuit": line.circuit_id},
            description=description,
            category=Category.NETWORK,
            priority=Priority.HIGH,
        )
        outage = DataLineOutage.objects.create(
            line=line, ticket=ticket, provider_ticket=provider_ticket, started_at=started_at
        )
        audit_record(
            actor=actor,
            action="assets.dataline.outage_reported",
            obj=line,
            changes={"ticket": ticket.pk, "provider_ticket": provider_ticket},
        )
    return outage


def dataline_outage_end(*, actor, outage: DataLineOutage, ended_at=None) -> DataLineOutage:
    require_it_staff(actor)
    ended_at = ended_at or timezone.now()
    with transaction.atomic():
        outage = DataLineOutage.objects.select_for_update().get(pk=outage.pk)
        if outage.ended_at is not None:
            raise DomainError(_("This outage has already ended."), field="outage")
        if ended_at < outage.started_at:
            raise DomainError(_("An outage cannot end before it started."), field="ended_at")
        outage.ended_at = ended_at
        outage.save(update_fields=["ended_at"])
        audit_record(
            actor=actor,
            action="assets.dataline.outage_ended",
            obj=outage.line,
            changes={"outage": outage.pk, "ended_at": ended_at.isoformat()},
        )
    return outage
