"""Organisation pages: bad input is a form error naming the field, and nothing is written."""

import datetime

import pytest
from django.urls import reverse

from .view_support import TODAY, d, post_acting, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


# --- bad input ---------------------------------------------------------------------------------


def test_acting_end_before_start(client_as, people, positions):
    before = snapshot()
    response = post_acting(client_as("mudur"), positions, people, start_date=d(5), end_date=d(2))
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert snapshot() == before
    # What was typed is kept.
    assert d(5).encode() in response.content and d(2).encode() in response.content


def test_acting_person_who_cannot_act_for_the_post(client_as, people, positions):
    before = snapshot()
    response = post_acting(
        client_as("mudur"), positions, people, acting_person=people["yaziisleri"].pk
    )
    assert response.status_code == 200
    assert "acting_person" in response.context["form"].errors
    assert snapshot() == before


def test_acting_for_a_post_the_actor_cannot_arrange(client_as, people, positions):
    before = snapshot()
    # sef is below the Director: the Director's post is not offered to sef.
    response = post_acting(client_as("sef"), positions, people, acting_person=people["memur"].pk)
    assert response.status_code == 200
    assert "position" in response.context["form"].errors
    assert snapshot() == before


def test_acting_overlapping(client_as, people, positions, acting):
    before = snapshot()
    response = post_acting(
        client_as("mudur"),
        positions,
        people,
        acting_person=people["sef"].pk,
        start_date=d(3),
        end_date=d(10),
    )
    assert response.status_code == 200
    assert "start_date" in response.context["form"].errors
    assert snapshot() == before


@pytest.mark.parametrize("value", ["31.02.2026", "2026-13-01", "yarın", "1.1", "99.99.9999"])
def test_malformed_dates(client_as, people, positions, value):
    before = snapshot()
    response = post_acting(client_as("mudur"), positions, people, start_date=value)
    assert response.status_code == 200
    assert "start_date" in response.context["form"].errors
    assert value.encode() in response.content
    assert snapshot() == before
    # The chart's date picker answers with a message, not a 500.
    response = client_as("mudur").get(reverse("organization:chart"), {"on": value})
    assert response.status_code == 200
    assert "on" in response.context["form"].errors


def test_iso_dates_are_accepted(client_as, people, positions):
    today = TODAY()
    response = post_acting(
        client_as("mudur"),
        positions,
        people,
        start_date=today.isoformat(),
        end_date=(today + datetime.timedelta(days=2)).isoformat(),
    )
    assert response.status_code == 302


def test_unknown_choice_ids(client_as, people, positions):
    before = snapshot()
    response = post_acting(
        client_as("mudur"), positions, people, position=999999, acting_person="abc"
    )
    assert response.status_code == 200
    assert {"position", "acting_person"} <= set(response.context["form"].errors)
    response = client_as("baskan").post(
        reverse("organization:delegation-create"),
        {
            "delegate": 999999,
            "recipient_classes": ["nonsense"],
            "units": [999999],
            "start_date": d(),
            "end_date": d(3),
        },
    )
    assert {"delegate", "recipient_classes", "units"} <= set(response.context["form"].errors)
    assert snapshot() == before


def test_oversize_fields(client_as, people, positions, units, appointment):
    before = snapshot()
    response = post_acting(client_as("mudur"), positions, people, reason="x" * 301)
    assert "reason" in response.context["form"].errors
    response = client_as("mudur").post(
        reverse("organization:unit-change-create"),
        {"kind": "create", "name": "Ş" * 201, "parent": units["bilgi-islem"].pk},
    )
    assert "name" in response.context["form"].errors
    response = client_as("baskan").post(
        reverse("organization:appointment-reject", args=[appointment.pk]),
        {"reject-reason": "x" * 501},
    )
    assert response.status_code == 200
    assert "reason" in response.context["reject_form"].errors
    response = client_as("baskan").post(
        reverse("organization:delegation-create"),
        {
            "delegate": people["baskan.yardimcisi"].pk,
            "recipient_classes": ["public_body"],
            "start_date": d(),
            "end_date": d(3),
            "description": "x" * 501,
        },
    )
    assert "description" in response.context["form"].errors
    response = client_as("mudur").get(reverse("organization:person-list"), {"q": "x" * 500})
    assert response.status_code == 200
    assert snapshot() == before


def test_delegation_to_someone_not_deputy_mayor(client_as, people):
    before = snapshot()
    response = client_as("baskan").post(
        reverse("organization:delegation-create"),
        {
            "delegate": people["mudur"].pk,
            "recipient_classes": ["public_body"],
            "start_date": d(),
            "end_date": d(3),
        },
    )
    assert response.status_code == 200
    assert "delegate" in response.context["form"].errors
    assert snapshot() == before


def test_reject_needs_a_reason(client_as, appointment):
    before = snapshot()
    response = client_as("baskan").post(
        reverse("organization:appointment-reject", args=[appointment.pk]), {"reject-reason": " "}
    )
    assert response.status_code == 200
    assert "reason" in response.context["reject_form"].errors
    assert snapshot() == before


def test_disable_needs_a_reason(client_as, people):
    before = snapshot()
    response = client_as("mudur").post(
        reverse("organization:person-disable", args=[people["yazilim"].pk]),
        {"disable-reason": ""},
    )
    assert response.status_code == 200
    assert "reason" in response.context["disable_form"].errors
    assert snapshot() == before


def test_deciding_twice_is_a_form_error(client_as, appointment):
    client = client_as("baskan")
    url = reverse("organization:appointment-approve", args=[appointment.pk])
    assert client.post(url).status_code == 302
    before = snapshot()
    response = client.post(url)
    assert response.status_code == 200
    assert response.context["approve_form"].non_field_errors() or not response.context["can_decide"]
    assert snapshot() == before


def test_invalid_unit_change_keeps_typed_values(client_as):
    response = client_as("mudur").post(
        reverse("organization:unit-change-create"),
        {"kind": "rename", "name": "Yeni Ad", "justification": "Gerekçem"},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert "Yeni Ad" in response.content.decode()
    assert "Gerekçem" in response.content.decode()
