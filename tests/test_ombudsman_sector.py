"""Beside the sector: importing the Ombudsman's published findings, the maladministration rate, the
size bands, and the page that shows a landlord's findings beside landlords of its type and size.

The annual report and self-assessment show the Ombudsman's findings about the landlord (8.1, 8.2);
this page puts them in the sector's context for the governing body (9.7) and whoever audits it.
"""

from __future__ import annotations

import io
import tempfile
from datetime import date
from pathlib import Path

import pytest
import time_machine
from django.contrib.auth.models import User
from django.core.management import CommandError, call_command
from django.test import SimpleTestCase, TestCase

from putright.complaints import actions as complaint_actions
from putright.demo import organisation
from putright.insight.sector import (
    SIZE_BANDS,
    FindingsFileError,
    ImportSummary,
    PublishedFinding,
    Tally,
    import_findings,
    read_findings,
    read_findings_file,
    size_band,
    spread_of,
)
from putright.landlords.models import HomesCount, Landlord, LandlordType
from putright.ombudsman import actions
from putright.ombudsman.models import Finding
from tests.cast import RESIDENT, Cast, make_cast
from tests.conftest import shared_data_file

TODAY = date(2025, 6, 16)
HEADER = (
    "id,case_id,landlord,landlord_seq,landlord_type,decision_date,decision_date_iso,amended_at_review,"
    "category,complaint,finding,extracted_from,stock_size,decision_id"
)


def line(
    decision: int,
    landlord: str,
    finding: str,
    *,
    category: str = "Repairs & Maintenance",
    kind: str = "Local Authority / ALMO or TMO",
    stock: str = "",
    on: str = "2025-03-14",
    complaint: str = "The landlord's handling of repairs",
    case: str = "",
    amended: str = "0",
) -> str:
    case = case or f"2024{decision:05d}"
    return (
        f'{decision},{case},"{landlord}",1,{kind},14 March 2025,{on},{amended},"{category}","{complaint}",'
        f'{finding},text,"{stock}",{decision}'
    )


def csv_of(*lines: str, header: str = HEADER) -> str:
    return "\n".join((header, *lines)) + "\n"


def parse(text: str) -> tuple[dict[tuple[int, str, int], tuple[object, ...]], ImportSummary]:
    summary = ImportSummary()
    return read_findings(io.StringIO(text), summary), summary


def load(text: str) -> ImportSummary:
    parsed, summary = parse(text)
    return import_findings(parsed, summary)


