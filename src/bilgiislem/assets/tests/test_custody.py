"""İstek Belgesi, Teslim Belgesi (issue, acknowledge, scan, return), shared-room lists and
the ilişik kesme check."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from bilgiislem.assets.choices import AssetStatus, RequestState
from bilgiislem.assets.models import AssetRequest, HandoverDocument, SharedListSignOff
from bilgiislem.assets.services.custody import (
    asset_request_decide,
    asset_request_submit,
    handover_acknowledge,
    handover_issue,
    handover_return,
    handover_upload_scan,
    person_clearance,
    shared_list_sign,
)
from bilgiislem.audit.models import AuditEvent
from bilgiislem.core.errors import DomainError, PermissionDeniedError

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture
def approved(people, units, tasinir_code):
    request = asset_request_submit(
        actor=people["memur"],
        unit=units["bilgi-islem"],
        code=tasinir_code,
        purpose="Sahada arıza kaydı için dizüstü bilgisayar",
        for_person=people["memur"],
    )
    return asset_request_decide(actor=people["mudur"], request=request, approve=True)


def test_request_needs_a_purpose_and_only_the_director_decides(people, units, tasinir_code):
    with pytest.raises(DomainError) as exc:
        asset_request_submit(
            actor=people["memur"], unit=units["bilgi-islem"], code=tasinir_code, purpose=" "
        )
    assert list(exc.value.errors) == ["purpose"]
    with pytest.raises(PermissionDeniedError):
        asset_request_submit(
            actor=people["memur"], unit=units["yazi-isleri"], code=tasinir_code, purpose="x"
        )
    assert not AssetRequest.objects.exists()
    request = asset_request_submit(
        actor=people["memur"], unit=units["bilgi-islem"], code=tasinir_code, purpose="Yedek"
    )
    with pytest.raises(PermissionDeniedError):
        asset_request_decide(actor=people["sef"], request=request, approve=True)
    with pytest.raises(DomainError) as exc:
        asset_request_decide(actor=people["mudur"], request=request, approve=False)
    assert list(exc.value.errors) == ["decision_note"]
    asset_request_decide(actor=people["mudur"], request=request, approve=False, note="Bütçe yok")
    request.refresh_from_db()
    assert (request.state, request.decided_by) == (RequestState.REJECTED, people["mudur"])


def test_handover_issue_acknowledge_and_return(kayit, people, asset_factory, approved):
    asset = asset_factory()
    memur = people["memur"]
    first = handover_issue(actor=kayit, asset=asset, receiver=memur, request=approved)
    asset.refresh_from_db()
    approved.refresh_from_db()
    assert (first.number, asset.holder, asset.status) == (1, memur, AssetStatus.IN_USE)
    assert approved.state == RequestState.ISSUED
    assert person_clearance(memur) == [asset]

    with pytest.raises(PermissionDeniedError):
        handover_acknowledge(actor=people["sef"], handover=first)
    handover_acknowledge(actor=memur, handover=first)
    first.refresh_from_db()
    assert first.acknowledged_at is not None

    with pytest.raises(DomainError) as exc:
        handover_issue(actor=kayit, asset=asset, receiver=people["sef"])
    assert list(exc.value.errors) == ["asset"]

    handover_return(actor=kayit, handover=first, note="Sağlam")
    asset.refresh_from_db()
    assert (asset.holder, asset.status) == (None, AssetStatus.IN_STORE)
    assert person_clearance(memur) == []

    second = handover_issue(actor=kayit, asset=asset, receiver=people["sef"])
    assert (second.year, second.number) == (first.year, 2)
    actions = set(AuditEvent.objects.values_list("action", flat=True))
    assert {"assets.handover.issue", "assets.handover.return", "assets.asset.hand_over"} <= actions


def test_only_staff_receive_and_only_the_kayit_yetkilisi_issues(kayit, people, asset_factory):
    from bilgiislem.organization.models import Person

    outsider = Person.objects.create_user(username="vatandas", password="x")
    asset = asset_factory()
    with pytest.raises(DomainError) as exc:
        handover_issue(actor=kayit, asset=asset, receiver=outsider)
    assert list(exc.value.errors) == ["receiver"]
    with pytest.raises(PermissionDeniedError):
        handover_issue(actor=people["mudur"], asset=asset, receiver=people["memur"])
    asset.refresh_from_db()
    assert asset.holder is None and not HandoverDocument.objects.exists()


def test_signed_scan_counts_as_acknowledgement(kayit, people, asset_factory):
    handover = handover_issue(actor=kayit, asset=asset_factory(), receiver=people["memur"])
    with pytest.raises(DomainError) as exc:
        handover_upload_scan(
            actor=kayit, handover=handover, upload=SimpleUploadedFile("x.exe", b"MZ\x90\x00")
        )
    assert "file" in exc.value.errors
    handover_upload_scan(
        actor=kayit, handover=handover, upload=SimpleUploadedFile("teslim.pdf", PDF)
    )
    handover.refresh_from_db()
    assert len(handover.signed_scan_sha256) == 64 and handover.acknowledged_at is not None


def test_shared_room_list_is_signed_by_the_officer_with_its_items(
    kayit, people, shared_room, room, asset_factory
):
    asset_factory(room=shared_room, status=AssetStatus.IN_USE)
    asset_factory(room=shared_room, status=AssetStatus.WRITTEN_OFF)
    with pytest.raises(DomainError) as exc:
        shared_list_sign(actor=kayit, room=room)
    assert list(exc.value.errors) == ["room"]
    with pytest.raises(PermissionDeniedError):
        shared_list_sign(actor=people["memur"], room=shared_room)
    signoff = shared_list_sign(actor=kayit, room=shared_room)
    assert len(signoff.items) == 1
    assert SharedListSignOff.objects.count() == 1


def test_work_items_follow_the_request_and_the_handover(kayit, people, asset_factory, approved):
    from bilgiislem.assets.work import custody_decisions, items_to_acknowledge

    from .conftest import tr

    assert [str(w.category) for w in custody_decisions(kayit)] == [
        tr("Approved requests to hand over")
    ]
    handover = handover_issue(actor=kayit, asset=asset_factory(), receiver=people["memur"])
    assert [w.detail for w in items_to_acknowledge(people["memur"])] == [
        f"{handover.year}/{handover.number}"
    ]
    handover_acknowledge(actor=people["memur"], handover=handover)
    assert items_to_acknowledge(people["memur"]) == []
