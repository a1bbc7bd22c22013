"""The retrieval, storage location and yearly cycle API: real HTTP through DRF, the services
behind it; 404 for what the person may not see, 403 with the reason for a step that is not
theirs, 400 naming the field for bad input."""

import pytest
from django.utils import timezone

from bilgiislem.archive.choices import FolderStage, RetrievalState
from bilgiislem.archive.models import RetrievalRequest, StorageLocation, TransferList
from bilgiislem.audit.models import AuditEvent

from .test_cycle import folder
from .test_loans import archive_paper

pytestmark = pytest.mark.django_db
API = "/api/archive/"
THIS_YEAR = timezone.localdate().year


@pytest.fixture
def paper(archive_media):
    return archive_paper()


def post(client, url, data=None):
    return client.post(API + url, data or {}, content_type="application/json")


def test_the_whole_loan_over_the_api(client_as, paper):
    memur = client_as("memur")
    created = post(
        memur,
        "retrieval-requests/",
        {"document": paper.pk, "kind": "paper", "reason": "İhale denetimi."},
    )
    assert created.status_code == 201, created.content
    body = created.json()
    pk = body["id"]
    assert body["state"] == "requested" and body["allowed"]["cancel"]
    assert (
        post(client_as("sef"), f"retrieval-requests/{pk}/approve/", {"note": "Uygun"}).json()[
            "state"
        ]
        == "approved"
    )
    lent = post(client_as("arsiv"), f"retrieval-requests/{pk}/lend/")
    assert lent.status_code == 200 and lent.json()["due_date"]
    assert post(client_as("memur"), f"retrieval-requests/{pk}/return/").json()["state"] == (
        "returned"
    )
    received = post(client_as("arsiv"), f"retrieval-requests/{pk}/receive/")
    assert received.json()["state"] == "closed"
    listed = client_as("memur").get(API + "retrieval-requests/?mine=true").json()
    assert [r["id"] for r in listed["results"]] == [pk]


def test_asking_for_a_record_one_may_not_see_is_404(client_as, paper):
    response = post(
        client_as("yaziisleri"),
        "retrieval-requests/",
        {"document": paper.pk, "kind": "paper", "reason": "Merak."},
    )
    assert response.status_code == 404
    assert not RetrievalRequest.objects.exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"kind": "paper", "reason": "x"}, "document"),
        ({"kind": "paper", "reason": ""}, "reason"),
        ({"kind": "fax", "reason": "x"}, "kind"),
    ],
)
def test_bad_input_is_400_naming_the_field(client_as, paper, data, field):
    if field != "document":
        data = {**data, "document": paper.pk}
    response = post(client_as("memur"), "retrieval-requests/", data)
    assert response.status_code == 400 and field in response.json()
    assert not RetrievalRequest.objects.exists()


def test_approving_by_someone_not_the_superior_is_403_or_404(client_as, paper):
    pk = post(
        client_as("memur"),
        "retrieval-requests/",
        {"document": paper.pk, "kind": "paper", "reason": "Denetim."},
    ).json()["id"]
    # The archive officer sees the request but does not decide on it.
    refused = post(client_as("arsiv"), f"retrieval-requests/{pk}/approve/")
    assert refused.status_code == 403 and refused.json()["detail"]
    # Someone who may not see it at all gets nothing.
    assert post(client_as("yazilim"), f"retrieval-requests/{pk}/approve/").status_code == 404
    assert client_as("yazilim").get(f"{API}retrieval-requests/{pk}/").status_code == 404
    assert RetrievalRequest.objects.get(pk=pk).state == RetrievalState.REQUESTED
    assert AuditEvent.objects.filter(action="archive.retrieval.approve_refused").count() == 1


def test_returning_something_not_lent_is_400_naming_the_state(client_as, paper):
    pk = post(
        client_as("memur"),
        "retrieval-requests/",
        {"document": paper.pk, "kind": "paper", "reason": "Denetim."},
    ).json()["id"]
    response = post(client_as("memur"), f"retrieval-requests/{pk}/return/")
    assert response.status_code == 400 and "state" in response.json()
    assert RetrievalRequest.objects.get(pk=pk).state == RetrievalState.REQUESTED


def test_acknowledging_by_someone_not_the_archive_officer_is_403(client_as, paper):
    pk = post(
        client_as("memur"),
        "retrieval-requests/",
        {"document": paper.pk, "kind": "paper", "reason": "Denetim."},
    ).json()["id"]
    post(client_as("sef"), f"retrieval-requests/{pk}/approve/")
    post(client_as("arsiv"), f"retrieval-requests/{pk}/lend/")
    response = post(client_as("sef"), f"retrieval-requests/{pk}/receive/")
    assert response.status_code == 403
    assert RetrievalRequest.objects.get(pk=pk).state == RetrievalState.LENT


