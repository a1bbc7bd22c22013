"""The ``PackageSpec`` of a signed letter, and the package for one addressee (issue 4 point 7).

One package per outside addressee: the same letter (its signed PDF), metadata and
signatures, with the whole distribution list as on the letter. For an addressee marked "Ek
konulmadı" its Dagitim entry lists every annex in KonulmamisEkListesi and the annex files are
left out of its package (``leave_out_parts``); the digests still name them, which the
Teknik Rehber allows for parts left out for one addressee and our importer accepts.
"""

from __future__ import annotations

import io
import uuid
import xml.etree.ElementTree as ET
import zipfile

from django.apps import apps
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.core import storage
from bilgiislem.core.errors import DomainError
from bilgiislem.core.text import tr_lower
from bilgiislem.registry.choices import AnnexKind, FileRole, Purpose
from bilgiislem.registry.eyp.model import Contact

from ..choices import DETSIS_KINDS, RecipientKind, StepKind, StepStatus
from .builder import EypExportError
from .schema import validate_package_xml
from .spec import (
    DEFAULT_VERIFICATION_URL,
    AnnexSpec,
    PackageSpec,
    RecipientSpec,
    ReferenceSpec,
    SenderSpec,
    SignerSpec,
)

# Names BelgeId and annex ids of our letters (uuid5), so that every export of a letter, to
# whichever addressee, carries the same ids.
NAMESPACE = uuid.UUID("6f1c3c55-0d55-4d53-9a39-3b8f0c4e2a11")
_LABELS = "abcçdefgğhıijklmnoöprsştuüvyz"
_RELS = "{http://schemas.openxmlformats.org/package/2006/relationships}Relationship"
_OVERRIDE = "{http://schemas.openxmlformats.org/package/2006/content-types}Override"


def belge_id_for(letter) -> str:
    """The package's BelgeId: the one recorded on the registration, else derived from the
    letter (stable, so a second export names the same document)."""
    document = letter.document
    if document is not None and document.eyp_belge_id:
        return document.eyp_belge_id.upper()
    return str(uuid.uuid5(NAMESPACE, f"letter:{letter.pk}:{letter.sayi}")).upper()


def annex_id_for(belge_id: str, annex) -> str:
    return str(uuid.uuid5(NAMESPACE, f"{belge_id}:ek:{annex.pk}")).upper()


def signed_pdf_of(letter) -> bytes:
    """The signed letter: the main file of its outgoing registration."""
    document = letter.document
    main = document.files.filter(role=FileRole.MAIN).order_by("-id").first() if document else None
    if main is None:
        raise DomainError(_("The signed letter is not on its registration."), field="letter")
    return storage.open_verified(main.sha256)


def _institution():
    from bilgiislem.organization.models import Institution

    institution = Institution.objects.first()
    if institution is None or not institution.detsis_no:
        raise DomainError(
            _("The institution has no DETSİS number; an e-Yazışma package needs it."),
            field="letter",
        )
    return institution


def _sender(letter, institution) -> SenderSpec:
    name = institution.letterhead or institution.name
    if name.isupper():  # the letterhead is in capitals (art. 10); the metadata is not
        name = " ".join(w[:1] + tr_lower(w[1:]) for w in name.split())
    return SenderSpec(
        name=name,
        detsis=institution.detsis_no,
        unit_detsis=letter.unit.detsis_no,
        contact=Contact(
            address=" ".join(institution.address.split()),
            phone=institution.phone,
            email=institution.email,
            kep=institution.kep_address,
            web=institution.website,
        ),
    )


