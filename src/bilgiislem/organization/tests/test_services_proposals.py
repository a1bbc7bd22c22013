"""Organisation services: Birim Sorumlusu appointments and unit changes, rule by rule."""

import datetime

import pytest
from django.utils import translation

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization import services
from bilgiislem.organization.choices import PositionKind, RequestStatus, UnitChangeKind
from bilgiislem.organization.models import (
    AppointmentRequest,
    OrgUnit,
    OrgUnitVersion,
    Person,
    PositionHolding,
    UnitChangeRequest,
)
from bilgiislem.organization.permissions import (
    effective_posts,
    held_posts,
)

from .factories import OrgUnitFactory
from .service_support import (
    TODAY,
    assert_event,
    day,
    fresh,
    go_to,
    last_event,
    refused,
    snapshot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("frozen")]


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
