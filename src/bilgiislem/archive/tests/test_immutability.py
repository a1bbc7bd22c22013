"""An archived record cannot change by any path: the service layer, the API, the admin or raw
SQL (issue 5 point 3). The raw SQL tests run on SQLite and on PostgreSQL (``make test``)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import DatabaseError, connection, transaction
from django.urls import reverse

from bilgiislem.archive import db_disposal, db_records
from bilgiislem.archive.models import ArchivedRecord
from bilgiislem.core.errors import DomainError
from bilgiislem.registry import services as registry_services
from bilgiislem.registry.models import Annex, Document, DocumentFile, Reference

from .conftest import done_document, pdf_bytes, person


@pytest.fixture
def record(archived_folder):
    return archived_folder.records.select_related("document").order_by("id").first()


def refused(sql, params=()):
    """Run one statement in a savepoint and assert the database refuses it."""
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def run(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.rowcount


def to_disposing(record):
    """Put a record into 'disposing' past the disposal checks (their own tests cover them):
    the disposal triggers are dropped inside this test's transaction, which rolls back."""
    db_disposal.uninstall(connection)
    run("UPDATE archive_archivedrecord SET disposal_state = 'disposing' WHERE id = %s", [record.pk])


# --- raw SQL ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("subject", "Değiştirilmiş konu"),
        ("sdp_code", "807"),
        ("registry_number", 999),
        ("sayi", "E-1-2-3"),
        ("party_name", "Başka A.Ş."),
        ("secrecy", "gizli"),
        ("document_date", "2020-01-01"),
        ("registered_at", "2020-01-01 00:00:00+00"),
        ("status", "open"),
        ("eyp_belge_id", "x"),
    ],
)
def test_raw_update_of_capture_metadata_is_refused(record, column, value):
    before = Document.objects.values(column).get(pk=record.document_id)
    refused(
        f"UPDATE registry_document SET {column} = %s WHERE id = %s", [value, record.document_id]
    )
    assert Document.objects.values(column).get(pk=record.document_id) == before


def test_raw_update_of_a_document_not_archived_still_works(file_plan, archive_media):
    document = done_document()
    run("UPDATE registry_document SET subject = 'Yeni' WHERE id = %s", [document.pk])
    assert Document.objects.get(pk=document.pk).subject == "Yeni"


def test_paper_location_may_change(record):
    assert run(
        "UPDATE registry_document SET paper_location = 'Arşiv odası, kutu 4' WHERE id = %s",
        [record.document_id],
    )
    assert Document.objects.get(pk=record.document_id).paper_location == "Arşiv odası, kutu 4"


def test_search_text_changes_only_while_disposing(record):
    sql = "UPDATE registry_document SET search_text = '' WHERE id = %s"
    refused(sql, [record.document_id])
    to_disposing(record)
    run(sql, [record.document_id])
    assert Document.objects.get(pk=record.document_id).search_text == ""
    refused("UPDATE registry_document SET subject = 'x' WHERE id = %s", [record.document_id])


def test_raw_delete_of_an_archived_document_is_refused(record):
    refused("DELETE FROM registry_document WHERE id = %s", [record.document_id])
    assert Document.objects.filter(pk=record.document_id).exists()


def test_files_cannot_change_be_added_or_deleted(record):
    file = DocumentFile.objects.get(document_id=record.document_id)
    for column, value in [("sha256", "0" * 64), ("filename", "x.pdf"), ("size", 1)]:
        refused(f"UPDATE registry_documentfile SET {column} = %s WHERE id = %s", [value, file.pk])
    refused("DELETE FROM registry_documentfile WHERE id = %s", [file.pk])
    refused(
        "INSERT INTO registry_documentfile (document_id, role, filename, content_type, size, "
        "sha256, extracted_text, uploaded_by_id, uploaded_at) "
        "SELECT document_id, role, 'ek.pdf', content_type, size, sha256, '', uploaded_by_id, "
        "uploaded_at FROM registry_documentfile WHERE id = %s",
        [file.pk],
    )
    # Moving a file of another document onto the archived one is refused too.
    other = done_document()
    other_file = other.files.get()
    refused(
        "UPDATE registry_documentfile SET document_id = %s WHERE id = %s",
        [record.document_id, other_file.pk],
    )
    assert DocumentFile.objects.get(pk=file.pk).sha256 == file.sha256


def test_extracted_text_is_cleared_only_while_disposing(record):
    file = DocumentFile.objects.get(document_id=record.document_id)
    assert file.extracted_text
    sql = "UPDATE registry_documentfile SET extracted_text = '' WHERE id = %s"
    refused(sql, [file.pk])
    to_disposing(record)
    run(sql, [file.pk])
    assert DocumentFile.objects.get(pk=file.pk).extracted_text == ""
    refused("DELETE FROM registry_documentfile WHERE id = %s", [file.pk])


