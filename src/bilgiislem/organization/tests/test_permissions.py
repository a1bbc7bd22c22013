"""What a person may do follows the posts they hold and act for (issue 2: access rules)."""

import datetime
import zoneinfo

import pytest

from bilgiislem.organization import permissions, services
from bilgiislem.organization.models import OrgUnit, Person
from bilgiislem.organization.permissions import (
    audit_reader_post,
    can_view_audit,
    effective_posts,
    managed_unit_ids,
    people_admin_post,
    superior_post,
)

from .factories import PositionHoldingFactory

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo("Europe/Istanbul")
TODAY = datetime.date(2025, 3, 10)  # a Monday


def day(n: int) -> datetime.date:
    return datetime.date(2025, 3, n)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime.datetime(2025, 3, 10, 10, 0, tzinfo=TZ), tick=False)
    return time_machine


def go_to(frozen, date: datetime.date, hour: int = 10):
    frozen.move_to(datetime.datetime(date.year, date.month, date.day, hour, tzinfo=TZ), tick=False)


def fresh(username: str) -> Person:
    """A new instance, so no per-instance permission cache carries over."""
    return Person.objects.get(username=username)


def kinds(person, on=None):
    return [(p.kind, p.acting is not None) for p in effective_posts(person, on)]


@pytest.fixture
def sef_acts_for_director(people, positions):
    """Şef acts for the Director from the 12th to the 14th, recorded by the Director."""
    return services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=day(12),
        end_date=day(14),
        reason="yıllık izin",
    )


# --- effective_posts --------------------------------------------------------------------------


def test_held_post_is_effective(people):
    (post,) = effective_posts(people["mudur"])
    assert post.kind == "mudur"
    assert post.acting is None
    assert post.label == "Bilgi İşlem Müdürü"


def test_anonymous_and_disabled_people_have_no_posts(people):
    from django.contrib.auth.models import AnonymousUser

    assert effective_posts(AnonymousUser()) == []
    memur = people["memur"]
    Person.objects.filter(pk=memur.pk).update(is_active=False)
    assert effective_posts(fresh("memur")) == []


@pytest.mark.parametrize(
    ("date", "acting"),
    [(day(11), False), (day(12), True), (day(13), True), (day(14), True), (day(15), False)],
)
def test_acting_post_counts_only_during_its_period(frozen, sef_acts_for_director, date, acting):
    go_to(frozen, date)
    expected = [("mudur", True), ("sef", False)] if acting else [("sef", False)]
    assert kinds(fresh("sef")) == expected
    # The same answer when asking about that date from another day.
    go_to(frozen, TODAY)
    assert kinds(fresh("sef"), on=date) == expected


def test_acting_post_label_reads_v(frozen, sef_acts_for_director):
    go_to(frozen, day(12))
    acting = effective_posts(fresh("sef"))[0]
    assert acting.acting == sef_acts_for_director
    assert acting.label == "Bilgi İşlem Müdürü V."
    assert str(acting) == "Bilgi İşlem Müdürü V."


def test_acting_ends_by_itself_at_midnight_after_the_end_date(frozen, sef_acts_for_director):
    go_to(frozen, day(14), hour=23)
    assert ("mudur", True) in kinds(fresh("sef"))
    frozen.move_to(datetime.datetime(2025, 3, 15, 0, 1, tzinfo=TZ), tick=False)
    assert ("mudur", True) not in kinds(fresh("sef"))


def test_acting_ended_early_stops_counting_from_that_day(frozen, people, positions):
    assignment = services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=day(10),
        end_date=day(20),
    )
    go_to(frozen, day(13), hour=9)
    services.acting_end(actor=fresh("mudur"), assignment=assignment, reason="döndü")
    assert kinds(fresh("sef")) == [("sef", False)]
    assert kinds(fresh("sef"), on=day(12)) == [("mudur", True), ("sef", False)]
    assert kinds(fresh("sef"), on=day(16)) == [("sef", False)]


# --- superior_post ----------------------------------------------------------------------------

