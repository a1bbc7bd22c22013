"""The rule check (issue 4 point 4): each rule found where it applies and silent where it
does not, on letters drafted through the service."""

import datetime

import pytest
from django.utils import timezone

from bilgiislem.correspondence import rules, services
from bilgiislem.correspondence.models import Letter
from bilgiislem.registry.tests.factories import register

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("english")]

GOVERNORSHIP = {"kind": "governorship", "name": "Sakarya Valiliği", "identifier": "12345678"}
METROPOLITAN = {
    "kind": "metropolitan",
    "name": "Sakarya Büyükşehir Belediye Başkanlığı",
    "identifier": "23456789",
}
PUBLIC_BODY = {"kind": "public_body", "name": "Karasu Kaymakamlığı", "identifier": "34567890"}
COMPANY = {"kind": "company", "name": "Örnek Bilişim Anonim Şirketi", "identifier": "1234567890"}
CITIZEN = {"kind": "citizen", "name": "Ali Veli"}
INFO = {"purpose": "information"}
SUBJECT = "Bilgi Güvenliği Tedbirleri"
BODY = "Birinci paragraf.\n\nGereğini arz ederim."


def b(text: str) -> str:
    """A body: ``text`` then a closing that fits the governorship."""
    return f"{text}\n\nGereğini arz ederim."


def internal(units, code="yazi-isleri", **extra):
    return {"kind": "internal", "unit": units[code], **extra}


def make(people, *recipients, **fields) -> Letter:
    """A letter to the governorship that passes every rule, then ``fields`` set as given."""
    letter = services.letter_create(
        actor=people["memur"],
        subject=SUBJECT,
        body=BODY,
        sdp_code="010.06.01",
        recipients=list(recipients or (GOVERNORSHIP,)),
    )
    if fields:
        Letter.objects.filter(pk=letter.pk).update(**fields)
        letter.refresh_from_db()
    return letter


def found(letter) -> dict[str, rules.RuleViolation]:
    return {v.code: v for v in rules.check_letter(letter)}


def test_a_well_formed_letter_passes(people):
    assert rules.check_letter(make(people)) == []


# --- one rule at a time: (fields changed, code, field, severity) ----------------------------


