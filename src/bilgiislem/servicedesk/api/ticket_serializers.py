"""What the requests API returns and accepts. Serializers check shape; services decide.

Integer fields are declared (not derived from PositiveIntegerField), so the schema is the
same on SQLite and PostgreSQL.
"""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import Category, Channel, EntryKind, Priority, SlaStatus, TicketState
from ..models import Ticket, TicketAttachment, TicketEntry


def enum_field(choices, **kwargs):
    """A choice field whose enum stays inline in the schema: "kind" and "status" name other
    choice sets elsewhere in the API (as correspondence/api/serializers.py does)."""
    field_class = type(f"Ticket{choices.__name__}Field", (serializers.ChoiceField,), {})
    schema = {"allOf": [{"type": "string", "enum": list(choices.values)}]}
    return extend_schema_field(schema)(field_class)(choices=choices.choices, **kwargs)


class TicketSlaSerializer(serializers.Serializer):
    """The clock as the queue page shows it (computed, no queries)."""

    status = enum_field(SlaStatus, read_only=True)
    due_at = serializers.DateTimeField(read_only=True, allow_null=True)
    remaining_minutes = serializers.IntegerField(read_only=True, allow_null=True)
    target = serializers.CharField(read_only=True)


class TicketListItemSerializer(serializers.ModelSerializer):
    """A request as a line of a list."""

    id = serializers.IntegerField(read_only=True)
    number = serializers.CharField(source="number_label", read_only=True)
    state = serializers.ChoiceField(choices=TicketState.choices, read_only=True)
    queue = serializers.StringRelatedField(read_only=True)
    queue_id = serializers.IntegerField(read_only=True)
    requester = serializers.StringRelatedField(read_only=True)
    requester_unit = serializers.StringRelatedField(read_only=True)
    organization = serializers.StringRelatedField(read_only=True)
    assignee = serializers.StringRelatedField(read_only=True)
    assignee_id = serializers.IntegerField(read_only=True, allow_null=True)
    sla = serializers.SerializerMethodField()

    class Meta:
        model = Ticket
        fields = [
            "id",
            "number",
            "title",
            "category",
            "priority",
            "state",
            "channel",
            "queue",
            "queue_id",
            "requester",
            "requester_unit",
            "organization",
            "contact_name",
            "assignee",
            "assignee_id",
            "needs_acceptance",
            "created_at",
            "response_due_at",
            "resolution_due_at",
            "resolved_at",
            "closed_at",
            "sla",
        ]
        read_only_fields = fields

    @extend_schema_field(TicketSlaSerializer(allow_null=True))
    def get_sla(self, ticket):
        info = getattr(ticket, "sla", None)
        return TicketSlaSerializer(info).data if info is not None else None


class TicketEntrySerializer(serializers.ModelSerializer):
    """One entry of the conversation. The time booked is the desk's internal bookkeeping:
    ``minutes_spent`` is null for the requester side (``desk_side`` false in the context)."""

    id = serializers.IntegerField(read_only=True)
    kind = enum_field(EntryKind, read_only=True)
    author = serializers.StringRelatedField(read_only=True)
    minutes_spent = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = TicketEntry
        fields = ["id", "kind", "author", "text", "minutes_spent", "created_at"]
        read_only_fields = fields

    def to_representation(self, instance):
        data = super().to_representation(instance)
        if not self.context.get("desk_side", False):
            data["minutes_spent"] = None
        return data


class TicketFileSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    size = serializers.IntegerField(read_only=True)
    entry = serializers.IntegerField(source="entry_id", read_only=True, allow_null=True)

    class Meta:
        model = TicketAttachment
        fields = ["id", "entry", "filename", "content_type", "size", "sha256", "internal"]
        read_only_fields = fields


