"""The real app under uvicorn on a free local port, and a real Chromium (Playwright) to drive it.

The browser is the system's ``/usr/bin/chromium`` (Debian's package; CI installs it). Without it the
browser tests fail with a message saying so: they are never skipped silently.
"""

from __future__ import annotations

import os
import socket
import threading
import time
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
import uvicorn

from core.identity import User
from ledgerdesk.app import create_app
from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("LEDGERDESK_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
START_TIMEOUT_SECONDS = 15


def _free_socket() -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind(("127.0.0.1", 0))
    return sock


def _wait_until_healthy(base_url: str, thread: threading.Thread) -> None:
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline:
        if not thread.is_alive():
            pytest.fail("the test web server stopped while starting; see the log above", pytrace=False)
        try:
            with opener.open(f"{base_url}/healthz", timeout=1) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.05)
    pytest.fail(f"the test web server did not answer {base_url}/healthz within {START_TIMEOUT_SECONDS}s",
                pytrace=False)


@pytest.fixture(scope="session")
def live_server(infrastructure) -> Iterator[str]:
    """Base URL of ``create_app()`` served by uvicorn in a background thread, for the whole run."""
    sock = _free_socket()
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning", access_log=False, lifespan="off"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, name="live-server", daemon=True)
    thread.start()
    base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
    try:
        _wait_until_healthy(base_url, thread)
        yield base_url
    finally:
        server.should_exit = True
        thread.join(timeout=10)
        sock.close()


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the run."""
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium is not installed at {CHROMIUM}. The browser tests need it: "
                    "`apt-get install chromium` (CI installs it), or set LEDGERDESK_TEST_CHROMIUM.", pytrace=False)
    from playwright.sync_api import sync_playwright

    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()
    finally:
        playwright.stop()


def _new_page(browser, base_url: str, **context_options):
    context = browser.new_context(base_url=base_url, viewport={"width": 1400, "height": 900}, **context_options)
    context.set_default_timeout(10_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server):
    """A fresh browser context (no cookies) and page on the live server."""
    context, new_page = _new_page(browser, live_server)
    yield new_page
    context.close()


@pytest.fixture
def page_without_js(browser, live_server):
    """Like ``page``, with JavaScript switched off: the forms must still work."""
    context, new_page = _new_page(browser, live_server, java_script_enabled=False)
    yield new_page
    context.close()


@pytest.fixture
def sign_in() -> Callable[..., None]:
    """``sign_in(page, user)``: fill in and send the login form, as a person would."""

    def _sign_in(page, user: User, password: str = PASSWORD, start: str = "/login") -> None:
        if start:
            page.goto(start)
        page.get_by_label("E-mail").fill(user.email)
        page.get_by_label("Password").fill(password)
        page.get_by_role("button", name="Sign in").click()

    return _sign_in
