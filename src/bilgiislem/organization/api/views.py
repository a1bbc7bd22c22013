"""Organisation API: reads are permission-scoped querysets; every write is one service call.

Objects outside what the person may see answer 404 (``visible_to``); a visible object the
person's posts do not allow them to change answers 403 (``PermissionDeniedError``).
"""

from django.db.models import Prefetch
from django.http import Http404
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import generics, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from .. import selectors, services
from ..models import (
    ActingAssignment,
    AppointmentRequest,
    Institution,
    OrgUnit,
    Person,
    Position,
    PositionHolding,
    SignatureDelegation,
    UnitChangeRequest,
)
from . import filters, serializers


class InstitutionView(generics.GenericAPIView):
    """The municipality this installation serves."""

    serializer_class = serializers.InstitutionSerializer
    queryset = Institution.objects.all()
    pagination_class = None
    filter_backends = []

    def get(self, request):
        institution = self.get_queryset().order_by("pk").first()
        if institution is None:
            raise Http404
        return Response(self.get_serializer(institution).data)


class ServiceViewSet(viewsets.ReadOnlyModelViewSet):
    """Read-only model endpoints whose state changes go through one service each."""

    def read_input(self, serializer_class) -> dict:
        serializer = serializer_class(data=self.request.data, context=self.get_serializer_context())
        serializer.is_valid(raise_exception=True)
        return serializer.validated_data

    def respond(self, obj, status_code=status.HTTP_200_OK) -> Response:
        # Reload through the scoped queryset so the answer has the same shape as a GET.
        obj = self.get_queryset().filter(pk=obj.pk).first() or obj
        return Response(self.get_serializer(obj).data, status=status_code)


@extend_schema_view(list=extend_schema(summary="Units (the tree on a date with ?on=)"))
class OrgUnitViewSet(viewsets.ReadOnlyModelViewSet):
    """Units of the organisation; ``?on=YYYY-MM-DD`` gives the tree as it stood that day."""

    queryset = OrgUnit.objects.all()
    serializer_class = serializers.OrgUnitSerializer
    filterset_class = filters.OrgUnitFilter


class PositionViewSet(viewsets.ReadOnlyModelViewSet):
    """Posts with the people who hold them today (and who acts for them)."""

    queryset = Position.objects.all()
    serializer_class = serializers.PositionSerializer
    filterset_class = filters.PositionFilter

    def get_queryset(self):
        return Position.objects.select_related("unit").prefetch_related(
            Prefetch(
                "holdings",
                queryset=PositionHolding.objects.active_on().select_related("person"),
                to_attr="current_holdings",
            ),
            Prefetch(
                "acting",
                queryset=ActingAssignment.objects.active_on().select_related("acting_person"),
                to_attr="current_acting",
            ),
        )


class PersonViewSet(ServiceViewSet):
    """Staff of the municipality with their posts; the system's Director disables accounts."""

    queryset = Person.objects.all()
    serializer_class = serializers.PersonSerializer
    filterset_class = filters.PersonApiFilter  # the people page's, see there

    def get_queryset(self):
        return selectors.people_with_current_posts(Person.objects.all()).prefetch_related(
            Prefetch(
                "acting",
                queryset=ActingAssignment.objects.active_on().select_related("position__unit"),
                to_attr="current_acting",
            ),
        )

    @extend_schema(
        request=serializers.PersonCreateSerializer,
        responses={201: serializers.PersonSerializer},
    )
    def create(self, request):
        data = self.read_input(serializers.PersonCreateSerializer)
        data["password"] = data["password"] or None
        person = services.person_create(actor=request.user, **data)
        return self.respond(person, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.HoldingCreateSerializer,
        responses={201: serializers.HoldingSerializer},
    )
    @action(detail=True, methods=["post"])
    def holdings(self, request, pk=None):
        """Assign a post to the person from a date (görevlendirme)."""
        person = self.get_object()
        data = self.read_input(serializers.HoldingCreateSerializer)
        holding = services.holding_start(actor=request.user, person=person, **data)
        holding = PositionHolding.objects.select_related("person", "position__unit").get(
            pk=holding.pk
        )
        return Response(serializers.HoldingSerializer(holding).data, status=status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.RequiredReasonSerializer, responses=serializers.PersonSerializer
    )
    @action(detail=True, methods=["post"])
    def disable(self, request, pk=None):
        data = self.read_input(serializers.RequiredReasonSerializer)
        person = services.person_disable(actor=request.user, person=self.get_object(), **data)
        return self.respond(person)

    @extend_schema(request=serializers.ReasonSerializer, responses=serializers.PersonSerializer)
    @action(detail=True, methods=["post"])
    def enable(self, request, pk=None):
        data = self.read_input(serializers.ReasonSerializer)
        person = services.person_enable(actor=request.user, person=self.get_object(), **data)
        return self.respond(person)


