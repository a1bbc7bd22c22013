"""Write-off: the commission of three, the Director's approval with the minute and the exit
VİF, and a storage medium blocked until its wipe is recorded (issue 7 point 6)."""

import datetime

import pytest
from django.utils import timezone

from bilgiislem.assets.choices import AssetStatus, VifKind, VifState, WriteOffState
from bilgiislem.assets.models import Board, Vif, WriteOff
from bilgiislem.assets.services import writeoff as services
from bilgiislem.assets.services.vif import vif_sign
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.core.storage import open_verified

pytestmark = pytest.mark.django_db


@pytest.fixture
def commission(people, kayit):
    members = [people["sef"], people["memur"], kayit]
    return services.writeoff_commission_appoint(
        actor=people["mudur"],
        name="Hurda komisyonu",
        members=members,
        chair=people["sef"],
        expert=people["memur"],
    )


def test_the_director_appoints_a_commission_of_at_least_three(people, kayit):
    with pytest.raises(DomainError) as few:
        services.writeoff_commission_appoint(
            actor=people["mudur"],
            name="Komisyon",
            members=[people["sef"], people["memur"], people["sef"]],
            chair=people["sef"],
        )
    assert "members" in few.value.errors
    with pytest.raises(PermissionDeniedError):
        services.writeoff_commission_appoint(
            actor=people["sef"],
            name="Komisyon",
            members=[people["sef"], people["memur"], kayit],
            chair=people["sef"],
        )
    assert not Board.objects.filter(purpose=Board.Purpose.WRITE_OFF).exists()


def test_proposal_approval_minute_and_exit_vif(people, kayit, commission, asset_factory):
    old = asset_factory(value="12500.00")
    other = asset_factory(value="300.00")
    with pytest.raises(PermissionDeniedError):
        services.writeoff_propose(
            actor=people["yazilim"],
            commission=commission,
            reason="scrap",
            explanation="x",
            assets=[old],
        )
    proposal = services.writeoff_propose(
        actor=people["memur"],
        commission=commission,
        reason="scrap",
        explanation="Anakart arızalı, onarımı ekonomik değil.",
        assets=[old, other],
    )
    with pytest.raises(PermissionDeniedError):
        services.writeoff_approve(actor=people["sef"], writeoff=proposal)

    approved = services.writeoff_approve(actor=people["mudur"], writeoff=proposal)

    assert approved.state == WriteOffState.APPROVED and approved.decided_by == people["mudur"]
    minute = open_verified(approved.minute_sha256)
    assert minute.startswith(b"%PDF")
    vif = approved.vif
    assert vif.kind == VifKind.WRITE_OFF and vif.state == VifState.DRAFT
    assert str(proposal.pk) in vif.supporting_reference
    assert sorted(ln.asset_id for ln in vif.lines.all()) == sorted([old.pk, other.pk])
    # The kayıt yetkilisi signs the exit VİF off: the assets leave the records.
    vif_sign(actor=kayit, vif=vif)
    old.refresh_from_db()
    assert old.status == AssetStatus.WRITTEN_OFF
    with pytest.raises(DomainError) as again:
        services.writeoff_approve(actor=people["mudur"], writeoff=proposal)
    assert "state" in again.value.errors


def test_a_storage_medium_is_not_written_off_before_its_wipe(
    people, kayit, commission, asset_factory
):
    disk = asset_factory(is_storage_medium=True, kind="storage")
    proposal = services.writeoff_propose(
        actor=kayit,
        commission=commission,
        reason="breakage",
        explanation="Disk okunmuyor.",
        assets=[disk],
    )
    vifs = Vif.objects.count()

    with pytest.raises(DomainError) as blocked:
        services.writeoff_approve(actor=people["mudur"], writeoff=proposal)

    assert disk.sicil_no in blocked.value.errors["assets"][0]
    proposal.refresh_from_db()
    assert proposal.state == WriteOffState.PROPOSED and not proposal.minute_sha256
    assert Vif.objects.count() == vifs

    with pytest.raises(DomainError) as alone:
        services.wipe_record(actor=kayit, asset=disk, method="Delme", witnessed_by=kayit)
    assert "witnessed_by" in alone.value.errors
    services.wipe_record(
        actor=kayit,
        asset=disk,
        method="Fiziksel imha (delme)",
        witnessed_by=people["memur"],
        performed_at=timezone.now() - datetime.timedelta(hours=1),
    )
    approved = services.writeoff_approve(actor=people["mudur"], writeoff=proposal)
    assert approved.vif is not None


def test_an_asset_on_a_handover_document_is_not_proposed(people, kayit, commission, asset_factory):
    from bilgiislem.assets.models import HandoverDocument

    laptop = asset_factory(holder=people["memur"], status=AssetStatus.IN_USE)
    HandoverDocument.objects.create(
        year=2026,
        number=1,
        asset=laptop,
        receiver=people["memur"],
        issued_by=kayit,
        issued_at=timezone.now(),
    )
    with pytest.raises(DomainError) as held:
        services.writeoff_propose(
            actor=kayit, commission=commission, reason="scrap", explanation="Eski", assets=[laptop]
        )
    assert laptop.sicil_no in held.value.errors["assets"][0]
    assert not WriteOff.objects.exists()


def test_the_director_rejects_with_a_reason(people, kayit, commission, asset_factory):
    proposal = services.writeoff_propose(
        actor=kayit,
        commission=commission,
        reason="scrap",
        explanation="Eski",
        assets=[asset_factory()],
    )
    with pytest.raises(DomainError) as bare:
        services.writeoff_reject(actor=people["mudur"], writeoff=proposal, reason=" ")
    assert "reason" in bare.value.errors
    rejected = services.writeoff_reject(
        actor=people["mudur"], writeoff=proposal, reason="Onarılabilir."
    )
    assert rejected.state == WriteOffState.REJECTED and rejected.vif is None


def test_a_proposal_waits_for_the_director(people, kayit, commission, asset_factory):
    from bilgiislem.assets.work import writeoffs_to_decide

    services.writeoff_propose(
        actor=kayit,
        commission=commission,
        reason="scrap",
        explanation="Eski",
        assets=[asset_factory()],
    )
    assert len(writeoffs_to_decide(people["mudur"])) == 1
    assert writeoffs_to_decide(kayit) == []
