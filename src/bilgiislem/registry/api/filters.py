"""Filters of the registry API (query parameters; a bad value is a 400).

The document list uses the registry's own ``DocumentFilter``, shared with the pages.
"""

from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django_filters import rest_framework as filters

from bilgiislem.organization.models import Person
from bilgiislem.organization.permissions import effective_posts

from ..choices import Purpose, RoutingStatus
from ..filters import DocumentFilter
from ..models import Custody, Routing


class DocumentApiFilter(DocumentFilter):
    """The registry list's filter; ``assignee`` names its model path so the schema types it."""

    assignee = filters.ModelChoiceFilter(
        queryset=Person.objects.all(),
        field_name="routings__to_person",
        method="filter_assignee",
        label=_("routed to"),
    )


class RoutingFilter(filters.FilterSet):
    mine = filters.BooleanFilter(
        method="filter_mine", label=_("only the open routings waiting for me")
    )
    document = filters.NumberFilter(field_name="document_id")
    status = filters.ChoiceFilter(choices=RoutingStatus.choices)
    purpose = filters.ChoiceFilter(choices=Purpose.choices)

    class Meta:
        model = Routing
        fields = ["mine", "document", "status", "purpose"]

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        person = self.request.user
        units = {p.unit_id for p in effective_posts(person)}
        return queryset.filter(
            Q(to_person=person) | Q(to_unit_id__in=units), status=RoutingStatus.OPEN
        )


class OversightFilter(filters.FilterSet):
    person = filters.ModelChoiceFilter(
        queryset=Person.objects.all(), field_name="to_person", label=_("routed to")
    )
    overdue = filters.BooleanFilter(method="filter_overdue", label=_("only the late ones"))

    class Meta:
        model = Routing
        fields = ["person", "overdue"]

    def filter_overdue(self, queryset, name, value):
        from django.utils import timezone

        late = Q(due_date__lt=timezone.localdate())
        return queryset.filter(late) if value else queryset.exclude(late)


class CustodyFilter(filters.FilterSet):
    mine = filters.BooleanFilter(
        method="filter_mine", label=_("only the hand-overs waiting for my acknowledgement")
    )
    document = filters.NumberFilter(field_name="document_id")

    class Meta:
        model = Custody
        fields = ["mine", "document"]

    def filter_mine(self, queryset, name, value):
        if not value:
            return queryset
        person = self.request.user
        units = {p.unit_id for p in effective_posts(person)}
        return queryset.filter(
            Q(holder=person) | Q(holder_unit_id__in=units),
            acknowledged_at__isnull=True,
            released_at__isnull=True,
        )
