"""The demo service desk (never used in production; run after ``servicedesk_setup``): three
partner organisations with agreements, a partner account ``okul`` (password ``demo``) for the
school, and a few requests in different states so the pages show something.

Everything goes through the services (audited as in real use); running it again changes
nothing."""

from __future__ import annotations

import datetime

from django.db import transaction
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError

from ..models import PartnerMember, PartnerOrganization, Queue, Ticket

DEMO_PASSWORD = "demo"  # the demo people's password, as organization.loading
SCHOOL = "Karasu Anadolu Lisesi"
PARTNERS = [
    {
        "name": "Karasu Kaymakamlığı",
        "kind": "kaymakamlik",
        "email_domain": "karasu.gov.tr",
        "targets": {"high": (120, 1080), "normal": (480, 2700), "low": (1080, 5400)},
        "categories": ["hardware", "network", "software", "esignature"],
    },
    {
        "name": "Karasu Tapu Müdürlüğü",
        "kind": "tapu",
        "email_domain": "tkgm.gov.tr",
        "targets": {"high": (240, 1620), "normal": (540, 5400)},
        "categories": ["hardware", "network"],
    },
    {
        "name": SCHOOL,
        "kind": "school",
        "email_domain": "karasuanadolu.k12.tr",
        "targets": {"high": (240, 1620), "normal": (540, 5400), "low": (1080, 8100)},
        "categories": ["hardware", "network", "wifi", "screens"],
    },
]
# (asked by, title, description, category, steps) — steps as the desk would take them.
SAMPLES = [
    (
        "okul",
        "Bilgisayar laboratuvarında internet yok",
        "Laboratuvardaki 20 bilgisayarın hiçbiri internete çıkamıyor.",
        "network",
        [],
    ),
    (
        "yaziisleri",
        "Yazıcı çıktı vermiyor",
        "Kat yazıcısı kağıt sıkıştı uyarısı veriyor.",
        "hardware",
        ["assign", "start"],
    ),
    (
        "yaziisleri.mudur",
        "Monitör titriyor",
        "Makam odasındaki monitör sürekli titriyor.",
        "screens",
        ["assign", "start", "pause"],
    ),
    (
        "kalem",
        "Telefon hattı cızırtılı",
        "Kalem telefonunda konuşurken cızırtı var.",
        "telephone",
        ["assign", "start", "resolve"],
    ),
    (
        "okul",
        "Akıllı tahta kalemi çalışmıyor",
        "9-A sınıfındaki akıllı tahtanın kalemi dokunmayı algılamıyor.",
        "hardware",
        ["assign", "start", "resolve", "confirm"],
    ),
]


def _partners(actor, start) -> int:
    from .agreements import agreement_create, partner_org_create

    made = 0
    for spec in PARTNERS:
        if PartnerOrganization.objects.filter(name=spec["name"]).exists():
            continue
        organization = partner_org_create(
            actor=actor, name=spec["name"], kind=spec["kind"], email_domain=spec["email_domain"]
        )
        agreement_create(
            actor=actor,
            title=f"{spec['name']} hizmet protokolü",
            organization=organization,
            valid_from=start,
            valid_until=datetime.date(start.year + 1, 12, 31),
            categories=spec["categories"],
            targets=spec["targets"],
        )
        made += 1
    return made


def _school_account(actor):
    """The demo school's partner account ``okul``: a Person without posts (staff cannot hold
    a partner account), opened through the people service, then the demo password set the
    way the organisation's demo loader does (the password policy refuses ``demo``)."""
    from bilgiislem.organization.models import Person
    from bilgiislem.organization.services.people import person_create

    from .agreements import partner_member_add

    person = Person.objects.filter(username="okul").first()
    if person is None:
        person = person_create(
            actor=actor,
            username="okul",
            first_name="Ayşe",
            last_name="Yıldız",
            email="okul@karasuanadolu.k12.tr",
            title="Bilişim Teknolojileri Öğretmeni",
        )
        person.set_password(DEMO_PASSWORD)
        person.save(update_fields=["password"])
        audit_record(
            actor=actor,
            action="servicedesk.demo_account.password_set",
            obj=person,
            changes={"demo": True},
        )
    if not PartnerMember.objects.filter(person=person).exists():
        school = PartnerOrganization.objects.get(name=SCHOOL)
        partner_member_add(actor=actor, organization=school, person=person)
    return person


def _samples(by_name) -> int:
    from .ticket_flow import (
        ticket_assign,
        ticket_confirm,
        ticket_pause,
        ticket_resolve,
        ticket_start,
    )
    from .tickets import ticket_create

    titles = [title for _who, title, *_rest in SAMPLES]
    if Ticket.objects.filter(title__in=titles).exists():
        return 0
    chief, technician = by_name.get("sef"), by_name.get("memur")
    made = 0
    for who, title, description, category, steps in SAMPLES:
        requester = by_name.get(who)
        if requester is None or (steps and (chief is None or technician is None)):
            continue
        ticket = ticket_create(
            actor=requester, title=title, description=description, category=category
        )
        for step in steps:
            if step == "assign":
                ticket = ticket_assign(actor=chief, ticket=ticket, assignee=technician)
            elif step == "start":
                ticket = ticket_start(actor=technician, ticket=ticket, minutes_spent=15)
            elif step == "pause":
                ticket = ticket_pause(
                    actor=technician, ticket=ticket, reason="part", note="Yeni kablo bekleniyor."
                )
            elif step == "resolve":
                ticket = ticket_resolve(
                    actor=technician,
                    ticket=ticket,
                    resolution="Arızalı parça değiştirildi, çalışıyor.",
                    minutes_spent=30,
                )
            elif step == "confirm":
                ticket = ticket_confirm(actor=requester, ticket=ticket)
        made += 1
    return made


def desk_demo_set_up(*, actor) -> dict:
    """Partner organisations, the school's account and the sample requests."""
    from bilgiislem.organization.models import Person

    if not Queue.objects.exists():
        raise DomainError(_("Set up the queues first (servicedesk_setup)."), field="queue")
    start = datetime.date(datetime.date.today().year, 1, 1)
    with transaction.atomic():
        partners = _partners(actor, start)
        _school_account(actor)
        usernames = {who for who, *_rest in SAMPLES} | {"sef", "memur"}
        by_name = {p.username: p for p in Person.objects.filter(username__in=usernames)}
        samples = _samples(by_name)
    return {"partners": partners, "samples": samples}
