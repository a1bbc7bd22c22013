"""Reads of the document registry, always through ``Document.objects.visible_to(user)``.

Views and the API call these instead of building querysets, so a document outside a
person's scope is never listed and answers 404 when asked for directly (DESIGN.md inv. 4).
"""

from django.db.models import Prefetch, QuerySet
from django.http import Http404
from django.utils.translation import gettext as _

from bilgiislem.organization import permissions as org

from .filters import DocumentFilter
from .models import Document, Routing


def _list_columns(queryset: QuerySet) -> QuerySet:
    """What a list row shows, fetched with the row: the query count does not grow with rows.

    The search text (~1 KiB a row) is never shown.
    """
    return queryset.select_related("registry", "registered_by", "party_unit").defer("search_text")


def document_list(user, params=None, *, request=None) -> tuple[DocumentFilter, QuerySet]:
    """The filter (bound to ``params``, e.g. ``request.GET``) and the visible documents it keeps.

    An invalid filter keeps every visible document; the form carries the errors.
    """
    scope = _list_columns(Document.objects.visible_to(user))
    filterset = DocumentFilter(
        params if params is not None else {}, queryset=scope, request=request
    )
    queryset = filterset.qs if filterset.is_valid() else scope
    return filterset, queryset


def document_rows(pks) -> list[Document]:
    """List rows for ``pks`` taken from ``document_list`` (already permission-scoped), in order.

    Fetched by primary key so the visibility filter is not compiled and run a second time.
    """
    found = _list_columns(Document.objects.all()).in_bulk(pks)
    return [found[pk] for pk in pks if pk in found]


def document_get_for_user(user, pk) -> Document:
    """One document the person may see, or 404 (existence is not revealed to others)."""
    try:
        pk = int(pk)
    except (TypeError, ValueError):
        raise Http404(_("No such document.")) from None
    found = (
        Document.objects.visible_to(user)
        .select_related("registry", "registered_by", "party_unit", "source")
        .filter(pk=pk)
        .first()
    )
    if found is None:
        raise Http404(_("No such document."))
    return found


def open_routings_for_directorate(user, directorate) -> QuerySet:
    """Every open routing of a directorate's registry, per person, oldest first.

    For the Director's and the Chief's oversight (issue 3, point 8): only managers of the
    directorate (or those acting for them) see it; anyone else gets an empty list. The
    documents are still limited to what the person may see (a Gizli one stays hidden).
    """
    if not user.is_superuser and directorate.pk not in org.managed_unit_ids(user):
        return Routing.objects.none()
    return (
        Routing.objects.open()
        .filter(
            document__registry=directorate,
            document__in=Document.objects.visible_to(user).values("pk"),
        )
        .select_related("document", "to_person", "to_unit", "routed_by")
        .order_by("to_person__first_name", "to_person__last_name", "to_unit__name", "created_at")
    )


def routings_prefetch() -> Prefetch:
    """Routings with their recipients, for pages (and the register book) that list them."""
    return Prefetch(
        "routings",
        queryset=Routing.objects.select_related("to_person", "to_unit").order_by(
            "created_at", "id"
        ),
    )