@pytest.mark.parametrize(
    ("fields", "code", "field", "severity"),
    [
        ({"subject": ""}, "subject.missing", "subject", "error"),
        ({"subject": "Bilgi Güvenliği Tedbirleri."}, "subject.end_punctuation", "subject", "error"),
        ({"subject": "Bilgi Güvenliği Tedbirleri:"}, "subject.end_punctuation", "subject", "error"),
        ({"subject": "Kamera vb. Sistemlerin Alımı"}, "subject.abbreviation", "subject", "error"),
        ({"subject": "Güvenlik Tedbirleri Hk. Bilgi"}, "subject.abbreviation", "subject", "error"),
        ({"subject": "T.C. Kimlik Numaraları"}, "subject.abbreviation", "subject", "error"),
        ({"subject": "KEP Adresinin Değişmesi"}, "subject.acronym", "subject", "warning"),
        ({"subject": "Bilgi güvenliği tedbirleri"}, "subject.capitalization", "subject", "warning"),
        ({"subject": "İVEDİ Bilgi Talebi"}, "urgency.forbidden_word", "subject", "error"),
        ({"subject": "Acil Bilgi Talebi"}, "urgency.forbidden_word", "subject", "error"),
        (
            {"body": b("Konunun çok acele incelenmesi.")},
            "urgency.forbidden_word",
            "body",
            "error",
        ),
        (
            {"body": b("Cevabın ivedi verilmesi.")},
            "urgency.forbidden_word",
            "body",
            "error",
        ),
        ({"subject": "ACELE Bilgi Talebi"}, "urgency.in_subject", "subject", "error"),
        ({"subject": "Günlüdür Bilgi Talebi"}, "urgency.in_subject", "subject", "error"),
        ({"sdp_code": "10.6"}, "sayi.unparseable", "sdp_code", "error"),
        ({"sdp_code": "010/06"}, "sayi.unparseable", "sdp_code", "error"),
        ({"body": b("Birinci.\n\n. .")}, "body.empty_paragraph", "body", "error"),
        (
            {"body": b("Bu belge e-imzalıdır.")},
            "body.e_signature_mark",
            "body",
            "error",
        ),
        ({"body": b("Şunlar:\n1) bir\n2) iki")}, "body.list_style", "body", "warning"),
        ({"body": b("Şunlar:\n- bir\n- iki")}, "body.list_style", "body", "warning"),
        ({"body": b("Bedel 1,452.50 TL.")}, "body.number_format", "body", "warning"),
        ({"body": b("10/06/2020 günü.")}, "body.date_format", "body", "warning"),
        ({"body": b("2020-06-10 günü.")}, "body.date_format", "body", "warning"),
        ({"body": b("1.6.2020 günü.")}, "body.date_format", "body", "warning"),
        ({"body": b("KEP adresimiz değişti.")}, "body.acronym", "body", "warning"),
        ({"body": "Birinci paragraf."}, "closing.missing", "body", "error"),
        ({"body": "Birinci paragraf.\n\na) bir\nb) iki"}, "closing.missing", "body", "error"),
        (
            {"body": "Birinci paragraf.\n\nGereğini arz ederim"},
            "closing.punctuation",
            "body",
            "error",
        ),
        (
            {"body": "Birinci paragraf.\n\nGereğini rica ederim."},
            "closing.hierarchy",
            "body",
            "error",
        ),
    ],
)
def test_each_rule_is_found_with_its_field(people, fields, code, field, severity):
    violation = found(make(people, **fields))[code]
    assert (violation.field, violation.severity) == (field, severity)
    assert "RYY art." in violation.message  # the message names the rule and its article


@pytest.mark.parametrize(
    "fields",
    [
        {"subject": "Bilgi Güvenliği ve Tedbirleri"},  # a conjunction stays lower case
        {"subject": "Kayıtlı Elektronik Posta (KEP) Adresi"},  # defined where it is used
        {"subject": "Acil Durum Planının Güncellenmesi"},  # the ordinary phrase, not a mark
        {"subject": "2026 Yılı Bilgi Güvenliği Tedbirleri"},
        {"body": b("Cevabın ivedilikle verilmesi.")},
        {"body": b("Acil durum planı ektedir.")},
        {"body": b("Şunlar:\na) bir\nb) iki")},
        {"body": b("Bedel 1.452,50 TL; 10.06.2020 tarihli.")},
        {"body": b("Kayıtlı Elektronik Posta (KEP) adresimiz; KEP ile.")},
        {"body": "Birinci paragraf.\n\nBilgilerinizi ve gereğini arz ederim."},
        {"body": "Birinci paragraf. Bilgilerinizi arz ederim."},  # closing ends a paragraph
        {"sdp_code": "903.07.02"},
        {"sdp_code": "010.06.01.001"},
    ],
)
def test_well_formed_variants_pass(people, fields):
    assert rules.check_letter(make(people, **fields)) == []


# --- GÜNLÜDÜR ---------------------------------------------------------------------------


def test_gunludur_needs_a_future_date_written_in_the_text(people):
    today = timezone.localdate()
    later = today + datetime.timedelta(days=10)
    stated = b(f"Cevabın {later:%d.%m.%Y} tarihine kadar verilmesi.")
    assert found(make(people, urgency="gunludur", urgency_date=later, body=stated)) == {}
    by_name = f"Cevabın {later.day} {rules._MONTHS[later.month - 1]} {later.year} tarihine kadar."
    assert found(make(people, urgency="gunludur", urgency_date=later, body=b(by_name))) == {}

    past = found(make(people, urgency="gunludur", urgency_date=today, body=BODY))
    assert past["urgency.gunludur_date_past"].field == "urgency_date"
    assert "urgency.gunludur_date_not_in_text" in past
    unstated = found(make(people, urgency="gunludur", urgency_date=later))
    assert set(unstated) == {"urgency.gunludur_date_not_in_text"}
    missing = found(make(people, urgency="gunludur", urgency_date=None))
    assert missing["urgency.gunludur_date_missing"].field == "urgency_date"
    # ACELE is a metadata mark: nothing to state in the text, no date.
    assert found(make(people, urgency="acele")) == {}


