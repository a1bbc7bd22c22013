import io

import pytest

from bilgiislem.core.downloads import attachment_response, content_disposition, safe_content_type
from bilgiislem.core.storage import StorageCorruptionError, store_stream


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def _store(data):
    return store_stream(io.BytesIO(data), max_bytes=10_000_000)


def test_attachment_response_streams_the_verified_bytes():
    data = b"%PDF-1.7 " + b"x" * 3_000_000
    stored = _store(data)

    response = attachment_response(stored.sha256, "Güvenlik Şartnamesi.pdf", "application/pdf")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Length"] == str(len(data))
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "sandbox" in response["Content-Security-Policy"]
    assert "no-store" in response["Cache-Control"]
    assert b"".join(response.streaming_content) == data


@pytest.mark.parametrize(
    "content_type",
    [
        "text/html",
        "TEXT/HTML; charset=utf-8",
        "application/xhtml+xml",
        "image/svg+xml",
        "application/javascript",
        "text/xsl",
        "",
        None,
        "pdf",
        "application/pdf\r\nX-Evil: 1",
    ],
)
def test_html_like_or_malformed_types_become_octet_stream(content_type):
    assert safe_content_type(content_type) == "application/octet-stream"
    stored = _store(b"<html><script>alert(1)</script></html>")
    response = attachment_response(stored.sha256, "sayfa.html", content_type)
    assert response["Content-Type"] == "application/octet-stream"
    assert response["Content-Disposition"].startswith("attachment;")


@pytest.mark.parametrize(
    "content_type", ["application/pdf", "image/png", "text/plain; charset=utf-8", "application/zip"]
)
def test_inert_types_are_kept(content_type):
    assert safe_content_type(content_type) == content_type


def test_turkish_filename_uses_rfc5987():
    header = content_disposition("Güvenlik Şartnamesi İÇİN ığ.pdf")
    assert header == (
        'attachment; filename="Guvenlik Sartnamesi ICIN ig.pdf"; '
        "filename*=UTF-8''G%C3%BCvenlik%20%C5%9Eartnamesi%20%C4%B0%C3%87%C4%B0N%20%C4%B1%C4%9F.pdf"
    )


def test_ascii_filename_has_no_extended_form():
    assert content_disposition("rapor-2026.pdf") == 'attachment; filename="rapor-2026.pdf"'


def test_filename_cannot_break_the_header():
    header = content_disposition('..\\../"kötü"\r\nSet-Cookie: x=1.pdf')
    assert "\r" not in header and "\n" not in header
    ascii_part = header.split(";")[1]
    assert ascii_part.count('"') == 2
    assert "/" not in header.split("filename*=")[0]
    assert content_disposition("") == 'attachment; filename="dosya"'
    assert content_disposition("../..") == 'attachment; filename="dosya"'


def test_corrupted_blob_is_refused_before_any_response():
    stored = _store(b"%PDF-1.7 signed letter")
    stored.path.write_bytes(b"%PDF-1.7 signed lettex")
    with pytest.raises(StorageCorruptionError):
        attachment_response(stored.sha256, "yazi.pdf", "application/pdf")
