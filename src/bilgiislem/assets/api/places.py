"""API of the code list, sites, rooms and stores (issue 7; H-PLACES).

Codes are the official list: anyone logged in reads them. Sites, rooms and stores are read
by Bilgi İşlem staff (permissions.is_asset_staff); anyone else gets 404. The services decide
who writes (the kayıt yetkilisi, the Director, the Chief for places; the kayıt yetkilisi and
the Director for codes): a refusal answers 403, bad input 400 naming its field.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import NotFound
from rest_framework.response import Response

from bilgiislem.organization.models import OrgUnit

from .. import permissions
from ..choices import AssetKind
from ..models import Room, Site, Store, TasinirCode
from ..services import codes as code_services
from ..services import places
from ..services._common import require_place_manager, require_registrar
from . import serializers as s
from .views import _read, _row


class CodeInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=40)
    title = serializers.CharField(max_length=300)
    asset_kind = serializers.ChoiceField(
        choices=AssetKind.choices, required=False, allow_blank=True
    )


class CodeUpdateSerializer(serializers.Serializer):
    title = serializers.CharField(max_length=300, required=False)
    asset_kind = serializers.ChoiceField(
        choices=AssetKind.choices, required=False, allow_blank=True
    )
    is_sample = serializers.BooleanField(required=False)


class RoomUpdateSerializer(serializers.Serializer):
    floor = serializers.CharField(max_length=20, required=False, allow_blank=True)
    name = serializers.CharField(max_length=100, required=False)
    unit = serializers.IntegerField(required=False, allow_null=True)
    shared = serializers.BooleanField(required=False)


class StoreUpdateSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=2, required=False)
    name = serializers.CharField(max_length=200, required=False)
    room = serializers.IntegerField(required=False, allow_null=True)


class StoreDurableRowSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    total = serializers.IntegerField()
    in_store = serializers.IntegerField()
    in_use = serializers.IntegerField()
    in_repair = serializers.IntegerField()
    lent = serializers.IntegerField()


class StoreStockRowSerializer(serializers.Serializer):
    item = serializers.IntegerField(source="pk")
    code = serializers.CharField(source="code.code")
    name = serializers.CharField()
    unit_of_measure = serializers.CharField()
    on_hand = serializers.DecimalField(max_digits=12, decimal_places=3)
    value_on_hand = serializers.DecimalField(max_digits=18, decimal_places=2)


class StoreContentSerializer(serializers.Serializer):
    store = s.StoreSerializer()
    durables = StoreDurableRowSerializer(many=True)
    stock = StoreStockRowSerializer(many=True)


# Places are Bilgi İşlem's: anyone else gets 404 on reads (and on changes, which need the
# row). No docstring here: the schema would show it as every place endpoint's description.
class _StaffReads:
    def place_queryset(self):
        raise NotImplementedError

    def get_queryset(self):
        # The schema generator asks for the queryset without a person behind it.
        if getattr(self, "swagger_fake_view", False):
            return self.place_queryset()
        if not permissions.is_asset_staff(self.request.user):
            raise NotFound
        return self.place_queryset()


@extend_schema_view(
    list=extend_schema(
        summary="Movable property codes",
        parameters=[
            OpenApiParameter("q", str, description="Code prefix or words of the title."),
            OpenApiParameter("account", str, description="Account (150, 253, 255 …)."),
        ],
    ),
    retrieve=extend_schema(summary="A movable property code"),
    create=extend_schema(
        summary="Add an institution's level under a code (art. 37)",
        request=CodeInputSerializer,
        responses={201: s.CodeSerializer},
    ),
    partial_update=extend_schema(
        summary="Correct a code's title, asset kind or sample mark",
        request=CodeUpdateSerializer,
        responses={200: s.CodeSerializer},
    ),
)
class CodeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.CodeSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = TasinirCode.objects.all()
        if self.action == "list":
            queryset = code_services.code_filter(queryset, self.request.query_params)
        return queryset

    def create(self, request):
        require_registrar(request.user)  # 403 before the body is read
        data = _read(CodeInputSerializer, request.data)
        code = code_services.tasinir_code_create(actor=request.user, **data)
        return Response(s.CodeSerializer(code).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        data = _read(CodeUpdateSerializer, request.data, partial=True)
        code = code_services.tasinir_code_update(actor=request.user, code=self.get_object(), **data)
        return Response(s.CodeSerializer(code).data)


@extend_schema_view(
    list=extend_schema(summary="Sites"),
    retrieve=extend_schema(summary="A site"),
    create=extend_schema(
        summary="Record a site", request=s.SiteInputSerializer, responses={201: s.SiteSerializer}
    ),
    partial_update=extend_schema(
        summary="Change a site", request=s.SiteInputSerializer, responses={200: s.SiteSerializer}
    ),
)
class SiteViewSet(
    _StaffReads, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.SiteSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def place_queryset(self):
        return Site.objects.all()

    def create(self, request):
        require_place_manager(request.user)  # 403 before the body is read
        data = _read(s.SiteInputSerializer, request.data)
        data.pop("active", None)
        site = places.site_create(actor=request.user, **data)
        return Response(s.SiteSerializer(site).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        data = _read(s.SiteInputSerializer, request.data, partial=True)
        site = places.site_update(actor=request.user, site=self.get_object(), **data)
        return Response(s.SiteSerializer(site).data)


@extend_schema_view(
    list=extend_schema(
        summary="Rooms", parameters=[OpenApiParameter("site", int, description="Of a site.")]
    ),
    retrieve=extend_schema(summary="A room"),
    create=extend_schema(
        summary="Record a room", request=s.RoomInputSerializer, responses={201: s.RoomSerializer}
    ),
    partial_update=extend_schema(
        summary="Change a room", request=RoomUpdateSerializer, responses={200: s.RoomSerializer}
    ),
)
class RoomViewSet(
    _StaffReads, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.RoomSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def place_queryset(self):
        queryset = Room.objects.all()
        site = self.request.query_params.get("site")
        if self.action == "list" and site and site.isdigit():
            queryset = queryset.filter(site_id=int(site))
        return queryset

    def create(self, request):
        require_place_manager(request.user)
        data = _read(s.RoomInputSerializer, request.data)
        data["site"] = _row(Site, data["site"], "site")
        data["unit"] = _row(OrgUnit, data.pop("unit", None), "unit")
        room = places.room_create(actor=request.user, **data)
        return Response(s.RoomSerializer(room).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        room = self.get_object()
        data = _read(RoomUpdateSerializer, request.data, partial=True)
        if "unit" in data:
            data["unit"] = _row(OrgUnit, data["unit"], "unit")
        room = places.room_update(actor=request.user, room=room, **data)
        return Response(s.RoomSerializer(room).data)


@extend_schema_view(
    list=extend_schema(summary="Stores"),
    retrieve=extend_schema(summary="A store"),
    create=extend_schema(
        summary="Record a store", request=s.StoreInputSerializer, responses={201: s.StoreSerializer}
    ),
    partial_update=extend_schema(
        summary="Change a store's code, name or room",
        request=StoreUpdateSerializer,
        responses={200: s.StoreSerializer},
    ),
)
class StoreViewSet(
    _StaffReads, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = s.StoreSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def place_queryset(self):
        return Store.objects.all()

    def create(self, request):
        require_place_manager(request.user)
        data = _read(s.StoreInputSerializer, request.data)
        data["unit"] = _row(OrgUnit, data["unit"], "unit")
        data["room"] = _row(Room, data.pop("room", None), "room")
        store = places.store_create(actor=request.user, **data)
        return Response(s.StoreSerializer(store).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        store = self.get_object()
        data = _read(StoreUpdateSerializer, request.data, partial=True)
        if "room" in data:
            data["room"] = _row(Room, data["room"], "room")
        store = places.store_update(actor=request.user, store=store, **data)
        return Response(s.StoreSerializer(store).data)

    @extend_schema(
        summary="A store's content: durable items by code, consumables on hand",
        responses={200: StoreContentSerializer},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def content(self, request, pk=None):
        store = self.get_object()
        body = {
            "store": store,
            "durables": places.store_durables(store),
            "stock": places.store_stock(store),
        }
        return Response(StoreContentSerializer(body).data)
