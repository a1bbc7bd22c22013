import io
import re

import pypdf
import pytest

from bilgiislem.correspondence.letter_pdf import (
    VERIFICATION_SENTENCE,
    Recipient,
    letterhead_lines,
    render_letter,
)

from .letters import sample_letter, two_recipients


@pytest.fixture(scope="module")
def letter_pdf() -> bytes:
    return render_letter(sample_letter())


def _text(data: bytes) -> list[str]:
    return [page.extract_text() for page in pypdf.PdfReader(io.BytesIO(data)).pages]


def test_turkish_letters_survive_exactly(letter_pdf):
    text = _text(letter_pdf)[0]
    assert "KARASU BELEDİYE BAŞKANLIĞI" in text  # İ = U+0130
    assert "Bilgi İşlem Müdürlüğü" in text
    assert "SAKARYA VALİLİĞİNE" in text  # muhatap in capitals, Turkish upper-casing
    assert "(Bilgi İşlem Şube Müdürlüğü)" in text
    assert "Ağ Anahtarlarının Yenilenmesi" in text  # ı = U+0131, ğ
    assert "kişisel" in text and "değerlendirilmiştir" in text
    assert "Ayşe YILMAZ" in text


def test_parts_in_order(letter_pdf):
    text = " ".join(" ".join(_text(letter_pdf)).split())
    parts = [
        "T.C.",
        "KARASU BELEDİYE BAŞKANLIĞI",
        "Bilgi İşlem Müdürlüğü",
        "Sayı : E-12345678-010.06.01-4752 07.03.2025",
        "Konu : Ağ Anahtarlarının Yenilenmesi",
        "SAKARYA VALİLİĞİNE",
        "İlgi : a) 05.12.2024 tarihli ve E-22222222-010.01-12 sayılı yazı.",
        "b) Sakarya Valiliğinin 01.02.2025 tarihli ve E-11111111-010.01-99 sayılı yazı.",
        "Belediyemiz hizmet binalarında",
        "a) yeni anahtarların alınması;",
        "b) kablolamanın yenilenmesi;",
        "c) eğitim verilmesi.",
        "Bilgilerinizi ve gereğini arz ederim.",
        "Ayşe YILMAZ Başkan a. Başkan Yardımcısı",
        "Ekler: 1- Teknik Şartname (3 sayfa) 2- Keşif Listesi (1 sayfa)",
        VERIFICATION_SENTENCE,
        "Belge Doğrulama Kodu: BSK4-7H2Q-XY9Z",
        "https://bilgiislem.karasu.bel.tr/dogrula/BSK47H2QXY9Z",
        "KEP: karasubelediyesi@hs01.kep.tr",
        "1 / 1",
    ]
    position = 0
    for part in parts:
        found = text.find(part, position)
        assert found >= 0, f"{part!r} missing or out of order in {text[position:][:300]!r}"
        position = found + len(part)


def test_distribution_with_gereği_and_bilgi():
    text = " ".join(
        " ".join(_text(render_letter(sample_letter(recipients=two_recipients())))).split()
    )
    assert "DAĞITIM YERLERİNE" in text
    assert "Dağıtım: Gereği: Sakarya Valiliği Bilgi: Fen İşleri Müdürlüğü" in text


def test_one_reference_one_annex_and_a_person():
    letter = sample_letter(
        recipients=[Recipient("Ali Veli", addressed_as="Sayın Ali VELİ", person=True)],
        references=sample_letter().references[:1],
        annexes=["Rapor (3 sayfa)"],
    )
    text = " ".join(_text(render_letter(letter))[0].split())
    assert "Sayın Ali VELİ" in text
    assert "İlgi : Sakarya Valiliğinin 01.02.2025 tarihli" in text
    assert "Ek: Rapor (3 sayfa)" in text
    assert "Dağıtım" not in text


def test_qr_code_is_an_image(letter_pdf):
    page = pypdf.PdfReader(io.BytesIO(letter_pdf)).pages[0]
    xobjects = page["/Resources"]["/XObject"]
    images = [x for x in xobjects.values() if x.get_object()["/Subtype"] == "/Image"]
    assert images, "no image XObject: the QR code is missing"


def test_pdfa_markers_and_embedded_font(letter_pdf):
    reader = pypdf.PdfReader(io.BytesIO(letter_pdf))
    xmp = reader.trailer["/Root"]["/Metadata"].get_object().get_data().decode()
    assert re.search(r'pdfaid:part(="|>)2', xmp), xmp
    assert re.search(r'pdfaid:conformance(="|>)B', xmp)
    assert "/OutputIntents" in reader.trailer["/Root"]
    fonts = reader.pages[0]["/Resources"]["/Font"]
    names = [f.get_object()["/BaseFont"] for f in fonts.values()]
    assert any("Arimo" in str(name) for name in names), names


def test_long_body_breaks_pages_with_footer_on_each():
    pages = _text(render_letter(sample_letter(paragraphs=14)))
    assert len(pages) >= 2
    total = len(pages)
    for number, text in enumerate(pages, start=1):
        assert f"{number} / {total}" in text
        assert VERIFICATION_SENTENCE in text
        assert "BSK4-7H2Q-XY9Z" in text
    assert "Sayı" in pages[0] and "Sayı" not in pages[-1]
    assert "Ayşe YILMAZ" in pages[-1] and "Ayşe YILMAZ" not in pages[0]


def test_unsigned_draft_has_no_verification_sentence():
    text = _text(render_letter(sample_letter(signed=False, date=None)))[0]
    assert VERIFICATION_SENTENCE not in text


@pytest.mark.django_db
def test_letterhead_from_organisation_data():
    from bilgiislem.organization.models import Institution

    Institution.objects.create(name="Karasu Belediyesi", letterhead="Karasu Belediye Başkanlığı")

    class Unit:
        name = "Bilgi İşlem Müdürlüğü"

    assert letterhead_lines(Unit()) == [
        "T.C.",
        "KARASU BELEDİYE BAŞKANLIĞI",
        "Bilgi İşlem Müdürlüğü",
    ]
