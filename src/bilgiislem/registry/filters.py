"""The registry list's filters, one FilterSet shared by the pages and the API (STYLE.md)."""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Value
from django.db.models.functions import Lower, Replace
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from bilgiislem.core.filters import OrderingFilter
from bilgiislem.core.text import fold
from bilgiislem.core.widgets import QuickSelect
from bilgiislem.organization.choices import UnitKind
from bilgiislem.organization.models import OrgUnit, Person

from .choices import Direction, DocumentStatus, Secrecy
from .models import Document, Routing
from .search import search

DATE_INPUT_FORMATS = ["%d.%m.%Y", "%Y-%m-%d"]
RELEVANCE = "relevance"

# SQL twin of core.text.fold for a column: neither SQLite's lower() (ASCII only) nor
# PostgreSQL's (I → i under C.UTF-8) lower-cases Turkish, so the letters are mapped first.
_BEFORE_LOWER = [("İ", "i"), ("I", "ı")]
_AFTER_LOWER = [
    ("Ç", "c"),
    ("ç", "c"),
    ("Ğ", "g"),
    ("ğ", "g"),
    ("ı", "i"),
    ("Ö", "o"),
    ("ö", "o"),
    ("Ş", "s"),
    ("ş", "s"),
    ("Ü", "u"),
    ("ü", "u"),
    ("Â", "a"),
    ("â", "a"),
    ("Î", "i"),
    ("î", "i"),
    ("Û", "u"),
    ("û", "u"),
]


def folded(expression):
    """A database expression of the column folded like ``core.text.fold`` (letters only)."""
    for old, new in _BEFORE_LOWER:
        expression = Replace(expression, Value(old), Value(new))
    expression = Lower(expression)
    for old, new in _AFTER_LOWER:
        expression = Replace(expression, Value(old), Value(new))
    return expression


def _start_of(day: datetime.date) -> datetime.datetime:
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time.min))


class DocumentOrderingFilter(OrderingFilter):
    """Column sorts plus "relevance", which only the full-text search can apply."""

    def build_choices(self, fields, labels):
        return [*super().build_choices(fields, labels), (RELEVANCE, _("Relevance"))]

    def filter(self, qs, value):
        return super().filter(qs, [v for v in value or [] if v != RELEVANCE])


class DocumentFilter(django_filters.FilterSet):
    """Documents (evrak): full-text search, dates, direction, status, file plan code, secrecy,
    sender/recipient, the person it was routed to, registry; sortable.

    Applies to a queryset that is already permission-scoped (``visible_to``).
    """

    q = django_filters.CharFilter(label=_("Search"), method="filter_q", max_length=200)
    registered_from = django_filters.DateFilter(
        label=_("Registered from"),
        method="filter_from",
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"placeholder": "gg.aa.yyyy"}),
    )
    registered_to = django_filters.DateFilter(
        label=_("Registered until"),
        method="filter_to",
        input_formats=DATE_INPUT_FORMATS,
        widget=forms.DateInput(attrs={"placeholder": "gg.aa.yyyy"}),
    )
    direction = django_filters.ChoiceFilter(
        label=_("Direction"),
        choices=Direction.choices,
        empty_label=_("Incoming and outgoing"),
        widget=QuickSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=DocumentStatus.choices,
        empty_label=_("Any status"),
        widget=QuickSelect,
    )
    sdp_code = django_filters.CharFilter(
        label=_("File plan code"), lookup_expr="startswith", max_length=30
    )
    secrecy = django_filters.ChoiceFilter(
        label=_("Secrecy"),
        choices=Secrecy.choices,
        empty_label=_("Any secrecy"),
        widget=QuickSelect,
    )
    party = django_filters.CharFilter(
        label=_("Sender / recipient"), method="filter_party", max_length=100
    )
    assignee = django_filters.ModelChoiceFilter(
        label=_("Routed to"),
        queryset=Person.objects.filter(is_active=True).order_by("first_name", "last_name"),
        method="filter_assignee",
        empty_label=_("Anyone"),
        widget=QuickSelect,
    )
    registry = django_filters.ModelChoiceFilter(
        label=_("Registry"),
        queryset=OrgUnit.objects.filter(kind=UnitKind.MUDURLUK),
        empty_label=_("All registries"),
        widget=QuickSelect,
    )
    sort = DocumentOrderingFilter(
        label=_("Sort by"),
        fields=(
            ("registered_at", "registered"),
            ("registry_number", "number"),
            ("document_date", "date"),
            ("party_name", "party"),
            ("subject", "subject"),
        ),
        field_labels={
            "registered_at": _("Registered at"),
            "registry_number": _("Registry number"),
            "document_date": _("Document date"),
            "party_name": _("Sender / recipient"),
            "subject": _("Subject"),
        },
    )

    class Meta:
        model = Document
        fields = [
            "q",
            "registered_from",
            "registered_to",
            "direction",
            "status",
            "sdp_code",
            "secrecy",
            "party",
            "assignee",
            "registry",
            "sort",
        ]

    def filter_q(self, queryset, name, value):
        ranked = RELEVANCE in (self.form.cleaned_data.get("sort") or [])
        return search(queryset, value, ranked=ranked)

    def filter_from(self, queryset, name, value):
        return queryset.filter(registered_at__gte=_start_of(value))

    def filter_to(self, queryset, name, value):
        return queryset.filter(registered_at__lt=_start_of(value + datetime.timedelta(days=1)))

    def filter_party(self, queryset, name, value):
        key = fold(value)
        if not key:
            return queryset
        return queryset.alias(party_key=folded("party_name")).filter(party_key__contains=key)

    def filter_assignee(self, queryset, name, value):
        return queryset.filter(
            Exists(Routing.objects.filter(document=OuterRef("pk"), to_person=value))
        )
