"""Fixtures of the organisation tests: objects made through the services."""

import datetime

import pytest

from bilgiislem.organization import services
from bilgiislem.organization.choices import UnitChangeKind

from .view_support import TODAY


@pytest.fixture
def english(settings):
    """Assert on the English source strings, whatever the Turkish catalogue says."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


# --- objects made through the services --------------------------------------------------------


@pytest.fixture
def acting(people, positions):
    return services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=TODAY(),
        end_date=TODAY() + datetime.timedelta(days=7),
        reason="Yıllık izin",
    )


@pytest.fixture
def delegation(people, units):
    return services.delegation_create(
        actor=people["baskan"],
        delegate=people["baskan.yardimcisi"],
        recipient_classes=["public_body"],
        units=[units["bilgi-islem"]],
        start_date=TODAY(),
        end_date=TODAY() + datetime.timedelta(days=30),
        description="Kamu kurumlarına yazılar",
    )


@pytest.fixture
def appointment(people, units):
    return services.appointment_propose(
        actor=people["mudur"],
        unit=units["bilgi-islem-teknik-destek"],
        person=people["memur"],
        justification="Deneyimli",
    )


@pytest.fixture
def unit_change(people, units):
    return services.unit_change_propose(
        actor=people["mudur"],
        kind=UnitChangeKind.RENAME,
        unit=units["bilgi-islem-sistem"],
        name="Sistem ve Ağ Birimi",
        justification="Ağ işleri eklendi",
    )


@pytest.fixture
def frozen(time_machine):
    """The service tests' clock: 10.03.2025 10:00 in Istanbul, standing still."""
    import zoneinfo

    tz = zoneinfo.ZoneInfo("Europe/Istanbul")
    time_machine.move_to(datetime.datetime(2025, 3, 10, 10, 0, tzinfo=tz), tick=False)
    return time_machine
