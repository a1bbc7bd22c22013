"""Write-off (kayıttan düşme): a commission proposes, the Director approves, the minute and the
exit VİF follow (Taşınır Mal Yönetmeliği 2024 art. 10, 28).

- The Director (harcama yetkilisi) appoints a write-off commission of at least three.
- A member proposes assets with a reason; the assets must be on the records, in one store and
  held by nobody (an item on a Teslim Belgesi comes back first).
- The Director approves: the Kayıttan Düşme Teklif ve Onay Tutanağı is printed (two copies)
  and kept by its SHA-256, and a draft exit VİF referring to it is prepared; the kayıt
  yetkilisi signs that VİF off, which takes the assets off the records (services/vif.py).
- A storage medium leaves only after its secure wipe or destruction is recorded (Bilgi ve
  İletişim Güvenliği Rehberi 3.1.1.6): approval without a ``WipeRecord`` is refused naming it
  — unless it is lost or stolen (not in hand to wipe; the report documents it).
- Scrapping and breakage are evaluated by a commission one of whose members is an expert on
  the items (art. 28/1): ``Board.expert``; without one the proposal is refused naming it.
- When a tutanak or report already documents the loss (loss, theft, disaster or fire, a count
  shortage), no commission is needed: the kayıt yetkilisi records the write-off on that report
  and the Director approves it (art. 10/1-e).
"""

from __future__ import annotations

import datetime
import io

from django.db import transaction
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.registry.models import Document

from .. import permissions
from ..choices import AssetStatus, VifKind, WriteOffReason, WriteOffState
from ..models import Asset, Board, HandoverDocument, WipeRecord, WriteOff
from ._common import require_registrar

COMMISSION_MIN_MEMBERS = 3
# Scrapping needs a commission with an expert member (art. 28/1).
EXPERT_REASONS = frozenset({WriteOffReason.SCRAP, WriteOffReason.BREAKAGE})
# Items that are gone: there is nothing left to wipe.
NOT_IN_HAND = frozenset({WriteOffReason.LOSS, WriteOffReason.THEFT, WriteOffReason.COUNT_SHORTAGE})
# A loss documented by a tutanak or report is approved without a commission (art. 10/1-e).
REPORT_REASONS = frozenset(
    {
        WriteOffReason.LOSS,
        WriteOffReason.THEFT,
        WriteOffReason.DISASTER,
        WriteOffReason.COUNT_SHORTAGE,
    }
)


def _acting_for(post):
    return post.position if post is not None and post.acting is not None else None


def require_director(actor):
    post = permissions.harcama_post(actor) if getattr(actor, "is_authenticated", False) else None
    if post is None:
        raise PermissionDeniedError(_("Only the Director (harcama yetkilisi) may do this."))
    return post


def may_view_writeoffs(person) -> bool:
    return permissions.is_asset_staff(person)


def is_commission_member(person, commission: Board) -> bool:
    return commission.members.filter(pk=person.pk).exists()


def assets_by_sicil(text: str, *, field: str = "assets") -> list[Asset]:
    """Assets named by their sicil numbers (one a line, or separated by spaces or commas)."""
    numbers = [n for n in text.replace(",", " ").split() if n]
    if not numbers:
        raise DomainError(_("Enter the sicil numbers of the assets."), field=field)
    found = {a.sicil_no: a for a in Asset.objects.filter(sicil_no__in=numbers)}
    unknown = [n for n in numbers if n not in found]
    if unknown:
        raise DomainError(
            _("Unknown sicil number: %(numbers)s.") % {"numbers": ", ".join(unknown)},
            field=field,
        )
    return [found[n] for n in dict.fromkeys(numbers)]


# ---------------------------------------------------------------- commission


