"""The reporting calendar (issue 17): each year's deadlines with the landlord's own dates over the defaults,
met from the records (the self-assessment approved, the annual report presented to the governing body) or
marked done by staff; the "What is due" page; and the reminders to the complaints officers and the MRC 30
and 7 days before and once overdue."""

from __future__ import annotations

from datetime import date, timedelta

import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.correspondence import reminders
from putright.correspondence.models import OutboxMessage
from putright.governance import deadlines
from putright.governance.actions import bodies
from putright.governance.actions import calendar as calendar_actions
from putright.governance.models import DeadlineDone, DeadlineKind, GoverningBody, OversightRole, ReportKind
from putright.insight import actions as insight_actions
from putright.landlords.models import StaffRole
from tests.cast import make_cast, staff
from tests.test_workspace_support import date_fields, page, signed_in

TODAY = date(2025, 5, 1)


def by_kind(found: list[deadlines.Deadline], year: int) -> dict[str, deadlines.Deadline]:
    return {d.kind: d for d in found if d.year_starting == year}


@time_machine.travel(TODAY, tick=False)
class CalendarTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.member = staff("clare.member", cls.cast.landlord, StaffRole.MEMBER)

    def test_the_defaults_and_a_landlords_own_date(self) -> None:
        found = by_kind(deadlines.deadlines(self.cast.landlord.pk, [2024]), 2024)
        assert found[DeadlineKind.SELF_ASSESSMENT].due_on == date(2025, 5, 31)
        assert found[DeadlineKind.ANNUAL_REPORT].due_on == date(2025, 6, 30)
        assert found[DeadlineKind.SELF_ASSESSMENT].status == "Due in 30 days"
        calendar_actions.set_due_date(self.cast.landlord, self.cast.officer, kind="self_assessment", month=4, day=30)
        moved = by_kind(deadlines.deadlines(self.cast.landlord.pk, [2024]), 2024)[DeadlineKind.SELF_ASSESSMENT]
        assert (moved.due_on, moved.status, moved.overdue) == (date(2025, 4, 30), "Overdue by 1 day", True)
        # Another landlord keeps the defaults.
        other = by_kind(deadlines.deadlines(self.cast.other_landlord.pk, [2024]), 2024)
        assert other[DeadlineKind.SELF_ASSESSMENT].due_on == date(2025, 5, 31)

    def test_due_dates_are_validated_and_kept_by_the_officer_or_a_manager(self) -> None:
        with self.assertRaises(InvalidInput) as refused:
            calendar_actions.set_due_date(self.cast.landlord, self.cast.manager, kind="x", month=2, day=30)
        assert refused.exception.errors == {
            "kind": "Select the deadline to change",
            "day": "Enter a day that exists in that month",
        }
        for user in (self.cast.auditor, self.member, self.cast.handler):
            with self.assertRaises(NotPermitted):
                calendar_actions.set_due_date(self.cast.landlord, user, kind="publication", month=7, day=31)

    def test_publication_is_marked_done_once_and_record_made_deadlines_cannot_be(self) -> None:
        calendar_actions.mark_done(
            self.cast.landlord,
            self.cast.officer,
            kind="publication",
            year_starting=2024,
            done_on=date(2025, 4, 28),
            note="On the complaints page",
        )
        found = by_kind(deadlines.deadlines(self.cast.landlord.pk, [2024]), 2024)[DeadlineKind.PUBLICATION]
        assert (found.status, found.how) == ("Done on 28 April 2025", "On the complaints page")
        with self.assertRaises(TransitionNotAllowed):
            calendar_actions.mark_done(
                self.cast.landlord, self.cast.manager, kind="publication", year_starting=2024, done_on=TODAY
            )
        with self.assertRaises(InvalidInput) as refused:
            calendar_actions.mark_done(
                self.cast.landlord, self.cast.officer, kind="self_assessment", year_starting=2024, done_on=None
            )
        assert set(refused.exception.errors) == {"kind", "done_on"}

    def test_met_from_the_records(self) -> None:
        # The annual report presented to the governing body.
        cabinet = bodies.add_governing_body(
            self.cast.landlord, self.cast.officer, name="Cabinet", kind=GoverningBody.Kind.GOVERNING_BODY
        )
        bodies.record_presentation(
            self.cast.landlord,
            self.cast.officer,
            report=ReportKind.ANNUAL,
            year_starting=2024,
            body=cabinet,
            meeting="Cabinet, 24 April 2025",
            presented_on=date(2025, 4, 24),
        )
        # The self-assessment approved (by a manager: no MRC has an account).
        assessment = insight_actions.start_self_assessment(self.cast.landlord, self.cast.officer, year_starting=2024)
        for entry in assessment.entries.all():
            insight_actions.update_entry(entry, self.cast.officer, comply="yes", evidence="Complaints policy")
        insight_actions.submit_self_assessment(assessment, self.cast.officer)
        insight_actions.approve_self_assessment(assessment, self.cast.manager)
        found = by_kind(deadlines.deadlines(self.cast.landlord.pk, [2024]), 2024)
        assert found[DeadlineKind.ANNUAL_REPORT].status == "Done on 24 April 2025"
        assert found[DeadlineKind.ANNUAL_REPORT].how == "Presented at Cabinet, 24 April 2025"
        assert found[DeadlineKind.SELF_ASSESSMENT].status == "Done on 1 May 2025"
        assert DeadlineDone.objects.get(kind="self_assessment").from_records

    def test_the_due_page_lists_status_and_marks_done(self) -> None:
        html = page(signed_in(self.member).get("/staff/insight/oversight/due/"))
        assert "Self-assessment completed and approved" in html and "Due in 30 days" in html
        assert "Mark done" not in html  # the member reads the calendar
        client = signed_in(self.cast.officer)
        response = client.post(
            "/staff/insight/oversight/due/done/",
            {"kind": "submission", "year": "2024", "note": "<b>By email</b>", **date_fields("done_on", TODAY)},
        )
        assert response.status_code == 302
        html = page(client.get("/staff/insight/oversight/due/"))
        assert "Done on 1 May 2025" in html and "&lt;b&gt;By email&lt;/b&gt;" in html
        again = client.post(
            "/staff/insight/oversight/due/done/",
            {"kind": "submission", "year": "2024", **date_fields("done_on", TODAY)},
        )
        assert "already recorded as done" in page(again)
        moved = client.post("/staff/insight/oversight/due/dates/", {"kind": "publication", "day": "31", "month": "7"})
        assert moved.status_code == 302
        assert "31 July" in page(client.get("/staff/insight/oversight/due/"))
        assert signed_in(self.cast.auditor).get("/staff/insight/oversight/due/dates/").status_code == 403

    def test_the_due_page_reads_the_same_number_of_queries_however_many_records(self) -> None:
        cabinet = bodies.add_governing_body(
            self.cast.landlord, self.cast.officer, name="Cabinet", kind=GoverningBody.Kind.GOVERNING_BODY
        )
        bodies.appoint(
            self.cast.landlord, self.cast.officer, role=OversightRole.MRC, name="Cllr Clare", starts_on=TODAY
        )
        calendar_actions.mark_done(
            self.cast.landlord, self.cast.officer, kind="publication", year_starting=2024, done_on=TODAY
        )
        client = signed_in(self.cast.officer)
        client.get("/staff/insight/oversight/due/")  # warm the session and the user
        with CaptureQueriesContext(connection) as one:
            assert "Done on 1 May 2025" in page(client.get("/staff/insight/oversight/due/"))
        for name in ("Housing Scrutiny Committee", "Audit Committee"):
            bodies.add_governing_body(self.cast.landlord, self.cast.officer, name=name, kind="committee")
        bodies.appoint(
            self.cast.landlord, self.cast.officer, role=OversightRole.SENIOR_LEAD, name="Sam Lead", starts_on=TODAY
        )
        for year, meeting in ((2024, "Cabinet, 24 April 2025"), (2025, "Cabinet, 30 April 2025")):
            bodies.record_presentation(
                self.cast.landlord,
                self.cast.officer,
                report=ReportKind.ANNUAL,
                year_starting=year,
                body=cabinet,
                meeting=meeting,
                presented_on=date(2025, 4, 24) if year == 2024 else date(2025, 4, 30),
            )
        for kind, year in (("submission", 2024), ("publication", 2025), ("submission", 2025)):
            calendar_actions.mark_done(
                self.cast.landlord, self.cast.officer, kind=kind, year_starting=year, done_on=TODAY, note=f"{kind} done"
            )
        calendar_actions.set_due_date(self.cast.landlord, self.cast.officer, kind="publication", month=7, day=31)
        calendar_actions.set_due_date(self.cast.landlord, self.cast.officer, kind="submission", month=8, day=15)
        assert DeadlineDone.objects.filter(landlord=self.cast.landlord).count() == 4
        with self.assertNumQueries(len(one)):
            html = page(client.get("/staff/insight/oversight/due/"))
        assert "Presented at Cabinet, 30 April 2025" in html and "submission done" in html and "31 July" in html


class ReminderTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.member = staff("clare.member", cls.cast.landlord, StaffRole.MEMBER)

    def sent(self) -> list[tuple[str, str]]:
        return sorted(
            (m.once_key.split(":")[0], m.to_address)
            for m in OutboxMessage.objects.filter(once_key__startswith="reporting-deadline")
            if ":self_assessment:" in m.once_key
        )

    def test_no_reminder_until_the_landlord_keeps_its_oversight_records(self) -> None:
        reminders.plan_for(self.cast.landlord, date(2025, 5, 1))
        assert self.sent() == []

    def test_30_and_7_days_before_and_once_overdue_to_the_officers_and_the_mrc(self) -> None:
        with time_machine.travel(date(2025, 4, 1), tick=False):
            bodies.appoint(
                self.cast.landlord,
                self.cast.officer,
                role=OversightRole.MRC,
                name="Cllr Clare Member",
                starts_on=date(2024, 5, 20),
                user=self.member,
            )
        due = date(2025, 5, 31)
        reminders.plan_for(self.cast.landlord, due - timedelta(31))
        assert self.sent() == []
        for day in (due - timedelta(30), due - timedelta(29)):
            reminders.plan_for(self.cast.landlord, day)
        people = ["clare.member@example.org", "olu.officer@example.org"]
        assert self.sent() == [("reporting-deadline-30", p) for p in people]
        reminders.plan_for(self.cast.landlord, due - timedelta(7))
        reminders.plan_for(self.cast.landlord, due + timedelta(1))
        reminders.plan_for(self.cast.landlord, due + timedelta(2))
        assert self.sent() == sorted(
            [("reporting-deadline-30", p) for p in people]
            + [("reporting-deadline-7", p) for p in people]
            + [("reporting-deadline-overdue", p) for p in people]
        )
        message = OutboxMessage.objects.filter(
            once_key__startswith="reporting-deadline-overdue:self_assessment"
        ).first()
        assert message is not None
        assert "Overdue: self-assessment completed and approved" in message.subject
        assert "was due by Saturday 31 May 2025" in message.body
