"""Stage 2 with stage 1 beside it: the reviewer acknowledging and answering the escalation sees why the
resident escalated and what stage 1 defined, decided, offered and left to do (6.11, 6.18), and
nothing from stage 1 is filled in that the reviewer has not chosen."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import time_machine
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from putright.complaints import actions
from putright.complaints.models import Complaint, OutstandingAction, Remedy, Stage, Status
from putright.workspace.presenters import stage_one
from tests.cast import Cast, acknowledge, log, make_cast, respond
from tests.test_workspace_support import acknowledge_form, complaint_url, page, respond_form, signed_in

TODAY = date(2025, 6, 16)
STAGE_ONE_OUTCOMES = "A working boiler and compensation for running heaters."


def escalated(cast: Cast, *, remedies: int = 1, actions_left: int = 1, updates: int = 2, reason: str = "") -> Complaint:
    """A complaint answered at stage 1 with an apology, a payment, and actions with updates, then
    escalated by the resident on 12 June."""
    complaint = acknowledge(cast, log(cast, date(2025, 6, 2)), date(2025, 6, 3))
    offered = [actions.RemedyInput("apology", "We apologise for the delay in repairing the boiler.")]
    offered += [
        actions.RemedyInput(
            "financial",
            f"Payment {n} for the heaters",
            amount_time_and_trouble=Decimal("50"),
            amount_distress=Decimal("1225.5"),
        )
        for n in range(1, remedies + 1)
    ]
    left = [
        actions.ActionInput(f"Replace boiler part {n}", date(2025, 6, 30), cast.other_handler)
        for n in range(1, actions_left + 1)
    ]
    complaint = respond(cast, complaint, date(2025, 6, 10), remedies=offered, actions=left)
    for remedy in Remedy.objects.filter(stage__complaint=complaint, kind="financial"):
        actions.update_remedy(remedy, cast.handler, state="agreed", on=date(2025, 6, 11))
    for action in OutstandingAction.objects.filter(complaint=complaint):
        for n in range(1, updates + 1):
            actions.update_action(action, cast.handler, note=f"Update {n}: part ordered from the supplier")
    complaint = Complaint.objects.get(pk=complaint.pk)
    return actions.escalate(complaint, cast.officer, requested_on=date(2025, 6, 12), reason=reason)


def stages(complaint: Complaint) -> tuple[Stage, Stage]:
    found = {stage.number: stage for stage in Stage.objects.filter(complaint=complaint)}
    return found[1], found[2]


def outcomes_box(html: str) -> str:
    box = re.search(r'<textarea name="outcomes_sought"[^>]*>(.*?)</textarea>', html, re.S)
    assert box, "no outcomes box"
    return box.group(1).strip()


@time_machine.travel(TODAY, tick=False)
class StageTwoAcknowledgementTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = escalated(cls.cast, reason="Nobody has <b>fixed</b> it & the heaters cost £40 a week")

    def test_the_reviewer_sees_why_the_resident_escalated_and_when_6_11(self) -> None:
        html = page(signed_in(self.cast.reviewer).get(complaint_url(self.complaint, "acknowledge")))
        assert "The resident asked to escalate on 12 June 2025." in html
        assert "Nobody has &lt;b&gt;fixed&lt;/b&gt; it &amp; the heaters cost £40 a week" in html
        assert "<b>fixed</b>" not in html

    def test_the_reviewer_sees_stage_1s_definition_decision_remedies_and_actions(self) -> None:
        html = page(signed_in(self.cast.reviewer).get(complaint_url(self.complaint, "acknowledge")))
        section = html.split('id="stage-one"', 1)[1].split("</section>", 1)[0]
        assert "The boiler has been broken since May and a repair appointment was missed." in section
        assert STAGE_ONE_OUTCOMES in section and "The energy supplier&#x27;s charges." in section
        assert "Responded on 10 June 2025: partly upheld." in section
        assert "Point 1: The boiler repair has taken too long" in section and "<strong>Upheld.</strong>" in section
        assert "The repair took 21 days against a 7-day target in our policy." in section
        assert "Point 2: The appointment on 3 June was missed" in section and "<strong>Not upheld.</strong>" in section
        assert "Remedy 1: Apology" in section and "Offered" in section
        assert "Remedy 2: Financial remedy" in section and "Agreed with the resident" in section
        assert "£1,275.50 in all: time and trouble £50.00; distress and inconvenience £1,225.50" in section
        assert "Action 1: Replace boiler part 1" in section
        assert "Outstanding, due by 30 June 2025. Owned by Omar Handler." in section
        assert "Latest update, 16 June 2025: Update 2: part ordered from the supplier" in section
        assert "Update 1:" not in section  # the latest update only
        assert '<details class="govuk-details" id="stage-one-details" open>' in section  # short: shown open

    def test_stage_1_outcomes_are_not_filled_in_for_the_reviewer(self) -> None:
        html = page(signed_in(self.cast.reviewer).get(complaint_url(self.complaint, "acknowledge")))
        assert outcomes_box(html) == ""
        assert "Use the outcomes the resident sought at stage 1" in html
        assert 'name="use_stage_one_outcomes"' in html and "checked" not in html.split("use_stage_one_outcomes", 2)[1]

    def test_leaving_the_outcomes_empty_without_choosing_stage_1s_is_refused_5_6(self) -> None:
        url = complaint_url(self.complaint, "acknowledge")
        html = page(
            signed_in(self.cast.reviewer).post(url, acknowledge_form(self.complaint, TODAY, outcomes_sought=""))
        )
        assert (
            '<a href="#id_outcomes_sought">Enter the outcomes the resident wants, or use the outcomes sought at stage 1'
            "</a>"
        ) in html
        assert stages(self.complaint)[1].acknowledged_on is None

    def test_choosing_stage_1s_outcomes_uses_them_for_stage_2(self) -> None:
        url = complaint_url(self.complaint, "acknowledge")
        form = acknowledge_form(self.complaint, TODAY, outcomes_sought="", use_stage_one_outcomes="on")
        assert signed_in(self.cast.reviewer).post(url, form).status_code == 302
        stage2 = stages(self.complaint)[1]
        assert stage2.acknowledged_on == TODAY and stage2.outcomes_sought == STAGE_ONE_OUTCOMES

    def test_what_the_reviewer_adds_follows_stage_1s_outcomes(self) -> None:
        url = complaint_url(self.complaint, "acknowledge")
        form = acknowledge_form(self.complaint, TODAY, outcomes_sought="A refund of £40", use_stage_one_outcomes="on")
        signed_in(self.cast.reviewer).post(url, form)
        assert stages(self.complaint)[1].outcomes_sought == f"{STAGE_ONE_OUTCOMES}\nA refund of £40"

    def test_outcomes_the_reviewer_writes_alone_are_used_alone(self) -> None:
        url = complaint_url(self.complaint, "acknowledge")
        signed_in(self.cast.reviewer).post(url, acknowledge_form(self.complaint, TODAY, outcomes_sought="A refund"))
        assert stages(self.complaint)[1].outcomes_sought == "A refund"

    def test_stage_1s_outcomes_typed_by_people_show_as_text(self) -> None:
        stage1, _ = stages(self.complaint)
        Stage.objects.filter(pk=stage1.pk).update(outcomes_sought="<script>alert(1)</script>")
        html = page(signed_in(self.cast.reviewer).get(complaint_url(self.complaint, "acknowledge")))
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html

    def test_stage_1_pages_have_no_stage_1_panel_and_keep_the_residents_own_words(self) -> None:
        fresh = log(self.cast, date(2025, 6, 11))
        html = page(signed_in(self.cast.handler).get(complaint_url(fresh, "acknowledge")))
        assert 'id="stage-one"' not in html and "use_stage_one_outcomes" not in html
        assert outcomes_box(html) == "Fix the boiler and compensate me for the heaters."


@time_machine.travel(TODAY, tick=False)
class StageTwoResponseTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = acknowledge(cls.cast, escalated(cls.cast), TODAY, actor=cls.cast.reviewer)

    def test_the_stage_2_response_page_shows_what_stage_1_decided_and_offered_6_18(self) -> None:
        html = page(signed_in(self.cast.reviewer).get(complaint_url(self.complaint, "respond")))
        section = html.split('id="stage-one"', 1)[1].split("</section>", 1)[0]
        assert "The resident asked to escalate on 12 June 2025." in section
        assert "They did not give a reason, and do not have to (Code 6.12)." in section
        assert "Responded on 10 June 2025: partly upheld." in section
        assert "Remedy 2: Financial remedy" in section and "Latest update, 16 June 2025" in section
        # The form follows, its own first heading after stage 1.
        assert html.index('id="stage-one"') < html.index('id="response-form"')

    def test_missing_elements_at_stage_2_cite_6_19_and_mark_their_fields(self) -> None:
        url = complaint_url(self.complaint, "respond")
        html = page(
            signed_in(self.cast.reviewer, confirm=False).post(
                url, respond_form(self.complaint, TODAY, decision_1="", remedy_0_kind="", remedy_0_description="")
            )
        )
        assert '<a href="#id_decision_1_1">Select a decision on point 1 (Code 6.19(c))</a>' in html
        assert "The response cannot be issued without" not in html
        assert Complaint.objects.get(pk=self.complaint.pk).status == Status.STAGE2_OPEN


@time_machine.travel(TODAY, tick=False)
class StageOneQueryTests(TestCase):
    """No N+1: stage 1 is read in the same few queries however much it holds."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.small = escalated(cls.cast, remedies=1, actions_left=1, updates=1)
        cls.large = escalated(cls.cast, remedies=6, actions_left=6, updates=3)

    def test_the_presenter_reads_stage_1_in_three_queries(self) -> None:
        for complaint in (self.small, self.large):
            stage1, stage2 = stages(complaint)
            with self.assertNumQueries(3):  # points, remedies, actions with owners and latest updates
                shown = stage_one(complaint, stage1, stage2)
            assert len(shown.actions) == OutstandingAction.objects.filter(complaint=complaint).count()
        assert shown.actions[5].latest_update.startswith("Update 3:")

    def test_the_pages_make_as_many_queries_for_a_long_stage_1_as_a_short_one(self) -> None:
        client = signed_in(self.cast.reviewer)
        client.get(complaint_url(self.small, "acknowledge"))  # the session and caches read once
        counts = []
        for complaint in (self.small, self.large):
            with CaptureQueriesContext(connection) as queries:
                html = page(client.get(complaint_url(complaint, "acknowledge")))
            counts.append(len(queries))
        assert counts[0] == counts[1], counts
        # Long enough to fold away behind its summary, with the counts in it.
        assert '<details class="govuk-details" id="stage-one-details">' in html
        assert "Stage 1: 2 points, 7 remedies, 6 actions" in html
