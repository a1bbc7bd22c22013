"""Service agreements, partner organisations and partner accounts (issue 6 point 2): the
rules, the pages, the API, who may do what, and accepting a request without an agreement.

Bad input (issue 6): an agreement whose end is before its start is refused naming
``valid_until`` — by the service, the page (form error) and the API (400) — with nothing
written.
"""

import datetime as dt

import pytest
from django.utils import timezone

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization.models import Person
from bilgiislem.servicedesk.models import (
    AgreementTarget,
    PartnerMember,
    PartnerOrganization,
    ServiceAgreement,
)
from bilgiislem.servicedesk.services import agreements as services
from bilgiislem.servicedesk.services import sla as clock

from .conftest import tr

API = "/api/servicedesk"
TZ = timezone.get_default_timezone()


@pytest.fixture
def school(db):
    return PartnerOrganization.objects.create(
        name="Karasu Fen Lisesi", kind="school", email_domain="fen.k12.tr"
    )


@pytest.fixture
def outsider(db):
    """A person with no post: the kind that gets a partner account."""
    return Person.objects.create_user(
        username="mudure.okul", password="x-12345678", first_name="Ayşe"
    )


def make(actor, party, **extra):
    values = {
        "title": "Okul protokolü",
        "organization": party,
        "valid_from": dt.date(2026, 1, 1),
        "valid_until": dt.date(2026, 12, 31),
        "categories": ["network", "hardware"],
        "targets": {"normal": (120, 960), "urgent": (30, 240)},
    }
    values.update(extra)
    return services.agreement_create(actor=actor, **values)


# ---------------------------------------------------------------- services


def test_create_agreement_with_targets(people, school):
    agreement = make(people["mudur"], school)
    assert agreement.created_by == people["mudur"]
    targets = {
        t.priority: (t.response_minutes, t.resolution_minutes) for t in agreement.targets.all()
    }
    assert targets == {"normal": (120, 960), "urgent": (30, 240)}
    assert agreement.categories == ["hardware", "network"]  # in the choices' order
    event = AuditEvent.objects.get(action="servicedesk.agreement.created")
    assert event.object_id == str(agreement.pk)
    assert event.changes["targets"] == {"normal": [120, 960], "urgent": [30, 240]}
    assert event.changes["valid_until"] == "2026-12-31"


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"valid_until": dt.date(2025, 12, 31)}, "valid_until"),
        ({"valid_from": None}, "valid_from"),
        ({"title": "  "}, "title"),
        ({"organization": None}, "organization"),
        ({"is_internal_default": True}, "organization"),
        ({"work_start": dt.time(17, 0), "work_end": dt.time(9, 0)}, "work_end"),
        ({"work_start": "8.30"}, "work_start"),
        ({"categories": ["coffee"]}, "categories"),
        ({"targets": {"high": (600, 60)}}, "resolution_minutes_high"),
        ({"targets": {"high": (0, 60)}}, "response_minutes_high"),
        ({"targets": {"high": (60, 540 * 300)}}, "resolution_minutes_high"),
        ({"targets": {"high": ("60", 540)}}, "response_minutes_high"),
        ({"targets": {"someday": (60, 540)}}, "targets"),
    ],
)
def test_bad_agreement_names_the_field_and_writes_nothing(people, school, extra, field):
    before = (ServiceAgreement.objects.count(), AgreementTarget.objects.count())
    with pytest.raises(DomainError) as refused:
        make(people["mudur"], school, **extra)
    assert list(refused.value.errors) == [field]
    assert (ServiceAgreement.objects.count(), AgreementTarget.objects.count()) == before
    assert not AuditEvent.objects.filter(action="servicedesk.agreement.created").exists()


def test_end_before_start_message(people, school):
    with pytest.raises(DomainError) as refused:
        make(people["mudur"], school, valid_until=dt.date(2025, 6, 1))
    assert refused.value.errors == {
        "valid_until": [tr("The agreement cannot end before it starts.")]
    }


