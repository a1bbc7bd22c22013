"""The demo set-up wired into ``make run``: queues, agreements, partners; idempotent."""

import io

from django.core.management import call_command

from bilgiislem.servicedesk.models import PartnerOrganization, Queue, ServiceAgreement
from bilgiislem.servicedesk.services.tickets import ticket_create


def test_servicedesk_demo_sets_up_once(db, people):
    call_command("servicedesk_demo", stdout=io.StringIO())
    call_command("servicedesk_demo", stdout=io.StringIO())
    assert sorted(Queue.objects.values_list("name", flat=True)) == [
        "Sistem",
        "Teknik Destek",
        "Yazılım",
    ]
    assert ServiceAgreement.objects.filter(is_internal_default=True).count() == 1
    assert PartnerOrganization.objects.count() == 2
    assert ServiceAgreement.objects.filter(organization__isnull=False).count() == 2
    # A municipal request runs under the internal agreement straight away.
    ticket = ticket_create(
        actor=people["yaziisleri"], title="Ağ", description="Yok.", category="network"
    )
    assert ticket.queue.name == "Sistem" and ticket.agreement.is_internal_default