class ParsingTests(SimpleTestCase):
    def test_each_element_is_kept_by_its_decision_case_and_place_even_when_the_words_repeat(self) -> None:
        parsed, summary = parse(
            csv_of(
                line(7, "Ashford", "Maladministration", complaint="This amounts to maladministration"),
                line(7, "Ashford", "Maladministration", complaint="This amounts to maladministration"),
                line(8, "Medway", "Service Failure"),
            )
        )
        assert sorted(parsed) == [(7, "202400007", 1), (7, "202400007", 2), (8, "202400008", 1)]
        assert (summary.read, sum(summary.skipped.values())) == (3, 0)

    def test_values_are_read_as_published_with_findings_in_any_case(self) -> None:
        parsed, _ = parse(
            csv_of(
                line(1, "Ashford", "severe  MALADMINISTRATION", stock="12,000", amended="1"),
                line(2, "Ashford", "Reasonable Redress", on=""),
            )
        )
        first = dict(
            zip(("name", "type", "stock", "on", "amended", "category"), parsed[1, "202400001", 1], strict=False)
        )
        assert first == {
            "name": "Ashford",
            "type": "Local Authority / ALMO or TMO",
            "stock": 12_000,
            "on": date(2025, 3, 14),
            "amended": True,
            "category": "Repairs & Maintenance",
        }
        assert parsed[1, "202400001", 1][7] == Finding.SEVERE_MALADMINISTRATION
        # A decision with no date is still a finding: it counts, undated.
        assert parsed[2, "202400002", 1][3] is None

    def test_rows_that_cannot_be_kept_are_skipped_and_counted_with_why(self) -> None:
        parsed, summary = parse(
            csv_of(
                line(1, "", "Maladministration"),
                line(2, "Ashford", "Upheld"),
                line(3, "Ashford", "Maladministration", on="14/03/2025"),
                line(4, "Ashford", "Maladministration", stock="about 5000"),
                line(5, "Ashford", "Maladministration", amended="perhaps"),
                line(6, "Ashford", "Maladministration", case=" "),
                line(7, "Ashford", "Maladministration"),
            )
        )
        assert list(parsed) == [(7, "202400007", 1)]
        assert summary.skipped == {
            "with no landlord named": 1,
            "with a finding that is not one of the Ombudsman's": 1,
            "with a decision date that is not a date": 1,
            "with a stock size not a whole number": 1,
            "with amended_at_review neither 0 nor 1": 1,
            "with no decision_id or case_id": 1,
        }
        assert summary.line() == (
            "Read 7 rows: 0 added, 0 updated, 0 unchanged, 6 skipped (1 with a decision date that is not a date, "
            "1 with a finding that is not one of the Ombudsman's, 1 with a stock size not a whole number, "
            "1 with amended_at_review neither 0 nor 1, 1 with no decision_id or case_id, 1 with no landlord named)."
        )

    def test_a_bad_row_keeps_its_place_so_the_elements_after_it_keep_their_keys(self) -> None:
        parsed, _ = parse(csv_of(line(9, "Ashford", "Upheld"), line(9, "Ashford", "Service Failure")))
        assert list(parsed) == [(9, "202400009", 2)]

    def test_a_file_in_another_layout_is_refused_naming_the_missing_columns(self) -> None:
        with pytest.raises(FindingsFileError) as refused:
            parse(csv_of("1,Ashford,Upheld", header="decision_id,landlord,outcome"))
        assert str(refused.value) == (
            "The file is not in the layout of the Ombudsman's published findings: it has no columns named "
            "case_id, landlord_type, decision_date_iso, amended_at_review, category, complaint, finding, "
            "extracted_from, stock_size"
        )
        with pytest.raises(FindingsFileError, match="it has no column named finding$"):
            parse(csv_of(header=HEADER.replace(",finding,", ",outcome,")))
        with pytest.raises(FindingsFileError, match="The file is empty"):
            parse("")

    def test_column_names_are_read_whatever_their_case_and_spacing(self) -> None:
        parsed, _ = parse(csv_of(line(1, "Ashford", "Maladministration"), header=HEADER.upper().replace(",", " , ")))
        assert list(parsed) == [(1, "202400001", 1)]

    def test_a_file_that_is_missing_or_not_text_is_refused(self) -> None:
        with pytest.raises(FindingsFileError, match="There is no file at"):
            read_findings_file(Path("/nowhere/findings.csv"), ImportSummary())
        with tempfile.TemporaryDirectory() as folder:
            latin = Path(folder) / "findings.csv"
            latin.write_bytes(HEADER.encode() + b"\n1,202400001,Caf\xe9 Homes\n")
            with pytest.raises(FindingsFileError, match="is not a CSV file in UTF-8 text"):
                read_findings_file(latin, ImportSummary())
            with pytest.raises(FindingsFileError, match="is a folder"):
                read_findings_file(Path(folder), ImportSummary())


