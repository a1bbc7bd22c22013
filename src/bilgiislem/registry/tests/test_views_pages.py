"""Registry pages render for the people allowed to use them; lists are bounded and sorted."""

# The fixtures are imported from test_views_support; pytest injects them by name.
# ruff: noqa: F811

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from bilgiislem.audit.models import AuditEvent
from bilgiislem.registry import services
from bilgiislem.registry.choices import Purpose, Secrecy
from bilgiislem.registry.models import Document, Routing

from .test_views_support import (  # noqa: F401 (fixtures)
    doc,
    english,
    handed_over,
    media,
    pdf,
    register,
    routing,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]


@pytest.mark.parametrize(
    ("username", "name", "needs_doc"),
    [
        ("kalem", "document-list", False),
        ("memur", "document-list", False),
        ("kalem", "document-register", False),
        ("kalem", "outgoing-register", False),
        ("kalem", "eyp-import", False),
        ("mudur", "oversight", False),
        ("sef", "oversight", False),
        ("mudur", "document-detail", True),
        ("kalem", "document-detail", True),
        ("memur", "document-detail", True),
    ],
)
def test_page_renders(client_as, people, units, username, name, needs_doc):
    args = [register(people, units).pk] if needs_doc else []
    response = client_as(username).get(reverse(f"registry:{name}", args=args))
    assert response.status_code == 200
    html = response.content.decode()
    assert "<h1>" in html
    assert any(tag in html for tag in ("<label", "<table", "<dl", 'class="empty"'))


def test_register_page_hides_the_registry_when_there_is_only_one(client_as):
    html = client_as("kalem").get(reverse("registry:document-register")).content.decode()
    assert 'type="hidden" name="registry"' in html
    assert 'name="party_identifier"' in html and "hx-get" in html


def test_people_without_a_registry_may_not_register(client_as):
    assert client_as("memur").get(reverse("registry:document-register")).status_code == 403
    assert client_as("memur").get(reverse("registry:eyp-import")).status_code == 403


def test_oversight_is_for_the_chief_and_the_director(client_as):
    assert client_as("memur").get(reverse("registry:oversight")).status_code == 403
    assert client_as("kalem").get(reverse("registry:oversight")).status_code == 403


def test_list_shows_incoming_and_outgoing_tabs(client_as, people, units):
    incoming = register(people, units, subject="Gelen bir yazı")
    outgoing = register(
        people,
        units,
        subject="Giden bir yazı",
        direction="outgoing",
        sayi="E-00000001-010.01-7",
    )
    client = client_as("kalem")
    html = client.get(reverse("registry:document-list")).content.decode()
    assert incoming.subject in html and outgoing.subject not in html
    html = client.get(reverse("registry:document-list") + "?direction=outgoing").content.decode()
    assert outgoing.subject in html and incoming.subject not in html


def test_list_search_folds_turkish_letters(client_as, people, units):
    register(people, units, subject="ŞİKAYET DİLEKÇESİ")
    register(people, units, subject="Yazıcı arızası")
    html = client_as("kalem").get(reverse("registry:document-list") + "?q=sikayet").content.decode()
    assert "ŞİKAYET DİLEKÇESİ" in html
    assert "Yazıcı arızası" not in html


def test_list_sorts_by_subject_and_exports_csv(client_as, people, units):
    register(people, units, subject="Zabıta yazısı")
    register(people, units, subject="Arşiv yazısı")
    client = client_as("kalem")
    html = client.get(reverse("registry:document-list") + "?sort=subject").content.decode()
    assert html.index("Arşiv yazısı") < html.index("Zabıta yazısı")
    html = client.get(reverse("registry:document-list") + "?sort=-subject").content.decode()
    assert html.index("Zabıta yazısı") < html.index("Arşiv yazısı")
    response = client.get(reverse("registry:document-list") + "?sort=subject&format=csv")
    assert response["Content-Type"].startswith("text/csv")
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert body.index("Arşiv yazısı") < body.index("Zabıta yazısı")


def test_list_pages_by_fifty_with_bounded_queries(
    client_as, people, units, django_assert_max_num_queries
):
    for i in range(55):
        register(people, units, subject=f"Yazı {i}")
    client = client_as("kalem")
    client.get(reverse("registry:document-list"))  # warm caches that are per process
    with django_assert_max_num_queries(20):
        response = client.get(reverse("registry:document-list"))
    assert len(response.context["documents"]) == 50
    assert response.context["page_obj"].paginator.count == 55
    response = client.get(reverse("registry:document-list") + "?page=2")
    assert len(response.context["documents"]) == 5


