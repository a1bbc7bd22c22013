"""Scopes of archive rows a person may see (DESIGN.md invariant 4).

Folders follow ``permissions.visible_unit_ids`` (the directorate's staff, the managers above
it, its archive officers; the institutional archive officer sees all). Archived records and
filings follow the registry's own rule for their document (``Document.objects.visible_to``),
so a Gizli record stays hidden in a folder the person may otherwise see.
"""

from django.db.models import QuerySet

from bilgiislem.registry.models import Document

from . import permissions
from .models import ArchivedRecord, Filing, Folder


def folders_visible_to(person, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Folder.objects.all() if queryset is None else queryset
    if not getattr(person, "is_authenticated", False):
        return queryset.none()
    units = permissions.visible_unit_ids(person)
    return queryset if units is None else queryset.filter(unit_id__in=units)


def documents_visible_to(person) -> QuerySet:
    return Document.objects.visible_to(person)


def records_visible_to(person, queryset: QuerySet | None = None) -> QuerySet:
    queryset = ArchivedRecord.objects.all() if queryset is None else queryset
    if not getattr(person, "is_authenticated", False):
        return queryset.none()
    if person.is_superuser:
        return queryset
    return queryset.filter(document__in=documents_visible_to(person).values("pk"))


def filings_visible_to(person, queryset: QuerySet | None = None) -> QuerySet:
    queryset = Filing.objects.all() if queryset is None else queryset
    if not getattr(person, "is_authenticated", False):
        return queryset.none()
    if person.is_superuser:
        return queryset
    return queryset.filter(document__in=documents_visible_to(person).values("pk"))
