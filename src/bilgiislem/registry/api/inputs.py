"""What the registry API accepts. Serializers check shape only; the services decide the rules.

Strings carry the model's length limits, so an oversize value is refused naming its field
instead of being cut short by the service. Uploads are checked here for emptiness, size and
type, so the message names the request field that carried the bad file (the services check
again when they store it).
"""

import json

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError
from bilgiislem.organization.choices import UnitKind
from bilgiislem.organization.models import OrgUnit, Person

from ..choices import AnnexKind, DeadlineBasis, Medium, PartyKind, Purpose, Secrecy, Urgency
from ..models import Document

MAX_FILES = 20
MAX_ITEMS = 50
NOTE_MAX_LENGTH = 4000
REASON_MAX_LENGTH = 1000
INSTRUCTION_MAX_LENGTH = 2000
MULTIPART_JSON_HELP = _("In a multipart request, send this list as one JSON string.")


class CheckedUploadField(serializers.FileField):
    """An uploaded file that is not empty, not over the limit, and is what its name says."""

    def __init__(self, *, max_bytes_setting="BILGIISLEM_UPLOAD_MAX_BYTES", extensions=None, **kw):
        self.max_bytes_setting = max_bytes_setting
        self.extensions = extensions
        kw.setdefault("allow_empty_file", True)  # the storage layer's message names the file
        super().__init__(**kw)

    def to_internal_value(self, data):
        upload = super().to_internal_value(data)
        limit = getattr(settings, self.max_bytes_setting)
        try:
            head = upload.read(storage.SNIFF_BYTES)
            upload.seek(0)
            if not head:
                raise DomainError(_("“%(name)s” is empty.") % {"name": upload.name}, field="file")
            if upload.size is not None and upload.size > limit:
                raise DomainError(
                    _("“%(name)s” is larger than the limit of %(limit)s.")
                    % {"name": upload.name, "limit": filesizeformat(limit)},
                    field="file",
                )
            storage.check_type(upload.name, head, self.extensions)
        except DomainError as exc:
            raise serializers.ValidationError(
                [m for msgs in exc.errors.values() for m in msgs]
            ) from exc
        return upload


class JsonListField(serializers.ListField):
    """A list that a multipart request may send as one JSON string (``'[{...}, ...]'``)."""

    def to_internal_value(self, data):
        if isinstance(data, list) and len(data) == 1 and isinstance(data[0], str):
            data = data[0]
        if isinstance(data, str):
            try:
                data = json.loads(data) if data.strip() else []
            except ValueError:
                raise serializers.ValidationError(_("Not valid JSON.")) from None
        return super().to_internal_value(data)


def _directorates():
    return OrgUnit.objects.filter(kind=UnitKind.MUDURLUK, valid_to__isnull=True)


@extend_schema_field(OpenApiTypes.INT)
class VisibleDocumentField(serializers.PrimaryKeyRelatedField):
    """A document the requesting person may see; any other id is "not found"."""

    def get_queryset(self):
        return Document.objects.visible_to(self.context["request"].user)


class AnnexInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=AnnexKind.choices)
    description = serializers.CharField(max_length=500)
    file_index = serializers.IntegerField(
        min_value=0,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("For an electronic annex: its position in annex_files, counting from 0."),
    )


class ReferenceInputSerializer(serializers.Serializer):
    document = VisibleDocumentField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A document registered here that this one refers to."),
    )
    sayi = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    date = serializers.DateField(required=False, allow_null=True, default=None)
    description = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )


