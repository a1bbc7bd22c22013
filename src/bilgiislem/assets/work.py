"""What waits for a person in the assets app, for "İşlerim" and the menu count.

``SOURCES`` is a list of small functions ``person -> list[WorkItem]``; each part of the app
adds its own with the ``@source`` decorator (needs to assess, items to acknowledge, reorder
warnings, expiry warnings …). ``work_items_for`` gathers them once per request.
"""

from django.core.cache import cache
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from bilgiislem.core.work import WorkItem

from . import permissions
from .choices import NeedState
from .models import Need

SOURCES: list = []
PER_GROUP = 50
COUNT_SECONDS = 60


def source(func):
    SOURCES.append(func)
    return func


def url_or_empty(name: str, *args) -> str:
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


@source
def needs_to_assess(person) -> list[WorkItem]:
    """Submitted needs wait for the Director or the Chief of Bilgi İşlem."""
    if not permissions.can_assess_needs(person):
        return []
    rows = (
        Need.objects.filter(state=NeedState.SUBMITTED)
        .select_related("unit")
        .order_by("submitted_at")[:PER_GROUP]
    )
    return [
        WorkItem(
            title=need.description,
            url=url_or_empty("assets:need-detail", need.pk),
            category=_("Needs to assess"),
            detail=f"{need.unit.name} · {need.year}",
        )
        for need in rows
    ]


@source
def ending_soon(person) -> list[WorkItem]:
    """Warranties, licences, contracts and data lines ending soon, for the Director and the
    Chief of Bilgi İşlem (H-DEVICES; services/expiry.py)."""
    from .services.expiry import expiry_work_items

    return expiry_work_items(person)


@source
def items_to_acknowledge(person) -> list[WorkItem]:
    """Items handed over to the person that they have not acknowledged yet (H-VIF)."""
    from .models import HandoverDocument

    rows = (
        HandoverDocument.objects.filter(
            receiver=person, acknowledged_at__isnull=True, returned_at__isnull=True
        )
        .select_related("asset__code")
        .order_by("issued_at")[:PER_GROUP]
    )
    return [
        WorkItem(
            title=f"{h.asset.sicil_no} {h.asset.code.title}",
            url=url_or_empty("assets:handover-detail", h.pk),
            category=_("Items to acknowledge"),
            detail=f"{h.year}/{h.number}",
        )
        for h in rows
    ]


def _qty(value) -> str:
    return str(int(value)) if value == int(value) else str(value)


@source
def custody_decisions(person) -> list[WorkItem]:
    """Requests for the Director to decide, approved ones for the kayıt yetkilisi to issue
    and VİF drafts to sign off (H-VIF)."""
    from .choices import RequestState, VifState
    from .models import AssetRequest, Vif

    items: list[WorkItem] = []
    if permissions.harcama_post(person):
        for r in AssetRequest.objects.filter(state=RequestState.REQUESTED).select_related(
            "unit", "code"
        )[:PER_GROUP]:
            items.append(
                WorkItem(
                    title=f"{r.code.title} × {_qty(r.quantity)}",
                    url=url_or_empty("assets:request-detail", r.pk),
                    category=_("Requests for items to decide"),
                    detail=r.unit.name,
                )
            )
    if permissions.kayit_post(person):
        for r in AssetRequest.objects.filter(state=RequestState.APPROVED).select_related(
            "unit", "code"
        )[:PER_GROUP]:
            items.append(
                WorkItem(
                    title=f"{r.code.title} × {_qty(r.quantity)}",
                    url=url_or_empty("assets:request-detail", r.pk),
                    category=_("Approved requests to hand over"),
                    detail=r.unit.name,
                )
            )
        for vif in Vif.objects.filter(state=VifState.DRAFT).order_by("prepared_at")[:PER_GROUP]:
            items.append(
                WorkItem(
                    title=f"{vif.get_kind_display()} · {vif.supporting_reference}",
                    url=url_or_empty("assets:vif-detail", vif.pk),
                    category=_("VİF drafts to sign off"),
                    detail=vif.date.strftime("%d.%m.%Y"),
                )
            )
    return items


@source
def stock_to_reorder(person) -> list[WorkItem]:
    """Consumables at or under their minimum level, for the kayıt yetkilisi and the Director
    (H-STOCK; services/stock.py)."""
    from .services.stock import items_to_reorder

    if not (permissions.kayit_post(person) or permissions.harcama_post(person)):
        return []
    return [
        WorkItem(
            title=item.name,
            url=url_or_empty("assets:stock-item", item.pk),
            category=_("Consumables to reorder"),
            detail=_("%(left)s %(unit)s left, minimum %(minimum)s")
            % {
                "left": _qty(item.on_hand),
                "unit": item.unit_of_measure,
                "minimum": _qty(item.minimum_level),
            },
        )
        for item in items_to_reorder().order_by("name")[:PER_GROUP]
    ]


