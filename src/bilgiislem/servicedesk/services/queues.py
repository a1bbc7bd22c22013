"""The units' work queues (Teknik Destek, Sistem, Yazılım; RYY art. 7(4)) and the set-up.

A queue names the request categories that land in it; whatever no queue names goes to
Teknik Destek (services/tickets.py ``queue_for``). Only the desk's heads set queues up.
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from ..choices import Category
from ..models import Queue, ServiceAgreement
from ..permissions import is_desk_head

# unit code → (queue name, categories routed there)
QUEUE_SPECS = {
    "bilgi-islem-teknik-destek": ("Teknik Destek", ["hardware", "telephone", "screens", "other"]),
    "bilgi-islem-sistem": ("Sistem", ["network", "wifi", "accounts", "esignature"]),
    "bilgi-islem-yazilim": ("Yazılım", ["software", "website"]),
}
# priority → (response, resolution) in working minutes; a working day is 540 minutes.
INTERNAL_TARGETS = {
    "urgent": (30, 240),
    "high": (60, 540),
    "normal": (240, 1620),
    "low": (540, 2700),
}


def queue_save(*, actor, unit, name: str, categories, active: bool = True) -> Queue:
    """Create or change a unit's queue (one per unit)."""
    if not is_desk_head(actor):
        raise PermissionDeniedError(_("Only the Director or the Chief sets up queues."))
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the queue a name."), field="name")
    categories = list(categories or [])
    if any(c not in Category.values for c in categories):
        raise DomainError(_("Choose categories from the list."), field="categories")
    with transaction.atomic():
        queue = Queue.objects.select_for_update().filter(unit=unit).first()
        before = (
            {"name": queue.name, "categories": queue.categories, "active": queue.active}
            if queue
            else {}
        )
        after = {"name": name, "categories": categories, "active": bool(active)}
        if before == after:
            return queue
        if queue is None:
            queue = Queue.objects.create(unit=unit, **after)
        else:
            for field, value in after.items():
                setattr(queue, field, value)
            queue.save(update_fields=list(after))
        audit_record(
            actor=actor,
            action="servicedesk.queue.saved",
            obj=queue,
            changes={k: [before.get(k), v] for k, v in after.items() if before.get(k) != v},
        )
    return queue


def queue_specs() -> dict:
    """unit code → (queue name, categories): ``BILGIISLEM_SERVICEDESK_QUEUES`` or the three
    Karasu Bilgi İşlem units."""
    return getattr(settings, "BILGIISLEM_SERVICEDESK_QUEUES", None) or QUEUE_SPECS


def desk_set_up(*, actor, specs: dict | None = None) -> dict:
    """The production set-up: a queue for each configured unit and the default internal
    agreement with the default targets. An unknown unit code refuses everything (nothing is
    written); running it again changes nothing (existing queues are left as people set them)."""
    from bilgiislem.organization.models import OrgUnit

    from .agreements import agreement_create

    specs = queue_specs() if specs is None else specs
    units = {u.code: u for u in OrgUnit.objects.filter(code__in=list(specs))}
    unknown = sorted(set(specs) - set(units))
    if unknown:
        raise DomainError(
            _("No unit with the code %(codes)s.") % {"codes": ", ".join(unknown)}, field="unit"
        )
    made = {"queues": 0, "agreements": 0}
    with transaction.atomic():
        for code, (name, categories) in specs.items():
            if Queue.objects.filter(unit=units[code]).exists():
                continue
            queue_save(actor=actor, unit=units[code], name=name, categories=categories)
            made["queues"] += 1
        if not ServiceAgreement.objects.filter(is_internal_default=True).exists():
            agreement_create(
                actor=actor,
                title="Belediye birimleri iç hizmet sözleşmesi",
                is_internal_default=True,
                valid_from=datetime.date(datetime.date.today().year, 1, 1),
                targets=INTERNAL_TARGETS,
            )
            made["agreements"] += 1
    return made
