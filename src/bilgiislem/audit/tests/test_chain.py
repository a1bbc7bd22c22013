import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError, connection, transaction

from bilgiislem.audit.db import drop_triggers, install_triggers
from bilgiislem.audit.models import AuditEvent
from bilgiislem.audit.services import audit_record


def _record(n=3):
    with transaction.atomic():
        return [
            audit_record(actor=None, action="test.thing.done", changes={"i": i}) for i in range(n)
        ]


def test_chain_verifies(db):
    _record()
    call_command("audit_verify")


def test_database_refuses_update_and_delete(db):
    event = _record(1)[0]
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(reason="changed")
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).delete()


def test_tampering_is_named(db):
    events = _record(4)
    victim = events[1]
    drop_triggers(connection)
    try:
        AuditEvent.objects.filter(pk=victim.pk).update(reason="quietly changed")
        with pytest.raises(CommandError, match=f"#{victim.seq}"):
            call_command("audit_verify")
    finally:
        install_triggers(connection)


def test_chain_head_cannot_be_rewound_or_deleted(db):
    from bilgiislem.audit.models import AuditChainHead

    _record(2)
    head = AuditChainHead.objects.get(pk=1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChainHead.objects.filter(pk=1).update(seq=head.seq - 1)
    with pytest.raises(DatabaseError), transaction.atomic():
        AuditChainHead.objects.filter(pk=1).delete()
    _record(1)  # moving forward still works
    call_command("audit_verify")
