"""Letters that read well, in the browser: the letterhead's "who to contact" setting, the title taken at intake
by staff and by residents, and a letter's web addresses whole on a phone's narrow screen; axe on every page."""

from __future__ import annotations

import re

import pytest

from putright import clock
from putright.correspondence.models import Letter, LetterStyle
from putright.people.models import Person
from tests.browser.conftest import Visit
from tests.cast import acknowledge, log, make_cast

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_complaints_officer_chooses_to_name_the_team_and_sees_what_letters_will_say(visit: Visit) -> None:
    cast = make_cast()
    visit.sign_in("olu.officer")
    visit.go("/staff/letters/letterhead/")
    page = visit.page
    assert "Olu Officer is handling your complaint" in page.locator("#contact-example").inner_text()
    visit.check("letterhead-who-to-contact")
    page.get_by_label("The complaints team, without naming any member of staff").check()
    page.get_by_label("The team's name in letters").fill("the Customer Resolution Team")
    page.get_by_role("button", name="Save").click()
    assert "Letterhead and signatory saved" in page.content()
    assert LetterStyle.objects.get(landlord=cast.landlord).contact == LetterStyle.Contact.TEAM
    visit.go("/staff/letters/letterhead/")
    assert "The Customer Resolution Team is handling your complaint" in page.locator("#contact-example").inner_text()
    page.get_by_label("Telephone number").fill("call us")
    page.get_by_role("button", name="Save").click()
    assert "Enter a telephone number" in page.locator(".govuk-error-summary").inner_text()
    assert page.get_by_label("The complaints team, without naming any member of staff").is_checked()
    visit.check("letterhead-who-to-contact-error")


def test_staff_and_residents_give_a_title_and_letters_use_it(visit: Visit) -> None:
    cast = make_cast()
    visit.sign_in("hana.handler")
    page = visit.page
    visit.go("/staff/complaints/new/")
    page.get_by_label("Title", exact=True).fill("Dr 7")
    page.get_by_label("Full name", exact=True).fill("Amina Khan")
    page.locator("#id_resident_phone").fill("07700 900123")
    page.locator('input[name="preferred_contact"][value="phone"]').check()
    page.locator('input[name="channel"][value="phone"]').check()
    page.get_by_label("The complaint, in the resident's own words").fill("The boiler is broken.")
    page.get_by_role("button", name="Continue").click()
    assert "The title can only include letters" in page.locator(".govuk-error-summary").inner_text()
    visit.check("log-complaint-title-error")
    page.get_by_label("Title", exact=True).fill("Dr")
    page.get_by_role("button", name="Continue").click()
    visit.check("log-complaint-check-title")
    # No email address and no postal address: staff confirm they know no letter can be sent (5.12).
    page.get_by_label(re.compile("^I understand no letters can be sent")).check()
    page.get_by_role("button", name="Log the complaint").click()
    person = Person.objects.get(name="Amina Khan")
    assert person.title == "Dr"

    visit.go("/ashford/complain/")
    visit.go("/ashford/complain/what-you-want/")
    page.get_by_label("Make a complaint").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Me: I live in the home").check()
    page.get_by_role("button", name="Continue").click()
    page.get_by_label("Your title").fill("Mx")
    visit.check("portal-your-details-title")
    assert cast.landlord.pk


def test_a_letters_web_addresses_stay_whole_on_a_narrow_screen(visit: Visit) -> None:
    cast = make_cast()
    LetterStyle.objects.create(landlord=cast.landlord, website="www.ashford-borough-council.example/complaints")
    complaint = acknowledge(cast, log(cast, clock.today()), clock.today())
    letter = Letter.objects.get(complaint=complaint)
    visit.page.set_viewport_size({"width": 320, "height": 800})
    visit.sign_in("olu.officer")
    visit.go(f"/staff/complaints/{complaint.reference}/letters/{letter.pk}/")
    pieces = visit.page.locator(".putright-web-address")
    assert pieces.count() >= 8
    # Each piece sits on one line, whatever the width: no address wraps inside a piece, so never at a hyphen.
    lines = pieces.evaluate_all("els => els.map(e => [e.textContent, e.getClientRects().length])")
    assert all(count == 1 for _, count in lines), lines
    assert ["www.housing-ombudsman.", 1] in lines
    visit.check("letter-narrow-web-addresses")
