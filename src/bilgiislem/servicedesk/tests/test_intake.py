"""The public form, its e-mail confirmation, partner accounts and the satisfaction question
(issue 6 points 1 and 7; bad input: unconfirmed, a script, an oversize or disguised file, a
partner naming another organisation)."""

import datetime
import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.organization.models import Person
from bilgiislem.servicedesk.models import (
    DailyQueueStat,
    Notification,
    Ticket,
    TicketAttachment,
    TicketEntry,
)
from bilgiislem.servicedesk.querysets import tickets
from bilgiislem.servicedesk.services import intake, satisfaction

from ._partners import EXE, english, make_member, media, muhtar, muhtarlik, pdf, school, teacher
from .conftest import tr

__all__ = ["english", "media", "muhtar", "muhtarlik", "school", "teacher"]

SITE = "https://ebys.karasu.bel.tr/"


def submit(**changes):
    values = {
        "name": "Ayşe Yıldız",
        "email": "ayse@karasuanadolu.k12.tr",
        "phone": "0264 000 00 00",
        "category": "hardware",
        "title": "Laboratuvar yazıcısı",
        "description": "Yazıcı kağıt sıkıştırıyor.",
        "site_url": SITE,
    }
    values.update(changes)
    return intake.public_request_submit(**values)


def fresh(username):
    """A new person object: its per-request permission caches start empty."""
    return Person.objects.get(username=username)


def link_token(message) -> str:
    return re.search(r"/destek/basvuru/takip/([\w-]+)/", message.body).group(1)


# --- the public form: submit and confirm ----------------------------------------------------


def test_public_request_waits_unconfirmed_until_the_link_is_followed(
    queues, school, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        ticket, token = submit()
    ticket.refresh_from_db()
    assert ticket.state == "unconfirmed"
    assert ticket.channel == "public_form"
    assert ticket.organization == school  # matched by the e-mail domain
    assert ticket.queue == queues["teknik"]
    # Only the hash is stored; the e-mailed link carries the token itself.
    assert ticket.confirmation_token_hash == intake.token_hash(token) != token
    assert [m.to for m in mail.outbox] == [["ayse@karasuanadolu.k12.tr"]]
    assert link_token(mail.outbox[0]) == token
    assert mail.outbox[0].body.count(SITE.rstrip("/") + "/destek/basvuru/takip/") == 1
    # Unconfirmed: no clock, not counted, nobody told, not in the organisation's list.
    assert ticket.response_due_at is None and ticket.confirmed_at is None
    assert not DailyQueueStat.objects.exists()
    assert not Notification.objects.filter(ticket=ticket).exists()
    assert not intake.organization_requests(
        type("M", (), {"organization_id": school.pk})()
    ).exists()
    technician = fresh("memur")  # works the Teknik Destek queue
    assert not tickets().visible_to(technician).filter(pk=ticket.pk).exists()
    assert AuditEvent.objects.filter(
        action="servicedesk.ticket.submitted", object_id=str(ticket.pk)
    ).exists()

    confirmed = intake.public_request_confirm(token=token)
    assert confirmed.state == "new" and confirmed.confirmed_at is not None
    assert confirmed.needs_acceptance  # the school has no agreement yet
    assert DailyQueueStat.objects.get(queue=queues["teknik"]).opened == 1
    assert Notification.objects.filter(ticket=ticket, person__username="sef").exists()
    assert tickets().visible_to(fresh("memur")).filter(pk=ticket.pk).exists()
    assert AuditEvent.objects.filter(action="servicedesk.ticket.confirmed").count() == 1
    # Following the link again changes nothing.
    assert intake.public_request_confirm(token=token).state == "new"
    assert AuditEvent.objects.filter(action="servicedesk.ticket.confirmed").count() == 1
    assert DailyQueueStat.objects.get(queue=queues["teknik"]).opened == 1


def test_confirmation_starts_the_clock_under_the_organisation_s_agreement(queues, school, people):
    from bilgiislem.servicedesk.models import AgreementTarget, ServiceAgreement

    agreement = ServiceAgreement.objects.create(
        organization=school,
        title="Okul protokolü",
        valid_from=datetime.date(2024, 1, 1),
        created_by=people["mudur"],
    )
    AgreementTarget.objects.create(
        agreement=agreement, priority="normal", response_minutes=240, resolution_minutes=1080
    )
    _ticket, token = submit()
    ticket = intake.public_request_confirm(token=token)
    assert ticket.agreement == agreement and not ticket.needs_acceptance
    assert ticket.response_due_at is not None and ticket.resolution_due_at is not None


def test_an_expired_or_unknown_link_confirms_nothing(queues, school):
    ticket, token = submit()
    later = timezone.now() + datetime.timedelta(days=intake.confirm_days(), minutes=1)
    with pytest.raises(DomainError) as err:
        intake.public_request_confirm(token=token, now=later)
    assert "token" in err.value.errors
    with pytest.raises(DomainError):
        intake.public_request_confirm(token="not-a-token")
    ticket.refresh_from_db()
    assert ticket.state == "unconfirmed" and ticket.confirmed_at is None


@pytest.mark.parametrize(
    "field, value",
    [
        ("description", "Yazıcı bozuk <script>alert(1)</script>"),
        ("description", "Şuraya bakın: <a href='x' onclick='y'>tıkla</a>"),
        ("description", "javascript:alert(document.cookie)"),
        ("title", "<img src=x onerror=alert(1)>"),
        ("name", "<b>Ayşe</b>"),
    ],
)
def test_markup_or_a_script_is_refused_naming_the_field(queues, field, value):
    with pytest.raises(DomainError) as err:
        submit(**{field: value})
    assert list(err.value.errors) == [field]
    assert not Ticket.objects.exists()
    assert mail.outbox == []


def test_plain_text_with_comparisons_is_accepted(queues):
    ticket, _token = submit(description="Ekran 1 < 2 değil; sıcaklık > 40 derece.")
    assert ticket.description.startswith("Ekran 1 < 2")


def test_oversize_or_disguised_attachments_are_refused_and_nothing_is_kept(queues, media, settings):
    with pytest.raises(DomainError) as err:
        submit(attachments=[pdf("program.pdf", EXE)])
    assert list(err.value.errors) == ["attachments"]
    assert "program.pdf" in err.value.errors["attachments"][0]
    with pytest.raises(DomainError) as err:
        submit(attachments=[pdf("ariza.exe", EXE)])
    assert list(err.value.errors) == ["attachments"]
    settings.BILGIISLEM_UPLOAD_MAX_BYTES = 20
    with pytest.raises(DomainError) as err:
        submit(attachments=[pdf()])
    assert list(err.value.errors) == ["attachments"]
    assert not Ticket.objects.exists() and not TicketAttachment.objects.exists()
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))


