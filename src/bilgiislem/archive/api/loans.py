"""Retrieval and storage locations API (RYY art. 13(c)) under /api/archive/.

- ``retrieval-requests``: ask for an archived record (a document or a folder the person may
  see, else 404), and the steps: approve / reject (the archive officer's superior), lend /
  grant (the archive officer), return (the borrower), receive (the archive officer), end
  access, cancel (the requester). A step the person may not take answers 403 with the reason;
  a step the request's state does not allow answers 400 naming ``state``.
- ``locations``: the storage places of the archives the person keeps or supervises; the
  archive officer adds, renames and takes them out of use, and puts folders in boxes.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import (
    OpenApiParameter,
    extend_schema,
    extend_schema_field,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.routers import SimpleRouter

from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import OrgUnit
from bilgiislem.registry.models import Document

from ..choices import LocationKind, RetrievalKind, RetrievalState
from ..models import Folder, RetrievalRequest, StorageLocation
from ..services import loans, locations
from .serializers import ArchivePersonSerializer, ArchiveUnitSerializer

# --- serializers -----------------------------------------------------------------------------


class RetrievalAllowedSerializer(serializers.Serializer):
    approve = serializers.BooleanField()
    lend = serializers.BooleanField()
    grant = serializers.BooleanField()
    return_ = serializers.BooleanField()
    receive = serializers.BooleanField()
    end_access = serializers.BooleanField()
    cancel = serializers.BooleanField()


class RetrievalRequestSerializer(serializers.ModelSerializer):
    requester = ArchivePersonSerializer(read_only=True)
    document = serializers.IntegerField(source="document_id", read_only=True, allow_null=True)
    folder = serializers.IntegerField(source="folder_id", read_only=True, allow_null=True)
    record = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=RetrievalKind.choices, read_only=True)
    state = serializers.ChoiceField(choices=RetrievalState.choices, read_only=True)
    decided_by = ArchivePersonSerializer(read_only=True)
    lent_by = ArchivePersonSerializer(read_only=True)
    received_by = ArchivePersonSerializer(read_only=True)
    allowed = serializers.SerializerMethodField()

    class Meta:
        model = RetrievalRequest
        fields = [
            "id",
            "requester",
            "document",
            "folder",
            "record",
            "kind",
            "reason",
            "state",
            "requested_at",
            "decided_by",
            "decided_at",
            "decision_note",
            "lent_by",
            "lent_at",
            "due_date",
            "returned_at",
            "received_by",
            "received_at",
            "allowed",
        ]
        read_only_fields = fields

    def get_record(self, obj) -> str:
        return loans.record_label(obj)

    @extend_schema_field(RetrievalAllowedSerializer)
    def get_allowed(self, obj) -> dict:
        user = self.context["request"].user
        allowed = loans.allowed_actions(user, obj)
        return {
            "approve": allowed.approve,
            "lend": allowed.lend,
            "grant": allowed.grant,
            "return_": allowed.return_,
            "receive": allowed.receive,
            "end_access": allowed.end_access,
            "cancel": allowed.cancel,
        }


class RetrievalInputSerializer(serializers.Serializer):
    document = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    folder = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    kind = serializers.ChoiceField(choices=RetrievalKind.choices)
    reason = serializers.CharField(max_length=2000)

    def validate(self, attrs):
        if bool(attrs.get("document")) == bool(attrs.get("folder")):
            raise serializers.ValidationError(
                {"document": [_("Ask for one document or one folder.")]}
            )
        return attrs


class NoteInputSerializer(serializers.Serializer):
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True, default="")


class DueDateInputSerializer(serializers.Serializer):
    due_date = serializers.DateField(
        required=False,
        allow_null=True,
        help_text="Default: BILGIISLEM_LOAN_DAYS business days from today.",
    )


class LocationSerializer(serializers.ModelSerializer):
    parent = serializers.IntegerField(source="parent_id", read_only=True, allow_null=True)
    unit = ArchiveUnitSerializer(read_only=True, allow_null=True)
    kind = serializers.ChoiceField(choices=LocationKind.choices, read_only=True)
    path = serializers.SerializerMethodField()

    class Meta:
        model = StorageLocation
        fields = ["id", "parent", "kind", "label", "unit", "active", "path"]
        read_only_fields = fields

    def get_path(self, obj) -> str:
        paths = self.context.get("paths")
        if paths is not None and obj.pk in paths:
            return paths[obj.pk]
        return locations.location_path(obj)


class LocationInputSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(choices=LocationKind.choices)
    label = serializers.CharField(max_length=100)
    parent = serializers.IntegerField(required=False, allow_null=True, min_value=1)
    unit = serializers.IntegerField(
        required=False,
        allow_null=True,
        min_value=1,
        help_text="The directorate whose unit archive this is (top-level places only); "
        "empty for the institutional archive.",
    )


class RenameInputSerializer(serializers.Serializer):
    label = serializers.CharField(max_length=100)


class PlaceFolderInputSerializer(serializers.Serializer):
    folder = serializers.IntegerField(min_value=1)


class FolderPlaceSerializer(serializers.Serializer):
    folder = serializers.IntegerField()
    location = serializers.IntegerField()
    path = serializers.CharField()


# --- views -----------------------------------------------------------------------------------


def _read(request, serializer_class) -> dict:
    serializer = serializer_class(data=request.data)
    serializer.is_valid(raise_exception=True)
    return serializer.validated_data


STATE = OpenApiParameter("state", str, enum=RetrievalState.values, description="Only this state.")
MINE = OpenApiParameter("mine", bool, description="Only the requests I made.")


@extend_schema(tags=["archive"])
@extend_schema_view(
    list=extend_schema(summary="Retrieval requests the person may see", parameters=[STATE, MINE]),
    retrieve=extend_schema(summary="A retrieval request with the steps the person may take"),
)
class RetrievalRequestViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Requests for archived records (RYY art. 13(c))."""

    serializer_class = RetrievalRequestSerializer
    filter_backends = []

    def get_queryset(self):
        queryset = loans.retrievals_visible_to(self.request.user).select_related(*loans.RELATED)
        if self.action == "list":
            params = self.request.query_params
            if params.get("state") in RetrievalState.values:
                queryset = queryset.filter(state=params["state"])
            if params.get("mine") in ("1", "true", "True"):
                queryset = queryset.filter(requester=self.request.user)
        return queryset.order_by("-requested_at", "-id")

    def _answer(self, retrieval, code=status.HTTP_200_OK) -> Response:
        fresh = self.get_queryset().get(pk=retrieval.pk)
        return Response(self.get_serializer(fresh).data, status=code)

    @extend_schema(
        summary="Ask for an archived document or folder",
        request=RetrievalInputSerializer,
        responses={201: RetrievalRequestSerializer},
    )
    def create(self, request):
        data = _read(request, RetrievalInputSerializer)
        user = request.user
        document = folder = None
        if data.get("document"):
            document = Document.objects.visible_to(user).filter(pk=data["document"]).first()
            if document is None:
                raise Http404(_("No such document."))
        else:
            folder = loans.folders_visible_to(user).filter(pk=data["folder"]).first()
            if folder is None:
                raise Http404(_("No such folder."))
        retrieval = loans.retrieval_request(
            actor=user, document=document, folder=folder, kind=data["kind"], reason=data["reason"]
        )
        return self._answer(retrieval, status.HTTP_201_CREATED)

    def _step(self, call, serializer_class=None):
        retrieval = self.get_object()
        data = _read(self.request, serializer_class) if serializer_class else {}
        call(retrieval, data)
        return self._answer(retrieval)

    @extend_schema(
        summary="Approve (the archive officer's superior)",
        request=NoteInputSerializer,
        responses={200: RetrievalRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        return self._step(
            lambda r, d: loans.retrieval_approve(actor=request.user, request=r, note=d["note"]),
            NoteInputSerializer,
        )

    @extend_schema(
        summary="Reject with a note (the archive officer's superior)",
        request=NoteInputSerializer,
        responses={200: RetrievalRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._step(
            lambda r, d: loans.retrieval_reject(actor=request.user, request=r, note=d["note"]),
            NoteInputSerializer,
        )

    @extend_schema(
        summary="Lend the paper original until a due date (the archive officer)",
        request=DueDateInputSerializer,
        responses={200: RetrievalRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def lend(self, request, pk=None):
        return self._step(
            lambda r, d: loans.retrieval_lend(
                actor=request.user, request=r, due_date=d.get("due_date")
            ),
            DueDateInputSerializer,
        )

    @extend_schema(
        summary="Grant access to the electronic record until a date (the archive officer)",
        request=DueDateInputSerializer,
        responses={200: RetrievalRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def grant(self, request, pk=None):
        return self._step(
            lambda r, d: loans.retrieval_grant(
                actor=request.user, request=r, until=d.get("due_date")
            ),
            DueDateInputSerializer,
        )

    @extend_schema(
        summary="Return the paper original (the borrower)",
        request=None,
        responses={200: RetrievalRequestSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        return self._step(lambda r, d: loans.retrieval_return(actor=request.user, request=r))

    @extend_schema(
        summary="Acknowledge the paper is back (the archive officer)",
        request=None,
        responses={200: RetrievalRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def receive(self, request, pk=None):
        return self._step(lambda r, d: loans.retrieval_receive(actor=request.user, request=r))

    @extend_schema(
        summary="End electronic access before its date (the archive officer)",
        request=None,
        responses={200: RetrievalRequestSerializer},
    )
    @action(detail=True, methods=["post"], url_path="end-access")
    def end_access(self, request, pk=None):
        return self._step(lambda r, d: loans.retrieval_end_access(actor=request.user, request=r))

    @extend_schema(
        summary="Withdraw a request not yet lent or granted (the requester)",
        request=None,
        responses={200: RetrievalRequestSerializer},
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        return self._step(lambda r, d: loans.retrieval_cancel(actor=request.user, request=r))


@extend_schema(tags=["archive"])
@extend_schema_view(
    list=extend_schema(summary="Storage places of the archives the person keeps or supervises"),
    retrieve=extend_schema(summary="A storage place with its full path"),
)
class StorageLocationViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    """Building › room › cabinet › shelf › box of the paper originals."""

    serializer_class = LocationSerializer
    filter_backends = []

    def get_queryset(self):
        return (
            locations.locations_visible_to(self.request.user)
            .select_related("unit")
            .order_by("unit__name", "parent_id", "label", "id")
        )

    def get_serializer_context(self):
        context = super().get_serializer_context()
        if self.action == "list":
            context["paths"] = locations.location_paths()
        return context

    def _answer(self, location, code=status.HTTP_200_OK):
        location = StorageLocation.objects.select_related("unit").get(pk=location.pk)
        return Response(self.get_serializer(location).data, status=code)

    @extend_schema(
        summary="Add a place (the archive officer keeping that archive)",
        request=LocationInputSerializer,
        responses={201: LocationSerializer},
    )
    def create(self, request):
        data = _read(request, LocationInputSerializer)
        parent = unit = None
        if data.get("parent"):
            parent = self.get_queryset().filter(pk=data["parent"]).first()
            if parent is None:
                raise Http404(_("No such place."))
        elif data.get("unit"):
            unit = OrgUnit.objects.filter(pk=data["unit"]).first()
            if unit is None:
                raise DomainError(_("No such unit."), field="unit")
        location = locations.location_create(
            actor=request.user, kind=data["kind"], label=data["label"], parent=parent, unit=unit
        )
        return self._answer(location, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Rename a place", request=RenameInputSerializer, responses={200: LocationSerializer}
    )
    @action(detail=True, methods=["post"])
    def rename(self, request, pk=None):
        location = self.get_object()
        data = _read(request, RenameInputSerializer)
        locations.location_rename(actor=request.user, location=location, label=data["label"])
        return self._answer(location)

    @extend_schema(
        summary="Take an empty place out of use", request=None, responses={200: LocationSerializer}
    )
    @action(detail=True, methods=["post"])
    def deactivate(self, request, pk=None):
        location = self.get_object()
        locations.location_deactivate(actor=request.user, location=location)
        return self._answer(location)

    @extend_schema(
        summary="Put a folder in this box or on this shelf",
        request=PlaceFolderInputSerializer,
        responses={200: FolderPlaceSerializer},
    )
    @action(detail=True, methods=["post"], url_path="place-folder")
    def place_folder(self, request, pk=None):
        location = self.get_object()
        data = _read(request, PlaceFolderInputSerializer)
        folder = loans.folders_visible_to(request.user).filter(pk=data["folder"]).first()
        if folder is None:
            raise Http404(_("No such folder."))
        locations.folder_locate(actor=request.user, folder=folder, location=location)
        return Response(
            {
                "folder": folder.pk,
                "location": location.pk,
                "path": locations.folder_location_path(Folder.objects.get(pk=folder.pk)),
            }
        )


router = SimpleRouter()
router.register("retrieval-requests", RetrievalRequestViewSet, basename="retrieval")
router.register("locations", StorageLocationViewSet, basename="location")
urlpatterns = router.urls
