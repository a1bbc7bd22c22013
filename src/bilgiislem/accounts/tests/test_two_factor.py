import pytest
from django.test import override_settings
from django.utils import timezone
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from bilgiislem.audit.models import AuditEvent
from bilgiislem.organization.services import acting_create

from .conftest import totp_code

SETUP = "/hesap/iki-adim/kur/"
VERIFY = "/hesap/iki-adim/"
REMOVE = "/hesap/iki-adim/kaldir/"
CODE_STEP = "/hesap/giris/kod/"


def _actions():
    return list(AuditEvent.objects.order_by("seq").values_list("action", flat=True))


# --- enrolment -----------------------------------------------------------------------------


@pytest.mark.django_db
def test_setup_shows_a_qr_code_and_the_secret(client_as, people):
    client = client_as("memur")
    response = client.get(SETUP)
    assert response.status_code == 200
    assert b"<svg" in response.content
    device = TOTPDevice.objects.get(user=people["memur"])
    assert not device.confirmed
    secret = response.context["secret"].replace(" ", "")
    assert len(secret) == 32
    # Reloading keeps the same secret (the app may already have scanned it).
    assert client.get(SETUP).context["secret"].replace(" ", "") == secret


@pytest.mark.django_db
def test_setup_confirmed_with_the_right_code(client_as, people):
    client = client_as("memur")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=people["memur"])
    response = client.post(SETUP, {"code": totp_code(device)})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    assert "accounts.two_factor.enabled" in _actions()


@pytest.mark.django_db
def test_setup_refuses_a_wrong_code(client_as, people):
    client = client_as("memur")
    client.get(SETUP)
    before = AuditEvent.objects.count()
    response = client.post(SETUP, {"code": "000000"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert not TOTPDevice.objects.filter(user=people["memur"], confirmed=True).exists()
    assert AuditEvent.objects.count() == before


# --- login with a device -------------------------------------------------------------------


@pytest.mark.django_db
def test_login_asks_for_the_code_and_logs_in_only_after_it(client, people, device_for):
    device = device_for(people["memur"])
    response = client.post("/hesap/giris/", {"username": "memur", "password": "demo"})
    assert response.status_code == 302
    assert response.url == CODE_STEP
    assert "_auth_user_id" not in client.session
    assert client.get("/").status_code == 302  # not logged in yet

    response = client.post(CODE_STEP, {"code": totp_code(device)})
    assert response.status_code == 302
    assert response.url == "/"
    assert client.session["_auth_user_id"] == str(people["memur"].pk)
    assert client.session[DEVICE_ID_SESSION_KEY] == device.persistent_id
    event = AuditEvent.objects.filter(action="accounts.session.started").latest("seq")
    assert event.changes == {"two_factor": True}


@pytest.mark.django_db
def test_login_with_a_wrong_code_is_refused(client, people, device_for):
    device_for(people["memur"])
    client.post("/hesap/giris/", {"username": "memur", "password": "demo"})
    response = client.post(CODE_STEP, {"code": "123456"})
    assert response.status_code == 200
    assert response.context["form"].errors["code"]
    assert "_auth_user_id" not in client.session
    assert not AuditEvent.objects.filter(action="accounts.session.started").exists()


@pytest.mark.django_db
def test_code_step_without_a_password_goes_back_to_login(client):
    response = client.get(CODE_STEP)
    assert response.status_code == 302
    assert response.url == "/hesap/giris/"


@pytest.mark.django_db
def test_enrol_then_log_in_with_the_next_code(client_as, people):
    client = client_as("sef")
    client.get(SETUP)
    device = TOTPDevice.objects.get(user=people["sef"])
    client.post(SETUP, {"code": totp_code(device)})
    client.post("/hesap/cikis/")
    client.post("/hesap/giris/", {"username": "sef", "password": "demo"})
    device.refresh_from_db()
    # The code just used is spent; the next period's code is accepted (tolerance 1).
    response = client.post(CODE_STEP, {"code": totp_code(device, steps=1)})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(people["sef"].pk)


# --- required per post ---------------------------------------------------------------------


@pytest.mark.django_db
@override_settings(BILGIISLEM_2FA_REQUIRED_POSITION_KINDS=["mudur"])
def test_required_post_without_device_is_sent_to_setup(client_as):
    client = client_as("mudur")
    response = client.get("/", follow=True)
    assert response.redirect_chain[0][0].startswith(VERIFY)
    assert response.request["PATH_INFO"] == SETUP
    assert response.context["required"] is True
    # A browser session on the API gets a 403, not a page.
    assert client.get("/api/org/").status_code == 403


@pytest.mark.django_db
@override_settings(BILGIISLEM_2FA_REQUIRED_POSITION_KINDS=["mudur"])
def test_required_post_does_not_touch_other_posts(client_as):
    assert client_as("memur").get("/").status_code == 200


@pytest.mark.django_db
@override_settings(BILGIISLEM_2FA_REQUIRED_POSITION_KINDS=["mudur"])
def test_required_post_with_device_verifies_the_session(client_as, people, device_for):
    device = device_for(people["mudur"])
    client = client_as("mudur")
    response = client.get("/denetim/")
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)
    response = client.post(response.url, {"code": totp_code(device)})
    assert response.status_code == 302
    assert response.url == "/denetim/"
    assert client.get("/denetim/").status_code == 200
    assert "accounts.session.verified" in _actions()


@pytest.mark.django_db
@override_settings(BILGIISLEM_2FA_REQUIRED_POSITION_KINDS=["mudur"])
def test_acting_for_a_required_post_requires_it_too(client_as, people, positions):
    today = timezone.localdate()
    acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=today,
        end_date=today,
    )
    response = client_as("sef").get("/")
    assert response.status_code == 302
    assert response.url.startswith(VERIFY)


# --- switching off -------------------------------------------------------------------------


@pytest.mark.django_db
def test_switching_off_needs_a_code_and_is_audited(client_as, people, device_for):
    device = device_for(people["memur"])
    client = client_as("memur")
    client.post(REMOVE, {"code": "000000"})
    assert TOTPDevice.objects.filter(user=people["memur"]).exists()
    device.throttle_reset()
    response = client.post(REMOVE, {"code": totp_code(device)})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=people["memur"]).exists()
    assert "accounts.two_factor.disabled" in _actions()


@pytest.mark.django_db
@override_settings(BILGIISLEM_2FA_REQUIRED_POSITION_KINDS=["mudur"])
def test_switching_off_is_refused_when_the_post_requires_it(client_as, people, device_for):
    device = device_for(people["mudur"])
    client = client_as("mudur")
    response = client.get("/hesap/iki-adim/kur/")
    assert "kapatılamaz" in response.content.decode()  # the page speaks Turkish by default
    client.post(REMOVE, {"code": totp_code(device)})
    assert TOTPDevice.objects.filter(user=people["mudur"]).exists()
    assert "accounts.two_factor.disabled" not in _actions()
