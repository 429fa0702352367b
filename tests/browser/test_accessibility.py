"""axe-core finds no WCAG 2.2 A or AA failure on any workspace page, forms with errors included.

The journey test checks the pages of a complaint's life; this visits every other page, as the
complaints officer (who may take every step) and as an auditor, and submits each form empty.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.complaints import actions
from putright.complaints.models import ServiceRequest
from putright.people.models import ReasonableAdjustment, Vulnerability
from tests.browser.conftest import Visit
from tests.cast import Cast, acknowledge, make_cast, respond

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def story(cast: Cast) -> tuple[str, str]:
    """A complaint responded to with a remedy and an outstanding action, and one just received from a
    vulnerable resident through her MP."""
    today = clock.today()
    answered = acknowledge(
        cast,
        actions.log_complaint(
            cast.landlord,
            cast.handler,
            resident=actions.ResidentDetails(name="Rosa Resident", email="rosa@example.org"),
            channel="email",
            received_on=today,
            description="The boiler is broken.",
            service_area="repairs",
            issue_date=today,
        ),
        today,
    )
    respond(cast, answered, today, actions=[actions.ActionInput("Replace the boiler", today, cast.officer)])
    received = actions.log_complaint(
        cast.landlord,
        cast.officer,
        resident=actions.ResidentDetails(name="Amir <i>Patel</i>", phone="0161 496 0000"),
        channel="councillor-or-mp",
        received_on=today,
        description="Damp in every room.",
        service_area="damp-mould",
        representative=actions.RepresentativeDetails(name="Jo Member MP", relationship="mp"),
        issue_date=date(today.year - 2, 1, 1),
    )
    Vulnerability.objects.create(person=received.person, description="Asthma", disclosed_on=today)
    ReasonableAdjustment.objects.create(person=received.person, kind="large-print", agreed_on=today)
    actions.log_service_request(
        cast.landlord,
        cast.handler,
        resident=received.person,
        service_area="repairs",
        description="Fix the window latch.",
        received_on=today,
    )
    return answered.reference, received.reference


def visit_and_submit(visit: Visit, path: str, name: str, button: str | None = None) -> None:
    visit.go(path)
    visit.check(name)
    if button:
        visit.page.get_by_role("button", name=button, exact=True).click()
        expect(visit.page.locator(".govuk-error-summary")).to_be_visible()
        visit.check(f"{name}-errors")


def test_every_workspace_page_passes_axe(visit: Visit, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    cast = make_cast()
    answered, received = story(cast)
    request = ServiceRequest.objects.get().reference
    page = visit.page

    visit_and_submit(visit, "/staff/password-reset/", "a11y-password-reset", "Send the link")
    page.get_by_label("Email address").fill("olu.officer@example.org")
    page.get_by_role("button", name="Send the link").click()
    visit.check("a11y-password-reset-sent")
    visit.go("/staff/password-reset/MQ/not-a-token/")
    visit.check("a11y-password-reset-expired")

    visit.sign_in("olu.officer")
    visit.go(f"/staff/?q={received}")
    visit.check("a11y-my-work-search")
    visit_and_submit(visit, "/staff/team/", "a11y-team-work")
    visit.go("/staff/actions/")
    visit.check("a11y-actions")
    page.get_by_role("link", name=re.compile("^Record an update")).click()
    page.get_by_role("button", name="Save the update").click()
    visit.check("a11y-action-update-errors")

    visit_and_submit(visit, "/staff/service-requests/", "a11y-service-requests")
    visit_and_submit(visit, "/staff/service-requests/new/", "a11y-service-request-log", "Log the request")
    visit_and_submit(
        visit, f"/staff/service-requests/{request}/complaint/", "a11y-raise-complaint", "Raise the complaint"
    )
    visit_and_submit(visit, f"/staff/service-requests/{request}/complete/", "a11y-complete-request")

    # Logging a complaint for a resident who already has one open: the warning, then its error.
    visit.go("/staff/complaints/new/")
    page.get_by_label("Full name").fill("Rosa Resident")
    page.get_by_label("Email address", exact=True).fill("rosa@example.org")
    page.get_by_role("group", name="How did the complaint arrive?").get_by_label("Email", exact=True).check()
    page.get_by_label("The complaint, in the resident's own words").fill("Still no boiler.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Log the complaint").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Confirm this is a new complaint")
    visit.check("a11y-log-check-similar-errors")

    base = f"/staff/complaints/{received}/"
    visit_and_submit(visit, base + "documents/new/", "a11y-attach", "Upload")
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "letter.pdf", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n%%EOF\n"}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("letter.pdf added")
    visit.check("a11y-complaint-vulnerable-with-document")
    visit_and_submit(visit, base + "assign/", "a11y-assign", "Assign")
    visit_and_submit(visit, base + "add-issue/", "a11y-add-issue", "Add the issue")
    visit_and_submit(visit, base + "not-accept/", "a11y-not-accept", "Do not accept")
    visit_and_submit(visit, base + "withdraw/", "a11y-withdraw", "Withdraw the complaint")
    visit_and_submit(visit, base + "clarification/", "a11y-clarification", "Record the request")
    visit_and_submit(visit, base + "update-interval/", "a11y-update-interval", "Save the interval")
    visit_and_submit(visit, base + "offer-remedy/", "a11y-offer-remedy", "Offer the remedy")
    visit_and_submit(visit, base + "ombudsman-referral/", "a11y-ombudsman-referral")
    visit_and_submit(visit, base + "extend/", "a11y-extend", "Extend")
    page.get_by_label("How many more working days?").fill("15")
    page.get_by_role("button", name="Extend", exact=True).click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("more than the policy's")
    visit.check("a11y-extend-beyond-cap-errors")

    base = f"/staff/complaints/{answered}/"
    visit.go(base)
    visit.check("a11y-complaint-responded")
    visit_and_submit(visit, base + "close/", "a11y-close", "Close the complaint")
    visit_and_submit(visit, base + "escalate/", "a11y-escalate")
    page.get_by_label("Stage 2 reviewer").select_option(label="Rita Reviewer")
    page.get_by_role("button", name="Escalate to stage 2").click()
    visit.check("a11y-escalate-errors")
    visit_and_submit(visit, base + "refuse-escalation/", "a11y-refuse-escalation", "Refuse escalation")
    visit.go(base)
    page.get_by_role("link", name=re.compile("^Update remedy")).click()
    page.get_by_role("button", name="Save").click()
    visit.check("a11y-remedy-errors")
    visit.sign_out()

    # An auditor reads, and is refused every change with a page that says so.
    visit.sign_in("aziz.auditor")
    visit.go(base)
    visit.check("a11y-complaint-auditor")
    visit.go(base + "close/")
    expect(page.get_by_role("heading", name="You cannot do this")).to_be_visible()
    visit.check("a11y-forbidden")
    assert len(visit.checked) >= 35
