"""The registry API's work on documents over real HTTP: routing (havale), custody (zimmet),
notes, sending to another directorate, and the work lists — each write with its
authorization matrix and its bad input."""

# Fixtures come from test_api_fixtures by import, so test arguments shadow them by design.
# ruff: noqa: F811

import datetime

import pytest
from django.utils import timezone

from bilgiislem.organization import services as org_services
from bilgiislem.registry import services
from bilgiislem.registry.choices import DocumentStatus, Purpose, RoutingStatus
from bilgiislem.registry.models import Custody, Document, Note, Routing

from .test_api_fixtures import (  # noqa: F401 - fixtures
    API,
    PNG,
    api,
    assert_refused,
    media,
    paper,
    pdf,
    refusals,
    routed,
    snapshot,
    yazi_doc,
)

pytestmark = pytest.mark.django_db


def days(n: int) -> str:
    return (timezone.localdate() + datetime.timedelta(days=n)).isoformat()


def route_payload(people, **changes):
    data = {
        "recipients": [{"person": people["memur"].pk, "purpose": "action"}],
        "instruction": "Gereğini rica ederim.",
        "deadline_basis": "opinion",
    }
    data.update(changes)
    return data


@pytest.fixture
def sef_acting(people, positions):
    """The Chief acts for the Director (vekalet) for a week."""
    return org_services.acting_create(
        actor=people["mudur"],
        position=positions["bilgi-islem", "mudur"],
        acting_person=people["sef"],
        start_date=timezone.localdate(),
        end_date=timezone.localdate() + datetime.timedelta(days=7),
        reason="Yıllık izin",
    )


# --- routing (havale) -----------------------------------------------------------------------


def test_director_routes_to_a_person_and_a_unit(api, paper, people, units):
    payload = route_payload(
        people,
        recipients=[
            {"person": people["memur"].pk, "purpose": "action"},
            {"unit": units["bilgi-islem-yazilim"].pk, "purpose": "information"},
        ],
    )
    response = api("mudur").post(f"{API}/documents/{paper.pk}/routings/", payload, format="json")

    assert response.status_code == 201, response.content
    body = response.json()
    assert [(r["to_person"] or r["to_unit"])["id"] for r in body] == [
        people["memur"].pk,
        units["bilgi-islem-yazilim"].pk,
    ]
    assert body[0]["due_date"] is not None and body[0]["deadline_basis"] == "opinion"
    assert body[1]["due_date"] is None
    assert Custody.objects.filter(document=paper, kind="electronic").count() == 2


def test_chief_acting_for_the_director_routes(api, paper, people, sef_acting):
    response = api("sef").post(
        f"{API}/documents/{paper.pk}/routings/", route_payload(people), format="json"
    )
    assert response.status_code == 201, response.content
    assert response.json()[0]["routed_as"].endswith("V.")


@pytest.mark.parametrize(
    ("username", "expected"),
    [(None, (401, 403)), ("yaziisleri", 404), ("memur", 403), ("sef", 403), ("kalem", 403)],
)
def test_who_may_not_route(api, paper, people, username, expected):
    before = snapshot(paper)
    refused = refusals()
    response = api(username).post(
        f"{API}/documents/{paper.pk}/routings/", route_payload(people), format="json"
    )
    assert_refused(response, expected, before, paper)
    if expected == 403:
        assert "detail" in response.json()
        assert refusals() == refused + 1


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"recipients": []}, "recipients"),
        ({"recipients": [{"purpose": "action"}]}, "recipients"),
        ({"recipients": [{"person": 99999999, "purpose": "action"}]}, "recipients"),
        ({"recipients": [{"person": 1, "unit": 1, "purpose": "action"}]}, "recipients"),
        ({"recipients": "memur"}, "recipients"),
        ({"due_date": "2020-01-01"}, "due_date"),
        ({"due_date": "01.13.2026"}, "due_date"),
        ({"deadline_basis": "", "due_date": None}, "deadline_basis"),
        ({"deadline_basis": "someday"}, "deadline_basis"),
        ({"instruction": "x" * 2001}, "instruction"),
    ],
)
def test_bad_routing_input_is_400(api, paper, people, changes, field):
    before = snapshot(paper)
    response = api("mudur").post(
        f"{API}/documents/{paper.pk}/routings/", route_payload(people, **changes), format="json"
    )
    assert_refused(response, 400, before, paper)
    assert field in response.json(), response.json()


