"""People administration by the system's Director: accounts and post holdings (görevlendirme).

Services rule by rule, then the pages and the API over real HTTP: the authorization matrix
(anonymous, another directorate, same directorate without the post, the Director, the Chief
while acting for the Director) and bad input, each asserting that nothing changed.
"""

import datetime

import pytest
from django.http import HttpRequest
from django.urls import reverse
from rest_framework.test import APIClient

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError
from bilgiislem.organization import services
from bilgiislem.organization.models import Person, PositionHolding

from .factories import PersonFactory
from .view_support import TODAY, d, login_url_in, snapshot

pytestmark = pytest.mark.django_db

STRONG = "Kırmızı-Elma-42!"
API = "/api/org"


def day(n: int) -> datetime.date:
    return TODAY() + datetime.timedelta(days=n)


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


@pytest.fixture
def sef_acting(people, positions):
    """The Chief acts for the Director this week (vekalet)."""
    return services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=TODAY(),
        end_date=day(7),
    )


@pytest.fixture
def newcomer():
    return PersonFactory(username="yeni.memur", first_name="Deniz", last_name="Kara")


@pytest.fixture
def holding(people, positions, newcomer):
    return services.holding_start(
        actor=people["mudur"],
        person=newcomer,
        position=positions["bilgi-islem-sistem", "memur"],
        start_date=day(-30),
    )


# --- services --------------------------------------------------------------------------------


def test_person_create_with_a_password_can_log_in(client, people):
    person = services.person_create(
        actor=people["mudur"],
        username="  yeni.kisi ",
        first_name="İlker",
        last_name="Işıl",
        email="ilker@example.invalid",
        title="Tekniker",
        password=STRONG,
    )
    assert person.username == "yeni.kisi"
    assert person.check_password(STRONG)
    event = last_event()
    assert event.action == "organization.person.created"
    assert event.changes["password_set"] is True
    assert STRONG not in str(event.changes)
    assert client.login(request=HttpRequest(), username="yeni.kisi", password=STRONG)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "MEMUR"}, "username"),  # taken, whatever the case
        ({"username": "bad name"}, "username"),
        ({"username": "x" * 151}, "username"),
        ({"username": ""}, "username"),
        ({"first_name": "  "}, "first_name"),
        ({"last_name": "x" * 151}, "last_name"),
        ({"email": "not-an-address"}, "email"),
        ({"title": "x" * 101}, "title"),
        ({"phone": "1" * 51}, "phone"),
        ({"password": "123"}, "password"),
        ({"password": "yeni.kisi1"}, "password"),  # too like the username
    ],
)
def test_person_create_refuses_bad_input(people, overrides, field):
    before = snapshot()
    values = {"username": "yeni.kisi", "first_name": "İlker", "last_name": "Işıl"}
    values.update(overrides)
    with pytest.raises(DomainError) as info:
        services.person_create(actor=people["mudur"], **values)
    assert field in info.value.errors, info.value.errors
    assert snapshot() == before


def test_holding_start_checks_dates_unit_and_account(people, positions, units, newcomer):
    memur = positions["bilgi-islem-sistem", "memur"]
    with pytest.raises(DomainError) as info:
        services.holding_start(
            actor=people["mudur"],
            person=newcomer,
            position=memur,
            start_date=datetime.date(2020, 1, 1),  # before the organisation's units existed
        )
    assert "start_date" in info.value.errors
    services.person_disable(actor=people["mudur"], person=newcomer, reason="Ayrıldı")
    with pytest.raises(DomainError) as info:
        services.holding_start(
            actor=people["mudur"], person=newcomer, position=memur, start_date=TODAY()
        )
    assert "person" in info.value.errors


