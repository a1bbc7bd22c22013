"""Reports of the taşınır records (services/reports.py): exact figures on a small set of
signed VİFs, the pages, PDFs, CSVs and the API, who may read them, and bad input.

The records (all through the real VİF services):
- 2024: VİF 1 buys two laptops at 10.000,00 and ten toners at 500,00;
- 2025: VİF 1 buys a laptop at 12.000,00; VİF 2 and 3 consume 4 and 2 toners in March;
  VİF 4 writes off a 2024 laptop; VİF 5 moves the new laptop to another store (neither an
  entry nor an exit of the unit); VİF 6 consumes 1 toner in April; one draft stays unsigned;
- 2026: VİF 1 buys another laptop (after the year of the reports).
"""

import csv
import datetime
import io
from decimal import Decimal

import pytest
from django.urls import reverse

from bilgiislem.assets.choices import VifKind
from bilgiislem.assets.models import Asset, Store, TasinirCode, Vif
from bilgiislem.assets.services import reports
from bilgiislem.assets.services.vif import vif_create, vif_sign
from bilgiislem.core.errors import DomainError
from bilgiislem.core.pdftext import extract_text

from .conftest import tr

D = Decimal
YEAR = 2025


def _signed(actor, kind, store, date, lines, **extra):
    vif = vif_create(
        actor=actor,
        kind=kind,
        store=store,
        date=date,
        supporting_reference=f"Belge {date.isoformat()}",
        supporting_date=date,
        lines=lines,
        **extra,
    )
    return vif_sign(actor=actor, vif=vif)


@pytest.fixture
def records(kayit, store, tasinir_code, consumable_code, units):
    TasinirCode.objects.create(code="255.02", title="Büro makineleri", parent=tasinir_code.parent)
    other = Store.objects.create(unit=units["bilgi-islem"], code="02", name="Yedek Ambar")
    laptop = {"code": tasinir_code, "unit_price": "10000.00"}
    toner = {"code": consumable_code, "description": "Toner"}

    def consume(date, quantity):
        return _signed(
            kayit,
            VifKind.CONSUMPTION,
            store,
            date,
            [{**toner, "quantity": quantity, "unit_price": "500.00"}],
        )

    first = _signed(
        kayit,
        VifKind.PURCHASE,
        store,
        datetime.date(2024, 3, 10),
        [{**laptop, "quantity": 2}, {**toner, "quantity": 10, "unit_price": "500.00"}],
    )
    bought = _signed(
        kayit,
        VifKind.PURCHASE,
        store,
        datetime.date(YEAR, 2, 5),
        [{**laptop, "unit_price": "12000.00"}],
    )
    consume(datetime.date(YEAR, 3, 10), 4)
    consume(datetime.date(YEAR, 3, 20), 2)
    old = Asset.objects.filter(vif_lines__vif=first).order_by("sequence").first()
    _signed(
        kayit,
        VifKind.WRITE_OFF,
        store,
        datetime.date(YEAR, 6, 1),
        [{"code": tasinir_code, "asset": old, "unit_price": "10000.00"}],
    )
    new = Asset.objects.get(vif_lines__vif=bought)
    _signed(
        kayit,
        VifKind.STORE_TRANSFER,
        store,
        datetime.date(YEAR, 7, 1),
        [{"code": tasinir_code, "asset": new, "unit_price": "12000.00"}],
        to_store=other,
    )
    consume(datetime.date(YEAR, 4, 2), 1)
    vif_create(
        actor=kayit,
        kind=VifKind.PURCHASE,
        store=store,
        date=datetime.date(YEAR, 12, 30),
        supporting_reference="Taslak",
        supporting_date=datetime.date(YEAR, 12, 30),
        lines=[laptop],
    )
    _signed(kayit, VifKind.PURCHASE, store, datetime.date(YEAR + 1, 1, 5), [laptop])
    return {"old": old, "new": new}


def _figures(row):
    return (
        row.opening_qty,
        row.opening_value,
        row.entered_qty,
        row.entered_value,
        row.left_qty,
        row.left_value,
        row.closing_qty,
        row.closing_value,
    )


