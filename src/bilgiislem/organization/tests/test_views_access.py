"""Organisation pages: every page renders, and the authorization matrix."""

import pytest
from django.urls import reverse

from bilgiislem.audit.models import AuditEvent
from bilgiislem.organization import services
from bilgiislem.organization.choices import RequestStatus
from bilgiislem.organization.models import (
    ActingAssignment,
    AppointmentRequest,
    OrgUnit,
    SignatureDelegation,
    UnitChangeRequest,
)

from .view_support import d, login_url_in, snapshot

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


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
