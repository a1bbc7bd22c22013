"""What the asset pages and the API read: the visible assets, filtered, and an asset's
history (its audit events)."""

from django.db.models import Q
from django.http import Http404

from bilgiislem.audit.models import AuditEvent

from .choices import AssetKind, AssetStatus
from .models import Asset, Room
from .querysets import AssetQuerySet


def assets_visible(person) -> AssetQuerySet:
    return AssetQuerySet(model=Asset).visible_to(person)


def asset_get_for_user(person, pk) -> Asset:
    """The asset if the person may see it, else 404 (never 403: its existence is private)."""
    asset = (
        assets_visible(person)
        .select_related("code", "room__site", "room__unit", "site", "store", "holder")
        .filter(pk=pk)
        .first()
    )
    if asset is None:
        raise Http404
    return asset


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def asset_filter(queryset, params) -> AssetQuerySet:
    """Filters of the list and the API: ``site``, ``room`` (location), ``status``, ``kind``,
    ``code`` (a code and everything under it), ``holder`` and ``q`` (sicil, serial, make,
    model). Unknown values are ignored rather than refused: a list URL stays usable."""
    site = _int(params.get("site"))
    if site is not None:
        # The site's rooms as a subquery, not a join: the list then walks the (status, id)
        # index newest first and stops at fifty rows (issue 7, assets.list_ratio).
        rooms = Room.objects.filter(site_id=site).values("id")
        queryset = queryset.filter(Q(room_id__in=rooms) | Q(site_id=site))
    room = params.get("room")
    if room == "store":
        queryset = queryset.filter(room__isnull=True, site__isnull=True)
    elif _int(room) is not None:
        queryset = queryset.filter(room_id=_int(room))
    status = params.get("status")
    if status in AssetStatus.values:
        queryset = queryset.filter(status=status)
    elif status != "all":
        queryset = queryset.exclude(status=AssetStatus.WRITTEN_OFF)
    kind = params.get("kind")
    if kind in AssetKind.values:
        queryset = queryset.filter(kind=kind)
    code = (params.get("code") or "").strip()
    if code:
        queryset = queryset.filter(Q(code__code=code) | Q(code__code__startswith=f"{code}."))
    holder = _int(params.get("holder"))
    if holder is not None:
        queryset = queryset.filter(holder_id=holder)
    text = (params.get("q") or "").strip()
    if text:
        queryset = queryset.filter(
            Q(sicil_no__istartswith=text)
            | Q(serial_number__iexact=text)
            | Q(make__icontains=text)
            | Q(model__icontains=text)
        )
    return queryset


def asset_history(asset: Asset):
    """The asset's audit events, oldest first (registration, corrections, moves, and what
    other services record on the asset itself)."""
    return (
        AuditEvent.objects.filter(object_type=Asset._meta.label_lower, object_id=str(asset.pk))
        .select_related("actor")
        .order_by("seq")
    )