@transaction.atomic
def writeoff_commission_appoint(*, actor, name: str, members, chair, expert=None) -> Board:
    """The Director appoints a write-off commission of at least three people (art. 28/1);
    ``expert``, one of the members, is the expert on the items a scrapping needs."""
    post = require_director(actor)
    members = list({m.pk: m for m in members}.values())
    name = (name or "").strip()
    if not name:
        raise DomainError(_("Give the commission a name."), field="name")
    if len(members) < COMMISSION_MIN_MEMBERS:
        raise DomainError(
            _("A write-off commission has at least %(n)d members.") % {"n": COMMISSION_MIN_MEMBERS},
            field="members",
        )
    if any(not m.is_active for m in members):
        raise DomainError(_("Every member must have an active account."), field="members")
    if chair is None or chair.pk not in {m.pk for m in members}:
        raise DomainError(_("The chair must be one of the members."), field="chair")
    if expert is not None and expert.pk not in {m.pk for m in members}:
        raise DomainError(_("The expert must be one of the members."), field="expert")
    board = Board.objects.create(
        purpose=Board.Purpose.WRITE_OFF, name=name, appointed_by=actor, chair=chair, expert=expert
    )
    board.members.set(members)
    audit_record(
        actor=actor,
        action="assets.writeoff_commission.appoint",
        obj=board,
        changes={
            "members": sorted(m.get_username() for m in members),
            "chair": str(chair),
            "expert": expert.get_username() if expert else None,
        },
        acting_for=_acting_for(post),
    )
    return board


# ---------------------------------------------------------------- wipe


@transaction.atomic
def wipe_record(
    *,
    actor,
    asset: Asset,
    method: str,
    witnessed_by,
    performed_at: datetime.datetime | None = None,
    note: str = "",
) -> WipeRecord:
    """Record the secure wipe or destruction of a storage medium, with a witness."""
    if not permissions.is_asset_staff(actor):
        raise PermissionDeniedError(_("Only Bilgi İşlem staff record a wipe."))
    method = (method or "").strip()
    if not method:
        raise DomainError(_("Describe how the medium was wiped or destroyed."), field="method")
    if witnessed_by is None:
        raise DomainError(_("Name the witness."), field="witnessed_by")
    if witnessed_by.pk == actor.pk:
        raise DomainError(
            _("The witness must be another person than the one who wiped it."),
            field="witnessed_by",
        )
    performed_at = performed_at or timezone.now()
    if performed_at > timezone.now():
        raise DomainError(_("A wipe cannot be recorded in advance."), field="performed_at")
    record = WipeRecord.objects.create(
        asset=asset,
        method=method[:200],
        performed_by=actor,
        witnessed_by=witnessed_by,
        performed_at=performed_at,
        note=(note or "").strip(),
    )
    audit_record(
        actor=actor,
        action="assets.asset.wipe",
        obj=asset,
        changes={"method": record.method, "witnessed_by": witnessed_by.get_username()},
    )
    return record


def unwiped(assets) -> list[Asset]:
    """Storage media among ``assets`` that have no wipe record yet."""
    media = [a for a in assets if a.is_storage_medium]
    wiped = set(WipeRecord.objects.filter(asset__in=media).values_list("asset_id", flat=True))
    return [a for a in media if a.pk not in wiped]


# ---------------------------------------------------------------- proposal and decision


def _check_assets(assets: list[Asset]) -> None:
    if not assets:
        raise DomainError(_("Choose the assets to write off."), field="assets")
    for asset in assets:
        if asset.status == AssetStatus.WRITTEN_OFF:
            raise DomainError(
                _("The asset %(sicil)s is no longer on the records.") % {"sicil": asset.sicil_no},
                field="assets",
            )
    if len({a.store_id for a in assets}) > 1:
        raise DomainError(
            _("Propose the assets of one store at a time (one exit VİF per store)."),
            field="assets",
        )
    held = (
        HandoverDocument.objects.filter(asset__in=assets, returned_at__isnull=True)
        .select_related("asset")
        .first()
    )
    if held is not None:
        raise DomainError(
            _("The asset %(sicil)s is still handed over to someone: take it back first.")
            % {"sicil": held.asset.sicil_no},
            field="assets",
        )


def _require_expert(commission: Board, reason: str) -> None:
    if reason in EXPERT_REASONS and commission.expert_id is None:
        raise DomainError(
            _(
                "Scrapping is evaluated by a commission with an expert on the items among its "
                "members: name the commission's expert first."
            ),
            field="expert",
        )


@transaction.atomic
def writeoff_propose(
    *, actor, commission: Board, reason: str, explanation: str, assets
) -> WriteOff:
    """A member of the write-off commission proposes assets for write-off with a reason."""
    if commission.purpose != Board.Purpose.WRITE_OFF:
        raise DomainError(_("This board is not a write-off commission."), field="commission")
    if not is_commission_member(actor, commission):
        raise PermissionDeniedError(_("Only a member of the commission proposes a write-off."))
    if reason not in WriteOffReason.values:
        raise DomainError(_("Choose the reason."), field="reason")
    _require_expert(commission, reason)
    explanation = (explanation or "").strip()
    if not explanation:
        raise DomainError(_("Explain the state of the assets."), field="explanation")
    assets = list({a.pk: a for a in assets}.values())
    _check_assets(assets)
    writeoff = WriteOff.objects.create(
        commission=commission, reason=reason, explanation=explanation, proposed_by=actor
    )
    writeoff.assets.set(assets)
    audit_record(
        actor=actor,
        action="assets.writeoff.propose",
        obj=writeoff,
        changes={"reason": reason, "assets": sorted(a.sicil_no for a in assets)},
    )
    return writeoff


