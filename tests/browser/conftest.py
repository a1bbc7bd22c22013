"""Browser tests: real Chromium (Debian's package, driven by Playwright) against a real server.

The server is `manage.py runserver` on a fresh SQLite database in a temporary folder, set up
the way `make run` does it (migrate, load_organization, load_demo, correspondence_demo_pki).
It is not pytest-django's live_server, whose flush between tests would run into the
append-only audit table (ADR 0004).
"""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM_CANDIDATES = ("/usr/bin/chromium", "/usr/lib/chromium/chromium")


def _chromium() -> str:
    for path in CHROMIUM_CANDIDATES:
        if Path(path).exists():
            return path
    found = shutil.which("chromium")
    if not found:
        pytest.fail("Chromium is missing: `make test` installs Debian's chromium package")
    return found


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def served_app(tmp_path_factory):
    """Base URL of a freshly set-up demo instance."""
    var_dir = tmp_path_factory.mktemp("served")
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(
        BILGIISLEM_VAR_DIR=str(var_dir),
        DJANGO_SETTINGS_MODULE="config.settings.dev",
        PYTHONUNBUFFERED="1",
    )
    manage = [sys.executable, str(ROOT / "manage.py")]
    for args in (
        ["migrate", "--noinput", "-v0"],
        ["load_organization"],
        ["load_demo"],
        ["correspondence_demo_pki"],
        ["servicedesk_setup"],
        ["servicedesk_demo"],
        ["assets_demo"],
    ):
        subprocess.run([*manage, *args], env=env, check=True, cwd=ROOT, capture_output=True)
    port = _free_port()
    log = open(var_dir / "server.log", "w")  # noqa: SIM115 (kept open for the server's life)
    server = subprocess.Popen(
        [*manage, "runserver", "--noreload", "--nothreading", f"127.0.0.1:{port}"],
        env=env,
        cwd=ROOT,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            urllib.request.urlopen(base + "/hesap/giris/", timeout=2)
            break
        except OSError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("server did not start:\n" + (var_dir / "server.log").read_text())
            time.sleep(0.1)
    yield base
    server.terminate()
    server.wait(timeout=10)
    log.close()


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=_chromium(),
            headless=True,
            args=[
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
                "--disable-quic",
            ],
        )
        yield browser
        browser.close()


BROWSER_TIMEOUT_MS = 45_000


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="tr-TR", timezone_id="Europe/Istanbul")
    page = context.new_page()
    # Generous: on a loaded 2-core machine a signing POST (render, sign, register, deliver)
    # has taken over 10 s; a real failure still fails, only later.
    page.set_default_timeout(BROWSER_TIMEOUT_MS)
    yield page
    context.close()


@pytest.fixture
def login(page, served_app):
    def _login(username, password="demo"):
        page.goto(served_app + "/hesap/giris/")
        page.fill("input[name=username]", username)
        page.fill("input[name=password]", password)
        page.locator("form button[type=submit]").first.click()
        page.wait_for_load_state()
        return page

    return _login
