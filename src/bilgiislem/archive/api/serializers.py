"""What the archive API answers with (records part: file plan, folders, filings, records),
and what it accepts. Integer fields are declared explicitly so SQLite and PostgreSQL give
the same schema."""

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bilgiislem.organization.models import OrgUnit, Person
from bilgiislem.registry.models import Document

from ..models import ArchivedRecord, FilePlanCode, FilePlanVersion, Filing, Folder, RecordCorrection
from ..services.fileplan import letter_of


class ArchivePersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "username", "full_name"]
        read_only_fields = fields


class ArchiveUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name"]
        read_only_fields = fields


class FilePlanVersionSerializer(serializers.ModelSerializer):
    class Meta:
        model = FilePlanVersion
        fields = ["id", "name", "effective_from", "source", "loaded_at"]
        read_only_fields = fields


class FilePlanCodeSerializer(serializers.ModelSerializer):
    parent = serializers.CharField(source="parent.code", read_only=True, allow_null=True)
    unit_years = serializers.IntegerField(read_only=True, allow_null=True)
    institution_years = serializers.IntegerField(read_only=True, allow_null=True)
    disposition_letter = serializers.SerializerMethodField()
    version = serializers.IntegerField(source="version_id", read_only=True)

    class Meta:
        model = FilePlanCode
        fields = [
            "code",
            "title",
            "parent",
            "version",
            "is_header",
            "secondary_only",
            "unit_years",
            "institution_years",
            "disposition",
            "disposition_letter",
            "is_sample",
            "note",
        ]
        read_only_fields = fields

    def get_disposition_letter(self, code) -> str:
        return letter_of(code.disposition)


class FolderSerializer(serializers.ModelSerializer):
    unit = ArchiveUnitSerializer(read_only=True)
    code = serializers.CharField(source="code.code", read_only=True)
    year = serializers.IntegerField(read_only=True)
    unit_years = serializers.IntegerField(read_only=True, allow_null=True)
    institution_years = serializers.IntegerField(read_only=True, allow_null=True)
    unit_archive_until = serializers.IntegerField(read_only=True, allow_null=True)
    retention_until = serializers.IntegerField(read_only=True, allow_null=True)
    document_count = serializers.IntegerField(read_only=True)
    location = serializers.CharField(source="location.label", read_only=True, allow_null=True)
    plan_version = serializers.IntegerField(source="code.version_id", read_only=True)

    class Meta:
        model = Folder
        fields = [
            "id",
            "unit",
            "code",
            "title",
            "year",
            "stage",
            "closed_at",
            "unit_years",
            "institution_years",
            "disposition",
            "unit_archive_until",
            "retention_until",
            "location",
            "document_count",
            "plan_version",
        ]
        read_only_fields = fields


class FiledDocumentSerializer(serializers.ModelSerializer):
    number = serializers.CharField(source="number_label", read_only=True)
    registry_year = serializers.IntegerField(read_only=True)
    registry_number = serializers.IntegerField(read_only=True)

    class Meta:
        model = Document
        fields = [
            "id",
            "number",
            "registry_year",
            "registry_number",
            "subject",
            "sdp_code",
            "status",
        ]
        read_only_fields = fields


class FilingSerializer(serializers.ModelSerializer):
    folder = FolderSerializer(read_only=True)
    document = FiledDocumentSerializer(read_only=True)
    filed_by = ArchivePersonSerializer(read_only=True)
    archived_record = serializers.SerializerMethodField()

    class Meta:
        model = Filing
        fields = ["id", "folder", "document", "is_main", "filed_by", "filed_at", "archived_record"]
        read_only_fields = fields

    @extend_schema_field(serializers.IntegerField(allow_null=True))
    def get_archived_record(self, filing):
        record = getattr(filing.document, "archived_record", None)
        return record.pk if record is not None else None


class FolderFilingSerializer(FilingSerializer):
    """A filing inside its folder's detail (the folder itself is not repeated)."""

    class Meta(FilingSerializer.Meta):
        fields = ["id", "document", "is_main", "filed_by", "filed_at", "archived_record"]
        read_only_fields = fields


class FolderDetailSerializer(FolderSerializer):
    filings = serializers.SerializerMethodField()
    hidden_documents = serializers.SerializerMethodField()

    class Meta(FolderSerializer.Meta):
        fields = [*FolderSerializer.Meta.fields, "filings", "hidden_documents"]
        read_only_fields = fields

    @extend_schema_field(FolderFilingSerializer(many=True))
    def get_filings(self, folder):
        return FolderFilingSerializer(self.context.get("filings", []), many=True).data

    @extend_schema_field(serializers.IntegerField())
    def get_hidden_documents(self, folder) -> int:
        return self.context.get("hidden", 0)


class CorrectionSerializer(serializers.ModelSerializer):
    correction = FiledDocumentSerializer(read_only=True)
    recorded_by = ArchivePersonSerializer(read_only=True)
    original = serializers.IntegerField(source="original_id", read_only=True)

    class Meta:
        model = RecordCorrection
        fields = ["id", "original", "correction", "reason", "recorded_by", "recorded_at"]
        read_only_fields = fields


class ArchivedRecordSerializer(serializers.ModelSerializer):
    document = FiledDocumentSerializer(read_only=True)
    folder = FolderSerializer(read_only=True)
    archived_by = ArchivePersonSerializer(read_only=True, allow_null=True)

    class Meta:
        model = ArchivedRecord
        fields = [
            "id",
            "document",
            "folder",
            "archived_at",
            "archived_by",
            "manifest_sha256",
            "disposal_state",
            "disposed_at",
        ]
        read_only_fields = fields


class ManifestFileSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    role = serializers.CharField()
    filename = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()


class ArchivedRecordDetailSerializer(ArchivedRecordSerializer):
    manifest_matches = serializers.SerializerMethodField()
    files = serializers.SerializerMethodField()
    corrections = serializers.SerializerMethodField()

    class Meta(ArchivedRecordSerializer.Meta):
        fields = [*ArchivedRecordSerializer.Meta.fields, "manifest_matches", "files", "corrections"]
        read_only_fields = fields

    def get_manifest_matches(self, record) -> bool:
        from ..services import record_manifest_matches

        return record_manifest_matches(record)

    @extend_schema_field(ManifestFileSerializer(many=True))
    def get_files(self, record):
        from ..services import manifest_of

        return manifest_of(record.document)["files"]

    @extend_schema_field(CorrectionSerializer(many=True))
    def get_corrections(self, record):
        return CorrectionSerializer(self.context.get("corrections", []), many=True).data


# --- inputs ----------------------------------------------------------------------------------


class SdpCodeInputSerializer(serializers.Serializer):
    sdp_code = serializers.CharField(max_length=30)


class ArchiveInputSerializer(serializers.Serializer):
    sdp_code = serializers.CharField(
        max_length=30,
        required=False,
        allow_blank=True,
        help_text="Only for a document registered without a file plan code.",
    )


class CorrectionInputSerializer(serializers.Serializer):
    correction_document = serializers.IntegerField(help_text="Id of the correcting document.")
    reason = serializers.CharField(max_length=2000)


class ReevaluateInputSerializer(serializers.Serializer):
    version = serializers.IntegerField(help_text="Id of the file plan version to apply.")
    reason = serializers.CharField(max_length=2000)


class CloseYearInputSerializer(serializers.Serializer):
    year = serializers.IntegerField()


class CloseYearResultSerializer(serializers.Serializer):
    closed = serializers.IntegerField()
