"""The intake and knowledge API over real HTTP: the public form and its confirmation,
partner accounts, letters → requests → replies, satisfaction, articles. Bad input answers
400 naming the field with nothing written; what a person may not see answers 404."""

import re

import pytest
from django.core import mail
from rest_framework.test import APIClient

from bilgiislem.correspondence.models import Letter
from bilgiislem.organization.models import Person
from bilgiislem.servicedesk.models import KnowledgeArticle, Ticket
from bilgiislem.servicedesk.services import intake

from ._partners import (
    EXE,
    incoming_letter,
    media,
    muhtar,
    muhtarlik,
    pdf,
    school,
    teacher,
)

__all__ = ["incoming_letter", "media", "muhtar", "muhtarlik", "school", "teacher"]

API = "/api/servicedesk"


@pytest.fixture
def api(db):
    def as_(user=None):
        client = APIClient()
        if user is not None:
            if isinstance(user, str):
                user = Person.objects.get(username=user)
            client.force_authenticate(user)
        return client

    return as_


PUBLIC = {
    "name": "Ayşe Yıldız",
    "email": "ayse@karasuanadolu.k12.tr",
    "category": "hardware",
    "title": "Laboratuvar yazıcısı",
    "description": "Yazıcı kağıt sıkıştırıyor.",
}


