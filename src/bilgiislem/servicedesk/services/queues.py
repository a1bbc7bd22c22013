"""The units' work queues (Teknik Destek, Sistem, Yazılım; RYY art. 7(4)) and the demo set-up.

A queue names the request categories that land in it; whatever no queue names goes to
Teknik Destek (services/tickets.py ``queue_for``). Only the desk's heads set queues up.
"""

from __future__ import annotations

import datetime

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


def desk_demo_set_up(*, actor) -> dict:
    """The demo service desk: the three queues, the default internal agreement and two
    partner organisations (Kaymakamlık, Tapu) with agreements. Running it again changes
    nothing."""
    from bilgiislem.organization.models import OrgUnit

    from .agreements import agreement_create, partner_org_create

    made = {"queues": 0, "agreements": 0, "partners": 0}
    for code, (name, categories) in QUEUE_SPECS.items():
        unit = OrgUnit.objects.filter(code=code).first()
        if unit is None:
            continue
        existed = Queue.objects.filter(unit=unit).exists()
        queue_save(actor=actor, unit=unit, name=name, categories=categories)
        made["queues"] += not existed
    start = datetime.date(datetime.date.today().year, 1, 1)
    if not ServiceAgreement.objects.filter(is_internal_default=True).exists():
        agreement_create(
            actor=actor,
            title="Belediye birimleri iç hizmet sözleşmesi",
            is_internal_default=True,
            valid_from=start,
            targets=INTERNAL_TARGETS,
        )
        made["agreements"] += 1
    partners = [
        {
            "name": "Karasu Kaymakamlığı",
            "kind": "kaymakamlik",
            "email_domain": "karasu.gov.tr",
            "targets": {"high": (120, 1080), "normal": (480, 2700), "low": (1080, 5400)},
            "categories": ["hardware", "network", "software", "esignature"],
        },
        {
            "name": "Karasu Tapu Müdürlüğü",
            "kind": "tapu",
            "email_domain": "tkgm.gov.tr",
            "targets": {"high": (240, 1620), "normal": (540, 5400)},
            "categories": ["hardware", "network"],
        },
    ]
    from ..models import PartnerOrganization

    for spec in partners:
        if PartnerOrganization.objects.filter(name=spec["name"]).exists():
            continue
        organization = partner_org_create(
            actor=actor, name=spec["name"], kind=spec["kind"], email_domain=spec["email_domain"]
        )
        agreement_create(
            actor=actor,
            title=f"{spec['name']} hizmet protokolü",
            organization=organization,
            valid_from=start,
            valid_until=datetime.date(start.year + 1, 12, 31),
            categories=spec["categories"],
            targets=spec["targets"],
        )
        made["partners"] += 1
        made["agreements"] += 1
    return made
