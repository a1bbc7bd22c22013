"""Small builders for the dashboard and report tests (H-REPORTS): queues and requests made
directly as rows, so these tests do not depend on the request services' rules."""

import datetime
import itertools

from django.utils import timezone

from ..choices import Category, Channel, Priority, TicketState
from ..models import Queue, Ticket

QUEUE_UNITS = {
    "bilgi-islem-teknik-destek": ("Teknik Destek", ["hardware", "network", "wifi", "other"]),
    "bilgi-islem-sistem": ("Sistem", ["accounts", "esignature", "telephone", "screens"]),
    "bilgi-islem-yazilim": ("Yazılım", ["software", "website"]),
}

_numbers = itertools.count(1)


def ensure_queues(units) -> dict[str, Queue]:
    """The three Bilgi İşlem queues by unit code (reusing any already there)."""
    queues = {}
    for code, (name, categories) in QUEUE_UNITS.items():
        queues[code], _ = Queue.objects.get_or_create(
            unit=units[code], defaults={"name": name, "categories": categories}
        )
    return queues


def at(day: datetime.date, hour: int = 10, minute: int = 0) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def make_ticket(queue, *, created_at, state=TicketState.NEW, **fields) -> Ticket:
    number = next(_numbers) + 900000
    values = {
        "year": created_at.year,
        "number": number,
        "title": f"Request {number}",
        "description": "Printer does not print.",
        "category": Category.HARDWARE,
        "priority": Priority.NORMAL,
        "channel": Channel.WEB,
        "queue": queue,
        "state": state,
        "created_at": created_at,
    }
    values.update(fields)
    return Ticket.objects.create(**values)
