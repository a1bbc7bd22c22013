"""The audit trail API: readable by the Mayor and the system's Director, a 404 to others."""

import pytest
from rest_framework.test import APIClient

from bilgiislem.audit.models import AuditEvent

pytestmark = pytest.mark.django_db

EVENTS = "/api/audit/events/"


@pytest.fixture
def api(people):
    def _client(username):
        client = APIClient()
        if username is not None:
            client.force_login(people[username])
        return client

    return _client


def test_anonymous_is_refused(api):
    assert api(None).get(EVENTS).status_code in (401, 403)


@pytest.mark.parametrize("username", ["memur", "sef", "yaziisleri", "yaziisleri.mudur", "kalem"])
def test_others_get_404_for_list_and_detail(api, username):
    event = AuditEvent.objects.first()
    client = api(username)
    assert client.get(EVENTS).status_code == 404
    assert client.get(f"{EVENTS}{event.pk}/").status_code == 404


@pytest.mark.parametrize("username", ["mudur", "baskan"])
def test_readers_see_the_trail(api, username):
    client = api(username)
    response = client.get(EVENTS)
    assert response.status_code == 200
    assert response.json()["count"] == AuditEvent.objects.count()
    first = response.json()["results"][0]
    assert first["seq"] == AuditEvent.objects.order_by("-seq").first().seq  # newest first
    detail = client.get(f"{EVENTS}{first['id']}/").json()
    assert detail["hash"] == first["hash"]


def test_filters(api, people):
    client = api("mudur")
    created = client.get(EVENTS, {"action": "organization.person"}).json()
    assert created["count"] >= 1
    assert all(e["action"].startswith("organization.person") for e in created["results"])
    by_type = client.get(EVENTS, {"object_type": "organization.positionholding"}).json()
    assert by_type["count"] >= 1
    text = client.get(EVENTS, {"q": "CELIK"}).json()  # folded: matches "Çelik"
    assert text["count"] >= 1


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"date_from": "2025-02-30"}, "date_from"),
        ({"person": 999_999_999}, "person"),
        ({"object_type": "no.such"}, "object_type"),
    ],
)
def test_bad_filters_are_400(api, params, field):
    response = api("mudur").get(EVENTS, params)
    assert response.status_code == 400
    assert field in response.json()


def test_the_trail_is_read_only(api):
    client = api("baskan")
    event = AuditEvent.objects.first()
    before = AuditEvent.objects.count()
    assert client.post(EVENTS, {"action": "x"}).status_code == 405
    assert client.delete(f"{EVENTS}{event.pk}/").status_code == 405
    assert client.patch(f"{EVENTS}{event.pk}/", {"reason": "x"}).status_code == 405
    assert AuditEvent.objects.count() == before


def test_list_query_count_is_bounded(api, django_assert_max_num_queries):
    client = api("mudur")
    with django_assert_max_num_queries(10):
        response = client.get(EVENTS)
    assert response.status_code == 200
