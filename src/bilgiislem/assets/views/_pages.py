"""Helpers of the asset pages: login, 403 for a refused act on something the person may see,
and a service refusal put on the form's named field."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils.translation import gettext as _

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.core.forms import apply_domain_error


class Forbidden(Exception):
    """The object is visible, the act is not: the page answers 403."""

    def __init__(self, message: str = ""):
        self.message = message
        super().__init__(message)


def page(view):
    """A logged-in page; ``Forbidden`` is answered with the 403 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            return render(
                request,
                "assets/forbidden.html",
                {"message": exc.message or _("Your posts do not allow this action.")},
                status=403,
            )

    return login_required(wrapper)


def run_service(form, call):
    """Run one service call; a refusal lands on the form (the named field), or answers 403."""
    try:
        return call()
    except PermissionDeniedError as exc:
        raise Forbidden(" ".join(m for ms in exc.errors.values() for m in ms)) from exc
    except DomainError as exc:
        apply_domain_error(form, exc)
        return None


def posted(request):
    """The submitted data on POST (even when empty), else None: an unbound form."""
    return request.POST if request.method == "POST" else None
