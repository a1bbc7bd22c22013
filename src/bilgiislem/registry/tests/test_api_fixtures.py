"""Fixtures and helpers shared by the registry API tests (no tests of its own).

Objects are made through the services, as a person would make them; every refused write is
checked for its status and for leaving the registry and the audit trail as they were (the
only audit event a refusal may add is its own ``….refused`` / ``…_refused`` record).
"""

import io
import zipfile
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from bilgiislem.audit.models import AuditEvent
from bilgiislem.registry import services
from bilgiislem.registry.choices import Medium, PartyKind, Purpose
from bilgiislem.registry.models import (
    Annex,
    Custody,
    Document,
    DocumentFile,
    Note,
    Reference,
    RegistryCounter,
    Routing,
)

API = "/api/registry"
SAMPLE_PATH = Path("/work/shared/eyazisma/samples/official-sample-2025.eyp")
if not SAMPLE_PATH.exists():  # the repository's sibling checkout of ../shared
    SAMPLE_PATH = (
        Path(__file__).resolve().parents[5] / "shared/eyazisma/samples/official-sample-2025.eyp"
    )
PDF = b"%PDF-1.4\n1 0 obj<</Type/Catalog>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def pdf(name="belge.pdf", content=PDF):
    return SimpleUploadedFile(name, content, content_type="application/pdf")


def sample_eyp() -> bytes:
    return SAMPLE_PATH.read_bytes()


def rebuilt_sample(changes: dict[str, bytes | None]) -> bytes:
    """The official sample with some entries replaced (bytes) or removed (None)."""
    out = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(sample_eyp())) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive,
    ):
        for info in source.infolist():
            content = changes.get(info.filename, source.read(info))
            if content is not None:
                archive.writestr(info.filename, content)
    return out.getvalue()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    """Stored files go to a temporary directory, never the developer's var/."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def api(people):
    """``api("kalem")`` is a client signed in as that demo person; ``api(None)`` is anonymous."""

    def _client(username):
        client = APIClient()
        if username is not None:
            client.force_login(people[username])
        return client

    return _client


MODELS = (Document, DocumentFile, Annex, Reference, Routing, Custody, Note)


def snapshot(*objects) -> dict:
    """What a refused write must leave as it was."""
    state = {model.__name__: model.objects.count() for model in MODELS}
    state["numbers"] = sorted(RegistryCounter.objects.values_list("registry_id", "last_number"))
    state["audit"] = list(
        AuditEvent.objects.exclude(action__endswith="refused").values_list("seq", flat=True)
    )
    for obj in objects:
        fresh = type(obj).objects.get(pk=obj.pk)
        state[repr(obj)] = {
            f.attname: getattr(fresh, f.attname) for f in fresh._meta.concrete_fields
        }
    return state


def assert_refused(response, expected, before, *objects):
    allowed = expected if isinstance(expected, tuple) else (expected,)
    assert response.status_code in allowed, (response.status_code, response.content)
    assert snapshot(*objects) == before


def refusals() -> int:
    return AuditEvent.objects.filter(action__endswith="refused").count()


@pytest.fixture
def paper(people, units):
    """A paper incoming document in Bilgi İşlem's registry, registered by Kalem."""
    return services.document_register(
        actor=people["kalem"],
        registry=units["bilgi-islem"],
        medium=Medium.PAPER,
        party_kind=PartyKind.PUBLIC_BODY,
        party_name="Sakarya Valiliği",
        sayi="E-12345678-010.01-4752",
        subject="Bilgi güvenliği denetimi",
        paper_location="Kalem dolabı 3",
    )


@pytest.fixture
def yazi_doc(people, units):
    """A document of Yazı İşleri's registry, which Bilgi İşlem's people may not see."""
    return services.document_register(
        actor=people["yaziisleri"],
        registry=units["yazi-isleri"],
        party_kind=PartyKind.PERSON,
        party_name="Vatandaş",
        subject="Dilekçe",
    )


@pytest.fixture
def routed(paper, people):
    """``paper`` routed by the Director to memur, for action."""
    (routing,) = services.routing_create(
        actor=people["mudur"],
        document=paper,
        recipients=[(people["memur"], Purpose.ACTION)],
        instruction="Gereğini rica ederim.",
        deadline_basis="documents",
    )
    return routing
