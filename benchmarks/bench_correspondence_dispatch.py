"""Figure for the dispatch of a signed letter (issue 4 point 7).

``correspondence.eyp_letter_ms``: the e-Yazışma package of a signed letter with three annexes
(a PDF file, a link, a CD) for one outside recipient, through ``letter_export_eyp``: the spec
from the database, the two CAdES signatures, the XSD validation and the importer's check,
storing the package and filing it on the registration. Each run is rolled back, so each one
makes the package afresh. The letter is drafted and signed through the services once, with a
throw-away test PKI (see bench_correspondence).
"""


def _signed_letter(signer):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from bilgiislem.correspondence import services
    from bilgiislem.correspondence.services.annexes import letter_annex_add
    from bilgiislem.organization.models import Person

    people = {p.username: p for p in Person.objects.all()}
    letter = services.letter_create(
        actor=people["memur"],
        subject="Ağ Anahtarlarının Yenilenmesi",
        body="Birinci paragraf.\n\nGereğini arz ederim.",
        sdp_code="010.06.01",
        recipients=[{"kind": "governorship", "name": "Sakarya Valiliği", "identifier": "24301050"}],
    )
    pdf = b"%PDF-1.7\n% teknik sartname\n" + b"0" * 200_000 + b"\n%%EOF\n"
    add = letter_annex_add
    add(
        actor=people["memur"],
        letter=letter,
        kind="file",
        description="Teknik Şartname",
        upload=SimpleUploadedFile("teknik şartname.pdf", pdf, content_type="application/pdf"),
    )
    add(
        actor=people["memur"],
        letter=letter,
        kind="external",
        description="Rapor",
        url="https://www.karasu.bel.tr/r.pdf",
    )
    add(actor=people["memur"], letter=letter, kind="physical", description="İki adet CD")
    services.letter_submit(actor=people["memur"], letter=letter)
    for who in ("sef", "mudur", "baskan.yardimcisi"):
        services.step_approve(actor=people[who], letter=letter)
    services.letter_sign(actor=people["baskan"], letter=letter, signer=signer)
    letter.refresh_from_db()
    return letter, people["memur"]


def run():
    from bench_correspondence import _median_ms, _pem, _pki
    from bench_registry import _ensure_org
    from django.db import transaction

    from bilgiislem.correspondence.services.dispatch import letter_export_eyp
    from bilgiislem.correspondence.signing import file_signer

    _ensure_org()
    root, interm, signer_pair = _pki()
    chain = [_pem(cert=interm[1]), _pem(cert=root[1])]
    signer = file_signer(_pem(key=signer_pair[0]), _pem(cert=signer_pair[1]), chain)
    letter, actor = _signed_letter(signer)
    recipient = letter.recipients.get()

    def export():
        with transaction.atomic():
            letter_export_eyp(actor=actor, letter=letter, recipient=recipient, signer=signer)
            transaction.set_rollback(True)

    yield "correspondence.eyp_letter_ms", _median_ms(export), "ms"
