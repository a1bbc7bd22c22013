"""Reads: the unit tree on a date, acting rights per post, and the "İşlerim" work items."""

import datetime

import pytest
import time_machine
from django.utils import timezone

from bilgiislem.organization import selectors, services
from bilgiislem.organization.choices import UnitChangeKind

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English source strings, whatever the Turkish catalogue says."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


def today():
    return timezone.localdate()


def days(n):
    return today() + datetime.timedelta(days=n)


def by_category(items):
    grouped = {}
    for item in items:
        grouped.setdefault(item.category, []).append(item)
    return grouped


@pytest.fixture
def proposals(people, units):
    appointment = services.appointment_propose(
        actor=people["mudur"], unit=units["bilgi-islem-kalem"], person=people["kalem"]
    )
    change = services.unit_change_propose(
        actor=people["mudur"],
        kind=UnitChangeKind.CREATE,
        name="Siber Güvenlik Birimi",
        parent=units["bilgi-islem"],
    )
    return appointment, change


def test_mayor_sees_requests_to_decide(people, proposals):
    items = by_category(selectors.work_items_for(people["baskan"]))
    waiting = items["Awaiting your approval"]
    assert len(waiting) == 2
    assert all(item.acting_for == "" for item in waiting)
    assert all(item.due is not None and item.due > today() for item in waiting)
    assert {item.url for item in waiting} == {
        f"/kurum/atama/{proposals[0].pk}/",
        f"/kurum/teskilat-degisikligi/{proposals[1].pk}/",
    }


def test_proposer_sees_their_pending_proposals(people, proposals):
    items = by_category(selectors.work_items_for(people["mudur"]))
    assert len(items["Your proposals"]) == 2
    assert "Awaiting your approval" not in items
    # Decided proposals leave the list.
    services.appointment_approve(actor=people["baskan"], request=proposals[0])
    items = by_category(selectors.work_items_for(people["mudur"]))
    assert len(items["Your proposals"]) == 1


def test_unrelated_people_see_nothing(people, proposals):
    assert selectors.work_items_for(people["yaziisleri"]) == []
    assert selectors.work_items_for(people["memur"]) == []


def test_acting_director_sees_the_directors_work(people, positions, proposals):
    services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=today(),
        end_date=days(7),
    )
    items = by_category(selectors.work_items_for(people["sef"]))
    assert [i.acting_for for i in items["Your proposals"]] == ["Bilgi İşlem Müdürü V."] * 2
    (acting,) = items["Acting"]
    assert acting.acting_for == "Bilgi İşlem Müdürü V."
    assert "Bilgi İşlem Müdürü" in acting.title


def test_upcoming_acting_shows_soon_but_not_far_ahead(people, positions):
    services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=days(3),
        end_date=days(5),
    )
    (item,) = by_category(selectors.work_items_for(people["sef"]))["Acting"]
    assert item.acting_for == "Bilgi İşlem Müdürü V."
    # Not acting yet: no proposals of the Director reach sef.
    services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=days(60),
        end_date=days(65),
    )
    assert len(by_category(selectors.work_items_for(people["sef"]))["Acting"]) == 1


def test_acting_mayor_decides_with_acting_for(people, positions, proposals):
    services.acting_create(
        actor=people["baskan"],
        position=positions["baskanlik", "baskan"],
        acting_person=people["baskan.yardimcisi"],
        start_date=today(),
        end_date=days(2),
    )
    items = by_category(selectors.work_items_for(people["baskan.yardimcisi"]))
    waiting = items["Awaiting your approval"]
    assert len(waiting) == 2
    assert {i.acting_for for i in waiting} == {"Belediye Başkanı V."}


def test_delegate_sees_active_delegation(people, units):
    services.delegation_create(
        actor=people["baskan"],
        delegate=people["baskan.yardimcisi"],
        recipient_classes=["public_body", "citizen"],
        start_date=today(),
        end_date=days(10),
    )
    (item,) = by_category(selectors.work_items_for(people["baskan.yardimcisi"]))[
        "Signature delegation"
    ]
    assert "Public institutions" in item.detail or "Kamu" in item.detail
    assert selectors.work_items_for(people["by2"]) == []


def test_chart_on_a_date(people, units):
    request = services.unit_change_propose(
        actor=people["mudur"],
        kind=UnitChangeKind.MOVE,
        unit=units["bilgi-islem-yazilim"],
        parent=units["bilgi-islem-sistem"],
    )
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        services.unit_change_approve(actor=people["baskan"], request=request)

    def parent_name(chart, unit_name):
        def walk(nodes, parent):
            for node in nodes:
                if node.name == unit_name:
                    return parent
                found = walk(node.children, node.name)
                if found:
                    return found
            return None

        return walk(chart.roots, None)

    assert parent_name(selectors.chart(datetime.date(2026, 3, 1)), "Yazılım Birimi") == (
        "Bilgi İşlem Müdürlüğü"
    )
    assert parent_name(selectors.chart(datetime.date(2026, 3, 2)), "Yazılım Birimi") == (
        "Sistem Birimi"
    )
    # Before the organisation existed, the tree is empty.
    assert selectors.chart(datetime.date(2023, 12, 31)).roots == []


