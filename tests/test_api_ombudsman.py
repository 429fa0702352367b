"""/api/v1/ombudsman/cases: a case opened, evidence asked for and sent, a determination, an order
carried out and confirmed; refusals in the API's one shape, retries made safe by Idempotency-Key."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.complaints import actions
from putright.complaints.models import Complaint
from putright.ombudsman import actions as ombudsman_actions
from putright.ombudsman.models import OmbudsmanCase
from tests.cast import acknowledge, log, respond
from tests.test_api_auth import TODAY, ApiTestCase


class OmbudsmanApiTests(ApiTestCase):
    def responded(self) -> Complaint:
        complaint = actions.assign_handler(
            log(self.cast, date(2025, 2, 3)), self.cast.officer, handler=self.cast.handler, conflict_of_interest=False
        )
        return respond(self.cast, acknowledge(self.cast, complaint, date(2025, 2, 4)), date(2025, 2, 20))

    def open(self, complaint: Complaint, reference: str = "202412345") -> dict:  # type: ignore[type-arg]
        response = self.post(
            "/ombudsman/cases",
            {"complaint": complaint.reference, "reference": reference, "enquiry_received_on": "2025-02-27"},
            as_="officer",
        )
        assert response.status_code == 201, response.json()
        return response.json()  # type: ignore[no-any-return]

    def test_a_case_from_opening_to_an_order_confirmed(self) -> None:
        complaint = self.responded()
        case = self.open(complaint)
        assert (case["stage"], case["complaint"], case["version"]) == ("enquiry", complaint.reference, 1)
        path = f"/ombudsman/cases/{case['id']}"
        asked = self.post(
            f"{path}/evidence-requests",
            {"what": "The repair log", "requested_on": "2025-03-03", "version": 1},
            as_="officer",
        )
        assert asked.status_code == 201, asked.json()
        request = asked.json()["evidence_requests"][0]
        # The Scheme's 15 working days, from the Code's policy: Monday 3 March to Monday 24 March.
        assert (request["policy_due_on"], request["ombudsman_due_on"], request["due_on"]) == (
            "2025-03-24",
            None,
            "2025-03-24",
        )
        sent = self.post(
            f"{path}/evidence-requests/{request['id']}/response",
            {"sent_on": "2025-03-03", "response": "The repair log"},
            as_="manager",
        )
        assert sent.status_code == 200 and sent.json()["evidence_requests"][0]["sent_by"] == "Mei Manager"
        moved = self.post(f"{path}/stage", {"to": "investigation", "on": "2025-03-03"}, as_="officer")
        assert moved.json()["stage"] == "investigation"
        determined = self.post(
            f"{path}/determinations",
            {"element": "The repair", "finding": "maladministration", "determined_on": "2025-03-03"},
            as_="officer",
        )
        assert determined.status_code == 201 and determined.json()["stage"] == "determined"
        determination_id = determined.json()["determinations"][0]["id"]
        ordered = self.post(
            f"{path}/orders",
            {
                "kind": "order",
                "what": "Pay £300",
                "owner": "hana.handler",
                "due_on": "2025-03-31",
                "determination_id": determination_id,
            },
            as_="officer",
        )
        assert ordered.status_code == 201, ordered.json()
        order = ordered.json()["orders"][0]
        assert (order["owner"], order["overdue"], order["determination_id"]) == (
            "Hana Handler",
            False,
            determination_id,
        )
        done = self.post(
            f"{path}/orders/{order['id']}/updates",
            {"completed_on": "2025-03-03", "evidence": "Paid by BACS"},
            as_="handler",  # the order's owner
        )
        assert done.status_code == 200 and done.json()["orders"][0]["completed_on"] == "2025-03-03"
        confirmed = self.post(f"{path}/orders/{order['id']}/confirmation", {"on": "2025-03-03"}, as_="manager")
        assert confirmed.json()["orders"][0]["confirmed_on"] == "2025-03-03"
        closed = self.post(f"{path}/stage", {"to": "closed", "on": "2025-03-03"}, as_="officer")
        assert (closed.json()["stage"], closed.json()["closed_on"]) == ("closed", "2025-03-03")

    def test_refusals_come_in_the_one_shape_with_the_right_status(self) -> None:
        complaint = self.responded()
        bad = self.post(
            "/ombudsman/cases",
            {"complaint": complaint.reference, "reference": "HOS-1", "enquiry_received_on": "2025-02-27"},
            as_="officer",
        )
        assert bad.status_code == 422
        assert bad.json()["errors"]["reference"].startswith("Enter the Ombudsman's reference in the right format")
        refused = self.post(
            "/ombudsman/cases",
            {"complaint": complaint.reference, "reference": "202412345", "enquiry_received_on": "2025-02-27"},
            as_="handler",
        )
        assert refused.status_code == 403
        assert refused.json() == {"detail": "Only a complaints officer or a manager can work on Ombudsman cases."}
        case = self.open(complaint)
        again = self.post(
            "/ombudsman/cases",
            {"complaint": complaint.reference, "reference": "202412346", "enquiry_received_on": "2025-02-27"},
            as_="officer",
        )
        assert again.status_code == 409
        path = f"/ombudsman/cases/{case['id']}"
        stale = self.post(f"{path}/stage", {"to": "investigation", "on": "2025-03-03", "version": 9}, as_="officer")
        assert stale.status_code == 409 and "changed by someone else" in stale.json()["detail"]
        wrong = self.post(f"{path}/stage", {"to": "determined", "on": "2025-03-03"}, as_="officer")
        assert wrong.status_code == 409 and "cannot move to determined" in wrong.json()["detail"]
        unknown = self.post(f"{path}/stage", {"to": "lost", "on": "2025-03-03"}, as_="officer")
        assert unknown.status_code == 422

    def test_another_landlords_case_is_not_found_and_never_listed(self) -> None:
        case = self.open(self.responded())
        assert self.get(f"/ombudsman/cases/{case['id']}", as_="stranger").status_code == 404
        assert self.get("/ombudsman/cases", as_="stranger").json() == {"items": []}
        moved = self.post(
            f"/ombudsman/cases/{case['id']}/stage", {"to": "investigation", "on": "2025-03-03"}, as_="stranger"
        )
        assert moved.status_code == 404
        assert self.get(f"/ombudsman/cases/{case['id']}", as_="auditor").status_code == 200

    def test_a_retry_with_the_same_idempotency_key_changes_nothing(self) -> None:
        case = self.open(self.responded())
        body = {"what": "The repair log", "requested_on": "2025-03-03"}
        path = f"/ombudsman/cases/{case['id']}/evidence-requests"
        first = self.post(path, body, as_="officer", key="evidence-1")
        second = self.post(path, body, as_="officer", key="evidence-1")
        assert first.status_code == second.status_code == 201
        assert second["Idempotent-Replayed"] == "true"
        assert OmbudsmanCase.objects.get().evidence_requests.count() == 1

    def test_the_list_is_read_in_the_same_queries_however_many_cases(self) -> None:
        self.open(self.responded())
        self.get("/ombudsman/cases")
        with CaptureQueriesContext(connection) as one:
            assert len(self.get("/ombudsman/cases").json()["items"]) == 1
        for n in range(3):
            ombudsman_actions.open_case(
                self.responded(), self.cast.officer, reference=f"20241000{n}", enquiry_received_on=TODAY
            )
        with CaptureQueriesContext(connection) as four:
            assert len(self.get("/ombudsman/cases", stage="enquiry").json()["items"]) == 4
        assert len(four) == len(one)
