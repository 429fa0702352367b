"""The resident portal in a real browser: make a complaint with a photo, follow it with the emailed
code, read the acknowledgement letter, escalate.

axe-core (WCAG 2.2 A and AA) runs on every portal page, in its error state too; the journey also runs
at 320 CSS pixels wide and with JavaScript switched off.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.complaints.models import Complaint, Status
from putright.correspondence import rendering
from putright.correspondence.models import Letter
from putright.documents.models import Attachment
from tests.browser.conftest import Visit
from tests.cast import acknowledge, make_cast, respond
from tests.portal_support import emailed_code, png

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def make_complaint(visit: Visit, prefix: str, *, errors: bool) -> None:
    """Go through every page of the make-a-complaint journey, checking each (and its error state)."""
    page = visit.page

    def step(name: str, fill: Any, button: str = "Continue") -> None:
        if errors:
            page.get_by_role("button", name=button).click()
            expect(page.locator(".govuk-error-summary")).to_be_visible()
            assert page.title().startswith("Error: ")
            visit.check(f"{prefix}-{name}-error")
        else:
            visit.check(f"{prefix}-{name}")
        fill()
        page.get_by_role("button", name=button).click()

    visit.go("/ashford/")
    expect(page.get_by_role("heading", level=1)).to_have_text("Make a complaint to Ashford Borough Council")
    visit.check(f"{prefix}-start")
    page.get_by_role("button", name="Start now").click()
    step("what-you-want", lambda: page.get_by_role("radio", name=re.compile("Make a complaint")).check())
    step("who", lambda: page.get_by_role("radio", name=re.compile("^Me")).check())

    def contact() -> None:
        page.get_by_label("Your full name").fill("Rosa <b>Resident</b>")
        page.get_by_label("Email address").fill("rosa@example.org")
        page.get_by_label("Phone number").fill("07700 900123")

    step("contact", contact)
    step("contact-preference", lambda: page.get_by_label("Email", exact=True).check())
    step(
        "what-happened",
        lambda: page.get_by_label("What happened?").fill("The boiler is broken. <script>alert('x')</script>"),
    )

    def when() -> None:
        page.get_by_label("Day").fill("2")
        page.get_by_label("Month").fill("1")
        page.get_by_label("Year").fill(str(clock.today().year))

    step("when", when)
    step("outcome", lambda: page.get_by_label("What would you like us to do").fill("Fix the boiler"))
    visit.check(f"{prefix}-service")
    page.get_by_label("Repairs and maintenance").check()
    page.get_by_role("button", name="Continue").click()

    # Photos and documents: a real PNG, uploaded with the page's own file input (no script needed).
    expect(page.get_by_role("heading", level=1)).to_have_text("Photos and documents")
    visit.check(f"{prefix}-documents")
    if errors:
        page.get_by_role("button", name="Upload", exact=True).click()
        expect(page.locator(".govuk-error-summary")).to_contain_text("Select a photo or document to upload")
        visit.check(f"{prefix}-documents-error")
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "boiler.png", "mimeType": "image/png", "buffer": png(40, 30)}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator("#documents-added")).to_contain_text("boiler.png")
    visit.check(f"{prefix}-documents-added")
    page.get_by_role("button", name="Continue").click()
    visit.check(f"{prefix}-help")
    page.get_by_label("Large print").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your complaint")
    expect(page.locator(".govuk-summary-list").first).to_contain_text("<script>alert('x')</script>")
    expect(page.locator("main")).to_contain_text("boiler.png")
    visit.check(f"{prefix}-check-answers")
    page.get_by_role("button", name="Send complaint").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Complaint sent")
    visit.check(f"{prefix}-confirmation")


def code_from_email() -> str:
    """The code the worker emails (tests.portal_support does the worker's part)."""
    return emailed_code()


def test_a_resident_makes_a_complaint_follows_it_and_escalates(visit: Visit, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    cast = make_cast()
    page = visit.page
    make_complaint(visit, "portal-01", errors=True)
    complaint = Complaint.objects.get()
    expect(page.locator(".govuk-panel")).to_contain_text(complaint.reference)
    stage = complaint.stages.get()
    expect(page.locator("main")).to_contain_text(f"{stage.acknowledge_due:%-d %B %Y}")
    photo = Attachment.objects.get(complaint=complaint)
    assert photo.name == "boiler.png" and photo.uploaded_by is None and photo.file.read() == png(40, 30)

    # Staff acknowledge it (through the domain action); the worker renders the letter's PDF.
    acknowledge(cast, complaint, clock.today())
    letter = Letter.objects.get(complaint=complaint, letter_type="stage1-acknowledgement")
    rendering.render_letter(letter.pk)

    # The resident follows it with a code sent by email: a wrong code first.
    page.get_by_role("link", name="follow your complaint").click()
    visit.check("portal-02-follow")
    page.get_by_role("button", name="Send me a code").click()
    visit.check("portal-03-follow-error")
    page.get_by_label("Complaint reference").fill(complaint.reference)
    page.get_by_label("Email address").fill("rosa@example.org")
    page.get_by_role("button", name="Send me a code").click()
    visit.check("portal-04-code")
    page.get_by_label("Code").fill("000000" if code_from_email() != "000000" else "111111")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    visit.check("portal-05-code-error")
    page.get_by_label("Code").fill(code_from_email())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(complaint.reference)
    expect(page.locator("main")).to_contain_text("Acknowledged")
    expect(page.locator("main")).to_contain_text("<script>alert('x')</script>")
    expect(page.locator("#sent-documents")).to_contain_text("boiler.png")
    visit.check("portal-06-your-complaint")

    # She downloads the acknowledgement letter from the page's link.
    with page.expect_download() as downloading:
        page.get_by_role("link", name=re.compile("^Download the stage 1 acknowledgement letter")).click()
    download = downloading.value
    assert download.suggested_filename == f"{complaint.reference}-stage1-acknowledgement.pdf"
    assert Path(download.path()).read_bytes().startswith(b"%PDF")

    # She adds information (an empty box first), then looks at the withdraw page and keeps it.
    page.get_by_role("link", name="Add information to your complaint").click()
    page.get_by_role("button", name="Add to my complaint").click()
    visit.check("portal-07-add-information-error")
    page.get_by_label("What would you like to add?").fill("The engineer did not come on Tuesday either.")
    page.get_by_role("button", name="Add to my complaint").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("We have added your information")
    page.get_by_role("link", name="Withdraw your complaint").click()
    visit.check("portal-08-withdraw")
    page.get_by_role("link", name="Keep my complaint").click()

    # Staff respond; she asks for stage 2 without giving a reason.
    respond(cast, Complaint.objects.get(), clock.today())
    page.reload()
    page.get_by_role("link", name=re.compile("Ask for stage 2")).click()
    visit.check("portal-09-escalate")
    page.get_by_role("button", name="Ask for stage 2").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("moved to stage 2")
    visit.check("portal-10-escalated")
    escalated = Complaint.objects.get()
    assert escalated.status == Status.STAGE2_OPEN and escalated.stage == 2

    # The other pages: a request for a service, and the site's start page.
    visit.go("/ashford/complain/service-request/")
    visit.check("portal-11-service-request")
    visit.go("/")
    page.get_by_role("link", name="Make or follow a complaint to Ashford Borough Council").click()
    expect(page).to_have_url(re.compile("/ashford/$"))


@pytest.fixture
def narrow(browser: Any, live_server: Any) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 320, "height": 640}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield Visit(page, live_server.url)
    finally:
        context.close()


def test_every_page_fits_320_pixels_wide(narrow: Visit, settings: Any, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_cast()
    widths: list[tuple[str, int]] = []
    original = narrow.check

    def check_width(name: str) -> None:
        original(name)
        widths.append((name, narrow.page.evaluate("document.documentElement.scrollWidth")))

    narrow.check = check_width  # type: ignore[method-assign]
    make_complaint(narrow, "portal-320", errors=False)
    assert all(width <= 320 for _, width in widths), widths


@pytest.fixture
def without_javascript(browser: Any, live_server: Any) -> Iterator[Visit]:
    context = browser.new_context(viewport={"width": 1024, "height": 800}, java_script_enabled=False)
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield Visit(page, live_server.url)
    finally:
        context.close()


def test_a_complaint_can_be_made_and_followed_without_javascript(
    without_javascript: Visit, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    make_cast()
    visit = without_javascript
    visit.check = lambda name: None  # type: ignore[method-assign]  # axe needs JavaScript; the other tests run it
    make_complaint(visit, "portal-nojs", errors=False)
    complaint = Complaint.objects.get()
    page = visit.page
    visit.go("/ashford/follow/")
    page.get_by_label("Complaint reference").fill(complaint.reference)
    page.get_by_label("Email address").fill("rosa@example.org")
    page.get_by_role("button", name="Send me a code").click()
    page.get_by_label("Code").fill(code_from_email())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(complaint.reference)
    assert Attachment.objects.get(complaint=complaint).name == "boiler.png"


def tab_to(visit: Visit, selector: str) -> None:
    """Press Tab until the element matching `selector` has the focus, as a keyboard user would."""
    for _ in range(60):
        visit.page.keyboard.press("Tab")
        if visit.page.evaluate("(s) => document.activeElement && document.activeElement.matches(s)", selector):
            return
    raise AssertionError(f"{selector} cannot be reached with the Tab key on {visit.page.url}")


def submit(visit: Visit) -> None:
    with visit.page.expect_navigation():
        visit.page.keyboard.press("Enter")


def test_a_complaint_can_be_made_with_the_keyboard_alone(visit: Visit) -> None:
    make_cast()
    page, keyboard = visit.page, visit.page.keyboard
    visit.go("/ashford/")
    tab_to(visit, ".govuk-button--start")
    submit(visit)
    for field, choice in (("kind", "complaint"), ("who", "self")):
        page.wait_for_selector(f"input[name={field}]")
        tab_to(visit, f"input[name={field}]")
        if not page.evaluate(f"document.activeElement.value === '{choice}'"):
            keyboard.press("ArrowUp")
        keyboard.press("Space")
        tab_to(visit, "button[type=submit]")
        submit(visit)
    page.wait_for_selector("#id_name")
    for selector, value in (("#id_name", "Rosa Resident"), ("#id_email", "rosa@example.org")):
        tab_to(visit, selector)
        keyboard.type(value)
    tab_to(visit, "button[type=submit]")
    submit(visit)
    page.wait_for_selector("input[name=preferred_contact]")
    tab_to(visit, "input[name=preferred_contact]")
    keyboard.press("Space")  # the first choice: email
    tab_to(visit, "button[type=submit]")
    submit(visit)
    for selector, value in (("#id_description", "The boiler is broken."),):
        page.wait_for_selector(selector)
        tab_to(visit, selector)
        keyboard.type(value)
        tab_to(visit, "button[type=submit]")
        submit(visit)
    page.wait_for_selector("#id_issue_date_0")
    for part, value in (("0", "2"), ("1", "1"), ("2", str(clock.today().year))):
        tab_to(visit, f"#id_issue_date_{part}")
        keyboard.type(value)
    tab_to(visit, "button[type=submit]")
    submit(visit)
    page.wait_for_selector("#id_outcome_sought")
    tab_to(visit, "#id_outcome_sought")
    keyboard.type("Fix it")
    for page_name in ("outcome", "service", "documents", "help"):
        # On the documents page the first button uploads; going on without a file is the second.
        tab_to(visit, "button[value=continue]" if page_name == "documents" else "button[type=submit]")
        submit(visit)
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your complaint")
    tab_to(visit, "#submit")
    submit(visit)
    expect(page.locator(".govuk-panel")).to_contain_text("Complaint sent")
    assert Complaint.objects.get().description == "The boiler is broken."
