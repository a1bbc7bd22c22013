"""The rule check (a linter) over a draft letter: the machine-checkable rules of the
Resmî Yazışma Yönetmeliği (RYY 2020, standards.md section 1; issue 4 point 4).

``check_letter(letter)`` returns every finding as a ``RuleViolation(code, field, message,
severity)``. A finding of severity ``error`` blocks signing (``ensure_signable``, called by
the server-side and the external signing services); a ``warning`` is shown on the letter page
and in the API only. Codes are stable (tests, API clients and the setting below use them);
the message names the rule and its article.

Severities can be changed per code with the setting ``BILGIISLEM_LETTER_RULES``, e.g.
``{"subject.capitalization": "error", "recipient.detsis_missing": "off"}``. Rules resting on
facts the sources do not settle (standards.md marks them [S]/[U]: title case of the subject,
abbreviations, the hierarchy of an outside public body) are warnings by default, so an
institution can make them strict once its Kılavuz edition confirms them.

Closing formula (RYY art. 16/12, as quoted by several secondary sources): to a lower
authority "… rica ederim."; to a higher *or same-level* one "… arz ederim."; a distribution
over both "… arz ve rica ederim." (or "arz/rica"); private legal persons "Rica ederim."
(Kılavuz); natural persons "Saygılarımla.", "İyi dileklerimle.", "Bilgilerinize sunulur."
Between directorates (same level), to the governorship and to the metropolitan municipality
(above a district municipality) that is "arz"; the rank of another public body is not known
to the system, so both "arz" and "rica" are accepted there.
"""

from __future__ import annotations

import dataclasses
import datetime
import re

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.core.errors import DomainError
from bilgiislem.core.text import fold
from bilgiislem.registry.choices import PartyKind, Purpose, Urgency

from .choices import DETSIS_KINDS, RecipientKind

ERROR = "error"
WARNING = "warning"
OFF = "off"

# Default severity of each rule, in the order the checks run (the first error is the one
# signing names). Codes never change; new rules get new codes.
DEFAULT_SEVERITY = {
    "subject.missing": ERROR,
    "subject.end_punctuation": ERROR,
    "subject.abbreviation": ERROR,
    "subject.acronym": WARNING,
    "subject.capitalization": WARNING,
    "urgency.forbidden_word": ERROR,
    "urgency.in_subject": ERROR,
    "urgency.gunludur_date_missing": ERROR,
    "urgency.gunludur_date_past": ERROR,
    "urgency.gunludur_date_not_in_text": ERROR,
    "sayi.detsis_missing": ERROR,
    "sayi.unparseable": ERROR,
    "recipients.missing": ERROR,
    "recipients.no_action": ERROR,
    "recipient.abbreviation": ERROR,
    "recipient.sayin_for_body": ERROR,
    "recipient.sayin_in_name": ERROR,
    "recipient.person_name": WARNING,
    "recipient.detsis_missing": WARNING,
    "body.missing": ERROR,
    "body.empty_paragraph": ERROR,
    "body.e_signature_mark": ERROR,
    "body.list_style": WARNING,
    "body.number_format": WARNING,
    "body.date_format": WARNING,
    "body.acronym": WARNING,
    "closing.missing": ERROR,
    "closing.punctuation": ERROR,
    "closing.hierarchy": ERROR,
    "references.sayi": WARNING,
    "reply.not_referenced": WARNING,
}

# Phrases where "acil" is the ordinary word, not an urgency mark (folded).
DEFAULT_URGENCY_EXCEPTIONS = [
    "acil durum",
    "acil cagri",
    "acil servis",
    "acil yardim",
    "acil saglik",
    "acil toplanma",
]
# Abbreviations everyone reads without their full form (no "(…)" needed).
KNOWN_ACRONYMS = ["TL", "TC"]


@dataclasses.dataclass(frozen=True)
class RuleViolation:
    code: str
    field: str
    message: str
    severity: str = ERROR

    @property
    def blocks(self) -> bool:
        return self.severity == ERROR


