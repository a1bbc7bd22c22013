"""Folder labels as PDF (Devlet Arşiv Hizmetleri Yön. art. 12/1: unit, code, subject, year).

Each label carries the institution, the unit, the SDP code and subject, the year, the
location of the paper (if set) and a QR code of the folder's page, so a folder on a shelf
opens on a tablet. One large label per page (for the folder's spine or cover), or a sheet
of small labels (``per_page``: 1, 2, 4 or 8 on A4).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.template.loader import render_to_string

from bilgiislem.core.pdf import html_to_pdf

from .models import Folder

LAYOUTS = {1: (1, 1), 2: (1, 2), 4: (2, 2), 8: (2, 4)}  # per page → (columns, rows)


def qr_data_uri(text: str) -> str:
    import segno

    return segno.make(text, error="m").svg_data_uri(scale=4, border=1)


def location_path(location) -> str:
    """Building › room › … › box of a storage location."""
    parts = []
    seen = set()
    while location is not None and location.pk not in seen:
        seen.add(location.pk)
        parts.append(location.label)
        location = location.parent
    return " › ".join(reversed(parts))


def labels_pdf(folders: Iterable[Folder], *, url_of: Callable[[Folder], str], per_page=1) -> bytes:
    """The labels of ``folders`` as one PDF; ``url_of(folder)`` is the URL in the QR code."""
    from bilgiislem.organization.models import Institution

    if per_page not in LAYOUTS:
        per_page = 1
    columns, rows = LAYOUTS[per_page]
    institution = Institution.objects.first()
    labels = [
        {
            "folder": folder,
            "location": location_path(folder.location),
            "url": url_of(folder),
            "qr": qr_data_uri(url_of(folder)),
        }
        for folder in folders
    ]
    pages = [
        [labels[i + r * columns : i + (r + 1) * columns] for r in range(rows)]
        for i in range(0, len(labels), per_page)
    ]
    html = render_to_string(
        "archive/labels_pdf.html",
        {
            "pages": pages,
            "columns": columns,
            "per_page": per_page,
            # A4 less 1 cm margins is 27.7 cm high; each row keeps 0.3 cm of gap and 0.5 cm of
            # padding and border, so a sheet never spills onto a second page.
            "label_height": f"{(27.0 - 0.3 * (rows - 1)) / rows - 0.9:.2f}cm",
            "label_width": f"{(19.0 - 0.3 * (columns - 1)) / columns - 0.9:.2f}cm",
            "letterhead": institution.letterhead if institution else "",
        },
    )
    return html_to_pdf(html, allow_data_uris=True)
