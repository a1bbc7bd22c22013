"""Reads for the "İşlerim" (my work) page and the menu counts."""

import dataclasses
import datetime
import itertools

from django.core.cache import cache
from django.utils import timezone

from bilgiislem.core.work import WorkItem
from bilgiislem.organization.permissions import EffectivePost, effective_posts

_SELECTORS_MODULE = "bilgiislem.organization.selectors"
_REGISTRY_WORK_MODULE = "bilgiislem.registry.work"
_CORRESPONDENCE_WORK_MODULE = "bilgiislem.correspondence.work"


def _work_items_source():
    """``organization.selectors.work_items_for``, or None while that module is not written yet.

    Only a missing module or name is tolerated; any other import error is a real bug and
    must surface.
    """
    try:
        from bilgiislem.organization.selectors import work_items_for
    except ImportError as exc:
        if exc.name == _SELECTORS_MODULE:
            return None
        raise
    return work_items_for


def _registry_work_items_source():
    """``registry.work.work_items_for`` (documents routed, custody, overdue), tolerated
    missing in the same way."""
    try:
        from bilgiislem.registry.work import work_items_for
    except ImportError as exc:
        if exc.name == _REGISTRY_WORK_MODULE:
            return None
        raise
    return work_items_for


def _correspondence_work_items_source():
    """``correspondence.work.work_items_for`` (letters to paraf or sign, returned drafts),
    tolerated missing in the same way."""
    try:
        from bilgiislem.correspondence.work import work_items_for
    except ImportError as exc:
        if exc.name == _CORRESPONDENCE_WORK_MODULE:
            return None
        raise
    return work_items_for


def work_items(user) -> list[WorkItem]:
    """Everything waiting for the person, soonest due first (undated last).

    Cached on the user object for the request: the menu count and the page both need it.
    """
    cached = getattr(user, "_bi_work_items", None)
    if cached is None:
        items = []
        sources = (
            _work_items_source(),
            _registry_work_items_source(),
            _correspondence_work_items_source(),
        )
        for source in sources:
            if source is not None:
                items.extend(source(user))
        far = datetime.date.max
        cached = sorted(items, key=lambda item: (item.due or far, str(item.title)))
        user._bi_work_items = cached
        cache.set(_count_key(user), len(cached), WORK_COUNT_SECONDS)
    return cached


# The menu shows the İşlerim count on every page. Gathering the items costs a dozen queries,
# so other pages reuse the count for a minute; the İşlerim page itself is always exact.
WORK_COUNT_SECONDS = 60


def _count_key(user) -> str:
    return f"bilgiislem:work-count:{user.pk}"


def work_count(user) -> int:
    """The number of items waiting for the person, at most a minute old."""
    if getattr(user, "_bi_work_items", None) is not None:
        return len(user._bi_work_items)
    count = cache.get(_count_key(user))
    return count if count is not None else len(work_items(user))


@dataclasses.dataclass(frozen=True)
class WorkGroup:
    category: str
    items: list[WorkItem]
    overdue: int


def work_groups(user, today: datetime.date | None = None) -> list[WorkGroup]:
    """Work items grouped by category; the group with the most urgent item comes first."""
    today = today or timezone.localdate()
    items = work_items(user)
    order: dict[str, int] = {}
    for index, item in enumerate(items):
        order.setdefault(str(item.category), index)
    grouped = sorted(items, key=lambda item: order[str(item.category)])
    groups = []
    for category, members in itertools.groupby(grouped, key=lambda item: str(item.category)):
        group = list(members)
        overdue = sum(1 for item in group if item.is_overdue(today))
        groups.append(WorkGroup(category=category, items=group, overdue=overdue))
    return groups


def posts_for(user) -> list[EffectivePost]:
    """The posts shown at the top of the page: held ones and those acted for (with "V.")."""
    return effective_posts(user)
