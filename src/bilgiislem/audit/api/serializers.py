"""Shape of the audit trail in the API (read-only: the trail is append-only)."""

from rest_framework import serializers

from ..models import AuditEvent


class AuditEventSerializer(serializers.ModelSerializer):
    class Meta:
        model = AuditEvent
        fields = [
            "id",
            "seq",
            "occurred_at",
            "actor",
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
            "hash",
        ]
        read_only_fields = fields
