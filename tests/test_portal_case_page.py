"""The resident's complaint page shows the case: the decision point by point, remedies, outstanding
actions, extensions, what the resident added, and only the dates that still apply."""

from __future__ import annotations

import re
import shutil
import tempfile
from collections.abc import Callable
from datetime import date
from decimal import Decimal

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from putright.complaints import actions
from putright.complaints.models import Complaint, Event, Remedy, Stage, Status
from putright.documents.models import Attachment
from tests.cast import Cast, acknowledge, log, make_cast, respond
from tests.portal_support import BASE, png

TODAY = date(2025, 6, 16)
PAGE = f"{BASE}/your-complaint/"
ASK_BY = date(2025, 12, 10)


def day(n: int) -> date:
    return date(2025, 6, n)


def open_portal(client: Client, complaint: Complaint) -> None:
    """The session a resident has once their one-time code is accepted (tests/test_portal_follow.py)."""
    session = client.session
    session[f"portal:following:{complaint.landlord_id}"] = complaint.pk
    session.save()


def photo_file(name: str) -> actions.ResidentFile:
    return actions.ResidentFile(SimpleUploadedFile(name, png()), name, "image/png", len(png()))


def stage_dates(html: str, number: int) -> list[str]:
    found = re.search(rf'id="stage-{number}-dates">(.*?)</dl>', html, re.S)
    if found is None:
        return []
    labels = re.findall(r'<dt class="govuk-summary-list__key">(.*?)</dt>', found.group(1))
    return [label.strip() for label in labels if label != "What we understand your complaint to be"]


def summary_rows(html: str) -> list[str]:
    found = re.search(r'<dl class="govuk-summary-list">(.*?)</dl>', html, re.S)
    assert found
    return [label.strip() for label in re.findall(r'<dt class="govuk-summary-list__key">(.*?)</dt>', found.group(1))]


# -- each state a complaint can be in, made through the real actions ------------------------------


def received(cast: Cast) -> Complaint:
    return log(cast, day(2))


def acknowledged(cast: Cast) -> Complaint:
    return acknowledge(cast, received(cast), day(3))


def responded(cast: Cast) -> Complaint:
    complaint = respond(cast, acknowledged(cast), day(10))
    complaint.stages.filter(number=1).update(escalate_by=ASK_BY)  # a policy with a window for stage 2
    return Complaint.objects.get(pk=complaint.pk)


def agree_all(cast: Cast, complaint: Complaint) -> None:
    for remedy in Remedy.objects.filter(stage__complaint=complaint, state=Remedy.State.OFFERED):
        actions.update_remedy(remedy, cast.officer, state="agreed", on=TODAY)


def closed_at_stage1(cast: Cast) -> Complaint:
    complaint = responded(cast)
    agree_all(cast, complaint)
    return actions.close(complaint, cast.officer, on=day(12))


def asked_late(cast: Cast) -> Complaint:
    complaint = responded(cast)
    complaint.stages.filter(number=1).update(escalate_by=day(11))
    return actions.resident_escalate(complaint, requested_on=day(12)).complaint


def refused_stage2(cast: Cast) -> Complaint:
    return actions.refuse_escalation(
        responded(cast),
        cast.officer,
        ground="legal-proceedings",
        explanation="You have started a court claim about the same disrepair.",
        ombudsman_rights_given=True,
        on=day(12),
    )


def stage2_open(cast: Cast) -> Complaint:
    return actions.resident_escalate(responded(cast), requested_on=day(11)).complaint


def stage2_acknowledged(cast: Cast) -> Complaint:
    return acknowledge(cast, stage2_open(cast), day(12), actor=cast.reviewer)


def stage2_responded(cast: Cast) -> Complaint:
    return respond(cast, stage2_acknowledged(cast), day(13), actor=cast.reviewer)


def closed_at_stage2(cast: Cast) -> Complaint:
    complaint = stage2_responded(cast)
    agree_all(cast, complaint)
    return actions.close(complaint, cast.officer, on=TODAY)


