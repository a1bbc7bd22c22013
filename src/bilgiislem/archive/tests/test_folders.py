"""Filing by subject (RYY art. 13(a)), closing a year's folders, retention and re-evaluation."""

import datetime

import pytest
import time_machine

from bilgiislem.archive.choices import Disposition, FolderStage
from bilgiislem.archive.models import Filing, Folder
from bilgiislem.archive.services import (
    document_file,
    document_file_copy,
    file_plan_load_rows,
    folder_reevaluate_retention,
    folders_close_year,
)
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.registry.tests.factories import register

from .conftest import at, person

pytestmark = pytest.mark.django_db

CLOSING_DAY = at(datetime.date(2026, 1, 2), hour=3)


def registered(code="700.01", year=2025, **changes):
    """A paper document registered in ``year`` under ``code`` (not filed yet)."""
    with time_machine.travel(at(datetime.date(year, 5, 6)), tick=False):
        return register(sdp_code=code, document_date=datetime.date(year, 5, 2), **changes)


def filed(code="700.01", year=2025, actor="kalem", **changes):
    if changes.get("registry") == "yazi-isleri":
        changes.setdefault("actor", "yaziisleri")
    document = registered(code, year, **changes)
    with time_machine.travel(at(datetime.date(year, 5, 7)), tick=False):
        document_file(actor=person(actor), document=document)
    return document


def close(year=2025, when=CLOSING_DAY, **kwargs):
    with time_machine.travel(when, tick=False):
        return folders_close_year(year=year, **kwargs)


def folder_of(code, year=2025, unit="bilgi-islem"):
    return Folder.objects.get(unit__code=unit, code__code=code, year=year)


# --- filing ----------------------------------------------------------------------------------


def test_filing_makes_the_folder_once_and_counts(file_plan):
    first = filed()
    second = filed()
    folder = folder_of("700.01")
    assert folder.unit.code == "bilgi-islem" and folder.year == 2025
    assert folder.title == "Bilgi İşlem Genel Yazışmaları (örnek alt kod)"
    assert folder.stage == FolderStage.ACTIVE and folder.document_count == 2
    assert {f.document for f in folder.filings.all()} == {first, second}
    assert all(f.is_main for f in folder.filings.all())
    # Filing again returns the same main filing; nothing is counted twice.
    again = document_file(actor=person("kalem"), document=first)
    assert again.folder == folder and Folder.objects.get(pk=folder.pk).document_count == 2
    event = AuditEvent.objects.filter(action="archive.document.filed", object_id=str(first.pk))
    assert event.count() == 1 and event.get().changes["code"] == "700.01"


def test_a_copy_goes_to_another_subject_folder(file_plan):
    document = filed()
    copy = document_file_copy(actor=person("arsiv"), document=document, code="020")
    assert not copy.is_main and copy.folder.code.code == "020"
    assert copy.folder.document_count == 1
    assert Filing.objects.filter(document=document).count() == 2
    with pytest.raises(DomainError) as exc:
        document_file_copy(actor=person("arsiv"), document=document, code="020")
    assert list(exc.value.errors) == ["sdp_code"]
    with pytest.raises(DomainError) as exc:
        document_file_copy(actor=person("arsiv"), document=document, code="700.01")
    assert list(exc.value.errors) == ["sdp_code"]
    assert Folder.objects.get(pk=copy.folder_id).document_count == 1


@pytest.mark.parametrize("code", ["999", "600-699", "700-799", "020"])
def test_a_bad_registered_code_cannot_be_filed(file_plan, code):
    document = registered(code)
    with pytest.raises(DomainError) as exc:
        document_file(actor=person("kalem"), document=document)
    assert list(exc.value.errors) == ["sdp_code"]
    assert not Filing.objects.filter(document=document).exists()
    assert not Folder.objects.filter(code__code=code).exists()


def test_a_document_registered_without_a_code_takes_one(file_plan):
    document = registered("")
    with pytest.raises(DomainError) as exc:
        document_file(actor=person("kalem"), document=document)
    assert list(exc.value.errors) == ["sdp_code"]
    filing = document_file(actor=person("kalem"), document=document, code="807")
    assert filing.folder.code.code == "807"
    document.refresh_from_db()
    assert document.sdp_code == ""  # the registered metadata is never rewritten


