"""Export as a BagIt bag and import into an installation without the records (issue 5
point 8): the bag validates; export → import → export gives identical files and metadata;
a bag that fails validation is refused and nothing is written.

The "empty installation" is this test database rolled back to a savepoint taken before the
records were made (the organisation, the people and the file plan stay, as they would be
loaded first in a new installation), with a new, empty blob store.
"""

import datetime
import hashlib
import io
import json
import shutil
import zipfile

import bagit
import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction

from bilgiislem.archive import bag
from bilgiislem.archive.models import (
    ArchivedRecord,
    FilePlanCode,
    FilePlanVersion,
    Filing,
    Folder,
)
from bilgiislem.archive.services import document_file, document_file_copy, folders_close_year
from bilgiislem.archive.services import record_archive as archive_record
from bilgiislem.archive.services.bag_import import bag_import
from bilgiislem.archive.services.export import export_bag
from bilgiislem.archive.services.fixity import expected_files
from bilgiislem.audit.chain import event_hash
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization.models import OrgUnit, Person
from bilgiislem.registry.models import Annex, Document, DocumentFile, Reference, RegistryCounter
from bilgiislem.registry.tests.factories import english  # noqa: F401

from .conftest import at, done_document, pdf_bytes, person

pytestmark = pytest.mark.django_db

YEAR = 2025


@pytest.fixture
def savepoint(db):
    """Taken before anything else the test makes: rolling back to it empties the records."""
    return transaction.savepoint()


@pytest.fixture
def folder(savepoint, file_plan, archive_media):
    """The 2025 folder 700.01 of Bilgi İşlem: two archived documents (one with a file annex
    and a reference to the other), one only filed, one filed as a copy in a second folder."""
    with time_machine.travel(at(datetime.date(YEAR, 3, 10)), tick=False):
        first = done_document(subject="Sunucu bakım raporu")
        annex = SimpleUploadedFile("ek-1.pdf", pdf_bytes("Ek liste"), "application/pdf")
        second = done_document(
            subject="Ağ anahtarı arıza kaydı — ışık, şube, İĞDE",
            annexes=[{"kind": "file", "description": "Arıza listesi", "upload": annex}],
            references=[
                {"referenced": first, "sayi": first.sayi, "date": datetime.date(YEAR, 3, 1)},
                {"description": "Telefonla bildirim"},
            ],
        )
        third = done_document(subject="Yedekleme denetimi")
    with time_machine.travel(at(datetime.date(YEAR, 4, 15)), tick=False):
        archive_record(actor=person("arsiv"), document=first)
        archive_record(actor=person("arsiv"), document=second)
        document_file(actor=person("arsiv"), document=third)
        document_file_copy(actor=person("arsiv"), document=third, code="020")
    with time_machine.travel(at(datetime.date(YEAR + 1, 1, 2), hour=3), tick=False):
        folders_close_year(year=YEAR)
    return Folder.objects.select_related("unit", "code__version").get(
        unit__code="bilgi-islem", code__code="700.01", year=YEAR
    )


def _tree(root) -> dict:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _counts() -> dict:
    models = (Document, DocumentFile, Annex, Reference, Folder, Filing, ArchivedRecord)
    counts = {m.__name__: m.objects.count() for m in models}
    counts.update(
        events=AuditEvent.objects.count(),
        people=Person.objects.count(),
        plans=FilePlanVersion.objects.count(),
        codes=FilePlanCode.objects.count(),
        counters=list(RegistryCounter.objects.values_list("registry_id", "year", "last_number")),
    )
    return counts


def _blobs(root) -> list:
    if not root.exists():
        return []
    return [p for p in root.rglob("*") if p.is_file() and p.relative_to(root).parts[0] != "tmp"]


