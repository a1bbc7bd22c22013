"""Year-end and monthly tables of the taşınır records, read from signed VİFs only
(Taşınır Mal Yönetmeliği 2024 art. 9, 10, 30/3, 34):

- the Harcama Birimi Taşınır Mal Yönetim Hesabı Cetveli of a year: per account and I. Düzey
  Detay Kodu, what was carried over from the year before, entered, left and carried to the
  next year, in quantity and value;
- the monthly list of consumables (account 150) issued, sent to accounting instead of each
  consumption VİF (art. 30/3);
- the year-end tutanak of the last VİF number of the year (art. 34);
- the Dayanıklı Taşınırlar Defteri of a year: each durable item's entries and exits.

The system keeps the records of one harcama birimi, the directorate that runs it (roles.py):
its VİFs are one numbered sequence, so every table covers all its stores and a transfer
between its stores is neither an entry nor an exit. A correction VİF changes nothing on the
records (services/vif.py), so it counts for nothing here either.

Who reads them: the Director (harcama yetkilisi), the kayıt and the kontrol yetkilisi; anyone
else gets 404. Speed: each table is one aggregate query grouped by code (a few hundred codes,
however many assets), and the book's lines are read a page at a time or streamed.
"""

from __future__ import annotations

import csv
import dataclasses
import datetime
import io
import re
from collections.abc import Iterator
from decimal import Decimal

from django.conf import settings
from django.db.models import Count, DecimalField, ExpressionWrapper, F, Max, Min, Q, Sum
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from bilgiislem.core.errors import DomainError
from bilgiislem.organization import permissions as org
from bilgiislem.organization.choices import PositionKind
from bilgiislem.organization.models import Institution, OrgUnit, Person, PositionHolding

from .. import roles
from ..choices import ENTRY_KINDS, VifKind, VifState
from ..models import StockItem, TasinirCode, Vif, VifCounter, VifLine

ZERO = Decimal("0")
CENTS = Decimal("0.01")
MILLS = Decimal("0.001")
CONSUMABLE_ACCOUNT = "150"
EXIT_KINDS = {
    VifKind.TRANSFER_OUT,
    VifKind.CONSUMPTION,
    VifKind.WRITE_OFF,
    VifKind.COUNT_SHORTAGE,
}
# Kinds that move nothing in or out of the harcama birimi (see the module docstring).
NEUTRAL_KINDS = {VifKind.STORE_TRANSFER, VifKind.CORRECTION}
# A WeasyPrint book of more lines takes minutes: above it, narrow by code or take the CSV.
BOOK_PDF_MAX_LINES = 3000
BOOK_PAGE_SIZE = 100
MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
MONEY = DecimalField(max_digits=20, decimal_places=2)
QTY = DecimalField(max_digits=20, decimal_places=3)
AMOUNT = ExpressionWrapper(F("quantity") * F("unit_price"), output_field=MONEY)


# ---------------------------------------------------------------- who and input


def may_view_reports(person) -> bool:
    """The Director, the kayıt and the kontrol yetkilisi."""
    if not getattr(person, "is_authenticated", False):
        return False
    return bool(
        roles.harcama_post(person) or roles.kayit_post(person) or roles.is_control_officer(person)
    )


def parse_year(value, *, field: str = "year") -> int:
    try:
        year = int(str(value).strip())
    except (TypeError, ValueError):
        year = 0
    if not 2000 <= year <= 2100:
        raise DomainError(_("Enter a year between 2000 and 2100."), field=field)
    return year


def parse_month(value, *, field: str = "month") -> datetime.date:
    """``YYYY-MM`` → the first day of that month."""
    match = MONTH_RE.match(str(value or "").strip())
    if match and 2000 <= int(match[1]) <= 2100 and 1 <= int(match[2]) <= 12:
        return datetime.date(int(match[1]), int(match[2]), 1)
    raise DomainError(_("Enter a month as YYYY-MM."), field=field)


def _next_month(month: datetime.date) -> datetime.date:
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _signed_lines():
    return VifLine.objects.filter(vif__state=VifState.SIGNED).exclude(vif__kind__in=NEUTRAL_KINDS)


def _consumable(prefix: str = "code__code") -> Q:
    return Q(**{prefix: CONSUMABLE_ACCOUNT}) | Q(**{f"{prefix}__startswith": "150."})


