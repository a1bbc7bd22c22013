"""Annexes (ekler) of a letter (RYY art. 18; issue 4 points 1, 2 and 7).

An annex is a file (its bytes in core.storage, checked like any registry upload), an
external reference (a link or the Sayı of another document) or a physical object sent
separately. Adding, removing or reordering annexes, and marking a recipient "Ek konulmadı",
change what is signed: like a change of the text they make a new version and void the parafs
given (``drafting.start_new_version``). When the letter is signed its file annexes are filed
on the outgoing registration (``copy_annexes_to_registration``).
"""

import contextlib

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from bilgiislem.audit.services import audit_record
from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError
from bilgiislem.registry.choices import AnnexKind, FileRole
from bilgiislem.registry.models import Annex, Document, DocumentFile
from bilgiislem.registry.services.files import check_upload

from ..choices import RecipientKind
from ..models import Dispatch, Letter, LetterAnnex, LetterRecipient
from .drafting import editable_for, record_version, start_new_version

MAX_ANNEXES = 50


def annex_line(annex: LetterAnnex) -> str:
    """How the annex is listed under "Ek:" on the letter: its description, and what it is
    (the file's name, the referenced Sayı or address)."""
    detail = {
        AnnexKind.FILE: annex.filename,
        AnnexKind.EXTERNAL: annex.sayi or annex.url,
    }.get(annex.kind, "")
    if detail and detail not in annex.description:
        return f"{annex.description} ({detail})"
    return annex.description


def annex_lines(letter: Letter) -> list[str]:
    return [annex_line(a) for a in letter.annexes.all()]


def _clean(kind, description, upload, url, sayi) -> tuple[str, str, str]:
    if kind not in AnnexKind.values:
        raise DomainError(_("Choose the kind of annex."), field="kind")
    description = " ".join((description or "").split())
    url, sayi = (url or "").strip(), " ".join((sayi or "").split())
    if kind == AnnexKind.FILE:
        check_upload(upload)  # names the field "file"
        description = description or upload.name.rsplit("/", 1)[-1]
    elif kind == AnnexKind.EXTERNAL:
        if not (url or sayi):
            raise DomainError(_("Give the address or the Sayı of the document."), field="url")
        if url and not url.lower().startswith(("https://", "http://")):
            raise DomainError(_("Give a web address starting with https://."), field="url")
    if not description:
        raise DomainError(_("Describe the annex."), field="description")
    if len(description) > 500:
        raise DomainError(_("Keep the description under 500 characters."), field="description")
    return description, url[:500], sayi[:100]


def _renumber(letter) -> None:
    for position, annex in enumerate(letter.annexes.order_by("order", "id")):
        if annex.order != position:
            annex.order = position
            annex.save(update_fields=["order"])


def _changed(*, actor, letter, action, changes) -> None:
    """The common end of every annex change: a new version, parafs voided, audit event."""
    voided = start_new_version(letter)
    record_version(letter, actor)
    audit_record(
        actor=actor,
        action=action,
        obj=letter,
        changes={**changes, "version": letter.version, "parafs_voided": voided},
    )


def letter_annex_add(
    *, actor, letter: Letter, kind, description="", upload=None, url="", sayi=""
) -> LetterAnnex:
    """Add an annex at the end of the list of a draft (a new version of the letter)."""
    stored = None
    try:
        with transaction.atomic():
            letter = editable_for(actor, letter.pk)
            description, url, sayi = _clean(kind, description, upload, url, sayi)
            if letter.annexes.count() >= MAX_ANNEXES:
                raise DomainError(
                    _("A letter has at most %(n)d annexes; list the rest on one annex.")
                    % {"n": MAX_ANNEXES},
                    field="kind",
                )
            fields = {"url": url, "sayi": sayi} if kind == AnnexKind.EXTERNAL else {}
            if kind == AnnexKind.FILE:
                head = upload.read(storage.SNIFF_BYTES)
                upload.seek(0)
                stored = storage.store_stream(
                    upload,
                    max_bytes=settings.BILGIISLEM_UPLOAD_MAX_BYTES,
                    filename=upload.name,
                    allowed_extensions=settings.BILGIISLEM_UPLOAD_EXTENSIONS,
                )
                fields = {
                    "filename": upload.name.rsplit("/", 1)[-1][:255],
                    "content_type": storage.sniff_content_type(head, upload.name),
                    "size": stored.size,
                    "sha256": stored.sha256,
                }
            last = letter.annexes.order_by("-order").values_list("order", flat=True).first()
            annex = LetterAnnex.objects.create(
                letter=letter,
                kind=kind,
                description=description,
                order=0 if last is None else last + 1,
                **fields,
            )
            _changed(
                actor=actor,
                letter=letter,
                action="correspondence.annex.added",
                changes={
                    "annex": annex.pk,
                    "kind": kind,
                    "description": description,
                    "sha256": annex.sha256,
                },
            )
            return annex
    except BaseException:
        forget_blob(stored)
        raise


