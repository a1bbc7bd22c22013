"""Every organisation action leaves exactly one audit event naming the actor, the action and
the object, written in the same transaction (DESIGN.md invariant 1, issue 2 point 7).

These live on the organisation side because ``audit`` may not import ``organization``.
"""

import datetime
import zoneinfo
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from bilgiislem.audit.db import drop_triggers, install_triggers
from bilgiislem.audit.models import AuditChainHead, AuditEvent
from bilgiislem.audit.verify import verify_chain
from bilgiislem.core.errors import DomainError
from bilgiislem.organization import services
from bilgiislem.organization.choices import UnitChangeKind
from bilgiislem.organization.models import Person

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo("Europe/Istanbul")


def day(n: int) -> datetime.date:
    return datetime.date(2025, 3, n)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime.datetime(2025, 3, 10, 10, 0, tzinfo=TZ), tick=False)


def tip() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def one_event(action, call):
    """Run ``call``: exactly one event is appended, with ``action``. Returns (result, event)."""
    start = tip()
    result = call()
    new = list(AuditEvent.objects.filter(seq__gt=start).order_by("seq"))
    assert [e.action for e in new] == [action]
    return result, new[0]


def check(event, *, actor, obj, acting_for=""):
    assert event.actor_id == (actor.pk if actor else None)
    assert event.actor_repr == (actor.username if actor else "system")
    assert (event.object_type, event.object_id) == (obj._meta.label_lower, str(obj.pk))
    assert event.object_repr == str(obj)[:300]
    assert event.acting_for == acting_for
    assert event.occurred_at == datetime.datetime(2025, 3, 10, 7, 0, tzinfo=datetime.UTC)


def run_a_series(people, units, positions):
    """One of each organisation action, each checked for its single event."""
    mudur, baskan = people["mudur"], people["baskan"]

    assignment, e = one_event(
        "organization.acting.created",
        lambda: services.acting_create(
            actor=mudur,
            position=positions["bilgi-islem", "mudur"],
            acting_person=people["sef"],
            start_date=day(10),
            end_date=day(14),
            reason="izin",
        ),
    )
    check(e, actor=mudur, obj=assignment)
    assert e.reason == "izin"

    sef = Person.objects.get(username="sef")  # acting Director from today
    request, e = one_event(
        "organization.appointment.proposed",
        lambda: services.appointment_propose(
            actor=sef, unit=units["bilgi-islem-sistem"], person=people["memur"]
        ),
    )
    check(e, actor=sef, obj=request, acting_for="Bilgi İşlem Müdürü")
    assert e.acting_for_ref == f"organization.position:{positions['bilgi-islem', 'mudur'].pk}"

    request, e = one_event(
        "organization.appointment.approved",
        lambda: services.appointment_approve(actor=baskan, request=request, reason="uygun"),
    )
    check(e, actor=baskan, obj=request)

    other, _ = one_event(
        "organization.appointment.proposed",
        lambda: services.appointment_propose(
            actor=mudur, unit=units["bilgi-islem-kalem"], person=people["kalem"]
        ),
    )
    other, e = one_event(
        "organization.appointment.rejected",
        lambda: services.appointment_reject(actor=baskan, request=other, reason="erken"),
    )
    check(e, actor=baskan, obj=other)
    assert e.reason == "erken"

    _, e = one_event(
        "organization.acting.ended",
        lambda: services.acting_end(actor=mudur, assignment=assignment, reason="döndü"),
    )
    check(e, actor=mudur, obj=assignment)

    delegation, e = one_event(
        "organization.delegation.created",
        lambda: services.delegation_create(
            actor=baskan,
            delegate=people["baskan.yardimcisi"],
            recipient_classes=["public_body"],
            units=[units["bilgi-islem"]],
            start_date=day(10),
            end_date=day(31),
        ),
    )
    check(e, actor=baskan, obj=delegation)
    _, e = one_event(
        "organization.delegation.revoked",
        lambda: services.delegation_revoke(actor=baskan, delegation=delegation, reason="bitti"),
    )
    check(e, actor=baskan, obj=delegation)

    change, e = one_event(
        "organization.unit_change.proposed",
        lambda: services.unit_change_propose(
            actor=mudur,
            kind=UnitChangeKind.CREATE,
            name="Siber Güvenlik Birimi",
            parent=units["bilgi-islem"],
        ),
    )
    check(e, actor=mudur, obj=change)
    change, e = one_event(
        "organization.unit_change.approved",
        lambda: services.unit_change_approve(actor=baskan, request=change),
    )
    check(e, actor=baskan, obj=change)
    rename, _ = one_event(
        "organization.unit_change.proposed",
        lambda: services.unit_change_propose(
            actor=mudur, kind=UnitChangeKind.RENAME, unit=units["bilgi-islem-yazilim"], name="B"
        ),
    )
    rename, e = one_event(
        "organization.unit_change.rejected",
        lambda: services.unit_change_reject(actor=baskan, request=rename, reason="gerek yok"),
    )
    check(e, actor=baskan, obj=rename)

    person, e = one_event(
        "organization.person.created",
        lambda: services.person_create(
            actor=mudur, username="yeni", first_name="Yeni", last_name="Kişi"
        ),
    )
    check(e, actor=mudur, obj=person)
    holding, e = one_event(
        "organization.holding.created",
        lambda: services.holding_start(
            actor=mudur,
            person=person,
            position=positions["bilgi-islem-sistem", "memur"],
            start_date=day(10),
        ),
    )
    check(e, actor=mudur, obj=holding)
    _, e = one_event(
        "organization.holding.ended",
        lambda: services.holding_end(actor=mudur, holding=holding, end_date=day(10)),
    )
    check(e, actor=mudur, obj=holding)
    _, e = one_event(
        "organization.person.disabled",
        lambda: services.person_disable(actor=mudur, person=person, reason="ayrıldı"),
    )
    check(e, actor=mudur, obj=person)
    _, e = one_event(
        "organization.person.enabled",
        lambda: services.person_enable(actor=mudur, person=person),
    )
    check(e, actor=mudur, obj=person)


