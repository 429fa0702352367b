"""What the landlord publishes, in a real browser: a complaints officer publishes the annual report from insight,
and a resident, on a 320px phone and without signing in, finds it from the portal's start page, reads it and its
earlier edition, and reads the policy in plain words; axe checks each page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.insight import actions as insight_actions
from putright.insight.periods import reporting_year_of, year_label
from putright.publications import actions
from putright.publications.models import Edition
from tests.browser.conftest import Visit
from tests.cast import make_cast
from tests.test_publications import approved_assessment

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _fits(visit: Visit) -> None:
    """Nothing wider than the phone's screen: the page reflows at 320px (WCAG 1.4.10)."""
    width = visit.page.evaluate("document.documentElement.scrollWidth")
    assert width <= 320, f"{visit.page.url} is {width}px wide at 320px"


def test_a_resident_reads_the_published_annual_report_on_a_phone(visit: Visit) -> None:
    cast = make_cast()
    year = reporting_year_of(clock.today()) - 1
    label = year_label(year)
    insight_actions.save_annual_report(
        cast.landlord, cast.officer, year_starting=year, introduction="A first account of our year."
    )
    page = visit.page

    visit.sign_in("olu.officer")
    visit.go(f"/staff/insight/annual/{year}/")
    page.get_by_role("link", name=f"Publish the {label} annual report").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Publish the {label} annual report")
    visit.check("publish-annual-confirm")
    page.get_by_role("button", name=f"Publish the {label} annual report").click()
    expect(page.get_by_text("edition 1 is published for residents")).to_be_visible(timeout=30_000)
    visit.check("publish-annual-published")
    # The records change; the officer publishes again, and the first edition stays as it was.
    insight_actions.save_annual_report(
        cast.landlord, cast.officer, year_starting=year, introduction="Our year, with the Cabinet's response."
    )
    visit.go(f"/staff/insight/publish/annual-report/{year}/")
    page.get_by_role("button", name=f"Publish the {label} annual report").click()
    expect(page.get_by_text("edition 2 is published for residents")).to_be_visible(timeout=30_000)
    page.get_by_role("link", name="Withdraw this edition").click()
    page.get_by_role("button", name="Withdraw the edition").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the edition is being withdrawn")
    visit.check("publish-withdraw-error")
    visit.go("/staff/insight/publish/")
    expect(page.get_by_role("heading", level=1)).to_have_text("What you publish for residents")
    visit.check("publish-index")
    visit.sign_out()
    assert Edition.objects.count() == 2

    page.set_viewport_size({"width": 320, "height": 800})
    visit.go("/ashford/")
    page.get_by_role("link", name="What we publish about complaints").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What we publish about complaints")
    _fits(visit)
    visit.check("published-index-320")

    page.get_by_role("link", name=f"Complaints performance and service improvement report {label}").click()
    expect(page.get_by_text("Our year, with the Cabinet's response.")).to_be_visible()
    expect(page.get_by_text("A first account of our year.")).to_have_count(0)
    expect(page.get_by_role("link", name="Download it as a PDF")).to_be_visible()
    _fits(visit)
    visit.check("published-annual-report-320")

    page.get_by_role("link", name=f"Complaints performance and service improvement report {label}").last.click()
    expect(page.get_by_text("A first account of our year.")).to_be_visible()
    expect(page.get_by_text("This is an earlier edition")).to_be_visible()
    visit.check("published-annual-report-earlier-320")

    with page.expect_response(lambda r: r.url.endswith("/edition.pdf")) as answer:
        page.evaluate("url => fetch(url)", "/ashford/published/annual-report/1/edition.pdf")
    assert answer.value.headers["content-type"] == "application/pdf"

    approved_assessment(cast, year)
    actions.publish_self_assessment(cast.landlord, cast.manager, year_starting=year)
    visit.go("/ashford/published/")
    page.get_by_role("link", name=f"Self-assessment against the Complaint Handling Code {label}").click()
    expect(page.get_by_role("heading", name="Action plan")).to_be_visible()
    _fits(visit)
    visit.check("published-self-assessment-320")

    visit.go("/ashford/published/")
    page.get_by_role("link", name="Our complaints policy in plain words").click()
    expect(page.get_by_role("heading", name="When we may not accept a complaint")).to_be_visible()
    expect(page.get_by_text("At most 5 working days (provision 6.2)")).to_be_visible()
    _fits(visit)
    visit.check("published-policy-320")

    # Keyboard: the report is reachable from the start page by Tab and Enter alone.
    visit.go("/ashford/published/")
    link = page.get_by_role("link", name=f"Complaints performance and service improvement report {label}")
    link.focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_have_text(
        f"Complaints performance and service improvement report {label}"
    )
