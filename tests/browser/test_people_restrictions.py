"""A resident's adjustment and a contact restriction in a real browser (Code 5.10, 5.14, 5.15): a
handler records the adjustment agreed with the resident and proposes a restriction with it beside the
form; a complaints officer approves it and checks its letter before pressing Send; the complaint's page
and the worklist show both. Every page passes axe."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.complaints import actions
from putright.correspondence.models import Letter
from putright.people.models import ContactRestriction, ReasonableAdjustment
from putright.rules.letters import LetterType
from tests.browser.conftest import Visit
from tests.cast import acknowledge, log, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_handler_proposes_a_restriction_an_officer_approves_it_and_its_letter_goes(visit: Visit) -> None:
    cast = make_cast()
    today = clock.today()
    complaint = actions.assign_handler(log(cast, today), cast.officer, handler=cast.handler, conflict_of_interest=False)
    complaint = acknowledge(cast, complaint, today)
    review = today + timedelta(days=60)
    page = visit.page
    address = f"/staff/complaints/{complaint.reference}/"

    # Hana, the handler, first records the adjustment agreed with the resident (5.10).
    visit.sign_in("hana.handler")
    visit.go(address)
    page.locator("#needs").get_by_role("link", name="Record an adjustment").click()
    page.get_by_role("group", name="What has been agreed?").get_by_label("A phone call at a set time").check()
    page.get_by_label("Details").fill("Calls after 2pm only")
    page.get_by_role("button", name="Save").click()
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("Adjustment recorded")
    assert ReasonableAdjustment.objects.get(person=complaint.person).detail == "Calls after 2pm only"

    # Then she proposes a restriction from the complaint (5.14), with the resident's needs beside her (5.15).
    page.get_by_role("link", name="Propose a contact restriction").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Propose a contact restriction")
    expect(page.get_by_text("Calls after 2pm only")).to_be_visible()
    visit.check("restriction-propose")
    page.get_by_label("What has the resident done?").fill(
        "Called the repairs line 40 times on 2 June and swore at the call handler."
    )
    page.get_by_label("What is the evidence?").fill("The call log for 2 June.")
    page.get_by_label("Written contact only").check()
    page.get_by_label("One named person to contact").check()
    page.get_by_label("The one person the resident should contact").fill("Jo Smith, Tenancy Manager")
    page.get_by_label("How have you had regard to the Equality Act 2010").fill(
        "Her adjustment is phone calls after 2pm: written contact and one named person still let her reach us."
    )
    page.get_by_label("Day").fill(str(review.day))
    page.get_by_label("Month").fill(str(review.month))
    page.get_by_label("Year").fill(str(review.year))
    page.get_by_role("button", name="Propose the restriction").click()
    expect(page.get_by_text("Contact restriction proposed.")).to_be_visible()
    panel = page.locator("#restrictions")
    expect(panel.get_by_text("Restriction proposed")).to_be_visible()
    expect(panel.get_by_role("link", name=re.compile("^Decide on it"))).to_have_count(0)  # never the proposer's
    visit.check("restriction-proposed-complaint")
    visit.sign_out()

    # Olu, the complaints officer, decides (Ashford: "taken at a senior level") and checks the letter.
    visit.sign_in("olu.officer")
    visit.go(address)
    page.locator("#restrictions").get_by_role("link", name=re.compile("^Decide on it")).click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Decide on a contact restriction")
    visit.check("restriction-decide")
    page.get_by_label("Yes, approve it and write to the resident").check()
    page.get_by_role("button", name="Continue").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the letter before it is sent")
    expect(page.get_by_text("How you can contact us while it lasts")).to_be_visible()
    expect(page.get_by_text("still be logged, looked into and answered")).to_be_visible()
    visit.check("restriction-letter-confirm")
    assert ContactRestriction.objects.get().state == "proposed"  # nothing is done until Send
    page.get_by_role("button", name="Send").click()
    expect(page.get_by_text("Contact restriction approved: it is in force")).to_be_visible()
    assert ContactRestriction.objects.get().state == "in-force"
    assert Letter.objects.filter(complaint=complaint, letter_type=LetterType.CONTACT_RESTRICTION).count() == 1

    # The complaint's page and the worklist show it to anyone about to contact the resident.
    panel = page.locator("#restrictions")
    expect(panel.get_by_text("Contact restricted")).to_be_visible()
    expect(panel.get_by_text("One person to contact: Jo Smith, Tenancy Manager")).to_be_visible()
    visit.check("restriction-in-force-complaint")
    expect(page.locator("#needs")).to_contain_text("Calls after 2pm only")  # the adjustment beside it
    visit.go("/staff/team/")
    row = page.locator("main table tr", has_text=complaint.reference)
    expect(row.get_by_text("Contact restricted")).to_be_visible()
    expect(row).to_contain_text("Adjustments")
    visit.check("restriction-worklist")
