"""The one FilterSet for the audit trail, shared by the pages and the API."""

import django_filters
from django import forms
from django.contrib.auth import get_user_model
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from bilgiislem.core.filters import OrderingFilter

from .models import AuditEvent
from .selectors import folded_pattern

DATE_WIDGET = forms.DateInput(
    format="%d.%m.%Y", attrs={"placeholder": "gg.aa.yyyy", "inputmode": "numeric", "size": 10}
)


def _people(request=None):
    # Called per request, not at import time. The person model belongs to a higher app:
    # audit knows it only as AUTH_USER_MODEL.
    return get_user_model().objects.order_by("first_name", "last_name", "username")


def _object_types():
    types = AuditEvent.objects.order_by("object_type").values_list("object_type", flat=True)
    return [(t, t) for t in types.distinct() if t]


class AuditEventFilter(django_filters.FilterSet):
    """Filter the trail by date, person, action, object type, text and request id."""

    date_from = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__gte", label=_("From"), widget=DATE_WIDGET
    )
    date_to = django_filters.DateFilter(
        field_name="occurred_at", lookup_expr="date__lte", label=_("To"), widget=DATE_WIDGET
    )
    person = django_filters.ModelChoiceFilter(
        field_name="actor", queryset=_people, label=_("Person"), empty_label=_("Anyone")
    )
    action = django_filters.CharFilter(
        field_name="action",
        lookup_expr="startswith",
        label=_("Action"),
        help_text=_("The start of an action code, e.g. organization.acting"),
    )
    object_type = django_filters.ChoiceFilter(
        choices=_object_types, label=_("Object type"), empty_label=_("Any")
    )
    q = django_filters.CharFilter(
        method="filter_text",
        label=_("Text"),
        help_text=_("Searches the object and the reason."),
        # data-search: the "/" key focuses this box (static/js/app.js).
        widget=forms.TextInput(attrs={"type": "search", "data-search": ""}),
    )
    request_id = django_filters.CharFilter(field_name="request_id", label=_("Request id"))
    sort = OrderingFilter(
        fields=(("seq", "time"),),
        field_labels={"seq": _("Time")},
        label=_("Order"),
    )

    class Meta:
        model = AuditEvent
        fields = []

    def filter_text(self, queryset, name, value):
        pattern = folded_pattern(value)
        if not pattern:
            return queryset
        return queryset.filter(Q(object_repr__regex=pattern) | Q(reason__regex=pattern))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        # Newest first unless the person chose an order; seq follows time and is unique.
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by("-seq")
        return queryset
