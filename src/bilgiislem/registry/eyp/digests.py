"""The digest summaries PaketOzeti, ParafOzeti and NihaiOzet (standards.md 2.3).

Each ``Reference`` carries two digests with different algorithms, one of them SHA-512
(default pair SHA-384 + SHA-512; SHA-256 allowed; SHA-1 and RIPEMD-160 deprecated since
2.0). Every in-package (``#dahili``) reference is recomputed from the part bytes.
The CAdES signatures over these summaries are not verified cryptographically here.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from dataclasses import dataclass, field

from .opc import Container, key
from .safexml import XmlRefused, child, children, local, parse_xml, text

ALGORITHMS = {
    "http://www.w3.org/2001/04/xmlenc#sha256": ("SHA-256", "sha256"),
    "http://www.w3.org/2001/04/xmldsig-more#sha384": ("SHA-384", "sha384"),
    "http://www.w3.org/2001/04/xmlenc#sha512": ("SHA-512", "sha512"),
}
SHA512 = "http://www.w3.org/2001/04/xmlenc#sha512"
DEPRECATED = {
    "http://www.w3.org/2000/09/xmldsig#sha1": "SHA-1",
    "http://www.w3.org/2001/04/xmlenc#ripemd160": "RIPEMD-160",
}
INTERNAL = "http://eyazisma.dpt/bilesen#dahili"
EXTERNAL = "http://eyazisma.dpt/bilesen#harici"


@dataclass
class Summary:
    """A parsed summary part: which parts it vouches for."""

    part_name: str
    label: str  # "PaketOzeti", "NihaiOzet", "ParafOzeti"
    id: str = ""
    covered: set[str] = field(default_factory=set)  # keys of the #dahili URIs


@dataclass
class Findings:
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def check_summary(
    container: Container,
    part_name: str,
    label: str,
    findings: Findings,
    *,
    may_be_absent: set[str],
    external_allowed: bool = True,
) -> Summary | None:
    """Parse one summary and verify every in-package digest in it (2.3).

    ``may_be_absent`` holds keys of parts that the sender may legitimately leave out for
    this recipient (an annex in KonulmamisEkListesi, the paraf parts), so a reference to
    one of them that is not in the package is reported as a warning, not refused.
    """
    try:
        root = parse_xml(container.parts[part_name], part_name)
    except XmlRefused as exc:
        findings.errors.append(str(exc))
        return None
    if local(root.tag) != label:
        findings.errors.append(
            f"{label}: {part_name} has the root element {local(root.tag)}, not {label}."
        )
        return None
    summary = Summary(part_name, label, id=root.get("Id", ""))
    references = children(root, "Reference")
    if not references:
        findings.errors.append(f"{label}: {part_name} lists no Reference.")
    for reference in references:
        _check_reference(container, summary, reference, findings, may_be_absent, external_allowed)
    return summary


def _check_reference(container, summary, reference, findings, may_be_absent, external_allowed):
    label = summary.label
    uri = reference.get("URI", "")
    kind = reference.get("Type", INTERNAL)
    if kind == EXTERNAL:
        # K.45: the final summary covers only what travels in the package.
        if not external_allowed:
            findings.errors.append(
                f"{label}: external (#harici) reference {uri} is not allowed in {label}."
            )
        return
    if kind != INTERNAL:
        findings.warnings.append(f"{label}: reference {uri} has an unknown Type {kind!r}.")
    target = "/" + uri.lstrip("/")
    summary.covered.add(key(target))
    digests = _digests(label, target, reference, findings)
    stored = container.find(target)
    if stored is None:
        if key(target) in may_be_absent:
            findings.warnings.append(
                f"{label}: {target} is not in the package (left out for this recipient)."
            )
        else:
            findings.errors.append(
                f"{label}: {target} is listed with a digest but the part is missing "
                "from the package."
            )
        return
    if digests is None:
        return
    content = container.parts[stored]
    wrong = [
        ALGORITHMS[algorithm][0]
        for algorithm, expected in digests
        if not hmac.compare_digest(
            hashlib.new(ALGORITHMS[algorithm][1], content).digest(), expected
        )
    ]
    if wrong:
        findings.errors.append(
            f"{label}: digest of {target} does not match ({', '.join(wrong)}); "
            "the part was changed after it was signed or damaged in transit."
        )


def _digests(label, target, reference, findings) -> list[tuple[str, bytes]] | None:
    """The reference's (algorithm URI, digest) pairs, or None after reporting a problem."""
    items = children(reference, "DigestItem")
    pairs = []
    for item in items:
        method = child(item, "DigestMethod")
        algorithm = method.get("Algorithm", "") if method is not None else ""
        if algorithm in DEPRECATED:
            findings.errors.append(
                f"{label}: digest of {target} uses {DEPRECATED[algorithm]}, deprecated since "
                "EYP 2.0 and refused."
            )
            return None
        if algorithm not in ALGORITHMS:
            findings.errors.append(
                f"{label}: digest of {target} uses an unknown algorithm {algorithm!r}."
            )
            return None
        try:
            value = base64.b64decode(text(item, "DigestValue"), validate=True)
        except (binascii.Error, ValueError):
            value = b""
        if not value:
            findings.errors.append(
                f"{label}: digest of {target} ({ALGORITHMS[algorithm][0]}) is empty or not base64."
            )
            return None
        pairs.append((algorithm, value))
    algorithms = {a for a, _ in pairs}
    if len(pairs) != 2 or len(algorithms) != 2 or SHA512 not in algorithms:
        findings.errors.append(
            f"{label}: {target} must carry two digests with different algorithms, one of "
            f"them SHA-512; found {', '.join(ALGORITHMS[a][0] for a, _ in pairs) or 'none'}."
        )
        return None
    return pairs


def require_coverage(summary: Summary, needed: list[str], findings: Findings) -> None:
    """Each part in ``needed`` must be vouched for by this summary (K.29–K.34, K.38–K.45)."""
    for part_name in needed:
        if key(part_name) not in summary.covered:
            findings.errors.append(
                f"{summary.label}: {part_name} is not covered by a digest, so the signature "
                "does not protect it."
            )
