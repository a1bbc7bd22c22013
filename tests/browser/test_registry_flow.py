"""The registry's main flow in a real browser (issue 3, "Done when"): kalem registers a paper
document, mudur routes it to memur for action, memur closes it with an outcome, and the
document is done. Selectors use field names, never translated labels."""

import datetime
import re

import pytest

pytestmark = pytest.mark.browser


def _logout(page):
    page.locator("form[action='/hesap/cikis/'] button").click()
    page.wait_for_load_state()


def test_register_route_and_close_a_paper_document(page, login, served_app):
    today = datetime.date.today().strftime("%d.%m.%Y")

    login("kalem")
    page.goto(served_app + "/evrak/kaydet/")
    page.select_option("select[name=party_kind]", "public_body")
    page.fill("input[name=party_name]", "Sakarya Valiliği")
    page.fill("input[name=party_identifier]", "1234")
    # Validated as you type: the DETSİS number is too short.
    page.wait_for_selector("#check-party_identifier.field-error")
    page.fill("input[name=party_identifier]", "12345678")
    page.wait_for_selector("#check-party_identifier.check-ok")
    page.fill("input[name=sayi]", "E-12345678-010.01-4752")
    page.fill("input[name=document_date]", today)
    page.fill("input[name=subject]", "Tarayıcı testi: envanter bilgisi istenmesi")
    page.check("input[name=medium][value=paper]")
    page.fill("input[name=paper_location]", "Kalem dolabı 2")
    page.locator("button[name=register]").click()
    page.wait_for_url(re.compile(r".*/evrak/\d+/$"))
    detail = page.url
    assert page.locator("main .errorlist").count() == 0
    assert "Tarayıcı testi" in page.locator("h1").inner_text()
    _logout(page)

    login("mudur")
    page.goto(detail)
    memur = page.locator("select[name=route-action_people] option", has_text="(memur)")
    page.select_option("select[name=route-action_people]", memur.first.get_attribute("value"))
    page.select_option("select[name=route-deadline_basis]", "documents")
    page.fill("textarea[name=route-instruction]", "Gereğini rica ederim.")
    page.locator("button[name=route]").click()
    page.wait_for_url(detail)
    assert page.locator("[data-routing-status=open]").count() == 1
    _logout(page)

    login("memur")
    page.goto(detail)
    page.fill("textarea[name$=-outcome]", "Envanter listesi hazırlanıp gönderildi.")
    page.locator("button[name=close]").click()
    page.wait_for_url(detail)
    assert page.locator("[data-status=done]").count() == 1
    assert page.locator("[data-routing-status=closed]").count() == 1
    assert "Envanter listesi hazırlanıp gönderildi." in page.locator("main").inner_text()
