"""Filters of the organisation API (query parameters, validated: a bad value is a 400)."""

from django.db.models import Exists, F, OuterRef, Q, Subquery
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from ..choices import PositionKind, RequestStatus, UnitChangeKind, UnitKind
from ..filters import PersonFilter
from ..models import (
    ActingAssignment,
    AppointmentRequest,
    OrgUnit,
    OrgUnitVersion,
    Person,
    Position,
    PositionHolding,
    SignatureDelegation,
    UnitChangeRequest,
)


def units_as_of(queryset, on=None):
    """Annotate each unit with its shape (name, kind, parent, period) on a date.

    Without a date: every unit, open or closed, in its present shape. With one: only the units
    that existed that day, named and placed as they were (from ``OrgUnitVersion``).
    """
    if on is None:
        latest = OrgUnitVersion.objects.filter(unit=OuterRef("pk")).order_by("-valid_from")
        return queryset.annotate(
            as_of_name=F("name"),
            as_of_kind=F("kind"),
            as_of_parent_id=F("parent_id"),
            shape_valid_from=Subquery(latest.values("valid_from")[:1]),
            shape_valid_to=Subquery(latest.values("valid_to")[:1]),
        )
    version = (
        OrgUnitVersion.objects.filter(unit=OuterRef("pk"), valid_from__lte=on)
        .filter(Q(valid_to__isnull=True) | Q(valid_to__gte=on))
        .order_by("-valid_from")
    )
    return queryset.filter(Exists(version)).annotate(
        as_of_name=Subquery(version.values("name")[:1]),
        as_of_kind=Subquery(version.values("kind")[:1]),
        as_of_parent_id=Subquery(version.values("parent_id")[:1]),
        shape_valid_from=Subquery(version.values("valid_from")[:1]),
        shape_valid_to=Subquery(version.values("valid_to")[:1]),
    )


class OrgUnitFilter(filters.FilterSet):
    on = filters.DateFilter(
        method="filter_on", label=_("The tree as it stood on this date (YYYY-MM-DD).")
    )
    kind = filters.ChoiceFilter(field_name="as_of_kind", choices=UnitKind.choices)
    parent = filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(), method="filter_parent", label=_("parent unit")
    )

    class Meta:
        model = OrgUnit
        fields = ["on", "kind", "parent"]

    def filter_queryset(self, queryset):
        # The date decides the shape every other filter looks at, so it goes first.
        return super().filter_queryset(units_as_of(queryset, self.form.cleaned_data.get("on")))

    def filter_on(self, queryset, name, value):
        return queryset  # applied in filter_queryset, before the others

    def filter_parent(self, queryset, name, value):
        return queryset.filter(as_of_parent_id=value.pk)


class PositionFilter(filters.FilterSet):
    unit = filters.ModelChoiceFilter(queryset=OrgUnit.objects.all())
    kind = filters.ChoiceFilter(choices=PositionKind.choices)

    class Meta:
        model = Position
        fields = ["unit", "kind"]


class PersonApiFilter(PersonFilter):
    """The people page's filter; ``unit`` names its model path so the schema types it."""

    unit = filters.ModelChoiceFilter(
        queryset=OrgUnit.objects.all(),
        field_name="holdings__position__unit",
        method="filter_unit",
        label=_("holds a post today in this unit or below it"),
    )


class PositionHoldingFilter(filters.FilterSet):
    person = filters.ModelChoiceFilter(queryset=Person.objects.all())
    position = filters.ModelChoiceFilter(queryset=Position.objects.all())
    active = filters.BooleanFilter(method="filter_active", label=_("held today"))

    class Meta:
        model = PositionHolding
        fields = ["person", "position", "active"]

    def filter_active(self, queryset, name, value):
        held = PositionHolding.objects.active_on().values("pk")
        return queryset.filter(pk__in=held) if value else queryset.exclude(pk__in=held)


class ActingAssignmentFilter(filters.FilterSet):
    position = filters.ModelChoiceFilter(queryset=Position.objects.all())
    acting_person = filters.ModelChoiceFilter(queryset=Person.objects.all())
    active = filters.BooleanFilter(method="filter_active", label=_("running today"))

    class Meta:
        model = ActingAssignment
        fields = ["position", "acting_person", "active"]

    def filter_active(self, queryset, name, value):
        running = ActingAssignment.objects.active_on().values("pk")
        return queryset.filter(pk__in=running) if value else queryset.exclude(pk__in=running)


class SignatureDelegationFilter(filters.FilterSet):
    delegate = filters.ModelChoiceFilter(queryset=Person.objects.all())
    active = filters.BooleanFilter(method="filter_active", label=_("in force today"))

    class Meta:
        model = SignatureDelegation
        fields = ["delegate", "active"]

    def filter_active(self, queryset, name, value):
        running = SignatureDelegation.objects.active_on().values("pk")
        return queryset.filter(pk__in=running) if value else queryset.exclude(pk__in=running)


class AppointmentRequestFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=RequestStatus.choices)
    unit = filters.ModelChoiceFilter(queryset=OrgUnit.objects.all())

    class Meta:
        model = AppointmentRequest
        fields = ["status", "unit"]


class UnitChangeRequestFilter(filters.FilterSet):
    status = filters.ChoiceFilter(choices=RequestStatus.choices)
    kind = filters.ChoiceFilter(choices=UnitChangeKind.choices)

    class Meta:
        model = UnitChangeRequest
        fields = ["status", "kind"]
