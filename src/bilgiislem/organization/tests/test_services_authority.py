"""Organisation services: acting (vekalet) and signature delegation, rule by rule."""

import pytest

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization import services
from bilgiislem.organization.models import (
    ActingAssignment,
    Person,
    SignatureDelegation,
)
from bilgiislem.organization.permissions import (
    audit_reader_post,
)

from .factories import PositionHoldingFactory
from .service_support import (
    acting,
    assert_event,
    day,
    fresh,
    go_to,
    refused,
    snapshot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


# --- acting (vekalet) ---------------------------------------------------------------------


def test_acting_create_records_the_assignment_and_its_event(people, positions):
    before = AuditEvent.objects.count()
    assignment = acting(people["mudur"], people["sef"], reason="yıllık izin")
    assert assignment.position == positions["bilgi-islem", "mudur"]
    assert assignment.acting_person == people["sef"]
    assert (assignment.start_date, assignment.end_date) == (day(12), day(14))
    assert assignment.created_by == people["mudur"]
    assert AuditEvent.objects.count() == before + 1
    event = assert_event("organization.acting.created", assignment, people["mudur"])
    assert event.reason == "yıllık izin"
    assert event.changes["start_date"] == "2025-03-12"
    assert event.changes["acting_person"] == str(people["sef"])


def test_acting_create_writes_nothing_if_the_audit_event_fails(people, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("audit store unavailable")

    monkeypatch.setattr(services.acting, "audit_record", broken)
    before = snapshot(ActingAssignment)
    with pytest.raises(RuntimeError):
        acting(people["mudur"], people["sef"])
    assert snapshot(ActingAssignment) == before


def test_acting_end_before_start_is_refused(people):
    with refused(DomainError, "end_date"):
        acting(people["mudur"], people["sef"], start=day(14), end=day(12))


def test_acting_period_already_over_is_refused(people):
    with refused(DomainError, "end_date"):
        acting(people["mudur"], people["sef"], start=day(3), end=day(7))


def test_acting_for_a_single_day_is_allowed(people):
    assert acting(people["mudur"], people["sef"], start=day(10), end=day(10)).pk


@pytest.mark.parametrize(
    "who",
    [
        "yaziisleri",  # staff of another directorate
        "yaziisleri.mudur",  # a Director of another directorate
        "by2",  # not below the post
        "mudur",  # the holder cannot act for their own post
    ],
)
def test_acting_person_must_be_able_to_act_for_the_post(people, who):
    before = snapshot(ActingAssignment)
    with refused(DomainError, "acting_person"):
        acting(people["baskan"], people[who])
    assert snapshot(ActingAssignment) == before


def test_staff_of_another_directorate_cannot_act_for_the_director(people, positions):
    other = PositionHoldingFactory(position=positions["mali-hizmetler", "memur"]).person
    with refused(DomainError, "acting_person"):
        acting(people["mudur"], other)


def test_disabled_person_cannot_act(people):
    Person.objects.filter(username="sef").update(is_active=False)
    with refused(DomainError, "acting_person"):
        acting(people["mudur"], fresh("sef"))


def test_staff_of_the_directorate_can_act_for_the_director(people):
    assert acting(people["mudur"], people["memur"]).pk


@pytest.mark.parametrize(
    ("start", "end"),
    [(12, 14), (10, 12), (14, 20), (11, 15), (13, 13)],
)
def test_overlapping_acting_is_refused(people, start, end):
    acting(people["mudur"], people["sef"], start=day(12), end=day(14))
    before = snapshot(ActingAssignment)
    with refused(DomainError, "start_date"):
        acting(people["mudur"], people["memur"], start=day(start), end=day(end))
    assert snapshot(ActingAssignment) == before


def test_back_to_back_acting_is_allowed(people):
    acting(people["mudur"], people["sef"], start=day(12), end=day(14))
    assert acting(people["mudur"], people["memur"], start=day(15), end=day(17)).pk
    assert acting(people["mudur"], people["kalem"], start=day(10), end=day(11)).pk


def test_acting_ended_early_frees_the_rest_of_its_period(frozen, people):
    first = acting(people["mudur"], people["sef"], start=day(10), end=day(20))
    go_to(frozen, day(13))
    services.acting_end(actor=fresh("mudur"), assignment=first)
    # It counted up to the 12th; from the 13th another person may act.
    with refused(DomainError, "start_date"):
        acting(fresh("mudur"), people["memur"], start=day(12), end=day(16))
    assert acting(fresh("mudur"), people["memur"], start=day(13), end=day(16)).pk


@pytest.mark.parametrize("who", ["memur", "sef", "yaziisleri.mudur", "by2", "yaziisleri"])
def test_only_the_holder_or_someone_above_arranges_acting(people, who):
    before = snapshot(ActingAssignment)
    with refused(PermissionDeniedError):
        acting(people[who], people["sef"])
    assert snapshot(ActingAssignment) == before


@pytest.mark.parametrize("who", ["baskan.yardimcisi", "baskan"])
def test_a_superior_arranges_acting(people, who):
    assignment = acting(people[who], people["sef"])
    assert_event("organization.acting.created", assignment, people[who])


def test_acting_create_records_the_post_when_the_actor_acts(frozen, people, positions):
    acting(people["mudur"], people["sef"])
    go_to(frozen, day(12))
    # Şef, acting Director, arranges acting for a unit head post under the directorate.
    assignment = acting(
        fresh("sef"),
        people["memur"],
        post=("bilgi-islem-teknik-destek", "birim_sorumlusu"),
        start=day(12),
        end=day(13),
    )
    event = assert_event(
        "organization.acting.created", assignment, people["sef"], acting_for="Bilgi İşlem Müdürü"
    )
    assert event.acting_for_ref == f"organization.position:{positions['bilgi-islem', 'mudur'].pk}"


def test_acting_person_has_what_the_post_allows_while_it_runs(frozen, people, units):
    acting(people["mudur"], people["sef"])
    assert audit_reader_post(fresh("sef")) is None
    with refused(PermissionDeniedError):
        services.appointment_propose(
            actor=fresh("sef"), unit=units["bilgi-islem-sistem"], person=people["memur"]
        )

    go_to(frozen, day(12))
    sef = fresh("sef")
    assert audit_reader_post(sef).label == "Bilgi İşlem Müdürü V."
    request = services.appointment_propose(
        actor=sef, unit=units["bilgi-islem-sistem"], person=people["memur"]
    )
    assert_event("organization.appointment.proposed", request, sef, acting_for="Bilgi İşlem Müdürü")

    go_to(frozen, day(15))
    with refused(PermissionDeniedError):
        services.appointment_propose(
            actor=fresh("sef"), unit=units["bilgi-islem-kalem"], person=people["kalem"]
        )


def test_acting_end(frozen, people):
    assignment = acting(people["mudur"], people["sef"], start=day(10), end=day(14))
    assert audit_reader_post(fresh("sef")) is not None
    go_to(frozen, day(11))
    ended = services.acting_end(actor=fresh("mudur"), assignment=assignment, reason="döndü")
    assert ended.cancelled_by == people["mudur"]
    assert ended.cancelled_at is not None
    assert_event("organization.acting.ended", ended, people["mudur"])
    assert audit_reader_post(fresh("sef")) is None
    with refused(DomainError):
        services.acting_end(actor=fresh("mudur"), assignment=assignment)


def test_acting_end_by_someone_not_above_is_refused(people):
    assignment = acting(people["mudur"], people["sef"])
    before = snapshot()
    with refused(PermissionDeniedError):
        services.acting_end(actor=people["memur"], assignment=assignment)
    assignment.refresh_from_db()
    assert assignment.cancelled_at is None
    assert snapshot() == before


def test_acting_that_is_over_cannot_be_ended(frozen, people):
    assignment = acting(people["mudur"], people["sef"], start=day(10), end=day(11))
    go_to(frozen, day(12))
    with refused(DomainError):
        services.acting_end(actor=fresh("mudur"), assignment=assignment)


# --- signature delegation (imza yetkisi devri) --------------------------------------------


DELEGATION_START, DELEGATION_END = day(10), day(31)


def delegate(
    actor,
    person,
    *,
    classes=("public_body",),
    units=(),
    start=DELEGATION_START,
    end=DELEGATION_END,
):
    return services.delegation_create(
        actor=actor,
        delegate=person,
        recipient_classes=list(classes) if not isinstance(classes, str) else classes,
        units=units,
        start_date=start,
        end_date=end,
        description="Kamu kurumlarına yazılar",
    )


def test_mayor_delegates_to_a_deputy_mayor(people, units, positions):
    delegation = delegate(
        people["baskan"],
        people["baskan.yardimcisi"],
        classes=["public_body", "governorship", "public_body"],
        units=[units["bilgi-islem"], units["yazi-isleri"]],
    )
    assert delegation.delegator_position == positions["baskanlik", "baskan"]
    assert delegation.delegate_position == positions["by-1", "baskan_yardimcisi"]
    assert delegation.recipient_classes == ["governorship", "public_body"]
    assert set(delegation.units.all()) == {units["bilgi-islem"], units["yazi-isleri"]}
    assert list(SignatureDelegation.objects.active_on()) == [delegation]
    event = assert_event("organization.delegation.created", delegation, people["baskan"])
    assert event.changes["units"] == ["Bilgi İşlem Müdürlüğü", "Yazı İşleri Müdürlüğü"]


def test_deputy_acting_for_the_mayor_delegates(frozen, people):
    acting(people["baskan"], people["baskan.yardimcisi"], post=("baskanlik", "baskan"))
    go_to(frozen, day(12))
    deputy = fresh("baskan.yardimcisi")
    delegation = delegate(deputy, people["by2"], start=day(12))
    assert_event(
        "organization.delegation.created", delegation, deputy, acting_for="Belediye Başkanı"
    )
    # Not to themselves, even while acting for the Mayor.
    with refused(DomainError, "delegate"):
        delegate(deputy, deputy, start=day(12))


@pytest.mark.parametrize("who", ["baskan.yardimcisi", "by2", "mudur", "memur"])
def test_only_the_mayor_delegates(people, who):
    before = snapshot(SignatureDelegation)
    with refused(PermissionDeniedError):
        delegate(people[who], people["baskan.yardimcisi"])
    assert snapshot(SignatureDelegation) == before


@pytest.mark.parametrize("who", ["memur", "mudur", "sef"])
def test_delegate_must_be_a_deputy_mayor(people, who):
    before = snapshot(SignatureDelegation)
    with refused(DomainError, "delegate"):
        delegate(people["baskan"], people[who])
    assert snapshot(SignatureDelegation) == before


def test_delegate_acting_as_deputy_mayor_is_not_enough(people):
    acting(people["baskan"], people["mudur"], post=("by-1", "baskan_yardimcisi"), start=day(10))
    with refused(DomainError, "delegate"):
        delegate(people["baskan"], people["mudur"])


@pytest.mark.parametrize("classes", [[], ["nonsense"], ["public_body", "x"], "public_body"])
def test_recipient_classes_are_required_and_valid(people, classes):
    with refused(DomainError, "recipient_classes"):
        delegate(people["baskan"], people["baskan.yardimcisi"], classes=classes)


@pytest.mark.parametrize("code", ["bilgi-islem-teknik-destek", "by-1", "baskanlik"])
def test_delegation_units_must_be_directorates(people, units, code):
    with refused(DomainError, "units"):
        delegate(people["baskan"], people["baskan.yardimcisi"], units=[units[code]])


def test_delegation_range(people):
    with refused(DomainError, "end_date"):
        delegate(people["baskan"], people["baskan.yardimcisi"], start=day(20), end=day(19))
    with refused(DomainError, "end_date"):
        delegate(people["baskan"], people["baskan.yardimcisi"], start=day(1), end=day(9))


def test_delegation_revoke(people):
    delegation = delegate(people["baskan"], people["baskan.yardimcisi"])
    with refused(DomainError, "reason"):
        services.delegation_revoke(actor=people["baskan"], delegation=delegation, reason=" ")
    with refused(PermissionDeniedError):
        services.delegation_revoke(actor=people["mudur"], delegation=delegation, reason="x")
    revoked = services.delegation_revoke(
        actor=people["baskan"], delegation=delegation, reason="görev değişikliği"
    )
    assert revoked.revoked_by == people["baskan"]
    assert not SignatureDelegation.objects.active_on().exists()
    event = assert_event("organization.delegation.revoked", revoked, people["baskan"])
    assert event.reason == "görev değişikliği"
    with refused(DomainError):
        services.delegation_revoke(actor=people["baskan"], delegation=delegation, reason="x")
