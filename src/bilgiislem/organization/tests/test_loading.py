"""Loading the organisation from its data file (issue 2 point 3)."""

import datetime
import io
import zoneinfo
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import CommandError

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError
from bilgiislem.organization.loading import demo_load, organization_load
from bilgiislem.organization.models import (
    Institution,
    OrgUnit,
    OrgUnitVersion,
    Person,
    Position,
    PositionHolding,
)

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo("Europe/Istanbul")
ORG_FILE = Path(settings.BILGIISLEM_ORGANIZATION_FILE)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime.datetime(2025, 3, 10, 10, 0, tzinfo=TZ), tick=False)


def snapshot():
    models = (Institution, OrgUnit, OrgUnitVersion, Position, Person, PositionHolding, AuditEvent)
    return {m.__name__: m.objects.count() for m in models}


def data():
    return yaml.safe_load(ORG_FILE.read_text(encoding="utf-8"))


def write(tmp_path, content) -> Path:
    path = tmp_path / "org.yaml"
    text = content if isinstance(content, str) else yaml.safe_dump(content, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def find(units, code):
    for spec in units:
        if spec["code"] == code:
            return spec
        found = find(spec.get("children", []), code)
        if found:
            return found
    return None


def test_loading_the_same_file_again_changes_and_records_nothing():
    before = snapshot()
    stats = organization_load(ORG_FILE)
    assert stats["units_created"] == [] and stats["units_changed"] == []
    assert stats["positions_created"] == stats["positions_changed"] == 0
    assert stats["institution_changed"] is False
    assert demo_load(ORG_FILE) == []
    assert snapshot() == before


def test_load_command_is_idempotent_too():
    before = snapshot()
    call_command("load_organization", stdout=io.StringIO())
    call_command("load_demo", stdout=io.StringIO())
    assert snapshot() == before


def test_a_renamed_unit_becomes_a_new_version(tmp_path):
    spec = data()
    find(spec["units"], "bilgi-islem-sistem")["name"] = "Sistem ve Ağ Birimi"
    path = write(tmp_path, spec)
    before = snapshot()

    stats = organization_load(path)

    assert stats["units_changed"] == ["bilgi-islem-sistem"]
    unit = OrgUnit.objects.get(code="bilgi-islem-sistem")
    assert unit.name == "Sistem ve Ağ Birimi"
    assert unit.search_key == "sistem ve ag birimi"
    assert list(
        unit.versions.order_by("valid_from").values_list("name", "valid_from", "valid_to")
    ) == [
        ("Sistem Birimi", datetime.date(2024, 1, 1), datetime.date(2025, 3, 9)),
        ("Sistem ve Ağ Birimi", datetime.date(2025, 3, 10), None),
    ]
    event = AuditEvent.objects.order_by("-seq").first()
    assert event.action == "organization.structure.loaded"
    assert event.actor_id is None and event.actor_repr == "system"
    assert event.changes["units_changed"] == ["bilgi-islem-sistem"]
    after = snapshot()
    assert after["OrgUnitVersion"] == before["OrgUnitVersion"] + 1
    assert after["AuditEvent"] == before["AuditEvent"] + 1
    assert after["OrgUnit"] == before["OrgUnit"]

    # And loading the changed file again is a no-op.
    organization_load(path)
    assert snapshot() == after


def test_a_moved_unit_becomes_a_new_version(tmp_path):
    spec = data()
    zabita = find(spec["units"], "zabita")
    by2 = find(spec["units"], "by-2")
    by2["children"].remove(zabita)
    find(spec["units"], "by-3")["children"].append(zabita)
    organization_load(write(tmp_path, spec))
    unit = OrgUnit.objects.get(code="zabita")
    assert unit.parent.code == "by-3"
    assert [v.parent.code for v in unit.versions.order_by("valid_from")] == ["by-2", "by-3"]


def test_a_new_unit_and_post_are_added(tmp_path):
    spec = data()
    find(spec["units"], "bilgi-islem")["children"].append(
        {
            "code": "bilgi-islem-siber",
            "name": "Siber Güvenlik Birimi",
            "kind": "birim",
            "positions": [{"kind": "birim_sorumlusu"}, {"kind": "isci"}],
        }
    )
    stats = organization_load(write(tmp_path, spec))
    assert stats["units_created"] == ["bilgi-islem-siber"]
    assert stats["positions_created"] == 2
    unit = OrgUnit.objects.get(code="bilgi-islem-siber")
    assert unit.valid_from == datetime.date(2024, 1, 1)  # effective_from of the file
    assert unit.versions.count() == 1
    # Posts without a title get a Turkish one.
    assert sorted(unit.positions.values_list("title", flat=True)) == [
        "Siber Güvenlik Birimi Sorumlusu",
        "Siber Güvenlik Birimi İşçisi",
    ]


BAD = {
    "not yaml": "units: [\n  - {",
    "not a mapping": "- a\n- b\n",
    "no units": "institution: {name: X}\n",
    "no institution": "units: []\n",
    "institution without name": {"institution": {"phone": "1"}, "units": [{"code": "a"}]},
    "unit without kind": {
        "institution": {"name": "X"},
        "units": [{"code": "yeni-birim", "name": "Yeni"}],
    },
    "unknown unit kind": {
        "institution": {"name": "X"},
        "units": [{"code": "yeni-birim", "name": "Yeni", "kind": "daire"}],
    },
    "unknown post kind": {
        "institution": {"name": "X"},
        "units": [
            {
                "code": "yeni-birim",
                "name": "Yeni",
                "kind": "birim",
                "positions": [{"kind": "genel_mudur"}],
            }
        ],
    },
    "duplicate code": {
        "institution": {"name": "X"},
        "units": [
            {"code": "yeni-birim", "name": "A", "kind": "birim"},
            {"code": "yeni-birim", "name": "B", "kind": "birim"},
        ],
    },
    "bad code": {
        "institution": {"name": "X"},
        "units": [{"code": "Yeni Birim!", "name": "A", "kind": "birim"}],
    },
    "bad date": {
        "effective_from": "dün",
        "institution": {"name": "X"},
        "units": [{"code": "yeni-birim", "name": "A", "kind": "birim"}],
    },
}


@pytest.mark.parametrize("content", BAD.values(), ids=BAD.keys())
def test_a_bad_file_is_refused_and_nothing_written(tmp_path, content):
    path = write(tmp_path, content)
    before = snapshot()
    with pytest.raises(DomainError) as info:
        organization_load(path)
    assert "file" in info.value.errors
    assert snapshot() == before
    assert Institution.objects.get().name == "Karasu Belediyesi"


def test_a_good_start_then_a_bad_unit_writes_nothing(tmp_path):
    spec = data()
    spec["institution"]["name"] = "Başka Belediyesi"
    find(spec["units"], "bilgi-islem-sistem")["name"] = "Değişti"
    spec["units"].append({"code": "sonra", "name": "Sonra", "kind": "bilinmeyen"})
    before = snapshot()
    with pytest.raises(DomainError):
        organization_load(write(tmp_path, spec))
    assert snapshot() == before
    assert Institution.objects.get().name == "Karasu Belediyesi"
    assert OrgUnit.objects.get(code="bilgi-islem-sistem").name == "Sistem Birimi"


def test_a_missing_file_is_refused(tmp_path):
    with pytest.raises(DomainError):
        organization_load(tmp_path / "yok.yaml")
    with pytest.raises(CommandError):
        call_command("load_organization", file=str(tmp_path / "yok.yaml"))


def test_bad_demo_people_are_refused(tmp_path):
    spec = data()
    spec["demo_people"] = [
        {"username": "x", "first_name": "X", "last_name": "Y", "unit": "yok", "kind": "memur"}
    ]
    before = snapshot()
    with pytest.raises(DomainError):
        demo_load(write(tmp_path, spec))
    assert snapshot() == before


def test_the_four_units_of_article_7_4_are_under_bilgi_islem():
    directorate = OrgUnit.objects.get(code="bilgi-islem")
    assert directorate.kind == "mudurluk" and directorate.is_system_owner
    assert directorate.parent.code == "by-1"
    children = directorate.children.order_by("sort_order")
    assert [(u.name, u.kind) for u in children] == [
        ("Teknik Destek Birimi", "birim"),
        ("Sistem Birimi", "birim"),
        ("Kalem Birimi", "birim"),
        ("Yazılım Birimi", "birim"),
    ]
    for unit in children:
        assert unit.positions.filter(kind="birim_sorumlusu").exists()
        assert unit.versions.get().valid_to is None


def test_every_directorate_hangs_under_a_deputy_mayorship():
    for unit in OrgUnit.objects.filter(kind="mudurluk"):
        assert unit.parent.kind == "baskan_yardimciligi", unit
    assert OrgUnit.objects.get(parent__isnull=True).code == "baskanlik"


def test_sample_values_are_marked():
    institution = Institution.objects.get()
    assert institution.letterhead == "KARASU BELEDİYE BAŞKANLIĞI"
    for field in ("detsis_no", "address", "phone", "email", "kep_address"):
        assert institution.is_sample(field)
    assert not institution.is_sample("name")
    assert not institution.is_sample("website")
    assert OrgUnit.objects.get(code="bilgi-islem").detsis_is_sample
    assert not OrgUnit.objects.get(code="bilgi-islem-sistem").detsis_is_sample


def test_demo_people_hold_their_posts():
    expected = {
        "baskan": ("baskanlik", "baskan"),
        "baskan.yardimcisi": ("by-1", "baskan_yardimcisi"),
        "mudur": ("bilgi-islem", "mudur"),
        "sef": ("bilgi-islem", "sef"),
        "memur": ("bilgi-islem-teknik-destek", "memur"),
        "kalem": ("bilgi-islem-kalem", "memur"),
        "arsiv": ("bilgi-islem-kalem", "arsiv_gorevlisi"),
        "yaziisleri.mudur": ("yazi-isleri", "mudur"),
        "yaziisleri": ("yazi-isleri", "memur"),
        "yazilim": ("bilgi-islem-yazilim", "memur"),
        "by2": ("by-2", "baskan_yardimcisi"),
    }
    for username, (code, kind) in expected.items():
        holding = PositionHolding.objects.active_on().get(person__username=username)
        assert (holding.position.unit.code, holding.position.kind) == (code, kind)
        assert Person.objects.get(username=username).check_password("demo")
