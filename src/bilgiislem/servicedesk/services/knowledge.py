"""The knowledge base (issue 6 point 6): solutions written down, often from a resolved
request in one step, searched with Turkish folding (core.text.fold).

Who sees what: the service desk's staff (anyone posted in Bilgi İşlem) every article, drafts
included, and write them; other municipal staff the published ones; partner accounts the
published ones chosen for partners; nobody else any.
"""

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.core.text import fold
from bilgiislem.organization import permissions as org

from .. import permissions
from ..choices import Category, TicketState
from ..models import KnowledgeArticle, Ticket

TITLE_MAX = KnowledgeArticle._meta.get_field("title").max_length
BODY_MAX = 50_000
SEARCH_TERMS_MAX = 8


def may_write(person) -> bool:
    return bool(getattr(person, "is_authenticated", False)) and permissions.may_record_on_behalf(
        person
    )


def _reader_kind(person) -> str:
    """ "desk" (every article), "staff" (published), "partner" (published, for partners), ""."""
    if not getattr(person, "is_authenticated", False) or not person.is_active:
        return ""
    if may_write(person):
        return "desk"
    if org.effective_posts(person):
        return "staff"
    if permissions.partner_organization_id(person) is not None:
        return "partner"
    return ""


def may_read(person) -> bool:
    return bool(_reader_kind(person))


def articles_visible_to(person) -> QuerySet:
    """The articles ``person`` may read."""
    qs = KnowledgeArticle.objects.all()
    kind = _reader_kind(person)
    if kind == "desk":
        return qs
    if kind == "staff":
        return qs.filter(published=True)
    if kind == "partner":
        return qs.filter(published=True, for_partners=True)
    return qs.none()


def article_search(person, query: str = "", category: str = "") -> QuerySet:
    """Visible articles whose folded text holds every word of ``query`` (any case, with or
    without Turkish letters: "yazici" finds "YAZICI" and "yazıcı")."""
    qs = articles_visible_to(person)
    for term in fold(query or "").split()[:SEARCH_TERMS_MAX]:
        qs = qs.filter(search_text__contains=term)
    if category:
        qs = qs.filter(category=category)
    return qs


def _search_text(article: KnowledgeArticle) -> str:
    return fold(f"{article.title} {article.body} {article.get_category_display()}")


def _clean(title: str, body: str, category: str) -> tuple[str, str]:
    title, body = (title or "").strip(), (body or "").strip()
    if not title:
        raise DomainError(_("Give the title."), field="title")
    if len(title) > TITLE_MAX:
        raise DomainError(
            _("The title may have at most %(n)d characters.") % {"n": TITLE_MAX}, field="title"
        )
    if not body:
        raise DomainError(_("Write the solution."), field="body")
    if len(body) > BODY_MAX:
        raise DomainError(
            _("The solution may have at most %(n)d characters.") % {"n": BODY_MAX}, field="body"
        )
    if category not in Category.values:
        raise DomainError(_("Choose a category."), field="category")
    return title, body


def _require_writer(actor) -> None:
    if not may_write(actor):
        raise PermissionDeniedError(_("Only the service desk's staff write articles."))


@transaction.atomic
def article_create(
    *,
    actor,
    title: str,
    body: str,
    category: str,
    for_partners: bool = False,
    published: bool = True,
    source_ticket: Ticket | None = None,
) -> KnowledgeArticle:
    """Write a knowledge article (audited)."""
    _require_writer(actor)
    title, body = _clean(title, body, category)
    article = KnowledgeArticle(
        title=title,
        body=body,
        category=category,
        for_partners=bool(for_partners),
        published=bool(published),
        source_ticket=source_ticket,
        created_by=actor,
    )
    article.search_text = _search_text(article)
    article.save()
    audit_record(
        actor=actor,
        action="servicedesk.article.created",
        obj=article,
        changes={
            "title": title,
            "for_partners": article.for_partners,
            "published": article.published,
            "source_ticket": source_ticket.pk if source_ticket else None,
        },
    )
    return article


@transaction.atomic
def article_update(
    *,
    actor,
    article: KnowledgeArticle,
    title: str,
    body: str,
    category: str,
    for_partners: bool,
    published: bool,
) -> KnowledgeArticle:
    """Change an article (audited with what changed)."""
    _require_writer(actor)
    title, body = _clean(title, body, category)
    article = KnowledgeArticle.objects.select_for_update().get(pk=article.pk)
    new = {
        "title": title,
        "body": body,
        "category": category,
        "for_partners": bool(for_partners),
        "published": bool(published),
    }
    changes = {
        name: [getattr(article, name), value]
        for name, value in new.items()
        if getattr(article, name) != value
    }
    if not changes:
        return article
    for name, value in new.items():
        setattr(article, name, value)
    article.search_text = _search_text(article)
    article.save(update_fields=[*new, "search_text", "updated_at"])
    if "body" in changes:
        changes["body"] = True  # the text itself is in the article, not the trail
    audit_record(actor=actor, action="servicedesk.article.updated", obj=article, changes=changes)
    return article


def article_draft_from_ticket(ticket: Ticket) -> dict:
    """What an article written from ``ticket`` starts as: its title, problem and solution."""
    body = "\n\n".join(
        [
            _("Problem:"),
            ticket.description.strip(),
            _("Solution:"),
            (ticket.resolution or "").strip(),
        ]
    )
    return {"title": ticket.title, "body": body, "category": ticket.category}


def may_write_from(person, ticket: Ticket) -> bool:
    return (
        ticket.state in (TicketState.RESOLVED, TicketState.CLOSED)
        and bool((ticket.resolution or "").strip())
        and may_write(person)
        and permissions.is_desk_side(person, ticket)
    )


def article_from_ticket(
    *,
    actor,
    ticket: Ticket,
    title: str | None = None,
    body: str | None = None,
    category: str | None = None,
    for_partners: bool = False,
    published: bool = True,
) -> KnowledgeArticle:
    """One step from a resolved request to an article (title and text default to the
    request's problem and resolution note)."""
    if not permissions.is_desk_side(actor, ticket):
        raise PermissionDeniedError(_("Only the service desk's staff write articles."))
    if (
        ticket.state not in (TicketState.RESOLVED, TicketState.CLOSED)
        or not (ticket.resolution or "").strip()
    ):
        raise DomainError(
            _("Only a resolved request with a resolution note becomes an article."),
            field="ticket",
        )
    draft = article_draft_from_ticket(ticket)
    return article_create(
        actor=actor,
        title=draft["title"] if title is None else title,
        body=draft["body"] if body is None else body,
        category=draft["category"] if category is None else category,
        for_partners=for_partners,
        published=published,
        source_ticket=ticket,
    )
