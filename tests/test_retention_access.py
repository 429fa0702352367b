"""Who may see and change records under the retention schedule, on the pages and through the API:
the complaints officer and managers change, the auditor reads, handlers, reviewers and the Member
Responsible for Complaints are refused with a sentence, another landlord's complaint is not found."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright import clock
from putright.api import tokens
from putright.api.models import ApiToken
from putright.complaints import actions
from putright.complaints.models import Complaint, Event
from putright.landlords.models import StaffMember, StaffRole
from putright.retention import actions as retention
from putright.retention.models import ComplaintRetention, RetentionSchedule, RetentionState
from tests.cast import Cast, acknowledge, log, respond
from tests.insight_cases import BOTH_NOT_UPHELD
from tests.test_api_auth import TODAY, ApiTestCase

ROLES = ("handler", "reviewer", "officer", "manager", "auditor", "member", "stranger")
REFUSED = {"handler", "reviewer", "member"}
EDITORS = {"officer", "manager"}


def closed_complaint(cast: Cast, received_on: date = date(2023, 6, 5)) -> Complaint:
    with time_machine.travel(received_on, tick=False):
        k = log(cast, received_on)
        k = acknowledge(cast, k, received_on)
        k = respond(cast, k, received_on, decisions=BOTH_NOT_UPHELD, remedies=[])
        return actions.close(k, cast.officer, on=received_on)


class RetentionAccessCase(ApiTestCase):
    """The cast with tokens, a Member Responsible for Complaints, and complaints under review."""

    member: User
    complaint: Complaint

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.member = User.objects.create_user("mo.member", "mo@example.org", "a-long-test-password")
        StaffMember.objects.create(user=cls.member, landlord=cls.cast.landlord, role=StaffRole.MEMBER)
        cls.token["member"] = tokens.issue(cls.member, days=tokens.MAX_DAYS)[1]
        ApiToken.objects.update(last_used_at=clock.now())
        # A one-year schedule, so that a complaint closed in June 2023 is under review by today.
        retention.change_schedule(cls.cast.landlord, cls.cast.officer, years_after_closure=1, grace_days=365)
        cls.complaint = closed_complaint(cls.cast)
        retention.sweep_landlord(cls.cast.landlord, TODAY)

    def user(self, role: str) -> User:
        return self.member if role == "member" else getattr(self.cast, role)

    def page(self, role: str, path: str, data: dict[str, Any] | None = None) -> Any:
        self.client.force_login(self.user(role))
        if data is None:
            return self.client.get(path)
        return self.client.post(path, data)

    def put(self, path: str, data: Any, as_: str) -> Any:
        return self.client.put(
            f"/api/v1{path}", json.dumps(data), content_type="application/json", headers=self.auth(as_)
        )


class PageAccessTests(RetentionAccessCase):
    def paths(self) -> dict[str, str]:
        reference = self.complaint.reference
        return {
            "index": "/staff/privacy/retention/",
            "schedule": "/staff/privacy/retention/schedule/",
            "hold": f"/staff/privacy/retention/{reference}/hold/",
            "anonymise": f"/staff/privacy/retention/{reference}/anonymise/",
        }

    def test_every_page_for_every_role_and_landlord(self) -> None:
        expected = {
            "handler": {"index": 403, "schedule": 403, "hold": 403, "anonymise": 403},
            "reviewer": {"index": 403, "schedule": 403, "hold": 403, "anonymise": 403},
            "member": {"index": 403, "schedule": 403, "hold": 403, "anonymise": 403},
            "officer": {"index": 200, "schedule": 200, "hold": 200, "anonymise": 200},
            "manager": {"index": 200, "schedule": 200, "hold": 200, "anonymise": 200},
            "auditor": {"index": 200, "schedule": 403, "hold": 403, "anonymise": 403},
            # Another landlord's officer sees their own landlord's list and schedule, and not our complaint.
            "stranger": {"index": 200, "schedule": 200, "hold": 404, "anonymise": 404},
        }
        for role in ROLES:
            for name, path in self.paths().items():
                response = self.page(role, path)
                self.assertEqual(response.status_code, expected[role][name], f"{role} GET {name}")
                if response.status_code == 403 and role != "member":  # the member is told Insight is theirs
                    self.assertContains(response, "does not allow you to", status_code=403)
        self.client.force_login(self.cast.stranger)
        self.assertNotContains(self.client.get(self.paths()["index"]), self.complaint.reference)

    def test_nobody_but_an_officer_or_manager_changes_anything_by_posting(self) -> None:
        for role in ("handler", "reviewer", "member", "auditor", "stranger"):
            self.page(
                role, self.paths()["hold"], {"reason": "Claim", "until_0": "1", "until_1": "1", "until_2": "2027"}
            )
            self.page(role, self.paths()["anonymise"], {"reason": ""})
            self.page(role, self.paths()["schedule"], {"years_after_closure": "9", "grace_days": "9"})
        self.assertEqual(ComplaintRetention.objects.get(complaint=self.complaint).state, RetentionState.REVIEW)
        self.assertEqual(RetentionSchedule.objects.get(landlord=self.cast.landlord).years_after_closure, 1)
        # The stranger's post changed their own landlord's schedule, never ours.
        self.assertEqual(RetentionSchedule.objects.get(landlord=self.cast.other_landlord).years_after_closure, 9)

    def test_anonymous_visitors_are_sent_to_sign_in(self) -> None:
        for path in self.paths().values():
            response = self.client.get(path)
            self.assertEqual(response.status_code, 302)
            self.assertIn("next=", response["Location"])

    def test_a_hold_with_an_empty_reason_and_a_past_date_shows_gds_errors(self) -> None:
        response = self.page(
            "officer", self.paths()["hold"], {"reason": " ", "until_0": "1", "until_1": "1", "until_2": "2025"}
        )
        self.assertContains(response, "There is a problem")
        self.assertContains(response, "Enter why the record is being kept for longer")
        self.assertContains(response, "The date it is reviewed again must be in the future (today is 3 March 2025)")
        self.assertEqual(ComplaintRetention.objects.get(complaint=self.complaint).state, RetentionState.REVIEW)

    def test_an_officer_holds_then_anonymises_through_the_pages(self) -> None:
        response = self.page(
            "officer",
            self.paths()["hold"],
            {"reason": "A disrepair claim", "until_0": "3", "until_1": "3", "until_2": "2026"},
        )
        self.assertRedirects(response, self.paths()["index"])
        row = ComplaintRetention.objects.get(complaint=self.complaint)
        self.assertEqual((row.state, row.held_until), (RetentionState.HELD, date(2026, 3, 3)))
        self.assertContains(self.client.get(self.paths()["index"]), "A disrepair claim")
        confirm = self.client.get(self.paths()["anonymise"])
        self.assertContains(confirm, "This cannot be undone")
        response = self.client.post(self.paths()["anonymise"], {"reason": "", "expected_version": row.version})
        self.assertRedirects(response, self.paths()["index"])
        # A second press of the button (Back, then submit again) changes nothing more.
        self.client.post(self.paths()["anonymise"], {"reason": ""})
        self.assertEqual(Event.objects.filter(complaint=self.complaint, kind="anonymised").count(), 1)
        self.complaint.refresh_from_db()
        self.assertNotIn("boiler", self.complaint.description)
        # The anonymised record still opens, with its dates and what was removed.
        record = self.client.get(reverse("workspace:complaint", args=[self.complaint.reference]))
        self.assertContains(record, "under the retention schedule")
        self.assertNotContains(record, "boiler")

    def test_the_schedule_form_refuses_numbers_out_of_range(self) -> None:
        response = self.page("manager", self.paths()["schedule"], {"years_after_closure": "21", "grace_days": "x"})
        self.assertContains(response, "The number of years must be between 1 and 20")
        self.assertContains(response, "The number of days must be a whole number, like 90")
        response = self.page("manager", self.paths()["schedule"], {"years_after_closure": "7", "grace_days": "30"})
        self.assertRedirects(response, self.paths()["index"])
        self.assertEqual(RetentionSchedule.objects.get(landlord=self.cast.landlord).years_after_closure, 7)

    def test_the_list_reads_the_same_number_of_queries_however_many_records(self) -> None:
        self.client.force_login(self.cast.auditor)
        self.client.get(self.paths()["index"])  # the session and second factor settle
        with CaptureQueriesContext(connection) as one:
            self.client.get(self.paths()["index"])
        others = [closed_complaint(self.cast, date(2023, 7, day)) for day in (3, 4, 5)]
        retention.sweep_landlord(self.cast.landlord, TODAY)
        retention.hold(others[0], self.cast.officer, reason="Claim", until=date(2026, 1, 1))
        with self.assertNumQueries(len(one)):
            response = self.client.get(self.paths()["index"])
        for complaint in [self.complaint, *others]:
            self.assertContains(response, complaint.reference)


class ApiAccessTests(RetentionAccessCase):
    def test_every_operation_for_every_role_and_landlord(self) -> None:
        reference = self.complaint.reference
        hold = {"reason": "A disrepair claim", "until": "2026-03-03"}
        schedule = {"years_after_closure": 1, "grace_days": 365}
        for role in ROLES:
            reads = 403 if role in REFUSED else 200
            writes = 200 if role in EDITORS else 403 if role in (REFUSED | {"auditor"}) else None
            self.assertEqual(self.get("/retention/schedule", as_=role).status_code, reads, role)
            self.assertEqual(self.get("/retention/complaints", as_=role).status_code, reads, role)
            put = self.put("/retention/schedule", schedule, as_=role)
            self.assertEqual(put.status_code, writes or 200, role)
            held = self.post(f"/retention/complaints/{reference}/hold", hold, as_=role)
            self.assertEqual(held.status_code, writes or 404, role)
            if held.status_code == 403 and role != "member":  # the member is told Insight is theirs
                self.assertIn("does not allow you to", held.json()["detail"])
        for role in ("handler", "reviewer", "member", "auditor", "stranger"):
            response = self.post(f"/retention/complaints/{reference}/anonymise", {}, as_=role)
            self.assertEqual(response.status_code, 404 if role == "stranger" else 403, role)
        self.assertEqual(self.get("/retention/complaints", as_="stranger").json(), [])
        for path in ("/retention/schedule", "/retention/complaints"):
            self.assertEqual(self.client.get(f"/api/v1{path}").status_code, 401)
        self.assertEqual(self.post(f"/retention/complaints/{reference}/anonymise", {}, as_="").status_code, 401)
        done = self.post(f"/retention/complaints/{reference}/anonymise", {"reason": "Reviewed"}, as_="manager")
        self.assertEqual(done.status_code, 200)
        self.assertEqual(done.json()["already"], False)

    def test_a_retried_hold_with_the_same_key_is_answered_once(self) -> None:
        path = f"/retention/complaints/{self.complaint.reference}/hold"
        body = {"reason": "A disrepair claim", "until": "2026-03-03"}
        first = self.post(path, body, as_="officer", key="hold-1")
        second = self.post(path, body, as_="officer", key="hold-1")
        self.assertEqual((first.status_code, second.status_code), (200, 200))
        self.assertEqual(first.json(), second.json())
        self.assertEqual(second["Idempotent-Replayed"], "true")
        self.assertEqual(Event.objects.filter(complaint=self.complaint, kind="retention-held").count(), 1)

    def test_bad_input_is_refused_naming_each_field(self) -> None:
        path = f"/retention/complaints/{self.complaint.reference}/hold"
        response = self.post(path, {"reason": "", "until": "2020-01-01"}, as_="officer")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(set(response.json()["errors"]), {"reason", "until"})
        response = self.put("/retention/schedule", {"years_after_closure": 30, "grace_days": -1}, as_="officer")
        self.assertEqual(response.status_code, 422)
        self.assertEqual(set(response.json()["errors"]), {"years_after_closure", "grace_days"})
        with time_machine.travel(TODAY, tick=False):
            open_one = log(self.cast, TODAY)
        response = self.post(f"/retention/complaints/{open_one.reference}/anonymise", {}, as_="officer")
        self.assertEqual(response.status_code, 409)
        self.assertIn("not yet due for review", response.json()["detail"])

    def test_the_schedule_put_twice_changes_it_once(self) -> None:
        body = {"years_after_closure": 7, "grace_days": 60}
        first = self.put("/retention/schedule", body, as_="officer").json()
        second = self.put("/retention/schedule", body, as_="manager").json()
        self.assertEqual(first, second)
        self.assertEqual(first["changed_by"], "olu.officer")

    def test_the_list_reads_the_same_number_of_queries_however_many_records(self) -> None:
        self.get("/retention/complaints", as_="auditor")
        with CaptureQueriesContext(connection) as one:
            self.get("/retention/complaints", as_="auditor")
        for day in (3, 4, 5):
            closed_complaint(self.cast, date(2023, 7, day))
        retention.sweep_landlord(self.cast.landlord, TODAY)
        with self.assertNumQueries(len(one)):
            self.assertEqual(len(self.get("/retention/complaints", as_="auditor").json()), 4)
