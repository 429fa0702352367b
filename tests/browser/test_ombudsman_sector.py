"""The complaints officer opens the sector page from the measures: the landlord's Ombudsman findings
beside councils of its size, in GOV.UK tables that pass axe (WCAG 2.2 AA)."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from putright.landlords.models import HomesCount, Landlord, LandlordType
from tests.browser.conftest import Visit
from tests.cast import make_cast
from tests.test_ombudsman_sector import csv_of, line, load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_officer_sees_the_landlords_findings_beside_the_sector(visit: Visit) -> None:
    cast = make_cast()
    Landlord.objects.filter(pk=cast.landlord.pk).update(
        ombudsman_name="Ashford", landlord_type=LandlordType.LOCAL_AUTHORITY
    )
    HomesCount.objects.create(landlord=cast.landlord, year_starting=2024, low_cost_rental=5_000)
    load(
        csv_of(
            line(1, "Ashford", "Maladministration", category="Damp & Mould"),
            line(1, "Ashford", "No Maladministration", category="Complaint Handling"),
            *(line(10 + n, f"Council {n}", "Service Failure", stock="6000") for n in range(6)),
            *(line(20 + n, f"Council {n}", "Reasonable Redress", stock="6000") for n in range(6)),
        )
    )
    visit.sign_in("olu.officer")
    visit.go("/staff/insight/")
    visit.page.get_by_role("link", name="Ombudsman findings beside the sector").click()
    expect(visit.page.get_by_role("heading", level=1)).to_have_text("Ombudsman findings beside the sector")
    expect(visit.page.get_by_text("so in the band of 1,000 to 9,999 homes")).to_be_visible()
    expect(visit.page.get_by_role("table", name="Maladministration rate")).to_contain_text(
        "1 of 2 findings on the merits"
    )
    expect(
        visit.page.get_by_role("table", name="Findings of a failing, by what the complaint was about")
    ).to_be_visible()
    visit.check("insight-sector")