def test_one_internal_default_at_a_time(people, internal_agreement):
    with pytest.raises(DomainError) as refused:
        make(people["mudur"], None, is_internal_default=True, valid_from=dt.date(2026, 1, 1))
    assert "valid_from" in refused.value.errors
    # Ending the old one first makes room for the next.
    services.agreement_update(
        actor=people["mudur"], agreement=internal_agreement, valid_until=dt.date(2025, 12, 31)
    )
    new = make(people["sef"], None, is_internal_default=True, valid_from=dt.date(2026, 1, 1))
    assert new.is_internal_default and new.organization is None


def test_update_replaces_targets_and_audits_the_difference(people, school):
    agreement = make(people["mudur"], school)
    services.agreement_update(
        actor=people["sef"],
        agreement=agreement,
        title="Okul protokolü (2026)",
        targets=[{"priority": "normal", "response_minutes": 60, "resolution_minutes": 900}],
    )
    agreement.refresh_from_db()
    assert agreement.title == "Okul protokolü (2026)"
    assert list(agreement.targets.values_list("priority", "response_minutes")) == [("normal", 60)]
    event = AuditEvent.objects.filter(action="servicedesk.agreement.updated").get()
    assert event.changes["title"] == ["Okul protokolü", "Okul protokolü (2026)"]
    assert event.changes["targets"][1] == {"normal": [60, 900]}
    # Nothing changed: no event.
    services.agreement_update(actor=people["sef"], agreement=agreement, title=agreement.title)
    assert AuditEvent.objects.filter(action="servicedesk.agreement.updated").count() == 1
    # A bad update changes nothing.
    with pytest.raises(DomainError):
        services.agreement_update(
            actor=people["sef"], agreement=agreement, valid_until=dt.date(2020, 1, 1)
        )
    agreement.refresh_from_db()
    assert agreement.valid_until == dt.date(2026, 12, 31)


@pytest.mark.parametrize("username", ["memur", "yaziisleri", "baskan"])
def test_only_the_desk_heads_keep_agreements(people, school, username):
    with pytest.raises(PermissionDeniedError):
        make(people[username], school)
    with pytest.raises(PermissionDeniedError):
        services.partner_org_create(actor=people[username], name="X", kind="ngo")
    assert not ServiceAgreement.objects.exists()


def test_partner_organisation_rules(people, school):
    org = services.partner_org_create(
        actor=people["sef"],
        name=" Yalı Mahallesi Muhtarlığı ",
        kind="muhtarlik",
        email_domain="@Yali.Example.org",
        identifier="12345678",
    )
    assert org.name == "Yalı Mahallesi Muhtarlığı" and org.email_domain == "yali.example.org"
    for values, field in [
        ({"name": "", "kind": "ngo"}, "name"),
        ({"name": "X", "kind": "club"}, "kind"),
        ({"name": "X", "kind": "ngo", "identifier": "12-34"}, "identifier"),
        ({"name": "X", "kind": "ngo", "email_domain": "not a domain"}, "email_domain"),
        ({"name": "X", "kind": "ngo", "email_domain": "FEN.k12.tr"}, "email_domain"),
    ]:
        with pytest.raises(DomainError) as refused:
            services.partner_org_create(actor=people["sef"], **values)
        assert field in refused.value.errors
    services.partner_org_update(actor=people["mudur"], organization=org, active=False)
    org.refresh_from_db()
    assert not org.active
    assert AuditEvent.objects.filter(action="servicedesk.partner.updated").get().changes == {
        "active": [True, False]
    }


