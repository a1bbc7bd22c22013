"""``read_package``: check an incoming EYP 2.x package and read its metadata.

The checks run in the order of standards.md section 2 and collect every reason they find,
so the sender can be told everything wrong at once (the rule says the sender must be told
by the end of the second business day). Deviations that leave the content intact are kept
as ``EypPackage.warnings`` instead (shared/eyazisma/README.md: be tolerant, report it).
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass

from .digests import Findings, check_summary, require_coverage
from .metadata import (
    NihaiUstveri,
    Ustveri,
    due_date,
    read_core_properties,
    read_nihai_ustveri,
    read_ustveri,
)
from .model import Annex, EypError, EypPackage
from .opc import (
    CONTENT_TYPES,
    DEFAULT_MAX_ENTRIES,
    DEFAULT_MAX_TOTAL_BYTES,
    PACKAGE_RELS,
    Container,
    Refused,
    content_type,
    key,
    open_container,
    read_zip,
)
from .safexml import XmlRefused, parse_xml


@dataclass(frozen=True)
class Role:
    """A part the package may hold: how it is found and whether it must be there (2.2)."""

    name: str  # relationship name under http://eyazisma.dpt/iliskiler/
    label: str
    standard_path: str  # where the official API puts it ("" = any file in /UstYazi/)
    source: str  # role whose relationships point to it ("" = the package)
    mandatory: bool
    rule: str


# Mandatory for an incoming package: a document that has left its sender is signed and
# numbered, so besides the letter and its metadata it carries the signed summary and
# signature, NihaiUstveri (its Sayı and date, which we register) and the sealed NihaiOzet
# (2.2, 2.3 signing order; K.2, K.16, K.26, K.81–K.85, K.98, K.100). The paraf parts are
# optional: paraf may be kept in the sender's metadata and not sent (standards.md 1, art. 21).
ROLES = (
    Role("ustyazi", "UstYazi (the cover letter)", "", "", True, "K.2"),
    Role("ustveri", "Ustveri", "/Ustveri/Ustveri.xml", "", True, "K.16"),
    Role("parafozeti", "ParafOzeti", "/ParafOzeti/ParafOzeti.xml", "", False, ""),
    Role(
        "parafimzacades",
        "paraf signature",
        "/Paraflar/ParafImzaCades.imz",
        "parafozeti",
        False,
        "",
    ),
    Role("paketozeti", "PaketOzeti", "/PaketOzeti/PaketOzeti.xml", "", True, "K.26"),
    Role(
        "imzacades", "signature (ImzaCades)", "/Imzalar/ImzaCades.imz", "paketozeti", True, "K.81"
    ),
    Role("nihaiustveri", "NihaiUstveri", "/NihaiUstveri/NihaiUstveri.xml", "", True, "K.82"),
    Role("nihaiozet", "NihaiOzet", "/NihaiOzet/NihaiOzet.xml", "", True, "K.98"),
    Role("muhurcades", "e-seal (MuhurCades)", "/Muhur/MuhurCades.imz", "nihaiozet", True, "K.100"),
    Role("core-properties", "core properties", "", "", False, "K.68"),
)
SIGNATURES = ("parafimzacades", "imzacades", "muhurcades")


def read_package(
    data: bytes,
    *,
    max_total_bytes: int = DEFAULT_MAX_TOTAL_BYTES,
    max_entries: int = DEFAULT_MAX_ENTRIES,
    recipient_codes=(),
) -> EypPackage:
    """Check an ``.eyp`` file and return its content, or raise ``EypError`` with the reasons.

    ``recipient_codes`` are our DETSİS numbers; they pick our Dagitim entry for the urgency.
    """
    try:
        parts = read_zip(data, max_total_bytes=max_total_bytes, max_entries=max_entries)
    except Refused as exc:
        raise EypError(exc.reasons) from None
    container, errors = open_container(parts)
    findings = Findings(errors=errors)
    if container.find(CONTENT_TYPES) is None or container.find(PACKAGE_RELS) is None:
        raise EypError(findings.errors)  # not an OPC package: nothing else can be trusted
    check_not_encrypted(container, findings)
    located = locate_parts(container, findings)
    check_cover_letter(container, located, findings)
    check_signatures_not_empty(container, located, findings)
    meta = read_ustveri_part(container, located, findings)
    final = read_nihai_part(container, located, findings)
    core = read_core_part(container, located, findings)
    if meta is not None:
        check_core_properties(core, meta, findings)
        locate_annexes(container, meta, findings)
        check_annex_listing(container, meta, findings)
    check_digests(container, located, meta, findings)
    check_content_types(container, findings)
    if findings.errors:
        raise EypError(findings.errors)
    return build_package(container, located, meta, final, core, findings, recipient_codes)


def check_not_encrypted(container: Container, findings: Findings) -> None:
    """Encrypted (.eyps) and update (.eypg) packages are out of scope (2.1, 2.2)."""
    if container.related("sifreliicerik") or container.related("sifreliicerikbilgisi"):
        findings.errors.append(
            "The package is encrypted (.eyps, SifreliIcerik); only unencrypted EYP 2.x "
            "packages can be imported."
        )
    if container.related("guncellemebilgisi"):
        findings.errors.append(
            "The package is an update package (.eypg, GuncellemeBilgisi); only a full "
            "EYP 2.x document package can be imported."
        )


def locate_parts(container: Container, findings: Findings) -> dict[str, str | None]:
    """Find each role's part through its relationship, reporting missing mandatory parts."""
    located: dict[str, str | None] = {}
    for role in ROLES:
        located[role.name] = _locate(container, role, located, findings)
    return located


