"""Zimmet of paper originals: handed over against the receiver's acknowledgement (RYY art. 12)."""

import pytest

from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.registry import services
from bilgiislem.registry.choices import CustodyKind, FileRole, Medium
from bilgiislem.registry.models import Custody, Document

from .factories import events, media, pdf, person, png, register, unit

__all__ = ["media"]  # a fixture

pytestmark = pytest.mark.django_db


def _hand(document, to, actor="kalem"):
    target = {"to_unit": unit(to)} if "-" in to else {"to_person": person(to)}
    return services.custody_hand_over(actor=person(actor), document=document, **target)


def test_paper_is_handed_over_and_acknowledged_by_the_receiver():
    document = register()
    custody = _hand(document, "memur")
    assert custody.kind == CustodyKind.PAPER and custody.acknowledged_at is None
    assert services.paper_holder(document) == custody
    services.custody_acknowledge(actor=person("memur"), custody=custody)
    custody.refresh_from_db()
    assert custody.acknowledged_by.username == "memur" and custody.acknowledged_at is not None
    assert events("registry.custody.handed_over").count() == 1
    assert events("registry.custody.acknowledged").count() == 1


@pytest.mark.parametrize("username", ["yazilim", "sef", "mudur", "kalem"])
def test_someone_else_may_not_acknowledge(username):
    custody = _hand(register(), "memur")
    with pytest.raises(PermissionDeniedError):
        services.custody_acknowledge(actor=person(username), custody=custody)
    custody.refresh_from_db()
    assert custody.acknowledged_at is None
    refused = events("registry.custody.acknowledge_refused", actor_repr=username)
    assert refused.count() == 1 and refused.get().object_id == str(custody.pk)


def test_the_registry_records_a_signed_list_as_proof(media):
    document = register()
    custody = _hand(document, "memur")
    services.custody_acknowledge(actor=person("kalem"), custody=custody, proof_upload=png())
    custody.refresh_from_db()
    assert custody.proof.role == FileRole.CUSTODY_PROOF
    assert custody.acknowledged_by.username == "kalem"


def test_a_bad_proof_file_leaves_the_hand_over_unacknowledged(media):
    custody = _hand(register(), "memur")
    with pytest.raises(DomainError) as caught:
        services.custody_acknowledge(
            actor=person("kalem"), custody=custody, proof_upload=pdf(content=b"not a pdf")
        )
    assert "file" in caught.value.errors
    custody.refresh_from_db()
    assert custody.acknowledged_at is None and custody.proof is None


def test_acknowledging_twice_is_refused():
    custody = _hand(register(), "memur")
    services.custody_acknowledge(actor=person("memur"), custody=custody)
    with pytest.raises(DomainError):
        services.custody_acknowledge(actor=person("memur"), custody=custody)


def test_the_holder_hands_it_on_and_the_chain_is_kept():
    document = register()
    first = _hand(document, "memur")
    with pytest.raises(PermissionDeniedError):  # not acknowledged yet
        _hand(document, "yazilim", actor="memur")
    assert events("registry.custody.hand_over_refused").count() == 1
    services.custody_acknowledge(actor=person("memur"), custody=first)
    second = _hand(document, "yazilim", actor="memur")
    first.refresh_from_db()
    assert first.released_at is not None
    assert services.paper_holder(document) == second
    assert list(document.custody.order_by("id")) == [first, second]


def test_handed_to_another_directorate_its_staff_acknowledge_and_see_it():
    document = register()
    assert not Document.objects.visible_to(person("yaziisleri")).filter(pk=document.pk).exists()
    custody = _hand(document, "yazi-isleri")
    with pytest.raises(PermissionDeniedError):
        services.custody_acknowledge(actor=person("memur"), custody=custody)
    services.custody_acknowledge(actor=person("yaziisleri"), custody=custody)
    assert Document.objects.visible_to(person("yaziisleri")).filter(pk=document.pk).exists()


def test_only_paper_and_one_receiver(media):
    electronic = register(medium=Medium.ELECTRONIC, uploads=[(pdf(), "main")])
    with pytest.raises(DomainError) as caught:
        _hand(electronic, "memur")
    assert "document" in caught.value.errors
    with pytest.raises(DomainError):
        services.custody_hand_over(actor=person("kalem"), document=register())
    assert not Custody.objects.filter(kind=CustodyKind.PAPER).exists()
