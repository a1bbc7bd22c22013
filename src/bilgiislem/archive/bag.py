"""The layout of an exported archive bag (BagIt, RFC 8493; bagit-python).

    <bag>/bagit.txt, bag-info.txt, manifest-sha256.txt, manifest-sha512.txt, tagmanifest-*.txt
    <bag>/data/files/<sha256>            every file once, named by its SHA-256
    <bag>/data/metadata/<name>.json      the records, see METADATA below
    <bag>/data/audit/events.jsonl        the audit events of the exported objects

Nothing in the metadata is a database id: every reference is a natural key (a unit's code,
a person's username, a document's registry code + numbering year + registry number, a
folder's unit + file plan code + year), so a bag means the same in any installation, and
exporting what was imported gives byte-identical metadata files. JSON is written one way
only (sorted keys, UTF-8, fixed indentation, lists in key order).

``bag-info.txt`` carries Source-Organization (the institution), Bagging-Date, the export
scope, who exported it, and the counts (Folder-Count, Document-Count, File-Count,
Audit-Event-Count, Documents-Withheld).
"""

from __future__ import annotations

import contextlib
import datetime
import json
import logging
import shutil
import tarfile
import zipfile
from pathlib import Path, PurePosixPath

BAG_PROFILE = "bilgiislem-archive-bag/1"
CHECKSUMS = ["sha256", "sha512"]
FILES_DIR = "files"
METADATA_DIR = "metadata"
AUDIT_FILE = "audit/events.jsonl"
METADATA = (
    "institution",
    "units",
    "people",
    "file_plan",
    "folders",
    "documents",
    "files",
    "filings",
    "records",
)
FORMATS = ("zip", "tar")


def dumps(value) -> bytes:
    """The one JSON form of the bag: identical input gives identical bytes."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=1)
    return (text + "\n").encode("utf-8")


def iso_datetime(value: datetime.datetime | None) -> str | None:
    if value is None:
        return None
    return value.astimezone(datetime.UTC).isoformat(timespec="microseconds")


def iso_date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value is not None else None


def parse_datetime(value: str | None) -> datetime.datetime | None:
    return datetime.datetime.fromisoformat(value) if value else None


def parse_date(value: str | None) -> datetime.date | None:
    return datetime.date.fromisoformat(value) if value else None


def document_key(registry_code: str, year: int, number: int) -> dict:
    return {"registry": registry_code, "year": year, "number": number}


def key_tuple(key: dict | None) -> tuple:
    """A sortable, hashable form of a natural key."""
    return tuple(sorted((key or {}).items()))


@contextlib.contextmanager
def quiet_bagit():
    """bagit-python logs every file it moves and hashes at INFO; keep the logs readable."""
    logger = logging.getLogger("bagit")
    level = logger.level
    logger.setLevel(logging.WARNING)
    try:
        yield
    finally:
        logger.setLevel(level)


# --- packaging for download ----------------------------------------------------------------


def package(bag_dir: Path, fmt: str, target: Path) -> Path:
    """Write the bag as one .zip (stored: PDFs and scans are already compressed) or .tar,
    with every path under the bag's own directory name."""
    bag_dir = Path(bag_dir)
    root = bag_dir.name
    paths = sorted(p for p in bag_dir.rglob("*") if p.is_file())
    if fmt == "zip":
        with zipfile.ZipFile(target, "w", zipfile.ZIP_STORED, allowZip64=True) as archive:
            for path in paths:
                archive.write(path, f"{root}/{path.relative_to(bag_dir).as_posix()}")
    elif fmt == "tar":
        with tarfile.open(target, "w", format=tarfile.PAX_FORMAT) as archive:
            for path in paths:
                archive.add(path, f"{root}/{path.relative_to(bag_dir).as_posix()}")
    else:
        raise ValueError(f"Unknown package format {fmt!r}")
    return target


class UnsafeArchiveError(ValueError):
    """A packaged bag with a member that would land outside the folder it is unpacked in."""


def _safe_member(name: str) -> PurePosixPath:
    path = PurePosixPath(name.replace("\\", "/"))
    if path.is_absolute() or ".." in path.parts or not path.parts:
        raise UnsafeArchiveError(name)
    return path


def unpack(source: Path, target: Path) -> Path:
    """Unpack a .zip or .tar bag into ``target`` and return the bag's directory.

    Refuses links, devices and paths leaving ``target``. A directory is returned as is.
    """
    source = Path(source)
    if source.is_dir():
        return source
    target.mkdir(parents=True, exist_ok=True)
    if zipfile.is_zipfile(source):
        with zipfile.ZipFile(source) as archive:
            for info in archive.infolist():
                member = _safe_member(info.filename)
                if info.is_dir():
                    continue
                dest = target.joinpath(*member.parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                with archive.open(info) as src, open(dest, "wb") as out:
                    shutil.copyfileobj(src, out, 1024 * 1024)
    elif tarfile.is_tarfile(source):
        with tarfile.open(source) as archive:
            for info in archive.getmembers():
                member = _safe_member(info.name)
                if info.isdir():
                    continue
                if not info.isfile():
                    raise UnsafeArchiveError(info.name)
                dest = target.joinpath(*member.parts)
                dest.parent.mkdir(parents=True, exist_ok=True)
                src = archive.extractfile(info)
                with src, open(dest, "wb") as out:
                    shutil.copyfileobj(src, out, 1024 * 1024)
    else:
        raise UnsafeArchiveError(source.name)
    entries = [p for p in target.iterdir()]
    if len(entries) == 1 and entries[0].is_dir() and not (target / "bagit.txt").exists():
        return entries[0]
    return target