def test_public_request_and_confirmation(api, queues, school, django_capture_on_commit_callbacks):
    anonymous = api()
    with django_capture_on_commit_callbacks(execute=True):
        response = anonymous.post(f"{API}/intake/public/", PUBLIC, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["state"] == "unconfirmed"
    ticket = Ticket.objects.get()
    # The token is only in the e-mail, never in the answer.
    token = re.search(r"/takip/([\w-]+)/", mail.outbox[0].body).group(1)
    assert token not in response.content.decode()
    assert ticket.confirmation_token_hash not in response.content.decode()
    bad = anonymous.post(f"{API}/intake/confirm/", {"token": "wrong"}, format="json")
    assert bad.status_code == 400 and "token" in bad.json()
    ok = anonymous.post(f"{API}/intake/confirm/", {"token": token}, format="json")
    assert ok.status_code == 200 and ok.json()["state"] == "new"


@pytest.mark.parametrize(
    "changes, field",
    [
        ({"description": "<script>alert(1)</script>"}, "description"),
        ({"email": "yok"}, "email"),
        ({"category": "coffee"}, "category"),
    ],
)
def test_public_bad_input_is_400_naming_the_field(api, queues, changes, field):
    response = api().post(f"{API}/intake/public/", {**PUBLIC, **changes}, format="json")
    assert response.status_code == 400 and field in response.json()
    assert not Ticket.objects.exists() and mail.outbox == []


def test_public_attachments_are_checked(api, queues, media, settings):
    data = {**PUBLIC, "attachments": [pdf("program.pdf", EXE)]}
    response = api().post(f"{API}/intake/public/", data, format="multipart")
    assert response.status_code == 400 and "attachments" in response.json()
    settings.BILGIISLEM_UPLOAD_MAX_BYTES = 20
    data = {**PUBLIC, "attachments": [pdf()]}
    response = api().post(f"{API}/intake/public/", data, format="multipart")
    assert response.status_code == 400 and "attachments" in response.json()
    assert not Ticket.objects.exists()
    settings.BILGIISLEM_UPLOAD_MAX_BYTES = 10_000
    data = {**PUBLIC, "attachments": [pdf()]}
    response = api().post(f"{API}/intake/public/", data, format="multipart")
    assert response.status_code == 201
    assert Ticket.objects.get().attachments.count() == 1


def test_public_endpoint_is_rate_limited(api, queues, settings):
    settings.BILGIISLEM_SERVICEDESK_PUBLIC_RATE = (1, 60)
    client = api()
    assert client.post(f"{API}/intake/public/", PUBLIC, format="json").status_code == 201
    assert client.post(f"{API}/intake/public/", PUBLIC, format="json").status_code == 429
    assert Ticket.objects.count() == 1


def test_partner_account_asks_for_its_own_organisation_only(
    api, queues, school, teacher, muhtarlik, muhtar
):
    client = api(teacher)
    data = {"category": "network", "title": "Ağ yok", "description": "Okulda internet yok."}
    refused = client.post(
        f"{API}/intake/partner/", {**data, "organization": muhtarlik.pk}, format="json"
    )
    assert refused.status_code == 400 and "organization" in refused.json()
    assert not Ticket.objects.exists()
    response = client.post(f"{API}/intake/partner/", data, format="json")
    assert response.status_code == 201
    assert response.json()["organization"] == school.pk
    # Followed by the organisation only.
    listed = client.get(f"{API}/intake/partner-requests/").json()
    assert [t["number"] for t in listed["results"]] == [response.json()["number"]]
    assert api(muhtar).get(f"{API}/intake/partner-requests/").json()["results"] == []
    assert api("memur").get(f"{API}/intake/partner-requests/").status_code == 404
    assert api("memur").post(f"{API}/intake/partner/", data, format="json").status_code == 403
    assert api().get(f"{API}/intake/partner-requests/").status_code in (401, 403)


def test_letter_to_request_to_reply(api, queues, school, people, incoming_letter):
    document = incoming_letter()
    body = {"document": document.pk, "category": "hardware"}
    assert api("yaziisleri").post(f"{API}/intake/from-document/", body).status_code == 404
    response = api("memur").post(f"{API}/intake/from-document/", body, format="json")
    assert response.status_code == 201
    data = response.json()
    assert (data["source_document"], data["state"]) == (document.pk, "new")
    again = api("sef").post(f"{API}/intake/from-document/", body, format="json")
    assert again.status_code == 400 and "document" in again.json()
    ticket = Ticket.objects.get()
    early = api("memur").post(f"{API}/intake/start-reply/", {"ticket": ticket.pk}, format="json")
    assert early.status_code == 400 and "ticket" in early.json()
    Ticket.objects.filter(pk=ticket.pk).update(
        state="resolved", resolution="Onarıldı.", assignee=people["memur"]
    )
    outsider = api("yaziisleri").post(f"{API}/intake/start-reply/", {"ticket": ticket.pk})
    assert outsider.status_code == 404
    response = api("memur").post(f"{API}/intake/start-reply/", {"ticket": ticket.pk}, format="json")
    assert response.status_code == 201
    letter = Letter.objects.get()
    assert response.json() == {"ticket": ticket.pk, "letter": letter.pk}
    assert letter.reply_to == document


def test_satisfaction_api(api, ticket_factory):
    ticket = ticket_factory(state="closed")
    client = api("yaziisleri")
    bad = client.post(
        f"{API}/intake/satisfaction/", {"ticket": ticket.pk, "score": 9}, format="json"
    )
    assert bad.status_code == 400 and "score" in bad.json()
    other = api("memur").post(
        f"{API}/intake/satisfaction/", {"ticket": ticket.pk, "score": 5}, format="json"
    )
    assert other.status_code == 404
    ok = client.post(
        f"{API}/intake/satisfaction/", {"ticket": ticket.pk, "score": 5, "comment": "Süper"}
    )
    assert ok.status_code == 200 and ok.json()["satisfaction"] == 5
    again = client.post(f"{API}/intake/satisfaction/", {"ticket": ticket.pk, "score": 1})
    assert again.status_code == 400
    ticket.refresh_from_db()
    assert ticket.satisfaction == 5


def test_articles_api(api, teacher, ticket_factory, people, queues):
    desk = api("memur")
    created = desk.post(
        f"{API}/articles/",
        {"title": "Yazıcı sürücüsü", "body": "Sürücüyü kurun.", "category": "hardware"},
        format="json",
    )
    assert created.status_code == 201
    article_id = created.json()["id"]
    shared = desk.post(
        f"{API}/articles/",
        {"title": "Okul ağı", "body": "KARASU-OKUL", "category": "wifi", "for_partners": True},
        format="json",
    )
    assert shared.status_code == 201
    assert (
        desk.post(f"{API}/articles/", {"title": "", "body": "x", "category": "other"}).status_code
        == 400
    )
    assert (
        api("yaziisleri")
        .post(f"{API}/articles/", {"title": "x", "body": "y", "category": "other"})
        .status_code
        == 403
    )
    found = api("yaziisleri").get(f"{API}/articles/", {"q": "YAZICI surucusu"}).json()
    assert [a["title"] for a in found["results"]] == ["Yazıcı sürücüsü"]
    partner = api(teacher)
    assert [a["title"] for a in partner.get(f"{API}/articles/").json()["results"]] == ["Okul ağı"]
    assert partner.get(f"{API}/articles/{article_id}/").status_code == 404
    outsider = Person.objects.create_user(username="disaridan", password="x-12345678")
    assert api(outsider).get(f"{API}/articles/").status_code == 404
    patched = desk.patch(f"{API}/articles/{article_id}/", {"published": False}, format="json")
    assert patched.status_code == 200 and patched.json()["published"] is False
    assert api("yaziisleri").get(f"{API}/articles/{article_id}/").status_code == 404
    ticket = ticket_factory(state="resolved", resolution="Kablo değişti.", assignee=people["memur"])
    made = desk.post(f"{API}/articles/from-ticket/", {"ticket": ticket.pk}, format="json")
    assert made.status_code == 201 and made.json()["source_ticket"] == ticket.pk
    assert (
        api("yaziisleri")
        .post(f"{API}/articles/from-ticket/", {"ticket": ticket.pk}, format="json")
        .status_code
        == 404
    )
    assert KnowledgeArticle.objects.count() == 3


def test_public_form_token_lookup_is_rate_limited_too(api, queues, settings):
    settings.BILGIISLEM_SERVICEDESK_PUBLIC_RATE = (2, 60)
    client = api()
    codes = [
        client.post(f"{API}/intake/confirm/", {"token": f"guess-{i}"}, format="json").status_code
        for i in range(3)
    ]
    assert codes == [400, 400, 429]
    assert intake.over_limit("127.0.0.1", scope="token")
