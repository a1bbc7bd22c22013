"""Organisation services, rule by rule (issue 2 points 4-6, bad input, DESIGN.md invariants)."""

import datetime
import zoneinfo

import pytest
from django.contrib.sessions.models import Session
from django.http import HttpRequest
from django.utils import translation
from rest_framework.authtoken.models import Token

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization import services
from bilgiislem.organization.choices import PositionKind, RequestStatus, UnitChangeKind
from bilgiislem.organization.models import (
    ActingAssignment,
    AppointmentRequest,
    OrgUnit,
    OrgUnitVersion,
    Person,
    Position,
    PositionHolding,
    SignatureDelegation,
    UnitChangeRequest,
)
from bilgiislem.organization.permissions import (
    audit_reader_post,
    effective_posts,
    held_posts,
)

from .factories import OrgUnitFactory, PersonFactory, PositionHoldingFactory

pytestmark = pytest.mark.django_db

TZ = zoneinfo.ZoneInfo("Europe/Istanbul")
TODAY = datetime.date(2025, 3, 10)


def day(n: int) -> datetime.date:
    return datetime.date(2025, 3, n)


@pytest.fixture(autouse=True)
def frozen(time_machine):
    time_machine.move_to(datetime.datetime(2025, 3, 10, 10, 0, tzinfo=TZ), tick=False)
    return time_machine


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


# --- acting (vekalet) ---------------------------------------------------------------------


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


# --- Birim Sorumlusu appointment (RYY art. 7(2)) ------------------------------------------


def propose(actor, unit, person, justification="deneyimli"):
    return services.appointment_propose(
        actor=actor, unit=unit, person=person, justification=justification
    )


def test_director_proposes_a_unit_head(people, units):
    request = propose(people["mudur"], units["bilgi-islem-teknik-destek"], people["memur"])
    assert request.status == RequestStatus.PENDING
    assert request.proposed_by == people["mudur"]
    event = assert_event("organization.appointment.proposed", request, people["mudur"])
    assert event.reason == "deneyimli"
    assert not PositionHolding.objects.filter(
        person=people["memur"], position__kind=PositionKind.BIRIM_SORUMLUSU
    ).exists()


@pytest.mark.parametrize("who", ["yaziisleri.mudur", "sef", "memur", "baskan", "baskan.yardimcisi"])
def test_only_the_director_of_the_units_directorate_proposes(people, units, who):
    before = snapshot(AppointmentRequest)
    with refused(PermissionDeniedError):
        propose(people[who], units["bilgi-islem-teknik-destek"], people["memur"])
    assert snapshot(AppointmentRequest) == before


@pytest.mark.parametrize("code", ["bilgi-islem", "by-1", "yazi-isleri"])
def test_appointment_unit_must_be_a_birim(people, units, code):
    with refused(DomainError, "unit"):
        propose(people["mudur"], units[code], people["memur"])


def test_appointment_refuses_a_second_pending_proposal_and_a_disabled_person(people, units):
    propose(people["mudur"], units["bilgi-islem-sistem"], people["memur"])
    with refused(DomainError, "unit"):
        propose(people["mudur"], units["bilgi-islem-sistem"], people["yazilim"])
    Person.objects.filter(username="kalem").update(is_active=False)
    with refused(DomainError, "person"):
        propose(people["mudur"], units["bilgi-islem-kalem"], fresh("kalem"))


@pytest.mark.parametrize("who", ["mudur", "baskan.yardimcisi", "sef", "memur"])
def test_only_the_mayor_approves(people, units, who):
    request = propose(people["mudur"], units["bilgi-islem-teknik-destek"], people["memur"])
    before = snapshot(PositionHolding)
    with refused(PermissionDeniedError):
        services.appointment_approve(actor=people[who], request=request)
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING
    assert snapshot(PositionHolding) == before


