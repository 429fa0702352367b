"""/staff/insight/: who may see it, the dashboard's charts and tables, TP09 uploads and complaint exports."""

from __future__ import annotations

import csv
import io
from datetime import date

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook  # type: ignore[import-untyped]

from putright.complaints.models import Complaint, ComplaintArea, ServiceArea
from putright.insight import measures
from putright.insight.models import PerceptionSurvey
from putright.insight.periods import Period
from putright.insight.survey import read_survey
from tests.cast import acknowledge, log, respond
from tests.insight_cases import BUILT_ON, KnownYear, build_known_year

SURVEY = (
    "respondent,tenure,complained_in_last_12_months,satisfaction_with_complaint_handling\n"
    "R1,LCRA,yes,Very satisfied\nR2,LCRA,yes,Fairly satisfied\nR3,LCRA,yes,Neither satisfied nor dissatisfied\n"
    "R4,LCRA,yes,Fairly dissatisfied\nR5,LCRA,yes,Very dissatisfied\nR6,LCRA,yes,Don’t know\nR7,LCRA,no,\n"
    "R8,LCHO,yes,fairly satisfied\nR9,LCHO,yes,VERY DISSATISFIED\nR10,lcho,no,\n"
)


@time_machine.travel(BUILT_ON, tick=False)
class InsightPagesTests(TestCase):
    year: KnownYear

    @classmethod
    def setUpTestData(cls) -> None:
        cls.year = build_known_year()
        cls.cast = cls.year.cast

    def test_only_the_complaints_officer_managers_and_the_auditor_see_insight(self) -> None:
        assert self.client.get("/staff/insight/").status_code == 302  # to sign in
        for person in (self.cast.handler, self.cast.reviewer):
            self.client.force_login(person)
            assert self.client.get("/staff/insight/").status_code == 403
        for person in (self.cast.officer, self.cast.manager, self.cast.auditor):
            self.client.force_login(person)
            assert self.client.get("/staff/insight/").status_code == 200

    def test_the_learning_page_finds_a_complaint_by_any_area_it_touches(self) -> None:
        closed = (
            Complaint.objects.filter(
                landlord=self.cast.landlord, closed_on__range=(date(2024, 4, 1), date(2025, 3, 31))
            )
            .exclude(learning_outcome="")
            .earliest("id")
        )
        other = next(area for area in ServiceArea.values if area != closed.service_area)
        self.client.force_login(self.cast.officer)
        query = {"year": "2024", "service_area": other}
        assert closed.reference not in self.client.get("/staff/insight/learning/", query).content.decode()
        # The complaint touches that area too, though another leads (issue 19).
        ComplaintArea.objects.create(complaint=closed, standard_area=other)
        assert closed.reference in self.client.get("/staff/insight/learning/", query).content.decode()

    def test_another_landlords_staff_see_only_their_own_landlord(self) -> None:
        self.client.force_login(self.cast.stranger)
        data = self.client.get("/staff/insight/measures.json", {"year": "2024"}).json()
        assert data["landlord"] == "medway" and data["stage1"]["received"] == 0
        assert (
            self.year["J"].reference
            not in self.client.get("/staff/insight/learning/", {"year": "2024"}).content.decode()
        )

    def test_the_dashboard_shows_each_chart_followed_by_its_table_in_a_fixed_number_of_queries(self) -> None:
        self.client.force_login(self.cast.auditor)
        self.client.get("/staff/insight/", {"year": "2024"})  # the landlord's calendar is read once per process
        # session, user, their places with their landlords, then the measures (the Ombudsman's determinations, 8.1 c,
        # among them) for
        # the period and for the same days a year earlier (the headline's comparison), the contact restrictions
        # (5.14) and the open stages of today and of a year ago
        with CaptureQueriesContext(connection) as measured:
            measures.compute(self.cast.landlord, Period.reporting_year(2024))
        expected = 3 + 2 * len(measured) + 3
        with self.assertNumQueries(expected):
            page = self.client.get("/staff/insight/", {"year": "2024"}).content.decode()
        assert page.count('role="img"') == page.count("(the figures in the chart)") == 13
        assert "4.7" in page and "80.0% (8 of 10)" in page and "60.0% (6 of 10)" in page
        assert "Complaints received, monthly" in page and "Stage 1 timeliness, quarterly" in page
        # Series are told apart by pattern and named in a legend, and each bar carries its value as text.
        assert 'patternTransform="rotate(45)"' in page and ">Stage 2</text>" in page
        cast = self.cast
        for day in range(1, 20):
            received = date(2024, 11, day)
            respond(cast, acknowledge(cast, log(cast, received), received), date(2024, 12, 2))
        with self.assertNumQueries(expected):
            self.client.get("/staff/insight/", {"year": "2024"})

    def test_the_dashboard_filters_by_period_and_service_area(self) -> None:
        self.client.force_login(self.cast.officer)
        page = self.client.get(
            "/staff/insight/",
            {
                "start_0": "1",
                "start_1": "7",
                "start_2": "2024",
                "end_0": "30",
                "end_1": "9",
                "end_2": "2024",
                "service_area": "damp-mould",
            },
        )
        text = page.content.decode()
        assert "1 July 2024 to 30 September 2024, damp and mould only" in text
        data = self.client.get("/staff/insight/measures.json", {"year": "2024", "service_area": "damp-mould"}).json()
        assert data["stage1"]["received"] == 1 and data["service_area"] == "damp-mould"
        bad = self.client.get("/staff/insight/", {"start_0": "1", "start_1": "7", "start_2": "2024"})
        assert "Enter both the first and the last day, or neither" in bad.content.decode()

    def test_tp09_is_imported_from_a_survey_export_with_its_own_checks(self) -> None:
        self.client.force_login(self.cast.officer)
        upload = SimpleUploadedFile("tsm.csv", SURVEY.encode("utf-8"), content_type="text/csv")
        assert self.client.post("/staff/insight/tp09/", {"year": "2024", "file": upload}).status_code == 302
        survey = PerceptionSurvey.objects.get()
        # LCRA: 2 of 5 satisfied (one "don't know" left out); LCHO: 1 of 2.
        assert (survey.rows, survey.lcra_complainants, survey.lcra_satisfied, survey.not_counted) == (10, 5, 2, 1)
        assert (survey.lcho_complainants, survey.lcho_satisfied) == (2, 1)
        figures = measures.compute(self.cast.landlord, Period.reporting_year(2024))
        assert figures.tp09 is not None and figures.tp09.lcra.percent == 40.0 and figures.tp09.lcho.percent == 50.0
        wrong = "respondent,tenure,complained_in_last_12_months,satisfaction_with_complaint_handling\nR1,LCRA,maybe,x\n"
        upload = SimpleUploadedFile("bad.csv", wrong.encode(), content_type="text/csv")
        page = self.client.post("/staff/insight/tp09/", {"year": "2024", "file": upload}).content.decode()
        assert "Line 2: complained_in_last_12_months must be yes or no" in page
        self.client.force_login(self.cast.auditor)
        assert self.client.post("/staff/insight/tp09/", {"year": "2024"}).status_code == 403

    def test_the_survey_file_checks(self) -> None:
        assert read_survey(b"").errors == ["The file is empty"]
        assert "missing: tenure" in read_survey(b"respondent,complained_in_last_12_months,satisfaction\n").errors[0]
        duplicate = SURVEY + "R1,LCRA,no,\nR11,LCRA,no,Very satisfied\n"
        errors = read_survey(duplicate.encode()).errors
        assert errors == [
            "Line 12: respondent R1 appears more than once",
            "Line 13: a satisfaction rating is given but the respondent did not complain",
        ]
        assert read_survey("respondent,tenure\n".encode("utf-16")).errors == [
            "The file must be a CSV file saved as UTF-8"
        ]

    def test_complaints_export_as_csv_and_xlsx_for_any_filter(self) -> None:
        self.client.force_login(self.cast.auditor)
        response = self.client.get(
            "/staff/insight/exports/complaints.csv",
            {"start_0": "1", "start_1": "4", "start_2": "2024", "end_0": "31", "end_1": "3", "end_2": "2025"},
        )
        body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[arg-type]
        rows = list(csv.DictReader(io.StringIO(body)))
        assert len(rows) == 13  # the 12 counted in CH01(1) and H, not accepted
        by_ref = {row["Reference"]: row for row in rows}
        b = by_ref[self.year["B"].reference]
        assert b["Stage 1 acknowledged within 5 working days (Code)"] == "no"
        assert b["Stage 1 acknowledgement due (policy, the Code as floor)"] == "2024-07-08"
        assert b["Stage 1 within the Code's timescale (CH02)"] == "no"
        d = by_ref[self.year["D"].reference]
        assert (d["Stage 1 within the Code's timescale (CH02)"], d["Stage 1 extension days"]) == ("yes", "5")
        j = by_ref[self.year["J"].reference]
        assert (j["Tenure"], j["Stage 2 within the Code's timescale (CH02)"], j["Root cause"]) == (
            "Low-cost home ownership (shared owner)",
            "no",
            "Delay or a missed timescale",
        )
        assert (j["Compensation offered (£)"], j["Compensation paid (£)"], j["Ombudsman reference"]) == (
            "250.00",
            "250.00",
            "202412345",
        )
        assert by_ref[self.year["H"].reference]["Not accepted or escalation refused: ground"] == "legal-proceedings"
        assert "Rosa Resident" not in body  # residents by record number only

        response = self.client.get("/staff/insight/exports/complaints.xlsx", {"service_area": "damp-mould"})
        sheet = load_workbook(io.BytesIO(response.content))["Complaints"]
        values = list(sheet.iter_rows(values_only=True))
        assert values[0][0] == "Reference" and len(values) == 2 and values[1][0] == self.year["J"].reference

    def test_an_export_cannot_be_made_to_run_a_formula(self) -> None:
        from putright.complaints import actions

        complaint = self.year["K"]
        actions.record_learning(
            complaint, self.cast.officer, learning_outcome='=HYPERLINK("http://x")', root_cause="other", on=BUILT_ON
        )
        self.client.force_login(self.cast.officer)
        response = self.client.get("/staff/insight/exports/complaints.csv", {"service_area": "estate"})
        body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[arg-type]
        assert "'=HYPERLINK" in body
