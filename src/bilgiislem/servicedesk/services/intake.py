"""Requests from outside the municipality (issue 6 point 1; RYY art. 6(o), 6(ö)).

- The public form (no login): the sender's e-mail address is confirmed by a link before the
  request reaches any queue. The link carries a random token; only its SHA-256 is stored
  (``Ticket.confirmation_token_hash``), so a copy of the database cannot confirm anything.
  Until confirmed the request is UNCONFIRMED: numbered, but in no queue list, with no clock.
- Partner accounts (``PartnerMember``): a person of a school, muhtarlık, NGO, the
  Kaymakamlık or Tapu asks on behalf of their own organisation, and of no other.

Text is plain text: markup or a script in it is refused (400 naming the field) rather than
stored escaped, since it is mailed and shown in several places. Attachments go through the
registry's upload checks (type sniffed against the extension, size limit).
"""

import datetime
import hashlib
import re
import secrets

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from ..choices import Category, Channel, EntryKind, Priority, TicketState
from ..models import PartnerMember, PartnerOrganization, Ticket, TicketEntry
from .notify import mail_after_commit, notify
from .sla import sla_resume
from .tickets import (
    attach_uploads,
    check_uploads,
    open_ticket,
    ticket_create,
    ticket_opened,
)

# Markup that would turn into a live page or script somewhere: a tag (<b, </p, <!--, <?),
# a javascript: or data:text/html address, or an event handler attribute.
_MARKUP = re.compile(
    r"<\s*[a-zA-Z!/?]|javascript\s*:|vbscript\s*:|data\s*:\s*text/html|\bon[a-z]{3,}\s*=\s*[\"']",
    re.IGNORECASE,
)
TITLE_MAX = Ticket._meta.get_field("title").max_length
DESCRIPTION_MAX = 10_000


def confirm_days() -> int:
    """How long a confirmation link works (days)."""
    return getattr(settings, "BILGIISLEM_SERVICEDESK_CONFIRM_DAYS", 7)


def rate_limit() -> tuple[int, int]:
    """(requests, seconds): how many public submissions one address may make in a window."""
    return getattr(settings, "BILGIISLEM_SERVICEDESK_PUBLIC_RATE", (5, 3600))


def over_limit(address: str, scope: str = "public") -> bool:
    """Count one submission from ``address``; True once it passes the limit in the window.

    A cache counter (shared by every app server when the cache is shared): django-axes
    guards logins only.
    """
    limit, window = rate_limit()
    key = f"servicedesk:intake:{scope}:{address or 'unknown'}"
    cache.add(key, 0, timeout=window)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window)
        count = 1
    return count > limit


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def refuse_markup(text: str, field: str) -> None:
    """Refuse HTML or a script in plain text, naming the field."""
    if text and _MARKUP.search(text):
        raise DomainError(
            _("Write plain text: HTML tags and scripts are not accepted."), field=field
        )