def registered_document(actor, text: str, *, field: str = "loss_report_document"):
    """The registered document a person means by "2026/145" (among those they may see);
    None for an empty text."""
    text = (text or "").strip()
    if not text:
        return None
    year, _sep, number = text.partition("/")
    if not (year.strip().isdigit() and number.strip().isdigit()):
        raise DomainError(_("Give the registry number as year/number."), field=field)
    found = list(
        Document.objects.visible_to(actor).filter(
            registry_year=int(year), registry_number=int(number)
        )[:2]
    )
    if len(found) != 1:
        raise DomainError(
            _("Choose a registered document you may see.")
            if not found
            else _("Several registries have this number."),
            field=field,
        )
    return found[0]


@transaction.atomic
def writeoff_on_report(
    *,
    actor,
    reason: str,
    explanation: str,
    assets,
    loss_report: str,
    loss_report_date: datetime.date | None,
    loss_report_document: Document | None = None,
) -> WriteOff:
    """The kayıt yetkilisi records a write-off on a tutanak or report that already documents
    the loss (a police report, a fire brigade report, the Sayım Tutanağı …): no commission;
    the Director approves it like a proposal (art. 10/1-e)."""
    require_registrar(actor)
    if reason not in REPORT_REASONS:
        raise DomainError(
            _(
                "Only a loss, a theft, a disaster or fire, or a count shortage is written off on "
                "a report; scrapping and breakage go to a commission."
            ),
            field="reason",
        )
    loss_report = (loss_report or "").strip()
    if not loss_report:
        raise DomainError(_("Name the report that documents the loss."), field="loss_report")
    if loss_report_date is None:
        raise DomainError(_("Enter the date of the report."), field="loss_report_date")
    if loss_report_date > timezone.localdate():
        raise DomainError(_("The report cannot be dated in the future."), field="loss_report_date")
    if (
        loss_report_document is not None
        and not Document.objects.visible_to(actor).filter(pk=loss_report_document.pk).exists()
    ):
        raise DomainError(
            _("Choose a registered document you may see."), field="loss_report_document"
        )
    explanation = (explanation or "").strip()
    if not explanation:
        raise DomainError(_("Explain the state of the assets."), field="explanation")
    assets = list({a.pk: a for a in assets}.values())
    _check_assets(assets)
    writeoff = WriteOff.objects.create(
        commission=None,
        loss_report=loss_report[:300],
        loss_report_date=loss_report_date,
        loss_report_document=loss_report_document,
        reason=reason,
        explanation=explanation,
        proposed_by=actor,
    )
    writeoff.assets.set(assets)
    audit_record(
        actor=actor,
        action="assets.writeoff.on_report",
        obj=writeoff,
        changes={
            "reason": reason,
            "assets": sorted(a.sicil_no for a in assets),
            "loss_report": writeoff.loss_report,
            "loss_report_date": loss_report_date.isoformat(),
            "loss_report_document": loss_report_document.pk if loss_report_document else None,
        },
    )
    return writeoff


def _locked_proposal(writeoff: WriteOff) -> WriteOff:
    locked = WriteOff.objects.select_for_update().get(pk=writeoff.pk)
    if locked.state != WriteOffState.PROPOSED:
        raise DomainError(_("This write-off has already been decided."), field="state")
    return locked


def minute_reference(writeoff: WriteOff) -> str:
    return _("Kayıttan Düşme Teklif ve Onay Tutanağı no. %(n)s") % {"n": writeoff.pk}