def test_a_checked_attachment_is_stored_with_the_request(queues, media):
    ticket, _token = submit(attachments=[pdf()])
    (attachment,) = ticket.attachments.all()
    assert (attachment.filename, attachment.content_type) == ("ariza.pdf", "application/pdf")
    assert attachment.uploaded_by is None and not attachment.internal


def test_a_domain_of_one_organisation_cannot_ask_for_another(queues, school, muhtarlik):
    with pytest.raises(DomainError) as err:
        submit(organization=muhtarlik)
    assert list(err.value.errors) == ["organization"]
    assert not Ticket.objects.exists()
    # An address of no known domain may name the organisation it asks for.
    ticket, _token = submit(email="muhtar.yali@gmail.com", organization=muhtarlik)
    assert ticket.organization == muhtarlik


def test_bad_e_mail_and_category_are_named(queues):
    with pytest.raises(DomainError) as err:
        submit(email="not-an-address")
    assert list(err.value.errors) == ["email"]
    with pytest.raises(DomainError) as err:
        submit(category="coffee")
    assert list(err.value.errors) == ["category"]


# --- partner accounts ------------------------------------------------------------------------


def test_partner_asks_for_its_own_organisation(queues, school, teacher):
    ticket = intake.partner_request_create(
        actor=teacher, category="network", title="İnternet yok", description="Okulda ağ yok."
    )
    assert (ticket.state, ticket.channel) == ("new", "partner")
    assert ticket.organization == school and ticket.requester == teacher
    assert ticket.queue == queues["sistem"]
    assert AuditEvent.objects.filter(
        action="servicedesk.ticket.created", object_id=str(ticket.pk)
    ).exists()


def test_partner_naming_another_organisation_is_refused(queues, school, teacher, muhtarlik):
    with pytest.raises(DomainError) as err:
        intake.partner_request_create(
            actor=teacher,
            organization=muhtarlik,
            category="network",
            title="İnternet yok",
            description="Muhtarlıkta ağ yok.",
        )
    assert list(err.value.errors) == ["organization"]
    assert not Ticket.objects.exists()


def test_staff_are_not_partner_accounts(queues, people):
    with pytest.raises(PermissionDeniedError):
        intake.partner_request_create(
            actor=people["memur"], category="network", title="x", description="y"
        )


# --- satisfaction ----------------------------------------------------------------------------


