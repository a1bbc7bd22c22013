"""Archiving done documents by hand and automatically (RYY art. 13(b)), the manifest, and
corrections as new linked records."""

import datetime
import hashlib
import json

import pytest
import time_machine
from django.db import connection

from bilgiislem.archive import db_records
from bilgiislem.archive.models import ArchivedRecord, Filing, Folder, RecordCorrection
from bilgiislem.archive.services import (
    document_file,
    manifest_of,
    record_archive,
    record_correct,
    record_manifest_matches,
    records_archive_due,
)
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.registry.models import Document
from bilgiislem.registry.tests.factories import register

from .conftest import at, done_document, person

pytestmark = pytest.mark.django_db

DONE_DAY = datetime.date(2026, 3, 2)


def finished(on=DONE_DAY, **kwargs):
    with time_machine.travel(at(on), tick=False):
        return done_document(**kwargs)


def test_archiving_by_hand(file_plan, archive_media):
    document = finished()
    record = record_archive(actor=person("arsiv"), document=document)
    assert record.archived_by == person("arsiv") and record.disposal_state == "kept"
    filing = Filing.objects.get(document=document, is_main=True)
    assert record.folder == filing.folder and record.folder.code.code == "700.01"
    assert Folder.objects.get(pk=record.folder_id).document_count == 1
    event = AuditEvent.objects.get(action="archive.record.archived", object_id=str(record.pk))
    assert event.changes["manifest_sha256"] == record.manifest_sha256
    assert event.changes["automatic"] is False


