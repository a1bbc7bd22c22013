"""Retrieval of an archived paper original in a real browser (issue 5, "Tests"): `memur` asks
the archive for a paper record that `arsiv` keeps, the archive officer's superior (`sef`, the
Chief above the Kalem unit's archive officer) approves, `arsiv` lends it, `memur` returns it
and `arsiv` receives it back. Selectors use field names, never translated labels.

The archived document is made on the served instance the way the records work makes one
(registered, routed, finished, archived by `arsiv`, its folder put in a box), through the
services in a `manage.py shell` run against the server's own database.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser
ROOT = Path(__file__).resolve().parents[2]

SEED = """
from bilgiislem.archive.services import locations, record_archive
from bilgiislem.organization.models import OrgUnit, Person
from bilgiislem.registry import services
from bilgiislem.registry.choices import Medium, PartyKind, Purpose

def who(username):
    return Person.objects.get(username=username)

bilgi = OrgUnit.objects.get(code="bilgi-islem")
document = services.document_register(
    actor=who("kalem"), registry=bilgi, medium=Medium.PAPER, party_kind=PartyKind.COMPANY,
    party_name="Sakarya Bilişim A.Ş.", party_identifier="1234567890",
    sayi="E-67915368-700-4752", subject="Tarayıcı testi: sunucu odası kablolama ihalesi",
    sdp_code="700.01", paper_location="Kalem dolabı 1",
)
(routing,) = services.routing_create(
    actor=who("mudur"), document=document, recipients=[(who("memur"), Purpose.ACTION)],
    deadline_basis="documents",
)
services.routing_close(actor=who("memur"), routing=routing, outcome="Yapıldı.")
document.refresh_from_db()
record = record_archive(actor=who("arsiv"), document=document)
arsiv = who("arsiv")
building = locations.location_create(
    actor=arsiv, kind="building", label="Hizmet Binası", unit=bilgi
)
box = locations.location_create(actor=arsiv, kind="box", label="Kutu 7", parent=building)
locations.folder_locate(actor=arsiv, folder=record.folder, location=box)
print("DOCUMENT", document.pk)
"""


def _served_env(tmp_path_factory) -> dict:
    """The environment the served instance runs in (its BILGIISLEM_VAR_DIR: the temporary
    folder the `served_app` fixture made, the one holding its server log)."""
    base = tmp_path_factory.getbasetemp()
    found = sorted(p.parent for p in base.glob("served*/server.log"))
    assert found, "the served_app fixture runs first"
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        BILGIISLEM_VAR_DIR=str(found[-1]),
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        PYTHONUNBUFFERED="1",
    )
    return env


@pytest.fixture(scope="module")
def archived_paper(served_app, tmp_path_factory) -> int:
    """The id of an archived paper document of Bilgi İşlem on the served instance."""
    env = _served_env(tmp_path_factory)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "load_file_plan"], env=env, check=True, cwd=ROOT, capture_output=True)
    done = subprocess.run(
        [*manage, "shell", "-c", SEED],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr
    return int(re.search(r"DOCUMENT (\d+)", done.stdout).group(1))


def _logout(page):
    page.locator("form[action='/hesap/cikis/'] button").click()
    page.wait_for_load_state()


def test_memur_borrows_a_paper_record_from_the_archive(page, login, served_app, archived_paper):
    login("memur")
    page.goto(f"{served_app}/arsiv/odunc/yeni/?document={archived_paper}")
    assert "kablolama ihalesi" in page.locator("main").inner_text()
    page.check("input[name=kind][value=paper]")
    page.fill("textarea[name=reason]", "İhale dosyasının denetim için incelenmesi.")
    page.locator("button[name=request]").click()
    page.wait_for_url(re.compile(r".*/arsiv/odunc/\d+/$"))
    detail = page.url
    assert page.locator("[data-retrieval-state=requested]").count() == 1
    _logout(page)

    # The Chief above the archive officer finds it among the requests to approve.
    login("sef")
    page.goto(served_app + "/arsiv/odunc/?tab=approve")
    page.locator("[data-state=requested] a").first.click()
    page.wait_for_url(detail)
    page.fill("textarea[name=approve-note]", "Uygundur.")
    page.locator("button[name=approve]").click()
    page.wait_for_url(detail)
    assert page.locator("[data-retrieval-state=approved]").count() == 1
    _logout(page)

    # The archive officer sees where the paper is, lends it with the default due date.
    login("arsiv")
    page.goto(detail)
    assert "Hizmet Binası › Kutu 7" in page.locator("[data-place]").inner_text()
    assert page.input_value("input[name=lend-due_date]")
    page.locator("button[name=lend]").click()
    page.wait_for_url(detail)
    assert page.locator("[data-retrieval-state=lent]").count() == 1
    assert page.locator("main .form-errors").count() == 0
    _logout(page)

    login("memur")
    page.goto(detail)
    page.locator("button[name=return]").click()
    page.wait_for_url(detail)
    assert page.locator("[data-retrieval-state=returned]").count() == 1
    _logout(page)

    login("arsiv")
    page.goto(detail)
    page.locator("button[name=receive]").click()
    page.wait_for_url(detail)
    assert page.locator("[data-retrieval-state=closed]").count() == 1
    assert page.locator("button[name=receive]").count() == 0