def test_approval_appoints_today_and_ends_the_previous_holder(frozen, people, units, positions):
    unit = units["bilgi-islem-teknik-destek"]
    head = positions["bilgi-islem-teknik-destek", "birim_sorumlusu"]
    first = propose(people["mudur"], unit, people["memur"])
    first = services.appointment_approve(actor=people["baskan"], request=first, reason="uygun")
    assert first.status == RequestStatus.APPROVED
    assert first.decided_by == people["baskan"]
    assert (first.holding.person, first.holding.position) == (people["memur"], head)
    assert (first.holding.start_date, first.holding.end_date) == (TODAY, None)
    event = assert_event("organization.appointment.approved", first, people["baskan"])
    assert event.changes["holding"] == first.holding.pk
    assert "birim_sorumlusu" in [p.kind for p in effective_posts(fresh("memur"))]

    go_to(frozen, day(17))
    second = propose(fresh("mudur"), unit, people["yazilim"])
    second = services.appointment_approve(actor=fresh("baskan"), request=second)
    first.holding.refresh_from_db()
    assert first.holding.end_date == day(16)
    assert list(PositionHolding.objects.active_on().filter(position=head)) == [second.holding]
    assert "birim_sorumlusu" not in [p.kind for p in held_posts(fresh("memur"))]
    assert last_event().changes["ended_holdings"] == [first.holding.pk]


def test_rejection_needs_a_reason(people, units):
    request = propose(people["mudur"], units["bilgi-islem-sistem"], people["memur"])
    with refused(DomainError, "reason"):
        services.appointment_reject(actor=people["baskan"], request=request, reason="  ")
    with refused(PermissionDeniedError):
        services.appointment_reject(actor=people["mudur"], request=request, reason="hayır")
    rejected = services.appointment_reject(actor=people["baskan"], request=request, reason="erken")
    assert rejected.status == RequestStatus.REJECTED
    assert rejected.decision_reason == "erken"
    assert rejected.holding is None
    assert_event("organization.appointment.rejected", rejected, people["baskan"])


def test_a_decided_appointment_cannot_be_decided_again(people, units):
    approved = propose(people["mudur"], units["bilgi-islem-sistem"], people["memur"])
    services.appointment_approve(actor=people["baskan"], request=approved)
    rejected = propose(people["mudur"], units["bilgi-islem-kalem"], people["kalem"])
    services.appointment_reject(actor=people["baskan"], request=rejected, reason="hayır")
    before = snapshot(PositionHolding)
    for request in (approved, rejected):
        with refused(DomainError):
            services.appointment_approve(actor=people["baskan"], request=request)
        with refused(DomainError):
            services.appointment_reject(actor=people["baskan"], request=request, reason="x")
    assert snapshot(PositionHolding) == before


# --- internal organisation changes (RYY art. 7(3)) ----------------------------------------


def change(actor, kind, **kw):
    return services.unit_change_propose(actor=actor, kind=kind, justification="iş yükü", **kw)


def approve(request):
    return services.unit_change_approve(
        actor=Person.objects.get(username="baskan"), request=request
    )


def versions(unit):
    return list(
        OrgUnitVersion.objects.filter(unit=unit)
        .order_by("valid_from", "pk")
        .values_list("name", "parent_id", "valid_from", "valid_to")
    )


def test_create_a_unit_only_on_approval(frozen, people, units):
    with translation.override("en"):
        request = change(
            people["mudur"],
            UnitChangeKind.CREATE,
            name=" Siber Güvenlik Birimi ",
            parent=units["bilgi-islem"],
        )
        assert_event("organization.unit_change.proposed", request, people["mudur"])
        assert not OrgUnit.objects.filter(name="Siber Güvenlik Birimi").exists()
        go_to(frozen, day(12))
        request = approve(request)
    unit = request.resulting_unit
    assert (unit.name, unit.kind, unit.parent, unit.valid_from) == (
        "Siber Güvenlik Birimi",
        "birim",
        units["bilgi-islem"],
        day(12),
    )
    assert unit.code.startswith("bilgi-islem-siber-guvenlik")
    assert versions(unit) == [("Siber Güvenlik Birimi", units["bilgi-islem"].pk, day(12), None)]
    # The head post is stored in Turkish whatever the language of the request.
    assert unit.positions.get().title == "Siber Güvenlik Birimi Sorumlusu"
    assert_event("organization.unit_change.approved", request, people["baskan"])


