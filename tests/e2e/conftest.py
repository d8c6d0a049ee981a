"""Browser tests: Kho served from a thread on a free port, driven by Debian's chromium via Playwright.

Skipped only when /usr/bin/chromium is missing (`.ci/run` installs it); never downloads a browser."""

from __future__ import annotations

import os
import threading

import pytest
from werkzeug.serving import make_server

CHROMIUM = os.environ.get("KHO_TEST_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking",
        "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.e2e


class LiveServer:
    """The test app on 127.0.0.1 in a thread; `stop()`/`start()` cut the network and bring it back."""

    def __init__(self, app):
        self.app, self.port, self._server, self._thread = app, 0, None, None

    def start(self) -> None:
        self._server = make_server("127.0.0.1", self.port, self.app, threaded=True)
        self.port = self._server.server_port
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
            self._server = None

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"


@pytest.fixture
def live_server(app):
    server = LiveServer(app)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.skip(f"no chromium at {CHROMIUM}")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(locale="vi-VN")
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


@pytest.fixture
def handheld(browser):
    """A page the size of a 360-px handheld screen."""
    context = browser.new_context(viewport={"width": 360, "height": 740}, locale="vi-VN", has_touch=True)
    tab = context.new_page()
    tab.set_default_timeout(15000)
    yield tab
    context.close()


@pytest.fixture
def user_in_browser(db, live_server):
    """user_in_browser(page, role) makes a user of that role and logs the page in through the form."""
    from tests.conftest import PASSWORD
    from warehouse import accounts

    def _login(tab, role: str, name: str | None = None):
        name = name or f"{role}-user"
        with db.transaction() as s:
            accounts.create_user(s, name, role, PASSWORD)
        tab.goto(f"{live_server.url}/login")
        tab.fill("input[name=name]", name)
        tab.fill("input[name=password]", PASSWORD)
        tab.click("button[type=submit]")
        tab.wait_for_url(f"{live_server.url}/")
        return tab

    return _login
