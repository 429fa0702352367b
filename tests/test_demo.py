"""`putright demo`: staff, residents and complaints in every state, made through the real actions."""

from __future__ import annotations

import random
import tempfile
from datetime import datetime
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db.models import Count, F
from django.test import TestCase
from django.utils import timezone

from putright.complaints.models import (
    OPEN_STATUSES,
    Complaint,
    DefinitionPoint,
    Event,
    Extension,
    OutstandingAction,
    Remedy,
    Stage,
    Status,
)
from putright.complaints.policies import policy_for
from putright.demo import scenarios, wording
from putright.landlords.calendars import policy_in_force, working_calendar
from putright.landlords.models import HomesCount, Landlord, StaffMember, StaffRole
from putright.people.models import Person, ReasonableAdjustment, Representative, Vulnerability

# A Wednesday, so that something can be due today.
DEMO_DAY = datetime(2026, 3, 11, 15, 30, tzinfo=ZoneInfo("Europe/London"))
COMPLAINTS = 48


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--complaints", str(COMPLAINTS), *args, stdout=out)
    return out.getvalue()


def totals() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Landlord, User, StaffMember, HomesCount, Person, Complaint, Stage, Event, Remedy)
    }


@time_machine.travel(DEMO_DAY, tick=False)
class DemoDataTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.output = demo()
        cls.today = timezone.localdate()

    def test_every_status_appears(self) -> None:
        statuses = set(Complaint.objects.values_list("status", flat=True))
        assert statuses == set(Status.values), set(Status.values) - statuses

    def test_the_number_of_complaints_is_the_number_asked_for(self) -> None:
        # A new issue raised on an open complaint may be logged as a further, linked complaint (6.8).
        unlinked = Complaint.objects.filter(related_to__isnull=True).count()
        assert COMPLAINTS - 2 <= unlinked <= COMPLAINTS + 2
        assert f"({Complaint.objects.count()} in all" in self.output

    def test_each_landlord_has_staff_in_every_role_and_three_years_of_homes(self) -> None:
        for landlord in Landlord.objects.all():
            roles = set(StaffMember.objects.filter(landlord=landlord).values_list("role", flat=True))
            assert roles == set(StaffRole.values)
            assert HomesCount.objects.filter(landlord=landlord).count() == 3
            assert Complaint.objects.filter(landlord=landlord).exists()
        assert User.objects.get(username="ash-handler1").check_password("putright-demo")
        assert "ash-handler1" in self.output and "putright-demo" in self.output

    def test_residents_are_invented_with_needs_and_representatives(self) -> None:
        emails = [e for e in Person.objects.values_list("email", flat=True) if e]
        assert emails and all(e.endswith(("@example.org", "@example.com")) for e in emails)
        assert Vulnerability.objects.exists() and ReasonableAdjustment.objects.exists()
        relationships = set(Representative.objects.values_list("relationship", flat=True))
        assert {"councillor", "mp"} <= relationships
        assert not Representative.objects.filter(relationship__in=["councillor", "mp"]).exclude(authority="presumed")

    def test_deadlines_today_soon_and_overdue(self) -> None:
        open_complaints = Complaint.objects.filter(status__in=OPEN_STATUSES)
        assert open_complaints.filter(next_due=self.today).exists()
        soon = working_calendar(Landlord.objects.first()).add_working_days(self.today, 2)  # type: ignore[arg-type]
        assert open_complaints.filter(next_due__gt=self.today, next_due__lte=soon).exists()
        assert open_complaints.filter(next_due__lt=self.today).exists()

    def test_extensions_escalations_remedies_and_actions_are_shown(self) -> None:
        assert Extension.objects.exclude(good_reason="").exists()
        assert Complaint.objects.filter(status=Status.STAGE2_OPEN, next_due_kind="acknowledge").exists()
        assert Complaint.objects.filter(escalation_refused=True, status=Status.CLOSED).exists()
        assert Complaint.objects.exclude(ombudsman_referred_on=None).exists()
        financial = Remedy.objects.filter(kind=Remedy.Kind.FINANCIAL, stage__complaint__status=Status.CLOSED)
        assert financial.filter(amount_time_and_trouble__gt=0).exists()
        assert OutstandingAction.objects.filter(completed_on=None, complaint__status=Status.CLOSED).exists()
        assert Complaint.objects.filter(inside_acceptance_window=False).exclude(discretion_note="").exists()

    def test_history_is_dated_in_the_past_in_order(self) -> None:
        now = timezone.now()
        assert not Event.objects.filter(at__gt=now).exists()
        assert Complaint.objects.filter(received_on__lt=self.today.replace(year=self.today.year - 1)).exists()
        for complaint in Complaint.objects.prefetch_related("events"):
            times = [event.at for event in complaint.events.all().order_by("id")]
            assert times == sorted(times), complaint.reference
            assert timezone.localdate(times[0]) == complaint.received_on

    def test_no_code_rule_is_broken(self) -> None:
        # Every acknowledged stage has a complaint definition with points to answer (5.6).
        acknowledged = Stage.objects.exclude(acknowledged_on=None)
        assert not acknowledged.filter(understanding="").exists()
        assert not acknowledged.annotate(n=Count("points")).filter(n=0).exists()
        # Every response answers every point with reasons, and gives the route onwards (6.7, 6.9, 6.18, 6.19).
        responded = DefinitionPoint.objects.filter(stage__responded_on__isnull=False)
        assert not responded.filter(decision="").exists() and not responded.filter(reasons="").exists()
        assert not Stage.objects.exclude(responded_on=None).filter(escalation_route="").exists()
        # Stage 2 is never considered by the person who handled stage 1 (6.13).
        stage1 = dict(Stage.objects.filter(number=1).values_list("complaint_id", "handler_id"))
        for complaint_id, handler_id in Stage.objects.filter(number=2).values_list("complaint_id", "handler_id"):
            assert handler_id is None or handler_id != stage1[complaint_id]
        # Extensions beyond the policy's cap carry a good reason (6.4, 6.15).
        for stage in Stage.objects.filter(extension_days__gt=0).select_related("complaint"):
            cap = policy_for(stage.complaint).stage(stage.number).extension_cap_days
            total = 0
            for extension in stage.extensions.order_by("id"):
                total += extension.days
                assert total <= cap or extension.good_reason, stage
        # Nothing is closed while a remedy is only offered; every refusal has a ground from the policy.
        assert not Remedy.objects.filter(stage__complaint__status=Status.CLOSED, state=Remedy.State.OFFERED).exists()
        for complaint in Complaint.objects.filter(status=Status.NOT_ACCEPTED):
            assert policy_for(complaint).exclusion_label(complaint.refusal_ground), complaint
        # Stored deadlines agree with the open stage.
        for complaint in Complaint.objects.filter(status__in=OPEN_STATUSES):
            stage = complaint.stages.get(number=complaint.stage)
            expected = stage.acknowledge_due if stage.acknowledged_on is None else stage.response_due
            assert complaint.next_due == expected
        # Most responses are on time, some are late.
        stages = Stage.objects.exclude(responded_on=None)
        late = stages.filter(responded_on__gt=F("response_due")).count()
        assert 0 < late < stages.count() / 2

    def test_running_it_again_changes_nothing(self) -> None:
        before = totals()
        output = demo()
        assert totals() == before
        assert "kept (it already has complaints)" in output

    def test_the_same_seed_plans_the_same_complaints(self) -> None:
        landlord = Landlord.objects.get(slug="medway")
        residents = list(Person.objects.filter(landlord=landlord))
        policy, calendar = policy_in_force(landlord, self.today), working_calendar(landlord)

        def plan(seed: str) -> list[scenarios.Scenario]:
            rng = random.Random(seed)
            fixed = scenarios.forced_scenarios(rng, policy, calendar, self.today, residents)
            return fixed + [scenarios.random_scenario(rng, policy, calendar, residents, self.today) for _ in range(50)]

        assert plan("1:medway") == plan("1:medway")
        assert plan("1:medway") != plan("2:medway")


class WordingTests(TestCase):
    def test_findings_become_a_residents_subject(self) -> None:
        cases = {
            "The landlord’s handling of the resident’s reports of damp and mould": "{my} reports of damp and mould",
            "Reports of noise disturbance.": "reports of noise disturbance",
            "In accordance with paragraph 52 of the Scheme, there was maladministration in the landlord’s handling "
            "of repairs to the boiler": "repairs to the boiler",
            "Maladministration in the landlord’s complaint handling.": None,
            "The landlord’s response to the resident’s concerns about the windows": "{my} concerns about the windows",
        }
        for finding, subject in cases.items():
            assert wording.subject_from_finding(finding) == subject, finding

    def test_without_the_shared_data_the_built_in_wording_is_used(self) -> None:
        with tempfile.TemporaryDirectory() as empty:
            subjects = wording.subjects_by_area(Path(empty))
        assert all(subjects[area] for area in subjects)
        assert subjects["repairs"][0] == wording.BUILT_IN_SUBJECTS["repairs"][0]