def test_a_disabled_person_cannot_be_routed_to(api, paper, people):
    people["yazilim"].is_active = False
    people["yazilim"].save(update_fields=["is_active"])
    before = snapshot(paper)
    payload = route_payload(
        people, recipients=[{"person": people["yazilim"].pk, "purpose": "action"}]
    )
    response = api("mudur").post(f"{API}/documents/{paper.pk}/routings/", payload, format="json")
    assert_refused(response, 400, before, paper)
    assert "recipients" in response.json()


def test_a_closed_document_cannot_be_routed(api, routed, people):
    services.routing_close(actor=people["memur"], routing=routed, outcome="Yapıldı")
    document = Document.objects.get(pk=routed.document_id)
    assert document.status == DocumentStatus.DONE
    before = snapshot(document)
    response = api("mudur").post(
        f"{API}/documents/{document.pk}/routings/", route_payload(people), format="json"
    )
    assert_refused(response, 400, before, document)
    assert "document" in response.json()


def test_unknown_document_is_404(api, people):
    response = api("mudur").post(
        f"{API}/documents/99999999/routings/", route_payload(people), format="json"
    )
    assert response.status_code == 404


# --- forward, return, close -------------------------------------------------------------------


@pytest.fixture
def to_chief(paper, people):
    """``paper`` routed by the Director to the Chief in person, to route on to her people."""
    (routing,) = services.routing_create(
        actor=people["mudur"],
        document=paper,
        recipients=[(people["sef"], Purpose.ACTION)],
        deadline_basis="opinion",
    )
    return routing


