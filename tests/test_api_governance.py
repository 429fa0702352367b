"""/api/v1/governance: bodies, appointments, presentations and responses, and the reporting calendar;
landlord separation, roles (the auditor reads only, the MRC records responses only, handlers are refused)
and bad input (422 naming each field)."""

from __future__ import annotations

from datetime import date

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright import clock
from putright.api import tokens
from putright.governance.actions import bodies
from putright.governance.models import GoverningBody, OversightRole, Presentation
from putright.insight.actions import start_self_assessment
from putright.landlords.models import StaffRole
from tests.cast import staff
from tests.test_api_auth import ApiTestCase

TODAY = date(2025, 3, 3)  # as ApiTestCase travels to


class GovernanceApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.member = staff("clare.member", cls.cast.landlord, StaffRole.MEMBER)
        cls.token["member"] = tokens.issue(cls.member)[1]
        with time_machine.travel(TODAY, tick=False):
            cls.cabinet = bodies.add_governing_body(
                cls.cast.landlord, cls.cast.officer, name="Cabinet", kind=GoverningBody.Kind.GOVERNING_BODY
            )
            bodies.appoint(
                cls.cast.landlord,
                cls.cast.officer,
                role=OversightRole.MRC,
                name="Cllr Clare Member",
                title="Portfolio Holder for Housing",
                starts_on=date(2024, 5, 20),
                user=cls.member,
            )

    def presentation(self, as_: str = "officer", **changes: object) -> object:
        body = {
            "report": "governance",
            "year_starting": 2024,
            "quarter": 3,
            "body_id": self.cabinet.pk,
            "to_member": True,
            "meeting": "Cabinet, 26 February 2025",
            "presented_on": "2025-02-26",
            **changes,
        }
        return self.post("/governance/presentations", body, as_=as_)

    def test_a_presentation_recorded_listed_and_answered_by_the_member(self) -> None:
        made = self.presentation()
        assert made.status_code == 201, made.json()
        out = made.json()
        assert out["report_label"] == "Governance report, Q3 2024/25"
        assert (out["body"], out["member_name"], out["response"]) == ("Cabinet", "Cllr Clare Member", "")
        listed = self.get("/governance/presentations", as_="auditor", year=2024).json()
        assert [p["id"] for p in listed] == [out["id"]]
        answered = self.post(
            f"/governance/presentations/{out['id']}/response",
            {"response": "Cabinet noted the report.", "on": "2025-02-27"},
            as_="member",
        )
        assert answered.status_code == 200, answered.json()
        assert (answered.json()["response"], answered.json()["response_on"]) == (
            "Cabinet noted the report.",
            "2025-02-27",
        )

    def test_a_self_assessment_presented_must_be_one_of_the_landlords_of_that_year(self) -> None:
        with time_machine.travel(TODAY, tick=False):
            ours = start_self_assessment(self.cast.landlord, self.cast.officer, year_starting=2024)
            theirs = start_self_assessment(self.cast.other_landlord, self.cast.stranger, year_starting=2024)
        for given in (theirs.pk, ours.pk + theirs.pk + 1000):
            refused = self.presentation(report="self_assessment", quarter=None, self_assessment_id=given)
            assert refused.status_code == 422
            assert set(refused.json()["errors"]) == {"self_assessment_id"}
        refused = self.presentation(
            report="self_assessment", quarter=None, year_starting=2023, self_assessment_id=ours.pk
        )
        assert refused.status_code == 422
        made = self.presentation(report="self_assessment", quarter=None, self_assessment_id=ours.pk)
        assert made.status_code == 201, made.json()
        assert made.json()["self_assessment_id"] == ours.pk
        assert Presentation.objects.filter(self_assessment_id=theirs.pk).count() == 0

    def test_bodies_and_appointments_are_listed(self) -> None:
        assert self.get("/governance/bodies", as_="member").json() == [
            {"id": self.cabinet.pk, "name": "Cabinet", "kind": "governing_body", "active": True}
        ]
        [appointment] = self.get("/governance/appointments", as_="auditor").json()
        assert (appointment["role"], appointment["username"], appointment["current"]) == (
            "mrc",
            "clare.member",
            True,
        )

    def test_bad_input_is_refused_naming_each_field(self) -> None:
        response = self.presentation(report="minutes", quarter=None, presented_on="2025-04-01")
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"report"}
        response = self.presentation(quarter=None, meeting="", presented_on="2025-04-01")
        assert response.status_code == 422
        assert response.json()["errors"] == {
            "quarter": "Select the quarter the governance report covers",
            "meeting": "Enter the meeting, like Cabinet, 12 June 2025",
            "presented_on": "The date it was presented cannot be in the future",
        }
        # A year no report can cover is refused before anything is read (a year of 200001 was a 500).
        for path, year in (("/governance/deadlines", 200001), ("/governance/presentations", 1999)):
            assert self.get(path, "officer", year=year).status_code == 422, path
        assert self.presentation(year_starting=200001).status_code == 422
        assert self.presentation().status_code == 201
        again = self.presentation()
        assert again.status_code == 422
        assert again.json()["errors"] == {
            "presented_on": "This report is already recorded as presented to them on that date"
        }

    def test_roles(self) -> None:
        assert self.presentation(as_="auditor").status_code == 403
        assert self.presentation(as_="member").status_code == 403
        assert self.get("/governance/presentations", as_="handler").status_code == 403
        assert self.get("/governance/deadlines", as_="reviewer").status_code == 403
        made = self.presentation().json()
        refused = self.post(
            f"/governance/presentations/{made['id']}/response", {"response": "x", "on": "2025-02-27"}, as_="auditor"
        )
        assert refused.status_code == 403

    def test_another_landlords_presentation_is_not_found_and_their_body_is_refused(self) -> None:
        made = self.presentation().json()
        assert (
            self.post(
                f"/governance/presentations/{made['id']}/response",
                {"response": "x", "on": "2025-02-27"},
                as_="stranger",
            ).status_code
            == 404
        )
        assert self.get("/governance/presentations", as_="stranger").json() == []
        other = GoverningBody.objects.create(
            landlord=self.cast.other_landlord, name="Cabinet", added_by=self.cast.stranger, added_at=clock.now()
        )
        response = self.presentation(body_id=other.pk, presented_on="2025-02-25")
        assert response.status_code == 422
        assert response.json()["errors"] == {"body_id": "Select one of your own governing bodies or committees"}
        assert Presentation.objects.count() == 1

    def test_deadlines_listed_and_marked_done(self) -> None:
        listed = self.get("/governance/deadlines", as_="member", year=2024).json()
        assert [(d["kind"], d["due_on"], d["status"]) for d in listed][:2] == [
            ("self_assessment", "2025-05-31", "Due in 89 days"),
            ("annual_report", "2025-06-30", "Due in 119 days"),
        ]
        done = self.post(
            "/governance/deadlines/done",
            {"kind": "publication", "year_starting": 2024, "done_on": "2025-03-01"},
            as_="manager",
        )
        assert done.status_code == 201, done.json()
        assert done.json()["status"] == "Done on 1 March 2025"
        refused = self.post(
            "/governance/deadlines/done",
            {"kind": "self_assessment", "year_starting": 2024, "done_on": "2025-03-01"},
            as_="manager",
        )
        assert refused.status_code == 422 and set(refused.json()["errors"]) == {"kind"}
        assert (
            self.post(
                "/governance/deadlines/done",
                {"kind": "submission", "year_starting": 2024, "done_on": "2025-03-01"},
                as_="member",
            ).status_code
            == 403
        )

    def test_the_lists_read_the_same_number_of_queries_however_many_records(self) -> None:
        made = self.presentation()
        assert made.status_code == 201, made.json()
        lists = ("/governance/presentations", "/governance/bodies", "/governance/appointments", "/governance/deadlines")
        for path in lists:
            self.get(path, as_="auditor")  # warm the token and the user
        counts: dict[str, int] = {}
        for path in lists:
            with CaptureQueriesContext(connection) as one:
                assert self.get(path, as_="auditor").status_code == 200
            counts[path] = len(one)
        with time_machine.travel(TODAY, tick=False):
            committees = [
                bodies.add_governing_body(self.cast.landlord, self.cast.officer, name=name, kind="committee")
                for name in ("Housing Scrutiny Committee", "Audit Committee", "Tenants' Panel", "Overview Committee")
            ]
            for role, name, user, starts_on in (
                (OversightRole.SENIOR_LEAD, "Sam Lead", self.cast.manager, date(2024, 4, 1)),
                (OversightRole.COMPLAINTS_OFFICER, "Olu Officer", self.cast.officer, TODAY),
                (OversightRole.MRC, "Cllr Pat New", None, TODAY),
                (OversightRole.SENIOR_LEAD, "Kim Lead", None, TODAY),
            ):
                bodies.appoint(
                    self.cast.landlord, self.cast.officer, role=role, name=name, starts_on=starts_on, user=user
                )
            for quarter, committee in zip((1, 2, 4), committees, strict=False):
                again = self.presentation(quarter=quarter, body_id=committee.pk, meeting=committee.name)
                assert again.status_code == 201, again.json()
                answered = self.post(
                    f"/governance/presentations/{again.json()['id']}/response",
                    {"response": "Noted.", "on": "2025-03-01"},
                    as_="officer",
                )
                assert answered.status_code == 200, answered.json()
            annual = self.presentation(report="annual", quarter=None, year_starting=2023, presented_on="2025-01-20")
            assert annual.status_code == 201, annual.json()
        for kind in ("publication", "submission"):
            done = self.post(
                "/governance/deadlines/done", {"kind": kind, "year_starting": 2024, "done_on": "2025-03-01"}, "officer"
            )
            assert done.status_code == 201, done.json()
        sizes: dict[str, list[dict[str, object]]] = {}
        for path in lists:
            with self.assertNumQueries(counts[path]):
                sizes[path] = self.get(path, as_="auditor").json()
        assert [len(sizes[path]) for path in lists[:3]] == [5, 5, 5]
        assert sum(d["done_on"] is not None for d in sizes["/governance/deadlines"]) == 3
