"""Needs: a unit submits, the directorate assesses into the yearly list, CSV; who sees what."""

import pytest

from bilgiislem.assets.choices import NeedKind, NeedState
from bilgiislem.assets.models import Need
from bilgiislem.assets.services.needs import need_assess, need_submit, needs_list_csv
from bilgiislem.assets.work import work_items_for
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError

from .conftest import tr

pytestmark = pytest.mark.django_db


def _submit(people, units, **extra):
    fields = {
        "unit": units["yazi-isleri"],
        "year": 2027,
        "kind": NeedKind.HARDWARE,
        "description": "Dizüstü bilgisayar",
        "quantity": 2,
        "justification": "Yeni personel",
    }
    fields.update(extra)
    return need_submit(actor=people["yaziisleri"], **fields)


def test_submit_assess_and_csv(people, units):
    need = _submit(people, units)
    other = _submit(people, units, description="Ofis yazılımı", kind=NeedKind.SOFTWARE)
    assert any(i.title == need.description for i in work_items_for(people["mudur"]))
    need_assess(actor=people["mudur"], need=need, accept=True, estimated_unit_cost="30000")
    need_assess(actor=people["sef"], need=other, accept=False, note="Lisans mevcut")
    need.refresh_from_db()
    assert need.state == NeedState.ACCEPTED and need.assessed_by == people["mudur"]
    text = needs_list_csv(2027)
    assert "Dizüstü bilgisayar" in text and "60000.00" in text and "Ofis yazılımı" not in text
    actions = set(
        AuditEvent.objects.filter(object_type="assets.need").values_list("action", flat=True)
    )
    assert actions == {"assets.need.submitted", "assets.need.accepted", "assets.need.rejected"}


def test_bad_input_names_the_field_and_changes_nothing(people, units):
    with pytest.raises(DomainError) as caught:
        _submit(people, units, unit=units["bilgi-islem"])  # not their unit
    assert list(caught.value.errors) == ["unit"]
    with pytest.raises(DomainError) as caught:
        _submit(people, units, quantity=0)
    assert list(caught.value.errors) == ["quantity"]
    need = _submit(people, units)
    with pytest.raises(DomainError) as caught:
        need_assess(actor=people["mudur"], need=need, accept=True)
    assert caught.value.errors == {"estimated_unit_cost": [tr("Enter the estimated unit cost.")]}
    with pytest.raises(PermissionDeniedError):
        need_assess(actor=people["memur"], need=need, accept=True, estimated_unit_cost=1)
    need.refresh_from_db()
    assert need.state == NeedState.SUBMITTED and Need.objects.count() == 1


def test_api_and_pages(client_as, people, units):
    unit_client = client_as("yaziisleri")
    body = {
        "unit": units["yazi-isleri"].pk,
        "year": 2027,
        "kind": "hardware",
        "description": "Yazıcı",
        "justification": "Eskisi bozuk",
    }
    made = unit_client.post("/api/assets/needs/", body, content_type="application/json")
    assert made.status_code == 201, made.content
    pk = made.json()["id"]
    bad = unit_client.post(
        "/api/assets/needs/", {**body, "quantity": 0}, content_type="application/json"
    )
    assert bad.status_code == 400 and "quantity" in bad.json()
    assert client_as("by2").get(f"/api/assets/needs/{pk}/").status_code == 404
    assert client_as("by2").get(f"/tasinir/ihtiyac/{pk}/").status_code == 404
    refused = client_as("yaziisleri").post(
        f"/api/assets/needs/{pk}/assess/",
        {"accept": True, "estimated_unit_cost": "9000"},
        content_type="application/json",
    )
    assert refused.status_code == 403
    head = client_as("mudur")
    page = head.post(f"/tasinir/ihtiyac/{pk}/", {"decision": "accept", "estimated_unit_cost": ""})
    assert page.status_code == 200 and "estimated_unit_cost" in page.context["form"].errors
    done = head.post(
        f"/tasinir/ihtiyac/{pk}/", {"decision": "accept", "estimated_unit_cost": "9000"}
    )
    assert done.status_code == 302
    csv_page = head.get("/tasinir/ihtiyac/liste/2027.csv")
    assert csv_page.status_code == 200 and "Yazıcı" in csv_page.content.decode()
    assert head.get("/api/assets/needs/list-csv/?year=2027").status_code == 200
    # client_as logs the one test client in as someone else.
    assert client_as("yaziisleri").get("/tasinir/ihtiyac/liste/2027.csv").status_code == 404
    assert client_as("yaziisleri").get("/tasinir/ihtiyac/?year=2027").status_code == 200
