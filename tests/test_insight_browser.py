"""The insight pages in a real browser: axe-core finds no WCAG 2.2 A or AA failure, charts included.

Screenshots go to test-artifacts/screenshots/insight-*.png. Skipped where Debian's chromium is absent.
The browser runs in a thread of its own: tests/browser keeps a Playwright session open for the whole
test run in the main thread, and Playwright allows one per thread.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest
import time_machine

from putright.insight import actions
from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS, Visit, skip_without_chromium_or_axe
from tests.insight_cases import BUILT_ON, build_known_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = {
    "insight-dashboard": "/staff/insight/?year=2024",
    "insight-annual-report": "/staff/insight/annual/2024/",
    "insight-annual-edit": "/staff/insight/annual/2024/edit/",  # the text and the other relevant reports (8.1 f)
    "insight-self-assessment": "/staff/insight/self-assessment/2024/",
    "insight-provision": "/staff/insight/self-assessment/2024/provisions/6.2/",
    "insight-learning": "/staff/insight/learning/?year=2024",
    "insight-improvements": "/staff/insight/improvements/",
    "insight-you-said-we-did": "/staff/insight/you-said-we-did/",
    "insight-governance": "/staff/insight/governance/?year=2024&quarter=2",
    "insight-exports": "/staff/insight/exports/",
    "insight-tp09": "/staff/insight/tp09/",
}


def visit_every_page(base_url: str, failures: list[BaseException]) -> None:
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
            page = context.new_page()
            page.set_default_timeout(15_000)
            visit = Visit(page, base_url)
            visit.sign_in("olu.officer")
            for name, path in PAGES.items():
                visit.go(path)
                visit.check(name)
            visit.go("/staff/insight/improvements/new/")
            with page.expect_navigation():
                page.get_by_role("button", name="Save the improvement").click()
            visit.check("insight-improvement-errors")
            browser.close()
    except BaseException as failure:  # noqa: BLE001 - handed to the test's own thread to raise
        failures.append(failure)


def test_every_insight_page_passes_axe(live_server: Any) -> None:
    skip_without_chromium_or_axe()
    with time_machine.travel(BUILT_ON, tick=False):
        year = build_known_year()
        cast = year.cast
        actions.start_self_assessment(cast.landlord, cast.officer, year_starting=2024)
        actions.save_improvement(
            cast.landlord,
            cast.officer,
            title="Damp surveys within 10 days",
            learning="Damp surveys were slow",
            action="Book the survey when damp is reported",
            responsible="Head of Repairs",
            publish=True,
            you_said="Damp surveys took too long",
            we_did="We survey within 10 working days",
            complaint_references=[year["J"].reference],
        )
        failures: list[BaseException] = []
        browser = threading.Thread(target=visit_every_page, args=(live_server.url, failures))
        browser.start()
        browser.join(timeout=240)
        assert not browser.is_alive(), "the browser did not finish within 4 minutes"
        if failures:
            raise failures[0]
