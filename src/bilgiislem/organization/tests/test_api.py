"""The organisation API over real HTTP: reads, the authorization matrix, and bad input.

Every refused write is checked twice: the status, and that nothing changed (row counts, the
audit trail, the object's own state).
"""

import datetime

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from bilgiislem.audit.models import AuditEvent
from bilgiislem.organization import services
from bilgiislem.organization.choices import RequestStatus
from bilgiislem.organization.models import (
    ActingAssignment,
    AppointmentRequest,
    OrgUnit,
    OrgUnitVersion,
    Person,
    PositionHolding,
    SignatureDelegation,
    UnitChangeRequest,
)

pytestmark = pytest.mark.django_db

API = "/api/org"
ANONYMOUS = None
TODAY = timezone.localdate


def days(n: int) -> str:
    return (TODAY() + datetime.timedelta(days=n)).isoformat()


@pytest.fixture
def api(people):
    """``api("mudur")`` is a client signed in as that demo person; ``api(None)`` is anonymous."""

    def _client(username):
        client = APIClient()
        if username is not None:
            client.force_login(people[username])
        return client

    return _client


def snapshot(*objects) -> dict:
    """Everything a refused write must leave as it was."""
    state = {
        model.__name__: model.objects.count()
        for model in (
            ActingAssignment,
            SignatureDelegation,
            AppointmentRequest,
            UnitChangeRequest,
            PositionHolding,
            OrgUnit,
            OrgUnitVersion,
            AuditEvent,
        )
    }
    state["active_people"] = Person.objects.filter(is_active=True).count()
    for obj in objects:
        fresh = type(obj).objects.get(pk=obj.pk)
        # last_login moves when the test client signs the person in; it is not the write.
        state[repr(obj)] = {
            f.attname: getattr(fresh, f.attname)
            for f in fresh._meta.concrete_fields
            if f.attname != "last_login"
        }
    return state


def assert_refused(response, expected, before, *objects):
    if isinstance(expected, tuple):
        assert response.status_code in expected, response.content
    else:
        assert response.status_code == expected, response.content
    assert snapshot(*objects) == before


# One object of each kind (acting, delegation, appointment, unit_change) comes from
# conftest.py, made through the services.


# --- reads ---------------------------------------------------------------------------------


def test_anonymous_is_refused_everywhere(api):
    client = api(ANONYMOUS)
    for url in (
        "/institution/",
        "/units/",
        "/positions/",
        "/people/",
        "/acting/",
        "/delegations/",
        "/appointments/",
        "/unit-changes/",
    ):
        assert client.get(API + url).status_code in (401, 403), url


def test_institution(api):
    response = api("memur").get(f"{API}/institution/")
    assert response.status_code == 200
    assert response.json()["name"]


def test_units_filter_by_kind_and_parent(api, units):
    client = api("memur")
    birims = client.get(f"{API}/units/", {"parent": units["bilgi-islem"].pk}).json()["results"]
    assert {u["code"] for u in birims} == {
        "bilgi-islem-teknik-destek",
        "bilgi-islem-sistem",
        "bilgi-islem-kalem",
        "bilgi-islem-yazilim",
    }
    directorates = client.get(f"{API}/units/", {"kind": "mudurluk"}).json()["results"]
    assert directorates and all(u["kind"] == "mudurluk" for u in directorates)


def test_units_on_a_date_show_the_tree_as_it_stood(api, people, units, unit_change):
    services.unit_change_approve(actor=people["baskan"], request=unit_change)
    client = api("memur")
    sistem = units["bilgi-islem-sistem"].pk

    today = client.get(f"{API}/units/{sistem}/").json()
    assert today["name"] == "Sistem ve Ağ Birimi"
    before = client.get(f"{API}/units/{sistem}/", {"on": days(-1)}).json()
    assert before["name"] == "Sistem Birimi"
    listed = client.get(f"{API}/units/", {"on": days(-1), "parent": units["bilgi-islem"].pk})
    assert "Sistem Birimi" in {u["name"] for u in listed.json()["results"]}
    # Nothing existed before the organisation was loaded.
    assert client.get(f"{API}/units/", {"on": "1990-01-01"}).json()["count"] == 0


def test_positions_list_current_holders_and_acting(api, acting, positions):
    response = api("memur").get(f"{API}/positions/{positions['bilgi-islem', 'mudur'].pk}/")
    holders = response.json()["holders"]
    assert {(h["person"]["username"], h["acting"]) for h in holders} == {
        ("mudur", False),
        ("sef", True),
    }


def test_people_search_folds_turkish_letters(api):
    client = api("memur")
    for query in ("IŞIK", "isik", "ışık", "İSMAİL"):
        results = client.get(f"{API}/people/", {"q": query}).json()["results"]
        assert [p["username"] for p in results] == ["yazilim"], query


def test_people_show_acting_posts_with_v_label(api, acting, people):
    sef = api("memur").get(f"{API}/people/{people['sef'].pk}/").json()
    assert "Bilgi İşlem Müdürü V." in [p["label"] for p in sef["posts"]]


def test_requests_are_hidden_from_those_who_may_not_see_them(api, appointment, unit_change):
    for username in ("memur", "yaziisleri"):
        client = api(username)
        assert client.get(f"{API}/appointments/").json()["count"] == 0
        assert client.get(f"{API}/appointments/{appointment.pk}/").status_code == 404
        assert client.get(f"{API}/unit-changes/{unit_change.pk}/").status_code == 404
    for username in ("mudur", "sef", "baskan"):
        assert api(username).get(f"{API}/appointments/{appointment.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("url", "max_queries"),
    [
        # Each includes the session and the user (2); appointments and organisation changes
        # also read the person's posts and the unit tree for ``visible_to`` (3).
        ("/units/", 4),
        ("/positions/", 6),
        ("/people/", 6),
        ("/holdings/", 4),
        ("/acting/", 4),
        ("/delegations/", 5),
        ("/appointments/", 7),
        ("/unit-changes/", 7),
    ],
)
def test_list_query_counts_are_bounded(
    api,
    acting,
    delegation,
    appointment,
    unit_change,
    url,
    max_queries,
    django_assert_max_num_queries,
):
    client = api("mudur")
    client.get(API + url)  # warm per-process caches (content types)
    with django_assert_max_num_queries(max_queries):
        response = client.get(API + url)
    assert response.status_code == 200
    assert response.json()["count"] >= 1


def test_acting_for_the_director_opens_the_audit_trail(api, people, positions):
    # The audit app cannot import this one, so the rule "acting carries the post's access"
    # is tested from here.
    assert api("sef").get("/api/audit/events/").status_code == 404
    services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=TODAY(),
        end_date=TODAY() + datetime.timedelta(days=2),
    )
    assert api("sef").get("/api/audit/events/").status_code == 200


# --- the authorization matrix ----------------------------------------------------------------
# (anonymous, unrelated person, same unit without the post, with the post)

UNAUTHENTICATED = (401, 403)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (ANONYMOUS, UNAUTHENTICATED),
        ("yaziisleri", 403),
        ("memur", 403),
        ("mudur", 201),
        ("baskan", 201),
    ],
)
def test_acting_create_matrix(api, people, positions, username, expected):
    before = snapshot()
    response = api(username).post(
        f"{API}/acting/",
        {
            "position": positions["bilgi-islem", "mudur"].pk,
            "acting_person": people["sef"].pk,
            "start_date": days(0),
            "end_date": days(3),
            "reason": "İzin",
        },
        format="json",
    )
    if expected == 201:
        assert response.status_code == 201, response.content
        assert response.json()["label"] == "Bilgi İşlem Müdürü V."
        assert ActingAssignment.objects.count() == before["ActingAssignment"] + 1
        assert AuditEvent.objects.count() == before["AuditEvent"] + 1
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (ANONYMOUS, UNAUTHENTICATED),
        ("yaziisleri", 403),
        ("memur", 403),
        ("mudur", 200),
        ("baskan", 200),
    ],
)
def test_acting_end_matrix(api, acting, username, expected):
    before = snapshot(acting)
    response = api(username).post(f"{API}/acting/{acting.pk}/end/", {"reason": "Döndü"})
    if expected == 200:
        assert response.status_code == 200, response.content
        assert response.json()["cancelled_at"] is not None
    else:
        assert_refused(response, expected, before, acting)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (ANONYMOUS, UNAUTHENTICATED),
        ("yaziisleri", 403),
        ("memur", 403),
        ("mudur", 403),
        ("baskan", 201),
    ],
)
def test_delegation_create_matrix(api, people, units, username, expected):
    before = snapshot()
    response = api(username).post(
        f"{API}/delegations/",
        {
            "delegate": people["baskan.yardimcisi"].pk,
            "recipient_classes": ["public_body"],
            "units": [units["bilgi-islem"].pk],
            "start_date": days(0),
            "end_date": days(10),
        },
        format="json",
    )
    if expected == 201:
        assert response.status_code == 201, response.content
        assert response.json()["units"][0]["code"] == "bilgi-islem"
    else:
        assert_refused(response, expected, before)
        if expected == 403:
            assert "Mayor" in response.json()["detail"] or "Başkan" in response.json()["detail"]


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (ANONYMOUS, UNAUTHENTICATED),
        ("yaziisleri", 403),
        ("memur", 403),
        ("mudur", 403),
        ("baskan", 200),
    ],
)
def test_delegation_revoke_matrix(api, delegation, username, expected):
    before = snapshot(delegation)
    response = api(username).post(
        f"{API}/delegations/{delegation.pk}/revoke/", {"reason": "Görev değişikliği"}
    )
    if expected == 200:
        assert response.status_code == 200, response.content
        assert response.json()["revoked_at"] is not None
    else:
        assert_refused(response, expected, before, delegation)


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (ANONYMOUS, UNAUTHENTICATED),
        ("yaziisleri", 403),
        ("memur", 403),
        ("sef", 403),
        ("baskan", 403),
        ("mudur", 201),
    ],
)
def test_appointment_propose_matrix(api, people, units, username, expected):
    before = snapshot()
    response = api(username).post(
        f"{API}/appointments/",
        {"unit": units["bilgi-islem-sistem"].pk, "person": people["yazilim"].pk},
        format="json",
    )
    if expected == 201:
        assert response.status_code == 201, response.content
        assert response.json()["status"] == RequestStatus.PENDING
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize("decision", ["approve", "reject"])
@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (ANONYMOUS, UNAUTHENTICATED),
        ("yaziisleri", 404),
        ("memur", 404),
        ("sef", 403),
        ("mudur", 403),
        ("baskan", 200),
    ],
)
def test_appointment_decision_matrix(api, appointment, decision, username, expected):
    before = snapshot(appointment)
    response = api(username).post(
        f"{API}/appointments/{appointment.pk}/{decision}/", {"reason": "Uygun"}
    )
    if expected == 200:
        assert response.status_code == 200, response.content
        assert response.json()["status"] == {"approve": "approved", "reject": "rejected"}[decision]
    else:
        assert_refused(response, expected, before, appointment)


