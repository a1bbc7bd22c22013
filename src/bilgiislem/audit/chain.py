"""Hashing of audit events: one canonical form, used when writing and when verifying."""

import hashlib
import json

GENESIS = "0" * 64
HASHED_FIELDS = (
    "seq",
    "occurred_at",
    "actor_id",
    "actor_repr",
    "acting_for",
    "acting_for_ref",
    "action",
    "object_type",
    "object_id",
    "object_repr",
    "changes",
    "reason",
    "request_id",
    "ip_address",
    "prev_hash",
)


def canonical(values: dict) -> bytes:
    payload = dict(values)
    payload["occurred_at"] = payload["occurred_at"].isoformat(timespec="microseconds")
    return json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode()


def event_hash(values: dict) -> str:
    return hashlib.sha256(canonical({k: values[k] for k in HASHED_FIELDS})).hexdigest()


def values_of(event) -> dict:
    values = {k: getattr(event, k) for k in HASHED_FIELDS}
    return values
