"""The OPC container of an EYP (standards.md 2.1): the ZIP, content types, relationships.

Part names are kept as stored ("/" + the ZIP entry name); lookups go through ``key()``,
which undoes OPC percent-encoding and ignores case, as OPC part names are case-insensitive.
"""

from __future__ import annotations

import io
import posixpath
import struct
import zipfile
import zlib
from dataclasses import dataclass, field
from urllib.parse import unquote

from .safexml import XmlRefused, local, parse_xml

CONTENT_TYPES = "/[Content_Types].xml"
PACKAGE_RELS = "/_rels/.rels"
EYP_RELATIONSHIP_BASE = "http://eyazisma.dpt/iliskiler/"
CORE_PROPERTIES_TYPE = (
    "http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties"
)

DEFAULT_MAX_TOTAL_BYTES = 200 * 1024 * 1024
DEFAULT_MAX_ENTRIES = 1000
_CHUNK = 1024 * 1024
# What a damaged or hostile ZIP can make the standard library raise.
_ZIP_ERRORS = (
    zipfile.BadZipFile,
    zlib.error,
    struct.error,
    EOFError,
    OSError,
    ValueError,
    OverflowError,
    NotImplementedError,
)


class Refused(Exception):
    """The package cannot be read further; ``reasons`` go to the sender."""

    def __init__(self, *reasons: str):
        self.reasons = list(reasons)
        super().__init__("; ".join(reasons))


def key(part_name: str) -> str:
    return unquote(part_name).casefold()


@dataclass
class Relationship:
    source: str  # "/" for the package, else the source part name
    id: str
    type: str
    target: str  # resolved part name (as written, not yet matched to a stored part)
    external: bool

    @property
    def eyp_type(self) -> str:
        """The e-Yazışma relationship name, lower case ("ustyazi"), or "" for others."""
        if self.type.lower().startswith(EYP_RELATIONSHIP_BASE):
            return self.type[len(EYP_RELATIONSHIP_BASE) :].lower()
        if self.type == CORE_PROPERTIES_TYPE:
            return "core-properties"
        return ""


@dataclass
class Container:
    parts: dict[str, bytes]
    relationships: list[Relationship] = field(default_factory=list)
    content_types: dict[str, str] = field(default_factory=dict)  # part key -> type
    default_types: dict[str, str] = field(default_factory=dict)  # extension -> type

    def __post_init__(self):
        self._by_key = {key(name): name for name in self.parts}

    def find(self, part_name: str) -> str | None:
        """The stored name of this part, or None when the package has no such part."""
        return self._by_key.get(key(part_name))

    def related(self, eyp_type: str, source: str | None = None) -> list[Relationship]:
        return [
            r
            for r in self.relationships
            if r.eyp_type == eyp_type and (source is None or r.source == source)
        ]


