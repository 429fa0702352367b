"""/api/v1/action-plan and /api/v1/compliance-notices: the action plan's lines and updates, and notices
of provisions that cannot be met (8.5) with their steps; landlord separation, roles (the auditor
reads only, handlers are refused) and bad input, in the API's one shape of refusal."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.governance.actions import action_plan as plan_actions
from putright.governance.models import ActionPlanItem, ActionPlanUpdate, ComplianceNotice
from tests.test_api_auth import ApiTestCase

LINE = {"provision": "6.2", "action": "Add a daily check of new complaints", "target_date": "2025-06-30"}
NOTICE = {
    "provisions": ["6.2", "6.11"],
    "circumstances": "A cyber incident took the housing management system offline.",
    "reasons": "We cannot log and acknowledge complaints within 5 working days.",
    "unable_from": "2025-02-28",
    "expected_return": "2025-04-30",
    "decided_by": "Jo Bloggs, Director of Housing",
}


class ActionPlanApiTests(ApiTestCase):
    def add(self, data: dict[str, object] | None = None, as_: str = "officer") -> dict:  # type: ignore[type-arg]
        response = self.post("/action-plan", {**LINE, "owner": "mei.manager", **(data or {})}, as_=as_)
        assert response.status_code == 201, response.json()
        return response.json()  # type: ignore[no-any-return]

    def test_a_line_added_updated_done_and_listed(self) -> None:
        line = self.add()
        assert (line["provision"], line["owner"], line["owner_name"], line["status"], line["overdue"]) == (
            "6.2",
            "mei.manager",
            "Mei Manager",
            "not-started",
            False,
        )
        path = f"/action-plan/{line['id']}"
        started = self.post(f"{path}/updates", {"note": "Report built", "status": "in-progress"}, as_="manager")
        assert started.status_code == 201 and started.json()["updates"][0]["status_to"] == "in-progress"
        done = self.post(f"{path}/updates", {"note": "Checks running", "status": "done", "done_on": "2025-03-03"})
        assert done.status_code == 403  # a handler
        done = self.post(
            f"{path}/updates", {"note": "Checks running", "status": "done", "done_on": "2025-03-03"}, as_="officer"
        )
        assert (done.json()["status"], done.json()["done_on"]) == ("done", "2025-03-03")
        assert [u["note"] for u in done.json()["updates"]] == ["Checks running", "Report built"]
        listed = self.get("/action-plan", as_="auditor", status="done")
        assert [row["id"] for row in listed.json()] == [line["id"]]
        assert self.get("/action-plan", as_="auditor", status="in-progress").json() == []

    def test_a_line_is_changed_by_posting_it_whole(self) -> None:
        line = self.add()
        changed = self.post(
            f"/action-plan/{line['id']}",
            {**LINE, "action": "Alerts in the new system", "owner_name": "Head of Housing"},
            as_="manager",
        )
        assert changed.status_code == 200
        assert (changed.json()["action"], changed.json()["owner"], changed.json()["owner_name"]) == (
            "Alerts in the new system",
            None,
            "Head of Housing",
        )

    def test_bad_input_is_refused_naming_each_field(self) -> None:
        answer = self.post(
            "/action-plan",
            {"provision": "12.1", "action": " ", "target_date": "2025-03-02", "owner": "sam.stranger"},
            as_="officer",
        )
        assert answer.status_code == 422
        assert answer.json()["errors"] == {"owner": "Choose a member of your landlord's staff (give their username)"}
        answer = self.post("/action-plan", {"provision": "12.1", "action": " ", "target_date": "2025-03-02"}, "officer")
        assert answer.status_code == 422
        assert answer.json()["errors"] == {
            "provision": "Enter a provision of the Code from 1.2 to 9.8, for example 6.2",
            "action": "Enter what will be done",
            "owner_name": "Enter who owns this action: a name or a role",
            "target_date": "The target date must be today or in the future",
        }
        answer = self.post("/action-plan", {**LINE, "owner_name": "x", "colour": "red"}, as_="officer")
        assert answer.status_code == 422 and "colour" in answer.json()["errors"]
        line = self.add()
        answer = self.post(f"/action-plan/{line['id']}/updates", {"note": "Done", "status": "done"}, as_="officer")
        assert answer.status_code == 422
        assert answer.json()["errors"] == {"done_on": "Enter the date the action was done"}
        assert ActionPlanItem.objects.count() == 1 and not ActionPlanUpdate.objects.exists()

    def test_the_auditor_reads_only_and_handlers_and_reviewers_are_refused(self) -> None:
        line = self.add()
        assert self.get(f"/action-plan/{line['id']}", as_="auditor").status_code == 200
        assert self.post("/action-plan", {**LINE, "owner_name": "x"}, as_="auditor").status_code == 403
        assert self.post(f"/action-plan/{line['id']}/updates", {"note": "x"}, as_="auditor").status_code == 403
        for person in ("handler", "reviewer"):
            assert self.get("/action-plan", as_=person).status_code == 403
            assert self.get(f"/action-plan/{line['id']}", as_=person).status_code == 403

    def test_another_landlords_line_is_not_found(self) -> None:
        line = self.add()
        path = f"/action-plan/{line['id']}"
        assert self.get(path, as_="stranger").status_code == 404
        assert self.post(path, {**LINE, "owner_name": "x"}, as_="stranger").status_code == 404
        assert self.post(f"{path}/updates", {"note": "x"}, as_="stranger").status_code == 404
        assert self.get("/action-plan", as_="stranger").json() == []

    def test_a_retry_with_the_same_key_adds_nothing_more(self) -> None:
        first = self.post("/action-plan", {**LINE, "owner_name": "x"}, as_="officer", key="line-1")
        second = self.post("/action-plan", {**LINE, "owner_name": "x"}, as_="officer", key="line-1")
        assert first.status_code == second.status_code == 201 and first.json() == second.json()
        assert ActionPlanItem.objects.count() == 1
        # Without a key, the same line again is refused as already on the plan.
        assert self.post("/action-plan", {**LINE, "owner_name": "x"}, as_="officer").status_code == 409

    def test_the_list_reads_the_same_number_of_queries_however_many_lines(self) -> None:
        self.add()
        with CaptureQueriesContext(connection) as one:
            self.get("/action-plan", as_="auditor")
        for number in ("6.3", "9.7"):
            line = plan_actions.add_line(
                self.cast.landlord,
                self.cast.officer,
                provision=number,
                action="x",
                target_date=date(2025, 6, 30),
                owner=self.cast.manager,
            )
            plan_actions.post_update(line, self.cast.officer, note="Started", status="in-progress")
        with self.assertNumQueries(len(one)):
            assert len(self.get("/action-plan", as_="auditor").json()) == 3


class ComplianceNoticeApiTests(ApiTestCase):
    def record(self) -> dict:  # type: ignore[type-arg]
        response = self.post("/compliance-notices", NOTICE, as_="manager")
        assert response.status_code == 201, response.json()
        return response.json()  # type: ignore[no-any-return]

    def test_a_notice_recorded_with_each_step_and_its_return(self) -> None:
        notice = self.record()
        assert notice["open"] and len(notice["still_to_do"]) == 4
        path = f"/compliance-notices/{notice['id']}"
        steps = [
            ("ombudsman-informed", {"on": "2025-03-01", "how": "By email"}),
            ("residents-informed", {"on": "2025-03-01", "how": "By letter", "who": "All residents"}),
            ("published", {"on": "2025-03-02", "address": "https://www.ashford.gov.uk/complaints"}),
            ("returned", {"on": "2025-03-03"}),
        ]
        for step, data in steps:
            answer = self.post(f"{path}/{step}", data, as_="officer")
            assert answer.status_code == 200, answer.json()
        found = self.get(path, as_="auditor").json()
        assert (found["open"], found["still_to_do"], found["residents_informed_who"]) == (False, [], "All residents")
        again = self.post(f"{path}/returned", {"on": "2025-03-03"}, as_="officer")
        assert again.status_code == 409
        assert again.json()["detail"] == "The return to compliance is already recorded, on 3 March 2025."
        assert self.get("/compliance-notices", as_="auditor").json()[0]["id"] == notice["id"]

    def test_bad_input_is_refused_naming_each_field(self) -> None:
        answer = self.post(
            "/compliance-notices", {**NOTICE, "provisions": ["6.2", "13.1"], "expected_return": "2025-02-01"}, "officer"
        )
        assert answer.status_code == 422
        assert answer.json()["errors"] == {
            "provisions": "13.1 is not a provision of the Code: enter provisions from 1.2 to 9.8, for example 6.2",
            "expected_return": "The expected date of return must be after the date the problem began",
        }
        # A number that is not a provision, in any script, is named rather than sorted (it was a 500).
        answer = self.post("/compliance-notices", {**NOTICE, "provisions": ["6.2", "\U0006dcee\u00a9"]}, "officer")
        assert answer.status_code == 422 and "is not a provision of the Code" in answer.json()["errors"]["provisions"]
        missing = {k: v for k, v in NOTICE.items() if k != "expected_return"}
        answer = self.post("/compliance-notices", missing, as_="officer")
        assert answer.status_code == 422 and "expected_return" in answer.json()["errors"]
        notice = self.record()
        answer = self.post(
            f"/compliance-notices/{notice['id']}/published", {"on": "2025-03-04", "address": "x"}, as_="officer"
        )
        assert answer.status_code == 422
        assert answer.json()["errors"] == {
            "on": "The date the notice was published cannot be in the future",
            "address": "Enter the address of the page in full, like https://www.example.gov.uk/complaints",
        }
        assert ComplianceNotice.objects.get().published_on is None

    def test_roles_and_landlords(self) -> None:
        notice = self.record()
        path = f"/compliance-notices/{notice['id']}"
        assert self.post("/compliance-notices", NOTICE, as_="auditor").status_code == 403
        assert self.post(f"{path}/returned", {"on": "2025-03-03"}, as_="auditor").status_code == 403
        assert self.get("/compliance-notices", as_="handler").status_code == 403
        assert self.get(path, as_="stranger").status_code == 404
        assert self.post(f"{path}/returned", {"on": "2025-03-03"}, as_="stranger").status_code == 404
        assert self.get("/compliance-notices", as_="stranger").json() == []
        assert ComplianceNotice.objects.get().returned_on is None

    def test_a_line_for_a_provision_under_notice_says_so(self) -> None:
        self.record()
        line = self.post("/action-plan", {**LINE, "owner_name": "Head of IT"}, as_="officer").json()
        assert line["under_notice"] is True

    def test_the_list_reads_the_same_number_of_queries_however_many_notices(self) -> None:
        first = self.record()
        self.get("/compliance-notices", as_="auditor")  # warm the token and the user
        with CaptureQueriesContext(connection) as one:
            assert [n["id"] for n in self.get("/compliance-notices", as_="auditor").json()] == [first["id"]]
        count = len(one)  # now: the requests below clear the connection's log that `one` reads from
        for number, provision in enumerate(("1.3", "3.1", "5.1", "7.1"), start=1):
            made = self.post(
                "/compliance-notices",
                {**NOTICE, "provisions": [provision], "circumstances": f"Incident {number}"},
                as_="manager",
            )
            assert made.status_code == 201, made.json()
            informed = self.post(
                f"/compliance-notices/{made.json()['id']}/ombudsman-informed",
                {"on": "2025-03-01", "how": "By email"},
                as_="officer",
            )
            assert informed.status_code == 200, informed.json()
        with self.assertNumQueries(count):
            listed = self.get("/compliance-notices", as_="auditor").json()
        assert len(listed) == 5 and sum(n["ombudsman_informed_on"] == "2025-03-01" for n in listed) == 4