class DocumentRegisterSerializer(serializers.Serializer):
    """Register a document. Multipart with files, or JSON for paper without files."""

    registry = serializers.PrimaryKeyRelatedField(
        queryset=_directorates(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The directorate's registry; may be left out by someone who keeps only one."),
    )
    medium = serializers.ChoiceField(
        choices=Medium.choices,
        required=False,
        allow_null=True,
        default=None,
        help_text=_("Electronic when files are uploaded, paper otherwise, unless given."),
    )
    party_kind = serializers.ChoiceField(choices=PartyKind.choices)
    party_name = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")
    party_identifier = serializers.CharField(
        max_length=16, required=False, allow_blank=True, default=""
    )
    party_unit = serializers.PrimaryKeyRelatedField(
        queryset=_directorates(), required=False, allow_null=True, default=None
    )
    sayi = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    document_date = serializers.DateField(required=False, allow_null=True, default=None)
    subject = serializers.CharField(max_length=500)
    sdp_code = serializers.CharField(max_length=30, required=False, allow_blank=True, default="")
    secrecy = serializers.ChoiceField(choices=Secrecy.choices, default=Secrecy.NONE)
    urgency = serializers.ChoiceField(choices=Urgency.choices, default=Urgency.NORMAL)
    urgency_date = serializers.DateField(required=False, allow_null=True, default=None)
    paper_location = serializers.CharField(
        max_length=300, required=False, allow_blank=True, default=""
    )
    files = serializers.ListField(
        child=CheckedUploadField(),
        required=False,
        default=list,
        max_length=MAX_FILES,
        help_text=_("The document itself (electronic) or its scan (paper)."),
    )
    annexes = JsonListField(
        child=AnnexInputSerializer(),
        required=False,
        default=list,
        max_length=MAX_ITEMS,
        help_text=MULTIPART_JSON_HELP,
    )
    annex_files = serializers.ListField(
        child=CheckedUploadField(), required=False, default=list, max_length=MAX_FILES
    )
    references = JsonListField(
        child=ReferenceInputSerializer(),
        required=False,
        default=list,
        max_length=MAX_ITEMS,
        help_text=MULTIPART_JSON_HELP,
    )

    def validate(self, attrs):
        annex_files = attrs.pop("annex_files")
        annexes = []
        for annex in attrs["annexes"]:
            index = annex.get("file_index")
            if index is not None and index >= len(annex_files):
                raise serializers.ValidationError(
                    {"annexes": [_("An annex names a file that was not uploaded.")]}
                )
            annexes.append(
                {
                    "kind": annex["kind"],
                    "description": annex["description"],
                    "upload": annex_files[index] if index is not None else None,
                }
            )
        attrs["annexes"] = annexes
        attrs["references"] = [
            {
                "referenced": ref["document"],
                "sayi": ref["sayi"],
                "date": ref["date"],
                "description": ref["description"],
            }
            for ref in attrs["references"]
        ]
        if attrs["medium"] is None:
            attrs["medium"] = Medium.ELECTRONIC if attrs["files"] else Medium.PAPER
        return attrs


class EypImportSerializer(serializers.Serializer):
    registry = serializers.PrimaryKeyRelatedField(
        queryset=_directorates(), required=False, allow_null=True, default=None
    )
    file = CheckedUploadField(
        max_bytes_setting="BILGIISLEM_EYP_MAX_BYTES",
        extensions=[".eyp"],
        help_text=_("The e-Yazışma package (.eyp) as received."),
    )


class SendInternalSerializer(serializers.Serializer):
    to_registry = serializers.PrimaryKeyRelatedField(queryset=_directorates())


class NoteCreateSerializer(serializers.Serializer):
    text = serializers.CharField(max_length=NOTE_MAX_LENGTH)
    file = CheckedUploadField(required=False, allow_null=True, default=None)


class RecipientSerializer(serializers.Serializer):
    person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True, default=None
    )
    unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.filter(valid_to__isnull=True),
        required=False,
        allow_null=True,
        default=None,
    )
    purpose = serializers.ChoiceField(choices=Purpose.choices)

    def validate(self, attrs):
        if (attrs["person"] is None) == (attrs["unit"] is None):
            raise serializers.ValidationError(_("Choose one person or one unit."))
        return attrs


class RoutingCreateSerializer(serializers.Serializer):
    recipients = serializers.ListField(
        child=RecipientSerializer(), allow_empty=False, max_length=MAX_ITEMS
    )
    instruction = serializers.CharField(
        max_length=INSTRUCTION_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    due_date = serializers.DateField(required=False, allow_null=True, default=None)
    deadline_basis = serializers.ChoiceField(
        choices=DeadlineBasis.choices,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("How to set the due date when none is given."),
    )

    def validate(self, attrs):
        attrs["recipients"] = [
            (r["person"] or r["unit"], r["purpose"]) for r in attrs["recipients"]
        ]
        return attrs


class RoutingForwardSerializer(serializers.Serializer):
    to_person = serializers.PrimaryKeyRelatedField(queryset=Person.objects.all())
    purpose = serializers.ChoiceField(
        choices=Purpose.choices, required=False, allow_null=True, default=None
    )
    instruction = serializers.CharField(
        max_length=INSTRUCTION_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    due_date = serializers.DateField(required=False, allow_null=True, default=None)


class RoutingReturnSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=REASON_MAX_LENGTH)


class RoutingCloseSerializer(serializers.Serializer):
    outcome = serializers.CharField(
        max_length=NOTE_MAX_LENGTH, required=False, allow_blank=True, default=""
    )
    reply = VisibleDocumentField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The registered document that answered it, if any."),
    )


class CustodyHandOverSerializer(serializers.Serializer):
    to_person = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(), required=False, allow_null=True, default=None
    )
    to_unit = serializers.PrimaryKeyRelatedField(
        queryset=OrgUnit.objects.filter(valid_to__isnull=True),
        required=False,
        allow_null=True,
        default=None,
    )


class CustodyAcknowledgeSerializer(serializers.Serializer):
    proof = CheckedUploadField(
        required=False,
        allow_null=True,
        default=None,
        help_text=_("The scanned zimmet list signed by the receiver."),
    )
