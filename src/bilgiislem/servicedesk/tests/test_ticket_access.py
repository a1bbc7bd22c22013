"""The authorization matrix (issue 6, "Access"): requester, the requester's unit head, another
unit, a partner of another organisation, a technician of another queue, the queue's
technician, the Chief — on the page, the API, the lists and an action. Everyone who may not
see a request gets 404, and nothing changes."""

import pytest
from django.urls import reverse

from bilgiislem.organization.models import Person
from bilgiislem.servicedesk.choices import TicketState
from bilgiislem.servicedesk.models import PartnerMember, PartnerOrganization, Ticket
from bilgiislem.servicedesk.services.tickets import ticket_create

SEES = {
    "yaziisleri": True,  # the requester
    "yaziisleri.mudur": True,  # leads the requesting unit
    "by2": False,  # another unit (Başkan Yardımcısı of other directorates)
    "kalem": False,  # Bilgi İşlem, but not a queue's unit
    "partner": False,  # a partner of another organisation
    "yazilim": False,  # technician of another queue (Yazılım)
    "memur": True,  # technician of the request's queue (Teknik Destek)
    "sef": True,  # the Chief
    "mudur": True,  # the Director
}


@pytest.fixture
def world(queues, internal_agreement, people):
    school = PartnerOrganization.objects.create(name="Karasu Lisesi", kind="school")
    other = PartnerOrganization.objects.create(name="Yalı Muhtarlığı", kind="muhtarlik")
    partner = Person.objects.create_user("muhtar", password="x")
    PartnerMember.objects.create(organization=other, person=partner)
    people["partner"] = partner
    staff = ticket_create(
        actor=people["yaziisleri"], title="Yazıcı", description="Bozuk.", category="hardware"
    )
    school_ticket = ticket_create(
        actor=people["memur"],
        organization=school,
        contact_name="Okul Müdürü",
        title="Okul ağı",
        description="Yok.",
        category="hardware",
        channel="phone",
    )
    return {"staff": staff, "school": school_ticket, "partner": partner}


def _client(client, people, who):
    client.force_login(people[who])
    return client


@pytest.mark.parametrize("who", sorted(SEES))
def test_page_api_list_and_action(world, client, people, who):
    ticket = world["staff"]
    c = _client(client, people, who)
    expected = 200 if SEES[who] else 404
    assert c.get(reverse("servicedesk:ticket-detail", args=[ticket.pk])).status_code == expected
    api = c.get(f"/api/servicedesk/tickets/{ticket.pk}/")
    assert api.status_code == expected
    listed = {row["id"] for row in c.get("/api/servicedesk/tickets/").json()["results"]}
    assert (ticket.pk in listed) is SEES[who]
    if not SEES[who]:
        # An action on a request one cannot see is 404 too, and changes nothing.
        url = reverse("servicedesk:ticket-action", args=[ticket.pk, "cancel"])
        assert c.post(url, {"cancel-reason": "x"}).status_code == 404
        assert c.post(f"/api/servicedesk/tickets/{ticket.pk}/take/").status_code == 404
        assert Ticket.objects.get(pk=ticket.pk).state == TicketState.NEW


def test_partner_sees_only_its_organisation(world, client, people):
    c = _client(client, people, "partner")
    school = world["school"]
    assert c.get(reverse("servicedesk:ticket-detail", args=[school.pk])).status_code == 404
    assert c.get(f"/api/servicedesk/tickets/{school.pk}/").status_code == 404
    assert c.get("/api/servicedesk/tickets/").json()["results"] == []


def test_visible_but_not_allowed_is_403(world, client, people):
    ticket = world["staff"]
    # The unit head sees the request but does not work it.
    c = _client(client, people, "yaziisleri.mudur")
    assert c.post(f"/api/servicedesk/tickets/{ticket.pk}/take/").status_code == 403
    response = c.post(
        f"/api/servicedesk/tickets/{ticket.pk}/messages/",
        {"text": "not mine", "internal": True},
        content_type="application/json",
    )
    assert response.status_code == 403
    assert not ticket.entries.exists()


def test_unconfirmed_public_requests_stay_out_of_technicians_sight(world, people, queues):
    from django.utils import timezone

    from bilgiislem.servicedesk.querysets import tickets

    spam = Ticket.objects.create(
        year=2099,
        number=1,
        title="?",
        description="?",
        category="hardware",
        channel="public_form",
        state=TicketState.UNCONFIRMED,
        queue=queues["teknik"],
        created_at=timezone.now(),
        contact_email="x@example.org",
    )
    assert not tickets().visible_to(people["memur"]).filter(pk=spam.pk).exists()
    assert tickets().visible_to(people["sef"]).filter(pk=spam.pk).exists()