def clean_text(*, title: str, description: str) -> tuple[str, str]:
    title = (title or "").strip()
    description = (description or "").strip()
    if not title:
        raise DomainError(_("Give a short title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("The title may have at most %(n)d characters.") % {"n": TITLE_MAX}, field="title"
        )
    if not description:
        raise DomainError(_("Describe the problem."), field="description")
    if len(description) > DESCRIPTION_MAX:
        raise DomainError(
            _("The description may have at most %(n)d characters.") % {"n": DESCRIPTION_MAX},
            field="description",
        )
    refuse_markup(title, "title")
    refuse_markup(description, "description")
    return title, description


def clean_category(category: str) -> str:
    if category not in Category.values:
        raise DomainError(_("Choose a category."), field="category")
    return category


def organization_for_email(email: str) -> PartnerOrganization | None:
    """The active partner organisation whose e-mail domain the address is in."""
    domain = email.rpartition("@")[2].strip().lower()
    if not domain:
        return None
    return PartnerOrganization.objects.filter(active=True, email_domain__iexact=domain).first()


def _public_organization(email: str, chosen: PartnerOrganization | None):
    """Matched by the e-mail domain, or the one chosen; a domain of one organisation may not
    ask in another's name (the address proves the domain once confirmed, not the choice)."""
    matched = organization_for_email(email)
    if chosen is not None and not chosen.active:
        raise DomainError(_("Choose an organisation from the list."), field="organization")
    if matched is not None and chosen is not None and chosen.pk != matched.pk:
        raise DomainError(
            _("Your e-mail address belongs to %(name)s; you cannot ask for another organisation.")
            % {"name": matched.name},
            field="organization",
        )
    return matched or chosen


def _confirmation_mail(ticket: Ticket, link: str) -> None:
    subject = _("Confirm your support request %(number)s") % {"number": ticket.number_label}
    body = "\n".join(
        [
            _("Hello %(name)s,") % {"name": ticket.contact_name},
            "",
            _(
                "We received your support request “%(title)s”. It reaches our staff once you "
                "confirm your e-mail address by opening this link (valid for %(days)d days):"
            )
            % {"title": ticket.title, "days": confirm_days()},
            "",
            link,
            "",
            _("If you did not send this request, ignore this message."),
        ]
    )
    mail_after_commit(subject, body, [ticket.contact_email])


def public_link(site_url: str, token: str) -> str:
    """The confirmation and follow-up page of a public request."""
    path = reverse("servicedesk:public-confirm", args=[token])
    return site_url.rstrip("/") + path


def public_request_submit(
    *,
    name: str,
    email: str,
    phone: str = "",
    organization: PartnerOrganization | None = None,
    category: str,
    title: str,
    description: str,
    attachments=(),
    site_url: str,
    now: datetime.datetime | None = None,
) -> tuple[Ticket, str]:
    """Record a public-form request, UNCONFIRMED, and mail its confirmation link.

    Returns the request and the token (the link's secret; only its hash is kept).
    """
    now = now or timezone.now()
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give your name."), field="name")
    refuse_markup(name, "name")
    email = (email or "").strip()
    try:
        validate_email(email)
    except ValidationError as exc:
        raise DomainError(_("Give a valid e-mail address."), field="email") from exc
    phone = (phone or "").strip()[:50]
    refuse_markup(phone, "phone")
    title, description = clean_text(title=title, description=description)
    category = clean_category(category)
    uploads = check_uploads(attachments)
    token = secrets.token_urlsafe(32)
    with attach_uploads.guard(), transaction.atomic():
        org = _public_organization(email, organization)
        ticket = open_ticket(
            actor=None,
            now=now,
            state=TicketState.UNCONFIRMED,
            channel=Channel.PUBLIC_FORM,
            title=title,
            description=description,
            category=category,
            priority=Priority.NORMAL,
            organization=org,
            contact_name=name[:200],
            contact_email=email,
            contact_phone=phone,
            confirmation_token_hash=token_hash(token),
        )
        attach_uploads(ticket, uploads, uploaded_by=None)
        audit_record(
            actor=None,
            action="servicedesk.ticket.submitted",
            obj=ticket,
            changes={
                "channel": ticket.channel,
                "organization": org.pk if org else None,
                "attachments": len(uploads),
            },
        )
        _confirmation_mail(ticket, public_link(site_url, token))
    return ticket, token


def public_request_for_token(token: str) -> Ticket | None:
    """The public request a link's token stands for, or None."""
    if not token or len(token) > 100:
        return None
    return (
        Ticket.objects.select_related("queue", "organization")
        .filter(channel=Channel.PUBLIC_FORM, confirmation_token_hash=token_hash(token))
        .first()
    )


def link_expired(ticket: Ticket, now: datetime.datetime | None = None) -> bool:
    now = now or timezone.now()
    return ticket.state == TicketState.UNCONFIRMED and now - ticket.created_at > datetime.timedelta(
        days=confirm_days()
    )


def public_request_confirm(*, token: str, now: datetime.datetime | None = None) -> Ticket:
    """Following the e-mailed link: the request goes to its queue and its clock starts.

    Following it again changes nothing. An expired link is refused; the sender asks again.
    """
    now = now or timezone.now()
    ticket = public_request_for_token(token)
    if ticket is None:
        raise DomainError(_("This confirmation link is not valid."), field="token")
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.state != TicketState.UNCONFIRMED:
            return ticket
        if link_expired(ticket, now):
            raise DomainError(
                _("This confirmation link has expired; please send your request again."),
                field="token",
            )
        ticket.state = TicketState.NEW
        ticket.confirmed_at = now
        changed = ["state", "confirmed_at"]
        audit_record(
            actor=None,
            action="servicedesk.ticket.confirmed",
            obj=ticket,
            changes={"state": [TicketState.UNCONFIRMED, TicketState.NEW]},
        )
        ticket_opened(ticket, now=now, changed=changed)
    return ticket


def unconfirmed_expire(now: datetime.datetime | None = None) -> int:
    """Cancel the public-form requests whose confirmation link has expired (audited each)."""
    now = now or timezone.now()
    cutoff = now - datetime.timedelta(days=confirm_days())
    expired = Ticket.objects.filter(
        state=TicketState.UNCONFIRMED, channel=Channel.PUBLIC_FORM, created_at__lt=cutoff
    ).values_list("pk", flat=True)
    done = 0
    for pk in list(expired[:1000]):
        with transaction.atomic():
            ticket = Ticket.objects.select_for_update().get(pk=pk)
            if ticket.state != TicketState.UNCONFIRMED:
                continue
            ticket.state = TicketState.CANCELLED
            ticket.save(update_fields=["state", "updated_at"])
            audit_record(
                actor=None,
                action="servicedesk.ticket.cancelled",
                obj=ticket,
                changes={"state": [TicketState.UNCONFIRMED, TicketState.CANCELLED]},
                reason="confirmation link expired",
            )
            done += 1
    return done


def public_reply_add(*, token: str, text: str) -> TicketEntry:
    """The public-form sender answers (their only way in is the link)."""
    ticket = public_request_for_token(token)
    if ticket is None or ticket.state == TicketState.UNCONFIRMED:
        raise DomainError(_("This link is not valid."), field="token")
    text = (text or "").strip()
    if not text:
        raise DomainError(_("Write your message."), field="text")
    if len(text) > DESCRIPTION_MAX:
        raise DomainError(
            _("The message may have at most %(n)d characters.") % {"n": DESCRIPTION_MAX},
            field="text",
        )
    refuse_markup(text, "text")
    now = timezone.now()
    with transaction.atomic():
        ticket = Ticket.objects.select_for_update().get(pk=ticket.pk)
        if ticket.state in (TicketState.CLOSED, TicketState.CANCELLED, TicketState.MERGED):
            raise DomainError(_("This request is closed."), field="text")
        entry = TicketEntry.objects.create(ticket=ticket, kind=EntryKind.REPLY, text=text)
        changes = {"entry": entry.pk, "kind": EntryKind.REPLY}
        if ticket.state == TicketState.WAITING_REQUESTER:
            # The answer the desk waited for: work and the clock go on (as ticket_message_add).
            changed = ["state", *sla_resume(ticket, now)]
            ticket.state = TicketState.IN_PROGRESS
            ticket.save(update_fields=sorted({*changed, "updated_at"}))
            changes["state"] = [TicketState.WAITING_REQUESTER, TicketState.IN_PROGRESS]
        audit_record(actor=None, action="servicedesk.ticket.message", obj=ticket, changes=changes)
        notify(
            ticket,
            [ticket.assignee],
            _("%(name)s answered on request %(number)s.")
            % {"name": ticket.contact_name, "number": ticket.number_label},
        )
    return entry


# --- partner accounts ----------------------------------------------------------------------


def partner_membership(person) -> PartnerMember | None:
    """The person's active partner account (of an active organisation), or None."""
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return None
    return (
        PartnerMember.objects.select_related("organization")
        .filter(person=person, active=True, organization__active=True)
        .first()
    )


def organization_requests(member: PartnerMember):
    """The organisation's requests a partner follows: all but unconfirmed public ones."""
    return (
        Ticket.objects.filter(organization_id=member.organization_id)
        .exclude(state=TicketState.UNCONFIRMED)
        .select_related("requester")
    )


def partner_request_create(
    *,
    actor,
    category: str,
    title: str,
    description: str,
    organization: PartnerOrganization | None = None,
    contact_phone: str = "",
    attachments=(),
) -> Ticket:
    """A partner account asks for help for its own organisation (never for another)."""
    member = partner_membership(actor)
    if member is None:
        raise PermissionDeniedError(_("Only partner accounts ask here."))
    if organization is not None and organization.pk != member.organization_id:
        raise DomainError(
            _("You can ask only for your own organisation (%(name)s).")
            % {"name": member.organization.name},
            field="organization",
        )
    title, description = clean_text(title=title, description=description)
    category = clean_category(category)
    phone = (contact_phone or "").strip()[:50]
    refuse_markup(phone, "contact_phone")
    return ticket_create(
        actor=actor,
        title=title,
        description=description,
        category=category,
        channel=Channel.PARTNER,
        organization=member.organization,
        contact_name=actor.get_full_name() or actor.get_username(),
        contact_email=actor.email,
        contact_phone=phone,
        attachments=attachments,
    )
