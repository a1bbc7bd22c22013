"""Demo data of the assets app (``manage.py assets_demo``): ``kalem`` as the taşınır kayıt
yetkilisi, the code list, a building with rooms, two public places, Bilgi İşlem's store and a
few registered assets. Never for production; running it again changes nothing."""

import datetime

from django.db import transaction

from bilgiislem.organization.choices import PositionKind
from bilgiislem.organization.models import OrgUnit, Person, Position, PositionHolding

from ..choices import AssetKind, SiteKind
from ..models import Site, Store, TasinirCode
from .codes import tasinir_codes_load_file
from .places import room_create, site_create, store_create
from .register import asset_move, asset_register

BUILDING = "Karasu Belediyesi Hizmet Binası"
SITES = [
    (SiteKind.BUILDING, BUILDING, "İncilli Mah. Atatürk Cad. No: 1, Karasu/Sakarya"),
    (SiteKind.PARK, "Karasu Sahil Parkı", "Sahil Mah., Karasu/Sakarya"),
    (SiteKind.SQUARE, "Cumhuriyet Meydanı", "Aziziye Mah., Karasu/Sakarya"),
]
ROOMS = [  # floor, name, unit code, shared
    ("-1", "Ambar", "bilgi-islem", False),
    ("1", "101 Sistem Odası", "bilgi-islem-sistem", False),
    ("2", "201 Bilgi İşlem", "bilgi-islem", False),
    ("2", "202 Teknik Destek", "bilgi-islem-teknik-destek", False),
    ("1", "105 Yazı İşleri", "yazi-isleri", False),
    ("3", "Toplantı Salonu", None, True),
]
# code, kind, make, model, serial, room name (None: in the store), site name, value
ASSETS = [
    ("255.02.02.02", AssetKind.LAPTOP, "Lenovo", "ThinkPad T14", "PF-4A1B01", None, None, 32000),
    ("255.02.02.02", AssetKind.LAPTOP, "Lenovo", "ThinkPad T14", "PF-4A1B02", None, None, 32000),
    (
        "255.02.02.01",
        AssetKind.COMPUTER,
        "HP",
        "ProDesk 400",
        "CZC1234",
        "201 Bilgi İşlem",
        None,
        24000,
    ),
    (
        "255.02.02.03",
        AssetKind.MONITOR,
        "Dell",
        "P2422H",
        "CN-0ABC1",
        "201 Bilgi İşlem",
        None,
        6500,
    ),
    (
        "255.02.02.01",
        AssetKind.COMPUTER,
        "HP",
        "ProDesk 400",
        "CZC1240",
        "105 Yazı İşleri",
        None,
        24000,
    ),
    (
        "255.02.02.04",
        AssetKind.PRINTER,
        "Brother",
        "HL-L5100",
        "E78123",
        "105 Yazı İşleri",
        None,
        9000,
    ),
    (
        "255.02.02.05",
        AssetKind.SERVER,
        "Dell",
        "PowerEdge R650",
        "SVR650A",
        "101 Sistem Odası",
        None,
        310000,
    ),
    (
        "253.02.01",
        AssetKind.NETWORK,
        "Cisco",
        "C9200-24T",
        "FOC2401",
        "101 Sistem Odası",
        None,
        45000,
    ),
    ("255.02.02.07", AssetKind.SCREEN, "Samsung", "QM55", "SCR55A", "Toplantı Salonu", None, 28000),
    (
        "253.02.02",
        AssetKind.ACCESS_POINT,
        "Ubiquiti",
        "U6-Mesh",
        "UAP-P1",
        None,
        "Karasu Sahil Parkı",
        7000,
    ),
    (
        "253.02.02",
        AssetKind.ACCESS_POINT,
        "Ubiquiti",
        "U6-Mesh",
        "UAP-M1",
        None,
        "Cumhuriyet Meydanı",
        7000,
    ),
]


def _kayit_holding(actor) -> None:
    from bilgiislem.organization.services.people import holding_start

    position = Position.objects.get(
        unit__code="bilgi-islem", kind=PositionKind.TASINIR_KAYIT_YETKILISI
    )
    if PositionHolding.objects.active_on().filter(position=position).exists():
        return
    holding_start(
        actor=actor,
        person=Person.objects.get(username="kalem"),
        position=position,
        start_date=datetime.date(2024, 1, 1),
    )


@transaction.atomic
def assets_demo_set_up(*, actor) -> dict:
    _kayit_holding(actor)
    kayit = Person.objects.get(username="kalem")
    # The code list (loading it again changes nothing), unless every code the demo uses is
    # there already.
    needed = {entry[0] for entry in ASSETS}
    if TasinirCode.objects.filter(code__in=needed).count() < len(needed):
        tasinir_codes_load_file(actor=actor)
    if Site.objects.filter(name=BUILDING).exists():
        return {"sites": 0, "assets": 0}
    sites = {name: site_create(actor=actor, kind=k, name=name, address=a) for k, name, a in SITES}
    units = {u.code: u for u in OrgUnit.objects.all()}
    rooms = {
        name: room_create(
            actor=kayit,
            site=sites[BUILDING],
            floor=floor,
            name=name,
            unit=units.get(unit) if unit else None,
            shared=shared,
        )
        for floor, name, unit, shared in ROOMS
    }
    if Store.objects.filter(unit=units["bilgi-islem"], code="01").exists():
        store = Store.objects.get(unit=units["bilgi-islem"], code="01")
    else:
        store = store_create(
            actor=kayit,
            unit=units["bilgi-islem"],
            code="01",
            name="Bilgi İşlem Müdürlüğü Ambarı",
            room=rooms["Ambar"],
        )
    codes = {c.code: c for c in TasinirCode.objects.all()}
    made = 0
    for code, kind, make, model, serial, room, site, value in ASSETS:
        asset = asset_register(
            actor=kayit,
            code=codes[code],
            kind=kind,
            store=store,
            site=sites.get(site) if site else None,
            value=value,
            make=make,
            model=model,
            serial_number=serial,
            acceptance_date=datetime.date(2025, 9, 15),
            warranty_until=datetime.date(2027, 9, 15),
        )
        if room:
            asset_move(actor=kayit, asset=asset, room=rooms[room], reason="Kuruluma verildi")
        made += 1
    return {"sites": len(sites), "assets": made}
