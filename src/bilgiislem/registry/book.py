"""The register book (evrak kayıt defteri) of a registry for a period, as rows, PDF and CSV.

Issue 3, point 9: every incoming and outgoing document, by registry and reference number.
The book lists every record of the period (numbers are gapless, so a missing line would look
like a lost document), but a row the reader may not see (a Gizli document not routed to them)
shows only its number, time and direction.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io

from django.db.models import Exists, OuterRef
from django.template.loader import render_to_string
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.core.pdf import html_to_pdf
from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import PositionKind

from . import permissions
from .models import Document
from .selectors import routings_prefetch

# A longer period makes a PDF nobody prints in one go; the CSV has the same limit for symmetry.
MAX_DAYS = 366

COLUMNS = [
    ("number", gettext_lazy("Registry no.")),
    ("registered_at", gettext_lazy("Registered at")),
    ("direction", gettext_lazy("Direction")),
    ("party", gettext_lazy("Sender / recipient")),
    ("sayi", gettext_lazy("Their number (Sayı)")),
    ("document_date", gettext_lazy("Their date")),
    ("subject", gettext_lazy("Subject")),
    ("sdp_code", gettext_lazy("File plan code")),
    ("secrecy", gettext_lazy("Secrecy")),
    ("routed_to", gettext_lazy("Routed to")),
]


@dataclasses.dataclass(frozen=True)
class BookRow:
    """One line of the register book, already formatted for print."""

    number: str
    registered_at: str
    direction: str
    party: str
    sayi: str
    document_date: str
    subject: str
    sdp_code: str
    secrecy: str
    routed_to: str
    restricted: bool = False

    def values(self) -> list[str]:
        return [getattr(self, key) for key, _label in COLUMNS]


def _date(value) -> str:
    return formats.date_format(value, "d.m.Y") if value else ""


def may_read_book(user, registry) -> bool:
    """The registry's clerks and managers (Şef and above, or acting), and the Mayor."""
    if user.is_superuser:
        return True
    if registry.pk in org.managed_unit_ids(user):
        return True
    if org.post_of_kind(user, PositionKind.BASKAN) is not None:
        return True
    return permissions.clerk_post(user, registry) is not None


def _check(user, registry, date_from, date_to) -> None:
    if not may_read_book(user, registry):
        raise PermissionDeniedError(_("You may not read this registry's book."))
    if date_from is None or date_to is None:
        raise DomainError(_("Give the first and the last day."), field="date_from")
    if date_to < date_from:
        raise DomainError(_("The last day cannot be before the first."), field="date_to")
    if (date_to - date_from).days >= MAX_DAYS:
        raise DomainError(_("Choose a period of at most a year."), field="date_to")


def _routed_to(document) -> str:
    names = []
    for routing in document.routings.all():
        name = str(routing.to_person or routing.to_unit)
        if name not in names:
            names.append(name)
    return ", ".join(names)


def register_book_rows(user, registry, date_from, date_to, direction=None) -> list[BookRow]:
    """The book's lines, oldest first by registry number; raises DomainError on a bad period.

    Visibility is decided in the same query (an EXISTS over ``visible_to``), not per row.
    """
    _check(user, registry, date_from, date_to)
    start = timezone.make_aware(datetime.datetime.combine(date_from, datetime.time.min))
    end = timezone.make_aware(
        datetime.datetime.combine(date_to + datetime.timedelta(days=1), datetime.time.min)
    )
    visible = Document.objects.visible_to(user).filter(pk=OuterRef("pk"))
    documents = (
        Document.objects.filter(registry=registry, registered_at__gte=start, registered_at__lt=end)
        .annotate(may_see=Exists(visible))
        .select_related("party_unit")
        .prefetch_related(routings_prefetch())
        .order_by("registry_year", "registry_number")
    )
    if direction:
        documents = documents.filter(direction=direction)
    rows = []
    for doc in documents:
        registered = formats.date_format(timezone.localtime(doc.registered_at), "d.m.Y H:i")
        if not doc.may_see:
            rows.append(
                BookRow(
                    number=doc.number_label,
                    registered_at=registered,
                    direction=doc.get_direction_display(),
                    party="",
                    sayi="",
                    document_date="",
                    subject=_("(restricted)"),
                    sdp_code="",
                    secrecy=doc.get_secrecy_display(),
                    routed_to="",
                    restricted=True,
                )
            )
            continue
        rows.append(
            BookRow(
                number=doc.number_label,
                registered_at=registered,
                direction=doc.get_direction_display(),
                party=doc.party_name,
                sayi=doc.sayi,
                document_date=_date(doc.document_date),
                subject=doc.subject,
                sdp_code=doc.sdp_code,
                secrecy="" if doc.secrecy == "none" else doc.get_secrecy_display(),
                routed_to=_routed_to(doc),
            )
        )
    return rows


def register_book_csv(user, registry, date_from, date_to, direction=None) -> bytes:
    """The book as CSV for spreadsheets: UTF-8 with a BOM (Excel), ``;`` between fields."""
    rows = register_book_rows(user, registry, date_from, date_to, direction)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow([str(label) for _key, label in COLUMNS])
    for row in rows:
        writer.writerow(row.values())
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def register_book_pdf(user, registry, date_from, date_to, direction=None) -> bytes:
    """The book as an A4 landscape PDF/A-3b with Arimo embedded and "page x / n" footers."""
    from bilgiislem.organization.models import Institution

    rows = register_book_rows(user, registry, date_from, date_to, direction)
    institution = Institution.objects.first()
    html = render_to_string(
        "registry/book_pdf.html",
        {
            "letterhead": institution.letterhead if institution else "",
            "registry": registry,
            "date_from": date_from,
            "date_to": date_to,
            "direction": direction,
            "columns": [label for _key, label in COLUMNS],
            "rows": rows,
            "printed_at": timezone.localtime(),
            "printed_by": user,
        },
    )
    return html_to_pdf(html, pdf_variant="pdf/a-3b")
