"""Helpers for the registry's service tests: documents made through the services, as a
clerk would make them, and small valid files of each kind.

Fixtures here are imported by the test modules that use them (``from .factories import
media``), so each module says what it relies on.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bilgiislem.audit.models import AuditEvent
from bilgiislem.organization.models import OrgUnit, Person
from bilgiislem.registry import services
from bilgiislem.registry.choices import Medium, PartyKind, Purpose, Secrecy, Urgency

PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64
# Valid check digits (core.identifiers): a TCKN, a VKN and a DETSİS number.
TCKN = "10000000146"
VKN = "1234567890"
SAYI = "E-67915368-903.07.02-4752"


def pdf(name="belge.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def png(name="tarama.png", content=PNG):
    return SimpleUploadedFile(name, content, content_type="image/png")


@pytest.fixture
def english():
    """Assert on the English source strings, whatever the Turkish catalogue says."""
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):
    """Blobs go to a temporary folder; yields the blob root to look for leftovers."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return tmp_path / "media" / "blobs"


def blobs(root) -> list:
    """Stored blobs (temporary files excluded)."""
    if not root.exists():
        return []
    return [p for p in root.rglob("*") if p.is_file() and p.relative_to(root).parts[0] != "tmp"]


def person(username: str) -> Person:
    """A fresh person object: per-request caches (posts, work items) start empty."""
    return Person.objects.get(username=username)


def unit(code: str) -> OrgUnit:
    return OrgUnit.objects.get(code=code)


def register(actor="kalem", registry="bilgi-islem", **changes):
    """An incoming paper document from a company, registered through the service."""
    values = {
        "actor": person(actor) if isinstance(actor, str) else actor,
        "registry": unit(registry) if isinstance(registry, str) else registry,
        "medium": Medium.PAPER,
        "party_kind": PartyKind.COMPANY,
        "party_name": "Sakarya Bilişim A.Ş.",
        "party_identifier": VKN,
        "sayi": SAYI,
        "document_date": datetime.date(2026, 1, 5),
        "subject": "Yazıcı bakım talebi",
        "secrecy": Secrecy.NONE,
        "urgency": Urgency.NORMAL,
        "paper_location": "Kalem dolabı 1",
    }
    values.update(changes)
    return services.document_register(**values)


def route(document, to, *, purpose=Purpose.ACTION, actor="mudur", **kwargs):
    """The Director routes ``document`` to one person or unit (by username or code)."""
    if isinstance(to, str):
        to = Person.objects.filter(username=to).first() or unit(to)
    kwargs.setdefault("deadline_basis", "documents")
    (routing,) = services.routing_create(
        actor=person(actor) if isinstance(actor, str) else actor,
        document=document,
        recipients=[(to, purpose)],
        **kwargs,
    )
    return routing


def events(action: str, **filters):
    return AuditEvent.objects.filter(action=action, **filters)
