"""API of a shared room's Dayanıklı Taşınırlar Listesi (read, sign off) and of the ilişik
kesme check (what a person still holds). Same services and same visibility as the pages in
views/custody.py: anyone else gets 404.
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bilgiislem.organization.models import Person

from .. import permissions
from ..models import Room, SharedListSignOff
from ..services import custody as services


class SharedListRowSerializer(serializers.Serializer):
    sicil_no = serializers.CharField()
    code = serializers.CharField()
    name = serializers.CharField()
    value = serializers.CharField()


class SignOffSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    room = serializers.IntegerField(source="room_id", read_only=True)
    signed_by = serializers.CharField(source="signed_by.username", read_only=True)
    items = SharedListRowSerializer(many=True, read_only=True)

    class Meta:
        model = SharedListSignOff
        fields = ["id", "room", "signed_by", "signed_at", "items"]


class SharedListSerializer(serializers.Serializer):
    room = serializers.IntegerField()
    name = serializers.CharField()
    may_sign = serializers.BooleanField()
    items = SharedListRowSerializer(many=True)
    last_signoff = SignOffSerializer(allow_null=True)


class HeldItemSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    sicil_no = serializers.CharField()
    name = serializers.CharField()
    room = serializers.CharField(allow_blank=True)


class ClearanceSerializer(serializers.Serializer):
    person = serializers.IntegerField()
    username = serializers.CharField()
    clear = serializers.BooleanField()
    items = HeldItemSerializer(many=True)


def _shared_room(user, pk) -> Room:
    """The room as the page shows it (views.custody._shared_room): 404 for anyone else."""
    room = get_object_or_404(Room.objects.select_related("site", "unit"), pk=pk, shared=True)
    if not (
        permissions.is_asset_staff(user)
        or (room.unit_id is not None and room.unit_id in permissions.own_unit_ids(user))
        or services.may_sign_shared_list(user, room)
    ):
        raise Http404(_("No such page."))
    return room


class SharedListViewSet(viewsets.ViewSet):
    """Dayanıklı Taşınırlar Listesi of a shared room, by the room's id."""

    lookup_value_regex = r"\d+"

    @extend_schema(summary="A shared room's list", responses={200: SharedListSerializer})
    def retrieve(self, request, pk=None):
        room = _shared_room(request.user, pk)
        last = room.list_signoffs.select_related("signed_by").order_by("-signed_at").first()
        data = {
            "room": room.pk,
            "name": str(room),
            "may_sign": services.may_sign_shared_list(request.user, room),
            "items": services.shared_list_rows(room),
            "last_signoff": SignOffSerializer(last).data if last else None,
        }
        return Response(data)

    @extend_schema(
        summary="Sign off the room's list as it is (the unit head)",
        request=None,
        responses={201: SignOffSerializer},
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        room = _shared_room(request.user, pk)
        signoff = services.shared_list_sign(actor=request.user, room=room)
        return Response(SignOffSerializer(signoff).data, status=status.HTTP_201_CREATED)


class ClearanceViewSet(viewsets.ViewSet):
    """İlişik kesme: the items a person still holds (the Director, HR, the kayıt yetkilisi)."""

    lookup_value_regex = r"\d+"

    @extend_schema(summary="What a person still holds", responses={200: ClearanceSerializer})
    def retrieve(self, request, pk=None):
        if not services.can_see_clearance(request.user):
            raise Http404(_("No such page."))
        person = get_object_or_404(Person, pk=pk)
        held = services.person_clearance(person)
        data = {
            "person": person.pk,
            "username": person.username,
            "clear": not held,
            "items": [
                {
                    "id": a.pk,
                    "sicil_no": a.sicil_no,
                    "name": str(a),
                    "room": str(a.room) if a.room_id else "",
                }
                for a in held
            ],
        }
        return Response(data)
