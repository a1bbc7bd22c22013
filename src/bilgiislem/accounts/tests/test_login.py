import pytest
from django.urls import reverse

from bilgiislem.audit.models import AuditEvent
from bilgiislem.organization.services import person_disable

LOGIN = "/hesap/giris/"


def _login(client, username, password="demo", **extra):
    return client.post(LOGIN, {"username": username, "password": password, **extra})


def _logged_in_as(client):
    return client.session.get("_auth_user_id")


@pytest.mark.django_db
def test_login_page_renders(client):
    response = client.get(LOGIN)
    assert response.status_code == 200
    assert b'name="username"' in response.content
    assert b'autocomplete="current-password"' in response.content


@pytest.mark.django_db
def test_login_with_password_starts_an_audited_session(client, people):
    response = _login(client, "mudur")
    assert response.status_code == 302
    assert response.url == reverse("accounts:home")
    assert _logged_in_as(client) == str(people["mudur"].pk)
    event = AuditEvent.objects.filter(action="accounts.session.started").latest("seq")
    assert event.actor_id == people["mudur"].pk
    assert event.changes == {"two_factor": False}


@pytest.mark.django_db
def test_login_follows_a_safe_next_but_not_an_outside_one(client):
    response = _login(client, "memur", next="/denetim/")
    assert response.url == "/denetim/"
    client.logout()
    response = _login(client, "memur", next="https://evil.example/")
    assert response.url == reverse("accounts:home")


@pytest.mark.django_db
def test_wrong_password_is_refused(client):
    response = _login(client, "mudur", "wrong")
    assert response.status_code == 200
    assert b"form-errors" in response.content
    assert _logged_in_as(client) is None
    assert not AuditEvent.objects.filter(action="accounts.session.started").exists()


@pytest.mark.django_db
def test_repeated_failures_lock_the_account_and_address(client, settings):
    assert settings.AXES_FAILURE_LIMIT == 3
    statuses = [_login(client, "sef", "wrong").status_code for _ in range(3)]
    assert statuses[:2] == [200, 200]
    assert statuses[2] in (403, 429)
    # Even the right password is refused while the lock lasts.
    response = _login(client, "sef", "demo")
    assert response.status_code in (403, 429)
    assert b"locked" in response.content
    assert _logged_in_as(client) is None
    # Another account from the same address is not locked (username + address).
    assert _login(client, "memur").status_code == 302


@pytest.mark.django_db
def test_a_disabled_person_cannot_log_in(client, people):
    person_disable(actor=people["mudur"], person=people["memur"], reason="left the municipality")
    response = _login(client, "memur")
    assert response.status_code == 200
    assert _logged_in_as(client) is None


@pytest.mark.django_db
def test_disabling_ends_an_open_session(client, people):
    assert _login(client, "memur").status_code == 302
    person_disable(actor=people["mudur"], person=people["memur"], reason="left")
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)


@pytest.mark.django_db
def test_logout_is_post_only_and_audited(client, people):
    _login(client, "mudur")
    assert client.get("/hesap/cikis/").status_code == 405
    assert _logged_in_as(client) is not None
    response = client.post("/hesap/cikis/")
    assert response.status_code == 302
    assert _logged_in_as(client) is None
    event = AuditEvent.objects.latest("seq")
    assert (event.action, event.actor_id) == ("accounts.session.ended", people["mudur"].pk)


@pytest.mark.django_db
def test_anonymous_home_redirects_to_login(client):
    response = client.get("/")
    assert response.status_code == 302
    assert response.url.startswith(LOGIN)
