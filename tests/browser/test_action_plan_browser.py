"""The action plan and a Code notice in a real browser (issue 17): a complaints officer adds a line
with the GOV.UK date input, posts an update that marks it done, records a notice of a provision that
cannot be met and sees the provision flagged on the plan; axe checks each state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from putright import clock
from tests.browser.conftest import Visit
from tests.cast import make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def fill_date(visit: Visit, legend: str, day: object, month: object, year: object) -> None:
    group = visit.page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


def test_an_officer_keeps_the_action_plan_and_records_a_notice(visit: Visit) -> None:
    make_cast()
    today = clock.today()
    target = today + timedelta(days=60)
    page = visit.page
    visit.sign_in("olu.officer")

    visit.go("/staff/insight/action-plan/")
    page.get_by_role("link", name="Add an action").click()
    page.get_by_role("button", name="Add the action").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the Code provision, for example 6.2")
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the target date")
    visit.check("action-plan-line-errors")

    page.get_by_label("Code provision").fill("6.2")
    page.get_by_label("What will be done").fill("Add a daily check of new complaints")
    page.get_by_label("Owner", exact=True).select_option(label="Mei Manager (Manager)")
    fill_date(visit, "Target date", target.day, target.month, target.year)
    page.get_by_role("button", name="Add the action").click()
    expect(page.get_by_role("heading", name="Provision 6.2")).to_be_visible()
    visit.check("action-plan-line")

    page.get_by_role("link", name="Post an update").click()
    page.get_by_label("What has been done").fill("The check runs every morning")
    page.get_by_label("Done", exact=True).check()
    fill_date(visit, "Date done", today.day, today.month, today.year)
    page.get_by_role("button", name="Post the update").click()
    expect(page.get_by_text("The check runs every morning")).to_be_visible()
    expect(page.get_by_text("Not started to Done")).to_be_visible()

    visit.go("/staff/insight/notices/")
    page.get_by_role("link", name="Record a notice").click()
    page.get_by_label("Provisions that cannot be met").fill("6.2, 6.11")
    page.get_by_label("The exceptional circumstances").fill("A cyber incident took the housing system offline")
    page.get_by_label("Why the provisions cannot be met").fill("We cannot log complaints without the system")
    fill_date(visit, "Cannot be met from", today.day, today.month, today.year)
    back = today + timedelta(days=30)
    fill_date(visit, "Expected return to compliance", back.day, back.month, back.year)
    page.get_by_label("Who decided").fill("Jo Bloggs, Director of Housing")
    page.get_by_role("button", name="Record the notice").click()
    expect(page.get_by_role("heading", name="Still to do")).to_be_visible()
    visit.check("code-notice")

    page.get_by_role("link", name="Record that the Ombudsman was informed").click()
    fill_date(visit, "Date the Ombudsman was informed", today.day, today.month, today.year)
    page.get_by_label("How").fill("By email")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"{today.day} {today:%B %Y}: By email")).to_be_visible()

    visit.go("/staff/insight/action-plan/")
    page.get_by_role("link", name="Add an action").click()
    page.get_by_label("Code provision").fill("6.11")
    page.get_by_label("What will be done").fill("Restore the housing system")
    page.get_by_label("Owner's name or role, as the plan shows it").fill("Head of IT")
    fill_date(visit, "Target date", target.day, target.month, target.year)
    page.get_by_role("button", name="Add the action").click()
    visit.go("/staff/insight/action-plan/")
    expect(page.locator(".govuk-tag--orange", has_text="Cannot be met: notice open")).to_be_visible()
    visit.check("action-plan-under-notice")
