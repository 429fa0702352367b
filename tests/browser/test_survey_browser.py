"""How was your complaint handled? In a real browser: the resident opens the emailed link, answers
(errors first, a comment with markup, Back and submit again), is shown how to complain, then sees
the offer on a followed complaint; an officer reads the figures beside TP09 and the comments.
axe checks every page state, and each works at 320 px."""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest
from playwright.sync_api import expect

from putright.correspondence.models import OutboxMessage
from putright.surveys.models import SurveyResponse
from tests.browser.conftest import Visit
from tests.cast import make_cast
from tests.portal_support import emailed_code
from tests.test_surveys import close

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMMENT = "<script>alert('x')</script> Nobody rang me back."


def survey_link(complaint_id: int, site: str) -> str:
    message = OutboxMessage.objects.get(complaint_id=complaint_id, once_key__startswith="survey-invitation:")
    found = re.search(rf"{re.escape(site)}(/\S+)", message.body)
    assert found, message.body
    return found.group(1)


def test_a_resident_answers_the_survey_and_an_officer_reads_it(visit: Visit, settings: Any) -> None:
    settings.SITE_URL = visit.base_url
    cast = make_cast()
    complaint = close(cast, received=date(2025, 6, 2))
    followed = close(cast, received=date(2025, 6, 3))
    page = visit.page

    visit.go(survey_link(complaint.pk, visit.base_url))
    expect(page).to_have_url(re.compile(r"/ashford/survey/$"))  # the token is not left in the address bar
    expect(page.get_by_role("heading", level=1)).to_have_text("How did we handle your complaint?")
    visit.check("survey-01-questions")

    page.get_by_role("button", name="Send your answers").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Select how satisfied you are with how we handled your complaint"
    )
    visit.check("survey-02-errors")

    page.get_by_label("Very dissatisfied").check()
    page.get_by_role("group", name=re.compile("did you know how to make a complaint")).get_by_label("No").check()
    page.get_by_role("group", name=re.compile("keep you informed")).get_by_label("No").check()
    page.get_by_label(re.compile("Is there anything else")).fill(COMMENT)
    expect(page.locator(".govuk-character-count__status")).to_contain_text("characters remaining")
    page.get_by_role("button", name="Send your answers").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Thank you for your answers")
    expect(page.locator("#how-to-complain")).to_be_visible()
    expect(page.get_by_role("link", name="Make a new complaint")).to_be_visible()
    visit.check("survey-03-thanks-how-to-complain")

    # Back and send again: nothing is recorded twice.
    page.go_back()
    page.get_by_role("button", name="Send your answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("You have already told us, thank you")
    visit.check("survey-04-already")
    assert SurveyResponse.objects.count() == 1 and SurveyResponse.objects.get().comment == COMMENT

    # The second complaint, followed on the portal: the offer is on its page.
    visit.go("/ashford/follow/")
    page.get_by_label("Complaint reference").fill(followed.reference)
    page.get_by_label("Email address").fill("rosa@example.org")
    page.get_by_role("button", name="Send me a code").click()
    page.get_by_label(re.compile("code", re.IGNORECASE)).first.fill(emailed_code())
    page.get_by_role("button", name=re.compile("Continue|Follow|Sign in")).click()
    expect(page.locator("#survey-offer")).to_contain_text("How did we handle your complaint?")
    page.set_viewport_size({"width": 320, "height": 800})
    visit.check("survey-05-offer-on-complaint-320px")
    page.get_by_role("link", name="Tell us how we handled your complaint").click()
    page.get_by_label("Fairly satisfied").check()
    page.get_by_role("group", name=re.compile("did you know how to make a complaint")).get_by_label("Yes").check()
    page.get_by_role("group", name=re.compile("keep you informed")).get_by_label("Some of the time").check()
    visit.check("survey-06-questions-320px")
    page.get_by_role("button", name="Send your answers").click()
    expect(page.locator(".govuk-panel")).to_contain_text("Thank you for your answers")
    expect(page.locator("#how-to-complain")).to_have_count(0)
    page.get_by_role("link", name="Back to your complaint").click()
    expect(page.locator("#survey-answered")).to_be_visible()
    page.set_viewport_size({"width": 1280, "height": 900})

    # The complaints officer reads the figures beside TP09, and the comment as text.
    visit.sign_in("olu.officer")
    visit.go("/staff/insight/tp09/")
    expect(page.locator("#after-closure-figures")).to_contain_text("50.0% (1 of 2)")
    visit.check("survey-07-tp09-figures")
    page.get_by_role("link", name=re.compile(r"Read 1 comment")).click()
    expect(page.locator("#survey-comments")).to_contain_text(COMMENT)
    expect(page.locator("#survey-comments")).to_contain_text(complaint.reference)
    visit.check("survey-08-comments")
