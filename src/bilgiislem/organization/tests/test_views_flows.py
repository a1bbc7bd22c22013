"""Organisation pages: whole flows, the chart over time, search."""

import datetime

import pytest
from django.urls import reverse

from bilgiislem.audit.models import AuditEvent
from bilgiislem.organization import services
from bilgiislem.organization.choices import UnitChangeKind
from bilgiislem.organization.models import (
    ActingAssignment,
    AppointmentRequest,
    OrgUnit,
    Person,
)

from .view_support import TODAY, d, post_acting, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# --- the flows --------------------------------------------------------------------------------


def test_acting_flow_on_pages(client_as, people, positions):
    client = client_as("mudur")
    response = post_acting(client, positions, people)
    assert response.status_code == 302
    assignment = ActingAssignment.objects.get()
    event = AuditEvent.objects.filter(action="organization.acting.created").first()
    assert event.actor_id == people["mudur"].pk
    html = client.get(reverse("organization:chart")).content.decode()
    assert f"Fatma Şahin</a> — Bilgi İşlem Müdürü V. (until {d(7)})" in html
    html = client.get(reverse("organization:acting-list")).content.decode()
    assert reverse("organization:acting-end", args=[assignment.pk]) in html
    # memur sees the assignment but not the button.
    html = client_as("memur").get(reverse("organization:acting-list")).content.decode()
    assert "Fatma Şahin" in html
    assert reverse("organization:acting-end", args=[assignment.pk]) not in html


def test_chart_on_a_past_date_after_a_rename(client_as, people, units, unit_change):
    client = client_as("baskan")
    response = client.post(reverse("organization:unit-change-approve", args=[unit_change.pk]))
    assert response.status_code == 302
    today = client.get(reverse("organization:chart")).content.decode()
    assert "Sistem ve Ağ Birimi" in today
    yesterday = client.get(reverse("organization:chart"), {"on": d(-1)}).content.decode()
    assert "Sistem ve Ağ Birimi" not in yesterday
    assert "Sistem Birimi" in yesterday
    iso = (TODAY() - datetime.timedelta(days=1)).isoformat()
    assert (
        "Sistem Birimi<" in client.get(reverse("organization:chart"), {"on": iso}).content.decode()
    )
    history = client.get(reverse("organization:unit-detail", args=[units["bilgi-islem-sistem"].pk]))
    assert "Sistem Birimi" in history.content.decode()
    assert "Sistem ve Ağ Birimi" in history.content.decode()


def test_chart_shows_closed_units_with_dates(client_as, people, units):
    request = services.unit_change_propose(
        actor=people["mudur"], kind=UnitChangeKind.CLOSE, unit=units["bilgi-islem-sistem"]
    )
    services.unit_change_approve(actor=people["baskan"], request=request)
    html = client_as("memur").get(reverse("organization:chart")).content.decode()
    assert "Sistem Birimi" in html
    assert 'class="badge closed"' in html
    before_start = client_as("memur").get(reverse("organization:chart"), {"on": "01.01.2020"})
    assert "Sistem Birimi" not in before_start.content.decode()


def test_chart_marks_sample_values(client_as):
    html = client_as("memur").get(reverse("organization:chart")).content.decode()
    assert "sample value" in html or "örnek değer" in html
    assert "Karasu Belediyesi" in html
    assert "karasubelediyesi@hs01.kep.tr" in html


def test_chart_htmx_returns_only_the_tree(client_as):
    response = client_as("memur").get(
        reverse("organization:chart"), {"on": d(-1)}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="tree"')
    assert "<html" not in html


def test_appointment_flow(client_as, people, units):
    response = client_as("mudur").post(
        reverse("organization:appointment-create"),
        {
            "unit": units["bilgi-islem-teknik-destek"].pk,
            "person": people["memur"].pk,
            "justification": "Deneyimli",
        },
    )
    request = AppointmentRequest.objects.get()
    assert response["Location"] == reverse("organization:appointment-detail", args=[request.pk])
    response = client_as("baskan").post(
        reverse("organization:appointment-approve", args=[request.pk]),
        {"approve-reason": "Uygun"},
    )
    assert response.status_code == 302
    html = client_as("memur").get(reverse("organization:chart")).content.decode()
    assert "Teknik Destek Birimi Sorumlusu:</span>\n      <a" in html


def test_delegation_revoke_flow(client_as, delegation):
    client = client_as("baskan")
    html = client.get(reverse("organization:delegation-list")).content.decode()
    assert reverse("organization:delegation-revoke", args=[delegation.pk]) in html
    response = client.post(
        reverse("organization:delegation-revoke", args=[delegation.pk]), {"reason": ""}
    )
    assert "reason" in response.context["form"].errors
    response = client.post(
        reverse("organization:delegation-revoke", args=[delegation.pk]), {"reason": "Bitti"}
    )
    assert response.status_code == 302
    html = client.get(reverse("organization:delegation-list")).content.decode()
    assert reverse("organization:delegation-revoke", args=[delegation.pk]) not in html
    assert "revoked on" in html or "geri alındı" in html


def test_people_search_folds_turkish(client_as):
    client = client_as("memur")
    for q in ["sahin", "ŞAHİN", "Şahin", "fatma sah"]:
        people = list(client.get(reverse("organization:person-list"), {"q": q}).context["people"])
        assert [p.username for p in people] == ["sef"], q
    people = client.get(reverse("organization:person-list"), {"q": "ISIK"}).context["people"]
    assert [p.username for p in people] == ["yazilim"]


def test_people_unit_filter_and_sort(client_as, units):
    client = client_as("memur")
    response = client.get(
        reverse("organization:person-list"), {"unit": units["bilgi-islem-kalem"].pk}
    )
    assert {p.username for p in response.context["people"]} == {"kalem", "arsiv"}
    response = client.get(reverse("organization:person-list"), {"unit": units["bilgi-islem"].pk})
    assert {"mudur", "sef", "memur", "kalem", "arsiv", "yazilim"} == {
        p.username for p in response.context["people"]
    }
    response = client.get(reverse("organization:person-list"), {"sort": "-username"})
    names = [p.username for p in response.context["people"]]
    assert names == sorted(names, reverse=True)
    response = client.get(reverse("organization:person-list"), {"unit": "abc", "sort": "zzz"})
    assert response.status_code == 200


def test_people_pages_of_fifty_and_csv(client_as):
    Person.objects.bulk_create(
        [
            Person(
                username=f"p{i:03}",
                first_name="Deneme",
                last_name=f"Kişi {i:03}",
                search_key=f"deneme kisi {i:03} p{i:03}",
            )
            for i in range(60)
        ]
    )
    client = client_as("memur")
    response = client.get(reverse("organization:person-list"), {"q": "deneme"})
    assert len(response.context["people"]) == 50
    response = client.get(reverse("organization:person-list"), {"q": "deneme", "page": 2})
    assert len(response.context["people"]) == 10
    response = client.get(reverse("organization:person-list"), {"q": "deneme", "page": "x"})
    assert response.status_code == 200
    response = client.get(reverse("organization:person-list"), {"q": "sahin", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "Fatma Şahin;sef" in body


# --- query counts -------------------------------------------------------------------------------


def _more_data(people, units, positions):
    """Grow the tree, the holdings and the acting assignments: counts must not follow."""
    for i in range(5):
        request = services.unit_change_propose(
            actor=people["mudur"],
            kind=UnitChangeKind.CREATE,
            name=f"Ek Birim {i}",
            parent=units["bilgi-islem"],
        )
        services.unit_change_approve(actor=people["baskan"], request=request)
    extra = [
        Person.objects.create(username=f"ek{i}", first_name="Ek", last_name=str(i))
        for i in range(5)
    ]
    for person in extra:
        services.holding_start(
            actor=None,
            person=person,
            position=positions["bilgi-islem", "memur"],
            start_date=TODAY(),
        )
    services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=TODAY(),
        end_date=TODAY(),
    )
    services.delegation_create(
        actor=people["baskan"],
        delegate=people["by2"],
        recipient_classes=["citizen"],
        units=[units["zabita"]],
        start_date=TODAY(),
        end_date=TODAY(),
    )
    for i in range(3):
        services.appointment_propose(
            actor=people["mudur"],
            unit=OrgUnit.objects.get(name=f"Ek Birim {i}"),
            person=extra[i],
        )
    services.unit_change_propose(
        actor=people["mudur"],
        kind=UnitChangeKind.RENAME,
        unit=units["bilgi-islem-kalem"],
        name="Kalem ve Arşiv Birimi",
    )


# The page's own queries, as the Mayor, whatever the amount of data. What every page costs
# besides (the session, the user, the menu and its counts) is measured on an empty page, so
# that menu entries of other apps do not move these numbers.
LIST_PAGES = {
    "chart": 5,  # institution, unit versions, posts, holdings, acting
    "person-list": 4,  # count, page, current posts, the unit filter's choices
    "acting-list": 3,  # current and upcoming, past, the posts one may arrange acting for
    "delegation-list": 2,  # delegations, their directorates
    "appointment-list": 1,
    "unit-change-list": 1,
}


def _count(client, url) -> int:
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    # Each page works its menu out, as the shell does (the menu is cached, ADR 0016): the
    # difference is then the page's own reads.
    cache.clear()
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.urls("bilgiislem.organization.tests.shell_urls")
@pytest.mark.parametrize(("name", "budget"), LIST_PAGES.items())
def test_list_pages_query_count_does_not_grow(client_as, people, units, positions, name, budget):
    client = client_as("baskan")
    url = reverse(f"organization:{name}")
    client.get(url)  # warm per-process caches (content types, translations)
    small = _count(client, url)
    _more_data(people, units, positions)
    client.get(reverse("test-shell"))
    shell = _count(client, reverse("test-shell"))
    large = _count(client, url)
    assert large <= small + 1  # +1: the delegation query once a delegation exists
    assert large - shell <= budget, (large, shell)


def test_unit_tree_is_read_once_per_request(client_as):
    """The menu, the permission checks and the page share one read of the unit tree."""
    from django.core.cache import cache
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("mudur")  # the system's Director: audit and account rights checked too
    tree = '"organization_orgunit"."parent_id" AS "parent_id", "organization_orgunit"."is_system'
    for name in LIST_PAGES:
        cache.clear()  # the menu is worked out on this request too (else it is cached)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(reverse(f"organization:{name}")).status_code == 200
        reads = [q["sql"] for q in queries.captured_queries if tree in q["sql"]]
        assert len(reads) == 1, (name, reads)


def test_chart_selector_is_five_queries(people, units, positions, django_assert_num_queries):
    from bilgiislem.organization import selectors

    _more_data(people, units, positions)
    with django_assert_num_queries(5):
        selectors.chart()
    with django_assert_num_queries(5):
        selectors.chart(datetime.date(2024, 6, 1))


def test_end_early_then_someone_else_acts(client_as, people, positions, acting):
    client = client_as("mudur")
    response = client.post(reverse("organization:acting-end", args=[acting.pk]), {"reason": ""})
    assert response.status_code == 302
    response = post_acting(
        client, positions, people, acting_person=people["memur"].pk, start_date=d(1)
    )
    # The period sef actually acted ended yesterday: memur may act from tomorrow.
    assert response.status_code == 302, response.context["form"].errors
    html = client.get(reverse("organization:acting-list")).content.decode()
    assert "ended early on" in html
    # Ending it again is refused with a message, not a 500.
    before = snapshot()
    response = client.post(reverse("organization:acting-end", args=[acting.pk]))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert snapshot() == before


def test_people_search_htmx_returns_only_results(client_as):
    response = client_as("memur").get(
        reverse("organization:person-list"), {"q": "kaya"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "Mehmet Kaya" in html