def not_accepted(cast: Cast) -> Complaint:
    return actions.not_accept(
        log(cast, day(2), issue_date=date(2023, 1, 5)),
        cast.officer,
        ground="out-of-time",
        explanation="The problem happened in January 2023, more than 12 months before you told us.",
        ombudsman_rights_given=True,
        on=day(3),
    )


def withdrawn(build: Callable[[Cast], Complaint]) -> Callable[[Cast], Complaint]:
    def made(cast: Cast) -> Complaint:
        return actions.resident_withdraw(build(cast), on=TODAY, why="Sorted now")

    return made


R, A, S = "Received", "Acknowledged", "Response sent"
ACK_BY, DUE_BY, ASK, ASKED = (
    "We will acknowledge it by",
    "Our response is due by",
    "Ask for stage 2 by",
    "You asked for stage 2",
)

# (state, how it is made, its status, the dates each stage shows, the row that ends it on the summary)
STATES: list[tuple[str, Callable[[Cast], Complaint], Status, dict[int, list[str]], str]] = [
    ("received", received, Status.RECEIVED, {1: [R, ACK_BY, DUE_BY]}, ""),
    ("acknowledged", acknowledged, Status.STAGE1_OPEN, {1: [R, A, DUE_BY]}, ""),
    ("responded at stage 1", responded, Status.STAGE1_RESPONDED, {1: [R, A, S, ASK]}, ""),
    ("stage 2 asked for late", asked_late, Status.STAGE1_RESPONDED, {1: [R, A, S, ASKED]}, ""),
    ("closed at stage 1", closed_at_stage1, Status.CLOSED, {1: [R, A, S, ASK]}, "Closed"),
    ("stage 2 refused", refused_stage2, Status.CLOSED, {1: [R, A, S]}, "Closed"),
    ("stage 2 open", stage2_open, Status.STAGE2_OPEN, {1: [R, A, S], 2: [ASKED, ACK_BY, DUE_BY]}, ""),
    ("stage 2 acknowledged", stage2_acknowledged, Status.STAGE2_OPEN, {1: [R, A, S], 2: [ASKED, A, DUE_BY]}, ""),
    ("responded at stage 2", stage2_responded, Status.STAGE2_RESPONDED, {1: [R, A, S], 2: [ASKED, A, S]}, ""),
    ("closed at stage 2", closed_at_stage2, Status.CLOSED, {1: [R, A, S], 2: [ASKED, A, S]}, "Closed"),
    ("not accepted", not_accepted, Status.NOT_ACCEPTED, {1: [R]}, "Not accepted"),
    ("withdrawn when received", withdrawn(received), Status.WITHDRAWN, {1: [R]}, "Withdrawn"),
    ("withdrawn at stage 1", withdrawn(acknowledged), Status.WITHDRAWN, {1: [R, A]}, "Withdrawn"),
    ("withdrawn after stage 1", withdrawn(responded), Status.WITHDRAWN, {1: [R, A, S]}, "Withdrawn"),
    ("withdrawn at stage 2", withdrawn(stage2_open), Status.WITHDRAWN, {1: [R, A, S], 2: [ASKED]}, "Withdrawn"),
    (
        "withdrawn after stage 2",
        withdrawn(stage2_responded),
        Status.WITHDRAWN,
        {1: [R, A, S], 2: [ASKED, A, S]},
        "Withdrawn",
    ),
]


