"""Leased data lines: recording, an outage opening a service-desk request."""

import datetime

import pytest

from bilgiislem.assets.models import DataLine, DataLineOutage
from bilgiislem.assets.services import datalines
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.servicedesk.choices import Category


@pytest.fixture
def line(people, site, park):
    return datalines.dataline_create(
        actor=people["mudur"],
        provider="Türk Telekom",
        circuit_id="KRS-0001",
        site_a=site,
        site_b=park,
        speed_mbps=100,
        monthly_cost="1250.00",
        installed_on=datetime.date(2025, 1, 1),
        ends_on=datetime.date(2027, 1, 1),
    )


def test_bad_lines_are_refused_naming_the_field(people, site, park, line):
    base = {"provider": "TT", "site_a": site, "site_b": park, "speed_mbps": 10}
    cases = [
        ({"circuit_id": "KRS-0001"}, "circuit_id"),
        ({"circuit_id": "X", "site_b": site}, "site_b"),
        ({"circuit_id": "X", "speed_mbps": 0}, "speed_mbps"),
        ({"circuit_id": "X", "monthly_cost": "abc"}, "monthly_cost"),
        (
            {
                "circuit_id": "X",
                "installed_on": datetime.date(2026, 1, 2),
                "ends_on": datetime.date(2026, 1, 1),
            },
            "ends_on",
        ),
    ]
    for extra, field in cases:
        with pytest.raises(DomainError) as err:
            datalines.dataline_create(actor=people["mudur"], **{**base, **extra})
        assert field in err.value.errors, (extra, err.value.errors)
    with pytest.raises(PermissionDeniedError):
        datalines.dataline_create(actor=people["memur"], circuit_id="Y", **base)
    assert DataLine.objects.count() == 1


def test_an_outage_opens_a_request_with_the_providers_number(people, line, desk_queues):
    outage = datalines.dataline_outage_report(
        actor=people["memur"], line=line, provider_ticket="TT-998877"
    )
    ticket = outage.ticket
    assert ticket.category == Category.NETWORK
    assert "TT-998877" in ticket.description
    assert line.circuit_id in ticket.title
    assert ticket.requester == people["memur"]
    # A second report while it is open is refused; ending it allows the next one.
    with pytest.raises(DomainError) as err:
        datalines.dataline_outage_report(actor=people["memur"], line=line)
    assert "line" in err.value.errors
    datalines.dataline_outage_end(actor=people["memur"], outage=outage)
    datalines.dataline_outage_report(actor=people["memur"], line=line)
    assert DataLineOutage.objects.filter(line=line).count() == 2


def test_outside_bilgi_islem_nobody_reports_an_outage(people, line, desk_queues):
    with pytest.raises(PermissionDeniedError):
        datalines.dataline_outage_report(actor=people["yaziisleri"], line=line)
    assert not DataLineOutage.objects.exists()
