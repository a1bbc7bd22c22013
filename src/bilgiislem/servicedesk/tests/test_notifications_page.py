"""Notices shown to their person: the Bildirimler page, the menu count and the API.
Another person's notice answers 404 and stays unread."""

import re

from bilgiislem.audit.models import AuditEvent
from bilgiislem.servicedesk.models import Notification
from bilgiislem.servicedesk.services.notify import notify

PAGE = "/destek/bildirimler/"
API = "/api/servicedesk/notifications/"


def _notices(ticket_factory, people):
    ticket = ticket_factory(title="Yazıcı arızası")
    old = notify(ticket, [people["sef"]], "Eski bildirim.")[0]
    Notification.objects.filter(pk=old.pk).update(created_at=old.created_at.replace(year=2020))
    new = notify(ticket, [people["sef"]], "Yeni talep geldi.")[0]
    other = notify(ticket, [people["memur"]], "Memurun bildirimi.")[0]
    return ticket, old, new, other


def _menu_count(client) -> int | None:
    """The unread count the menu's "Notifications" entry shows (rendered on every page;
    accounts.navigation sits above this app, so the page is read rather than imported)."""
    html = client.get("/destek/").content.decode()
    found = re.search(rf'<a href="{PAGE}"[^>]*>[^<]*(?:<span class="badge">(\d+)</span>)?', html)
    assert found, "no Notifications entry in the menu"
    return int(found.group(1)) if found.group(1) else None


def test_page_lists_own_notices_newest_first_and_marks_read(ticket_factory, people, client_as):
    ticket, old, new, other = _notices(ticket_factory, people)
    client = client_as("sef")
    assert _menu_count(client) == 2
    html = client.get(PAGE).content.decode()
    assert html.index("Yeni talep geldi.") < html.index("Eski bildirim.")
    assert "Memurun bildirimi." not in html
    assert html.count("data-unread") == 2 and ticket.number_label in html
    events = AuditEvent.objects.count()

    response = client.post(f"{PAGE}{new.pk}/okundu/")
    assert response.status_code == 302
    new.refresh_from_db(), old.refresh_from_db()
    assert new.read_at is not None and old.read_at is None
    assert _menu_count(client) == 1

    client.post(f"{PAGE}hepsi-okundu/")
    old.refresh_from_db(), other.refresh_from_db()
    assert old.read_at is not None and other.read_at is None  # memur's notice untouched
    assert "data-unread" not in client.get(PAGE).content.decode()
    assert AuditEvent.objects.count() == events  # a personal view state, not an official act


def test_another_person_s_notice_is_404_on_page_and_api(ticket_factory, people, client_as):
    _ticket, _old, _new, other = _notices(ticket_factory, people)
    client = client_as("sef")
    assert client.post(f"{PAGE}{other.pk}/okundu/").status_code == 404
    assert client.post(f"{API}{other.pk}/read/").status_code == 404
    assert client.get(f"{PAGE}{other.pk}/okundu/").status_code == 405  # reading is a POST
    other.refresh_from_db()
    assert other.read_at is None


def test_api_lists_own_notices_and_marks_one_and_all_read(ticket_factory, people, client_as):
    ticket, old, new, other = _notices(ticket_factory, people)
    client = client_as("sef")
    body = client.get(API).json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [r["id"] for r in rows] == [new.pk, old.pk]
    assert rows[0]["unread"] is True and rows[0]["ticket_number"] == ticket.number_label

    marked = client.post(f"{API}{new.pk}/read/")
    assert marked.status_code == 200 and marked.json()["unread"] is False
    body = client.get(API + "?unread=true").json()
    rows = body["results"] if isinstance(body, dict) else body
    assert [r["id"] for r in rows] == [old.pk]

    assert client.post(f"{API}read-all/").json() == {"marked": 1}
    other.refresh_from_db()
    assert other.read_at is None