class PositionHoldingViewSet(ServiceViewSet):
    """Post holdings (görevlendirme): who held which post from when to when."""

    queryset = PositionHolding.objects.all()
    serializer_class = serializers.HoldingSerializer
    filterset_class = filters.PositionHoldingFilter

    def get_queryset(self):
        return PositionHolding.objects.select_related("person", "position__unit").order_by(
            "-start_date", "-pk"
        )

    @extend_schema(
        request=serializers.HoldingEndSerializer, responses=serializers.HoldingSerializer
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        """Record the last day of a holding (or move it)."""
        data = self.read_input(serializers.HoldingEndSerializer)
        holding = services.holding_end(actor=request.user, holding=self.get_object(), **data)
        return self.respond(holding)


class ActingAssignmentViewSet(ServiceViewSet):
    """Acting assignments (vekalet, RYY art. 9(b)): who acts for which post, when."""

    queryset = ActingAssignment.objects.all()
    serializer_class = serializers.ActingAssignmentSerializer
    filterset_class = filters.ActingAssignmentFilter

    def get_queryset(self):
        return ActingAssignment.objects.visible_to(self.request.user).select_related(
            "position__unit", "acting_person", "created_by", "cancelled_by"
        )

    @extend_schema(
        request=serializers.ActingAssignmentCreateSerializer,
        responses={201: serializers.ActingAssignmentSerializer},
    )
    def create(self, request):
        data = self.read_input(serializers.ActingAssignmentCreateSerializer)
        assignment = services.acting_create(actor=request.user, **data)
        return self.respond(assignment, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.ReasonSerializer, responses=serializers.ActingAssignmentSerializer
    )
    @action(detail=True, methods=["post"])
    def end(self, request, pk=None):
        data = self.read_input(serializers.ReasonSerializer)
        assignment = services.acting_end(actor=request.user, assignment=self.get_object(), **data)
        return self.respond(assignment)


class SignatureDelegationViewSet(ServiceViewSet):
    """Signature delegations (imza yetkisi devri, RYY art. 11(b)): "Başkan a." signatures."""

    queryset = SignatureDelegation.objects.all()
    serializer_class = serializers.SignatureDelegationSerializer
    filterset_class = filters.SignatureDelegationFilter

    def get_queryset(self):
        return (
            SignatureDelegation.objects.visible_to(self.request.user)
            .select_related(
                "delegator",
                "delegate",
                "revoked_by",
                "delegator_position__unit",
                "delegate_position__unit",
            )
            .prefetch_related("units")
        )

    @extend_schema(
        request=serializers.SignatureDelegationCreateSerializer,
        responses={201: serializers.SignatureDelegationSerializer},
    )
    def create(self, request):
        data = self.read_input(serializers.SignatureDelegationCreateSerializer)
        delegation = services.delegation_create(actor=request.user, **data)
        return self.respond(delegation, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.RequiredReasonSerializer,
        responses=serializers.SignatureDelegationSerializer,
    )
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        data = self.read_input(serializers.RequiredReasonSerializer)
        delegation = services.delegation_revoke(
            actor=request.user, delegation=self.get_object(), **data
        )
        return self.respond(delegation)


class AppointmentRequestViewSet(ServiceViewSet):
    """Birim Sorumlusu appointments (RYY art. 7(2)): the Director proposes, the Mayor decides."""

    queryset = AppointmentRequest.objects.all()
    serializer_class = serializers.AppointmentRequestSerializer
    filterset_class = filters.AppointmentRequestFilter

    def get_queryset(self):
        return AppointmentRequest.objects.visible_to(self.request.user).select_related(
            "unit", "person", "proposed_by", "decided_by"
        )

    @extend_schema(
        request=serializers.AppointmentRequestCreateSerializer,
        responses={201: serializers.AppointmentRequestSerializer},
    )
    def create(self, request):
        data = self.read_input(serializers.AppointmentRequestCreateSerializer)
        proposal = services.appointment_propose(actor=request.user, **data)
        return self.respond(proposal, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.ReasonSerializer, responses=serializers.AppointmentRequestSerializer
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = self.read_input(serializers.ReasonSerializer)
        proposal = services.appointment_approve(
            actor=request.user, request=self.get_object(), **data
        )
        return self.respond(proposal)

    @extend_schema(
        request=serializers.RequiredReasonSerializer,
        responses=serializers.AppointmentRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = self.read_input(serializers.RequiredReasonSerializer)
        proposal = services.appointment_reject(
            actor=request.user, request=self.get_object(), **data
        )
        return self.respond(proposal)


class UnitChangeRequestViewSet(ServiceViewSet):
    """Changes to the internal organisation (RYY art. 7(3)): proposed, then approved."""

    queryset = UnitChangeRequest.objects.all()
    serializer_class = serializers.UnitChangeRequestSerializer
    filterset_class = filters.UnitChangeRequestFilter

    def get_queryset(self):
        return UnitChangeRequest.objects.visible_to(self.request.user).select_related(
            "unit", "parent", "resulting_unit", "proposed_by", "decided_by"
        )

    @extend_schema(
        request=serializers.UnitChangeRequestCreateSerializer,
        responses={201: serializers.UnitChangeRequestSerializer},
    )
    def create(self, request):
        data = self.read_input(serializers.UnitChangeRequestCreateSerializer)
        proposal = services.unit_change_propose(actor=request.user, **data)
        return self.respond(proposal, status.HTTP_201_CREATED)

    @extend_schema(
        request=serializers.ReasonSerializer, responses=serializers.UnitChangeRequestSerializer
    )
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        data = self.read_input(serializers.ReasonSerializer)
        proposal = services.unit_change_approve(
            actor=request.user, request=self.get_object(), **data
        )
        return self.respond(proposal)

    @extend_schema(
        request=serializers.RequiredReasonSerializer,
        responses=serializers.UnitChangeRequestSerializer,
    )
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        data = self.read_input(serializers.RequiredReasonSerializer)
        proposal = services.unit_change_reject(
            actor=request.user, request=self.get_object(), **data
        )
        return self.respond(proposal)
