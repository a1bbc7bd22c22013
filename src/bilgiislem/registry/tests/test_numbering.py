"""Registry counters (DESIGN.md invariant 3), single-threaded; the concurrent case is in
tests/test_registry_numbering_concurrency.py."""

import datetime

import pytest
from django.db import IntegrityError, transaction

from bilgiislem.registry.models import Document, RegistryCounter
from bilgiislem.registry.services._common import next_registry_number, numbering_year

from .factories import register, unit

pytestmark = pytest.mark.django_db


def test_numbering_year_follows_the_setting(settings):
    settings.BILGIISLEM_REGISTRY_YEARLY = True
    assert numbering_year(datetime.date(2026, 5, 1)) == 2026
    settings.BILGIISLEM_REGISTRY_YEARLY = False
    assert numbering_year(datetime.date(2026, 5, 1)) == 0


def test_the_counter_is_created_once_and_then_advanced():
    registry = unit("zabita")
    day = datetime.date(2026, 5, 1)
    assert next_registry_number(registry, day) == (2026, 1)
    assert next_registry_number(registry, day) == (2026, 2)
    assert RegistryCounter.objects.filter(registry=registry).count() == 1


def test_a_counter_created_by_someone_else_meanwhile_is_used(monkeypatch):
    """Two first registrations of the year race to create the counter: the loser's insert
    fails on the unique constraint and it takes the next number from the winner's row."""
    from bilgiislem.core import counters

    registry = unit("zabita")
    RegistryCounter.objects.create(registry=registry, year=2026, last_number=7)
    real_bump = counters._bump
    calls = {"n": 0}

    def bump_before_it_existed(model, key):
        calls["n"] += 1
        return None if calls["n"] == 1 else real_bump(model, key)

    monkeypatch.setattr(counters, "_bump", bump_before_it_existed)
    assert next_registry_number(registry, datetime.date(2026, 5, 1)) == (2026, 8)
    assert calls["n"] == 2


def test_the_database_refuses_a_duplicate_number():
    document = register()
    values = {
        f.attname: getattr(document, f.attname)
        for f in Document._meta.concrete_fields
        if not f.primary_key
    }
    with pytest.raises(IntegrityError), transaction.atomic():
        Document.objects.create(**values)
