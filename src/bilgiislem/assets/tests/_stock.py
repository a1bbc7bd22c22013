"""Helpers of the stock and write-off tests: a consumable with lots, a service-desk request."""

from django.db.models import Max
from django.utils import timezone

from bilgiislem.assets.services import stock


def receive(kayit, store, item, quantity, price, *, on=None):
    """Receive ``quantity`` of ``item`` at ``price`` on a purchase VİF signed off at once."""
    on = on or timezone.localdate()
    return stock.stock_receive(
        actor=kayit,
        store=store,
        date=on,
        supporting_reference="Fatura A-1",
        supporting_date=on,
        lines=[{"item": item, "quantity": quantity, "unit_price": price}],
    )


def make_ticket(people, units, *, requester="yaziisleri", unit="yazi-isleri"):
    """A request in the Teknik Destek queue, written directly (no SLA clock)."""
    from bilgiislem.servicedesk.models import Queue, Ticket

    queue, _created = Queue.objects.get_or_create(
        unit=units["bilgi-islem-teknik-destek"],
        defaults={"name": "Teknik Destek", "categories": ["hardware"]},
    )
    year = timezone.localdate().year
    top = Ticket.objects.filter(year=year).aggregate(m=Max("number"))["m"] or 0
    return Ticket.objects.create(
        year=year,
        number=top + 1,
        title="Yazıcı toneri bitti",
        description="Toner",
        category="hardware",
        channel="web",
        queue=queue,
        requester=people[requester],
        requester_unit=units[unit],
        created_at=timezone.now(),
    )
