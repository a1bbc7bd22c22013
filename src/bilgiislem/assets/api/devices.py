"""API of licences, contract coverage, leased data lines, monitored devices and expiry
warnings (issue 7 points 7–9). Read by Bilgi İşlem staff, 404 for everyone else; recording
licences, coverage and lines is for the Director and the Chief; the licence key only for them.
"""

from __future__ import annotations

from django.http import Http404
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema, extend_schema_view, inline_serializer
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from bilgiislem.core.errors import DomainError
from bilgiislem.organization.models import Person
from bilgiislem.servicedesk.models import VendorContract

from ..choices import MONITORED_KINDS
from ..models import Asset, ContractCoverage, DataLine, License, Site
from ..services import datalines as line_services
from ..services import devices as device_services
from ..services import licenses as license_services
from ..services._heads import is_it_staff
from ..services.expiry import expiring
from ._input import read as _read


class ItStaffOnly:
    """Mixin: everyone outside Bilgi İşlem gets 404 (these records are not theirs to know)."""

    def initial(self, request, *args, **kwargs):
        super().initial(request, *args, **kwargs)
        if not is_it_staff(request.user):
            raise Http404


def _get(model, pk, field, message):
    obj = model.objects.filter(pk=pk).first() if pk is not None else None
    if obj is None:
        raise DomainError(message, field=field)
    return obj


# ---------------------------------------------------------------- licences


class LicenseSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    seats = serializers.IntegerField(read_only=True)
    seats_used = serializers.SerializerMethodField()
    contract = serializers.IntegerField(source="contract_id", read_only=True, allow_null=True)
    has_key = serializers.SerializerMethodField()

    class Meta:
        model = License
        fields = [
            "id",
            "product",
            "vendor",
            "seats",
            "seats_used",
            "valid_until",
            "contract",
            "has_key",
        ]
        read_only_fields = fields

    def get_seats_used(self, obj) -> int:
        return license_services.seats_used(obj)

    def get_has_key(self, obj) -> bool:
        return bool(obj.key_encrypted)


class LicenseInputSerializer(serializers.Serializer):
    product = serializers.CharField(max_length=200, required=False, allow_blank=True)
    vendor = serializers.CharField(max_length=200, required=False, allow_blank=True)
    seats = serializers.IntegerField(required=False)
    key = serializers.CharField(max_length=2000, required=False, allow_blank=True)
    valid_until = serializers.DateField(required=False, allow_null=True)
    contract = serializers.IntegerField(required=False, allow_null=True)


class AssignInputSerializer(serializers.Serializer):
    asset = serializers.IntegerField(required=False, allow_null=True)
    person = serializers.IntegerField(required=False, allow_null=True)


class UnassignInputSerializer(serializers.Serializer):
    assignment = serializers.IntegerField()


AssignmentSerializer = inline_serializer(
    "LicenseAssignmentOut",
    {
        "id": serializers.IntegerField(),
        "license": serializers.IntegerField(),
        "asset": serializers.IntegerField(allow_null=True),
        "person": serializers.IntegerField(allow_null=True),
    },
)


def _assignment_data(a) -> dict:
    return {"id": a.pk, "license": a.license_id, "asset": a.asset_id, "person": a.person_id}


def _license_fields(data: dict) -> dict:
    if "contract" in data:
        data["contract"] = (
            None
            if data["contract"] is None
            else _get(VendorContract, data["contract"], "contract", _("Choose the contract."))
        )
    return data


