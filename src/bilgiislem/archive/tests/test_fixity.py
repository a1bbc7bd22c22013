"""Fixity checks (issue 5 point 7): every damaged file is found, no intact one is accused.

Real blobs in a temporary store, real database rows, real hashing: the files are damaged on
disk the ways a disk or a person damages them (a flipped bit, truncation, deletion,
replacement, bytes appended).
"""

import datetime
import hashlib
import io
import os
import random

import pytest
from django.core import mail
from django.utils import timezone

from bilgiislem.archive.choices import FixityProblem, FixityRunKind
from bilgiislem.archive.models import FixityIssue, FixityRun, FixityState
from bilgiislem.archive.services import fixity
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.registry.models import DocumentFile
from bilgiislem.registry.tests.factories import english, media, person, register  # noqa: F401

pytestmark = pytest.mark.django_db

T0 = datetime.datetime(2026, 3, 2, 2, 30, tzinfo=datetime.UTC)


def add_files(document, count, *, seed=1, sizes=(1, 700, 4096, 70_000, 1_300_000)):
    """``count`` stored blobs of mixed sizes, each a file of ``document``."""
    rng = random.Random(seed)
    clerk = person("kalem")
    rows = []
    for i in range(count):
        size = sizes[i % len(sizes)] + rng.randrange(50)
        stored = storage.store_stream(io.BytesIO(rng.randbytes(size)), max_bytes=2**40)
        rows.append(
            DocumentFile(
                document=document,
                role="annex",
                filename=f"ek-{i}.pdf",
                content_type="application/pdf",
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by=clerk,
            )
        )
    return DocumentFile.objects.bulk_create(rows)


@pytest.fixture
def document(media):  # noqa: F811
    return register(subject="Fixity denemesi")