@pytest.mark.parametrize(
    ("who", "post", "field"),
    [
        ("mudur", ("bilgi-islem-sistem", "memur"), "person"),  # not to oneself
        ("newcomer", ("baskanlik", "baskan"), "position"),  # not above one's own post
        ("newcomer", ("by-1", "baskan_yardimcisi"), "position"),
        ("newcomer", ("bilgi-islem-sistem", "birim_sorumlusu"), "position"),  # art. 7(2)
    ],
)
def test_the_director_cannot_assign_their_way_up(people, positions, newcomer, who, post, field):
    person = newcomer if who == "newcomer" else people[who]
    if post[1] == "baskan":  # make the post free, so only the rank rule can refuse it
        mayor = positions[post].holdings.get()
        mayor.end_date = day(-1)
        mayor.save(update_fields=["end_date"])
    before = snapshot()
    with pytest.raises(DomainError) as info:
        services.holding_start(
            actor=people["mudur"], person=person, position=positions[post], start_date=TODAY()
        )
    assert field in info.value.errors, info.value.errors
    assert snapshot() == before


def test_the_director_cannot_end_a_post_above_their_own(people, positions):
    mayor = positions["baskanlik", "baskan"].holdings.get()
    with pytest.raises(DomainError):
        services.holding_end(actor=people["mudur"], holding=mayor, end_date=TODAY())
    mayor.refresh_from_db()
    assert mayor.end_date is None


def test_a_superuser_records_any_post(people, positions, newcomer):
    root = PersonFactory(is_superuser=True)
    services.holding_start(
        actor=root,
        person=newcomer,
        position=positions["bilgi-islem-sistem", "birim_sorumlusu"],
        start_date=TODAY(),
    )
    assert newcomer.holdings.get().position.kind == "birim_sorumlusu"


def test_holding_end_cannot_be_moved_into_the_next_holder(people, positions, newcomer):
    director = positions["bilgi-islem", "mudur"]
    current = PositionHolding.objects.get(position=director, person=people["mudur"])
    services.holding_end(actor=people["mudur"], holding=current, end_date=day(10))
    services.holding_start(
        actor=people["mudur"], person=newcomer, position=director, start_date=day(11)
    )
    before = snapshot()
    with pytest.raises(DomainError) as info:
        services.holding_end(actor=people["mudur"], holding=current, end_date=day(20))
    assert "end_date" in info.value.errors
    assert snapshot() == before
    current.refresh_from_db()
    assert current.end_date == day(10)
    # Moving it earlier is fine.
    services.holding_end(actor=people["mudur"], holding=current, end_date=day(5))


def test_acting_director_manages_people_with_the_post_recorded(people, sef_acting, newcomer):
    services.holding_start(
        actor=people["sef"],
        person=newcomer,
        position=Person.objects.get(username="memur").holdings.get().position,
        start_date=TODAY(),
    )
    assert last_event().acting_for == "Bilgi İşlem Müdürü"


# --- pages: the authorization matrix ---------------------------------------------------------

PAGE_MATRIX = [
    (None, "login"),
    ("yaziisleri", 403),
    ("memur", 403),
    ("sef", 403),  # the Chief, not acting
    ("baskan", 403),  # the Mayor does not keep the accounts
    ("mudur", 302),
    ("sef+acting", 302),
]


def _client(request, client, username):
    if username is None:
        return client
    if username == "sef+acting":
        request.getfixturevalue("sef_acting")
        username = "sef"
    client.force_login(Person.objects.get(username=username))
    return client


def _assert_refused_page(response, expected, before):
    if expected == "login":
        assert login_url_in(response)
    else:
        assert response.status_code == expected
    assert snapshot() == before


@pytest.mark.parametrize(("username", "expected"), PAGE_MATRIX)
def test_matrix_person_create(request, client, username, expected):
    client = _client(request, client, username)
    before = snapshot()
    url = reverse("organization:person-create")
    data = {
        "username": "yeni.kisi",
        "first_name": "Deniz",
        "last_name": "Kara",
        "password": STRONG,
        "password_confirm": STRONG,
    }
    if expected != 302:
        _assert_refused_page(client.get(url), expected, before)
        _assert_refused_page(client.post(url, data), expected, before)
        return
    assert client.get(url).status_code == 200
    response = client.post(url, data)
    person = Person.objects.get(username="yeni.kisi")
    assert response.status_code == 302
    assert response["Location"] == reverse("organization:person-detail", args=[person.pk])
    assert person.check_password(STRONG)


