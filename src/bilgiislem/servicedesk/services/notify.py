"""Notices at the moments that matter (issue 6 point 7): created, assigned, a message to the
requester, resolved, closed.

``notify`` writes one in-app ``Notification`` per person and, when e-mail is configured,
mails it after the calling transaction commits: a rolled-back action sends nothing, and a
mail server that is down never undoes the action (the in-app notice is kept).
"""

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ..models import Notification, Ticket

logger = logging.getLogger(__name__)

_TEXT_MAX = Notification._meta.get_field("text").max_length


def mail_configured() -> bool:
    """An e-mail backend other than Django's unconfigured default (SMTP on localhost)."""
    backend = getattr(settings, "EMAIL_BACKEND", "")
    return backend != "django.core.mail.backends.smtp.EmailBackend" or (
        getattr(settings, "EMAIL_HOST", "localhost") not in ("", "localhost")
    )


def _subject(ticket: Ticket | None, text: str) -> str:
    if ticket is None:
        return _("Service desk: %(text)s") % {"text": text[:120]}
    return _("Request %(number)s: %(title)s") % {
        "number": ticket.number_label,
        "title": ticket.title[:150],
    }


def _body(ticket: Ticket | None, text: str) -> str:
    lines = [text]
    if ticket is not None:
        lines += [
            "",
            _("Request %(number)s: %(title)s")
            % {"number": ticket.number_label, "title": ticket.title},
            _("State: %(state)s") % {"state": ticket.get_state_display()},
        ]
    return "\n".join(lines)


def mail_after_commit(subject: str, body: str, recipients: list[str]) -> None:
    """Send one message per recipient once the transaction commits (addresses stay private)."""
    if not recipients or not mail_configured():
        return

    def send():
        for address in recipients:
            try:
                send_mail(subject, body, None, [address], fail_silently=False)
            except Exception:  # the in-app notice is kept; a mail failure must not undo work
                logger.exception("Service desk notice could not be e-mailed to %s", address)

    transaction.on_commit(send)


def notify(
    ticket: Ticket | None, people: Iterable, text: str, *, email_contact: bool = False
) -> list[Notification]:
    """Tell ``people`` (persons; ``None`` and repeats are skipped) ``text`` about ``ticket``.

    ``email_contact`` also mails the public-form sender (``ticket.contact_email``) when the
    request has no requester account: they have no in-app notices to read.
    """
    text = str(text)
    seen: set[int] = set()
    persons = []
    for person in people:
        if person is None or person.pk in seen or not person.is_active:
            continue
        seen.add(person.pk)
        persons.append(person)
    notices = Notification.objects.bulk_create(
        [Notification(person=p, ticket=ticket, text=text[:_TEXT_MAX]) for p in persons]
    )
    addresses = [p.email for p in persons if p.email]
    if (
        email_contact
        and ticket is not None
        and ticket.requester_id is None
        and ticket.contact_email
        and ticket.contact_email not in addresses
    ):
        addresses.append(ticket.contact_email)
    mail_after_commit(_subject(ticket, text), _body(ticket, text), addresses)
    return notices


def requester_people(ticket: Ticket) -> list:
    """Who hears about a request as its requester: the requester account, if any."""
    return [ticket.requester] if ticket.requester_id else []


def notify_requester(ticket: Ticket, text: str) -> list[Notification]:
    """Tell the requester — their account, or the public-form sender's e-mail address."""
    return notify(ticket, requester_people(ticket), text, email_contact=True)


def notification_mark_read(*, actor, notification_ids: Iterable[int] | None = None) -> int:
    """Mark the actor's own notices read (all unread ones when no ids are given)."""
    qs = Notification.objects.filter(person=actor, read_at__isnull=True)
    if notification_ids is not None:
        qs = qs.filter(pk__in=list(notification_ids))
    return qs.update(read_at=timezone.now())


def notifications_of(person):
    """The person's own notices, newest first (nobody reads another person's notices)."""
    return Notification.objects.filter(person=person).select_related("ticket")


def notification_unread_count(person) -> int:
    """How many of the person's notices are still unread (the menu count; one indexed query)."""
    if not getattr(person, "is_authenticated", False):
        return 0
    return Notification.objects.filter(person=person, read_at__isnull=True).count()
