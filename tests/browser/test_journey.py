"""A complaint's whole life through the workspace, in a real browser, as the people who handle it."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from putright.complaints.models import Complaint, Status
from tests.browser.conftest import Visit
from tests.cast import make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def send(visit: Visit, check: str = "") -> None:
    """On a step's confirmation page: the letter is there to read; Send issues it."""
    page = visit.page
    expect(page.get_by_role("heading", level=1)).to_contain_text("before it is sent")
    expect(page.locator(".putright-letter").first).to_be_visible()
    if check:
        visit.check(check)
    page.get_by_role("button", name="Send").click()


def test_a_phone_complaint_goes_through_both_stages_to_closure(visit: Visit) -> None:
    make_cast()
    page = visit.page

    # A handler signs in: the workspace asks first.
    visit.go("/staff/")
    expect(page.get_by_role("heading", name="Sign in to the complaints workspace")).to_be_visible()
    visit.check("01-sign-in")
    page.get_by_label("Username").fill("hana.handler")
    page.get_by_label("Password").fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a correct username and password")
    visit.check("02-sign-in-error")
    visit.sign_in("hana.handler")
    expect(page.get_by_role("heading", name="My work")).to_be_visible()
    visit.check("03-my-work-empty")

    # She logs a complaint that came in by phone; a missing answer is explained first.
    page.get_by_role("link", name="Log a complaint").click()
    visit.check("04-log-complaint")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter the resident's full name")
    visit.check("05-log-complaint-errors")
    page.get_by_label("Full name").fill("Rosa <b>Resident</b>")
    page.get_by_label("Phone number", exact=True).fill("07700 900123")
    page.get_by_role("group", name="How does the resident prefer to be contacted?").get_by_label("Phone").check()
    page.get_by_role("group", name="How did the complaint arrive?").get_by_label("Phone", exact=True).check()
    page.get_by_label("Service area").select_option("repairs")
    page.get_by_label("The complaint, in the resident's own words").fill(
        "The boiler has not worked for three weeks. <script>alert('x')</script>"
    )
    page.get_by_label("What would the resident like to happen?").fill("A working boiler")
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", name="Check the complaint before logging it")).to_be_visible()
    visit.check("06-log-check")
    # No email address and no postal address: staff confirm they know no letter can be sent (5.12).
    page.get_by_label(re.compile("^I understand no letters can be sent")).check()
    page.get_by_role("button", name="Log the complaint").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("logged")
    complaint = Complaint.objects.get()
    expect(page.get_by_role("heading", level=1)).to_contain_text(complaint.reference)
    expect(page.locator(".putright-words")).to_contain_text("<script>alert('x')</script>")
    visit.check("07-complaint-received")

    # She acknowledges it with the complaint definition, after one mistake.
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter our understanding of the complaint")
    visit.check("08-acknowledge-errors")
    page.get_by_label("Our understanding of the complaint").fill("The boiler has been broken for three weeks.")
    page.get_by_label("The points we will answer").fill("The repair has taken too long\nNobody kept us informed")
    page.get_by_label("What we are responsible for").fill("Repairs to the boiler")
    page.get_by_role("group", name="Do you have a conflict of interest in this complaint?").get_by_label("No").check()
    page.get_by_role("button", name="Acknowledge").click()
    send(visit, "08b-acknowledge-check")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Stage 1 acknowledged")

    # She extends it, previewing the new date from the calendar first.
    page.get_by_role("button", name="Extend").click()
    page.get_by_label("How many more working days?").fill("5")
    page.get_by_role("button", name="Preview the new date").click()
    expect(page.locator("#preview")).to_contain_text("the response would be due by")
    visit.check("09-extend-preview")
    page.get_by_label("Why is more time needed?").fill("Waiting for the contractor's report")
    page.get_by_role("button", name="Extend", exact=True).click()
    send(visit, "09b-extend-check")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("extended")

    # She responds point by point; the checklist shows what is still missing as she writes.
    page.get_by_role("button", name="Respond").click()
    expect(page.locator('[data-element="decision"] .govuk-tag')).to_have_text("Missing")
    visit.check("10-respond")
    page.get_by_role("group", name="Decision on point 1").get_by_label("Upheld", exact=True).check()
    page.get_by_label("Reasons for the decision on point 1").fill("The repair took 21 days against our 7.")
    page.get_by_role("button", name="Issue the response").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select a decision on point 2 (Code 6.9(c))")
    visit.check("11-respond-errors")
    page.get_by_role("group", name="Decision on point 2").get_by_label("Not upheld").check()
    page.get_by_label("Reasons for the decision on point 2").fill("We wrote to the resident every week.")
    page.get_by_label("Kind of remedy").select_option("apology")
    page.get_by_label("What we will do, or have done").fill("We apologise for the delay.")
    expect(page.locator('[data-element="decision"] .govuk-tag')).to_have_text("Done")
    expect(page.locator('[data-element="remedy"] .govuk-tag')).to_have_text("Done")
    page.get_by_role("button", name="Issue the response").click()
    send(visit, "11b-respond-check")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Stage 1 response recorded")
    visit.check("12-complaint-responded")
    visit.sign_out()
    visit.check("13-signed-out")

    # The resident asks for stage 2; the complaints officer records it and chooses the reviewer,
    # who cannot be the stage 1 handler.
    visit.sign_in("olu.officer")
    visit.go(f"/staff/complaints/{complaint.reference}/")
    page.get_by_role("button", name="Escalate to stage 2").click()
    reviewer = page.get_by_label("Stage 2 reviewer")
    expect(reviewer.locator("option", has_text="Hana")).to_have_count(0)
    visit.check("14-escalate")
    reviewer.select_option(label="Rita Reviewer")
    page.get_by_label(re.compile("declared no conflict of interest")).check()
    page.get_by_role("button", name="Escalate to stage 2").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Escalated to stage 2")
    visit.sign_out()

    # The reviewer acknowledges and responds at stage 2, then closes the complaint.
    visit.sign_in("rita.reviewer")
    page.get_by_role("link", name=complaint.reference).click()
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_label("Our understanding of the complaint").fill("The resident says stage 1 did not fix the boiler.")
    page.get_by_label("The points we will answer").fill("The boiler is still not working")
    page.get_by_label("Use the outcomes the resident sought at stage 1").check()
    page.get_by_role("button", name="Acknowledge").click()
    send(visit)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Stage 2 acknowledged")
    page.get_by_role("button", name="Respond").click()
    page.get_by_role("group", name="Decision on point 1").get_by_label("Upheld", exact=True).check()
    page.get_by_label("Reasons for the decision on point 1").fill("The part was fitted only last week.")
    page.get_by_label("Kind of remedy").select_option("financial")
    page.get_by_label("What we will do, or have done").fill("£150 for the time without heating.")
    page.get_by_text("Amounts, for a financial remedy").click()
    page.get_by_label("Distress and inconvenience (£)").fill("150")
    page.get_by_role("button", name="Issue the response").click()
    send(visit)
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Stage 2 response recorded")

    for kind in ("apology", "financial remedy"):  # each remedy agreed with the resident before closing
        page.get_by_role("link", name=f"Update remedy: {kind}").click()
        page.get_by_label("The resident agreed to it").check()
        page.get_by_role("button", name="Save").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("agreed")
    page.get_by_role("button", name="Close").click()
    visit.check("15-close")
    page.get_by_role("button", name="Close the complaint").click()
    send(visit, "15b-close-check")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Complaint closed")
    visit.check("16-complaint-closed")

    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED and complaint.stage == 2
    assert complaint.person.name == "Rosa <b>Resident</b>"
    kinds = list(complaint.events.values_list("kind", flat=True))
    assert kinds == [
        "logged",
        "acknowledged",
        "letter-issued",
        "extended",
        "letter-issued",
        "responded",
        "letter-issued",
        "escalated",
        "assigned",
        "acknowledged",
        "letter-issued",
        "responded",
        "letter-issued",
        "remedy-updated",
        "remedy-updated",
        "closed",
        "letter-issued",
    ]
