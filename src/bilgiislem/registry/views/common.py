"""Helpers shared by the registry pages: reading what the person may see, running a service."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.core.forms import apply_domain_error

from ..models import Custody, Document, Routing


class Forbidden(Exception):
    """The document is visible, the act is not: the page answers 403."""

    def __init__(self, message: str = ""):
        self.message = message
        super().__init__(message)


def page(view):
    """Every registry page: login required, ``Forbidden`` answered with the 403 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            return render(
                request,
                "registry/forbidden.html",
                {"message": exc.message or _("Your posts do not allow this action.")},
                status=403,
            )

    return login_required(wrapper)


def run_service(form, call, *, field_map=None):
    """Run one service call; a refusal lands on the form (the named field), or answers 403.

    ``field_map`` renames service field names to this form's field names.
    """
    try:
        return call()
    except PermissionDeniedError as exc:
        raise Forbidden(" ".join(m for ms in exc.errors.values() for m in ms)) from exc
    except DomainError as exc:
        if field_map:
            exc.errors = {field_map.get(k, k): v for k, v in exc.errors.items()}
        apply_domain_error(form, exc)
        return None


def posted(request):
    """The submitted data on POST (even when empty), else None: an unbound form."""
    return request.POST if request.method == "POST" else None


def visible_documents(user):
    return Document.objects.visible_to(user)


def document_for(user, pk) -> Document:
    """The document if the person may see it, else 404 (never a hint that it exists)."""
    try:
        from ..selectors import document_get_for_user
    except ImportError:  # the selectors module is written alongside these pages
        return get_object_or_404(visible_documents(user).select_related("registry"), pk=pk)
    return document_get_for_user(user, pk)


def routing_for(user, pk) -> Routing:
    return get_object_or_404(
        Routing.objects.select_related("document__registry", "to_unit", "to_person").filter(
            document__in=visible_documents(user)
        ),
        pk=pk,
    )


def custody_for(user, pk) -> Custody:
    return get_object_or_404(
        Custody.objects.select_related("document__registry", "holder", "holder_unit").filter(
            document__in=visible_documents(user)
        ),
        pk=pk,
    )


def my_registries(user) -> list:
    """``permissions.registries_for`` without asking every directorate of the municipality:
    only those the person works in or was granted can pass ``clerk_post`` (same rule)."""
    from django.utils import timezone

    from bilgiislem.organization.models import OrgUnit

    from .. import permissions
    from ..models import RegistryClerk

    ids = set(permissions.directorate_ids_of(user))
    ids |= set(
        RegistryClerk.objects.active_on(timezone.localdate())
        .filter(person=user)
        .values_list("registry_id", flat=True)
    )
    if not ids:
        return []
    candidates = OrgUnit.objects.filter(pk__in=ids, valid_to__isnull=True).order_by("name")
    return [r for r in candidates.prefetch_related("children") if permissions.clerk_post(user, r)]
