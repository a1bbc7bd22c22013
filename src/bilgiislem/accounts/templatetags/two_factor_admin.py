"""A link to reset someone's two-factor device, for pages of other apps (the person page).

Other apps' templates load this instead of importing the account services.
"""

from django import template

from .. import services

register = template.Library()


@register.inclusion_tag("accounts/_two_factor_reset_link.html", takes_context=True)
def two_factor_reset_link(context, person):
    """Shown to whoever manages accounts, when the person has a confirmed device."""
    request = context.get("request")
    actor = getattr(request, "user", None)
    show = (
        actor is not None
        and person.pk != actor.pk
        and services.can_reset_two_factor(actor)
        and services.confirmed_device(person) is not None
    )
    return {"show": show, "person": person}
