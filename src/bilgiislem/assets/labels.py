"""Asset labels as PDF: the QR code holds the sicil number (the count's scan page reads it),
with the institution, the sicil number, the code's title and make/model printed below."""

from __future__ import annotations

from collections.abc import Iterable

from django.template.loader import render_to_string

from bilgiislem.core.pdf import html_to_pdf

from .models import Asset

LAYOUTS = {1: (1, 1), 8: (2, 4), 24: (3, 8)}  # per page → (columns, rows)


def qr_data_uri(text: str) -> str:
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=4, border=1)


def labels_pdf(assets: Iterable[Asset], *, per_page: int = 1) -> bytes:
    from bilgiislem.organization.models import Institution

    if per_page not in LAYOUTS:
        per_page = 1
    columns, rows = LAYOUTS[per_page]
    institution = Institution.objects.first()
    labels = [{"asset": a, "qr": qr_data_uri(a.sicil_no)} for a in assets]
    pages = [
        [labels[i + r * columns : i + (r + 1) * columns] for r in range(rows)]
        for i in range(0, len(labels), per_page)
    ]
    html = render_to_string(
        "assets/labels_pdf.html",
        {
            "pages": pages,
            "columns": columns,
            "label_height": f"{(27.0 - 0.3 * (rows - 1)) / rows - 0.9:.2f}cm",
            "label_width": f"{(19.0 - 0.3 * (columns - 1)) / columns - 0.9:.2f}cm",
            "institution": institution.letterhead if institution else "",
        },
    )
    return html_to_pdf(html, allow_data_uris=True)
