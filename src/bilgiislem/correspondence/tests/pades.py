"""Helpers for the signature tests: sign as an outside e-imza application would (without the
server's own checks), and alter signed files the ways an attacker or a careless tool does."""

import io

from pyhanko.pdf_utils import generic
from pyhanko.pdf_utils.incremental_writer import IncrementalPdfFileWriter
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign import fields, signers

from bilgiislem.correspondence.signing import file_signer


def signer_for(issued, pki):
    return file_signer(issued.key_pem, issued.cert_pem, pki.chain())


def sign_raw(pdf: bytes, issued, pki, *, field="Imza1", timestamper=None) -> bytes:
    """A PAdES B-B (B-T with ``timestamper``) signature by ``issued``, whatever its dates."""
    meta = signers.PdfSignatureMetadata(
        field_name=field, subfilter=fields.SigSeedSubFilter.PADES, md_algorithm="sha256"
    )
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    signer = signer_for(issued, pki)
    return (
        signers.PdfSigner(meta, signer=signer, timestamper=timestamper).sign_pdf(writer).getvalue()
    )


def update(pdf: bytes, change) -> bytes:
    """Apply ``change(writer)`` as an incremental update (what a PDF editor saves)."""
    writer = IncrementalPdfFileWriter(io.BytesIO(pdf))
    change(writer)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _first_page(writer):
    return writer.root["/Pages"]["/Kids"][0].get_object()


def rotate_page(writer):
    page = _first_page(writer)
    page["/Rotate"] = generic.NumberObject(90)
    writer.update_container(page)


def add_annotation(writer):
    """A free-text note reading "İPTAL" stamped on the first page."""
    page = _first_page(writer)
    note = writer.add_object(
        generic.DictionaryObject(
            {
                generic.NameObject("/Type"): generic.NameObject("/Annot"),
                generic.NameObject("/Subtype"): generic.NameObject("/FreeText"),
                generic.NameObject("/Rect"): generic.ArrayObject(
                    [generic.NumberObject(n) for n in (100, 100, 300, 150)]
                ),
                generic.NameObject("/Contents"): generic.pdf_string("İPTAL"),
                generic.NameObject("/DA"): generic.pdf_string("/Helv 24 Tf 1 0 0 rg"),
            }
        )
    )
    annots = page.get("/Annots")
    page["/Annots"] = generic.ArrayObject([*(annots or []), note])
    writer.update_container(page)


def add_page(writer):
    """An empty A4 page appended to the letter."""
    page = generic.DictionaryObject(
        {
            generic.NameObject("/Type"): generic.NameObject("/Page"),
            generic.NameObject("/MediaBox"): generic.ArrayObject(
                [generic.NumberObject(n) for n in (0, 0, 595, 842)]
            ),
        }
    )
    writer.insert_page(page)


def contents_range(pdf: bytes, index: int = -1) -> tuple[int, int]:
    """Where the ``/Contents <hex>`` of a signature sits in the file."""
    reader = PdfFileReader(io.BytesIO(pdf), strict=False)
    _start, length1, start2, _length2 = reader.embedded_signatures[index].byte_range
    return length1, start2


def transplant(into: bytes, source: bytes) -> bytes:
    """Put the CMS signature of ``source`` (another document) into ``into``'s placeholder."""
    a, b = contents_range(into)
    c, d = contents_range(source)
    der_hex = source[c + 1 : d - 1].rstrip(b"0")
    if len(der_hex) % 2:
        der_hex += b"0"
    hex_value = der_hex.ljust(b - a - 2, b"0")
    assert len(hex_value) == b - a - 2, "the other signature does not fit"
    return into[: a + 1] + hex_value + into[b - 1 :]


def add_dss(pdf: bytes, *, crls=(), certs=()) -> bytes:
    """Validation data (CRLs, certificates) added to the DSS in an incremental update."""
    from pyhanko.sign.validation.dss import DocumentSecurityStore

    out = io.BytesIO(pdf)
    DocumentSecurityStore.add_dss(out, None, crls=list(crls), certs=list(certs), force_write=True)
    return out.getvalue()