@time_machine.travel(TODAY, tick=False)
class OnlyTheDatesThatStillApplyTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_every_status_is_covered(self) -> None:
        assert {status for _, _, status, _, _ in STATES} == set(Status)

    def test_each_state_shows_the_dates_that_apply_and_no_others(self) -> None:
        for name, build, status, expected, ended in STATES:
            with self.subTest(name):
                complaint = build(self.cast)
                assert complaint.status == status
                client = Client()
                open_portal(client, complaint)
                html = client.get(PAGE).content.decode()
                for number in (1, 2):
                    assert stage_dates(html, number) == expected.get(number, []), (name, number)
                rows = summary_rows(html)
                assert rows == ["Status", "Stage"] + ([ended] if ended else []), (name, rows)
                for promise in (ACK_BY, DUE_BY, ASK):
                    if not any(promise in labels for labels in expected.values()):
                        assert promise not in html, (name, promise)
                if ASK in expected[1]:
                    assert "10 December 2025" in html
                # Stage 2 can be asked for after the stage 1 response, closed or not, until it is asked or refused.
                can_ask = "Ask for stage 2: a review of our response" in html
                assert can_ask == (name in ("responded at stage 1", "closed at stage 1")), name

    def test_a_complaint_not_accepted_shows_why_and_the_ombudsman_route(self) -> None:
        complaint = not_accepted(self.cast)
        open_portal(self.client, complaint)
        html = self.client.get(PAGE).content.decode()
        assert "Why we did not accept it as a complaint" in html
        assert "more than 12 months before you told us" in html
        assert "ask the Housing Ombudsman Service to look at it" in html and "3 June 2025" in html
        assert "Add information to your complaint" not in html