class TicketDetailSerializer(TicketListItemSerializer):
    """A request with its conversation as the person may read it (no internal notes for the
    requester side) and what the person may do now."""

    description = serializers.CharField(read_only=True)
    resolution = serializers.CharField(read_only=True)
    recorded_by = serializers.StringRelatedField(read_only=True)
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    merged_into = serializers.IntegerField(source="merged_into_id", read_only=True, allow_null=True)
    source_document = serializers.IntegerField(
        source="source_document_id", read_only=True, allow_null=True
    )
    entries = serializers.SerializerMethodField()
    attachments = serializers.SerializerMethodField()
    actions = serializers.SerializerMethodField()

    class Meta(TicketListItemSerializer.Meta):
        fields = [
            *TicketListItemSerializer.Meta.fields,
            "description",
            "resolution",
            "contact_email",
            "contact_phone",
            "recorded_by",
            "due_date",
            "first_response_at",
            "parent",
            "merged_into",
            "source_document",
            "entries",
            "attachments",
            "actions",
        ]
        read_only_fields = fields

    @extend_schema_field(TicketEntrySerializer(many=True))
    def get_entries(self, ticket):
        return TicketEntrySerializer(
            self.context["entries"],
            many=True,
            context={"desk_side": self.context.get("desk_side", False)},
        ).data

    @extend_schema_field(TicketFileSerializer(many=True))
    def get_attachments(self, ticket):
        return TicketFileSerializer(self.context["attachments"], many=True).data

    @extend_schema_field(serializers.ListField(child=serializers.CharField()))
    def get_actions(self, ticket):
        return sorted(self.context["actions"])


class TicketCreateSerializer(serializers.Serializer):
    """A new request. ``requester``/``organization`` only for desk agents (on behalf)."""

    title = serializers.CharField(max_length=300)
    description = serializers.CharField()
    category = serializers.ChoiceField(choices=Category.choices)
    priority = serializers.ChoiceField(choices=Priority.choices, default=Priority.NORMAL)
    channel = extend_schema_field(
        {"allOf": [{"type": "string", "enum": [Channel.API, Channel.PHONE, Channel.DESK]}]}
    )(type("TicketCreateChannelField", (serializers.ChoiceField,), {}))(
        choices=[(c.value, c.label) for c in (Channel.API, Channel.PHONE, Channel.DESK)],
        default=Channel.API,
    )
    requester = serializers.IntegerField(required=False, allow_null=True)
    requester_unit = serializers.IntegerField(required=False, allow_null=True)
    organization = serializers.IntegerField(required=False, allow_null=True)
    contact_name = serializers.CharField(required=False, allow_blank=True, max_length=200)
    contact_email = serializers.EmailField(required=False, allow_blank=True)
    contact_phone = serializers.CharField(required=False, allow_blank=True, max_length=50)
    parent = serializers.IntegerField(required=False, allow_null=True)


class TicketMinutesSerializer(serializers.Serializer):
    minutes_spent = serializers.IntegerField(required=False, default=0)


class TicketAssignSerializer(serializers.Serializer):
    assignee = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TicketMoveSerializer(serializers.Serializer):
    queue = serializers.IntegerField()
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TicketPauseSerializer(TicketMinutesSerializer):
    reason = serializers.ChoiceField(choices=["requester", "vendor", "part"])
    note = serializers.CharField(required=False, allow_blank=True, default="")


class TicketResolveSerializer(TicketMinutesSerializer):
    resolution = serializers.CharField(allow_blank=True)


class TicketReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


class TicketMessageSerializer(TicketMinutesSerializer):
    text = serializers.CharField(allow_blank=True)
    internal = serializers.BooleanField(required=False, default=False)


class TicketTimeSerializer(serializers.Serializer):
    minutes_spent = serializers.IntegerField()
    text = serializers.CharField(required=False, allow_blank=True, default="")


class TicketOtherSerializer(serializers.Serializer):
    """Another request by id (null frees a child from its parent)."""

    ticket = serializers.IntegerField(allow_null=True)


class TicketPrioritySerializer(serializers.Serializer):
    priority = serializers.CharField()