def test_annexes_and_references_are_frozen(record):
    refused(
        "INSERT INTO registry_annex (document_id, kind, description) VALUES (%s, 'physical', 'CD')",
        [record.document_id],
    )
    refused(
        "INSERT INTO registry_reference (document_id, sayi, description) VALUES (%s, 'E-1', '')",
        [record.document_id],
    )
    # Rows that existed before archiving: made with the triggers out of the way, then frozen.
    db_records.uninstall(connection)
    annex = Annex.objects.create(document_id=record.document_id, kind="physical", description="CD")
    reference = Reference.objects.create(document_id=record.document_id, sayi="E-1")
    db_records.install(connection)
    refused("UPDATE registry_annex SET description = 'DVD' WHERE id = %s", [annex.pk])
    refused("DELETE FROM registry_annex WHERE id = %s", [annex.pk])
    refused("UPDATE registry_reference SET sayi = 'E-2' WHERE id = %s", [reference.pk])
    refused("DELETE FROM registry_reference WHERE id = %s", [reference.pk])


def test_the_archive_entry_cannot_be_deleted_or_rewritten(record, archived_folder):
    refused("DELETE FROM archive_archivedrecord WHERE id = %s", [record.pk])
    for column, value in [
        ("manifest_sha256", "0" * 64),
        ("archived_at", "2020-01-01 00:00:00+00"),
        ("document_id", done_document().pk),
    ]:
        refused(
            f"UPDATE archive_archivedrecord SET {column} = %s WHERE id = %s", [value, record.pk]
        )
    assert ArchivedRecord.objects.get(pk=record.pk).manifest_sha256 == record.manifest_sha256


def test_disposal_state_only_moves_forward(record):
    sql = "UPDATE archive_archivedrecord SET disposal_state = %s WHERE id = %s"
    refused(sql, ["disposed", record.pk])  # skipping 'disposing'
    to_disposing(record)
    refused(sql, ["kept", record.pk])
    run(sql, ["disposed", record.pk])
    refused(sql, ["disposing", record.pk])
    refused(sql, ["kept", record.pk])
    # A disposed record keeps its metadata for good.
    refused("UPDATE registry_document SET subject = 'x' WHERE id = %s", [record.document_id])


def test_dropping_the_triggers_is_what_it_takes(record):
    """The guard is the database itself: without the triggers the same statement passes."""
    db_records.uninstall(connection)
    run("UPDATE registry_document SET subject = 'x' WHERE id = %s", [record.document_id])
    db_records.install(connection)
    refused("UPDATE registry_document SET subject = 'y' WHERE id = %s", [record.document_id])


def test_orm_save_of_an_unchanged_document_is_allowed(record):
    """A plain save writes every column with the same values: nothing changes, nothing refused."""
    document = Document.objects.get(pk=record.document_id)
    document.save()
    document.subject = "Başka"
    with pytest.raises(DatabaseError), transaction.atomic():
        document.save()


# --- services --------------------------------------------------------------------------------


def test_a_note_on_an_archived_record_is_refused(record):
    document = Document.objects.get(pk=record.document_id)
    with pytest.raises(DomainError) as exc:
        registry_services.note_add(actor=person("mudur"), document=document, text="Ek bilgi")
    assert "text" in exc.value.errors
    assert not document.notes.exists()


def test_a_file_on_an_archived_record_is_refused(record, archive_media):
    document = Document.objects.get(pk=record.document_id)
    upload = SimpleUploadedFile("ek.pdf", pdf_bytes("ek"), content_type="application/pdf")
    with pytest.raises(DomainError) as exc:
        registry_services.note_add(
            actor=person("mudur"), document=document, text="Ek", upload=upload
        )
    assert exc.value.errors.keys() & {"file", "text"}
    assert document.files.count() == 1
    assert not [p for p in archive_media.rglob("*") if p.is_file() and "tmp" not in p.parts]


def test_a_done_archived_document_cannot_be_routed_again(record):
    document = Document.objects.get(pk=record.document_id)
    with pytest.raises(DomainError):
        registry_services.routing_create(
            actor=person("mudur"),
            document=document,
            recipients=[(person("memur"), "action")],
            deadline_basis="documents",
        )


# --- API and admin ---------------------------------------------------------------------------


def test_api_note_on_an_archived_record_is_400(record, client_as):
    client = client_as("mudur")
    url = reverse("registry-api:document-notes", args=[record.document_id])
    response = client.post(url, {"text": "Ek bilgi"}, content_type="application/json")
    assert response.status_code == 400
    assert "text" in response.json()
    assert not Document.objects.get(pk=record.document_id).notes.exists()


@pytest.fixture
def superuser(db):
    from bilgiislem.organization.models import Person

    return Person.objects.create_superuser("kok", "kok@example.org", "x")


@pytest.mark.parametrize(
    "model", ["registry/document", "registry/documentfile", "archive/archivedrecord"]
)
def test_admin_is_read_only_for_records(record, client, superuser, model):
    client.force_login(superuser)
    app, name = model.split("/")
    pk = {
        "registry/document": record.document_id,
        "registry/documentfile": DocumentFile.objects.get(document_id=record.document_id).pk,
        "archive/archivedrecord": record.pk,
    }[model]
    change = reverse(f"admin:{app}_{name}_change", args=[pk])
    page = client.get(change)
    assert page.status_code == 200
    assert b'name="_save"' not in page.content
    assert client.post(change, {"subject": "x"}).status_code == 403
    delete = reverse(f"admin:{app}_{name}_delete", args=[pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert Document.objects.get(pk=record.document_id).subject == record.document.subject
    assert ArchivedRecord.objects.filter(pk=record.pk).exists()