def read_zip(data: bytes, *, max_total_bytes: int, max_entries: int) -> dict[str, bytes]:
    """Every entry of the ZIP by part name, with the zip-bomb limits enforced (2.1)."""
    if not data:
        raise Refused("The file is empty; an e-Yazışma package (.eyp) was expected.")
    if not data.startswith(b"PK") or not zipfile.is_zipfile(io.BytesIO(data)):
        raise Refused(
            "The file is not a ZIP archive, so it is not an e-Yazışma package "
            "(an .eyp is an OPC ZIP container, standards.md 2.1)."
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except _ZIP_ERRORS as exc:
        raise Refused(f"The ZIP archive is damaged and cannot be opened ({exc}).") from None
    _check_limits(infos, max_total_bytes=max_total_bytes, max_entries=max_entries)
    parts: dict[str, bytes] = {}
    seen: set[str] = set()
    reasons: list[str] = []
    budget = max_total_bytes
    for info in infos:
        if info.is_dir():
            continue
        name = "/" + info.filename
        problem = _entry_problem(info, name, seen)
        if problem:
            reasons.append(problem)
            continue
        try:
            content = _read_entry(archive, info, budget)
        except _OverBudget:
            raise Refused(_too_large(max_total_bytes)) from None
        except _ZIP_ERRORS as exc:
            reasons.append(f"{name}: the ZIP entry is damaged and cannot be read ({exc}).")
            continue
        budget -= len(content)
        parts[name] = content
        seen.add(key(name))
    if reasons:
        raise Refused(*reasons)
    return parts


def _check_limits(infos, *, max_total_bytes: int, max_entries: int) -> None:
    if len(infos) > max_entries:
        raise Refused(f"The package has {len(infos)} entries; at most {max_entries} are accepted.")
    if sum(info.file_size for info in infos) > max_total_bytes:
        raise Refused(_too_large(max_total_bytes))


def _too_large(max_total_bytes: int) -> str:
    return (
        "The package expands to more than "
        f"{max_total_bytes // (1024 * 1024) or max_total_bytes} "
        f"{'MiB' if max_total_bytes >= 1024 * 1024 else 'bytes'} when unpacked; "
        "refused (possible ZIP bomb)."
    )


def _entry_problem(info: zipfile.ZipInfo, name: str, seen: set[str]) -> str | None:
    if info.flag_bits & 0x1:
        return f"{name}: the ZIP entry is password-protected; EYP parts must not be."
    segments = info.filename.replace("\\", "/").split("/")
    if info.filename.startswith("/") or "\\" in info.filename or ".." in segments:
        return f"{name}: the entry name is not a valid OPC part name."
    if key(name) in seen:
        return f"{name}: the part appears twice in the ZIP archive."
    return None


class _OverBudget(Exception):
    pass


def _read_entry(archive: zipfile.ZipFile, info: zipfile.ZipInfo, budget: int) -> bytes:
    # Read in chunks and count the real output: the sizes in the ZIP headers are the
    # sender's claim, not a fact.
    out = io.BytesIO()
    with archive.open(info) as stream:
        while chunk := stream.read(_CHUNK):
            out.write(chunk)
            if out.tell() > budget:
                raise _OverBudget
    return out.getvalue()


def open_container(parts: dict[str, bytes]) -> tuple[Container, list[str]]:
    """Read content types and every relationship part; return the errors found (2.1)."""
    container = Container(parts)
    errors: list[str] = []
    if container.find(CONTENT_TYPES) is None:
        errors.append(
            "[Content_Types].xml is missing: the file is not an OPC package (standards.md 2.1)."
        )
    else:
        try:
            _read_content_types(container, parts[container.find(CONTENT_TYPES)])
        except XmlRefused as exc:
            errors.append(str(exc))
    if container.find(PACKAGE_RELS) is None:
        errors.append(
            "_rels/.rels is missing: the package relationships that name its parts are "
            "absent (standards.md 2.1)."
        )
    for name in sorted(parts):
        if _is_rels(name):
            try:
                container.relationships += _read_rels(name, parts[name])
            except XmlRefused as exc:
                errors.append(str(exc))
    errors += check_relationship_targets(container)
    return container, errors


def _read_content_types(container: Container, data: bytes) -> None:
    root = parse_xml(data, "[Content_Types].xml")
    for item in root:
        if local(item.tag) == "Default":
            container.default_types[item.get("Extension", "").lower()] = item.get("ContentType", "")
        elif local(item.tag) == "Override":
            container.content_types[key(item.get("PartName", ""))] = item.get("ContentType", "")


def content_type(container: Container, part_name: str) -> str | None:
    if key(part_name) in container.content_types:
        return container.content_types[key(part_name)]
    file_name = posixpath.basename(part_name)
    extension = file_name.rpartition(".")[2].lower() if "." in file_name else ""
    return container.default_types.get(extension)


def _is_rels(name: str) -> bool:
    folder, file_name = posixpath.split(name)
    return posixpath.basename(folder) == "_rels" and file_name.endswith(".rels")


def _source_of(rels_name: str) -> str:
    # "/_rels/.rels" describes the package; "/A/_rels/B.xml.rels" describes "/A/B.xml".
    folder, file_name = posixpath.split(rels_name)
    parent = posixpath.dirname(folder)
    if file_name == ".rels" and parent == "/":
        return "/"
    return posixpath.join(parent, file_name[: -len(".rels")])


def _read_rels(rels_name: str, data: bytes) -> list[Relationship]:
    source = _source_of(rels_name)
    root = parse_xml(data, rels_name)
    found = []
    for item in root:
        if local(item.tag) != "Relationship":
            continue
        target = item.get("Target", "")
        external = item.get("TargetMode", "Internal") == "External"
        if not external:
            base = "/" if source == "/" else posixpath.dirname(source)
            target = posixpath.normpath(posixpath.join(base, target))
            target = "/" + target.lstrip("/")
        found.append(
            Relationship(source, item.get("Id", ""), item.get("Type", ""), target, external)
        )
    return found


def check_relationship_targets(container: Container) -> list[str]:
    """Every internal relationship must point at a part that is in the package (OPC)."""
    errors = []
    for rel in container.relationships:
        if rel.external or container.find(rel.target) is not None:
            continue
        kind = rel.eyp_type or rel.type
        source = "the package" if rel.source == "/" else rel.source
        errors.append(
            f"{rel.target}: missing part — the relationship {rel.id} ({kind}) from {source} "
            "points to it but it is not in the package."
        )
    return errors
