"""Reminders to staff: before a deadline, after it, for agreed updates, and each morning's digest.

Each is written once, only on the landlord's working days and within working hours (UK time).
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.test import TestCase, override_settings

from putright.complaints import actions
from putright.complaints.errors import InvalidInput
from putright.complaints.models import Complaint, Stage
from putright.correspondence import outbox, reminders, sending
from putright.correspondence.models import OutboxMessage
from putright.landlords.actions import adopt_policy
from putright.rules.policy import PolicyError, load_policy, parse_policy, policy_from_data, with_changes
from tests.cast import EXAMPLE_POLICIES, acknowledge, log, make_cast
from tests.smtp_support import SmtpServer
from tests.test_settings import start

UK = ZoneInfo("Europe/London")


def at(day: date, hour: int = 10, minute: int = 0) -> datetime:
    return datetime.combine(day, time(hour, minute), tzinfo=UK)


def plan(moment: datetime) -> reminders.Planned:
    with time_machine.travel(moment, tick=False):
        return reminders.plan()


def reminders_of(kind: str) -> list[tuple[str, str]]:
    rows = OutboxMessage.objects.filter(kind=kind).order_by("to_address")
    return [(m.to_address, m.subject) for m in rows]


class ReminderTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def logged(self, received: date, assign_to: object = None) -> Complaint:
        with time_machine.travel(at(received), tick=False):
            complaint = log(self.cast, received)
            if assign_to is not None:
                complaint = actions.assign_handler(
                    complaint, self.cast.officer, handler=assign_to, conflict_of_interest=False
                )
        return complaint

    def test_the_handler_is_reminded_two_working_days_before_the_acknowledgement_once(self) -> None:
        # Received Monday 16 June 2025: acknowledgement due Monday 23 June.
        complaint = self.logged(date(2025, 6, 16), assign_to=self.cast.handler)
        stage = Stage.objects.get(complaint=complaint)
        assert plan(at(date(2025, 6, 18))).due_soon == 0  # Wednesday: three working days ahead
        assert plan(at(date(2025, 6, 19))).due_soon == 1  # Thursday: two working days ahead
        assert plan(at(date(2025, 6, 19), 16, 59)).due_soon == 0  # the same sweep again: nothing more
        assert plan(at(date(2025, 6, 20))).due_soon == 0  # nor the next day
        [message] = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.DUE_SOON)
        assert message.to_user == self.cast.handler and message.complaint == complaint
        assert message.once_key == f"due-soon:{stage.pk}:acknowledge:2025-06-23:{self.cast.handler.pk}"
        assert message.subject == f"{complaint.reference}: acknowledgement due Monday 23 June"
        assert "due on Monday 23 June 2025, 2 working days from today" in message.body

    def test_after_acknowledging_the_response_gets_its_own_reminder(self) -> None:
        complaint = self.logged(date(2025, 6, 16))
        with time_machine.travel(at(date(2025, 6, 17)), tick=False):
            acknowledge(self.cast, complaint, date(2025, 6, 17))
        # Respond within 10 working days of acknowledging: Tuesday 1 July; reminded Friday 27 June.
        assert plan(at(date(2025, 6, 26))).due_soon == 0
        assert plan(at(date(2025, 6, 27))).due_soon == 1
        assert reminders_of(OutboxMessage.Kind.DUE_SOON) == [
            ("hana.handler@example.org", f"{complaint.reference}: response due Tuesday 1 July")
        ]

    def test_a_policy_can_remind_on_the_day_itself(self) -> None:
        policy = with_changes(load_policy(EXAMPLE_POLICIES / "code-2024.toml"), reminder_days_before=0)
        adopt_policy(self.cast.landlord, policy, date(2025, 1, 1))
        complaint = self.logged(date(2025, 6, 16), assign_to=self.cast.handler)
        assert plan(at(date(2025, 6, 20))).due_soon == 0
        assert plan(at(date(2025, 6, 23))).due_soon == 1
        assert reminders_of(OutboxMessage.Kind.DUE_SOON) == [
            ("hana.handler@example.org", f"{complaint.reference}: acknowledgement due today")
        ]

    def test_overdue_goes_to_the_handler_and_the_managers_once(self) -> None:
        complaint = self.logged(date(2025, 6, 16), assign_to=self.cast.other_handler)
        assert plan(at(date(2025, 6, 23))).overdue == 0  # due today is not overdue
        assert plan(at(date(2025, 6, 24))).overdue == 2
        assert plan(at(date(2025, 6, 25))).overdue == 0
        subject = f"{complaint.reference}: acknowledgement overdue since 23 June"
        assert reminders_of(OutboxMessage.Kind.OVERDUE) == [
            ("mei.manager@example.org", subject),
            ("omar.handler@example.org", subject),
        ]
        body = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.OVERDUE).first()
        assert body is not None and "It is with Omar Handler." in body.body

    def test_a_complaint_without_a_handler_reminds_the_complaints_officers(self) -> None:
        self.logged(date(2025, 6, 16))
        assert plan(at(date(2025, 6, 19))).due_soon == 1
        assert [to for to, _ in reminders_of(OutboxMessage.Kind.DUE_SOON)] == ["olu.officer@example.org"]

    def test_nothing_is_written_at_the_weekend_on_a_bank_holiday_on_a_closure_day_or_out_of_hours(self) -> None:
        # Received Monday 11 August 2025: acknowledgement due Monday 18 August, overdue from the 19th.
        self.logged(date(2025, 8, 11), assign_to=self.cast.handler)
        with time_machine.travel(at(date(2025, 8, 11)), tick=False):
            actions.change_closure_day(self.cast.landlord, self.cast.manager, date(2025, 8, 22), reason="Training")
        for moment in (
            at(date(2025, 8, 19), 8, 59),  # Tuesday, before opening
            at(date(2025, 8, 19), 17, 0),  # Tuesday, at closing
            at(date(2025, 8, 19), 23, 30),
            at(date(2025, 8, 22)),  # Friday: the landlord's offices are closed
            at(date(2025, 8, 23)),  # Saturday
            at(date(2025, 8, 24)),  # Sunday
            at(date(2025, 8, 25)),  # the summer bank holiday
        ):
            assert plan(moment).total == 0, moment
        assert not OutboxMessage.objects.filter(kind=OutboxMessage.Kind.OVERDUE).exists()
        # The first sweep in working hours on the next working day writes them.
        assert plan(at(date(2025, 8, 26), 9, 0)).overdue == 2
        assert plan(at(date(2025, 8, 26), 9, 1)).total == 0

    def test_working_hours_come_from_the_setting(self) -> None:
        self.logged(date(2025, 6, 16), assign_to=self.cast.handler)
        with override_settings(WORKING_HOURS_OPEN=time(7, 30), WORKING_HOURS_CLOSE=time(8, 0)):
            assert plan(at(date(2025, 6, 19), 10, 0)).total == 0
            assert plan(at(date(2025, 6, 19), 7, 30)).due_soon == 1

    def test_hours_are_uk_time_in_summer(self) -> None:
        self.logged(date(2025, 6, 16), assign_to=self.cast.handler)
        # 08:30 UTC is 09:30 in London in June (British Summer Time).
        assert plan(datetime(2025, 6, 19, 8, 30, tzinfo=ZoneInfo("UTC"))).due_soon == 1

    def test_the_handler_is_reminded_of_an_update_agreed_with_the_resident(self) -> None:
        complaint = self.logged(date(2025, 6, 16))
        with time_machine.travel(at(date(2025, 6, 17)), tick=False):
            complaint = acknowledge(self.cast, complaint, date(2025, 6, 17))
            actions.agree_update_interval(complaint, self.cast.handler, every_days=5, agreed_on=date(2025, 6, 17))
        stage = Stage.objects.get(complaint=complaint)
        assert stage.next_update_due == date(2025, 6, 24)
        assert plan(at(date(2025, 6, 19))).update_due == 0
        assert plan(at(date(2025, 6, 20))).update_due == 1
        assert plan(at(date(2025, 6, 23))).update_due == 0
        [message] = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.UPDATE_DUE)
        assert message.to_user == self.cast.handler
        assert message.subject == f"{complaint.reference}: update to the resident due Tuesday 24 June"
        assert "every 5 working days" in message.body and "(5.9)" in message.body

    def test_each_complaints_officer_gets_one_digest_a_working_day(self) -> None:
        due_today = self.logged(date(2025, 6, 16), assign_to=self.cast.handler)  # due Monday 23 June
        late = self.logged(date(2025, 6, 9))  # due Monday 16 June
        failed = outbox.queue(
            landlord=self.cast.landlord,
            kind=OutboxMessage.Kind.PORTAL,
            to_address="rosa@example",
            subject="s",
            body="b",
            complaint=late,
        )
        assert failed is not None
        OutboxMessage.objects.filter(pk=failed.pk).update(
            state=OutboxMessage.State.FAILED, last_error="SMTPRecipientsRefused: no such domain"
        )
        assert plan(at(date(2025, 6, 23))).digests == 1
        assert plan(at(date(2025, 6, 23), 15)).digests == 0
        [digest] = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.DIGEST)
        assert digest.to_user == self.cast.officer and digest.complaint is None
        assert digest.subject == "Complaints on Monday 23 June: 1 due today, 1 overdue, 1 email not sent"
        assert f"- {due_today.reference}: acknowledgement (stage 1), Hana Handler" in digest.body
        assert f"- {late.reference}: acknowledgement (stage 1) was due 16 June 2025, no handler assigned" in digest.body
        assert "to rosa@example" in digest.body and "no such domain" in digest.body
        # The next working day brings the next digest.
        assert plan(at(date(2025, 6, 24))).digests == 1

    def test_no_digest_when_there_is_nothing_to_tell(self) -> None:
        assert plan(at(date(2025, 6, 23))).digests == 0

    def test_staff_of_another_landlord_hear_nothing_of_these_complaints(self) -> None:
        self.logged(date(2025, 6, 9))
        plan(at(date(2025, 6, 23)))
        assert OutboxMessage.objects.exists()
        assert not OutboxMessage.objects.filter(to_user=self.cast.stranger).exists()
        assert not OutboxMessage.objects.filter(landlord=self.cast.other_landlord).exists()

    def test_the_reminders_arrive_through_the_mail_server(self) -> None:
        server = SmtpServer().start()
        self.addCleanup(server.stop)
        complaint = self.logged(date(2025, 6, 16), assign_to=self.cast.handler)
        OutboxMessage.objects.all().delete()  # the assignment notice
        with server.settings(), time_machine.travel(at(date(2025, 6, 19)), tick=False):
            reminders.plan()
            assert sending.send_due().sent == 1
        [arrived] = server.messages()
        assert arrived["To"] == "hana.handler@example.org" and arrived["Auto-Submitted"] == "auto-generated"
        assert arrived["Subject"] == f"{complaint.reference}: acknowledgement due Monday 23 June"


class StaffNoticeTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    @time_machine.travel(at(date(2025, 6, 16)), tick=False)
    def test_a_handler_is_told_in_the_same_transaction_when_a_complaint_is_assigned_to_them(self) -> None:
        complaint = log(self.cast, date(2025, 6, 16))
        with self.captureOnCommitCallbacks() as wakes:
            actions.assign_handler(complaint, self.cast.officer, handler=self.cast.handler, conflict_of_interest=False)
        [message] = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.ASSIGNED)
        assert message.to_user == self.cast.handler and message.complaint == complaint and len(wakes) == 1
        assert message.subject == f"{complaint.reference}: stage 1 of this complaint is yours"
        assert "Olu Officer has given you stage 1" in message.body
        assert "Acknowledge it by Monday 23 June 2025." in message.body
        assert f"the staff workspace (/staff/complaints/{complaint.reference}/)" in message.body

    @time_machine.travel(at(date(2025, 6, 16)), tick=False)
    def test_a_refused_assignment_leaves_no_notice(self) -> None:
        complaint = log(self.cast, date(2025, 6, 16))
        with pytest.raises(InvalidInput):
            actions.assign_handler(complaint, self.cast.officer, handler=self.cast.handler, conflict_of_interest=True)
        assert not OutboxMessage.objects.exists()

    @time_machine.travel(at(date(2025, 6, 16)), tick=False)
    @override_settings(SITE_URL="https://complaints.example.org")
    def test_taking_a_complaint_yourself_sends_yourself_nothing_and_links_are_full_with_site_url(self) -> None:
        complaint = log(self.cast, date(2025, 6, 16))
        actions.assign_handler(complaint, self.cast.handler, handler=self.cast.handler, conflict_of_interest=False)
        assert not OutboxMessage.objects.exists()
        actions.assign_handler(
            complaint, self.cast.officer, handler=self.cast.other_handler, conflict_of_interest=False
        )
        message = OutboxMessage.objects.get()
        assert f"https://complaints.example.org/staff/complaints/{complaint.reference}/" in message.body


def test_reminder_days_before_is_a_policy_setting_from_0_to_10() -> None:
    assert parse_policy({}).reminder_days_before == 2
    assert parse_policy({"reminder_days_before": 0}).reminder_days_before == 0
    policy = parse_policy({"reminder_days_before": 10})
    assert policy.to_data()["reminder_days_before"] == 10 and policy_from_data(policy.to_data()) == policy
    for bad, message in ((11, "between 0 and 10, not 11"), (-1, "between 0 and 10"), ("2", "a whole number")):
        with pytest.raises(PolicyError, match=message) as caught:
            parse_policy({"reminder_days_before": bad})
        assert caught.value.field == "reminder_days_before"


def test_every_example_policy_still_loads() -> None:
    for path in sorted(EXAMPLE_POLICIES.glob("*.toml")):
        assert load_policy(path).reminder_days_before == 2


def test_working_hours_that_cannot_be_read_stop_the_start(tmp_path) -> None:  # type: ignore[no-untyped-def]
    base = {"SECRET_KEY": "x" * 50, "PUTRIGHT_VAR_DIR": str(tmp_path)}
    assert start({**base, "WORKING_HOURS": "08:30-16:30"}).returncode == 0
    assert "WORKING_HOURS must be two times such as 09:00-17:00" in start({**base, "WORKING_HOURS": "9-5"}).stderr
    assert "WORKING_HOURS must start before it ends" in start({**base, "WORKING_HOURS": "17:00-09:00"}).stderr
    assert "OUTBOX_MAX_ATTEMPTS must be between 1 and 50" in start({**base, "OUTBOX_MAX_ATTEMPTS": "0"}).stderr
