"""Helpers shared by the organisation service tests (clock, snapshots, refusals)."""

import datetime
import zoneinfo

import pytest

from bilgiislem.audit.models import AuditEvent
from bilgiislem.organization import services
from bilgiislem.organization.models import Person, Position

TZ = zoneinfo.ZoneInfo("Europe/Istanbul")
TODAY = datetime.date(2025, 3, 10)


def day(n: int) -> datetime.date:
    return datetime.date(2025, 3, n)


def go_to(frozen, date: datetime.date, hour: int = 10):
    frozen.move_to(datetime.datetime(date.year, date.month, date.day, hour, tzinfo=TZ), tick=False)


def fresh(username: str) -> Person:
    return Person.objects.get(username=username)


def snapshot(*models) -> dict:
    """Row counts of the given models and of the audit trail: 'nothing was written'."""
    return {m.__name__: m.objects.count() for m in (*models, AuditEvent)}


def last_event() -> AuditEvent:
    return AuditEvent.objects.order_by("-seq").first()


def assert_event(action, obj, actor, *, acting_for=""):
    event = last_event()
    assert event.action == action
    assert event.object_type == obj._meta.label_lower
    assert event.object_id == str(obj.pk)
    assert event.actor_id == (actor.pk if actor else None)
    assert event.acting_for == acting_for
    return event


def refused(exc_type, field=None):
    """Context: the call is refused, naming ``field`` if given."""

    class _Ctx:
        def __enter__(self):
            self.raises = pytest.raises(exc_type)
            self.info = self.raises.__enter__()
            return self.info

        def __exit__(self, *exc):
            handled = self.raises.__exit__(*exc)
            if field is not None:
                assert field in self.info.value.errors, self.info.value.errors
            return handled

    return _Ctx()


ACTING_START, ACTING_END = day(12), day(14)


def acting(
    actor, person, *, post=("bilgi-islem", "mudur"), start=ACTING_START, end=ACTING_END, **kw
):
    position = Position.objects.get(unit__code=post[0], kind=post[1])
    return services.acting_create(
        actor=actor,
        position=position,
        acting_person=person,
        start_date=start,
        end_date=end,
        **kw,
    )
