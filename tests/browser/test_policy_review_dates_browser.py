"""A policy review date in a real browser (issue 17): the policy page shows an overdue review in red,
and a complaints officer changes the date with the GOV.UK date input; axe checks each state."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.landlords.models import PolicyVersion
from tests.browser.conftest import Visit
from tests.cast import make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_officer_sees_the_review_is_overdue_and_sets_a_new_date(visit: Visit) -> None:
    cast = make_cast()
    today = clock.today()
    PolicyVersion.objects.filter(landlord=cast.landlord).update(review_due_on=today - timedelta(days=3))
    page = visit.page
    visit.sign_in("olu.officer")

    visit.go("/staff/insight/policy/")
    expect(page.locator(".govuk-tag--red", has_text="Overdue")).to_be_visible()
    expect(page.get_by_text(f"Review due by {today - timedelta(days=3):%-d %B %Y}.")).to_be_visible()
    visit.check("policy-review-overdue")

    page.get_by_role("link", name="Change the review date").click()
    for part in ("Day", "Month", "Year"):
        page.get_by_label(part).fill("")
    page.get_by_role("button", name="Save the review date").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the review date")
    visit.check("policy-review-date-error")

    new = today + timedelta(days=400)
    page.get_by_label("Day").fill(str(new.day))
    page.get_by_label("Month").fill(str(new.month))
    page.get_by_label("Year").fill(str(new.year))
    page.get_by_role("button", name="Save the review date").click()
    expect(page.get_by_text(f"Review due by {new:%-d %B %Y}.")).to_be_visible()
    expect(page.locator(".govuk-tag--red", has_text="Overdue")).to_have_count(0)
    expect(page.get_by_text("Date set by Olu Officer.")).to_be_visible()
    visit.check("policy-review-date-set")