def test_partner_accounts(people, school, outsider):
    member = services.partner_member_add(actor=people["sef"], organization=school, person=outsider)
    assert member.active and member.organization == school
    with pytest.raises(DomainError) as again:
        services.partner_member_add(actor=people["sef"], organization=school, person=outsider)
    assert "person" in again.value.errors
    with pytest.raises(DomainError) as staff:
        services.partner_member_add(
            actor=people["sef"], organization=school, person=people["yaziisleri"]
        )
    assert "person" in staff.value.errors
    services.partner_member_set_active(actor=people["sef"], member=member, active=False)
    member.refresh_from_db()
    assert not member.active
    assert AuditEvent.objects.filter(action="servicedesk.partner_member.deactivated").exists()


# ---------------------------------------------------------------- pages


def _form(**extra):
    data = {
        "title": "Tapu protokolü",
        "valid_from": "2026-02-01",
        "valid_until": "2027-01-31",
        "work_start": "08:30",
        "work_end": "17:30",
        "categories": ["network"],
        "response_minutes_high": "60",
        "resolution_minutes_high": "540",
    }
    data.update(extra)
    return data


def test_agreement_pages(client_as, school, people):
    client = client_as("mudur")
    page = client.get("/destek/sozlesmeler/yeni/", {"organization": school.pk})
    assert page.status_code == 200
    response = client.post("/destek/sozlesmeler/yeni/", _form(organization=school.pk))
    agreement = ServiceAgreement.objects.get(title="Tapu protokolü")
    assert response.status_code == 302 and response["Location"].endswith(f"/{agreement.pk}/")
    assert agreement.targets.get().resolution_minutes == 540
    detail = client.get(f"/destek/sozlesmeler/{agreement.pk}/")
    assert detail.status_code == 200 and b"data-targets" in detail.content
    listing = client.get("/destek/sozlesmeler/", {"show": "all"})
    assert f'data-agreement="{agreement.pk}"'.encode() in listing.content
    edit = client.post(
        f"/destek/sozlesmeler/{agreement.pk}/duzenle/",
        _form(organization=school.pk, title="Tapu protokolü II", response_minutes_high=""),
    )
    assert edit.status_code == 200  # both targets or neither
    assert tr("Give both targets, or neither.").encode() in edit.content
    client.post(
        f"/destek/sozlesmeler/{agreement.pk}/duzenle/",
        _form(organization=school.pk, title="Tapu protokolü II"),
    )
    agreement.refresh_from_db()
    assert agreement.title == "Tapu protokolü II"


def test_page_refuses_end_before_start_on_the_field(client_as, school):
    client = client_as("sef")
    response = client.post(
        "/destek/sozlesmeler/yeni/", _form(organization=school.pk, valid_until="2026-01-01")
    )
    assert response.status_code == 200
    assert response.context["form"].errors["valid_until"] == [
        tr("The agreement cannot end before it starts.")
    ]
    assert not ServiceAgreement.objects.exists()


def test_page_protocol_lookup_refuses_an_unknown_number(client_as, school):
    response = client_as("sef").post(
        "/destek/sozlesmeler/yeni/", _form(organization=school.pk, protocol="2026/999999")
    )
    assert "protocol" in response.context["form"].errors
    assert not ServiceAgreement.objects.exists()


def test_partner_pages(client_as, school, outsider):
    client = client_as("sef")
    response = client.post(
        "/destek/kurumlar/yeni/",
        {"name": "Karasu Kaymakamlığı", "kind": "kaymakamlik", "active": "on"},
    )
    org = PartnerOrganization.objects.get(name="Karasu Kaymakamlığı")
    assert response.status_code == 302
    assert client.get("/destek/kurumlar/").status_code == 200
    response = client.post(f"/destek/kurumlar/{org.pk}/", {"username": "yok.boyle"})
    assert response.context["form"].errors["username"]
    response = client.post(f"/destek/kurumlar/{org.pk}/", {"username": outsider.username})
    assert response.status_code == 302
    member = PartnerMember.objects.get(person=outsider)
    client.post(f"/destek/kurum-hesaplari/{member.pk}/durum/")
    member.refresh_from_db()
    assert not member.active
    edit = client.post(
        f"/destek/kurumlar/{org.pk}/duzenle/",
        {"name": "Karasu Kaymakamlığı", "kind": "kaymakamlik", "email_domain": "x"},
    )
    assert "email_domain" in edit.context["form"].errors


