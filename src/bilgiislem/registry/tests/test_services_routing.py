"""Havale (RYY art. 12): who routes, due dates, routing on, returning, closing, notes,
sending to another directorate."""

import datetime

import pytest
import time_machine

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization import services as org_services
from bilgiislem.organization.tests.factories import PersonFactory
from bilgiislem.registry import services
from bilgiislem.registry.choices import (
    CustodyKind,
    DeadlineBasis,
    DocumentStatus,
    Purpose,
    RoutingStatus,
    Urgency,
)
from bilgiislem.registry.models import Document, Routing

from .factories import events, person, register, route, unit

pytestmark = pytest.mark.django_db

D = datetime.date


def _at(day: datetime.date, hour=10):
    """A moment on ``day`` in Istanbul (UTC+3)."""
    return datetime.datetime(day.year, day.month, day.day, hour - 3, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _no_extra_holidays(settings):
    settings.BILGIISLEM_EXTRA_HOLIDAYS = []


# --- who routes --------------------------------------------------------------------------------


def test_the_director_routes_and_the_routing_is_custody():
    document = register()
    routing = route(document, "memur", instruction="Gereğini rica ederim.")
    assert routing.status == RoutingStatus.OPEN and routing.routed_by.username == "mudur"
    custody = routing.custody.get()
    assert custody.kind == CustodyKind.ELECTRONIC
    assert custody.holder.username == "memur" and custody.acknowledged_at is not None
    assert events("registry.routing.created", object_id=str(routing.pk)).count() == 1


@pytest.mark.parametrize("username", ["sef", "kalem", "memur", "yaziisleri.mudur", "baskan"])
def test_others_may_not_route_and_are_recorded(username):
    document = register()
    with pytest.raises(PermissionDeniedError):
        route(document, "memur", actor=username)
    assert not Routing.objects.exists()
    assert events("registry.routing.refused", actor_repr=username).count() == 1


def test_the_chief_acting_for_the_director_routes(people, positions):
    org_services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=datetime.date.today(),
        end_date=datetime.date.today() + datetime.timedelta(days=5),
        reason="Yıllık izin",
    )
    routing = route(register(), "memur", actor=person("sef"))
    assert routing.routed_as.endswith(" V.")
    event = events("registry.routing.created").get()
    assert event.acting_for and event.actor_repr == "sef"


def test_routing_needs_recipients_and_a_deadline_rule():
    document = register()
    with pytest.raises(DomainError) as caught:
        services.routing_create(actor=person("mudur"), document=document, recipients=[])
    assert "recipients" in caught.value.errors
    with pytest.raises(DomainError) as caught:
        route(document, "memur", deadline_basis="")
    assert "deadline_basis" in caught.value.errors
    assert not Routing.objects.exists()


def test_a_closed_document_cannot_be_routed():
    document = register()
    routing = route(document, "memur")
    services.routing_close(actor=person("memur"), routing=routing, outcome="Yapıldı")
    with pytest.raises(DomainError) as caught:
        route(document, "sef")
    assert "document" in caught.value.errors
    assert Routing.objects.count() == 1


# --- due dates (2026 holidays) ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("arrival", "urgency", "basis", "due"),
    [
        # Thu 19.03.2026 is Ramazan arife (half day, a business day); 20–22.03 bayram.
        (D(2026, 3, 19), Urgency.ACELE, DeadlineBasis.DOCUMENTS, D(2026, 3, 23)),
        (D(2026, 3, 19), Urgency.NORMAL, DeadlineBasis.DOCUMENTS, D(2026, 3, 27)),
        (D(2026, 3, 19), Urgency.NORMAL, DeadlineBasis.OPINION, D(2026, 4, 10)),
        # Mon 25.05.2026: 26.05 arife counts, 27–30.05 Kurban Bayramı does not.
        (D(2026, 5, 25), Urgency.NORMAL, DeadlineBasis.DOCUMENTS, D(2026, 6, 4)),
        (D(2026, 5, 18), Urgency.ACELE, DeadlineBasis.OPINION, D(2026, 5, 20)),  # 19 Mayıs
        # 28.10 (half day) counts, 29.10 does not: 28, 30.10, 02, 03, 04.11.
        (D(2026, 10, 27), Urgency.NORMAL, DeadlineBasis.DOCUMENTS, D(2026, 11, 4)),
    ],
)
def test_default_due_dates_follow_business_days(arrival, urgency, basis, due):
    with time_machine.travel(_at(arrival), tick=False):
        document = register(urgency=urgency, document_date=None)
        routing = route(document, "memur", deadline_basis=basis)
    assert routing.due_date == due
    expected_basis = DeadlineBasis.ACELE if urgency == Urgency.ACELE else basis
    assert routing.deadline_basis == expected_basis


