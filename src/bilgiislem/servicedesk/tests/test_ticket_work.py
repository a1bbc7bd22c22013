"""İşlerim items of the service desk and the menu count."""

from django.urls import reverse
from django.utils import translation

from bilgiislem.servicedesk.services import ticket_flow as flow
from bilgiislem.servicedesk.services.tickets import ticket_create
from bilgiislem.servicedesk.work import waiting_count, work_items_for


def _fresh(person):
    from bilgiislem.organization.models import Person

    return Person.objects.get(pk=person.pk)


def _titles(person):
    with translation.override("en"):  # the categories are compared by their English msgid
        return {(str(i.category), i.title) for i in work_items_for(_fresh(person))}


def test_work_follows_the_request(queues, internal_agreement, people):
    ticket = ticket_create(
        actor=people["yaziisleri"], title="Yazıcı", description="Bozuk.", category="hardware"
    )
    label = f"{ticket.number_label} Yazıcı"
    # Nobody heads Teknik Destek in the demo data: the Chief divides its work.
    assert ("Support requests to assign", label) in _titles(people["sef"])
    assert waiting_count(_fresh(people["memur"])) == 0
    flow.ticket_assign(actor=people["sef"], ticket=ticket, assignee=people["memur"])
    assert ("Support requests assigned to me", label) in _titles(people["memur"])
    assert ("Support requests to assign", label) not in _titles(people["sef"])
    flow.ticket_start(actor=people["memur"], ticket=ticket)
    flow.ticket_pause(actor=people["memur"], ticket=ticket, reason="requester", note="Model?")
    assert ("My support requests waiting for my answer", label) in _titles(people["yaziisleri"])
    flow.ticket_resume(actor=people["memur"], ticket=ticket)
    flow.ticket_resolve(actor=people["memur"], ticket=ticket, resolution="Oldu.")
    assert ("My support requests to confirm", label) in _titles(people["yaziisleri"])
    assert _titles(people["memur"]) == set()


def test_acceptance_and_escalation_reach_the_heads(queues, people):
    ticket = ticket_create(
        actor=people["yaziisleri"], title="Ağ", description="Yok.", category="network"
    )  # no internal agreement: needs acceptance
    label = f"{ticket.number_label} Ağ"
    assert ("Support requests needing acceptance", label) in _titles(people["mudur"])
    assert ("Support requests needing acceptance", label) not in _titles(people["memur"])
    ticket.escalation_level = 2
    ticket.save(update_fields=["escalation_level"])
    assert ("Support requests escalated to me", label) in _titles(people["mudur"])
    assert ("Support requests escalated to me", label) in _titles(people["sef"])


def test_home_page_lists_the_work(queues, internal_agreement, people, client_as):
    ticket = ticket_create(
        actor=people["yaziisleri"], title="Yazıcı", description="Bozuk.", category="hardware"
    )
    page = client_as("sef").get(reverse("accounts:home")).content.decode()
    assert reverse("servicedesk:ticket-detail", args=[ticket.pk]) in page
