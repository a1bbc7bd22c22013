"""Correspondence API: reads are scoped by ``visible_to``; each write is one service.

A letter the person may not see answers 404; a visible one whose step is not theirs answers
403 with the reason (``PermissionDeniedError``).
"""

import json

from django.db.models import Prefetch
from django.http import HttpResponse
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_view
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, MultiPartParser
from rest_framework.renderers import BaseRenderer, JSONRenderer
from rest_framework.response import Response

from bilgiislem.core.errors import DomainError

from .. import letter_pdf, services
from .. import rules as rule_check
from ..models import ApprovalStep
from ..querysets import letters
from ..services.external import configured_trust_roots, max_upload_bytes
from ..services.paraf import step_paraf
from ..services.signing import letter_content
from . import serializers

PDF = OpenApiResponse(OpenApiTypes.BINARY, description="application/pdf")


class PdfRenderer(BaseRenderer):
    """Lets a PDF be asked for with ``Accept: application/pdf``; errors still go out as JSON."""

    media_type = "application/pdf"
    format = "pdf"
    charset = None

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, bytes):
            return data
        return json.dumps(data).encode()


def _pdf(data: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@extend_schema_view(
    list=extend_schema(summary="Letters the person may see"),
    retrieve=extend_schema(summary="A letter with its recipients and approval chain"),
)
class LetterViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Official letters (giden yazı): drafting, approval (paraf) and signature (imza)."""

    serializer_class = serializers.LetterBriefSerializer

    def get_queryset(self):
        queryset = letters(self.request.user).select_related("unit", "prepared_by")
        if self.action == "list":
            return queryset
        return queryset.prefetch_related(
            "recipients",
            "references",
            Prefetch(
                "steps",
                queryset=ApprovalStep.objects.select_related("position", "person", "acted_by"),
            ),
        )

    def get_serializer_class(self):
        if self.action == "list":
            return serializers.LetterBriefSerializer
        return serializers.LetterDetailSerializer

    def read_input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data)
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def letter_response(self, letter, code=status.HTTP_200_OK) -> Response:
        letter = self.get_queryset().get(pk=letter.pk)
        return Response(serializers.LetterDetailSerializer(letter).data, status=code)

    @extend_schema(
        summary="Start a draft letter",
        request=serializers.LetterInputSerializer,
        responses={201: serializers.LetterDetailSerializer},
    )
    def create(self, request):
        data = self.read_input(serializers.LetterInputSerializer)
        letter = services.letter_create(actor=request.user, **data)
        return self.letter_response(letter, status.HTTP_201_CREATED)

    @extend_schema(
        summary="Save a new version of a draft",
        request=serializers.LetterInputSerializer,
        responses={200: serializers.LetterDetailSerializer},
    )
    def update(self, request, pk=None):
        letter = self.get_object()
        data = self.read_input(serializers.LetterInputSerializer)
        if data.pop("reply_to", None) is not None:
            raise DomainError(_("The reply is fixed when the draft is started."), field="reply_to")
        services.letter_update(actor=request.user, letter=letter, **data)
        return self.letter_response(letter)

    @extend_schema(
        summary="Send the draft round its approval chain",
        request=serializers.SubmitSerializer,
        responses={200: serializers.LetterDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def submit(self, request, pk=None):
        letter = self.get_object()
        data = self.read_input(serializers.SubmitSerializer)
        services.letter_submit(actor=request.user, letter=letter, coordination=data["coordination"])
        return self.letter_response(letter)

    @extend_schema(
        summary="The rule check of the letter (errors block signing)",
        responses={200: serializers.RuleViolationSerializer(many=True)},
    )
    @action(detail=True, methods=["get"], pagination_class=None)
    def rules(self, request, pk=None):
        letter = self.get_object()
        found = rule_check.check_letter(letter)
        return Response(serializers.RuleViolationSerializer(found, many=True).data)

    @extend_schema(
        summary="Initial (paraf) or coordinate, when it is your turn",
        request=serializers.CommentSerializer,
        responses={200: serializers.LetterDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        letter = self.get_object()
        data = self.read_input(serializers.CommentSerializer)
        step_paraf(actor=request.user, letter=letter, comment=data["comment"])
        return self.letter_response(letter)

    @extend_schema(
        summary="Return the letter to its preparer with a comment",
        request=serializers.CommentSerializer,
        responses={200: serializers.LetterDetailSerializer},
    )
    @action(detail=True, methods=["post"], url_path="return")
    def return_(self, request, pk=None):
        letter = self.get_object()
        data = self.read_input(serializers.CommentSerializer)
        services.step_return(actor=request.user, letter=letter, comment=data["comment"])
        return self.letter_response(letter)

    @extend_schema(
        summary="Sign with the server's signing key",
        request=None,
        responses={200: serializers.LetterDetailSerializer},
    )
    @action(detail=True, methods=["post"])
    def sign(self, request, pk=None):
        from ..signers import configured_signer

        letter = self.get_object()
        with configured_signer() as signer:
            services.letter_sign(actor=request.user, letter=letter, signer=signer)
        return self.letter_response(letter)

    @extend_schema(
        summary="Fix the Sayı and date and download the PDF to sign with your e-imza",
        request=None,
        responses={200: PDF},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="prepare-external",
        renderer_classes=[PdfRenderer, JSONRenderer],
    )
    def prepare_external(self, request, pk=None):
        letter = self.get_object()
        pdf = services.letter_prepare_external(actor=request.user, letter=letter)
        return _pdf(pdf, f"letter-{letter.pk}-to-sign.pdf")

    @extend_schema(
        summary="Upload the PDF signed with your e-imza (PAdES)",
        request={"multipart/form-data": serializers.SignedPdfSerializer},
        responses={200: serializers.LetterDetailSerializer},
    )
    @action(
        detail=True,
        methods=["post"],
        url_path="sign-external",
        parser_classes=[MultiPartParser, FormParser],
    )
    def sign_external(self, request, pk=None):
        letter = self.get_object()
        upload = self.read_input(serializers.SignedPdfSerializer)["file"]
        if upload.size > max_upload_bytes():
            raise DomainError(_("The file is too large for a signed letter."), field="file")
        try:
            services.letter_sign_external(
                actor=request.user,
                letter=letter,
                signed_pdf=upload.read(),
                trust_roots=configured_trust_roots(),
            )
        except DomainError as exc:
            # The service calls the upload "signed_pdf"; this API calls it "file".
            if "signed_pdf" in exc.errors:
                exc.errors["file"] = exc.errors.pop("signed_pdf")
            raise
        return self.letter_response(letter)

    @extend_schema(summary="The letter as it would print (unsigned preview)", responses={200: PDF})
    @action(detail=True, methods=["get"], renderer_classes=[PdfRenderer, JSONRenderer])
    def preview(self, request, pk=None):
        letter = self.get_object()
        pdf = letter_pdf.render_letter(letter_content(letter, signed=False))
        return _pdf(pdf, f"letter-{letter.pk}-v{letter.version}.pdf")