class RatesAndBandsTests(SimpleTestCase):
    def test_the_maladministration_rate_counts_failings_among_findings_on_the_merits(self) -> None:
        tally = Tally(
            {
                Finding.SEVERE_MALADMINISTRATION: 1,
                Finding.MALADMINISTRATION: 2,
                Finding.SERVICE_FAILURE: 1,
                Finding.NO_MALADMINISTRATION: 3,
                Finding.REASONABLE_REDRESS: 1,
                Finding.OUTSIDE_JURISDICTION: 5,  # no finding about the landlord: not in the rate
            }
        )
        assert (tally.total, tally.on_merits, tally.adverse, tally.rate) == (13, 8, 4, 0.5)
        assert Tally({Finding.OUTSIDE_JURISDICTION: 2}).rate is None

    def test_the_bands_cover_every_size_with_no_gap_or_overlap(self) -> None:
        assert size_band(0).label == "fewer than 1,000 homes"
        assert size_band(999).label == "fewer than 1,000 homes"
        assert size_band(1_000).label == "1,000 to 9,999 homes"
        assert size_band(24_999).label == "10,000 to 24,999 homes"
        assert size_band(50_000).label == size_band(125_000).label == "50,000 homes or more"
        for lower, upper in zip(SIZE_BANDS, SIZE_BANDS[1:], strict=False):
            assert lower.highest is not None and upper.lowest == lower.highest + 1

    def test_quartiles_are_the_inclusive_ones_a_spreadsheet_gives(self) -> None:
        spread = spread_of([0.2, 0.4, 0.6, 0.8, 1.0])
        assert spread is not None
        assert (spread.lower_quartile, spread.median, spread.upper_quartile) == pytest.approx((0.4, 0.6, 0.8))
        assert spread.place_of(0.9).startswith("above the upper quartile")
        assert spread.place_of(0.5) == "between the quartiles, below the median"
        assert spread_of([0.5]) is None


class ImportTests(TestCase):
    FILE = csv_of(
        line(1, "Ashford", "Maladministration"),
        line(1, "Ashford", "No Maladministration", category="Complaint Handling"),
        line(2, "Medway", "Service Failure"),
    )

    def test_importing_the_same_file_twice_changes_nothing(self) -> None:
        first = load(self.FILE)
        assert (first.added, first.updated, first.unchanged) == (3, 0, 0)
        stored = list(PublishedFinding.objects.values())
        again = load(self.FILE)
        assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
        assert list(PublishedFinding.objects.values()) == stored

    def test_a_newer_file_updates_what_changed_adds_what_is_new_and_keeps_the_rest(self) -> None:
        load(self.FILE)
        newer = load(
            csv_of(
                line(1, "Ashford", "Maladministration"),
                line(1, "Ashford", "Reasonable Redress", category="Complaint Handling", amended="1"),
                line(3, "Dartford", "Severe Maladministration"),
            )
        )
        assert (newer.added, newer.updated, newer.unchanged) == (1, 1, 1)
        changed = PublishedFinding.objects.get(decision_id=1, element=2)
        assert (changed.finding, changed.amended_at_review) == (Finding.REASONABLE_REDRESS, True)
        assert PublishedFinding.objects.count() == 4  # Medway's decision 2 is kept

    def test_the_command_prints_one_line_and_refuses_a_file_in_the_wrong_layout(self) -> None:
        folder = Path(self.enterContext(tempfile.TemporaryDirectory()))
        good, bad = folder / "findings.csv", folder / "other.csv"
        good.write_text(self.FILE, encoding="utf-8")
        bad.write_text("decision_id,landlord\n1,Ashford\n", encoding="utf-8")
        out = io.StringIO()
        call_command("import_ombudsman_findings", str(good), stdout=out)
        assert out.getvalue() == "Read 3 rows: 3 added, 0 updated, 0 unchanged, 0 skipped.\n"
        with pytest.raises(CommandError, match="it has no columns named case_id, landlord_type") as refused:
            call_command("import_ombudsman_findings", str(bad))
        assert refused.value.returncode == 2
        assert "Nothing was imported." in str(refused.value)
        assert PublishedFinding.objects.count() == 3

    def test_the_ombudsmans_whole_published_file_imports_once_and_again_unchanged(self) -> None:
        path = shared_data_file("housing_ombudsman_complaint_findings.csv")
        summary = ImportSummary()
        first = import_findings(read_findings_file(path, summary), summary)
        assert first.added > 30_000 and first.updated == 0
        assert first.added + sum(first.skipped.values()) == first.read
        assert PublishedFinding.objects.filter(landlord_name="Ashford").exists()
        summary = ImportSummary()
        again = import_findings(read_findings_file(path, summary), summary)
        assert (again.added, again.updated, again.unchanged) == (0, 0, first.added)


