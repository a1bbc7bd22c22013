"""Shapes of the organisation API. Serializers check shape only; the services decide."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from ..choices import RecipientClass, UnitChangeKind, UnitKind
from ..models import (
    ActingAssignment,
    AppointmentRequest,
    Institution,
    OrgUnit,
    Person,
    Position,
    PositionHolding,
    SignatureDelegation,
    UnitChangeRequest,
)

REASON_MAX_LENGTH = 1000
PASSWORD_MAX_LENGTH = 128
JUSTIFICATION_MAX_LENGTH = 4000


class PersonRefSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "username", "full_name"]
        read_only_fields = fields


class UnitRefSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name"]
        read_only_fields = fields


class PositionRefSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)

    class Meta:
        model = Position
        fields = ["id", "title", "kind", "unit"]
        read_only_fields = fields


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = [
            "id",
            "name",
            "short_name",
            "letterhead",
            "detsis_no",
            "address",
            "phone",
            "email",
            "kep_address",
            "website",
            "sample_fields",
        ]
        read_only_fields = fields


class OrgUnitSerializer(serializers.ModelSerializer):
    """A unit in the shape it had on the requested date (today's shape without ``on``)."""

    name = serializers.CharField(source="as_of_name", read_only=True)
    kind = serializers.ChoiceField(source="as_of_kind", choices=UnitKind.choices, read_only=True)
    parent = serializers.IntegerField(source="as_of_parent_id", read_only=True, allow_null=True)
    shape_valid_from = serializers.DateField(read_only=True, allow_null=True)
    shape_valid_to = serializers.DateField(read_only=True, allow_null=True)

    class Meta:
        model = OrgUnit
        fields = [
            "id",
            "code",
            "name",
            "kind",
            "parent",
            "detsis_no",
            "detsis_is_sample",
            "is_system_owner",
            "sort_order",
            "valid_from",
            "valid_to",
            "shape_valid_from",
            "shape_valid_to",
        ]
        read_only_fields = fields


class HolderSerializer(serializers.Serializer):
    person = PersonRefSerializer(read_only=True)
    start_date = serializers.DateField(read_only=True)
    end_date = serializers.DateField(read_only=True, allow_null=True)
    acting = serializers.BooleanField(read_only=True)


class PositionSerializer(serializers.ModelSerializer):
    """A post with the people who hold it today, and whoever acts for it (vekalet)."""

    unit = UnitRefSerializer(read_only=True)
    is_head = serializers.BooleanField(read_only=True)
    holders = serializers.SerializerMethodField()

    class Meta:
        model = Position
        fields = ["id", "title", "kind", "unit", "is_head", "holders"]
        read_only_fields = fields

    @extend_schema_field(HolderSerializer(many=True))
    def get_holders(self, position):
        rows = [
            {
                "person": h.person,
                "start_date": h.start_date,
                "end_date": h.end_date,
                "acting": False,
            }
            for h in position.current_holdings
        ] + [
            {
                "person": a.acting_person,
                "start_date": a.start_date,
                "end_date": a.end_date,
                "acting": True,
            }
            for a in position.current_acting
        ]
        return HolderSerializer(rows, many=True).data


class PostSerializer(serializers.Serializer):
    """One post a person holds or acts for; ``label`` reads "… V." when acting."""

    position = serializers.IntegerField(source="position.pk", read_only=True)
    title = serializers.CharField(source="position.title", read_only=True)
    kind = serializers.CharField(source="position.kind", read_only=True)
    unit = UnitRefSerializer(source="position.unit", read_only=True)
    acting = serializers.SerializerMethodField()
    acting_until = serializers.SerializerMethodField()
    label = serializers.CharField(read_only=True)

    def get_acting(self, post) -> bool:
        return post.acting is not None

    def get_acting_until(self, post) -> str | None:
        return post.acting.end_date.isoformat() if post.acting is not None else None


class PersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True)
    posts = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "full_name",
            "title",
            "email",
            "phone",
            "is_active",
            "posts",
        ]
        read_only_fields = fields

    @extend_schema_field(PostSerializer(many=True))
    def get_posts(self, person):
        from ..permissions import EffectivePost

        posts = [EffectivePost(h.position) for h in person.current_holdings] + [
            EffectivePost(a.position, a) for a in person.current_acting
        ]
        posts.sort(key=lambda p: (-p.rank, p.acting is not None))
        return PostSerializer(posts, many=True).data


class PersonCreateSerializer(serializers.ModelSerializer):
    """A new account; without ``password`` it cannot log in until one is set."""

    password = serializers.CharField(
        max_length=PASSWORD_MAX_LENGTH,
        write_only=True,
        required=False,
        allow_blank=True,
        default="",
        trim_whitespace=False,
        style={"input_type": "password"},
        help_text=_("Initial password, checked against the password rules; empty: none."),
    )

    class Meta:
        model = Person
        fields = ["username", "first_name", "last_name", "email", "title", "phone", "password"]
        extra_kwargs = {
            # Uniqueness (case-insensitive) is the service's rule and message.
            "username": {"validators": Person._meta.get_field("username").validators},
            "first_name": {"required": True, "allow_blank": False},
            "last_name": {"required": True, "allow_blank": False},
            "email": {"default": ""},
            "title": {"default": ""},
            "phone": {"default": ""},
        }


