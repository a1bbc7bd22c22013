"""The imha listesi and the imha tutanağı as PDF/A (core.pdf), kept at least 10 years
(Devlet Arşiv Hizmetleri Yönetmeliği art. 21/7; standards.md 4).

The list shows the folders to destroy (sıra no, dosya kodu, konu, birim, yılı, miktar,
açıklama), those taken off with the reason, the members' approvals and the authorised
superior's. The minute records the destruction itself: method, date, place, participants,
and what electronic content was deleted. Both are rendered again on request until the list is
carried out; then the stored copies (``list_sha256``, ``minute_sha256``) are what is served.
"""

from __future__ import annotations

import dataclasses

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from bilgiislem.core.pdf import html_to_pdf
from bilgiislem.core.storage import open_verified

from .models import DisposalList


@dataclasses.dataclass(frozen=True)
class MinuteFacts:
    """What the minute states about the destruction."""

    method: str
    place: str
    carried_out_on: object  # datetime.date
    participants: tuple[str, ...]
    carried_out_by: str
    folders: int
    documents: int
    records: int
    files: int
    bytes: int


def _letterhead() -> str:
    from bilgiislem.organization.models import Institution

    institution = Institution.objects.first()
    return institution.letterhead if institution else ""


def _list_context(disposal_list: DisposalList) -> dict:
    items = list(disposal_list.items.select_related("removed_by").order_by("code", "folder_year"))
    approvals = {
        a.member_id: a
        for a in disposal_list.approvals.select_related("member__person").order_by("approved_at")
    }
    members = [
        {"member": m, "approval": approvals.get(m.pk)}
        for m in disposal_list.commission.members.select_related("person").order_by("role", "pk")
    ]
    kept = [i for i in items if not i.removed]
    return {
        "letterhead": _letterhead(),
        "list": disposal_list,
        "items": kept,
        "removed": [i for i in items if i.removed],
        "documents": sum(i.document_count for i in kept),
        "members": members,
        "printed_at": timezone.localtime(),
    }


def _render(template: str, context: dict) -> bytes:
    # An official record: always in the institution's language, whoever's request made it.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    return html_to_pdf(html, pdf_variant="pdf/a-3b")


def list_pdf(disposal_list: DisposalList) -> bytes:
    """The imha listesi (A4 landscape)."""
    return _render("archive/disposal/list_pdf.html", _list_context(disposal_list))


def minute_pdf(disposal_list: DisposalList, facts: MinuteFacts, list_sha256: str) -> bytes:
    """The imha tutanağı (A4 portrait), naming the list by its PDF's SHA-256."""
    context = _list_context(disposal_list)
    context.update({"facts": facts, "list_sha256": list_sha256})
    return _render("archive/disposal/minute_pdf.html", context)


def list_pdf_current(disposal_list: DisposalList) -> bytes:
    """The stored list once carried out (checked against its SHA-256); until then the list
    rendered as it stands."""
    if disposal_list.list_sha256:
        return open_verified(disposal_list.list_sha256)
    return list_pdf(disposal_list)


def minute_pdf_stored(disposal_list: DisposalList) -> bytes | None:
    """The stored minute, or None before the list is carried out."""
    if not disposal_list.minute_sha256:
        return None
    return open_verified(disposal_list.minute_sha256)
