"""Contacts on the record (Code 5.12) and representatives (3.6), in a real browser: a handler records
the phone call in which she acknowledged a complaint, with her call note attached; it shows on the
complaint's page and in its timeline, and the written acknowledgement says the complaint was first
acknowledged by phone. Every page passes axe."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.correspondence.models import ContactRecord, Letter
from tests.browser.conftest import Visit
from tests.cast import log, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def test_a_phone_call_with_a_note_goes_on_the_record_and_into_the_acknowledgement(visit: Visit) -> None:
    cast = make_cast()
    called_on = clock.today() - timedelta(days=1)
    complaint = log(cast, called_on - timedelta(days=1))
    page = visit.page
    visit.sign_in("hana.handler")
    visit.go(f"/staff/complaints/{complaint.reference}/")
    expect(page.locator("#contacts")).to_contain_text("No calls, meetings, visits or texts recorded yet.")
    visit.check("contacts-01-complaint")

    # She records the call, after one mistake.
    page.get_by_role("button", name="Record a contact").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Record a call, meeting, visit or text")
    visit.check("contacts-02-form")
    page.get_by_role("button", name="Save the contact").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("Select what kind of contact it was")
    expect(summary).to_contain_text("Enter the date of the contact")
    visit.check("contacts-03-errors")
    page.get_by_role("group", name="What kind of contact was it?").get_by_label("Phone call to them").check()
    page.get_by_role("group", name="Who was it with?").get_by_label("The resident").check()
    date = page.get_by_role("group", name="Date")
    date.get_by_label("Day").fill(str(called_on.day))
    date.get_by_label("Month").fill(str(called_on.month))
    date.get_by_label("Year").fill(str(called_on.year))
    page.get_by_label("Time").fill("10:15")
    page.get_by_label("What was said?").fill(
        "Rang Rosa to acknowledge her complaint <b>and</b> explain what happens next."
    )
    page.get_by_label("The complaint was acknowledged in this contact").check()
    page.get_by_label("Add a document (optional)").set_input_files(
        {"name": "call-note.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    page.get_by_role("button", name="Save the contact").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Phone call to them with Rosa Resident recorded"
    )
    contact = ContactRecord.objects.get()
    assert contact.attachments.get().name == "call-note.pdf"

    # The panel lists it, the documents hold the note, and the timeline has it.
    panel = page.locator("#contacts")
    expect(panel).to_contain_text("Contacts (1)")
    expect(panel).to_contain_text("Acknowledged")
    expect(panel).to_contain_text("<b>and</b>")  # escaped, as typed
    page.locator("#documents summary").click()
    expect(page.locator("#documents")).to_contain_text("call-note.pdf")
    page.locator("#timeline summary").click()
    timeline = page.locator("#timeline")
    expect(timeline).to_contain_text(
        f"Phone call to them with Rosa Resident (the resident) on {called_on:%-d %B %Y} at 10:15"
    )
    expect(timeline).to_contain_text("The complaint was acknowledged by phone in this contact.")
    expect(timeline).to_contain_text("Document added with the phone call to them")
    visit.check("contacts-04-on-the-record")

    # The written acknowledgement says it was first given by phone, before it is sent.
    page.get_by_role("button", name="Acknowledge").click()
    page.get_by_label("Our understanding of the complaint").fill("The boiler has been broken for three weeks.")
    page.get_by_label("The points we will answer").fill("The repair has taken too long")
    page.get_by_label("What we are responsible for").fill("Repairs to the boiler")
    page.get_by_role("group", name="Do you have a conflict of interest in this complaint?").get_by_label("No").check()
    page.get_by_role("button", name="Acknowledge").click()
    said = f"We first acknowledged your complaint by phone on {called_on:%-d %B %Y}."
    expect(page.locator(".putright-letter").first).to_contain_text(said)
    visit.check("contacts-05-letter-check")
    page.get_by_role("button", name="Send").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Stage 1 acknowledged")
    assert said in Letter.objects.get(letter_type="stage1-acknowledgement").html

    # Her sister now acts for Rosa, for a month, and is not to be copied into letters.
    page.get_by_role("link", name="Record a representative").click()
    visit.check("contacts-06-representative")
    page.get_by_label("Their name").fill("Sara Resident")
    page.get_by_role("group", name="Who are they?").get_by_label("Relative or friend").check()
    page.get_by_role("group", name="What authority did the resident give?").get_by_label(
        "Written consent from the resident"
    ).check()
    ends = clock.today() + timedelta(days=30)
    until = page.get_by_role("group", name=re.compile("When does it end"))
    until.get_by_label("Day").fill(str(ends.day))
    until.get_by_label("Month").fill(str(ends.month))
    until.get_by_label("Year").fill(str(ends.year))
    page.get_by_role("group", name="Should our letters be copied to them?").get_by_label("No").check()
    page.get_by_role("group", name="May they follow the complaint online?").get_by_label("Yes").check()
    page.get_by_role("button", name="Save").click()
    representative = page.locator("#representative")
    expect(representative).to_contain_text("Sara Resident (Relative or friend)")
    expect(representative).to_contain_text(f"until {ends:%-d %B %Y}")
    expect(representative).to_contain_text("Letters are not copied to them.")
    visit.check("contacts-07-representative-recorded")
