"""A self-assessment that lives all year, in a real browser (issue 17): the complaints officer starts the year's
assessment, then a second one after a change in procedures, finds the first kept as it was, and imports the
Ombudsman's form for its wording; axe checks each page."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest
from playwright.sync_api import expect

from putright import clock
from putright.insight import actions
from putright.insight.evidence import YearEvidence
from putright.insight.models import SelfAssessment
from putright.insight.periods import reporting_year_of, year_label
from putright.landlords.models import Landlord
from tests.browser.conftest import Visit
from tests.cast import make_cast
from tests.test_code_wording_import import ombudsman_form, wording

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def records(landlord: Landlord, year_starting: int) -> YearEvidence:
    return YearEvidence(year_starting, {"6.2": "Stage 1 acknowledged within 5 working days: 9 of 10."}, {"9.7": "yes"})


@pytest.fixture(autouse=True)
def records_say() -> Iterator[None]:
    with mock.patch("putright.insight.actions.evidence_for", records):
        yield


def test_an_officer_redoes_the_self_assessment_after_a_change_in_procedures(visit: Visit) -> None:
    cast = make_cast()
    year = reporting_year_of(clock.today())
    label = year_label(year)
    today = clock.today()
    started = f"started {today.day} {today:%B %Y}"
    page = visit.page
    visit.sign_in("olu.officer")

    visit.go("/staff/insight/self-assessment/")
    page.get_by_label("Reporting year").select_option(str(year))
    page.get_by_label("Another reason").check()
    page.get_by_role("button", name="Start the self-assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Describe why this self-assessment is being done")
    visit.check("self-assessment-start-error")
    page.get_by_label("The annual self-assessment").check()
    page.get_by_role("button", name="Start the self-assessment").click()
    expect(
        page.get_by_text(f"First self-assessment of {label}, {started} as the annual self-assessment.")
    ).to_be_visible()
    expect(page.get_by_text("The records support: Yes")).to_be_visible()
    visit.check("self-assessment-first")

    first = SelfAssessment.objects.get()
    for entry in first.entries.all():
        actions.update_entry(entry, cast.officer, comply="yes", evidence=f"Evidence for {entry.provision}")
    actions.submit_self_assessment(first, cast.officer)
    actions.approve_self_assessment(first, cast.manager)

    visit.go("/staff/insight/self-assessment/")
    page.get_by_label("Reporting year").select_option(str(year))
    page.get_by_label("After a change in complaint procedures (8.3)").check()
    page.get_by_role("button", name="Start the self-assessment").click()
    expect(
        page.get_by_text(f"Second self-assessment of {label}, {started} after a change in complaint procedures.")
    ).to_be_visible()
    visit.check("self-assessment-second")

    visit.go("/staff/insight/self-assessment/")
    expect(page.get_by_text("Finish it before starting another.")).to_be_visible()
    visit.check("self-assessment-index")
    expect(page.get_by_role("link", name=f"{label}, number 2")).to_be_visible()
    page.get_by_role("link", name=label, exact=True).click()
    expect(page.get_by_text("A later assessment replaces this one")).to_be_visible()
    expect(page.get_by_role("button", name="Send for approval")).to_have_count(0)
    visit.check("self-assessment-earlier")

    visit.go("/staff/insight/self-assessment/code-wording/")
    page.get_by_label("The Ombudsman's self-assessment form (XLSX)").set_input_files(
        files=[
            {
                "name": "ombudsman-form.xlsx",
                "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "buffer": ombudsman_form(),
            }
        ]
    )
    page.get_by_role("button", name="Import the wording").click()
    expect(page.get_by_text("The Ombudsman's wording is imported")).to_be_visible()
    expect(page.get_by_role("cell", name="70")).to_be_visible()
    visit.check("self-assessment-wording")
    visit.go(f"/staff/insight/self-assessment/{year}/")
    expect(page.get_by_text(wording("6.2"))).to_be_visible()
