"""Account API: a token for programs (password, and code when required), and who am I."""

from drf_spectacular.utils import extend_schema
from rest_framework import generics, permissions, status
from rest_framework.response import Response

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