def determination(landlord: Landlord, actor: object, reference: str, finding: str) -> None:
    """A complaint taken to the Ombudsman and determined, through the real actions."""
    complaint = complaint_actions.log_complaint(
        landlord,
        actor,  # type: ignore[arg-type]
        resident=RESIDENT,
        channel="phone",
        received_on=date(2025, 1, 6),
        description="The roof leaked for months.",
        outcome_sought="Fix the roof.",
        service_area="repairs",
        issue_date=date(2025, 1, 6),
    )
    case = actions.open_case(complaint, actor, reference=reference, enquiry_received_on=date(2025, 3, 3))  # type: ignore[arg-type]
    case = actions.move_case(case, actor, to="investigation", on=date(2025, 3, 10))  # type: ignore[arg-type]
    actions.record_determination(
        case,
        actor,  # type: ignore[arg-type]
        element="The landlord's handling of the roof leak",
        finding=finding,
        determined_on=date(2025, 5, 1),
    )


@time_machine.travel(TODAY, tick=False)
class SectorPageTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        Landlord.objects.filter(pk=cls.cast.landlord.pk).update(
            ombudsman_name="Ashford", landlord_type=LandlordType.LOCAL_AUTHORITY
        )
        HomesCount.objects.create(
            landlord=cls.cast.landlord, year_starting=2024, low_cost_rental=5_000, low_cost_home_ownership=100
        )
        peers = [
            # Five councils of 1,000 to 9,999 homes: rates 0%, 25%, 50%, 75% and 100%.
            line(10 + n, f"Council {n}", finding, stock="8000", category=category)
            for n, adverse in enumerate(range(5))
            for finding, category in (
                [("Maladministration", "Damp & Mould")] * adverse
                + [("No Maladministration", "Damp & Mould")] * (4 - adverse)
                + [("Outside Jurisdiction", "Other")]
            )
        ]
        load(
            csv_of(
                line(1, "Ashford", "Severe Maladministration", category="Damp & Mould"),
                line(1, "Ashford", "Service Failure", category="Complaint Handling"),
                line(2, "Ashford", "Reasonable Redress", category="Damp & Mould"),
                line(2, "Ashford", "Outside Jurisdiction", category="Other"),
                *peers,
                # Not compared: a housing association, and a council far bigger.
                line(40, "Big Housing Association", "Maladministration", kind="Housing Association", stock="8000"),
                line(41, "Big City Council", "Severe Maladministration", stock="60000"),
            )
        )
        determination(cls.cast.landlord, cls.cast.officer, "202400001", Finding.NO_MALADMINISTRATION)
        determination(cls.cast.other_landlord, cls.cast.stranger, "202400002", Finding.SEVERE_MALADMINISTRATION)

    def page(self) -> str:
        self.client.force_login(self.cast.auditor)
        response = self.client.get("/staff/insight/sector/")
        assert response.status_code == 200
        return response.content.decode()

    def test_only_the_complaints_officer_managers_and_the_auditor_see_it(self) -> None:
        assert self.client.get("/staff/insight/sector/").status_code == 302
        for person in (self.cast.handler, self.cast.reviewer):
            self.client.force_login(person)
            assert self.client.get("/staff/insight/sector/").status_code == 403
        for person in (self.cast.officer, self.cast.manager, self.cast.auditor):
            self.client.force_login(person)
            assert self.client.get("/staff/insight/sector/").status_code == 200

    def test_the_dashboard_links_to_it(self) -> None:
        self.client.force_login(self.cast.officer)
        assert 'href="/staff/insight/sector/"' in self.client.get("/staff/insight/").content.decode()

    def test_it_says_which_band_and_whom_the_landlord_is_compared_with(self) -> None:
        page = self.page()
        assert "5,100 in 2024/25, so in the band of 1,000 to 9,999 homes" in page
        assert "5 local authorities, ALMOs and TMOs with 1,000 to 9,999 homes" in page
        assert "Fewer than 5 landlords" not in page

    def test_the_counts_and_rates_are_the_landlords_beside_the_band(self) -> None:
        page = self.page()
        # Published: 2 failings of 3 on the merits (outside jurisdiction left out); in Putright, 0 of 1.
        assert "67%" in page and "2 of 3 findings on the merits" in page
        assert "0 of 1 findings on the merits" in page
        # The band's five councils: 10 of 20 on the merits; quartiles of 0, 25, 50, 75 and 100%.
        assert "10 of 20 findings on the merits" in page
        assert '<td class="govuk-table__cell govuk-table__cell--numeric">25%</td>' in page
        assert "Your published rate is between the quartiles, above the median." in page
        # By category: Damp & Mould, 1 of 2 for Ashford beside the band's 50%.
        assert "Damp &amp; Mould" in page and "1 of 2" in page

    def test_another_landlords_determinations_are_not_shown(self) -> None:
        comparison_row = self.page().split("Severe maladministration</th>")[1].split("</tr>")[0]
        # Ashford: 1 published, 0 recorded in Putright (Medway's severe finding is Medway's), 0 in the band.
        assert comparison_row.count(">1</td>") == 1 and comparison_row.count(">0</td>") == 2

    def test_a_band_with_too_few_landlords_gives_way_to_all_of_the_type(self) -> None:
        HomesCount.objects.filter(landlord=self.cast.landlord).update(low_cost_rental=60_000)
        page = self.page()
        assert "so in the band of 50,000 homes or more" in page
        assert "Fewer than 5 landlords of your type with 50,000 homes or more have a published stock size" in page
        # The five councils and Big City Council; never the housing association.
        assert "All 6 local authorities, ALMOs and TMOs in the published findings, of any size" in page

    def test_a_landlord_not_yet_placed_is_told_what_to_set(self) -> None:
        Landlord.objects.filter(pk=self.cast.landlord.pk).update(ombudsman_name="", landlord_type="")
        page = self.page()
        assert "Not set: ask your Putright administrator to set how the Ombudsman names your landlord" in page
        assert "Nobody until the type of landlord is set" in page

    def test_the_page_takes_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(self.cast.auditor)
        self.client.get("/staff/insight/sector/")
        # session, user, staff and landlord; then the data's range, the homes count, the determinations,
        # the landlord's published findings, whether the band holds enough, and the landlords compared.
        with self.assertNumQueries(9):
            self.client.get("/staff/insight/sector/")


