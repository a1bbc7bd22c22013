"""What the annex and dispatch endpoints return and accept (shape only; services decide)."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from bilgiislem.organization.models import Person
from bilgiislem.registry.choices import AnnexKind

from ..models import Dispatch, LetterAnnex
from .serializers import enum_field


class LetterAnnexSerializer(serializers.ModelSerializer):
    """An annex (ek) of a letter; ``download_url`` for a file annex."""

    kind = enum_field(AnnexKind, read_only=True)
    # Declared, not derived from Positive*IntegerField: keeps the schema database-neutral.
    size = serializers.IntegerField(read_only=True, allow_null=True)
    order = serializers.IntegerField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = LetterAnnex
        fields = [
            "id",
            "order",
            "kind",
            "description",
            "filename",
            "content_type",
            "size",
            "sha256",
            "url",
            "sayi",
            "download_url",
        ]

    def get_download_url(self, annex) -> str | None:
        if not annex.sha256:
            return None
        return reverse(
            "correspondence-api:letter-annex-file",
            kwargs={"pk": annex.letter_id, "annex_pk": annex.pk},
        )


class LetterAnnexInputSerializer(serializers.Serializer):
    kind = enum_field(AnnexKind)
    description = serializers.CharField(
        max_length=500,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("As listed under “Ek:”; a file annex defaults to its file name."),
    )
    file = serializers.FileField(required=False, allow_null=True, default=None)
    url = serializers.CharField(max_length=500, required=False, allow_blank=True, default="")
    sayi = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")


class LetterAnnexMoveSerializer(serializers.Serializer):
    position = serializers.IntegerField(
        min_value=1, help_text=_("The annex's new number in the list (1 = Ek-1).")
    )


class LetterDispatchSerializer(serializers.ModelSerializer):
    """One dispatch (gönderim) of a signed letter to an outside recipient."""

    method = enum_field(Dispatch.Method, read_only=True)
    recipient_name = serializers.CharField(source="recipient.name", read_only=True)
    package_size = serializers.IntegerField(read_only=True, allow_null=True)
    courier = serializers.PrimaryKeyRelatedField(read_only=True)
    dispatched_by = serializers.StringRelatedField(read_only=True)
    download_url = serializers.SerializerMethodField()

    class Meta:
        model = Dispatch
        fields = [
            "id",
            "recipient",
            "recipient_name",
            "method",
            "package_sha256",
            "package_size",
            "courier",
            "courier_name",
            "tracking_number",
            "dispatched_by",
            "dispatched_at",
            "download_url",
        ]

    def get_download_url(self, dispatch) -> str | None:
        if dispatch.method != Dispatch.Method.EYP:
            return None
        return reverse(
            "correspondence-api:letter-eyp",
            kwargs={"pk": dispatch.letter_id, "recipient_pk": dispatch.recipient_id},
        )


class LetterPaperDispatchSerializer(serializers.Serializer):
    courier = serializers.PrimaryKeyRelatedField(
        queryset=Person.objects.all(),
        required=False,
        allow_null=True,
        default=None,
        help_text=_("A colleague who carries it and takes it into custody."),
    )
    courier_name = serializers.CharField(
        max_length=200,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Or an outside courier or the post (e.g. PTT)."),
    )
    tracking_number = serializers.CharField(
        max_length=100, required=False, allow_blank=True, default=""
    )
