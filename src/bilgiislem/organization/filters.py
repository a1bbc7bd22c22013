"""One FilterSet per list, shared by the pages and the API (STYLE.md)."""

import django_filters
from django.utils.translation import gettext_lazy as _

from bilgiislem.core.filters import OrderingFilter

from . import permissions
from .models import OrgUnit, Person, PositionHolding
from .selectors import people_search


class PersonFilter(django_filters.FilterSet):
    """People (personel): search by name or username, filter by unit, sort."""

    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=100)
    unit = django_filters.ModelChoiceFilter(
        label=_("Unit"),
        queryset=OrgUnit.objects.all(),
        method="filter_unit",
        empty_label=_("All units"),
    )
    sort = OrderingFilter(
        label=_("Sort by"),
        fields=(("search_key", "name"), ("username", "username"), ("is_active", "active")),
        field_labels={"search_key": _("Name"), "username": _("Username"), "is_active": _("Active")},
    )

    class Meta:
        model = Person
        fields = ["q", "unit", "sort"]

    def filter_q(self, queryset, name, value):
        return people_search(queryset, value)

    def filter_unit(self, queryset, name, value):
        """People holding a post today in the unit or any unit below it."""
        units = permissions.subtree(value.pk, permissions.unit_parents())
        holders = PositionHolding.objects.active_on().filter(position__unit_id__in=units)
        return queryset.filter(pk__in=holders.values("person_id"))