def _locate(container, role: Role, located, findings) -> str | None:
    source = located.get(role.source) if role.source else "/"
    relationships = container.related(role.name)
    preferred = [r for r in relationships if r.source == source] or relationships
    targets = {key(r.target): r.target for r in preferred}
    if len(targets) > 1:
        names = ", ".join(sorted(targets.values()))
        findings.errors.append(f"The package has more than one {role.label} part: {names}.")
        return None
    if targets:
        # A relationship to a part that is absent was already reported by name.
        return container.find(next(iter(targets.values())))
    fallback = _standard_part(container, role)
    if fallback is not None:
        findings.warnings.append(
            f"{fallback}: no '{role.name}' relationship points to this {role.label} part."
        )
        return fallback
    if role.mandatory:
        path = role.standard_path or "/UstYazi/"
        findings.errors.append(
            f"{path}: missing part — the package has no {role.label} "
            f"(relationship '{role.name}', standards.md 2.2, {role.rule})."
        )
    return None


def _standard_part(container: Container, role: Role) -> str | None:
    if role.standard_path:
        return container.find(role.standard_path)
    if role.name == "ustyazi":
        letters = [n for n in container.parts if key(n).startswith("/ustyazi/")]
        return letters[0] if len(letters) == 1 else None
    return None


def check_cover_letter(container: Container, located, findings: Findings) -> None:
    """The üst yazı lives in /UstYazi/, has no spaces in its name and is a PDF (K.4–K.6)."""
    name = located["ustyazi"]
    if name is None:
        return
    if not key(name).startswith("/ustyazi/"):
        findings.warnings.append(f"{name}: the cover letter is not under /UstYazi/ (K.4).")
    if " " in posixpath.basename(name):
        findings.warnings.append(f"{name}: the cover letter's file name contains spaces (K.5).")
    if not container.parts[name].startswith(b"%PDF-"):
        findings.warnings.append(f"{name}: the cover letter is not a PDF; PDF/A is required (K.6).")


def check_signatures_not_empty(container: Container, located, findings: Findings) -> None:
    """Signature parts must carry something (K.81, K.100); CAdES is not verified here."""
    for role in SIGNATURES:
        name = located[role]
        if name is not None and not container.parts[name]:
            findings.errors.append(f"{name}: the signature part is empty.")


def _parse(container: Container, name: str, findings: Findings):
    try:
        return parse_xml(container.parts[name], name)
    except XmlRefused as exc:
        findings.errors.append(str(exc))
        return None


def read_ustveri_part(container, located, findings: Findings) -> Ustveri | None:
    if located["ustveri"] is None:
        return None
    root = _parse(container, located["ustveri"], findings)
    return read_ustveri(root, findings) if root is not None else None


def read_nihai_part(container, located, findings: Findings) -> NihaiUstveri | None:
    if located["nihaiustveri"] is None:
        return None
    root = _parse(container, located["nihaiustveri"], findings)
    return read_nihai_ustveri(root, findings) if root is not None else None


def read_core_part(container, located, findings: Findings) -> dict[str, str]:
    if located["core-properties"] is None:
        findings.warnings.append("The OPC core properties part is missing (K.68–K.73).")
        return {}
    root = _parse(container, located["core-properties"], findings)
    return read_core_properties(root) if root is not None else {}


