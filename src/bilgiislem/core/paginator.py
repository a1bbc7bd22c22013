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