def test_chief_routes_on_to_her_people(api, to_chief, people):
    response = api("sef").post(
        f"{API}/routings/{to_chief.pk}/forward/",
        {"to_person": people["memur"].pk, "instruction": "Teknik destek yapsın"},
        format="json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["parent"] == to_chief.pk and body["to_person"]["username"] == "memur"
    assert body["due_date"] == to_chief.due_date.isoformat()
    assert Routing.objects.get(pk=to_chief.pk).status == RoutingStatus.FORWARDED


@pytest.mark.parametrize(
    ("username", "expected"),
    [(None, (401, 403)), ("yaziisleri", 404), ("yazilim", 403), ("memur", 403)],
)
def test_who_may_not_route_on(api, to_chief, people, username, expected):
    before = snapshot(to_chief)
    response = api(username).post(
        f"{API}/routings/{to_chief.pk}/forward/", {"to_person": people["yazilim"].pk}, format="json"
    )
    assert_refused(response, expected, before, to_chief)


def test_a_staff_member_does_not_route_on(api, routed, people):
    before = snapshot(routed)
    response = api("memur").post(
        f"{API}/routings/{routed.pk}/forward/", {"to_person": people["yazilim"].pk}, format="json"
    )
    assert_refused(response, 403, before, routed)


def test_bad_forward_input_is_400(api, to_chief, people):
    before = snapshot(to_chief)
    for payload, field in [
        ({}, "to_person"),
        ({"to_person": 99999999}, "to_person"),
        ({"to_person": people["yaziisleri"].pk}, "to_person"),
        ({"to_person": people["sef"].pk}, "to_person"),
        ({"to_person": people["memur"].pk, "purpose": "fun"}, "purpose"),
        ({"to_person": people["memur"].pk, "due_date": "2020-01-01"}, "due_date"),
        ({"to_person": people["memur"].pk, "due_date": "1.1.2027"}, "due_date"),
        ({"to_person": people["memur"].pk, "instruction": "x" * 2001}, "instruction"),
    ]:
        response = api("sef").post(f"{API}/routings/{to_chief.pk}/forward/", payload, format="json")
        assert_refused(response, 400, before, to_chief)
        assert field in response.json(), (payload, response.json())


def test_recipient_returns_with_a_reason(api, routed):
    response = api("memur").post(
        f"{API}/routings/{routed.pk}/return/", {"reason": "Birimimizin işi değil"}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "returned"
    assert response.json()["return_reason"] == "Birimimizin işi değil"


@pytest.mark.parametrize(
    ("username", "payload", "expected", "field"),
    [
        (None, {"reason": "x"}, (401, 403), None),
        ("yaziisleri", {"reason": "x"}, 404, None),
        ("yazilim", {"reason": "x"}, 403, None),
        ("memur", {}, 400, "reason"),
        ("memur", {"reason": "  "}, 400, "reason"),
        ("memur", {"reason": "x" * 1001}, 400, "reason"),
    ],
)
def test_return_refusals(api, routed, username, payload, expected, field):
    before = snapshot(routed)
    response = api(username).post(f"{API}/routings/{routed.pk}/return/", payload, format="json")
    assert_refused(response, expected, before, routed)
    if field:
        assert field in response.json()


def test_recipient_closes_and_the_document_is_done(api, routed, paper):
    response = api("memur").post(
        f"{API}/routings/{routed.pk}/close/",
        {"outcome": "Denetim yapıldı", "reply": paper.pk},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "closed" and response.json()["reply"] == paper.pk
    assert Document.objects.get(pk=paper.pk).status == DocumentStatus.DONE


@pytest.mark.parametrize(
    ("username", "payload", "expected", "field"),
    [
        (None, {"outcome": "x"}, (401, 403), None),
        ("yaziisleri", {"outcome": "x"}, 404, None),
        ("yazilim", {"outcome": "x"}, 403, None),
        ("mudur", {"outcome": "x"}, 403, None),
        ("memur", {"outcome": ""}, 400, "outcome"),
        ("memur", {"outcome": "x" * 4001}, 400, "outcome"),
        ("memur", {"outcome": "x", "reply": 99999999}, 400, "reply"),
        ("memur", {"outcome": "x", "reply": "abc"}, 400, "reply"),
    ],
)
def test_close_refusals(api, routed, username, payload, expected, field):
    before = snapshot(routed)
    response = api(username).post(f"{API}/routings/{routed.pk}/close/", payload, format="json")
    assert_refused(response, expected, before, routed)
    if field:
        assert field in response.json()


def test_a_closed_routing_cannot_be_closed_or_returned_again(api, routed, people):
    services.routing_close(actor=people["memur"], routing=routed, outcome="Yapıldı")
    before = snapshot(routed)
    for action, payload in [("close", {"outcome": "x"}), ("return", {"reason": "x"})]:
        response = api("memur").post(
            f"{API}/routings/{routed.pk}/{action}/", payload, format="json"
        )
        assert_refused(response, 400, before, routed)
        assert "routing" in response.json()


def test_reply_must_be_visible(api, routed, yazi_doc):
    before = snapshot(routed)
    response = api("memur").post(
        f"{API}/routings/{routed.pk}/close/", {"outcome": "x", "reply": yazi_doc.pk}, format="json"
    )
    assert_refused(response, 400, before, routed)
    assert "reply" in response.json()


# --- work lists -------------------------------------------------------------------------------


def test_my_open_routings(api, routed):
    body = api("memur").get(f"{API}/routings/", {"mine": "1"}).json()
    assert [r["id"] for r in body["results"]] == [routed.pk]
    assert body["results"][0]["document"]["id"] == routed.document_id
    assert "age_days" in body["results"][0] and body["results"][0]["overdue"] is False
    assert api("yazilim").get(f"{API}/routings/", {"mine": "1"}).json()["results"] == []
    assert api("yaziisleri").get(f"{API}/routings/").json()["results"] == []
    assert api("yaziisleri").get(f"{API}/routings/{routed.pk}/").status_code == 404


def test_oversight_for_chief_and_director(api, routed):
    for username in ("mudur", "sef"):
        response = api(username).get(f"{API}/routings/oversight/")
        assert response.status_code == 200, response.content
        assert [r["id"] for r in response.json()["results"]] == [routed.pk]
    assert api("yaziisleri.mudur").get(f"{API}/routings/oversight/").json()["results"] == []
    response = api("memur").get(f"{API}/routings/oversight/")
    assert response.status_code == 403 and "detail" in response.json()
    assert api(None).get(f"{API}/routings/oversight/").status_code in (401, 403)
    response = api("mudur").get(f"{API}/routings/oversight/", {"overdue": "1"})
    assert response.json()["results"] == []


# --- notes --------------------------------------------------------------------------------


def test_recipient_adds_a_note_with_a_file(api, routed):
    response = api("memur").post(
        f"{API}/documents/{routed.document_id}/notes/",
        {"text": "Rapor ektedir", "file": pdf("rapor.pdf")},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    assert response.json()["file"]["filename"] == "rapor.pdf"
    assert Note.objects.filter(document_id=routed.document_id).count() == 1


@pytest.mark.parametrize(
    ("username", "payload", "expected", "field"),
    [
        (None, {"text": "x"}, (401, 403), None),
        ("yaziisleri", {"text": "x"}, 404, None),
        ("yazilim", {"text": "x"}, 403, None),
        ("memur", {"text": ""}, 400, "text"),
        ("memur", {"text": "x" * 4001}, 400, "text"),
        ("memur", {"text": "x", "file": "empty"}, 400, "file"),
        ("memur", {"text": "x", "file": "png-as-pdf"}, 400, "file"),
    ],
)
def test_note_refusals(api, routed, username, payload, expected, field):
    files = {"empty": pdf(content=b""), "png-as-pdf": pdf(content=PNG)}
    if "file" in payload:
        payload = {**payload, "file": files[payload["file"]]}
    before = snapshot()
    response = api(username).post(
        f"{API}/documents/{routed.document_id}/notes/", payload, format="multipart"
    )
    assert_refused(response, expected, before)
    if field:
        assert field in response.json()


def test_oversize_note_file_is_refused(api, routed, settings):
    settings.BILGIISLEM_UPLOAD_MAX_BYTES = 32
    before = snapshot()
    response = api("memur").post(
        f"{API}/documents/{routed.document_id}/notes/",
        {"text": "x", "file": pdf(content=b"%PDF-1.4\n" + b"0" * 64)},
        format="multipart",
    )
    assert_refused(response, 400, before)
    assert "file" in response.json()


# --- sending to another directorate -----------------------------------------------------------


def test_director_sends_to_another_directorate(api, paper, units):
    response = api("mudur").post(
        f"{API}/documents/{paper.pk}/send/", {"to_registry": units["yazi-isleri"].pk}, format="json"
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["registry"]["id"] == units["yazi-isleri"].pk and body["id"] != paper.pk
    assert body["party_kind"] == "internal"
    assert api("yaziisleri").get(f"{API}/documents/{body['id']}/").status_code == 200


@pytest.mark.parametrize(
    ("username", "payload", "expected", "field"),
    [
        (None, "yazi-isleri", (401, 403), None),
        ("yaziisleri", "yazi-isleri", 404, None),
        ("memur", "yazi-isleri", 403, None),
        ("kalem", "yazi-isleri", 403, None),
        ("mudur", "bilgi-islem", 400, "to_registry"),
        ("mudur", "bilgi-islem-kalem", 400, "to_registry"),
        ("mudur", None, 400, "to_registry"),
    ],
)
def test_send_refusals(api, paper, units, username, payload, expected, field):
    before = snapshot(paper)
    data = {"to_registry": units[payload].pk if payload else 99999999}
    response = api(username).post(f"{API}/documents/{paper.pk}/send/", data, format="json")
    assert_refused(response, expected, before, paper)
    if field:
        assert field in response.json()


# --- custody (zimmet) -----------------------------------------------------------------------


def test_kalem_hands_over_and_the_receiver_acknowledges(api, paper, people):
    response = api("kalem").post(
        f"{API}/documents/{paper.pk}/hand-over/", {"to_person": people["memur"].pk}, format="json"
    )
    assert response.status_code == 201, response.content
    custody_id = response.json()["id"]
    assert api("memur").get(f"{API}/custody/", {"mine": "1"}).json()["results"][0]["id"] == (
        custody_id
    )

    response = api("memur").post(f"{API}/custody/{custody_id}/acknowledge/", {}, format="json")

    assert response.status_code == 200, response.content
    assert response.json()["acknowledged_by"]["username"] == "memur"
    detail = api("memur").get(f"{API}/documents/{paper.pk}/").json()
    assert detail["paper_holder"]["id"] == custody_id


def test_registry_records_a_signed_custody_list(api, paper, units):
    custody = services.custody_hand_over(
        actor=paper.registered_by, document=paper, to_unit=units["yazi-isleri"]
    )
    response = api("kalem").post(
        f"{API}/custody/{custody.pk}/acknowledge/",
        {"proof": pdf("zimmet.pdf")},
        format="multipart",
    )
    assert response.status_code == 200, response.content
    assert response.json()["proof"] is not None


@pytest.mark.parametrize(
    ("username", "expected"),
    [(None, (401, 403)), ("yaziisleri", 404), ("memur", 403), ("yazilim", 403)],
)
def test_who_may_not_hand_over(api, paper, people, username, expected):
    before = snapshot(paper)
    response = api(username).post(
        f"{API}/documents/{paper.pk}/hand-over/", {"to_person": people["memur"].pk}, format="json"
    )
    assert_refused(response, expected, before, paper)


def test_bad_hand_over_input_is_400(api, paper, people, units):
    before = snapshot(paper)
    for payload, field in [
        ({}, "to_person"),
        ({"to_person": people["memur"].pk, "to_unit": units["yazi-isleri"].pk}, "to_person"),
        ({"to_person": 99999999}, "to_person"),
        ({"to_unit": "x"}, "to_unit"),
    ]:
        response = api("kalem").post(
            f"{API}/documents/{paper.pk}/hand-over/", payload, format="json"
        )
        assert_refused(response, 400, before, paper)
        assert field in response.json(), response.json()


def test_an_electronic_document_is_not_handed_over(api, people, units):
    document = services.document_register(
        actor=people["kalem"],
        registry=units["bilgi-islem"],
        medium="electronic",
        party_kind="person",
        party_name="Vatandaş",
        subject="E-posta",
        uploads=[(pdf(), "main")],
    )
    before = snapshot(document)
    response = api("kalem").post(
        f"{API}/documents/{document.pk}/hand-over/",
        {"to_person": people["memur"].pk},
        format="json",
    )
    assert_refused(response, 400, before, document)
    assert "document" in response.json()


@pytest.fixture
def handed(paper, people):
    return services.custody_hand_over(
        actor=people["kalem"], document=paper, to_person=people["memur"]
    )


@pytest.mark.parametrize(
    ("username", "expected"),
    [(None, (401, 403)), ("yaziisleri", 404), ("yazilim", 403), ("mudur", 403)],
)
def test_someone_elses_custody_cannot_be_acknowledged(api, handed, username, expected):
    before = snapshot(handed)
    refused = refusals()
    response = api(username).post(f"{API}/custody/{handed.pk}/acknowledge/", {}, format="json")
    assert_refused(response, expected, before, handed)
    if expected == 403:
        assert refusals() == refused + 1


def test_acknowledging_twice_or_with_a_bad_proof_is_400(api, handed, settings):
    before = snapshot(handed)
    for proof in (pdf(content=b""), pdf(content=PNG), pdf("zimmet.html", content=b"<html>")):
        response = api("memur").post(
            f"{API}/custody/{handed.pk}/acknowledge/", {"proof": proof}, format="multipart"
        )
        assert_refused(response, 400, before, handed)
        assert "proof" in response.json()
    settings.BILGIISLEM_UPLOAD_MAX_BYTES = 16
    response = api("memur").post(
        f"{API}/custody/{handed.pk}/acknowledge/", {"proof": pdf()}, format="multipart"
    )
    assert_refused(response, 400, before, handed)
    assert "proof" in response.json()

    settings.BILGIISLEM_UPLOAD_MAX_BYTES = 1024
    assert api("memur").post(f"{API}/custody/{handed.pk}/acknowledge/").status_code == 200
    handed.refresh_from_db()
    before = snapshot(handed)
    response = api("memur").post(f"{API}/custody/{handed.pk}/acknowledge/", {}, format="json")
    assert_refused(response, 400, before, handed)
    assert "custody" in response.json()


def test_unknown_custody_is_404(api):
    assert api("memur").post(f"{API}/custody/99999999/acknowledge/").status_code == 404


def test_routing_and_custody_are_listed_within_visibility(api, routed, handed):
    ids = {c["document"] for c in api("yaziisleri").get(f"{API}/custody/").json()["results"]}
    assert routed.document_id not in ids
    assert api("memur").get(f"{API}/custody/{handed.pk}/").status_code == 200
    assert api("memur").get(f"{API}/routings/{routed.pk}/").json()["purpose"] == Purpose.ACTION


def test_work_lists_have_bounded_queries(api, paper, people, units):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def route(n):
        for i in range(n):
            document = services.document_register(
                actor=people["kalem"],
                registry=units["bilgi-islem"],
                party_kind="person",
                party_name=f"Vatandaş {i}",
                subject=f"Dilekçe {i}",
            )
            services.routing_create(
                actor=people["mudur"],
                document=document,
                recipients=[(people["memur"], Purpose.ACTION)],
                deadline_basis="documents",
            )

    route(2)
    counts = {}
    for url, username in [
        (f"{API}/routings/?mine=1", "memur"),
        (f"{API}/routings/oversight/", "mudur"),
        (f"{API}/custody/", "memur"),
    ]:
        with CaptureQueriesContext(connection) as few:
            assert api(username).get(url).status_code == 200
        counts[url] = (username, len(few))
    route(8)
    for url, (username, expected) in counts.items():
        with CaptureQueriesContext(connection) as many:
            response = api(username).get(url)
        assert response.json()["count"] >= 10, url
        assert len(many) == expected, (url, [q["sql"] for q in many.captured_queries])
