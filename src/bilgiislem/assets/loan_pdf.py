"""The loan tutanak (emanet teslim tutanağı, Taşınır Mal Yönetmeliği art. 23/7) as PDF: two
copies, one kept with the store's records, one for the borrower; the return is written on the
same tutanak."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation

from bilgiislem.core.pdf import html_to_pdf

from .models import AssetLoan

# Who keeps each copy of the tutanak.
COPIES = ("1", "2")


def loan_pdf(loan: AssetLoan) -> bytes:
    from bilgiislem.organization.models import Institution

    institution = Institution.objects.first()
    context = {
        "institution": institution.letterhead if institution else "",
        "loan": loan,
        "asset": loan.asset,
        "copies": COPIES,
        "spending_unit_code": settings.BILGIISLEM_ASSET_SPENDING_UNIT_CODE,
        "printed_at": timezone.localtime(),
    }
    # An official record: always in the institution's language, whoever asked for it.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string("assets/loans/pdf.html", context)
    return html_to_pdf(html)
