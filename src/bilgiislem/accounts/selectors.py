"""Reads for the "İşlerim" (my work) page and the menu counts."""

import dataclasses
import datetime
import importlib
import itertools

from django.core.cache import cache
from django.utils import timezone

from bilgiislem.core.work import WorkItem
from bilgiislem.organization.permissions import EffectivePost, effective_posts

# Every app that has work waiting for people offers ``work_items_for(person)`` in one of these
# modules; accounts (the top layer) gathers them without the apps knowing about each other.
WORK_SOURCES = (
    "bilgiislem.organization.selectors",
    "bilgiislem.registry.work",
    "bilgiislem.correspondence.work",
    "bilgiislem.archive.work",
    "bilgiislem.archive.work_disposal",
    "bilgiislem.archive.work_fixity",
    "bilgiislem.servicedesk.work",
    "bilgiislem.assets.work",
)


def _work_sources():
    """The ``work_items_for`` functions of WORK_SOURCES.

    Only a missing module is tolerated (an app not installed in this deployment); any other
    import error is a real bug and must surface.
    """
    found = []
    for module_name in WORK_SOURCES:
        try:
            module = importlib.import_module(module_name)
        except ImportError as exc:
            if exc.name == module_name:
                continue
            raise
        found.append(module.work_items_for)
    return found


def work_items(user) -> list[WorkItem]:
    """Everything waiting for the person, soonest due first (undated last).

    Cached on the user object for the request: the menu count and the page both need it.
    """
    cached = getattr(user, "_bi_work_items", None)
    if cached is None:
        items = []
        for source in _work_sources():
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