@time_machine.travel(TODAY, tick=False)
class TheCaseOnThePageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        self.media = tempfile.mkdtemp(prefix="putright-media-")
        self.addCleanup(shutil.rmtree, self.media, True)
        self.enterContext(override_settings(MEDIA_ROOT=self.media))

    def responded_with_everything(self) -> Complaint:
        complaint = acknowledge(self.cast, log(self.cast, day(2)), day(3))
        actions.extend(
            complaint, self.cast.handler, days=5, reason="We are waiting for the <b>contractor's</b> report."
        )
        complaint = respond(
            self.cast,
            Complaint.objects.get(pk=complaint.pk),
            day(13),
            summary="We are sorry the boiler took so long.",
            decisions=[
                actions.PointDecisionInput(1, "upheld", "The repair took 21 days <script>alert(1)</script>."),
                actions.PointDecisionInput(2, "not-upheld", "Our contractor's log shows you rearranged it."),
            ],
            remedies=[
                actions.RemedyInput(
                    "financial",
                    "Compensation for the heaters.",
                    amount_time_and_trouble=Decimal("234.50"),
                    amount_distress=Decimal("1000.00"),
                    due_on=date(2025, 7, 1),
                ),
                actions.RemedyInput("apology", "We apologise for the delay."),
            ],
            actions=[actions.ActionInput("Replace the boiler's pump", date(2025, 7, 4), self.cast.handler)],
        )
        action = complaint.actions.get()
        actions.update_action(action, self.cast.handler, note="The pump is ordered", resident_told=True)
        actions.update_action(action, self.cast.handler, note="Internal: supplier is slow", resident_told=False)
        return complaint

    def test_the_decision_point_by_point_remedies_actions_and_extensions(self) -> None:
        complaint = self.responded_with_everything()
        open_portal(self.client, complaint)
        html = self.client.get(PAGE).content.decode()
        assert "Our decision" in html and "Overall, your complaint was <strong>partly upheld</strong>" in html
        assert "We are sorry the boiler took so long." in html
        assert "The boiler repair has taken too long" in html and "Upheld" in html and "Not upheld" in html
        assert "The repair took 21 days &lt;script&gt;alert(1)&lt;/script&gt;." in html and "<script>alert" not in html
        assert "Our contractor&#x27;s log shows you rearranged it." in html
        # Money as a person reads it, the parts of a payment, the date it is due and where it has got to.
        assert "<strong>£1,234.50</strong> in all" in html
        assert "For your time and trouble: £234.50" in html and "For distress and inconvenience: £1,000.00" in html
        assert "1 July 2025" in html and html.count("Offered: tell us whether you accept it") == 2
        # The outstanding action, with the update the resident was told and never an internal note.
        assert "Replace the boiler&#x27;s pump" in html and "4 July 2025" in html
        assert "The pump is ordered" in html and "supplier is slow" not in html
        # The extension: its reason (as text) and the new date.
        assert "we needed 5 more working days, until" in html
        assert "We are waiting for the &lt;b&gt;contractor&#x27;s&lt;/b&gt; report." in html

    def test_before_the_response_the_points_are_listed_without_a_decision(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, day(2)), day(3))
        open_portal(self.client, complaint)
        html = self.client.get(PAGE).content.decode()
        assert "The points we are looking into" in html and "The appointment on 3 June was missed" in html
        assert "Our decision" not in html and "put things right" not in html

    def test_what_the_resident_added_and_their_files_are_shown_and_downloadable(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, day(2)), day(3))
        actions.resident_add_information(complaint, information="It broke again <script>x</script>", on=TODAY)
        [photo] = actions.resident_attach_files(complaint, [photo_file("boiler.png")], on=TODAY)
        event = actions.attach_file(
            complaint, self.cast.handler, name="notes.pdf", content_type="application/pdf", size=17
        )
        staff_file = Attachment.objects.create(
            complaint=complaint,
            event=event,
            file=SimpleUploadedFile("notes.pdf", b"%PDF-1.4 internal"),
            name="notes.pdf",
            content_type="application/pdf",
            size=17,
            uploaded_by=self.cast.handler,
            uploaded_at=event.at,
        )
        open_portal(self.client, complaint)
        html = self.client.get(PAGE).content.decode()
        assert "What you added" in html and "It broke again &lt;script&gt;x&lt;/script&gt;" in html
        link = f"{BASE}/your-complaint/documents/{photo.pk}/"
        assert f'href="{link}"' in html and "boiler.png" in html and "notes.pdf" not in html
        response = self.client.get(link)
        assert response.status_code == 200 and b"".join(response.streaming_content) == png()
        assert response["Cache-Control"] == "private, no-store" and response["Content-Type"] == "image/png"
        assert 'filename="boiler.png"' in response["Content-Disposition"]
        # Staff's own file on the same complaint, another complaint's file, and no session: not served.
        assert self.client.get(f"{BASE}/your-complaint/documents/{staff_file.pk}/").status_code == 404
        other = acknowledge(self.cast, log(self.cast, day(2)), day(3))
        [theirs] = actions.resident_attach_files(other, [photo_file("theirs.png")], on=TODAY)
        assert self.client.get(f"{BASE}/your-complaint/documents/{theirs.pk}/").status_code == 404
        assert Client().get(link)["Location"] == f"{BASE}/follow/"
        assert Attachment.objects.count() == 3

    def test_the_page_costs_the_same_queries_however_much_there_is(self) -> None:
        complaint = self.responded_with_everything()
        open_portal(self.client, complaint)
        self.client.get(PAGE)
        with self.assertNumQueries(self.query_count()):
            self.client.get(PAGE)
        complaint = Complaint.objects.get(pk=complaint.pk)
        actions.add_remedy(complaint, self.cast.handler, actions.RemedyInput("apology", "Another apology."))
        action = complaint.actions.get()
        actions.update_action(action, self.cast.handler, note="Fitted next week", resident_told=True)
        actions.resident_add_information(complaint, information="Thank you", on=TODAY)
        with self.assertNumQueries(self.query_count()):
            html = self.client.get(PAGE).content.decode()
        assert "Another apology." in html and "Fitted next week" in html and "Thank you" in html

    def query_count(self) -> int:
        with CaptureQueriesContext(connection) as counted:
            self.client.get(PAGE)
        return len(counted.captured_queries)


