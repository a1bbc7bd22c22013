"""Archive API, records part: the file plan, folders (with label PDFs), filing, archiving and
corrections. Reads are scoped (archive.querysets); each write is one service. A folder,
record or document the person may not see answers 404; a visible one their posts do not let
them act on answers 403 with the reason."""

from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from bilgiislem.registry.models import Document
from bilgiislem.registry.selectors import document_get_for_user

from .. import selectors, services
from ..labels import labels_pdf
from ..models import FilePlanCode, FilePlanVersion
from . import serializers as s

PDF = OpenApiResponse(OpenApiTypes.BINARY, description="application/pdf")
VERSION = OpenApiParameter(
    "version", int, description="Plan version id (default: the version in force)."
)


class LabelPdfRenderer(BaseRenderer):
    """Lets a label be asked for with ``Accept: application/pdf``; errors still go out as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return JSONRenderer().render(data)


def _read(request, serializer_class, context=None) -> dict:
    serializer = serializer_class(data=request.data, context=context or {})
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


@extend_schema(tags=["archive"])
class FilePlanVersionViewSet(viewsets.ReadOnlyModelViewSet):
    """Versions of the file plan, newest first (public inside the institution)."""

    serializer_class = s.FilePlanVersionSerializer
    queryset = FilePlanVersion.objects.all()
    filter_backends = []


@extend_schema(tags=["archive"])
class FilePlanCodeViewSet(viewsets.ReadOnlyModelViewSet):
    """SDP codes of a plan version; ``q`` searches code prefixes and titles (Turkish letters
    folded)."""

    serializer_class = s.FilePlanCodeSerializer
    lookup_field = "code"
    lookup_value_regex = r"[0-9][0-9.\-]*"
    filter_backends = []

    def version(self) -> FilePlanVersion:
        return selectors.plan_version_get(self.request.query_params.get("version"))

    def get_queryset(self):
        return FilePlanCode.objects.filter(version=self.version()).select_related("parent")

    @extend_schema(
        parameters=[VERSION, OpenApiParameter("q", str, description="Code prefix or title.")]
    )
    def list(self, request, *args, **kwargs):
        q = (request.query_params.get("q") or "").strip()
        if not q:
            return super().list(request, *args, **kwargs)
        rows = [r.code for r in selectors.plan_tree(self.version(), q) if r.match]
        page = self.paginate_queryset(rows)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(parameters=[VERSION])
    def retrieve(self, request, *args, **kwargs):
        code = selectors.code_get(self.version(), kwargs["code"])
        return Response(self.get_serializer(code).data)


FOLDER_FILTERS = [
    OpenApiParameter("unit", int, description="Unit id."),
    OpenApiParameter("year", int),
    OpenApiParameter(
        "stage",
        str,
        enum=["active", "unit_archive", "institution_archive", "state_archives", "disposed"],
    ),
    OpenApiParameter("code", str, description="Code prefix, e.g. 700."),
    OpenApiParameter("q", str, description="Code or subject (Turkish letters folded)."),
]


@extend_schema(tags=["archive"])
class FolderViewSet(viewsets.ReadOnlyModelViewSet):
    """Subject folders the person may see (per unit, code and year)."""

    serializer_class = s.FolderSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.folder_list(self.request.user, self.request.query_params)[1]

    def get_object(self):
        return selectors.folder_get_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(parameters=FOLDER_FILTERS)
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    @extend_schema(responses=s.FolderDetailSerializer)
    def retrieve(self, request, *args, **kwargs):
        folder = self.get_object()
        filings, hidden = selectors.folder_filings(request.user, folder)
        data = s.FolderDetailSerializer(folder, context={"filings": filings, "hidden": hidden}).data
        return Response(data)

    @extend_schema(
        summary="The folder's label as PDF",
        parameters=[OpenApiParameter("per_page", int, enum=[1, 2, 4, 8])],
        responses={(200, "application/pdf"): PDF},
    )
    @action(detail=True, methods=["get"], renderer_classes=[LabelPdfRenderer, JSONRenderer])
    def label(self, request, pk=None):
        folder = self.get_object()

        def url_of(f):
            return request.build_absolute_uri(reverse("archive:folder-detail", args=[f.pk]))

        try:
            per_page = int(request.query_params.get("per_page", 1))
        except ValueError:
            per_page = 1
        pdf = labels_pdf([folder], url_of=url_of, per_page=per_page)
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="etiket-{folder.pk}.pdf"'
        return response

    @extend_schema(
        summary="Re-evaluate a closed folder's retention from a plan version (audited)",
        request=s.ReevaluateInputSerializer,
        responses={200: s.FolderSerializer},
    )
    @action(detail=True, methods=["post"])
    def reevaluate(self, request, pk=None):
        folder = self.get_object()
        data = _read(request, s.ReevaluateInputSerializer)
        version = FilePlanVersion.objects.filter(pk=data["version"]).first()
        if version is None:
            return Response(
                {"version": [_("No such file plan version.")]}, status=status.HTTP_400_BAD_REQUEST
            )
        (folder,) = services.folder_reevaluate_retention(
            actor=request.user, folder=folder, version=version, reason=data["reason"]
        )
        return Response(s.FolderSerializer(folder).data)

    @extend_schema(
        summary="Close a past year's active folders (normally the 2 January task)",
        request=s.CloseYearInputSerializer,
        responses={200: s.CloseYearResultSerializer},
    )
    @action(detail=False, methods=["post"], url_path="close-year")
    def close_year(self, request):
        data = _read(request, s.CloseYearInputSerializer)
        closed = services.folders_close_year(actor=request.user, year=data["year"])
        return Response({"closed": closed})


@extend_schema(tags=["archive"])
class DocumentFilingViewSet(viewsets.GenericViewSet):
    """Filing and archiving a registered document (by its registry document id)."""

    serializer_class = s.FilingSerializer
    queryset = Document.objects.none()  # for the schema's path parameter; reads go through
    filter_backends = []  # document_get_for_user
    pagination_class = None

    def document(self):
        return document_get_for_user(self.request.user, self.kwargs["pk"])

    @extend_schema(summary="Where the document is filed", responses=s.FilingSerializer(many=True))
    @action(detail=True, methods=["get"])
    def filings(self, request, pk=None):
        document = self.document()
        return Response(
            s.FilingSerializer(selectors.document_filings(request.user, document), many=True).data
        )

    @extend_schema(
        summary="File the document in its subject folder (its main filing)",
        request=s.ArchiveInputSerializer,
        responses={201: s.FilingSerializer},
    )
    @action(detail=True, methods=["post"], url_path="file")
    def file(self, request, pk=None):
        document = self.document()
        data = _read(request, s.ArchiveInputSerializer)
        filing = services.document_file(
            actor=request.user, document=document, code=data.get("sdp_code") or None
        )
        return Response(s.FilingSerializer(filing).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="File a copy in another subject folder (RYY art. 13(a))",
        request=s.SdpCodeInputSerializer,
        responses={201: s.FilingSerializer},
    )
    @action(detail=True, methods=["post"], url_path="file-copy")
    def file_copy(self, request, pk=None):
        document = self.document()
        data = _read(request, s.SdpCodeInputSerializer)
        filing = services.document_file_copy(
            actor=request.user, document=document, code=data["sdp_code"]
        )
        return Response(s.FilingSerializer(filing).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Archive the done document (RYY art. 13(b))",
        request=s.ArchiveInputSerializer,
        responses={201: s.ArchivedRecordSerializer},
    )
    @action(detail=True, methods=["post"])
    def archive(self, request, pk=None):
        document = self.document()
        data = _read(request, s.ArchiveInputSerializer)
        record = services.record_archive(
            actor=request.user, document=document, code=data.get("sdp_code") or None
        )
        return Response(s.ArchivedRecordSerializer(record).data, status=status.HTTP_201_CREATED)


@extend_schema(tags=["archive"])
class ArchivedRecordViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    """Archived records the person may see (the registry's visibility of their document)."""

    serializer_class = s.ArchivedRecordSerializer
    filter_backends = []

    def get_queryset(self):
        return selectors.record_scope(self.request.user).order_by("-archived_at", "-id")

    def _detail(self, record):
        visible = Document.objects.visible_to(self.request.user)
        corrections = [
            c for c in record.corrections.all() if visible.filter(pk=c.correction_id).exists()
        ]
        return s.ArchivedRecordDetailSerializer(record, context={"corrections": corrections}).data

    @extend_schema(responses=s.ArchivedRecordDetailSerializer)
    def retrieve(self, request, pk=None):
        return Response(self._detail(selectors.record_get_for_user(request.user, pk)))

    @extend_schema(
        summary="Link a newly registered document as a correction of the record",
        request=s.CorrectionInputSerializer,
        responses={201: s.CorrectionSerializer},
    )
    @action(detail=True, methods=["post"])
    def corrections(self, request, pk=None):
        record = selectors.record_get_for_user(request.user, pk)
        data = _read(request, s.CorrectionInputSerializer)
        try:
            correcting = document_get_for_user(request.user, data["correction_document"])
        except Http404:
            return Response(
                {"correction_document": [_("No such document.")]},
                status=status.HTTP_400_BAD_REQUEST,
            )
        correction = services.record_correct(
            actor=request.user, record=record, correction_document=correcting, reason=data["reason"]
        )
        return Response(s.CorrectionSerializer(correction).data, status=status.HTTP_201_CREATED)
