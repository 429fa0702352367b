"""How was your complaint handled? The survey offered after closure (1.6): the email with its
single-use link, the answer kept once, the resident told how to complain, and the figures and
comments officers read beside TP09, never another landlord's."""

from __future__ import annotations

import re
import threading
from dataclasses import replace
from datetime import date, timedelta

import pytest
import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import Client, TestCase, TransactionTestCase, override_settings
from django.test.utils import CaptureQueriesContext

from putright.complaints import actions
from putright.complaints.errors import InvalidInput, TransitionNotAllowed
from putright.complaints.models import Complaint, Event, Remedy
from putright.correspondence.models import OutboxMessage
from putright.landlords.models import StaffRole
from putright.surveys import actions as survey_actions
from putright.surveys import links, queries
from putright.surveys.models import SurveyInvitation, SurveyResponse, Via
from tests.cast import RESIDENT, Cast, acknowledge, log, make_cast, respond, staff
from tests.conftest import needs_postgresql
from tests.portal_support import BASE, follow

TODAY = date(2025, 6, 16)
SITE = "https://complaints.example.org"
SATISFIED = {"satisfaction": "4", "knew_how_to_complain": "yes", "kept_informed": "yes", "comment": ""}
UNHAPPY = {"satisfaction": "1", "knew_how_to_complain": "no", "kept_informed": "no", "comment": "Nobody rang back."}


def close(cast: Cast, received: date = date(2025, 6, 2), actor: User | None = None, **changes: object) -> Complaint:
    """A complaint taken through stage 1 by its actions and closed a week after it was received."""
    who = actor or cast.handler
    complaint = log(cast, received, actor=who, **changes)
    acknowledge(cast, complaint, received + timedelta(days=1), actor=who)
    respond(cast, Complaint.objects.get(pk=complaint.pk), received + timedelta(days=4), actor=who)
    for remedy in Remedy.objects.filter(stage__complaint=complaint):
        actions.update_remedy(remedy, who, state="agreed", on=received + timedelta(days=4))
    return actions.close(Complaint.objects.get(pk=complaint.pk), who, on=received + timedelta(days=7))


def survey_email(complaint: Complaint) -> OutboxMessage:
    return OutboxMessage.objects.get(complaint=complaint, once_key__startswith="survey-invitation:")


def link_path(complaint: Complaint) -> str:
    found = re.search(rf"{re.escape(SITE)}(/\S+)", survey_email(complaint).body)
    assert found, survey_email(complaint).body
    return found.group(1)


