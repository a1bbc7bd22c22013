"""A unit asks for a laptop in a real browser (issue 7): `memur` fills an İstek Belgesi,
`mudur` (harcama yetkilisi) approves it, `kalem` (taşınır kayıt yetkilisi in the demo) hands
a laptop from the store over on a Teslim Belgesi, and `memur` acknowledges it and finds it
among their items. Selectors use field names and data attributes, never translated labels.
"""

import re

import pytest

pytestmark = pytest.mark.browser


def _logout(page):
    page.locator("form[action='/hesap/cikis/'] button").click()
    page.wait_for_load_state()


def test_a_unit_asks_for_a_laptop_and_the_receiver_acknowledges_it(page, login, served_app):
    login("memur")
    page.goto(served_app + "/tasinir/istek/yeni/")
    unit = page.locator("select[name=unit] option", has_text="Bilgi İşlem Müdürlüğü").first
    page.select_option("select[name=unit]", unit.get_attribute("value"))
    code = page.locator("select[name=code] option", has_text="255.02.02.02").first
    page.select_option("select[name=code]", code.get_attribute("value"))
    page.fill("textarea[name=purpose]", "Sahada arıza kaydı için dizüstü bilgisayar.")
    page.locator("form button[type=submit].primary").click()
    page.wait_for_url(re.compile(r".*/tasinir/istek/\d+/$"))
    detail = page.url
    assert page.locator("[data-request-state=requested]").count() == 1
    _logout(page)

    login("mudur")
    page.goto(detail)
    page.locator("button[name=decide][value=approve]").click()
    page.wait_for_url(detail)
    assert page.locator("[data-request-state=approved]").count() == 1
    _logout(page)

    login("kalem")
    page.goto(detail)
    first_laptop = page.locator("select[name=asset] option:not([value=''])").first
    sicil = first_laptop.inner_text().split()[0]
    page.select_option("select[name=asset]", first_laptop.get_attribute("value"))
    assert page.locator("select[name=receiver] option:checked").inner_text().strip()
    page.locator("button[name=issue]").click()
    page.wait_for_url(re.compile(r".*/tasinir/teslim/\d+/$"))
    handover = page.url
    assert page.locator("[data-acknowledged=no]").count() == 1
    _logout(page)

    login("memur")
    page.goto(served_app + "/tasinir/zimmetim/")
    assert sicil in page.locator("[data-my-items]").inner_text()
    page.goto(handover)
    page.locator("button[name=acknowledge]").click()
    page.wait_for_url(handover)
    assert page.locator("[data-acknowledged=yes]").count() == 1
