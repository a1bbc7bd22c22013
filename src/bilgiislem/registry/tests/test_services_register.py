"""Registering documents (RYY art. 12(a)): numbering, validation, files, who may register."""

import datetime

import pytest
import time_machine

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.registry import services
from bilgiislem.registry.choices import Medium, PartyKind, Secrecy, Urgency
from bilgiislem.registry.models import Document, DocumentFile, RegistryCounter

from .factories import PDF, blobs, events, media, pdf, person, png, register, unit

__all__ = ["media"]  # a fixture

pytestmark = pytest.mark.django_db


def _numbers(registry="bilgi-islem"):
    return list(
        Document.objects.filter(registry=unit(registry))
        .order_by("registry_number")
        .values_list("registry_year", "registry_number")
    )


# --- numbers -------------------------------------------------------------------------------


def test_numbers_are_unique_and_consecutive_per_registry():
    for _ in range(3):
        register()
    register(actor="yaziisleri", registry="yazi-isleri")
    year = datetime.date.today().year
    assert _numbers() == [(year, 1), (year, 2), (year, 3)]
    assert _numbers("yazi-isleri") == [(year, 1)]


def test_numbers_restart_each_year_when_yearly(settings):
    settings.BILGIISLEM_REGISTRY_YEARLY = True
    with time_machine.travel(datetime.datetime(2026, 12, 31, 16, 0, tzinfo=datetime.UTC)):
        first, second = register(document_date=None), register(document_date=None)
    with time_machine.travel(datetime.datetime(2027, 1, 4, 9, 0, tzinfo=datetime.UTC)):
        third = register(document_date=None)
    assert [(d.registry_year, d.registry_number) for d in (first, second, third)] == [
        (2026, 1),
        (2026, 2),
        (2027, 1),
    ]
    assert third.number_label == "2027/1"


def test_numbers_never_restart_when_not_yearly(settings):
    settings.BILGIISLEM_REGISTRY_YEARLY = False
    with time_machine.travel(datetime.datetime(2026, 12, 31, 16, 0, tzinfo=datetime.UTC)):
        first = register(document_date=None)
    with time_machine.travel(datetime.datetime(2027, 1, 4, 9, 0, tzinfo=datetime.UTC)):
        second = register(document_date=None)
    assert [(d.registry_year, d.registry_number) for d in (first, second)] == [(0, 1), (0, 2)]
    assert second.number_label == "2"


def test_year_follows_the_local_date_not_utc(settings):
    settings.BILGIISLEM_REGISTRY_YEARLY = True
    # 31.12.2026 22:30 UTC is already 01.01.2027 in Istanbul.
    with time_machine.travel(datetime.datetime(2026, 12, 31, 22, 30, tzinfo=datetime.UTC)):
        document = register(document_date=None)
    assert document.registry_year == 2027


def test_a_rolled_back_registration_gives_its_number_back(media):
    register()
    with pytest.raises(DomainError):
        # The annex file is refused after the number was taken: everything rolls back.
        register(annexes=[{"kind": "file", "description": "Ek-1", "upload": None}])
    assert register().registry_number == 2
    assert RegistryCounter.objects.get(registry=unit("bilgi-islem")).last_number == 2


# --- bad input: a clear message on the field, nothing written --------------------------------


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"sayi": "67915368/4752"}, "sayi"),
        ({"sayi": "E-67915368-903.07.02"}, "sayi"),
        ({"party_kind": PartyKind.PERSON, "party_identifier": "10000000147"}, "party_identifier"),
        ({"party_kind": PartyKind.COMPANY, "party_identifier": "1234567891"}, "party_identifier"),
        ({"party_kind": PartyKind.PUBLIC_BODY, "party_identifier": "12ab"}, "party_identifier"),
        ({"urgency": Urgency.GUNLUDUR, "urgency_date": None}, "urgency_date"),
        ({"document_date": datetime.date.today() + datetime.timedelta(days=1)}, "document_date"),
        ({"medium": Medium.ELECTRONIC}, "uploads"),
        ({"subject": "  "}, "subject"),
        ({"party_kind": PartyKind.INTERNAL, "party_unit": None}, "party_unit"),
        ({"secrecy": "top_secret"}, "secrecy"),
    ],
)
def test_bad_input_names_the_field_and_writes_nothing(changes, field):
    before = (Document.objects.count(), RegistryCounter.objects.count())
    with pytest.raises(DomainError) as caught:
        register(**changes)
    assert field in caught.value.errors
    assert (Document.objects.count(), RegistryCounter.objects.count()) == before


def test_valid_identifiers_and_older_sayi_forms_are_accepted():
    person_doc = register(party_kind=PartyKind.PERSON, party_identifier="100 000 001 46")
    assert person_doc.party_identifier == "10000000146"
    assert register(sayi="12345678-010.01-E.1234").sayi == "12345678-010.01-E.1234"
    assert register(sayi="B.08.0.TCM.0.11.00.03-010.06/1234").sayi.endswith("/1234")


def test_outgoing_needs_a_current_sayi():
    with pytest.raises(DomainError) as caught:
        register(direction="outgoing", sayi="12345678-010.01-E.1234")
    assert "sayi" in caught.value.errors
    with pytest.raises(DomainError) as caught:
        register(direction="outgoing", sayi="")
    assert "sayi" in caught.value.errors


def test_gunludur_keeps_its_date():
    day = datetime.date.today() + datetime.timedelta(days=3)
    assert register(urgency=Urgency.GUNLUDUR, urgency_date=day).urgency_date == day
    # The date of a non-GÜNLÜDÜR document is not kept.
    assert register(urgency=Urgency.ACELE, urgency_date=day).urgency_date is None


