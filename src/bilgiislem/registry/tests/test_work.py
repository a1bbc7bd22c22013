"""What is late (issue 3 point 8): "İşlerim" items, reminders and escalation (RYY art. 9(ç))."""

import datetime

import pytest
import time_machine

from bilgiislem.organization import services as org_services
from bilgiislem.registry import services
from bilgiislem.registry.choices import Purpose, Secrecy
from bilgiislem.registry.models import Routing
from bilgiislem.registry.tasks import send_routing_reminders
from bilgiislem.registry.work import open_routing_count, work_items_for

from .factories import english, events, person, register, route

__all__ = ["english"]  # a fixture

pytestmark = pytest.mark.django_db

D = datetime.date
# Mon 16.03.2026, 10:00 in Istanbul.
MONDAY = datetime.datetime(2026, 3, 16, 7, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _monday(settings, english):
    settings.BILGIISLEM_EXTRA_HOLIDAYS = []
    with time_machine.travel(MONDAY, tick=False):
        yield


def _titles(items, category=None):
    return [i.title for i in items if category is None or i.category == category]


def _categories(username):
    return {i.category for i in work_items_for(person(username))}


# --- İşlerim ---------------------------------------------------------------------------------


def test_routed_for_action_and_information_are_listed_soonest_first():
    late = register(subject="Geç kalan iş", document_date=None)
    soon = register(subject="Yakında", document_date=None)
    info = register(subject="Bilginize", document_date=None)
    route(soon, "memur", due_date=D(2026, 3, 20))
    route(late, "memur", due_date=D(2026, 3, 17))
    route(info, "memur", purpose=Purpose.INFORMATION)
    items = work_items_for(person("memur"))
    assert [i.title.split(" ", 1)[1] for i in items] == ["Geç kalan iş", "Yakında", "Bilginize"]
    assert [i.category for i in items] == [
        "Routed to you for action",
        "Routed to you for action",
        "For your information",
    ]
    assert items[0].due == D(2026, 3, 17) and items[2].due is None
    assert items[0].url.endswith(f"/{late.pk}/") or items[0].url == ""


def test_information_leaves_the_list_once_read_and_action_once_closed():
    document = register(document_date=None)
    info = route(document, "sef", purpose=Purpose.INFORMATION)
    action = route(document, "memur")
    services.routing_mark_read(actor=person("sef"), routing=info)
    assert "For your information" not in _categories("sef")
    services.routing_close(actor=person("memur"), routing=action, outcome="Tamam")
    assert work_items_for(person("memur")) == []


def test_routings_to_a_unit_reach_its_head(people, units):
    from bilgiislem.organization.tests.factories import PersonFactory

    head = PersonFactory(username="yz.sorumlu")
    proposal = org_services.appointment_propose(
        actor=people["mudur"], unit=units["bilgi-islem-yazilim"], person=head
    )
    org_services.appointment_approve(actor=people["baskan"], request=proposal)
    route(register(document_date=None), "bilgi-islem-yazilim")
    assert "Routed to your unit" in _categories("yz.sorumlu")
    assert open_routing_count(person("yz.sorumlu")) == 1
    assert open_routing_count(person("yazilim")) == 0  # a member, not the head


def test_paper_to_acknowledge_is_listed_for_the_receiver():
    document = register(document_date=None)
    custody = services.custody_hand_over(
        actor=person("kalem"), document=document, to_person=person("memur")
    )
    assert "Paper originals to acknowledge" in _categories("memur")
    services.custody_acknowledge(actor=person("memur"), custody=custody)
    assert "Paper originals to acknowledge" not in _categories("memur")


def test_the_director_sees_documents_awaiting_routing_and_returned_ones():
    document = register(document_date=None)
    assert _titles(work_items_for(person("mudur")), "Awaiting routing (havale)") == [str(document)]
    routing = route(document, "memur")
    assert "Awaiting routing (havale)" not in _categories("mudur")
    services.routing_return(actor=person("memur"), routing=routing, reason="Benim işim değil")
    assert "Awaiting routing (havale)" in _categories("mudur")
    assert "Awaiting routing (havale)" not in _categories("sef")


def test_overdue_routings_are_escalated_to_the_chief_and_the_director():
    late = register(subject="Geciken", document_date=None)
    route(late, "memur", due_date=D(2026, 3, 16))
    with time_machine.travel(datetime.datetime(2026, 3, 19, 7, 0, tzinfo=datetime.UTC)):
        for username in ("sef", "mudur"):
            overdue = [
                i
                for i in work_items_for(person(username))
                if i.category == "Overdue in your directorate"
            ]
            assert len(overdue) == 1
            assert "Ali Çelik" in overdue[0].detail and "3" in overdue[0].detail
        assert "Overdue in your directorate" not in _categories("memur")
        assert "Overdue in your directorate" not in _categories("yaziisleri.mudur")


def test_the_chief_does_not_see_an_overdue_gizli_title():
    secret = register(secrecy=Secrecy.GIZLI, subject="Disiplin", document_date=None)
    route(secret, "memur", due_date=D(2026, 3, 16))
    with time_machine.travel(datetime.datetime(2026, 3, 19, 7, 0, tzinfo=datetime.UTC)):
        assert "Overdue in your directorate" not in _categories("sef")  # may not see it
        titles = _titles(work_items_for(person("mudur")), "Overdue in your directorate")
        assert titles == [secret.number_label]


def test_the_acting_director_gets_the_directors_items(people, positions):
    org_services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=D(2026, 3, 16),
        end_date=D(2026, 3, 20),
    )
    register(document_date=None)
    items = [i for i in work_items_for(person("sef")) if i.category == "Awaiting routing (havale)"]
    assert len(items) == 1 and items[0].acting_for.endswith(" V.")


