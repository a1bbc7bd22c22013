"""Warnings before warranties, licences, contracts and data lines end (frozen time)."""

import datetime

import pytest
from django.core import mail

from bilgiislem.assets.choices import AssetStatus
from bilgiislem.assets.models import DataLine, License
from bilgiislem.assets.services.expiry import expiring, expiry_notify
from bilgiislem.assets.work import work_items_for
from bilgiislem.servicedesk.models import VendorContract

TODAY = datetime.date(2026, 5, 1)


def day(n):
    return TODAY + datetime.timedelta(days=n)


@pytest.fixture
def ending(asset_factory, site, park):
    """One of each kind inside the 60-day window, and others outside it."""
    asset_factory(sicil_no="W-IN", warranty_until=day(60))
    asset_factory(sicil_no="W-OUT", warranty_until=day(61))
    asset_factory(sicil_no="W-PAST", warranty_until=day(-1))
    asset_factory(sicil_no="W-GONE", warranty_until=day(5), status=AssetStatus.WRITTEN_OFF)
    License.objects.create(product="L-IN", seats=1, valid_until=day(0))
    License.objects.create(product="L-OUT", seats=1, valid_until=day(90))
    VendorContract.objects.create(
        vendor="C-IN", number="1", subject="s", valid_from=day(-300), valid_until=day(30)
    )
    DataLine.objects.create(
        provider="D-IN", circuit_id="c1", site_a=site, site_b=park, speed_mbps=10, ends_on=day(10)
    )


def test_what_ends_within_the_window(ending, time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 1, 10, 0, tzinfo=datetime.UTC), tick=False)
    found = expiring()
    assert [(e.kind, e.label.split()[0]) for e in found] == [
        ("licence", "L-IN"),
        ("dataline", "D-IN"),
        ("contract", "C-IN"),
        ("warranty", "W-IN"),
    ]


def test_the_window_follows_the_setting(ending, settings):
    settings.BILGIISLEM_ASSET_EXPIRY_WARN_DAYS = 10
    assert {e.label.split()[0] for e in expiring(TODAY)} == {"L-IN", "D-IN"}


def test_work_items_reach_the_director_and_the_chief_only(ending, people, time_machine):
    time_machine.move_to(datetime.datetime(2026, 5, 1, 10, 0, tzinfo=datetime.UTC), tick=False)
    titles = [i.title for i in work_items_for(people["mudur"])]
    assert any("L-IN" in t for t in titles)
    assert any("W-IN" in t for t in titles)
    assert [i for i in work_items_for(people["sef"]) if "W-IN" in i.title]
    assert not [i for i in work_items_for(people["memur"]) if "W-IN" in i.title]


def test_the_daily_mail(ending, people):
    people["mudur"].email = "mudur@example.org"
    people["mudur"].save(update_fields=["email"])
    assert expiry_notify(TODAY) == 4
    assert len(mail.outbox) == 1
    assert "mudur@example.org" in mail.outbox[0].to
    assert "W-IN" in mail.outbox[0].body
    mail.outbox.clear()
    assert expiry_notify(day(200)) == 0
    assert mail.outbox == []
