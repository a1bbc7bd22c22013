"""POST /api/assets/heartbeat/ — a monitored device says it is alive (issue 7 point 9).

The device authenticates with its own token (``Authorization: Device <token>``), not as a
person: no session, no CSRF, no user. An unknown token answers 401, an expired one 403;
services/devices.py logs refusals (rate-limited).
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.views import APIView

from ..services.devices import HeartbeatRefused, heartbeat_accept

PREFIX = "device "


def _token(request) -> str:
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if header[: len(PREFIX)].lower() != PREFIX:
        return ""
    return header[len(PREFIX) :].strip()


class HeartbeatView(APIView):
    authentication_classes: list = []
    permission_classes = [AllowAny]

    @extend_schema(
        operation_id="assets_heartbeat",
        summary="A monitored device reports that it is alive",
        description="Authenticate with the device's token: `Authorization: Device <token>`.",
        request=None,
        parameters=[
            OpenApiParameter(
                "Authorization",
                str,
                OpenApiParameter.HEADER,
                required=True,
                description="Device <token>",
            )
        ],
        responses={
            200: inline_serializer(
                "HeartbeatAccepted",
                {
                    "asset": serializers.IntegerField(),
                    "sicil_no": serializers.CharField(),
                    "seen_at": serializers.DateTimeField(),
                },
            ),
            401: inline_serializer("HeartbeatUnknownToken", {"detail": serializers.CharField()}),
            403: inline_serializer("HeartbeatExpiredToken", {"detail": serializers.CharField()}),
        },
        tags=["assets"],
    )
    def post(self, request):
        try:
            beat = heartbeat_accept(_token(request), address=request.META.get("REMOTE_ADDR", ""))
        except HeartbeatRefused as exc:
            headers = {"WWW-Authenticate": "Device"} if exc.status == 401 else {}
            detail = "unknown device token" if exc.status == 401 else "device token expired"
            return Response({"detail": detail}, status=exc.status, headers=headers)
        return Response(
            {"asset": beat.asset_id, "sicil_no": beat.sicil_no, "seen_at": beat.seen_at}
        )