def test_rename_keeps_the_old_name_with_its_dates(frozen, people, units):
    unit = units["bilgi-islem-sistem"]
    request = change(people["mudur"], UnitChangeKind.RENAME, unit=unit, name="Sistem ve Ağ Birimi")
    unit.refresh_from_db()
    assert unit.name == "Sistem Birimi"
    go_to(frozen, day(12))
    approve(request)
    unit.refresh_from_db()
    assert unit.name == "Sistem ve Ağ Birimi"
    assert unit.search_key == "sistem ve ag birimi"
    parent = units["bilgi-islem"].pk
    assert versions(unit) == [
        ("Sistem Birimi", parent, datetime.date(2024, 1, 1), day(11)),
        ("Sistem ve Ağ Birimi", parent, day(12), None),
    ]
    event = last_event()
    assert event.changes["before"]["name"] == "Sistem Birimi"
    assert event.changes["after"]["name"] == "Sistem ve Ağ Birimi"


def test_move_a_unit(frozen, people, units):
    new_parent = OrgUnitFactory(name="Altyapı Birimi")
    unit = units["bilgi-islem-yazilim"]
    request = change(people["mudur"], UnitChangeKind.MOVE, unit=unit, parent=new_parent)
    unit.refresh_from_db()
    assert unit.parent == units["bilgi-islem"]
    go_to(frozen, day(12))
    approve(request)
    unit.refresh_from_db()
    assert unit.parent == new_parent
    assert [v[1] for v in versions(unit)] == [units["bilgi-islem"].pk, new_parent.pk]


def test_a_unit_cannot_be_moved_under_itself(people):
    upper = OrgUnitFactory()
    lower = OrgUnitFactory(parent=upper)
    for target in (upper, lower):
        with refused(DomainError, "parent"):
            change(people["mudur"], UnitChangeKind.MOVE, unit=upper, parent=target)


def test_close_an_empty_unit(frozen, people):
    unit = OrgUnitFactory()
    request = change(people["mudur"], UnitChangeKind.CLOSE, unit=unit)
    go_to(frozen, day(12))
    approve(request)
    unit.refresh_from_db()
    assert unit.valid_to == day(11)
    assert not OrgUnit.objects.active_on().filter(pk=unit.pk).exists()
    assert OrgUnit.objects.active_on(day(11)).filter(pk=unit.pk).exists()
    assert versions(unit)[-1][3] == day(11)


def test_closing_a_unit_with_people_is_refused_and_nothing_half_written(people, units):
    unit = units["bilgi-islem-kalem"]  # kalem and arsiv hold posts here
    request = change(people["mudur"], UnitChangeKind.CLOSE, unit=unit)
    before_versions = versions(unit)
    before = snapshot(OrgUnit, OrgUnitVersion)
    with refused(DomainError):
        approve(request)
    unit.refresh_from_db()
    assert unit.valid_to is None
    assert versions(unit) == before_versions
    assert snapshot(OrgUnit, OrgUnitVersion) == before
    request.refresh_from_db()
    assert request.status == RequestStatus.PENDING


def test_closing_a_unit_with_open_units_under_it_is_refused(people):
    upper = OrgUnitFactory()
    OrgUnitFactory(parent=upper)
    request = change(people["mudur"], UnitChangeKind.CLOSE, unit=upper)
    with refused(DomainError):
        approve(request)