@time_machine.travel(TODAY, tick=False)
class WhatTheResidentIsToldTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_adding_information_without_a_handler_tells_the_complaints_team(self) -> None:
        complaint = received(self.cast)
        Complaint.objects.filter(pk=complaint.pk).update(handler=None)
        Stage.objects.filter(complaint=complaint).update(handler=None)
        open_portal(self.client, complaint)
        form = self.client.get(f"{BASE}/your-complaint/add-information/").content.decode()
        assert "the complaints team will be told" in form and "your handler" not in form
        response = self.client.post(f"{BASE}/your-complaint/add-information/", {"information": "More detail"})
        html = self.client.get(response["Location"]).content.decode()
        assert "We have added your information to your complaint and told the complaints team" in html
        assert "told your handler" not in html

    def test_adding_information_with_a_handler_tells_the_handler(self) -> None:
        complaint = acknowledged(self.cast)
        assert complaint.handler_id == self.cast.handler.pk
        open_portal(self.client, complaint)
        form = self.client.get(f"{BASE}/your-complaint/add-information/").content.decode()
        assert "your handler will be told" in form
        response = self.client.post(f"{BASE}/your-complaint/add-information/", {"information": "More detail"})
        html = self.client.get(response["Location"]).content.decode()
        assert "We have added your information to your complaint and told your handler" in html

    def test_after_asking_for_stage_2_the_escalate_page_says_it_is_asked_and_does_nothing_twice(self) -> None:
        complaint = responded(self.cast)
        open_portal(self.client, complaint)
        self.client.post(f"{BASE}/your-complaint/escalate/", {"why": "Still cold"})
        assert Complaint.objects.get(pk=complaint.pk).status == Status.STAGE2_OPEN
        html = self.client.get(f"{BASE}/your-complaint/escalate/").content.decode()
        assert "You asked for stage 2 on 16 June 2025" in html and "Your complaint is at stage 2" in html
        assert "once we have sent you our stage 1 response" not in html and 'name="why"' not in html
        again = self.client.post(f"{BASE}/your-complaint/escalate/", {"why": "Still cold"})
        assert again.status_code == 200 and "You asked for stage 2 on 16 June 2025" in again.content.decode()
        assert Event.objects.filter(complaint=complaint, kind="escalated").count() == 1

    def test_a_late_request_for_stage_2_is_shown_as_made_and_not_made_again(self) -> None:
        complaint = responded(self.cast)
        complaint.stages.filter(number=1).update(escalate_by=day(11))
        open_portal(self.client, complaint)
        self.client.post(f"{BASE}/your-complaint/escalate/", {"why": "Still cold"})
        html = self.client.get(PAGE).content.decode()
        assert "You asked for stage 2 on 16 June 2025. We will tell you what happens next." in html
        assert "Ask for stage 2: a review of our response" not in html
        page = self.client.get(f"{BASE}/your-complaint/escalate/").content.decode()
        assert "We have your request and will tell you what happens next" in page and 'name="why"' not in page
        self.client.post(f"{BASE}/your-complaint/escalate/", {"why": "Still cold"})
        assert Event.objects.filter(complaint=complaint, kind="escalation-requested").count() == 1

    def test_once_the_time_to_ask_has_passed_it_is_shown_as_ended_and_a_late_request_is_still_taken(self) -> None:
        complaint = closed_at_stage1(self.cast)
        complaint.stages.filter(number=1).update(escalate_by=day(13))
        open_portal(self.client, complaint)
        html = self.client.get(PAGE).content.decode()
        assert stage_dates(html, 1) == [R, A, S, "Time to ask for stage 2 ended"] and "13 June 2025" in html
        assert ASK not in html and "Ask for stage 2: a review of our response" in html
        page = self.client.get(f"{BASE}/your-complaint/escalate/").content.decode()
        assert "The time to ask for stage 2 under our complaints policy ended on 13 June 2025" in page
        self.client.post(f"{BASE}/your-complaint/escalate/", {"why": ""})
        assert Event.objects.filter(complaint=complaint, kind="escalation-requested").count() == 1
        assert Complaint.objects.get(pk=complaint.pk).status == Status.CLOSED

    def test_before_the_stage_1_response_the_escalate_page_says_when_it_can_be_asked(self) -> None:
        open_portal(self.client, acknowledged(self.cast))
        html = self.client.get(f"{BASE}/your-complaint/escalate/").content.decode()
        assert "You can ask for stage 2 once we have sent you our stage 1 response" in html

    def test_a_withdrawn_complaint_cannot_be_taken_to_stage_2(self) -> None:
        open_portal(self.client, withdrawn(responded)(self.cast))
        html = self.client.get(f"{BASE}/your-complaint/escalate/").content.decode()
        assert "You cannot ask for stage 2 of this complaint" in html and "once we have sent" not in html