@extend_schema_view(
    list=extend_schema(summary="Software licences", tags=["assets"]),
    retrieve=extend_schema(summary="A software licence", tags=["assets"]),
)
class LicenseViewSet(
    ItStaffOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = LicenseSerializer
    queryset = License.objects.order_by("product", "pk")

    @extend_schema(
        summary="Record a licence (Director or Chief)",
        request=LicenseInputSerializer,
        responses={201: LicenseSerializer},
        tags=["assets"],
    )
    def create(self, request):
        data = _license_fields(_read(LicenseInputSerializer, request.data))
        # The input is shared with PATCH (all optional): a missing name or seat count is the
        # service's 400 naming the field, not a TypeError.
        data = {"product": "", "seats": None, **data}
        license = license_services.license_create(actor=request.user, **data)
        return Response(LicenseSerializer(license).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Change a licence (Director or Chief)",
        request=LicenseInputSerializer,
        responses={200: LicenseSerializer},
        tags=["assets"],
    )
    def partial_update(self, request, pk=None):
        data = _license_fields(_read(LicenseInputSerializer, request.data, partial=True))
        key = data.pop("key", None)
        license = license_services.license_update(
            actor=request.user, license=self.get_object(), key=key, **data
        )
        return Response(LicenseSerializer(license).data)

    @extend_schema(
        summary="The licence key in clear (Director or Chief; audited)",
        responses={200: inline_serializer("LicenseKey", {"key": serializers.CharField()})},
        tags=["assets"],
    )
    @action(detail=True, methods=["get"])
    def key(self, request, pk=None):
        return Response(
            {"key": license_services.license_key(actor=request.user, license=self.get_object())}
        )

    @extend_schema(
        summary="Give a seat to an asset or a person",
        request=AssignInputSerializer,
        responses={201: AssignmentSerializer},
        tags=["assets"],
    )
    @action(detail=True, methods=["post"])
    def assign(self, request, pk=None):
        data = _read(AssignInputSerializer, request.data)
        asset = person = None
        if data.get("asset") is not None:
            asset = _get(Asset, data["asset"], "asset", _("Choose the asset."))
        if data.get("person") is not None:
            person = _get(Person, data["person"], "person", _("Choose the person."))
        assignment = license_services.license_assign(
            actor=request.user, license=self.get_object(), asset=asset, person=person
        )
        return Response(_assignment_data(assignment), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="End a seat's assignment",
        request=UnassignInputSerializer,
        responses={200: AssignmentSerializer},
        tags=["assets"],
    )
    @action(detail=True, methods=["post"])
    def unassign(self, request, pk=None):
        data = _read(UnassignInputSerializer, request.data)
        license = self.get_object()
        assignment = license.assignments.filter(pk=data["assignment"]).first()
        if assignment is None:
            raise DomainError(_("No such assignment of this licence."), field="assignment")
        assignment = license_services.license_unassign(actor=request.user, assignment=assignment)
        return Response(_assignment_data(assignment))


# ---------------------------------------------------------------- contract coverage


class CoverageSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    contract = serializers.IntegerField(source="contract_id")
    asset = serializers.IntegerField(source="asset_id")

    class Meta:
        model = ContractCoverage
        fields = ["id", "contract", "asset"]


@extend_schema_view(
    list=extend_schema(summary="Assets covered by maintenance contracts", tags=["assets"]),
    create=extend_schema(summary="A contract covers an asset (Director or Chief)", tags=["assets"]),
    destroy=extend_schema(summary="End a contract's coverage of an asset", tags=["assets"]),
)
class CoverageViewSet(
    ItStaffOnly,
    mixins.ListModelMixin,
    mixins.CreateModelMixin,
    mixins.DestroyModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = CoverageSerializer
    queryset = ContractCoverage.objects.order_by("pk")

    def create(self, request):
        data = _read(CoverageSerializer, request.data)
        coverage = license_services.contract_cover(
            actor=request.user,
            contract=_get(
                VendorContract, data["contract_id"], "contract", _("Choose the contract.")
            ),
            asset=_get(Asset, data["asset_id"], "asset", _("Choose the asset.")),
        )
        return Response(CoverageSerializer(coverage).data, status=status.HTTP_201_CREATED)

    def destroy(self, request, pk=None):
        license_services.contract_uncover(actor=request.user, coverage=self.get_object())
        return Response(status=status.HTTP_204_NO_CONTENT)


# ---------------------------------------------------------------- data lines


class DataLineSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    site_a = serializers.IntegerField(source="site_a_id")
    site_b = serializers.IntegerField(source="site_b_id")
    speed_mbps = serializers.IntegerField()
    open_outage = serializers.SerializerMethodField()

    class Meta:
        model = DataLine
        fields = [
            "id",
            "provider",
            "circuit_id",
            "site_a",
            "site_b",
            "speed_mbps",
            "contract_number",
            "monthly_cost",
            "installed_on",
            "ends_on",
            "open_outage",
        ]
        read_only_fields = ["id", "open_outage"]
        # Uniqueness is the service's check (400 naming circuit_id), not the serializer's.
        extra_kwargs = {"circuit_id": {"validators": []}}

    def get_open_outage(self, obj) -> int | None:
        outage = line_services.open_outage(obj)
        return outage.pk if outage else None


class OutageInputSerializer(serializers.Serializer):
    provider_ticket = serializers.CharField(max_length=100, required=False, allow_blank=True)
    started_at = serializers.DateTimeField(required=False)
    note = serializers.CharField(max_length=2000, required=False, allow_blank=True)


OutageSerializer = inline_serializer(
    "DataLineOutageOut",
    {
        "id": serializers.IntegerField(),
        "line": serializers.IntegerField(),
        "ticket": serializers.IntegerField(),
        "provider_ticket": serializers.CharField(),
        "started_at": serializers.DateTimeField(),
        "ended_at": serializers.DateTimeField(allow_null=True),
    },
)


def _outage_data(o) -> dict:
    return {
        "id": o.pk,
        "line": o.line_id,
        "ticket": o.ticket_id,
        "provider_ticket": o.provider_ticket,
        "started_at": o.started_at,
        "ended_at": o.ended_at,
    }


@extend_schema_view(
    list=extend_schema(summary="Leased data lines", tags=["assets"]),
    retrieve=extend_schema(summary="A leased data line", tags=["assets"]),
    create=extend_schema(summary="Record a leased line (Director or Chief)", tags=["assets"]),
)
class DataLineViewSet(
    ItStaffOnly,
    mixins.ListModelMixin,
    mixins.RetrieveModelMixin,
    mixins.CreateModelMixin,
    viewsets.GenericViewSet,
):
    serializer_class = DataLineSerializer
    queryset = DataLine.objects.select_related("site_a", "site_b").order_by("provider", "pk")

    def create(self, request):
        data = _read(DataLineSerializer, request.data)
        line = line_services.dataline_create(
            actor=request.user,
            provider=data["provider"],
            circuit_id=data["circuit_id"],
            site_a=_get(Site, data["site_a_id"], "site_a", _("Choose the site.")),
            site_b=_get(Site, data["site_b_id"], "site_b", _("Choose the site.")),
            speed_mbps=data["speed_mbps"],
            contract_number=data.get("contract_number", ""),
            monthly_cost=data.get("monthly_cost", 0),
            installed_on=data.get("installed_on"),
            ends_on=data.get("ends_on"),
        )
        return Response(DataLineSerializer(line).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="Report an outage: opens a service-desk request",
        request=OutageInputSerializer,
        responses={201: OutageSerializer},
        tags=["assets"],
    )
    @action(detail=True, methods=["post"])
    def outage(self, request, pk=None):
        data = _read(OutageInputSerializer, request.data)
        outage = line_services.dataline_outage_report(
            actor=request.user, line=self.get_object(), **data
        )
        return Response(_outage_data(outage), status=status.HTTP_201_CREATED)

    @extend_schema(
        summary="The line is back: end its open outage",
        request=None,
        responses={200: OutageSerializer},
        tags=["assets"],
    )
    @action(detail=True, methods=["post"], url_path="outage-end")
    def outage_end(self, request, pk=None):
        outage = line_services.open_outage(self.get_object())
        if outage is None:
            raise DomainError(_("This line has no open outage."), field="outage")
        outage = line_services.dataline_outage_end(actor=request.user, outage=outage)
        return Response(_outage_data(outage))


# ---------------------------------------------------------------- monitored devices


class DeviceSerializer(serializers.ModelSerializer):
    id = serializers.IntegerField(read_only=True)
    site = serializers.IntegerField(source="site_id", allow_null=True, read_only=True)
    online = serializers.SerializerMethodField()
    offline_ticket = serializers.IntegerField(
        source="offline_ticket_id", allow_null=True, read_only=True
    )
    has_token = serializers.SerializerMethodField()

    class Meta:
        model = Asset
        fields = [
            "id",
            "sicil_no",
            "kind",
            "make",
            "model",
            "site",
            "last_seen_at",
            "online",
            "offline_ticket",
            "has_token",
            "device_token_expires",
        ]
        read_only_fields = fields

    def get_online(self, obj) -> bool:
        return device_services.is_online(obj)

    def get_has_token(self, obj) -> bool:
        return bool(obj.device_token_hash)


@extend_schema_view(
    list=extend_schema(summary="Monitored devices with their online state", tags=["assets"]),
    retrieve=extend_schema(summary="A monitored device", tags=["assets"]),
)
class DeviceViewSet(
    ItStaffOnly, mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet
):
    serializer_class = DeviceSerializer
    queryset = Asset.objects.filter(kind__in=[str(k) for k in MONITORED_KINDS]).order_by(
        "site__name", "sicil_no"
    )

    @extend_schema(
        summary="Issue or rotate the device's heartbeat token (shown once)",
        request=None,
        responses={
            201: inline_serializer(
                "DeviceToken",
                {"token": serializers.CharField(), "expires": serializers.DateTimeField()},
            )
        },
        tags=["assets"],
    )
    @action(detail=True, methods=["post"])
    def token(self, request, pk=None):
        asset = self.get_object()
        token = device_services.device_token_issue(actor=request.user, asset=asset)
        return Response(
            {"token": token, "expires": asset.device_token_expires}, status=status.HTTP_201_CREATED
        )


# ---------------------------------------------------------------- expiry warnings


@extend_schema_view(
    list=extend_schema(
        summary="Warranties, licences, contracts and data lines ending soon",
        responses={
            200: inline_serializer(
                "Expiring",
                {
                    "kind": serializers.CharField(),
                    "label": serializers.CharField(),
                    "ends_on": serializers.DateField(),
                    "id": serializers.IntegerField(),
                },
                many=True,
            )
        },
        tags=["assets"],
    )
)
class ExpiringViewSet(ItStaffOnly, viewsets.ViewSet):
    def list(self, request):
        return Response(
            [
                {"kind": e.kind, "label": e.label, "ends_on": e.ends_on, "id": e.pk}
                for e in expiring()
            ]
        )
