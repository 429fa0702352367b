"""Priority by complexity and risk (Code 6.1): suggested from the record, confirmed or changed by
staff with a reason, and the order of the worklists (high priority first, then the deadline)."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import SimpleTestCase, TestCase

from putright.complaints import actions
from putright.complaints.errors import InvalidInput, NotPermitted, StaleVersion
from putright.complaints.models import Complaint, Event, Priority, RiskFactor
from putright.people.models import Vulnerability
from putright.rules import priority as rules
from tests.cast import log, make_cast
from tests.test_api_auth import ApiTestCase
from tests.test_workspace_support import log_form, page, signed_in

TODAY = date(2025, 6, 16)
DAMP = "Black mould is growing on the bedroom wall and my son's asthma is worse."


class PriorityRuleTests(SimpleTestCase):
    def test_the_words_and_the_service_area_point_to_risks_6_1(self) -> None:
        assert rules.factors_in_words("damp-mould", "") == [rules.HEALTH_AND_SAFETY]
        assert rules.factors_in_words("", DAMP) == [rules.HEALTH_AND_SAFETY]
        assert rules.factors_in_words("repairs", "The roof leaks") == [rules.DISREPAIR]
        assert rules.factors_in_words("asb", "My neighbour plays loud music") == []

    def test_vulnerability_or_health_and_safety_or_two_risks_make_it_high_6_1(self) -> None:
        assert rules.suggested_priority([rules.VULNERABILITY]) == rules.HIGH
        assert rules.suggested_priority([rules.HEALTH_AND_SAFETY]) == rules.HIGH
        assert rules.suggested_priority([rules.DISREPAIR, rules.REPEAT]) == rules.HIGH
        assert rules.suggested_priority([rules.DISREPAIR]) == rules.NORMAL
        assert rules.suggested_priority([]) == rules.NORMAL

    def test_the_rule_values_are_the_models(self) -> None:
        assert set(rules.FACTORS) == set(RiskFactor.values)
        assert (rules.HIGH, rules.NORMAL) == (Priority.HIGH, Priority.NORMAL)


@time_machine.travel(TODAY, tick=False)
class TriageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_without_a_confirmed_triage_the_record_suggests_one_6_1(self) -> None:
        complaint = log(self.cast, TODAY, service_area="damp-mould", description=DAMP)
        assert complaint.priority == Priority.HIGH and complaint.risk_factors == ["health-and-safety"]
        assert "not yet confirmed by staff" in complaint.priority_reason
        assert "Triage: High priority, simple" in Event.objects.get(complaint=complaint, kind="logged").summary

    def test_a_triage_confirmed_at_logging_is_kept_6_1(self) -> None:
        complaint = log(
            self.cast,
            TODAY,
            triage=actions.Triage(Priority.HIGH, "complex", ["disrepair", "repeat"], "Third leak this year"),
        )
        assert (complaint.priority, complaint.complexity) == (Priority.HIGH, "complex")
        assert complaint.risk_factors == ["disrepair", "repeat"] and complaint.priority_reason == "Third leak this year"

    def test_a_triage_with_unknown_values_is_refused_beside_its_fields(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            log(self.cast, TODAY, triage=actions.Triage(7, "hard", ["ghosts"]))
        assert set(refused.value.errors) >= {"priority", "complexity", "risk_factors"}

    def test_vulnerability_and_repeat_complaints_are_suggested_from_the_record_6_1(self) -> None:
        first = log(self.cast, date(2025, 1, 6))
        Vulnerability.objects.create(person=first.person, description="Uses a wheelchair", disclosed_on=TODAY)
        suggested = actions.suggest(
            first.person, service_area="asb", description="Noise", received_on=TODAY, exclude=None
        )
        assert [s.factor for s in suggested] == ["vulnerability", "repeat"]
        assert first.reference in suggested[1].why
        # A complaint more than 12 months before is not a repeat complaint.
        assert [
            s.factor
            for s in actions.suggest(first.person, service_area="", description="", received_on=date(2026, 2, 1))
        ] == ["vulnerability"]

    def test_changing_the_priority_needs_a_reason_and_writes_an_event_6_1(self) -> None:
        complaint = log(self.cast, TODAY)
        with pytest.raises(InvalidInput) as refused:
            actions.set_priority(
                complaint, self.cast.handler, priority=1, complexity="simple", risk_factors=[], reason=""
            )
        assert "priority_reason" in refused.value.errors
        changed = actions.set_priority(
            complaint,
            self.cast.handler,
            priority=Priority.HIGH,
            complexity="complex",
            risk_factors=["vulnerability"],
            reason="The resident told us she is pregnant",
            expected_version=complaint.version,
        )
        assert changed.priority == Priority.HIGH and changed.version == complaint.version + 1
        event = Event.objects.get(complaint=complaint, kind="priority-changed")
        assert event.before["priority"] == Priority.NORMAL and event.after["priority"] == Priority.HIGH
        assert "pregnant" in event.summary and "High priority, complex" in event.summary

    def test_nothing_changed_stale_and_read_only_are_refused(self) -> None:
        complaint = log(self.cast, TODAY)
        same = {
            "priority": complaint.priority,
            "complexity": complaint.complexity,
            "risk_factors": complaint.risk_factors,
        }
        with pytest.raises(InvalidInput):
            actions.set_priority(complaint, self.cast.handler, reason="Checked", **same)
        with pytest.raises(StaleVersion):
            actions.set_priority(
                complaint,
                self.cast.handler,
                priority=1,
                complexity="simple",
                risk_factors=[],
                reason="x",
                expected_version=99,
            )
        with pytest.raises(NotPermitted):
            actions.set_priority(
                complaint, self.cast.auditor, priority=1, complexity="simple", risk_factors=[], reason="x"
            )
        with pytest.raises(NotPermitted):
            actions.set_priority(
                complaint, self.cast.stranger, priority=1, complexity="simple", risk_factors=[], reason="x"
            )

    def test_the_self_assessment_counts_the_triage_6_1(self) -> None:
        from putright.insight.evidence import evidence_for

        log(self.cast, TODAY, service_area="damp-mould", description=DAMP)
        log(self.cast, TODAY, triage=actions.Triage(Priority.NORMAL, "complex"))
        log(self.cast, TODAY, resident=actions.ResidentDetails(anonymous=True, phone="01"))
        sentence = evidence_for(self.cast.landlord, 2025).sentences["6.1"]
        assert "1 complaint high priority, 1 complex, 2 with a risk factor" in sentence
        assert "1 complaint from complainants who did not give their name" in sentence


@time_machine.travel(TODAY, tick=False)
class WorklistByPriorityTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        # Received earliest, so due soonest: normal priority.
        cls.soonest = log(cls.cast, date(2025, 6, 2))
        cls.high = log(cls.cast, date(2025, 6, 12), triage=actions.Triage(Priority.HIGH, risk_factors=["repeat"]))
        cls.later = log(cls.cast, date(2025, 6, 13))

    def test_high_priority_comes_first_then_the_deadline_6_1(self) -> None:
        html = page(signed_in(self.cast.officer).get("/staff/team/"))
        order = [html.index(c.reference) for c in (self.high, self.soonest, self.later)]
        assert order == sorted(order) and "High priority" in html

    def test_the_keyset_cursor_carries_the_priority_across_pages(self) -> None:
        from putright.complaints import queries

        filters = queries.WorklistFilter()
        first = queries.staff_worklist(self.cast.officer, filters, limit=1)
        assert first == [self.high]
        after = (first[0].priority, first[0].next_due, first[0].pk)
        rest = queries.staff_worklist(self.cast.officer, filters, after=after, limit=1)
        assert rest == [self.soonest]
        last = queries.staff_worklist(
            self.cast.officer, filters, after=(rest[0].priority, rest[0].next_due, rest[0].pk)
        )
        assert last == [self.later]

    def test_pages_by_cursor_in_the_workspace_and_a_bad_cursor_is_the_first_page(self) -> None:
        client = signed_in(self.cast.officer)
        cursor = f"{self.high.priority}.{self.high.next_due.isoformat()}.{self.high.pk}"
        html = page(client.get("/staff/team/", {"after": cursor}))
        assert self.high.reference not in html and self.soonest.reference in html
        assert self.high.reference in page(client.get("/staff/team/", {"after": "nonsense"}))

    def test_the_high_priority_filter_shows_only_high_priority(self) -> None:
        html = page(signed_in(self.cast.officer).get("/staff/team/", {"high_priority": "on"}))
        assert self.high.reference in html and self.soonest.reference not in html

    def test_the_worklist_costs_the_same_with_more_high_priority_complaints(self) -> None:
        client = signed_in(self.cast.officer)
        client.get("/staff/team/")
        with self.assertNumQueries(5):
            client.get("/staff/team/?high_priority=on")
        for day in (3, 4, 5):
            log(self.cast, date(2025, 6, day), triage=actions.Triage(Priority.HIGH))
        with self.assertNumQueries(5):
            assert client.get("/staff/team/?high_priority=on").status_code == 200


@time_machine.travel(TODAY, tick=False)
class PriorityPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_the_priority_is_shown_near_the_status_and_changed_with_a_reason(self) -> None:
        complaint = log(self.cast, TODAY, service_area="damp-mould", description=DAMP)
        client = signed_in(self.cast.handler)
        html = page(client.get(f"/staff/complaints/{complaint.reference}/"))
        assert "Priority (Code 6.1)" in html and "High priority" in html and "Health and safety" in html
        url = f"/staff/complaints/{complaint.reference}/priority/"
        form = page(client.get(url))
        assert "Putright suggests these risk factors" in form
        post = {
            "expected_version": complaint.version,
            "priority": "2",
            "complexity": "simple",
            "risk_factors": [],
            "reason": "",
        }
        assert "Enter why the priority is changing" in page(client.post(url, post))
        done = client.post(url, post | {"reason": "Mould treated yesterday; no health risk now"})
        assert done.status_code == 302
        complaint.refresh_from_db()
        assert complaint.priority == Priority.NORMAL and complaint.priority_reason.startswith("Mould treated")

    def test_the_auditor_is_not_offered_the_change_and_is_refused(self) -> None:
        complaint = log(self.cast, TODAY)
        auditor = signed_in(self.cast.auditor)
        assert f"/staff/complaints/{complaint.reference}/priority/" not in page(
            auditor.get(f"/staff/complaints/{complaint.reference}/")
        )
        assert auditor.get(f"/staff/complaints/{complaint.reference}/priority/").status_code == 403

    def test_logging_shows_the_suggestions_and_keeps_the_triage_chosen(self) -> None:
        client = signed_in(self.cast.handler)
        answers = log_form(TODAY, service_area="damp-mould", description=DAMP, priority="1", complexity="complex")
        check = page(client.post("/staff/complaints/new/", answers))
        assert "Putright suggests these risk factors" in check and "Not selected" in check
        answers |= {"risk_factors": ["health-and-safety"], "priority_reason": "Child with asthma"}
        check = page(client.post("/staff/complaints/new/", answers))
        assert "Not selected" not in check
        assert client.post("/staff/complaints/new/", answers | {"step": "log"}).status_code == 302
        complaint = Complaint.objects.get()
        assert (complaint.priority, complaint.complexity, complaint.risk_factors) == (
            1,
            "complex",
            ["health-and-safety"],
        )
        assert complaint.priority_reason == "Child with asthma"


@time_machine.travel(date(2025, 3, 3), tick=False)
class PriorityApiTests(ApiTestCase):
    def test_the_triage_is_read_with_suggestions_and_changed_with_a_reason(self) -> None:
        complaint = log(self.cast, date(2025, 3, 3), service_area="damp-mould", description=DAMP)
        read = self.get(f"/complaints/{complaint.reference}/priority")
        assert read.status_code == 200
        assert read.json()["priority"] == "high" and read.json()["suggested"][0]["factor"] == "health-and-safety"
        body = {
            "version": complaint.version,
            "priority": "normal",
            "complexity": "complex",
            "risk_factors": [],
            "reason": "Treated",
        }
        changed = self.post(f"/complaints/{complaint.reference}/priority", body)
        assert changed.status_code == 200, changed.json()
        assert changed.json()["priority"] == "normal" and changed.json()["complexity"] == "complex"
        assert (
            self.post(
                f"/complaints/{complaint.reference}/priority",
                body | {"version": changed.json()["version"]},
                as_="auditor",
            ).status_code
            == 403
        )
        assert self.get(f"/complaints/{complaint.reference}/priority", as_="stranger").status_code == 404

    def test_a_complaint_is_logged_with_its_triage(self) -> None:
        body = {
            "resident": {"name": "Rosa Resident", "email": "rosa@example.org"},
            "channel": "email",
            "received_on": "2025-03-03",
            "description": "The lift is broken.",
            "triage": {"priority": "high", "risk_factors": ["vulnerability"], "reason": "Uses a wheelchair"},
        }
        response = self.post("/complaints", body)
        assert response.status_code == 201, response.json()
        assert response.json()["priority"] == "high" and response.json()["risk_factors"] == ["vulnerability"]
