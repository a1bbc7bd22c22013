"""Helpers and fixtures shared by the registry page tests (no tests of its own).

Objects are made through the services, as a person would make them.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from bilgiislem.audit.models import AuditEvent
from bilgiislem.registry import services
from bilgiislem.registry.choices import Medium, PartyKind, Purpose, Secrecy
from bilgiislem.registry.models import (
    Annex,
    Custody,
    Document,
    DocumentFile,
    Note,
    Reference,
    Routing,
)

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def pdf(name="yazi.pdf", data=PDF):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def d(days: int = 0) -> str:
    return (timezone.localdate() + datetime.timedelta(days=days)).strftime("%d.%m.%Y")


def snapshot():
    """Row counts no refused action may change; refusals themselves may be audited."""
    return {
        "documents": Document.objects.count(),
        "routings": Routing.objects.count(),
        "open_routings": Routing.objects.filter(status="open").count(),
        "custody": Custody.objects.count(),
        "acknowledged": Custody.objects.filter(acknowledged_at__isnull=False).count(),
        "notes": Note.objects.count(),
        "files": DocumentFile.objects.count(),
        "annexes": Annex.objects.count(),
        "references": Reference.objects.count(),
        "done": Document.objects.filter(status="done").count(),
        "audit": AuditEvent.objects.exclude(action__endswith="refused").count(),
    }


def login_url_in(response) -> bool:
    return response.status_code == 302 and reverse("accounts:login") in response["Location"]


def register(people, units, *, secrecy=Secrecy.NONE, registry="bilgi-islem", **extra):
    values = {
        "actor": people["kalem"] if registry == "bilgi-islem" else people["yaziisleri"],
        "registry": units[registry],
        "medium": Medium.PAPER,
        "party_kind": PartyKind.PUBLIC_BODY,
        "party_name": "Karasu Kaymakamlığı",
        "party_identifier": "12345678",
        "sayi": "E-12345678-010.01-4752",
        "document_date": timezone.localdate(),
        "subject": "Bilgisayar alımı hakkında",
        "secrecy": secrecy,
        "paper_location": "Kalem dolabı 3",
    }
    values.update(extra)
    return services.document_register(**values)


@pytest.fixture
def english(settings):
    from django.utils import translation

    settings.LANGUAGE_CODE = "en"
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def doc(people, units):
    return register(people, units)


@pytest.fixture
def routing(doc, people):
    """``doc`` routed by the Director to memur, for action (documents: 5 business days)."""
    [routing] = services.routing_create(
        actor=people["mudur"],
        document=doc,
        recipients=[(people["memur"], Purpose.ACTION)],
        instruction="Gereğini rica ederim.",
        deadline_basis="documents",
    )
    return routing


@pytest.fixture
def handed_over(doc, people):
    """The paper original of ``doc`` handed to memur, not acknowledged yet."""
    return services.custody_hand_over(
        actor=people["kalem"], document=doc, to_person=people["memur"]
    )
