"""The vendor section of a request's page (RYY art. 6(ğ)): its handoffs and, for who may act,
the buttons. Included in ticket_detail.html with ``{% vendor_panel ticket %}``."""

from django import template

from .. import permissions as desk
from ..choices import OPEN_STATES
from ..services.vendors import may_hand_to_vendor

register = template.Library()


@register.inclusion_tag("servicedesk/vendors/_ticket_panel.html", takes_context=True)
def vendor_panel(context, ticket):
    """Only the desk side sees it (vendor numbers and notes are the directorate's business)."""
    user = context["request"].user
    if not desk.is_desk_side(user, ticket):
        return {"show": False}
    handoffs = list(ticket.handoffs.select_related("contract", "sent_by").order_by("sent_at"))
    may_act = ticket.state in OPEN_STATES and may_hand_to_vendor(user, ticket)
    open_one = next((h for h in handoffs if h.returned_at is None), None)
    return {
        "show": bool(handoffs) or may_act,
        "ticket": ticket,
        "handoffs": handoffs,
        "open_handoff": open_one,
        "may_act": may_act,
        "csrf_token": context.get("csrf_token"),
    }
