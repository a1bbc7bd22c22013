"""Writing to the audit trail. Every other app's services call ``audit_record``."""

import datetime
import ipaddress

from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.utils import timezone
from django.utils.ipv6 import clean_ipv6_address

from bilgiislem.core import context
from bilgiislem.core.encoding import plain_json

from . import chain
from .models import AuditChainHead, AuditEvent


def _clean_ip(value: str | None) -> str | None:
    """The address exactly as the database will store it (the hash must match on reading).

    The field normalises IPv6 ('2001:DB8::0001' → '2001:db8::1'); garbage is dropped rather
    than failing the change it records.
    """
    if not value:
        return None
    try:
        if ":" in value:
            return clean_ipv6_address(value)
        return str(ipaddress.IPv4Address(value))
    except (ValueError, ValidationError):
        return None


def audit_record(
    *,
    actor,
    action: str,
    obj: models.Model | None = None,
    changes: dict | None = None,
    reason: str = "",
    acting_for=None,
    object_repr: str | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the transaction of the change itself.

    ``acting_for`` is the post the actor acted for (a vekalet), if any: anything with a
    ``pk`` and a ``str()``.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record must run inside the transaction of the change")
    head_seq, head_hash = _lock_head()
    ctx = context.current()
    values = {
        "seq": head_seq + 1,
        "occurred_at": timezone.now().astimezone(datetime.UTC),
        "actor_id": actor.pk if actor is not None else None,
        "actor_repr": actor.get_username() if actor is not None else "system",
        "acting_for": str(acting_for) if acting_for is not None else "",
        "acting_for_ref": (
            f"{acting_for._meta.label_lower}:{acting_for.pk}" if acting_for is not None else ""
        ),
        "action": action,
        "object_type": obj._meta.label_lower if obj is not None else "",
        "object_id": str(obj.pk) if obj is not None else "",
        "object_repr": (object_repr if object_repr is not None else str(obj or ""))[:300],
        "changes": plain_json(changes or {}),
        "reason": reason or "",
        "request_id": ctx.request_id,
        "ip_address": _clean_ip(ctx.ip_address),
        "prev_hash": head_hash,
    }
    values["hash"] = chain.event_hash(values)
    event = AuditEvent.objects.create(**values)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {_HEAD} SET seq = %s, last_hash = %s WHERE id = 1",  # noqa: S608
            [event.seq, event.hash],
        )
    return event


_HEAD = AuditChainHead._meta.db_table


def _lock_head() -> tuple[int, str]:
    """Read the chain's tip, locking it until the transaction ends (every event passes here,
    so this is plain SQL rather than the ORM)."""
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT seq, last_hash FROM {_HEAD} WHERE id = 1{lock}")  # noqa: S608
        row = cursor.fetchone()
    if row is None:
        head, _ = AuditChainHead.objects.select_for_update().get_or_create(pk=1)
        return head.seq, head.last_hash
    return row[0], row[1]


@transaction.atomic
def audit_export_record(*, actor, filters: dict, count: int) -> AuditEvent:
    """Exporting the trail is itself recorded (who took a copy of what)."""
    return audit_record(
        actor=actor, action="audit.export.created", changes={"filters": filters, "count": count}
    )
