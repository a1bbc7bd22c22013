"""Pages and API of licences, data lines and devices: who sees what, bad input named."""

import datetime

import pytest
from django.urls import reverse

from bilgiislem.assets.models import DataLine, License, LicenseAssignment
from bilgiislem.assets.services import devices, licenses
from bilgiislem.audit.models import AuditEvent

KEY = "SECRET-KEY-0000"


@pytest.fixture
def office(people):
    return licenses.license_create(actor=people["mudur"], product="Ofis", seats=1, key=KEY)


@pytest.mark.parametrize(
    "name,args",
    [
        ("assets:sites-overview", []),
        ("assets:licenses", []),
        ("assets:data-lines", []),
        ("assets:contracts", []),
    ],
)
def test_pages_for_bilgi_islem_and_404_for_others(client_as, name, args, access_point, office):
    assert client_as("memur").get(reverse(name, args=args)).status_code == 200
    assert client_as("yaziisleri").get(reverse(name, args=args)).status_code == 404


def test_sites_overview_shows_online_and_offline(client_as, people, access_point, park):
    token = devices.device_token_issue(actor=people["memur"], asset=access_point)
    devices.heartbeat_accept(token)
    page = client_as("sef").get(reverse("assets:sites-overview")).content.decode()
    assert park.name in page and access_point.sicil_no in page
    assert 'data-online="1"' in page


def test_the_key_only_for_the_heads_in_the_page_and_the_api(client_as, office):
    detail = reverse("assets:license-detail", args=[office.pk])
    assert KEY not in client_as("mudur").get(detail).content.decode()
    shown = client_as("mudur").post(reverse("assets:license-key", args=[office.pk]))
    assert KEY in shown.content.decode()
    refused = client_as("memur").post(reverse("assets:license-key", args=[office.pk]))
    assert refused.status_code == 403 and KEY not in refused.content.decode()

    api = reverse("assets-api:license-key", args=[office.pk])
    assert client_as("sef").get(api).json() == {"key": KEY}
    assert client_as("memur").get(api).status_code == 403
    assert client_as("yaziisleri").get(api).status_code == 404
    listing = client_as("memur").get(reverse("assets-api:license-list")).content.decode()
    assert KEY not in listing and "key_encrypted" not in listing


def test_seats_beyond_the_licence_are_400_naming_seats(client_as, office, asset_factory):
    url = reverse("assets-api:license-assign", args=[office.pk])
    client = client_as("memur")
    first = client.post(url, {"asset": asset_factory().pk}, content_type="application/json")
    assert first.status_code == 201, first.content
    second = client.post(url, {"asset": asset_factory().pk}, content_type="application/json")
    assert second.status_code == 400
    assert "seats" in second.json()
    assert LicenseAssignment.objects.filter(license=office).count() == 1

    # The page puts the refusal on the form.
    other = asset_factory()
    page = client.post(
        reverse("assets:license-detail", args=[office.pk]), {"asset": other.sicil_no}
    )
    assert page.status_code == 200
    assert "1" in page.content.decode() and not LicenseAssignment.objects.filter(asset=other)


def test_licence_created_through_the_page(db, client_as):
    response = client_as("mudur").post(
        reverse("assets:licenses"), {"product": "Harita", "seats": "5", "key": "K-1"}
    )
    assert response.status_code == 302
    licence = License.objects.get(product="Harita")
    assert licence.seats == 5 and "K-1" not in licence.key_encrypted
    assert (
        client_as("memur")
        .post(reverse("assets:licenses"), {"product": "Y", "seats": "1"})
        .status_code
        == 403
    )


def test_data_line_api_and_outage_page(client_as, site, park, desk_queues):
    url = reverse("assets-api:data-line-list")
    body = {
        "provider": "TT",
        "circuit_id": "KRS-9",
        "site_a": site.pk,
        "site_b": site.pk,
        "speed_mbps": 50,
    }
    same = client_as("mudur").post(url, body, content_type="application/json")
    assert same.status_code == 400 and "site_b" in same.json()
    body["site_b"] = park.pk
    made = client_as("mudur").post(url, body, content_type="application/json")
    assert made.status_code == 201, made.content
    line = DataLine.objects.get(circuit_id="KRS-9")
    assert (
        client_as("memur")
        .post(url, {**body, "circuit_id": "X"}, content_type="application/json")
        .status_code
        == 403
    )

    response = client_as("memur").post(
        reverse("assets:data-line-outage", args=[line.pk]), {"provider_ticket": "TT-55"}
    )
    assert response.status_code == 302
    outage = line.outages.get()
    assert "TT-55" in outage.ticket.description
    api = client_as("memur").post(reverse("assets-api:data-line-outage", args=[line.pk]), {})
    assert api.status_code == 400 and "line" in api.json()
    ended = client_as("memur").post(reverse("assets-api:data-line-outage-end", args=[line.pk]))
    assert ended.status_code == 200 and ended.json()["ended_at"]


def test_device_token_through_the_api_and_page(client_as, access_point):
    api = client_as("memur").post(reverse("assets-api:device-token", args=[access_point.pk]))
    assert api.status_code == 201
    token = api.json()["token"]
    assert devices.heartbeat_accept(token).asset_id == access_point.pk
    assert (
        client_as("yaziisleri")
        .post(reverse("assets-api:device-token", args=[access_point.pk]))
        .status_code
        == 404
    )
    page = client_as("memur").post(reverse("assets:device-token", args=[access_point.pk]))
    assert page.status_code == 200
    assert AuditEvent.objects.filter(action="assets.device.token_rotated").exists()


def test_expiring_api(client_as, asset_factory):
    import django.utils.timezone as tz

    asset_factory(sicil_no="EXP-1", warranty_until=tz.localdate() + datetime.timedelta(days=3))
    rows = client_as("sef").get(reverse("assets-api:expiring-list")).json()
    assert any(r["label"].startswith("EXP-1") for r in rows)
    assert client_as("yaziisleri").get(reverse("assets-api:expiring-list")).status_code == 404


def test_contract_coverage_page(client_as, asset_factory):
    from bilgiislem.assets.models import ContractCoverage
    from bilgiislem.servicedesk.models import VendorContract

    contract = VendorContract.objects.create(
        vendor="Bakım A.Ş.",
        number="B-1",
        subject="Sunucu bakımı",
        valid_from=datetime.date(2026, 1, 1),
    )
    asset = asset_factory()
    url = reverse("assets:contracts")
    unknown = client_as("sef").post(url, {"contract": contract.pk, "asset": "NO-SUCH"})
    assert unknown.status_code == 200 and not ContractCoverage.objects.exists()
    assert (
        client_as("memur").post(url, {"contract": contract.pk, "asset": asset.sicil_no}).status_code
        == 403
    )
    assert (
        client_as("sef").post(url, {"contract": contract.pk, "asset": asset.sicil_no}).status_code
        == 302
    )
    coverage = ContractCoverage.objects.get()
    assert asset.sicil_no in client_as("memur").get(url).content.decode()
    assert client_as("sef").post(url, {"remove": coverage.pk}).status_code == 302
    assert not ContractCoverage.objects.exists()
