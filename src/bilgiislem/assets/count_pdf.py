"""The Sayım Tutanağı and the Taşınır Sayım ve Döküm Cetveli of a closed count, as PDF/A
(core.pdf), rendered from the result fixed when the count closed (services/count.py)."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from bilgiislem.core.pdf import html_to_pdf

from . import roles
from .models import Count


def _context(count: Count, result: dict) -> dict:
    from bilgiislem.organization.models import Institution, OrgUnit

    institution = Institution.objects.first()
    board = count.board
    members = list(board.members.order_by("last_name", "first_name"))
    # The harcama birimi: the directorate whose Director appointed the board.
    director = roles.harcama_post(board.appointed_by)
    unit = OrgUnit.objects.filter(pk=director.unit_id).first() if director else None
    return {
        "spending_unit": unit.name if unit else "",
        "letterhead": institution.letterhead if institution else "",
        "count": count,
        "rooms": list(count.rooms.select_related("site")),
        "result": result,
        "members": members,
        # The cetvel is signed by the board and the kayıt yetkilisi (art. 32/9).
        "kayit_ids": {m.pk for m in members if roles.kayit_post(m)},
        "chair": board.chair,
        "printed_at": timezone.localtime(),
    }


def _render(template: str, context: dict) -> bytes:
    # An official record: always in the institution's language, whoever's request made it.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    return html_to_pdf(html, pdf_variant="pdf/a-3b")


def minute_pdf(count: Count, result: dict) -> bytes:
    """Sayım Tutanağı: per II. Düzey code with the items per Taşınır Kodu, the differences,
    the board's signatures."""
    return _render("assets/count/minute_pdf.html", _context(count, result))


def sheet_pdf(count: Count, result: dict) -> bytes:
    """Taşınır Sayım ve Döküm Cetveli: a page per I. Düzey group, lines per II. Düzey code."""
    return _render("assets/count/sheet_pdf.html", _context(count, result))
