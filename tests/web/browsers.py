"""What every browser test shares: Debian's Chromium through Playwright, and a way to touch the database while
Playwright holds the test's thread.

Without /usr/bin/chromium a browser test is skipped on a workstation and fails on CI (CI=true), so CI cannot pass
by silently not running it. The live server needs a transactional database; the append-only triggers are lifted
for its closing flush by the autouse fixture in tests/conftest.py.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.db import connections

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run"]


@contextmanager
def chromium() -> Iterator:
    """A headless Chromium. Playwright's sync API runs an event loop in this thread and Django then refuses
    database access from it, so a test writes its rows before the browser starts (or through `in_own_thread`)."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI") == "true":
            pytest.fail(f"{CHROMIUM} is missing on CI: install Debian's chromium package")
        pytest.skip("Debian chromium not installed")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        try:
            yield browser
        finally:
            browser.close()


def in_own_thread(work):
    """Run database work outside the thread whose event loop Playwright holds; return its result."""
    result, failures = [], []

    def run():
        try:
            result.append(work())
        except Exception as exc:  # re-raised in the test's thread
            failures.append(exc)
        finally:
            connections.close_all()  # this thread's connection would keep the test database from being dropped

    worker = threading.Thread(target=run)
    worker.start()
    worker.join()
    if failures:
        raise failures[0]
    return result[0]