def test_gunludur_is_due_on_its_date():
    with time_machine.travel(_at(D(2026, 3, 16)), tick=False):
        document = register(urgency=Urgency.GUNLUDUR, urgency_date=D(2026, 3, 18))
        routing = route(document, "memur", deadline_basis=DeadlineBasis.OPINION)
    assert routing.due_date == D(2026, 3, 18)
    assert routing.deadline_basis == DeadlineBasis.GUNLUDUR


def test_periods_run_from_the_arrival_not_the_routing_day():
    with time_machine.travel(_at(D(2026, 3, 2)), tick=False):
        document = register(document_date=None)
    with time_machine.travel(_at(D(2026, 3, 4)), tick=False):
        routing = route(document, "memur", deadline_basis=DeadlineBasis.DOCUMENTS)
    assert routing.due_date == D(2026, 3, 9)


def test_a_chosen_due_date_before_the_arrival_is_refused():
    with time_machine.travel(_at(D(2026, 3, 16)), tick=False):
        document = register(document_date=None)
        with pytest.raises(DomainError) as caught:
            route(document, "memur", due_date=D(2026, 3, 13))
        assert "due_date" in caught.value.errors
        routing = route(document, "memur", due_date=D(2026, 3, 16))
    assert routing.deadline_basis == DeadlineBasis.CUSTOM
    assert Routing.objects.count() == 1


def test_for_information_has_no_due_date():
    routing = route(register(), "sef", purpose=Purpose.INFORMATION)
    assert routing.due_date is None


# --- routing on --------------------------------------------------------------------------------


@pytest.fixture
def unit_head(people, units):
    """A Birim Sorumlusu for Teknik Destek, appointed as the organisation rules say: the
    Director proposes, the Mayor approves (RYY art. 7(2))."""
    head = PersonFactory(username="td.sorumlu")
    proposal = org_services.appointment_propose(
        actor=people["mudur"], unit=units["bilgi-islem-teknik-destek"], person=head
    )
    org_services.appointment_approve(actor=people["baskan"], request=proposal)
    return person("td.sorumlu")


def test_the_unit_head_routes_on_to_one_of_the_unit(unit_head):
    parent = route(register(), "bilgi-islem-teknik-destek")
    child = services.routing_forward(
        actor=unit_head, routing=parent, to_person=person("memur"), instruction="Bakınız."
    )
    parent.refresh_from_db()
    assert parent.status == RoutingStatus.FORWARDED
    assert child.parent == parent and child.to_person.username == "memur"
    assert child.due_date == parent.due_date and child.purpose == Purpose.ACTION


def test_routing_on_stays_inside_the_unit(unit_head):
    parent = route(register(), "bilgi-islem-teknik-destek")
    with pytest.raises(DomainError) as caught:
        services.routing_forward(actor=unit_head, routing=parent, to_person=person("yaziisleri"))
    assert "to_person" in caught.value.errors
    assert Routing.objects.count() == 1


def test_a_unit_member_may_not_route_on(unit_head):
    parent = route(register(), "bilgi-islem-teknik-destek")
    with pytest.raises(PermissionDeniedError):
        services.routing_forward(actor=person("memur"), routing=parent, to_person=unit_head)
    assert events("registry.routing.forward_refused", actor_repr="memur").count() == 1


def test_a_manager_routes_on_what_was_routed_to_them_in_person():
    parent = route(register(), "sef")
    child = services.routing_forward(actor=person("sef"), routing=parent, to_person=person("memur"))
    assert child.routed_by.username == "sef"
    with pytest.raises(PermissionDeniedError):
        services.routing_forward(actor=person("memur"), routing=child, to_person=person("yazilim"))


def test_routing_on_for_information_keeps_the_work(unit_head):
    document = register()
    parent = route(document, "bilgi-islem-teknik-destek")
    services.routing_forward(
        actor=unit_head, routing=parent, to_person=person("memur"), purpose=Purpose.INFORMATION
    )
    parent.refresh_from_db()
    assert parent.status == RoutingStatus.OPEN
    services.routing_close(actor=unit_head, routing=parent, outcome="Birimce yapıldı")
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE


# --- return, close, done -------------------------------------------------------------------------


def test_return_with_a_reason_reopens_the_parent(unit_head):
    parent = route(register(), "bilgi-islem-teknik-destek")
    child = services.routing_forward(actor=unit_head, routing=parent, to_person=person("memur"))
    with pytest.raises(DomainError) as caught:
        services.routing_return(actor=person("memur"), routing=child, reason=" ")
    assert "reason" in caught.value.errors
    services.routing_return(actor=person("memur"), routing=child, reason="Görev alanım değil")
    child.refresh_from_db()
    parent.refresh_from_db()
    assert child.status == RoutingStatus.RETURNED and child.return_reason == "Görev alanım değil"
    assert parent.status == RoutingStatus.OPEN
    assert child.custody.get().released_at is not None


