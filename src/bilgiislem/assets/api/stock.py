"""API of consumables (stock) (issue 7 point 4; H-STOCK part). Write-offs: api/writeoff.py.

Read by anyone posted in Bilgi İşlem, 404 for everyone else; the services decide who writes
(403 with the reason). A reference to a row that does not exist is bad input naming its
field (400). Parts used in a repair: ``GET stock-issues/?ticket=<id>`` lists those of a
request the person may see (404 otherwise).
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import Person

from ..models import (
    AssetRequest,
    StockIssue,
    StockItem,
    StockLot,
    Store,
    TasinirCode,
)
from ..services import stock as services
from ._input import read as _read
from ._input import row as _row

MONEY = {"max_digits": 14, "decimal_places": 2}
QTY = {"max_digits": 12, "decimal_places": 3}


# ---------------------------------------------------------------- serializers


class StockItemSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    code = serializers.CharField(source="code.code", read_only=True)
    on_hand = serializers.DecimalField(**QTY, read_only=True)
    value_on_hand = serializers.DecimalField(max_digits=18, decimal_places=2, read_only=True)
    reorder = serializers.SerializerMethodField()

    class Meta:
        model = StockItem
        fields = [
            "id",
            "code",
            "name",
            "unit_of_measure",
            "minimum_level",
            "on_hand",
            "value_on_hand",
            "reorder",
        ]
        read_only_fields = fields

    def get_reorder(self, item) -> bool:
        return bool(item.minimum_level > 0 and item.on_hand <= item.minimum_level)


class StockItemInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    name = serializers.CharField(max_length=200)
    unit_of_measure = serializers.CharField(max_length=20, required=False)
    minimum_level = serializers.DecimalField(**QTY, required=False)


class MinimumInputSerializer(serializers.Serializer):
    minimum_level = serializers.DecimalField(**QTY)


class StockLotSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    item = serializers.IntegerField(source="item_id", read_only=True)
    store = serializers.IntegerField(source="store_id", read_only=True)
    vif = serializers.IntegerField(source="vif_line.vif_id", read_only=True, allow_null=True)

    class Meta:
        model = StockLot
        fields = [
            "id",
            "item",
            "store",
            "received_at",
            "quantity",
            "remaining",
            "unit_price",
            "vif",
        ]
        read_only_fields = fields


class StockIssueSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    item = serializers.IntegerField(source="lot.item_id", read_only=True)
    item_name = serializers.CharField(source="lot.item.name", read_only=True)
    lot = serializers.IntegerField(source="lot_id", read_only=True)
    store = serializers.IntegerField(source="lot.store_id", read_only=True)
    unit_price = serializers.DecimalField(source="lot.unit_price", **MONEY, read_only=True)
    request = serializers.IntegerField(source="request_id", read_only=True, allow_null=True)
    ticket = serializers.IntegerField(source="ticket_id", read_only=True, allow_null=True)
    vif = serializers.IntegerField(source="vif_line.vif_id", read_only=True, allow_null=True)
    issued_by = serializers.CharField(source="issued_by.username", read_only=True)

    class Meta:
        model = StockIssue
        fields = [
            "id",
            "item",
            "item_name",
            "lot",
            "store",
            "quantity",
            "unit_price",
            "request",
            "ticket",
            "vif",
            "issued_by",
            "issued_at",
        ]
        read_only_fields = fields


class IssueInputSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    store = serializers.IntegerField()
    quantity = serializers.DecimalField(**QTY)
    request = serializers.IntegerField(required=False, allow_null=True)
    ticket = serializers.IntegerField(required=False, allow_null=True)


class ReceiptLineSerializer(serializers.Serializer):
    item = serializers.IntegerField()
    quantity = serializers.DecimalField(**QTY)
    unit_price = serializers.DecimalField(**MONEY)


class ReceiptInputSerializer(serializers.Serializer):
    store = serializers.IntegerField()
    date = serializers.DateField()
    supporting_reference = serializers.CharField(max_length=200)
    supporting_date = serializers.DateField()
    counterparty = serializers.CharField(max_length=300, required=False, allow_blank=True)
    lines = ReceiptLineSerializer(many=True)


class ReceiptSerializer(serializers.Serializer):
    vif = serializers.IntegerField()
    year = serializers.IntegerField()
    number = serializers.IntegerField()
    lots = StockLotSerializer(many=True)


# ---------------------------------------------------------------- helpers


def _person(username, field):
    person = Person.objects.filter(username=username, is_active=True).first()
    if person is None:
        raise DomainError(_("No such person."), field=field)
    return person


class _StaffOnly:
    """Anyone posted in Bilgi İşlem reads; everyone else gets 404."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not services.may_view_stock(request.user) and not getattr(
            self, "open_to_ticket_readers", False
        ):
            raise Http404


# ---------------------------------------------------------------- stock


