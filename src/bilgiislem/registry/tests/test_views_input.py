"""Bad input from issue 3: each answers with a form error naming the field, writes nothing."""

# The fixtures are imported from test_views_support; pytest injects them by name.
# ruff: noqa: F811

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bilgiislem.registry import services
from bilgiislem.registry.models import Routing

from .test_views_support import (  # noqa: F401 (fixtures)
    d,
    doc,
    english,
    media,
    pdf,
    routing,
    snapshot,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english", "media")]


def _register(client, units, **overrides):
    data = {
        "registry": units["bilgi-islem"].pk,
        "medium": "paper",
        "party_kind": "public_body",
        "party_name": "Sakarya Valiliği",
        "party_identifier": "12345678",
        "sayi": "E-12345678-010.01-4752",
        "document_date": d(),
        "subject": "Bilgi istenmesi",
        "secrecy": "none",
        "urgency": "normal",
        "annex-TOTAL_FORMS": "0",
        "annex-INITIAL_FORMS": "0",
        "ref-TOTAL_FORMS": "0",
        "ref-INITIAL_FORMS": "0",
    }
    data.update(overrides)
    data = {k: v for k, v in data.items() if v is not None}
    return client.post(reverse("registry:document-register"), data)


def _field_errors(response, field):
    form = response.context["form"]
    return form.errors.get(field, [])


@pytest.mark.parametrize(
    ("overrides", "field", "words"),
    [
        ({"sayi": "12/34-X"}, "sayi", "Sayı"),
        ({"party_kind": "person", "party_identifier": "12345678901"}, "party_identifier", "TCKN"),
        ({"party_kind": "company", "party_identifier": "1234567891"}, "party_identifier", "VKN"),
        ({"party_kind": "public_body", "party_identifier": "1234"}, "party_identifier", "DETSİS"),
        ({"urgency": "gunludur", "urgency_date": None}, "urgency_date", "GÜNLÜDÜR"),
        ({"urgency": "gunludur", "urgency_date": "01.01.2020"}, "urgency_date", "arrival"),
        ({"subject": ""}, "subject", "required"),
        ({"document_date": "31.02.2025"}, "document_date", "dd.mm.yyyy"),
        ({"party_kind": "internal", "party_unit": ""}, "party_unit", "directorate"),
        ({"medium": "electronic"}, "files", "Upload"),
    ],
    ids=[
        "malformed-sayi",
        "bad-tckn",
        "bad-vkn",
        "short-detsis",
        "gunludur-without-date",
        "gunludur-before-arrival",
        "no-subject",
        "impossible-date",
        "internal-without-unit",
        "electronic-without-file",
    ],
)
def test_register_refuses_bad_metadata(client_as, units, overrides, field, words):
    before = snapshot()
    response = _register(client_as("kalem"), units, **overrides)
    assert response.status_code == 200
    errors = " ".join(_field_errors(response, field))
    assert words in errors, response.context["form"].errors
    assert snapshot() == before
    # What was typed is kept.
    assert (
        "Sakarya Valiliği" in response.content.decode() or overrides.get("party_kind") == "internal"
    )


@pytest.mark.parametrize(
    ("upload", "words"),
    [
        (SimpleUploadedFile("bos.pdf", b"", content_type="application/pdf"), "empty"),
        (
            SimpleUploadedFile(
                "sahte.pdf", b"merhaba, ben PDF degilim", content_type="application/pdf"
            ),
            "not a .pdf",
        ),
        (
            SimpleUploadedFile("sayfa.html", b"<html><script>x</script>", content_type="text/html"),
            "not an accepted",
        ),
        (
            SimpleUploadedFile(
                "buyuk.pdf", b"%PDF-1.4\n" + b"0" * 4096, content_type="application/pdf"
            ),
            "larger",
        ),
    ],
    ids=["empty", "mismatched", "html", "oversize"],
)
def test_register_refuses_bad_files(client_as, units, settings, upload, words):
    settings.BILGIISLEM_UPLOAD_MAX_BYTES = 1024
    before = snapshot()
    response = _register(client_as("kalem"), units, medium="electronic", files=upload)
    assert response.status_code == 200
    assert words in " ".join(_field_errors(response, "files")), response.context["form"].errors
    assert snapshot() == before


def test_a_bad_annex_file_is_named_on_its_row(client_as, units):
    before = snapshot()
    response = _register(
        client_as("kalem"),
        units,
        **{
            "annex-TOTAL_FORMS": "1",
            "annex-0-kind": "file",
            "annex-0-description": "Ek-1",
            "annex-0-file": SimpleUploadedFile("ek.pdf", b"not a pdf"),
        },
    )
    assert response.status_code == 200
    assert response.context["annexes"].forms[0].errors["file"]
    assert snapshot() == before


def test_a_reference_to_an_unknown_number_is_refused(client_as, units):
    before = snapshot()
    response = _register(
        client_as("kalem"),
        units,
        **{"ref-TOTAL_FORMS": "1", "ref-0-number": "1999/12345"},
    )
    assert response.status_code == 200
    assert response.context["references"].forms[0].errors["number"]
    assert snapshot() == before


def test_a_reference_to_a_registered_document_links_both_ways(client_as, units, doc):
    response = _register(
        client_as("kalem"),
        units,
        **{"ref-TOTAL_FORMS": "1", "ref-0-number": doc.number_label},
    )
    assert response.status_code == 302
    html = (
        client_as("kalem").get(reverse("registry:document-detail", args=[doc.pk])).content.decode()
    )
    assert "Referred to by" in html


def test_outgoing_needs_a_current_form_sayi(client_as, units):
    before = snapshot()
    response = client_as("kalem").post(
        reverse("registry:outgoing-register"),
        {
            "registry": units["bilgi-islem"].pk,
            "medium": "paper",
            "party_kind": "company",
            "party_name": "Firma A.Ş.",
            "subject": "Teklif",
            "secrecy": "none",
            "urgency": "normal",
            "sayi": "12345678-010.01-E.55",
            "annex-TOTAL_FORMS": "0",
            "annex-INITIAL_FORMS": "0",
            "ref-TOTAL_FORMS": "0",
            "ref-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert response.context["form"].errors["sayi"]
    assert snapshot() == before


def test_route_with_a_due_date_before_the_arrival(client_as, people, doc):
    before = snapshot()
    yesterday = (timezone.localdate() - datetime.timedelta(days=1)).strftime("%d.%m.%Y")
    response = client_as("mudur").post(
        reverse("registry:document-route", args=[doc.pk]),
        {"route-action_people": [people["memur"].pk], "route-due_date": yesterday},
    )
    assert response.status_code == 200
    assert "arrival" in " ".join(response.context["route_form"].errors["due_date"])
    assert snapshot() == before


def test_route_without_recipients_or_deadline(client_as, people, doc):
    before = snapshot()
    url = reverse("registry:document-route", args=[doc.pk])
    response = client_as("mudur").post(url, {"route-deadline_basis": "documents"})
    assert response.context["route_form"].errors["action_people"]
    response = client_as("mudur").post(url, {"route-action_people": [people["memur"].pk]})
    assert response.context["route_form"].errors["deadline_basis"]
    assert snapshot() == before


def test_routing_a_closed_document_is_refused(client_as, people, routing, doc):
    services.routing_close(actor=people["memur"], routing=routing, outcome="Tamam")
    before = snapshot()
    response = client_as("mudur").post(
        reverse("registry:document-route", args=[doc.pk]),
        {"route-action_people": [people["yazilim"].pk], "route-deadline_basis": "documents"},
    )
    assert response.status_code == 200
    assert "closed" in " ".join(response.context["route_form"].non_field_errors())
    assert snapshot() == before


def test_closing_for_action_needs_an_outcome(client_as, routing):
    before = snapshot()
    response = client_as("memur").post(
        reverse("registry:routing-close", args=[routing.pk]), {f"close-{routing.pk}-outcome": ""}
    )
    assert response.status_code == 200
    assert snapshot() == before
    assert Routing.objects.get(pk=routing.pk).status == "open"


def test_returning_needs_a_reason(client_as, routing):
    before = snapshot()
    response = client_as("memur").post(
        reverse("registry:routing-return", args=[routing.pk]), {f"return-{routing.pk}-reason": ""}
    )
    assert response.status_code == 200
    assert "reason" in str(response.content.decode()).lower()
    assert snapshot() == before


def test_acknowledging_someone_else_s_custody_is_refused(client_as, people, doc):
    custody = services.custody_hand_over(
        actor=people["kalem"], document=doc, to_person=people["memur"]
    )
    before = snapshot()
    url = reverse("registry:custody-acknowledge", args=[custody.pk])
    assert client_as("yazilim").post(url).status_code == 403
    assert snapshot() == before
    assert client_as("memur").post(url).status_code == 302
    custody.refresh_from_db()
    assert custody.acknowledged_by == people["memur"]


def test_the_registry_records_a_scanned_zimmet_list(client_as, people, doc):
    custody = services.custody_hand_over(
        actor=people["kalem"], document=doc, to_person=people["memur"]
    )
    url = reverse("registry:custody-acknowledge", args=[custody.pk])
    before = snapshot()
    bad = client_as("kalem").post(
        url, {f"ack-{custody.pk}-proof": SimpleUploadedFile("liste.pdf", b"")}
    )
    assert bad.status_code == 200
    assert snapshot() == before
    good = client_as("kalem").post(url, {f"ack-{custody.pk}-proof": pdf("liste.pdf")})
    assert good.status_code == 302
    custody.refresh_from_db()
    assert custody.proof is not None


def test_hand_over_needs_exactly_one_receiver(client_as, people, units, doc):
    before = snapshot()
    response = client_as("kalem").post(
        reverse("registry:custody-hand-over", args=[doc.pk]),
        {"hand-to_person": people["memur"].pk, "hand-to_unit": units["yazi-isleri"].pk},
    )
    assert response.status_code == 200
    assert response.context["hand_over_form"].errors["to_person"]
    assert snapshot() == before


def test_a_note_with_a_mismatched_file(client_as, routing, doc):
    before = snapshot()
    response = client_as("memur").post(
        reverse("registry:note-add", args=[doc.pk]),
        {"note-text": "Ekte", "note-file": SimpleUploadedFile("not.pdf", b"GIF89a....")},
    )
    assert response.status_code == 200
    assert response.context["note_form"].errors["file"]
    assert snapshot() == before


def test_eyp_refusal_lists_every_reason_and_registers_nothing(client_as):
    before = snapshot()
    response = client_as("kalem").post(
        reverse("registry:eyp-import"),
        {"file": SimpleUploadedFile("paket.eyp", b"PK\x03\x04 this is not a real package")},
    )
    assert response.status_code == 200
    html = response.content.decode()
    assert 'class="refusal-reasons"' in html
    assert len(response.context["form"].errors["file"]) >= 1
    assert snapshot() == before


def test_eyp_needs_an_eyp_file(client_as):
    response = client_as("kalem").post(reverse("registry:eyp-import"), {"file": pdf("yazi.pdf")})
    assert response.context["form"].errors["file"]


def test_the_official_sample_package_is_registered(client_as):
    from pathlib import Path

    from bilgiislem.registry.models import Document

    sample = Path(__file__).resolve().parent / "data" / "official-sample-2025.eyp"
    if not sample.exists():
        pytest.skip("the official sample is kept with the EYP reader's tests")
    response = client_as("kalem").post(
        reverse("registry:eyp-import"),
        {"file": SimpleUploadedFile("ornek.eyp", sample.read_bytes())},
    )
    assert response.status_code == 302, response.context["form"].errors
    document = Document.objects.get(eyp_belge_id__gt="")
    assert document.files.filter(role="eyp_package").exists()