def _recipient_spec(letter, r, institution, annex_ids, *, target: bool) -> RecipientSpec | None:
    """The Dagitim entry of one recipient, or None when it cannot be written (a public body
    without DETSİS number); for the addressee of the package that is a refusal."""
    common = {
        "name": r.name,
        "purpose": "action" if r.purpose == Purpose.ACTION else "information",
        "urgency": letter.urgency,
        "due_date": letter.urgency_date,
        "omitted_annex_ids": list(annex_ids) if r.annexes_omitted else [],
        "contact": Contact(address=r.address) if r.address else None,
    }
    if r.kind == RecipientKind.INTERNAL:
        unit_code = r.unit.detsis_no if r.unit_id else ""
        return RecipientSpec(identifier=institution.detsis_no, unit_identifier=unit_code, **common)
    if r.kind in DETSIS_KINDS:
        if r.identifier:
            return RecipientSpec(identifier=r.identifier, **common)
        missing = _("%(name)s has no DETSİS number; send the letter on paper.")
    elif r.kind == RecipientKind.COMPANY:
        if r.identifier:
            scheme = "VKN" if len(r.identifier) == 10 else "MERSIS"
            return RecipientSpec(
                identifier=r.identifier, kind="company", identifier_scheme=scheme, **common
            )
        missing = _("%(name)s has no VKN or MERSİS number; send the letter on paper.")
    else:
        return RecipientSpec(identifier=r.identifier, kind="person", **common)
    if target:
        raise DomainError(missing % {"name": r.name}, field="recipient")
    return None


def _signers(letter) -> list[SignerSpec]:
    step = (
        letter.steps.filter(kind=StepKind.SIGNATURE, status=StepStatus.APPROVED)
        .select_related("acted_by", "position", "delegation__delegator")
        .select_related("delegation__delegator_position", "delegation__delegate_position")
        .order_by("-order")
        .first()
    )
    if step is None or step.acted_by is None:
        raise DomainError(_("The letter has no signature yet."), field="letter")
    person = step.acted_by
    title = step.position.title if step.position_id else ""
    spec = SignerSpec(
        first_name=person.first_name,
        last_name=person.last_name,
        position=title,
        tckn=person.tckn,
        title=person.title,
        makam=title,
        signed_at=letter.signed_at,
    )
    label = step.acted_as or ""
    if step.delegation_id is not None or label.endswith(" a."):
        delegation = step.delegation
        if delegation is not None:
            giver = delegation.delegator
            spec.position = delegation.delegate_position.title
            spec.makam = delegation.delegator_position.title
            spec.on_behalf_of = SignerSpec(
                giver.first_name,
                giver.last_name,
                delegation.delegator_position.title,
                tckn=giver.tckn,
            )
        spec.role = "a."
    elif label.endswith(" V."):
        spec.role = "V."
        holder = _holder(step.position, letter.signed_at)
        if holder is not None and holder.pk != person.pk:
            spec.on_behalf_of = SignerSpec(
                holder.first_name, holder.last_name, title, tckn=holder.tckn
            )
    return [spec]


def _holder(position, when):
    from bilgiislem.organization.models import PositionHolding

    if position is None:
        return None
    holding = (
        PositionHolding.objects.active_on(timezone.localdate(when))
        .filter(position=position)
        .select_related("person")
        .first()
    )
    return holding.person if holding else None


def _references(letter) -> list[ReferenceSpec]:
    items = []
    for ref in letter.references.select_related("document"):
        document = ref.document
        date = document.document_date or timezone.localdate(document.registered_at)
        items.append((date, document))
    items.sort(key=lambda item: item[0])
    return [
        ReferenceSpec(
            etiket=_LABELS[n % len(_LABELS)],
            sayi=document.sayi or document.number_label,
            date=date,
            name=document.party_name[:300],
        )
        for n, (date, document) in enumerate(items)
    ]


def _sdp_name(code: str) -> str:
    """The file plan title of the code when the archive's file plan knows it (AnaSdp/Ad is
    required), else the code itself."""
    if apps.is_installed("bilgiislem.archive"):
        try:
            model = apps.get_model("archive", "FilePlanCode")
        except LookupError:
            model = None
        if model is not None:
            title = model.objects.filter(code=code).order_by("-pk").values_list("title", flat=True)
            if title.first():
                return title.first()
    return code


def _annexes(letter, belge_id) -> list[AnnexSpec]:
    specs = []
    for annex in letter.annexes.all():
        spec = AnnexSpec(
            kind=annex.kind,
            name=annex.description,
            id=annex_id_for(belge_id, annex),
            sayi=annex.sayi,
        )
        if annex.kind == AnnexKind.FILE:
            spec.file_name = annex.filename
            spec.content = storage.open_verified(annex.sha256)
            spec.mime_type = annex.content_type or "application/octet-stream"
        elif annex.kind == AnnexKind.EXTERNAL:
            # HRF needs a Referans: an annex known only by its Sayı (BelgeNo) points at the
            # e-Devlet verification service, where a Sayı is looked up.
            spec.url = annex.url or DEFAULT_VERIFICATION_URL
        else:
            spec.description = annex.description
        specs.append(spec)
    return specs