def test_every_organisation_action_writes_one_event_and_the_chain_verifies(
    people, units, positions
):
    run_a_series(people, units, positions)
    checked, fault = verify_chain()
    assert fault is None
    assert checked == AuditEvent.objects.count() == AuditChainHead.objects.get().seq
    call_command("audit_verify")


def test_refused_actions_write_no_event(people, units, positions):
    start = tip()
    for call in (
        lambda: services.acting_create(
            actor=people["memur"],
            position=positions["bilgi-islem", "mudur"],
            acting_person=people["sef"],
            start_date=day(10),
            end_date=day(11),
        ),
        lambda: services.delegation_create(
            actor=people["mudur"],
            delegate=people["by2"],
            recipient_classes=["citizen"],
            start_date=day(10),
            end_date=day(11),
        ),
        lambda: services.appointment_propose(
            actor=people["yaziisleri.mudur"],
            unit=units["bilgi-islem-sistem"],
            person=people["memur"],
        ),
        lambda: services.person_disable(actor=people["sef"], person=people["memur"], reason="x"),
    ):
        with pytest.raises(DomainError):
            call()
    assert tip() == start


def test_a_failed_unit_change_rolls_back_its_event(people, units):
    request = services.unit_change_propose(
        actor=people["mudur"], kind=UnitChangeKind.CLOSE, unit=units["bilgi-islem-kalem"]
    )
    start = tip()
    with pytest.raises(DomainError):
        services.unit_change_approve(actor=people["baskan"], request=request)
    assert tip() == start
    assert verify_chain()[1] is None


def test_loading_records_a_system_event(tmp_path):
    from django.conf import settings

    from bilgiislem.organization.loading import organization_load

    text = Path(settings.BILGIISLEM_ORGANIZATION_FILE).read_text(encoding="utf-8")
    path = tmp_path / "org.yaml"
    path.write_text(text.replace("name: Kalem Birimi", "name: Kalem ve Evrak Birimi"), "utf-8")
    _, event = one_event("organization.structure.loaded", lambda: organization_load(path))
    assert event.actor_id is None and event.actor_repr == "system"
    assert event.object_type == "organization.institution"
    assert verify_chain()[1] is None


def test_deleting_the_last_event_after_a_series_is_detected(people, units, positions):
    run_a_series(people, units, positions)
    last = tip()
    drop_triggers(connection)
    try:
        AuditEvent.objects.filter(seq=last).delete()
    finally:
        install_triggers(connection)
    checked, fault = verify_chain()
    assert (checked, fault.seq) == (last - 1, last)
    with pytest.raises(CommandError, match=f"#{last}"):
        call_command("audit_verify")