def test_only_the_recipient_returns_or_closes():
    routing = route(register(), "memur")
    with pytest.raises(PermissionDeniedError):
        services.routing_return(actor=person("yazilim"), routing=routing, reason="x")
    with pytest.raises(PermissionDeniedError):
        services.routing_close(actor=person("sef"), routing=routing, outcome="x")
    assert events("registry.routing.return_refused").count() == 1
    assert events("registry.routing.close_refused").count() == 1
    routing.refresh_from_db()
    assert routing.status == RoutingStatus.OPEN


def test_close_needs_an_outcome_and_finishes_the_document():
    document = register()
    routing = route(document, "memur")
    with pytest.raises(DomainError) as caught:
        services.routing_close(actor=person("memur"), routing=routing, outcome="")
    assert "outcome" in caught.value.errors
    services.routing_close(actor=person("memur"), routing=routing, outcome="Bakım yapıldı")
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE and document.done_at is not None
    assert events("registry.document.done", object_id=str(document.pk)).count() == 1
    with pytest.raises(DomainError):
        services.routing_close(actor=person("memur"), routing=routing, outcome="Tekrar")


def test_done_only_when_every_for_action_routing_is_closed():
    document = register()
    first, second = services.routing_create(
        actor=person("mudur"),
        document=document,
        recipients=[(person("memur"), Purpose.ACTION), (person("yazilim"), Purpose.ACTION)],
        deadline_basis=DeadlineBasis.DOCUMENTS,
    )
    route(document, "sef", purpose=Purpose.INFORMATION)
    services.routing_close(actor=person("memur"), routing=first, outcome="Tamam")
    document.refresh_from_db()
    assert document.status == DocumentStatus.OPEN
    services.routing_close(actor=person("yazilim"), routing=second, outcome="Tamam")
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE  # the open for-information one does not block


def test_a_returned_routing_does_not_hold_the_document_open():
    document = register()
    returned = route(document, "yazilim")
    services.routing_return(actor=person("yazilim"), routing=returned, reason="Yanlış birim")
    document.refresh_from_db()
    assert document.status == DocumentStatus.OPEN  # nothing done yet
    again = route(document, "memur")
    services.routing_close(actor=person("memur"), routing=again, outcome="Tamam")
    document.refresh_from_db()
    assert document.status == DocumentStatus.DONE


def test_mark_read_once_by_the_recipient():
    routing = route(register(), "sef", purpose=Purpose.INFORMATION)
    services.routing_mark_read(actor=person("memur"), routing=routing)
    routing.refresh_from_db()
    assert routing.read_at is None
    services.routing_mark_read(actor=person("sef"), routing=routing)
    services.routing_mark_read(actor=person("sef"), routing=Routing.objects.get(pk=routing.pk))
    assert events("registry.routing.read").count() == 1


# --- notes -----------------------------------------------------------------------------------


def test_notes_only_by_people_it_is_routed_to():
    document = register()
    routing = route(document, "memur")
    note = services.note_add(actor=person("memur"), document=document, text="Parça sipariş edildi")
    assert note.author.username == "memur"
    with pytest.raises(PermissionDeniedError):
        services.note_add(actor=person("yazilim"), document=document, text="Ben de")
    assert events("registry.note.refused", actor_repr="yazilim").count() == 1
    services.routing_close(actor=person("memur"), routing=routing, outcome="Bitti")
    with pytest.raises(PermissionDeniedError):
        services.note_add(actor=person("memur"), document=document, text="Sonradan")
    assert document.notes.count() == 1


def test_an_empty_note_is_refused():
    document = register()
    route(document, "memur")
    with pytest.raises(DomainError) as caught:
        services.note_add(actor=person("memur"), document=document, text="  ")
    assert "text" in caught.value.errors


# --- internal send ---------------------------------------------------------------------------


def test_internal_send_registers_it_in_the_other_directorate():
    register(actor="yaziisleri", registry="yazi-isleri")  # their registry has its own numbers
    original = register()
    copy = services.document_send_internal(
        actor=person("mudur"), document=original, to_registry=unit("yazi-isleri")
    )
    assert copy.registry.code == "yazi-isleri" and copy.registry_number == 2
    assert copy.source == original and list(original.internal_copies.all()) == [copy]
    assert copy.party_unit == original.registry and copy.direction == "incoming"
    assert copy.subject == original.subject
    assert Document.objects.visible_to(person("yaziisleri")).filter(pk=copy.pk).exists()
    event = events("registry.document.sent_internal").get()
    assert event.changes["from"] == original.number_label


def test_only_the_director_sends_and_only_elsewhere():
    original = register()
    with pytest.raises(PermissionDeniedError):
        services.document_send_internal(
            actor=person("kalem"), document=original, to_registry=unit("yazi-isleri")
        )
    assert events("registry.document.send_refused").count() == 1
    with pytest.raises(DomainError) as caught:
        services.document_send_internal(
            actor=person("mudur"), document=original, to_registry=unit("bilgi-islem")
        )
    assert "to_registry" in caught.value.errors
    assert Document.objects.count() == 1
