"""The disposal pages (İmha) over real HTTP: the year's candidates, appointing a commission,
the list from preparation to the minute, and who may not see or do what."""

# Fixtures come from disposal_support by import, so test arguments shadow them by design.
# ruff: noqa: F811

import pytest

from bilgiislem.archive.choices import DisposalListState
from bilgiislem.archive.models import DisposalCommission, DisposalList

from .conftest import person
from .disposal_support import (
    APPROVER,
    CHAIR,
    MEMBERS,
    YEAR,
    commission,  # noqa: F401 (fixture)
    expire,
    make_list,
)

HOME = "/arsiv/imha/"


@pytest.fixture
def folder(archived_folder):
    return expire(archived_folder)


def as_(client, username):
    client.force_login(person(username))
    return client


def test_the_home_page_lists_the_years_candidates(folder, commission, client):
    page = as_(client, CHAIR).get(HOME, {"year": YEAR})
    assert page.status_code == 200
    html = page.content.decode()
    assert f'data-folder="{folder.pk}"' in html
    assert "/arsiv/imha/listeler/yeni/" in html  # the chair may prepare the list
    assert commission.name in html


def test_disposal_pages_are_404_for_staff(folder, commission, client):
    disposal_list = make_list(commission)
    as_(client, "memur")
    assert client.get(HOME).status_code == 404
    assert client.get(f"/arsiv/imha/listeler/{disposal_list.pk}/").status_code == 404
    assert client.post(f"/arsiv/imha/listeler/{disposal_list.pk}/onayla/").status_code == 404
    assert (
        client.get(f"/arsiv/imha/listeler/{disposal_list.pk}/imha-listesi.pdf").status_code == 404
    )
    assert not disposal_list.approvals.exists()


def test_appointing_a_commission_on_the_page(db, client):
    as_(client, APPROVER)
    data = {
        "name": "Komisyon",
        "chair": person("sef").pk,
        "members": [person("arsiv").pk],
        "valid_from": "01.01.2026",
    }
    response = client.post("/arsiv/imha/komisyon/yeni/", data)
    assert response.status_code == 200 and "members" in response.context["form"].errors
    assert not DisposalCommission.objects.exists()
    data["members"].append(person("kalem").pk)
    assert client.post("/arsiv/imha/komisyon/yeni/", data).status_code == 302
    assert DisposalCommission.objects.get().members.count() == 3
    as_(client, "arsiv")
    assert client.get("/arsiv/imha/komisyon/yeni/").status_code == 403


def test_from_list_to_minute_on_the_pages(
    folder, commission, client, django_capture_on_commit_callbacks
):
    response = as_(client, CHAIR).post(
        "/arsiv/imha/listeler/yeni/", {"commission": commission.pk, "year": YEAR}
    )
    assert response.status_code == 302
    disposal_list = DisposalList.objects.get()
    detail = f"/arsiv/imha/listeler/{disposal_list.pk}/"
    for username in (CHAIR, *MEMBERS):
        assert as_(client, username).post(f"{detail}onayla/").status_code == 302
    again = as_(client, "kalem").post(f"{detail}onayla/", follow=True)
    assert [m.level_tag for m in again.context["messages"]][-1] == "error"
    assert disposal_list.approvals.count() == 3
    assert as_(client, APPROVER).post(f"{detail}amir-onayi/").status_code == 302
    disposal_list.refresh_from_db()
    assert disposal_list.state == DisposalListState.APPROVED
    page = as_(client, CHAIR).get(detail)
    assert 'name="execute"' in page.content.decode()
    bad = client.post(f"{detail}imha-et/", {"method": "", "place": "Arşiv"})
    assert bad.status_code == 200 and "method" in bad.context["execute_form"].errors
    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(
            f"{detail}imha-et/",
            {"method": "Kırpma makinesi", "place": "Arşiv", "participants": "Ali\nVeli"},
        )
    assert done.status_code == 302
    disposal_list.refresh_from_db()
    assert disposal_list.state == DisposalListState.EXECUTED
    minute = client.get(f"{detail}imha-tutanagi.pdf")
    assert minute.status_code == 200 and minute.content.startswith(b"%PDF-")


def test_a_non_member_who_sees_the_list_gets_403_on_approve(folder, commission, client):
    disposal_list = make_list(commission)
    response = as_(client, APPROVER).post(f"/arsiv/imha/listeler/{disposal_list.pk}/onayla/")
    assert response.status_code == 403
    assert not disposal_list.approvals.exists()


def test_taking_an_item_off_on_the_page_needs_a_reason(folder, commission, client):
    disposal_list = make_list(commission)
    item = disposal_list.items.get()
    url = f"/arsiv/imha/listeler/{disposal_list.pk}/cikar/{item.pk}/"
    response = as_(client, "kalem").post(url, {"reason": ""})
    assert response.status_code == 200 and "reason" in response.context["form"].errors
    assert as_(client, "kalem").post(url, {"reason": "Denetim"}).status_code == 302
    item.refresh_from_db()
    assert item.removed


def test_every_page_renders_for_the_people_who_use_it(folder, commission, client):
    from bilgiislem.archive.services.holds import legal_hold_place

    disposal_list = make_list(commission)
    item = disposal_list.items.get()
    hold = legal_hold_place(
        actor=person("mudur"), document=folder.records.first().document, reason="x"
    )
    base = f"/arsiv/imha/listeler/{disposal_list.pk}/"
    pages = [
        (CHAIR, HOME),
        (CHAIR, "/arsiv/imha/listeler/yeni/"),
        (CHAIR, base),
        (CHAIR, f"{base}iptal/"),
        ("kalem", f"{base}cikar/{item.pk}/"),
        (APPROVER, "/arsiv/imha/komisyon/yeni/"),
        (APPROVER, base),
        ("mudur", "/arsiv/bloke/"),
        ("mudur", "/arsiv/bloke/?show=all"),
        ("mudur", f"/arsiv/bloke/yeni/?document={hold.document_id}"),
        ("mudur", f"/arsiv/bloke/{hold.pk}/kaldir/"),
    ]
    for username, url in pages:
        response = as_(client, username).get(url)
        assert response.status_code == 200, (username, url, response.status_code)
    pdf = as_(client, CHAIR).get(f"{base}imha-listesi.pdf")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert as_(client, CHAIR).get(f"{base}imha-tutanagi.pdf").status_code == 404
