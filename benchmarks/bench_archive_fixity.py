"""Figures for fixity and export (issue 5, "Performance").

- ``archive.fixity_ratio``: throughput of ``fixity_run`` (a full run: syncing the expected
  set, hashing every file, recording the results) divided by plain ``hashlib.sha256`` over
  the same files (read in 1 MiB chunks, nothing else), in the same run. Goal ≥ 0.8. Both
  read from the page cache (the files were just written); each is measured ROUNDS times,
  alternately, and the best of each is kept.
- ``archive.export_mb_s``: payload MB per second of ``export_bag`` for one folder holding
  every file: copying, bagging (SHA-256 + SHA-512 manifests), validating, recording.

Environment: BENCH_FIXITY_FILES (default 2,000 files, ~300 MB of mixed sizes), BENCH_SEED.
"""

import datetime
import hashlib
import os
import random
import shutil
import tempfile
import time
from pathlib import Path

ROUNDS = 3
DOCS_FILES = 10  # files per document
KIB = 1024


def _ensure_org():
    from django.conf import settings

    from bilgiislem.organization.loading import demo_load, organization_load
    from bilgiislem.organization.models import Person

    if not Person.objects.filter(username="mudur").exists():
        organization_load(settings.BILGIISLEM_ORGANIZATION_FILE)
        demo_load(settings.BILGIISLEM_ORGANIZATION_FILE)


def _size(rng: random.Random) -> int:
    """Mixed sizes, as scans and letters come: mostly small, some medium, a few large."""
    roll = rng.random()
    if roll < 0.6:
        return rng.randrange(10 * KIB, 60 * KIB)
    if roll < 0.9:
        return rng.randrange(100 * KIB, 300 * KIB)
    return rng.randrange(512 * KIB, 1024 * KIB)


def _make_files(count: int, rng: random.Random) -> list[tuple[str, int]]:
    """Blobs written straight into the store's layout (no fsync: setup, not measured)."""
    from bilgiislem.core import storage

    made = []
    for _ in range(count):
        data = rng.randbytes(_size(rng))
        sha = hashlib.sha256(data).hexdigest()
        path = storage.blob_path(sha)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
        made.append((sha, len(data)))
    return made


def _make_records(files: list[tuple[str, int]]):
    """One folder of documents, DOCS_FILES files each, rows made in bulk."""
    from django.utils import timezone

    from bilgiislem.archive.models import FilePlanCode, FilePlanVersion, Filing, Folder
    from bilgiislem.organization.models import OrgUnit, Person
    from bilgiislem.registry.models import Document, DocumentFile

    unit = OrgUnit.objects.get(code="bilgi-islem")
    clerk = Person.objects.get(username="kalem")
    now = timezone.now()
    version = FilePlanVersion.objects.create(
        name="Bench plan", effective_from=datetime.date(2024, 1, 1)
    )
    code = FilePlanCode.objects.create(
        version=version,
        code="700.99",
        title="Bench",
        unit_years=2,
        institution_years=8,
        disposition="destroy",
    )
    folder = Folder.objects.create(unit=unit, code=code, year=2025, title="Bench folder")
    documents = Document.objects.bulk_create(
        Document(
            registry=unit,
            registry_year=2025,
            registry_number=100_000 + i,
            direction="incoming",
            medium="electronic",
            registered_at=now,
            registered_by=clerk,
            party_kind="company",
            party_name="Sakarya Bilişim A.Ş.",
            subject=f"Bench document {i}",
            status="done",
        )
        for i in range(-(-len(files) // DOCS_FILES))
    )
    DocumentFile.objects.bulk_create(
        DocumentFile(
            document=documents[i // DOCS_FILES],
            role="main",
            filename=f"belge-{i}.pdf",
            content_type="application/pdf",
            size=size,
            sha256=sha,
            uploaded_by=clerk,
        )
        for i, (sha, size) in enumerate(files)
    )
    Filing.objects.bulk_create(
        Filing(folder=folder, document=d, is_main=True, filed_by=clerk) for d in documents
    )
    return folder


def _plain_hash(paths: list[tuple[str, str]]) -> float:
    """The baseline: nothing but open, read 1 MiB at a time, hash (paths given)."""
    started = time.perf_counter()
    for sha, path in paths:
        digest = hashlib.sha256()
        with open(path, "rb") as handle:
            while chunk := handle.read(1024 * 1024):
                digest.update(chunk)
        if digest.hexdigest() != sha:
            raise AssertionError(f"baseline: {sha} does not verify")
    return time.perf_counter() - started


def _fixity(expected: int) -> float:
    from bilgiislem.archive.services.fixity import fixity_run

    started = time.perf_counter()
    result = fixity_run("full")
    elapsed = time.perf_counter() - started
    if result.checked != expected or result.problems:
        raise AssertionError(f"fixity: {result.checked} checked, {len(result.problems)} bad")
    return elapsed


def run():
    from django.conf import settings

    from bilgiislem.core import storage

    _ensure_org()
    rng = random.Random(int(os.environ.get("BENCH_SEED", "20261125")))
    count = int(os.environ.get("BENCH_FIXITY_FILES", "2000"))
    media = Path(tempfile.mkdtemp(prefix="bench-fixity-"))
    old_media = settings.MEDIA_ROOT
    settings.MEDIA_ROOT = media
    try:
        t0 = time.perf_counter()
        files = _make_files(count, rng)
        folder = _make_records(files)
        total = sum(size for _sha, size in files)
        print(
            f"# {count} files, {total / 1e6:.0f} MB written in {time.perf_counter() - t0:.1f} s",
            flush=True,
        )
        _fixity(count)  # the first run adds every FixityState row; not measured
        paths = [(sha, str(storage.blob_path(sha))) for sha, _size in files]
        plain, checked = [], []
        for _ in range(ROUNDS):
            plain.append(_plain_hash(paths))
            checked.append(_fixity(count))
        best_plain, best_fixity = min(plain), min(checked)
        print(
            f"# plain sha256 {total / 1e6 / best_plain:.0f} MB/s, "
            f"fixity_run {total / 1e6 / best_fixity:.0f} MB/s",
            flush=True,
        )
        yield "archive.fixity_ratio", round(best_plain / best_fixity, 3), "x"

        out = media / "export"
        started = time.perf_counter()
        from bilgiislem.archive.services.export import export_bag

        result = export_bag(actor=None, dest_dir=out, folders=[folder])
        elapsed = time.perf_counter() - started
        yield "archive.export_mb_s", round(result.bytes / 1e6 / elapsed, 1), "MB/s"
    finally:
        settings.MEDIA_ROOT = old_media
        shutil.rmtree(media, ignore_errors=True)
