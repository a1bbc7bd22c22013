"""``build_package``: an outgoing EYP 2.x package (.eyp), signed and sealed (issue 4, point 7).

Signing order (standards.md 2.3): the letter, its metadata and the annexes are summarised
in PaketOzeti, which the signer signs (CAdES, attached, in /Imzalar/ImzaCades.imz); then
NihaiUstveri (date, Sayı, signers) is added and everything is summarised in NihaiOzet, which
the institution seals (CAdES in /Muhur/MuhurCades.imz). Part names, relationship ids and
content types mirror the official sample package (registry/tests/data/official-sample-2025.eyp).

Signatures are CAdES-BES (CAdES-T with a time-stamper): the long-term profiles (X-Long, A)
need revocation data that the test PKI does not publish; see the report on issue 4.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import datetime
import io
import posixpath
import re
import unicodedata
import uuid
import zipfile

from bilgiislem.core.errors import DomainError

from .schema import validate_package_xml
from .spec import PackageSpec
from .xmlparts import (
    content_types_xml,
    core_properties_xml,
    nihai_ozet_xml,
    nihai_ustveri_xml,
    paket_ozeti_xml,
    relationships_xml,
    ustveri_xml,
)

REL = "http://eyazisma.dpt/iliskiler/"
CORE_PROPERTIES_REL = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)
USTVERI_PART = "/Ustveri/Ustveri.xml"
PAKET_OZETI_PART = "/PaketOzeti/PaketOzeti.xml"
IMZA_PART = "/Imzalar/ImzaCades.imz"
NIHAI_USTVERI_PART = "/NihaiUstveri/NihaiUstveri.xml"
NIHAI_OZET_PART = "/NihaiOzet/NihaiOzet.xml"
MUHUR_PART = "/Muhur/MuhurCades.imz"
DEFAULT_TYPES = {
    "pdf": "application/pdf",
    "xml": "application/xml",
    "imz": "application/octet-stream",
    "psmdcp": "application/vnd.openxmlformats-package.core-properties+xml",
    "rels": "application/vnd.openxmlformats-package.relationships+xml",
}
_TURKISH = str.maketrans("çğıİöşüÇĞÖŞÜ", "cgiIosuCGOSU")


class EypExportError(DomainError):
    """The package cannot be built, or what was built does not conform; ``problems`` lists why."""

    def __init__(self, problems: list[str]):
        self.problems = list(problems)
        super().__init__(errors={"eyp": self.problems})

    def __str__(self) -> str:
        return "The e-Yazışma package could not be built:\n- " + "\n- ".join(self.problems)


def safe_file_name(name: str, fallback: str) -> str:
    """A part-name-safe file name: ASCII letters, digits, ``._-``; no spaces (K.5)."""
    ascii_name = unicodedata.normalize("NFKD", name.translate(_TURKISH))
    ascii_name = ascii_name.encode("ascii", "ignore").decode("ascii")
    cleaned = re.sub(r"[^A-Za-z0-9._-]+", "_", posixpath.basename(ascii_name)).strip("._")
    return cleaned or fallback


def _unique(name: str, taken: set[str]) -> str:
    stem, dot, extension = name.rpartition(".")
    if not dot:
        stem, extension = name, ""
    candidate, number = name, 1
    while candidate.lower() in taken:
        number += 1
        candidate = f"{stem}_{number}" + (f".{extension}" if extension else "")
    taken.add(candidate.lower())
    return candidate


def _run(coroutine):
    """Run a pyHanko coroutine from sync code, also when called inside an event loop."""
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(coroutine)
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


def cades_sign(data: bytes, signer, *, timestamper=None) -> bytes:
    """An attached ("tümleşik") CAdES signature over ``data``, DER-encoded (standards.md 2.3)."""
    from ..signing import SigningError, _check_validity

    if signer.signing_cert is None:
        raise SigningError("The signer has no certificate.")
    _check_validity(signer.signing_cert, datetime.datetime.now(datetime.UTC))
    content_info = _run(
        signer.async_sign_general_data(
            data, "sha256", detached=False, use_cades=True, timestamper=timestamper
        )
    )
    return content_info.dump()


def build_package(spec: PackageSpec, *, signer, seal_signer=None, timestamper=None) -> bytes:
    """Build, sign, seal and self-check an ``.eyp`` for ``spec``; return its bytes.

    ``signer`` (a pyHanko signer: the person signing, or a PKCS#11 token) signs PaketOzeti.
    ``seal_signer`` is the institution's e-seal (e-mühür) for NihaiOzet; when none is
    configured the signer's key seals it too — a valid CAdES but not an institutional seal,
    which a receiving system may flag. ``timestamper`` adds a signature time-stamp to both.
    Raises ``EypExportError`` for an incomplete spec or when the output does not validate
    against the official XSDs or is refused by our own importer.
    """
    problems = spec.problems()
    if problems:
        raise EypExportError(problems)
    letter_name = safe_file_name(spec.letter_file_name, "ustyazi.pdf")
    if not letter_name.lower().endswith(".pdf"):
        letter_name += ".pdf"
    spec = _with_letter_name(spec, letter_name)
    letter_part = f"/UstYazi/{letter_name}"

    taken: set[str] = set()
    annex_names = {
        a.id: _unique(safe_file_name(a.file_name, f"ek{n}"), taken)
        for n, a in enumerate(spec.annexes, 1)
        if a.kind == "file"
    }
    annex_parts = [
        (a.id.upper(), f"/Ekler/{annex_names[a.id]}", a) for a in spec.annexes if a.kind == "file"
    ]
    parts: dict[str, bytes] = {letter_part: spec.letter_pdf}
    for _id, part_name, annex in annex_parts:
        parts[part_name] = annex.content
    parts[USTVERI_PART] = ustveri_xml(spec, annex_names)

    annexed = [(name, parts[name]) for _id, name, _a in annex_parts]
    parts[PAKET_OZETI_PART] = paket_ozeti_xml(
        spec.belge_id,
        [(USTVERI_PART, parts[USTVERI_PART]), (letter_part, spec.letter_pdf), *annexed],
    )
    parts[IMZA_PART] = cades_sign(parts[PAKET_OZETI_PART], signer, timestamper=timestamper)
    parts[NIHAI_USTVERI_PART] = nihai_ustveri_xml(spec, spec.date)
    core_part = f"/package/services/metadata/core-properties/{uuid.uuid4().hex}.psmdcp"
    parts[core_part] = core_properties_xml(spec, datetime.datetime.now(datetime.UTC))
    parts[NIHAI_OZET_PART] = nihai_ozet_xml(
        spec.belge_id,
        [
            (USTVERI_PART, parts[USTVERI_PART]),
            (letter_part, spec.letter_pdf),
            (PAKET_OZETI_PART, parts[PAKET_OZETI_PART]),
            (IMZA_PART, parts[IMZA_PART]),
            (NIHAI_USTVERI_PART, parts[NIHAI_USTVERI_PART]),
            *annexed,
            (core_part, parts[core_part]),
        ],
    )
    # The e-seal: the institution's seal_signer; without one the signer seals as well.
    parts[MUHUR_PART] = cades_sign(
        parts[NIHAI_OZET_PART], seal_signer or signer, timestamper=timestamper
    )

    package_rels = [(f"{REL}ek", name, f"IdEk_{annex_id}") for annex_id, name, _a in annex_parts]
    package_rels += [
        (f"{REL}ustyazi", letter_part, "IdUstYazi"),
        (f"{REL}ustveri", USTVERI_PART, "IdUstveri"),
        (f"{REL}paketozeti", PAKET_OZETI_PART, "IdPaketOzeti"),
        (f"{REL}nihaiustveri", NIHAI_USTVERI_PART, "IdNihaiUstveri"),
        (CORE_PROPERTIES_REL, core_part, "R" + uuid.uuid4().hex[:16]),
        (f"{REL}nihaiozet", NIHAI_OZET_PART, "IdNihaiOzet"),
    ]
    parts["/_rels/.rels"] = relationships_xml(package_rels)
    parts["/PaketOzeti/_rels/PaketOzeti.xml.rels"] = relationships_xml(
        [(f"{REL}imzacades", "../Imzalar/ImzaCades.imz", "IdImzaCades")]
    )
    parts["/NihaiOzet/_rels/NihaiOzet.xml.rels"] = relationships_xml(
        [(f"{REL}muhurcades", "../Muhur/MuhurCades.imz", "IdMuhurCades")]
    )
    parts["/[Content_Types].xml"] = _content_types(annex_parts)
    data = _zip(parts, spec.date)
    check_built_package(data)
    return data


def _with_letter_name(spec: PackageSpec, letter_name: str) -> PackageSpec:
    if spec.letter_file_name == letter_name:
        return spec
    import dataclasses

    return dataclasses.replace(spec, letter_file_name=letter_name)


def _content_types(annex_parts) -> bytes:
    defaults = dict(DEFAULT_TYPES)
    overrides: dict[str, str] = {}
    for _id, part_name, annex in annex_parts:
        base = posixpath.basename(part_name)
        extension = base.rpartition(".")[2].lower() if "." in base else ""
        if extension and extension not in defaults:
            defaults[extension] = annex.mime_type
        elif not extension or defaults[extension] != annex.mime_type:
            overrides[part_name] = annex.mime_type
    return content_types_xml(defaults, overrides)


def _zip(parts: dict[str, bytes], moment: datetime.datetime) -> bytes:
    stamp = moment.astimezone(datetime.UTC).timetuple()[:6]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, content in parts.items():
            info = zipfile.ZipInfo(name.lstrip("/"), date_time=stamp)
            info.compress_type = zipfile.ZIP_DEFLATED
            archive.writestr(info, content)
    return buffer.getvalue()


def check_built_package(data: bytes) -> None:
    """Our own output must validate against the XSDs and pass our own importer."""
    from bilgiislem.registry.eyp import EypError, read_package

    problems = validate_package_xml(data)
    try:
        package = read_package(data)
    except EypError as exc:
        problems += [f"importer: {reason}" for reason in exc.reasons]
    else:
        problems += [f"importer warning: {warning}" for warning in package.warnings]
    if problems:
        raise EypExportError(problems)