# --- Sayı -------------------------------------------------------------------------------


def test_no_detsis_number_means_no_sayi(people, units):
    from bilgiislem.organization.models import Institution, OrgUnit

    OrgUnit.objects.filter(pk=units["bilgi-islem"].pk).update(detsis_no="")
    assert "sayi.detsis_missing" not in found(make(people))  # the institution's is used
    Institution.objects.update(detsis_no="")
    violation = found(make(people))["sayi.detsis_missing"]
    assert violation.field == "unit" and violation.blocks


# --- recipients -------------------------------------------------------------------------


def test_no_recipient_and_no_action_recipient(people):
    letter = make(people)
    letter.recipients.update(purpose="information")
    assert found(letter)["recipients.no_action"].field == "recipients"
    letter.recipients.all().delete()
    assert found(letter)["recipients.missing"].field == "recipients"


@pytest.mark.parametrize(
    ("recipient", "code", "severity"),
    [
        ({**GOVERNORSHIP, "name": "T.C. Sakarya Valiliği"}, "recipient.abbreviation", "error"),
        (
            {**PUBLIC_BODY, "name": "Karasu İlçe Milli Eğitim Md."},
            "recipient.abbreviation",
            "error",
        ),
        ({**GOVERNORSHIP, "name": "Sayın Sakarya Valiliği"}, "recipient.sayin_for_body", "error"),
        ({**CITIZEN, "name": "Sayın Ali Veli"}, "recipient.sayin_in_name", "error"),
        ({**CITIZEN, "name": "Ali"}, "recipient.person_name", "warning"),
        ({**PUBLIC_BODY, "identifier": ""}, "recipient.detsis_missing", "warning"),
    ],
)
def test_recipient_rules(people, recipient, code, severity):
    body = "Birinci paragraf.\n\nSaygılarımla." if recipient["kind"] == "citizen" else BODY
    violation = found(make(people, recipient, body=body))[code]
    assert (violation.field, violation.severity) == ("recipients", severity)


def test_a_citizen_is_addressed_sayin_ad_soyad_on_the_letter(people):
    from bilgiislem.correspondence.services.signing import letter_content

    letter = make(people, CITIZEN, body="Birinci paragraf.\n\nSaygılarımla.")
    assert rules.check_letter(letter) == []
    (recipient,) = letter_content(letter, signed=False).recipients
    assert recipient.heading() == "Sayın Ali VELİ"


# --- closing formula by hierarchy (RYY art. 16/12) --------------------------------------