def test_the_manifest_is_the_hash_of_the_capture_metadata_and_file_hashes(file_plan, archive_media):
    document = finished()
    record = record_archive(actor=person("arsiv"), document=document)
    manifest = manifest_of(document)
    canonical = json.dumps(manifest, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert hashlib.sha256(canonical.encode()).hexdigest() == record.manifest_sha256
    assert manifest["document"]["subject"] == document.subject
    assert manifest["document"]["registry_number"] == document.registry_number
    (file,) = manifest["files"]
    assert file["sha256"] == document.files.get().sha256
    assert record_manifest_matches(record)
    # Someone with database access drops the triggers and swaps a file hash: the manifest
    # no longer matches.
    db_records.uninstall(connection)
    document.files.update(sha256="0" * 64)
    db_records.install(connection)
    assert not record_manifest_matches(ArchivedRecord.objects.get(pk=record.pk))


def test_only_a_done_document_is_archived(file_plan, archive_media):
    with time_machine.travel(at(DONE_DAY), tick=False):
        document = register(sdp_code="700.01")
    with pytest.raises(DomainError) as exc:
        record_archive(actor=person("arsiv"), document=document)
    assert list(exc.value.errors) == ["document"]
    assert not ArchivedRecord.objects.exists()
    assert not Filing.objects.filter(document=document).exists()


def test_archiving_twice_is_refused(file_plan, archive_media):
    document = finished()
    record_archive(actor=person("arsiv"), document=document)
    with pytest.raises(DomainError) as exc:
        record_archive(actor=person("mudur"), document=document)
    assert list(exc.value.errors) == ["document"]
    assert ArchivedRecord.objects.filter(document=document).count() == 1


def test_archiving_with_a_bad_code_writes_nothing(file_plan, archive_media):
    document = finished(sdp_code="")
    for code in ("", "999", "700-799"):
        with pytest.raises(DomainError) as exc:
            record_archive(actor=person("arsiv"), document=document, code=code or None)
        assert list(exc.value.errors) == ["sdp_code"]
    assert not ArchivedRecord.objects.exists() and not Folder.objects.exists()
    record = record_archive(actor=person("arsiv"), document=document, code="807")
    assert record.folder.code.code == "807"


def test_archiving_is_for_the_archive_officer_the_registry_and_the_director(
    file_plan, archive_media
):
    document = finished()
    for username in ("memur", "yaziisleri"):
        with pytest.raises(PermissionDeniedError):
            record_archive(actor=person(username), document=document)
    assert AuditEvent.objects.filter(action="archive.record.archive_refused").count() == 2
    assert not ArchivedRecord.objects.exists()
    record_archive(actor=person("kalem"), document=document)


def test_automatic_archiving_after_the_configured_days(file_plan, archive_media, settings):
    settings.BILGIISLEM_ARCHIVE_AFTER_DAYS = 30
    old = finished(on=DONE_DAY)
    recent = finished(on=DONE_DAY + datetime.timedelta(days=20))
    with time_machine.travel(at(DONE_DAY), tick=False):
        still_open = register(sdp_code="700.01")
    run = records_archive_due(DONE_DAY + datetime.timedelta(days=30))
    assert (run.archived, run.skipped) == (0, [])  # done exactly 30 days ago: not yet
    run = records_archive_due(DONE_DAY + datetime.timedelta(days=31))
    assert run.archived == 1
    record = ArchivedRecord.objects.get(document=old)
    assert record.archived_by is None
    assert not ArchivedRecord.objects.filter(document__in=[recent, still_open]).exists()
    event = AuditEvent.objects.get(action="archive.record.archived", object_id=str(record.pk))
    assert event.actor_repr == "system" and event.changes["automatic"] is True
    # Running again archives nothing twice; later the recent one follows.
    assert records_archive_due(DONE_DAY + datetime.timedelta(days=31)).archived == 0
    assert records_archive_due(DONE_DAY + datetime.timedelta(days=60)).archived == 1


def test_automatic_archiving_skips_what_cannot_be_filed(file_plan, archive_media, settings):
    settings.BILGIISLEM_ARCHIVE_AFTER_DAYS = 10
    bad = finished(sdp_code="999")
    good = finished()
    run = records_archive_due(DONE_DAY + datetime.timedelta(days=11))
    assert run.archived == 1
    assert [pk for pk, _reason in run.skipped] == [bad.pk]
    assert ArchivedRecord.objects.filter(document=good).exists()
    assert not ArchivedRecord.objects.filter(document=bad).exists()


def test_the_daily_task_archives(file_plan, archive_media, settings):
    from bilgiislem.archive.tasks import archive_done_documents

    settings.BILGIISLEM_ARCHIVE_AFTER_DAYS = 0
    document = finished(on=datetime.date(2026, 1, 5))
    result = archive_done_documents.call_local()
    assert result == {"archived": 1, "skipped": 0}
    assert ArchivedRecord.objects.filter(document=document).exists()


def test_the_january_task_closes_last_year(archived_folder, file_plan):
    from bilgiislem.archive.tasks import close_last_years_folders

    with time_machine.travel(at(datetime.date(2025, 6, 1)), tick=False):
        document_file(actor=person("kalem"), document=done_document(sdp_code="807"))
    with time_machine.travel(at(datetime.date(2026, 1, 2), hour=3), tick=False):
        assert close_last_years_folders.call_local() == {"closed": 1}


# --- corrections -----------------------------------------------------------------------------


def test_a_correction_is_a_new_linked_record(archived_folder):
    record = archived_folder.records.order_by("id").first()
    correction = register(subject="Düzeltme: sunucu bakım raporu", sdp_code="700.01")
    link = record_correct(
        actor=person("arsiv"),
        record=record,
        correction_document=correction,
        reason="Rapor tarihi yanlış yazılmış.",
    )
    assert link.original == record and link.correction == correction
    assert RecordCorrection.objects.filter(original=record).count() == 1
    assert Document.objects.get(pk=record.document_id).subject == record.document.subject
    event = AuditEvent.objects.get(action="archive.record.corrected", object_id=str(record.pk))
    assert event.reason == "Rapor tarihi yanlış yazılmış."
    assert event.changes["correction_id"] == correction.pk


def test_correction_bad_input(archived_folder):
    record, other = archived_folder.records.order_by("id")[:2]
    correction = register(subject="Düzeltme")
    with time_machine.travel(at(datetime.date(2024, 6, 3)), tick=False):
        older = register(subject="Eski yazı", document_date=datetime.date(2024, 6, 1))
    cases = [
        ({"correction_document": correction, "reason": " "}, "reason"),
        ({"correction_document": record.document, "reason": "x"}, "correction_document"),
        ({"correction_document": older, "reason": "x"}, "correction_document"),
    ]
    for kwargs, field in cases:
        with pytest.raises(DomainError) as exc:
            record_correct(actor=person("arsiv"), record=record, **kwargs)
        assert list(exc.value.errors) == [field]
    record_correct(actor=person("arsiv"), record=record, correction_document=correction, reason="x")
    with pytest.raises(DomainError) as exc:
        record_correct(
            actor=person("arsiv"), record=other, correction_document=correction, reason="x"
        )
    assert list(exc.value.errors) == ["correction_document"]
    with pytest.raises(PermissionDeniedError):
        record_correct(
            actor=person("memur"),
            record=other,
            correction_document=register(subject="Başka"),
            reason="x",
        )
    assert RecordCorrection.objects.count() == 1
