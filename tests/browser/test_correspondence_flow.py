"""An external letter in a real browser (issue 4): memur drafts it to a public body, sef,
mudur and baskan.yardimcisi initial it, baskan signs it with the server's (demo) key, and the
letter page shows its Sayı. Selectors use field names, never translated labels."""

import re

import pytest

pytestmark = pytest.mark.browser


def _logout(page):
    page.locator("form[action='/hesap/cikis/'] button").click()
    page.wait_for_load_state()


def test_draft_paraf_and_sign_an_external_letter(page, login, served_app):
    login("memur")
    page.goto(served_app + "/yazisma/yeni/")
    page.fill("input[name=subject]", "Tarayıcı testi: ağ anahtarlarının yenilenmesi")
    page.fill("input[name=sdp_code]", "010.06.01")
    page.fill(
        "textarea[name=body]",
        "Belediyemiz ağ anahtarları yenilenecektir.\n\n"
        "a) anahtarlar alınacak;\nb) kablolama yenilenecek.\n\nBilgilerinizi rica ederim.",
    )
    page.select_option("select[name=recipients-0-kind]", "public_body")
    page.fill("input[name=recipients-0-name]", "Sakarya Valiliği")
    page.fill("input[name=recipients-0-identifier]", "12345678")
    page.select_option("select[name=recipients-0-purpose]", "action")
    page.locator("button[name=save]").click()
    page.wait_for_url(re.compile(r".*/yazisma/\d+/$"))
    detail = page.url
    assert page.locator("main .form-errors").count() == 0
    page.locator("button[name=submit]").click()
    page.wait_for_url(detail)
    assert page.locator("[data-letter-status=in_approval]").count() == 1
    _logout(page)

    for who in ("sef", "mudur", "baskan.yardimcisi"):
        login(who)
        page.goto(detail)
        page.locator("button[name=approve]").click()
        page.wait_for_url(detail)
        assert page.locator("main .form-errors").count() == 0
        _logout(page)

    login("baskan")
    page.goto(detail)
    page.locator("button[name=sign]").click()
    page.wait_for_url(detail)
    assert page.locator("[data-letter-status=signed]").count() == 1
    assert re.fullmatch(r"E-\d{8}-010\.06\.01-\d+", page.locator("[data-sayi]").inner_text())