def _fresh_store(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media-new"
    return tmp_path / "media-new" / "blobs"


def test_export_writes_a_valid_bag(folder, tmp_path):
    result = export_bag(actor=person("arsiv"), dest_dir=tmp_path / "bag", folders=[folder])

    loaded = bagit.Bag(str(result.path))
    assert loaded.validate()
    assert set(loaded.algorithms) == {"sha256", "sha512"}
    assert loaded.info["Source-Organization"] == "Karasu Belediyesi"
    assert loaded.info["Document-Count"] == "3" and loaded.info["Folder-Count"] == "1"
    assert loaded.info["Exported-By"] == "arsiv"
    data = result.path / "data"
    documents = json.loads((data / "metadata" / "documents.json").read_text())
    assert [d["subject"] for d in documents][:2] == [
        "Sunucu bakım raporu",
        "Ağ anahtarı arıza kaydı — ışık, şube, İĞDE",
    ]
    files = json.loads((data / "metadata" / "files.json").read_text())
    assert len(files) == 4  # three main PDFs and one annex
    for row in files:
        payload = (result.path / row["path"]).read_bytes()
        assert hashlib.sha256(payload).hexdigest() == row["sha256"]
    filings = json.loads((data / "metadata" / "filings.json").read_text())
    assert {f["folder"]["code"] for f in filings} == {"700.01"}  # the copy's folder stays out
    records = json.loads((data / "metadata" / "records.json").read_text())
    assert len(records) == 2
    codes = json.loads((data / "metadata" / "file_plan.json").read_text())["codes"]
    assert "700.01" in {c["code"] for c in codes}
    events = [json.loads(line) for line in (data / "audit" / "events.jsonl").open()]
    actions = {e["action"] for e in events}
    assert "registry.document.registered" in actions
    for event in events:  # each event re-checks against its own hash
        values = dict(event, occurred_at=datetime.datetime.fromisoformat(event["occurred_at"]))
        assert event_hash(values) == event["hash"]
    exported = AuditEvent.objects.get(action="archive.bag.exported")
    assert exported.actor == person("arsiv") and exported.changes["documents"] == 3


def test_export_by_year_and_unit_and_as_packages(folder, tmp_path):
    by_year = export_bag(actor=person("mudur"), dest_dir=tmp_path / "y", year=YEAR)
    assert by_year.folders == 2  # 700.01 and the copy's 020
    unit = OrgUnit.objects.get(code="bilgi-islem")
    by_unit = export_bag(actor=None, dest_dir=tmp_path / "u", unit=unit)
    assert by_unit.folders == 2 and by_unit.documents == 3
    zipped = bag.package(by_unit.path, "zip", tmp_path / "u.zip")
    tarred = bag.package(by_unit.path, "tar", tmp_path / "u.tar")
    for packaged in (zipped, tarred):
        unpacked = bag.unpack(packaged, tmp_path / f"x-{packaged.suffix[1:]}")
        assert bagit.Bag(str(unpacked)).validate()
        assert _tree(unpacked) == _tree(by_unit.path)


@pytest.mark.usefixtures("english")
def test_export_is_for_the_keepers_only(folder, tmp_path):
    with pytest.raises(PermissionDeniedError):
        export_bag(actor=person("memur"), dest_dir=tmp_path / "a", folders=[folder])
    with pytest.raises(PermissionDeniedError):
        export_bag(actor=person("yaziisleri.mudur"), dest_dir=tmp_path / "b", unit=folder.unit)
    with pytest.raises(DomainError) as exc:
        export_bag(actor=person("memur"), dest_dir=tmp_path / "c", year=YEAR)
    assert "scope" in exc.value.errors
    with pytest.raises(DomainError):
        export_bag(actor=person("mudur"), dest_dir=tmp_path / "d")
    assert not any((tmp_path / n).exists() for n in "abcd")
    assert not AuditEvent.objects.filter(action="archive.bag.exported").exists()


def test_export_refuses_a_damaged_file_and_leaves_nothing(folder, tmp_path):
    sha = DocumentFile.objects.filter(document__filings__folder=folder).first().sha256
    path = storage.blob_path(sha)
    path.write_bytes(path.read_bytes()[:-1] + b"X")
    with pytest.raises(DomainError) as exc:
        export_bag(actor=None, dest_dir=tmp_path / "bag", folders=[folder])
    assert sha in str(exc.value)
    assert not (tmp_path / "bag").exists()
    path.unlink()
    with pytest.raises(DomainError):
        export_bag(actor=None, dest_dir=tmp_path / "bag", folders=[folder])
    assert not (tmp_path / "bag").exists()


def test_round_trip_gives_identical_files_and_metadata(savepoint, folder, tmp_path, settings):
    first = export_bag(actor=None, dest_dir=tmp_path / "first", folders=[folder])
    numbers = list(
        Document.objects.filter(filings__folder=folder).values_list("registry_number", flat=True)
    )
    transaction.savepoint_rollback(savepoint)
    assert not Folder.objects.filter(year=YEAR).exists() and not Document.objects.exists()
    blobs = _fresh_store(settings, tmp_path)

    packaged = bag.package(first.path, "zip", tmp_path / "first.zip")
    result = bag_import(actor=None, path=packaged)

    assert (result.documents, result.files, result.folders) == (3, 4, 1)
    assert (result.filings, result.records, result.people_created) == (3, 2, [])
    imported = Folder.objects.get(unit__code="bilgi-islem", code__code="700.01", year=YEAR)
    second = export_bag(actor=None, dest_dir=tmp_path / "second", folders=[imported])
    one, two = _tree(first.path / "data"), _tree(second.path / "data")
    for name in bag.METADATA:
        key = f"metadata/{name}.json"
        assert one[key] == two[key], name
    files_one = {k: v for k, v in one.items() if k.startswith("files/")}
    assert files_one == {k: v for k, v in two.items() if k.startswith("files/")}
    assert len(_blobs(blobs)) == 4 + 1  # the files, and the bag's audit events kept as data

    # The foreign events are kept as a blob (checked by fixity), not added to our chain.
    event = AuditEvent.objects.get(action="archive.bag.imported")
    events_sha = hashlib.sha256(one["audit/events.jsonl"]).hexdigest()
    assert event.changes["events_sha256"] == events_sha
    assert event.changes["events"] == event.changes["events_verified"] > 0
    assert storage.open_verified(events_sha) == one["audit/events.jsonl"]
    assert events_sha in expected_files()
    assert not AuditEvent.objects.filter(action="registry.document.registered").exists()
    assert AuditEvent.objects.filter(action="archive.document.imported").count() == 3

    # Registry numbers are kept, and the counter moved past them.
    registry = OrgUnit.objects.get(code="bilgi-islem")
    counter = RegistryCounter.objects.get(registry=registry, year=YEAR)
    assert sorted(numbers) == sorted(Document.objects.values_list("registry_number", flat=True))
    assert counter.last_number >= max(numbers)

    # Importing the same bag again is refused: the records are here now.
    before = _counts()
    with pytest.raises(DomainError) as exc:
        bag_import(actor=None, path=packaged)
    assert "bag" in exc.value.errors
    assert _counts() == before


def test_import_creates_missing_people_as_accounts_that_cannot_log_in(
    savepoint, folder, tmp_path, settings
):
    first = export_bag(actor=None, dest_dir=tmp_path / "bag", folders=[folder])
    transaction.savepoint_rollback(savepoint)
    _fresh_store(settings, tmp_path)
    # The archive officer of those years has left: rename them in the bag and re-bag it.
    for path in (first.path / "data" / "metadata").iterdir():
        path.write_text(path.read_text().replace('"arsiv"', '"h.arslan"'))
    bagit.Bag(str(first.path)).save(manifests=True)

    result = bag_import(actor=person("mudur"), path=first.path)

    assert result.people_created == ["h.arslan"]
    created = Person.objects.get(username="h.arslan")
    assert not created.has_usable_password() and created.last_name == "Arslan"
    assert ArchivedRecord.objects.filter(archived_by=created).count() == 2
    assert AuditEvent.objects.filter(action="organization.person.created").exists()


def _exported(savepoint, folder, tmp_path, settings):
    result = export_bag(actor=None, dest_dir=tmp_path / "bag", folders=[folder])
    transaction.savepoint_rollback(savepoint)
    blobs = _fresh_store(settings, tmp_path)
    return result.path, blobs


def _change_a_file(root):
    path = next((root / "data" / "files").iterdir())
    data = bytearray(path.read_bytes())
    data[10] ^= 0x20
    path.write_bytes(bytes(data))


def _remove_a_file(root):
    next((root / "data" / "files").iterdir()).unlink()


def _add_a_file(root):
    (root / "data" / "files" / "extra.txt").write_text("not in the manifest")


def _change_metadata(root):
    path = root / "data" / "metadata" / "documents.json"
    path.write_text(path.read_text().replace("Sunucu", "Sunucu (değişti)"))


def _change_bag_info(root):
    path = root / "bag-info.txt"
    path.write_text(path.read_text().replace("Karasu", "Başka"))


def _not_a_bag(root):
    (root / "bagit.txt").unlink()


@pytest.mark.parametrize(
    "tamper",
    [_change_a_file, _remove_a_file, _add_a_file, _change_metadata, _change_bag_info, _not_a_bag],
)
@pytest.mark.usefixtures("english")
def test_a_bag_that_fails_validation_is_refused_and_nothing_written(
    savepoint, folder, tmp_path, settings, tamper
):
    root, blobs = _exported(savepoint, folder, tmp_path, settings)
    tamper(root)
    before = _counts()

    with pytest.raises(DomainError) as exc:
        bag_import(actor=None, path=root)

    assert list(exc.value.errors) == ["bag"]
    assert "nothing was imported" in str(exc.value)
    assert _counts() == before
    assert _blobs(blobs) == []


@pytest.mark.usefixtures("english")
def test_an_unsafe_package_is_refused(savepoint, folder, tmp_path, settings):
    root, blobs = _exported(savepoint, folder, tmp_path, settings)
    evil = tmp_path / "evil.zip"
    shutil.copy(bag.package(root, "zip", tmp_path / "ok.zip"), evil)
    with zipfile.ZipFile(evil, "a") as archive:
        archive.writestr("../../escaped.txt", "x")
    before = _counts()
    with pytest.raises(DomainError) as exc:
        bag_import(actor=None, path=evil)
    assert "unpacked safely" in str(exc.value)
    assert not (tmp_path.parent / "escaped.txt").exists()
    assert _counts() == before and _blobs(blobs) == []


@pytest.mark.usefixtures("english")
def test_import_needs_the_units_first(savepoint, folder, tmp_path, settings):
    root, blobs = _exported(savepoint, folder, tmp_path, settings)
    OrgUnit.objects.filter(code="bilgi-islem").update(code="bilgi-islem-eski")
    before = _counts()
    with pytest.raises(DomainError) as exc:
        bag_import(actor=None, path=root)
    assert "bilgi-islem" in str(exc.value) and "organisation data file" in str(exc.value)
    assert _counts() == before and _blobs(blobs) == []


def test_a_failure_while_writing_leaves_no_row_and_no_blob(
    savepoint, folder, tmp_path, settings, monkeypatch
):
    """Blobs are written inside the import's transaction; a failure after them removes them."""
    root, blobs = _exported(savepoint, folder, tmp_path, settings)
    before = _counts()

    def fail(*args, **kwargs):
        raise RuntimeError("disk full")

    monkeypatch.setattr(ArchivedRecord.objects, "create", fail)
    with pytest.raises(RuntimeError):
        bag_import(actor=None, path=root)
    assert _counts() == before
    assert _blobs(blobs) == []


def test_bytes_of_disposed_content_are_not_exported(folder, tmp_path):
    from bilgiislem.archive.choices import DisposalState

    record = ArchivedRecord.objects.filter(folder=folder).first()
    # The disposal guard allows this only through an approved list; here the state is
    # written as the disposal service leaves it, to check what the export does with it.
    with transaction.atomic():
        from django.db import connection

        from bilgiislem.archive import db_disposal

        db_disposal.uninstall(connection)
        ArchivedRecord.objects.filter(pk=record.pk).update(disposal_state=DisposalState.DISPOSING)
        db_disposal.install(connection)
    result = export_bag(actor=None, dest_dir=tmp_path / "bag", folders=[folder])
    files = json.loads((result.path / "data" / "metadata" / "files.json").read_text())
    gone = [f for f in files if f["document"]["number"] == record.document.registry_number]
    assert gone and all(f["path"] is None for f in gone)
    shipped = {p.name for p in (result.path / "data" / "files").iterdir()}
    assert not {f["sha256"] for f in gone} & shipped


def test_dumps_is_canonical():
    assert bag.dumps({"b": 1, "a": "ş"}) == bag.dumps({"a": "ş", "b": 1})
    assert bag.dumps({"a": "ş"}).decode() == '{\n "a": "ş"\n}\n'
    assert io.BytesIO(bag.dumps([])).read() == b"[]\n"


def test_commands_export_and_import(savepoint, folder, tmp_path, settings):
    from django.core.management import CommandError, call_command

    out = io.StringIO()
    dest = tmp_path / "cmd-bag"
    call_command("archive_export", str(dest), "--folder", str(folder.pk), "--package", "tar",
                 stdout=out)  # fmt: skip
    assert "valid" in out.getvalue() and (tmp_path / "cmd-bag.tar").exists()
    with pytest.raises(CommandError):
        call_command("archive_export", str(tmp_path / "none"), stdout=io.StringIO())
    transaction.savepoint_rollback(savepoint)
    _fresh_store(settings, tmp_path)
    out = io.StringIO()
    call_command("archive_import", str(tmp_path / "cmd-bag.tar"), stdout=out)
    assert "3 documents" in out.getvalue()
    with pytest.raises(CommandError, match=r"already in this installation|zaten var"):
        call_command("archive_import", str(tmp_path / "cmd-bag.tar"), stdout=io.StringIO())
