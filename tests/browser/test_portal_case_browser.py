"""The resident's complaint page in a real browser: she follows a responded complaint, reads the
decision and the remedies, accepts one and declines another, asks for stage 2 with her reason
written in, and staff see her answers at once. axe-core runs on each new state of the pages."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.complaints import actions
from putright.complaints.models import Complaint, Remedy, Status
from tests.browser.conftest import Visit
from tests.cast import acknowledge, log, make_cast, respond
from tests.portal_support import emailed_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def code_from_email() -> str:
    """The code the worker emails (tests.portal_support does the worker's part)."""
    return emailed_code()


def test_a_resident_reads_the_decision_agrees_a_remedy_and_staff_see_it(
    visit: Visit, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    cast = make_cast()
    today = clock.today()
    complaint = acknowledge(cast, log(cast, today - timedelta(days=3)), today - timedelta(days=2))
    actions.resident_add_information(complaint, information="The engineer did not come <b>again</b>.", on=today)
    complaint = respond(
        cast,
        Complaint.objects.get(pk=complaint.pk),
        today,
        decisions=[
            actions.PointDecisionInput(1, "upheld", "The repair took 21 days against a 7-day target."),
            actions.PointDecisionInput(2, "not-upheld", "Our contractor's log shows the visit was rearranged."),
        ],
        remedies=[
            actions.RemedyInput(
                "financial",
                "Compensation for running heaters.",
                amount_time_and_trouble=Decimal("234.50"),
                amount_distress=Decimal("1000"),
                due_on=today + timedelta(days=28),
            ),
            actions.RemedyInput("apology", "We apologise for the delay."),
        ],
        actions=[actions.ActionInput("Replace the boiler's pump", today + timedelta(days=14), cast.handler)],
    )
    actions.update_action(complaint.actions.get(), cast.handler, note="The pump is on order.", resident_told=True)
    financial, apology = Remedy.objects.filter(stage__complaint=complaint).order_by("id")

    # She follows her complaint with the code sent to her.
    page = visit.page
    visit.go("/ashford/follow/")
    page.get_by_label("Complaint reference").fill(complaint.reference)
    page.get_by_label("Email address").fill("rosa@example.org")
    page.get_by_role("button", name="Send me a code").click()
    page.get_by_label("Code").fill(code_from_email())
    page.get_by_role("button", name="Continue").click()
    main = page.locator("main")
    expect(page.get_by_role("heading", level=1)).to_have_text(complaint.reference)
    expect(main).to_contain_text("Overall, your complaint was partly upheld")
    expect(main).to_contain_text("The repair took 21 days against a 7-day target.")
    expect(main).to_contain_text("£1,234.50 in all")
    expect(main).to_contain_text("For distress and inconvenience: £1,000.00")
    expect(main).to_contain_text("The pump is on order.")
    expect(page.locator("#added-information")).to_contain_text("The engineer did not come <b>again</b>.")
    expect(main).not_to_contain_text("Our response is due by")
    visit.check("portal-case-01-responded")

    # The decline page refuses an empty reason, in the GOV.UK way.
    page.get_by_role("link", name="Decline the remedy: apology").click()
    visit.check("portal-case-02-decline")
    page.get_by_role("button", name="Decline this remedy").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you do not accept this remedy")
    assert page.title().startswith("Error: ")
    visit.check("portal-case-03-decline-error")
    page.get_by_role("link", name="Back", exact=True).click()

    # She accepts the payment.
    page.get_by_role("link", name="Accept the remedy: financial remedy").click()
    visit.check("portal-case-04-accept")
    page.get_by_role("button", name="Accept this remedy").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You have accepted the remedy")
    expect(page.locator(f"#remedy-{financial.pk}")).to_contain_text(f"You accepted it on {today:%-d %B %Y}")
    visit.check("portal-case-05-accepted")
    assert Remedy.objects.get(pk=financial.pk).state == Remedy.State.AGREED

    # Back and submit again: nothing is recorded twice, and she is told why.
    page.go_back()
    resubmit = page.get_by_role("button", name="Accept this remedy")
    if resubmit.count():  # the page as it was, kept by the browser: she presses the button again
        resubmit.click()
    expect(page.locator("#already")).to_have_text(f"You already accepted this on {today:%-d %B %Y}")
    visit.check("portal-case-06-already-accepted")
    page.get_by_role("link", name="Back to your complaint").click()

    # She declines the apology, and is offered stage 2 with her reason written in.
    page.get_by_role("link", name="Decline the remedy: apology").click()
    page.get_by_label("Why do you not accept this remedy?").fill("An apology does not fix the boiler.")
    page.get_by_role("button", name="Decline this remedy").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You have declined the remedy")
    visit.check("portal-case-07-declined")
    page.get_by_role("link", name="ask for stage 2: a review of our response").first.click()
    expect(page.get_by_label("Why are you still unhappy?")).to_have_value("An apology does not fix the boiler.")
    page.get_by_role("button", name="Ask for stage 2").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("moved to stage 2")
    assert Complaint.objects.get(pk=complaint.pk).status == Status.STAGE2_OPEN
    page.go_back()
    page.reload()
    expect(page.locator("#stage2-asked")).to_contain_text(f"You asked for stage 2 on {today:%-d %B %Y}")
    expect(main).not_to_contain_text("once we have sent you our stage 1 response")
    visit.check("portal-case-08-stage-2-asked")

    # Staff see both answers on the complaint's page at once.
    staff = visit.page.context.browser.new_context(locale="en-GB").new_page()  # type: ignore[union-attr]
    officer = Visit(staff, visit.base_url)
    officer.sign_in("hana.handler")
    officer.go(f"/staff/complaints/{complaint.reference}/")
    expect(staff.locator("main")).to_contain_text("Agreed with the resident")
    expect(staff.locator("main")).to_contain_text("Declined by the resident")
    expect(staff.locator("main")).to_contain_text("An apology does not fix the boiler.")
    staff.context.close()


def follow(visit: Visit, reference: str) -> None:
    page = visit.page
    visit.go("/ashford/follow/")
    page.get_by_label("Complaint reference").fill(reference)
    page.get_by_label("Email address").fill("rosa@example.org")
    page.get_by_role("button", name="Send me a code").click()
    page.get_by_label("Code").fill(code_from_email())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)


def responded_with_a_payment() -> tuple[Complaint, Remedy]:
    cast = make_cast()
    today = clock.today()
    complaint = acknowledge(cast, log(cast, today - timedelta(days=3)), today - timedelta(days=2))
    complaint = respond(
        cast,
        complaint,
        today,
        remedies=[
            actions.RemedyInput(
                "financial", "Compensation for running heaters.", amount_distress=Decimal("1234.5"), due_on=today
            )
        ],
    )
    return complaint, Remedy.objects.get(stage__complaint=complaint)


@pytest.fixture
def narrow_and_without_javascript(browser: Any, live_server: Any) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 320, "height": 640}, java_script_enabled=False, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield Visit(page, live_server.url)
    finally:
        context.close()


def test_a_remedy_can_be_answered_at_320_pixels_without_javascript(narrow_and_without_javascript: Visit) -> None:
    visit = narrow_and_without_javascript
    complaint, remedy = responded_with_a_payment()
    page = visit.page
    follow(visit, complaint.reference)

    def fits() -> None:
        # Each check runs once the page it follows has loaded, never during a navigation.
        page.wait_for_load_state()
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, (page.url, width)

    expect(page.locator("main")).to_contain_text("£1,234.50")
    fits()
    page.get_by_role("link", name="Decline the remedy: financial remedy").click()
    page.get_by_role("button", name="Decline this remedy").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter why you do not accept this remedy")
    fits()
    page.get_by_role("link", name="Accept it instead").click()
    accept = page.get_by_role("button", name="Accept this remedy")
    expect(accept).to_be_visible()
    fits()
    accept.click()
    expect(page.locator(f"#remedy-{remedy.pk}")).to_contain_text("You accepted it on")
    fits()
    assert Remedy.objects.get(pk=remedy.pk).state == Remedy.State.AGREED
