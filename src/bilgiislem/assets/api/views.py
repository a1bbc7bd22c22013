"""API of assets (issue 7; H-REGISTER part); codes, sites, rooms and stores are in
api/places.py.

Assets are scoped like the pages (selectors.assets_visible): one the person may not see
answers 404; the services decide who writes. A reference to a row that does not exist is bad
input naming its field (400).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bilgiislem.core.errors import DomainError

from ..models import Room, Site, Store, TasinirCode
from ..selectors import asset_filter, asset_get_for_user, asset_history, assets_visible
from ..services import register as services
from ..services._common import require_registrar
from . import serializers as s
from ._input import read as _read


def _row(model, pk, field, queryset=None):
    """The row a body refers to, or bad input naming the field."""
    if pk is None:
        return None
    row = (queryset if queryset is not None else model.objects).filter(pk=pk).first()
    if row is None:
        raise DomainError(_("No such item."), field=field)
    return row


FILTER_PARAMETERS = [
    OpenApiParameter("site", int, description="Site (its rooms and its devices)."),
    OpenApiParameter("room", str, description="Room id, or `store` for items in a store."),
    OpenApiParameter("status", str, description="A status, or `all` (written off too)."),
    OpenApiParameter("kind", str, description="Kind of asset."),
    OpenApiParameter("code", str, description="A code and every code under it."),
    OpenApiParameter("holder", int, description="Held by this person."),
    OpenApiParameter("q", str, description="Sicil prefix, serial number, make or model."),
]


@extend_schema_view(
    list=extend_schema(summary="Assets", parameters=FILTER_PARAMETERS),
    retrieve=extend_schema(summary="An asset"),
    create=extend_schema(
        summary="Register an asset",
        request=s.AssetRegisterInputSerializer,
        responses={201: s.AssetSerializer},
    ),
    partial_update=extend_schema(
        summary="Correct an asset's record",
        request=s.AssetDetailsInputSerializer,
        responses={200: s.AssetSerializer},
    ),
)
class AssetViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = s.AssetSerializer
    filter_backends: list = []
    http_method_names = ["get", "post", "patch", "head", "options"]

    def get_queryset(self):
        queryset = assets_visible(self.request.user).for_list()
        if self.action == "list":
            queryset = asset_filter(queryset, self.request.query_params)
        return queryset.order_by("-id")

    def get_object(self):
        return asset_get_for_user(self.request.user, self.kwargs["pk"])

    def create(self, request):
        require_registrar(request.user)  # 403 before the body is read
        data = _read(s.AssetRegisterInputSerializer, request.data)
        code = TasinirCode.objects.filter(code=data.pop("code")).first()
        if code is None:
            raise DomainError(_("No such movable property code."), field="code")
        data["store"] = _row(Store, data.pop("store"), "store")
        data["room"] = _row(Room, data.pop("room", None), "room")
        data["site"] = _row(Site, data.pop("site", None), "site")
        asset = services.asset_register(actor=request.user, code=code, **data)
        return Response(s.AssetSerializer(asset).data, status=status.HTTP_201_CREATED)

    def partial_update(self, request, pk=None):
        asset = self.get_object()
        data = _read(s.AssetDetailsInputSerializer, request.data, partial=True)
        if "site" in data:
            data["site"] = _row(Site, data["site"], "site")
        asset = services.asset_update(actor=request.user, asset=asset, **data)
        return Response(s.AssetSerializer(asset).data)

    @extend_schema(
        summary="Move an asset to another room (null: back to the store)",
        request=s.AssetMoveInputSerializer,
        responses={200: s.AssetSerializer},
    )
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        asset = self.get_object()
        data = _read(s.AssetMoveInputSerializer, request.data)
        room = _row(Room, data["room"], "room")
        asset = services.asset_move(
            actor=request.user, asset=asset, room=room, reason=data.get("reason", "")
        )
        return Response(s.AssetSerializer(asset).data)

    @extend_schema(
        summary="An asset's history", responses={200: s.HistoryEventSerializer(many=True)}
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def history(self, request, pk=None):
        asset = self.get_object()
        return Response(s.HistoryEventSerializer(asset_history(asset), many=True).data)