@time_machine.travel(TODAY, tick=False)
@override_settings(SITE_URL=SITE)
class TheSurveyIsOfferedOnClosureTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_closing_a_complaint_emails_the_survey_once_with_a_link_that_opens_it(self) -> None:
        complaint = close(self.cast)
        message = survey_email(complaint)
        assert message.to_address == RESIDENT.email and message.kind == OutboxMessage.Kind.PORTAL
        assert complaint.reference in message.subject
        assert "Dear Rosa Resident" in message.body and "until 16 July 2025" in message.body
        assert "not a complaint" in message.body and "ask for stage 2" in message.body
        # The closure letter went first, and the survey's email comes once, however often it is offered.
        assert survey_actions.offer_survey(complaint, stage_number=1, closed_on=date(2025, 6, 9)) is not None
        assert OutboxMessage.objects.filter(complaint=complaint, once_key__startswith="survey").count() == 1
        assert SurveyInvitation.objects.filter(complaint=complaint).count() == 1
        opened = self.client.get(link_path(complaint))
        assert opened.status_code == 302 and opened["Location"] == f"{BASE}/survey/"
        html = self.client.get(opened["Location"]).content.decode()
        assert "How satisfied are you with how we handled your complaint?" in html
        assert "did you know how to make a complaint to us?" in html and "keep you informed" in html
        assert complaint.reference in html and "govuk-character-count" in html and "1,200" in html

    def test_the_link_names_no_complaint_and_no_resident(self) -> None:
        complaint = close(self.cast)
        path = link_path(complaint)
        assert complaint.reference not in path and "rosa" not in path.lower()

    def test_without_a_site_address_the_email_sends_the_resident_to_follow_the_complaint(self) -> None:
        with override_settings(SITE_URL=""):
            complaint = close(self.cast)
        body = survey_email(complaint).body
        assert "Follow your complaint on our complaints website" in body and "/survey/" not in body
        assert "You can answer until 16 July 2025" in body

    def test_withdrawn_and_refused_complaints_are_not_surveyed(self) -> None:
        withdrawn = log(self.cast, date(2025, 6, 2))
        actions.withdraw(withdrawn, self.cast.officer, how="Phoned to say the boiler is fixed", on=date(2025, 6, 3))
        refused = log(self.cast, date(2025, 6, 2), issue_date=date(2023, 1, 5))
        actions.not_accept(
            refused,
            self.cast.officer,
            ground="out-of-time",
            explanation="The issue happened in January 2023, more than 12 months ago, and nothing suggests a "
            "reason it could not have been raised sooner.",
            ombudsman_rights_given=True,
            on=date(2025, 6, 3),
        )
        assert not SurveyInvitation.objects.exists()
        assert not OutboxMessage.objects.filter(once_key__startswith="survey").exists()
        assert queries.offer_for(Complaint.objects.get(pk=withdrawn.pk)) is None

    def test_a_resident_without_email_is_offered_it_online_only(self) -> None:
        complaint = close(self.cast, resident=RESIDENT.__class__(name="Rosa Resident", phone="07700 900123"))
        invitation = SurveyInvitation.objects.get(complaint=complaint)
        assert invitation.emailed_to == ""
        assert not OutboxMessage.objects.filter(once_key__startswith="survey").exists()
        assert queries.offer_for(complaint) == queries.Offer(answered=False, last_day=date(2025, 7, 16))

    def test_closed_again_at_stage_2_it_is_offered_afresh_until_answered(self) -> None:
        complaint = close(self.cast)
        again = survey_actions.offer_survey(complaint, stage_number=2, closed_on=date(2025, 7, 30))
        assert again is not None and again.nonce != SurveyInvitation.objects.get(stage_number=1).nonce
        assert OutboxMessage.objects.filter(complaint=complaint, once_key__startswith="survey").count() == 2
        survey_actions.answer_survey(again, satisfaction=5, knew_how_to_complain=True, kept_informed="yes")
        other = close(self.cast, received=date(2025, 6, 3))
        first = SurveyInvitation.objects.get(complaint=other)
        survey_actions.answer_survey(first, satisfaction=5, knew_how_to_complain=True, kept_informed="yes")
        assert survey_actions.offer_survey(other, stage_number=2, closed_on=date(2025, 7, 30)) is None
        assert OutboxMessage.objects.filter(complaint=other, once_key__startswith="survey").count() == 1


@time_machine.travel(TODAY, tick=False)
@override_settings(SITE_URL=SITE)
class AnsweringTheSurveyTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        self.complaint = close(self.cast)
        self.client.get(link_path(self.complaint))

    def test_an_answer_is_kept_once_and_a_second_submission_changes_nothing(self) -> None:
        sent = self.client.post(f"{BASE}/survey/", SATISFIED)
        assert sent.status_code == 302 and sent["Location"] == f"{BASE}/survey/thank-you/"
        thanks = self.client.get(sent["Location"]).content.decode()
        assert "Thank you for your answers" in thanks and "If you are unhappy with how we handled" not in thanks
        answer = SurveyResponse.objects.get()
        assert (answer.satisfaction, answer.knew_how_to_complain, answer.kept_informed) == (4, True, "yes")
        assert answer.via == Via.EMAIL and answer.answered_on == TODAY and not answer.told_how_to_complain
        # Back and submit again, or the link opened again: the same answer stands.
        again = self.client.post(f"{BASE}/survey/", UNHAPPY)
        assert again.status_code == 200 and "You have already told us, thank you" in again.content.decode()
        reopened = self.client.get(self.client.get(link_path(self.complaint))["Location"])
        assert "You have already told us, thank you" in reopened.content.decode()
        assert SurveyResponse.objects.get().satisfaction == 4
        assert Event.objects.filter(complaint=self.complaint, kind="survey-answered").count() == 1
        with pytest.raises(survey_actions.AlreadyAnswered, match="already told us"):
            survey_actions.answer_survey(
                answer.invitation, satisfaction=1, knew_how_to_complain=False, kept_informed="no"
            )

    def test_a_dissatisfied_answer_is_not_a_complaint_but_shows_how_to_make_one_1_6(self) -> None:
        thanks = self.client.get(self.client.post(f"{BASE}/survey/", UNHAPPY)["Location"]).content.decode()
        assert "If you are unhappy with how we handled your complaint" in thanks
        assert "ask for stage 2" in thanks and f'href="{BASE}/follow/"' in thanks
        assert f'href="{BASE}/complain/what-you-want/"' in thanks and "housing-ombudsman.org.uk" in thanks
        answer = SurveyResponse.objects.get()
        assert answer.told_how_to_complain and answer.comment == "Nobody rang back."
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        assert complaint.status == "closed" and Complaint.objects.count() == 1  # nothing opened
        event = Event.objects.get(complaint=complaint, kind="survey-answered")
        assert "very dissatisfied" in event.summary and "told how to make a complaint (1.6)" in event.summary

    def test_missing_answers_are_named_and_a_long_comment_is_kept_to_shorten(self) -> None:
        html = self.client.post(f"{BASE}/survey/", {"comment": ""}).content.decode()
        assert "<title>Error:" in html
        for message in (
            "Select how satisfied you are with how we handled your complaint",
            "Select yes if you knew how to make a complaint to us",
            "Select whether we kept you informed while we dealt with your complaint",
        ):
            assert message in html
        long = "The boiler man was kind. " * 60
        html = self.client.post(f"{BASE}/survey/", {**SATISFIED, "comment": long}).content.decode()
        assert f"Your comment must be 1,200 characters or fewer (it has {len(long.strip()):,})" in html
        assert long.strip() in html
        assert not SurveyResponse.objects.exists()

    def test_the_action_refuses_answers_that_are_not_on_the_survey(self) -> None:
        invitation = SurveyInvitation.objects.get()
        with pytest.raises(InvalidInput) as caught:
            survey_actions.answer_survey(
                invitation, satisfaction=9, knew_how_to_complain=None, kept_informed="maybe", comment="x" * 1_201
            )
        assert set(caught.value.errors) == {"satisfaction", "knew_how_to_complain", "kept_informed", "comment"}
        assert not SurveyResponse.objects.exists() and not Event.objects.filter(kind="survey-answered").exists()

    def test_a_comment_with_markup_comes_back_as_text(self) -> None:
        script = "<script>alert('x')</script><b>bold</b>"
        self.client.post(f"{BASE}/survey/", {**UNHAPPY, "comment": script})
        assert SurveyResponse.objects.get().comment == script
        self.client.force_login(self.cast.officer)
        html = self.client.get(f"/staff/insight/tp09/comments/{2025}/").content.decode()
        assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;&lt;b&gt;bold&lt;/b&gt;" in html
        assert "<script>alert" not in html and "<b>bold" not in html