def test_satisfaction_once_by_the_requester_after_close(ticket_factory, people):
    ticket = ticket_factory(state="resolved")
    with pytest.raises(DomainError) as err:
        satisfaction.satisfaction_give(actor=people["yaziisleri"], ticket=ticket, score=5)
    assert list(err.value.errors) == ["score"]
    Ticket.objects.filter(pk=ticket.pk).update(state="closed")
    ticket.refresh_from_db()
    with pytest.raises(PermissionDeniedError):
        satisfaction.satisfaction_give(actor=people["memur"], ticket=ticket, score=5)
    for bad in (0, 6, "çok"):
        with pytest.raises(DomainError) as err:
            satisfaction.satisfaction_give(actor=people["yaziisleri"], ticket=ticket, score=bad)
        assert list(err.value.errors) == ["score"]
    rated = satisfaction.satisfaction_give(
        actor=people["yaziisleri"], ticket=ticket, score=4, comment="Hızlıydı."
    )
    assert (rated.satisfaction, rated.satisfaction_comment) == (4, "Hızlıydı.")
    with pytest.raises(DomainError):
        satisfaction.satisfaction_give(actor=people["yaziisleri"], ticket=ticket, score=1)
    rated.refresh_from_db()
    assert rated.satisfaction == 4
    assert AuditEvent.objects.filter(action="servicedesk.ticket.rated").count() == 1


# --- the pages -------------------------------------------------------------------------------


def form_data(**changes):
    data = {
        "name": "Ayşe Yıldız",
        "email": "ayse@karasuanadolu.k12.tr",
        "category": "hardware",
        "title": "Laboratuvar yazıcısı",
        "description": "Yazıcı kağıt sıkıştırıyor.",
        "website": "",
    }
    data.update(changes)
    return data


def test_public_form_page_sends_a_confirmation_and_the_link_confirms(
    client, queues, school, django_capture_on_commit_callbacks
):
    url = reverse("servicedesk:public-form")
    assert client.get(url).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, form_data(attachments=[pdf()]))
    assert response.status_code == 302 and response["Location"] == reverse(
        "servicedesk:public-sent"
    )
    ticket = Ticket.objects.get()
    assert ticket.state == "unconfirmed" and ticket.attachments.count() == 1
    token = link_token(mail.outbox[0])
    follow = reverse("servicedesk:public-confirm", args=[token])
    # Opening the link (a mail scanner would) does not confirm; the button does.
    page = client.get(follow)
    assert page.status_code == 200 and page["Referrer-Policy"] == "no-referrer"
    assert 'value="confirm"' in page.content.decode()
    ticket.refresh_from_db()
    assert ticket.state == "unconfirmed"
    assert client.post(follow, {"action": "confirm"}).status_code == 302
    ticket.refresh_from_db()
    assert ticket.state == "new"
    assert ticket.number_label in client.get(follow).content.decode()


def test_public_form_is_csrf_protected(queues):
    response = Client(enforce_csrf_checks=True).post(
        reverse("servicedesk:public-form"), form_data()
    )
    assert response.status_code == 403
    assert not Ticket.objects.exists()


def test_honeypot_looks_sent_but_records_nothing(client, queues):
    response = client.post(reverse("servicedesk:public-form"), form_data(website="http://spam"))
    assert response.status_code == 302
    assert not Ticket.objects.exists() and mail.outbox == []


def test_public_form_is_rate_limited_per_address(client, queues, settings):
    settings.BILGIISLEM_SERVICEDESK_PUBLIC_RATE = (2, 60)
    url = reverse("servicedesk:public-form")
    for _ in range(2):
        assert client.post(url, form_data()).status_code == 302
    assert client.post(url, form_data()).status_code == 429
    assert Ticket.objects.count() == 2
    # Another address still may.
    assert client.post(url, form_data(), REMOTE_ADDR="10.0.0.9").status_code == 302


def test_public_form_shows_the_refusal_on_the_field(client, queues, english):
    response = client.post(
        reverse("servicedesk:public-form"), form_data(description="<script>x</script>")
    )
    assert response.status_code == 400
    assert response.context["form"].errors["description"] == [
        tr("Write plain text: HTML tags and scripts are not accepted.")
    ]
    assert not Ticket.objects.exists()


def test_unknown_link_is_404(client, queues):
    response = client.get(reverse("servicedesk:public-confirm", args=["nope"]))
    assert response.status_code == 404


def test_public_sender_answers_and_rates_through_the_link(client, queues, english):
    ticket, token = submit()
    intake.public_request_confirm(token=token)
    follow = reverse("servicedesk:public-confirm", args=[token])
    response = client.post(follow, {"action": "reply", "reply-text": "Hâlâ bozuk."})
    assert response.status_code == 302
    assert TicketEntry.objects.get(ticket=ticket, kind="reply").text == "Hâlâ bozuk."
    bad = client.post(follow, {"action": "reply", "reply-text": "<script>x</script>"})
    assert bad.status_code == 400 and TicketEntry.objects.filter(ticket=ticket).count() == 1
    # Internal notes never reach the sender's page.
    TicketEntry.objects.create(ticket=ticket, kind="note", text="GİZLİ NOT")
    assert "GİZLİ NOT" not in client.get(follow).content.decode()
    # Rating: only once closed, only once.
    rate = {"action": "rate", "rate-score": "5", "rate-comment": "Teşekkürler"}
    assert client.post(follow, rate).status_code == 400
    Ticket.objects.filter(pk=ticket.pk).update(state="closed")
    assert client.post(follow, rate).status_code == 302
    ticket.refresh_from_db()
    assert ticket.satisfaction == 5
    assert client.post(follow, {**rate, "rate-score": "1"}).status_code == 400
    ticket.refresh_from_db()
    assert ticket.satisfaction == 5