def test_management_account_per_account_and_level_one_code(records, django_assert_num_queries):
    # The movements, the codes, the I. Düzey titles, the unit's name.
    with django_assert_num_queries(4):
        report = reports.management_account(YEAR)
    assert [(r.code, r.is_account) for r in report.rows] == [
        ("150", True),
        ("150.01", False),
        ("255", True),
        ("255.02", False),
    ]
    toner = (D(10), D(5000), D(0), D(0), D(7), D(3500), D(3), D(1500))
    laptops = (D(2), D(20000), D(1), D(12000), D(1), D(10000), D(2), D(22000))
    assert [_figures(r) for r in report.rows] == [toner, toner, laptops, laptops]
    assert report.rows[0].title == "İlk Madde ve Malzemeler"
    assert report.rows[3].title == "Büro makineleri"
    assert (report.rows[2].total_qty, report.rows[2].total_value) == (D(3), D(32000))
    total = report.total
    assert (total.opening_value, total.entered_value, total.left_value, total.closing_value) == (
        D(25000),
        D(12000),
        D(13500),
        D(23500),
    )
    # The next year starts where this one ended.
    following = reports.management_account(YEAR + 1)
    assert [(r.opening_qty, r.opening_value) for r in following.rows if r.is_account] == [
        (D(3), D(1500)),
        (D(2), D(22000)),
    ]


def test_consumables_issued_in_a_month(records):
    report = reports.consumables_issued(datetime.date(YEAR, 3, 1))
    assert [
        (
            r["code__code"],
            r["description"],
            r["quantity"],
            r["value"],
            r["first_vif"],
            r["last_vif"],
        )
        for r in report.rows
    ] == [("150.01.03.01", "Toner", D(6), D(3000), 2, 3)]
    assert [(v["vif__number"], v["value"]) for v in report.vifs] == [(2, D(2000)), (3, D(1000))]
    assert report.total == D(3000)
    april = reports.consumables_issued(datetime.date(YEAR, 4, 1))
    assert [(r["quantity"], r["first_vif"]) for r in april.rows] == [(D(1), 6)]
    assert reports.consumables_issued(datetime.date(YEAR, 5, 1)).rows == []


def test_last_vif_of_the_year(records):
    report = reports.last_vif(YEAR)
    assert (report.last_number, report.last_date) == (6, datetime.date(YEAR, 4, 2))
    assert (report.signed, report.drafts, report.gapless, report.year_over) == (6, 1, True, True)
    empty = reports.last_vif(2019)
    assert (empty.last_number, empty.signed, empty.gapless) == (None, 0, True)


def test_durables_book_lines_and_summary(records):
    [summary] = reports.durables_book_summary(YEAR)
    assert (summary.code, summary.opening_qty, summary.entered_qty, summary.left_qty) == (
        "255.02.02.02",
        D(2),
        D(1),
        D(1),
    )
    assert (summary.closing_qty, summary.closing_value) == (D(2), D(22000))
    lines = list(reports.durables_book_lines(YEAR))
    assert [
        (r["asset__sicil_no"], r["vif__number"], reports.book_direction(r["vif__kind"]))
        for r in lines
    ] == [
        (records["old"].sicil_no, 4, "exit"),
        (records["new"].sicil_no, 1, "entry"),
    ]
    assert reports.durables_book_lines(YEAR, "255.03").count() == 0
    assert reports.durables_book_lines(YEAR, "255.02").count() == 2
    rows = list(
        csv.reader(io.StringIO("".join(reports.durables_book_csv_rows(YEAR))), delimiter=";")
    )
    assert len(rows) == 3
    assert rows[1][1] == records["old"].sicil_no and rows[1][9:] == ["1", "10000.00"]
    assert rows[2][7:9] == ["1", "12000.00"] and rows[2][3] == "2025/1"


