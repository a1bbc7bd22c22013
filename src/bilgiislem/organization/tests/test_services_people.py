"""Organisation services: accounts and post holdings, rule by rule."""

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from rest_framework.authtoken.models import Token

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization import services
from bilgiislem.organization.models import (
    Person,
)
from bilgiislem.organization.permissions import (
    effective_posts,
)

from .factories import PersonFactory
from .service_support import (
    acting,
    assert_event,
    day,
    fresh,
    last_event,
    refused,
    snapshot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


# --- people ---------------------------------------------------------------------------------


def login(client, username):
    assert client.login(request=HttpRequest(), username=username, password="demo")
    return client


def sessions_of(person) -> int:
    return sum(
        str(s.get_decoded().get("_auth_user_id")) == str(person.pk) for s in Session.objects.all()
    )


def test_disabling_a_person_ends_their_sessions_and_tokens(client, people):
    from django.test import Client

    memur = people["memur"]
    login(client, "memur")
    other = login(Client(), "yazilim")
    Token.objects.create(user=memur)
    assert sessions_of(memur) == 1

    disabled = services.person_disable(actor=people["mudur"], person=memur, reason="ayrıldı")

    assert not Person.objects.get(pk=memur.pk).is_active
    assert disabled.is_active is False
    assert sessions_of(memur) == 0
    assert not Token.objects.filter(user=memur).exists()
    assert client.get("/yok/").wsgi_request.user.is_anonymous
    assert client.login(request=HttpRequest(), username="memur", password="demo") is False
    assert other.get("/yok/").wsgi_request.user == people["yazilim"]
    event = assert_event("organization.person.disabled", memur, people["mudur"])
    assert event.reason == "ayrıldı"
    assert event.changes["sessions_ended"] == 1


def test_person_disable_rules(people):
    with refused(DomainError, "person"):
        services.person_disable(actor=people["mudur"], person=people["mudur"], reason="x")
    with refused(DomainError, "reason"):
        services.person_disable(actor=people["mudur"], person=people["memur"], reason=" ")
    services.person_disable(actor=people["mudur"], person=people["memur"], reason="x")
    with refused(DomainError, "person"):
        services.person_disable(actor=people["mudur"], person=fresh("memur"), reason="x")


@pytest.mark.parametrize("who", ["baskan", "sef", "yaziisleri.mudur", "memur", "yazilim"])
def test_only_the_people_admin_disables(people, who):
    before = snapshot()
    with refused(PermissionDeniedError):
        services.person_disable(actor=people[who], person=people["kalem"], reason="x")
    assert fresh("kalem").is_active
    assert snapshot() == before


def test_acting_director_disables_with_the_post_recorded(frozen, people):
    acting(people["mudur"], people["sef"], start=day(10), end=day(11))
    services.person_disable(actor=fresh("sef"), person=people["kalem"], reason="x")
    assert last_event().acting_for == "Bilgi İşlem Müdürü"


def test_person_create_and_enable(people):
    person = services.person_create(
        actor=people["mudur"], username="yeni.kisi", first_name="İlker", last_name="Işıl"
    )
    assert not person.has_usable_password()
    assert person.search_key == "ilker isil yeni.kisi"
    assert_event("organization.person.created", person, people["mudur"])
    with refused(DomainError, "username"):
        services.person_create(
            actor=people["mudur"], username="YENI.KISI", first_name="A", last_name="B"
        )
    with refused(PermissionDeniedError):
        services.person_create(actor=people["sef"], username="b", first_name="A", last_name="B")
    services.person_disable(actor=people["mudur"], person=person, reason="x")
    services.person_enable(actor=people["mudur"], person=person)
    assert fresh("yeni.kisi").is_active


def test_holding_start_and_end(people, positions):
    person = PersonFactory()
    post = positions["bilgi-islem-sistem", "memur"]
    holding = services.holding_start(
        actor=people["mudur"], person=person, position=post, start_date=day(10)
    )
    assert_event("organization.holding.created", holding, people["mudur"])
    assert [p.kind for p in effective_posts(person)] == ["memur"]
    with refused(DomainError, "person"):
        services.holding_start(
            actor=people["mudur"], person=person, position=post, start_date=day(12)
        )
    with refused(DomainError, "position"):
        services.holding_start(
            actor=people["mudur"],
            person=person,
            position=positions["bilgi-islem", "mudur"],
            start_date=day(10),
        )
    with refused(DomainError, "end_date"):
        services.holding_end(actor=people["mudur"], holding=holding, end_date=day(9))
    services.holding_end(actor=people["mudur"], holding=holding, end_date=day(10))
    assert_event("organization.holding.ended", holding, people["mudur"])
    with refused(PermissionDeniedError):
        services.holding_start(
            actor=people["sef"], person=person, position=post, start_date=day(10)
        )