# ---------------------------------------------------------------- movements per code


@dataclasses.dataclass
class Movement:
    """Quantities and values of one code (or a group of codes) in a year."""

    code: str
    title: str = ""
    opening_qty: Decimal = ZERO
    opening_value: Decimal = ZERO
    entered_qty: Decimal = ZERO
    entered_value: Decimal = ZERO
    left_qty: Decimal = ZERO
    left_value: Decimal = ZERO
    is_account: bool = False

    @property
    def total_qty(self) -> Decimal:
        return self.opening_qty + self.entered_qty

    @property
    def total_value(self) -> Decimal:
        return self.opening_value + self.entered_value

    @property
    def closing_qty(self) -> Decimal:
        return self.total_qty - self.left_qty

    @property
    def closing_value(self) -> Decimal:
        return self.total_value - self.left_value

    def add(self, other: Movement) -> None:
        for name in (
            "opening_qty",
            "opening_value",
            "entered_qty",
            "entered_value",
            "left_qty",
            "left_value",
        ):
            setattr(self, name, getattr(self, name) + getattr(other, name))

    def as_dict(self) -> dict:
        return {
            "code": self.code,
            "title": self.title,
            "is_account": self.is_account,
            **{
                name: getattr(self, name)
                for name in (
                    "opening_qty",
                    "opening_value",
                    "entered_qty",
                    "entered_value",
                    "total_qty",
                    "total_value",
                    "left_qty",
                    "left_value",
                    "closing_qty",
                    "closing_value",
                )
            },
        }


def movements_by_code(year: int, lines=None) -> list[Movement]:
    """Per code, entries and exits before ``year`` (the opening) and in it, from signed VİFs;
    codes with nothing on the records in the year are left out. One aggregate query grouped
    by code, kind and year (a few thousand rows at most, folded here: plain sums group
    faster than conditional ones), and one for the codes' names."""
    lines = _signed_lines() if lines is None else lines
    rows = (
        lines.filter(vif__year__lte=year)
        .values("code_id", "vif__kind", "vif__year")
        .annotate(qty=Sum("quantity", output_field=QTY), amount=Sum(AMOUNT, output_field=MONEY))
        .order_by()
    )
    by_code: dict[int, Movement] = {}
    for row in rows:
        movement = by_code.setdefault(row["code_id"], Movement(code=""))
        qty, value = _qty(row["qty"]), _dec(row["amount"])
        entry = row["vif__kind"] in ENTRY_KINDS
        if row["vif__year"] < year:
            movement.opening_qty += qty if entry else -qty
            movement.opening_value += value if entry else -value
        elif entry:
            movement.entered_qty += qty
            movement.entered_value += value
        else:
            movement.left_qty += qty
            movement.left_value += value
    # A code whose items all left before the year has nothing to say about it.
    by_code = {pk: m for pk, m in by_code.items() if m.opening_qty or m.entered_qty or m.left_qty}
    for pk, code, title in TasinirCode.objects.filter(pk__in=list(by_code)).values_list(
        "pk", "code", "title"
    ):
        by_code[pk].code, by_code[pk].title = code, title
    return sorted(by_code.values(), key=lambda m: m.code)


def _dec(value, places: Decimal = CENTS) -> Decimal:
    # SQLite may hand back a float or an int for a sum, PostgreSQL a Decimal: one shape.
    return (ZERO if value is None else Decimal(str(value))).quantize(places)


def _qty(value) -> Decimal:
    return _dec(value, MILLS)


def plain(quantity: Decimal) -> str:
    """A quantity for CSV without trailing zeros: "2.000" reads as two thousand in Turkish."""
    return format(quantity.normalize(), "f")


def _level_one(code: str) -> str:
    """The I. Düzey Detay Kodu of a code: account and first detail level (255.02)."""
    return ".".join(code.split(".")[:2])


# ---------------------------------------------------------------- signatories


@dataclasses.dataclass(frozen=True)
class Signatories:
    kayit: Person | None
    kontrol: Person | None
    harcama: Person | None