ABOVE = [
    # (who, unit code, post kind, is above)
    ("baskan", "by-1", "baskan_yardimcisi", True),
    ("baskan", "by-2", "baskan_yardimcisi", True),
    ("baskan", "bilgi-islem", "mudur", True),
    ("baskan", "mali-hizmetler", "mudur", True),
    ("baskan", "bilgi-islem-teknik-destek", "memur", True),
    ("baskan", "baskanlik", "baskan", False),
    ("baskan.yardimcisi", "bilgi-islem", "mudur", True),
    ("baskan.yardimcisi", "yazi-isleri", "mudur", True),
    ("baskan.yardimcisi", "bilgi-islem-kalem", "memur", True),
    ("baskan.yardimcisi", "mali-hizmetler", "mudur", False),
    ("baskan.yardimcisi", "zabita", "memur", False),
    ("baskan.yardimcisi", "by-2", "baskan_yardimcisi", False),
    ("baskan.yardimcisi", "baskanlik", "baskan", False),
    ("by2", "mali-hizmetler", "mudur", True),
    ("by2", "bilgi-islem", "mudur", False),
    ("mudur", "bilgi-islem", "sef", True),
    ("mudur", "bilgi-islem", "memur", True),
    ("mudur", "bilgi-islem-teknik-destek", "birim_sorumlusu", True),
    ("mudur", "bilgi-islem-yazilim", "memur", True),
    ("mudur", "bilgi-islem", "mudur", False),
    ("mudur", "yazi-isleri", "memur", False),
    ("mudur", "by-1", "baskan_yardimcisi", False),
    ("yaziisleri.mudur", "bilgi-islem-teknik-destek", "memur", False),
    ("sef", "bilgi-islem", "mudur", False),
    ("sef", "bilgi-islem-teknik-destek", "memur", True),
    ("memur", "bilgi-islem-teknik-destek", "isci", False),
    ("memur", "bilgi-islem", "sef", False),
]


@pytest.mark.parametrize(("who", "unit", "kind", "above"), ABOVE)
def test_superior_post(people, positions, who, unit, kind, above):
    post = superior_post(people[who], positions[unit, kind])
    assert (post is not None) is above


def test_acting_director_is_above_what_the_director_is_above(
    frozen, sef_acts_for_director, positions
):
    target = positions["bilgi-islem-teknik-destek", "birim_sorumlusu"]
    go_to(frozen, day(12))
    post = superior_post(fresh("sef"), target)
    assert post.kind == "mudur" and post.acting == sef_acts_for_director


# --- managed_unit_ids -------------------------------------------------------------------------


def _ids(*codes):
    return set(OrgUnit.objects.filter(code__in=codes).values_list("id", flat=True))


BILGI_ISLEM = (
    "bilgi-islem",
    "bilgi-islem-teknik-destek",
    "bilgi-islem-sistem",
    "bilgi-islem-kalem",
    "bilgi-islem-yazilim",
)


def test_managed_units_of_the_director_and_the_chief(people):
    assert managed_unit_ids(people["mudur"]) == _ids(*BILGI_ISLEM)
    assert managed_unit_ids(people["sef"]) == _ids(*BILGI_ISLEM)


def test_managed_units_of_the_deputy_mayor_are_the_overseen_directorates(people):
    managed = managed_unit_ids(people["baskan.yardimcisi"])
    assert _ids("by-1", "yazi-isleri", "insan-kaynaklari", "basin-yayin", *BILGI_ISLEM) <= managed
    assert not managed & _ids("by-2", "mali-hizmetler", "baskanlik", "by-3")


def test_managed_units_of_the_mayor_are_all(people):
    assert managed_unit_ids(people["baskan"]) == set(OrgUnit.objects.values_list("id", flat=True))


@pytest.mark.parametrize("who", ["memur", "kalem", "arsiv", "yaziisleri", "yazilim"])
def test_staff_manage_nothing(people, who):
    assert managed_unit_ids(people[who]) == set()


def test_managed_units_follow_the_date(frozen, people, positions):
    holder = PositionHoldingFactory(
        position=positions["bilgi-islem-sistem", "birim_sorumlusu"], start_date=day(12)
    ).person
    assert managed_unit_ids(holder) == set()
    go_to(frozen, day(12))
    assert managed_unit_ids(holder) == _ids("bilgi-islem-sistem")


# --- audit_reader_post, people_admin_post -----------------------------------------------------


@pytest.mark.parametrize(
    ("who", "kind"),
    [
        ("baskan", "baskan"),
        ("mudur", "mudur"),
        ("yaziisleri.mudur", None),
        ("baskan.yardimcisi", None),
        ("sef", None),
        ("memur", None),
    ],
)
def test_audit_reader_post(people, who, kind):
    post = audit_reader_post(people[who])
    assert (post.kind if post else None) == kind
    assert can_view_audit(people[who]) is (kind is not None)