def _flip_bit(path):
    data = bytearray(path.read_bytes())
    data[len(data) // 2] ^= 0x01
    path.write_bytes(bytes(data))


def _truncate(path):
    data = path.read_bytes()
    path.write_bytes(data[: max(0, len(data) - 1)])


def _replace(path):
    path.write_bytes(b"%PDF-1.4 another file altogether\n")


def _append(path):
    with path.open("ab") as handle:
        handle.write(b"\x00")


def _delete(path):
    path.unlink()


DAMAGE = [_flip_bit, _truncate, _replace, _append, _delete, _flip_bit, _delete, _truncate]


def test_every_damaged_file_is_found_and_no_intact_one(
    document, settings, django_capture_on_commit_callbacks
):
    settings.BILGIISLEM_FIXITY_ALERT_TO = ["memur", "noc@karasu.bel.tr"]
    files = add_files(document, 48)
    damaged = {}
    for damage, row in zip(DAMAGE, random.Random(7).sample(files, len(DAMAGE)), strict=True):
        damage(storage.blob_path(row.sha256))
        damaged[row.sha256] = FixityProblem.MISSING if damage is _delete else FixityProblem.MISMATCH

    with django_capture_on_commit_callbacks(execute=True):
        result = fixity.fixity_run(FixityRunKind.FULL, now=T0)

    expected = {f.sha256 for f in files} | {f.sha256 for f in document.files.all()}
    assert result.checked == len(expected)
    found = {i.sha256: i.problem for i in FixityIssue.objects.filter(resolved_at__isnull=True)}
    assert found == damaged  # 100 % found, no false alarm
    states = dict(FixityState.objects.values_list("sha256", "last_ok"))
    assert set(states) == expected
    assert {s for s, ok in states.items() if not ok} == set(damaged)
    run = FixityRun.objects.get()
    assert (run.files_checked, run.problems) == (len(expected), len(damaged))
    assert run.bytes_checked == result.bytes

    # Audited: each problem, the run, and one alert naming the Director and the admins.
    assert AuditEvent.objects.filter(action="archive.fixity.problem_found").count() == 8
    alert = AuditEvent.objects.get(action="archive.fixity.alert_sent")
    assert set(alert.changes["recipients"]) == {"mudur", "memur", "noc@karasu.bel.tr"}
    assert len(alert.changes["issues"]) == 8
    assert len(mail.outbox) == 1
    assert "noc@karasu.bel.tr" in mail.outbox[0].to
    assert all(sha in mail.outbox[0].body for sha in damaged)

    # A second run finds the same problems but opens nothing twice and alerts no one again.
    again = fixity.fixity_run(FixityRunKind.FULL, now=T0 + datetime.timedelta(days=1))
    assert len(again.problems) == 8 and again.new_issues == []
    assert FixityIssue.objects.count() == 8
    assert AuditEvent.objects.filter(action="archive.fixity.alert_sent").count() == 1


def test_cycle_checks_every_file_within_the_cycle(document, settings):
    settings.BILGIISLEM_FIXITY_CYCLE_DAYS = 10
    add_files(document, 29, sizes=(100,))

    first = fixity.fixity_run(FixityRunKind.CYCLE, now=T0)
    n = FixityState.objects.count()
    assert first.checked == n  # nothing checked yet: everything is overdue

    share = -(-n // 10)
    for day in range(1, 26):
        now = T0 + datetime.timedelta(days=day)
        result = fixity.fixity_run(FixityRunKind.CYCLE, now=now)
        assert result.checked >= share
        oldest = FixityState.objects.order_by("last_checked_at").first().last_checked_at
        assert now - oldest <= datetime.timedelta(days=10)
    assert FixityIssue.objects.count() == 0


def test_cycle_takes_the_longest_unchecked_first(document):
    add_files(document, 5, sizes=(10,))
    fixity.sync_states()
    states = list(FixityState.objects.order_by("id"))
    for age, state in enumerate(states):
        state.last_checked_at = T0 - datetime.timedelta(days=age)
        state.last_ok = True
        state.save()
    result = fixity.fixity_run(FixityRunKind.CYCLE, limit=2, now=T0)
    assert result.checked == 2
    checked = set(FixityState.objects.filter(last_checked_at=T0).values_list("sha256", flat=True))
    # The two oldest were the last two (plus the newest one, checked at T0 already).
    assert {s.sha256 for s in states[-2:]} <= checked


def test_sample_checks_the_configured_number(document, settings):
    settings.BILGIISLEM_FIXITY_SAMPLE = 4
    add_files(document, 12, sizes=(10,))
    assert fixity.fixity_run(FixityRunKind.SAMPLE, now=T0).checked == 4


def test_disposed_records_files_are_not_expected(document):
    from bilgiislem.archive.choices import DisposalState
    from bilgiislem.archive.models import ArchivedRecord, FilePlanCode, FilePlanVersion, Folder

    (row,) = add_files(document, 1)
    version = FilePlanVersion.objects.create(name="Test", effective_from=datetime.date(2024, 1, 1))
    code = FilePlanCode.objects.create(
        version=version, code="901", title="X", unit_years=1, institution_years=1,
        disposition="destroy",
    )  # fmt: skip
    folder = Folder.objects.create(unit=document.registry, code=code, year=2020, title="X")
    fixity.sync_states()
    assert FixityState.objects.filter(sha256=row.sha256).exists()
    # Inserted directly as disposed (the disposal service's path is tested with disposal).
    ArchivedRecord.objects.create(
        document=document,
        folder=folder,
        archived_at=timezone.now(),
        manifest_sha256="0" * 64,
        disposal_state=DisposalState.DISPOSED,
    )
    storage.blob_path(row.sha256).unlink()
    result = fixity.fixity_run(FixityRunKind.FULL, now=T0)
    assert result.problems == [] and not FixityIssue.objects.exists()
    assert not FixityState.objects.filter(sha256=row.sha256).exists()


def test_extra_references_from_the_setting(media, settings):  # noqa: F811
    """A higher app's blobs are checked once named in BILGIISLEM_FIXITY_REFERENCES."""
    from bilgiislem.organization.models import Institution

    settings.BILGIISLEM_FIXITY_REFERENCES = ["organization.Institution.letterhead", "no.Such.x"]
    stored = storage.store_stream(io.BytesIO(b"letterhead blob"), max_bytes=100)
    Institution.objects.update(letterhead=stored.sha256)
    assert stored.sha256 in fixity.expected_files()
    storage.blob_path(stored.sha256).unlink()
    result = fixity.fixity_run(FixityRunKind.FULL, now=T0)
    assert [i.sha256 for i in result.new_issues] == [stored.sha256]


@pytest.mark.usefixtures("english")
def test_resolve_needs_a_note_and_an_overseer(document):
    (row,) = add_files(document, 1)
    storage.blob_path(row.sha256).unlink()
    (issue,) = fixity.fixity_run(FixityRunKind.FULL, now=T0).new_issues

    with pytest.raises(PermissionDeniedError):
        fixity.fixity_issue_resolve(actor=person("memur"), issue=issue, note="ok")
    with pytest.raises(DomainError) as exc:
        fixity.fixity_issue_resolve(actor=person("mudur"), issue=issue, note="  ")
    assert "resolution" in exc.value.errors
    issue.refresh_from_db()
    assert issue.resolved_at is None

    fixity.fixity_issue_resolve(actor=person("mudur"), issue=issue, note="Yedekten bakıldı.")
    issue.refresh_from_db()
    assert issue.resolved_by == person("mudur") and issue.resolution == "Yedekten bakıldı."
    event = AuditEvent.objects.get(action="archive.fixity.issue_resolved")
    assert event.changes["verifies_now"] is False and event.reason == "Yedekten bakıldı."
    with pytest.raises(DomainError):
        fixity.fixity_issue_resolve(actor=person("mudur"), issue=issue, note="again")


def test_a_later_good_check_does_not_close_the_issue(document):
    (row,) = add_files(document, 1, sizes=(5000,))
    path = storage.blob_path(row.sha256)
    good = path.read_bytes()
    _flip_bit(path)
    fixity.fixity_run(FixityRunKind.FULL, now=T0)
    path.write_bytes(good)  # put back by hand
    result = fixity.fixity_run(FixityRunKind.FULL, now=T0 + datetime.timedelta(days=1))
    assert result.problems == []
    assert FixityIssue.objects.get().resolved_at is None
    assert FixityState.objects.get(sha256=row.sha256).last_ok is True


def test_restore_puts_a_verified_copy_back_and_closes_the_issue(document):
    (row,) = add_files(document, 1, sizes=(20_000,))
    path = storage.blob_path(row.sha256)
    good = path.read_bytes()
    _flip_bit(path)
    damaged = path.read_bytes()
    fixity.fixity_run(FixityRunKind.FULL, now=T0)

    with pytest.raises(DomainError) as exc:  # a copy of something else restores nothing
        fixity.fixity_restore(actor=person("mudur"), fileobj=io.BytesIO(b"other"))
    assert "file" in exc.value.errors
    assert path.read_bytes() == damaged

    issue = fixity.fixity_restore(actor=person("mudur"), fileobj=io.BytesIO(good))
    assert issue.resolved_at is not None
    assert hashlib.sha256(path.read_bytes()).hexdigest() == row.sha256
    quarantined = list((storage.blob_root() / "quarantine").iterdir())
    assert [p.read_bytes() for p in quarantined] == [damaged]
    assert AuditEvent.objects.filter(action="archive.fixity.file_restored").count() == 1
    assert fixity.fixity_run(FixityRunKind.FULL, now=T0).problems == []


def test_unreadable_file_is_a_problem(document):
    if os.geteuid() == 0:
        pytest.skip("root reads anything")
    (row,) = add_files(document, 1)
    storage.blob_path(row.sha256).chmod(0)
    result = fixity.fixity_run(FixityRunKind.FULL, now=T0)
    assert [i.problem for i in result.new_issues] == [FixityProblem.MISMATCH]


def test_work_items_for_overseers_only(document, settings):
    from bilgiislem.archive.work_fixity import work_items_for

    settings.BILGIISLEM_FIXITY_ALERT_TO = ["yazilim"]
    (row,) = add_files(document, 1)
    storage.blob_path(row.sha256).unlink()
    fixity.fixity_run(FixityRunKind.FULL, now=T0)
    assert len(work_items_for(person("mudur"))) == 1
    assert len(work_items_for(person("yazilim"))) == 1
    assert work_items_for(person("memur")) == []
    assert work_items_for(person("arsiv")) == []


def test_coverage_counts_the_cycle(document, settings):
    settings.BILGIISLEM_FIXITY_CYCLE_DAYS = 90
    add_files(document, 3, sizes=(10,))
    fixity.fixity_run(FixityRunKind.FULL, now=timezone.now() - datetime.timedelta(days=100))
    assert fixity.coverage()["percent"] == 0.0
    fixity.fixity_run(FixityRunKind.FULL, limit=2)
    cov = fixity.coverage()
    assert cov["checked_in_cycle"] == 2 and cov["files"] == 3


def test_blob_file_is_the_storage_layout(media):  # noqa: F811
    sha = hashlib.sha256(b"x").hexdigest()
    root = os.fspath(storage.blob_root())
    assert fixity._blob_file(root, sha) == str(storage.blob_path(sha))


def test_command_runs_and_fails_on_a_problem(document):
    from django.core.management import CommandError, call_command

    (row,) = add_files(document, 1)
    out = io.StringIO()
    call_command("archive_fixity", "--kind", "full", stdout=out)
    assert "0 problems" in out.getvalue()
    path = storage.blob_path(row.sha256)
    good = path.read_bytes()
    path.unlink()
    with pytest.raises(CommandError):
        call_command("archive_fixity", "--kind", "full", stdout=io.StringIO())
    backup = storage.blob_root().parent / "backup.bin"
    backup.write_bytes(good)
    out = io.StringIO()
    call_command("archive_fixity", "--restore", str(backup), "--actor", "mudur", stdout=out)
    assert "closed" in out.getvalue()
    assert FixityIssue.objects.get().resolved_by == person("mudur")


def test_the_nightly_task_runs_the_cycle_and_a_sample(document, settings):
    from bilgiislem.archive.tasks import check_fixity

    settings.BILGIISLEM_FIXITY_SAMPLE = 3
    add_files(document, 6, sizes=(10,))
    result = check_fixity.call_local()
    assert result == {"cycle": FixityState.objects.count(), "sample": 3, "problems": 0}
    assert list(FixityRun.objects.values_list("kind", flat=True).order_by("id")) == [
        FixityRunKind.CYCLE,
        FixityRunKind.SAMPLE,
    ]