def writeoff_minute_pdf(writeoff: WriteOff) -> bytes:
    """The Kayıttan Düşme Teklif ve Onay Tutanağı: the commission's proposal with its members'
    signature blocks (or, without a commission, the report documenting the loss and the
    kayıt yetkilisi who prepared it) and the Director's approval; two copies (art. 10/1-e)."""
    from django.conf import settings
    from django.utils import translation

    from bilgiislem.core.pdf import html_to_pdf
    from bilgiislem.organization.models import Institution

    institution = Institution.objects.first()
    assets = list(writeoff.assets.select_related("code", "store__unit").order_by("sicil_no"))
    members = (
        list(writeoff.commission.members.order_by("last_name", "first_name", "pk"))
        if writeoff.commission_id
        else []
    )
    # An official record: always in the institution's language, whoever's request made it.
    with translation.override(settings.LANGUAGE_CODE):
        html = _render_minute(writeoff, assets, members, institution)
    return html_to_pdf(html)


def _render_minute(writeoff, assets, members, institution) -> str:
    return render_to_string(
        "assets/writeoff/minute_pdf.html",
        {
            "writeoff": writeoff,
            "reference": minute_reference(writeoff),
            "assets": assets,
            "total": sum((a.value for a in assets), 0),
            "members": members,
            "store": assets[0].store if assets else None,
            "letterhead": institution.letterhead if institution else "",
            "copies": [1, 2],
        },
    )


@transaction.atomic
def writeoff_approve(*, actor, writeoff: WriteOff, date: datetime.date | None = None) -> WriteOff:
    """The Director approves: the minute is printed and kept, a draft exit VİF referring to it
    is prepared for the kayıt yetkilisi to sign off. A storage medium without its wipe
    record is refused, naming it."""
    from bilgiislem.core.storage import store_stream

    from .vif import vif_create

    post = require_director(actor)
    writeoff = _locked_proposal(writeoff)
    if writeoff.commission_id is not None:
        _require_expert(writeoff.commission, writeoff.reason)
    assets = list(writeoff.assets.select_related("code").order_by("sicil_no"))
    _check_assets(assets)
    # A lost or stolen medium is not in hand to be wiped: the report documents it instead.
    missing = [] if writeoff.reason in NOT_IN_HAND else unwiped(assets)
    if missing:
        raise DomainError(
            _(
                "The storage medium %(sicil)s cannot be written off before its secure wipe or "
                "destruction is recorded."
            )
            % {"sicil": ", ".join(a.sicil_no for a in missing)},
            field="assets",
        )
    today = date or timezone.localdate()
    writeoff.state = WriteOffState.APPROVED
    writeoff.decided_by = actor
    writeoff.decided_at = timezone.now()
    pdf = writeoff_minute_pdf(writeoff)
    stored = store_stream(io.BytesIO(pdf), max_bytes=len(pdf) + 1)
    writeoff.minute_sha256 = stored.sha256
    writeoff.vif = vif_create(
        actor=actor,
        kind=VifKind.COUNT_SHORTAGE
        if writeoff.reason == WriteOffReason.COUNT_SHORTAGE
        else VifKind.WRITE_OFF,
        store=assets[0].store,
        date=today,
        supporting_reference=minute_reference(writeoff),
        supporting_date=today,
        supporting_document=writeoff.loss_report_document,
        lines=[
            {
                "code": a.code,
                "asset": a,
                "quantity": 1,
                "unit_price": a.value,
                "description": f"{a.make} {a.model}".strip(),
            }
            for a in assets
        ],
    )
    writeoff.save(update_fields=["state", "decided_by", "decided_at", "minute_sha256", "vif"])
    audit_record(
        actor=actor,
        action="assets.writeoff.approve",
        obj=writeoff,
        changes={
            "state": [WriteOffState.PROPOSED, WriteOffState.APPROVED],
            "minute_sha256": writeoff.minute_sha256,
            "vif": writeoff.vif_id,
        },
        acting_for=_acting_for(post),
    )
    return writeoff


@transaction.atomic
def writeoff_reject(*, actor, writeoff: WriteOff, reason: str = "") -> WriteOff:
    """The Director does not approve the proposal; the assets stay on the records."""
    post = require_director(actor)
    writeoff = _locked_proposal(writeoff)
    reason = (reason or "").strip()
    if not reason:
        raise DomainError(_("Say why the proposal is not approved."), field="reason")
    writeoff.state = WriteOffState.REJECTED
    writeoff.decided_by = actor
    writeoff.decided_at = timezone.now()
    writeoff.save(update_fields=["state", "decided_by", "decided_at"])
    audit_record(
        actor=actor,
        action="assets.writeoff.reject",
        obj=writeoff,
        changes={"state": [WriteOffState.PROPOSED, WriteOffState.REJECTED]},
        reason=reason,
        acting_for=_acting_for(post),
    )
    return writeoff