def test_approved_appointment_takes_effect(api, appointment, people):
    response = api("baskan").post(f"{API}/appointments/{appointment.pk}/approve/", {})
    assert response.status_code == 200, response.content
    memur = api("memur").get("/api/me/").json()
    assert "Teknik Destek Birimi Sorumlusu" in [p["title"] for p in memur["posts"]]


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (ANONYMOUS, UNAUTHENTICATED),
        ("yaziisleri", 403),
        ("memur", 403),
        ("sef", 403),
        ("mudur", 201),
    ],
)
def test_unit_change_propose_matrix(api, units, username, expected):
    before = snapshot()
    response = api(username).post(
        f"{API}/unit-changes/",
        {"kind": "create", "parent": units["bilgi-islem"].pk, "name": "Siber Güvenlik Birimi"},
        format="json",
    )
    if expected == 201:
        assert response.status_code == 201, response.content
        assert OrgUnit.objects.count() == before["OrgUnit"]  # only on approval
    else:
        assert_refused(response, expected, before)


@pytest.mark.parametrize("decision", ["approve", "reject"])
@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (ANONYMOUS, UNAUTHENTICATED),
        ("yaziisleri", 404),
        ("memur", 404),
        ("mudur", 403),
        ("baskan", 200),
    ],
)
def test_unit_change_decision_matrix(api, unit_change, units, decision, username, expected):
    sistem = units["bilgi-islem-sistem"]
    before = snapshot(unit_change, sistem)
    response = api(username).post(
        f"{API}/unit-changes/{unit_change.pk}/{decision}/", {"reason": "Gerekçeli"}
    )
    if expected == 200:
        assert response.status_code == 200, response.content
        sistem.refresh_from_db()
        renamed = sistem.name == "Sistem ve Ağ Birimi"
        assert renamed is (decision == "approve")
    else:
        assert_refused(response, expected, before, unit_change, sistem)


@pytest.mark.parametrize("operation", ["disable", "enable"])
@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (ANONYMOUS, UNAUTHENTICATED),
        ("yaziisleri", 403),
        ("memur", 403),
        ("baskan", 403),
        ("mudur", 200),
    ],
)
def test_people_admin_matrix(api, people, operation, username, expected):
    kalem = people["kalem"]
    if operation == "enable":
        services.person_disable(actor=people["mudur"], person=kalem, reason="Ayrıldı")
    before = snapshot(kalem)
    response = api(username).post(
        f"{API}/people/{kalem.pk}/{operation}/", {"reason": "Görev yeri değişti"}
    )
    if expected == 200:
        assert response.status_code == 200, response.content
        assert response.json()["is_active"] is (operation == "enable")
    else:
        assert_refused(response, expected, before, kalem)


