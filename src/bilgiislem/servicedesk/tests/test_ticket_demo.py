"""The production set-up (queues from the setting + the internal agreement) and the demo on
top of it (partners, the school's account, sample requests); both idempotent."""

import io

import pytest
from django.core.management import CommandError, call_command

from bilgiislem.audit.models import AuditEvent
from bilgiislem.servicedesk.choices import TicketState
from bilgiislem.servicedesk.models import (
    PartnerMember,
    PartnerOrganization,
    Queue,
    ServiceAgreement,
    Ticket,
)
from bilgiislem.servicedesk.services.tickets import ticket_create


def _run(name):
    out = io.StringIO()
    call_command(name, stdout=out)
    return out.getvalue()


def test_setup_makes_queues_and_internal_agreement_once(db, people):
    _run("servicedesk_setup")
    events = AuditEvent.objects.count()
    assert "0 queues, 0 agreements" in _run("servicedesk_setup")
    assert AuditEvent.objects.count() == events
    assert sorted(Queue.objects.values_list("name", flat=True)) == [
        "Sistem",
        "Teknik Destek",
        "Yazılım",
    ]
    assert ServiceAgreement.objects.filter(is_internal_default=True).count() == 1
    assert not PartnerOrganization.objects.exists()  # partners are demo data only
    # A municipal request runs under the internal agreement straight away.
    ticket = ticket_create(
        actor=people["yaziisleri"], title="Ağ", description="Yok.", category="network"
    )
    assert ticket.queue.name == "Sistem" and ticket.agreement.is_internal_default


def test_setup_takes_queues_from_the_setting(db, people, settings):
    settings.BILGIISLEM_SERVICEDESK_QUEUES = {
        "bilgi-islem-teknik-destek": ("Tek Kuyruk", ["hardware", "network"])
    }
    _run("servicedesk_setup")
    assert list(Queue.objects.values_list("name", "categories")) == [
        ("Tek Kuyruk", ["hardware", "network"])
    ]


def test_setup_refuses_an_unknown_unit_and_writes_nothing(db, people, settings):
    settings.BILGIISLEM_SERVICEDESK_QUEUES = {
        "bilgi-islem-teknik-destek": ("Teknik Destek", ["hardware"]),
        "yok-boyle-birim": ("Hayalet", ["other"]),
    }
    with pytest.raises(CommandError, match="yok-boyle-birim"):
        _run("servicedesk_setup")
    assert not Queue.objects.exists() and not ServiceAgreement.objects.exists()


def test_demo_needs_the_setup_first(db, people):
    with pytest.raises(CommandError, match="servicedesk_setup"):
        _run("servicedesk_demo")
    assert not PartnerOrganization.objects.exists()


def test_demo_adds_partners_school_account_and_samples_once(db, people, client):
    _run("servicedesk_setup")
    _run("servicedesk_demo")
    assert "0 partner organisations, 0 sample requests" in _run("servicedesk_demo")
    assert PartnerOrganization.objects.count() == 3
    assert ServiceAgreement.objects.filter(organization__isnull=False).count() == 3
    member = PartnerMember.objects.select_related("person", "organization").get()
    assert member.person.username == "okul" and member.organization.kind == "school"
    assert member.person.check_password("demo")
    states = dict(Ticket.objects.values_list("title", "state"))
    assert len(states) == 5
    assert set(states.values()) == {
        TicketState.NEW,
        TicketState.IN_PROGRESS,
        TicketState.WAITING_PART,
        TicketState.RESOLVED,
        TicketState.CLOSED,
    }
    # The school's account logs in and sees its organisation's open request, no one else's.
    client.force_login(member.person)
    html = client.get("/destek/kurum/").content.decode()
    assert "Bilgisayar laboratuvarında" in html and "Yazıcı çıktı vermiyor" not in html