def signatories(on: datetime.date | None = None) -> Signatories:
    """Who holds the three roles today (names on the signature blocks; blank if vacant)."""
    on = on or timezone.localdate()
    parents = org.unit_parents()
    units: set[int] = set()
    for owner in org.system_owner_unit_ids():
        units |= org.subtree(owner, parents)
    holdings = (
        PositionHolding.objects.active_on(on)
        .filter(position__unit_id__in=units)
        .select_related("person")
        .order_by("start_date", "pk")
    )
    kayit = holdings.filter(position__kind=PositionKind.TASINIR_KAYIT_YETKILISI).first()
    harcama = holdings.filter(
        position__kind=PositionKind.MUDUR,
        position__unit_id__in=org.system_owner_unit_ids(),
    ).first()
    kontrol = Person.objects.filter(username__in=roles.control_usernames(), is_active=True).first()
    return Signatories(
        kayit=kayit.person if kayit else None,
        kontrol=kontrol,
        harcama=harcama.person if harcama else None,
    )


def _institution() -> str:
    institution = Institution.objects.first()
    return institution.letterhead if institution else ""


def _unit_name() -> str:
    unit = OrgUnit.objects.filter(is_system_owner=True).order_by("pk").first()
    return unit.name if unit else ""


# ---------------------------------------------------------------- (1) yönetim hesabı cetveli


@dataclasses.dataclass
class ManagementAccount:
    year: int
    unit: str
    rows: list[Movement]  # an account row, then its I. Düzey rows
    total: Movement


def management_account(year: int) -> ManagementAccount:
    """Harcama Birimi Taşınır Mal Yönetim Hesabı Cetveli: per account and I. Düzey code."""
    groups: dict[str, Movement] = {}
    accounts: dict[str, Movement] = {}
    total = Movement(code="")
    for movement in movements_by_code(year):
        key = _level_one(movement.code)
        account = movement.code.split(".")[0]
        groups.setdefault(key, Movement(code=key)).add(movement)
        accounts.setdefault(account, Movement(code=account, is_account=True)).add(movement)
        total.add(movement)
    titles = dict(
        TasinirCode.objects.filter(code__in=[*groups, *accounts]).values_list("code", "title")
    )
    rows: list[Movement] = []
    for account in sorted(accounts):
        head = accounts[account]
        head.title = titles.get(account, "")
        rows.append(head)
        for key in sorted(k for k in groups if k.split(".")[0] == account and k != account):
            groups[key].title = titles.get(key, "")
            rows.append(groups[key])
    return ManagementAccount(year=year, unit=_unit_name(), rows=rows, total=total)


MANAGEMENT_COLUMNS = (
    "opening_qty",
    "opening_value",
    "entered_qty",
    "entered_value",
    "total_qty",
    "total_value",
    "left_qty",
    "left_value",
    "closing_qty",
    "closing_value",
)


def _cell(row: Movement, column: str):
    value = getattr(row, column)
    return plain(value) if column.endswith("qty") else value


def management_account_csv(report: ManagementAccount) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("Code"),
            _("Name"),
            _("Carried over: quantity"),
            _("Carried over: value"),
            _("Entered: quantity"),
            _("Entered: value"),
            _("Total: quantity"),
            _("Total: value"),
            _("Left: quantity"),
            _("Left: value"),
            _("Carried to next year: quantity"),
            _("Carried to next year: value"),
        ]
    )
    for row in report.rows:
        writer.writerow([row.code, row.title, *(_cell(row, c) for c in MANAGEMENT_COLUMNS)])
    # Quantities of different accounts do not add up; values do.
    values = ("" if c.endswith("qty") else _cell(report.total, c) for c in MANAGEMENT_COLUMNS)
    writer.writerow([_("Total"), "", *values])
    return out.getvalue()


# ---------------------------------------------------------------- (2) consumables issued


@dataclasses.dataclass
class ConsumablesMonth:
    month: datetime.date
    unit: str
    rows: list[dict]  # code, title, name, unit_of_measure, quantity, value, vifs
    vifs: list[dict]  # number, date, supporting_reference, value
    total: Decimal