def test_figures_do_not_depend_on_how_many_records_there_are(
    records, kayit, store, tasinir_code, django_assert_num_queries
):
    """Aggregates in SQL: the queries of each table stay the same with more records."""
    for _n in range(5):
        _signed(
            kayit,
            VifKind.PURCHASE,
            store,
            datetime.date(YEAR, 8, 1),
            [{"code": tasinir_code, "quantity": 3, "unit_price": "100.00"}],
        )
    with django_assert_num_queries(4):
        reports.management_account(YEAR)
    with django_assert_num_queries(4):  # lines, units of measure, VİFs, the unit's name
        reports.consumables_issued(datetime.date(YEAR, 3, 1))
    with django_assert_num_queries(4):
        reports.last_vif(YEAR)
    with django_assert_num_queries(1):
        assert len(list(reports.durables_book_lines(YEAR))) == 17


# ---------------------------------------------------------------- pages


def test_pages_for_the_three_roles_and_404_for_others(records, client_as):
    pages = [
        reverse("assets:reports"),
        reverse("assets:report-management-account") + f"?year={YEAR}",
        reverse("assets:report-consumables") + f"?month={YEAR}-03",
        reverse("assets:report-last-vif") + f"?year={YEAR}",
        reverse("assets:report-durables-book") + f"?year={YEAR}",
    ]
    for username in ("mudur", "kalem", "sef"):
        client = client_as(username)
        for url in pages:
            assert client.get(url).status_code == 200, (username, url)
    for username in ("memur", "yaziisleri.mudur"):
        client = client_as(username)
        for url in pages:
            assert client.get(url).status_code == 404, (username, url)
            if "?" in url:
                assert client.get(url + "&format=csv").status_code == 404
    client.logout()
    assert client.get(pages[1]).status_code == 302
    assert client.get("/api/assets/reports/last-vif/", {"year": YEAR}).status_code == 403


def test_page_content(records, client_as):
    client = client_as("kalem")
    account = client.get(reverse("assets:report-management-account"), {"year": YEAR})
    assert [r.code for r in account.context["report"].rows] == ["150", "150.01", "255", "255.02"]
    book = client.get(reverse("assets:report-durables-book"), {"year": YEAR})
    html = book.content.decode()
    assert records["old"].sicil_no in html and records["new"].sicil_no in html
    assert len(book.context["page_obj"]) == 2
    last = client.get(reverse("assets:report-last-vif"), {"year": YEAR})
    assert "2025/6" in last.content.decode() and "data-drafts" in last.content.decode()


def test_bad_year_or_month_is_a_form_error(client_as, kayit):
    client = client_as("kalem")
    for name, query, field in [
        ("assets:report-management-account", {"year": "abc"}, "year"),
        ("assets:report-last-vif", {"year": "1999"}, "year"),
        ("assets:report-durables-book", {"year": "3000"}, "year"),
        ("assets:report-consumables", {"month": "2025-13"}, "month"),
        ("assets:report-consumables", {"month": "mart"}, "month"),
    ]:
        response = client.get(reverse(name), {**query, "format": "pdf"})
        assert response.status_code == 400, (name, query)
        assert list(response.context["form"].errors) == [field]