def test_chief_reads_the_audit_trail_only_while_acting_for_the_director(
    frozen, sef_acts_for_director
):
    assert audit_reader_post(fresh("sef")) is None
    go_to(frozen, day(13))
    post = audit_reader_post(fresh("sef"))
    assert post is not None and post.acting == sef_acts_for_director
    go_to(frozen, day(15))
    assert audit_reader_post(fresh("sef")) is None


@pytest.mark.parametrize(
    ("who", "allowed"),
    [
        ("mudur", True),
        ("baskan", False),
        ("yaziisleri.mudur", False),
        ("sef", False),
        ("memur", False),
    ],
)
def test_people_admin_post(people, who, allowed):
    assert (people_admin_post(people[who]) is not None) is allowed


def test_acting_director_is_people_admin(frozen, sef_acts_for_director):
    go_to(frozen, day(12))
    assert people_admin_post(fresh("sef")).acting == sef_acts_for_director


def test_superuser_reads_the_audit_trail_without_a_post():
    from .factories import PersonFactory

    root = PersonFactory(is_superuser=True)
    assert audit_reader_post(root) is None
    assert can_view_audit(root)


def test_cache_is_cleared(people, positions):
    person = PositionHoldingFactory(position=positions["bilgi-islem", "memur"]).person
    assert [p.kind for p in effective_posts(person)] == ["memur"]
    PositionHoldingFactory(person=person, position=positions["bilgi-islem-kalem", "memur"])
    assert len(effective_posts(person)) == 1  # cached on the instance
    permissions.clear_cache(person)
    assert len(effective_posts(person)) == 2


def test_ending_just_after_local_midnight_counts_by_the_local_date(frozen, people, positions):
    # 00:30 in Istanbul is still the previous day in UTC; the local date decides.
    assignment = services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=day(10),
        end_date=day(20),
    )
    frozen.move_to(datetime.datetime(2025, 3, 13, 0, 30, tzinfo=TZ), tick=False)
    services.acting_end(actor=fresh("mudur"), assignment=assignment)
    assert kinds(fresh("sef"), on=day(12)) == [("mudur", True), ("sef", False)]
    assert kinds(fresh("sef"), on=day(13)) == [("sef", False)]


# --- the per-request cache of the unit tree ---------------------------------------------------


def test_unit_tree_is_read_once_per_person_object(people, django_assert_num_queries):
    mudur = fresh("mudur")
    effective_posts(mudur)  # posts are cached separately
    post = people["memur"].holdings.select_related("position").get().position
    with django_assert_num_queries(1):
        permissions.unit_parents(mudur)
        permissions.system_owner_unit_ids(mudur)
        people_admin_post(mudur)
        audit_reader_post(mudur)
        managed_unit_ids(mudur)
        superior_post(mudur, post)


def test_cached_tree_follows_an_approved_unit_change(people, units):
    """Another person object (the Director's own, in a test or a long request) sees the change."""
    mudur = fresh("mudur")
    before = managed_unit_ids(mudur)
    request = services.unit_change_propose(
        actor=people["mudur"],
        kind="create",
        name="Siber Güvenlik Birimi",
        parent=units["bilgi-islem"],
    )
    request = services.unit_change_approve(actor=people["baskan"], request=request)
    after = managed_unit_ids(mudur)
    assert after - before == {request.resulting_unit_id}
    assert request.resulting_unit_id in permissions.unit_parents(mudur)


def test_cached_posts_follow_a_holding_change_on_another_object(people, positions):
    memur = fresh("memur")
    assert people_admin_post(memur) is None
    director = positions["bilgi-islem", "mudur"]
    current = director.holdings.get()
    services.holding_end(actor=people["mudur"], holding=current, end_date=day(9))
    services.holding_start(
        actor=None,  # the system (as the data loader)
        person=Person.objects.get(username="memur"),  # a different object for the same person
        position=director,
        start_date=day(10),
    )
    assert people_admin_post(memur) is not None


def test_system_owner_follows_a_reloaded_data_file(people):
    mudur = fresh("mudur")
    assert people_admin_post(mudur) is not None
    OrgUnit.objects.filter(is_system_owner=True).update(is_system_owner=False)
    assert people_admin_post(mudur) is not None  # cached for the request
    permissions.clear_cache()  # what the loader does after loading
    assert people_admin_post(mudur) is None