class HoldingSerializer(serializers.ModelSerializer):
    """Who holds a post from a date to a date (görevlendirme)."""

    person = PersonRefSerializer(read_only=True)
    position = PositionRefSerializer(read_only=True)

    class Meta:
        model = PositionHolding
        fields = ["id", "person", "position", "start_date", "end_date"]
        read_only_fields = fields


class HoldingCreateSerializer(serializers.ModelSerializer):
    position = serializers.PrimaryKeyRelatedField(queryset=Position.objects.all())

    class Meta:
        model = PositionHolding
        fields = ["position", "start_date", "end_date"]
        extra_kwargs = {"end_date": {"default": None}}
        validators = []


class HoldingEndSerializer(serializers.Serializer):
    end_date = serializers.DateField(help_text=_("The last day in the post."))


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH, allow_blank=True, default="")


class RequiredReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class ActingAssignmentSerializer(serializers.ModelSerializer):
    position = PositionRefSerializer(read_only=True)
    acting_person = PersonRefSerializer(read_only=True)
    created_by = PersonRefSerializer(read_only=True)
    cancelled_by = PersonRefSerializer(read_only=True)
    label = serializers.SerializerMethodField()

    class Meta:
        model = ActingAssignment
        fields = [
            "id",
            "position",
            "acting_person",
            "label",
            "start_date",
            "end_date",
            "reason",
            "created_by",
            "created_at",
            "cancelled_at",
            "cancelled_by",
        ]
        read_only_fields = fields

    def get_label(self, assignment) -> str:
        return f"{assignment.position.title} V."


class ActingAssignmentCreateSerializer(serializers.ModelSerializer):
    position = serializers.PrimaryKeyRelatedField(queryset=Position.objects.all())
    acting_person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())

    class Meta:
        model = ActingAssignment
        fields = ["position", "acting_person", "start_date", "end_date", "reason"]
        # Rules across fields (end after start, overlaps) are the service's; no model-level
        # validators run here so that the service's message is the one people see.
        validators = []


class SignatureDelegationSerializer(serializers.ModelSerializer):
    delegator = PersonRefSerializer(read_only=True)
    delegator_position = PositionRefSerializer(read_only=True)
    delegate = PersonRefSerializer(read_only=True)
    delegate_position = PositionRefSerializer(read_only=True)
    units = UnitRefSerializer(many=True, read_only=True)
    recipient_classes = serializers.ListField(
        child=serializers.ChoiceField(choices=RecipientClass.choices), read_only=True
    )
    revoked_by = PersonRefSerializer(read_only=True)

    class Meta:
        model = SignatureDelegation
        fields = [
            "id",
            "delegator",
            "delegator_position",
            "delegate",
            "delegate_position",
            "recipient_classes",
            "units",
            "description",
            "start_date",
            "end_date",
            "created_at",
            "revoked_at",
            "revoked_by",
        ]
        read_only_fields = fields


class SignatureDelegationCreateSerializer(serializers.ModelSerializer):
    delegate = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    recipient_classes = serializers.ListField(
        child=serializers.ChoiceField(choices=RecipientClass.choices),
        allow_empty=False,
        max_length=len(RecipientClass.choices),
    )
    units = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), many=True, required=False
    )

    class Meta:
        model = SignatureDelegation
        fields = ["delegate", "recipient_classes", "units", "start_date", "end_date", "description"]
        validators = []


class AppointmentRequestSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    person = PersonRefSerializer(read_only=True)
    proposed_by = PersonRefSerializer(read_only=True)
    decided_by = PersonRefSerializer(read_only=True)

    class Meta:
        model = AppointmentRequest
        fields = [
            "id",
            "unit",
            "person",
            "justification",
            "status",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "holding",
        ]
        read_only_fields = fields


class AppointmentRequestCreateSerializer(serializers.ModelSerializer):
    unit = serializers.PrimaryKeyRelatedField(queryset=OrgUnit.objects.all())
    person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    justification = serializers.CharField(
        max_length=JUSTIFICATION_MAX_LENGTH, allow_blank=True, default=""
    )

    class Meta:
        model = AppointmentRequest
        fields = ["unit", "person", "justification"]


class UnitChangeRequestSerializer(serializers.ModelSerializer):
    unit = UnitRefSerializer(read_only=True)
    parent = UnitRefSerializer(read_only=True)
    resulting_unit = UnitRefSerializer(read_only=True)
    proposed_by = PersonRefSerializer(read_only=True)
    decided_by = PersonRefSerializer(read_only=True)

    class Meta:
        model = UnitChangeRequest
        fields = [
            "id",
            "kind",
            "unit",
            "name",
            "unit_kind",
            "parent",
            "justification",
            "status",
            "proposed_by",
            "proposed_at",
            "decided_by",
            "decided_at",
            "decision_reason",
            "resulting_unit",
        ]
        read_only_fields = fields


class UnitChangeRequestCreateSerializer(serializers.ModelSerializer):
    kind = serializers.ChoiceField(choices=UnitChangeKind.choices)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True, default=None
    )
    parent = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.all(), required=False, allow_null=True, default=None
    )
    justification = serializers.CharField(
        max_length=JUSTIFICATION_MAX_LENGTH, allow_blank=True, default=""
    )

    class Meta:
        model = UnitChangeRequest
        fields = ["kind", "unit", "name", "parent", "justification"]
        extra_kwargs = {"name": {"default": ""}}
