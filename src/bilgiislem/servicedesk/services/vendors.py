"""Vendor contracts and repairs by a vendor (issue 6 point 4; RYY art. 6(ğ)).

A request is handed to a vendor under a maintenance contract, with the vendor's own ticket
number; it waits for the vendor until it comes back. Whether our SLA clock stops meanwhile is
the contract's term (``VendorContract.pauses_sla``): the vendor's own time does not count
against the directorate only when the contract says so.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from .. import permissions as desk
from .. import workflows
from ..choices import PAUSED_STATES, TicketState
from ..models import Ticket, VendorContract, VendorHandoff
from .agreements import _as_date, changes_between, may_manage_agreements
from .sla import sla_pause, sla_resume
from .tickets import event

CONTRACT_FIELDS = ("vendor", "number", "subject", "valid_from", "valid_until", "pauses_sla")
CONTRACT_TEXT_FIELDS = ("vendor", "number", "subject", "contact")


def may_manage_contracts(person) -> bool:
    """The desk's heads keep the contracts (the same people as the agreements)."""
    return may_manage_agreements(person)


def _clean_contract(values: dict, *, instance) -> dict:
    values = dict(values)
    for name in CONTRACT_TEXT_FIELDS:
        values[name] = (values.get(name) or "").strip()
    if not values["vendor"]:
        raise DomainError(_("Give the vendor's name."), field="vendor")
    if not values["number"]:
        raise DomainError(_("Give the contract number."), field="number")
    if not values["subject"]:
        raise DomainError(_("Give what the contract covers."), field="subject")
    values["valid_from"] = _as_date(values.get("valid_from"), "valid_from")
    if values["valid_from"] is None:
        raise DomainError(_("Give the first day the contract is in force."), field="valid_from")
    values["valid_until"] = _as_date(values.get("valid_until"), "valid_until")
    if values["valid_until"] is not None and values["valid_until"] < values["valid_from"]:
        raise DomainError(_("The contract cannot end before it starts."), field="valid_until")
    clash = VendorContract.objects.filter(vendor=values["vendor"], number=values["number"])
    if instance is not None:
        clash = clash.exclude(pk=instance.pk)
    if clash.exists():
        raise DomainError(_("This vendor already has a contract with this number."), field="number")
    values["pauses_sla"] = bool(values.get("pauses_sla", True))
    return values


def _snapshot(contract: VendorContract) -> dict:
    return {name: getattr(contract, name) for name in (*CONTRACT_FIELDS, "contact")}


def vendor_contract_create(*, actor, **values) -> VendorContract:
    """Record a maintenance or repair contract with a vendor."""
    if not may_manage_contracts(actor):
        raise PermissionDeniedError(_("Only the Director or the Chief records vendor contracts."))
    cleaned = _clean_contract(values, instance=None)
    with transaction.atomic():
        contract = VendorContract.objects.create(**cleaned)
        audit_record(
            actor=actor,
            action="servicedesk.vendor_contract.created",
            obj=contract,
            changes=_snapshot(contract),
        )
    return contract


def vendor_contract_update(*, actor, contract: VendorContract, **values) -> VendorContract:
    """Change a contract's record. Handoffs already made keep their terms of pausing."""
    if not may_manage_contracts(actor):
        raise PermissionDeniedError(_("Only the Director or the Chief records vendor contracts."))
    with transaction.atomic():
        contract = VendorContract.objects.select_for_update().get(pk=contract.pk)
        before = _snapshot(contract)
        cleaned = _clean_contract({**before, **values}, instance=contract)
        changes = changes_between(before, cleaned)
        if changes:
            for name in changes:
                setattr(contract, name, cleaned[name])
            contract.save(update_fields=list(changes))
            audit_record(
                actor=actor,
                action="servicedesk.vendor_contract.updated",
                obj=contract,
                changes=changes,
            )
    return contract


def contracts_in_force(on=None):
    """The contracts in force on ``on`` (today by default)."""
    on = on or timezone.localdate()
    return VendorContract.objects.filter(valid_from__lte=on).filter(
        Q(valid_until__isnull=True) | Q(valid_until__gte=on)
    )


def contract_in_force(contract: VendorContract, on) -> bool:
    return contract.valid_from <= on and (
        contract.valid_until is None or contract.valid_until >= on
    )


