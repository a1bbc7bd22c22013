"""Opening a request: numbering, routing, the clock, on someone's behalf, partners, bad input."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.servicedesk.choices import Channel, TicketState
from bilgiislem.servicedesk.models import (
    DailyQueueStat,
    Notification,
    PartnerMember,
    PartnerOrganization,
    Ticket,
    TicketAttachment,
    TicketCounter,
)
from bilgiislem.servicedesk.services.tickets import ticket_create

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"


@pytest.fixture
def desk(queues, internal_agreement):
    return queues


def _ask(actor, **kw):
    values = {"title": "Yazıcı", "description": "Çıktı vermiyor.", "category": "hardware"}
    values.update(kw)
    return ticket_create(actor=actor, **values)


def test_staff_request_is_numbered_routed_and_clocked(desk, people, units):
    first = _ask(people["yaziisleri"])
    second = _ask(people["yaziisleri"], category="network", priority="high")
    assert (first.year, first.number + 1) == (second.year, second.number)
    assert first.number_label.startswith(f"{first.year}-")
    assert first.queue == desk["teknik"] and second.queue == desk["sistem"]
    assert first.requester == people["yaziisleri"]
    assert first.requester_unit == units["yazi-isleri"]
    assert first.channel == Channel.WEB and first.state == TicketState.NEW
    # The internal agreement's clock started; high priority answers sooner.
    assert first.agreement_id is not None and first.response_due_at is not None
    assert second.response_due_at < first.response_due_at
    assert AuditEvent.objects.filter(
        action="servicedesk.ticket.created", object_id=str(first.pk)
    ).exists()
    assert DailyQueueStat.objects.get(queue=desk["teknik"]).opened == 1
    # Nobody heads Teknik Destek in the demo: the Chief hears of it.
    assert Notification.objects.filter(ticket=first, person=people["sef"]).exists()


def test_a_category_no_queue_lists_goes_to_teknik_destek(desk, people):
    desk["teknik"].categories = []
    desk["teknik"].save()
    assert _ask(people["yaziisleri"], category="other").queue == desk["teknik"]


@pytest.mark.parametrize(
    ("field", "values"),
    [
        ("title", {"title": "  "}),
        ("description", {"description": ""}),
        ("category", {"category": "coffee"}),
        ("priority", {"priority": "asap"}),
        ("title", {"title": "x" * 301}),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(desk, people, field, values):
    with pytest.raises(DomainError) as caught:
        _ask(people["yaziisleri"], **values)
    assert field in caught.value.errors
    assert not Ticket.objects.exists() and not TicketCounter.objects.exists()


def test_staff_ask_only_for_their_own_units(desk, people, units):
    with pytest.raises(DomainError) as caught:
        _ask(people["yaziisleri"], requester_unit=units["zabita"])
    assert "requester_unit" in caught.value.errors
    assert not Ticket.objects.exists()


def test_desk_agent_records_on_behalf_of_staff(desk, people, units):
    ticket = _ask(people["memur"], requester=people["yaziisleri"], channel=Channel.PHONE)
    assert ticket.requester == people["yaziisleri"]
    assert ticket.requester_unit == units["yazi-isleri"]
    assert ticket.recorded_by == people["memur"]
    assert ticket.channel == Channel.PHONE
    assert Notification.objects.filter(ticket=ticket, person=people["yaziisleri"]).exists()


def test_only_the_desk_records_on_behalf(desk, people):
    with pytest.raises(PermissionDeniedError):
        _ask(people["yaziisleri.mudur"], requester=people["yaziisleri"])
    assert not Ticket.objects.exists()


def test_desk_agent_records_for_a_partner_organisation(desk, people):
    school = PartnerOrganization.objects.create(name="Karasu Lisesi", kind="school")
    ticket = _ask(
        people["memur"], organization=school, contact_name="Okul Müdürü", channel=Channel.DESK
    )
    assert ticket.organization == school and ticket.requester is None
    # The agent who wrote it down stays on record (nobody else is named in the request).
    assert ticket.recorded_by == people["memur"]
    assert AuditEvent.objects.get(action="servicedesk.ticket.created").actor == people["memur"]
    # No agreement with the school: flagged for acceptance, no clock.
    assert ticket.needs_acceptance and ticket.response_due_at is None


def test_partner_account_asks_only_for_its_own_organisation(desk, people):
    from bilgiislem.organization.models import Person

    school = PartnerOrganization.objects.create(name="Karasu Lisesi", kind="school")
    other = PartnerOrganization.objects.create(name="Yalı Muhtarlığı", kind="muhtarlik")
    teacher = Person.objects.create_user("ogretmen", password="x")
    PartnerMember.objects.create(organization=school, person=teacher)
    with pytest.raises(DomainError) as caught:
        _ask(teacher, organization=other)
    assert "organization" in caught.value.errors
    assert not Ticket.objects.exists()
    ticket = _ask(teacher)
    assert ticket.organization == school and ticket.channel == Channel.PARTNER


def test_person_without_post_or_partner_account_cannot_ask(desk):
    from bilgiislem.organization.models import Person

    stranger = Person.objects.create_user("yabanci", password="x")
    with pytest.raises(PermissionDeniedError):
        _ask(stranger)


def test_attachments_are_checked_and_stored(desk, people):
    disguised = SimpleUploadedFile("rapor.pdf", b"MZ\x90\x00 not a pdf at all")
    with pytest.raises(DomainError) as caught:
        _ask(people["yaziisleri"], attachments=[disguised])
    assert "attachments" in caught.value.errors
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists()

    ticket = _ask(people["yaziisleri"], attachments=[SimpleUploadedFile("hata.pdf", PDF)])
    stored = ticket.attachments.get()
    assert stored.filename == "hata.pdf" and stored.size == len(PDF)
    assert stored.content_type == "application/pdf" and not stored.internal
