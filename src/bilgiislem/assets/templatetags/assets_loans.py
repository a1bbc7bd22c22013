"""``{% asset_loan_panel asset may_edit %}``: on an asset's page, its open loan or repair and
the links to lend it or send it for repair (H-LOANS)."""

from django import template

from ..choices import AssetStatus
from ..services.repair import repair_info

register = template.Library()


@register.inclusion_tag("assets/loans/_asset.html")
def asset_loan_panel(asset, may_edit=False):
    loan = None
    if asset.status == AssetStatus.LENT:
        loan = asset.loans.filter(returned_at__isnull=True).first()
    return {
        "asset": asset,
        "may_edit": may_edit,
        "loan": loan,
        "repair": repair_info(asset),
        "may_lend": may_edit and asset.status == AssetStatus.IN_STORE,
        "may_send": may_edit and asset.status in (AssetStatus.IN_STORE, AssetStatus.IN_USE),
    }
