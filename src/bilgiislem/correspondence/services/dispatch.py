"""Sending a signed letter to its outside recipients (gönderim; issue 4 point 7).

- ``letter_export_eyp``: the e-Yazışma package (.eyp) for one addressee, ready to send by
  KEP: built from the signed letter, its annexes and metadata, signed and sealed, checked
  against the official schemas and our own importer, stored and filed on the outgoing
  registration. Asked again for the same addressee, it returns the package already made.
- ``letter_dispatch_paper``: the letter printed and given to a courier. A colleague takes the
  printout into custody (zimmet) through the registry and acknowledges it there; an outside
  courier or the post is named, with a tracking number when there is one.

Internal recipients are not dispatched here: they received the letter in their incoming
registry when it was signed. A letter the person may not see, or a recipient that is not the
letter's, answers 404.
"""

import io

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError, PermissionDeniedError
from bilgiislem.registry import permissions as registry_permissions
from bilgiislem.registry.choices import FileRole
from bilgiislem.registry.models import Document, DocumentFile
from bilgiislem.registry.services import custody_hand_over, paper_holder

from .. import signing as pades
from ..choices import LetterStatus, RecipientKind
from ..eyp_export import build_package
from ..eyp_export.from_letter import leave_out_parts, omitted_annex_ids, package_spec
from ..models import Dispatch, Letter
from ..querysets import letters
from .annexes import forget_blob

EYP_CONTENT_TYPE = "application/eyazisma"


def _visible(actor, letter, recipient, *, lock: bool):
    """The letter (locked when changing it) and its recipient; 404 for a letter the actor
    may not see or a recipient of another letter."""
    queryset = letters(actor).select_related("unit", "document", "document__registry")
    if lock:
        # Locks the letter row only: dispatches of one letter queue, others run alongside.
        if not queryset.filter(pk=letter.pk).exists():
            raise Http404
        found = (
            Letter.objects.select_for_update(of=("self",))
            .select_related("unit", "document", "document__registry")
            .get(pk=letter.pk)
        )
    else:
        found = queryset.filter(pk=letter.pk).first()
        if found is None:
            raise Http404
    row = found.recipients.filter(pk=getattr(recipient, "pk", recipient)).first()
    if row is None:
        raise Http404
    return found, row


def _outside_recipient_of_signed(letter, recipient) -> None:
    if letter.status != LetterStatus.SIGNED or letter.document is None:
        raise DomainError(_("Only a signed letter is sent."), field="letter")
    if recipient.kind == RecipientKind.INTERNAL:
        raise DomainError(
            _(
                "A directorate of the municipality received the letter in its incoming "
                "registry when it was signed."
            ),
            field="recipient",
        )


def eyp_dispatch(*, actor, letter, recipient) -> Dispatch | None:
    """The package already made for this addressee (None when there is none yet)."""
    letter, recipient = _visible(actor, letter, recipient, lock=False)
    return (
        letter.dispatches.filter(recipient=recipient, method=Dispatch.Method.EYP)
        .order_by("id")
        .first()
    )


def letter_export_eyp(
    *, actor, letter, recipient, signer, seal_signer=None, timestamper=None
) -> Dispatch:
    """The .eyp of a signed letter for one outside recipient, made once and kept.

    ``signer`` signs PaketOzeti (the configured server key), ``seal_signer`` seals NihaiOzet
    as the institution's e-mühür (the signer seals when there is none).
    """
    stored = None
    try:
        with transaction.atomic():
            letter, recipient = _visible(actor, letter, recipient, lock=True)
            _outside_recipient_of_signed(letter, recipient)
            existing = letter.dispatches.filter(
                recipient=recipient, method=Dispatch.Method.EYP
            ).first()
            if existing is not None:
                return existing
            spec = package_spec(letter, recipient)
            try:
                data = build_package(
                    spec, signer=signer, seal_signer=seal_signer, timestamper=timestamper
                )
            except pades.SigningError as exc:
                raise DomainError(str(exc), field="signature") from exc
            data = leave_out_parts(data, omitted_annex_ids(spec, recipient))
            stored = storage.store_stream(
                io.BytesIO(data), max_bytes=settings.BILGIISLEM_EYP_MAX_BYTES
            )
            document = letter.document
            DocumentFile.objects.create(
                document=document,
                role=FileRole.EYP_PACKAGE,
                filename=f"{letter.sayi} - {recipient.name}.eyp"[:255],
                content_type=EYP_CONTENT_TYPE,
                size=stored.size,
                sha256=stored.sha256,
                uploaded_by=actor,
            )
            if not document.eyp_belge_id:
                document.eyp_belge_id = spec.belge_id
                Document.objects.filter(pk=document.pk).update(eyp_belge_id=spec.belge_id)
            dispatch = Dispatch.objects.create(
                letter=letter,
                recipient=recipient,
                method=Dispatch.Method.EYP,
                package_sha256=stored.sha256,
                package_size=stored.size,
                dispatched_by=actor,
            )
            audit_record(
                actor=actor,
                action="correspondence.letter.eyp_exported",
                obj=letter,
                changes={
                    "recipient": recipient.name,
                    "belge_id": spec.belge_id,
                    "sha256": stored.sha256,
                    "size": stored.size,
                    "annexes_left_out": len(omitted_annex_ids(spec, recipient)),
                },
            )
            return dispatch
    except BaseException:
        forget_blob(stored)
        raise


@transaction.atomic
def letter_dispatch_paper(
    *, actor, letter, recipient, courier=None, courier_name="", tracking_number=""
) -> Dispatch:
    """Record that the printed letter left for ``recipient``: given to a colleague
    (``courier``, who takes it into custody and acknowledges it), or to an outside courier
    or the post named in ``courier_name`` (with its ``tracking_number``, if any)."""
    letter, recipient = _visible(actor, letter, recipient, lock=True)
    _outside_recipient_of_signed(letter, recipient)
    courier_name = " ".join((courier_name or "").split())
    tracking_number = (tracking_number or "").strip()
    if courier is None and not courier_name:
        raise DomainError(
            _("Choose the colleague who carries it, or name the courier or post service."),
            field="courier",
        )
    if courier is not None and courier_name:
        raise DomainError(
            _("Choose a colleague or name an outside courier, not both."), field="courier_name"
        )
    if len(courier_name) > 200:
        raise DomainError(_("Keep the courier's name under 200 characters."), field="courier_name")
    if len(tracking_number) > 100:
        raise DomainError(
            _("Keep the tracking number under 100 characters."), field="tracking_number"
        )
    document = letter.document
    if courier is not None:
        if not courier.is_active:
            raise DomainError(_("This account is disabled."), field="courier")
        registry = document.registry
        if not (
            actor.is_superuser
            or registry_permissions.clerk_post(actor, registry)
            or registry_permissions.director_post(actor, registry)
        ):
            raise PermissionDeniedError(
                _("Only the directorate's registry hands the letter to a colleague.")
            )
        holder = paper_holder(document)
        if holder is None or holder.holder_id != courier.pk:
            custody_hand_over(actor=actor, document=document, to_person=courier, printout=True)
    dispatch = Dispatch.objects.create(
        letter=letter,
        recipient=recipient,
        method=Dispatch.Method.PAPER,
        courier=courier,
        courier_name=courier_name,
        tracking_number=tracking_number,
        dispatched_by=actor,
    )
    audit_record(
        actor=actor,
        action="correspondence.letter.dispatched_paper",
        obj=letter,
        changes={
            "recipient": recipient.name,
            "courier": str(courier) if courier is not None else courier_name,
            "tracking_number": tracking_number,
        },
    )
    return dispatch
