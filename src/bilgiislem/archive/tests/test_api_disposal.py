"""The disposal API over real HTTP (issue 5 points 6 and 9): candidates, the commission, the
list's flow to execution, the PDFs, and bad input — an approval by someone not on the
commission or approving twice, a commission too small, no access at all."""

# Fixtures come from disposal_support by import, so test arguments shadow them by design.
# ruff: noqa: F811

import pytest
from rest_framework.test import APIClient

from bilgiislem.archive.choices import DisposalListState, DisposalState
from bilgiislem.archive.models import (
    ArchivedRecord,
    DisposalApproval,
    DisposalCommission,
    DisposalList,
)
from bilgiislem.audit.models import AuditEvent

from .conftest import person
from .disposal_support import (
    APPROVER,
    CHAIR,
    MEMBERS,
    YEAR,
    approve_by_members,
    commission,  # noqa: F401 (fixture)
    expire,
    make_list,
)

API = "/api/archive/disposal"


def api(username):
    client = APIClient()
    client.force_login(person(username))
    return client


@pytest.fixture
def folder(archived_folder):
    return expire(archived_folder)


def test_candidates_of_a_year(folder):
    response = api("arsiv").get(f"{API}/candidates/", {"year": YEAR})
    assert response.status_code == 200
    (row,) = response.json()["results"]
    assert (row["id"], row["code"], row["year"], row["document_count"]) == (
        folder.pk,
        "700.01",
        2025,
        3,
    )
    assert api("arsiv").get(f"{API}/candidates/", {"year": 2019}).json()["results"] == []
    bad = api("arsiv").get(f"{API}/candidates/", {"year": "geçen yıl"})
    assert bad.status_code == 400 and "year" in bad.json()


def test_candidates_are_not_for_everyone(folder):
    assert api("memur").get(f"{API}/candidates/", {"year": YEAR}).status_code == 403
    assert api("memur").get(f"{API}/lists/").status_code == 403


def test_appointing_a_commission(db):
    payload = {
        "name": "Komisyon",
        "chair": person("sef").pk,
        "members": [person("arsiv").pk, person("kalem").pk],
        "valid_from": "2026-01-01",
    }
    response = api(APPROVER).post(f"{API}/commissions/", payload, format="json")
    assert response.status_code == 201, response.content
    assert sorted(m["role"] for m in response.json()["members"]) == ["chair", "member", "member"]


def test_a_commission_of_two_is_400_naming_members(db):
    payload = {
        "name": "Komisyon",
        "chair": person("sef").pk,
        "members": [person("arsiv").pk],
        "valid_from": "2026-01-01",
    }
    response = api(APPROVER).post(f"{API}/commissions/", payload, format="json")
    assert response.status_code == 400 and "members" in response.json()
    assert not DisposalCommission.objects.exists()


def test_the_whole_flow(folder, commission, django_capture_on_commit_callbacks):
    created = api(CHAIR).post(
        f"{API}/lists/", {"commission": commission.pk, "year": YEAR}, format="json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    list_url = f"{API}/lists/{body['id']}/"
    assert [i["folder"] for i in body["items"]] == [folder.pk]
    for username in (CHAIR, *MEMBERS):
        response = api(username).post(f"{list_url}approve/")
        assert response.status_code == 200, response.content
    assert response.json()["state"] == DisposalListState.COMMISSION_APPROVED
    response = api(APPROVER).post(f"{list_url}superior-approve/")
    assert response.status_code == 200 and response.json()["state"] == DisposalListState.APPROVED
    assert api(CHAIR).get(f"{list_url}minute-pdf/").status_code == 404  # not carried out yet
    with django_capture_on_commit_callbacks(execute=True):
        response = api(CHAIR).post(
            f"{list_url}execute/",
            {"method": "Kırpma makinesi", "place": "Kurum arşivi", "participants": ["A", "B"]},
            format="json",
        )
    assert response.status_code == 200, response.content
    done = response.json()
    assert done["state"] == DisposalListState.EXECUTED and done["minute_sha256"]
    assert set(
        ArchivedRecord.objects.filter(folder=folder).values_list("disposal_state", flat=True)
    ) == {DisposalState.DISPOSED}
    for name in ("list-pdf", "minute-pdf"):
        pdf = api(CHAIR).get(f"{list_url}{name}/")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF-")


def test_approving_twice_is_400(folder, commission):
    disposal_list = make_list(commission)
    url = f"{API}/lists/{disposal_list.pk}/approve/"
    assert api("arsiv").post(url).status_code == 200
    response = api("arsiv").post(url)
    assert response.status_code == 400
    assert "zaten onayladınız" in str(response.json())  # the UI and API speak Turkish
    assert DisposalApproval.objects.filter(disposal_list=disposal_list).count() == 1


def test_approval_by_someone_not_on_the_commission(folder, commission):
    """A superior sees the list but is no member: 403; someone who may not see it: 404."""
    disposal_list = make_list(commission)
    url = f"{API}/lists/{disposal_list.pk}/approve/"
    refused = api(APPROVER).post(url)
    assert refused.status_code == 403 and "üyeleri" in refused.json()["detail"]
    assert api("memur").post(url).status_code == 404
    assert api("memur").get(f"{API}/lists/{disposal_list.pk}/").status_code == 404
    assert not DisposalApproval.objects.exists()
    assert AuditEvent.objects.filter(action="archive.disposal_list.refused").count() == 1


def test_taking_an_item_off_over_the_api(folder, commission):
    disposal_list = make_list(commission)
    item = disposal_list.items.get()
    url = f"{API}/lists/{disposal_list.pk}/remove-item/"
    missing = api("kalem").post(url, {"item": item.pk, "reason": ""}, format="json")
    assert missing.status_code == 400 and "reason" in missing.json()
    other = api("kalem").post(url, {"item": 999999, "reason": "x"}, format="json")
    assert other.status_code == 400 and "item" in other.json()
    done = api("kalem").post(url, {"item": item.pk, "reason": "Denetim"}, format="json")
    assert done.status_code == 200
    assert done.json()["items"][0]["removed"] is True


def test_the_superior_cannot_approve_before_the_members(folder, commission):
    disposal_list = make_list(commission)
    response = api(APPROVER).post(f"{API}/lists/{disposal_list.pk}/superior-approve/")
    assert response.status_code == 400
    disposal_list = approve_by_members(disposal_list)
    assert api("mudur").post(f"{API}/lists/{disposal_list.pk}/superior-approve/").status_code == 404
    assert api("arsiv").post(f"{API}/lists/{disposal_list.pk}/superior-approve/").status_code == 403
    disposal_list.refresh_from_db()
    assert disposal_list.state == DisposalListState.COMMISSION_APPROVED


def test_executing_without_method_is_400_naming_it(folder, commission):
    disposal_list = approve_by_members(make_list(commission))
    from bilgiislem.archive.services.disposal import disposal_superior_approve

    disposal_superior_approve(actor=person(APPROVER), disposal_list=disposal_list)
    response = api(CHAIR).post(
        f"{API}/lists/{disposal_list.pk}/execute/", {"method": "", "place": "Arşiv"}, format="json"
    )
    assert response.status_code == 400 and "method" in response.json()
    assert DisposalList.objects.get(pk=disposal_list.pk).state == DisposalListState.APPROVED