def test_unit_change_inside_another_directorate_is_refused(people, units):
    before = snapshot(UnitChangeRequest)
    with refused(DomainError, "unit"):
        change(
            people["yaziisleri.mudur"],
            UnitChangeKind.RENAME,
            unit=units["bilgi-islem-sistem"],
            name="Başka",
        )
    with refused(DomainError, "parent"):
        change(
            people["yaziisleri.mudur"],
            UnitChangeKind.CREATE,
            parent=units["bilgi-islem"],
            name="Başka Birim",
        )
    assert snapshot(UnitChangeRequest) == before


@pytest.mark.parametrize("who", ["sef", "memur", "baskan.yardimcisi"])
def test_only_a_director_proposes_unit_changes(people, units, who):
    with refused(PermissionDeniedError):
        change(people[who], UnitChangeKind.RENAME, unit=units["bilgi-islem-sistem"], name="X")


@pytest.mark.parametrize(
    ("kind", "kwargs", "field"),
    [
        ("merge", {}, "kind"),
        (UnitChangeKind.CREATE, {"name": "  "}, "name"),
        (UnitChangeKind.CREATE, {"name": "Ç" * 201}, "name"),
        (UnitChangeKind.CREATE, {"name": "Yeni Birim"}, "parent"),
        (UnitChangeKind.RENAME, {"name": "X"}, "unit"),
        (UnitChangeKind.RENAME, {"unit": "bilgi-islem", "name": "X"}, "unit"),
        (UnitChangeKind.RENAME, {"unit": "bilgi-islem-sistem", "name": ""}, "name"),
        (UnitChangeKind.RENAME, {"unit": "bilgi-islem-sistem", "name": "Sistem Birimi"}, "name"),
        (UnitChangeKind.MOVE, {"unit": "bilgi-islem-sistem"}, "parent"),
        (UnitChangeKind.MOVE, {"unit": "bilgi-islem-sistem", "parent": "yazi-isleri"}, "parent"),
        (UnitChangeKind.MOVE, {"unit": "bilgi-islem-sistem", "parent": "bilgi-islem"}, "parent"),
    ],
)
def test_unit_change_bad_input_names_the_field(people, units, kind, kwargs, field):
    kwargs = {k: units[v] if k in ("unit", "parent") else v for k, v in kwargs.items()}
    before = snapshot(UnitChangeRequest)
    with refused(DomainError, field):
        change(people["mudur"], kind, **kwargs)
    assert snapshot(UnitChangeRequest) == before


def test_a_second_pending_change_to_a_unit_is_refused(people, units):
    change(people["mudur"], UnitChangeKind.RENAME, unit=units["bilgi-islem-sistem"], name="A")
    with refused(DomainError, "unit"):
        change(people["mudur"], UnitChangeKind.CLOSE, unit=units["bilgi-islem-sistem"])


def test_unit_change_decisions(people, units):
    request = change(
        people["mudur"], UnitChangeKind.RENAME, unit=units["bilgi-islem-sistem"], name="A"
    )
    for who in ("mudur", "baskan.yardimcisi", "sef"):
        with refused(PermissionDeniedError):
            services.unit_change_approve(actor=people[who], request=request)
    with refused(DomainError, "reason"):
        services.unit_change_reject(actor=people["baskan"], request=request, reason="")
    rejected = services.unit_change_reject(
        actor=people["baskan"], request=request, reason="gerek yok"
    )
    assert rejected.status == RequestStatus.REJECTED
    assert_event("organization.unit_change.rejected", rejected, people["baskan"])
    assert OrgUnit.objects.get(code="bilgi-islem-sistem").name == "Sistem Birimi"
    with refused(DomainError):
        approve(request)
    with refused(DomainError):
        services.unit_change_reject(actor=people["baskan"], request=request, reason="x")


# --- people ---------------------------------------------------------------------------------


def login(client, username):
    assert client.login(request=HttpRequest(), username=username, password="demo")
    return client


def sessions_of(person) -> int:
    return sum(
        str(s.get_decoded().get("_auth_user_id")) == str(person.pk) for s in Session.objects.all()
    )


