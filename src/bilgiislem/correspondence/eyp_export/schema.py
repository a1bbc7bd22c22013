"""XSD validation of the XML parts of an e-Yazışma package (standards.md 2.4).

The official EYP 2.x schemas are kept unchanged in ``correspondence/xsd/`` (copied from
``shared/eyazisma/xsd/``). As written they validate nothing real (shared/eyazisma/README.md),
so they are read with the three documented corrections, applied in memory when loading:

1. .NET-style ``^…$`` anchors are removed from the patterns (XSD patterns are anchored);
2. the institution code (KKK, BirimKKK) accepts an 8-digit DETSİS number besides 14 hex digits;
3. ``xsd:ID`` attributes are read as strings (they carry the BelgeId GUID, which may start with
   a digit).

The fourth defect (``CT_Guncelleme`` breaks the XSD 1.0 unique-particle rule) needs an XSD 1.1
validator: ``xmlschema.XMLSchema11`` (pure Python, no libxml2).
"""

from __future__ import annotations

import functools
import io
import re
import shutil
import tempfile
import threading
import zipfile
from pathlib import Path

XSD_DIR = Path(__file__).resolve().parent.parent / "xsd"

# Root element (Clark notation) → the schema file that declares it.
ROOT_SCHEMAS = {
    "{urn:dpt:eyazisma:schema:xsd:Ustveri-2}UstVeri": "EY-Ustveri-2.xsd",
    "{urn:dpt:eyazisma:schema:xsd:NihaiUstveri-2}NihaiUstVeri": "EY-NihaiUstveri-2.xsd",
    "{urn:dpt:eyazisma:schema:xsd:PaketOzeti-2}PaketOzeti": "EY-PaketOzeti-2.xsd",
    "{urn:dpt:eyazisma:schema:xsd:NihaiOzet-2}NihaiOzet": "EY-NihaiOzet-2.xsd",
    "{urn:dpt:eyazisma:schema:xsd:ParafOzeti-2}ParafOzeti": "EY-ParafOzeti-2.xsd",
    "{urn:dpt:eyazisma:schema:xsd:BelgeHedef-2}BelgeHedef": "EY-BelgeHedef-2.xsd",
}
# The parts an EYP 2.x package must carry with a schema (standards.md 2.2).
REQUIRED_SCHEMA_PARTS = (
    "Ustveri/Ustveri.xml",
    "PaketOzeti/PaketOzeti.xml",
    "NihaiUstveri/NihaiUstveri.xml",
    "NihaiOzet/NihaiOzet.xml",
)

_PATTERN = re.compile(r'(<xsd:pattern\s+value=")\^(.*?)\$(")')
_KKK_PATTERN = 'value="[A-Fa-f0-9]{14}"'
_lock = threading.Lock()


def corrected_schema_text(text: str) -> str:
    """One official schema with the documented readings applied (see the module docstring)."""
    text = _PATTERN.sub(r"\1\2\3", text)
    text = text.replace(_KKK_PATTERN, 'value="[0-9]{8}|[A-Fa-f0-9]{14}"')
    return text.replace('type="xsd:ID"', 'type="xsd:string"')


@functools.cache
def _schemas() -> dict[str, object]:
    """Load every root schema once per process (about a second; validation is then fast)."""
    import xmlschema

    with _lock, tempfile.TemporaryDirectory(prefix="eyp-xsd-") as folder:
        target = Path(folder)
        for source in XSD_DIR.rglob("*.xsd"):
            destination = target / source.relative_to(XSD_DIR)
            destination.parent.mkdir(parents=True, exist_ok=True)
            raw = source.read_bytes().decode("utf-8-sig")
            destination.write_text(corrected_schema_text(raw), encoding="utf-8")
        loaded = {
            root: xmlschema.XMLSchema11(str(target / name)) for root, name in ROOT_SCHEMAS.items()
        }
        shutil.rmtree(target, ignore_errors=True)
    return loaded


def validate_xml(xml_bytes: bytes, part_name: str) -> list[str]:
    """Validate one XML part against the schema of its root element; return the problems."""
    import xmlschema

    from bilgiislem.registry.eyp.safexml import XmlRefused, parse_xml

    try:
        root = parse_xml(xml_bytes, part_name)  # refuses DTDs and entities first
    except XmlRefused as exc:
        return [str(exc)]
    schema = _schemas().get(root.tag)
    if schema is None:
        return [f"{part_name}: no e-Yazışma schema declares the root element {root.tag}."]
    try:
        resource = xmlschema.XMLResource(io.BytesIO(xml_bytes), allow="none", defuse="always")
        errors = list(schema.iter_errors(resource))
    except Exception as exc:  # xmlschema raises several types for unreadable input
        return [f"{part_name}: {exc}"]
    return [f"{part_name}: {_describe(error)}" for error in errors]


def _describe(error) -> str:
    where = re.sub(r"\{[^}]*\}", "", getattr(error, "path", None) or "")
    reason = getattr(error, "reason", None) or str(error).splitlines()[0]
    return f"{where}: {reason}" if where else reason


def validate_package_xml(data: bytes) -> list[str]:
    """Validate every schema-described XML part of an ``.eyp`` against the official XSDs.

    Returns a list of problems (empty when all parts validate). Checked: every part whose
    root element an e-Yazışma schema declares (Ustveri, PaketOzeti, ParafOzeti,
    NihaiUstveri, NihaiOzet, BelgeHedef); the four mandatory ones must be present.
    The other XML (content types, relationships, core properties) must be well-formed.
    """
    from bilgiislem.registry.eyp.safexml import XmlRefused, parse_xml

    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = [i.filename for i in archive.infolist() if not i.is_dir()]
    except (zipfile.BadZipFile, ValueError) as exc:
        return [f"The package is not a readable ZIP archive ({exc})."]
    problems = [f"/{n}: missing part." for n in REQUIRED_SCHEMA_PARTS if n not in names]
    for name in names:
        lowered = name.lower()
        if not lowered.endswith((".xml", ".rels", ".psmdcp")) or lowered.startswith(
            ("ekler/", "imzasizekler/")
        ):
            continue
        content = archive.read(name)
        try:
            root = parse_xml(content, "/" + name)
        except XmlRefused as exc:
            problems.append(str(exc))
            continue
        if root.tag in ROOT_SCHEMAS:
            problems += validate_xml(content, "/" + name)
    return problems
