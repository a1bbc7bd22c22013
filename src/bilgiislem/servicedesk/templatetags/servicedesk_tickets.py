"""Template helpers of the request pages."""

from django import template
from django.utils.translation import gettext as _

register = template.Library()


@register.filter
def worktime(minutes) -> str:
    """Working minutes as "2 h 15 min" (the size only: the caller says "left" or "late")."""
    if minutes is None or minutes == "":
        return ""
    minutes = int(minutes)
    hours, rest = divmod(abs(minutes), 60)
    if hours and rest:
        text = _("%(h)d h %(m)d min") % {"h": hours, "m": rest}
    elif hours:
        text = _("%(h)d h") % {"h": hours}
    else:
        text = _("%(m)d min") % {"m": rest}
    return text


@register.inclusion_tag("servicedesk/_sla.html")
def sla_badge(info):
    """The SLA state of a request: a badge with words (never colour alone) and the time left."""
    return {"sla": info}