def test_disabled_person_loses_api_token(api, people):
    token = (
        APIClient()
        .post("/api/auth/token/", {"username": "kalem", "password": "demo"})
        .json()["token"]
    )
    api("mudur").post(f"{API}/people/{people['kalem'].pk}/disable/", {"reason": "Ayrıldı"})
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert client.get("/api/me/").status_code in (401, 403)


# --- bad input: 400 naming the field, nothing written ----------------------------------------


def acting_payload(people, positions, **overrides):
    payload = {
        "position": positions["bilgi-islem", "mudur"].pk,
        "acting_person": people["sef"].pk,
        "start_date": days(1),
        "end_date": days(4),
        "reason": "İzin",
    }
    payload.update(overrides)
    return payload


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"start_date": days(5), "end_date": days(2)}, "end_date"),
        ({"acting_person": "yaziisleri"}, "acting_person"),
        ({"acting_person": "mudur"}, "acting_person"),
        ({"start_date": "2025-13-45"}, "start_date"),
        ({"end_date": "31.02.2025"}, "end_date"),
        ({"start_date": None}, "start_date"),
        ({"position": 999_999_999}, "position"),
        ({"position": "abc"}, "position"),
        ({"position": 10**30}, "position"),
        ({"acting_person": 999_999_999}, "acting_person"),
        ({"reason": "x" * 301}, "reason"),
        ({"end_date": days(-10), "start_date": days(-20)}, "end_date"),
    ],
)
def test_acting_bad_input(api, people, positions, overrides, field):
    if overrides.get("acting_person") in ("yaziisleri", "mudur"):
        overrides["acting_person"] = people[overrides["acting_person"]].pk
    before = snapshot()
    response = api("mudur").post(
        f"{API}/acting/", acting_payload(people, positions, **overrides), format="json"
    )
    assert_refused(response, 400, before)
    assert field in response.json()


def test_acting_overlap_is_refused(api, acting, people, positions):
    before = snapshot()
    response = api("mudur").post(
        f"{API}/acting/",
        acting_payload(
            people, positions, acting_person=people["sef"].pk, start_date=days(2), end_date=days(8)
        ),
        format="json",
    )
    assert_refused(response, 400, before)
    assert "start_date" in response.json()


def test_acting_end_twice_is_refused(api, acting):
    api("mudur").post(f"{API}/acting/{acting.pk}/end/", {})
    before = snapshot(acting)
    response = api("mudur").post(f"{API}/acting/{acting.pk}/end/", {})
    assert_refused(response, 400, before, acting)
    assert "non_field_errors" in response.json()


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"delegate": "memur"}, "delegate"),
        ({"recipient_classes": ["nope"]}, "recipient_classes"),
        ({"recipient_classes": []}, "recipient_classes"),
        ({"recipient_classes": "public_body"}, "recipient_classes"),
        ({"units": ["by-1"]}, "units"),
        ({"units": [999_999_999]}, "units"),
        ({"start_date": days(9), "end_date": days(1)}, "end_date"),
        ({"start_date": "yesterday"}, "start_date"),
        ({"description": "x" * 501}, "description"),
    ],
)
def test_delegation_bad_input(api, people, units, overrides, field):
    payload = {
        "delegate": people["baskan.yardimcisi"].pk,
        "recipient_classes": ["public_body"],
        "units": [],
        "start_date": days(0),
        "end_date": days(10),
    }
    if overrides.get("delegate") == "memur":
        overrides["delegate"] = people["memur"].pk
    if overrides.get("units") == ["by-1"]:
        overrides["units"] = [units["by-1"].pk]
    payload.update(overrides)
    before = snapshot()
    response = api("baskan").post(f"{API}/delegations/", payload, format="json")
    assert_refused(response, 400, before)
    assert field in response.json()