def may_hand_to_vendor(person, ticket: Ticket) -> bool:
    """Its assignee, or who divides the queue's work (the Chief, the Director, the unit head)."""
    mine = ticket.assignee_id is not None and ticket.assignee_id == getattr(person, "pk", None)
    return mine or desk.may_assign(person, ticket)


def open_handoff(ticket: Ticket) -> VendorHandoff | None:
    return ticket.handoffs.filter(returned_at__isnull=True).select_related("contract").first()


def ticket_hand_to_vendor(
    *,
    actor,
    ticket: Ticket,
    contract: VendorContract | None,
    vendor_reference: str = "",
    note: str = "",
) -> VendorHandoff:
    """Hand the request to a vendor under a contract in force: it waits for the vendor, and
    the clock stops if the contract says so."""
    if not may_hand_to_vendor(actor, ticket):
        raise PermissionDeniedError(
            _("Only the person it is assigned to, or who divides the work, hands it to a vendor.")
        )
    if contract is None:
        raise DomainError(_("Choose the contract."), field="contract")
    now = timezone.now()
    if not contract_in_force(contract, timezone.localdate(now)):
        raise DomainError(_("This contract is not in force today."), field="contract")
    vendor_reference = (vendor_reference or "").strip()[:100]
    note = (note or "").strip()[:2000]
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        workflows.check(locked, "pause")
        if locked.needs_acceptance and locked.accepted_at is None:
            raise DomainError(
                _("The Director or the Chief must accept this request first."), field="state"
            )
        if open_handoff(locked) is not None:
            raise DomainError(
                _("The request is already with a vendor; record its return first."),
                field="contract",
            )
        before = locked.state
        changed = ["state"]
        if contract.pauses_sla:
            changed += sla_pause(locked, now)
        elif locked.paused_since is not None and before in PAUSED_STATES:
            changed += sla_resume(locked, now)  # waited for a part; the vendor's time counts
        locked.state = TicketState.WAITING_VENDOR
        locked.save(update_fields=sorted({*changed, "updated_at"}))
        handoff = VendorHandoff.objects.create(
            ticket=locked,
            contract=contract,
            vendor_reference=vendor_reference,
            sent_by=actor,
            sent_at=now,
            note=note,
        )
        text = _("Handed to %(vendor)s under contract %(number)s.") % {
            "vendor": contract.vendor,
            "number": contract.number,
        }
        if vendor_reference:
            text += " " + _("Vendor's ticket number: %(ref)s.") % {"ref": vendor_reference}
        event(locked, actor, text)
        audit_record(
            actor=actor,
            action="servicedesk.ticket.handed_to_vendor",
            obj=locked,
            changes={
                "state": [before, locked.state],
                "contract": contract.pk,
                "vendor_reference": vendor_reference,
                "clock_paused": contract.pauses_sla,
            },
        )
    ticket.state, ticket.paused_since = locked.state, locked.paused_since
    return handoff


def ticket_vendor_returned(*, actor, ticket: Ticket, note: str = "") -> VendorHandoff:
    """The vendor sent it back: the request is worked again and a stopped clock restarts."""
    if not may_hand_to_vendor(actor, ticket):
        raise PermissionDeniedError(
            _("Only the person it is assigned to, or who divides the work, records the return.")
        )
    note = (note or "").strip()[:2000]
    now = timezone.now()
    with transaction.atomic():
        locked = Ticket.objects.select_for_update().get(pk=ticket.pk)
        handoff = open_handoff(locked)
        if handoff is None:
            raise DomainError(_("The request is not with a vendor."), field="handoff")
        handoff.returned_at = now
        if note:
            handoff.note = f"{handoff.note}\n{note}".strip()
        handoff.save(update_fields=["returned_at", "note"])
        before = locked.state
        changed = []
        if locked.state == TicketState.WAITING_VENDOR:
            locked.state = TicketState.IN_PROGRESS
            changed = ["state", *sla_resume(locked, now)]
            locked.save(update_fields=sorted({*changed, "updated_at"}))
        event(
            locked,
            actor,
            _("Returned by %(vendor)s.") % {"vendor": handoff.contract.vendor}
            + (f" {note}" if note else ""),
        )
        audit_record(
            actor=actor,
            action="servicedesk.ticket.vendor_returned",
            obj=locked,
            changes={"state": [before, locked.state], "handoff": handoff.pk},
        )
    ticket.state, ticket.paused_since = locked.state, locked.paused_since
    return handoff
