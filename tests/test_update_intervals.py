"""Late responses handled as the Code asks (5.9): when a stage is extended or its response is
overdue, an update interval is agreed with the resident; each agreed update is kept one by one,
the page says whether each went on time, the reminders keep the interval, and the self-assessment's
evidence and the measures count the updates sent on time, late and missed.

The cast's complaints are received Monday 2 June 2025 and acknowledged the next day, so their
responses are due Tuesday 17 June (10 working days, 6.3). June and July 2025 have no bank holidays.
"""

from __future__ import annotations

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext

from putright.complaints import actions
from putright.complaints.errors import InvalidInput
from putright.complaints.models import Complaint, Event, ResidentUpdate, Stage
from putright.correspondence import reminders
from putright.correspondence.models import OutboxMessage
from putright.insight import measures
from putright.insight.evidence import evidence_for
from putright.insight.periods import Period
from putright.rules.updates import AgreedUpdate, Kept, Standing, kept, standing
from tests.cast import Cast, acknowledge, log, make_cast, respond
from tests.test_workspace_support import page, signed_in

UK = ZoneInfo("Europe/London")
RECEIVED = date(2025, 6, 2)
ACKNOWLEDGED = date(2025, 6, 3)  # the response is due 17 June
TODAY = date(2025, 6, 16)


def at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=UK)


def open_complaint(cast: Cast) -> Complaint:
    return acknowledge(cast, log(cast, RECEIVED), ACKNOWLEDGED)


def agree(cast: Cast, complaint: Complaint, on: date, every: int) -> Complaint:
    with time_machine.travel(at(on), tick=False):
        return actions.agree_update_interval(complaint, cast.handler, every_days=every, agreed_on=on)


def send(cast: Cast, complaint: Complaint, on: date) -> Complaint:
    with time_machine.travel(at(on), tick=False):
        return actions.send_update(complaint, cast.handler, on=on, update="The surveyor visits on Thursday.")


def updates_of(complaint: Complaint) -> list[tuple[date, date | None, date | None]]:
    rows = ResidentUpdate.objects.filter(stage__complaint=complaint).order_by("due_on", "id")
    return [(u.due_on, u.sent_on, u.replaced_on) for u in rows]


class StandingTests(SimpleTestCase):
    """The rule, without a database: how an agreed update stands (5.9)."""

    DUE = date(2025, 6, 23)

    def test_sent_by_its_date_is_on_time_and_after_it_late(self) -> None:
        assert standing(AgreedUpdate(self.DUE, sent_on=self.DUE), date(2025, 7, 1)) == Standing.ON_TIME
        assert standing(AgreedUpdate(self.DUE, sent_on=date(2025, 6, 20)), self.DUE) == Standing.ON_TIME
        assert standing(AgreedUpdate(self.DUE, sent_on=date(2025, 6, 24)), date(2025, 7, 1)) == Standing.LATE

    def test_unsent_it_is_due_until_its_date_has_passed_then_missed(self) -> None:
        assert standing(AgreedUpdate(self.DUE), date(2025, 6, 20)) == Standing.DUE
        assert standing(AgreedUpdate(self.DUE), self.DUE) == Standing.DUE  # it can still go today
        assert standing(AgreedUpdate(self.DUE), date(2025, 6, 24)) == Standing.MISSED

    def test_a_response_or_a_new_interval_before_its_date_means_it_was_not_needed(self) -> None:
        later = date(2025, 7, 10)
        assert standing(AgreedUpdate(self.DUE, ended_on=date(2025, 6, 20)), later) == Standing.NOT_NEEDED
        assert standing(AgreedUpdate(self.DUE, replaced_on=self.DUE), later) == Standing.NOT_NEEDED
        # ... but not when its date had already passed unsent.
        assert standing(AgreedUpdate(self.DUE, ended_on=date(2025, 6, 25)), later) == Standing.MISSED
        assert standing(AgreedUpdate(self.DUE, replaced_on=date(2025, 6, 24)), later) == Standing.MISSED

    def test_kept_counts_those_that_fell_due_apart_from_those_still_due(self) -> None:
        counted = kept(
            [
                AgreedUpdate(self.DUE, sent_on=self.DUE),
                AgreedUpdate(self.DUE, sent_on=date(2025, 6, 30)),
                AgreedUpdate(self.DUE),
                AgreedUpdate(date(2025, 7, 10)),
                AgreedUpdate(self.DUE, ended_on=date(2025, 6, 18)),
            ],
            date(2025, 7, 1),
        )
        assert counted == Kept(on_time=1, late=1, missed=1, due=1)
        assert counted.fell_due == 3


