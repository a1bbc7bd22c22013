"""factory_boy factories for the organisation. The Karasu tree is already loaded in every test
database; these add people, units, posts and holdings beside it (under Bilgi İşlem by default).
"""

import datetime

import factory
from factory.django import DjangoModelFactory, Password

from bilgiislem.organization.choices import POSITION_TITLE_SUFFIX, PositionKind, UnitKind
from bilgiislem.organization.models import (
    OrgUnit,
    OrgUnitVersion,
    Person,
    Position,
    PositionHolding,
)

SINCE = datetime.date(2024, 1, 1)


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"kisi{n}")
    first_name = factory.Sequence(lambda n: f"Deneme{n}")
    last_name = "Kişi"
    email = factory.LazyAttribute(lambda o: f"{o.username}@example.invalid")
    password = Password("demo")


def _bilgi_islem():
    return OrgUnit.objects.get(code="bilgi-islem")


class OrgUnitFactory(DjangoModelFactory):
    """A unit (Birim) under Bilgi İşlem, with its open version."""

    class Meta:
        model = OrgUnit
        skip_postgeneration_save = True

    code = factory.Sequence(lambda n: f"deneme-birim-{n}")
    name = factory.Sequence(lambda n: f"Deneme {n} Birimi")
    kind = UnitKind.BIRIM
    parent = factory.LazyFunction(_bilgi_islem)
    valid_from = SINCE

    @factory.post_generation
    def version(obj, create, extracted, **kwargs):
        if create:
            OrgUnitVersion.objects.create(
                unit=obj, name=obj.name, kind=obj.kind, parent=obj.parent, valid_from=obj.valid_from
            )


class PositionFactory(DjangoModelFactory):
    class Meta:
        model = Position

    unit = factory.SubFactory(OrgUnitFactory)
    kind = PositionKind.MEMUR
    title = factory.LazyAttribute(lambda o: f"{o.unit.name} {POSITION_TITLE_SUFFIX[o.kind]}")


class PositionHoldingFactory(DjangoModelFactory):
    class Meta:
        model = PositionHolding

    person = factory.SubFactory(PersonFactory)
    position = factory.SubFactory(PositionFactory)
    start_date = SINCE
    end_date = None
