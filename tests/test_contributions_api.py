"""/api/v1/contractors and /api/v1/complaints/{reference}/information-requests: each operation for each
role, another landlord's staff (404), the auditor (403), bad input (422, writing nothing) and retries
under one Idempotency-Key (one request)."""

from __future__ import annotations

from datetime import date
from typing import Any

import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.complaints.models import Complaint
from putright.contributions import actions
from putright.contributions.models import Contractor, InformationRequest
from putright.correspondence.models import OutboxMessage
from tests.cast import log
from tests.test_api_auth import TODAY, ApiTestCase

ROLES = ("handler", "reviewer", "officer", "manager", "auditor", "stranger")


@time_machine.travel(TODAY, tick=False)
class ContributionsApiTests(ApiTestCase):
    complaint: Complaint
    firm: Contractor

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.complaint = log(cls.cast, TODAY)
        cls.firm = actions.add_contractor(
            cls.cast.officer, actions.ContractorInput(name="Kent Heating", email="jobs@kent.example")
        )

    def requests_url(self, *rest: object) -> str:
        return "/".join([f"/complaints/{self.complaint.reference}/information-requests", *map(str, rest)])

    def body(self, **changes: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "party_kind": "contractor",
            "contractor_id": self.firm.pk,
            "question": "What happened at the visit?",
            "due_days": 5,
        }
        data.update(changes)
        return data

    def patch(self, path: str, data: Any, as_: str = "officer") -> Any:
        import json

        return self.client.patch(
            f"/api/v1{path}", json.dumps(data), content_type="application/json", headers=self.auth(as_)
        )

    def test_a_request_is_sent_listed_answered_and_shown_with_its_due_date(self) -> None:
        response = self.post(self.requests_url(), self.body())
        self.assertEqual(response.status_code, 201, response.content)
        sent = response.json()
        self.assertEqual(sent["party_name"], "Kent Heating")
        self.assertEqual(sent["state"], "open")
        self.assertEqual(date.fromisoformat(sent["due_on"]).weekday() < 5, True)
        self.assertEqual(OutboxMessage.objects.filter(to_address="jobs@kent.example").count(), 1)
        listed = self.get(self.requests_url(), as_="auditor").json()["items"]
        self.assertEqual([item["id"] for item in listed], [sent["id"]])
        answered = self.post(self.requests_url(sent["id"], "answer"), {"answer": "We came at 9.", "version": 1})
        self.assertEqual(answered.status_code, 200, answered.content)
        self.assertEqual(answered.json()["state"], "answered")
        self.assertEqual(answered.json()["answered_by"], "hana.handler")

    def test_the_lists_read_a_fixed_number_of_queries(self) -> None:
        def count(path: str) -> int:
            with CaptureQueriesContext(connection) as read:
                self.assertEqual(self.get(path).status_code, 200)
            return len(read)

        self.post(self.requests_url(), self.body())
        before = (count(self.requests_url()), count("/contractors"))
        for number in range(3):
            self.post(self.requests_url(), self.body(question=f"Question {number}"))
            actions.add_contractor(self.cast.officer, actions.ContractorInput(name=f"Firm {number}"))
        self.assertEqual((count(self.requests_url()), count("/contractors")), before)

    def test_a_retry_with_the_same_idempotency_key_sends_one_request(self) -> None:
        first = self.post(self.requests_url(), self.body(), key="retry-1")
        again = self.post(self.requests_url(), self.body(), key="retry-1")
        self.assertEqual(first.status_code, 201)
        self.assertEqual(again.status_code, 201)
        self.assertEqual(again.json()["id"], first.json()["id"])
        self.assertEqual(InformationRequest.objects.count(), 1)
        self.assertEqual(OutboxMessage.objects.filter(to_address="jobs@kent.example").count(), 1)

    def test_bad_input_is_refused_field_by_field_and_writes_nothing(self) -> None:
        for changes, name, words in (
            ({"question": " "}, "question", "Enter what you are asking for"),
            ({"due_days": 0}, "due_days", "between 1 and 20"),
            ({"due_days": 99}, "due_days", "between 1 and 20"),
            ({"party_kind": "colleague", "contractor_id": None, "colleague": "sam.stranger"}, "colleague", "landlord"),
            ({"contractor_id": 999_999}, "contractor", "contractor of this complaint's landlord"),
        ):
            with self.subTest(changes=changes):
                response = self.post(self.requests_url(), self.body(**changes))
                self.assertEqual(response.status_code, 422, response.content)
                self.assertIn(words, response.json()["errors"][name])
        self.assertFalse(InformationRequest.objects.exists())

    def test_the_auditor_is_refused_and_another_landlords_staff_find_nothing(self) -> None:
        refused = self.post(self.requests_url(), self.body(), as_="auditor")
        self.assertEqual(refused.status_code, 403)
        self.assertIn("Your role (Auditor) is read-only", refused.json()["detail"])
        self.assertEqual(self.get(self.requests_url(), as_="stranger").status_code, 404)
        self.assertEqual(self.post(self.requests_url(), self.body(), as_="stranger").status_code, 404)
        asked = self.post(self.requests_url(), self.body()).json()
        for step, data in (("answer", {"answer": "x"}), ("withdraw", {"reason": "x"}), ("remind", {})):
            with self.subTest(step=step):
                self.assertEqual(self.post(self.requests_url(asked["id"], step), data, as_="stranger").status_code, 404)
                self.assertEqual(self.post(self.requests_url(asked["id"], step), data, as_="auditor").status_code, 403)
        self.assertEqual(self.patch(f"/contractors/{self.firm.pk}", {"name": "Mine"}, as_="stranger").status_code, 404)
        self.assertEqual(InformationRequest.objects.get().state, "open")

    def test_withdraw_and_remind(self) -> None:
        asked = self.post(self.requests_url(), self.body()).json()
        reminded = self.post(self.requests_url(asked["id"], "remind"), {"version": 1})
        self.assertEqual(reminded.json()["reminders_sent"], 1)
        self.assertEqual(self.post(self.requests_url(asked["id"], "remind"), {}).status_code, 409)
        missing = self.post(self.requests_url(asked["id"], "withdraw"), {"reason": ""})
        self.assertEqual(missing.status_code, 422)
        withdrawn = self.post(self.requests_url(asked["id"], "withdraw"), {"reason": "Not needed", "version": 2})
        self.assertEqual(withdrawn.json()["state"], "withdrawn")

    def test_contractors_are_kept_by_officers_and_managers_and_read_by_every_reader(self) -> None:
        added = self.post("/contractors", {"name": "Roofing Ltd", "service_areas": ["repairs"]}, as_="officer")
        self.assertEqual(added.status_code, 201, added.content)
        for role in ("handler", "auditor"):
            with self.subTest(role=role):
                self.assertEqual(self.post("/contractors", {"name": f"By {role}"}, as_=role).status_code, 403)
        self.assertEqual(
            self.post("/contractors", {"name": "x", "service_areas": ["plumbing"]}, as_="officer").status_code, 422
        )
        names = {role: [c["name"] for c in self.get("/contractors", as_=role).json()["items"]] for role in ROLES}
        self.assertEqual(names["auditor"], ["Kent Heating", "Roofing Ltd"])
        self.assertEqual(names["stranger"], [])
        changed = self.patch(
            f"/contractors/{added.json()['id']}", {"phone": "01233 1", "active": False, "version": 1}, "manager"
        )
        self.assertEqual(changed.status_code, 200, changed.content)
        self.assertEqual((changed.json()["phone"], changed.json()["active"]), ("01233 1", False))
        self.assertEqual(self.patch(f"/contractors/{added.json()['id']}", {"phone": "2"}, "handler").status_code, 403)
        self.assertEqual(Contractor.objects.filter(landlord=self.cast.landlord).count(), 2)
