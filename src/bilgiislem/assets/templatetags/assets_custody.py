"""``{% my_items %}``: the items the logged-in person holds, for any assets page;
``{% my_items_summary %}``: how many, and those still to acknowledge, for the asset list
(someone who holds fifty items does not want them above every list)."""

from django import template

from ..services.custody import open_handovers

register = template.Library()


@register.inclusion_tag("assets/custody/_my_items.html", takes_context=True)
def my_items(context):
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return {"my_handovers": []}
    return {"my_handovers": open_handovers(user)}


ACKNOWLEDGE_SHOWN = 5


@register.inclusion_tag("assets/custody/_my_items_summary.html", takes_context=True)
def my_items_summary(context):
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return {"held": 0}
    handovers = open_handovers(user)
    waiting = handovers.filter(acknowledged_at__isnull=True)
    return {"held": handovers.count(), "to_acknowledge": list(waiting[:ACKNOWLEDGE_SHOWN])}
