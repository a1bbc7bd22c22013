import hashlib
import io
import os

import pytest
from django.utils import translation

from bilgiislem.core.errors import DomainError
from bilgiislem.core.storage import (
    CHUNK_SIZE,
    BlobMissingError,
    StorageCorruptionError,
    blob_path,
    check_type,
    iter_verified,
    open_verified,
    sniff_content_type,
    store_stream,
)

PDF_BYTES = b"%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n%%EOF\n"
PNG_BYTES = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(20)
JPEG_BYTES = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + bytes(20)
ZIP_BYTES = b"PK\x03\x04\x14\x00\x00\x00\x08\x00" + bytes(30)
EXE_BYTES = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + bytes(40)
HTML_BYTES = b"<!DOCTYPE html>\n<html><body><script>alert(1)</script></body></html>\n"


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.BILGIISLEM_UPLOAD_MAX_BYTES = 25 * 1024 * 1024
    with translation.override("en"):  # assertions read the English messages
        yield settings.MEDIA_ROOT


def _files(root):
    """Every regular file under ``root`` (blobs and any leftover temporary file)."""
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


def _sha(data):
    return hashlib.sha256(data).hexdigest()


# --- writing and reading ----------------------------------------------------------------


def test_round_trip(media_root):
    data = "Sayın Müdürlüğe, ekte gönderilen şikâyet dilekçesi.\n".encode() * 100
    stored = store_stream(io.BytesIO(data), max_bytes=1024 * 1024)

    assert stored.sha256 == _sha(data)
    assert stored.size == len(data)
    assert stored.created
    assert stored.path == media_root / "blobs" / stored.sha256[:2] / (stored.sha256)
    assert stored.path == blob_path(stored.sha256)
    assert stored.path.read_bytes() == data
    assert open_verified(stored.sha256) == data
    assert b"".join(iter_verified(stored.sha256)) == data
    assert _files(media_root) == [stored.path]  # no temporary file left


