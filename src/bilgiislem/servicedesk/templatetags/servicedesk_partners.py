"""The letter, knowledge and satisfaction section of a request's page. Included in
ticket_detail.html with ``{% partner_panel ticket %}``: the reply letter (started or to
start), writing an article from the request, and the satisfaction question."""

from django import template

from .. import permissions as desk
from ..services import knowledge, letters, satisfaction

register = template.Library()


@register.inclusion_tag("servicedesk/partner/_ticket_panel.html", takes_context=True)
def partner_panel(context, ticket):
    user = context["request"].user
    desk_side = desk.is_desk_side(user, ticket)
    values = {
        "ticket": ticket,
        "csrf_token": context.get("csrf_token"),
        "may_start_reply": desk_side and letters.may_start_reply(user, ticket),
        "reply_letter": ticket.reply_letter_id if desk_side else None,
        "may_write_article": desk_side and knowledge.may_write_from(user, ticket),
        "may_rate": satisfaction.may_answer(user, ticket),
        "rated": ticket.satisfaction
        if (desk_side or desk.is_requester_side(user, ticket))
        else None,
    }
    values["show"] = any(
        values[k]
        for k in ("may_start_reply", "reply_letter", "may_write_article", "may_rate", "rated")
    )
    return values
