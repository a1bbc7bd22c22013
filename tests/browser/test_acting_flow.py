"""The foundation's main flow in a real browser (issue 2): the Director makes the Chief acting
Director for a week, and the Chief then sees the Director's work view."""

import datetime

import pytest

pytestmark = pytest.mark.browser


def _tr_date(d: datetime.date) -> str:
    return d.strftime("%d.%m.%Y")


def test_director_makes_chief_acting_director(page, login, served_app):
    login("mudur")
    assert page.url.rstrip("/") == served_app, "mudur lands on İşlerim"

    page.click("nav a[href='/kurum/']")
    page.wait_for_url(served_app + "/kurum/")
    tree = page.locator(".tree")
    assert tree.get_by_text("Bilgi İşlem Müdürlüğü", exact=False).first.is_visible()
    assert tree.get_by_text("Teknik Destek Birimi", exact=False).first.is_visible()

    page.goto(served_app + "/kurum/vekalet/")
    page.click("a[href='/kurum/vekalet/yeni/']")
    page.select_option("select[name=position]", label="Bilgi İşlem Müdürü")
    page.select_option(
        "select[name=acting_person]",
        label=page.locator(
            "select[name=acting_person] option", has_text="Şahin"
        ).first.inner_text(),
    )
    today = datetime.date.today()
    page.fill("input[name=start_date]", _tr_date(today))
    page.fill("input[name=end_date]", _tr_date(today + datetime.timedelta(days=7)))
    page.fill("input[name=reason]", "Yıllık izin")
    page.locator("main form button[type=submit]").first.click()
    page.wait_for_load_state()
    assert "Fatma Şahin" in page.locator("main").inner_text()
    assert page.locator("main .errorlist").count() == 0

    page.locator("form[action='/hesap/cikis/'] button").click()
    page.wait_for_load_state()

    login("sef")
    main = page.locator("main").inner_text()
    assert "Bilgi İşlem Müdürü V." in main, main
    # The Director's post brings the Director's menu: the audit trail is the Director's alone.
    assert page.locator("nav a[href='/denetim/']").count() == 1
    page.click("nav a[href='/denetim/']")
    page.wait_for_url(served_app + "/denetim/")
    assert "organization.acting.created" in page.locator("main").inner_text()


def test_staff_member_does_not_see_the_audit_trail(page, login, served_app):
    login("memur")
    assert page.locator("nav a[href='/denetim/']").count() == 0
    response = page.goto(served_app + "/denetim/")
    assert response.status == 404
