"""Licences (seats, the key encrypted at rest and shown only to the Director and the Chief)
and contract coverage."""

import datetime

import pytest

from bilgiislem.assets.models import ContractCoverage, License, LicenseAssignment
from bilgiislem.assets.services import licenses
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.servicedesk.models import VendorContract

KEY = "ABCDE-12345-FGHIJ-67890"


@pytest.fixture
def office(people):
    return licenses.license_create(
        actor=people["mudur"], product="Ofis Paketi 2024", vendor="Yazılımevi", seats=2, key=KEY
    )


def test_the_key_is_encrypted_at_rest(office):
    stored = License.objects.values_list("key_encrypted", flat=True).get(pk=office.pk)
    assert stored and KEY not in stored
    assert licenses.decrypt_key(stored) == KEY
    created = AuditEvent.objects.filter(action="assets.license.created").latest("pk")
    assert KEY not in str(created.changes)


def test_only_the_director_and_the_chief_read_the_key(people, office):
    assert licenses.license_key(actor=people["sef"], license=office) == KEY
    assert AuditEvent.objects.filter(action="assets.license.key_read").count() == 1
    for username in ("memur", "kalem", "yaziisleri"):
        with pytest.raises(PermissionDeniedError):
            licenses.license_key(actor=people[username], license=office)


def test_only_the_heads_record_licences(people):
    with pytest.raises(PermissionDeniedError):
        licenses.license_create(actor=people["memur"], product="X", seats=1)
    with pytest.raises(DomainError) as err:
        licenses.license_create(actor=people["mudur"], product="X", seats=0)
    assert "seats" in err.value.errors
    assert not License.objects.filter(product="X").exists()


def test_assignment_beyond_the_seats_is_refused(people, office, asset_factory):
    first, second, third = asset_factory(), asset_factory(), asset_factory()
    licenses.license_assign(actor=people["memur"], license=office, asset=first)
    licenses.license_assign(actor=people["memur"], license=office, person=people["yazilim"])
    with pytest.raises(DomainError) as err:
        licenses.license_assign(actor=people["memur"], license=office, asset=third)
    assert "seats" in err.value.errors
    assert "2" in err.value.errors["seats"][0]
    assert licenses.seats_used(office) == 2

    # Ending an assignment frees its seat.
    assignment = LicenseAssignment.objects.get(license=office, asset=first)
    licenses.license_unassign(actor=people["memur"], assignment=assignment)
    licenses.license_assign(actor=people["memur"], license=office, asset=second)
    assert licenses.seats_used(office) == 2


def test_the_same_asset_twice_and_lowering_seats_below_use_are_refused(
    people, office, asset_factory
):
    asset = asset_factory()
    licenses.license_assign(actor=people["memur"], license=office, asset=asset)
    with pytest.raises(DomainError) as err:
        licenses.license_assign(actor=people["memur"], license=office, asset=asset)
    assert "asset" in err.value.errors
    licenses.license_assign(actor=people["memur"], license=office, person=people["kalem"])
    with pytest.raises(DomainError) as err:
        licenses.license_update(actor=people["mudur"], license=office, seats=1)
    assert "seats" in err.value.errors
    office.refresh_from_db()
    assert office.seats == 2


def test_changing_the_key(people, office):
    licenses.license_update(actor=people["mudur"], license=office, key="NEW-KEY")
    office.refresh_from_db()
    assert licenses.license_key(actor=people["mudur"], license=office) == "NEW-KEY"


def test_contract_coverage(people, asset_factory):
    contract = VendorContract.objects.create(
        vendor="Bakım A.Ş.",
        number="2026/7",
        subject="Yazıcı bakımı",
        valid_from=datetime.date(2026, 1, 1),
        valid_until=datetime.date(2026, 12, 31),
    )
    asset = asset_factory()
    coverage = licenses.contract_cover(actor=people["sef"], contract=contract, asset=asset)
    with pytest.raises(DomainError):
        licenses.contract_cover(actor=people["sef"], contract=contract, asset=asset)
    with pytest.raises(PermissionDeniedError):
        licenses.contract_cover(actor=people["memur"], contract=contract, asset=asset_factory())
    assert list(asset.contracts.values_list("contract__number", flat=True)) == ["2026/7"]
    licenses.contract_uncover(actor=people["sef"], coverage=coverage)
    assert not ContractCoverage.objects.filter(asset=asset).exists()