def severity_of(code: str) -> str:
    overrides = getattr(settings, "BILGIISLEM_LETTER_RULES", None) or {}
    value = overrides.get(code, DEFAULT_SEVERITY[code])
    return value if value in {ERROR, WARNING, OFF} else DEFAULT_SEVERITY[code]


# --- text helpers -------------------------------------------------------------------------------

_LETTER = r"A-Za-zÇĞİÖŞÜÂÎÛçğıöşüâîû"
_END_MARKS = ".,;:!?…"
# Dotted abbreviations seen in official letters (folded, without the dots).
_KNOWN_ABBREVIATIONS = {
    "vb",
    "vs",
    "vd",
    "md",
    "mud",
    "bsk",
    "bkz",
    "no",
    "nolu",
    "nr",
    "sy",
    "hk",
    "tel",
    "mah",
    "cad",
    "sok",
    "apt",
    "dr",
    "prof",
    "doc",
    "av",
    "muh",
    "sb",
    "sti",
    "ltd",
    "gn",
    "gnl",
    "kom",
    "yrd",
    "bl",
}
_DOTTED = re.compile(rf"^(?:[{_LETTER}]\.){{2,}}$")  # T.C., A.Ş., K.K.
_ACRONYM = re.compile(r"^[A-ZÇĞİÖŞÜ]{2,6}$")
_ROMAN = re.compile(r"^[IVXLCDM]+$")
# Lowercase words allowed inside a Title Case subject (conjunctions and particles).
_SMALL_WORDS = {"ve", "ile", "veya", "ya", "da", "de", "ki", "yahut", "ya da", "hem", "ne"}
_FORBIDDEN_URGENCY = [
    (re.compile(r"\bcok\s+acele\b"), "ÇOK ACELE"),
    (re.compile(r"\bcok\s+ivedi\b"), "ÇOK İVEDİ"),
    (re.compile(r"\bivedi\b"), "İVEDİ"),
    (re.compile(r"\bacil\b"), "ACİL"),
]
_URGENCY_WORDS = [(re.compile(r"\bacele\b"), "ACELE"), (re.compile(r"\bgunludur\b"), "GÜNLÜDÜR")]
_MONTHS = [
    "ocak",
    "subat",
    "mart",
    "nisan",
    "mayis",
    "haziran",
    "temmuz",
    "agustos",
    "eylul",
    "ekim",
    "kasim",
    "aralik",
]
_CLOSINGS = [  # on folded text, most specific first
    ("arzrica", re.compile(r"\barz\s*(?:ve|/)\s*rica\s+(?:ederim|ederiz|olunur)\b")),
    ("arz", re.compile(r"\barz\s+(?:ederim|ederiz|olunur)\b")),
    ("rica", re.compile(r"\brica\s+(?:ederim|ederiz|olunur)\b")),
    (
        "person",
        re.compile(r"\b(?:saygilarimla|iyi dileklerimle|bilgilerinize sunul(?:ur|masi)|sunarim)\b"),
    ),
]
# Which closing fits a recipient of each kind (see the module docstring).
_CLOSING_FITS = {
    RecipientKind.INTERNAL: {"arz"},
    RecipientKind.GOVERNORSHIP: {"arz"},
    RecipientKind.METROPOLITAN: {"arz"},
    RecipientKind.PUBLIC_BODY: {"arz", "rica"},
    RecipientKind.COMPANY: {"rica", "person"},
    RecipientKind.CITIZEN: {"rica", "person"},
}
_CLOSING_TEXT = {
    "arz": "… arz ederim.",
    "rica": "… rica ederim.",
    "person": "Saygılarımla.",
    "arzrica": "… arz ve rica ederim.",
}
_LIST_MARK = re.compile(r"^\s*(\d{1,2}[.)]|[A-ZÇĞİÖŞÜ]\)|[-•*–])\s+")
_ENGLISH_NUMBER = re.compile(r"(?<![\d.,])\d{1,3}(?:,\d{3})+\.\d+\b")
_BAD_DATE = re.compile(
    r"(?<![\d.])(?:\d{1,2}/\d{1,2}/\d{4}|\d{4}-\d{2}-\d{2}|\d\.\d{1,2}\.\d{4}|\d{1,2}\.\d\.\d{4})"
    r"(?![\d.]\d)"
)
_E_SIGNATURE_MARK = re.compile(r"\be-?\s?imzalidir\b|\belektronik olarak imzalanmistir\b")