@time_machine.travel(TODAY, tick=False)
@override_settings(SITE_URL=SITE)
class TheLinkCannotBeMisusedTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        self.complaint = close(self.cast)

    def test_an_altered_or_made_up_link_is_refused_with_a_clear_page(self) -> None:
        path = link_path(self.complaint)
        token = path.rstrip("/").rsplit("/", 1)[1]
        for bad in (token[:-2] + ("AA" if not token.endswith("AA") else "BB"), "not-a-token", token + "x"):
            response = self.client.get(f"{BASE}/survey/{bad}/")
            assert response.status_code == 404 and "This link is not right" in response.content.decode()
        invitation = SurveyInvitation.objects.get()
        forged = links.token_for(invitation.pk, "a-guessed-secret")
        assert self.client.get(f"{BASE}/survey/{forged}/").status_code == 404
        # Nor does the link open the survey at another landlord's address.
        assert self.client.get(f"/medway/survey/{token}/").status_code == 404
        assert self.client.get(f"{BASE}/survey/")["Content-Type"].startswith("text/html")
        assert self.client.get(f"{BASE}/survey/").status_code == 404
        assert self.client.post(f"{BASE}/survey/", SATISFIED).status_code == 404
        assert not SurveyResponse.objects.exists()

    def test_an_expired_link_says_the_survey_has_closed(self) -> None:
        with time_machine.travel(date(2025, 7, 16), tick=False):
            assert self.client.get(link_path(self.complaint)).status_code == 302
            assert self.client.get(f"{BASE}/survey/").status_code == 200
        with time_machine.travel(date(2025, 7, 17), tick=False):
            page = self.client.get(self.client.get(link_path(self.complaint))["Location"])
            assert page.status_code == 410 and "The survey for this complaint has closed" in page.content.decode()
            assert "16 July 2025" in page.content.decode()
            assert self.client.post(f"{BASE}/survey/", SATISFIED).status_code == 410
            with pytest.raises(TransitionNotAllowed, match="has closed"):
                survey_actions.answer_survey(
                    SurveyInvitation.objects.get(), satisfaction=5, knew_how_to_complain=True, kept_informed="yes"
                )
        assert not SurveyResponse.objects.exists()

    def test_a_complaint_open_again_at_stage_2_waits_for_its_closure(self) -> None:
        self.client.get(link_path(self.complaint))
        actions.escalate(Complaint.objects.get(pk=self.complaint.pk), self.cast.handler, requested_on=TODAY)
        page = self.client.post(f"{BASE}/survey/", SATISFIED)
        assert page.status_code == 409 and "Your complaint is open again" in page.content.decode()
        assert not SurveyResponse.objects.exists()