def test_list_never_shows_another_directorate_s_documents(client_as, people, units):
    theirs = register(people, units, registry="yazi-isleri", subject="Yazı İşleri kaydı")
    html = client_as("memur").get(reverse("registry:document-list")).content.decode()
    assert theirs.subject not in html


def test_detail_shows_routing_custody_and_audit(client_as, routing, doc):
    html = (
        client_as("mudur").get(reverse("registry:document-detail", args=[doc.pk])).content.decode()
    )
    assert "Gereğini rica ederim." in html
    assert "registry.document.registered" in html
    assert "registry.routing.created" in html
    assert "Ali" in html  # memur's name in the routing history and the custody chain


def test_opening_marks_the_routing_read(client_as, routing, doc):
    assert routing.read_at is None
    client_as("memur").get(reverse("registry:document-detail", args=[doc.pk]))
    routing.refresh_from_db()
    assert routing.read_at is not None


def test_actions_offered_follow_the_posts(client_as, routing, doc):
    memur = client_as("memur").get(reverse("registry:document-detail", args=[doc.pk]))
    html = memur.content.decode()
    assert reverse("registry:routing-close", args=[routing.pk]) in html
    assert reverse("registry:document-route", args=[doc.pk]) not in html
    html = (
        client_as("mudur").get(reverse("registry:document-detail", args=[doc.pk])).content.decode()
    )
    assert reverse("registry:document-route", args=[doc.pk]) in html
    assert reverse("registry:routing-close", args=[routing.pk]) not in html
    html = (
        client_as("yazilim")
        .get(reverse("registry:document-detail", args=[doc.pk]))
        .content.decode()
    )
    for name, arg in (
        ("routing-close", routing.pk),
        ("document-route", doc.pk),
        ("note-add", doc.pk),
        ("custody-hand-over", doc.pk),
    ):
        assert reverse(f"registry:{name}", args=[arg]) not in html


def test_gizli_document_is_hidden_from_the_clerk_and_its_opening_audited(client_as, people, units):
    secret = register(people, units, secrecy=Secrecy.GIZLI, subject="Disiplin soruşturması")
    assert (
        client_as("kalem").get(reverse("registry:document-detail", args=[secret.pk])).status_code
        == 404
    )
    list_html = client_as("kalem").get(reverse("registry:document-list")).content.decode()
    assert "Disiplin soruşturması" not in list_html
    before = AuditEvent.objects.filter(action="registry.document.viewed").count()
    response = client_as("mudur").get(reverse("registry:document-detail", args=[secret.pk]))
    assert response.status_code == 200
    viewed = AuditEvent.objects.filter(action="registry.document.viewed")
    assert viewed.count() == before + 1
    assert viewed.first().object_id == str(secret.pk)


