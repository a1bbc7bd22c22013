"""Walking the hash chain (``manage.py audit_verify``)."""

import dataclasses

from . import chain
from .models import AuditChainHead, AuditEvent


@dataclasses.dataclass
class ChainFault:
    seq: int | None
    reason: str


def verify_chain(batch_size: int = 2000) -> tuple[int, ChainFault | None]:
    """Return (events checked, first fault or None)."""
    expected_prev = chain.GENESIS
    expected_seq = 1
    checked = 0
    for event in AuditEvent.objects.order_by("seq").iterator(chunk_size=batch_size):
        if event.seq != expected_seq:
            return checked, ChainFault(expected_seq, f"event #{expected_seq} is missing")
        if event.prev_hash != expected_prev:
            return checked, ChainFault(event.seq, "link to the previous event does not match")
        if chain.event_hash(chain.values_of(event)) != event.hash:
            return checked, ChainFault(event.seq, "content does not match its hash")
        expected_prev = event.hash
        expected_seq += 1
        checked += 1
    head = AuditChainHead.objects.filter(pk=1).first()
    head_seq, head_hash = (head.seq, head.last_hash) if head else (0, chain.GENESIS)
    if head_seq != checked or head_hash != expected_prev:
        return checked, ChainFault(
            checked + 1, f"chain ends at #{checked} but its head records #{head_seq}"
        )
    return checked, None