@time_machine.travel(TODAY, tick=False)
@override_settings(SITE_URL=SITE)
class TheSurveyOnTheFollowedComplaintTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_a_resident_following_a_closed_complaint_is_offered_it_and_thanked_after(self) -> None:
        complaint = close(self.cast)
        follow(self.client, complaint.reference)
        page = self.client.get(f"{BASE}/your-complaint/").content.decode()
        assert "How did we handle your complaint?" in page and "You can answer until 16 July 2025" in page
        started = self.client.get(f"{BASE}/your-complaint/survey/")
        assert started["Location"] == f"{BASE}/survey/"
        thanks = self.client.get(self.client.post(f"{BASE}/survey/", UNHAPPY)["Location"]).content.decode()
        # Following the complaint, the resident is taken straight to the request for stage 2.
        assert f'href="{BASE}/your-complaint/escalate/"' in thanks
        assert SurveyResponse.objects.get().via == Via.PORTAL
        page = self.client.get(f"{BASE}/your-complaint/").content.decode()
        assert "Thank you for telling us how we handled your complaint" in page and "survey-offer" not in page
        again = self.client.get(f"{BASE}/your-complaint/survey/")
        assert "You have already told us, thank you" in again.content.decode()

    def test_an_open_complaint_shows_no_offer(self) -> None:
        complaint = log(self.cast, date(2025, 6, 2))
        follow(self.client, complaint.reference)
        assert "survey" not in self.client.get(f"{BASE}/your-complaint/").content.decode().lower()
        assert self.client.get(f"{BASE}/your-complaint/survey/").status_code == 404

    def test_starting_from_the_complaint_needs_the_complaint_followed(self) -> None:
        close(self.cast)
        assert self.client.get(f"{BASE}/your-complaint/survey/")["Location"] == f"{BASE}/follow/"


