"""What the correspondence API returns and accepts. Serializers check shape; services decide."""

from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bilgiislem.organization.choices import UnitKind
from bilgiislem.organization.models import OrgUnit, Position
from bilgiislem.registry.choices import Purpose, Secrecy, Urgency
from bilgiislem.registry.models import Document

from ..choices import LetterStatus, RecipientKind, StepKind, StepStatus
from ..models import ApprovalStep, Letter, LetterRecipient


def enum_field(choices, **kwargs):
    """A choice field whose enum stays inline in the schema (wrapped in ``allOf``): "kind"
    and "status" name other choice sets elsewhere in the API. An ``ENUM_NAME_OVERRIDES``
    entry per choice set in the settings would give them named components instead."""
    field_class = type(f"{choices.__name__}Field", (serializers.ChoiceField,), {})
    schema = {"allOf": [{"type": "string", "enum": list(choices.values)}]}
    return extend_schema_field(schema)(field_class)(choices=choices.choices, **kwargs)


class RecipientSerializer(serializers.ModelSerializer):
    kind = enum_field(RecipientKind, read_only=True)

    class Meta:
        model = LetterRecipient
        fields = ["kind", "unit", "name", "identifier", "address", "purpose", "annexes_omitted"]


class StepSerializer(serializers.ModelSerializer):
    kind = enum_field(StepKind, read_only=True)
    status = enum_field(StepStatus, read_only=True)
    position = serializers.StringRelatedField(read_only=True)
    person = serializers.StringRelatedField(read_only=True)
    acted_by = serializers.StringRelatedField(read_only=True)
    # Declared, not derived from PositiveIntegerField: the derived maximum depends on the
    # database (64-bit on SQLite, 32-bit on PostgreSQL) and the committed schema must not.
    order = serializers.IntegerField(read_only=True)
    version = serializers.IntegerField(read_only=True, allow_null=True)

    class Meta:
        model = ApprovalStep
        fields = [
            "order",
            "kind",
            "position",
            "person",
            "status",
            "acted_by",
            "acted_as",
            "acted_at",
            "version",
            "comment",
            "signature_sha256",
        ]


class LetterBriefSerializer(serializers.ModelSerializer):
    """A letter as a line of a list."""

    unit = serializers.StringRelatedField(read_only=True)
    prepared_by = serializers.StringRelatedField(read_only=True)
    status = enum_field(LetterStatus, read_only=True)
    version = serializers.IntegerField(read_only=True)

    class Meta:
        model = Letter
        fields = [
            "id",
            "unit",
            "prepared_by",
            "subject",
            "sdp_code",
            "secrecy",
            "urgency",
            "status",
            "version",
            "sayi",
            "signed_at",
            "created_at",
        ]


class LetterDetailSerializer(LetterBriefSerializer):
    """A letter with its text, recipients, references and approval chain."""

    recipients = RecipientSerializer(many=True, read_only=True)
    references = serializers.SerializerMethodField()
    steps = StepSerializer(many=True, read_only=True)

    class Meta(LetterBriefSerializer.Meta):
        fields = [
            *LetterBriefSerializer.Meta.fields,
            "body",
            "urgency_date",
            "reply_to",
            "verification_code",
            "recipients",
            "references",
            "steps",
        ]

    def get_references(self, letter) -> list[int]:
        return [ref.document_id for ref in letter.references.all()]


class RecipientInputSerializer(serializers.Serializer):
    kind = enum_field(RecipientKind)
    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.filter(kind=UnitKind.MUDURLUK), required=False, allow_null=True
    )
    name = serializers.CharField(max_length=300, required=False, allow_blank=True)
    identifier = serializers.CharField(max_length=16, required=False, allow_blank=True)
    address = serializers.CharField(max_length=500, required=False, allow_blank=True)
    purpose = serializers.ChoiceField(choices=Purpose.choices, default=Purpose.ACTION)
    annexes_omitted = serializers.BooleanField(default=False)


class LetterInputSerializer(serializers.Serializer):
    """A draft's text and recipients (create and update)."""

    subject = serializers.CharField(max_length=500)
    body = serializers.CharField()
    sdp_code = serializers.CharField(max_length=30)
    secrecy = serializers.ChoiceField(choices=Secrecy.choices, default=Secrecy.NONE)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    urgency_date = serializers.DateField(required=False, allow_null=True, default=None)
    recipients = RecipientInputSerializer(many=True, allow_empty=False)
    references = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(), many=True, required=False, default=list
    )
    reply_to = serializers.PrimaryKeyRelatedField(
        queryset=Document.objects.all(), required=False, allow_null=True, default=None
    )


class CommentSerializer(serializers.Serializer):
    comment = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class SignedPdfSerializer(serializers.Serializer):
    file = serializers.FileField(
        help_text=_("The PDF prepared for signature, signed with your e-imza (PAdES).")
    )


class SubmitSerializer(serializers.Serializer):
    coordination = serializers.PrimaryKeyRelatedField(
        queryset=Position.objects.all(),
        many=True,
        required=False,
        default=list,
        help_text=_(
            "Posts (Directors of other directorates) that coordinate before your Director, "
            "in this order."
        ),
    )


class RuleViolationSerializer(serializers.Serializer):
    """A finding of the rule check; an "error" blocks signing, a "warning" does not."""

    code = serializers.CharField(read_only=True)
    field = serializers.CharField(read_only=True)
    message = serializers.CharField(read_only=True)
    severity = serializers.CharField(
        read_only=True, help_text=_("“error” blocks signing; “warning” does not.")
    )
