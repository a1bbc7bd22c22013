import logging

from bilgiislem.core.pdftext import extract_text


def make_pdf(page_streams):
    """A minimal valid PDF, written by hand: one Helvetica font, one content stream a page."""
    count = len(page_streams)
    page_ids = [4 + 2 * i for i in range(count)]
    objects = {
        1: b"<< /Type /Catalog /Pages 2 0 R >>",
        2: b"<< /Type /Pages /Kids [%s] /Count %d >>"
        % (b" ".join(b"%d 0 R" % i for i in page_ids), count),
        3: b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
    }
    for page_id, stream in zip(page_ids, page_streams, strict=True):
        objects[page_id] = (
            b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
            b"/Resources << /Font << /F1 3 0 R >> >> /Contents %d 0 R >>" % (page_id + 1)
        )
        objects[page_id + 1] = b"<< /Length %d >>\nstream\n%s\nendstream" % (len(stream), stream)
    out = bytearray(b"%PDF-1.4\n")
    offsets = {}
    for number in sorted(objects):
        offsets[number] = len(out)
        out += b"%d 0 obj\n%s\nendobj\n" % (number, objects[number])
    xref = len(out)
    size = max(objects) + 1
    out += b"xref\n0 %d\n0000000000 65535 f \n" % size
    for number in range(1, size):
        out += b"%010d 00000 n \n" % offsets[number]
    out += b"trailer\n<< /Size %d /Root 1 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (size, xref)
    return bytes(out)


def text_page(text: bytes) -> bytes:
    return b"BT /F1 12 Tf 72 720 Td (%s) Tj ET" % text


def test_extracts_text():
    assert extract_text(make_pdf([text_page(b"Merhaba")])) == "Merhaba"


def test_extracts_winansi_turkish_letters():
    # Ç ö ü in WinAnsi (octal escapes); ğ ş ı need an embedded font, which WeasyPrint does.
    assert extract_text(make_pdf([text_page(rb"\307\366z\374m")])) == "Çözüm"


def test_pages_are_separated_and_limited():
    pdf = make_pdf([text_page(b"Bir"), text_page(b"Iki"), text_page(b"Uc")])
    assert extract_text(pdf) == "Bir\n\nIki\n\nUc"
    assert extract_text(pdf, max_pages=2) == "Bir\n\nIki"


def test_unreadable_input_gives_empty_text_and_a_log_line(caplog):
    with caplog.at_level(logging.WARNING, logger="bilgiislem.core.pdftext"):
        assert extract_text(b"this is not a PDF at all") == ""
    assert any("not extracted" in r.getMessage() for r in caplog.records)


def test_truncated_and_empty_input():
    pdf = make_pdf([text_page(b"Merhaba")])
    assert extract_text(pdf[:40]) == ""
    assert extract_text(b"") == ""
