"""An external letter in a real browser (issue 4): memur drafts it to a public body, sef,
mudur and baskan.yardimcisi initial it, baskan signs it with the server's (demo) key, the
letter page shows its Sayı, and the public verification page — in a fresh, anonymous
browser — shows the letter and confirms the signed PDF but not a tampered copy. Selectors
use field names and data attributes, never translated labels."""

import re

import pytest

from .conftest import BROWSER_TIMEOUT_MS

pytestmark = pytest.mark.browser


def _logout(page):
    page.locator("form[action='/hesap/cikis/'] button").click()
    page.wait_for_load_state()


def test_draft_paraf_and_sign_an_external_letter(page, login, served_app, browser):
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

    # The verification page (issue 4 point 6): anyone, without logging in, sees what the
    # printed code stands for and can check an electronic copy.
    sayi = page.locator("[data-sayi]").inner_text()
    code = page.locator("[data-verification-code]").inner_text()
    chain = page.locator("ol.chain").inner_text()
    page.goto(served_app + page.locator("[data-outgoing-registration]").get_attribute("href"))
    link = page.locator("a[href*='/dosya/']", has_text=".pdf").first.get_attribute("href")
    download = page.request.get(served_app + link)
    assert download.ok and download.body().startswith(b"%PDF-")
    signed_pdf = download.body()

    anonymous = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul")
    try:
        visitor = anonymous.new_page()
        visitor.set_default_timeout(BROWSER_TIMEOUT_MS)
        visitor.goto(f"{served_app}/dogrula/{code}")
        sayi_shown, _date, subject, signer, acting_as = visitor.locator(
            "dl.facts dd"
        ).all_inner_texts()
        assert sayi_shown == sayi
        assert subject == "Tarayıcı testi: ağ anahtarlarının yenilenmesi"
        assert signer and signer in chain and acting_as == "Belediye Başkanı"

        def check(data: bytes):
            visitor.set_input_files(
                "input[name=file]",
                files=[{"name": "yazi.pdf", "mimeType": "application/pdf", "buffer": data}],
            )
            visitor.locator("form[enctype='multipart/form-data'] button[type=submit]").click()
            visitor.wait_for_load_state()

        check(signed_pdf)
        assert visitor.locator("p.message.success").count() == 1
        tampered = bytearray(signed_pdf)
        tampered[len(tampered) // 3] ^= 0x01
        check(bytes(tampered))
        assert visitor.locator("p.message.success").count() == 0
        assert visitor.locator("p.message.error").count() == 1
    finally:
        anonymous.close()
