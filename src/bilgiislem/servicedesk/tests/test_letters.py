"""Letters and requests (issue 6 point 1): a letter routed to the directorate becomes a
request that keeps the link both ways (Sayı, sender, GÜNLÜDÜR → due date, ACELE → high
priority); a resolved request starts the reply letter."""

import datetime

import pytest
from django.urls import reverse

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.correspondence.models import Letter
from bilgiislem.registry.choices import Direction, PartyKind, Urgency
from bilgiislem.servicedesk.models import Ticket
from bilgiislem.servicedesk.services import letters

from ._partners import DETSIS, incoming_letter, school

__all__ = ["incoming_letter", "school"]

# A urlconf without the service desk: the registry's document page must still render.
from config import urls as _root

urlpatterns = [p for p in _root.urlpatterns if str(p.pattern) != "destek/"]


def resolve(ticket, person, note="Anakart değiştirildi, bilgisayarlar çalışıyor."):
    Ticket.objects.filter(pk=ticket.pk).update(state="resolved", resolution=note, assignee=person)
    ticket.refresh_from_db()
    return ticket


def test_a_letter_becomes_a_request_that_keeps_the_link_both_ways(
    queues, school, people, incoming_letter
):
    document = incoming_letter()
    ticket = letters.ticket_from_document(
        actor=people["memur"], document=document, category="hardware", note="Lab 2."
    )
    assert (ticket.state, ticket.channel, ticket.priority) == ("new", "letter", "normal")
    assert ticket.source_document == document and ticket.recorded_by == people["memur"]
    assert ticket.organization == school  # matched by the sender's DETSİS number
    assert ticket.title == document.subject and ticket.contact_name == document.party_name
    assert "E-24363950-903.99-118" in ticket.description and "02.03.2026" in ticket.description
    assert document.party_name in ticket.description and ticket.description.endswith("Lab 2.")
    assert ticket.queue == queues["teknik"] and ticket.due_date is None
    assert list(document.service_requests.all()) == [ticket]
    event = AuditEvent.objects.get(action="servicedesk.ticket.created_from_letter")
    assert event.changes["sayi"] == document.sayi and event.object_id == str(ticket.pk)
    # One open request per letter.
    with pytest.raises(DomainError) as err:
        letters.ticket_from_document(actor=people["sef"], document=document)
    assert list(err.value.errors) == ["document"]
    assert ticket.number_label in err.value.errors["document"][0]
    assert Ticket.objects.count() == 1


def test_acele_is_high_priority_and_gunludur_a_due_date_capping_the_clock(
    queues, internal_agreement, people, units, incoming_letter
):
    acele = incoming_letter(urgency=Urgency.ACELE, subject="Acele: sunucu")
    ticket = letters.ticket_from_document(actor=people["memur"], document=acele)
    assert ticket.priority == "high"
    due = datetime.date(2030, 6, 14)  # a Friday
    gunludur = incoming_letter(
        party_kind=PartyKind.INTERNAL,
        party_unit=units["yazi-isleri"],
        urgency=Urgency.GUNLUDUR,
        urgency_date=due,
        subject="Günlüdür: hesap açılması",
    )
    ticket = letters.ticket_from_document(actor=people["memur"], document=gunludur)
    assert (ticket.priority, ticket.due_date) == ("normal", due)
    assert ticket.requester_unit == units["yazi-isleri"] and ticket.organization is None
    assert ticket.agreement == internal_agreement
    assert ticket.resolution_due_at is not None
    assert ticket.resolution_due_at.date() <= due


def test_who_may_turn_a_letter_into_a_request(queues, people, incoming_letter, units):
    document = incoming_letter()
    # Not the service desk's staff, or cannot see it: refused, nothing made.
    for username in ("yaziisleri", "yaziisleri.mudur"):
        with pytest.raises(PermissionDeniedError):
            letters.ticket_from_document(actor=people[username], document=document)
        assert not letters.may_convert(people[username], document)
    # An outgoing document is no request.
    outgoing = incoming_letter(direction=Direction.OUTGOING, subject="Giden yazı")
    with pytest.raises(DomainError) as err:
        letters.ticket_from_document(actor=people["memur"], document=outgoing)
    assert list(err.value.errors) == ["document"]
    assert not Ticket.objects.exists()
    assert letters.may_convert(people["memur"], document)


def test_closing_the_request_starts_the_reply_letter(queues, school, people, incoming_letter):
    document = incoming_letter()
    ticket = letters.ticket_from_document(actor=people["memur"], document=document)
    with pytest.raises(DomainError) as err:  # not resolved yet
        letters.ticket_start_reply(actor=people["memur"], ticket=ticket)
    assert list(err.value.errors) == ["ticket"]
    ticket = resolve(ticket, people["memur"])
    with pytest.raises(PermissionDeniedError):  # the requester side does not draft it
        letters.ticket_start_reply(actor=people["yaziisleri"], ticket=ticket)
    letter = letters.ticket_start_reply(actor=people["memur"], ticket=ticket)
    assert letter.reply_to == document and letter.status == "draft"
    assert letter.prepared_by == people["memur"] and letter.unit.code == "bilgi-islem"
    (recipient,) = letter.recipients.all()
    assert (recipient.kind, recipient.name, recipient.identifier) == (
        "public_body",
        document.party_name,
        DETSIS,
    )
    assert [r.document_id for r in letter.references.all()] == [document.pk]
    assert "Anakart değiştirildi" in letter.body and ticket.number_label in letter.body
    ticket.refresh_from_db()
    assert ticket.reply_letter == letter
    assert ticket.entries.filter(kind="event").exists()
    assert AuditEvent.objects.filter(action="servicedesk.ticket.reply_started").count() == 1
    # The document page's "Replies" sees it too (Letter.reply_to).
    assert list(document.replies.all()) == [letter]
    with pytest.raises(DomainError):
        letters.ticket_start_reply(actor=people["memur"], ticket=ticket)
    assert Letter.objects.count() == 1


