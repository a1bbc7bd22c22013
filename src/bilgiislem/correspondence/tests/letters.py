"""A sample letter for the tests (and the benchmark)."""

import datetime

from bilgiislem.correspondence.letter_pdf import (
    BILGI,
    Contact,
    LetterContent,
    Recipient,
    Reference,
    Signer,
)

LONG_PARAGRAPH = (
    "Belediyemiz hizmet binalarında kullanılan ağ anahtarlarının ömrünü doldurduğu, "
    "güvenlik güncellemelerinin üretici tarafından sağlanmadığı ve bu durumun kişisel "
    "verilerin işlendiği sistemler için önemli bir risk oluşturduğu değerlendirilmiştir. "
)


def sample_letter(paragraphs: int = 2, **changes) -> LetterContent:
    fields = dict(
        letterhead=["T.C.", "KARASU BELEDİYE BAŞKANLIĞI", "Bilgi İşlem Müdürlüğü"],
        sayi="E-12345678-010.06.01-4752",
        date=datetime.date(2025, 3, 7),
        konu="Ağ Anahtarlarının Yenilenmesi",
        recipients=[
            Recipient(
                "Sakarya Valiliği",
                addressed_as="Sakarya Valiliğine",
                unit="Bilgi İşlem Şube Müdürlüğü",
            )
        ],
        references=[
            Reference(datetime.date(2025, 2, 1), "E-11111111-010.01-99", "Sakarya Valiliğinin"),
            Reference(datetime.date(2024, 12, 5), "E-22222222-010.01-12"),
        ],
        body=[LONG_PARAGRAPH * 2] * paragraphs
        + [
            ["yeni anahtarların alınması;", "kablolamanın yenilenmesi;", "eğitim verilmesi."],
            "Bilgilerinizi ve gereğini arz ederim.",
        ],
        signer=Signer("Ayşe", "Yılmaz", "Başkan Yardımcısı", "Başkan a."),
        annexes=["Teknik Şartname (3 sayfa)", "Keşif Listesi (1 sayfa)"],
        verification_code="BSK4-7H2Q-XY9Z",
        verification_url="https://bilgiislem.karasu.bel.tr/dogrula/BSK47H2QXY9Z",
        contact=Contact(
            address="Yalı Mah. Atatürk Cad. No:1 Karasu/SAKARYA",
            phone="0264 000 00 00",
            email="bilgiislem@karasu.bel.tr",
            kep="karasubelediyesi@hs01.kep.tr",
            web="www.karasu.bel.tr",
        ),
    )
    fields.update(changes)
    return LetterContent(**fields)


def two_recipients():
    return [
        Recipient("Sakarya Valiliği", addressed_as="Sakarya Valiliğine"),
        Recipient("Fen İşleri Müdürlüğü", role=BILGI),
    ]