@extend_schema_view(
    list=extend_schema(
        summary="Consumables with what the stores hold",
        parameters=[
            OpenApiParameter("store", int, description="Only what this store holds."),
            OpenApiParameter("reorder", bool, description="Only those at or under minimum."),
        ],
    ),
    retrieve=extend_schema(summary="A consumable"),
    create=extend_schema(
        summary="Add a consumable",
        request=StockItemInputSerializer,
        responses={201: StockItemSerializer},
    ),
)
class StockItemViewSet(
    _StaffOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = StockItemSerializer
    queryset = StockItem.objects.none()

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        params = self.request.query_params
        store = None
        if self.action == "list" and params.get("store", "").isdigit():
            store = Store.objects.filter(pk=int(params["store"])).first()
        if self.action == "list" and params.get("reorder") in ("1", "true"):
            return services.items_to_reorder(store).order_by("name", "pk")
        return services.on_hand_by_item(store).order_by("name", "pk")

    def create(self, request):
        data = _read(StockItemInputSerializer, request.data)
        code = TasinirCode.objects.filter(code=data.pop("code")).first()
        if code is None:
            raise DomainError(_("Unknown movable property code."), field="code")
        item = services.stock_item_create(actor=request.user, code=code, **data)
        item = self.get_queryset().get(pk=item.pk)
        return Response(StockItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Set a consumable's minimum level",
        request=MinimumInputSerializer,
        responses={200: StockItemSerializer},
    )
    @action(detail=True, methods=["post"])
    def minimum(self, request, pk=None):
        item = self.get_object()
        data = _read(MinimumInputSerializer, request.data)
        services.stock_item_set_minimum(
            actor=request.user, item=item, minimum_level=data["minimum_level"]
        )
        return Response(StockItemSerializer(self.get_queryset().get(pk=item.pk)).data)


@extend_schema_view(
    list=extend_schema(
        summary="Stock lots (first in, first out)",
        parameters=[OpenApiParameter("item", int), OpenApiParameter("store", int)],
    ),
    retrieve=extend_schema(summary="A stock lot"),
)
class StockLotViewSet(_StaffOnly, viewsets.ReadOnlyModelViewSet):
    serializer_class = StockLotSerializer

    def get_queryset(self):
        queryset = StockLot.objects.select_related("vif_line")
        params = self.request.query_params
        for name in ("item", "store"):
            if params.get(name, "").isdigit():
                queryset = queryset.filter(**{f"{name}_id": int(params[name])})
        return queryset.order_by("item", "received_at", "id")


@extend_schema_view(
    list=extend_schema(
        summary="Consumables issued (parts used in a repair with ?ticket=)",
        parameters=[
            OpenApiParameter("ticket", int, description="A service-desk request you may see."),
            OpenApiParameter("item", int),
        ],
    ),
    retrieve=extend_schema(summary="A stock issue"),
)
class StockIssueViewSet(
    _StaffOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = StockIssueSerializer
    queryset = StockIssue.objects.none()

    @property
    def open_to_ticket_readers(self) -> bool:
        # The parts used on a request are shown to whoever may see that request.
        return self.action == "list" and "ticket" in self.request.query_params

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return self.queryset
        queryset = StockIssue.objects.select_related("lot__item", "issued_by", "vif_line")
        params = self.request.query_params
        if self.action == "list" and "ticket" in params:
            value = params["ticket"]
            ticket = (
                services.tickets_for_parts(self.request.user).filter(pk=int(value)).first()
                if value.isdigit()
                else None
            )
            if ticket is None:
                raise Http404
            queryset = queryset.filter(ticket=ticket)
        if self.action == "list" and params.get("item", "").isdigit():
            queryset = queryset.filter(lot__item_id=int(params["item"]))
        return queryset.order_by("-issued_at", "-id")

    @extend_schema(
        summary="Issue a consumable first-in first-out on a consumption VİF",
        request=IssueInputSerializer,
        responses={201: StockIssueSerializer(many=True)},
    )
    def create(self, request):
        services.require_stock_keeper(request.user)  # 403 before the body is read
        data = _read(IssueInputSerializer, request.data)
        ticket = None
        if data.get("ticket") is not None:
            ticket = _row(services.tickets_for_parts(request.user), data["ticket"], "ticket")
        issues = services.stock_issue(
            actor=request.user,
            item=_row(StockItem.objects, data["item"], "item"),
            store=_row(Store.objects, data["store"], "store"),
            quantity=data["quantity"],
            request=_row(AssetRequest.objects, data.get("request"), "request"),
            ticket=ticket,
        )
        rows = StockIssue.objects.select_related("lot__item", "issued_by", "vif_line").filter(
            pk__in=[i.pk for i in issues]
        )
        return Response(
            StockIssueSerializer(rows.order_by("id"), many=True).data,
            status=status.HTTP_201_CREATED,
        )


class StockReceiptViewSet(_StaffOnly, viewsets.GenericViewSet):
    serializer_class = ReceiptSerializer

    @extend_schema(
        summary="Receive consumables on a purchase VİF (signed off at once)",
        request=ReceiptInputSerializer,
        responses={201: ReceiptSerializer},
    )
    def create(self, request):
        services.require_stock_keeper(request.user)  # 403 before the body is read
        data = _read(ReceiptInputSerializer, request.data)
        lines = [
            {
                "item": _row(StockItem.objects, line["item"], "lines"),
                "quantity": line["quantity"],
                "unit_price": line["unit_price"],
            }
            for line in data["lines"]
        ]
        vif = services.stock_receive(
            actor=request.user,
            store=_row(Store.objects, data["store"], "store"),
            date=data["date"],
            supporting_reference=data["supporting_reference"],
            supporting_date=data["supporting_date"],
            counterparty=data.get("counterparty", ""),
            lines=lines,
        )
        lots = StockLot.objects.filter(vif_line__vif=vif).select_related("vif_line")
        body = {"vif": vif.pk, "year": vif.year, "number": vif.number, "lots": lots.order_by("id")}
        return Response(ReceiptSerializer(body).data, status=status.HTTP_201_CREATED)