def test_disabling_a_person_ends_their_sessions_and_tokens(client, people):
    from django.test import Client

    memur = people["memur"]
    login(client, "memur")
    other = login(Client(), "yazilim")
    Token.objects.create(user=memur)
    assert sessions_of(memur) == 1

    disabled = services.person_disable(actor=people["mudur"], person=memur, reason="ayrıldı")

    assert not Person.objects.get(pk=memur.pk).is_active
    assert disabled.is_active is False
    assert sessions_of(memur) == 0
    assert not Token.objects.filter(user=memur).exists()
    assert client.get("/yok/").wsgi_request.user.is_anonymous
    assert client.login(request=HttpRequest(), username="memur", password="demo") is False
    assert other.get("/yok/").wsgi_request.user == people["yazilim"]
    event = assert_event("organization.person.disabled", memur, people["mudur"])
    assert event.reason == "ayrıldı"
    assert event.changes["sessions_ended"] == 1


def test_person_disable_rules(people):
    with refused(DomainError, "person"):
        services.person_disable(actor=people["mudur"], person=people["mudur"], reason="x")
    with refused(DomainError, "reason"):
        services.person_disable(actor=people["mudur"], person=people["memur"], reason=" ")
    services.person_disable(actor=people["mudur"], person=people["memur"], reason="x")
    with refused(DomainError, "person"):
        services.person_disable(actor=people["mudur"], person=fresh("memur"), reason="x")


@pytest.mark.parametrize("who", ["baskan", "sef", "yaziisleri.mudur", "memur", "yazilim"])
def test_only_the_people_admin_disables(people, who):
    before = snapshot()
    with refused(PermissionDeniedError):
        services.person_disable(actor=people[who], person=people["kalem"], reason="x")
    assert fresh("kalem").is_active
    assert snapshot() == before


def test_acting_director_disables_with_the_post_recorded(frozen, people):
    acting(people["mudur"], people["sef"], start=day(10), end=day(11))
    services.person_disable(actor=fresh("sef"), person=people["kalem"], reason="x")
    assert last_event().acting_for == "Bilgi İşlem Müdürü"


def test_person_create_and_enable(people):
    person = services.person_create(
        actor=people["mudur"], username="yeni.kisi", first_name="İlker", last_name="Işıl"
    )
    assert not person.has_usable_password()
    assert person.search_key == "ilker isil yeni.kisi"
    assert_event("organization.person.created", person, people["mudur"])
    with refused(DomainError, "username"):
        services.person_create(
            actor=people["mudur"], username="YENI.KISI", first_name="A", last_name="B"
        )
    with refused(PermissionDeniedError):
        services.person_create(actor=people["sef"], username="b", first_name="A", last_name="B")
    services.person_disable(actor=people["mudur"], person=person, reason="x")
    services.person_enable(actor=people["mudur"], person=person)
    assert fresh("yeni.kisi").is_active


def test_holding_start_and_end(people, positions):
    person = PersonFactory()
    post = positions["bilgi-islem-sistem", "memur"]
    holding = services.holding_start(
        actor=people["mudur"], person=person, position=post, start_date=day(10)
    )
    assert_event("organization.holding.created", holding, people["mudur"])
    assert [p.kind for p in effective_posts(person)] == ["memur"]
    with refused(DomainError, "person"):
        services.holding_start(
            actor=people["mudur"], person=person, position=post, start_date=day(12)
        )
    with refused(DomainError, "position"):
        services.holding_start(
            actor=people["mudur"],
            person=person,
            position=positions["bilgi-islem", "mudur"],
            start_date=day(10),
        )
    with refused(DomainError, "end_date"):
        services.holding_end(actor=people["mudur"], holding=holding, end_date=day(9))
    services.holding_end(actor=people["mudur"], holding=holding, end_date=day(10))
    assert_event("organization.holding.ended", holding, people["mudur"])
    with refused(PermissionDeniedError):
        services.holding_start(
            actor=people["sef"], person=person, position=post, start_date=day(10)
        )
