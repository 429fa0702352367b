"""Forms that cannot lose words or dates, and the files residents have, in a real browser.

A paste longer than the limit is kept whole and counted by GOV.UK Frontend's character count, then
refused by the server with the count; a month typed as a word is understood and a future date is
refused on its own page; an iPhone photo (HEIC) is sent and kept as a JPEG; a file over its limit is
stopped in the browser before it is sent. axe-core runs on each state; without JavaScript the same
pages work, with the server's checks alone.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.complaints.models import Complaint
from putright.documents.limits import ATTACHMENT_MAX_BYTES
from putright.documents.models import Attachment, PendingAttachment
from tests.browser.conftest import Visit
from tests.cast import make_cast
from tests.portal_support import png
from tests.test_resident_files import heic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TOO_LONG = ("The water comes through the ceiling every time it rains. " * 180)[:10_050]


def answer_up_to_what_happened(visit: Visit) -> None:
    page = visit.page
    visit.go("/ashford/complain/what-you-want/")
    page.get_by_role("radio", name=re.compile("Make a complaint")).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("radio", name=re.compile("^Me")).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your full name").fill("Rosa Resident")
    page.get_by_label("Email address").fill("rosa@example.org")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Email", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What happened?")


def answer_when_to_documents(visit: Visit) -> None:
    page = visit.page
    page.get_by_role("button", name="Continue").click()  # "when", already answered
    page.get_by_label("What would you like us to do").fill("Fix the roof")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Repairs and maintenance").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Photos and documents")


def test_long_words_dates_and_files_in_the_browser(visit: Visit, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_cast()
    page = visit.page
    answer_up_to_what_happened(visit)

    # The character count replaces the stated limit with what is left, and a paste is never cut.
    status = page.locator(".govuk-character-count__status")
    expect(status).to_have_text("You have 10,000 characters remaining")
    box = page.get_by_label("What happened?")
    box.fill(TOO_LONG)
    assert len(box.input_value()) == 10_050
    expect(status).to_have_text("You have 50 characters too many")
    visit.check("forms-01-count-over")
    page.get_by_role("button", name="Continue").click()
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_contain_text("What happened must be 10,000 characters or fewer (it has 10,050)")
    assert page.get_by_label("What happened?").input_value() == TOO_LONG
    visit.check("forms-02-count-refused")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("What happened?")).to_be_focused()
    page.get_by_label("What happened?").fill(TOO_LONG[:9_990])
    expect(status).to_have_text("You have 10 characters remaining")
    page.get_by_role("button", name="Continue").click()

    # The date: a future year refused here, naming the question; a month typed as a word understood.
    next_year = str(clock.today().year + 1)[2:]
    page.get_by_label("Day").fill("1")
    page.get_by_label("Month").fill("Jan")
    page.get_by_label("Year").fill(next_year)
    page.get_by_role("button", name="Continue").click()
    expect(summary).to_contain_text("The date it happened must be today or in the past")
    expect(page.get_by_label("Month")).to_have_value("Jan")
    visit.check("forms-03-date-future")
    summary.get_by_role("link").first.click()
    expect(page.get_by_label("Day")).to_be_focused()
    page.get_by_label("Month").fill("October")
    page.get_by_label("Year").fill(str(clock.today().year - 1)[2:])
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What would you like us to do to put things right?")
    page.go_back()
    answer_when_to_documents(visit)

    # A file over its limit is stopped before it is sent: the page says why and keeps nothing chosen.
    files = page.get_by_label("Upload a file")
    big = {"name": "big.png", "mimeType": "image/png", "buffer": png() + b"\x00" * ATTACHMENT_MAX_BYTES}
    files.set_input_files(files=[big])
    expect(page.locator(".putright-js-error")).to_have_text("Error: big.png must be smaller than 10 MB")
    assert files.evaluate("input => input.files.length") == 0
    expect(page.locator(".govuk-form-group--error")).to_have_count(1)
    visit.check("forms-04-file-too-large")
    # A video has its own, larger limit (made small here, so as not to pass 50 MB to the browser).
    files.evaluate("input => { input.dataset.videoMaxBytes = '100'; }")
    files.set_input_files(files=[{"name": "leak.mov", "mimeType": "video/quicktime", "buffer": b"\x00" * 200}])
    expect(page.locator(".putright-js-error")).to_have_text("Error: leak.mov must be smaller than 50 MB")
    assert PendingAttachment.objects.count() == 0

    # An iPhone photo goes, and comes back as a JPEG; the error went with a good choice.
    files.set_input_files(files=[{"name": "IMG_0042.HEIC", "mimeType": "image/heic", "buffer": heic()}])
    expect(page.locator(".putright-js-error")).to_have_count(0)
    expect(page.locator(".govuk-form-group--error")).to_have_count(0)
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator("#documents-added")).to_contain_text("IMG_0042.jpg")
    visit.check("forms-05-heic-added")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()  # no help needed
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your complaint")
    expect(page.locator("main")).to_contain_text(f"1 October {clock.today().year - 1}")
    visit.check("forms-06-check")
    page.get_by_role("button", name="Send complaint").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Complaint sent")
    complaint = Complaint.objects.get()
    assert len(complaint.description) == 9_990
    photo = Attachment.objects.get(complaint=complaint)
    assert (photo.name, photo.content_type) == ("IMG_0042.jpg", "image/jpeg")


@pytest.fixture
def without_javascript(browser: Any, live_server: Any) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1024, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield Visit(page, live_server.url)
    finally:
        context.close()


def test_without_javascript_the_limit_is_stated_and_the_server_refuses_too_much(
    without_javascript: Visit, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_cast()
    visit = without_javascript
    page = visit.page
    answer_up_to_what_happened(visit)
    expect(page.locator("#id_description-info")).to_have_text("You can enter up to 10,000 characters")
    page.get_by_label("What happened?").fill(TOO_LONG)
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("(it has 10,050)")
    assert page.get_by_label("What happened?").input_value() == TOO_LONG
    page.get_by_label("What happened?").fill("Water comes through the ceiling.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Day").fill("3")
    page.get_by_label("Month").fill("sept")
    page.get_by_label("Year").fill(str(clock.today().year - 1))
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("What would you like us to do to put things right?")
    page.go_back()
    answer_when_to_documents(visit)
    expect(page.locator("#id_documents_hint")).to_contain_text("videos must be smaller than 50 MB")
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "IMG_7.heic", "mimeType": "image/heic", "buffer": heic()}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator("#documents-added")).to_contain_text("IMG_7.jpg")
