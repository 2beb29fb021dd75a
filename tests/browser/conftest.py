"""A live mincorr server on a free port and Debian's chromium driven by Playwright.

Nothing is downloaded: Playwright's Python package drives the chromium that `make install` puts in
/usr/bin (from Debian). Screenshots go to test-results/screenshots/.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import shutil
import threading

import pytest
import waitress
from playwright.sync_api import sync_playwright

from app.config import PROJECT_ROOT
from app.users import add_user
from app.web import create_app
from tests.web_helpers import USERS

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
SCREENSHOTS = PROJECT_ROOT / "test-results" / "screenshots"
# The journey is replayed as of the days after the seed letter arrived (received 16 April 2009).
JOURNEY_DAY = dt.date(2009, 4, 24)


@pytest.fixture
def live_db(trained_db):
    for username, role in USERS.items():
        add_user(trained_db, username, f"{username}-password", role)
    return trained_db


@pytest.fixture
def live_server(live_db, settings):
    """mincorr served by waitress in a thread; yields its address."""
    app = create_app(
        {"SECRET_KEY": "browser-test"}, settings=dataclasses.replace(settings, today_override=JOURNEY_DAY)
    )
    server = waitress.create_server(app, host="127.0.0.1", port=0, threads=4)
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.effective_port}"
    server.close()
    thread.join(timeout=5)


@pytest.fixture
def browser_page():
    """A chromium page; the browser runs headless without network access beyond the test server."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for old in SCREENSHOTS.glob("*.png"):
        old.unlink()
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        context = browser.new_context(viewport={"width": 1280, "height": 900}, accept_downloads=True)
        page = context.new_page()
        page.set_default_timeout(20_000)
        yield page
        context.close()
        browser.close()
