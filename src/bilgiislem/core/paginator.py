"""Paging lists that may hold a million rows."""

from django.core.paginator import Paginator
from django.utils.functional import cached_property


class CappedPaginator(Paginator):
    """Counts at most ``cap`` rows, so page 1 of a huge registry costs no full COUNT(*).

    Nobody pages through more than a few thousand rows; past the cap the list says "cap+"
    and people narrow the filters instead.
    """

    def __init__(self, object_list, per_page, *, cap=10_000, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.cap = cap

    @cached_property
    def count(self):
        sliced = self.object_list[: self.cap + 1]
        try:
            return sliced.count()  # a queryset: SELECT COUNT(*) FROM (… LIMIT cap + 1)
        except TypeError:
            return len(sliced)  # a plain list

    @property
    def is_capped(self) -> bool:
        return self.count > self.cap


class PeekPage:
    """One page of a list that shows only "previous" and "next": it reads ``per_page + 1``
    rows to know whether a next page exists and never counts, so page 1 of a list of
    200,000 rows costs one indexed query."""

    def __init__(self, queryset, number, per_page: int):
        try:
            self.number = max(int(number), 1)
        except (TypeError, ValueError):
            self.number = 1
        start = (self.number - 1) * per_page
        rows = list(queryset[start : start + per_page + 1])
        self.has_next = len(rows) > per_page
        self.object_list = rows[:per_page]
        self.has_previous = self.number > 1

    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    def next_page_number(self) -> int:
        return self.number + 1

    def previous_page_number(self) -> int:
        return self.number - 1
