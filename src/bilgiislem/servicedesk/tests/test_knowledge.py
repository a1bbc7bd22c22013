"""The knowledge base (issue 6 point 6): written by the desk, from a resolved request in one
step, searched with Turkish folding; staff read published articles, partners only those
chosen for them, everyone else nothing."""

import pytest
from django.urls import reverse

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization.models import Person
from bilgiislem.servicedesk.models import KnowledgeArticle, Ticket
from bilgiislem.servicedesk.services import knowledge

from ._partners import english, school, teacher

__all__ = ["english", "school", "teacher"]


def fresh(username):
    return Person.objects.get(username=username)


@pytest.fixture
def articles(db, people):
    write = knowledge.article_create
    memur = people["memur"]
    return {
        "printer": write(
            actor=memur,
            title="YAZICI kağıt sıkıştırıyor",
            body="Arka kapağı açın, sıkışan kâğıdı çekin.",
            category="hardware",
        ),
        "wifi": write(
            actor=memur,
            title="Okul kablosuz ağına bağlanma",
            body="Ağ adı KARASU-OKUL; şifre müdürlükten alınır.",
            category="wifi",
            for_partners=True,
        ),
        "draft": write(
            actor=memur,
            title="Sunucu yedeği geri yükleme",
            body="Taslak.",
            category="network",
            published=False,
        ),
    }


def titles(qs):
    return sorted(a.title for a in qs)


def test_search_folds_turkish_letters_and_case(articles, people):
    memur = people["memur"]
    for query in ("yazici", "YAZICI", "yazıcı", "Yazıcı kagit", "sikisan KÂĞIDI"):
        assert titles(knowledge.article_search(memur, query)) == ["YAZICI kağıt sıkıştırıyor"]
    assert titles(knowledge.article_search(memur, "yazıcı kablosuz")) == []
    assert titles(knowledge.article_search(memur, "", "wifi")) == ["Okul kablosuz ağına bağlanma"]


def test_who_reads_which_article(articles, people, teacher):
    all_three = titles(KnowledgeArticle.objects.all())
    assert titles(knowledge.articles_visible_to(fresh("memur"))) == all_three
    assert titles(knowledge.articles_visible_to(fresh("yaziisleri"))) == [
        "Okul kablosuz ağına bağlanma",
        "YAZICI kağıt sıkıştırıyor",
    ]
    assert titles(knowledge.articles_visible_to(teacher)) == ["Okul kablosuz ağına bağlanma"]
    outsider = Person.objects.create_user(username="disaridan", password="x-12345678")
    assert not knowledge.articles_visible_to(outsider).exists()
    assert not knowledge.may_read(outsider)


def test_only_the_desk_writes_and_bad_input_names_the_field(people, english):
    with pytest.raises(PermissionDeniedError):
        knowledge.article_create(actor=people["yaziisleri"], title="x", body="y", category="other")
    for field, values in [
        ("title", {"title": " "}),
        ("body", {"body": ""}),
        ("category", {"category": "coffee"}),
    ]:
        data = {"title": "Başlık", "body": "Çözüm", "category": "other", **values}
        with pytest.raises(DomainError) as err:
            knowledge.article_create(actor=people["memur"], **data)
        assert list(err.value.errors) == [field]
    assert not KnowledgeArticle.objects.exists()