@pytest.mark.parametrize(
    ("username", "read", "write"),
    [
        ("mudur", 200, 200),
        ("sef", 200, 200),
        ("memur", 200, 403),  # posted in Bilgi İşlem: reads, does not keep them
        ("yaziisleri", 404, 404),
        ("baskan", 404, 404),
    ],
)
def test_page_access(client_as, people, school, username, read, write):
    agreement = make(people["mudur"], school)
    client = client_as(username)
    for url in (
        "/destek/sozlesmeler/",
        f"/destek/sozlesmeler/{agreement.pk}/",
        "/destek/kurumlar/",
    ):
        assert client.get(url).status_code == read, url
    for url in (
        "/destek/sozlesmeler/yeni/",
        f"/destek/sozlesmeler/{agreement.pk}/duzenle/",
        "/destek/kurumlar/yeni/",
    ):
        assert client.get(url).status_code == write, url
    if write != 200:
        before = ServiceAgreement.objects.count()
        client.post("/destek/sozlesmeler/yeni/", _form(organization=school.pk))
        assert ServiceAgreement.objects.count() == before


def test_partner_member_sees_no_agreement_page(client, school, outsider, people):
    services.partner_member_add(actor=people["sef"], organization=school, person=outsider)
    client.force_login(outsider)
    assert client.get("/destek/sozlesmeler/").status_code == 404
    assert client.get(f"{API}/agreements/").status_code == 404


# ---------------------------------------------------------------- API


def _payload(party, **extra):
    data = {
        "title": "Halk Eğitim protokolü",
        "organization": party.pk,
        "valid_from": "2026-03-01",
        "valid_until": "2027-02-28",
        "work_start": "09:00",
        "work_end": "16:00",
        "categories": ["hardware"],
        "targets": [{"priority": "normal", "response_minutes": 120, "resolution_minutes": 840}],
    }
    data.update(extra)
    return data


def test_api_create_read_update(client_as, school):
    client = client_as("mudur")
    response = client.post(f"{API}/agreements/", _payload(school), content_type="application/json")
    assert response.status_code == 201, response.json()
    body = response.json()
    assert body["organization"] == school.pk and body["work_start"] == "09:00:00"
    assert body["targets"] == [
        {"priority": "normal", "response_minutes": 120, "resolution_minutes": 840}
    ]
    pk = body["id"]
    listed = client.get(f"{API}/agreements/", {"organization": school.pk}).json()
    assert [a["id"] for a in listed["results"]] == [pk]
    response = client.patch(
        f"{API}/agreements/{pk}/", {"contacts": "Müdür Yrd."}, content_type="application/json"
    )
    assert response.status_code == 200 and response.json()["contacts"] == "Müdür Yrd."
    assert response.json()["targets"][0]["priority"] == "normal"  # targets left alone


def test_api_refuses_end_before_start_naming_valid_until(client_as, school, people):
    client = client_as("mudur")
    response = client.post(
        f"{API}/agreements/",
        _payload(school, valid_until="2026-02-01"),
        content_type="application/json",
    )
    assert response.status_code == 400
    assert response.json() == {"valid_until": [tr("The agreement cannot end before it starts.")]}
    assert not ServiceAgreement.objects.exists()
    agreement = make(people["mudur"], school)
    response = client.patch(
        f"{API}/agreements/{agreement.pk}/",
        {"valid_until": "2025-01-01"},
        content_type="application/json",
    )
    assert response.status_code == 400 and list(response.json()) == ["valid_until"]
    agreement.refresh_from_db()
    assert agreement.valid_until == dt.date(2026, 12, 31)


