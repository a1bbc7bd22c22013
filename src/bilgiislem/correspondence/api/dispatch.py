"""Annexes of a draft and dispatch of a signed letter (issue 4 points 1, 7 and 8).

Every endpoint works on a letter the person may see (else 404) and on an annex or recipient
of that letter (else 404); each write is one service.
"""

import json
import logging

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response
from rest_framework.views import APIView

from bilgiislem.core.downloads import attachment_response
from bilgiislem.core.storage import StorageCorruptionError

from ..querysets import letters
from ..services import annexes as annex_services
from ..services import dispatch as dispatch_services
from ..signers import configured_signer
from .dispatch_serializers import (
    LetterAnnexInputSerializer,
    LetterAnnexMoveSerializer,
    LetterAnnexSerializer,
    LetterDispatchSerializer,
    LetterPaperDispatchSerializer,
)

logger = logging.getLogger(__name__)
TAGS = ["correspondence"]
EYP = OpenApiResponse(OpenApiTypes.BINARY, description=dispatch_services.EYP_CONTENT_TYPE)
FILE = OpenApiResponse(OpenApiTypes.BINARY, description="The annex file")


class DownloadRenderer(BaseRenderer):
    """Lets a download be asked for with any ``Accept``; errors still go out as JSON."""

    media_type = "*/*"
    format = "file"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


def _download(sha256, filename, content_type):
    try:
        return attachment_response(sha256, filename, content_type)
    except StorageCorruptionError:
        logger.exception("Stored blob %s (%s) is damaged", sha256, filename)
        return Response(
            {"detail": _("The stored file is damaged or missing; tell the administrator.")},
            status=status.HTTP_500_INTERNAL_SERVER_ERROR,
        )


class LetterPartView(APIView):
    def letter(self, pk):
        return get_object_or_404(letters(self.request.user), pk=pk)

    def read_input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data


class LetterAnnexListView(LetterPartView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        tags=TAGS,
        summary="The annexes (ekler) of a letter, in order",
        responses={200: LetterAnnexSerializer(many=True)},
    )
    def get(self, request, pk):
        letter = self.letter(pk)
        return Response(LetterAnnexSerializer(letter.annexes.all(), many=True).data)

    @extend_schema(
        tags=TAGS,
        summary="Add an annex to a draft (a new version; parafs given are voided)",
        request={"multipart/form-data": LetterAnnexInputSerializer},
        responses={201: LetterAnnexSerializer},
    )
    def post(self, request, pk):
        letter = self.letter(pk)
        data = self.read_input(LetterAnnexInputSerializer)
        annex = annex_services.letter_annex_add(
            actor=request.user,
            letter=letter,
            kind=data["kind"],
            description=data["description"],
            upload=data["file"],
            url=data["url"],
            sayi=data["sayi"],
        )
        return Response(LetterAnnexSerializer(annex).data, status=status.HTTP_201_CREATED)


class LetterAnnexView(LetterPartView):
    @extend_schema(
        tags=TAGS,
        summary="Remove an annex from a draft (a new version; parafs given are voided)",
        request=None,
        responses={204: None},
    )
    def delete(self, request, pk, annex_pk):
        letter = self.letter(pk)
        annex = get_object_or_404(letter.annexes, pk=annex_pk)
        annex_services.letter_annex_remove(actor=request.user, letter=letter, annex=annex)
        return Response(status=status.HTTP_204_NO_CONTENT)


class LetterAnnexMoveView(LetterPartView):
    @extend_schema(
        tags=TAGS,
        summary="Give an annex another number in the list (a new version)",
        request=LetterAnnexMoveSerializer,
        responses={200: LetterAnnexSerializer(many=True)},
    )
    def post(self, request, pk, annex_pk):
        letter = self.letter(pk)
        annex = get_object_or_404(letter.annexes, pk=annex_pk)
        position = self.read_input(LetterAnnexMoveSerializer)["position"]
        annex_services.letter_annex_move(
            actor=request.user,
            letter=letter,
            annex=annex,
            position=min(position, letter.annexes.count()) - 1,
        )
        return Response(LetterAnnexSerializer(letter.annexes.all(), many=True).data)


class LetterAnnexFileView(LetterPartView):
    renderer_classes = [JSONRenderer, DownloadRenderer]

    @extend_schema(tags=TAGS, summary="Download a file annex", responses={200: FILE})
    def get(self, request, pk, annex_pk):
        letter = self.letter(pk)
        annex = get_object_or_404(letter.annexes.exclude(sha256=""), pk=annex_pk)
        return _download(annex.sha256, annex.filename, annex.content_type)


class LetterEypView(LetterPartView):
    renderer_classes = [JSONRenderer, DownloadRenderer]

    @extend_schema(
        tags=TAGS,
        summary="Download the e-Yazışma package (.eyp) made for an outside recipient",
        responses={200: EYP},
    )
    def get(self, request, pk, recipient_pk):
        letter = self.letter(pk)
        dispatch = dispatch_services.eyp_dispatch(
            actor=request.user, letter=letter, recipient=recipient_pk
        )
        if dispatch is None:
            raise Http404
        return _download(
            dispatch.package_sha256, f"{letter.sayi}.eyp", dispatch_services.EYP_CONTENT_TYPE
        )

    @extend_schema(
        tags=TAGS,
        summary="Make the e-Yazışma package (.eyp) of a signed letter for an outside "
        "recipient (once: asked again, the package already made is returned)",
        request=None,
        responses={201: LetterDispatchSerializer, 200: LetterDispatchSerializer},
    )
    def post(self, request, pk, recipient_pk):
        letter = self.letter(pk)
        before = dispatch_services.eyp_dispatch(
            actor=request.user, letter=letter, recipient=recipient_pk
        )
        if before is not None:
            return Response(LetterDispatchSerializer(before).data)
        with configured_signer() as signer:
            dispatch = dispatch_services.letter_export_eyp(
                actor=request.user, letter=letter, recipient=recipient_pk, signer=signer
            )
        return Response(LetterDispatchSerializer(dispatch).data, status=status.HTTP_201_CREATED)


class LetterPaperDispatchView(LetterPartView):
    @extend_schema(
        tags=TAGS,
        summary="Record that the printed letter left for an outside recipient (a colleague "
        "takes it into custody, or an outside courier or the post is named)",
        request=LetterPaperDispatchSerializer,
        responses={201: LetterDispatchSerializer},
    )
    def post(self, request, pk, recipient_pk):
        letter = self.letter(pk)
        data = self.read_input(LetterPaperDispatchSerializer)
        dispatch = dispatch_services.letter_dispatch_paper(
            actor=request.user, letter=letter, recipient=recipient_pk, **data
        )
        return Response(LetterDispatchSerializer(dispatch).data, status=status.HTTP_201_CREATED)


class LetterDispatchListView(LetterPartView):
    @extend_schema(
        tags=TAGS,
        summary="How a signed letter was sent to its outside recipients",
        responses={200: LetterDispatchSerializer(many=True)},
    )
    def get(self, request, pk):
        letter = self.letter(pk)
        dispatches = letter.dispatches.select_related("recipient", "dispatched_by").order_by(
            "dispatched_at", "id"
        )
        return Response(LetterDispatchSerializer(dispatches, many=True).data)