class PlacingTheLandlordTests(TestCase):
    def test_an_administrator_sets_the_ombudsman_name_and_type_in_the_admin(self) -> None:
        landlord = Landlord.objects.create(slug="ashford", name="Ashford Borough Council", reference_prefix="ASH")
        admin = User.objects.create_superuser("admin", "admin@example.org", "a-long-test-password")
        self.client.force_login(admin)
        page = self.client.get(f"/admin/landlords/landlord/{landlord.pk}/change/").content.decode()
        assert 'name="ombudsman_name"' in page and 'name="landlord_type"' in page
        listing = self.client.get("/admin/landlords/landlord/", {"landlord_type__exact": "Housing Association"})
        assert listing.status_code == 200

    def test_the_demo_landlords_are_named_as_the_published_findings_name_them(self) -> None:
        path = shared_data_file("housing_ombudsman_complaint_findings.csv")
        summary = ImportSummary()
        published = {values[0] for values in read_findings_file(path, summary).values()}
        for slug, name in organisation.OMBUDSMAN_NAMES.items():
            landlord = Landlord.objects.create(slug=slug, name=slug.title(), reference_prefix=slug[:3].upper())
            organisation.ensure_ombudsman_place(landlord)
            landlord.refresh_from_db()
            assert (landlord.ombudsman_name, landlord.landlord_type) == (name, LandlordType.LOCAL_AUTHORITY)
            assert name in published
