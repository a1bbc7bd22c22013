"""Who may read the audit trail.

The rule lives in the organisation (it depends on posts), which sits above audit in the
layering; the setting ``BILGIISLEM_AUDIT_ACCESS`` names it so audit never imports it.
"""

from django.conf import settings
from django.utils.module_loading import import_string


def can_view(user) -> bool:
    """True when ``user`` may browse and export the trail."""
    if not getattr(user, "is_authenticated", False):
        return False
    return bool(import_string(settings.BILGIISLEM_AUDIT_ACCESS)(user))
