"""The Member Responsible for Complaints in a real browser (issue 17, done when): the member signs in, lands
in insight (not on a worklist that refuses them), opens the governance report, sees what was presented to
the governing body and to them, records the board's response, and sees it on the report; axe checks each
page. The workspace refuses them, saying why."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.governance.actions import bodies
from putright.governance.models import GoverningBody, OversightRole, ReportKind
from putright.insight.forms import current_quarter
from putright.landlords.models import StaffRole
from tests.browser.conftest import PASSWORD, Visit
from tests.cast import make_cast, staff

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_mrc_signs_in_reads_the_governance_report_and_records_the_boards_response(visit: Visit) -> None:
    cast = make_cast()
    member = staff("clare.member", cast.landlord, StaffRole.MEMBER)
    today = clock.today()
    year, quarter = current_quarter(today)
    cabinet = bodies.add_governing_body(
        cast.landlord, cast.officer, name="Cabinet", kind=GoverningBody.Kind.GOVERNING_BODY
    )
    bodies.appoint(
        cast.landlord,
        cast.officer,
        role=OversightRole.MRC,
        name="Cllr Clare Member",
        title="Portfolio Holder for Housing",
        starts_on=today.replace(year=today.year - 1),
        user=member,
    )
    bodies.record_presentation(
        cast.landlord,
        cast.officer,
        report=ReportKind.GOVERNANCE,
        year_starting=int(year),
        quarter=int(quarter),
        body=cabinet,
        to_member=True,
        meeting="Cabinet",
        presented_on=today,
    )
    page = visit.page

    visit.go("/staff/sign-in/")
    page.get_by_label("Username").fill("clare.member")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"/staff/insight/$"))
    expect(page.get_by_role("link", name="Workspace")).to_have_count(0)

    page.get_by_role("link", name="Governance", exact=True).click()
    expect(page.get_by_role("heading", name="What the governing body and the MRC received (9.6, 9.7)")).to_be_visible()
    row = page.locator("#received ~ table tbody tr").first
    expect(row).to_contain_text("Cabinet and the Member Responsible for Complaints (Cllr Clare Member)")
    expect(row).to_contain_text("Not recorded yet")
    visit.check("governance-report-member")

    row.get_by_role("link", name=re.compile("^Record the response")).click()
    page.get_by_role("button", name="Save the response").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what the governing body or the MRC said")
    visit.check("governance-response-error")

    page.get_by_label("What they said").fill("Cabinet noted the report and asked for a briefing on repairs.")
    page.get_by_label("Day").fill(str(today.day))
    page.get_by_label("Month").fill(str(today.month))
    page.get_by_label("Year").fill(str(today.year))
    page.get_by_role("button", name="Save the response").click()
    expect(page.locator(".govuk-notification-banner")).to_contain_text("The response is recorded")
    expect(page.locator("#received ~ table tbody tr").first).to_contain_text(
        "Cabinet noted the report and asked for a briefing on repairs."
    )
    visit.check("governance-report-response-recorded")

    page.get_by_role("link", name="Oversight and deadlines").click()
    expect(page.get_by_text("Cllr Clare Member, Portfolio Holder for Housing, since")).to_be_visible()
    visit.check("oversight-member")
    page.get_by_role("link", name="what is due in the reporting calendar").click()
    expect(page.get_by_role("heading", name="What is due")).to_be_visible()
    visit.check("what-is-due-member")

    visit.go("/staff/team/")
    expect(page.get_by_text("not individual complaints", exact=False)).to_be_visible()