def consumables_issued(month: datetime.date) -> ConsumablesMonth:
    """The consumables (account 150) issued in a month on signed consumption VİFs, per code
    and consumable, with the VİFs they left on (art. 30/3)."""
    lines = VifLine.objects.filter(
        _consumable(),
        vif__state=VifState.SIGNED,
        vif__kind=VifKind.CONSUMPTION,
        vif__date__gte=month,
        vif__date__lt=_next_month(month),
    )
    rows = list(
        lines.values("code__code", "code__title", "description")
        .annotate(
            # Not named "quantity": the amount below must read the line's own quantity.
            issued_qty=Sum("quantity", output_field=QTY),
            issued_value=Sum(AMOUNT, output_field=MONEY),
            vif_count=Count("vif", distinct=True),
            first_vif=Min("vif__number"),
            last_vif=Max("vif__number"),
        )
        .order_by("code__code", "description")
    )
    units = dict(
        StockItem.objects.filter(name__in=[r["description"] for r in rows]).values_list(
            "name", "unit_of_measure"
        )
    )
    for row in rows:
        row["quantity"], row["value"] = _qty(row.pop("issued_qty")), _dec(row.pop("issued_value"))
        row["unit_of_measure"] = units.get(row["description"], "")
    vifs = list(
        lines.values("vif__number", "vif__date", "vif__supporting_reference")
        .annotate(value=Sum(AMOUNT, output_field=MONEY))
        .order_by("vif__number")
    )
    for vif in vifs:
        vif["value"] = _dec(vif["value"])
    return ConsumablesMonth(
        month=month,
        unit=_unit_name(),
        rows=rows,
        vifs=vifs,
        total=sum((r["value"] for r in rows), ZERO),
    )


def consumables_issued_csv(report: ConsumablesMonth) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        [
            _("Code"),
            _("Name"),
            _("Consumable"),
            _("Quantity"),
            _("Unit of measure"),
            _("Value"),
            _("VİF numbers"),
        ]
    )
    for row in report.rows:
        writer.writerow(
            [
                row["code__code"],
                row["code__title"],
                row["description"],
                plain(row["quantity"]),
                row["unit_of_measure"],
                row["value"],
                _vif_range(row),
            ]
        )
    writer.writerow([_("Total"), "", "", "", "", report.total, ""])
    return out.getvalue()


def _vif_range(row: dict) -> str:
    first, last = row["first_vif"], row["last_vif"]
    return str(first) if first == last else f"{first}–{last}"


# ---------------------------------------------------------------- (3) last VİF of the year


@dataclasses.dataclass
class LastVif:
    year: int
    unit: str
    last_number: int | None
    last_date: datetime.date | None
    signed: int  # signed VİFs of the year
    counter: int  # the year's counter (the number the next signed VİF would follow)
    drafts: int  # drafts still open: they would take numbers after the last one
    year_over: bool

    @property
    def gapless(self) -> bool:
        return self.signed == (self.last_number or 0) == self.counter


def last_vif(year: int) -> LastVif:
    """What the year-end tutanak states: the last VİF number of the year (art. 34)."""
    vifs = Vif.objects.filter(year=year)
    figures = vifs.aggregate(
        last=Max("number", filter=Q(state=VifState.SIGNED)),
        signed=Count("id", filter=Q(state=VifState.SIGNED)),
        drafts=Count("id", filter=Q(state=VifState.DRAFT)),
    )
    last_date = None
    if figures["last"] is not None:
        last_date = vifs.filter(number=figures["last"]).values_list("date", flat=True).first()
    counter = VifCounter.objects.filter(year=year).values_list("last_number", flat=True).first()
    return LastVif(
        year=year,
        unit=_unit_name(),
        last_number=figures["last"],
        last_date=last_date,
        signed=figures["signed"],
        counter=counter or 0,
        drafts=figures["drafts"],
        year_over=timezone.localdate() > datetime.date(year, 12, 31),
    )


def last_vif_csv(report: LastVif) -> str:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Fiscal year"), _("Last VİF number"), _("Date"), _("Signed VİFs")])
    writer.writerow(
        [
            report.year,
            report.last_number or "",
            report.last_date.isoformat() if report.last_date else "",
            report.signed,
        ]
    )
    return out.getvalue()


# ---------------------------------------------------------------- (4) dayanıklı taşınırlar defteri

BOOK_FIELDS = (
    "id",
    "code__code",
    "code__title",
    "asset__sicil_no",
    "asset__make",
    "asset__model",
    "description",
    "vif__number",
    "vif__date",
    "vif__kind",
    "vif__store__name",
    "quantity",
    "amount",
)