def test_the_registered_code_decides_the_main_folder(file_plan):
    document = registered("700.01")
    with pytest.raises(DomainError) as exc:
        document_file(actor=person("kalem"), document=document, code="807")
    assert list(exc.value.errors) == ["sdp_code"]
    assert not Filing.objects.filter(document=document).exists()


def test_filing_is_for_the_archive_officer_the_registry_and_the_director(file_plan):
    document = registered()
    for username in ("memur", "yaziisleri", "yazilim"):
        with pytest.raises(PermissionDeniedError):
            document_file(actor=person(username), document=document)
    assert AuditEvent.objects.filter(action="archive.document.file_refused").count() == 3
    assert not Filing.objects.filter(document=document).exists()
    for username in ("arsiv", "mudur"):
        document_file(actor=person(username), document=document)


def test_a_folder_is_per_unit_and_year(file_plan):
    filed(year=2025)
    filed(year=2026)
    filed(registry="yazi-isleri", actor="yaziisleri.mudur")
    assert Folder.objects.filter(code__code="700.01").count() == 3


# --- closing and retention -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "disposition", "unit_until", "until"),
    [
        ("010", Disposition.TRANSFER, 2030, 2040),
        ("903", Disposition.KEEP, 2030, 2100),
        ("700", Disposition.EVALUATE, 2028, 2035),
        ("700.01", Disposition.DESTROY, 2027, 2035),
        ("805.02", Disposition.DESTROY, 2035, 2035),
    ],
)
def test_closing_copies_the_retention_of_each_disposition(
    file_plan, code, disposition, unit_until, until
):
    filed(code)
    assert close() == 1
    folder = folder_of(code)
    assert folder.stage == FolderStage.UNIT_ARCHIVE
    assert folder.closed_at == CLOSING_DAY
    assert folder.disposition == disposition
    assert (folder.unit_archive_until, folder.retention_until) == (unit_until, until)
    assert folder.unit_years + folder.institution_years == until - 2025
    event = AuditEvent.objects.get(action="archive.folder.closed", object_id=str(folder.pk))
    assert event.changes["retention_until"] == until


def test_the_retention_start_is_a_setting(file_plan, settings):
    settings.BILGIISLEM_RETENTION_START = "closed_year"
    filed("700.01")
    close()
    assert folder_of("700.01").retention_until == 2026 + 2 + 8


def test_only_a_past_years_folders_close(file_plan):
    filed(year=2025)
    with pytest.raises(DomainError) as exc:
        close(year=2026)
    assert list(exc.value.errors) == ["year"]
    assert folder_of("700.01").stage == FolderStage.ACTIVE
    assert close() == 1
    assert close() == 0  # closed folders are not closed again


def test_a_unit_archive_officer_closes_only_their_units(file_plan):
    filed()
    filed(registry="yazi-isleri", actor="yaziisleri.mudur")
    assert close(actor=person("arsiv")) == 1
    assert folder_of("700.01").stage == FolderStage.UNIT_ARCHIVE
    assert folder_of("700.01", unit="yazi-isleri").stage == FolderStage.ACTIVE
    with pytest.raises(PermissionDeniedError):
        close(actor=person("memur"))


def test_a_late_document_is_still_filed_in_the_closed_folder(file_plan):
    filed()
    close()
    before = folder_of("700.01")
    document = registered()
    with time_machine.travel(at(datetime.date(2026, 2, 10)), tick=False):
        filing = document_file(actor=person("kalem"), document=document)
    after = folder_of("700.01")
    assert filing.folder == before
    assert after.document_count == 2 and after.retention_until == before.retention_until


# --- plan changes ----------------------------------------------------------------------------


def new_plan(effective_from="2026-06-01", unit=4, institution=16, disposition="C"):
    rows = [
        {"code": "600-999", "title": "Yardımcı", "header": True},
        {
            "code": "700",
            "title": "Bilgi Sistemleri",
            "unit": 3,
            "institution": 7,
            "disposition": "C",
        },
        {
            "code": "700.01",
            "title": "Genel Yazışmalar",
            "unit": unit,
            "institution": institution,
            "disposition": disposition,
        },
    ]
    return file_plan_load_rows(rows, name="Yeni plan", effective_from=effective_from).version


