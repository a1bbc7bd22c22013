"""A lost phone: the system's Director resets a person's two-factor device.

The service rule by rule, then the page and the API over real HTTP: the authorization matrix
(anonymous, another directorate, same directorate without the post, the Director, the Chief
while acting for the Director), bad input, and that a refusal changes nothing.
"""

import datetime

import pytest
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.test import APIClient

from bilgiislem.accounts import services
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization import services as org_services
from bilgiislem.organization.models import Person

pytestmark = pytest.mark.django_db

PAGE = "accounts:two-factor-reset"


def api_url(pk) -> str:
    return f"/api/people/{pk}/two-factor-reset/"


def state(person) -> dict:
    return {
        "devices": TOTPDevice.objects.filter(user=person).count(),
        "audit": AuditEvent.objects.count(),
    }


@pytest.fixture
def lost(people, device_for):
    """memur's confirmed device (the phone that was lost)."""
    return device_for(people["memur"])


@pytest.fixture
def sef_acting(people, positions):
    return org_services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + datetime.timedelta(days=3),
    )


# --- service ---------------------------------------------------------------------------------


def test_reset_removes_every_device_and_is_audited(people, lost, device_for):
    device_for(people["memur"], confirmed=False)  # a half-finished enrolment goes too
    removed = services.two_factor_reset(
        actor=people["mudur"], person=people["memur"], reason="Telefon kayboldu"
    )
    assert removed == 2
    assert not TOTPDevice.objects.filter(user=people["memur"]).exists()
    event = AuditEvent.objects.latest("seq")
    assert event.action == "accounts.two_factor.reset"
    assert event.object_id == str(people["memur"].pk)
    assert event.reason == "Telefon kayboldu"
    assert event.actor_id == people["mudur"].pk
    assert event.acting_for == ""


def test_acting_director_resets_with_the_post_recorded(people, lost, sef_acting):
    services.two_factor_reset(actor=people["sef"], person=people["memur"], reason="Kayıp")
    assert AuditEvent.objects.latest("seq").acting_for == "Bilgi İşlem Müdürü"


@pytest.mark.parametrize("who", ["memur", "sef", "baskan", "yaziisleri.mudur", "yaziisleri"])
def test_only_the_people_admin_resets(people, lost, who):
    before = state(people["memur"])
    with pytest.raises(PermissionDeniedError):
        services.two_factor_reset(actor=people[who], person=people["memur"], reason="Kayıp")
    assert state(people["memur"]) == before


@pytest.mark.parametrize(
    ("target", "reason", "field"),
    [
        ("memur", "", "reason"),
        ("memur", "   ", "reason"),
        ("mudur", "Kayıp", "person"),  # one's own device: on the two-factor page, with a code
        ("kalem", "Kayıp", "person"),  # nothing to reset
    ],
)
def test_reset_refusals_name_the_field(people, lost, device_for, target, reason, field):
    device_for(people["mudur"])
    before = state(people[target])
    with pytest.raises(DomainError) as info:
        services.two_factor_reset(actor=people["mudur"], person=people[target], reason=reason)
    assert field in info.value.errors
    assert state(people[target]) == before


def test_after_a_reset_the_person_logs_in_with_the_password(client, people, lost):
    services.two_factor_reset(actor=people["mudur"], person=people["memur"], reason="Kayıp")
    response = client.post("/hesap/giris/", {"username": "memur", "password": "demo"})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session["_auth_user_id"] == str(people["memur"].pk)


# --- the page --------------------------------------------------------------------------------

MATRIX = [
    (None, "login"),
    ("yaziisleri", 403),
    ("memur", 403),
    ("sef", 403),
    ("baskan", 403),
    ("mudur", 302),
    ("sef+acting", 302),
]


def _signed_in(request, client, username):
    if username == "sef+acting":
        request.getfixturevalue("sef_acting")
        username = "sef"
    if username is not None:
        client.force_login(Person.objects.get(username=username))
    return client


