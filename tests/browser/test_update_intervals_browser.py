"""A late response handled as the Code asks (5.9), in a real browser: the complaint page offers to
agree an update interval, the handler agrees one and sends an update, and the page lists how each
agreed update went. axe checks every new state of the page; the extend page asks only what staff know."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.complaints.models import Stage
from tests.browser.conftest import Visit
from tests.cast import acknowledge, log, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_an_overdue_response_leads_to_an_agreed_interval_and_updates_kept_5_9(visit: Visit) -> None:
    cast = make_cast()
    received = clock.today() - timedelta(days=35)
    complaint = acknowledge(cast, log(cast, received), received)  # the response is overdue by now
    due = Stage.objects.get(complaint=complaint).response_due
    page = visit.page
    visit.sign_in("hana.handler")

    visit.go(f"/staff/complaints/{complaint.reference}/")
    banner = page.locator("#update-interval-offer")
    expect(banner).to_contain_text(f"The stage 1 response was due on {due:%-d %B %Y}")
    expect(banner).to_contain_text("no update interval has been agreed with the resident")
    visit.check("updates-offer-banner")
    banner.get_by_role("link", name="Agree an update interval with the resident").click()

    page.get_by_label("How often will the resident hear from us, in working days?").fill("5")
    page.get_by_role("button", name="Save the interval").click()
    expect(page.locator("#update-interval-offer")).to_have_count(0)
    updates = page.locator("#updates-stage-1")
    expect(updates).to_contain_text("Agreed every 5 working days")
    expect(updates.get_by_role("row").nth(1)).to_contain_text("Not sent")
    expect(updates.get_by_role("row").nth(1)).to_contain_text("Due")
    visit.check("updates-agreed")

    updates.get_by_role("link", name="Send an update").click()
    page.get_by_label("What is the update?").fill("The surveyor visits on Thursday; we will write after it.")
    page.get_by_role("button", name="Send the update").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("before it is sent")
    page.get_by_role("button", name="Send").click()
    visit.go(f"/staff/complaints/{complaint.reference}/")
    first = page.locator("#updates-stage-1").get_by_role("row").nth(1)
    expect(first).to_contain_text("On time")
    visit.check("updates-sent-on-time")


def test_the_extend_page_asks_only_what_staff_know(visit: Visit) -> None:
    cast = make_cast()
    today = clock.today()
    complaint = acknowledge(cast, log(cast, today), today)
    page = visit.page
    visit.sign_in("hana.handler")
    visit.go(f"/staff/complaints/{complaint.reference}/extend/")
    expect(page.get_by_text("When was the resident told?")).to_have_count(0)
    expect(page.get_by_label(re.compile("Ombudsman"))).to_have_count(0)
    expect(page.locator("#id_good_reason")).to_have_count(0)
    expect(page.get_by_role("group", name="If you also told the resident by phone, when?")).to_be_visible()
    visit.check("extend-asks-what-staff-know")
    page.get_by_label("How many more working days?").fill("15")
    page.get_by_role("button", name="Preview the new date").click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("Give the good reason below")
    expect(page.get_by_label("The good reason for going beyond the limit")).to_be_visible()
    visit.check("extend-beyond-cap-asks-the-good-reason")
