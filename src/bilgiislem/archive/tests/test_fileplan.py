"""The file plan: the data file, the loader and its CSV importer, versions, code checks."""

import datetime
import io

import pytest
from django.core.management import CommandError, call_command

from bilgiislem.archive.choices import Disposition
from bilgiislem.archive.models import FilePlanCode, FilePlanVersion
from bilgiislem.archive.services import code_for_filing, current_version, file_plan_load_rows
from bilgiislem.archive.services.fileplan import file_plan_load_file, letter_of
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError

pytestmark = pytest.mark.django_db

CSV_TABLE = (
    "code,title,unit_years,institution_years,disposition\n"
    "000-099,Genel,,,\n"
    "010,Mevzuat İşleri,5,10,A\n"
    "020,Olurlar,3,7,C\n"
    "030,Sözleşmeler,5,10,A\n"
    "030.01,Protokoller,5,10,A\n"
    "600-999,Yardımcı,,,\n"
    "700,Bilgi Sistemleri ve Bilgi İşlem,3,7,C\n"
    "700.01,Genel,2,8,D\n"
    "903,Personel Özlük İşleri,5,70,B\n"
)


def codes(version):
    return {c.code: c for c in FilePlanCode.objects.filter(version=version)}


def test_the_data_file_is_the_plan_in_force(file_plan):
    plan = codes(file_plan)
    assert file_plan.effective_from == datetime.date(2024, 1, 2)
    # Section headers carry no retention; 020 and 030.* are for copies only.
    for header in ("000-099", "100-599", "600-999", "600-699", "700-799", "800-899", "900-999"):
        assert plan[header].is_header and plan[header].disposition == ""
    assert plan["020"].secondary_only and plan["030"].secondary_only
    assert plan["030.01"].secondary_only and not plan["040"].secondary_only
    # The codes of standards.md 3.2 are there, every value marked as a sample.
    for code in ("010", "040", "045", "050", "060", "622.01.01", "641", "805.02", "841", "903"):
        assert code in plan and plan[code].is_sample
    assert plan["700"].title == "Bilgi Sistemleri ve Bilgi İşlem"
    assert all(plan[c].is_sample for c in plan if c.startswith("700."))
    assert {plan[c].disposition for c in plan if not plan[c].is_header} == set(Disposition.values)


def test_the_tree_follows_the_codes(file_plan):
    plan = codes(file_plan)
    assert plan["622.01.01"].parent == plan["622.01"]
    assert plan["622.01"].parent == plan["622"]
    assert plan["622"].parent == plan["600-699"]
    assert plan["600-699"].parent == plan["600-999"]
    assert plan["700"].parent == plan["700-799"]
    assert plan["010"].parent == plan["000-099"]
    assert plan["000-099"].parent is None


def test_disposition_letters_come_from_the_setting(settings):
    assert letter_of("transfer") == "A" and letter_of("destroy") == "D"
    settings.BILGIISLEM_DISPOSITION_LETTERS = {"X": "destroy"}
    assert letter_of("destroy") == "X" and letter_of("keep") == ""


def test_loading_the_same_file_twice_makes_one_version(file_plan, settings):
    before = FilePlanVersion.objects.count()
    result = file_plan_load_file(settings.BILGIISLEM_FILE_PLAN_FILE)
    assert not result.created and result.version == file_plan
    assert FilePlanVersion.objects.count() == before


def test_the_command_loads_the_official_csv_table(file_plan, tmp_path):
    path = tmp_path / "ssdp.csv"
    path.write_text(CSV_TABLE, encoding="utf-8")
    out = io.StringIO()
    call_command(
        "load_file_plan",
        str(path),
        "--csv",
        "--name",
        "SSDP V.5",
        "--effective-from",
        "2027-01-01",
        stdout=out,
    )
    assert "9 codes" in out.getvalue()
    version = FilePlanVersion.objects.get(name="SSDP V.5")
    plan = codes(version)
    assert plan["000-099"].is_header and plan["600-999"].is_header
    assert plan["010"].disposition == Disposition.TRANSFER
    assert plan["903"].disposition == Disposition.KEEP and plan["903"].institution_years == 70
    assert plan["700.01"].parent == plan["700"] and plan["700"].parent == plan["600-999"]
    # V.4's rule without a secondary_only column: 020 and 030 with its sub-codes.
    assert plan["020"].secondary_only and plan["030.01"].secondary_only
    assert not plan["700"].secondary_only and not plan["010"].is_sample
    event = AuditEvent.objects.get(action="archive.file_plan.loaded", object_id=str(version.pk))
    assert event.changes["codes"] == 9
    # The old plan stays in force until the new one's date.
    assert current_version(datetime.date(2026, 12, 31)) == file_plan
    assert current_version(datetime.date(2027, 1, 1)) == version
    out = io.StringIO()
    call_command(
        "load_file_plan",
        str(path),
        "--csv",
        "--name",
        "SSDP V.5",
        "--effective-from",
        "2027-01-01",
        stdout=out,
    )
    assert "unchanged" in out.getvalue()
    assert FilePlanVersion.objects.filter(name="SSDP V.5").count() == 1


@pytest.mark.parametrize(
    ("table", "field"),
    [
        ("code,title,unit_years,institution_years\n010,Mevzuat,5,10\n", "path"),
        (
            "code,title,unit_years,institution_years,disposition\n010,Mevzuat,5,10,Z\n",
            "disposition",
        ),
        (
            "code,title,unit_years,institution_years,disposition\n010,Mevzuat,beş,10,A\n",
            "unit_years",
        ),
        ("code,title,unit_years,institution_years,disposition\n010,Mevzuat,5,,A\n", "unit_years"),
        ("code,title,unit_years,institution_years,disposition\n01x,Mevzuat,5,10,A\n", "code"),
        ("code,title,unit_years,institution_years,disposition\n010,,5,10,A\n", "title"),
        (
            "code,title,unit_years,institution_years,disposition\n010,A,5,10,A\n010,B,5,10,A\n",
            "code",
        ),
    ],
)
def test_a_bad_table_is_refused_whole(file_plan, tmp_path, table, field):
    from bilgiislem.archive.services.fileplan import rows_from_csv

    before = (FilePlanVersion.objects.count(), FilePlanCode.objects.count())
    with pytest.raises(DomainError) as exc:
        file_plan_load_rows(rows_from_csv(table), name="Bozuk", effective_from="2027-01-01")
    assert field in exc.value.errors
    assert (FilePlanVersion.objects.count(), FilePlanCode.objects.count()) == before


def test_the_command_reports_a_missing_file(file_plan, tmp_path):
    with pytest.raises(CommandError, match=r"yok\.yaml"):
        call_command("load_file_plan", str(tmp_path / "yok.yaml"))


@pytest.mark.parametrize(
    ("code", "main", "message"),
    [
        ("999.99", True, "not a code"),
        ("", True, "Give the file plan"),
        ("600-699", True, "section heading"),
        ("600-699", False, "section heading"),
        ("020", True, "only for a copy"),
        ("030.01", True, "only for a copy"),
    ],
)
def test_codes_that_cannot_be_filed_under(file_plan, code, main, message, english):
    with pytest.raises(DomainError) as exc:
        code_for_filing(code, main=main)
    assert list(exc.value.errors) == ["sdp_code"]
    assert message in exc.value.errors["sdp_code"][0]


def test_secondary_only_codes_take_copies(file_plan):
    assert code_for_filing("020", main=False).code == "020"
    assert code_for_filing(" 700.01 ").code == "700.01"


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield
