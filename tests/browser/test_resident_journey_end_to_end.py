"""A resident's whole journey, in a real browser (issue 18, "done when").

Rosa makes a complaint on the portal with an iPhone photo, follows it with her reference, email
and the emailed code, reads the stage 1 decision and remedy on her complaint's page and accepts
the remedy; staff close the complaint; she tells the landlord how it was handled, and reads the
annual report the complaints officer published. Staff work through their domain actions (their pages
have browser tests of their own); everything the resident does is in the browser. At every state of the complaint
page only the dates that are still true show, the page fits 320 CSS pixels, and axe-core finds
nothing to fix.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import time_machine
from playwright.sync_api import expect

from putright import clock
from putright.complaints import actions
from putright.complaints.models import Complaint, Remedy, Stage, Status
from putright.documents.models import Attachment
from putright.insight import actions as insight_actions
from putright.insight.periods import reporting_year_of, year_label
from putright.publications import actions as publications
from putright.surveys.models import SurveyResponse
from tests.browser.conftest import AXE, SCREENSHOTS, WCAG_22_AA, Visit
from tests.cast import Cast, acknowledge, make_cast
from tests.portal_support import emailed_code
from tests.test_resident_files import heic

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Every dated line the complaint page can show for stage 1; each state says which of them are true.
STAGE1_DATES = (
    "Received",
    "We will acknowledge it by",
    "Acknowledged",
    "Our response is due by",
    "Response sent",
    "Ask for stage 2 by",
    "Time to ask for stage 2 ended",
    "You asked for stage 2",
)


class Resident(Visit):
    """A tab that keeps the pages' Content-Security-Policy on, and fails on anything it blocks.

    axe-core is run by the browser's developer protocol rather than added as an inline script, which
    the portal's policy forbids; the resident's pages must work under that policy as they are served.
    """

    def __init__(self, page: Any, base_url: str) -> None:
        super().__init__(page, base_url)
        self.blocked: list[str] = []
        page.on("console", self._console)

    def _console(self, message: Any) -> None:
        if message.type == "error" and "Content Security Policy" in message.text:
            self.blocked.append(f"{self.page.url}: {message.text}")

    def check(self, name: str) -> None:
        SCREENSHOTS.mkdir(parents=True, exist_ok=True)
        self.page.screenshot(path=str(SCREENSHOTS / f"{name}.png"), full_page=True)
        if not self.page.evaluate("typeof window.axe !== 'undefined'"):
            self.page.evaluate(AXE.read_text())
        result = self.page.evaluate(
            "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", WCAG_22_AA
        )
        violations = [
            {"rule": v["id"], "impact": v["impact"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
            for v in result["violations"]
        ]
        assert not violations, f"axe found violations on {name} ({self.page.url}):\n{json.dumps(violations, indent=1)}"
        assert not self.blocked, f"the browser blocked parts of {name}:\n" + "\n".join(self.blocked)
        self.checked.append(name)


@pytest.fixture
def resident(browser: Any, live_server: Any) -> Iterator[Resident]:
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-GB")
    page = context.new_page()
    page.set_default_timeout(10_000)
    try:
        yield Resident(page, live_server.url)
    finally:
        context.close()


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def code_from_email() -> str:
    """The code the worker emails (tests.portal_support does the worker's part)."""
    return emailed_code()


def make_the_complaint(visit: Visit) -> None:
    """Every page of the make-a-complaint journey, with a HEIC photo on the documents page."""
    page = visit.page
    visit.go("/ashford/")
    page.get_by_role("button", name="Start now").click()
    page.get_by_role("radio", name=re.compile("Make a complaint")).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("radio", name=re.compile("^Me")).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your full name").fill("Rosa Resident")
    page.get_by_label("Email address").fill("rosa@example.org")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Email", exact=True).check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What happened?").fill("Water comes through the bathroom ceiling whenever it rains.")
    page.get_by_role("button", name="Continue").click()
    last_month = clock.today().replace(day=1) - timedelta(days=1)
    page.get_by_label("Day").fill(str(last_month.day))
    page.get_by_label("Month").fill(f"{last_month:%B}")  # a month's name is understood as well as its number
    page.get_by_label("Year").fill(str(last_month.year))
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("What would you like us to do").fill("Mend the roof and pay for the damaged carpet.")
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Repairs and maintenance").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Photos and documents")
    page.get_by_label("Upload a file").set_input_files(
        files=[{"name": "IMG_0042.HEIC", "mimeType": "image/heic", "buffer": heic()}]
    )
    page.get_by_role("button", name="Upload", exact=True).click()
    expect(page.locator("#documents-added")).to_contain_text("IMG_0042.jpg")
    page.get_by_role("button", name="Continue").click()
    page.get_by_role("button", name="Continue").click()  # no help needed
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers before sending your complaint")
    page.get_by_role("button", name="Send complaint").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Complaint sent")


def follow(visit: Visit, reference: str) -> None:
    page = visit.page
    visit.go("/ashford/follow/")
    page.get_by_label("Complaint reference").fill(reference)
    page.get_by_label("Email address").fill("rosa@example.org")
    page.get_by_role("button", name="Send me a code").click()
    page.get_by_label("Code").fill(code_from_email())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(reference)


def fits_320(visit: Visit, name: str) -> None:
    """The page as it is now, on a 320px phone: nothing wider than the screen (WCAG 1.4.10), and axe again."""
    page = visit.page
    page.set_viewport_size({"width": 320, "height": 800})
    try:
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= 320, f"{page.url} is {width}px wide at 320px"
        visit.check(f"{name}-320")
    finally:
        page.set_viewport_size({"width": 1280, "height": 900})


def stage1_dates(visit: Visit) -> dict[str, str]:
    rows = visit.page.locator("#stage-1-dates .govuk-summary-list__row")
    found = {}
    for index in range(rows.count()):
        key = rows.nth(index).locator("dt").inner_text().strip()
        if key in STAGE1_DATES:
            found[key] = rows.nth(index).locator("dd").inner_text().strip()
    return found


def complaint_page_state(visit: Visit, name: str, dates: dict[str, str], *, absent: tuple[str, ...] = ()) -> None:
    """The complaint page shows exactly these stage 1 dates, none of the words in `absent`, and passes axe."""
    page = visit.page
    visit.go("/ashford/your-complaint/")
    assert stage1_dates(visit) == dates, (name, stage1_dates(visit))
    main = page.locator("main")
    for words in absent:
        expect(main).not_to_contain_text(words)
    visit.check(name)
    fits_320(visit, name)


def publish_the_annual_report(cast: Cast) -> str:
    """The complaints officer publishes last year's annual report, by the action insight's Publish button calls."""
    year = reporting_year_of(clock.today()) - 1
    insight_actions.save_annual_report(
        cast.landlord, cast.officer, year_starting=year, introduction="How we handled complaints last year."
    )
    edition = publications.publish_annual_report(cast.landlord, cast.officer, year_starting=year)
    assert edition.number == 1
    return year_label(year)


def test_a_resident_complains_with_a_photo_agrees_a_remedy_answers_the_survey_and_reads_the_report(
    resident: Resident, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    visit = resident
    cast = make_cast("ashford-2024.toml")
    today = clock.today()
    page = visit.page

    # She complains on the portal with the photo her iPhone took; staff will see it as a JPEG.
    make_the_complaint(visit)
    complaint = Complaint.objects.get()
    photo = Attachment.objects.get(complaint=complaint)
    assert (photo.name, photo.content_type, photo.uploaded_by) == ("IMG_0042.jpg", "image/jpeg", None)
    stage = Stage.objects.get(complaint=complaint, number=1)
    expect(page.locator("main")).to_contain_text(f"We will acknowledge your complaint by {_day(stage.acknowledge_due)}")

    # She follows it with her reference, her email address and the code sent to her.
    page.get_by_role("link", name="follow your complaint").click()
    page.get_by_label("Complaint reference").fill(complaint.reference)
    page.get_by_label("Email address").fill("rosa@example.org")
    page.get_by_role("button", name="Send me a code").click()
    page.get_by_label("Code").fill(code_from_email())
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(complaint.reference)
    with page.expect_download() as downloading:
        page.locator("#sent-documents").get_by_role("link", name="IMG_0042.jpg").click()
    assert downloading.value.suggested_filename == "IMG_0042.jpg"
    assert Path(downloading.value.path()).read_bytes()[:3] == b"\xff\xd8\xff"  # the JPEG staff see too
    complaint_page_state(
        visit,
        "journey-01-received",
        {
            "Received": _day(today),
            "We will acknowledge it by": _day(stage.acknowledge_due),
            "Our response is due by": _day(stage.response_due),
        },
        absent=("Ask for stage 2",),
    )

    # Staff acknowledge it: the acknowledgement date is now a fact, and the response date the promise.
    acknowledge(
        cast,
        complaint,
        today,
        understanding="Rain comes through the bathroom ceiling and the roof repair has not been done.",
        outcomes_sought="A mended roof and the cost of the damaged carpet.",
        points=["The roof repair has taken too long", "The roofer did not come to the appointment"],
        responsible_for="Repairs to the roof and the appointment booking.",
        not_responsible_for="Your contents insurance.",
    )
    stage.refresh_from_db()
    complaint_page_state(
        visit,
        "journey-02-acknowledged",
        {"Received": _day(today), "Acknowledged": _day(today), "Our response is due by": _day(stage.response_due)},
        absent=("We will acknowledge", "Ask for stage 2"),
    )

    # Staff respond: a decision on each point, a payment with a date, and an action still to do.
    actions.respond(
        Complaint.objects.get(pk=complaint.pk),
        cast.handler,
        on=today,
        decisions=[
            actions.PointDecisionInput(1, "upheld", "The roof repair took 21 days against a 7-day target."),
            actions.PointDecisionInput(2, "not-upheld", "The appointment was rearranged at your request."),
        ],
        remedies=[
            actions.RemedyInput(
                "financial",
                "For the damaged carpet and your time.",
                amount_quantifiable_loss=Decimal("180"),
                amount_time_and_trouble=Decimal("75"),
                due_on=today + timedelta(days=28),
            )
        ],
        actions=[actions.ActionInput("Replace the flashing on the roof", today + timedelta(days=14), cast.handler)],
    )
    stage.refresh_from_db()
    assert stage.escalate_by is not None  # Ashford's policy: within 6 months of the stage 1 response
    remedy = Remedy.objects.get(stage=stage)
    responded = {"Received": _day(today), "Acknowledged": _day(today), "Response sent": _day(today)}
    complaint_page_state(
        visit,
        "journey-03-responded",
        {**responded, "Ask for stage 2 by": _day(stage.escalate_by)},
        absent=("We will acknowledge", "due by"),
    )
    main = page.locator("main")
    expect(main).to_contain_text("Overall, your complaint was partly upheld")
    expect(main).to_contain_text("The roof repair took 21 days against a 7-day target.")
    expect(page.locator(f"#remedy-{remedy.pk}")).to_contain_text("£255.00 in all")
    expect(page.locator(f"#remedy-{remedy.pk}")).to_contain_text(_day(today + timedelta(days=28)))
    expect(main).to_contain_text("Replace the flashing on the roof")
    expect(page.locator("#what-you-can-do").get_by_role("link")).to_have_text(
        ["Add information to your complaint", "Ask for stage 2: a review of our response", "Withdraw your complaint"]
    )

    # She accepts the remedy online.
    page.get_by_role("link", name="Accept the remedy: financial remedy").click()
    visit.check("journey-04-accept")
    page.get_by_role("button", name="Accept this remedy").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("You have accepted the remedy")
    visit.check("journey-05-accepted-banner")
    assert Remedy.objects.get(pk=remedy.pk).state == Remedy.State.AGREED
    complaint_page_state(
        visit,
        "journey-06-remedy-accepted",
        {**responded, "Ask for stage 2 by": _day(stage.escalate_by)},
        absent=("We will acknowledge", "due by", "Offered"),
    )
    expect(page.locator(f"#remedy-{remedy.pk}")).to_contain_text(f"You accepted it on {_day(today)}")

    # Staff close it; the survey is offered on her page, and stage 2 can still be asked for.
    actions.close(Complaint.objects.get(pk=complaint.pk), cast.handler, on=today)
    complaint_page_state(
        visit,
        "journey-07-closed",
        {**responded, "Ask for stage 2 by": _day(stage.escalate_by)},
        absent=("We will acknowledge", "due by", "Add information to your complaint", "Withdraw your complaint"),
    )
    expect(page.locator("#status")).to_have_text("Closed")
    expect(page.locator("#what-you-can-do").get_by_role("link")).to_have_text(
        ["Ask for stage 2: a review of our response"]
    )
    expect(page.locator("#survey-offer")).to_contain_text("How did we handle your complaint?")

    # She answers the survey from her complaint's page, on her phone.
    page.set_viewport_size({"width": 320, "height": 800})
    page.get_by_role("link", name="Tell us how we handled your complaint").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("How did we handle your complaint?")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    visit.check("journey-08-survey-320")
    page.get_by_label("Fairly satisfied").check()
    page.get_by_role("group", name=re.compile("did you know how to make a complaint")).get_by_label("Yes").check()
    page.get_by_role("group", name=re.compile("keep you informed")).get_by_label("Some of the time").check()
    page.get_by_label(re.compile("Is there anything else")).fill("<b>Quick</b> once the roofer came.")
    page.get_by_role("button", name="Send your answers").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Thank you for your answers")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    visit.check("journey-09-survey-thanks-320")
    page.set_viewport_size({"width": 1280, "height": 900})
    page.get_by_role("link", name="Back to your complaint").click()
    expect(page.locator("#survey-answered")).to_be_visible()
    answer = SurveyResponse.objects.get()
    assert answer.comment == "<b>Quick</b> once the roofer came." and answer.knew_how_to_complain is True
    complaint_page_state(
        visit,
        "journey-10-survey-answered",
        {**responded, "Ask for stage 2 by": _day(stage.escalate_by)},
        absent=("We will acknowledge", "due by", "Tell us how we handled your complaint"),
    )

    # The complaints officer publishes last year's annual report; she finds it from the portal's start page.
    label = publish_the_annual_report(cast)
    visit.go("/ashford/")
    page.get_by_role("link", name="What we publish about complaints").click()
    visit.check("journey-11-published")
    page.get_by_role("link", name=f"Complaints performance and service improvement report {label}").click()
    expect(page.get_by_text("How we handled complaints last year.")).to_be_visible()
    visit.check("journey-12-annual-report")
    fits_320(visit, "journey-12-annual-report")

    # More than six months after the response, the day to ask by has passed and is not offered as one;
    # a late request is still taken, for staff to decide, and the page says when she made it.
    later = stage.escalate_by + timedelta(days=3)
    with time_machine.travel(later, tick=True):
        follow(visit, complaint.reference)
        complaint_page_state(
            visit,
            "journey-13-closed-time-to-ask-ended",
            {**responded, "Time to ask for stage 2 ended": _day(stage.escalate_by)},
            absent=("Ask for stage 2 by", "Tell us how we handled your complaint"),
        )
        page.get_by_role("link", name="Ask for stage 2: a review of our response").click()
        expect(page.locator("#time-ended")).to_contain_text(f"ended on {_day(stage.escalate_by)}")
        visit.check("journey-14-escalate-late")
        page.get_by_role("button", name="Ask for stage 2").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("We have your request for stage 2")
        complaint_page_state(
            visit,
            "journey-15-asked-late",
            {**responded, "You asked for stage 2": _day(later)},
            absent=("Ask for stage 2 by", "Time to ask for stage 2 ended", "Ask for stage 2: a review"),
        )
        expect(page.locator("#stage2-requested")).to_contain_text(f"You asked for stage 2 on {_day(later)}")
    assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED
