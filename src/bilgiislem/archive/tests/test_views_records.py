"""The archive pages, records part: the plan browser, folders, labels, filing and archiving
by hand from the document page, records with their manifest and corrections."""

import datetime

import pytest
import time_machine
from django.urls import reverse

from bilgiislem.archive.models import ArchivedRecord, Filing, Folder, RecordCorrection
from bilgiislem.archive.services import file_plan_load_rows
from bilgiislem.registry.tests.factories import register

from .conftest import at, done_document

pytestmark = pytest.mark.django_db


def test_plan_browser_tree_and_turkish_search(client_as, file_plan):
    client = client_as("memur")
    page = client.get(reverse("archive:plan"))
    assert page.status_code == 200
    html = page.content.decode()
    assert 'data-code="700.01"' in html and 'data-code="600-999"' in html
    found = client.get(reverse("archive:plan"), {"q": "BILGI ISLEM"}).content.decode()
    # The matches and their parents (for context), nothing else.
    assert 'data-code="700.01"' in found and 'data-code="700-799"' in found
    assert 'data-code="903"' not in found
    partial = client.get(reverse("archive:plan"), {"q": "özlük"}, HTTP_HX_REQUEST="true")
    assert b'data-code="903"' in partial.content and b"<html" not in partial.content


def test_the_menu_and_the_document_page_lead_to_the_archive(client_as, archived_folder):
    record = archived_folder.records.first()
    client = client_as("arsiv")
    home = client.get(reverse("accounts:home")).content.decode()
    assert reverse("archive:plan") in home and reverse("archive:folder-list") in home
    page = client.get(reverse("registry:document-detail", args=[record.document_id]))
    assert reverse("archive:document", args=[record.document_id]) in page.content.decode()


def test_folder_list_filters_and_csv(client_as, archived_folder):
    client = client_as("memur")
    page = client.get(reverse("archive:folder-list"), {"year": 2025, "stage": "unit_archive"})
    assert reverse("archive:folder-detail", args=[archived_folder.pk]) in page.content.decode()
    empty = client.get(reverse("archive:folder-list"), {"q": "özlük"})
    assert reverse("archive:folder-detail", args=[archived_folder.pk]) not in empty.content.decode()
    csv = client.get(reverse("archive:folder-list"), {"format": "csv"})
    body = b"".join(csv.streaming_content).decode()
    assert "700.01" in body and "2035" in body
    other = client_as("yaziisleri").get(reverse("archive:folder-list"))
    assert reverse("archive:folder-detail", args=[archived_folder.pk]) not in other.content.decode()


def test_folder_page_and_labels(client_as, archived_folder):
    client = client_as("arsiv")
    url = reverse("archive:folder-detail", args=[archived_folder.pk])
    page = client.get(url)
    html = page.content.decode()
    assert "data-retention-until>2035<" in html
    for record in archived_folder.records.all():
        assert reverse("archive:record-detail", args=[record.pk]) in html
    label = client.get(reverse("archive:folder-label", args=[archived_folder.pk]))
    assert label["Content-Type"] == "application/pdf" and label.content.startswith(b"%PDF")
    sheet = client.get(reverse("archive:folder-labels"), {"year": 2025, "per_page": 8})
    assert sheet.status_code == 200 and sheet.content.startswith(b"%PDF")
    assert client.get(reverse("archive:folder-labels"), {"year": 1990}).status_code == 404
    assert client_as("yaziisleri").get(url).status_code == 404
    label_url = reverse("archive:folder-label", args=[archived_folder.pk])
    assert client_as("yaziisleri").get(label_url).status_code == 404


def test_labels_fill_one_page_per_sheet(archived_folder):
    """Labels of n folders at k a page make ceil(n / k) pages (nothing spills over)."""
    import io

    from pypdf import PdfReader

    from bilgiislem.archive.labels import labels_pdf

    folders = [archived_folder] * 5
    for per_page, pages in ((1, 5), (2, 3), (4, 2), (8, 1)):
        pdf = labels_pdf(folders, url_of=lambda f: f"https://ebys/arsiv/{f.pk}/", per_page=per_page)
        reader = PdfReader(io.BytesIO(pdf))
        assert len(reader.pages) == pages
        assert "700.01" in reader.pages[0].extract_text()