def test_registering_a_gizli_document_lands_on_the_list(client_as, units):
    response = client_as("kalem").post(
        reverse("registry:document-register"),
        {
            "registry": units["bilgi-islem"].pk,
            "medium": "paper",
            "party_kind": "person",
            "party_name": "Vatandaş",
            "subject": "Gizli şikayet",
            "secrecy": "gizli",
            "urgency": "normal",
            "annex-TOTAL_FORMS": "0",
            "annex-INITIAL_FORMS": "0",
            "ref-TOTAL_FORMS": "0",
            "ref-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("registry:document-list")
    assert Document.objects.filter(subject="Gizli şikayet", secrecy="gizli").exists()


def test_file_download_is_an_attachment_for_visible_documents_only(client_as, people, units, media):
    document = register(people, units, medium="electronic", uploads=[(pdf(), "main")])
    stored = document.files.get()
    url = reverse("registry:file-download", args=[document.pk, stored.pk])
    response = client_as("memur").get(url)
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment")
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert client_as("yaziisleri").get(url).status_code == 404
    other = register(people, units)
    wrong = reverse("registry:file-download", args=[other.pk, stored.pk])
    assert client_as("memur").get(wrong).status_code == 404


def test_oversight_lists_overdue_first_with_the_word(client_as, people, units, settings):
    from django.utils import translation

    late = register(people, units, subject="Geç kalan yazı")
    soon = register(people, units, subject="Zamanı olan yazı")
    [r_late] = services.routing_create(
        actor=people["mudur"],
        document=late,
        recipients=[(people["memur"], Purpose.ACTION)],
        deadline_basis="documents",
    )
    services.routing_create(
        actor=people["mudur"],
        document=soon,
        recipients=[(people["memur"], Purpose.ACTION)],
        deadline_basis="opinion",
    )
    # The due date passed: written straight to the row, as time would have done it.
    Routing.objects.filter(pk=r_late.pk).update(
        due_date=timezone.localdate() - datetime.timedelta(days=2)
    )
    settings.LANGUAGE_CODE = "tr"
    with translation.override("tr"):
        html = client_as("sef").get(reverse("registry:oversight")).content.decode()
    assert "Geç kalan yazı" in html, html
    assert html.index("Geç kalan yazı") < html.index("Zamanı olan yazı")
    assert 'class="overdue"' in html
    assert "gecikmiş" in html


def test_identifier_check_answers_as_you_type(client_as):
    client = client_as("kalem")
    url = reverse("registry:identifier-check")
    bad = client.get(
        url,
        {"field": "party_identifier", "party_kind": "person", "party_identifier": "12345678901"},
    )
    assert "field-error" in bad.content.decode()
    good = client.get(
        url,
        {"field": "party_identifier", "party_kind": "person", "party_identifier": "10000000146"},
    )
    assert "check-ok" in good.content.decode()
    sayi = client.get(url, {"field": "sayi", "sayi": "E-67915368-903.07.02-4752"})
    assert "903.07.02" in sayi.content.decode()
    assert "field-error" in client.get(url, {"field": "sayi", "sayi": "12/34"}).content.decode()


def test_the_whole_flow_through_the_pages(client_as, people, units, media):
    """kalem registers, mudur routes to memur, memur closes: the document is done."""

    # The fixtures are imported from test_views_support; pytest injects them by name.
    # ruff: noqa: F811
    client = client_as("kalem")
    response = client.post(
        reverse("registry:document-register"),
        {
            "registry": units["bilgi-islem"].pk,
            "medium": "paper",
            "party_kind": "public_body",
            "party_name": "Sakarya Valiliği",
            "party_identifier": "12345678",
            "sayi": "E-12345678-010.01-99",
            "document_date": timezone.localdate().strftime("%d.%m.%Y"),
            "subject": "Envanter bilgisi istenmesi",
            "sdp_code": "010.01",
            "secrecy": "none",
            "urgency": "normal",
            "paper_location": "Dolap 1",
            "scan": pdf("tarama.pdf"),
            "annex-TOTAL_FORMS": "1",
            "annex-INITIAL_FORMS": "0",
            "annex-0-kind": "physical",
            "annex-0-description": "1 adet CD",
            "ref-TOTAL_FORMS": "1",
            "ref-INITIAL_FORMS": "0",
            "ref-0-sayi": "E-12345678-010.01-50",
            "ref-0-date": "01.02.2025",
        },
    )
    assert response.status_code == 302, response.content.decode()
    document = Document.objects.get(subject="Envanter bilgisi istenmesi")
    assert document.annexes.get().kind == "physical"
    assert document.references.get().sayi == "E-12345678-010.01-50"
    assert document.files.get().role == "scan"

    client = client_as("mudur")
    response = client.post(
        reverse("registry:document-route", args=[document.pk]),
        {
            "route-action_people": [people["memur"].pk],
            "route-info_people": [people["sef"].pk],
            "route-instruction": "Gereği",
            "route-deadline_basis": "documents",
        },
    )
    assert response.status_code == 302, response.content.decode()
    action = document.routings.get(purpose="action")
    assert action.due_date is not None

    client = client_as("memur")
    response = client.post(
        reverse("registry:routing-close", args=[action.pk]),
        {f"close-{action.pk}-outcome": "Envanter listesi gönderildi."},
    )
    assert response.status_code == 302, response.content.decode()
    document.refresh_from_db()
    assert document.status == "done"
    html = client.get(reverse("registry:document-detail", args=[document.pk])).content.decode()
    assert 'data-status="done"' in html
