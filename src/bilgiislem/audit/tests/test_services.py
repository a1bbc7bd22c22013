"""Writing and verifying the audit trail (DESIGN.md invariant 1, issue 2 point 7).

Only ``audit`` and ``core`` are imported here (the layer contract); the people come from the
conftest fixtures. That every organisation action writes its event is tested on the
organisation side, in ``organization/tests/test_audit_trail.py``.
"""

import datetime
import zoneinfo

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, transaction

from bilgiislem.audit import chain
from bilgiislem.audit.db import drop_triggers, install_triggers
from bilgiislem.audit.models import AuditChainHead, AuditEvent
from bilgiislem.audit.services import audit_export_record, audit_record
from bilgiislem.audit.verify import verify_chain
from bilgiislem.core import context

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo("Europe/Istanbul")
NOW = datetime.datetime(2025, 3, 10, 10, 0, tzinfo=TZ)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(NOW, tick=False)


def tip() -> int:
    return AuditEvent.objects.order_by("-seq").values_list("seq", flat=True).first() or 0


def record(people, n=3, **kwargs):
    """``n`` events by different people about a person, each in its own transaction."""
    names = ["mudur", "baskan", "sef", "memur"]
    events = []
    for i in range(n):
        with transaction.atomic():
            actor = people[names[i % len(names)]]
            events.append(
                audit_record(
                    actor=actor,
                    action="test.thing.done",
                    obj=people["kalem"],
                    changes={"i": i},
                    **kwargs,
                )
            )
    return events


def test_an_event_names_actor_action_object_and_time(people):
    (event,) = record(people, 1, reason="neden", acting_for=people["memur"])
    event.refresh_from_db()
    assert event.actor == people["mudur"]
    assert event.actor_repr == "mudur"
    assert event.action == "test.thing.done"
    assert (event.object_type, event.object_id) == ("organization.person", str(people["kalem"].pk))
    assert event.object_repr == str(people["kalem"])
    assert event.acting_for == str(people["memur"])
    assert event.acting_for_ref == f"organization.person:{people['memur'].pk}"
    assert event.reason == "neden"
    assert event.occurred_at == NOW
    head = AuditChainHead.objects.get()
    assert (head.seq, head.last_hash) == (event.seq, event.hash)


def test_events_are_chained_in_sequence(people):
    first, second, third = record(people, 3)
    assert (second.seq, third.seq) == (first.seq + 1, first.seq + 2)
    assert second.prev_hash == first.hash and third.prev_hash == second.hash
    assert len({first.hash, second.hash, third.hash}) == 3


def test_the_chain_verifies_after_a_series_of_events(people):
    record(people, 10)
    checked, fault = verify_chain(batch_size=3)
    assert fault is None
    assert checked == AuditEvent.objects.count() == AuditChainHead.objects.get().seq
    call_command("audit_verify")


def test_a_rolled_back_change_leaves_no_event(people):
    start = tip()
    with pytest.raises(ZeroDivisionError), transaction.atomic():
        audit_record(actor=people["mudur"], action="test.thing.done")
        1 / 0  # noqa: B018
    assert tip() == start
    assert verify_chain()[1] is None
    record(people, 1)
    assert verify_chain()[1] is None


def test_a_system_event_has_no_actor():
    with transaction.atomic():
        event = audit_record(actor=None, action="test.thing.done")
    assert event.actor_id is None and event.actor_repr == "system"
    assert (event.object_type, event.object_id, event.object_repr) == ("", "", "")


def test_object_repr_is_cut_to_its_field(people):
    with transaction.atomic():
        event = audit_record(actor=None, action="test.thing.done", object_repr="x" * 500)
    assert len(event.object_repr) == 300
    assert verify_chain()[1] is None


def _record_from(ip_address, request_id="abc123"):
    token = context.bind(context.RequestContext(request_id=request_id, ip_address=ip_address))
    try:
        with transaction.atomic():
            event = audit_record(actor=None, action="test.thing.done")
    finally:
        context.reset(token)
    event.refresh_from_db()
    return event