def check_core_properties(core: dict[str, str], meta: Ustveri, findings: Findings) -> None:
    """identifier = BelgeId, subject = Konu, category and contentType fixed (K.68–K.73)."""
    if not core:
        return
    if core.get("identifier", "").upper() != meta.belge_id.upper():
        findings.warnings.append("core properties: identifier differs from BelgeId (K.68).")
    if core.get("subject", "") != meta.subject:
        findings.warnings.append("core properties: subject differs from Ustveri Konu (K.69).")
    category = core.get("category", "")
    if "SIFRELI" in category or "GUNCELLEME" in category:
        findings.errors.append(
            f"core properties: category {category} — encrypted and update packages "
            "cannot be imported."
        )
    elif category != "RESMIYAZISMA":
        findings.warnings.append(f"core properties: category is {category!r}, not RESMIYAZISMA.")
    if core.get("contentType", "") != "application/eyazisma":
        findings.warnings.append("core properties: contentType is not application/eyazisma.")
    if not core.get("version", "").startswith("2."):
        findings.warnings.append(
            f"core properties: version {core.get('version', '')!r} is not 2.x."
        )


def locate_annexes(container: Container, meta: Ustveri, findings: Findings) -> None:
    """Give each electronic (DED) annex its part; a missing one is refused (K.23)."""
    omitted = {i for d in meta.distribution for i in d.omitted_annex_ids}
    for annex in meta.annexes:
        if annex.kind != "file":
            continue
        annex.part_name = _annex_part(container, annex)
        if annex.part_name is not None:
            continue
        where = f"/Ekler/{annex.file_name}" if annex.file_name else f"annex {annex.id}"
        if annex.id in omitted:
            findings.warnings.append(
                f"{where}: annex {annex.sequence} ({annex.name}) is not in the package; "
                "the distribution list says it was not sent to some addressees."
            )
        else:
            findings.errors.append(
                f"{where}: missing part — annex {annex.sequence} ({annex.name}) is listed "
                "in Ustveri as an electronic file but is not in the package (K.23)."
            )


def _annex_part(container: Container, annex: Annex) -> str | None:
    relationships = container.related("ek") + container.related("imzasizek")
    by_id = {r.id.upper(): r for r in relationships}
    for prefix in ("IDEK_", "IDIMZASIZEK_"):
        if prefix + annex.id in by_id:
            return container.find(by_id[prefix + annex.id].target)
    for relationship in relationships:
        if annex.file_name and posixpath.basename(relationship.target) == annex.file_name:
            return container.find(relationship.target)
    for folder in ("/Ekler/", "/ImzasizEkler/"):
        if annex.file_name and container.find(folder + annex.file_name):
            return container.find(folder + annex.file_name)
    return None


def check_annex_listing(container: Container, meta: Ustveri, findings: Findings) -> None:
    """Every packaged annex is listed (K.24); İlgi→Ek links hold (K.25); Ids unique (K.61)."""
    listed = {key(a.part_name) for a in meta.annexes if a.part_name}
    for relationship in container.related("ek") + container.related("imzasizek"):
        if key(relationship.target) not in listed and container.find(relationship.target):
            findings.warnings.append(
                f"{relationship.target}: the annex part is not listed in Ustveri Ekler (K.24)."
            )
    annex_ids = {a.id for a in meta.annexes}
    for reference in meta.references:
        if reference.annex_id and reference.annex_id not in annex_ids:
            findings.warnings.append(
                f"Ustveri: İlgi ({reference.etiket}) points to annex {reference.annex_id}, "
                "which is not listed (K.25)."
            )
    ids = [meta.belge_id.upper()] + [a.id for a in meta.annexes]
    ids += [r.id.upper() for r in meta.references]
    if len(ids) != len(set(ids)):
        findings.warnings.append("Ustveri: the letter, annexes and references share an Id (K.61).")


def check_digests(container: Container, located, meta: Ustveri | None, findings) -> None:
    """Recompute every digest of PaketOzeti, ParafOzeti and NihaiOzet (2.3, K.26–K.45)."""
    may_be_absent = _may_be_absent(container, located, meta)
    signed_annexes = [r.target for r in container.related("ek") if container.find(r.target)]
    body = [p for p in (located["ustyazi"], located["ustveri"]) if p]
    paraf = [p for p in (located["parafozeti"], located["parafimzacades"]) if p]
    summaries = []
    if located["parafozeti"]:
        summary = check_summary(
            container, located["parafozeti"], "ParafOzeti", findings, may_be_absent=may_be_absent
        )
        if summary:
            require_coverage(summary, body, findings)
            summaries.append(summary)
    if located["paketozeti"]:
        summary = check_summary(
            container, located["paketozeti"], "PaketOzeti", findings, may_be_absent=may_be_absent
        )
        if summary:
            require_coverage(summary, body + signed_annexes + paraf, findings)
            summaries.append(summary)
    if located["nihaiozet"]:
        summary = check_summary(
            container,
            located["nihaiozet"],
            "NihaiOzet",
            findings,
            may_be_absent=may_be_absent,
            external_allowed=False,
        )
        if summary:
            signed = [located[r] for r in ("paketozeti", "imzacades", "nihaiustveri")]
            require_coverage(
                summary, body + [p for p in signed if p] + signed_annexes + paraf, findings
            )
            summaries.append(summary)
            if (
                located["core-properties"]
                and key(located["core-properties"]) not in summary.covered
            ):
                findings.warnings.append("NihaiOzet: the core properties are not covered (K.43).")
    for summary in summaries:
        if meta is not None and summary.id.upper() != meta.belge_id.upper():
            findings.warnings.append(f"{summary.label}: its Id is not the BelgeId (K.34, K.44).")
    _warn_uncovered(container, located, summaries, findings)


def _may_be_absent(container, located, meta: Ustveri | None) -> set[str]:
    """Parts a sender may leave out for one addressee: omitted annexes, the paraf parts."""
    absent = {key("/ParafOzeti/ParafOzeti.xml"), key("/Paraflar/ParafImzaCades.imz")}
    if meta is None:
        return absent
    omitted = {i for d in meta.distribution for i in d.omitted_annex_ids}
    for annex in meta.annexes:
        if annex.id in omitted and annex.file_name:
            absent |= {key("/Ekler/" + annex.file_name), key("/ImzasizEkler/" + annex.file_name)}
    return absent


def _warn_uncovered(container, located, summaries, findings: Findings) -> None:
    """Report parts no digest vouches for (apart from OPC plumbing and unsigned annexes)."""
    covered = set().union(*(s.covered for s in summaries)) if summaries else set()
    exempt = {key(CONTENT_TYPES)} | {
        key(r.target) for r in container.related("imzasizek") + container.related("muhurcades")
    }
    if located["muhurcades"]:
        exempt.add(key(located["muhurcades"]))
    if located["nihaiozet"]:
        exempt.add(key(located["nihaiozet"]))
    for name in sorted(container.parts):
        if key(name) in covered | exempt or "/_rels/" in key(name):
            continue
        findings.warnings.append(f"{name}: the part is not covered by any digest.")


def check_content_types(container: Container, findings: Findings) -> None:
    """OPC: every part has a content type (2.1). Tolerated, reported."""
    for name in sorted(container.parts):
        if key(name) != key(CONTENT_TYPES) and not content_type(container, name):
            findings.warnings.append(f"{name}: no content type in [Content_Types].xml.")


def build_package(container, located, meta, final, core, findings, recipient_codes) -> EypPackage:
    for entry in meta.distribution:
        if entry.urgency == "gunludur":
            entry.due_date = due_date(final.tarih, entry.miat)
            if entry.due_date is None:
                findings.warnings.append(
                    f"Ustveri: GÜNLÜDÜR for {entry.party.name} without a usable Miat "
                    f"({entry.miat!r})."
                )
    main = located["ustyazi"]
    if meta.file_name and posixpath.basename(main) != meta.file_name:
        findings.warnings.append(
            f"Ustveri: DosyaAdi {meta.file_name!r} is not the cover letter's part name {main}."
        )
    package = EypPackage(
        belge_id=meta.belge_id.upper(),
        version=core.get("version", ""),
        subject=meta.subject,
        sender=meta.sender,
        sayi=final.sayi,
        tarih=final.tarih,
        secrecy=meta.secrecy,
        secrecy_until=meta.secrecy_until,
        urgency="normal",
        due_date=None,
        sdp_code=meta.sdp_code,
        sdp_name=meta.sdp_name,
        other_sdp_codes=meta.other_sdp_codes,
        distribution=meta.distribution,
        annexes=meta.annexes,
        references=meta.references,
        signers=final.signers,
        main_part_name=main,
        main_bytes=container.parts[main],
        main_mime_type=meta.mime_type or content_type(container, main) or "",
        language=meta.language,
        verification_url=meta.verification_url,
        parts=dict(container.parts),
        warnings=findings.warnings,
    )
    package.urgency, package.due_date = package.urgency_for(recipient_codes)
    return package
