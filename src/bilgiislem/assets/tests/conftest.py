"""Shared assets fixtures: a code, a site with rooms, the directorate's store, the kayıt
yetkilisi and an asset factory.

``asset_factory`` writes Asset rows directly (no VİF, no audit), so the tests of counts,
custody, write-offs and devices can build exactly the state they need; the register's own
tests create assets through ``asset_register`` instead.
"""

import datetime

import pytest
from django.db.models import Max


@pytest.fixture
def tasinir_code(db):
    """A laptop code (255 Demirbaşlar), created when the code list is not loaded."""
    from bilgiislem.assets.models import TasinirCode

    parent, _created = TasinirCode.objects.get_or_create(
        code="255", defaults={"title": "Demirbaşlar"}
    )
    code, _created = TasinirCode.objects.get_or_create(
        code="255.02.02.02",
        defaults={"title": "Dizüstü bilgisayar", "parent": parent, "is_sample": True},
    )
    return code


@pytest.fixture
def consumable_code(db):
    """A toner code (150 İlk Madde ve Malzemeler)."""
    from bilgiislem.assets.models import TasinirCode

    parent, _created = TasinirCode.objects.get_or_create(
        code="150", defaults={"title": "İlk Madde ve Malzemeler"}
    )
    code, _created = TasinirCode.objects.get_or_create(
        code="150.01.03.01",
        defaults={"title": "Yazıcı toneri", "parent": parent, "is_sample": True},
    )
    return code


@pytest.fixture
def site(db):
    from bilgiislem.assets.choices import SiteKind
    from bilgiislem.assets.models import Site

    return Site.objects.create(kind=SiteKind.BUILDING, name="Test Hizmet Binası")


@pytest.fixture
def room(db, site, units):
    """An office of Bilgi İşlem (not shared)."""
    from bilgiislem.assets.models import Room

    return Room.objects.create(site=site, floor="2", name="204", unit=units["bilgi-islem"])


@pytest.fixture
def other_room(db, site, units):
    """An office of Yazı İşleri."""
    from bilgiislem.assets.models import Room

    return Room.objects.create(site=site, floor="1", name="105", unit=units["yazi-isleri"])


@pytest.fixture
def shared_room(db, site):
    """A shared meeting room (its items are on a Dayanıklı Taşınırlar Listesi)."""
    from bilgiislem.assets.models import Room

    return Room.objects.create(site=site, floor="3", name="Toplantı Salonu", shared=True)


@pytest.fixture
def store(db, units, site):
    """Bilgi İşlem's store (ambar), code 01."""
    from bilgiislem.assets.models import Room, Store

    ambar = Room.objects.create(site=site, floor="-1", name="Ambar", unit=units["bilgi-islem"])
    return Store.objects.create(
        unit=units["bilgi-islem"], code="01", name="Bilgi İşlem Ambarı", room=ambar
    )


@pytest.fixture
def kayit(db, people, positions):
    """``kalem`` holding the directorate's Taşınır Kayıt Yetkilisi post (as assets_demo does)."""
    from bilgiislem.organization import permissions
    from bilgiislem.organization.models import PositionHolding

    person = people["kalem"]
    PositionHolding.objects.get_or_create(
        person=person,
        position=positions["bilgi-islem", "tasinir_kayit_yetkilisi"],
        defaults={"start_date": datetime.date(2020, 1, 1)},
    )
    permissions.clear_cache(person)
    return person


@pytest.fixture
def asset_factory(db, tasinir_code, store):
    """``asset_factory(**fields)``: an Asset row written directly (its sicil counter kept
    ahead). Defaults: a laptop of ``tasinir_code`` in ``store``, entered this year with the
    next sequence, in store."""
    from django.utils import timezone

    from bilgiislem.assets.choices import AssetKind
    from bilgiislem.assets.models import Asset, AssetSequence

    def make(**fields):
        code = fields.pop("code", tasinir_code)
        year = fields.pop("entry_year", timezone.localdate().year)
        sequence = fields.pop("sequence", None)
        if sequence is None:
            top = Asset.objects.filter(code=code, entry_year=year).aggregate(m=Max("sequence"))
            sequence = (top["m"] or 0) + 1
        fields.setdefault("sicil_no", f"{code.code}-{year % 100:02d}-{sequence:05d}")
        fields.setdefault("kind", AssetKind.LAPTOP)
        fields.setdefault("store", store)
        fields.setdefault("make", "Lenovo")
        fields.setdefault("model", "ThinkPad")
        asset = Asset.objects.create(code=code, entry_year=year, sequence=sequence, **fields)
        # Keep the sicil counter ahead, so asset_register never gives this number again.
        counter, _created = AssetSequence.objects.get_or_create(code=code, year=year)
        if counter.last_number < sequence:
            AssetSequence.objects.filter(pk=counter.pk).update(last_number=sequence)
        return asset

    return make


def tr(message: str) -> str:
    """A message as the Turkish-first UI and API show it (the catalogue's translation)."""
    from django.utils import translation

    with translation.override("tr"):
        return translation.gettext(message)


# Devices, licences and data lines (H-DEVICES).
@pytest.fixture
def desk_queues(db, units):
    """The service desk's queues, so requests opened by devices and lines have somewhere to go."""
    from bilgiislem.servicedesk.models import Queue
    from bilgiislem.servicedesk.services.queues import QUEUE_SPECS

    for code, (name, categories) in QUEUE_SPECS.items():
        Queue.objects.update_or_create(
            unit=units[code], defaults={"name": name, "categories": categories, "active": True}
        )


@pytest.fixture
def park(db):
    from bilgiislem.assets.choices import SiteKind
    from bilgiislem.assets.models import Site

    return Site.objects.create(kind=SiteKind.PARK, name="Test Sahil Parkı")


@pytest.fixture
def access_point(asset_factory, park):
    from bilgiislem.assets.choices import AssetKind, AssetStatus

    return asset_factory(
        kind=AssetKind.ACCESS_POINT,
        site=park,
        status=AssetStatus.IN_USE,
        make="Ubiquiti",
        model="U6",
        serial_number="AP-1",
    )
