"""Notices of provisions that cannot be met (Code 8.5): "If a landlord is unable to comply with the
Code due to exceptional circumstances, such as a cyber incident, they must inform the Ombudsman,
provide information to residents who may be affected, and publish this on their website. Landlords
must provide a timescale for returning to compliance with the Code."

A notice records the decision with its timescale; each step once; the return closes it. Open
notices show on the action plan (the provisions they cover flagged) and in the governance report;
the notice prints in plain words as a page and a PDF."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.governance.actions import action_plan as plan_actions
from putright.governance.actions import notices as actions
from putright.governance.models import ComplianceNotice
from putright.governance.notices import provisions_under_notice
from putright.insight.reports import governance_report
from tests.cast import make_cast
from tests.pdf_text import page_texts

TODAY = date(2025, 6, 2)
CYBER = "A cyber incident on 28 May 2025 took the housing management system offline."
WHY = "Without the system we cannot log and acknowledge complaints within 5 working days."


def record(cast, **changes: object) -> ComplianceNotice:  # type: ignore[no-untyped-def]
    fields: dict[str, object] = {
        "provisions": "6.2, 6.11",
        "circumstances": CYBER,
        "reasons": WHY,
        "unable_from": date(2025, 5, 28),
        "expected_return": date(2025, 7, 31),
        "decided_by": "Jo Bloggs, Director of Housing",
    }
    fields.update(changes)
    actor = fields.pop("actor", cast.officer)
    return actions.record_notice(cast.landlord, actor, **fields)  # type: ignore[arg-type]


@time_machine.travel(TODAY, tick=False)
class RecordingANoticeTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_a_notice_records_the_provisions_circumstances_reasons_dates_and_who_decided(self) -> None:
        notice = record(self.cast, provisions=["6.11", "6.2", "6.2"])
        assert notice.provisions == ["6.2", "6.11"]  # each once, in the Code's order
        assert (notice.unable_from, notice.expected_return, notice.is_open) == (
            date(2025, 5, 28),
            date(2025, 7, 31),
            True,
        )
        assert notice.still_to_do == [
            "Inform the Ombudsman",
            "Tell the residents who may be affected",
            "Publish the notice on the website",
            "Record the return to compliance",
        ]

    def test_the_timescale_is_required_and_everything_else_is_checked_at_once(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            record(
                self.cast,
                provisions="6.2, 12.4",
                circumstances="",
                reasons=" ",
                unable_from=None,
                expected_return=None,
                decided_by="",
            )
        assert refused.value.errors == {
            "provisions": "12.4 is not a provision of the Code: enter provisions from 1.2 to 9.8, for example 6.2",
            "circumstances": "Enter the exceptional circumstances, for example a cyber incident",
            "reasons": "Enter why the provisions cannot be met",
            "decided_by": "Enter who decided, with their role",
            "unable_from": "Enter the date from which the provisions cannot be met",
            "expected_return": "Enter when you expect to comply again: the Code asks for a timescale",
        }
        with pytest.raises(InvalidInput) as refused:
            record(self.cast, provisions=" ", expected_return=date(2025, 5, 28))
        assert refused.value.errors == {
            "provisions": "Enter the provisions of the Code that cannot be met, for example 6.2, 6.3",
            "expected_return": "The expected date of return must be after the date the problem began",
        }
        assert not ComplianceNotice.objects.exists()

    def test_only_officers_and_managers_of_this_landlord_record_notices(self) -> None:
        for person in (self.cast.auditor, self.cast.handler, self.cast.stranger):
            with pytest.raises(NotPermitted):
                record(self.cast, actor=person)
        assert record(self.cast, actor=self.cast.manager).recorded_by == self.cast.manager

    def test_the_same_notice_twice_is_refused_as_already_recorded(self) -> None:
        record(self.cast)
        with pytest.raises(TransitionNotAllowed, match="already been recorded"):
            record(self.cast, provisions=["6.11", "6.2"])
        assert ComplianceNotice.objects.count() == 1


@time_machine.travel(TODAY, tick=False)
class StepsTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        self.notice = record(self.cast)

    def test_each_step_is_recorded_once_and_the_return_closes_the_notice(self) -> None:
        actions.record_ombudsman_informed(self.notice, self.cast.officer, on=date(2025, 5, 29), how="By email")
        with pytest.raises(TransitionNotAllowed, match="already recorded, on 29 May 2025"):
            actions.record_ombudsman_informed(self.notice, self.cast.manager, on=date(2025, 5, 30), how="By phone")
        actions.record_residents_informed(
            self.notice, self.cast.manager, on=date(2025, 5, 30), how="By text message", who="All residents"
        )
        actions.record_published(
            self.notice, self.cast.officer, on=date(2025, 5, 30), address="https://www.ashford.gov.uk/complaints"
        )
        self.notice.refresh_from_db()
        assert self.notice.still_to_do == ["Record the return to compliance"]
        actions.record_return(self.notice, self.cast.officer, on=date(2025, 6, 2))
        self.notice.refresh_from_db()
        assert (self.notice.is_open, self.notice.still_to_do) == (False, [])
        assert self.notice.ombudsman_informed_how == "By email"

    def test_steps_need_a_real_past_date_and_their_details(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            actions.record_ombudsman_informed(self.notice, self.cast.officer, on=date(2025, 6, 3), how="")
        assert refused.value.errors == {
            "on": "The date the Ombudsman was informed cannot be in the future",
            "how": "Enter how the Ombudsman was informed, for example by email",
        }
        with pytest.raises(InvalidInput) as refused:
            actions.record_residents_informed(self.notice, self.cast.officer, on=None, how="", who="")
        assert set(refused.value.errors) == {"on", "how", "who"}
        with pytest.raises(InvalidInput) as refused:
            actions.record_published(self.notice, self.cast.officer, on=TODAY, address="our website")
        assert refused.value.errors == {
            "address": "Enter the address of the page in full, like https://www.example.gov.uk/complaints"
        }
        with pytest.raises(InvalidInput) as refused:
            actions.record_return(self.notice, self.cast.officer, on=date(2025, 5, 1))
        assert refused.value.errors == {
            "on": "The date you complied again cannot be before the problem began (28 May 2025)"
        }
        self.notice.refresh_from_db()
        assert len(self.notice.still_to_do) == 4

    def test_the_auditor_and_another_landlord_cannot_record_steps(self) -> None:
        for person in (self.cast.auditor, self.cast.stranger):
            with pytest.raises(NotPermitted):
                actions.record_ombudsman_informed(self.notice, person, on=TODAY, how="By email")
        self.notice.refresh_from_db()
        assert self.notice.ombudsman_informed_on is None


@time_machine.travel(TODAY, tick=False)
class WhereOpenNoticesShowTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_a_provision_under_an_open_notice_is_flagged_on_the_action_plan(self) -> None:
        line = plan_actions.add_line(
            self.cast.landlord,
            self.cast.officer,
            provision="6.2",
            action="Restore the housing system",
            target_date=date(2025, 7, 31),
            owner_name="Head of IT",
        )
        notice = record(self.cast)
        assert set(provisions_under_notice(self.cast.landlord)) == {"6.2", "6.11"}
        self.client.force_login(self.cast.auditor)
        page = self.client.get(reverse("insight:action-plan")).content.decode()
        assert "Cannot be met: notice open" in page and "1 open notice of provisions that cannot be met" in page
        line_page = self.client.get(reverse("insight:action-plan-line", args=[line.pk])).content.decode()
        assert "An open notice says this provision cannot be met from 28 May 2025" in line_page
        actions.record_return(notice, self.cast.officer, on=TODAY)
        assert "Cannot be met: notice open" not in self.client.get(reverse("insight:action-plan")).content.decode()

    def test_open_notices_are_in_the_governance_report_with_what_is_still_to_do(self) -> None:
        record(self.cast)
        report = governance_report(self.cast.landlord, 2025, 1)
        assert [n.provisions for n in report.action_plan.open_notices] == [["6.2", "6.11"]]
        self.client.force_login(self.cast.manager)
        page = self.client.get(reverse("insight:governance"), {"year": 2025, "quarter": 1}).content.decode()
        assert "Provisions that cannot be met (8.5)" in page and CYBER in page
        assert "Inform the Ombudsman; Tell the residents who may be affected" in page


@time_machine.travel(TODAY, tick=False)
class NoticePagesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def form(self, **changes: str) -> dict[str, str]:
        data = {
            "provisions": "6.2, 6.11",
            "circumstances": CYBER,
            "reasons": WHY,
            "unable_from_0": "28",
            "unable_from_1": "5",
            "unable_from_2": "2025",
            "expected_return_0": "31",
            "expected_return_1": "7",
            "expected_return_2": "2025",
            "decided_by": "Jo Bloggs, Director of Housing",
        }
        data.update(changes)
        return data

    def test_an_officer_records_a_notice_then_each_step_and_sees_what_is_still_to_do(self) -> None:
        self.client.force_login(self.cast.officer)
        answer = self.client.post(reverse("insight:notice-new"), self.form())
        notice = ComplianceNotice.objects.get()
        url = reverse("insight:notice", args=[notice.pk])
        assert answer.status_code == 302 and answer["Location"] == url
        page = self.client.get(url).content.decode()
        assert "Still to do" in page and "Inform the Ombudsman" in page
        step = reverse("insight:notice-step", args=[notice.pk, "ombudsman"])
        answer = self.client.post(step, {"on_0": "29", "on_1": "5", "on_2": "2025", "how": "By email"})
        assert answer.status_code == 302
        again = self.client.post(step, {"on_0": "30", "on_1": "5", "on_2": "2025", "how": "By phone"}).content.decode()
        assert "Informing the Ombudsman is already recorded, on 29 May 2025." in again
        page = self.client.get(url).content.decode()
        assert "29 May 2025: By email" in page
        assert self.client.get(reverse("insight:notice-step", args=[notice.pk, "elsewhere"])).status_code == 404

    def test_every_error_is_shown_at_once_and_nothing_is_recorded(self) -> None:
        self.client.force_login(self.cast.manager)
        page = self.client.post(
            reverse("insight:notice-new"),
            self.form(provisions="", expected_return_0="", expected_return_1="", expected_return_2="", reasons=""),
        ).content.decode()
        assert "There is a problem" in page
        for message in (
            "Enter the provisions of the Code that cannot be met, for example 6.2, 6.3",
            "Enter why the provisions cannot be met",
            "Enter when you expect to comply again: the Code asks for a timescale",
        ):
            assert message in page
        assert not ComplianceNotice.objects.exists()

    def test_text_typed_in_comes_back_as_text_on_the_page_and_in_the_printable_notice(self) -> None:
        self.client.force_login(self.cast.officer)
        self.client.post(reverse("insight:notice-new"), self.form(circumstances="<script>alert(1)</script>"))
        notice = ComplianceNotice.objects.get()
        for name in ("insight:notice", "insight:notice-print"):
            page = self.client.get(reverse(name, args=[notice.pk])).content.decode()
            assert "<script>alert(1)</script>" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page

    def test_the_printable_notice_says_it_plainly_as_a_page_and_a_pdf(self) -> None:
        notice = record(self.cast)
        self.client.force_login(self.cast.auditor)
        page = self.client.get(reverse("insight:notice-print", args=[notice.pk])).content.decode()
        assert "we cannot meet some of its requirements from 28 May 2025" in page
        assert "We expect to meet these requirements again by 31 July 2025" in page
        assert "Code provision 6.11" in page and "0300 111 3000" in page
        answer = self.client.get(reverse("insight:notice-pdf", args=[notice.pk]))
        assert answer["Content-Type"] == "application/pdf"
        text = " ".join(" ".join(page_texts(answer.content)).split())
        assert "Requirements of the Complaint Handling Code we cannot meet" in text
        assert "31 July 2025" in text and "Jo Bloggs, Director of Housing" in text

    def test_the_auditor_reads_handlers_are_refused_and_another_landlord_sees_nothing(self) -> None:
        notice = record(self.cast)
        url = reverse("insight:notice", args=[notice.pk])
        self.client.force_login(self.cast.auditor)
        page = self.client.get(url).content.decode()
        assert CYBER in page and "Record<span" not in page
        assert self.client.get(reverse("insight:notice-new")).status_code == 403
        self.client.force_login(self.cast.handler)
        assert self.client.get(reverse("insight:notices")).status_code == 403
        self.client.force_login(self.cast.stranger)
        for name in ("insight:notice", "insight:notice-print", "insight:notice-pdf"):
            assert self.client.get(reverse(name, args=[notice.pk])).status_code == 404
        assert self.client.post(reverse("insight:notice-step", args=[notice.pk, "returned"])).status_code == 404
        assert CYBER not in self.client.get(reverse("insight:notices")).content.decode()

    def test_the_list_reads_the_same_number_of_queries_however_many_notices(self) -> None:
        record(self.cast)
        self.client.force_login(self.cast.auditor)
        self.client.get(reverse("insight:notices"))  # warm the session and the user
        with CaptureQueriesContext(connection) as one:
            assert "6.2, 6.11" in self.client.get(reverse("insight:notices")).content.decode()
        for number, provisions in enumerate(("1.3", "3.1", "5.1", "7.1"), start=1):
            notice = record(
                self.cast,
                provisions=provisions,
                circumstances=f"Incident {number}",
                unable_from=date(2025, 5, number),
                actor=self.cast.manager,
            )
            actions.record_ombudsman_informed(notice, self.cast.officer, on=date(2025, 5, 29), how="By email")
            if number % 2:
                actions.record_return(notice, self.cast.officer, on=date(2025, 6, 1))
        assert ComplianceNotice.objects.count() == 5
        with self.assertNumQueries(len(one)):
            page = self.client.get(reverse("insight:notices")).content.decode()
        assert all(f">{number}</a>" in page for number in ("1.3", "3.1", "5.1", "7.1"))
        assert "Closed: compliance restored" in page