def test_revoke_needs_a_reason(api, delegation):
    before = snapshot(delegation)
    response = api("baskan").post(f"{API}/delegations/{delegation.pk}/revoke/", {"reason": ""})
    assert_refused(response, 400, before, delegation)
    assert "reason" in response.json()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"unit": "bilgi-islem", "person": "memur"}, "unit"),  # a directorate, not a birim
        ({"unit": 999_999_999, "person": "memur"}, "unit"),
        ({"unit": "bilgi-islem-sistem", "person": 999_999_999}, "person"),
        (
            {"unit": "bilgi-islem-sistem", "person": "memur", "justification": "x" * 4001},
            "justification",
        ),
        ({"person": "memur"}, "unit"),
    ],
)
def test_appointment_bad_input(api, people, units, payload, field):
    payload = dict(payload)
    if isinstance(payload.get("unit"), str):
        payload["unit"] = units[payload["unit"]].pk
    if isinstance(payload.get("person"), str):
        payload["person"] = people[payload["person"]].pk
    before = snapshot()
    response = api("mudur").post(f"{API}/appointments/", payload, format="json")
    assert_refused(response, 400, before)
    assert field in response.json()


def test_appointment_pending_twice_is_refused(api, appointment, people, units):
    before = snapshot()
    response = api("mudur").post(
        f"{API}/appointments/",
        {"unit": units["bilgi-islem-teknik-destek"].pk, "person": people["yazilim"].pk},
        format="json",
    )
    assert_refused(response, 400, before)
    assert "unit" in response.json()


def test_reject_needs_a_reason_and_decided_requests_stay_decided(api, appointment):
    before = snapshot(appointment)
    response = api("baskan").post(f"{API}/appointments/{appointment.pk}/reject/", {})
    assert_refused(response, 400, before, appointment)
    assert "reason" in response.json()

    api("baskan").post(f"{API}/appointments/{appointment.pk}/approve/", {})
    before = snapshot(appointment)
    response = api("baskan").post(
        f"{API}/appointments/{appointment.pk}/reject/", {"reason": "Geç kaldı"}
    )
    assert_refused(response, 400, before, appointment)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"kind": "explode", "unit": "bilgi-islem-sistem", "name": "X"}, "kind"),
        ({"kind": "rename", "unit": "bilgi-islem-sistem", "name": ""}, "name"),
        ({"kind": "rename", "unit": "bilgi-islem-sistem", "name": "x" * 201}, "name"),
        ({"kind": "rename", "unit": "yazi-isleri", "name": "Başka"}, "unit"),
        ({"kind": "create", "parent": "zabita", "name": "Yeni"}, "parent"),
        ({"kind": "move", "unit": "bilgi-islem-sistem", "parent": 999_999_999}, "parent"),
        ({"kind": "move", "unit": "bilgi-islem-sistem", "parent": "bilgi-islem-sistem"}, "parent"),
    ],
)
def test_unit_change_bad_input(api, units, payload, field):
    payload = {
        k: (units[v].pk if k in ("unit", "parent") and isinstance(v, str) else v)
        for k, v in payload.items()
    }
    before = snapshot()
    response = api("mudur").post(f"{API}/unit-changes/", payload, format="json")
    assert_refused(response, 400, before)
    assert field in response.json()


@pytest.mark.parametrize(
    ("target", "payload", "field"),
    [
        ("kalem", {"reason": ""}, "reason"),
        ("kalem", {}, "reason"),
        ("kalem", {"reason": "x" * 1001}, "reason"),
        ("mudur", {"reason": "Deneme"}, "person"),
    ],
)
def test_people_disable_bad_input(api, people, target, payload, field):
    person = people[target]
    before = snapshot(person)
    response = api("mudur").post(f"{API}/people/{person.pk}/disable/", payload)
    assert_refused(response, 400, before, person)
    assert field in response.json()


@pytest.mark.parametrize(
    ("url", "params", "field"),
    [
        ("/units/", {"on": "2025-02-30"}, "on"),
        ("/units/", {"on": "dün"}, "on"),
        ("/units/", {"kind": "galaxy"}, "kind"),
        ("/units/", {"parent": 999_999_999}, "parent"),
        ("/units/", {"parent": "abc"}, "parent"),
        ("/positions/", {"unit": 999_999_999}, "unit"),
        ("/people/", {"q": "x" * 101}, "q"),
        ("/acting/", {"position": "abc"}, "position"),
        ("/appointments/", {"status": "maybe"}, "status"),
    ],
)
def test_bad_filters_are_400(api, url, params, field):
    response = api("mudur").get(API + url, params)
    assert response.status_code == 400, response.content
    assert field in response.json()


@pytest.mark.parametrize("url", ["/units/abc/", "/people/999999999/", "/acting/1e9/"])
def test_unknown_ids_in_paths_are_404(api, url):
    assert api("mudur").get(API + url).status_code == 404


def test_non_object_body_is_400(api):
    before = snapshot()
    response = api("mudur").post(f"{API}/acting/", [1, 2, 3], format="json")
    assert_refused(response, 400, before)
    assert "non_field_errors" in response.json()
