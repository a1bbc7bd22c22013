"""Letters with annexes, drafted and signed through the services, for the annex and dispatch
tests."""

from django.core.files.uploadedfile import SimpleUploadedFile

from bilgiislem.correspondence import services
from bilgiislem.correspondence.services.annexes import letter_annex_add
from bilgiislem.correspondence.signing import file_signer

PDF_ANNEX = b"%PDF-1.7\n% teknik sartname\n" + b"0" * 2000 + b"\n%%EOF\n"
GOVERNORSHIP = {
    "kind": "governorship",
    "name": "Sakarya Valiliği",
    "identifier": "24301050",
    "purpose": "action",
}
COMPANY = {
    "kind": "company",
    "name": "Örnek Bilişim A.Ş.",
    "identifier": "1234567890",
    "purpose": "information",
}
CITIZEN = {
    "kind": "citizen",
    "name": "Ali Veli",
    "identifier": "10000000146",
    "purpose": "information",
    "annexes_omitted": True,
}


def pdf_upload(name="teknik şartname.pdf", data=PDF_ANNEX):
    return SimpleUploadedFile(name, data, content_type="application/pdf")


def draft(people, *recipients, author="memur", closing="Gereğini arz ederim."):
    return services.letter_create(
        actor=people[author],
        subject="Ağ Anahtarlarının Yenilenmesi",
        body="Birinci paragraf.\n\n" + closing,
        sdp_code="010.06.01",
        recipients=list(recipients or (GOVERNORSHIP,)),
    )


def add_three_annexes(people, letter, author="memur"):
    actor = people[author]
    letter_annex_add(
        actor=actor, letter=letter, kind="file", description="Teknik Şartname", upload=pdf_upload()
    )
    letter_annex_add(
        actor=actor,
        letter=letter,
        kind="external",
        description="Çalışma Raporu",
        url="https://www.karasu.bel.tr/raporlar/2025-1.pdf",
    )
    letter_annex_add(actor=actor, letter=letter, kind="physical", description="İki adet CD")


def make_signer(pki):
    return file_signer(
        pki.signer.key_pem, pki.signer.cert_pem, [pki.interm.cert_pem, pki.root.cert_pem]
    )


def sign_external(people, letter, pki):
    """Round the external chain (Chief, Director, Deputy Mayor) and the Mayor signs."""
    services.letter_submit(actor=people["memur"], letter=letter)
    for who in ("sef", "mudur", "baskan.yardimcisi"):
        services.step_approve(actor=people[who], letter=letter)
    services.letter_sign(actor=people["baskan"], letter=letter, signer=make_signer(pki))
    letter.refresh_from_db()
    return letter


def signed_letter(people, units, pki, *recipients):
    """An external letter with three annexes (file, link, CD), signed by the Mayor: to the
    governorship (Gereği), a company, a citizen marked "Ek konulmadı" and two directorates
    (Bilgi), one of them marked too."""
    recipients = recipients or (
        GOVERNORSHIP,
        COMPANY,
        CITIZEN,
        {"kind": "internal", "unit": units["yazi-isleri"], "purpose": "information"},
        {
            "kind": "internal",
            "unit": units["fen-isleri"],
            "purpose": "information",
            "annexes_omitted": True,
        },
    )
    letter = draft(people, *recipients, closing="Bilgilerinizi ve gereğini arz ve rica ederim.")
    add_three_annexes(people, letter)
    return sign_external(people, letter, pki)