def test_chart_holders_on_a_date(people, positions):
    old = selectors.chart(datetime.date(2024, 1, 1))
    bilgi = old.roots[0].children[0].children[0]
    director = next(p for p in bilgi.posts if p.position.kind == "mudur")
    assert [h.person.username for h in director.holdings] == ["mudur"]


def test_acting_manageable_positions(people, positions):
    mudur = selectors.acting_manageable_position_ids(people["mudur"])
    assert positions["bilgi-islem", "mudur"].pk in mudur
    assert positions["bilgi-islem", "sef"].pk in mudur
    assert positions["bilgi-islem-teknik-destek", "memur"].pk in mudur
    assert positions["yazi-isleri", "mudur"].pk not in mudur
    sef = selectors.acting_manageable_position_ids(people["sef"])
    assert positions["bilgi-islem", "mudur"].pk not in sef
    assert positions["bilgi-islem-teknik-destek", "memur"].pk in sef
    baskan = selectors.acting_manageable_position_ids(people["baskan"])
    assert positions["yazi-isleri", "mudur"].pk in baskan
    assert selectors.acting_manageable_position_ids(people["memur"]) == {
        positions["bilgi-islem-teknik-destek", "memur"].pk
    }


def test_people_search_every_word():
    from bilgiislem.organization.models import Person

    found = selectors.people_search(Person.objects.all(), "  AYŞE   demir ")
    assert [p.username for p in found] == ["baskan.yardimcisi"]


def test_add_business_days():
    friday = datetime.date(2026, 11, 27)
    assert selectors.add_business_days(friday, 1) == datetime.date(2026, 11, 30)
    assert selectors.add_business_days(friday, 5) == datetime.date(2026, 12, 4)


def _node(chart, code):
    stack = list(chart.roots)
    while stack:
        node = stack.pop()
        if node.unit.code == code:
            return node
        stack.extend(node.children)
    return None


def test_chart_leaves_out_posts_set_up_later(people, units, positions):
    from bilgiislem.organization.models import Position

    later = Position.objects.create(
        unit=units["bilgi-islem-sistem"], kind="isci", title="Sistem Birimi İşçisi"
    )
    later.created_on = days(-10)
    later.save(update_fields=["created_on"])
    head = positions["bilgi-islem-sistem", "birim_sorumlusu"]

    def post_ids(on):
        return {p.position.pk for p in _node(selectors.chart(on), "bilgi-islem-sistem").posts}

    assert later.pk in post_ids(today())
    assert later.pk not in post_ids(days(-20))
    assert head.pk in post_ids(days(-20))  # set up with its unit: vacant then, and shown
    # A post someone held on the day is shown, whatever its recorded date says.
    services.holding_start(
        actor=people["mudur"], person=people["yazilim"], position=later, start_date=days(-20)
    )
    assert later.pk in post_ids(days(-20))


def test_chart_shows_closed_units_without_posts(people, units):
    request = services.unit_change_propose(
        actor=people["mudur"], kind=UnitChangeKind.CLOSE, unit=units["bilgi-islem-sistem"]
    )
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        services.unit_change_approve(actor=people["baskan"], request=request)
    before = _node(selectors.chart(datetime.date(2026, 2, 28)), "bilgi-islem-sistem")
    assert not before.closed
    assert any(p.is_head for p in before.posts)
    after = _node(selectors.chart(datetime.date(2026, 3, 2)), "bilgi-islem-sistem")
    assert after.closed
    assert after.posts == []  # no "vacant" head for a unit that no longer exists


def test_chart_titles_read_as_they_did_on_the_date(people, units, positions):
    request = services.unit_change_propose(
        actor=people["mudur"],
        kind=UnitChangeKind.RENAME,
        unit=units["bilgi-islem-sistem"],
        name="Sistem ve Ağ Birimi",
    )
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        services.unit_change_approve(actor=people["baskan"], request=request)
    head = positions["bilgi-islem-sistem", "birim_sorumlusu"]
    head.title = "Sistem ve Ağ Birimi Sorumlusu"  # as reloading the data file would set it
    head.save(update_fields=["title"])

    def head_title(on):
        node = _node(selectors.chart(on), "bilgi-islem-sistem")
        return next(p.title for p in node.posts if p.is_head)

    assert head_title(datetime.date(2026, 3, 1)) == "Sistem Birimi Sorumlusu"
    assert head_title(datetime.date(2026, 3, 2)) == "Sistem ve Ağ Birimi Sorumlusu"


def test_chart_page_on_a_past_date_uses_the_titles_of_then(client_as, people, units, positions):
    from django.urls import reverse

    request = services.unit_change_propose(
        actor=people["mudur"],
        kind=UnitChangeKind.RENAME,
        unit=units["bilgi-islem-sistem"],
        name="Sistem ve Ağ Birimi",
    )
    with time_machine.travel(datetime.datetime(2026, 3, 2, 10, tzinfo=datetime.UTC), tick=False):
        services.unit_change_approve(actor=people["baskan"], request=request)
    head = positions["bilgi-islem-sistem", "birim_sorumlusu"]
    head.title = "Sistem ve Ağ Birimi Sorumlusu"
    head.save(update_fields=["title"])
    html = client_as("memur").get(reverse("organization:chart"), {"on": "01.03.2026"})
    html = html.content.decode()
    assert "Sistem Birimi Sorumlusu" in html
    assert "Sistem ve Ağ Birimi" not in html