def test_reply_to_another_directorate_goes_to_it(
    queues, internal_agreement, people, units, incoming_letter
):
    document = incoming_letter(party_kind=PartyKind.INTERNAL, party_unit=units["yazi-isleri"])
    ticket = resolve(
        letters.ticket_from_document(actor=people["memur"], document=document), people["memur"]
    )
    letter = letters.ticket_start_reply(actor=people["sef"], ticket=ticket)
    (recipient,) = letter.recipients.all()
    assert (recipient.kind, recipient.unit) == ("internal", units["yazi-isleri"])


def test_a_request_not_from_a_letter_has_no_reply(ticket_factory, people):
    ticket = resolve(ticket_factory(), people["memur"])
    with pytest.raises(DomainError) as err:
        letters.ticket_start_reply(actor=people["memur"], ticket=ticket)
    assert list(err.value.errors) == ["ticket"]


# --- the pages -------------------------------------------------------------------------------


def test_document_page_button_and_conversion_page(client_as, queues, people, incoming_letter):
    document = incoming_letter()
    detail = reverse("registry:document-detail", args=[document.pk])
    convert = reverse("servicedesk:ticket-from-document", args=[document.pk])
    client = client_as("memur")
    html = client.get(detail).content.decode()
    assert f'href="{convert}"' in html
    assert client.get(convert).status_code == 200
    response = client.post(convert, {"category": "hardware", "note": ""})
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("servicedesk:ticket-detail", args=[ticket.pk])
    # The document lists its request.
    html = client.get(detail).content.decode()
    assert ticket.number_label in html
    assert reverse("servicedesk:ticket-detail", args=[ticket.pk]) in html
    # Someone who cannot see the document: 404; a reader who is not the desk: 403.
    assert client_as("yaziisleri").get(convert).status_code == 404
    assert client_as("yaziisleri").post(convert, {"category": "other"}).status_code == 404
    assert Ticket.objects.count() == 1


def test_document_page_without_the_service_desk_installed(
    client_as, people, incoming_letter, settings
):
    settings.ROOT_URLCONF = __name__
    document = incoming_letter()
    response = client_as("memur").get(reverse("registry:document-detail", args=[document.pk]))
    assert response.status_code == 200
    assert "data-service-requests" not in response.content.decode()


def test_outgoing_documents_have_no_button(client_as, queues, incoming_letter):
    document = incoming_letter(direction=Direction.OUTGOING, subject="Giden yazı")
    html = client_as("memur").get(reverse("registry:document-detail", args=[document.pk]))
    assert "data-service-requests" not in html.content.decode()


def test_start_reply_page_opens_the_draft(client_as, queues, people, incoming_letter):
    ticket = letters.ticket_from_document(actor=people["memur"], document=incoming_letter())
    url = reverse("servicedesk:ticket-start-reply", args=[ticket.pk])
    client = client_as("memur")
    response = client.post(url)  # not resolved: back to the request with the reason
    assert response.status_code == 302 and not Letter.objects.exists()
    resolve(ticket, people["memur"])
    response = client.post(url)
    letter = Letter.objects.get()
    assert response["Location"] == reverse("correspondence:letter-edit", args=[letter.pk])
    assert client_as("yaziisleri").post(url).status_code == 404


def test_request_page_offers_the_reply_letter_to_the_desk(
    client_as, queues, people, incoming_letter
):
    ticket = letters.ticket_from_document(actor=people["memur"], document=incoming_letter())
    resolve(ticket, people["memur"])
    page = reverse("servicedesk:ticket-detail", args=[ticket.pk])
    start = reverse("servicedesk:ticket-start-reply", args=[ticket.pk])
    html = client_as("memur").get(page).content.decode()
    assert f'action="{start}"' in html
    assert reverse("servicedesk:knowledge-from-ticket", args=[ticket.pk]) in html
    client_as("memur").post(start)
    html = client_as("memur").get(page).content.decode()
    assert f'action="{start}"' not in html and "data-reply-letter" in html


def test_the_reply_letter_page_links_back_to_its_request(
    queues, school, people, incoming_letter, client_as, settings
):
    document = incoming_letter()
    ticket = resolve(
        letters.ticket_from_document(actor=people["memur"], document=document), people["memur"]
    )
    letter = letters.ticket_start_reply(actor=people["memur"], ticket=ticket)
    client = client_as("memur")
    url = reverse("correspondence:letter-detail", args=[letter.pk])
    Ticket.objects.filter(pk=ticket.pk).update(reply_letter=None)
    assert "data-service-requests" not in client.get(url).content.decode()
    Ticket.objects.filter(pk=ticket.pk).update(reply_letter=letter)
    html = client.get(url).content.decode()
    link = reverse("servicedesk:ticket-detail", args=[ticket.pk])
    assert f'<a href="{link}">{ticket.number_label}</a>' in html
    # Correspondence does not depend on the service desk: without its URLs the page still
    # renders, naming the request without a link.
    settings.ROOT_URLCONF = __name__
    html = client.get(url).content.decode()
    assert ticket.number_label in html and link not in html