# --- files -----------------------------------------------------------------------------------


def test_electronic_document_stores_its_files(media):
    document = register(
        medium=Medium.ELECTRONIC,
        uploads=[(pdf(), "main")],
        annexes=[
            {"kind": "file", "description": "Ek-1 tarama", "upload": png()},
            {"kind": "physical", "description": "1 adet CD"},
        ],
    )
    roles = sorted(document.files.values_list("role", flat=True))
    assert roles == ["annex", "main"]
    assert len(blobs(media)) == 2
    assert document.annexes.count() == 2


@pytest.mark.parametrize(
    "upload",
    [
        pytest.param(lambda: pdf(content=b""), id="empty"),
        pytest.param(lambda: pdf(content=PDF + b"x" * 200), id="oversize"),
        pytest.param(lambda: pdf(content=b"\x89PNG\r\n\x1a\n" + b"\x00" * 20), id="png-as-pdf"),
        pytest.param(lambda: pdf(name="zararli.html", content=b"<html></html>"), id="html"),
    ],
)
@pytest.mark.parametrize("where", ["uploads", "annex"])
def test_bad_file_is_refused_on_file_with_nothing_written(media, settings, upload, where):
    settings.BILGIISLEM_UPLOAD_MAX_BYTES = 128
    good, bad = pdf(name="ana.pdf", content=PDF + b"% ana"), upload()
    kwargs = {"medium": Medium.ELECTRONIC, "uploads": [(good, "main")]}
    if where == "uploads":
        kwargs["uploads"] = [(good, "main"), (bad, "annex")]
    else:
        kwargs["annexes"] = [{"kind": "file", "description": "Ek", "upload": bad}]
    with pytest.raises(DomainError) as caught:
        register(**kwargs)
    assert "file" in caught.value.errors
    assert Document.objects.count() == 0 and DocumentFile.objects.count() == 0
    assert RegistryCounter.objects.filter(last_number__gt=0).count() == 0
    assert blobs(media) == []


def test_a_failure_after_storing_removes_the_new_blobs(media, monkeypatch):
    """Files that passed the checks are stored; if the registration fails later, the blobs
    it wrote are removed with the rollback."""
    from bilgiislem.registry.services import documents

    def broken(document, *extra):
        raise DomainError("index down", field="subject")

    monkeypatch.setattr(documents, "reindex", broken)
    with pytest.raises(DomainError):
        register(medium=Medium.ELECTRONIC, uploads=[(pdf(), "main")])
    assert Document.objects.count() == 0
    assert blobs(media) == []


def test_a_blob_already_used_by_another_document_is_kept(media, monkeypatch):
    register(medium=Medium.ELECTRONIC, uploads=[(pdf(), "main")])
    from bilgiislem.registry.services import documents

    monkeypatch.setattr(
        documents, "reindex", lambda *a: (_ for _ in ()).throw(DomainError("x", field="subject"))
    )
    with pytest.raises(DomainError):
        register(medium=Medium.ELECTRONIC, uploads=[(pdf(), "main")])
    assert len(blobs(media)) == 1


# --- who may register --------------------------------------------------------------------------


@pytest.mark.parametrize("username", ["kalem", "mudur", "sef", "arsiv"])
def test_kalem_staff_and_managers_register(username):
    assert register(actor=username).registered_by.username == username


@pytest.mark.parametrize(
    ("username", "registry"),
    [("memur", "bilgi-islem"), ("yazilim", "bilgi-islem"), ("kalem", "yazi-isleri")],
)
def test_others_are_refused_and_the_refusal_is_recorded(username, registry):
    with pytest.raises(PermissionDeniedError):
        register(actor=username, registry=registry)
    assert Document.objects.count() == 0
    refused = events("registry.document.register_refused", actor_repr=username)
    assert refused.count() == 1
    assert refused.get().object_id == str(unit(registry).pk)


def test_refusal_record_survives_an_enclosing_rollback():
    """A refusal inside a larger transaction that rolls back is still recorded."""
    from django.db import transaction

    class Outer(Exception):
        pass

    with pytest.raises(Outer), transaction.atomic():
        with pytest.raises(PermissionDeniedError):
            register(actor="memur")
        raise Outer
    assert events("registry.document.register_refused").count() == 0  # rolled back with it
    with pytest.raises(PermissionDeniedError):
        register(actor="memur")
    assert events("registry.document.register_refused").count() == 1


def test_a_director_grant_lets_someone_register(people):
    memur = person("memur")
    services.clerk_grant(
        actor=people["mudur"],
        registry=unit("bilgi-islem"),
        person=memur,
        start_date=datetime.date.today(),
    )
    assert register(actor=person("memur")).registered_by == memur
    assert events("registry.clerk.granted").count() == 1


def test_only_the_director_grants(people):
    with pytest.raises(PermissionDeniedError):
        services.clerk_grant(
            actor=people["sef"],
            registry=unit("bilgi-islem"),
            person=people["memur"],
            start_date=datetime.date.today(),
        )
    assert events("registry.clerk.grant_refused").count() == 1


def test_registration_is_audited_without_a_secret_subject():
    normal = register()
    secret = register(secrecy=Secrecy.GIZLI, subject="Disiplin soruşturması")
    ok = events("registry.document.registered")
    assert ok.get(object_id=str(normal.pk)).object_repr.endswith("Yazıcı bakım talebi")
    assert "Disiplin" not in ok.get(object_id=str(secret.pk)).object_repr
