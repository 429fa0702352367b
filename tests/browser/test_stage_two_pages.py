"""axe-core finds no WCAG 2.2 A or AA failure on the stage 2 acknowledge and respond pages, with stage 1
beside them open and folded, with money typed as people type it, and with their error states."""

from __future__ import annotations

from decimal import Decimal

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.complaints import actions
from putright.complaints.models import Complaint, OutstandingAction
from tests.browser.conftest import Visit
from tests.cast import Cast, acknowledge, log, make_cast, respond

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def escalated(cast: Cast, remedies: int = 1) -> Complaint:
    """Answered at stage 1 today with an apology, payments and an action with an update, then escalated."""
    today = clock.today()
    complaint = acknowledge(cast, log(cast, today), today)
    offered = [actions.RemedyInput("apology", "We apologise for the delay.")] + [
        actions.RemedyInput("financial", f"Payment {n}", amount_time_and_trouble=Decimal("75")) for n in range(remedies)
    ]
    left = [actions.ActionInput("Replace the boiler", today, cast.other_handler)]
    complaint = respond(cast, complaint, today, remedies=offered, actions=left)
    action = OutstandingAction.objects.get(complaint=complaint)
    actions.update_action(action, cast.handler, note="The boiler is ordered.")
    complaint = Complaint.objects.get(pk=complaint.pk)
    return actions.escalate(complaint, cast.officer, requested_on=today, reason="Nobody has fixed it.")


def test_the_stage_2_pages_pass_axe_with_stage_1_beside_them(visit: Visit) -> None:
    cast = make_cast()
    short = escalated(cast)
    long = escalated(cast, remedies=8)
    page = visit.page
    visit.sign_in("rita.reviewer")

    # Acknowledge: stage 1 shown open, nothing of it filled in; an empty form's errors.
    visit.go(f"/staff/complaints/{short.reference}/acknowledge/")
    expect(page.locator("#escalation-reason")).to_contain_text("Nobody has fixed it.")
    expect(page.locator("#stage-one-definition")).to_be_visible()
    expect(page.get_by_label("The outcomes the resident wants")).to_have_value("")
    visit.check("stage-two-acknowledge")
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Enter the outcomes the resident wants, or use the outcomes sought at stage 1"
    )
    visit.check("stage-two-acknowledge-errors")

    # A long stage 1 folds behind its summary; opening it shows the rest.
    visit.go(f"/staff/complaints/{long.reference}/acknowledge/")
    expect(page.locator("#stage-one-definition")).to_be_hidden()
    visit.check("stage-two-acknowledge-folded")
    page.get_by_text("Stage 1: 2 points, 9 remedies, 1 action").click()
    expect(page.locator("#stage-one-remedies")).to_contain_text("£75.00 in all")

    # The reviewer acknowledges using stage 1's outcomes, then answers stage 2.
    visit.go(f"/staff/complaints/{short.reference}/acknowledge/")
    page.get_by_label("Our understanding of the complaint").fill("The boiler is still broken.")
    page.get_by_label("The points we will answer").fill("The boiler is still broken")
    page.get_by_label("Use the outcomes the resident sought at stage 1").check()
    page.get_by_role("radio", name="No").check()
    page.get_by_role("button", name="Acknowledge").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("before it is sent")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Stage 2 acknowledged")

    visit.go(f"/staff/complaints/{short.reference}/respond/")
    expect(page.locator("#stage-one-points")).to_contain_text("Point 1")
    visit.check("stage-two-respond")
    page.get_by_role("group", name="Decision on point 1").get_by_label("Upheld", exact=True).check()
    page.get_by_text("Amounts, for a financial remedy").click()
    page.get_by_label("Time and trouble (£)").fill("12.345")
    page.get_by_role("button", name="Issue the response").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Remedy 1: enter the time and trouble payment in pounds and pence, like £75.00")
    visit.check("stage-two-respond-money-error")

    # Without reasons or a remedy for an upheld point, each missing element is marked where it goes.
    page.get_by_label("Time and trouble (£)").fill("")
    page.get_by_role("button", name="Issue the response").click()
    expect(summary).to_contain_text("Enter the reasons for the decision on point 1 (Code 6.19(d))")
    expect(summary).to_contain_text("Remedy 1: describe the remedy, as a point is upheld (Code 6.19(e))")
    expect(page.locator("#div_id_reasons_1.govuk-form-group--error")).to_be_visible()
    visit.check("stage-two-respond-missing")
