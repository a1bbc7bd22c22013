"""Warnings before a warranty, a licence, a maintenance contract or a data line's contract
ends (issue 7 point 7). What ends within BILGIISLEM_ASSET_EXPIRY_WARN_DAYS days (default 60)
is listed for the Director and the Chief on İşlerim, and a daily task mails them the list
when it is not empty (written-off assets are left out: their warranty no longer matters)."""

from __future__ import annotations

import dataclasses
import datetime

from django.conf import settings
from django.core.mail import send_mail
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.servicedesk.models import VendorContract

from ..choices import AssetStatus
from ..models import Asset, DataLine, License


def warn_days() -> int:
    return getattr(settings, "BILGIISLEM_ASSET_EXPIRY_WARN_DAYS", 60)


@dataclasses.dataclass(frozen=True)
class Expiry:
    kind: str  # warranty, licence, contract, dataline
    label: str
    ends_on: datetime.date
    pk: int

    @property
    def kind_display(self) -> str:
        return {
            "warranty": _("Warranty"),
            "licence": _("Software licence"),
            "contract": _("Maintenance contract"),
            "dataline": _("Leased data line"),
        }[self.kind]


def expiring(today: datetime.date | None = None) -> list[Expiry]:
    """Everything ending between today and today + warn_days(), soonest first."""
    today = today or timezone.localdate()
    until = today + datetime.timedelta(days=warn_days())
    found: list[Expiry] = []
    assets = (
        Asset.objects.exclude(status=AssetStatus.WRITTEN_OFF)
        .filter(warranty_until__range=(today, until))
        .values_list("pk", "sicil_no", "make", "model", "warranty_until")[:200]
    )
    found += [
        Expiry("warranty", f"{sicil} {make} {model}".strip(), ends, pk)
        for pk, sicil, make, model, ends in assets
    ]
    licences = License.objects.filter(valid_until__range=(today, until)).values_list(
        "pk", "product", "valid_until"
    )
    found += [Expiry("licence", product, ends, pk) for pk, product, ends in licences]
    contracts = VendorContract.objects.filter(valid_until__range=(today, until)).values_list(
        "pk", "vendor", "number", "valid_until"
    )
    found += [
        Expiry("contract", f"{vendor} {number}", ends, pk) for pk, vendor, number, ends in contracts
    ]
    lines = DataLine.objects.filter(ends_on__range=(today, until)).values_list(
        "pk", "provider", "circuit_id", "ends_on"
    )
    found += [Expiry("dataline", f"{p} {c}", ends, pk) for pk, p, c, ends in lines]
    found.sort(key=lambda e: (e.ends_on, e.kind, e.label))
    return found


def expiry_notify(today: datetime.date | None = None) -> int:
    """Mail the Director and the Chief of Bilgi İşlem the list (the daily task). Returns how
    many items were listed (0: nothing was sent)."""
    from bilgiislem.organization import permissions as org
    from bilgiislem.organization.choices import PositionKind
    from bilgiislem.organization.models import Person, PositionHolding

    today = today or timezone.localdate()
    items = expiring(today)
    if not items:
        return 0
    heads = Person.objects.filter(
        is_active=True,
        holdings__in=PositionHolding.objects.active_on(today).filter(
            position__unit_id__in=org.system_owner_unit_ids(),
            position__kind__in=[PositionKind.MUDUR, PositionKind.SEF],
        ),
    ).exclude(email="")
    recipients = sorted({p.email for p in heads})
    if recipients:
        body = "\n".join(f"{e.ends_on:%d.%m.%Y}  {e.kind_display}: {e.label}" for e in items)
        send_mail(
            _("Ending within %(days)d days: %(n)d items") % {"days": warn_days(), "n": len(items)},
            body,
            None,
            recipients,
        )
    return len(items)


def _url(expiry: Expiry) -> str:
    from django.urls import NoReverseMatch, reverse

    names = {
        "warranty": ("assets:asset-detail", [expiry.pk]),
        "licence": ("assets:licenses", []),
        "contract": ("assets:contracts", []),
        "dataline": ("assets:data-lines", []),
    }
    name, args = names[expiry.kind]
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def expiry_work_items(person) -> list:
    """For İşlerim: what ends soon, for the Director and the Chief of Bilgi İşlem."""
    from bilgiislem.core.work import WorkItem

    from ._heads import is_head

    if not is_head(person):
        return []
    category = _("Ending soon (warranty, licence, contract, line)")
    return [
        WorkItem(
            title=f"{e.kind_display}: {e.label}",
            url=_url(e),
            category=category,
            due=e.ends_on,
            detail=_("ends on %(date)s") % {"date": e.ends_on.strftime("%d.%m.%Y")},
        )
        for e in expiring()
    ]