def package_spec(letter, recipient) -> PackageSpec:
    """What goes into the package of a signed ``letter`` for ``recipient`` (one of its
    outside recipients). Refuses, naming the reason, what cannot be packaged."""
    institution = _institution()
    belge_id = belge_id_for(letter)
    annexes = _annexes(letter, belge_id)
    annex_ids = [a.id for a in annexes]
    distribution = []
    for r in letter.recipients.select_related("unit"):
        entry = _recipient_spec(letter, r, institution, annex_ids, target=r.pk == recipient.pk)
        if entry is not None:
            distribution.append(entry)
    if letter.signed_at is None or not letter.sayi:
        raise DomainError(_("Only a signed letter is sent."), field="letter")
    return PackageSpec(
        belge_id=belge_id,
        subject=letter.subject,
        sdp_code=letter.sdp_code,
        sdp_name=_sdp_name(letter.sdp_code),
        sender=_sender(letter, institution),
        distribution=distribution,
        sayi=letter.sayi,
        date=letter.signed_at,
        signers=_signers(letter),
        letter_pdf=signed_pdf_of(letter),
        letter_file_name=f"{letter.sayi}.pdf",
        secrecy=letter.secrecy,
        annexes=annexes,
        references=_references(letter),
    )


def omitted_annex_ids(spec: PackageSpec, recipient) -> list[str]:
    """The file annexes left out of this addressee's package ("Ek konulmadı")."""
    if not recipient.annexes_omitted:
        return []
    return [a.id for a in spec.annexes if a.kind == "file"]


def leave_out_parts(data: bytes, annex_ids: list[str]) -> bytes:
    """The package without the parts of these (file) annexes, for an addressee they are not
    sent to. Signatures stay valid: they cover the summaries, which keep the annexes'
    digests; the relationships and content types lose their entries."""
    if not annex_ids:
        return data
    wanted = {f"IdEk_{i}".upper() for i in annex_ids}
    source = zipfile.ZipFile(io.BytesIO(data))
    # Our own package, just built and checked: not untrusted input.
    rels = ET.fromstring(source.read("_rels/.rels"))  # noqa: S314
    dropped = set()
    for rel in list(rels.iter(_RELS)):
        if rel.get("Id", "").upper() in wanted:
            dropped.add(rel.get("Target", "").lstrip("/"))
            rels.remove(rel)
    types = ET.fromstring(source.read("[Content_Types].xml"))  # noqa: S314
    for override in list(types.iter(_OVERRIDE)):
        if override.get("PartName", "").lstrip("/") in dropped:
            types.remove(override)
    replaced = {
        "_rels/.rels": _xml(rels, "http://schemas.openxmlformats.org/package/2006/relationships"),
        "[Content_Types].xml": _xml(
            types, "http://schemas.openxmlformats.org/package/2006/content-types"
        ),
    }
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in source.infolist():
            if info.filename in dropped:
                continue
            content = replaced.get(info.filename, source.read(info.filename))
            archive.writestr(_copy_info(info), content)
    out = buffer.getvalue()
    _check_left_out(out)
    return out


def _copy_info(info: zipfile.ZipInfo) -> zipfile.ZipInfo:
    copy = zipfile.ZipInfo(info.filename, date_time=info.date_time)
    copy.compress_type = zipfile.ZIP_DEFLATED
    return copy


def _xml(root, namespace: str) -> bytes:
    from .xmlparts import serialize

    prefix = f"{{{namespace}}}"
    for element in root.iter():
        if element.tag.startswith(prefix):
            element.tag = element.tag[len(prefix) :]
    return serialize(root, default_namespace=namespace)


def _check_left_out(data: bytes) -> None:
    """Like ``check_built_package``, except the notes that some parts were left out."""
    from bilgiislem.registry.eyp import EypError, read_package

    problems = validate_package_xml(data)
    try:
        package = read_package(data)
    except EypError as exc:
        problems += [f"importer: {reason}" for reason in exc.reasons]
    else:
        problems += [
            f"importer warning: {w}" for w in package.warnings if "not in the package" not in w
        ]
    if problems:
        raise EypExportError(problems)
