"""The register book: rows, restricted rows, PDF (Turkish text survives), CSV, the page."""

import csv
import datetime
import io

import pytest
from django.http import Http404
from django.test import RequestFactory
from django.utils import timezone, translation
from pypdf import PdfReader

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.registry.book import (
    COLUMNS,
    register_book_csv,
    register_book_pdf,
    register_book_rows,
)
from bilgiislem.registry.choices import Direction, PartyKind, Secrecy
from bilgiislem.registry.services import document_register, routing_create
from bilgiislem.registry.views_book import register_book

pytestmark = pytest.mark.django_db


@pytest.fixture
def book(people, units):
    kalem, registry = people["kalem"], units["bilgi-islem"]
    first = document_register(
        actor=kalem,
        registry=registry,
        party_kind=PartyKind.PUBLIC_BODY,
        party_name="İSTANBUL VALİLİĞİ",
        sayi="E-12345678-010.01-42",
        document_date=datetime.date(2026, 11, 2),
        subject="Işıklandırma çalışması hk. ğüşiöç",
        sdp_code="010.01",
    )
    secret = document_register(
        actor=kalem,
        registry=registry,
        party_kind=PartyKind.PERSON,
        party_name="Gizli Kişi",
        subject="Soruşturma dosyası",
        secrecy=Secrecy.GIZLI,
    )
    routing_create(
        actor=people["mudur"],
        document=first,
        recipients=[(people["memur"], "action")],
        deadline_basis="documents",
    )
    today = timezone.localdate()
    return registry, first, secret, today


def test_rows_in_number_order_with_restricted_rows(book, people):
    registry, first, secret, today = book
    rows = register_book_rows(people["kalem"], registry, today, today)
    assert [r.number for r in rows] == [first.number_label, secret.number_label]
    assert rows[0].party == "İSTANBUL VALİLİĞİ"
    assert rows[0].document_date == "02.11.2026"
    assert rows[0].routed_to == str(people["memur"])
    # The clerk may not see the Gizli document: only its number, time and direction.
    assert rows[1].restricted and rows[1].party == "" and "Soruşturma" not in rows[1].subject
    # The Director sees it.
    director_rows = register_book_rows(people["mudur"], registry, today, today)
    assert director_rows[1].subject == "Soruşturma dosyası"
    assert register_book_rows(people["mudur"], registry, today, today, Direction.OUTGOING) == []


def test_bad_period_and_outsiders_are_refused(book, people):
    registry, _first, _secret, today = book
    with pytest.raises(DomainError) as error:
        register_book_rows(people["mudur"], registry, today, today - datetime.timedelta(days=1))
    assert "date_to" in error.value.errors
    with pytest.raises(PermissionDeniedError):
        register_book_rows(people["yaziisleri"], registry, today, today)
    with pytest.raises(PermissionDeniedError):
        register_book_rows(people["memur"], registry, today, today)


def test_pdf_has_pages_and_exact_turkish_text(book, people):
    registry, first, _secret, today = book
    data = register_book_pdf(people["mudur"], registry, today, today)
    assert data.startswith(b"%PDF")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) >= 1
    page = reader.pages[0]
    assert float(page.mediabox.width) > float(page.mediabox.height)  # landscape
    text = "\n".join(p.extract_text() for p in reader.pages)
    assert "KARASU BELEDİYE BAŞKANLIĞI" in text
    assert "İSTANBUL VALİLİĞİ" in text
    assert "Işıklandırma çalışması hk. ğüşiöç" in text
    assert first.number_label in text
    assert "1 / 1" in text
    metadata = reader.trailer["/Root"]["/Metadata"].get_object().get_data()
    assert b'pdfaid:part="3"' in metadata and b'pdfaid:conformance="B"' in metadata
    fonts = {str(f) for f in _font_names(reader)}
    assert any("Arimo" in f for f in fonts)


def _font_names(reader):
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            yield font.get_object()["/BaseFont"]


def test_pdf_breaks_across_pages(people, units):
    today = timezone.localdate()
    for i in range(60):
        document_register(
            actor=people["kalem"],
            registry=units["bilgi-islem"],
            party_kind=PartyKind.PERSON,
            party_name=f"Vatandaş {i}",
            subject=f"Dilekçe {i}",
        )
    reader = PdfReader(
        io.BytesIO(register_book_pdf(people["mudur"], units["bilgi-islem"], today, today))
    )
    n = len(reader.pages)
    assert n >= 2
    assert f"{n} / {n}" in reader.pages[-1].extract_text()


def test_csv_columns(book, people):
    registry, first, secret, today = book
    data = register_book_csv(people["kalem"], registry, today, today)
    assert data.startswith(b"\xef\xbb\xbf")
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == [str(label) for _key, label in COLUMNS]
    assert len(rows[0]) == 10
    assert rows[1][0] == first.number_label
    assert rows[1][3] == "İSTANBUL VALİLİĞİ"
    assert rows[1][4] == "E-12345678-010.01-42"
    assert rows[2][0] == secret.number_label and rows[2][3] == ""


def test_page_and_downloads(book, people):
    registry, first, _secret, today = book
    factory = RequestFactory()
    day = today.strftime("%d.%m.%Y")
    query = {"registry": registry.pk, "date_from": day, "date_to": day}

    def get(user, **extra):
        request = factory.get("/kayit-defteri/", {**query, **extra})
        request.user = user
        return register_book(request)

    page = get(people["mudur"])
    assert page.status_code == 200
    assert first.subject in page.content.decode()
    pdf = get(people["mudur"], format="pdf")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf["Content-Disposition"].startswith("attachment;")
    csv_response = get(people["mudur"], format="csv")
    assert csv_response.content.startswith(b"\xef\xbb\xbf")
    with translation.override("en"):
        bad = get(people["mudur"], date_to="01.01.2000")
    assert bad.status_code == 200
    assert "cannot be before" in bad.content.decode()
    outsider = factory.get("/kayit-defteri/", query)
    outsider.user = people["memur"]
    with pytest.raises(Http404):
        register_book(outsider)