def _durable_lines(code: str = ""):
    lines = _signed_lines().exclude(_consumable())
    code = (code or "").strip()
    if code:
        lines = lines.filter(Q(code__code=code) | Q(code__code__startswith=f"{code}."))
    return lines


def durables_book_summary(year: int, code: str = "") -> list[Movement]:
    """Per durable code: items on the records at the start of the year, entered, left and
    at the end (one aggregate query)."""
    return movements_by_code(year, _durable_lines(code))


def durables_book_lines(year: int, code: str = ""):
    """The year's entry and exit lines of durable items, each item's lines together (by
    code, sicil, date and VİF number); a values() queryset, to page or to stream."""
    return (
        _durable_lines(code)
        .filter(vif__year=year)
        .annotate(amount=AMOUNT)
        .values(*BOOK_FIELDS)
        .order_by("code__code", "asset__sicil_no", "vif__date", "vif__number", "id")
    )


def book_direction(kind: str) -> str:
    return "entry" if kind in ENTRY_KINDS else "exit"


def durables_book_csv_rows(year: int, code: str = "") -> Iterator[str]:
    """The book as CSV lines, streamed (a year of a large register is long)."""
    kinds = dict(VifKind.choices)
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")

    def flush() -> str:
        text = out.getvalue()
        out.seek(0)
        out.truncate()
        return text

    writer.writerow(
        [
            _("Movable property code"),
            _("Registration number (sicil)"),
            _("Name"),
            _("VİF number"),
            _("Date"),
            _("Kind"),
            _("Store"),
            _("Entry: quantity"),
            _("Entry: value"),
            _("Exit: quantity"),
            _("Exit: value"),
        ]
    )
    yield "\ufeff" + flush()
    for row in durables_book_lines(year, code).iterator(chunk_size=2000):
        entry = book_direction(row["vif__kind"]) == "entry"
        qty, value = _qty(row["quantity"]), _dec(row["amount"])
        writer.writerow(
            [
                row["code__code"],
                row["asset__sicil_no"] or "",
                book_name(row),
                f"{year}/{row['vif__number']}",
                row["vif__date"].isoformat(),
                str(kinds.get(row["vif__kind"], row["vif__kind"])),
                row["vif__store__name"],
                plain(qty) if entry else "",
                value if entry else "",
                "" if entry else plain(qty),
                "" if entry else value,
            ]
        )
        yield flush()


def book_name(row: dict) -> str:
    made = f"{row['asset__make'] or ''} {row['asset__model'] or ''}".strip()
    return made or row["description"] or row["code__title"]


# ---------------------------------------------------------------- PDF


def _pdf(template: str, context: dict) -> bytes:
    from bilgiislem.core.pdf import html_to_pdf

    context = {
        "institution": _institution(),
        "printed_at": timezone.localtime(),
        "signers": signatories(),
        **context,
    }
    # An official table: in the institution's language, whoever asked for it.
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(template, context)
    return html_to_pdf(html)


def management_account_pdf(report: ManagementAccount) -> bytes:
    return _pdf("assets/reports/management_account_pdf.html", {"report": report})


def consumables_issued_pdf(report: ConsumablesMonth) -> bytes:
    return _pdf("assets/reports/consumables_pdf.html", {"report": report})


def last_vif_pdf(report: LastVif) -> bytes:
    return _pdf("assets/reports/last_vif_pdf.html", {"report": report})


def durables_book_pdf(year: int, code: str = "") -> bytes:
    """The book as PDF; a book longer than ``BOOK_PDF_MAX_LINES`` is refused naming ``code``."""
    lines = durables_book_lines(year, code)
    rows = list(lines[: BOOK_PDF_MAX_LINES + 1])
    if len(rows) > BOOK_PDF_MAX_LINES:
        raise DomainError(
            _("The book has more than %(n)s lines for one PDF: choose a code, or download the CSV.")
            % {"n": BOOK_PDF_MAX_LINES},
            field="code",
        )
    for row in rows:
        row["name"] = book_name(row)
        row["is_entry"] = book_direction(row["vif__kind"]) == "entry"
        row["kind_label"] = VifKind(row["vif__kind"]).label
    return _pdf(
        "assets/reports/durables_book_pdf.html",
        {
            "year": year,
            "code": code,
            "unit": _unit_name(),
            "summary": durables_book_summary(year, code),
            "rows": rows,
        },
    )