@pytest.mark.parametrize(("username", "expected"), PAGE_MATRIX)
def test_matrix_holding_create(request, client, positions, newcomer, username, expected):
    client = _client(request, client, username)
    before = snapshot()
    url = reverse("organization:holding-create", args=[newcomer.pk])
    data = {"position": positions["bilgi-islem-sistem", "memur"].pk, "start_date": d()}
    if expected != 302:
        _assert_refused_page(client.get(url), expected, before)
        _assert_refused_page(client.post(url, data), expected, before)
        return
    assert client.get(url).status_code == 200
    assert client.post(url, data).status_code == 302
    assert newcomer.holdings.get().start_date == TODAY()


@pytest.mark.parametrize(("username", "expected"), PAGE_MATRIX)
def test_matrix_holding_end(request, client, holding, username, expected):
    client = _client(request, client, username)
    before = snapshot()
    url = reverse("organization:holding-end", args=[holding.pk])
    if expected != 302:
        _assert_refused_page(client.get(url), expected, before)
        _assert_refused_page(client.post(url, {"end_date": d()}), expected, before)
        holding.refresh_from_db()
        assert holding.end_date is None
        return
    assert client.get(url).status_code == 200
    assert client.post(url, {"end_date": d()}).status_code == 302
    holding.refresh_from_db()
    assert holding.end_date == TODAY()


def test_admin_links_only_for_the_people_admin(client_as, people, holding):
    url = reverse("organization:person-detail", args=[holding.person_id])
    html = client_as("mudur").get(url).content.decode()
    assert reverse("organization:holding-create", args=[holding.person_id]) in html
    assert reverse("organization:holding-end", args=[holding.pk]) in html
    list_html = client_as("mudur").get(reverse("organization:person-list")).content.decode()
    assert reverse("organization:person-create") in list_html
    for username in ("memur", "baskan"):
        html = client_as(username).get(url).content.decode()
        assert reverse("organization:holding-create", args=[holding.person_id]) not in html
        assert reverse("organization:holding-end", args=[holding.pk]) not in html
        list_html = client_as(username).get(reverse("organization:person-list")).content.decode()
        assert reverse("organization:person-create") not in list_html


def test_unknown_ids_are_404(client_as):
    client = client_as("mudur")
    for name in ("holding-create", "holding-end"):
        url = reverse(f"organization:{name}", args=[999_999])
        assert client.get(url).status_code == 404
        assert client.post(url, {"end_date": d()}).status_code == 404