def _tokens(text: str) -> list[str]:
    return [t.strip("\"'“”‘’,;:!?()[]") for t in text.split()]


def _is_dotted_abbreviation(token: str) -> bool:
    if "." not in token:
        return False
    if _DOTTED.match(token):
        return True
    return fold(token.rstrip(".")) in _KNOWN_ABBREVIATIONS and token.endswith(".")


def _undefined_acronyms(text: str) -> list[str]:
    """Capitalised abbreviations whose first use is not "(ABC)" after the full form."""
    known = set(getattr(settings, "BILGIISLEM_LETTER_KNOWN_ACRONYMS", None) or KNOWN_ACRONYMS)
    seen, found = set(), []
    for match in re.finditer(r"\(?[A-ZÇĞİÖŞÜ]{2,6}\)?(?![A-Za-zÇĞİÖŞÜçğıöşü])", text):
        token = match.group(0)
        word = token.strip("()")
        if (
            not _ACRONYM.match(word)
            or _ROMAN.match(word)
            or word in seen
            or (match.start() > 0 and text[match.start() - 1].isalpha())
        ):
            continue
        seen.add(word)
        if fold(word) in {"acele", "gunludur", "acil", "ivedi", "cok"} or word in known:
            continue
        if not (token.startswith("(") and token.endswith(")")):
            found.append(word)
    return found


def _forbidden_urgency(text: str) -> str | None:
    folded = fold(text)
    exceptions = getattr(settings, "BILGIISLEM_LETTER_URGENCY_EXCEPTIONS", None)
    for phrase in DEFAULT_URGENCY_EXCEPTIONS if exceptions is None else exceptions:
        folded = folded.replace(fold(phrase), " ")
    for pattern, word in _FORBIDDEN_URGENCY:
        if pattern.search(folded):
            return word
    return None


def _last_sentence(block: str) -> str:
    sentences = [s for s in re.split(r"(?<=[.!?])\s+", block.strip()) if s.strip()]
    return sentences[-1] if sentences else ""


def closing_of(text: str) -> str | None:
    """The closing formula the text ends with: "arz", "rica", "arzrica", "person" or None."""
    folded = fold(text)
    for name, pattern in _CLOSINGS:
        if pattern.search(folded):
            return name
    return None


def expected_closing(kinds: list[str]) -> str:
    """The closing formula a letter to recipients of these kinds should end with."""
    common = set.intersection(*(_CLOSING_FITS[k] for k in kinds)) if kinds else set()
    for name in ("arz", "rica", "person"):
        if name in common:
            return _CLOSING_TEXT[name]
    return _CLOSING_TEXT["arzrica"]


def _closing_fits(found: str, kinds: list[str]) -> tuple[bool, int | None]:
    """(fits, index of the first recipient it does not fit)."""
    if found == "arzrica":
        fits = (
            len(kinds) > 1
            and any("arz" in _CLOSING_FITS[k] for k in kinds)
            and any("rica" in _CLOSING_FITS[k] for k in kinds)
            and all(_CLOSING_FITS[k] & {"arz", "rica"} for k in kinds)
        )
        return fits, None if fits else 0
    for i, kind in enumerate(kinds):
        if found not in _CLOSING_FITS[kind]:
            return False, i
    return True, None


def _date_written(day: datetime.date, text: str) -> bool:
    folded = fold(text)
    forms = {
        day.strftime("%d.%m.%Y"),
        f"{day.day} {_MONTHS[day.month - 1]} {day.year}",
        f"{day.day:02d} {_MONTHS[day.month - 1]} {day.year}",
    }
    return any(form in folded for form in forms)


# --- the check ----------------------------------------------------------------------------------


class _Findings(list):
    def add(self, code: str, field: str, message: str) -> None:
        severity = severity_of(code)
        if severity != OFF:
            self.append(RuleViolation(code, field, message, severity))


