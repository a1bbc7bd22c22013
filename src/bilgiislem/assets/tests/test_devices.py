"""Monitored devices: tokens, heartbeats through the real API view, the offline sweep."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bilgiislem.assets.models import Asset, TicketAsset
from bilgiislem.assets.services import devices
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.servicedesk.choices import Category, TicketState
from bilgiislem.servicedesk.models import Ticket

T0 = datetime.datetime(2026, 3, 2, 9, 0, tzinfo=datetime.UTC)


def beat(client, token, **extra):
    return client.post(
        reverse("assets-api:heartbeat"), HTTP_AUTHORIZATION=f"Device {token}", **extra
    )


def test_token_is_stored_hashed_and_the_heartbeat_sets_last_seen(
    client, people, access_point, time_machine
):
    time_machine.move_to(T0, tick=False)
    token = devices.device_token_issue(actor=people["memur"], asset=access_point)
    access_point.refresh_from_db()
    assert access_point.device_token_hash == devices.token_hash(token)
    assert token not in access_point.device_token_hash
    assert access_point.device_token_expires > T0

    response = beat(client, token)
    assert response.status_code == 200, response.content
    assert response.json()["sicil_no"] == access_point.sicil_no
    access_point.refresh_from_db()
    assert access_point.last_seen_at == T0


def test_only_bilgi_islem_staff_issue_tokens_and_only_to_monitored_kinds(
    people, access_point, asset_factory
):
    with pytest.raises(PermissionDeniedError):
        devices.device_token_issue(actor=people["yaziisleri"], asset=access_point)
    laptop = asset_factory()
    with pytest.raises(DomainError) as err:
        devices.device_token_issue(actor=people["memur"], asset=laptop)
    assert "kind" in err.value.errors
    laptop.refresh_from_db()
    assert laptop.device_token_hash == ""


def test_wrong_token_is_401_and_logged_once_a_minute(client, people, access_point):
    devices.device_token_issue(actor=people["memur"], asset=access_point)
    before = AuditEvent.objects.filter(action="assets.device.heartbeat_refused").count()
    first = beat(client, "not-the-token")
    second = beat(client, "still-not-the-token")
    missing = client.post(reverse("assets-api:heartbeat"))
    assert (first.status_code, second.status_code, missing.status_code) == (401, 401, 401)
    assert first["WWW-Authenticate"] == "Device"
    after = AuditEvent.objects.filter(action="assets.device.heartbeat_refused").count()
    assert after == before + 1  # rate-limited: one row for the address in the window
    access_point.refresh_from_db()
    assert access_point.last_seen_at is None


def test_expired_token_is_403_logged_and_changes_nothing(
    client, people, access_point, time_machine, settings
):
    settings.BILGIISLEM_DEVICE_TOKEN_DAYS = 1
    time_machine.move_to(T0, tick=False)
    token = devices.device_token_issue(actor=people["memur"], asset=access_point)
    time_machine.move_to(T0 + datetime.timedelta(days=1, seconds=1), tick=False)
    response = beat(client, token)
    assert response.status_code == 403
    access_point.refresh_from_db()
    assert access_point.last_seen_at is None
    event = AuditEvent.objects.filter(action="assets.device.heartbeat_refused").latest("pk")
    assert "expired" in event.reason


def test_rotating_the_token_stops_the_old_one(client, people, access_point):
    old = devices.device_token_issue(actor=people["memur"], asset=access_point)
    new = devices.device_token_issue(actor=people["sef"], asset=access_point)
    assert beat(client, old).status_code == 401
    assert beat(client, new).status_code == 200
    assert AuditEvent.objects.filter(action="assets.device.token_rotated").exists()


def test_heartbeat_offline_request_and_back_online(
    client, people, access_point, desk_queues, time_machine, settings
):
    settings.BILGIISLEM_DEVICE_OFFLINE_MINUTES = 15
    time_machine.move_to(T0, tick=False)
    token = devices.device_token_issue(actor=people["memur"], asset=access_point)
    assert beat(client, token).status_code == 200

    # Fifteen minutes of silence is still within the threshold.
    time_machine.move_to(T0 + datetime.timedelta(minutes=15), tick=False)
    assert devices.devices_mark_offline() == []

    time_machine.move_to(T0 + datetime.timedelta(minutes=16), tick=False)
    opened = devices.devices_mark_offline()
    assert len(opened) == 1
    ticket = opened[0]
    assert ticket.state == TicketState.NEW
    assert ticket.category == Category.WIFI
    assert access_point.sicil_no in ticket.title
    assert TicketAsset.objects.get(ticket=ticket).asset == access_point
    access_point.refresh_from_db()
    assert access_point.offline_ticket == ticket

    # One request per outage: the next sweeps open nothing more.
    time_machine.move_to(T0 + datetime.timedelta(minutes=40), tick=False)
    assert devices.devices_mark_offline() == []
    assert Ticket.objects.filter(asset_link__asset=access_point).count() == 1

    # Back online: the link is cleared, the request stays open for a person to close.
    assert beat(client, token).status_code == 200
    access_point.refresh_from_db()
    assert access_point.offline_ticket is None
    ticket.refresh_from_db()
    assert ticket.state == TicketState.NEW
    from .conftest import tr

    reported = tr("The device reported again at %(time)s.").split("%(time)s")[0].strip()
    assert ticket.entries.filter(text__contains=reported).exists()

    # A second outage is a second request.
    time_machine.move_to(T0 + datetime.timedelta(minutes=60), tick=False)
    assert len(devices.devices_mark_offline()) == 1
    assert Ticket.objects.filter(asset_link__asset=access_point).count() == 2


def test_a_device_never_heard_from_opens_nothing(people, access_point, desk_queues):
    devices.device_token_issue(actor=people["memur"], asset=access_point)
    assert devices.devices_mark_offline(timezone.now() + datetime.timedelta(days=1)) == []


def test_the_periodic_task_runs_the_sweep(people, access_point, desk_queues, time_machine):
    from bilgiislem.assets.tasks import devices_offline_sweep

    time_machine.move_to(T0, tick=False)
    devices.device_token_issue(actor=people["memur"], asset=access_point)
    Asset.objects.filter(pk=access_point.pk).update(last_seen_at=T0)
    time_machine.move_to(T0 + datetime.timedelta(hours=1), tick=False)
    result = devices_offline_sweep.call_local()
    assert result == {"opened": 1}
