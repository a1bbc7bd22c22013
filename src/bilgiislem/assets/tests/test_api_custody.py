"""API of VİFs, requests and handovers: 404 outside, 400 naming the field, the flow."""

from bilgiislem.assets.choices import VifState
from bilgiislem.assets.models import HandoverDocument, Vif

API = "/api/assets"
JSON = "application/json"


def _vif_body(store, code, **extra):
    body = {
        "kind": "purchase",
        "store": store.pk,
        "date": "2026-04-02",
        "supporting_reference": "Fatura C-1",
        "supporting_date": "2026-04-01",
        "lines": [{"code": code.code, "quantity": "1", "unit_price": "1500.00"}],
    }
    body.update(extra)
    return body


def test_vif_api_create_sign_control(client_as, kayit, store, tasinir_code):
    assert client_as("yaziisleri").get(f"{API}/vifs/").status_code == 404
    client = client_as("kalem")
    bad = client.post(
        f"{API}/vifs/", _vif_body(store, tasinir_code, date="2026-03-01"), content_type=JSON
    )
    assert bad.status_code == 400 and "date" in bad.json()
    assert not Vif.objects.exists()

    created = client.post(f"{API}/vifs/", _vif_body(store, tasinir_code), content_type=JSON)
    assert created.status_code == 201, created.json()
    pk = created.json()["id"]
    assert created.json()["number"] is None

    signed = client.post(f"{API}/vifs/{pk}/sign/")
    assert signed.status_code == 200 and signed.json()["number"] == 1
    assert signed.json()["lines"][0]["sicil_no"]
    again = client.post(f"{API}/vifs/{pk}/control/")
    assert again.status_code == 403  # kalem is not a named controller
    checked = client_as("sef").post(f"{API}/vifs/{pk}/control/")
    assert checked.status_code == 200 and checked.json()["controlled_by"] == "sef"
    assert Vif.objects.get().state == VifState.SIGNED


def test_request_and_handover_api(client_as, kayit, units, tasinir_code, asset_factory):
    asset = asset_factory()
    body = {"unit": units["bilgi-islem"].pk, "code": tasinir_code.code, "purpose": ""}
    client = client_as("memur")
    bad = client.post(f"{API}/requests/", body, content_type=JSON)
    assert bad.status_code == 400 and "purpose" in bad.json()
    made = client.post(f"{API}/requests/", {**body, "purpose": "Yedek"}, content_type=JSON)
    pk = made.json()["id"]
    assert client_as("yaziisleri").get(f"{API}/requests/{pk}/").status_code == 404
    assert client_as("mudur").post(f"{API}/requests/{pk}/approve/").json()["state"] == "approved"

    issue = f"{API}/requests/{pk}/issue/"
    outsider = client_as("kalem").post(
        issue, {"asset": asset.pk, "receiver": "nobody"}, content_type=JSON
    )
    assert outsider.status_code == 400 and "receiver" in outsider.json()
    handed = client_as("kalem").post(
        issue, {"asset": asset.pk, "receiver": "memur"}, content_type=JSON
    )
    assert handed.status_code == 201, handed.json()
    hid = handed.json()["id"]
    assert client_as("yaziisleri").get(f"{API}/handovers/{hid}/").status_code == 404
    ack = client_as("memur").post(f"{API}/handovers/{hid}/acknowledge/")
    assert ack.status_code == 200 and ack.json()["acknowledged_at"]
    back = client_as("kalem").post(f"{API}/handovers/{hid}/return/", {"note": "ok"}, JSON)
    assert back.status_code == 200 and back.json()["returned_at"]
    assert HandoverDocument.objects.get().return_note == "ok"


def test_handover_scan_upload_acknowledges_it(client_as, kayit, people, asset_factory):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bilgiislem.assets.services.custody import handover_issue
    from bilgiislem.core.storage import open_verified

    handover = handover_issue(actor=kayit, asset=asset_factory(), receiver=people["memur"])
    url = f"{API}/handovers/{handover.pk}/scan/"
    pdf = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"

    missing = client_as("kalem").post(url, {})
    assert missing.status_code == 400 and "file" in missing.json()
    disguised = SimpleUploadedFile("imza.pdf", b"MZ\x90\x00 not a pdf", "application/pdf")
    refused = client_as("kalem").post(url, {"file": disguised})
    assert refused.status_code == 400
    receiver = client_as("memur").post(url, {"file": SimpleUploadedFile("t.pdf", pdf)})
    assert receiver.status_code == 403  # the receiver acknowledges; the officer keeps scans
    assert client_as("yaziisleri").post(url, {}).status_code == 404
    handover.refresh_from_db()
    assert handover.acknowledged_at is None and not handover.signed_scan_sha256

    kept = client_as("kalem").post(url, {"file": SimpleUploadedFile("teslim.pdf", pdf)})
    assert kept.status_code == 200 and kept.json()["acknowledged_at"]
    handover.refresh_from_db()
    assert open_verified(handover.signed_scan_sha256) == pdf
