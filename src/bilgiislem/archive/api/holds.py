"""Legal holds API (hukuki bloke): list, place on a folder or a document, lift — each with a
reason, by the Director of the unit or anyone above.

A hold the person may not see answers 404. A folder or document the person may not put
under a hold is refused as bad input naming the field (never a hint that it exists).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import Person
from bilgiislem.registry.models import Document

from .. import disposal_access as access
from ..models import Folder, LegalHold
from ..services import holds as services


class HoldPersonSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True)

    class Meta:
        model = Person
        fields = ["id", "username", "full_name"]
        read_only_fields = fields


class LegalHoldSerializer(serializers.ModelSerializer):
    folder = serializers.IntegerField(source="folder_id", read_only=True, allow_null=True)
    folder_label = serializers.SerializerMethodField()
    document = serializers.IntegerField(source="document_id", read_only=True, allow_null=True)
    document_number = serializers.SerializerMethodField()
    placed_by = HoldPersonSerializer(read_only=True)
    lifted_by = HoldPersonSerializer(read_only=True)
    active = serializers.SerializerMethodField()

    class Meta:
        model = LegalHold
        fields = [
            "id",
            "folder",
            "folder_label",
            "document",
            "document_number",
            "reason",
            "placed_by",
            "placed_at",
            "active",
            "lifted_by",
            "lifted_at",
            "lift_reason",
        ]
        read_only_fields = fields

    def get_folder_label(self, hold) -> str:
        return str(hold.folder) if hold.folder_id else ""

    def get_document_number(self, hold) -> str:
        return hold.document.number_label if hold.document_id else ""

    def get_active(self, hold) -> bool:
        return hold.lifted_at is None


class HoldInputSerializer(serializers.Serializer):
    folder = serializers.IntegerField(required=False, allow_null=True, default=None)
    document = serializers.IntegerField(required=False, allow_null=True, default=None)
    reason = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")


class LiftInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, allow_blank=True, required=False, default="")


def _holdable(actor, model, pk, field: str):
    """The folder or document if the person may put it under a hold, else bad input."""
    if pk is None:
        return None
    related = ("unit", "code") if model is Folder else ("registry",)
    obj = model.objects.select_related(*related).filter(pk=pk).first()
    kwargs = {"folder": obj} if model is Folder else {"document": obj}
    if obj is None or access.hold_post(actor, **kwargs) is None:
        message = (
            _("Choose a folder you may put under a legal hold.")
            if model is Folder
            else _("Choose a document you may put under a legal hold.")
        )
        raise DomainError(message, field=field)
    return obj


@extend_schema_view(
    list=extend_schema(
        summary="Legal holds the person may see",
        parameters=[OpenApiParameter("active", bool, description="Only holds still in force.")],
    ),
    retrieve=extend_schema(summary="A legal hold"),
)
class LegalHoldViewSet(viewsets.ReadOnlyModelViewSet):
    """Legal holds (hukuki bloke): nothing they cover can be disposed of."""

    serializer_class = LegalHoldSerializer

    def get_queryset(self):
        queryset = access.holds_visible_to(self.request.user).select_related(
            "folder__code", "document", "placed_by", "lifted_by"
        )
        if self.action == "list" and self.request.query_params.get("active") in ("1", "true"):
            queryset = queryset.filter(lifted_at__isnull=True)
        return queryset.order_by("-placed_at", "-pk")

    @extend_schema(
        summary="Place a legal hold on a folder or a document, with the reason",
        request=HoldInputSerializer,
        responses={201: LegalHoldSerializer},
    )
    def create(self, request):
        serializer = HoldInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        if (data["folder"] is None) == (data["document"] is None):
            raise DomainError(_("Choose a folder or a document, not both."), field="folder")
        if not (data["reason"] or "").strip():
            raise DomainError(_("Give the reason."), field="reason")
        hold = services.legal_hold_place(
            actor=request.user,
            folder=_holdable(request.user, Folder, data["folder"], "folder"),
            document=_holdable(request.user, Document, data["document"], "document"),
            reason=data["reason"],
        )
        hold = self.get_queryset().get(pk=hold.pk)
        return Response(LegalHoldSerializer(hold).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Lift a legal hold, with the reason",
        request=LiftInputSerializer,
        responses={200: LegalHoldSerializer},
    )
    @action(detail=True, methods=["post"])
    def lift(self, request, pk=None):
        hold = self.get_object()
        serializer = LiftInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.legal_hold_lift(actor=request.user, hold=hold, reason=serializer.data["reason"])
        return Response(LegalHoldSerializer(self.get_queryset().get(pk=hold.pk)).data)
