"""The main menu, filtered by what the person's posts allow."""

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from bilgiislem.organization import permissions


def menu_for(user) -> list[dict]:
    items = [
        {"label": _("My work"), "url": reverse("accounts:home"), "key": "home"},
        {"label": _("Organisation"), "url": reverse("organization:chart"), "key": "organization"},
    ]
    if permissions.can_view_audit(user):
        items.append({"label": _("Audit trail"), "url": reverse("audit:list"), "key": "audit"})
    return items