@override_settings(SITE_URL=SITE)
class FiguresAndCommentsInInsightTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.member = staff("mo.member", cls.cast.landlord, StaffRole.MEMBER)
        cls.medway_manager = staff("mia.medway", cls.cast.other_landlord, StaffRole.MANAGER)
        answers = [
            # (answered on, satisfaction, knew how to complain, comment)
            (date(2025, 6, 16), 5, True, "Quick and kind."),
            (date(2025, 6, 17), 4, True, ""),
            (date(2025, 6, 18), 2, False, "Nobody told me what was happening."),
            (date(2026, 3, 30), 1, True, "Still no boiler."),  # still 2025/26
            (date(2026, 4, 2), 5, False, "Better this year."),  # 2026/27
        ]
        for day, rating, knew, comment in answers:
            with time_machine.travel(day, tick=False):
                complaint = close(cls.cast, received=day - timedelta(days=14))
                invitation = SurveyInvitation.objects.get(complaint=complaint)
                survey_actions.answer_survey(
                    invitation, satisfaction=rating, knew_how_to_complain=knew, kept_informed="yes", comment=comment
                )
        with time_machine.travel(date(2025, 6, 16), tick=False):
            medway = replace(cls.cast, landlord=cls.cast.other_landlord)
            cls.theirs = close(medway, received=date(2025, 6, 2), actor=cls.cast.stranger)

    def test_the_year_figures_sit_beside_tp09(self) -> None:
        figures = queries.year_figures(self.cast.landlord.pk)
        assert [(y.year_starting, y.responses, y.satisfied, y.knew_how_to_complain, y.comments) for y in figures] == [
            (2026, 1, 1, 0, 1),
            (2025, 4, 2, 3, 3),
        ]
        self.client.force_login(self.cast.officer)
        html = self.client.get("/staff/insight/tp09/").content.decode()
        assert "Beside TP09" in html and "2025/26" in html
        assert "50.0% (2 of 4)" in html and "75.0% (3 of 4)" in html and "100.0% (1 of 1)" in html
        assert "100.0% (4 of 4)" in html  # all four kept informed all the way through
        assert 'href="/staff/insight/tp09/comments/2025/"' in html

    def test_the_member_reads_the_figures_but_not_the_comments(self) -> None:
        self.client.force_login(self.member)
        html = self.client.get("/staff/insight/tp09/").content.decode()
        assert "50.0% (2 of 4)" in html and "/tp09/comments/" not in html
        assert self.client.get("/staff/insight/tp09/comments/2025/").status_code == 403

    def test_officers_managers_and_the_auditor_read_the_comments_of_the_year(self) -> None:
        for user in (self.cast.officer, self.cast.manager, self.cast.auditor):
            self.client.force_login(user)
            html = self.client.get("/staff/insight/tp09/comments/2025/").content.decode()
            assert "Quick and kind." in html and "Still no boiler." in html and "Better this year." not in html
            assert "Very dissatisfied" in html and "Fairly dissatisfied" in html
            assert html.index("Still no boiler.") < html.index("Quick and kind.")  # newest first
        for user in (self.cast.handler, self.cast.reviewer):
            self.client.force_login(user)
            assert self.client.get("/staff/insight/tp09/comments/2025/").status_code == 403

    def test_another_landlords_staff_never_see_these_answers(self) -> None:
        self.client.force_login(self.medway_manager)
        html = self.client.get("/staff/insight/tp09/comments/2025/").content.decode()
        assert "Quick and kind." not in html and "No resident left a comment in 2025/26" in html
        tp09 = self.client.get("/staff/insight/tp09/").content.decode()
        assert "No resident has answered it yet" in tp09
        assert queries.year_figures(self.cast.other_landlord.pk) == []
        # Nor can a link of theirs be used at this landlord's address.
        invitation = SurveyInvitation.objects.get(complaint=self.theirs)
        token = links.token_for(invitation.pk, invitation.nonce)
        assert Client().get(f"{BASE}/survey/{token}/").status_code == 404

    def test_the_comments_page_and_the_figures_cost_a_fixed_few_queries(self) -> None:
        self.client.force_login(self.cast.auditor)
        self.client.get("/staff/insight/tp09/comments/2025/")  # warm the session and the user
        with self.assertNumQueries(5):
            self.client.get("/staff/insight/tp09/comments/2025/")
        with self.assertNumQueries(5):
            self.client.get("/staff/insight/tp09/")  # the survey's figures for every year in one query

    def test_the_comments_page_reads_the_same_number_of_queries_with_one_comment_or_five(self) -> None:
        self.client.force_login(self.cast.manager)
        self.client.get("/staff/insight/tp09/comments/2026/")  # warm the session and the user
        with CaptureQueriesContext(connection) as one:
            html = self.client.get("/staff/insight/tp09/comments/2026/").content.decode()
        count = len(one)
        assert html.count("Closed at stage") == 1 and "Better this year." in html
        for day, comment in ((date(2025, 7, 1), "Took too long."), (date(2025, 9, 1), "Fixed in a week.")):
            with time_machine.travel(day, tick=False):
                complaint = close(self.cast, received=day - timedelta(days=14), actor=self.cast.officer)
                survey_actions.answer_survey(
                    SurveyInvitation.objects.get(complaint=complaint),
                    satisfaction=3,
                    knew_how_to_complain=True,
                    kept_informed="sometimes",
                    comment=comment,
                )
        with self.assertNumQueries(count):
            html = self.client.get("/staff/insight/tp09/comments/2025/").content.decode()
        assert html.count("Closed at stage") == 5 and "Took too long." in html and "Fixed in a week." in html


def test_a_link_signed_for_something_else_is_not_a_survey_link() -> None:
    from django.core import signing

    assert links.read(signing.dumps({"i": 1, "n": "x"}, salt="another.purpose")) is None
    assert links.read(signing.dumps(["not", "a", "dict"], salt=links.SALT)) is None
    assert links.read(links.token_for(7, "nonce")) == (7, "nonce")


@needs_postgresql("concurrent writers between threads")
class AnswersArrivingAtOnceTests(TransactionTestCase):
    def test_two_answers_to_one_complaint_at_once_keep_one(self) -> None:
        with time_machine.travel(TODAY, tick=False):
            complaint = close(make_cast())
            second = survey_actions.offer_survey(complaint, stage_number=2, closed_on=TODAY)
        assert second is not None
        invitations = [SurveyInvitation.objects.get(complaint=complaint, stage_number=1), second]
        barrier = threading.Barrier(2)
        outcomes: list[str] = []

        def answer(invitation: SurveyInvitation, rating: int) -> None:
            try:
                with time_machine.travel(TODAY, tick=False):
                    barrier.wait()
                    survey_actions.answer_survey(
                        invitation, satisfaction=rating, knew_how_to_complain=True, kept_informed="yes"
                    )
                    outcomes.append("kept")
            except survey_actions.AlreadyAnswered:
                outcomes.append("already")
            finally:
                connection.close()

        threads = [threading.Thread(target=answer, args=pair) for pair in zip(invitations, (5, 1), strict=True)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sorted(outcomes) == ["already", "kept"]
        assert SurveyResponse.objects.count() == 1
        assert Event.objects.filter(complaint=complaint, kind="survey-answered").count() == 1
