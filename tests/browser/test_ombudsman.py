"""Ombudsman casework in a real browser: a complaint answered at stage 2 goes to the Housing
Ombudsman; the complaints officer opens the case, records its request for evidence (due on the
policy's working days, with a reminder) and what was sent, the determination and an order; the
order's owner records it complied with, with evidence; the Ombudsman's confirmation closes it.
axe checks every page on the way (WCAG 2.2 AA)."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from playwright.sync_api import expect

from putright import clock
from putright.bundles import build
from putright.complaints import actions
from putright.complaints.models import Complaint
from putright.correspondence import reminders
from putright.correspondence.models import Letter, OutboxMessage
from putright.documents.models import Attachment
from putright.landlords.calendars import working_calendar
from putright.ombudsman.models import EvidenceBundle, EvidenceRequest, OmbudsmanCase
from tests.browser.conftest import Visit
from tests.cast import Cast, acknowledge, log, make_cast, respond

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def answered_at_stage_2(cast: Cast) -> Complaint:
    today = clock.today()
    received = today - timedelta(days=70)
    complaint = actions.assign_handler(
        log(cast, received), cast.officer, handler=cast.handler, conflict_of_interest=False
    )
    complaint = respond(cast, acknowledge(cast, complaint, received + timedelta(days=1)), received + timedelta(days=8))
    complaint = actions.escalate(complaint, cast.officer, requested_on=received + timedelta(days=10))
    complaint = acknowledge(cast, complaint, received + timedelta(days=11), actor=cast.reviewer)
    complaint = respond(cast, complaint, received + timedelta(days=30), actor=cast.reviewer)
    event = actions.attach_file(
        complaint, cast.handler, name="repair-log.pdf", content_type="application/pdf", size=len(PDF)
    )
    Attachment.objects.create(
        complaint=complaint,
        event=event,
        file=SimpleUploadedFile("repair-log.pdf", PDF),
        name="repair-log.pdf",
        content_type="application/pdf",
        size=len(PDF),
        description="The repair log",
        uploaded_by=cast.handler,
        uploaded_at=event.at,
    )
    return Complaint.objects.get(pk=complaint.pk)


def fill_date(page: object, name: str, day: object) -> None:
    for part, value in enumerate((day.day, day.month, day.year)):  # type: ignore[attr-defined]
        page.locator(f"#id_{name}_{part}").fill(str(value))  # type: ignore[attr-defined]


def test_a_case_from_referral_to_an_order_complied_with_and_confirmed(visit: Visit) -> None:
    cast = make_cast()
    complaint = answered_at_stage_2(cast)
    today = clock.today()
    page = visit.page
    visit.sign_in("olu.officer")

    # From the complaint to its Ombudsman casework, and the case opened.
    visit.go(f"/staff/complaints/{complaint.reference}/")
    page.get_by_role("link", name="Ombudsman casework for this complaint").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ombudsman cases")
    visit.check("ombudsman-complaint-cases")
    page.get_by_role("button", name="Open an Ombudsman case").click()
    page.get_by_label("The Ombudsman's reference").fill("2024 12345")
    fill_date(page, "enquiry_received_on", today)
    fill_date(page, "referred_on", today)
    page.get_by_role("button", name="Open the case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ombudsman case 202412345")
    visit.check("ombudsman-case-opened")
    assert Complaint.objects.get(pk=complaint.pk).ombudsman_referred_on == today  # kept in step

    # The request for evidence: due on the policy's 15 working days; a wrong date is explained.
    page.get_by_role("button", name="Record a request for evidence").click()
    page.get_by_role("button", name="Save the request").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter what the Ombudsman asked for")
    visit.check("ombudsman-evidence-request-errors")
    page.get_by_label("What did the Ombudsman ask for?").fill("The repair log and the stage 2 response")
    fill_date(page, "requested_on", today)
    page.get_by_role("button", name="Save the request").click()
    due = working_calendar(cast.landlord).add_working_days(today, 15)
    evidence = page.locator("#evidence + .govuk-summary-card")
    expect(evidence).to_contain_text(f"{due:%-d %B %Y}, the landlord's policy")
    visit.check("ombudsman-evidence-requested")
    # A reminder reaches the complaint's handler (Rita, who answered stage 2) and the complaints officers.
    reminders.plan_for(cast.landlord, working_calendar(cast.landlord).add_working_days(today, 14))
    reminded = OutboxMessage.objects.filter(subject__contains="evidence for the Ombudsman").values_list(
        "to_address", flat=True
    )
    assert set(reminded) == {"rita.reviewer@example.org", "olu.officer@example.org"}

    # The evidence bundle (5.12): built in the background with its progress shown, then downloaded and
    # opened, holding every letter, email and document on the record.
    page.get_by_role("button", name="Build the evidence bundle").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Evidence bundle version 1")
    expect(page.get_by_role("status")).to_contain_text("Waiting to be built")
    visit.check("ombudsman-bundle-building")
    assert build.build(EvidenceBundle.objects.get(case__complaint=complaint).pk) == "ready"  # the worker's task
    page.get_by_role("link", name="Check again").click()
    bundle = EvidenceBundle.objects.get(case__complaint=complaint)
    expect(page.locator(".govuk-summary-list")).to_contain_text(bundle.sha256)
    visit.check("ombudsman-bundle-built")
    with page.expect_download() as downloaded:
        page.get_by_role("button", name=re.compile("Download the bundle")).click()
    content = Path(downloaded.value.path()).read_bytes()
    assert hashlib.sha256(content).hexdigest() == bundle.sha256
    names = zipfile.ZipFile(io.BytesIO(content)).namelist()
    assert len([n for n in names if n.startswith("03-letters/")]) == Letter.objects.filter(complaint=complaint).count()
    emails = OutboxMessage.objects.filter(complaint=complaint).count()
    assert len([n for n in names if n.startswith("04-emails/")]) == emails > 0
    assert "05-documents/001-repair-log.pdf" in names
    page.get_by_role("link", name="Back to the Ombudsman case").click()
    expect(page.locator("#bundle + p + .govuk-table")).to_contain_text(bundle.sha256)

    evidence.get_by_role("link", name=re.compile("Record the evidence sent")).click()
    page.get_by_label("What was sent?").fill("The repair log, with a covering letter")
    page.get_by_label("The repair log").check()
    page.get_by_label("Evidence bundle sent (optional)").select_option("1")
    fill_date(page, "sent_on", today)
    visit.check("ombudsman-evidence-sent-form")
    page.get_by_role("button", name="Save").click()
    expect(evidence).to_contain_text("The repair log, with a covering letter")

    # The investigation, then the determination and an order for Hana.
    page.get_by_role("link", name="Change the stage").click()
    page.get_by_label("Investigation").check()
    fill_date(page, "on", today)
    visit.check("ombudsman-stage-form")
    page.get_by_role("button", name="Save").click()
    page.get_by_role("button", name="Record a determination").click()
    page.get_by_label("The element of the complaint").fill("The landlord's handling of the boiler repair")
    page.get_by_label("Maladministration", exact=True).check()
    fill_date(page, "determined_on", today)
    visit.check("ombudsman-determination-form")
    page.get_by_role("button", name="Save the determination").click()
    expect(page.locator("#determinations + table")).to_contain_text("Maladministration")
    page.get_by_role("button", name="Record an order or recommendation").click()
    page.get_by_label("Order", exact=True).check()
    page.get_by_label("What must be done?").fill("Pay the resident £300 for the time and trouble")
    page.get_by_label("Who will do it?").select_option(label="Hana Handler")
    fill_date(page, "due_on", today + timedelta(days=28))
    visit.check("ombudsman-order-form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#orders + .govuk-summary-card")).to_contain_text("Pay the resident £300")
    visit.check("ombudsman-case-determined")
    visit.sign_out()

    # Hana, whose order it is, records it complied with and the evidence.
    case = OmbudsmanCase.objects.get(complaint=complaint)
    visit.sign_in("hana.handler")
    visit.go(f"/staff/ombudsman/{case.pk}/")
    page.get_by_role("link", name=re.compile("Record progress")).click()
    page.get_by_label("It has been complied with").check()
    fill_date(page, "completed_on", today)
    page.get_by_label("The evidence that it was complied with").fill("Paid by BACS; the remittance is attached")
    page.get_by_label("The repair log").check()
    visit.check("ombudsman-order-complied-form")
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#orders + .govuk-summary-card")).to_contain_text("Complied with")
    visit.sign_out()

    # The Ombudsman confirms compliance; the case closes; the list shows it closed.
    visit.sign_in("olu.officer")
    visit.go(f"/staff/ombudsman/{case.pk}/")
    page.get_by_role("link", name=re.compile("Record the Ombudsman's confirmation")).click()
    fill_date(page, "on", today)
    page.get_by_role("button", name="Save").click()
    expect(page.locator("#orders + .govuk-summary-card")).to_contain_text("Compliance confirmed")
    page.get_by_role("link", name="Change the stage").click()
    page.get_by_label("Closed").check()
    fill_date(page, "on", today)
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-summary-list").first).to_contain_text("Closed")
    visit.check("ombudsman-case-closed")
    page.get_by_role("link", name="Ombudsman cases").click()
    expect(page.get_by_role("table")).to_contain_text("202412345")
    visit.check("ombudsman-cases-list")
    sent = EvidenceRequest.objects.select_related("bundle").get(case=case)
    assert sent.sent_on == today and sent.bundle is not None and sent.bundle.version == 1

    # The annual report and this quarter's governance report show the case, its finding and its order (8.1, 9.7).
    year = today.year if today.month >= 4 else today.year - 1
    quarter = (today.month - 4) % 12 // 3 + 1
    visit.go(f"/staff/insight/annual/{year}/")
    expect(page.get_by_role("table", name="The Ombudsman's findings on complaint 202412345")).to_be_visible()
    visit.check("ombudsman-annual-report")
    visit.go(f"/staff/insight/governance/?year={year}&quarter={quarter}")
    expect(page.locator("main")).to_contain_text("Pay the resident £300")
    visit.check("ombudsman-governance-report")


def test_an_enquiry_about_a_complaint_not_handled_is_logged_and_read_by_the_auditor(visit: Visit) -> None:
    cast = make_cast()
    today = clock.today()
    page = visit.page
    visit.sign_in("mei.manager")
    page.get_by_role("link", name="Ombudsman cases").click()
    expect(page.get_by_text("There are no Ombudsman cases.")).to_be_visible()
    page.get_by_role("button", name="Log an enquiry about a complaint you have not handled").click()
    page.get_by_role("button", name="Log the complaint and open the case").click()
    errors = page.locator(".govuk-error-summary")
    expect(errors).to_contain_text("Enter the Ombudsman's reference")
    expect(errors).to_contain_text("Enter the resident's full name")
    visit.check("ombudsman-enquiry-errors")
    page.get_by_label("The Ombudsman's reference").fill("202498765")
    fill_date(page, "enquiry_received_on", today)
    page.get_by_label("Resident's full name").fill("Rosa Resident")
    page.get_by_label("Resident's email address (optional)").fill("rosa@example.org")
    page.get_by_label("What the complaint is about").fill("Nobody answered my complaint about damp in May.")
    page.get_by_role("button", name="Log the complaint and open the case").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ombudsman case 202498765")
    complaint = OmbudsmanCase.objects.get(reference="202498765").complaint
    assert complaint.channel == "ombudsman" and complaint.received_on == today
    visit.sign_out()

    visit.sign_in("aziz.auditor")
    page.get_by_role("link", name="Ombudsman cases").click()
    page.get_by_role("link", name=re.compile("202498765")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Ombudsman case 202498765")
    expect(page.get_by_role("button", name="Record a request for evidence")).to_have_count(0)
    visit.check("ombudsman-case-read-by-the-auditor")
    assert cast.landlord.pk == complaint.landlord_id
