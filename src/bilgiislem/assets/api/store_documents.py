"""API of the store documents (H-DOCS): ``temporary-receipts`` (Taşınır Geçici Alındısı) and
``store-handovers`` (Ambar Devir ve Teslim Tutanağı), each with its PDF.

Receipts are read by Bilgi İşlem staff, tutanaklar by the staff and the two officers they name
(404 for everyone else). The services decide who acts (403 with the reason); bad input names
its field (400).
"""

from __future__ import annotations

import json

from django.http import Http404, HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import (
    OpenApiParameter,
    OpenApiResponse,
    extend_schema,
    extend_schema_view,
)
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization.models import Person

from .. import permissions
from ..choices import ReceiptState, StoreHandoverState
from ..models import Store, StoreHandover, TemporaryReceipt, TemporaryReceiptLine
from ..services import receipts as receipt_services
from ..services import store_handover as handover_services
from ._input import read as _read

MONEY = {"max_digits": 14, "decimal_places": 2}
QTY = {"max_digits": 12, "decimal_places": 3}
PDF = OpenApiResponse(OpenApiTypes.BINARY, description="application/pdf")


class PdfRenderer(BaseRenderer):
    """Lets a PDF be asked for with ``Accept: application/pdf``; errors still go out as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _store(pk):
    if pk is None:
        return None
    store = Store.objects.filter(pk=pk).first()
    if store is None:
        raise DomainError(_("No such store."), field="store")
    return store


def _person(username, field):
    if not username:
        return None
    person = Person.objects.filter(username=username).first()
    if person is None:
        raise DomainError(_("No such person."), field=field)
    return person


# ---------------------------------------------------------------- Geçici Alındı


class TemporaryReceiptLineSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(source="code.code", read_only=True)

    class Meta:
        model = TemporaryReceiptLine
        fields = ["id", "code", "description", "quantity", "unit_of_measure", "unit_price"]
        read_only_fields = fields


class TemporaryReceiptSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    store = serializers.IntegerField(source="store_id", read_only=True)
    received_by = serializers.CharField(source="received_by.username", read_only=True)
    vif = serializers.IntegerField(source="vif_id", read_only=True, allow_null=True)
    decided_by = serializers.CharField(
        source="decided_by.username", read_only=True, allow_null=True
    )
    lines = TemporaryReceiptLineSerializer(many=True, read_only=True)

    class Meta:
        model = TemporaryReceipt
        fields = [
            "id",
            "year",
            "number",
            "store",
            "supplier",
            "ikn",
            "delivery_note",
            "received_on",
            "received_by",
            "state",
            "vif",
            "decided_by",
            "decided_at",
            "decision_note",
            "lines",
        ]
        read_only_fields = fields


class TemporaryReceiptLineInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    description = serializers.CharField(max_length=300, required=False, allow_blank=True)
    quantity = serializers.DecimalField(**QTY)
    unit_of_measure = serializers.CharField(max_length=20, required=False, allow_blank=True)
    unit_price = serializers.DecimalField(**MONEY, required=False)


class TemporaryReceiptInputSerializer(serializers.Serializer):
    store = serializers.IntegerField()
    supplier = serializers.CharField(max_length=300, allow_blank=True)
    ikn = serializers.CharField(max_length=30, required=False, allow_blank=True)
    delivery_note = serializers.CharField(max_length=100, required=False, allow_blank=True)
    received_on = serializers.DateField()
    lines = TemporaryReceiptLineInputSerializer(many=True)


class TemporaryReceiptAcceptInputSerializer(serializers.Serializer):
    acceptance_reference = serializers.CharField(
        max_length=200, allow_blank=True, help_text="The acceptance report (muayene ve kabul)."
    )
    acceptance_date = serializers.DateField()
    date = serializers.DateField(required=False, help_text="The VİF's date; today by default.")
    note = serializers.CharField(required=False, allow_blank=True)


class TemporaryReceiptRefuseInputSerializer(serializers.Serializer):
    note = serializers.CharField(allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        summary="Temporary receipts (Taşınır Geçici Alındısı)",
        parameters=[OpenApiParameter("state", str), OpenApiParameter("year", int)],
    ),
    retrieve=extend_schema(summary="A temporary receipt with its lines"),
)
class TemporaryReceiptViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = TemporaryReceiptSerializer
    queryset = TemporaryReceipt.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        if not receipt_services.may_view_receipts(self.request.user):
            raise Http404
        queryset = TemporaryReceipt.objects.select_related(
            "received_by", "decided_by"
        ).prefetch_related("lines__code")
        params = self.request.query_params
        if params.get("state") in ReceiptState.values:
            queryset = queryset.filter(state=params["state"])
        if params.get("year", "").isdigit():
            queryset = queryset.filter(year=int(params["year"]))
        return queryset

    def _decidable(self):
        receipt = self.get_object()
        if not receipt_services.may_decide_receipts(self.request.user):
            raise PermissionDeniedError(
                _("Only the movable property officer or the Director may do this.")
            )
        return receipt

    def _respond(self, receipt, code=status.HTTP_200_OK):
        return Response(
            TemporaryReceiptSerializer(self.get_queryset().get(pk=receipt.pk)).data, status=code
        )

    @extend_schema(
        summary="Record goods received before their acceptance (kayıt yetkilisi)",
        request=TemporaryReceiptInputSerializer,
        responses={201: TemporaryReceiptSerializer},
    )
    def create(self, request):
        self.get_queryset()  # 404 for people outside Bilgi İşlem
        # Refuse before reading the body: a reader gets 403 whatever they send.
        if not receipt_services.may_record_receipts(request.user):
            raise PermissionDeniedError(
                _("Only the movable property officer records goods received.")
            )
        data = _read(TemporaryReceiptInputSerializer, request.data)
        receipt = receipt_services.receipt_create(
            actor=request.user,
            store=_store(data["store"]),
            supplier=data["supplier"],
            ikn=data.get("ikn", ""),
            delivery_note=data.get("delivery_note", ""),
            received_on=data["received_on"],
            lines=[dict(line) for line in data["lines"]],
        )
        return self._respond(receipt, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Accepted after inspection: prepare the purchase VİF draft",
        request=TemporaryReceiptAcceptInputSerializer,
        responses=TemporaryReceiptSerializer,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        receipt = self._decidable()
        data = _read(TemporaryReceiptAcceptInputSerializer, request.data)
        receipt = receipt_services.receipt_accept(
            actor=request.user,
            receipt=receipt,
            acceptance_reference=data["acceptance_reference"],
            acceptance_date=data["acceptance_date"],
            date=data.get("date"),
            note=data.get("note", ""),
        )
        return self._respond(receipt)

    @extend_schema(
        summary="Refused after inspection: back to the supplier",
        request=TemporaryReceiptRefuseInputSerializer,
        responses=TemporaryReceiptSerializer,
    )
    @action(detail=True, methods=["post"])
    def refuse(self, request, pk=None):
        receipt = self._decidable()
        data = _read(TemporaryReceiptRefuseInputSerializer, request.data)
        receipt = receipt_services.receipt_refuse(
            actor=request.user, receipt=receipt, note=data["note"]
        )
        return self._respond(receipt)

    @extend_schema(summary="The Geçici Alındı as PDF (two copies)", responses={200: PDF})
    @action(detail=True, methods=["get"], renderer_classes=[PdfRenderer, JSONRenderer])
    def pdf(self, request, pk=None):
        receipt = self.get_object()
        return _pdf(
            receipt_services.receipt_pdf(receipt),
            f"gecici-alindi-{receipt.year}-{receipt.number}.pdf",
        )


# ---------------------------------------------------------------- Ambar Devir ve Teslim


class StoreHandoverSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    number = serializers.IntegerField(read_only=True)
    store = serializers.IntegerField(source="store_id", read_only=True)
    handed_by = serializers.CharField(source="handed_by.username", read_only=True)
    received_by = serializers.CharField(source="received_by.username", read_only=True)
    items = serializers.JSONField(
        read_only=True,
        help_text="The store's content when prepared: durables by code, consumables, totals.",
    )

    class Meta:
        model = StoreHandover
        fields = [
            "id",
            "year",
            "number",
            "store",
            "handed_by",
            "received_by",
            "prepared_at",
            "state",
            "accepted_at",
            "items",
            "note",
        ]
        read_only_fields = fields


class StoreHandoverInputSerializer(serializers.Serializer):
    store = serializers.IntegerField()
    received_by = serializers.CharField(
        max_length=150, allow_blank=True, help_text="The incoming person's user name."
    )
    handed_by = serializers.CharField(
        max_length=150,
        required=False,
        allow_blank=True,
        help_text="The outgoing officer's user name (the Director only); yourself by default.",
    )
    note = serializers.CharField(required=False, allow_blank=True)


class StoreHandoverCancelInputSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True)


@extend_schema_view(
    list=extend_schema(
        summary="Store handovers (Ambar Devir ve Teslim Tutanağı)",
        parameters=[OpenApiParameter("state", str)],
    ),
    retrieve=extend_schema(summary="A store handover with the store's content"),
)
class StoreHandoverViewSet(
    mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = StoreHandoverSerializer
    queryset = StoreHandover.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        queryset = handover_services.store_handovers_visible(self.request.user)
        if self.action in ("list", "create") and not handover_services.may_view_store_handovers(
            self.request.user
        ):
            raise Http404
        if self.request.query_params.get("state") in StoreHandoverState.values:
            queryset = queryset.filter(state=self.request.query_params["state"])
        return queryset

    def _respond(self, handover, code=status.HTTP_200_OK):
        return Response(StoreHandoverSerializer(handover).data, status=code)

    @extend_schema(
        summary="Prepare a store handover (outgoing kayıt yetkilisi or the Director)",
        request=StoreHandoverInputSerializer,
        responses={201: StoreHandoverSerializer},
    )
    def create(self, request):
        self.get_queryset()  # 404 for people outside Bilgi İşlem
        if not handover_services.may_prepare(request.user):
            raise PermissionDeniedError(
                _("Only the movable property officer or the Director prepares a store handover.")
            )
        data = _read(StoreHandoverInputSerializer, request.data)
        handover = handover_services.store_handover_prepare(
            actor=request.user,
            store=_store(data["store"]),
            received_by=_person(data["received_by"], "received_by"),
            handed_by=_person(data.get("handed_by"), "handed_by"),
            note=data.get("note", ""),
        )
        return self._respond(handover, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Take the store over (the incoming person)",
        request=None,
        responses=StoreHandoverSerializer,
    )
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        handover = handover_services.store_handover_accept(
            actor=request.user, handover=self.get_object()
        )
        return self._respond(handover)

    @extend_schema(
        summary="Cancel a tutanak not accepted yet (Director)",
        request=StoreHandoverCancelInputSerializer,
        responses=StoreHandoverSerializer,
    )
    @action(detail=True, methods=["post"])
    def cancel(self, request, pk=None):
        handover = self.get_object()
        if permissions.harcama_post(request.user) is None:
            raise PermissionDeniedError(_("Only the Director (harcama yetkilisi) may do this."))
        data = _read(StoreHandoverCancelInputSerializer, request.data)
        handover = handover_services.store_handover_cancel(
            actor=request.user, handover=handover, reason=data["reason"]
        )
        return self._respond(handover)

    @extend_schema(summary="The tutanak as PDF (three copies)", responses={200: PDF})
    @action(detail=True, methods=["get"], renderer_classes=[PdfRenderer, JSONRenderer])
    def pdf(self, request, pk=None):
        handover = self.get_object()
        return _pdf(
            handover_services.store_handover_pdf(handover),
            f"ambar-devir-{handover.year}-{handover.number}.pdf",
        )