def forget_blob(stored) -> None:
    """A blob written by a failed action is removed again when nothing points to it."""
    if stored is None or not stored.created:
        return
    sha256 = stored.sha256
    if (
        LetterAnnex.objects.filter(sha256=sha256).exists()
        or DocumentFile.objects.filter(sha256=sha256).exists()
        or Dispatch.objects.filter(package_sha256=sha256).exists()
    ):
        return
    with contextlib.suppress(FileNotFoundError):
        storage.blob_path(sha256).unlink()


def _annex_of(letter, annex) -> LetterAnnex:
    found = letter.annexes.filter(pk=getattr(annex, "pk", annex)).first()
    if found is None:
        raise DomainError(_("This annex is not on the letter."), field="annex")
    return found


@transaction.atomic
def letter_annex_remove(*, actor, letter: Letter, annex) -> Letter:
    """Take an annex off a draft (a new version). Its bytes stay in the store, which is
    content-addressed and shared; the earlier version still names them."""
    letter = editable_for(actor, letter.pk)
    annex = _annex_of(letter, annex)
    removed = {"annex": annex.pk, "description": annex.description, "sha256": annex.sha256}
    annex.delete()
    _renumber(letter)
    _changed(actor=actor, letter=letter, action="correspondence.annex.removed", changes=removed)
    return letter


@transaction.atomic
def letter_annex_move(*, actor, letter: Letter, annex, position: int) -> Letter:
    """Put an annex at ``position`` (0 = first): the "Ek-1, Ek-2" numbering changes."""
    letter = editable_for(actor, letter.pk)
    annex = _annex_of(letter, annex)
    ordered = list(letter.annexes.order_by("order", "id"))
    if not isinstance(position, int) or not 0 <= position < len(ordered):
        raise DomainError(_("Choose a place in the list of annexes."), field="position")
    old = ordered.index(annex)
    if old == position:
        return letter
    ordered.insert(position, ordered.pop(old))
    for number, item in enumerate(ordered):
        if item.order != number:
            item.order = number
            item.save(update_fields=["order"])
    _changed(
        actor=actor,
        letter=letter,
        action="correspondence.annex.moved",
        changes={"annex": annex.pk, "from": old + 1, "to": position + 1},
    )
    return letter


@transaction.atomic
def letter_recipient_mark_annexes(
    *, actor, letter: Letter, recipient, omitted: bool
) -> LetterRecipient:
    """Mark a recipient "Ek konulmadı" (the annexes are not sent to it), or clear the mark."""
    letter = editable_for(actor, letter.pk)
    row = letter.recipients.filter(pk=getattr(recipient, "pk", recipient)).first()
    if row is None:
        raise DomainError(_("This recipient is not on the letter."), field="recipient")
    if row.annexes_omitted == bool(omitted):
        return row
    row.annexes_omitted = bool(omitted)
    row.save(update_fields=["annexes_omitted"])
    _changed(
        actor=actor,
        letter=letter,
        action="correspondence.recipient.annexes_marked",
        changes={"recipient": row.name, "annexes_omitted": row.annexes_omitted},
    )
    return row


def copy_annexes_to_registration(*, actor, letter: Letter, document: Document) -> list[Annex]:
    """File the annexes of a just-signed letter on its outgoing registration, inside the
    signing transaction: each annex as a registry ``Annex`` row, a file annex with its bytes as
    a ``DocumentFile`` (role annex). The copies already delivered to internal recipients get
    them as well, except a recipient marked "Ek konulmadı".

    Call it after the internal deliveries (they copy the files the registration has at that
    moment). Calling it again changes nothing.
    """
    if document.annexes.exists():
        return list(document.annexes.all())
    annexes = list(letter.annexes.order_by("order", "id"))
    created = _file_annexes(actor, document, annexes)
    omitted_units = set(
        letter.recipients.filter(kind=RecipientKind.INTERNAL, annexes_omitted=True).values_list(
            "unit_id", flat=True
        )
    )
    for copy in Document.objects.filter(source=document).exclude(registry_id__in=omitted_units):
        if not copy.annexes.exists():
            _file_annexes(actor, copy, annexes)
    if annexes:
        audit_record(
            actor=actor,
            action="correspondence.annex.registered",
            obj=letter,
            changes={"document": document.number_label, "annexes": len(annexes)},
        )
    return created


def _file_annexes(actor, document, annexes) -> list[Annex]:
    rows = []
    for annex in annexes:
        file = None
        if annex.kind == AnnexKind.FILE:
            file = DocumentFile.objects.create(
                document=document,
                role=FileRole.ANNEX,
                filename=annex.filename,
                content_type=annex.content_type,
                size=annex.size or 0,
                sha256=annex.sha256,
                uploaded_by=actor,
            )
        rows.append(
            Annex.objects.create(
                document=document,
                kind=annex.kind,
                description=annex_line(annex)[:500],
                file=file,
            )
        )
    return rows
