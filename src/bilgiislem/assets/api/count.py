"""API of counts (sayım; H-COUNT part): the counts a person may see, their differences so
far, and the scan a phone or a hand scanner posts for a room.

A count the person may not see answers 404 (services.count.can_view_count), like the pages.
"""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bilgiislem.core.errors import DomainError

from .. import roles
from ..models import Asset, Count, CountScan
from ..services import count as services


class CountSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    year = serializers.IntegerField(read_only=True)
    board = serializers.CharField(source="board.name", read_only=True)
    rooms = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    closed_by = serializers.CharField(source="closed_by.username", read_only=True, allow_null=True)

    class Meta:
        model = Count
        fields = ["id", "year", "board", "state", "started_at", "closed_at", "closed_by", "rooms"]


class CountFiguresSerializer(serializers.Serializer):
    recorded = serializers.IntegerField(help_text="Kayıtlara Göre Miktar")
    held = serializers.IntegerField(help_text="Kayıtlara Göre Kişilere Verilen Miktar")
    found = serializers.IntegerField(help_text="Sayımda Bulunan Miktar")
    surplus = serializers.IntegerField()
    shortage = serializers.IntegerField()
    carried = serializers.IntegerField(help_text="Gelecek Yıla Devir (= found)")
    value = serializers.DecimalField(max_digits=16, decimal_places=2)
    found_value = serializers.DecimalField(max_digits=16, decimal_places=2)


class CountLineSerializer(CountFiguresSerializer):
    code = serializers.CharField()
    title = serializers.CharField()


class CountGroupSerializer(serializers.Serializer):
    code = serializers.CharField()
    title = serializers.CharField()
    rows = CountLineSerializer(many=True)
    total = CountFiguresSerializer()


class CountResultSerializer(serializers.Serializer):
    closed_on = serializers.DateField()
    expected = serializers.IntegerField()
    found_here = serializers.IntegerField()
    held = serializers.IntegerField()
    missing = serializers.ListField(child=serializers.CharField())
    elsewhere = serializers.ListField(child=serializers.CharField())
    surplus = serializers.ListField(child=serializers.CharField())
    tutanak = CountGroupSerializer(many=True, help_text="Sayım Tutanağı per II. Düzey code")
    cetvel = CountGroupSerializer(many=True, help_text="Sayım ve Döküm Cetveli per I. Düzey")
    vifs = serializers.ListField(child=serializers.IntegerField())
    writeoffs = serializers.ListField(child=serializers.IntegerField())


class CountDifferencesSerializer(serializers.Serializer):
    expected = serializers.IntegerField()
    found_here = serializers.IntegerField()
    held = serializers.IntegerField()
    missing = serializers.ListField(child=serializers.CharField())
    elsewhere = serializers.ListField(child=serializers.CharField())
    surplus = serializers.ListField(child=serializers.CharField())


class ScanInputSerializer(serializers.Serializer):
    room = serializers.IntegerField()
    label = serializers.CharField(max_length=100, allow_blank=True)


class ScanSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    round = serializers.IntegerField(read_only=True)
    room = serializers.IntegerField(source="room_id", read_only=True)
    asset = serializers.IntegerField(source="asset_id", read_only=True)

    class Meta:
        model = CountScan
        fields = ["id", "round", "room", "asset", "label", "result", "scanned_at"]


@extend_schema_view(
    list=extend_schema(summary="Counts"),
    retrieve=extend_schema(summary="A count"),
)
class CountViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    serializer_class = CountSerializer
    filter_backends: list = []

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):
            return Count.objects.none()  # schema generation: no person
        person = self.request.user
        queryset = Count.objects.select_related("board", "closed_by").prefetch_related("rooms")
        if not (roles.harcama_post(person) or roles.kayit_post(person)):
            queryset = queryset.filter(Q(board__members=person)).distinct()
        return queryset.order_by("-started_at", "-pk")

    def _count(self) -> Count:
        count = self.get_queryset().filter(pk=self.kwargs["pk"]).first()
        if count is None:
            raise Http404(_("No such count."))
        return count

    @extend_schema(summary="Differences so far", responses={200: CountDifferencesSerializer})
    @action(detail=True, methods=["get"])
    def differences(self, request, pk=None):
        count = self._count()
        rec = services.count_reconcile(count)
        ids = rec.missing | set(rec.elsewhere) | set(rec.surplus)
        sicil = dict(Asset.objects.filter(pk__in=list(ids)).values_list("pk", "sicil_no"))
        data = {
            "expected": rec.expected,
            "found_here": len(rec.found_here),
            "held": len(rec.held),
            "missing": sorted(sicil[i] for i in rec.missing),
            "elsewhere": sorted(sicil[i] for i in rec.elsewhere),
            "surplus": sorted(sicil[i] for i in rec.surplus),
        }
        return Response(CountDifferencesSerializer(data).data)

    @extend_schema(
        summary="The result fixed at the close: Sayım Tutanağı, Sayım ve Döküm Cetveli, VİFs",
        responses={200: CountResultSerializer},
    )
    @action(detail=True, methods=["get"])
    def result(self, request, pk=None):
        result = services.count_result(self._count())
        if result is None:
            raise DomainError(_("The count is not closed yet."), field="count")
        data = {
            **result,
            "tutanak": result.get("tutanak", []),
            "cetvel": result.get("cetvel", []),
            "writeoffs": result.get("writeoffs", []),
            "missing": [r["sicil"] for r in result["missing"]],
            "elsewhere": [r["sicil"] for r in result["elsewhere"]],
            "surplus": [r["sicil"] for r in result["surplus"]],
        }
        return Response(CountResultSerializer(data).data)

    @extend_schema(
        summary="Scan a label in a room (a member of the board)",
        request=ScanInputSerializer,
        responses={201: ScanSerializer, 200: ScanSerializer},
    )
    @action(detail=True, methods=["post"])
    def scan(self, request, pk=None):
        count = self._count()
        body = ScanInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        room = count.rooms.filter(pk=body.validated_data["room"]).first()
        if room is None:
            raise DomainError(_("This room is not part of the count."), field="room")
        scan, new = services.count_scan(
            actor=request.user, count=count, room=room, label=body.validated_data["label"]
        )
        return Response(
            ScanSerializer(scan).data, status=status.HTTP_201_CREATED if new else status.HTTP_200_OK
        )