def test_filing_and_archiving_from_the_document_page(client_as, file_plan, archive_media):
    with time_machine.travel(at(datetime.date(2026, 3, 2)), tick=False):
        document = done_document(sdp_code="")
    client = client_as("arsiv")
    url = reverse("archive:document", args=[document.pk])
    page = client.get(url).content.decode()
    assert 'name="file"' in page and 'name="archive"' in page
    bad = client.post(url, {"file-sdp_code": "600-699", "file": ""})
    assert bad.status_code == 400
    assert "file-sdp_code" in bad.content.decode() and "has-error" in bad.content.decode()
    assert not Filing.objects.filter(document=document).exists()
    assert client.post(url, {"file-sdp_code": "807", "file": ""}).status_code == 302
    assert client.post(url, {"copy-sdp_code": "020", "copy": ""}).status_code == 302
    assert client.post(url, {"archive-sdp_code": "", "archive": ""}).status_code == 302
    record = ArchivedRecord.objects.get(document=document)
    assert record.folder.code.code == "807"
    page = client.get(url).content.decode()
    assert "data-archived" in page and 'name="archive"' not in page


def test_the_document_page_offers_nothing_to_others(client_as, file_plan):
    document = register(sdp_code="700.01")
    url = reverse("archive:document", args=[document.pk])
    page = client_as("memur").get(url)
    assert page.status_code == 200 and 'name="file"' not in page.content.decode()
    refused = client_as("memur").post(url, {"file-sdp_code": "700.01", "file": ""})
    assert refused.status_code == 403
    assert client_as("yaziisleri").get(url).status_code == 404
    assert client_as("yaziisleri").post(url, {"file": ""}).status_code == 404
    assert not Filing.objects.filter(document=document).exists()


def test_record_page_manifest_and_correction(client_as, archived_folder):
    record = archived_folder.records.order_by("id").first()
    correction = register(subject="Düzeltme")
    client = client_as("arsiv")
    url = reverse("archive:record-detail", args=[record.pk])
    page = client.get(url).content.decode()
    assert record.manifest_sha256 in page and "data-manifest-ok" in page
    post = reverse("archive:record-correct", args=[record.pk])
    bad = client.post(post, {"corr-correction": "1999/1", "corr-reason": "x"})
    assert bad.status_code == 400 and "has-error" in bad.content.decode()
    done = client.post(post, {"corr-correction": correction.number_label, "corr-reason": "Tarih"})
    assert done.status_code == 302
    assert RecordCorrection.objects.get(original=record).correction == correction
    assert correction.number_label in client.get(url).content.decode()
    assert client_as("yaziisleri").get(url).status_code == 404


def test_reevaluation_from_the_folder_page(client_as, archived_folder):
    rows = [{"code": "700.01", "title": "Genel", "unit": 3, "institution": 12, "disposition": "C"}]
    version = file_plan_load_rows(rows, name="Yeni", effective_from="2026-06-01").version
    url = reverse("archive:folder-reevaluate", args=[archived_folder.pk])
    assert (
        "reeval-reason"
        not in client_as("arsiv")
        .get(reverse("archive:folder-detail", args=[archived_folder.pk]))
        .content.decode()
    )
    assert client_as("arsiv").post(url, {"reeval-version": version.pk}).status_code == 403
    client = client_as("mudur")
    bad = client.post(url, {"reeval-version": version.pk, "reeval-reason": ""})
    assert bad.status_code == 400
    done = client.post(url, {"reeval-version": version.pk, "reeval-reason": "Yeni SDP"})
    assert done.status_code == 302
    assert Folder.objects.get(pk=archived_folder.pk).retention_until == 2040
