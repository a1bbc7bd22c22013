"""``{% my_items %}``: the items the logged-in person holds, for any assets page."""

from django import template

from ..services.custody import open_handovers

register = template.Library()


@register.inclusion_tag("assets/custody/_my_items.html", takes_context=True)
def my_items(context):
    user = getattr(context.get("request"), "user", None)
    if user is None or not user.is_authenticated:
        return {"my_handovers": []}
    return {"my_handovers": open_handovers(user)}
