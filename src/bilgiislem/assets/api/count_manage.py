"""API of the count's state changes (issue 7: every point in the browser and the API):
the Director appoints a count board and starts a count; the chair starts the second round;
the Director or the board's kayıt yetkilisi closes it. Each calls services.count.

Collection actions are refused by the service (403) for anyone but the Director; a count the
person may not see answers 404 like the pages (CountViewSet.get_queryset).
"""

from __future__ import annotations

from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import Person

from ..models import Board, Room
from ..services import count as services
from .count import CountSerializer, CountViewSet


class BoardInputSerializer(serializers.Serializer):
    name = serializers.CharField(max_length=200, allow_blank=True)
    members = serializers.ListField(child=serializers.CharField(max_length=150))
    chair = serializers.CharField(max_length=150)


class BoardSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    members = serializers.SlugRelatedField(many=True, slug_field="username", read_only=True)
    chair = serializers.CharField(source="chair.username", read_only=True)

    class Meta:
        model = Board
        fields = ["id", "name", "members", "chair", "appointed_at"]


class CountStartSerializer(serializers.Serializer):
    board = serializers.IntegerField()
    rooms = serializers.ListField(child=serializers.IntegerField())
    year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)


class CountCloseSerializer(serializers.Serializer):
    expected = serializers.IntegerField()
    found_here = serializers.IntegerField()
    held = serializers.IntegerField()
    missing = serializers.IntegerField()
    elsewhere = serializers.IntegerField()
    surplus = serializers.IntegerField()
    vifs = serializers.ListField(child=serializers.IntegerField())
    writeoffs = serializers.ListField(
        child=serializers.IntegerField(),
        help_text="The shortage write-offs waiting for the Director's approval.",
    )


def _people(usernames, field: str) -> list[Person]:
    found = {p.username: p for p in Person.objects.filter(username__in=list(usernames))}
    unknown = sorted(set(usernames) - set(found))
    if unknown:
        raise DomainError(
            _("Unknown person: %(names)s.") % {"names": ", ".join(unknown)}, field=field
        )
    return [found[u] for u in usernames]


@extend_schema_view(create=extend_schema(summary="Appoint a count board (the Director)"))
class CountBoardViewSet(viewsets.GenericViewSet):
    serializer_class = BoardSerializer
    filter_backends: list = []

    def get_queryset(self):
        return Board.objects.filter(purpose=Board.Purpose.COUNT)

    @extend_schema(request=BoardInputSerializer, responses={201: BoardSerializer})
    def create(self, request):
        services.require_director(request.user)  # 403 before the body is read
        body = BoardInputSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        members = _people(data["members"], "members")
        chair = _people([data["chair"]], "chair")[0]
        board = services.count_board_appoint(
            actor=request.user, name=data["name"], members=members, chair=chair
        )
        return Response(BoardSerializer(board).data, status=status.HTTP_201_CREATED)


class CountManageViewSet(CountViewSet):
    """CountViewSet with the state changes (list, detail, differences, scan are inherited)."""

    @extend_schema(
        summary="Start a count over rooms (the Director)",
        request=CountStartSerializer,
        responses={201: CountSerializer},
    )
    def create(self, request):
        services.require_director(request.user)  # 403 before the body is read
        body = CountStartSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        board = Board.objects.filter(pk=data["board"], purpose=Board.Purpose.COUNT).first()
        if board is None:
            raise DomainError(_("No such count board."), field="board")
        rooms = list(Room.objects.filter(pk__in=data["rooms"]))
        if len(rooms) != len(set(data["rooms"])):
            raise DomainError(_("No such room."), field="rooms")
        count = services.count_start(
            actor=request.user, board=board, rooms=rooms, year=data.get("year")
        )
        return Response(CountSerializer(count).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Start the second round (the chair or the Director)",
        request=None,
        responses={200: CountSerializer},
    )
    @action(detail=True, methods=["post"], url_path="second-round")
    def second_round(self, request, pk=None):
        count = services.count_second_round(actor=request.user, count=self._count())
        return Response(CountSerializer(count).data)

    @extend_schema(
        summary="Close the count: result, surplus VİF drafts, shortage write-offs",
        request=None,
        responses={200: CountCloseSerializer},
    )
    @action(detail=True, methods=["post"])
    def close(self, request, pk=None):
        result = services.count_close(actor=request.user, count=self._count())
        data = {
            "expected": result["expected"],
            "found_here": result["found_here"],
            "held": result["held"],
            "missing": len(result["missing"]),
            "elsewhere": len(result["elsewhere"]),
            "surplus": len(result["surplus"]),
            "vifs": result["vifs"],
            "writeoffs": result["writeoffs"],
        }
        return Response(CountCloseSerializer(data).data)
