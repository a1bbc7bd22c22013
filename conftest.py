"""Shared test fixtures.

The Karasu organisation, its demo people and the file plan are loaded once per test database
(right after migrations), so every test starts from the real data files and rolls back its own
changes.
"""

import pytest
from django.conf import settings


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    from bilgiislem.archive.services import file_plan_load_file
    from bilgiislem.organization.loading import demo_load, organization_load

    with django_db_blocker.unblock():
        organization_load(settings.BILGIISLEM_ORGANIZATION_FILE)
        demo_load(settings.BILGIISLEM_ORGANIZATION_FILE)
        file_plan_load_file(settings.BILGIISLEM_FILE_PLAN_FILE)


@pytest.fixture
def people(db):
    """Demo people by username: ``people["mudur"]``."""
    from bilgiislem.organization.models import Person

    class _People(dict):
        def __missing__(self, username):
            person = Person.objects.get(username=username)
            self[username] = person
            return person

    return _People()


@pytest.fixture
def units(db):
    """Units by code: ``units["bilgi-islem"]``."""
    from bilgiislem.organization.models import OrgUnit

    class _Units(dict):
        def __missing__(self, code):
            unit = OrgUnit.objects.get(code=code)
            self[code] = unit
            return unit

    return _Units()


@pytest.fixture
def positions(db):
    """Posts by (unit code, kind): ``positions["bilgi-islem", "mudur"]``."""
    from bilgiislem.organization.models import Position

    class _Positions(dict):
        def __missing__(self, key):
            position = Position.objects.get(unit__code=key[0], kind=key[1])
            self[key] = position
            return position

    return _Positions()


@pytest.fixture
def client_as(client):
    """Log the test client in as a demo person: ``client_as("mudur")``."""
    from bilgiislem.organization.models import Person

    def _login(username):
        client.force_login(Person.objects.get(username=username))
        return client

    return _login


@pytest.fixture(autouse=True)
def _fresh_cache():
    """Menu counts are cached for a minute; every test starts without them."""
    from django.core.cache import cache

    cache.clear()
    yield