def _check_subject(out: _Findings, subject: str) -> None:
    subject = (subject or "").strip()
    if not subject:
        out.add(
            "subject.missing",
            "subject",
            _("Subject (Konu, RYY art. 13): the letter has no subject."),
        )
        return
    if subject[-1] in _END_MARKS:
        out.add(
            "subject.end_punctuation",
            "subject",
            _(
                "Subject (Konu, RYY art. 13): no punctuation at the end of the subject; "
                "remove “%(mark)s”."
            )
            % {"mark": subject[-1]},
        )
    tokens = _tokens(subject)
    dotted = next((t for t in tokens if _is_dotted_abbreviation(t)), None)
    if dotted:
        out.add(
            "subject.abbreviation",
            "subject",
            _("Subject (Konu, RYY art. 16/11): write “%(word)s” in full in the subject.")
            % {"word": dotted},
        )
    acronyms = _undefined_acronyms(subject)
    if acronyms:
        out.add(
            "subject.acronym",
            "subject",
            _(
                "Subject (Konu, RYY art. 16/11): “%(word)s” is an abbreviation; write the full "
                "form first, then the abbreviation in parentheses."
            )
            % {"word": acronyms[0]},
        )
    for token in tokens:
        if token and token[0].isalpha() and token[0].islower() and token not in _SMALL_WORDS:
            out.add(
                "subject.capitalization",
                "subject",
                _(
                    "Subject (Konu, RYY art. 13): each word of the subject starts with a capital "
                    "letter (“%(word)s”)."
                )
                % {"word": token},
            )
            break


def _check_urgency(out: _Findings, letter, today: datetime.date) -> None:
    for field, text in (("subject", letter.subject or ""), ("body", letter.body or "")):
        word = _forbidden_urgency(text)
        if word:
            out.add(
                "urgency.forbidden_word",
                field,
                _(
                    "Urgency (RYY art. 26): “%(word)s” may not be used; only ACELE or "
                    "GÜNLÜDÜR, chosen as the letter's urgency."
                )
                % {"word": word},
            )
    folded_subject = fold(letter.subject or "")
    for pattern, word in _URGENCY_WORDS:
        if pattern.search(folded_subject):
            out.add(
                "urgency.in_subject",
                "subject",
                _(
                    "Urgency (RYY art. 26): do not write “%(word)s” in the subject; choose it "
                    "as the letter's urgency."
                )
                % {"word": word},
            )
            break
    if letter.urgency != Urgency.GUNLUDUR:
        return
    day = letter.urgency_date
    if day is None:
        out.add(
            "urgency.gunludur_date_missing",
            "urgency_date",
            _("GÜNLÜDÜR (RYY art. 26): a GÜNLÜDÜR letter needs the date it must be answered by."),
        )
        return
    shown = day.strftime("%d.%m.%Y")
    if day <= today:
        out.add(
            "urgency.gunludur_date_past",
            "urgency_date",
            _("GÜNLÜDÜR (RYY art. 26): the answer date %(date)s is not in the future.")
            % {"date": shown},
        )
    if not _date_written(day, letter.body or ""):
        out.add(
            "urgency.gunludur_date_not_in_text",
            "body",
            _("GÜNLÜDÜR (RYY art. 26): the text must state the answer date %(date)s too.")
            % {"date": shown},
        )


def sayi_detsis(letter) -> str:
    """The DETSİS number the letter's Sayı is formed with (the directorate's, else the
    institution's); empty when neither is recorded."""
    from bilgiislem.organization.models import Institution

    if letter.unit.detsis_no:
        return letter.unit.detsis_no
    institution = Institution.objects.first()
    return institution.detsis_no if institution else ""


def _check_sayi(out: _Findings, letter) -> None:
    from bilgiislem.registry.sayi import parse_sayi

    detsis = sayi_detsis(letter)
    if not detsis:
        out.add(
            "sayi.detsis_missing",
            "unit",
            _(
                "Number (Sayı, RYY art. 11): the directorate has no DETSİS number, so the Sayı "
                "cannot be formed."
            ),
        )
        return
    sample = f"E-{detsis}-{(letter.sdp_code or '').strip()}-1"
    try:
        parse_sayi(sample, current_only=True)
    except DomainError:
        out.add(
            "sayi.unparseable",
            "sdp_code",
            _(
                "Number (Sayı, RYY art. 11): “%(sayi)s” would not be a valid Sayı; check the "
                "file plan code (for example 010.06.01)."
            )
            % {"sayi": sample.removesuffix("-1") + "-…"},
        )


