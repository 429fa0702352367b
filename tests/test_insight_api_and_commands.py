"""`putright report` and `GET /api/v1/measures`: the same figures as the dashboard, from the same code.

The router (putright/api/measures.py) is mounted here on an API of the test's own, exactly as
putright.api.main mounts its routers, so these tests do not depend on when it is registered there.
"""

from __future__ import annotations

import json
from datetime import date
from io import StringIO
from pathlib import Path

import pytest
import time_machine
from django.core.management import CommandError, call_command
from django.test import TestCase, override_settings
from django.urls import path
from ninja import NinjaAPI
from openpyxl import load_workbook  # type: ignore[import-untyped]

from putright.api import errors, tokens
from putright.api.auth import staff_token
from putright.api.measures import router
from putright.insight import measures
from putright.insight.models import PerceptionSurvey
from putright.insight.periods import Period
from tests.insight_cases import BUILT_ON, KnownYear, build_known_year
from tests.test_insight_self_assessment import ARTIFACTS

api = NinjaAPI(auth=staff_token, urls_namespace="insight-measures-test")
errors.install(api)
api.add_router("", router)
urlpatterns = [path("api/v1/", api.urls)]


def run(*args: str) -> str:
    out = StringIO()
    call_command("report", *args, stdout=out)
    return out.getvalue()


@time_machine.travel(BUILT_ON, tick=False)
class ReportCommandTests(TestCase):
    year: KnownYear

    @classmethod
    def setUpTestData(cls) -> None:
        cls.year = build_known_year()

    def test_measures_prints_the_same_json_as_the_measures(self) -> None:
        printed = json.loads(run("measures", "--landlord", "ashford", "--year", "2024"))
        assert printed == measures.compute(self.year.cast.landlord, Period.reporting_year(2024)).as_data()
        assert printed["stage1"]["lcra"]["per_1000"] == 4.7 and printed["stage1"]["within_timescale"]["percent"] == 80.0

    def test_measures_for_any_dates_and_one_service_area(self) -> None:
        printed = json.loads(
            run(
                "measures",
                "--landlord",
                "ashford",
                "--from",
                "2024-07-01",
                "--to",
                "2024-09-30",
                "--service-area",
                "damp-mould",
            )
        )
        assert printed["period"]["start"] == "2024-07-01" and printed["stage1"]["received"] == 1

    def test_mistakes_are_one_line_and_exit_status_2(self) -> None:
        for args, message in (
            (("measures", "--landlord", "nowhere"), "unknown landlord 'nowhere'"),
            (("measures", "--landlord", "ashford", "--from", "2024-07-01"), "give both --from and --to"),
            (("measures", "--landlord", "ashford", "--from", "2024-09-01", "--to", "2024-07-01"), "cannot be before"),
            (("measures", "--landlord", "ashford", "--service-area", "gardens"), "unknown service area"),
            (("self-assessment", "--landlord", "ashford", "--year", "2024", "--xlsx", "x.xlsx"), "no self-assessment"),
        ):
            with pytest.raises(CommandError) as caught:
                run(*args)
            assert caught.value.returncode == 2 and message in str(caught.value)

    def test_files_for_the_annual_report_governance_exports_and_tp09(self) -> None:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        out = ARTIFACTS / "command"
        out.mkdir(exist_ok=True)
        survey = out / "survey.csv"
        survey.write_text(
            "respondent,tenure,complained_in_last_12_months,satisfaction_with_complaint_handling\n"
            "1,LCRA,yes,Fairly satisfied\n2,LCRA,yes,Very dissatisfied\n"
        )
        assert "TP09 LCRA 1 of 2" in run(
            "tp09", "--landlord", "ashford", "--year", "2024", "--as", "olu.officer", str(survey)
        )
        assert PerceptionSurvey.objects.get().lcra_satisfied == 1
        with pytest.raises(CommandError, match="does not allow"):
            run("tp09", "--landlord", "ashford", "--year", "2024", "--as", "hana.handler", str(survey))
        run("annual", "--landlord", "ashford", "--year", "2024", "--pdf", str(out / "annual.pdf"))
        run("governance", "--landlord", "ashford", "--year", "2024", "--quarter", "3", "--pdf", str(out / "q3.pdf"))
        run(
            "complaints",
            "--landlord",
            "ashford",
            "--from",
            "2024-04-01",
            "--to",
            "2025-03-31",
            "--csv",
            str(out / "complaints.csv"),
            "--xlsx",
            str(out / "complaints.xlsx"),
        )
        for name in ("annual.pdf", "q3.pdf"):
            assert Path(out / name).read_bytes().startswith(b"%PDF-")
        assert len((out / "complaints.csv").read_text(encoding="utf-8-sig").splitlines()) == 14  # header and 13
        assert load_workbook(out / "complaints.xlsx")["Complaints"].max_row == 14


@time_machine.travel(BUILT_ON, tick=False)
@override_settings(ROOT_URLCONF=__name__)
class MeasuresApiTests(TestCase):
    year: KnownYear

    @classmethod
    def setUpTestData(cls) -> None:
        cls.year = build_known_year()
        cls.tokens = {
            name: tokens.issue(getattr(cls.year.cast, name))[1] for name in ("officer", "handler", "stranger")
        }

    def get(self, as_: str, **query: object) -> object:
        return self.client.get("/api/v1/measures", query, headers={"Authorization": f"Bearer {self.tokens[as_]}"})

    def test_the_same_figures_as_the_command(self) -> None:
        response = self.get("officer", year=2024)
        assert response.status_code == 200  # type: ignore[attr-defined]
        assert response.json() == json.loads(run("measures", "--landlord", "ashford", "--year", "2024"))  # type: ignore[attr-defined]

    def test_any_dates_and_a_service_area(self) -> None:
        body = self.get("officer", start=date(2024, 7, 1), end=date(2024, 9, 30), service_area="damp-mould").json()  # type: ignore[attr-defined]
        assert body["stage1"]["received"] == 1 and body["period"]["end"] == "2024-09-30"

    def test_refusals(self) -> None:
        assert self.client.get("/api/v1/measures").status_code == 401
        assert self.get("handler", year=2024).status_code == 403  # type: ignore[attr-defined]
        assert self.get("stranger", year=2024).json()["landlord"] == "medway"  # type: ignore[attr-defined]
        bad = self.get("officer", start=date(2024, 7, 1))
        assert bad.status_code == 422 and "give both start and end" in bad.json()["detail"]  # type: ignore[attr-defined]
        assert self.get("officer", year=2024, start="2024-07-01", end="2024-08-01").status_code == 422  # type: ignore[attr-defined]
        # Year 1 has no year before it to compare with: refused with the range, never a server error.
        ancient = self.get("officer", start="0001-01-01", end="0001-12-31")
        assert ancient.status_code == 422, ancient.status_code  # type: ignore[attr-defined]
        assert "a period must fall between 1 January 1990 and 31 December 2199" in ancient.json()["detail"]  # type: ignore[attr-defined]