@time_machine.travel(TODAY, tick=False)
class AgreedUpdateActionTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_agreeing_an_interval_awaits_the_first_update_5_9(self) -> None:
        complaint = agree(self.cast, open_complaint(self.cast), TODAY, 5)
        stage = Stage.objects.get(complaint=complaint)
        assert (stage.update_interval_days, stage.next_update_due) == (5, date(2025, 6, 23))
        assert updates_of(complaint) == [(date(2025, 6, 23), None, None)]

    def test_each_update_sent_is_kept_on_time_or_late_and_the_next_falls_due_5_9(self) -> None:
        complaint = agree(self.cast, open_complaint(self.cast), TODAY, 5)
        complaint = send(self.cast, complaint, date(2025, 6, 20))  # before 23 June: on time
        complaint = send(self.cast, complaint, date(2025, 6, 30))  # after 27 June: late
        assert updates_of(complaint) == [
            (date(2025, 6, 23), date(2025, 6, 20), None),
            (date(2025, 6, 27), date(2025, 6, 30), None),
            (date(2025, 7, 7), None, None),
        ]
        assert Stage.objects.get(complaint=complaint).next_update_due == date(2025, 7, 7)
        late = Event.objects.filter(complaint=complaint, kind="update-sent").order_by("id").last()
        assert late is not None and late.after["late"] is True
        assert "after it was due on 27 June 2025" in late.summary

    def test_a_new_interval_replaces_the_awaited_update_and_a_missed_one_is_said_5_9(self) -> None:
        complaint = agree(self.cast, open_complaint(self.cast), TODAY, 2)  # due 18 June
        complaint = agree(self.cast, complaint, date(2025, 6, 20), 5)  # after it: missed
        assert updates_of(complaint) == [
            (date(2025, 6, 18), None, date(2025, 6, 20)),
            (date(2025, 6, 27), None, None),
        ]
        agreed = Event.objects.filter(complaint=complaint, kind="update-interval-agreed").order_by("id").last()
        assert agreed is not None and "The update due 18 June 2025 was not sent." in agreed.summary

    def test_an_update_or_agreement_dated_before_the_last_update_sent_is_refused(self) -> None:
        complaint = agree(self.cast, open_complaint(self.cast), date(2025, 6, 10), 5)
        complaint = send(self.cast, complaint, TODAY)
        with pytest.raises(InvalidInput) as caught:
            actions.send_update(complaint, self.cast.handler, on=date(2025, 6, 12), update="Earlier")
        assert caught.value.errors["on"] == "This cannot be before the last update was sent, on 16 June 2025"
        with pytest.raises(InvalidInput) as caught:
            actions.agree_update_interval(complaint, self.cast.handler, every_days=5, agreed_on=date(2025, 6, 12))
        assert "before the last update was sent" in caught.value.errors["agreed_on"]
        assert len(updates_of(complaint)) == 2

    def test_an_update_cannot_be_sent_before_an_interval_is_agreed(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            actions.send_update(open_complaint(self.cast), self.cast.handler, on=TODAY, update="News")
        assert "(5.9)" in caught.value.errors["update"]
        assert not ResidentUpdate.objects.exists()


@time_machine.travel(TODAY, tick=False)
class ComplaintPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_an_extended_stage_without_an_interval_offers_to_agree_one_5_9(self) -> None:
        complaint = open_complaint(self.cast)
        url = f"/staff/complaints/{complaint.reference}/"
        assert 'id="update-interval-offer"' not in page(signed_in(self.cast.handler).get(url))
        actions.extend(complaint, self.cast.handler, days=5, reason="Waiting for the surveyor")
        html = page(signed_in(self.cast.handler).get(url))
        assert 'class="govuk-notification-banner"' in html and 'id="update-interval-offer"' in html
        assert "Stage 1 has been extended to 24 June 2025, and no update interval has been agreed" in html
        assert f'href="/staff/complaints/{complaint.reference}/update-interval/"' in html
        assert "Agree an update interval with the resident" in html
        # Read-only staff are told, without a link they cannot use.
        auditor = page(signed_in(self.cast.auditor).get(url))
        assert 'id="update-interval-offer"' in auditor and "Agree an update interval with the resident" not in auditor
        # Once agreed, the offer gives way to the updates agreed.
        agree(self.cast, complaint, TODAY, 5)
        html = page(signed_in(self.cast.handler).get(url))
        assert 'id="update-interval-offer"' not in html
        assert "Agreed every 5 working days" in html and "The next update is due by 23 June 2025" in html

    def test_an_overdue_response_without_an_interval_offers_to_agree_one_5_9(self) -> None:
        complaint = open_complaint(self.cast)
        with time_machine.travel(date(2025, 6, 18), tick=False):
            html = page(signed_in(self.cast.handler).get(f"/staff/complaints/{complaint.reference}/"))
        assert "The stage 1 response was due on 17 June 2025, and no update interval has been agreed" in html

    def test_the_page_lists_each_agreed_update_and_how_it_went_in_a_fixed_number_of_queries(self) -> None:
        complaint = agree(self.cast, open_complaint(self.cast), TODAY, 5)
        url = f"/staff/complaints/{complaint.reference}/"
        client = signed_in(self.cast.handler)
        client.get(url)
        with CaptureQueriesContext(connection) as one:
            client.get(url)
        queries = len(one.captured_queries)  # now: the next request clears the log
        complaint = send(self.cast, complaint, date(2025, 6, 20))
        complaint = send(self.cast, complaint, date(2025, 6, 30))
        with time_machine.travel(date(2025, 7, 9), tick=False):
            client = signed_in(self.cast.handler)
            client.get(url)
            with self.assertNumQueries(queries):
                html = page(client.get(url))
        cells = [
            ("23 Jun 2025", "20 Jun 2025", "On time"),
            ("27 Jun 2025", "30 Jun 2025", "Late"),
            ("7 Jul 2025", "Not sent", "Overdue"),
        ]
        for due, sent, label in cells:
            assert f'<td class="govuk-table__cell">{due}</td><td class="govuk-table__cell">{sent}</td>' in html
            assert f">{label}</strong>" in html
        with time_machine.travel(date(2025, 7, 4), tick=False):
            assert ">Due</strong>" in page(signed_in(self.cast.handler).get(url))


class ReminderTests(TestCase):
    """The reminders keep the interval: the handler before each update falls due, and a missed one
    flagged to the handler and the managers, once (5.9)."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def plan(self, day: date) -> reminders.Planned:
        with time_machine.travel(at(day), tick=False):
            return reminders.plan()

    def update_reminders(self) -> list[tuple[str, str]]:
        rows = OutboxMessage.objects.filter(kind=OutboxMessage.Kind.UPDATE_DUE).order_by("created_at", "to_address")
        return [(m.to_address, m.subject) for m in rows]

    def test_the_handler_is_reminded_before_each_update_and_a_missed_one_is_flagged_5_9(self) -> None:
        with time_machine.travel(at(date(2025, 6, 17)), tick=False):
            complaint = open_complaint(self.cast)
        complaint = agree(self.cast, complaint, date(2025, 6, 17), 5)  # due Tuesday 24 June
        assert self.plan(date(2025, 6, 19)).update_due == 0
        assert self.plan(date(2025, 6, 20)).update_due == 1
        # 24 June passes unsent: the handler and the manager hear of it the next working day, once.
        planned = self.plan(date(2025, 6, 25))
        assert (planned.update_due, planned.update_missed) == (0, 2)
        assert self.plan(date(2025, 6, 26)).update_missed == 0
        missed = OutboxMessage.objects.filter(subject__contains="missed")
        assert {m.to_user for m in missed} == {self.cast.handler, self.cast.manager}
        message = missed.get(to_user=self.cast.handler)
        assert message.subject == f"{complaint.reference}: update to the resident missed, due 24 June"
        assert "was due on Tuesday 24 June 2025 and has not been sent" in message.body
        assert "every 5 working days" in message.body and "(5.9)" in message.body
        # Sending it late makes the next one due, and the reminders follow the new date.
        complaint = send(self.cast, complaint, date(2025, 6, 26))  # next due Thursday 3 July
        assert self.plan(date(2025, 7, 1)).update_due == 1
        assert self.update_reminders()[-1] == (
            "hana.handler@example.org",
            f"{complaint.reference}: update to the resident due Thursday 3 July",
        )

    def test_no_reminder_once_the_response_is_issued(self) -> None:
        complaint = agree(self.cast, open_complaint(self.cast), TODAY, 5)  # due 23 June
        with time_machine.travel(at(date(2025, 6, 18)), tick=False):
            respond(self.cast, complaint, date(2025, 6, 18))
        OutboxMessage.objects.all().delete()
        for day in (date(2025, 6, 19), date(2025, 6, 20), date(2025, 6, 24)):
            planned = self.plan(day)
            assert (planned.update_due, planned.update_missed) == (0, 0), day


class EvidenceTests(TestCase):
    """Whether each agreed update went on time, in the 5.9 evidence and the measures.

    A: agreed 16 June every 5 (due 23 June), sent 20 June (on time) and 30 June (late, due 27 June),
       responded 3 July before the update due 7 July (not needed).
    B: agreed 16 June every 2 (due 18 June), replaced on 20 June by every 5 (the 18 June update
       missed), the next due 27 June never sent (missed).
    C: agreed 10 July every 5: due 17 July, not yet due on 10 July.
    """

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = cast = make_cast()
        with time_machine.travel(at(TODAY), tick=False):
            a, b, c = open_complaint(cast), open_complaint(cast), open_complaint(cast)
        a = agree(cast, a, TODAY, 5)
        a = send(cast, a, date(2025, 6, 20))
        a = send(cast, a, date(2025, 6, 30))
        with time_machine.travel(at(date(2025, 7, 3)), tick=False):
            respond(cast, a, date(2025, 7, 3))
        b = agree(cast, b, TODAY, 2)
        agree(cast, b, date(2025, 6, 20), 5)
        agree(cast, c, date(2025, 7, 10), 5)

    @time_machine.travel(date(2025, 7, 10), tick=False)
    def test_the_5_9_evidence_says_whether_each_agreed_update_went_on_time(self) -> None:
        sentence = evidence_for(self.cast.landlord, 2025).sentences["5.9"]
        assert (
            "Of 4 agreed updates to residents that fell due, 1 went on time, 1 late and 2 not at all; 1 more is not "
            "yet due." in sentence
        )

    @time_machine.travel(date(2025, 7, 10), tick=False)
    def test_the_measures_count_updates_due_sent_on_time_late_and_missed_by_stage_5_9(self) -> None:
        figures = measures.compute(self.cast.landlord, Period.reporting_year(2025))
        assert figures.stage1.updates == Kept(on_time=1, late=1, missed=2, due=1)
        assert figures.stage2.updates == Kept()
        data = figures.as_data()["stage1"]["updates"]
        assert data == {"on_time": 1, "late": 1, "missed": 2, "due": 1, "fell_due": 4}
        # Another year has none of them.
        assert measures.compute(self.cast.landlord, Period.reporting_year(2024)).stage1.updates == Kept()

    @time_machine.travel(date(2025, 7, 10), tick=False)
    def test_the_dashboard_shows_them_beside_the_extensions(self) -> None:
        html = page(signed_in(self.cast.manager).get("/staff/insight/", {"year": "2025"}))
        assert "Updates agreed with residents that fell due (5.9)" in html
        assert "Updates sent on time" in html and "Updates missed" in html

    def test_no_updates_in_a_year_says_so(self) -> None:
        with time_machine.travel(date(2025, 7, 10), tick=False):
            sentence = evidence_for(self.cast.landlord, 2024).sentences["5.9"]
        assert "No agreed update to a resident fell due in the year." in sentence
