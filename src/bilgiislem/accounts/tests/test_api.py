"""Account API: tokens for programs (with lockout and two-factor), sessions for the browser."""

import datetime

import pytest
from django.utils import timezone
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from bilgiislem.audit.models import AuditEvent
from bilgiislem.organization import services

pytestmark = pytest.mark.django_db

TOKEN = "/api/auth/token/"
ME = "/api/me/"


DEMO_PASSWORD = "demo"


def obtain(username="memur", password=DEMO_PASSWORD, **extra):
    return APIClient().post(TOKEN, {"username": username, "password": password, **extra})


def test_token_auth_works():
    response = obtain()
    assert response.status_code == 200, response.content
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = client.get(ME)
    assert me.status_code == 200
    assert me.json()["username"] == "memur"


def test_token_is_stable_and_its_creation_audited():
    before = AuditEvent.objects.count()
    first = obtain().json()["token"]
    assert obtain().json()["token"] == first
    assert AuditEvent.objects.count() == before + 1
    assert AuditEvent.objects.order_by("-seq").first().action == "accounts.api_token.created"


def test_session_auth_works(people):
    client = APIClient()
    client.force_login(people["mudur"])
    assert client.get(ME).json()["username"] == "mudur"


def test_session_writes_need_the_csrf_token(people):
    client = APIClient(enforce_csrf_checks=True)
    client.force_login(people["kalem"])
    before = AuditEvent.objects.count()
    response = client.post(f"/api/org/people/{people['kalem'].pk}/disable/", {"reason": "x"})
    assert response.status_code == 403
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize("headers", [{}, {"HTTP_AUTHORIZATION": "Token nope"}])
def test_anonymous_and_bad_tokens_are_refused(headers):
    assert APIClient().get(ME, **headers).status_code in (401, 403)


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"username": "memur", "password": "wrong"}, "non_field_errors"),
        ({"username": "nobody", "password": "demo"}, "non_field_errors"),
        ({"username": "memur"}, "password"),
        ({"username": "x" * 151, "password": "demo"}, "username"),
    ],
)
def test_bad_credentials_are_400(payload, field):
    before = Token.objects.count()
    response = APIClient().post(TOKEN, payload)
    assert response.status_code == 400
    assert field in response.json()
    assert Token.objects.count() == before


def test_disabled_person_gets_no_token(people):
    services.person_disable(actor=people["mudur"], person=people["kalem"], reason="Ayrıldı")
    assert obtain("kalem").status_code == 400


def test_repeated_failures_lock_the_account_and_address(settings):
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        assert obtain(password="wrong").status_code in (400, 429)
    # Even the right password is refused while locked out.
    response = obtain()
    assert response.status_code == 429
    assert "token" not in response.json()
    assert not Token.objects.filter(user__username="memur").exists()


def test_two_factor_code_is_required_once_enrolled(people):
    device = TOTPDevice.objects.create(user=people["memur"], name="TOTP", confirmed=True)
    missing = obtain()
    assert missing.status_code == 400
    assert "code" in missing.json()
    assert obtain(code="000000").status_code == 400
    assert not Token.objects.filter(user=people["memur"]).exists()
    device.refresh_from_db()
    device.throttle_reset()  # a wrong code throttles the device for a moment (django-otp)
    code = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    assert obtain(code=code).status_code == 200


def test_me_shows_acting_posts_with_v(people, positions):
    services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + datetime.timedelta(days=3),
    )
    client = APIClient()
    client.force_login(people["sef"])
    me = client.get(ME).json()
    acting = [p for p in me["posts"] if p["acting"]]
    assert [p["label"] for p in acting] == ["Bilgi İşlem Müdürü V."]
    assert (
        acting[0]["acting_until"] == (timezone.localdate() + datetime.timedelta(days=3)).isoformat()
    )
    assert me["can_view_audit"] is True  # acting for the Director carries the post's access