def test_partner_pages_show_only_the_organisation_s_requests(
    client, queues, school, teacher, muhtar, ticket_factory, people
):
    ours = ticket_factory(organization=school, title="Bizim talep", state="new")
    ticket_factory(organization=school, title="Onaysız talep", state="unconfirmed")
    ticket_factory(organization=muhtar.partner_membership.organization, title="Muhtar talebi")
    ticket_factory(title="Yazı İşleri talebi")
    client.force_login(teacher)
    html = client.get(reverse("servicedesk:partner-home") + "?state=all").content.decode()
    assert "Bizim talep" in html and ours.number_label in html
    assert "Onaysız talep" not in html and "Muhtar talebi" not in html
    assert "Yazı İşleri talebi" not in html
    # Not a partner account: the pages do not exist.
    client.force_login(people["memur"])
    assert client.get(reverse("servicedesk:partner-home")).status_code == 404
    assert client.get(reverse("servicedesk:partner-new")).status_code == 404
    client.logout()
    assert client.get(reverse("servicedesk:partner-home")).status_code == 302  # to the login


def test_partner_new_request_page(client, queues, school, teacher):
    client.force_login(teacher)
    url = reverse("servicedesk:partner-new")
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"category": "software", "title": "e-Okul", "description": "Giriş yapılamıyor."}
    )
    ticket = Ticket.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("servicedesk:ticket-detail", args=[ticket.pk])
    assert (ticket.organization, ticket.requester) == (school, teacher)
    bad = client.post(url, {"category": "software", "title": "x", "description": "<b>x</b>"})
    assert bad.status_code == 400 and Ticket.objects.count() == 1


def test_a_second_partner_account_of_the_same_organisation_follows_its_requests(
    queues, school, teacher
):
    colleague = make_member(school, "mudur.yardimcisi")
    ticket = intake.partner_request_create(
        actor=teacher, category="hardware", title="Projeksiyon", description="Açılmıyor."
    )
    member = intake.partner_membership(colleague)
    assert list(intake.organization_requests(member)) == [ticket]


def test_requester_rates_from_the_request_page(client_as, ticket_factory):
    ticket = ticket_factory(state="closed", resolution="Toner değişti.")
    rate = reverse("servicedesk:satisfaction", args=[ticket.pk])
    client = client_as("yaziisleri")
    html = client.get(reverse("servicedesk:ticket-detail", args=[ticket.pk])).content.decode()
    assert rate in html
    assert client_as("memur").get(rate).status_code == 404
    client = client_as("yaziisleri")
    assert client.post(rate, {"score": "7"}).status_code == 400
    response = client.post(rate, {"score": "3", "comment": "Geç geldi."})
    assert response.status_code == 302
    ticket.refresh_from_db()
    assert (ticket.satisfaction, ticket.satisfaction_comment) == (3, "Geç geldi.")
    html = client.get(reverse("servicedesk:ticket-detail", args=[ticket.pk])).content.decode()
    assert rate not in html and "data-rated" in html


def test_public_sender_s_answer_resumes_a_request_waiting_for_them(queues):
    ticket, token = submit()
    intake.public_request_confirm(token=token)
    paused = timezone.now() - datetime.timedelta(hours=1)
    Ticket.objects.filter(pk=ticket.pk).update(state="waiting_requester", paused_since=paused)
    intake.public_reply_add(token=token, text="Bilgisayar adı LAB-02.")
    ticket.refresh_from_db()
    assert ticket.state == "in_progress" and ticket.paused_since is None
    event = AuditEvent.objects.filter(action="servicedesk.ticket.message").get()
    assert event.changes["state"] == ["waiting_requester", "in_progress"]


def test_requests_never_confirmed_are_cancelled_once_the_link_expired(queues):
    old, _token = submit(now=timezone.now() - datetime.timedelta(days=intake.confirm_days() + 1))
    recent, _token = submit()
    from bilgiislem.servicedesk.tasks import expire_unconfirmed_requests

    assert expire_unconfirmed_requests.call_local() == {"cancelled": 1}
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.state, recent.state) == ("cancelled", "unconfirmed")
    assert intake.unconfirmed_expire() == 0  # nothing twice
