"""What the registry API answers with. Read-only shapes; the inputs are in ``inputs.py``.

People and units are given as small references of their own: an app never imports another
app's API (STYLE.md), so the organisation API's serializers are not reused here.
"""

import datetime

from django.urls import reverse
from django.utils import timezone
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bilgiislem.organization.models import OrgUnit, Person

from ..models import Annex, Custody, Document, DocumentFile, Note, Reference, Routing


class RegistryPersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "username", "full_name"]
        read_only_fields = fields


class RegistryUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name"]
        read_only_fields = fields


class DocumentBriefSerializer(serializers.ModelSerializer):
    """A document as a line of a list: no files, routings or notes."""

    number = serializers.CharField(source="number_label", read_only=True)
    registry = RegistryUnitSerializer(read_only=True)
    registered_by = RegistryPersonSerializer(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "number",
            "registry",
            "registry_year",
            "registry_number",
            "direction",
            "medium",
            "registered_at",
            "registered_by",
            "party_kind",
            "party_name",
            "party_identifier",
            "sayi",
            "document_date",
            "subject",
            "sdp_code",
            "secrecy",
            "urgency",
            "urgency_date",
            "status",
            "done_at",
        ]
        read_only_fields = fields


class DocumentFileSerializer(serializers.ModelSerializer):
    uploaded_by = RegistryPersonSerializer(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = DocumentFile
        fields = [
            "id",
            "role",
            "filename",
            "content_type",
            "size",
            "sha256",
            "uploaded_by",
            "uploaded_at",
            "download_url",
        ]
        read_only_fields = fields

    def get_download_url(self, file) -> str:
        return reverse(
            "registry-api:document-file", kwargs={"pk": file.document_id, "file_id": file.pk}
        )


class AnnexSerializer(serializers.ModelSerializer):
    class Meta:
        model = Annex
        fields = ["id", "kind", "description", "file"]
        read_only_fields = fields


class ReferenceSerializer(serializers.ModelSerializer):
    class Meta:
        model = Reference
        fields = ["id", "referenced", "sayi", "date", "description"]
        read_only_fields = fields


class RoutingSerializer(serializers.ModelSerializer):
    routed_by = RegistryPersonSerializer(read_only=True)
    to_person = RegistryPersonSerializer(read_only=True, allow_null=True)
    to_unit = RegistryUnitSerializer(read_only=True, allow_null=True)
    closed_by = RegistryPersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Routing
        fields = [
            "id",
            "document",
            "parent",
            "routed_by",
            "routed_as",
            "to_person",
            "to_unit",
            "purpose",
            "instruction",
            "due_date",
            "deadline_basis",
            "status",
            "created_at",
            "read_at",
            "closed_at",
            "closed_by",
            "outcome",
            "return_reason",
            "reply",
        ]
        read_only_fields = fields


class RoutingWorkSerializer(RoutingSerializer):
    """A routing in a work list: with its document, its age and whether it is late."""

    document = DocumentBriefSerializer(read_only=True)
    age_days = serializers.SerializerMethodField()
    overdue = serializers.SerializerMethodField()

    class Meta(RoutingSerializer.Meta):
        fields = [*RoutingSerializer.Meta.fields, "age_days", "overdue"]
        read_only_fields = fields

    def get_age_days(self, routing) -> int:
        return (timezone.localdate() - timezone.localdate(routing.created_at)).days

    def get_overdue(self, routing) -> bool:
        today: datetime.date = timezone.localdate()
        return routing.due_date is not None and routing.due_date < today


class CustodySerializer(serializers.ModelSerializer):
    holder = RegistryPersonSerializer(read_only=True, allow_null=True)
    holder_unit = RegistryUnitSerializer(read_only=True, allow_null=True)
    given_by = RegistryPersonSerializer(read_only=True)
    acknowledged_by = RegistryPersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Custody
        fields = [
            "id",
            "document",
            "kind",
            "holder",
            "holder_unit",
            "given_by",
            "given_at",
            "routing",
            "acknowledged_at",
            "acknowledged_by",
            "proof",
            "released_at",
        ]
        read_only_fields = fields


class NoteSerializer(serializers.ModelSerializer):
    author = RegistryPersonSerializer(read_only=True)
    file = DocumentFileSerializer(read_only=True, allow_null=True)

    class Meta:
        model = Note
        fields = ["id", "document", "author", "text", "file", "created_at"]
        read_only_fields = fields


class DocumentDetailSerializer(DocumentBriefSerializer):
    """A document with everything that happened to it since it was registered."""

    party_unit = RegistryUnitSerializer(read_only=True, allow_null=True)
    files = DocumentFileSerializer(many=True, read_only=True)
    annexes = AnnexSerializer(many=True, read_only=True)
    references = ReferenceSerializer(many=True, read_only=True)
    routings = RoutingSerializer(many=True, read_only=True)
    custody = CustodySerializer(many=True, read_only=True)
    notes = NoteSerializer(many=True, read_only=True)
    paper_holder = serializers.SerializerMethodField()

    class Meta(DocumentBriefSerializer.Meta):
        fields = [
            *DocumentBriefSerializer.Meta.fields,
            "party_unit",
            "paper_location",
            "source",
            "eyp_belge_id",
            "files",
            "annexes",
            "references",
            "routings",
            "custody",
            "notes",
            "paper_holder",
        ]
        read_only_fields = fields

    @extend_schema_field(CustodySerializer(allow_null=True))
    def get_paper_holder(self, document):
        """Who holds the paper original now: the last paper hand-over not passed on."""
        from ..choices import CustodyKind

        held = [
            c for c in document.custody.all() if c.kind == CustodyKind.PAPER and not c.released_at
        ]
        if not held:
            return None
        return CustodySerializer(max(held, key=lambda c: (c.given_at, c.pk))).data
