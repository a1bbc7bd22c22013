"""The service desk's main flow in a real browser (issue 6, "Tests"): yaziisleri opens a
request, sef assigns it to memur, memur resolves it, yaziisleri confirms it. Selectors use
field names and data attributes, never translated labels."""

import re

import pytest

pytestmark = pytest.mark.browser


def _logout(page):
    page.locator("form[action='/hesap/cikis/'] button").click()
    page.wait_for_load_state()


def test_open_assign_resolve_confirm(page, login, served_app):
    login("yaziisleri")
    page.goto(served_app + "/destek/yeni/")
    page.fill("input[name=ticket-title]", "Tarayıcı testi: yazıcı çıktı vermiyor")
    page.fill("textarea[name=ticket-description]", "Kat 2 yazıcısı kağıt sıkıştırıyor.")
    page.select_option("select[name=ticket-category]", "hardware")
    page.locator("button[name=create]").click()
    page.wait_for_url(re.compile(r".*/destek/talepler/\d+/$"))
    detail = page.url
    assert page.locator("[data-state=new]").count() == 1
    assert page.locator("[data-sla=running]").count() == 1
    _logout(page)

    login("sef")
    page.goto(served_app + "/destek/kuyruk/")
    page.locator(f"a[href='{detail.removeprefix(served_app)}']").first.click()
    page.wait_for_url(detail)
    memur = page.locator("select[name=assign-assignee] option", has_text="(memur)")
    page.select_option("select[name=assign-assignee]", memur.first.get_attribute("value"))
    page.fill("textarea[name=assign-note]", "Bugün bakılsın.")
    page.locator("button[name=assign]").click()
    page.wait_for_url(detail)
    assert page.locator("[data-state=assigned]").count() == 1
    _logout(page)

    login("memur")
    page.goto(detail)
    page.locator("button[name=start]").click()
    page.wait_for_url(detail)
    page.fill("textarea[name=resolve-resolution]", "Sıkışan kağıt çıkarıldı, silindir temizlendi.")
    page.fill("input[name=resolve-minutes_spent]", "20")
    page.locator("button[name=resolve]").click()
    page.wait_for_url(detail)
    assert page.locator("[data-state=resolved]").count() == 1
    _logout(page)

    login("yaziisleri")
    page.goto(detail)
    assert "silindir temizlendi" in page.locator("[data-resolution]").inner_text()
    page.locator("button[name=confirm]").click()
    page.wait_for_url(detail)
    assert page.locator("[data-state=closed]").count() == 1
    assert page.locator("main .errorlist").count() == 0