# --- pages: bad input -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "memur"}, "username"),
        ({"username": "Memur"}, "username"),
        ({"username": "a b"}, "username"),
        ({"username": "x" * 151}, "username"),
        ({"first_name": ""}, "first_name"),
        ({"title": "x" * 101}, "title"),
        ({"phone": "1" * 51}, "phone"),
        ({"email": "nope"}, "email"),
        ({"password": "12345678", "password_confirm": "12345678"}, "password"),
        ({"password": "kisa", "password_confirm": "kisa"}, "password"),
        ({"password": STRONG, "password_confirm": STRONG + "x"}, "password_confirm"),
        ({"password": STRONG, "password_confirm": ""}, "password_confirm"),
        ({"password": "", "password_confirm": STRONG}, "password_confirm"),
        ({"password": "x" * 129, "password_confirm": "x" * 129}, "password"),
    ],
)
def test_person_create_form_errors(client_as, overrides, field):
    client = client_as("mudur")
    before = snapshot()
    data = {
        "username": "yeni.kisi",
        "first_name": "Deniz",
        "last_name": "Kara",
        "password": STRONG,
        "password_confirm": STRONG,
    }
    data.update(overrides)
    response = client.post(reverse("organization:person-create"), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert snapshot() == before


def test_person_create_without_a_password_is_unusable(client_as):
    response = client_as("mudur").post(
        reverse("organization:person-create"),
        {"username": "parolasiz", "first_name": "Deniz", "last_name": "Kara"},
    )
    assert response.status_code == 302
    assert not Person.objects.get(username="parolasiz").has_usable_password()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_date": d(5), "end_date": d(1)}, "end_date"),
        ({"start_date": "31.02.2025"}, "start_date"),
        ({"start_date": ""}, "start_date"),
        ({"start_date": "01.01.2020"}, "start_date"),  # the unit did not exist yet
        ({"position": 999_999}, "position"),
        ({"position": "abc"}, "position"),
        ({"position": ("bilgi-islem", "mudur")}, "position"),  # already has its holder
    ],
)
def test_holding_create_form_errors(client_as, positions, newcomer, overrides, field):
    if isinstance(overrides.get("position"), tuple):
        overrides = {**overrides, "position": positions[overrides["position"]].pk}
    client = client_as("mudur")
    before = snapshot()
    data = {"position": positions["bilgi-islem-sistem", "memur"].pk, "start_date": d()}
    data.update(overrides)
    response = client.post(reverse("organization:holding-create", args=[newcomer.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors, response.context["form"].errors
    assert snapshot() == before


@pytest.mark.parametrize(
    ("end_date", "field"),
    [(d(-31), "end_date"), ("dün", "end_date"), ("", "end_date"), (d(-30 + 0), None)],
)
def test_holding_end_form_errors(client_as, holding, end_date, field):
    client = client_as("mudur")
    if field is None:  # ending on the first day is allowed
        assert (
            client.post(
                reverse("organization:holding-end", args=[holding.pk]), {"end_date": end_date}
            ).status_code
            == 302
        )
        return
    before = snapshot()
    response = client.post(
        reverse("organization:holding-end", args=[holding.pk]), {"end_date": end_date}
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert snapshot() == before
    holding.refresh_from_db()
    assert holding.end_date is None


# --- API ---------------------------------------------------------------------------------------

API_MATRIX = [
    (None, (401, 403)),
    ("yaziisleri", 403),
    ("memur", 403),
    ("sef", 403),
    ("baskan", 403),
    ("mudur", "ok"),
    ("sef+acting", "ok"),
]


def _api(request, username):
    client = APIClient()
    if username == "sef+acting":
        request.getfixturevalue("sef_acting")
        username = "sef"
    if username is not None:
        client.force_login(Person.objects.get(username=username))
    return client


def _assert_refused_api(response, expected, before):
    if isinstance(expected, tuple):
        assert response.status_code in expected, response.content
    else:
        assert response.status_code == expected, response.content
    assert snapshot() == before


@pytest.mark.parametrize(("username", "expected"), API_MATRIX)
def test_api_person_create_matrix(request, username, expected):
    client = _api(request, username)
    before = snapshot()
    payload = {"username": "yeni.kisi", "first_name": "Deniz", "last_name": "Kara"}
    response = client.post(f"{API}/people/", payload, format="json")
    if expected != "ok":
        _assert_refused_api(response, expected, before)
        return
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["username"] == "yeni.kisi"
    assert body["posts"] == []
    assert "password" not in body
    assert not Person.objects.get(username="yeni.kisi").has_usable_password()


@pytest.mark.parametrize(("username", "expected"), API_MATRIX)
def test_api_holding_create_matrix(request, positions, newcomer, username, expected):
    client = _api(request, username)
    before = snapshot()
    response = client.post(
        f"{API}/people/{newcomer.pk}/holdings/",
        {"position": positions["bilgi-islem-sistem", "memur"].pk, "start_date": str(TODAY())},
        format="json",
    )
    if expected != "ok":
        _assert_refused_api(response, expected, before)
        return
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["person"]["username"] == "yeni.memur"
    assert body["position"]["title"] == "Sistem Birimi Memuru"
    assert body["end_date"] is None


@pytest.mark.parametrize(("username", "expected"), API_MATRIX)
def test_api_holding_end_matrix(request, holding, username, expected):
    client = _api(request, username)
    before = snapshot()
    response = client.post(
        f"{API}/holdings/{holding.pk}/end/", {"end_date": str(TODAY())}, format="json"
    )
    holding.refresh_from_db()
    if expected != "ok":
        _assert_refused_api(response, expected, before)
        assert holding.end_date is None
        return
    assert response.status_code == 200, response.content
    assert response.json()["end_date"] == str(TODAY())
    assert holding.end_date == TODAY()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "MEMUR"}, "username"),
        ({"username": "a b"}, "username"),
        ({"username": "x" * 151}, "username"),
        ({"first_name": ""}, "first_name"),
        ({"last_name": None}, "last_name"),
        ({"email": "nope"}, "email"),
        ({"title": "x" * 101}, "title"),
        ({"phone": "1" * 51}, "phone"),
        ({"password": "123"}, "password"),
        ({"password": "x" * 129}, "password"),
    ],
)
def test_api_person_create_bad_input(request, overrides, field):
    client = _api(request, "mudur")
    before = snapshot()
    payload = {"username": "yeni.kisi", "first_name": "Deniz", "last_name": "Kara"}
    payload.update(overrides)
    response = client.post(f"{API}/people/", payload, format="json")
    _assert_refused_api(response, 400, before)
    assert field in response.json(), response.json()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_date": str(day(5)), "end_date": str(day(1))}, "end_date"),
        ({"start_date": "2025-02-30"}, "start_date"),
        ({"start_date": None}, "start_date"),
        ({"position": 999_999_999}, "position"),
        ({"position": "abc"}, "position"),
        ({"position": ("bilgi-islem", "mudur")}, "position"),  # a second Director
        ({"position": ("bilgi-islem-sistem", "birim_sorumlusu")}, "position"),
    ],
)
def test_api_holding_create_bad_input(request, people, positions, newcomer, overrides, field):
    if isinstance(overrides.get("position"), tuple):
        if overrides["position"][1] == "birim_sorumlusu":
            services.holding_start(
                actor=None,  # as the Mayor's approval of an appointment would
                person=people["yazilim"],
                position=positions[overrides["position"]],
                start_date=day(-5),
            )
        overrides = {**overrides, "position": positions[overrides["position"]].pk}
    client = _api(request, "mudur")
    before = snapshot()
    payload = {"position": positions["bilgi-islem-sistem", "memur"].pk, "start_date": str(TODAY())}
    payload.update(overrides)
    response = client.post(f"{API}/people/{newcomer.pk}/holdings/", payload, format="json")
    _assert_refused_api(response, 400, before)
    assert field in response.json(), response.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"end_date": str(day(-31))}, "end_date"),
        ({"end_date": "yesterday"}, "end_date"),
        ({}, "end_date"),
    ],
)
def test_api_holding_end_bad_input(request, holding, payload, field):
    client = _api(request, "mudur")
    before = snapshot()
    response = client.post(f"{API}/holdings/{holding.pk}/end/", payload, format="json")
    _assert_refused_api(response, 400, before)
    assert field in response.json()
    holding.refresh_from_db()
    assert holding.end_date is None


def test_api_unknown_ids_are_404(request):
    client = _api(request, "mudur")
    before = snapshot()
    assert client.post(f"{API}/people/999999/holdings/", {}, format="json").status_code == 404
    response = client.post(f"{API}/holdings/999999/end/", {"end_date": str(TODAY())})
    assert response.status_code == 404
    assert snapshot() == before


def test_api_holdings_list_filters(request, holding):
    client = _api(request, "memur")  # holdings are public inside the organisation
    response = client.get(f"{API}/holdings/", {"person": holding.person_id})
    assert response.status_code == 200
    assert [h["id"] for h in response.json()["results"]] == [holding.pk]
    assert client.get(f"{API}/holdings/", {"person": "abc"}).status_code == 400