@pytest.mark.parametrize(("username", "expected"), MATRIX)
def test_page_matrix(request, client, people, lost, username, expected):
    target = people["kalem"] if username == "memur" else people["memur"]
    if username == "memur":
        request.getfixturevalue("device_for")(target)  # memur resets a colleague
    client = _signed_in(request, client, username)
    url = reverse(PAGE, args=[target.pk])
    before = state(target)
    get = client.get(url)
    response = client.post(url, {"reason": "Telefon kayboldu"})
    if expected == "login":
        assert get.status_code == 302 and "/hesap/giris/" in get["Location"]
        assert response.status_code == 302 and "/hesap/giris/" in response["Location"]
    elif expected == 403:
        assert get.status_code == 403
        assert response.status_code == 403
    else:
        assert get.status_code == 200
        assert response.status_code == 302
        assert response["Location"] == reverse("organization:person-detail", args=[target.pk])
        assert state(target)["devices"] == 0
        return
    assert state(target) == before


@pytest.mark.parametrize(
    ("data", "field"),
    [({"reason": ""}, "reason"), ({}, "reason"), ({"reason": "x" * 501}, "reason")],
)
def test_page_bad_input(client_as, people, lost, data, field):
    before = state(people["memur"])
    response = client_as("mudur").post(reverse(PAGE, args=[people["memur"].pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    assert state(people["memur"]) == before


def test_page_without_a_device_says_so(client_as, people):
    before = state(people["kalem"])
    response = client_as("mudur").post(reverse(PAGE, args=[people["kalem"].pk]), {"reason": "x"})
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert state(people["kalem"]) == before


def test_page_unknown_person_is_404(client_as):
    client = client_as("mudur")
    assert client.get(reverse(PAGE, args=[999_999])).status_code == 404
    assert client.post(reverse(PAGE, args=[999_999]), {"reason": "x"}).status_code == 404


@override_settings(BILGIISLEM_2FA_REQUIRED_POSITION_KINDS=["mudur"])
def test_page_asks_for_the_directors_own_second_factor_first(client_as, people, lost, device_for):
    device_for(people["mudur"])
    client = client_as("mudur")  # signed in, but this session has not given a code
    before = state(people["memur"])
    response = client.post(reverse(PAGE, args=[people["memur"].pk]), {"reason": "Kayıp"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:two-factor"))
    assert state(people["memur"]) == before


def test_person_page_links_the_reset_for_admins_only(client_as, people, lost):
    link = reverse(PAGE, args=[people["memur"].pk]).encode()
    detail = reverse("organization:person-detail", args=[people["memur"].pk])
    assert link in client_as("mudur").get(detail).content
    for username in ("memur", "sef", "baskan"):
        assert link not in client_as(username).get(detail).content
    # No device, no link.
    kalem = reverse("organization:person-detail", args=[people["kalem"].pk])
    assert b"iki-adim/sifirla" not in client_as("mudur").get(kalem).content


# --- the API ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        (None, (401, 403)),
        ("yaziisleri", 403),
        ("memur", 403),
        ("sef", 403),
        ("baskan", 403),
        ("mudur", 200),
        ("sef+acting", 200),
    ],
)
def test_api_matrix(request, people, lost, username, expected):
    client = _signed_in(request, APIClient(), username)
    before = state(people["memur"])
    response = client.post(api_url(people["memur"].pk), {"reason": "Kayıp"}, format="json")
    if expected == 200:
        assert response.status_code == 200, response.content
        assert response.json() == {"person": people["memur"].pk, "devices_removed": 1}
        assert state(people["memur"])["devices"] == 0
        return
    if isinstance(expected, tuple):
        assert response.status_code in expected
    else:
        assert response.status_code == expected
    assert state(people["memur"]) == before


@pytest.mark.parametrize(
    ("target", "payload", "status", "field"),
    [
        ("memur", {}, 400, "reason"),
        ("memur", {"reason": ""}, 400, "reason"),
        ("memur", {"reason": "x" * 501}, 400, "reason"),
        ("kalem", {"reason": "Kayıp"}, 400, "person"),
        ("mudur", {"reason": "Kayıp"}, 400, "person"),
        (999_999, {"reason": "Kayıp"}, 404, None),
    ],
)
def test_api_bad_input(people, lost, device_for, target, payload, status, field):
    device_for(people["mudur"])
    client = APIClient()
    client.force_login(people["mudur"])
    pk = people[target].pk if isinstance(target, str) else target
    before = AuditEvent.objects.count(), TOTPDevice.objects.count()
    response = client.post(api_url(pk), payload, format="json")
    assert response.status_code == status, response.content
    if field:
        assert field in response.json()
    assert (AuditEvent.objects.count(), TOTPDevice.objects.count()) == before
