"""Shared service desk fixtures: the three queues, the internal agreement, a ticket factory.

``ticket_factory`` writes Ticket rows directly (no services, no SLA clock), so the SLA,
report and partner tests can build exactly the state they need; tests of the request flow
create requests through ``ticket_create`` instead.
"""

import datetime

import pytest
from django.db.models import Max
from django.utils import timezone

from bilgiislem.servicedesk.services.queues import INTERNAL_TARGETS, QUEUE_SPECS


@pytest.fixture
def queues(db, units):
    """The three queues by short name: ``queues["teknik"]``, ``["sistem"]``, ``["yazilim"]``."""
    from bilgiislem.servicedesk.models import Queue

    made = {}
    for code, (name, categories) in QUEUE_SPECS.items():
        queue, _created = Queue.objects.update_or_create(
            unit=units[code], defaults={"name": name, "categories": categories, "active": True}
        )
        made[code.removeprefix("bilgi-islem-").replace("-destek", "")] = queue
    return made


@pytest.fixture
def internal_agreement(db, people):
    """The default agreement for municipal units, with targets for every priority."""
    from bilgiislem.servicedesk.models import AgreementTarget, ServiceAgreement

    agreement = ServiceAgreement.objects.create(
        is_internal_default=True,
        title="Belediye birimleri için iç hizmet sözleşmesi",
        valid_from=datetime.date(2024, 1, 1),
        created_by=people["mudur"],
    )
    AgreementTarget.objects.bulk_create(
        AgreementTarget(agreement=agreement, priority=p, response_minutes=r, resolution_minutes=res)
        for p, (r, res) in INTERNAL_TARGETS.items()
    )
    return agreement


@pytest.fixture
def ticket_factory(db, queues, people, units):
    """``ticket_factory(**fields)``: a Ticket row written directly. Defaults: asked by
    ``yaziisleri`` for Yazı İşleri, hardware, normal priority, new, in Teknik Destek."""
    from bilgiislem.servicedesk.models import Ticket

    def make(**fields):
        now = fields.pop("created_at", None) or timezone.now()
        year = fields.pop("year", now.year)
        number = fields.pop("number", None)
        if number is None:
            top = Ticket.objects.filter(year=year).aggregate(m=Max("number"))["m"] or 0
            number = top + 1
        if "requester" not in fields and "organization" not in fields:
            fields["requester"] = people["yaziisleri"]
            fields.setdefault("requester_unit", units["yazi-isleri"])
        fields.setdefault("queue", queues["teknik"])
        fields.setdefault("title", f"Talep {number}")
        fields.setdefault("description", "Yazıcı çıktı vermiyor.")
        fields.setdefault("category", "hardware")
        fields.setdefault("channel", "web")
        return Ticket.objects.create(year=year, number=number, created_at=now, **fields)

    return make


def tr(message: str) -> str:
    """A message as the Turkish-first UI and API show it (the catalogue's translation), so
    that the tests check the message whatever the catalogue says."""
    from django.utils import translation

    with translation.override("tr"):
        return translation.gettext(message)