@source
def writeoffs_to_decide(person) -> list[WorkItem]:
    """Write-off proposals wait for the Director's decision (H-STOCK; services/writeoff.py)."""
    from .choices import WriteOffState
    from .models import WriteOff

    if not permissions.harcama_post(person):
        return []
    rows = (
        WriteOff.objects.filter(state=WriteOffState.PROPOSED)
        .select_related("commission")
        .order_by("proposed_at")[:PER_GROUP]
    )
    return [
        WorkItem(
            # A write-off on a report has no commission: the report names it.
            title=f"{w.get_reason_display()} · {w.commission or w.loss_report}",
            url=url_or_empty("assets:writeoff-detail", w.pk),
            category=_("Write-offs to decide"),
            detail=w.proposed_at.strftime("%d.%m.%Y"),
        )
        for w in rows
    ]


def work_items_for(person) -> list[WorkItem]:
    cached = getattr(person, "_bi_assets_work", None)
    if cached is not None:
        return cached
    items: list[WorkItem] = []
    if getattr(person, "is_authenticated", False) and person.is_active:
        for func in SOURCES:
            items.extend(func(person))
    person._bi_assets_work = items
    return items


def _count_key(person) -> str:
    return f"bilgiislem:assets-count:{person.pk}"


def waiting_count(person) -> int:
    """The menu count of the "Taşınırlar" section, at most a minute old."""
    items = getattr(person, "_bi_assets_work", None)
    if items is None:
        count = cache.get(_count_key(person))
        if count is not None:
            return count
        items = work_items_for(person)
    cache.set(_count_key(person), len(items), COUNT_SECONDS)
    return len(items)


@source
def counts_in_progress(person) -> list[WorkItem]:
    """Counts not closed yet, for the members of their board (H-COUNT)."""
    from .choices import CountState
    from .models import Count

    rows = (
        Count.objects.filter(board__members=person)
        .exclude(state=CountState.CLOSED)
        .select_related("board")
        .order_by("started_at")[:PER_GROUP]
    )
    return [
        WorkItem(
            title=f"{count.board.name} {count.year}",
            url=url_or_empty("assets:count-detail", count.pk),
            category=_("Counts in progress"),
            detail=count.get_state_display(),
        )
        for count in rows
    ]


@source
def loans_overdue(person) -> list[WorkItem]:
    """Loans (emanet) not back by their due date, for the kayıt yetkilisi (H-LOANS)."""
    from .services.loans import overdue_loans

    if not permissions.kayit_post(person):
        return []
    return [
        WorkItem(
            title=f"{loan.asset.sicil_no} → {loan.borrower}",
            url=url_or_empty("assets:loan-detail", loan.pk),
            category=_("Overdue loans"),
            due=loan.due_on,
            detail=_("Due %(date)s") % {"date": loan.due_on.strftime("%d.%m.%Y")},
        )
        for loan in overdue_loans()[:PER_GROUP]
    ]


@source
def store_handovers_to_accept(person) -> list[WorkItem]:
    """Ambar Devir ve Teslim Tutanakları waiting for the incoming person (H-DOCS)."""
    from .choices import StoreHandoverState
    from .models import StoreHandover

    rows = (
        StoreHandover.objects.filter(received_by=person, state=StoreHandoverState.PREPARED)
        .select_related("store")
        .order_by("prepared_at")[:PER_GROUP]
    )
    return [
        WorkItem(
            title=h.store.name,
            url=url_or_empty("assets:store-handover-detail", h.pk),
            category=_("Store handovers to accept"),
            detail=f"{h.year}/{h.number}",
        )
        for h in rows
    ]


@source
def receipts_waiting(person) -> list[WorkItem]:
    """Goods on a Geçici Alındı waiting for their acceptance, for the kayıt yetkilisi (H-DOCS)."""
    from .choices import ReceiptState
    from .models import TemporaryReceipt

    if not permissions.kayit_post(person):
        return []
    rows = TemporaryReceipt.objects.filter(state=ReceiptState.OPEN).order_by("received_on", "pk")
    return [
        WorkItem(
            title=r.supplier,
            url=url_or_empty("assets:receipt-detail", r.pk),
            category=_("Goods waiting for acceptance"),
            detail=f"{r.year}/{r.number} · {r.received_on.strftime('%d.%m.%Y')}",
        )
        for r in rows[:PER_GROUP]
    ]


@source
def writeoff_year_report_due(person) -> list[WorkItem]:
    """In January the consolidated write-off report on last year goes to the top manager
    (art. 10/1-e): a reminder for the Director (H-BOARDS)."""
    from django.utils import timezone

    today = timezone.localdate()
    if today.month != 1 or not permissions.harcama_post(person):
        return []
    return [
        WorkItem(
            title=_("Yearly write-off report %(year)s") % {"year": today.year - 1},
            url=url_or_empty("assets:writeoff-year-report", today.year - 1),
            category=_("Write-offs to decide"),
            detail=f"31.01.{today.year}",
        )
    ]