def test_round_trip_over_several_chunks(media_root):
    data = bytes(range(256)) * (CHUNK_SIZE // 256) * 2 + b"tail"
    stored = store_stream(io.BytesIO(data), max_bytes=3 * CHUNK_SIZE)
    assert stored.size == len(data)
    assert stored.sha256 == _sha(data)
    chunks = list(iter_verified(stored.sha256, chunk_size=CHUNK_SIZE))
    assert len(chunks) == 3
    assert b"".join(chunks) == data


def test_same_bytes_are_stored_once(media_root):
    first = store_stream(io.BytesIO(PDF_BYTES), max_bytes=1000)
    mtime = first.path.stat().st_mtime_ns
    second = store_stream(io.BytesIO(PDF_BYTES), max_bytes=1000)

    assert second.sha256 == first.sha256
    assert second.path == first.path
    assert not second.created
    assert first.path.stat().st_mtime_ns == mtime  # the original was not rewritten
    assert _files(media_root) == [first.path]


def test_damaged_duplicate_is_repaired_from_the_verified_upload(media_root):
    stored = store_stream(io.BytesIO(PDF_BYTES), max_bytes=1000)
    stored.path.write_bytes(PDF_BYTES[:10])  # truncated on disk

    again = store_stream(io.BytesIO(PDF_BYTES), max_bytes=1000)

    assert again.created
    assert open_verified(stored.sha256) == PDF_BYTES
    assert _files(media_root) == [stored.path]


def test_flipped_byte_is_detected(media_root):
    data = b"original bytes of a received document" * 50
    stored = store_stream(io.BytesIO(data), max_bytes=10_000)
    damaged = bytearray(data)
    damaged[100] ^= 0x01
    stored.path.write_bytes(bytes(damaged))

    with pytest.raises(StorageCorruptionError) as excinfo:
        open_verified(stored.sha256)
    assert stored.sha256 in str(excinfo.value)
    assert excinfo.value.sha256 == stored.sha256
    # The streaming reader refuses before handing out the first chunk.
    with pytest.raises(StorageCorruptionError):
        iter_verified(stored.sha256)


def test_missing_blob(media_root):
    sha = _sha(b"never stored")
    with pytest.raises(BlobMissingError):
        open_verified(sha)
    with pytest.raises(StorageCorruptionError):  # a missing blob is a kind of corruption
        iter_verified(sha)


@pytest.mark.parametrize("bad", ["../../etc/passwd", "AB" * 32, "a" * 63, "", None, "g" * 64])
def test_only_hex_digests_name_a_blob(bad):
    with pytest.raises(ValueError):
        blob_path(bad)


# --- refusals leave nothing behind ------------------------------------------------------


def test_empty_file_is_refused(media_root):
    with pytest.raises(DomainError) as excinfo:
        store_stream(io.BytesIO(b""), max_bytes=1000, filename="boş.pdf")
    assert list(excinfo.value.errors) == ["file"]
    assert "boş.pdf" in excinfo.value.errors["file"][0]
    assert "empty" in excinfo.value.errors["file"][0]
    assert _files(media_root) == []


def test_oversize_file_is_refused(media_root):
    with pytest.raises(DomainError) as excinfo:
        store_stream(io.BytesIO(b"x" * 11), max_bytes=10, filename="notes.txt")
    assert "notes.txt" in excinfo.value.errors["file"][0]
    assert "larger" in excinfo.value.errors["file"][0]
    assert _files(media_root) == []
    # Exactly at the limit is fine.
    assert store_stream(io.BytesIO(b"x" * 10), max_bytes=10).size == 10


def test_oversize_found_after_the_first_chunk_leaves_no_temporary_file(media_root):
    data = b"%PDF-" + b"0" * (2 * CHUNK_SIZE)
    with pytest.raises(DomainError):
        store_stream(io.BytesIO(data), max_bytes=CHUNK_SIZE + 10, filename="big.pdf")
    assert _files(media_root) == []


def test_limit_defaults_to_the_setting(settings, media_root):
    settings.BILGIISLEM_UPLOAD_MAX_BYTES = 100
    with pytest.raises(DomainError):
        store_stream(io.BytesIO(b"y" * 101))
    assert store_stream(io.BytesIO(b"y" * 100)).size == 100


def test_wrong_type_is_refused_before_writing(media_root):
    with pytest.raises(DomainError) as excinfo:
        store_stream(io.BytesIO(EXE_BYTES), max_bytes=1000, filename="fatura.pdf")
    assert "fatura.pdf" in excinfo.value.errors["file"][0]
    assert _files(media_root) == []


def test_read_error_midway_leaves_no_temporary_file(media_root):
    class Broken(io.RawIOBase):
        calls = 0

        def read(self, size=-1):
            self.calls += 1
            if self.calls == 1:
                return b"%PDF-1.7 first chunk"
            raise OSError("connection reset")

    with pytest.raises(OSError, match="connection reset"):
        store_stream(Broken(), max_bytes=1000)
    assert _files(media_root) == []


def test_blob_files_are_not_world_readable(media_root):
    stored = store_stream(io.BytesIO(b"gizli"), max_bytes=1000)
    assert stored.path.stat().st_mode & 0o007 == 0
    assert os.listdir(media_root / "blobs" / "tmp") == []


# --- sniffing and type checks -----------------------------------------------------------

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SVG = "image/svg+xml"
TURKISH_TEXT = "Şikâyet: Işıklı Cad. İSTANBUL, çığ, ölü, üzüm\n".encode()


@pytest.mark.parametrize(
    ("head", "filename", "expected"),
    [
        (PDF_BYTES, "a.pdf", "application/pdf"),
        (PNG_BYTES, "a.png", "image/png"),
        (JPEG_BYTES, "a.jpg", "image/jpeg"),
        (b"II*\x00\x08\x00\x00\x00", "scan.tif", "image/tiff"),
        (b"MM\x00*\x00\x00\x00\x08", "scan.tiff", "image/tiff"),
        (ZIP_BYTES, "paket.eyp", "application/zip"),
        (
            ZIP_BYTES,
            "yazi.docx",
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        ),
        (
            ZIP_BYTES,
            "tablo.xlsx",
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        (ZIP_BYTES, "yazi.odt", "application/vnd.oasis.opendocument.text"),
        (ZIP_BYTES, "tablo.ods", "application/vnd.oasis.opendocument.spreadsheet"),
        (ZIP_BYTES, "arsiv.zip", "application/zip"),
        (ZIP_BYTES, "", "application/zip"),
        (b'<?xml version="1.0" encoding="UTF-8"?>\n<Ustveri/>', "a.xml", "application/xml"),
        (b"\xef\xbb\xbf  <?xml version='1.0'?><a/>", "a.xml", "application/xml"),
        (b"<Ustveri><Konu>x</Konu></Ustveri>", "a.xml", "application/xml"),
        (
            b'<?xml version="1.0"?>\n<svg xmlns="http://www.w3.org/2000/svg"/>',
            "a.xml",
            "image/svg+xml",
        ),
        (HTML_BYTES, "a.txt", "text/html"),
        (b"  <html><body>hi</body></html>", "a.txt", "text/html"),
        (b"<script>alert(1)</script>", "a.txt", "text/html"),
        (TURKISH_TEXT, "a.txt", "text/plain"),
        (b"", "a.txt", "text/plain"),
        (EXE_BYTES, "a.pdf", "application/x-msdownload"),
        (b"\x7fELF\x02\x01\x01", "a.pdf", "application/x-executable"),
        (b"GIF89a\x01\x00", "a.gif", "image/gif"),
        (b"plain\x00with nul", "a.txt", "application/octet-stream"),
        (b"\x01\x02\x03 control bytes", "a.txt", "application/octet-stream"),
        (b"tab\tand\r\nlines\x0c", "a.txt", "text/plain"),
        ("Windows-1254 metin: şikayet".encode("cp1254"), "a.txt", "application/octet-stream"),
    ],
)
def test_sniff_content_type(head, filename, expected):
    assert sniff_content_type(head, filename) == expected


def test_sniffing_text_cut_in_the_middle_of_a_letter():
    head = (b"a" + "ş".encode() * 5000)[:8191]  # ends on half of "ş"
    assert sniff_content_type(head, "a.txt") == "text/plain"


@pytest.mark.parametrize(
    ("filename", "head", "expected"),
    [
        ("Resmî Yazı.pdf", PDF_BYTES, "application/pdf"),
        ("TARAMA.PDF", PDF_BYTES, "application/pdf"),
        ("C:\\fakepath\\foto.JPEG", JPEG_BYTES, "image/jpeg"),
        ("paket.eyp", ZIP_BYTES, "application/zip"),
        ("dilekçe.txt", TURKISH_TEXT, "text/plain"),
        ("ustveri.xml", b"<?xml version='1.0'?><Ustveri/>", "application/xml"),
    ],
)
def test_check_type_accepts(filename, head, expected):
    assert check_type(filename, head) == expected


@pytest.mark.parametrize(
    ("filename", "head", "fragment"),
    [
        ("virus.exe", EXE_BYTES, "not an accepted file type"),
        ("fatura.pdf.exe", EXE_BYTES, "not an accepted file type"),
        ("README", TURKISH_TEXT, "not an accepted file type"),
        ("sayfa.html", HTML_BYTES, "not an accepted file type"),
        ("fatura.pdf", EXE_BYTES, "is not a .pdf file"),  # an .exe renamed .pdf
        ("fatura.pdf", TURKISH_TEXT, "is not a .pdf file"),
        ("foto.pdf", PNG_BYTES, "is not a .pdf file"),
        ("foto.png", JPEG_BYTES, "is not a .png file"),
        ("not.txt", HTML_BYTES, "is not a .txt file"),  # HTML named .txt
        ("not.txt", PDF_BYTES, "is not a .txt file"),
        ("yazi.docx", PDF_BYTES, "is not a .docx file"),
        ("paket.eyp", TURKISH_TEXT, "is not a .eyp file"),
        ("resim.xml", b"<?xml version='1.0'?><svg/>", "is not a .xml file"),
    ],
)
def test_check_type_refuses(filename, head, fragment):
    with pytest.raises(DomainError) as excinfo:
        check_type(filename, head)
    message = excinfo.value.errors["file"][0]
    assert fragment in message
    assert filename.replace("C:\\fakepath\\", "") in message  # names the file


def test_check_type_with_an_explicit_list():
    assert check_type("a.PDF", PDF_BYTES, ["pdf"]) == "application/pdf"  # dot optional
    with pytest.raises(DomainError, match=r"Accepted types: \.pdf"):
        check_type("a.png", PNG_BYTES, [".pdf"])


def test_check_type_reads_the_setting(settings):
    settings.BILGIISLEM_UPLOAD_EXTENSIONS = [".pdf", ".dat"]
    with pytest.raises(DomainError):
        check_type("a.png", PNG_BYTES)
    # An allowed extension without a known signature takes any inert content...
    assert check_type("olcum.dat", b"\x01\x02\x03", None) == "application/octet-stream"
    # ...but never active content.
    with pytest.raises(DomainError):
        check_type("olcum.dat", HTML_BYTES)
    with pytest.raises(DomainError):
        check_type("olcum.dat", EXE_BYTES)