@pytest.mark.parametrize(
    ("extra", "field"),
    [
        ({"organization": 999999}, "organization"),
        ({"protocol": 999999}, "protocol"),
        ({"work_end": "08:00"}, "work_end"),
        (
            {"targets": [{"priority": "high", "response_minutes": 90, "resolution_minutes": 60}]},
            "resolution_minutes_high",
        ),
    ],
)
def test_api_bad_input_is_400_naming_the_field(client_as, school, extra, field):
    response = client_as("sef").post(
        f"{API}/agreements/", _payload(school, **extra), content_type="application/json"
    )
    assert response.status_code == 400
    assert field in response.json()
    assert not ServiceAgreement.objects.exists()


def test_api_access(client_as, school, people):
    agreement = make(people["mudur"], school)
    assert client_as("yaziisleri").get(f"{API}/agreements/{agreement.pk}/").status_code == 404
    assert client_as("yaziisleri").get(f"{API}/partner-organizations/").status_code == 404
    memur = client_as("memur")
    assert memur.get(f"{API}/agreements/{agreement.pk}/").status_code == 200
    response = memur.post(f"{API}/agreements/", _payload(school), content_type="application/json")
    assert response.status_code == 403
    assert ServiceAgreement.objects.count() == 1


def test_api_partners_and_members(client_as, outsider):
    client = client_as("sef")
    response = client.post(
        f"{API}/partner-organizations/",
        {"name": "Sapanca Tapu Müdürlüğü", "kind": "tapu", "identifier": "1234567890"},
        content_type="application/json",
    )
    assert response.status_code == 201
    org_id = response.json()["id"]
    response = client.post(
        f"{API}/partner-members/",
        {"organization": org_id, "username": outsider.username},
        content_type="application/json",
    )
    assert response.status_code == 201 and response.json()["username"] == outsider.username
    member_id = response.json()["id"]
    response = client.post(
        f"{API}/partner-members/",
        {"organization": org_id, "username": "memur"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "person" in response.json()
    response = client.patch(
        f"{API}/partner-members/{member_id}/", {"active": False}, content_type="application/json"
    )
    assert response.json()["active"] is False
    response = client.patch(
        f"{API}/partner-organizations/{org_id}/",
        {"email_domain": "bad domain"},
        content_type="application/json",
    )
    assert response.status_code == 400 and "email_domain" in response.json()
    assert client.get(f"{API}/partner-organizations/{org_id}/").json()["member_count"] == 0


# ---------------------------------------------------------------- acceptance


@pytest.fixture
def awaiting(school, ticket_factory, time_machine):
    time_machine.move_to(dt.datetime(2026, 3, 2, 10, 0, tzinfo=TZ), tick=False)
    ticket = ticket_factory(organization=school, created_at=timezone.now())
    clock.sla_start(ticket, timezone.now())
    ticket.save()
    assert ticket.needs_acceptance
    return ticket


def test_accept_page(client_as, awaiting, internal_agreement):
    url = f"/destek/talepler/{awaiting.pk}/kabul/"
    assert client_as("yaziisleri").post(url).status_code == 404  # not theirs to see
    assert client_as("memur").post(url).status_code == 403  # sees the queue, may not accept
    awaiting.refresh_from_db()
    assert awaiting.needs_acceptance
    response = client_as("sef").post(url)
    assert response.status_code == 302
    awaiting.refresh_from_db()
    assert not awaiting.needs_acceptance and awaiting.resolution_due_at is not None
    # Twice: a message, not an error page.
    assert client_as("sef").post(url).status_code == 302


def test_accept_api(client_as, awaiting, internal_agreement):
    url = f"{API}/tickets/{awaiting.pk}/accept/"
    assert client_as("yaziisleri").post(url).status_code == 404
    assert client_as("memur").post(url).status_code == 403
    response = client_as("mudur").post(url)
    assert response.status_code == 200
    assert response.json()["accepted_by"] == "mudur"
    assert response.json()["response_due_at"].startswith("2026-03-02T14:00")
    again = client_as("mudur").post(url)
    assert again.status_code == 400 and "ticket" in again.json()
