"""The request pages over real HTTP: lists, a new request, the queue, the detail and actions."""

import pytest
from django.core.cache import cache
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from bilgiislem.servicedesk.choices import TicketState
from bilgiislem.servicedesk.models import Ticket, TicketEntry
from bilgiislem.servicedesk.services import ticket_flow as flow
from bilgiislem.servicedesk.services.tickets import ticket_create, ticket_message_add

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def desk(queues, internal_agreement):
    return queues


def _ask(people, who="yaziisleri", **kw):
    values = {"title": "Yazıcı", "description": "Çıktı vermiyor.", "category": "hardware"}
    values.update(kw)
    return ticket_create(actor=people[who], **values)


def _act(client, ticket, action, **data):
    url = reverse("servicedesk:ticket-action", args=[ticket.pk, action])
    return client.post(url, {f"{action}-{k}": v for k, v in data.items()})


def test_new_request_page_creates_and_keeps_input_on_error(desk, client_as):
    client = client_as("yaziisleri")
    url = reverse("servicedesk:ticket-new")
    assert client.get(url).status_code == 200
    bad = client.post(
        url,
        {
            "ticket-title": "Yazıcı",
            "ticket-category": "hardware",
            "ticket-priority": "normal",
            "ticket-description": "",
        },
    )
    assert bad.status_code == 400
    assert "Yazıcı" in bad.content.decode()
    assert not Ticket.objects.exists()
    response = client.post(
        url,
        {
            "ticket-title": "Yazıcı",
            "ticket-description": "Çıktı vermiyor.",
            "ticket-category": "hardware",
            "ticket-priority": "normal",
            "ticket-attachments": SimpleUploadedFile("hata.pdf", PDF),
        },
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("servicedesk:ticket-detail", args=[ticket.pk])
    assert ticket.attachments.count() == 1
    page = client.get(reverse("servicedesk:home")).content.decode()
    assert ticket.number_label in page


def test_desk_agent_records_on_behalf_from_the_page(desk, client_as, people):
    client = client_as("memur")
    response = client.post(
        reverse("servicedesk:ticket-new"),
        {
            "ticket-title": "Telefon",
            "ticket-description": "Dahili hat çalışmıyor.",
            "ticket-category": "telephone",
            "ticket-priority": "normal",
            "ticket-requester": people["yaziisleri"].pk,
            "ticket-channel": "phone",
        },
    )
    assert response.status_code == 302
    ticket = Ticket.objects.get()
    assert ticket.requester == people["yaziisleri"] and ticket.recorded_by == people["memur"]


def test_queue_page_shows_the_queue_with_constant_queries(desk, client_as, people):
    client = client_as("memur")
    url = reverse("servicedesk:queue")
    _ask(people)
    client.get(url)  # warm the per-process caches (unit facts)
    cache.clear()  # both measures work the menu out (it is cached until the next change)
    with CaptureQueriesContext(connection) as few:
        response = client.get(url)
    assert response.status_code == 200
    for n in range(12):
        _ask(people, title=f"Arıza {n}", priority="high" if n % 2 else "normal")
    cache.clear()
    with CaptureQueriesContext(connection) as many:
        response = client.get(url)
    page = response.content.decode()
    assert page.count("data-ticket=") == 13
    assert 'data-sla="running"' in page
    assert len(many) == len(few), [q["sql"] for q in many.captured_queries]


def test_queue_page_is_for_technicians_and_heads_only(desk, client_as, people):
    _ask(people, category="software")  # Yazılım's
    assert client_as("yaziisleri").get(reverse("servicedesk:queue")).status_code == 404
    memur = client_as("memur").get(reverse("servicedesk:queue")).content.decode()
    assert "data-ticket=" not in memur
    chief = client_as("sef").get(reverse("servicedesk:queue")).content.decode()
    assert chief.count("data-ticket=") == 1


def test_assign_start_resolve_confirm_through_the_pages(desk, client_as, people):
    ticket = _ask(people)
    assert _act(client_as("sef"), ticket, "assign", assignee=people["memur"].pk).status_code == 302
    memur = client_as("memur")
    assert _act(memur, ticket, "start").status_code == 302
    bad = _act(memur, ticket, "resolve", resolution="", minutes_spent=10)
    assert bad.status_code == 400
    assert 'id="id_resolve-resolution_error"' in bad.content.decode()
    absurd = _act(memur, ticket, "resolve", resolution="Toner.", minutes_spent=5000)
    assert absurd.status_code == 400
    assert 'id="id_resolve-minutes_spent_error"' in absurd.content.decode()
    assert _act(memur, ticket, "resolve", resolution="Toner.", minutes_spent=15).status_code == 302
    assert _act(client_as("yaziisleri"), ticket, "confirm").status_code == 302
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.CLOSED


def test_resolving_someone_elses_request_on_the_page_is_403(desk, client_as, people):
    ticket = _ask(people)
    flow.ticket_assign(actor=people["sef"], ticket=ticket, assignee=people["memur"])
    response = _act(client_as("sef"), ticket, "resolve", resolution="Oldu.")
    assert response.status_code == 403
    assert Ticket.objects.get(pk=ticket.pk).state == TicketState.ASSIGNED


def test_internal_notes_and_files_never_reach_the_requester(desk, client_as, people):
    ticket = _ask(people)
    note = ticket_message_add(
        actor=people["memur"],
        ticket=ticket,
        text="Toner stokta yok, gizli not.",
        internal=True,
        attachments=[SimpleUploadedFile("fatura.pdf", PDF)],
    )
    internal_file = note.attachments.get()
    desk_page = client_as("memur").get(reverse("servicedesk:ticket-detail", args=[ticket.pk]))
    assert "gizli not" in desk_page.content.decode()
    for who in ("yaziisleri", "yaziisleri.mudur"):
        page = client_as(who).get(reverse("servicedesk:ticket-detail", args=[ticket.pk]))
        assert page.status_code == 200
        assert "gizli not" not in page.content.decode()
        assert "fatura.pdf" not in page.content.decode()
        url = reverse("servicedesk:attachment", args=[ticket.pk, internal_file.pk])
        assert client_as(who).get(url).status_code == 404
    assert (
        client_as("memur")
        .get(reverse("servicedesk:attachment", args=[ticket.pk, internal_file.pk]))
        .status_code
        == 200
    )


def test_requester_reply_and_unknown_action(desk, client_as, people):
    ticket = _ask(people)
    client = client_as("yaziisleri")
    assert _act(client, ticket, "message", text="Acil lütfen.").status_code == 302
    assert TicketEntry.objects.get(ticket=ticket).kind == "reply"
    url = reverse("servicedesk:ticket-action", args=[ticket.pk, "explode"])
    assert client.post(url).status_code == 404
    assert (
        client.get(reverse("servicedesk:ticket-action", args=[ticket.pk, "take"])).status_code
        == 405
    )


def test_merge_by_number_names_the_field(desk, client_as, people):
    ticket = _ask(people)
    duplicate = _ask(people, title="Yine yazıcı")
    memur = client_as("memur")
    bad = _act(memur, duplicate, "merge", number="1999-000001")
    assert bad.status_code == 400 and 'id="id_merge-number_error"' in bad.content.decode()
    assert _act(memur, duplicate, "merge", number=ticket.number_label).status_code == 302
    assert Ticket.objects.get(pk=duplicate.pk).merged_into_id == ticket.pk


def test_menu_has_the_support_section(desk, client_as):
    page = client_as("memur").get(reverse("accounts:home")).content.decode()
    assert reverse("servicedesk:queue") in page
    page = client_as("yaziisleri").get(reverse("accounts:home")).content.decode()
    assert reverse("servicedesk:ticket-new") in page
    assert reverse("servicedesk:queue") not in page