def _check_recipients(out: _Findings, recipients) -> None:
    if not recipients:
        out.add(
            "recipients.missing",
            "recipients",
            _("Recipients (Muhatap, RYY art. 14): the letter has no recipient."),
        )
        return
    if not any(r.purpose == Purpose.ACTION for r in recipients):
        out.add(
            "recipients.no_action",
            "recipients",
            _(
                "Distribution (Dağıtım, RYY art. 19): at least one recipient must be for "
                "action (Gereği)."
            ),
        )
    for r in recipients:
        name = (r.name or "").strip()
        first = fold(name).split(" ")[0] if name else ""
        if r.kind == RecipientKind.CITIZEN:
            if first == "sayin":
                out.add(
                    "recipient.sayin_in_name",
                    "recipients",
                    _(
                        "Recipient (Muhatap, RYY art. 14): write only the name of %(name)s; "
                        "“Sayın” is added on the letter."
                    )
                    % {"name": name},
                )
            elif len(name.split()) < 2:
                out.add(
                    "recipient.person_name",
                    "recipients",
                    _(
                        "Recipient (Muhatap, RYY art. 14): give the first name and surname of "
                        "%(name)s."
                    )
                    % {"name": name},
                )
            continue
        if first == "sayin":
            out.add(
                "recipient.sayin_for_body",
                "recipients",
                _(
                    "Recipient (Muhatap, RYY art. 14): “Sayın” is only for persons; remove it "
                    "from %(name)s."
                )
                % {"name": name},
            )
        if r.kind in DETSIS_KINDS:
            tokens = _tokens(name)
            if fold(name).startswith("t.c") or any(_is_dotted_abbreviation(t) for t in tokens):
                out.add(
                    "recipient.abbreviation",
                    "recipients",
                    _(
                        "Recipient (Muhatap, RYY art. 14): write the name of %(name)s in full, "
                        "without abbreviations or “T.C.”."
                    )
                    % {"name": name},
                )
            if not r.identifier:
                out.add(
                    "recipient.detsis_missing",
                    "recipients",
                    _("Recipient (Muhatap, RYY art. 14): give the DETSİS number of %(name)s.")
                    % {"name": name},
                )


def _check_body(out: _Findings, body: str, blocks: list) -> None:
    if not body.strip():
        out.add("body.missing", "body", _("Text (Metin, RYY art. 16): the letter has no text."))
        return
    for n, block in enumerate(blocks, start=1):
        text = block if isinstance(block, str) else " ".join(block)
        if not re.search(r"\w", text):
            out.add(
                "body.empty_paragraph",
                "body",
                _("Text (Metin, RYY art. 16): paragraph %(n)s is empty; remove it.") % {"n": n},
            )
            break
    if _E_SIGNATURE_MARK.search(fold(body)):
        out.add(
            "body.e_signature_mark",
            "body",
            _(
                "Text (Metin, RYY art. 17): no “e-imzalıdır” mark on an e-signed letter; the "
                "verification footer does that."
            ),
        )
    for line in body.splitlines():
        match = _LIST_MARK.match(line)
        if match:
            out.add(
                "body.list_style",
                "body",
                _("Text (Metin, RYY art. 16/10): lists are written a) b) c), not “%(mark)s”.")
                % {"mark": match.group(1)},
            )
            break
    number = _ENGLISH_NUMBER.search(body)
    if number:
        out.add(
            "body.number_format",
            "body",
            _(
                "Text (Metin, RYY art. 16/7): write %(number)s the Turkish way, thousands with "
                "a dot and decimals with a comma (10.545,72)."
            )
            % {"number": number.group(0)},
        )
    date = _BAD_DATE.search(body)
    if date:
        out.add(
            "body.date_format",
            "body",
            _(
                "Text (Metin, RYY art. 12): write the date %(date)s as day.month.year with a "
                "two-digit day and month (10.06.2020)."
            )
            % {"date": date.group(0)},
        )
    acronyms = _undefined_acronyms(body)
    if acronyms:
        out.add(
            "body.acronym",
            "body",
            _(
                "Text (Metin, RYY art. 16/11): write the full form before the first "
                "“%(word)s”, then the abbreviation in parentheses."
            )
            % {"word": acronyms[0]},
        )


def _check_closing(out: _Findings, blocks: list, recipients) -> None:
    last = blocks[-1] if blocks else ""
    sentence = _last_sentence(last) if isinstance(last, str) else ""
    found = closing_of(sentence) if sentence else None
    kinds = [r.kind for r in recipients if r.kind in _CLOSING_FITS]
    if found is None:
        out.add(
            "closing.missing",
            "body",
            _(
                "Closing formula (RYY art. 16/12): end the text with its closing formula, "
                "for example “%(expected)s”."
            )
            % {"expected": expected_closing(kinds) if kinds else _CLOSING_TEXT["arz"]},
        )
        return
    if not sentence.rstrip().endswith("."):
        out.add(
            "closing.punctuation",
            "body",
            _("Closing formula (RYY art. 16/12): end the closing sentence with a full stop."),
        )
    if not kinds:
        return
    fits, index = _closing_fits(found, kinds)
    if not fits:
        recipient = [r for r in recipients if r.kind in _CLOSING_FITS][index]
        out.add(
            "closing.hierarchy",
            "body",
            _(
                "Closing formula (RYY art. 16/12): “%(found)s” does not fit a letter to "
                "%(name)s; end it with “%(expected)s”."
            )
            % {
                "found": _CLOSING_TEXT[found],
                "name": recipient.name,
                "expected": expected_closing(kinds),
            },
        )


def _check_references(out: _Findings, letter, references) -> None:
    from bilgiislem.registry.sayi import parse_sayi

    for ref in references:
        document = ref.document
        if document.party_kind == PartyKind.PERSON:
            continue  # a citizen's petition is cited by name and date, not by Sayı
        try:
            parse_sayi(document.sayi)
        except DomainError:
            out.add(
                "references.sayi",
                "references",
                _(
                    "Reference (İlgi, RYY art. 15): %(ref)s has no complete Sayı; an İlgi "
                    "gives the Sayı with all four parts."
                )
                % {"ref": document.number_label},
            )
    if letter.reply_to_id and letter.reply_to_id not in {r.document_id for r in references}:
        out.add(
            "reply.not_referenced",
            "references",
            _(
                "Reference (İlgi, RYY art. 15): a reply cites the document it answers "
                "(%(ref)s) as İlgi."
            )
            % {"ref": letter.reply_to.sayi or letter.reply_to.number_label},
        )


def check_letter(letter, *, today: datetime.date | None = None) -> list[RuleViolation]:
    """Every finding of the rule check on the letter as it stands (errors and warnings)."""
    from .services.signing import body_blocks

    today = today or timezone.localdate()
    recipients = list(letter.recipients.all())
    references = list(letter.references.select_related("document"))
    body = letter.body or ""
    blocks = body_blocks(body) if body.strip() else []
    out = _Findings()
    _check_subject(out, letter.subject)
    _check_urgency(out, letter, today)
    _check_sayi(out, letter)
    _check_recipients(out, recipients)
    _check_body(out, body, blocks)
    if blocks:
        _check_closing(out, blocks, recipients)
    _check_references(out, letter, references)
    order = list(DEFAULT_SEVERITY)
    return sorted(out, key=lambda v: (v.severity != ERROR, order.index(v.code)))


def blocking(violations: list[RuleViolation]) -> list[RuleViolation]:
    return [v for v in violations if v.blocks]


def ensure_signable(letter) -> None:
    """Refuse signing while the rule check finds an error, naming the first rule and field."""
    errors = blocking(check_letter(letter))
    if errors:
        first = errors[0]
        more = len(errors) - 1
        message = _("The rule check blocks signing: %(message)s [%(code)s]") % {
            "message": first.message,
            "code": first.code,
        }
        if more:
            message += " " + _("(%(n)s more)") % {"n": more}
        raise DomainError(message, field=first.field)
