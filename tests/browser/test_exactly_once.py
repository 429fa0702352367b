"""Back and submit again, in a real browser: extending, responding and closing happen once, and the
page says why nothing more was done. A second tab left open is refused with what changed."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.complaints.models import Complaint, Extension, Remedy, Status
from putright.correspondence.models import Letter
from tests.browser.conftest import Visit
from tests.cast import Cast, acknowledge, log, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AGAIN = re.compile("Nothing was done again|Changed since you opened this page|only if you mean to")


def open_complaint(cast: Cast) -> Complaint:
    today = clock.today()
    return acknowledge(cast, log(cast, today - timedelta(days=3)), today - timedelta(days=2))


def back_and_submit_again(visit: Visit, button: str) -> None:
    """Press Back, and on whatever page the browser shows (from its cache or fetched again), press
    the page's button again; the page must then say why nothing more was done."""
    page = visit.page
    page.go_back()
    page.wait_for_load_state()
    if page.get_by_role("button", name=button, exact=True).count():
        # GOV.UK's buttons ignore a second click within a second of the first; a person is slower.
        page.wait_for_timeout(1_100)
        page.get_by_role("button", name=button, exact=True).click()
        page.wait_for_load_state()
    expect(page.locator("main")).to_contain_text(AGAIN)


def test_back_and_send_again_on_extend_respond_and_close_change_nothing(visit: Visit) -> None:
    cast = make_cast()
    complaint = open_complaint(cast)
    page = visit.page
    visit.sign_in("hana.handler")
    url = f"/staff/complaints/{complaint.reference}/"

    # Extend: answers, the letter, Send; then Back to the letter and Send again, and Back to the answers.
    visit.go(url + "extend/")
    page.get_by_label("How many more working days?").fill("3")
    page.get_by_label("Why is more time needed?").fill("Waiting for the contractor's report")
    page.get_by_role("button", name="Extend", exact=True).click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check the letter before it is sent")
    visit.check("exactly-once-extend-check")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("extended")
    back_and_submit_again(visit, "Send")
    visit.check("exactly-once-extend-sent-again")
    back_and_submit_again(visit, "Extend")
    assert Extension.objects.filter(stage__complaint=complaint).count() == 1
    assert Letter.objects.filter(complaint=complaint, letter_type="extension").count() == 1

    # The answers page, loaded afresh, says what was done and asks before doing it again.
    visit.go(url + "extend/")
    expect(page.locator("#already-done")).to_contain_text("Already done at stage 1")
    expect(page.get_by_label("Yes, extend this stage again")).to_be_visible()
    visit.check("exactly-once-extend-again")

    # Respond: the same.
    visit.go(url + "respond/")
    page.get_by_role("group", name="Decision on point 1").get_by_label("Upheld", exact=True).check()
    page.get_by_label("Reasons for the decision on point 1").fill("The repair took 21 days against our 7.")
    page.get_by_role("group", name="Decision on point 2").get_by_label("Not upheld").check()
    page.get_by_label("Reasons for the decision on point 2").fill("The log shows the resident rearranged it.")
    page.get_by_label("Kind of remedy").select_option("apology")
    page.get_by_label("What we will do, or have done").fill("We apologise for the delay.")
    page.get_by_role("button", name="Issue the response").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Check the letter before it is sent")
    visit.check("exactly-once-respond-check")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("response recorded")
    back_and_submit_again(visit, "Send")
    assert Letter.objects.filter(complaint=complaint, letter_type="stage1-response").count() == 1

    # Close, once the remedy is agreed: the same.
    Remedy.objects.filter(stage__complaint=complaint).update(state=Remedy.State.AGREED)
    visit.go(url + "close/")
    page.get_by_role("button", name="Close the complaint").click()
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Complaint closed")
    back_and_submit_again(visit, "Send")
    complaint.refresh_from_db()
    assert complaint.status == Status.CLOSED
    assert Letter.objects.filter(complaint=complaint, letter_type="closure").count() == 1
    assert complaint.events.filter(kind="closed").count() == 1


def test_a_second_tab_left_open_is_refused_with_what_changed(visit: Visit) -> None:
    cast = make_cast()
    complaint = open_complaint(cast)
    page = visit.page
    visit.sign_in("hana.handler")
    url = f"/staff/complaints/{complaint.reference}/extend/"
    visit.go(url)  # this tab is left open
    other = page.context.new_page()
    other.goto(visit.base_url + url)

    other.get_by_label("How many more working days?").fill("3")
    other.get_by_label("Why is more time needed?").fill("Waiting for the contractor's report")
    other.get_by_role("button", name="Extend", exact=True).click()
    other.get_by_role("button", name="Send").click()
    expect(other.locator(".govuk-notification-banner--success")).to_contain_text("extended")

    page.get_by_label("How many more working days?").fill("5")
    page.get_by_label("Why is more time needed?").fill("A second opinion")
    page.get_by_role("button", name="Extend", exact=True).click()
    expect(page.locator("#changed")).to_contain_text("Changed since you opened this page")
    expect(page.locator("#changed")).to_contain_text("Hana Handler")
    expect(page.get_by_role("link", name="Start again from the complaint as it is now")).to_be_visible()
    visit.check("exactly-once-changed-since")
    assert Extension.objects.filter(stage__complaint=complaint).count() == 1
