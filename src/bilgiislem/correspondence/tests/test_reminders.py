"""Reminders and escalation of waiting approvals (issue 4 point 2), counted in Turkish
business days: the Ramazan Bayramı of 2026 (Friday 20 March) does not count."""

import datetime

import pytest
import time_machine

from bilgiislem.audit.models import AuditEvent
from bilgiislem.correspondence import services
from bilgiislem.correspondence.services.reminders import approval_remind_waiting
from bilgiislem.correspondence.tasks import send_approval_reminders
from bilgiislem.correspondence.work import work_items_for
from bilgiislem.organization.models import Person

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

D = datetime.date
# Monday 16.03.2026, 10:00 in Istanbul; Thursday 19 is the half-day eve, Friday 20 the
# first day of the Ramazan Bayramı, Monday 23 the next business day.
MONDAY = datetime.datetime(2026, 3, 16, 7, 0, tzinfo=datetime.UTC)


@pytest.fixture(autouse=True)
def _monday(settings):
    settings.BILGIISLEM_EXTRA_HOLIDAYS = []
    with time_machine.travel(MONDAY, tick=False):
        yield


def run(day):
    result = approval_remind_waiting(day)
    return (result.reminded, result.escalated)


def events(action):
    return list(AuditEvent.objects.filter(action=action).order_by("seq"))


def submitted(people, units, recipient=None, coordination=()):
    letter = services.letter_create(
        actor=people["memur"],
        subject="Ağ Anahtarlarının Yenilenmesi",
        body="Birinci paragraf.\n\nGereğini arz ederim.",
        sdp_code="010.06.01",
        recipients=[recipient or {"kind": "internal", "unit": units["yazi-isleri"]}],
    )
    services.letter_submit(actor=people["memur"], letter=letter, coordination=coordination)
    return letter


def fresh(username):
    """A new person object: "İşlerim" answers are cached on the object for one request."""
    return Person.objects.get(username=username)


def test_reminded_after_two_business_days_once_a_day_escalated_after_four(people, units):
    letter = submitted(people, units)  # the Chief's paraf waits from Monday
    assert run(D(2026, 3, 17)) == (0, 0)
    assert run(D(2026, 3, 18)) == (1, 0)
    assert run(D(2026, 3, 18)) == (0, 0)  # once a day, however often the task runs
    reminded = events("correspondence.step.reminded")[0]
    assert reminded.object_id == str(letter.pk)
    assert reminded.changes["to"] == ["sef"] and reminded.changes["business_days"] == 2
    assert run(D(2026, 3, 19)) == (1, 0)
    assert run(D(2026, 3, 20)) == (1, 0)  # the bayram: still three business days
    assert run(D(2026, 3, 23)) == (1, 1)
    assert run(D(2026, 3, 23)) == (0, 0)
    escalated = events("correspondence.step.escalated")[0]
    assert escalated.changes["late"] == ["sef"]
    assert escalated.changes["escalated_to"] == ["mudur"]
    assert escalated.changes["escalated_post"] == "Bilgi İşlem Müdürü"
    assert escalated.changes["business_days"] == 4
    assert run(D(2026, 3, 24)) == (1, 1)  # and again the next day


def test_escalation_goes_up_the_line_and_stops_at_the_mayor(people, units):
    letter = submitted(
        people,
        units,
        {"kind": "public_body", "name": "Karasu Kaymakamlığı", "identifier": "12345678"},
    )
    services.step_approve(actor=people["sef"], letter=letter)  # the Director's paraf waits
    assert run(D(2026, 3, 23)) == (1, 1)
    assert events("correspondence.step.escalated")[-1].changes["escalated_to"] == [
        "baskan.yardimcisi"
    ]
    services.step_approve(actor=people["mudur"], letter=letter)  # the Deputy Mayor's paraf
    assert run(D(2026, 3, 24)) == (1, 1)
    assert events("correspondence.step.escalated")[-1].changes["escalated_to"] == ["baskan"]
    services.step_approve(actor=people["baskan.yardimcisi"], letter=letter)  # the Mayor signs
    assert run(D(2026, 3, 25)) == (1, 0)  # nobody above the Mayor: reminders only
    assert events("correspondence.step.reminded")[-1].changes["to"] == ["baskan"]


def test_a_coordinating_director_is_escalated_to_their_deputy_mayor(people, units, positions):
    letter = submitted(people, units, coordination=[positions["yazi-isleri", "mudur"]])
    services.step_approve(actor=people["sef"], letter=letter)
    assert run(D(2026, 3, 23)) == (1, 1)
    event = events("correspondence.step.escalated")[-1]
    assert event.changes["late"] == ["yaziisleri.mudur"]
    assert event.changes["escalated_to"] == ["baskan.yardimcisi"]


def test_returned_and_signed_letters_are_left_alone(people, units):
    letter = submitted(people, units)
    services.step_return(actor=people["sef"], letter=letter, comment="Düzeltin")
    assert run(D(2026, 3, 23)) == (0, 0)


def test_the_waiting_days_and_the_escalation_show_in_my_work(people, units):
    submitted(people, units)
    run(D(2026, 3, 23))
    with time_machine.travel(datetime.datetime(2026, 3, 23, 7, 0, tzinfo=datetime.UTC)):
        (item,) = [i for i in work_items_for(fresh("sef")) if i.category == "Awaiting paraf"]
        assert item.detail.endswith("waiting 4 business days")
        escalated = [
            i for i in work_items_for(fresh("mudur")) if i.category == "Approvals escalated to you"
        ]
        assert len(escalated) == 1
        assert escalated[0].detail == "Bilgi İşlem Şefi — waiting 4 business days"
        # Only the nearest superior gets it, not everybody above.
        for username in ("baskan", "baskan.yardimcisi", "yaziisleri.mudur"):
            categories = {i.category for i in work_items_for(fresh(username))}
            assert "Approvals escalated to you" not in categories


def test_the_thresholds_are_settings(people, units, settings):
    settings.BILGIISLEM_APPROVAL_REMIND_DAYS = 1
    settings.BILGIISLEM_APPROVAL_ESCALATE_DAYS = 2
    submitted(people, units)
    assert run(D(2026, 3, 17)) == (1, 0)
    assert run(D(2026, 3, 18)) == (1, 1)


def test_the_daily_task_runs_the_service_on_business_days(people, units):
    submitted(people, units)
    with time_machine.travel(datetime.datetime(2026, 3, 23, 5, 0, tzinfo=datetime.UTC)):
        assert send_approval_reminders.call_local() == {"reminded": 1, "escalated": 1}
    with time_machine.travel(datetime.datetime(2026, 3, 20, 5, 0, tzinfo=datetime.UTC)):
        assert send_approval_reminders.call_local() is None  # the bayram