@pytest.mark.parametrize(
    ("sent", "stored"),
    [
        ("192.0.2.7", "192.0.2.7"),
        ("::1", "::1"),
        ("2001:0DB8:0000::0001", "2001:db8::1"),  # the field normalises IPv6 on save
        ("not-an-address", None),
        ("", None),
    ],
)
def test_request_context_is_recorded_and_the_chain_still_verifies(sent, stored):
    event = _record_from(sent)
    assert event.request_id == "abc123"
    assert event.ip_address == stored
    assert verify_chain()[1] is None


def test_audit_record_refuses_to_run_outside_a_transaction():
    # pytest-django wraps the test in a transaction; leave it to see the check.
    from unittest import mock

    with mock.patch.object(connection, "in_atomic_block", False), pytest.raises(RuntimeError):
        audit_record(actor=None, action="test.thing.done")


def test_export_is_recorded(people):
    event = audit_export_record(actor=people["mudur"], filters={"action": "organization."}, count=3)
    assert event.action == "audit.export.created"
    assert event.changes == {"filters": {"action": "organization."}, "count": 3}


def test_changes_are_stored_as_plain_json_and_still_verify(people):
    with transaction.atomic():
        audit_record(
            actor=people["mudur"],
            action="test.thing.done",
            object_repr="İğüşöç Birimi",
            changes={
                "date": datetime.date(2025, 3, 10),
                "when": datetime.datetime(2025, 3, 10, 9, tzinfo=TZ),
                "name": "İğüşöç Birimi",
                "nested": {"b": [1, 2], "a": None},
            },
        )
    event = AuditEvent.objects.get(seq=tip())
    assert event.changes["date"] == "2025-03-10"
    assert event.changes["when"] == "2025-03-10T09:00:00+03:00"
    assert event.object_repr == "İğüşöç Birimi"
    assert verify_chain()[1] is None


# --- tampering --------------------------------------------------------------------------------


@pytest.fixture
def tamper():
    """Drop the triggers as an attacker with database access would; put them back after."""
    drop_triggers(connection)
    yield
    install_triggers(connection)


def test_deleting_the_last_event_is_detected_as_missing_at_the_end(people, tamper):
    record(people, 2)
    last = tip()
    AuditEvent.objects.filter(seq=last).delete()
    checked, fault = verify_chain()
    assert checked == last - 1
    assert fault.seq == last
    assert f"head records #{last}" in fault.reason
    with pytest.raises(CommandError, match=f"#{last}"):
        call_command("audit_verify")


def test_deleting_an_event_in_the_middle_is_named(people, tamper):
    record(people, 3)
    victim = tip() - 1
    AuditEvent.objects.filter(seq=victim).delete()
    checked, fault = verify_chain()
    assert (checked, fault.seq) == (victim - 1, victim)
    assert "missing" in fault.reason


def test_a_changed_link_is_named(people, tamper):
    record(people, 3)
    victim = tip() - 1
    AuditEvent.objects.filter(seq=victim).update(prev_hash="f" * 64)
    _, fault = verify_chain()
    assert fault.seq == victim
    assert "link" in fault.reason
    with pytest.raises(CommandError, match=f"#{victim}"):
        call_command("audit_verify")


def test_a_rewritten_event_with_a_recomputed_hash_breaks_the_next_link(people, tamper):
    record(people, 3)
    victim = AuditEvent.objects.get(seq=tip() - 1)
    values = chain.values_of(victim)
    values["reason"] = "silently changed"
    AuditEvent.objects.filter(pk=victim.pk).update(
        reason="silently changed", hash=chain.event_hash(values)
    )
    _, fault = verify_chain()
    assert fault.seq == victim.seq + 1
    assert "link" in fault.reason


def test_changed_content_is_named(people, tamper):
    record(people, 2)
    victim = tip() - 1
    AuditEvent.objects.filter(seq=victim).update(actor_repr="someone-else")
    _, fault = verify_chain()
    assert fault.seq == victim
    assert "content" in fault.reason
