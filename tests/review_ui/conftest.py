"""A real Chromium (Playwright) to drive the real app (``live_server``, under uvicorn on a free local port).

The browser is the system's ``/usr/bin/chromium`` (Debian's package; CI installs it). Without it the
browser tests fail with a message saying so: they are never skipped silently.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from core.identity import User
from tests.conftest import PASSWORD

CHROMIUM = os.environ.get("LEDGERDESK_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]


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
