"""Carrying out an approved disposal list (issue 5 point 6): every copy of the bytes goes
(storage, extracted text, search index) while the metadata, the list, the approvals, the
minute and the audit trail stay; a held or keep-permanently folder refuses the whole run."""

# Fixtures come from disposal_support by import, so test arguments shadow them by design.
# ruff: noqa: F811

import datetime
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from bilgiislem.archive.choices import DisposalListState, DisposalState, Disposition, FolderStage
from bilgiislem.archive.models import ArchivedRecord, DisposalList
from bilgiislem.archive.services.disposal import disposal_item_remove
from bilgiislem.archive.services.disposal_execution import (
    disposal_execute,
    disposal_purge,
    execution_blockers,
)
from bilgiislem.archive.services.holds import legal_hold_place
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core import pdftext, storage
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.registry.models import Document, DocumentFile
from bilgiislem.registry.search import search
from bilgiislem.registry.tests.factories import english  # noqa: F401  (autouse below)

from .conftest import done_document, pdf_bytes, person
from .disposal_support import (
    CHAIR,
    CONTENT_WORDS,
    approved_list,
    commission,  # noqa: F401 (fixture)
    content_folder,  # noqa: F401 (fixture)
    set_disposition,
)

MINUTE = {"method": "Kağıt kırpma makinesi", "place": "Kurum arşivi, zemin kat"}


def found(word):
    return set(search(Document.objects.all(), word).values_list("pk", flat=True))


def execute(disposal_list, actor=CHAIR, **changes):
    values = {**MINUTE, **changes}
    return disposal_execute(actor=person(actor), disposal_list=disposal_list, **values)


@pytest.fixture
def records(content_folder):
    return list(content_folder.records.select_related("document").order_by("pk"))


def test_disposal_removes_every_copy_of_the_bytes_and_keeps_the_metadata(
    content_folder, records, commission, django_capture_on_commit_callbacks
):
    documents = [r.document for r in records]
    files = list(DocumentFile.objects.filter(document__in=documents).order_by("pk"))
    hashes = [f.sha256 for f in files]
    assert all(storage.blob_path(h).exists() for h in hashes)
    assert all(f.extracted_text for f in files)
    word = CONTENT_WORDS[0].split()[1]  # "kooperatifi": only in the first PDF
    assert found(word) == {documents[0].pk}
    document_events = AuditEvent.objects.filter(
        object_type="registry.document", object_id__in=[str(d.pk) for d in documents]
    )
    events_before = list(document_events.values_list("pk", "hash"))
    assert events_before

    disposal_list = approved_list(commission)
    with django_capture_on_commit_callbacks(execute=True):
        disposal_list = execute(disposal_list)

    # storage, derived text and the search index
    assert not any(storage.blob_path(h).exists() for h in hashes)
    assert not DocumentFile.objects.filter(document__in=documents).exclude(extracted_text="")
    assert found(word) == set()
    for document in Document.objects.filter(pk__in=[d.pk for d in documents]):
        assert "kooperatif" not in document.search_text
        assert "enerji" in document.search_text  # the description is still searchable
    assert documents[0].pk in found("verimliligi")
    # the metadata and the events stay
    for before in documents:
        after = Document.objects.get(pk=before.pk)
        assert (after.subject, after.number_label, after.sdp_code, after.registered_at) == (
            before.subject,
            before.number_label,
            before.sdp_code,
            before.registered_at,
        )
    assert [
        (f.sha256, f.filename, f.size)
        for f in DocumentFile.objects.filter(document__in=documents).order_by("pk")
    ] == [(f.sha256, f.filename, f.size) for f in files]
    assert list(document_events.values_list("pk", "hash")) == events_before
    # records, folder and list
    assert set(
        ArchivedRecord.objects.filter(pk__in=[r.pk for r in records]).values_list(
            "disposal_state", flat=True
        )
    ) == {DisposalState.DISPOSED}
    content_folder.refresh_from_db()
    assert content_folder.stage == FolderStage.DISPOSED
    assert disposal_list.state == DisposalListState.EXECUTED
    today = timezone.localdate()
    assert disposal_list.keep_until == today.replace(year=today.year + 10)
    assert disposal_list.executed_by == person(CHAIR)
    for sha256 in (disposal_list.list_sha256, disposal_list.minute_sha256):
        assert storage.open_verified(sha256).startswith(b"%PDF-")
    minute = pdftext.extract_text(storage.open_verified(disposal_list.minute_sha256))
    assert "Kurum arşivi, zemin kat" in minute and "Kağıt kırpma makinesi" in minute
    assert disposal_list.list_sha256 in minute  # the minute names the list it carried out
    executed = AuditEvent.objects.get(action="archive.disposal_list.executed")
    assert executed.changes["records"] == 2 and executed.changes["files"] == 2
    assert AuditEvent.objects.filter(action="archive.folder.disposed").count() == 1
    assert AuditEvent.objects.filter(action="archive.disposal.purged").count() == 1


def test_bytes_shared_with_a_kept_document_stay(
    content_folder, records, commission, django_capture_on_commit_callbacks
):
    shared = DocumentFile.objects.filter(document=records[0].document).get()
    kept = done_document(subject="Aynı dosyanın başka kaydı", content=pdf_bytes("x"))
    DocumentFile.objects.filter(document=kept).update(sha256=shared.sha256)
    other = DocumentFile.objects.get(document=records[1].document)
    with django_capture_on_commit_callbacks(execute=True):
        execute(approved_list(commission))
    assert storage.blob_path(shared.sha256).exists()
    assert not storage.blob_path(other.sha256).exists()
    # once the other document is disposed of too, nothing holds the bytes (see purge test)


