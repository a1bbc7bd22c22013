"""The "Taşınırlar" menu section and the assets work on "İşlerim" (accounts gathers them)."""

import pytest

from bilgiislem.accounts.navigation import menu_for
from bilgiislem.accounts.selectors import work_items
from bilgiislem.assets.choices import NeedKind
from bilgiislem.assets.services.needs import need_submit

pytestmark = pytest.mark.django_db


def test_menu_section_and_work_item(people, units):
    need = need_submit(
        actor=people["yaziisleri"],
        unit=units["yazi-isleri"],
        year=2027,
        kind=NeedKind.SOFTWARE,
        description="Çizim yazılımı",
        justification="İmar planları",
    )
    section = next(i for i in menu_for(people["mudur"]) if i["key"] == "assets")
    assert section["url"] == "/tasinir/" and section["count"] >= 1
    assert {c["key"] for c in section["children"]} >= {"assets-list", "assets-needs"}
    assert any(i.url == f"/tasinir/ihtiyac/{need.pk}/" for i in work_items(people["mudur"]))
    assert not any(i.url.startswith("/tasinir/ihtiyac/") for i in work_items(people["yaziisleri"]))
