"""Playwright in Debian's chromium against a live Putright, with axe-core's accessibility checks.

The browser is never downloaded: these tests use /usr/bin/chromium and are skipped, saying how to
install it, where it is absent. Screenshots of the pages go to test-artifacts/screenshots/.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from unittest import mock

import pytest

from tests.conftest import REPOSITORY

CHROMIUM = Path(os.environ.get("PUTRIGHT_CHROMIUM", "/usr/bin/chromium"))
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
AXE = REPOSITORY / "node_modules" / "axe-core" / "axe.min.js"
WCAG_22_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa"]
SCREENSHOTS = REPOSITORY / "test-artifacts" / "screenshots"
PASSWORD = "a-long-test-password"  # tests.cast gives every member of the cast this password


def authenticator_code(username: str) -> str:
    """The code the person's authenticator app shows now: their app, set up if they have none yet.

    A code is accepted once, so the app's record of the last one used is cleared first: signing in
    twice within 30 seconds is a test's habit, not a person's."""
    from django.contrib.auth.models import User
    from django_otp.oath import TOTP
    from django_otp.plugins.otp_totp.models import TOTPDevice

    # Called between Playwright's steps, whose event loop runs in this thread: the few queries here are the
    # test's own, made while the browser waits, so Django's guard against queries in async code is lifted.
    with mock.patch.dict(os.environ, {"DJANGO_ALLOW_ASYNC_UNSAFE": "true"}):
        device = TOTPDevice.objects.filter(user__username=username).order_by("-confirmed", "pk").first()
        if device is None:
            user = User.objects.get(username=username)
            device = TOTPDevice.objects.create(user=user, name="Test app", confirmed=True)
        TOTPDevice.objects.filter(pk=device.pk).update(last_t=-1, throttling_failure_count=0)
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def skip_without_chromium_or_axe() -> None:
    if not CHROMIUM.exists():
        pytest.skip(f"{CHROMIUM} is absent: install Debian's chromium (apt-get install chromium) to run browser tests")
    if not AXE.exists():
        pytest.skip(f"{AXE} is absent: run `npm ci` (make install) to get axe-core")


@pytest.fixture(scope="session")
def browser() -> Iterator[Any]:
    skip_without_chromium_or_axe()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in this thread; the test's own database calls are
    # ordinary blocking calls made between browser steps, which is what this setting allows.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


class Visit:
    """One person's browser tab on the live server, with axe and screenshots at hand."""

    def __init__(self, page: Any, base_url: str) -> None:
        self.page = page
        self.base_url = base_url
        self.checked: list[str] = []
        # What the Content-Security-Policy refused: a page that needs an inline script or style, or
        # anything from another host, is broken for real users (chromium reports each on the console).
        self.csp_violations: list[str] = []
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if "Content Security Policy" in message.text:
            self.csp_violations.append(f"{self.page.url}: {message.text}")

    def go(self, path: str) -> None:
        self.page.goto(self.base_url + path)

    def sign_in(self, username: str) -> None:
        """Signs in with the password and, where it is asked for, the code from an authenticator app
        (one set up for the person beforehand: tests/browser/test_two_factor_browser.py sets one up)."""
        self.go("/staff/sign-in/")
        self.page.get_by_label("Username").fill(username)
        self.page.get_by_label("Password").fill(PASSWORD)
        self.page.get_by_role("button", name="Sign in").click()
        self.page.wait_for_url(re.compile(r"/staff/(second-factor/.*)?$"))
        if "/second-factor/" in self.page.url:
            self.page.get_by_label("Code from your authenticator app").fill(authenticator_code(username))
            self.page.get_by_role("button", name=re.compile("^(Continue|Finish setting up)$")).click()
            self.page.wait_for_url(re.compile(r"/staff/$"))

    def sign_out(self) -> None:
        self.page.get_by_role("button", name=re.compile("^Sign out")).click()
        self.page.wait_for_url(re.compile(r"/staff/signed-out/$"))

    def check(self, name: str) -> None:
        """Run axe-core on the page as it is now (WCAG 2.2 A and AA) and keep a screenshot."""
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        # Evaluated rather than added as a <script>: the page's Content-Security-Policy refuses inline scripts.
        self.page.evaluate(AXE.read_text())
        result = self.page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
        )
        violations = [
            {
                "rule": v["id"],
                "impact": v["impact"],
                "help": v["help"],
                "nodes": [n["target"] for n in v["nodes"]][:5],
            }
            for v in result["violations"]
        ]
        assert not violations, f"axe found violations on {name} ({self.page.url}):\n{json.dumps(violations, indent=1)}"
        self.checked.append(name)


@pytest.fixture
def visit(browser: Any, live_server: Any) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    visit = Visit(page, live_server.url)
    try:
        yield visit
    finally:
        context.close()
    assert not visit.csp_violations, "The Content-Security-Policy refused:\n" + "\n".join(visit.csp_violations)
