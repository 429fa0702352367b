"""axe-core finds no WCAG 2.2 A or AA failure on any workspace page, forms with errors included.

The journey test checks the pages of a complaint's life; this visits every other page, as the
complaints officer (who may take every step) and as an auditor, and submits each form empty. The
portal's photos and documents pages are checked in each of their states.
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
from putright.complaints.models import Complaint, ServiceRequest
from putright.correspondence.models import Letter, OutboxMessage
from putright.people.models import ReasonableAdjustment, Vulnerability
from tests.browser.conftest import Visit
from tests.cast import Cast, acknowledge, make_cast, respond
from tests.portal_support import emailed_code, png

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


def check_letter_pages(visit: Visit, reference: str) -> None:
    """A complaint's letters, its PDF before the worker has made it, the wording and letterhead
    editors with their errors and a preview, and the outbox with an email that failed."""
    page = visit.page
    letter = Letter.objects.filter(complaint__reference=reference).order_by("id").first()
    assert letter is not None
    OutboxMessage.objects.filter(letter=letter).update(
        state=OutboxMessage.State.FAILED, attempts=5, last_error="550 Mailbox unavailable"
    )
    base = f"/staff/complaints/{reference}/"
    visit.go(base)
    expect(page.get_by_text("Retry from the outbox")).to_be_visible()
    visit.check("a11y-complaint-letters")
    visit.go(base + f"letters/{letter.pk}/")
    visit.check("a11y-letter")
    visit.go(base + f"letters/{letter.pk}/pdf/")
    expect(page.get_by_role("heading", name="The PDF is being prepared")).to_be_visible()
    visit.check("a11y-letter-pdf-not-ready")

    visit.go("/staff/letters/")
    visit.check("a11y-letter-wording-list")
    visit.go("/staff/letters/stage1-acknowledgement/")
    visit.check("a11y-letter-wording")
    body = page.get_by_label("The letter")
    body.fill(body.input_value().replace("Thank you for your complaint", "Many thanks for your complaint"))
    page.get_by_role("button", name="Preview").click()
    expect(page.get_by_role("heading", name="Preview")).to_be_visible()
    visit.check("a11y-letter-wording-preview")
    body.fill(body.input_value().replace("{{ ombudsman }}", "") + "<script>alert(1)</script>")
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("not allowed in a letter")
    visit.check("a11y-letter-wording-errors")
    body.fill(body.input_value().replace("<script>alert(1)</script>", ""))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The wording leaves out {{ ombudsman }}")
    visit.check("a11y-letter-wording-missing-element")
    visit.go("/staff/letters/stage1-acknowledgement/")
    body.fill(body.input_value().replace("Thank you for your complaint", "Many thanks for your complaint"))
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("saved as version 1")
    visit.go("/staff/letters/stage1-acknowledgement/reset/")
    visit.check("a11y-letter-wording-reset")

    visit.go("/staff/letters/letterhead/")
    visit.check("a11y-letterhead")
    page.get_by_label("Complaints email address").fill("not an email")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    visit.check("a11y-letterhead-errors")

    visit.go("/staff/outbox/")
    expect(page.get_by_text("550 Mailbox unavailable")).to_be_visible()
    visit.check("a11y-outbox")
    page.get_by_role("button", name=re.compile("^Retry")).first.click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("will be sent again shortly")
    visit.check("a11y-outbox-retried")


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
    actions.agree_update_interval(
        Complaint.objects.get(reference=received), cast.officer, every_days=5, agreed_on=clock.today()
    )
    visit_and_submit(visit, base + "send-update/", "a11y-send-update", "Send the update")
    visit_and_submit(visit, base + "offer-remedy/", "a11y-offer-remedy", "Offer the remedy")
    visit_and_submit(visit, base + "ombudsman-referral/", "a11y-ombudsman-referral")
    visit_and_submit(visit, base + "extend/", "a11y-extend", "Extend")
    page.get_by_label("How many more working days?").fill("15")
    page.get_by_role("button", name="Extend", exact=True).click()
    expect(page.locator(".govuk-warning-text")).to_contain_text("more than the 10 allowed without one")
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
    check_letter_pages(visit, answered)
    visit.sign_out()

    # An auditor reads, and is refused every change with a page that says so.
    visit.sign_in("aziz.auditor")
    visit.go(base)
    visit.check("a11y-complaint-auditor")
    visit.go(base + "close/")
    expect(page.get_by_role("heading", name="You cannot do this")).to_be_visible()
    visit.check("a11y-forbidden")
    visit.go("/staff/letters/stage1-response/")
    visit.check("a11y-letter-wording-auditor")
    visit.go("/staff/letters/letterhead/")
    visit.check("a11y-letterhead-auditor")
    visit.go("/staff/outbox/")
    visit.check("a11y-outbox-auditor")
    assert len(visit.checked) >= 35


def answer_up_to_the_documents_page(visit: Visit) -> None:
    page = visit.page

    def onward() -> None:
        page.get_by_role("button", name="Continue").click()

    visit.go("/ashford/complain/what-you-want/")
    page.get_by_role("radio", name=re.compile("Make a complaint")).check()
    onward()
    page.get_by_role("radio", name=re.compile("^Me")).check()
    onward()
    page.get_by_label("Your full name").fill("Rosa Resident")
    page.get_by_label("Email address").fill("rosa@example.org")
    onward()
    page.get_by_label("Email", exact=True).check()
    onward()
    page.get_by_label("What happened?").fill("The boiler is broken.")
    onward()
    page.get_by_label("Day").fill("2")
    page.get_by_label("Month").fill("1")
    page.get_by_label("Year").fill(str(clock.today().year))
    onward()
    page.get_by_label("What would you like us to do").fill("Fix the boiler")
    onward()
    onward()  # the service is optional
    expect(page.get_by_role("heading", level=1)).to_have_text("Photos and documents")


def test_every_state_of_the_portals_photos_and_documents_passes_axe(
    visit: Visit, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_cast()
    page = visit.page
    answer_up_to_the_documents_page(visit)
    visit.check("a11y-portal-documents-empty")

    files = page.get_by_label("Upload a file")
    files.set_input_files(files=[{"name": "photo.png", "mimeType": "image/png", "buffer": b"<html><script></script>"}])
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("photo.png must be a JPEG, PNG, PDF or Word document")
    visit.check("a11y-portal-documents-errors")

    pngs = [{"name": f"photo-{n}.png", "mimeType": "image/png", "buffer": png()} for n in range(5)]
    page.get_by_label("Upload a file").set_input_files(files=pngs)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator(".govuk-inset-text")).to_contain_text("the most you can send")
    visit.check("a11y-portal-documents-full")
    page.get_by_role("button", name="Remove photo-4.png").click()
    expect(page.locator("#documents-added")).not_to_contain_text("photo-4.png")
    visit.check("a11y-portal-documents-with-files")

    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()  # no help needed
    expect(page.locator("#documents + .govuk-summary-list")).to_contain_text("photo-3.png")
    visit.check("a11y-portal-check-answers-with-files")
    page.get_by_role("button", name="Remove photo-3.png").click()
    expect(page.locator("#documents + .govuk-summary-list")).not_to_contain_text("photo-3.png")
    page.get_by_role("button", name="Send complaint").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Complaint sent")

    # Adding a file to the complaint later, from the follow page: its error state too.
    reference = page.locator(".govuk-panel__body strong").inner_text()
    visit.go("/ashford/follow/")
    page.get_by_label("Complaint reference").fill(reference)
    page.get_by_label("Email address").fill("rosa@example.org")
    page.get_by_role("button", name="Send me a code").click()
    page.get_by_label("Code").fill(emailed_code())
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("link", name="Add information to your complaint").click()
    visit.check("a11y-portal-add-information")
    page.get_by_label("Photos or documents (optional)").set_input_files(
        files=[{"name": "empty.pdf", "mimeType": "application/pdf", "buffer": b""}]
    )
    page.get_by_role("button", name="Add to my complaint").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("empty.pdf is empty")
    visit.check("a11y-portal-add-information-errors")
    page.get_by_label("Photos or documents (optional)").set_input_files(
        files=[{"name": "photo.png", "mimeType": "image/png", "buffer": png()}]
    )
    page.get_by_role("button", name="Add to my complaint").click()
    expect(page.locator("#sent-documents")).to_contain_text("photo.png")
    visit.check("a11y-portal-your-complaint-with-files")
