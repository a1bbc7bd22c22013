"""PDFs of the VİF (three copies), İstek Belgesi, Teslim Belgesi and Dayanıklı Taşınırlar
Listesi, with the fields and signature blocks the regulation's forms carry."""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from bilgiislem.core.pdf import html_to_pdf

from .models import StockItem

# The VİF is printed in three copies (Taşınır Mal Yönetmeliği art. 10): one stays with the
# unit, one goes to the accounting office, one to the other party or the supporting file.
VIF_COPIES = ("1", "2", "3")


def _institution() -> str:
    from bilgiislem.organization.models import Institution

    institution = Institution.objects.first()
    return institution.letterhead if institution else ""


def _render(template: str, context: dict) -> bytes:
    context = {
        "institution": _institution(),
        "printed_at": timezone.localtime(),
        "spending_unit_code": settings.BILGIISLEM_ASSET_SPENDING_UNIT_CODE,
        "accounting_unit": settings.BILGIISLEM_ASSET_ACCOUNTING_UNIT,
        **context,
    }
    return html_to_pdf(render_to_string(template, context))


def vif_pdf(vif) -> bytes:
    lines = list(vif.lines.select_related("code", "asset"))
    # Consumables are counted in their own unit (kutu, metre …); durable items one by one.
    units = dict(
        StockItem.objects.filter(code_id__in={line.code_id for line in lines}).values_list(
            "code_id", "unit_of_measure"
        )
    )
    for line in lines:
        line.amount = line.quantity * line.unit_price
        line.unit_of_measure = units.get(line.code_id, _("piece"))
    total = sum((line.amount for line in lines), start=0)
    return _render(
        "assets/pdf/vif.html",
        {"vif": vif, "lines": lines, "total": total, "copies": VIF_COPIES},
    )


def request_pdf(request) -> bytes:
    return _render("assets/pdf/request.html", {"req": request})


def handover_pdf(handover) -> bytes:
    return _render("assets/pdf/handover.html", {"h": handover})


def shared_list_pdf(room, items, signoff=None) -> bytes:
    return _render(
        "assets/pdf/shared_list.html", {"room": room, "items": items, "signoff": signoff}
    )