def test_article_from_a_resolved_request_in_one_step(ticket_factory, people, queues):
    ticket = ticket_factory(title="Outlook açılmıyor", description="Profil bozuk.")
    with pytest.raises(DomainError) as err:  # not resolved
        knowledge.article_from_ticket(actor=people["memur"], ticket=ticket)
    assert list(err.value.errors) == ["ticket"]
    Ticket.objects.filter(pk=ticket.pk).update(
        state="resolved", resolution="Yeni Outlook profili oluşturuldu.", assignee=people["memur"]
    )
    ticket.refresh_from_db()
    with pytest.raises(PermissionDeniedError):  # the requester does not write articles
        knowledge.article_from_ticket(actor=people["yaziisleri"], ticket=ticket)
    article = knowledge.article_from_ticket(actor=people["memur"], ticket=ticket)
    assert (article.title, article.category, article.source_ticket) == (
        "Outlook açılmıyor",
        "hardware",
        ticket,
    )
    assert "Profil bozuk." in article.body and "Yeni Outlook profili" in article.body
    assert not article.for_partners
    event = AuditEvent.objects.get(action="servicedesk.article.created")
    assert event.changes["source_ticket"] == ticket.pk
    assert knowledge.article_search(people["memur"], "outlook profili").get() == article


def test_update_reindexes_and_audits_what_changed(articles, people):
    article = knowledge.article_update(
        actor=people["sef"],
        article=articles["printer"],
        title="Yazıcıda kâğıt sıkışması",
        body=articles["printer"].body,
        category="hardware",
        for_partners=True,
        published=True,
    )
    assert knowledge.article_search(people["memur"], "sikismasi").get() == article
    event = AuditEvent.objects.get(action="servicedesk.article.updated")
    assert set(event.changes) == {"title", "for_partners"}


# --- the pages -------------------------------------------------------------------------------


def test_pages_search_read_and_write(client_as, articles, people):
    client = client_as("yaziisleri")
    response = client.get(reverse("servicedesk:knowledge") + "?q=yazici")
    assert response.status_code == 200
    assert [a.title for a in response.context["page_obj"]] == ["YAZICI kağıt sıkıştırıyor"]
    assert (
        client.get(reverse("servicedesk:knowledge-detail", args=[articles["draft"].pk])).status_code
        == 404
    )
    assert client.get(reverse("servicedesk:knowledge-new")).status_code == 403
    desk = client_as("memur")
    assert (
        desk.get(reverse("servicedesk:knowledge-detail", args=[articles["draft"].pk])).status_code
        == 200
    )
    response = desk.post(
        reverse("servicedesk:knowledge-new"),
        {"title": "VPN", "category": "network", "body": "İstemciyi kurun.", "published": "on"},
    )
    article = KnowledgeArticle.objects.get(title="VPN")
    assert response["Location"] == reverse("servicedesk:knowledge-detail", args=[article.pk])
    bad = desk.post(
        reverse("servicedesk:knowledge-edit", args=[article.pk]),
        {"title": "", "category": "network", "body": "x"},
    )
    assert bad.status_code == 400 and "title" in bad.context["form"].errors
    article.refresh_from_db()
    assert article.title == "VPN"


def test_pages_for_partners_and_outsiders(client, articles, teacher):
    client.force_login(teacher)
    response = client.get(reverse("servicedesk:knowledge"))
    assert [a.title for a in response.context["page_obj"]] == ["Okul kablosuz ağına bağlanma"]
    printer = reverse("servicedesk:knowledge-detail", args=[articles["printer"].pk])
    assert client.get(printer).status_code == 404
    outsider = Person.objects.create_user(username="disaridan", password="x-12345678")
    client.force_login(outsider)
    assert client.get(reverse("servicedesk:knowledge")).status_code == 404


def test_page_from_a_request_starts_with_its_solution(client_as, ticket_factory, people, queues):
    ticket = ticket_factory(
        state="resolved", resolution="Sürücü güncellendi.", assignee=people["memur"]
    )
    url = reverse("servicedesk:knowledge-from-ticket", args=[ticket.pk])
    client = client_as("memur")
    form = client.get(url).context["form"]
    assert "Sürücü güncellendi." in form.initial["body"]
    response = client.post(
        url,
        {
            "title": ticket.title,
            "category": "hardware",
            "body": form.initial["body"],
            "published": "on",
        },
    )
    assert response.status_code == 302
    assert KnowledgeArticle.objects.get().source_ticket == ticket
    assert client_as("yaziisleri").get(url).status_code == 404
