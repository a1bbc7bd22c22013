"""Helpers shared by the letter pages."""

from functools import wraps

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _

from ..models import Letter
from ..querysets import letters


class Forbidden(Exception):
    """The letter is visible, the act is not: the page answers 403."""

    def __init__(self, message: str = ""):
        self.message = message
        super().__init__(message)


def page(view):
    """Login required; ``Forbidden`` answered with the 403 page."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Forbidden as exc:
            return render(
                request,
                "correspondence/forbidden.html",
                {"message": exc.message or _("Your posts do not allow this action.")},
                status=403,
            )

    return login_required(wrapper)


def letter_for(user, pk) -> Letter:
    """The letter if the person may see it, else 404."""
    return get_object_or_404(
        letters(user).select_related("unit", "prepared_by", "document", "reply_to"), pk=pk
    )


def refusal(exc) -> str:
    return " ".join(m for ms in exc.errors.values() for m in ms)
