"""Account API: a token for programs (password, and code when required), and who am I."""

from django.shortcuts import get_object_or_404
from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response

from bilgiislem.organization.models import Person

from .. import services
from . import serializers, tokens


class TokenObtainView(generics.GenericAPIView):
    """Exchange a username and password (and a two-factor code if required) for a token.

    Send it as ``Authorization: Token <key>``. Repeated failures lock the account and the
    address for a while, exactly as on the login page.
    """

    serializer_class = serializers.TokenObtainSerializer
    authentication_classes = []
    permission_classes = [permissions.AllowAny]

    @extend_schema(responses={200: serializers.TokenSerializer}, auth=[])
    def post(self, request):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        token = tokens.api_token_obtain(**serializer.validated_data)
        return Response(serializers.TokenSerializer(token).data, status=status.HTTP_200_OK)


class MeView(generics.GenericAPIView):
    """The signed-in person, their posts today (acting ones read "… V.") and what they may do."""

    serializer_class = serializers.MeSerializer

    def get(self, request):
        return Response(self.get_serializer(request.user).data)


class TwoFactorResetView(generics.GenericAPIView):
    """A lost phone: the system's Director removes a person's two-factor device.

    The person then logs in with the password alone until they enrol again.
    """

    serializer_class = serializers.TwoFactorResetSerializer
    queryset = Person.objects.all()

    @extend_schema(responses={200: serializers.TwoFactorResetResultSerializer})
    def post(self, request, pk):
        person = get_object_or_404(Person, pk=pk)
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        removed = services.two_factor_reset(
            actor=request.user, person=person, reason=serializer.validated_data["reason"]
        )
        result = {"person": person.pk, "devices_removed": removed}
        return Response(serializers.TwoFactorResetResultSerializer(result).data)
