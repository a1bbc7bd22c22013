"""Helpers shared by the organisation pages: 403 page, running a service behind a form."""

from django.shortcuts import render
from django.utils.translation import gettext as _

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.core.forms import apply_domain_error


class Forbidden(Exception):
    """Raised inside a view to answer with the 403 page (the object is visible, the act is not)."""

    def __init__(self, message: str = ""):
        self.message = message
        super().__init__(message)


def forbidden(request, message: str = ""):
    return render(
        request,
        "organization/forbidden.html",
        {"message": message or _("Your posts do not allow this action.")},
        status=403,
    )


def run_service(form, call):
    """Run a service call; a refusal lands on the form. Returns the result or None.

    ``PermissionDeniedError`` is re-raised as ``Forbidden``: the page answers 403.
    """
    try:
        return call()
    except PermissionDeniedError as exc:
        raise Forbidden(" ".join(m for ms in exc.errors.values() for m in ms)) from exc
    except DomainError as exc:
        apply_domain_error(form, exc)
        return None


def handles_forbidden(view):
    """Turn ``Forbidden`` raised in a view into the 403 page."""
    from functools import wraps

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            return forbidden(request, exc.message)

    return wrapper


def page(view):
    """Every organisation page: login required, ``Forbidden`` answered with 403."""
    from django.contrib.auth.decorators import login_required

    return login_required(handles_forbidden(view))


def posted(request):
    """The submitted data on POST (even when empty), else None: an unbound form."""
    return request.POST if request.method == "POST" else None