def test_my_work_page_and_the_menu_count_include_the_registry(client_as):
    document = route(register(subject="Ağ arızası", document_date=None), "memur").document
    response = client_as("memur").get("/")
    assert response.status_code == 200
    assert "Ağ arızası" in response.content.decode()
    menu = {item["key"]: item for item in response.context["nav_menu"]}
    home = menu["home"]
    assert home["count"] >= 1
    if "registry" in menu:  # the registry pages are installed
        assert menu["registry"]["count"] == 1
        children = [c["key"] for c in menu["registry"]["children"]]
        assert "registry-register" not in children and "registry-oversight" not in children
    assert document.pk


def test_nothing_for_anonymous_or_people_without_posts():
    from django.contrib.auth.models import AnonymousUser

    from bilgiislem.organization.tests.factories import PersonFactory

    assert work_items_for(AnonymousUser()) == []
    assert work_items_for(PersonFactory()) == []


# --- reminders and escalation ------------------------------------------------------------------


def test_reminders_for_routings_due_next_and_escalation_for_overdue():
    due_tomorrow = route(register(document_date=None), "memur", due_date=D(2026, 3, 17))
    overdue = route(register(document_date=None), "yazilim", due_date=D(2026, 3, 16))
    later = route(register(document_date=None), "memur", due_date=D(2026, 3, 25))
    info = route(register(document_date=None), "sef", purpose=Purpose.INFORMATION)

    run = services.routing_remind_due(D(2026, 3, 16))
    assert (run.reminded, run.escalated) == (1, 0)
    reminded = events("registry.routing.reminded").get()
    assert reminded.object_id == str(due_tomorrow.pk) and reminded.changes["to"] == "memur"

    run = services.routing_remind_due(D(2026, 3, 17))
    assert (run.reminded, run.escalated) == (0, 1)
    escalated = events("registry.routing.escalated").get()
    assert escalated.object_id == str(overdue.pk)
    assert escalated.changes["late"] == "yazilim"
    assert escalated.changes["escalated_to"] == ["mudur", "sef"]
    assert escalated.actor_repr == "system"
    assert Routing.objects.get(pk=later.pk).reminded_on is None
    assert Routing.objects.get(pk=info.pk).escalated_on is None


def test_reminders_are_recorded_once_a_day():
    route(register(document_date=None), "memur", due_date=D(2026, 3, 17))
    with time_machine.travel(datetime.datetime(2026, 3, 12, 7, 0, tzinfo=datetime.UTC)):
        route(register(document_date=None), "yazilim", due_date=D(2026, 3, 13))
    first = services.routing_remind_due(D(2026, 3, 16))
    second = services.routing_remind_due(D(2026, 3, 16))
    assert (first.reminded, first.escalated) == (1, 1)
    assert (second.reminded, second.escalated) == (0, 0)
    # Still overdue the next day: escalated again, once (the other is due that day).
    assert services.routing_remind_due(D(2026, 3, 17)).escalated == 1
    assert services.routing_remind_due(D(2026, 3, 18)).escalated == 2
    assert events("registry.routing.escalated").count() == 4


def test_friday_reminds_what_is_due_on_monday():
    routing = route(register(document_date=None), "memur", due_date=D(2026, 3, 23))
    # Fri 20.03.2026 is Ramazan Bayramı; on Thu 19.03 the next business day is Mon 23.03.
    assert services.routing_remind_due(D(2026, 3, 19)).reminded == 1
    assert Routing.objects.get(pk=routing.pk).reminded_on == D(2026, 3, 19)


def test_closed_and_returned_routings_are_left_alone():
    closed = route(register(document_date=None), "memur", due_date=D(2026, 3, 16))
    services.routing_close(actor=person("memur"), routing=closed, outcome="Tamam")
    returned = route(register(document_date=None), "yazilim", due_date=D(2026, 3, 16))
    services.routing_return(actor=person("yazilim"), routing=returned, reason="Yanlış kişi")
    run = services.routing_remind_due(D(2026, 3, 18))
    assert (run.reminded, run.escalated) == (0, 0)


def test_the_daily_task_runs_the_service_on_business_days():
    route(register(document_date=None), "memur", due_date=D(2026, 3, 17))
    result = send_routing_reminders.call_local()
    assert result == {"reminded": 1, "escalated": 0}
    with time_machine.travel(datetime.datetime(2026, 3, 21, 7, 0, tzinfo=datetime.UTC)):
        assert send_routing_reminders.call_local() is None  # a Saturday
