"""The VİF prints in three copies with the fields of the regulation's form (art. 10, 38)."""

import datetime
import io

import pytest
from pypdf import PdfReader

from bilgiislem.assets.choices import VifKind
from bilgiislem.assets.pdf import vif_pdf
from bilgiislem.assets.services.vif import vif_create, vif_sign

pytestmark = pytest.mark.django_db


def test_vif_pdf_has_three_copies_and_the_form_fields(kayit, store, tasinir_code, settings):
    settings.BILGIISLEM_ASSET_SPENDING_UNIT_CODE = "46.61.01.12"
    settings.BILGIISLEM_ASSET_ACCOUNTING_UNIT = "Karasu Mali Hizmetler Müdürlüğü (06)"
    vif = vif_create(
        actor=kayit,
        kind=VifKind.PURCHASE,
        store=store,
        date=datetime.date(2026, 4, 2),
        supporting_reference="Muayene ve kabul 2026/7",
        supporting_date=datetime.date(2026, 4, 1),
        lines=[{"code": tasinir_code, "quantity": 2, "unit_price": "1250.50"}],
    )
    vif = vif_sign(actor=kayit, vif=vif)

    reader = PdfReader(io.BytesIO(vif_pdf(vif)))
    # Table cells wrap: compare with the whitespace made single spaces.
    pages = [" ".join(page.extract_text().split()) for page in reader.pages]
    assert len(pages) == 3
    for number, text in enumerate(pages, start=1):
        assert "VARLIK İŞLEM FİŞİ" in text
        assert text.startswith(f"Nüsha {number} / 3")
        assert "46.61.01.12" in text and "Karasu Mali Hizmetler Müdürlüğü (06)" in text
        assert store.unit.name in text and store.code in text
        assert "Muayene ve kabul 2026/7" in text and "02.04.2026" in text
        assert tasinir_code.code in text and "1.250,50" in text and "2.501,00" in text
        assert "Teslim Eden" in text and "Teslim Alan" in text
        assert str(vif.number) in text