def test_csv_downloads(records, client_as):
    client = client_as("mudur")
    account = client.get(
        reverse("assets:report-management-account"), {"year": YEAR, "format": "csv"}
    )
    assert account["Content-Type"] == "text/csv; charset=utf-8"
    assert "attachment" in account["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(account.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[3][:2] == ["255", "Demirbaşlar"]
    opening, entered, total = ["2", "20000.00"], ["1", "12000.00"], ["3", "32000.00"]
    assert rows[3][2:] == [*opening, *entered, *total, "1", "10000.00", "2", "22000.00"]
    assert rows[-1][0] == tr("Total") and rows[-1][-1] == "23500.00"
    month = client.get(reverse("assets:report-consumables"), {"month": "2025-03", "format": "csv"})
    rows = list(csv.reader(io.StringIO(month.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[1][2:] == ["Toner", "6", "adet", "3000.00", "2–3"]
    book = client.get(reverse("assets:report-durables-book"), {"year": YEAR, "format": "csv"})
    text = b"".join(book.streaming_content).decode("utf-8-sig")
    assert records["new"].sicil_no in text and len(text.splitlines()) == 3
    last = client.get(reverse("assets:report-last-vif"), {"year": YEAR, "format": "csv"})
    assert last.content.decode("utf-8-sig").splitlines()[1] == "2025;6;2025-04-02;6"


def test_pdfs_carry_the_figures_and_the_signatures(records, client_as):
    client = client_as("sef")
    account = client.get(
        reverse("assets:report-management-account"), {"year": YEAR, "format": "pdf"}
    )
    assert account["Content-Type"] == "application/pdf"
    text = extract_text(account.content)
    assert "255.02" in text and "Büro makineleri" in text
    assert "22.000,00" in text and "23.500,00" in text
    last = client.get(reverse("assets:report-last-vif"), {"year": YEAR, "format": "pdf"})
    text = extract_text(last.content)
    assert "2025" in text and "02.04.2025" in text
    signers = reports.signatories()
    assert (signers.kayit.username, signers.kontrol.username, signers.harcama.username) == (
        "kalem",
        "sef",
        "mudur",
    )
    assert signers.harcama.get_full_name() in text and signers.kayit.get_full_name() in text


def test_book_pdf_and_its_limit(records, client_as, monkeypatch):
    client = client_as("kalem")
    url = reverse("assets:report-durables-book")
    pdf = client.get(url, {"year": YEAR, "format": "pdf"})
    assert pdf.status_code == 200 and records["old"].sicil_no in extract_text(pdf.content)
    month = client.get(reverse("assets:report-consumables"), {"month": "2025-03", "format": "pdf"})
    assert "Toner" in extract_text(month.content)
    monkeypatch.setattr(reports, "BOOK_PDF_MAX_LINES", 1)
    refused = client.get(url, {"year": YEAR, "format": "pdf"})
    assert refused.status_code == 400 and list(refused.context["form"].errors) == ["code"]
    with pytest.raises(DomainError) as caught:
        reports.durables_book_pdf(YEAR)
    assert list(caught.value.errors) == ["code"]


# ---------------------------------------------------------------- API


def test_api_reports(records, client_as):
    client = client_as("kalem")
    account = client.get("/api/assets/reports/management-account/", {"year": YEAR}).json()
    assert [(r["code"], r["closing_qty"], r["closing_value"]) for r in account["rows"]] == [
        ("150", "3.000", "1500.00"),
        ("150.01", "3.000", "1500.00"),
        ("255", "2.000", "22000.00"),
        ("255.02", "2.000", "22000.00"),
    ]
    assert account["total"]["entered_value"] == "12000.00"
    month = client.get("/api/assets/reports/consumables-issued/", {"month": "2025-03"}).json()
    assert month["total"] == "3000.00" and month["rows"][0]["vif_count"] == 2
    assert [v["number"] for v in month["vifs"]] == [2, 3]
    last = client.get("/api/assets/reports/last-vif/", {"year": YEAR}).json()
    assert (last["last_number"], last["drafts"], last["gapless"]) == (6, 1, True)
    book = client.get("/api/assets/reports/durables-book/", {"year": YEAR}).json()
    assert (book["count"], book["page"], book["pages"]) == (2, 1, 1)
    assert [(ln["sicil_no"], ln["direction"], ln["value"]) for ln in book["lines"]] == [
        (records["old"].sicil_no, "exit", "10000.00"),
        (records["new"].sicil_no, "entry", "12000.00"),
    ]


def test_api_bad_input_and_access(client_as, kayit):
    client = client_as("kalem")
    for path, query, field in [
        ("management-account", {"year": "abc"}, "year"),
        ("last-vif", {}, "year"),
        ("durables-book", {"year": 1999}, "year"),
        ("consumables-issued", {"month": "2025-13"}, "month"),
        ("consumables-issued", {"month": "2025/03"}, "month"),
    ]:
        response = client.get(f"/api/assets/reports/{path}/", query)
        assert response.status_code == 400, (path, query)
        assert field in response.json(), response.json()
    assert Vif.objects.count() == 0
    memur = client_as("memur")
    assert memur.get("/api/assets/reports/last-vif/", {"year": YEAR}).status_code == 404
