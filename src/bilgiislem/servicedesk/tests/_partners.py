"""Fixtures of the intake, partner, letter and knowledge tests: partner organisations and
their accounts, uploads, and a letter registered in Bilgi İşlem's registry."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
EXE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64
DETSIS = "24363950"


def pdf(name="ariza.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


@pytest.fixture
def media(settings, tmp_path):
    """Blobs go to a temporary folder; yields the blob root to look for leftovers."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media" / "blobs"


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def school(db):
    from bilgiislem.servicedesk.models import PartnerOrganization

    return PartnerOrganization.objects.create(
        name="Karasu Anadolu Lisesi",
        kind="school",
        identifier=DETSIS,
        email_domain="karasuanadolu.k12.tr",
    )


@pytest.fixture
def muhtarlik(db):
    from bilgiislem.servicedesk.models import PartnerOrganization

    return PartnerOrganization.objects.create(
        name="Yalı Mahallesi Muhtarlığı", kind="muhtarlik", email_domain="yalimuhtarligi.gov.tr"
    )


def make_member(organization, username):
    from bilgiislem.organization.models import Person
    from bilgiislem.servicedesk.models import PartnerMember

    person = Person.objects.create_user(
        username=username,
        password="demo-partner-1",
        first_name="Selin",
        last_name="Kara",
        email=f"{username}@{organization.email_domain or 'ornek.org.tr'}",
    )
    PartnerMember.objects.create(organization=organization, person=person)
    return person


@pytest.fixture
def teacher(school):
    """A partner account of the school."""
    return make_member(school, "ogretmen")


@pytest.fixture
def muhtar(muhtarlik):
    return make_member(muhtarlik, "muhtar")


@pytest.fixture
def incoming_letter(db, people, units):
    """An incoming letter from the school, registered in Bilgi İşlem's registry."""
    from bilgiislem.registry import services
    from bilgiislem.registry.choices import Medium, PartyKind, Secrecy, Urgency

    def make(**changes):
        values = {
            "actor": people["kalem"],
            "registry": units["bilgi-islem"],
            "medium": Medium.PAPER,
            "paper_location": "Kalem dolabı 1",
            "party_kind": PartyKind.PUBLIC_BODY,
            "party_name": "Karasu Anadolu Lisesi Müdürlüğü",
            "party_identifier": DETSIS,
            "sayi": "E-24363950-903.99-118",
            "document_date": datetime.date(2026, 3, 2),
            "subject": "Laboratuvar bilgisayarlarının onarımı",
            "secrecy": Secrecy.NONE,
            "urgency": Urgency.NORMAL,
        }
        values.update(changes)
        return services.document_register(**values)

    return make
