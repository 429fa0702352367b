"""A resident's needs in a real browser (Code 5.10): a handler records, reviews and ends a reasonable
adjustment and records a vulnerability with the resident's consent; the complaint's page and My
work show them, and the auditor sees only that a vulnerability is recorded. Every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.complaints import actions
from putright.people.models import ReasonableAdjustment, Vulnerability
from tests.browser.conftest import Visit
from tests.cast import log, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_handler_records_reviews_and_ends_needs_and_the_pages_show_them(visit: Visit) -> None:
    cast = make_cast()
    complaint = actions.assign_handler(
        log(cast, clock.today()), cast.officer, handler=cast.handler, conflict_of_interest=False
    )
    page = visit.page
    visit.sign_in("hana.handler")
    visit.go(f"/staff/complaints/{complaint.reference}/")
    needs = page.locator("#needs")
    expect(needs).to_contain_text("None recorded.")

    # An adjustment: "something else" needs words, then Braille is recorded with a review in a year.
    needs.get_by_role("link", name="Record an adjustment").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a reasonable adjustment")
    visit.check("needs-01-adjustment")
    page.get_by_role("group", name="What has been agreed?").get_by_label("Something else").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Say what was agreed")
    visit.check("needs-02-adjustment-errors")
    page.get_by_role("group", name="What has been agreed?").get_by_label("Braille").check()
    page.get_by_label("Details").fill("Grade 2 Braille")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Adjustment recorded: Braille")
    expect(needs).to_contain_text("Braille: Grade 2 Braille")
    adjustment = ReasonableAdjustment.objects.get()
    expect(needs).to_contain_text(f"review by {adjustment.review_on:%-d %B %Y}")
    visit.check("needs-03-complaint-with-adjustment")

    # Reviewed with the resident today, with the next review in six months.
    needs.get_by_role("link", name=re.compile("^Change or review")).click()
    visit.check("needs-04-change-adjustment")
    page.get_by_label("We reviewed this with the resident today").check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Adjustment saved")
    adjustment.refresh_from_db()
    assert adjustment.reviewed_on == clock.today()

    # A vulnerability: refused without consent, recorded with it.
    needs.get_by_role("link", name="Record a vulnerability").click()
    visit.check("needs-05-vulnerability")
    page.get_by_label("What has the resident told us?").fill("Registered blind")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("without their consent a vulnerability cannot be")
    visit.check("needs-06-vulnerability-errors")
    page.get_by_label("The resident agreed to us keeping this on their record").check()
    page.get_by_role("group", name="Who gave consent?").get_by_label("The resident").check()
    page.get_by_role("group", name="How was consent given?").get_by_label(
        "Verbally (on the phone or in person)"
    ).check()
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Vulnerability recorded")
    expect(needs).to_contain_text("Registered blind")
    assert Vulnerability.objects.get().consent_how == "verbal"
    visit.check("needs-07-complaint-with-needs")

    # My work tags the row.
    visit.go("/staff/")
    row = page.locator("tr", has_text=complaint.reference)
    expect(row).to_contain_text("Vulnerable")
    expect(row).to_contain_text("Adjustments")
    visit.check("needs-08-my-work")

    # The adjustment ends, with the reason; it leaves the panel.
    visit.go(f"/staff/complaints/{complaint.reference}/")
    needs.get_by_role("link", name="End the adjustment: Braille").click()
    visit.check("needs-09-end-adjustment")
    page.get_by_role("group", name="Why is it ending?").get_by_label("The resident no longer needs it").check()
    page.get_by_role("button", name="End adjustment").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Adjustment ended")
    expect(needs).not_to_contain_text("Grade 2 Braille")
    visit.sign_out()

    # The auditor reads the complaint: that a vulnerability is recorded, not what it is.
    visit.sign_in("aziz.auditor")
    visit.go(f"/staff/complaints/{complaint.reference}/")
    expect(needs).to_contain_text("Vulnerability recorded: details restricted")
    expect(needs).not_to_contain_text("Registered blind")
    expect(needs.get_by_role("link")).to_have_count(0)
    visit.check("needs-10-auditor")
