"""The governing body's reader and the complaints officer read the Ombudsman's casework in the
reports (8.1 c, 9.7 c): the annual report's cases determined in the year, the governance report's
orders and their compliance, and the dashboard's findings, in GOV.UK tables that pass axe
(WCAG 2.2 AA)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import Visit
from tests.test_ombudsman_reporting import build_year

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_reports_show_the_ombudsmans_determinations_and_orders(visit: Visit) -> None:
    build_year()
    visit.sign_in("olu.officer")
    visit.go("/staff/insight/annual/2024/")
    expect(visit.page.get_by_role("heading", name="Cases the Ombudsman determined in 2024/25")).to_be_visible()
    expect(visit.page.get_by_role("table", name="The Ombudsman's findings on complaint 202303494")).to_contain_text(
        "Service failure"
    )
    visit.check("insight-annual-ombudsman")
    visit.go("/staff/insight/governance/?year=2024&quarter=3")
    expect(visit.page.get_by_role("table", name="Orders and recommendations, as at 31 December 2024")).to_contain_text(
        "Apologise in writing"
    )
    visit.check("insight-governance-ombudsman")
    visit.go("/staff/insight/?year=2024")
    expect(visit.page.get_by_role("table", name="The Ombudsman's determinations by finding")).to_contain_text(
        "50.0% (2 of 4)"
    )
    visit.check("insight-dashboard-ombudsman")