def test_a_bad_due_date_is_400(client_as, paper):
    pk = post(
        client_as("memur"),
        "retrieval-requests/",
        {"document": paper.pk, "kind": "paper", "reason": "Denetim."},
    ).json()["id"]
    post(client_as("sef"), f"retrieval-requests/{pk}/approve/")
    for value in ("2020-01-01", "yarın"):
        response = post(client_as("arsiv"), f"retrieval-requests/{pk}/lend/", {"due_date": value})
        assert response.status_code == 400 and "due_date" in response.json()
    assert RetrievalRequest.objects.get(pk=pk).state == RetrievalState.APPROVED


def test_locations_and_placing_a_folder(client_as, archived_folder):
    arsiv = client_as("arsiv")
    building = post(
        arsiv,
        "locations/",
        {"kind": "building", "label": "Hizmet Binası", "unit": archived_folder.unit_id},
    )
    assert building.status_code == 201, building.content
    box = post(
        arsiv, "locations/", {"kind": "box", "label": "Kutu 1", "parent": building.json()["id"]}
    )
    assert box.json()["path"] == "Hizmet Binası › Kutu 1"
    bad = post(arsiv, "locations/", {"kind": "room", "label": "Oda", "parent": box.json()["id"]})
    assert bad.status_code == 400 and "kind" in bad.json()
    placed = post(
        arsiv, f"locations/{box.json()['id']}/place-folder/", {"folder": archived_folder.pk}
    )
    assert placed.status_code == 200 and placed.json()["path"] == "Hizmet Binası › Kutu 1"
    renamed = post(arsiv, f"locations/{box.json()['id']}/rename/", {"label": "Kutu 2"})
    assert renamed.json()["label"] == "Kutu 2"
    refused = post(client_as("sef"), f"locations/{box.json()['id']}/rename/", {"label": "X"})
    assert refused.status_code == 403
    assert client_as("memur").get(f"{API}locations/{box.json()['id']}/").status_code == 404
    assert StorageLocation.objects.get(pk=box.json()["id"]).label == "Kutu 2"


def test_the_yearly_cycle_over_the_api(client_as, file_plan):
    from .test_locations import institution_officer

    folder(year=THIS_YEAR - 1)
    due = folder(code="700.01", year=THIS_YEAR - 3, until=THIS_YEAR - 1)
    mudur = client_as("mudur")
    reviews = mudur.get(f"{API}annual-reviews/?year={THIS_YEAR - 1}").json()
    assert [r["unit"]["code"] for r in reviews] == ["bilgi-islem"]
    unit_id = reviews[0]["unit"]["id"]
    confirmed = post(mudur, "annual-reviews/confirm/", {"unit": unit_id, "year": THIS_YEAR - 1})
    assert confirmed.status_code == 200 and confirmed.json()["confirmed"]
    again = post(mudur, "annual-reviews/confirm/", {"unit": unit_id, "year": THIS_YEAR - 1})
    assert again.status_code == 400 and "year" in again.json()
    overview = mudur.get(f"{API}cycle/").json()
    assert overview[0]["transfer_due"] == 1 and overview[0]["review_confirmed"] is True
    created = post(mudur, "transfer-lists/", {"unit": unit_id, "year": THIS_YEAR})
    assert created.status_code == 201
    pk = created.json()["id"]
    assert [f["id"] for f in created.json()["folders"]] == [due.pk]
    assert post(client_as("memur"), f"transfer-lists/{pk}/hand-over/").status_code == 404
    mudur = client_as("mudur")  # one test client: logging in as memur replaced mudur
    assert post(mudur, f"transfer-lists/{pk}/receive/").status_code == 403
    assert post(mudur, f"transfer-lists/{pk}/hand-over/").json()["state"] == "handed_over"
    officer = institution_officer()
    mudur.force_login(officer)
    received = post(mudur, f"transfer-lists/{pk}/receive/")
    assert received.status_code == 200 and received.json()["state"] == "received"
    due.refresh_from_db()
    assert due.stage == FolderStage.INSTITUTION_ARCHIVE
    pdf = mudur.get(f"{API}transfer-lists/{pk}/pdf/")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert TransferList.objects.count() == 1


def test_the_cycle_of_units_one_does_not_follow_is_404(client_as, file_plan):
    folder(year=THIS_YEAR - 3, until=THIS_YEAR - 1)
    from bilgiislem.organization.models import OrgUnit

    unit_id = OrgUnit.objects.get(code="bilgi-islem").pk
    memur = client_as("memur")
    assert post(memur, "transfer-lists/", {"unit": unit_id, "year": THIS_YEAR}).status_code == 404
    assert memur.get(f"{API}annual-reviews/").json() == []
    assert not TransferList.objects.exists()
