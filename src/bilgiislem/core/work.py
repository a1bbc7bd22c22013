"""Work items: what waits for a person, gathered from every app for the "İşlerim" page."""

import dataclasses
import datetime


@dataclasses.dataclass(frozen=True)
class WorkItem:
    """One thing waiting for someone. ``category`` groups items on the page."""

    title: str
    url: str
    category: str
    due: datetime.date | None = None
    detail: str = ""
    acting_for: str = ""  # the post label when the item reaches the person through vekalet

    def is_overdue(self, today: datetime.date) -> bool:
        return self.due is not None and self.due < today
