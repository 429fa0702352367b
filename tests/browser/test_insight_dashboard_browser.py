"""A board member's glance at the measures in a real browser: at 320 px the page never scrolls sideways and
the headline is on the first screen; the folded filters open and apply; printed, the filters and the
navigation go and the headline and tables stay. axe checks each state; the Content-Security-Policy
refuses nothing (tests/browser/conftest.py)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.insight_cases import build_known_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NARROW = {"width": 320, "height": 640}


def page_width(visit: Visit) -> int:
    return int(visit.page.evaluate("document.documentElement.scrollWidth"))


def headline_top(visit: Visit) -> tuple[float, int]:
    top = visit.page.evaluate("document.getElementById('headline').getBoundingClientRect().top + window.scrollY")
    return float(top), int(visit.page.evaluate("window.innerHeight"))


def test_the_headline_comes_first_on_a_phone_and_the_filters_fold_away(visit: Visit) -> None:
    build_known_year()
    page = visit.page
    visit.sign_in("olu.officer")
    page.set_viewport_size(NARROW)

    visit.go("/staff/insight/")
    filters = page.locator("#filters")
    expect(filters).not_to_have_attribute("open", re.compile(".*"))
    expect(page.get_by_label("Reporting year", exact=True)).to_be_hidden()
    assert page_width(visit) <= NARROW["width"]
    top, height = headline_top(visit)
    assert 0 < top < height, f"the headline starts {top}px down a screen {height}px high"
    visit.check("insight-dashboard-320")

    page.get_by_text("Change the period or service area").click()
    page.get_by_label("Reporting year", exact=True).select_option("2024")
    page.get_by_label("Service area", exact=True).select_option("repairs")
    page.get_by_role("button", name="Show the measures").click()
    page.wait_for_url(re.compile(r"year=2024"))
    expect(page.locator(".putright-dashboard__period")).to_contain_text("2024/25")
    expect(page.locator(".putright-dashboard__period")).to_contain_text("repairs and maintenance only")
    expect(filters).to_have_attribute("open", "")
    expect(page.locator("#headline-ch02")).to_contain_text("a year earlier")
    assert page_width(visit) <= NARROW["width"]
    visit.check("insight-dashboard-320-filtered")

    # A table wider than the phone scrolls inside its own region, which a keyboard can reach.
    region = page.get_by_role("region", name="Timeliness, volumes and outcomes by stage")
    region.focus()
    expect(region).to_be_focused()

    # A headline figure leads to its table lower on the page.
    page.get_by_role("link", name="Responded within the Code's timescales (CH02)").click()
    expect(page).to_have_url(re.compile("#tsm-ch02$"))
    expect(
        page.get_by_role("table", name=re.compile("Complaints responded to within the Code's timescales"))
    ).to_be_in_viewport()


def test_printed_the_dashboard_keeps_the_headline_and_tables_and_drops_the_filters(visit: Visit) -> None:
    build_known_year()
    page = visit.page
    visit.sign_in("olu.officer")
    visit.go("/staff/insight/?year=2024")
    expect(page.locator("#filters")).to_be_visible()
    page.emulate_media(media="print")
    for hidden in ("#filters", ".govuk-service-navigation", ".putright-dashboard__contents", ".govuk-footer"):
        expect(page.locator(hidden).first).to_be_hidden()
    expect(page.locator("#headline")).to_be_visible()
    expect(page.locator("#headline-ch01")).to_contain_text("4.7")
    expect(page.locator("#tsm-ch01")).to_be_visible()
    expect(page.locator("#open-now-table")).to_be_visible()
    breaks = page.evaluate("getComputedStyle(document.getElementById('trends')).breakBefore")
    assert breaks == "page"
    visit.check("insight-dashboard-print")
