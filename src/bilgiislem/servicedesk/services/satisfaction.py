"""The satisfaction question on close (issue 6 point 7): a score from 1 to 5 and a comment,
given once by whoever asked — the requester, a member of the partner organisation, or the
public-form sender through their link."""

from django.db import transaction
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from .. import permissions
from ..choices import TicketState
from ..models import Ticket
from .intake import DESCRIPTION_MAX, public_request_for_token, refuse_markup


def may_answer(person, ticket: Ticket) -> bool:
    """The question is open: the request is closed, not answered yet, and this person asked."""
    return (
        ticket.state == TicketState.CLOSED
        and ticket.satisfaction is None
        and permissions.is_requester_side(person, ticket)
    )


def _clean(score, comment) -> tuple[int, str]:
    try:
        score = int(score)
    except (TypeError, ValueError):
        score = 0
    if not 1 <= score <= 5:
        raise DomainError(_("Give a score from 1 to 5."), field="score")
    comment = (comment or "").strip()
    if len(comment) > DESCRIPTION_MAX:
        raise DomainError(
            _("The comment may have at most %(n)d characters.") % {"n": DESCRIPTION_MAX},
            field="comment",
        )
    refuse_markup(comment, "comment")
    return score, comment


def _record(actor, ticket: Ticket, score: int, comment: str) -> Ticket:
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.state != TicketState.CLOSED:
            raise DomainError(_("The question is asked once the request is closed."), field="score")
        if ticket.satisfaction is not None:
            raise DomainError(_("This request has already been rated."), field="score")
        ticket.satisfaction = score
        ticket.satisfaction_comment = comment
        ticket.save(update_fields=["satisfaction", "satisfaction_comment", "updated_at"])
        audit_record(
            actor=actor,
            action="servicedesk.ticket.rated",
            obj=ticket,
            changes={"score": score, "comment": bool(comment)},
        )
    return ticket


def satisfaction_give(*, actor, ticket: Ticket, score, comment: str = "") -> Ticket:
    """The requester's (or their organisation's) answer, once."""
    if not permissions.is_requester_side(actor, ticket):
        raise PermissionDeniedError(_("Only the person who asked rates the request."))
    score, comment = _clean(score, comment)
    return _record(actor, ticket, score, comment)


def satisfaction_give_by_token(*, token: str, score, comment: str = "") -> Ticket:
    """The public-form sender's answer, through the link they confirmed with."""
    ticket = public_request_for_token(token)
    if ticket is None or ticket.state == TicketState.UNCONFIRMED:
        raise DomainError(_("This link is not valid."), field="token")
    score, comment = _clean(score, comment)
    return _record(None, ticket, score, comment)