def test_a_new_plan_changes_nothing_already_closed(file_plan):
    filed()
    close()
    version = new_plan(effective_from="2026-03-01")
    filed(year=2026)  # in May 2026
    folder = folder_of("700.01")
    assert (folder.code.version, folder.disposition, folder.retention_until) == (
        file_plan,
        Disposition.DESTROY,
        2035,
    )
    # A folder closed after the new plan came into force takes the new retention, and the
    # 2026 folder was opened in the new plan's code (the same subject by its code string).
    later = folder_of("700.01", year=2026)
    assert later.code.version == version
    close(year=2026, when=at(datetime.date(2027, 1, 2)))
    later.refresh_from_db()
    assert (later.disposition, later.retention_until) == (Disposition.EVALUATE, 2026 + 20)


def test_a_folder_opened_under_the_old_plan_closes_under_the_new(file_plan):
    filed()
    version = new_plan(effective_from="2025-12-01")
    close()
    folder = folder_of("700.01")
    assert folder.code.version == version
    assert (folder.disposition, folder.retention_until) == (Disposition.EVALUATE, 2045)


def test_reevaluation_applies_another_version_with_an_audit(file_plan):
    filed()
    close()
    version = new_plan()
    folder = folder_of("700.01")
    (done,) = folder_reevaluate_retention(
        actor=person("mudur"), folder=folder, version=version, reason="Yeni SDP sürümü"
    )
    done.refresh_from_db()
    assert done.code.version == version
    assert (done.unit_archive_until, done.retention_until) == (2029, 2045)
    assert done.disposition == Disposition.EVALUATE
    event = AuditEvent.objects.get(
        action="archive.folder.retention_reevaluated", object_id=str(folder.pk)
    )
    assert event.reason == "Yeni SDP sürümü"
    assert event.changes["before"]["retention_until"] == 2035
    assert event.changes["after"]["retention_until"] == 2045


def test_reevaluation_of_a_set_of_folders(file_plan):
    filed()
    filed(registry="yazi-isleri", actor="yaziisleri.mudur")
    close()
    version = new_plan()
    done = folder_reevaluate_retention(
        actor=person("baskan"),
        queryset=Folder.objects.filter(code__code="700.01"),
        version=version,
        reason="Yeni plan",
    )
    assert len(done) == 2
    assert set(Folder.objects.values_list("retention_until", flat=True)) == {2045}


@pytest.mark.parametrize("username", ["arsiv", "sef", "memur", "yaziisleri.mudur"])
def test_reevaluation_is_for_the_director_or_above(file_plan, username):
    filed()
    close()
    version = new_plan()
    folder = folder_of("700.01")
    with pytest.raises(PermissionDeniedError):
        folder_reevaluate_retention(
            actor=person(username), folder=folder, version=version, reason="x"
        )
    assert folder_of("700.01").retention_until == 2035
    assert AuditEvent.objects.filter(action="archive.folder.reevaluate_refused").exists()


def test_reevaluation_bad_input(file_plan):
    filed()
    folder = folder_of("700.01")
    version = new_plan()
    with pytest.raises(DomainError) as exc:
        folder_reevaluate_retention(
            actor=person("mudur"), folder=folder, version=version, reason=""
        )
    assert list(exc.value.errors) == ["reason"]
    with pytest.raises(DomainError) as exc:  # not closed yet
        folder_reevaluate_retention(
            actor=person("mudur"), folder=folder, version=version, reason="x"
        )
    assert list(exc.value.errors) == ["folder"]
    close()
    other = filed("010")
    close(year=2025)
    with pytest.raises(DomainError) as exc:  # 010 is not in the new plan
        folder_reevaluate_retention(
            actor=person("mudur"),
            folder=Folder.objects.get(filings__document=other),
            version=version,
            reason="x",
        )
    assert list(exc.value.errors) == ["version"]
