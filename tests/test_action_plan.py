"""The self-assessment's action plan (Code 8.1 a, seed 003 Annex 2): lines with an owner, a target
date, a status and updates; lines made from an approved self-assessment, an open line carried
forward rather than repeated; reminders 14 days before the target date and once it has passed; the
plan in the quarterly governance report; the pages, for officers and managers to change and the
auditor to read."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.correspondence import reminders
from putright.correspondence.models import OutboxMessage
from putright.governance.actions import action_plan as actions
from putright.governance.actions.action_plan import Shortfall
from putright.governance.models import ActionPlanItem, ActionPlanUpdate, LineStatus
from putright.insight import actions as insight_actions
from putright.insight.reports import governance_report
from tests.cast import make_cast

TODAY = date(2025, 6, 2)  # a Monday, in the first quarter of the 2025 reporting year
TARGET = date(2025, 9, 30)


def add(cast, **changes: object) -> ActionPlanItem:  # type: ignore[no-untyped-def]
    fields: dict[str, object] = {
        "provision": "6.2",
        "action": "Acknowledge every stage 1 complaint within 5 working days: add a daily check of new complaints.",
        "target_date": TARGET,
        "owner": cast.officer,
        "owner_name": "",
    }
    fields.update(changes)
    actor = fields.pop("actor", cast.officer)
    return actions.add_line(cast.landlord, actor, **fields)  # type: ignore[arg-type]


@time_machine.travel(TODAY, tick=False)
class AddingAndChangingLinesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_a_line_has_a_provision_an_action_an_owner_and_a_target_date(self) -> None:
        item = add(self.cast)
        assert (item.provision, item.status, item.target_date) == ("6.2", LineStatus.NOT_STARTED, TARGET)
        assert item.owner == self.cast.officer and item.owner_name == "Olu Officer"  # the account's name by default
        named = add(self.cast, provision="9.7", owner=None, owner_name="Head of Housing Services")
        assert named.owner is None and named.owner_name == "Head of Housing Services"

    def test_bad_input_is_refused_with_messages_a_person_can_act_on_and_nothing_is_written(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            add(self.cast, provision="6.99", action="  ", owner=None, target_date=date(2025, 6, 1))
        assert refused.value.errors == {
            "provision": "Enter a provision of the Code from 1.2 to 9.8, for example 6.2",
            "action": "Enter what will be done",
            "owner_name": "Enter who owns this action: a name or a role",
            "target_date": "The target date must be today or in the future",
        }
        with pytest.raises(InvalidInput) as refused:
            add(self.cast, provision="", target_date=None, owner=self.cast.stranger)
        assert refused.value.errors == {
            "provision": "Enter the Code provision, for example 6.2",
            "owner": "Choose a member of your landlord's staff as the owner",
            "target_date": "Enter the target date",
        }
        assert not ActionPlanItem.objects.exists()

    def test_only_the_complaints_officer_and_managers_of_this_landlord_change_the_plan(self) -> None:
        for person in (self.cast.auditor, self.cast.handler, self.cast.reviewer):
            with pytest.raises(NotPermitted):
                add(self.cast, actor=person)
        with pytest.raises(NotPermitted):
            add(self.cast, actor=self.cast.stranger, owner=None, owner_name="Sam")
        assert add(self.cast, actor=self.cast.manager).created_by == self.cast.manager
        assert ActionPlanItem.objects.count() == 1

    def test_the_same_line_twice_is_refused_as_already_on_the_plan(self) -> None:
        add(self.cast)
        with pytest.raises(TransitionNotAllowed, match="already on the plan"):
            add(self.cast)
        assert ActionPlanItem.objects.count() == 1

    def test_a_changed_target_cannot_be_in_the_past_but_a_passed_one_may_stay(self) -> None:
        item = add(self.cast)
        with time_machine.travel(date(2025, 10, 6), tick=False):
            with pytest.raises(InvalidInput) as refused:
                actions.change_line(
                    item, self.cast.manager, provision="6.2", action="x", target_date=date(2025, 10, 1), owner_name="O"
                )
            assert refused.value.errors == {"target_date": "The target date must be today or in the future"}
            changed = actions.change_line(
                item,
                self.cast.manager,
                provision="6.3",
                action="Check daily",
                target_date=TARGET,
                owner=None,
                owner_name="Customer Services Manager",
            )
        assert (changed.provision, changed.action, changed.owner, changed.owner_name) == (
            "6.3",
            "Check daily",
            None,
            "Customer Services Manager",
        )

    def test_a_closed_line_cannot_be_changed_until_an_update_reopens_it(self) -> None:
        item = add(self.cast)
        actions.post_update(item, self.cast.officer, note="Daily check in place.", status="done", done_on=TODAY)
        with pytest.raises(TransitionNotAllowed, match="post an update to reopen it"):
            actions.change_line(item, self.cast.officer, provision="6.2", action="x", target_date=TARGET)
        actions.post_update(item, self.cast.officer, note="Checks lapsed in June.", status="in-progress")
        item.refresh_from_db()
        assert (item.status, item.done_on) == (LineStatus.IN_PROGRESS, None)
        actions.change_line(
            item, self.cast.officer, provision="6.2", action="Restart the checks", target_date=TARGET, owner_name="Olu"
        )


@time_machine.travel(TODAY, tick=False)
class PostingUpdatesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        self.item = add(self.cast)

    def test_an_update_records_what_was_done_by_whom_and_when_and_any_change_of_status(self) -> None:
        first = actions.post_update(self.item, self.cast.manager, note="Report built.", status="in-progress")
        assert (first.status_from, first.status_to, first.by, first.at.date()) == (
            "not-started",
            "in-progress",
            self.cast.manager,
            TODAY,
        )
        second = actions.post_update(self.item, self.cast.officer, note="First week checked.")
        assert (second.status_from, second.status_to, second.changed_status) == ("in-progress", "", False)
        self.item.refresh_from_db()
        assert self.item.status == LineStatus.IN_PROGRESS

    def test_done_needs_the_date_it_was_done_which_cannot_be_in_the_future(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            actions.post_update(self.item, self.cast.officer, note="Done.", status="done")
        assert refused.value.errors == {"done_on": "Enter the date the action was done"}
        with pytest.raises(InvalidInput) as refused:
            actions.post_update(self.item, self.cast.officer, note="Done.", status="done", done_on=TODAY + timedelta(1))
        assert refused.value.errors == {"done_on": "The date the action was done cannot be in the future"}
        actions.post_update(self.item, self.cast.officer, note="Done.", status="done", done_on=date(2025, 5, 30))
        self.item.refresh_from_db()
        assert (self.item.status, self.item.done_on) == (LineStatus.DONE, date(2025, 5, 30))

    def test_dropping_needs_a_reason(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            actions.post_update(self.item, self.cast.officer, note=" ", status="dropped")
        assert refused.value.errors == {"note": "Enter why the action is being dropped"}
        actions.post_update(self.item, self.cast.officer, note="Replaced by the new system's alerts.", status="dropped")
        self.item.refresh_from_db()
        assert self.item.dropped_reason == "Replaced by the new system's alerts." and not self.item.is_open

    def test_a_bad_status_or_a_missing_note_is_refused(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            actions.post_update(self.item, self.cast.officer, note="", status="finished")
        assert refused.value.errors == {
            "note": "Enter what has been done",
            "status": "Choose not started, in progress, done or dropped",
        }
        assert not ActionPlanUpdate.objects.exists()

    def test_the_same_update_posted_twice_is_recorded_once(self) -> None:
        actions.post_update(self.item, self.cast.officer, note="Report built.", status="in-progress")
        with pytest.raises(TransitionNotAllowed, match="already been recorded"):
            actions.post_update(self.item, self.cast.officer, note="Report built.", status="in-progress")
        assert ActionPlanUpdate.objects.count() == 1

    def test_the_auditor_and_another_landlord_cannot_post_updates(self) -> None:
        for person in (self.cast.auditor, self.cast.stranger, self.cast.handler):
            with pytest.raises(NotPermitted):
                actions.post_update(self.item, person, note="Hello")
        assert not ActionPlanUpdate.objects.exists()


def shortfall(entry_id: int, provision: str = "6.2", target: date | None = TARGET) -> Shortfall:
    return Shortfall(entry_id, provision, "Add a daily check of new complaints.", target, "Complaints Manager")


@time_machine.travel(TODAY, tick=False)
class LinesFromAnAssessmentTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def from_assessment(self, assessment_id: int, *found: Shortfall) -> actions.FromAssessment:
        return actions.lines_from_assessment(
            self.cast.landlord, self.cast.manager, assessment_id=assessment_id, approved_on=TODAY, shortfalls=found
        )

    def test_each_entry_short_of_yes_becomes_a_line_and_repeating_creates_nothing_more(self) -> None:
        done = self.from_assessment(7, shortfall(70), shortfall(71, "9.7"))
        assert [(i.provision, i.owner_name, i.from_assessment, i.from_entry) for i in done.created] == [
            ("6.2", "Complaints Manager", 7, 70),
            ("9.7", "Complaints Manager", 7, 71),
        ]
        again = self.from_assessment(7, shortfall(70), shortfall(71, "9.7"))
        assert again.created == [] and again.carried_forward == []
        assert ActionPlanItem.objects.count() == 2 and not ActionPlanUpdate.objects.exists()

    def test_an_open_line_for_the_provision_is_carried_forward_not_duplicated(self) -> None:
        by_hand = add(self.cast)
        done = self.from_assessment(8, shortfall(80, target=date(2025, 12, 31)))
        assert done.created == [] and done.carried_forward == [by_hand]
        by_hand.refresh_from_db()
        assert (by_hand.from_assessment, by_hand.from_entry, by_hand.target_date) == (8, 80, TARGET)
        note = by_hand.updates.get().note
        assert note == (
            "Carried forward: the self-assessment approved on 2 June 2025 still finds this provision short of full "
            "compliance. It gives a target date of 31 December 2025."
        )
        # A line done since is not carried forward: the next assessment's shortfall is a new line.
        actions.post_update(by_hand, self.cast.officer, note="Done.", status="done", done_on=TODAY)
        assert [i.provision for i in self.from_assessment(9, shortfall(90)).created] == ["6.2"]
        assert ActionPlanItem.objects.count() == 2

    def test_the_approver_must_be_staff_of_this_landlord(self) -> None:
        with pytest.raises(NotPermitted):
            actions.lines_from_assessment(
                self.cast.landlord, self.cast.stranger, assessment_id=1, approved_on=TODAY, shortfalls=[shortfall(1)]
            )
        assert not ActionPlanItem.objects.exists()


@time_machine.travel(TODAY, tick=False)
class ApprovingTheSelfAssessmentTests(TestCase):
    def test_approval_puts_the_actions_short_of_yes_on_the_plan_once(self) -> None:
        cast = make_cast()
        assessment = insight_actions.start_self_assessment(cast.landlord, cast.officer, year_starting=2024)
        for entry in assessment.entries.all():
            short = entry.provision in ("6.2", "9.7")
            insight_actions.update_entry(
                entry,
                cast.officer,
                comply="partial" if short else "yes",
                evidence="Complaints policy, section 4",
                action=f"Put right {entry.provision}" if short else "",
                target_date=TARGET if short else None,
                responsible="Head of Housing" if short else "",
            )
        insight_actions.submit_self_assessment(assessment, cast.officer)
        insight_actions.approve_self_assessment(assessment, cast.manager)
        lines = list(ActionPlanItem.objects.order_by("provision"))
        assert [(i.provision, i.action, i.owner_name, i.target_date, i.from_assessment) for i in lines] == [
            ("6.2", "Put right 6.2", "Head of Housing", TARGET, assessment.pk),
            ("9.7", "Put right 9.7", "Head of Housing", TARGET, assessment.pk),
        ]


class RemindersTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        with time_machine.travel(TODAY, tick=False):
            cls.item = add(cls.cast, owner=cls.cast.manager)
            cls.named = add(cls.cast, provision="9.7", owner=None, owner_name="Cabinet member", target_date=TARGET)

    def sent(self) -> list[tuple[str, str]]:
        return sorted(
            OutboxMessage.objects.filter(once_key__startswith="action-plan").values_list("to_address", "subject")
        )

    def test_nothing_more_than_14_days_before_the_target_date(self) -> None:
        assert reminders.plan_for(self.cast.landlord, TARGET - timedelta(15)).total == 0

    def test_the_owner_and_the_officers_are_reminded_once_14_days_before_and_once_when_overdue(self) -> None:
        reminders.plan_for(self.cast.landlord, TARGET - timedelta(14))
        subject = "Due by 30 September 2025: action plan for provision"
        assert self.sent() == [
            ("mei.manager@example.org", f"{subject} 6.2"),
            ("olu.officer@example.org", f"{subject} 6.2"),
            ("olu.officer@example.org", f"{subject} 9.7"),  # no account: the officers only
        ]
        assert reminders.plan_for(self.cast.landlord, TARGET - timedelta(13)).total == 0
        assert reminders.plan_for(self.cast.landlord, TARGET + timedelta(1)).overdue == 3
        assert reminders.plan_for(self.cast.landlord, TARGET + timedelta(2)).total == 0
        body = OutboxMessage.objects.filter(to_address="mei.manager@example.org", kind="overdue").get().body
        assert "was due by Tuesday 30 September 2025 and is not recorded as done" in body
        assert f"/staff/insight/action-plan/{self.item.pk}/" in body

    def test_a_line_done_or_at_another_landlord_is_not_reminded(self) -> None:
        with time_machine.travel(TODAY, tick=False):
            actions.post_update(self.item, self.cast.officer, note="Done.", status="done", done_on=TODAY)
            actions.post_update(self.named, self.cast.officer, note="Not needed.", status="dropped")
        assert reminders.plan_for(self.cast.landlord, TARGET + timedelta(1)).total == 0
        assert reminders.plan_for(self.cast.other_landlord, TARGET + timedelta(1)).total == 0


@time_machine.travel(date(2025, 7, 10), tick=False)
class GovernanceReportTests(TestCase):
    def test_the_report_shows_open_lines_overdue_flagged_and_those_done_in_the_quarter(self) -> None:
        cast = make_cast()
        with time_machine.travel(date(2025, 4, 1), tick=False):
            late = add(cast, provision="9.7", action="Report to Cabinet each quarter", target_date=date(2025, 6, 30))
            done = add(cast, provision="6.2", action="Daily check of new complaints")
            actions.post_update(late, cast.officer, note="Draft report written.", status="in-progress")
        with time_machine.travel(date(2025, 6, 16), tick=False):
            actions.post_update(done, cast.officer, note="Checks in place.", status="done", done_on=date(2025, 6, 13))
        report = governance_report(cast.landlord, 2025, 1)
        assert [(line.item.provision, line.overdue) for line in report.action_plan.open_lines] == [("9.7", True)]
        assert report.action_plan.open_lines[0].latest.note == "Draft report written."  # type: ignore[union-attr]
        assert [line.item.provision for line in report.action_plan.done_in_period] == ["6.2"]
        assert governance_report(cast.landlord, 2025, 2).action_plan.done_in_period == []
        self.client.force_login(cast.auditor)
        page = self.client.get(reverse("insight:governance"), {"year": 2025, "quarter": 1}).content.decode()
        assert "The self-assessment's action plan" in page
        assert "Report to Cabinet each quarter" in page and "Draft report written." in page and "Overdue" in page


@time_machine.travel(TODAY, tick=False)
class ActionPlanPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.index = reverse("insight:action-plan")
        cls.new = reverse("insight:action-plan-new")

    def form(self, **changes: str) -> dict[str, str]:
        data = {
            "provision": "6.2",
            "action": "Add a daily check of new complaints",
            "owner": str(self.cast.officer.pk),
            "owner_name": "",
            "target_date_0": "30",
            "target_date_1": "9",
            "target_date_2": "2025",
        }
        data.update(changes)
        return data

    def test_an_officer_adds_a_line_and_sees_it_on_the_plan(self) -> None:
        self.client.force_login(self.cast.officer)
        assert "Add an action" in self.client.get(self.index).content.decode()
        answer = self.client.post(self.new, self.form())
        item = ActionPlanItem.objects.get()
        assert answer.status_code == 302 and answer["Location"] == reverse("insight:action-plan-line", args=[item.pk])
        page = self.client.get(self.index).content.decode()
        assert "Add a daily check of new complaints" in page and "30 Sep 2025" in page and "Olu Officer" in page

    def test_errors_are_shown_in_the_summary_and_a_double_submit_adds_nothing_twice(self) -> None:
        self.client.force_login(self.cast.manager)
        page = self.client.post(
            self.new, self.form(provision="10.1", target_date_0="", target_date_1="", target_date_2="", owner="")
        ).content.decode()
        assert "There is a problem" in page
        assert "Enter a provision of the Code from 1.2 to 9.8, for example 6.2" in page
        assert "Enter the target date" in page
        assert not ActionPlanItem.objects.exists()
        self.client.post(self.new, self.form())
        again = self.client.post(self.new, self.form()).content.decode()
        assert "already on the plan" in again and ActionPlanItem.objects.count() == 1

    def test_text_typed_in_comes_back_as_text(self) -> None:
        self.client.force_login(self.cast.officer)
        self.client.post(self.new, self.form(action="<script>alert(1)</script>"))
        item = ActionPlanItem.objects.get()
        for url in (self.index, reverse("insight:action-plan-line", args=[item.pk])):
            page = self.client.get(url).content.decode()
            assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    def test_posting_an_update_and_marking_it_done(self) -> None:
        item = add(self.cast)
        self.client.force_login(self.cast.officer)
        url = reverse("insight:action-plan-update", args=[item.pk])
        page = self.client.post(url, {"note": "Done", "status": "done"}).content.decode()
        assert "Enter the date the action was done" in page
        answer = self.client.post(
            url, {"note": "Checks running", "status": "done", "done_on_0": "2", "done_on_1": "6", "done_on_2": "2025"}
        )
        assert answer.status_code == 302
        page = self.client.get(reverse("insight:action-plan-line", args=[item.pk])).content.decode()
        assert "Checks running" in page and "Not started to Done" in page and "Done, on 2 June 2025" in page

    def test_the_auditor_reads_but_cannot_change_handlers_are_refused_and_another_landlord_sees_nothing(self) -> None:
        item = add(self.cast)
        line = reverse("insight:action-plan-line", args=[item.pk])
        self.client.force_login(self.cast.auditor)
        page = self.client.get(self.index).content.decode()
        assert "daily check" in page
        assert "Add an action" not in page and "Post an update" not in self.client.get(line).content.decode()
        assert self.client.get(self.new).status_code == 403
        assert self.client.post(reverse("insight:action-plan-update", args=[item.pk]), {"note": "x"}).status_code == 403
        self.client.force_login(self.cast.handler)
        assert self.client.get(self.index).status_code == 403
        self.client.force_login(self.cast.stranger)
        assert self.client.get(line).status_code == 404
        assert self.client.post(reverse("insight:action-plan-change", args=[item.pk]), self.form()).status_code == 404
        assert self.client.get(self.index).status_code == 200
        assert "daily check" not in self.client.get(self.index).content.decode()

    def test_the_plan_page_reads_the_same_number_of_queries_however_many_lines(self) -> None:
        self.client.force_login(self.cast.auditor)
        item = add(self.cast)
        actions.post_update(item, self.cast.officer, note="Started", status="in-progress")
        self.client.get(self.index)  # the session is kept alive on the first page read
        one_line = self._count()
        for number in ("6.3", "6.4", "9.7"):
            line = add(self.cast, provision=number, owner=self.cast.manager)
            actions.post_update(line, self.cast.officer, note="Started", status="in-progress")
        with self.assertNumQueries(one_line):
            assert self.client.get(self.index).content.decode().count("Started") == 4

    def _count(self) -> int:
        with CaptureQueriesContext(connection) as queries:
            self.client.get(self.index)
        return len(queries)
