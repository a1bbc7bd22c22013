"""Registry API: reads are scoped by ``Document.objects.visible_to``; each write is one service.

A document (or a routing, custody row or file of one) the person may not see answers 404; a
visible one their posts do not let them act on answers 403 with the reason
(``PermissionDeniedError``, recorded in the audit trail by the service).
"""

import json
import logging

from django.db.models import F, Prefetch
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from bilgiislem.core.downloads import attachment_response
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.core.storage import StorageCorruptionError
from bilgiislem.organization.choices import UnitKind
from bilgiislem.organization.models import OrgUnit
from bilgiislem.organization.permissions import managed_unit_ids

from .. import permissions, selectors, services
from ..choices import Direction
from ..models import Custody, Document, DocumentFile, Routing
from . import filters, inputs, serializers

logger = logging.getLogger(__name__)

UPLOAD_PARSERS = [MultiPartParser, FormParser, JSONParser]


class AnyTypeRenderer(BaseRenderer):
    """Lets a download be asked for with any ``Accept``; errors still go out as JSON."""

    media_type = "*/*"
    format = "file"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


class RegistryViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only endpoints whose changes go through one service each."""

    def read_input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def visible_documents(self):
        return Document.objects.visible_to(self.request.user)

    def visible_document(self, pk) -> Document:
        return selectors.document_get_for_user(self.request.user, pk)


def _detail_queryset(queryset):
    people = ("to_person", "to_unit", "routed_by", "closed_by")
    return queryset.select_related("registry", "registered_by", "party_unit").prefetch_related(
        Prefetch("files", queryset=DocumentFile.objects.select_related("uploaded_by")),
        "annexes",
        "references",
        Prefetch("routings", queryset=Routing.objects.select_related(*people)),
        Prefetch(
            "custody",
            queryset=Custody.objects.select_related(
                "holder", "holder_unit", "given_by", "acknowledged_by"
            ),
        ),
        "notes__author",
        "notes__file__uploaded_by",
    )


def _registry_for(person, registry: OrgUnit | None) -> OrgUnit:
    """The registry asked for, or the only one the person keeps.

    Someone who keeps none is sent to their own directorate's registry, so the service
    refuses (and records) the attempt there.
    """
    if registry is not None:
        return registry
    kept = permissions.registries_for(person)
    if len(kept) == 1:
        return kept[0]
    if len(kept) > 1:
        raise DomainError(_("Choose the registry."), field="registry")
    own = permissions.directorate_ids_of(person)
    if own:
        return OrgUnit.objects.get(pk=next(iter(own)))
    raise PermissionDeniedError(_("You may not register documents in any registry."))


@extend_schema_view(
    list=extend_schema(summary="Registered documents (search with ?q=)"),
    retrieve=extend_schema(summary="A document with its files, routings, custody and notes"),
)
class DocumentViewSet(RegistryViewSet):
    """Incoming and outgoing documents (evrak) the person may see."""

    serializer_class = serializers.DocumentBriefSerializer
    filterset_class = filters.DocumentApiFilter

    def get_queryset(self):
        queryset = self.visible_documents()
        if self.action == "retrieve":
            return _detail_queryset(queryset)
        return queryset.select_related("registry", "registered_by")

    def get_serializer_class(self):
        if self.action == "retrieve":
            return serializers.DocumentDetailSerializer
        return serializers.DocumentBriefSerializer

    def detail_response(self, document, status_code=status.HTTP_200_OK) -> Response:
        document = _detail_queryset(Document.objects.filter(pk=document.pk)).get()
        data = serializers.DocumentDetailSerializer(
            document, context=self.get_serializer_context()
        ).data
        return Response(data, status=status_code)

    def retrieve(self, request, *args, **kwargs):
        document = self.get_object()
        services.document_record_view(actor=request.user, document=document)
        for routing in document.routings.all():
            if routing.to_person_id == request.user.pk and routing.read_at is None:
                services.routing_mark_read(actor=request.user, routing=routing)
        return Response(self.get_serializer(document).data)

    def _register(self, direction):
        data = self.read_input(inputs.DocumentRegisterSerializer)
        files = data.pop("files")
        role = "main" if data["medium"] == "electronic" else "scan"
        data["registry"] = _registry_for(self.request.user, data["registry"])
        try:
            document = services.document_register(
                actor=self.request.user,
                direction=direction,
                uploads=[(f, role) for f in files],
                **data,
            )
        except DomainError as exc:
            # The service calls the uploaded files "uploads"; this API calls them "files".
            if "uploads" in exc.errors and not isinstance(exc, PermissionDeniedError):
                exc.errors["files"] = exc.errors.pop("uploads")
            raise
        return self.detail_response(document, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Register an incoming document",
        request={
            "multipart/form-data": inputs.DocumentRegisterSerializer,
            "application/json": inputs.DocumentRegisterSerializer,
        },
        responses={201: serializers.DocumentDetailSerializer},
    )
    @action(detail=False, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def incoming(self, request):
        return self._register(Direction.INCOMING)

    @extend_schema(
        summary="Register an outgoing document (entered by hand with its Sayı)",
        request={
            "multipart/form-data": inputs.DocumentRegisterSerializer,
            "application/json": inputs.DocumentRegisterSerializer,
        },
        responses={201: serializers.DocumentDetailSerializer},
    )
    @action(detail=False, methods=["post"], parser_classes=UPLOAD_PARSERS)
    def outgoing(self, request):
        return self._register(Direction.OUTGOING)

    @extend_schema(
        summary="Import an incoming e-Yazışma package (.eyp)",
        request={"multipart/form-data": inputs.EypImportSerializer},
        responses={201: serializers.DocumentDetailSerializer},
    )
    @action(
        detail=False,
        methods=["post"],
        url_path="import-eyp",
        parser_classes=[MultiPartParser, FormParser],
    )
    def import_eyp(self, request):
        data = self.read_input(inputs.EypImportSerializer)
        registry = _registry_for(request.user, data["registry"])
        document = services.eyp_register(
            actor=request.user, registry=registry, package_upload=data["file"]
        )
        return self.detail_response(document, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Download a file of the document",
        responses={
            (200, "application/octet-stream"): OpenApiResponse(OpenApiTypes.BINARY),
        },
    )
    @action(
        detail=True,
        methods=["get"],
        url_path=r"files/(?P<file_id>\d+)",
        url_name="file",
        renderer_classes=[JSONRenderer, AnyTypeRenderer],
        filter_backends=[],
        pagination_class=None,
    )
    def file(self, request, pk=None, file_id=None):
        document = self.visible_document(pk)
        file = document.files.filter(pk=file_id).first()
        if file is None:
            raise Http404
        services.document_record_view(actor=request.user, document=document)
        try:
            return attachment_response(file.sha256, file.filename, file.content_type)
        except StorageCorruptionError:
            logger.exception("Stored file %s of document %s is damaged", file.pk, document.pk)
            return Response(
                {"detail": _("The stored file is damaged or missing; tell the administrator.")},
                status=status.HTTP_500_INTERNAL_SERVER_ERROR,
            )

    @extend_schema(
        summary="Send the document to another directorate (it gets their registry number)",
        request=inputs.SendInternalSerializer,
        responses={201: serializers.DocumentBriefSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def send(self, request, pk=None):
        data = self.read_input(inputs.SendInternalSerializer)
        copy = services.document_send_internal(
            actor=request.user, document=self.visible_document(pk), **data
        )
        copy = Document.objects.select_related("registry", "registered_by").get(pk=copy.pk)
        return Response(
            serializers.DocumentBriefSerializer(copy).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Add a note (and optionally a file)",
        request={
            "multipart/form-data": inputs.NoteCreateSerializer,
            "application/json": inputs.NoteCreateSerializer,
        },
        responses={201: serializers.NoteSerializer},
    )
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS, filter_backends=[])
    def notes(self, request, pk=None):
        document = self.visible_document(pk)
        data = self.read_input(inputs.NoteCreateSerializer)
        note = services.note_add(
            actor=request.user, document=document, text=data["text"], upload=data["file"]
        )
        return Response(serializers.NoteSerializer(note).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Route (havale) the document to people or units",
        request=inputs.RoutingCreateSerializer,
        responses={201: serializers.RoutingSerializer(many=True)},
    )
    @action(detail=True, methods=["post"], filter_backends=[], pagination_class=None)
    def routings(self, request, pk=None):
        document = self.visible_document(pk)
        data = self.read_input(inputs.RoutingCreateSerializer)
        created = services.routing_create(actor=request.user, document=document, **data)
        fresh = Routing.objects.filter(pk__in=[r.pk for r in created]).select_related(
            "to_person", "to_unit", "routed_by", "closed_by"
        )
        return Response(
            serializers.RoutingSerializer(fresh, many=True).data, status=status.HTTP_201_CREATED
        )

    @extend_schema(
        summary="Hand the paper original over against signature (zimmet)",
        request=inputs.CustodyHandOverSerializer,
        responses={201: serializers.CustodySerializer},
    )
    @action(detail=True, methods=["post"], url_path="hand-over", filter_backends=[])
    def hand_over(self, request, pk=None):
        document = self.visible_document(pk)
        data = self.read_input(inputs.CustodyHandOverSerializer)
        custody = services.custody_hand_over(actor=request.user, document=document, **data)
        return Response(serializers.CustodySerializer(custody).data, status=status.HTTP_201_CREATED)


def _overseen_directorates(person) -> list[OrgUnit]:
    """Directorates whose open routings the person oversees (their Chief or Director)."""
    directorates = OrgUnit.objects.filter(kind=UnitKind.MUDURLUK)
    if not person.is_superuser:
        directorates = directorates.filter(pk__in=managed_unit_ids(person))
    found = list(directorates)
    if not found:
        raise PermissionDeniedError(
            _("Only a Chief or a Director sees the open routings of the directorate.")
        )
    return found


class RoutingViewSet(RegistryViewSet):
    """Routings (havale) of the documents the person may see; ``?mine=1``: waiting for me."""

    serializer_class = serializers.RoutingWorkSerializer
    filterset_class = filters.RoutingFilter

    def get_queryset(self):
        queryset = Routing.objects.filter(document__in=self.visible_documents()).select_related(
            "document__registry",
            "document__registered_by",
            "to_person",
            "to_unit",
            "routed_by",
            "closed_by",
        )
        if self.action == "list" and self.request.query_params.get("mine"):
            # Soonest due first; routings without a due date (for information) last.
            return queryset.order_by(F("due_date").asc(nulls_last=True), "created_at", "id")
        return queryset.order_by("-created_at", "-id")

    def respond(self, routing, status_code=status.HTTP_200_OK) -> Response:
        routing = self.get_queryset().filter(pk=routing.pk).first() or routing
        return Response(serializers.RoutingWorkSerializer(routing).data, status=status_code)

    @extend_schema(
        summary="Open routings of the directorate, per person, with their age (Chief, Director)",
        responses=serializers.RoutingWorkSerializer(many=True),
        filters=True,
    )
    @action(detail=False, methods=["get"], filterset_class=filters.OversightFilter)
    def oversight(self, request):
        queryset = Routing.objects.none()
        for directorate in _overseen_directorates(request.user):
            queryset |= selectors.open_routings_for_directorate(request.user, directorate)
        queryset = self.filter_queryset(
            queryset.select_related("document__registry", "document__registered_by", "closed_by")
        )
        page = self.paginate_queryset(queryset)
        return self.get_paginated_response(self.get_serializer(page, many=True).data)

    @extend_schema(
        summary="Route on to a person (the head of the unit it was routed to)",
        request=inputs.RoutingForwardSerializer,
        responses={201: serializers.RoutingWorkSerializer},
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def forward(self, request, pk=None):
        routing = self.get_object()
        data = self.read_input(inputs.RoutingForwardSerializer)
        child = services.routing_forward(actor=request.user, routing=routing, **data)
        return self.respond(child, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Return (iade) the routing with a reason",
        request=inputs.RoutingReturnSerializer,
        responses=serializers.RoutingWorkSerializer,
    )
    @action(detail=True, methods=["post"], url_path="return", filter_backends=[])
    def return_(self, request, pk=None):
        routing = self.get_object()
        data = self.read_input(inputs.RoutingReturnSerializer)
        return self.respond(services.routing_return(actor=request.user, routing=routing, **data))

    @extend_schema(
        summary="Close the routing with its outcome",
        request=inputs.RoutingCloseSerializer,
        responses=serializers.RoutingWorkSerializer,
    )
    @action(detail=True, methods=["post"], filter_backends=[])
    def close(self, request, pk=None):
        routing = self.get_object()
        data = self.read_input(inputs.RoutingCloseSerializer)
        return self.respond(services.routing_close(actor=request.user, routing=routing, **data))


class CustodyViewSet(RegistryViewSet):
    """Custody (zimmet) of the documents the person may see; ``?mine=1``: to acknowledge."""

    serializer_class = serializers.CustodySerializer
    filterset_class = filters.CustodyFilter

    def get_queryset(self):
        return (
            Custody.objects.filter(document__in=self.visible_documents())
            .select_related("holder", "holder_unit", "given_by", "acknowledged_by")
            .order_by("-given_at", "-id")
        )

    @extend_schema(
        summary="Acknowledge a hand-over (optionally with the signed zimmet list)",
        request={
            "multipart/form-data": inputs.CustodyAcknowledgeSerializer,
            "application/json": inputs.CustodyAcknowledgeSerializer,
        },
        responses=serializers.CustodySerializer,
    )
    @action(detail=True, methods=["post"], parser_classes=UPLOAD_PARSERS, filter_backends=[])
    def acknowledge(self, request, pk=None):
        custody = self.get_object()
        data = self.read_input(inputs.CustodyAcknowledgeSerializer)
        custody = services.custody_acknowledge(
            actor=request.user, custody=custody, proof_upload=data["proof"]
        )
        custody = self.get_queryset().filter(pk=custody.pk).first() or custody
        return Response(serializers.CustodySerializer(custody).data)
