"""Shapes of the account API: obtaining a token, and who am I."""

from django.contrib.auth import authenticate
from django.utils.translation import gettext_lazy as _
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers, status
from rest_framework.exceptions import APIException

from bilgiislem.organization.models import OrgUnit, Person
from bilgiislem.organization.permissions import (
    can_view_audit,
    effective_posts,
    people_admin_post,
)


class LockedOut(APIException):
    """django-axes refused the attempt: too many failures for this account and address."""

    status_code = status.HTTP_429_TOO_MANY_REQUESTS
    default_detail = _("Too many failed login attempts. Try again later.")
    default_code = "locked_out"


class TokenObtainSerializer(serializers.Serializer):
    username = serializers.CharField(max_length=150, write_only=True)
    password = serializers.CharField(
        max_length=128, write_only=True, trim_whitespace=False, style={"input_type": "password"}
    )
    code = serializers.CharField(
        max_length=16,
        write_only=True,
        required=False,
        allow_blank=True,
        default="",
        help_text=_("Two-factor code, for people who log in with one."),
    )

    def validate(self, attrs):
        request = self.context["request"]
        # The request goes to authenticate() so that django-axes counts and locks (it refuses
        # to authenticate without one).
        person = authenticate(
            request=request, username=attrs["username"], password=attrs["password"]
        )
        if getattr(request, "axes_locked_out", False):
            raise LockedOut
        if person is None:
            raise serializers.ValidationError(
                _("The username or password is not correct."), code="authorization"
            )
        return {"person": person, "code": attrs["code"]}


class TokenSerializer(serializers.Serializer):
    token = serializers.CharField(source="key", read_only=True)


class PostUnitSerializer(serializers.ModelSerializer):
    class Meta:
        model = OrgUnit
        fields = ["id", "code", "name"]
        read_only_fields = fields


class EffectivePostSerializer(serializers.Serializer):
    """A post held or acted for; ``label`` reads "Bilgi İşlem Müdürü V." when acting."""

    position = serializers.IntegerField(source="position.pk", read_only=True)
    title = serializers.CharField(source="position.title", read_only=True)
    kind = serializers.CharField(source="position.kind", read_only=True)
    unit = PostUnitSerializer(source="position.unit", read_only=True)
    label = serializers.CharField(read_only=True)
    acting = serializers.SerializerMethodField()
    acting_until = serializers.SerializerMethodField()

    def get_acting(self, post) -> bool:
        return post.acting is not None

    @extend_schema_field(serializers.DateField(allow_null=True))
    def get_acting_until(self, post):
        return post.acting.end_date.isoformat() if post.acting is not None else None


class MeSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(source="__str__", read_only=True)
    posts = serializers.SerializerMethodField()
    can_view_audit = serializers.SerializerMethodField()
    manages_accounts = serializers.SerializerMethodField()

    class Meta:
        model = Person
        fields = [
            "id",
            "username",
            "first_name",
            "last_name",
            "full_name",
            "title",
            "email",
            "phone",
            "posts",
            "can_view_audit",
            "manages_accounts",
        ]
        read_only_fields = fields

    @extend_schema_field(EffectivePostSerializer(many=True))
    def get_posts(self, person):
        return EffectivePostSerializer(effective_posts(person), many=True).data

    def get_can_view_audit(self, person) -> bool:
        return can_view_audit(person)

    def get_manages_accounts(self, person) -> bool:
        return bool(person.is_superuser or people_admin_post(person))


class TwoFactorResetSerializer(serializers.Serializer):
    reason = serializers.CharField(
        max_length=500, help_text=_("Why the device is reset, e.g. phone lost.")
    )


class TwoFactorResetResultSerializer(serializers.Serializer):
    person = serializers.IntegerField(read_only=True)
    devices_removed = serializers.IntegerField(read_only=True)
