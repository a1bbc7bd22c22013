"""Notices (issue 6 point 7): in-app rows at once, e-mail only after the action commits."""

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import transaction

from bilgiislem.servicedesk.models import Notification
from bilgiislem.servicedesk.services.notify import notification_mark_read, notify, notify_requester


class BrokenBackend(BaseEmailBackend):
    def send_messages(self, messages):
        raise OSError("mail server down")


def test_notify_writes_one_row_per_person_and_mails_after_commit(
    ticket_factory, people, django_capture_on_commit_callbacks
):
    ticket = ticket_factory(title="Yazıcı arızası")
    sef, memur = people["sef"], people["memur"]
    sef.email, memur.email = "sef@karasu.bel.tr", ""
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        notices = notify(ticket, [sef, None, memur, sef], "Talep size atandı.")
    assert len(callbacks) == 1
    assert sorted(n.person.username for n in notices) == ["memur", "sef"]
    assert Notification.objects.filter(ticket=ticket).count() == 2
    # Only people with an address are mailed; the subject names the request.
    assert [m.to for m in mail.outbox] == [["sef@karasu.bel.tr"]]
    assert ticket.number_label in mail.outbox[0].subject
    assert "Talep size atandı." in mail.outbox[0].body


def test_nothing_is_mailed_when_the_action_rolls_back(ticket_factory, people):
    ticket = ticket_factory()
    people["sef"].email = "sef@karasu.bel.tr"
    with pytest.raises(RuntimeError), transaction.atomic():
        notify(ticket, [people["sef"]], "Talep size atandı.")
        raise RuntimeError("the action failed")
    assert mail.outbox == []
    assert not Notification.objects.filter(ticket=ticket).exists()


def test_public_sender_is_mailed_at_their_address(
    ticket_factory, django_capture_on_commit_callbacks
):
    ticket = ticket_factory(
        requester=None,
        requester_unit=None,
        channel="public_form",
        contact_name="Ayşe Öğretmen",
        contact_email="ayse@karasuanadolu.k12.tr",
    )
    with django_capture_on_commit_callbacks(execute=True):
        notices = notify_requester(ticket, "Talebiniz çözüldü.")
    assert notices == []  # no account, no in-app notice
    assert [m.to for m in mail.outbox] == [["ayse@karasuanadolu.k12.tr"]]


def test_a_mail_server_failure_keeps_the_notice(
    ticket_factory, people, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.BrokenBackend"
    people["sef"].email = "sef@karasu.bel.tr"
    ticket = ticket_factory()
    with django_capture_on_commit_callbacks(execute=True):
        notify(ticket, [people["sef"]], "Yeni talep.")
    assert Notification.objects.filter(ticket=ticket, person=people["sef"]).exists()


def test_mark_read_touches_only_the_actor_s_notices(ticket_factory, people):
    ticket = ticket_factory()
    notify(ticket, [people["sef"], people["memur"]], "Yeni talep.")
    assert notification_mark_read(actor=people["sef"]) == 1
    assert Notification.objects.get(person=people["sef"]).read_at is not None
    assert Notification.objects.get(person=people["memur"]).read_at is None
