"""The organisation pages over real HTTP: rendering, the authorization matrix, bad input."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bilgiislem.audit.models import AuditEvent
from bilgiislem.organization import services
from bilgiislem.organization.choices import RequestStatus, UnitChangeKind
from bilgiislem.organization.models import (
    ActingAssignment,
    AppointmentRequest,
    OrgUnit,
    Person,
    PositionHolding,
    SignatureDelegation,
    UnitChangeRequest,
)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def english(settings):
    """Assert on the English source strings, whatever the Turkish catalogue says."""
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


TODAY = timezone.localdate


def d(days: int = 0) -> str:
    return (TODAY() + datetime.timedelta(days=days)).strftime("%d.%m.%Y")


def snapshot():
    """Row counts that no refused action may change."""
    return {
        "audit": AuditEvent.objects.count(),
        "acting": ActingAssignment.objects.count(),
        "acting_open": ActingAssignment.objects.filter(cancelled_at__isnull=True).count(),
        "delegations": SignatureDelegation.objects.count(),
        "delegations_open": SignatureDelegation.objects.filter(revoked_at__isnull=True).count(),
        "appointments": AppointmentRequest.objects.count(),
        "appointments_pending": AppointmentRequest.objects.filter(status="pending").count(),
        "unit_changes": UnitChangeRequest.objects.count(),
        "unit_changes_pending": UnitChangeRequest.objects.filter(status="pending").count(),
        "holdings": PositionHolding.objects.count(),
        "units": OrgUnit.objects.count(),
        "active_people": Person.objects.filter(is_active=True).count(),
    }


def login_url_in(response) -> bool:
    return response.status_code == 302 and reverse("accounts:login") in response["Location"]


# --- objects made through the services --------------------------------------------------------


@pytest.fixture
def acting(people, positions):
    return services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=TODAY(),
        end_date=TODAY() + datetime.timedelta(days=7),
        reason="Yıllık izin",
    )


@pytest.fixture
def delegation(people, units):
    return services.delegation_create(
        actor=people["baskan"],
        delegate=people["baskan.yardimcisi"],
        recipient_classes=["public_body"],
        units=[units["bilgi-islem"]],
        start_date=TODAY(),
        end_date=TODAY() + datetime.timedelta(days=30),
        description="Kamu kurumlarına yazılar",
    )


@pytest.fixture
def appointment(people, units):
    return services.appointment_propose(
        actor=people["mudur"],
        unit=units["bilgi-islem-teknik-destek"],
        person=people["memur"],
        justification="Deneyimli",
    )


@pytest.fixture
def unit_change(people, units):
    return services.unit_change_propose(
        actor=people["mudur"],
        kind=UnitChangeKind.RENAME,
        unit=units["bilgi-islem-sistem"],
        name="Sistem ve Ağ Birimi",
        justification="Ağ işleri eklendi",
    )


# --- every page renders for a permitted person ------------------------------------------------


@pytest.mark.parametrize(
    ("username", "name", "args"),
    [
        ("memur", "chart", None),
        ("memur", "unit-detail", "unit"),
        ("memur", "person-list", None),
        ("memur", "person-detail", "person"),
        ("memur", "acting-list", None),
        ("mudur", "acting-create", None),
        ("mudur", "acting-end", "acting"),
        ("memur", "delegation-list", None),
        ("baskan", "delegation-create", None),
        ("baskan", "delegation-revoke", "delegation"),
        ("mudur", "appointment-list", None),
        ("mudur", "appointment-create", None),
        ("baskan", "appointment-detail", "appointment"),
        ("mudur", "unit-change-list", None),
        ("mudur", "unit-change-create", None),
        ("baskan", "unit-change-detail", "unit_change"),
    ],
)
def test_page_renders(request, client_as, people, units, username, name, args):
    objects = {
        "unit": lambda: units["bilgi-islem"],
        "person": lambda: people["sef"],
        "acting": lambda: request.getfixturevalue("acting"),
        "delegation": lambda: request.getfixturevalue("delegation"),
        "appointment": lambda: request.getfixturevalue("appointment"),
        "unit_change": lambda: request.getfixturevalue("unit_change"),
    }
    url_args = [objects[args]().pk] if args else []
    response = client_as(username).get(reverse(f"organization:{name}", args=url_args))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" in html
    assert "<label" in html or "<table" in html or "<ul" in html


ALL_URLS = [
    ("chart", []),
    ("unit-detail", [1]),
    ("person-list", []),
    ("person-detail", [1]),
    ("person-disable", [1]),
    ("person-enable", [1]),
    ("acting-list", []),
    ("acting-create", []),
    ("acting-end", [1]),
    ("delegation-list", []),
    ("delegation-create", []),
    ("delegation-revoke", [1]),
    ("appointment-list", []),
    ("appointment-create", []),
    ("appointment-detail", [1]),
    ("appointment-approve", [1]),
    ("appointment-reject", [1]),
    ("unit-change-list", []),
    ("unit-change-create", []),
    ("unit-change-detail", [1]),
    ("unit-change-approve", [1]),
    ("unit-change-reject", [1]),
]


@pytest.mark.parametrize(("name", "args"), ALL_URLS)
def test_anonymous_is_sent_to_login(client, name, args):
    before = snapshot()
    url = reverse(f"organization:{name}", args=args)
    assert login_url_in(client.get(url))
    assert login_url_in(client.post(url, {"reason": "x"}))
    assert snapshot() == before


def test_unknown_ids_are_404(client_as):
    client = client_as("baskan")
    for name in [
        "unit-detail",
        "person-detail",
        "acting-end",
        "delegation-revoke",
        "appointment-detail",
        "unit-change-detail",
    ]:
        assert client.get(reverse(f"organization:{name}", args=[999999])).status_code == 404
    for name in ["person-disable", "appointment-approve", "unit-change-reject"]:
        url = reverse(f"organization:{name}", args=[999999])
        assert client.post(url, {"reason": "x"}).status_code == 404


def test_action_endpoints_refuse_get(client_as, appointment):
    response = client_as("baskan").get(
        reverse("organization:appointment-approve", args=[appointment.pk])
    )
    assert response.status_code == 405


# --- the authorization matrix ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("username", "expected"),
    [
        ("yaziisleri", "form_error"),
        ("memur", "form_error"),
        ("kalem", "form_error"),
        ("mudur", "done"),
        ("baskan", "done"),
    ],
)
def test_matrix_acting_create(client_as, people, positions, username, expected):
    before = snapshot()
    response = client_as(username).post(
        reverse("organization:acting-create"),
        {
            "position": positions["bilgi-islem", "mudur"].pk,
            "acting_person": people["sef"].pk,
            "start_date": d(),
            "end_date": d(7),
            "reason": "İzin",
        },
    )
    if expected == "done":
        assert response.status_code == 302
        assert ActingAssignment.objects.filter(acting_person=people["sef"]).exists()
    else:
        # The post is not one they may arrange acting for: not even offered.
        assert response.status_code in (200, 403)
        if response.status_code == 200:
            assert "position" in response.context["form"].errors
        assert snapshot() == before


@pytest.mark.parametrize(
    ("username", "status"),
    [("yaziisleri", 403), ("memur", 403), ("sef", 403), ("mudur", 302), ("baskan", 302)],
)
def test_matrix_acting_end(client_as, acting, username, status):
    before = snapshot()
    response = client_as(username).post(
        reverse("organization:acting-end", args=[acting.pk]), {"reason": "Döndü"}
    )
    assert response.status_code == status
    acting.refresh_from_db()
    if status == 302:
        assert acting.cancelled_at is not None
    else:
        assert acting.cancelled_at is None
        assert snapshot() == before


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("yaziisleri", 403),
        ("memur", 403),
        ("mudur", 403),
        ("baskan.yardimcisi", 403),
        ("baskan", 302),
    ],
)
def test_matrix_delegation_create(client_as, people, units, username, status):
    before = snapshot()
    response = client_as(username).post(
        reverse("organization:delegation-create"),
        {
            "delegate": people["baskan.yardimcisi"].pk,
            "recipient_classes": ["public_body"],
            "units": [units["bilgi-islem"].pk],
            "start_date": d(),
            "end_date": d(30),
            "description": "Kamu kurumları",
        },
    )
    assert response.status_code == status
    if status == 302:
        assert SignatureDelegation.objects.filter(delegate=people["baskan.yardimcisi"]).exists()
    else:
        assert snapshot() == before


@pytest.mark.parametrize(
    ("username", "status"),
    [
        ("yaziisleri", 403),
        ("memur", 403),
        ("mudur", 403),
        ("baskan.yardimcisi", 403),
        ("baskan", 302),
    ],
)
def test_matrix_delegation_revoke(client_as, delegation, username, status):
    before = snapshot()
    response = client_as(username).post(
        reverse("organization:delegation-revoke", args=[delegation.pk]), {"reason": "Gerek kalmadı"}
    )
    assert response.status_code == status
    delegation.refresh_from_db()
    assert (delegation.revoked_at is not None) == (status == 302)
    if status != 302:
        assert snapshot() == before


REQUEST_MATRIX = [
    # unrelated person, same unit without the post: cannot see the request at all
    ("yaziisleri", 404),
    ("yaziisleri.mudur", 404),
    ("memur", 404),
    # see it (manager above, or the proposer) but may not decide
    ("sef", 403),
    ("mudur", 403),
    ("baskan.yardimcisi", 403),
    ("baskan", 302),
]


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize(("username", "status"), REQUEST_MATRIX)
def test_matrix_appointment_decide(client_as, appointment, username, status, action):
    before = snapshot()
    response = client_as(username).post(
        reverse(f"organization:appointment-{action}", args=[appointment.pk]),
        {f"{action}-reason": "Uygun"},
    )
    assert response.status_code == status
    appointment.refresh_from_db()
    if status == 302:
        assert appointment.status == (
            RequestStatus.APPROVED if action == "approve" else RequestStatus.REJECTED
        )
    else:
        assert appointment.status == RequestStatus.PENDING
        assert snapshot() == before


@pytest.mark.parametrize("action", ["approve", "reject"])
@pytest.mark.parametrize(("username", "status"), REQUEST_MATRIX)
def test_matrix_unit_change_decide(client_as, unit_change, username, status, action):
    before = snapshot()
    response = client_as(username).post(
        reverse(f"organization:unit-change-{action}", args=[unit_change.pk]),
        {f"{action}-reason": "Uygun"},
    )
    assert response.status_code == status
    unit_change.refresh_from_db()
    if status == 302:
        assert unit_change.status != RequestStatus.PENDING
    else:
        assert unit_change.status == RequestStatus.PENDING
        assert snapshot() == before


@pytest.mark.parametrize(
    ("username", "status"), [("yaziisleri", 404), ("memur", 404), ("sef", 200), ("baskan", 200)]
)
def test_request_detail_visibility(client_as, appointment, unit_change, username, status):
    client = client_as(username)
    for name, obj in (("appointment-detail", appointment), ("unit-change-detail", unit_change)):
        response = client.get(reverse(f"organization:{name}", args=[obj.pk]))
        assert response.status_code == status
        if status == 200:
            # Only the Mayor is offered the decision.
            assert (b"approve-reason" in response.content) == (username == "baskan")


@pytest.mark.parametrize(
    ("username", "status"),
    [("yaziisleri", 403), ("memur", 403), ("sef", 403), ("baskan", 403), ("mudur", 302)],
)
def test_matrix_person_disable(client_as, people, username, status):
    before = snapshot()
    target = people["yazilim"]
    response = client_as(username).post(
        reverse("organization:person-disable", args=[target.pk]), {"disable-reason": "Ayrıldı"}
    )
    assert response.status_code == status
    target.refresh_from_db()
    assert target.is_active == (status != 302)
    if status != 302:
        assert snapshot() == before


def test_person_enable_by_director_and_acting_director(client_as, people, acting):
    target = people["yazilim"]
    services.person_disable(actor=people["mudur"], person=target, reason="İzinli")
    before = snapshot()
    response = client_as("memur").post(reverse("organization:person-enable", args=[target.pk]))
    assert response.status_code == 403
    assert snapshot() == before
    # sef acts for the Director (fixture ``acting``) and so may manage accounts.
    response = client_as("sef").post(reverse("organization:person-enable", args=[target.pk]))
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.is_active
    event = AuditEvent.objects.filter(action="organization.person.enabled").first()
    assert event.acting_for == "Bilgi İşlem Müdürü"


def test_person_admin_actions_shown_only_to_admin(client_as, people):
    url = reverse("organization:person-detail", args=[people["yazilim"].pk])
    assert b"disable-reason" in client_as("mudur").get(url).content
    assert b"disable-reason" not in client_as("memur").get(url).content
    # Nobody disables their own account from here.
    own = reverse("organization:person-detail", args=[people["mudur"].pk])
    assert b"disable-reason" not in client_as("mudur").get(own).content


@pytest.mark.parametrize(
    ("username", "status"),
    [("yaziisleri", 403), ("memur", 403), ("sef", 403), ("baskan", 403), ("mudur", 302)],
)
def test_matrix_appointment_create(client_as, people, units, username, status):
    before = snapshot()
    response = client_as(username).post(
        reverse("organization:appointment-create"),
        {"unit": units["bilgi-islem-teknik-destek"].pk, "person": people["memur"].pk},
    )
    assert response.status_code == status
    if status != 302:
        assert snapshot() == before
    else:
        assert AppointmentRequest.objects.filter(status="pending").count() == 1


def test_director_proposes_only_for_units_of_their_directorate(client_as, people, units):
    before = snapshot()
    # Yazı İşleri has no units of its own: its Director is not offered the form at all.
    response = client_as("yaziisleri.mudur").post(
        reverse("organization:appointment-create"),
        {"unit": units["bilgi-islem-teknik-destek"].pk, "person": people["memur"].pk},
    )
    assert response.status_code == 403
    response = client_as("mudur").post(
        reverse("organization:appointment-create"),
        {"unit": units["yazi-isleri"].pk, "person": people["memur"].pk},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert snapshot() == before


@pytest.mark.parametrize(
    ("username", "status"),
    [("yaziisleri", 403), ("memur", 403), ("sef", 403), ("baskan", 403), ("mudur", 302)],
)
def test_matrix_unit_change_create(client_as, units, username, status):
    before = snapshot()
    response = client_as(username).post(
        reverse("organization:unit-change-create"),
        {"kind": "create", "name": "Siber Güvenlik Birimi", "parent": units["bilgi-islem"].pk},
    )
    assert response.status_code == status
    if status != 302:
        assert snapshot() == before
    else:
        assert UnitChangeRequest.objects.get().name == "Siber Güvenlik Birimi"
        # Nothing in the tree changes before the Mayor approves.
        assert OrgUnit.objects.count() == before["units"]


# --- bad input ---------------------------------------------------------------------------------


def post_acting(client, positions, people, **overrides):
    data = {
        "position": positions["bilgi-islem", "mudur"].pk,
        "acting_person": people["sef"].pk,
        "start_date": d(),
        "end_date": d(7),
        "reason": "İzin",
    }
    data.update(overrides)
    return client.post(reverse("organization:acting-create"), data)


def test_acting_end_before_start(client_as, people, positions):
    before = snapshot()
    response = post_acting(client_as("mudur"), positions, people, start_date=d(5), end_date=d(2))
    assert response.status_code == 200
    assert "end_date" in response.context["form"].errors
    assert snapshot() == before
    # What was typed is kept.
    assert d(5).encode() in response.content and d(2).encode() in response.content


def test_acting_person_who_cannot_act_for_the_post(client_as, people, positions):
    before = snapshot()
    response = post_acting(
        client_as("mudur"), positions, people, acting_person=people["yaziisleri"].pk
    )
    assert response.status_code == 200
    assert "acting_person" in response.context["form"].errors
    assert snapshot() == before


def test_acting_for_a_post_the_actor_cannot_arrange(client_as, people, positions):
    before = snapshot()
    # sef is below the Director: the Director's post is not offered to sef.
    response = post_acting(client_as("sef"), positions, people, acting_person=people["memur"].pk)
    assert response.status_code == 200
    assert "position" in response.context["form"].errors
    assert snapshot() == before


def test_acting_overlapping(client_as, people, positions, acting):
    before = snapshot()
    response = post_acting(
        client_as("mudur"),
        positions,
        people,
        acting_person=people["sef"].pk,
        start_date=d(3),
        end_date=d(10),
    )
    assert response.status_code == 200
    assert "start_date" in response.context["form"].errors
    assert snapshot() == before


@pytest.mark.parametrize("value", ["31.02.2026", "2026-13-01", "yarın", "1.1", "99.99.9999"])
def test_malformed_dates(client_as, people, positions, value):
    before = snapshot()
    response = post_acting(client_as("mudur"), positions, people, start_date=value)
    assert response.status_code == 200
    assert "start_date" in response.context["form"].errors
    assert value.encode() in response.content
    assert snapshot() == before
    # The chart's date picker answers with a message, not a 500.
    response = client_as("mudur").get(reverse("organization:chart"), {"on": value})
    assert response.status_code == 200
    assert "on" in response.context["form"].errors


def test_iso_dates_are_accepted(client_as, people, positions):
    today = TODAY()
    response = post_acting(
        client_as("mudur"),
        positions,
        people,
        start_date=today.isoformat(),
        end_date=(today + datetime.timedelta(days=2)).isoformat(),
    )
    assert response.status_code == 302


def test_unknown_choice_ids(client_as, people, positions):
    before = snapshot()
    response = post_acting(
        client_as("mudur"), positions, people, position=999999, acting_person="abc"
    )
    assert response.status_code == 200
    assert {"position", "acting_person"} <= set(response.context["form"].errors)
    response = client_as("baskan").post(
        reverse("organization:delegation-create"),
        {
            "delegate": 999999,
            "recipient_classes": ["nonsense"],
            "units": [999999],
            "start_date": d(),
            "end_date": d(3),
        },
    )
    assert {"delegate", "recipient_classes", "units"} <= set(response.context["form"].errors)
    assert snapshot() == before


def test_oversize_fields(client_as, people, positions, units, appointment):
    before = snapshot()
    response = post_acting(client_as("mudur"), positions, people, reason="x" * 301)
    assert "reason" in response.context["form"].errors
    response = client_as("mudur").post(
        reverse("organization:unit-change-create"),
        {"kind": "create", "name": "Ş" * 201, "parent": units["bilgi-islem"].pk},
    )
    assert "name" in response.context["form"].errors
    response = client_as("baskan").post(
        reverse("organization:appointment-reject", args=[appointment.pk]),
        {"reject-reason": "x" * 501},
    )
    assert response.status_code == 200
    assert "reason" in response.context["reject_form"].errors
    response = client_as("baskan").post(
        reverse("organization:delegation-create"),
        {
            "delegate": people["baskan.yardimcisi"].pk,
            "recipient_classes": ["public_body"],
            "start_date": d(),
            "end_date": d(3),
            "description": "x" * 501,
        },
    )
    assert "description" in response.context["form"].errors
    response = client_as("mudur").get(reverse("organization:person-list"), {"q": "x" * 500})
    assert response.status_code == 200
    assert snapshot() == before


def test_delegation_to_someone_not_deputy_mayor(client_as, people):
    before = snapshot()
    response = client_as("baskan").post(
        reverse("organization:delegation-create"),
        {
            "delegate": people["mudur"].pk,
            "recipient_classes": ["public_body"],
            "start_date": d(),
            "end_date": d(3),
        },
    )
    assert response.status_code == 200
    assert "delegate" in response.context["form"].errors
    assert snapshot() == before


def test_reject_needs_a_reason(client_as, appointment):
    before = snapshot()
    response = client_as("baskan").post(
        reverse("organization:appointment-reject", args=[appointment.pk]), {"reject-reason": " "}
    )
    assert response.status_code == 200
    assert "reason" in response.context["reject_form"].errors
    assert snapshot() == before


def test_disable_needs_a_reason(client_as, people):
    before = snapshot()
    response = client_as("mudur").post(
        reverse("organization:person-disable", args=[people["yazilim"].pk]),
        {"disable-reason": ""},
    )
    assert response.status_code == 200
    assert "reason" in response.context["disable_form"].errors
    assert snapshot() == before


def test_deciding_twice_is_a_form_error(client_as, appointment):
    client = client_as("baskan")
    url = reverse("organization:appointment-approve", args=[appointment.pk])
    assert client.post(url).status_code == 302
    before = snapshot()
    response = client.post(url)
    assert response.status_code == 200
    assert response.context["approve_form"].non_field_errors() or not response.context["can_decide"]
    assert snapshot() == before


def test_invalid_unit_change_keeps_typed_values(client_as):
    response = client_as("mudur").post(
        reverse("organization:unit-change-create"),
        {"kind": "rename", "name": "Yeni Ad", "justification": "Gerekçem"},
    )
    assert response.status_code == 200
    assert "unit" in response.context["form"].errors
    assert "Yeni Ad" in response.content.decode()
    assert "Gerekçem" in response.content.decode()


# --- the flows --------------------------------------------------------------------------------


def test_acting_flow_on_pages(client_as, people, positions):
    client = client_as("mudur")
    response = post_acting(client, positions, people)
    assert response.status_code == 302
    assignment = ActingAssignment.objects.get()
    event = AuditEvent.objects.filter(action="organization.acting.created").first()
    assert event.actor_id == people["mudur"].pk
    html = client.get(reverse("organization:chart")).content.decode()
    assert f"Fatma Şahin</a> — Bilgi İşlem Müdürü V. (until {d(7)})" in html
    html = client.get(reverse("organization:acting-list")).content.decode()
    assert reverse("organization:acting-end", args=[assignment.pk]) in html
    # memur sees the assignment but not the button.
    html = client_as("memur").get(reverse("organization:acting-list")).content.decode()
    assert "Fatma Şahin" in html
    assert reverse("organization:acting-end", args=[assignment.pk]) not in html


def test_chart_on_a_past_date_after_a_rename(client_as, people, units, unit_change):
    client = client_as("baskan")
    response = client.post(reverse("organization:unit-change-approve", args=[unit_change.pk]))
    assert response.status_code == 302
    today = client.get(reverse("organization:chart")).content.decode()
    assert "Sistem ve Ağ Birimi" in today
    yesterday = client.get(reverse("organization:chart"), {"on": d(-1)}).content.decode()
    assert "Sistem ve Ağ Birimi" not in yesterday
    assert "Sistem Birimi" in yesterday
    iso = (TODAY() - datetime.timedelta(days=1)).isoformat()
    assert (
        "Sistem Birimi<" in client.get(reverse("organization:chart"), {"on": iso}).content.decode()
    )
    history = client.get(reverse("organization:unit-detail", args=[units["bilgi-islem-sistem"].pk]))
    assert "Sistem Birimi" in history.content.decode()
    assert "Sistem ve Ağ Birimi" in history.content.decode()


def test_chart_shows_closed_units_with_dates(client_as, people, units):
    request = services.unit_change_propose(
        actor=people["mudur"], kind=UnitChangeKind.CLOSE, unit=units["bilgi-islem-sistem"]
    )
    services.unit_change_approve(actor=people["baskan"], request=request)
    html = client_as("memur").get(reverse("organization:chart")).content.decode()
    assert "Sistem Birimi" in html
    assert 'class="badge closed"' in html
    before_start = client_as("memur").get(reverse("organization:chart"), {"on": "01.01.2020"})
    assert "Sistem Birimi" not in before_start.content.decode()


def test_chart_marks_sample_values(client_as):
    html = client_as("memur").get(reverse("organization:chart")).content.decode()
    assert "sample value" in html or "örnek değer" in html
    assert "Karasu Belediyesi" in html
    assert "karasubelediyesi@hs01.kep.tr" in html


def test_chart_htmx_returns_only_the_tree(client_as):
    response = client_as("memur").get(
        reverse("organization:chart"), {"on": d(-1)}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="tree"')
    assert "<html" not in html


def test_appointment_flow(client_as, people, units):
    response = client_as("mudur").post(
        reverse("organization:appointment-create"),
        {
            "unit": units["bilgi-islem-teknik-destek"].pk,
            "person": people["memur"].pk,
            "justification": "Deneyimli",
        },
    )
    request = AppointmentRequest.objects.get()
    assert response["Location"] == reverse("organization:appointment-detail", args=[request.pk])
    response = client_as("baskan").post(
        reverse("organization:appointment-approve", args=[request.pk]),
        {"approve-reason": "Uygun"},
    )
    assert response.status_code == 302
    html = client_as("memur").get(reverse("organization:chart")).content.decode()
    assert "Teknik Destek Birimi Sorumlusu:</span>\n      <a" in html


def test_delegation_revoke_flow(client_as, delegation):
    client = client_as("baskan")
    html = client.get(reverse("organization:delegation-list")).content.decode()
    assert reverse("organization:delegation-revoke", args=[delegation.pk]) in html
    response = client.post(
        reverse("organization:delegation-revoke", args=[delegation.pk]), {"reason": ""}
    )
    assert "reason" in response.context["form"].errors
    response = client.post(
        reverse("organization:delegation-revoke", args=[delegation.pk]), {"reason": "Bitti"}
    )
    assert response.status_code == 302
    html = client.get(reverse("organization:delegation-list")).content.decode()
    assert reverse("organization:delegation-revoke", args=[delegation.pk]) not in html
    assert "revoked on" in html or "geri alındı" in html


def test_people_search_folds_turkish(client_as):
    client = client_as("memur")
    for q in ["sahin", "ŞAHİN", "Şahin", "fatma sah"]:
        people = list(client.get(reverse("organization:person-list"), {"q": q}).context["people"])
        assert [p.username for p in people] == ["sef"], q
    people = client.get(reverse("organization:person-list"), {"q": "ISIK"}).context["people"]
    assert [p.username for p in people] == ["yazilim"]


def test_people_unit_filter_and_sort(client_as, units):
    client = client_as("memur")
    response = client.get(
        reverse("organization:person-list"), {"unit": units["bilgi-islem-kalem"].pk}
    )
    assert {p.username for p in response.context["people"]} == {"kalem", "arsiv"}
    response = client.get(reverse("organization:person-list"), {"unit": units["bilgi-islem"].pk})
    assert {"mudur", "sef", "memur", "kalem", "arsiv", "yazilim"} == {
        p.username for p in response.context["people"]
    }
    response = client.get(reverse("organization:person-list"), {"sort": "-username"})
    names = [p.username for p in response.context["people"]]
    assert names == sorted(names, reverse=True)
    response = client.get(reverse("organization:person-list"), {"unit": "abc", "sort": "zzz"})
    assert response.status_code == 200


def test_people_pages_of_fifty_and_csv(client_as):
    Person.objects.bulk_create(
        [
            Person(
                username=f"p{i:03}",
                first_name="Deneme",
                last_name=f"Kişi {i:03}",
                search_key=f"deneme kisi {i:03} p{i:03}",
            )
            for i in range(60)
        ]
    )
    client = client_as("memur")
    response = client.get(reverse("organization:person-list"), {"q": "deneme"})
    assert len(response.context["people"]) == 50
    response = client.get(reverse("organization:person-list"), {"q": "deneme", "page": 2})
    assert len(response.context["people"]) == 10
    response = client.get(reverse("organization:person-list"), {"q": "deneme", "page": "x"})
    assert response.status_code == 200
    response = client.get(reverse("organization:person-list"), {"q": "sahin", "format": "csv"})
    assert response["Content-Type"].startswith("text/csv")
    body = response.content.decode("utf-8-sig")
    assert "Fatma Şahin;sef" in body


# --- query counts -------------------------------------------------------------------------------


def _more_data(people, units, positions):
    """Grow the tree, the holdings and the acting assignments: counts must not follow."""
    for i in range(5):
        request = services.unit_change_propose(
            actor=people["mudur"],
            kind=UnitChangeKind.CREATE,
            name=f"Ek Birim {i}",
            parent=units["bilgi-islem"],
        )
        services.unit_change_approve(actor=people["baskan"], request=request)
    extra = [
        Person.objects.create(username=f"ek{i}", first_name="Ek", last_name=str(i))
        for i in range(5)
    ]
    for person in extra:
        services.holding_start(
            actor=None,
            person=person,
            position=positions["bilgi-islem", "memur"],
            start_date=TODAY(),
        )
    services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=TODAY(),
        end_date=TODAY(),
    )
    services.delegation_create(
        actor=people["baskan"],
        delegate=people["by2"],
        recipient_classes=["citizen"],
        units=[units["zabita"]],
        start_date=TODAY(),
        end_date=TODAY(),
    )
    for i in range(3):
        services.appointment_propose(
            actor=people["mudur"],
            unit=OrgUnit.objects.get(name=f"Ek Birim {i}"),
            person=extra[i],
        )
    services.unit_change_propose(
        actor=people["mudur"],
        kind=UnitChangeKind.RENAME,
        unit=units["bilgi-islem-kalem"],
        name="Kalem ve Arşiv Birimi",
    )


LIST_PAGES = [
    "chart",
    "person-list",
    "acting-list",
    "delegation-list",
    "appointment-list",
    "unit-change-list",
]


@pytest.mark.parametrize("name", LIST_PAGES)
def test_list_pages_query_count_does_not_grow(
    client_as, people, units, positions, django_assert_max_num_queries, name
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = client_as("baskan")
    url = reverse(f"organization:{name}")
    client.get(url)  # warm per-process caches (content types, translations)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    _more_data(people, units, positions)
    with CaptureQueriesContext(connection) as large:
        assert client.get(url).status_code == 200
    assert len(large) <= len(small) + 1  # +1: the delegation query once a delegation exists
    # The page's own reads are a handful; the rest is the session, the menu and "İşlerim" counts.
    with django_assert_max_num_queries(15):
        client.get(url)


def test_chart_selector_is_five_queries(people, units, positions, django_assert_num_queries):
    from bilgiislem.organization import selectors

    _more_data(people, units, positions)
    with django_assert_num_queries(5):
        selectors.chart()
    with django_assert_num_queries(5):
        selectors.chart(datetime.date(2024, 6, 1))


def test_end_early_then_someone_else_acts(client_as, people, positions, acting):
    client = client_as("mudur")
    response = client.post(reverse("organization:acting-end", args=[acting.pk]), {"reason": ""})
    assert response.status_code == 302
    response = post_acting(
        client, positions, people, acting_person=people["memur"].pk, start_date=d(1)
    )
    # The period sef actually acted ended yesterday: memur may act from tomorrow.
    assert response.status_code == 302, response.context["form"].errors
    html = client.get(reverse("organization:acting-list")).content.decode()
    assert "ended early on" in html
    # Ending it again is refused with a message, not a 500.
    before = snapshot()
    response = client.post(reverse("organization:acting-end", args=[acting.pk]))
    assert response.status_code == 200
    assert response.context["form"].non_field_errors()
    assert snapshot() == before


def test_people_search_htmx_returns_only_results(client_as):
    response = client_as("memur").get(
        reverse("organization:person-list"), {"q": "kaya"}, HTTP_HX_REQUEST="true"
    )
    html = response.content.decode()
    assert html.lstrip().startswith('<section id="results"')
    assert "Mehmet Kaya" in html