@pytest.mark.parametrize(
    ("recipients", "closing", "fits"),
    [
        # The Mayor to the governorship, the metropolitan municipality: higher → arz.
        ([GOVERNORSHIP], "Gereğini arz ederim.", True),
        ([GOVERNORSHIP], "Gereğini rica ederim.", False),
        ([METROPOLITAN], "Bilgilerinizi arz ederim.", True),
        ([METROPOLITAN], "Bilgilerinizi rica ederim.", False),
        # Another public body: its rank is not known, both are accepted.
        ([PUBLIC_BODY], "Gereğini arz ederim.", True),
        ([PUBLIC_BODY], "Gereğini rica ederim.", True),
        # Private legal persons: rica; natural persons: rica or a courtesy closing.
        ([COMPANY], "Gereğini rica ederim.", True),
        ([COMPANY], "Bilgilerinize sunarım.", True),
        ([COMPANY], "Gereğini arz ederim.", False),
        ([CITIZEN], "Saygılarımla.", True),
        ([CITIZEN], "İyi dileklerimle.", True),
        ([CITIZEN], "Bilgilerinize sunulur.", True),
        ([CITIZEN], "Gereğini rica ederim.", True),
        ([CITIZEN], "Gereğini arz ederim.", False),
        # A distribution over a higher body and a company: arz ve rica (or arz/rica).
        ([GOVERNORSHIP, {**COMPANY, **INFO}], "Gereğini arz ve rica ederim.", True),
        ([GOVERNORSHIP, {**COMPANY, **INFO}], "Gereğini arz/rica ederim.", True),
        ([GOVERNORSHIP, {**COMPANY, **INFO}], "Gereğini arz ederim.", False),
        ([GOVERNORSHIP, {**COMPANY, **INFO}], "Gereğini rica ederim.", False),
        ([GOVERNORSHIP], "Gereğini arz ve rica ederim.", False),  # nobody to rica
        ([GOVERNORSHIP, {**PUBLIC_BODY, **INFO}], "Gereğini arz ederim.", True),
    ],
)
def test_closing_formula_fits_the_hierarchy(people, recipients, closing, fits):
    letter = make(people, *recipients, body=f"Birinci paragraf.\n\n{closing}")
    assert ("closing.hierarchy" not in found(letter)) is fits


@pytest.mark.parametrize(("closing", "fits"), [("arz ederim.", True), ("rica ederim.", False)])
def test_between_directorates_same_level_is_arz(people, units, closing, fits):
    letter = make(people, internal(units), body=f"Birinci paragraf.\n\nGereğini {closing}")
    assert ("closing.hierarchy" not in found(letter)) is fits


def test_the_hierarchy_message_names_the_recipient_and_the_expected_formula(people):
    letter = make(people, GOVERNORSHIP, body="Birinci paragraf.\n\nGereğini rica ederim.")
    message = found(letter)["closing.hierarchy"].message
    assert "Sakarya Valiliği" in message and "… arz ederim." in message
    letter = make(people, GOVERNORSHIP, {**COMPANY, **INFO})
    assert "arz ve rica ederim" in found(letter)["closing.hierarchy"].message


# --- references -------------------------------------------------------------------------


def test_references_need_a_complete_sayi_and_a_reply_cites_what_it_answers(people):
    complete = register(actor="kalem", sayi="E-12345678-010.06.01-4752")
    incomplete = register(actor="kalem", sayi="")
    petition = register(
        actor="kalem", sayi="", party_kind="person", party_name="Ali Veli", party_identifier=""
    )
    letter = services.letter_create(
        actor=people["memur"],
        subject=SUBJECT,
        body=BODY,
        sdp_code="010.06.01",
        recipients=[GOVERNORSHIP],
        references=[complete, petition],
        reply_to=complete,
    )
    assert rules.check_letter(letter) == []
    letter.references.create(document=incomplete)
    assert found(letter)["references.sayi"].severity == "warning"
    letter.references.filter(document=complete).delete()
    assert found(letter)["reply.not_referenced"].field == "references"


# --- severities from the settings -------------------------------------------------------


def test_severities_can_be_changed_per_rule(people, settings):
    letter = make(people, subject="Bilgi güvenliği tedbirleri", body="Birinci paragraf.")
    assert rules.blocking(rules.check_letter(letter))[0].code == "closing.missing"
    settings.BILGIISLEM_LETTER_RULES = {
        "subject.capitalization": "error",
        "closing.missing": "off",
        "nonsense": "error",  # unknown codes are ignored
    }
    codes = [v.code for v in rules.blocking(rules.check_letter(letter))]
    assert codes == ["subject.capitalization"]


def test_errors_come_before_warnings_in_rule_order(people):
    letter = make(people, subject="kamera vb. alımı.", body="KEP adresi.")
    codes = [v.code for v in rules.check_letter(letter)]
    assert codes == [
        "subject.end_punctuation",
        "subject.abbreviation",
        "closing.missing",
        "subject.capitalization",
        "body.acronym",
    ]