def test_bytes_are_deleted_only_after_the_commit_and_a_retry_is_idempotent(
    content_folder, records, commission, django_capture_on_commit_callbacks
):
    hashes = list(
        DocumentFile.objects.filter(document__in=[r.document for r in records]).values_list(
            "sha256", flat=True
        )
    )
    # The callbacks are captured, not run: as if the process died right after the commit.
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        disposal_list = execute(approved_list(commission))
    assert len(callbacks) == 1
    assert all(storage.blob_path(h).exists() for h in hashes)
    from bilgiislem.archive.tasks import purge_disposed_content

    assert purge_disposed_content.call_local() == {"deleted": 2, "shared": 0, "absent": 0}
    assert not any(storage.blob_path(h).exists() for h in hashes)
    again = disposal_purge(disposal_list=disposal_list)
    assert (again.deleted, again.absent) == (0, 2)
    out = io.StringIO()
    call_command("disposal_purge", stdout=out)
    assert out.getvalue().startswith("deleted 0 blobs")
    assert AuditEvent.objects.filter(action="archive.disposal.purged").count() == 1


def test_a_failed_execution_rolls_back_and_deletes_nothing(
    content_folder, records, commission, monkeypatch
):
    from bilgiislem.archive import disposal_pdf

    disposal_list = approved_list(commission)
    hashes = list(
        DocumentFile.objects.filter(document__in=[r.document for r in records]).values_list(
            "sha256", flat=True
        )
    )

    def broken(*args, **kwargs):
        raise RuntimeError("printer on fire")

    monkeypatch.setattr(disposal_pdf, "minute_pdf", broken)
    with pytest.raises(RuntimeError):
        execute(disposal_list)
    disposal_list.refresh_from_db()
    assert disposal_list.state == DisposalListState.APPROVED and not disposal_list.list_sha256
    assert set(
        ArchivedRecord.objects.filter(folder=content_folder).values_list(
            "disposal_state", flat=True
        )
    ) == {DisposalState.KEPT}
    assert all(storage.blob_path(h).exists() for h in hashes)
    assert DocumentFile.objects.filter(sha256__in=hashes).exclude(extracted_text="").count() == 2


def test_a_disposal_that_would_include_a_held_item_is_refused(content_folder, records, commission):
    disposal_list = approved_list(commission)
    legal_hold_place(actor=person("mudur"), document=records[1].document, reason="Dava 2026/77")
    with pytest.raises(DomainError) as exc:
        execute(disposal_list)
    assert "700.02" in str(exc.value) and "legal hold" in str(exc.value)
    disposal_list.refresh_from_db()
    assert disposal_list.state == DisposalListState.APPROVED
    assert set(
        ArchivedRecord.objects.filter(folder=content_folder).values_list(
            "disposal_state", flat=True
        )
    ) == {DisposalState.KEPT}
    assert execution_blockers(disposal_list)
    # Taking the held folder off the approved list lets the rest go on (here: nothing left).
    disposal_item_remove(
        actor=person("kalem"), item=disposal_list.items.get(), reason="Hukuki bloke"
    )
    assert execution_blockers(disposal_list) == []


@pytest.mark.parametrize("disposition", [Disposition.KEEP, Disposition.TRANSFER])
def test_a_disposal_that_would_include_a_keep_permanently_item_is_refused(
    content_folder, records, commission, disposition
):
    disposal_list = approved_list(commission)
    set_disposition(content_folder, disposition)  # re-evaluated after the approval
    with pytest.raises(DomainError) as exc:
        execute(disposal_list)
    assert "disposition" in str(exc.value)
    assert not ArchivedRecord.objects.filter(
        folder=content_folder, disposal_state=DisposalState.DISPOSED
    ).exists()


def test_only_an_approved_list_is_carried_out_by_the_chair_or_an_archivist(
    content_folder, records, commission
):
    from .disposal_support import make_list

    draft = make_list(commission)
    with pytest.raises(DomainError):
        execute(draft)
    DisposalList.objects.filter(pk=draft.pk)  # still a draft
    with pytest.raises(PermissionDeniedError):
        execute(draft, actor="memur")


def test_the_minute_needs_method_place_and_a_past_date(content_folder, records, commission):
    disposal_list = approved_list(commission)
    for changes, field in [
        ({"method": ""}, "method"),
        ({"place": " "}, "place"),
        ({"carried_out_on": datetime.date(2099, 1, 1)}, "carried_out_on"),
    ]:
        with pytest.raises(DomainError) as exc:
            execute(disposal_list, **changes)
        assert field in exc.value.errors
    disposal_list.refresh_from_db()
    assert disposal_list.state == DisposalListState.APPROVED


def test_the_archive_officer_may_carry_out(
    content_folder, records, commission, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        disposal_list = execute(approved_list(commission), actor="arsiv")
    assert disposal_list.state == DisposalListState.EXECUTED
    assert disposal_list.executed_by == person("arsiv")


@pytest.fixture(autouse=True)
def _english(english):
    """Assert on the English source strings, whatever the Turkish catalogue says."""
