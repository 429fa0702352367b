"""A phone-only complaint logged in a real browser: staff are told no letter can reach the resident
and confirm it (5.12), the triage is set at logging (6.1), and the problem is shown on the complaint
and in the outbox. Every page passes axe."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from putright.complaints.models import Complaint, Priority
from tests.browser.conftest import Visit
from tests.cast import make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_phone_only_complaint_is_logged_triaged_and_its_problem_shown(visit: Visit) -> None:
    make_cast()
    page = visit.page
    visit.sign_in("hana.handler")

    page.get_by_role("link", name="Log a complaint").click()
    page.get_by_label("Full name").fill("Pat Phone")
    page.get_by_label("Phone number", exact=True).fill("01634 000111")
    page.get_by_role("group", name="How does the resident prefer to be contacted?").get_by_label("Email").check()
    page.get_by_role("group", name="How did the complaint arrive?").get_by_label("Phone", exact=True).check()
    page.get_by_label("Service area").select_option("damp-mould")
    page.get_by_label("The complaint, in the resident's own words").fill("Black mould in the bedroom again.")
    page.get_by_label("High priority").check()
    page.get_by_label("Health and safety, such as damp and mould").check()
    page.get_by_label("Why this priority?").fill("A baby sleeps in that room")
    visit.check("offline-log-form")
    page.get_by_role("button", name="Continue").click()
    # "Prefers: email" with no email address is refused beside its field.
    expect(page.locator(".govuk-error-summary")).to_contain_text("so they cannot prefer email")
    visit.check("offline-log-prefers-email-error")
    page.get_by_role("group", name="How does the resident prefer to be contacted?").get_by_label("Phone").check()
    page.get_by_role("button", name="Continue").click()

    # The check page warns that there is no way to send letters, and asks for a confirmation.
    expect(page.locator("#no-way-to-write")).to_contain_text("There is no way to send letters")
    expect(page.get_by_role("heading", name="Priority (Code 6.1)")).to_be_visible()
    visit.check("offline-log-check")
    page.get_by_role("button", name="Log the complaint").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm you know no letters can be sent")
    visit.check("offline-log-confirm-error")
    page.get_by_label(re.compile("^I understand no letters can be sent")).check()
    page.get_by_role("button", name="Log the complaint").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("logged")

    complaint = Complaint.objects.get()
    assert complaint.priority == Priority.HIGH and complaint.risk_factors == ["health-and-safety"]
    expect(page.locator("#no-way-to-write")).to_contain_text("Phone them on 01634 000111")
    expect(page.locator("#priority")).to_contain_text("High priority")
    visit.check("offline-complaint-page")

    # The acknowledgement is shown before it is sent, with the warning that it cannot reach them.
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_label("Our understanding of the complaint").fill("Mould has come back in the bedroom.")
    page.get_by_label("The points we will answer").fill("The mould came back")
    page.get_by_label("The outcomes the resident wants").fill("The mould treated for good")
    page.get_by_label("What we are responsible for").fill("Mould treatment")
    page.get_by_role("group", name="Do you have a conflict of interest in this complaint?").get_by_label("No").check()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator(".govuk-warning-text").first).to_contain_text("cannot reach them")
    visit.check("offline-acknowledge-confirm")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("acknowledged")
    expect(page.locator("#letters")).to_contain_text("Not sent")

    # The priority changed later, with a reason.
    page.locator("#priority").get_by_role("link", name="Change").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Change the priority")
    visit.check("priority-change")
    page.get_by_role("button", name="Save the priority").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why the priority is changing")
    visit.check("priority-change-error")
    page.get_by_label("Complex").check()
    page.get_by_label("Why is it changing?").fill("Needs a surveyor and the tenancy team")
    page.get_by_role("button", name="Save the priority").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Priority changed")

    # The worklist shows it first with its tags, and the filter keeps it.
    visit.go("/staff/?high_priority=on")
    expect(page.locator(".putright-worklist")).to_contain_text("High priority")
    expect(page.locator(".putright-worklist")).to_contain_text("No way to send letters")
    visit.check("priority-worklist")
    visit.sign_out()

    # The officer sees the letter in the outbox's list of letters with no way to send them.
    visit.sign_in("olu.officer")
    visit.go("/staff/outbox/")
    expect(page.locator("#no-way-to-send")).to_contain_text("No way to send (1)")
    expect(page.locator(".putright-outbox").first).to_contain_text(complaint.reference)
    visit.check("outbox-no-way-to-send")
