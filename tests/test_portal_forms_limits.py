"""Forms that cannot lose words or dates: long text is counted, never cut, and refused with the
count; dates are read as people type them, checked on their own page with messages that name
them, and any answer refused at the end links back to its question."""

from __future__ import annotations

import html as html_lib
import re
from datetime import date
from unittest import mock

import time_machine
from django import forms
from django.test import SimpleTestCase, TestCase

from putright.complaints.errors import InvalidInput
from putright.complaints.models import Complaint
from putright.portal import journey
from putright.web.forms import DateField, Form, LongTextField, long_text
from tests.cast import make_cast
from tests.portal_support import ANSWERS, BASE, answer_all, submit
from tests.test_workspace_support import log_form, page, signed_in

TODAY = date(2025, 6, 16)
WHEN = f"{BASE}/complain/when/"
CHECK = f"{BASE}/complain/check-your-answers/"


def answer_until(client: object, stop: str) -> None:
    for slug, data in ANSWERS:
        if slug == stop:
            return
        response = client.post(f"{BASE}/complain/{slug}/", data)  # type: ignore[attr-defined]
        assert response.status_code == 302, (slug, response.content.decode()[:2000])


def textarea(html: str, name: str) -> str:
    found = re.search(rf'<textarea name="{name}"[^>]*>(.*?)</textarea>', html, re.S)
    assert found, html[:3000]
    return html_lib.unescape(found.group(1)).strip("\r\n")


class DateForm(Form):
    when = DateField(what="the date it happened", not_future=True)
    optional = DateField(what="the review date", required=False)


class NotesForm(Form):
    notes = long_text("Notes", max_length=300, what="the notes")


@time_machine.travel(TODAY, tick=False)
class DatesAsPeopleTypeThemTests(SimpleTestCase):
    def cleaned(self, day: str, month: str, year: str) -> date | str:
        form = DateForm({"when_0": day, "when_1": month, "when_2": year})
        return form.cleaned_data["when"] if form.is_valid() else str(form.errors["when"][0])

    def test_a_month_can_be_a_number_a_name_or_an_abbreviation(self) -> None:
        for month in ("10", "October", "october", "OCT", "oct", "Oct."):
            assert self.cleaned("2", month, "2024") == date(2024, 10, 2), month
        assert self.cleaned("2", "Sept", "2024") == date(2024, 9, 2)
        assert self.cleaned("2", "sep", "2024") == date(2024, 9, 2)

    def test_a_day_may_have_its_ordinal_and_a_year_two_numbers(self) -> None:
        assert self.cleaned("1st", "June", "25") == date(2025, 6, 1)
        assert self.cleaned("03", "06", "25") == date(2025, 6, 3)
        assert self.cleaned("22nd", "may", "2024") == date(2024, 5, 22)

    def test_a_two_number_year_in_the_future_is_refused_where_the_date_cannot_be(self) -> None:
        assert self.cleaned("1", "1", "26") == "The date it happened must be today or in the past"
        assert self.cleaned("17", "6", "2025") == "The date it happened must be today or in the past"
        assert self.cleaned("16", "6", "2025") == TODAY

    def test_each_message_names_the_date_and_says_what_to_do(self) -> None:
        cases = {
            ("1", "7", ""): "The date it happened must include a year",
            ("", "7", "2025"): "The date it happened must include a day",
            ("1", "", ""): "The date it happened must include a month and year",
            ("", "July", ""): "The date it happened must include a day and year",
            ("31", "2", "2025"): "The date it happened must be a real date",
            ("1", "Octember", "2025"): "The date it happened must be a real date",
            ("1", "13", "2025"): "The date it happened must be a real date",
            ("first", "6", "2025"): "The date it happened must be a real date",
            ("1", "6", "202"): "The date it happened must include the year as 4 numbers, like 2025",
            ("1", "6", "twenty"): "The date it happened must be a real date",
        }
        for (day, month, year), message in cases.items():
            assert self.cleaned(day, month, year) == message, (day, month, year)

    def test_no_part_of_the_date_has_a_length_limit_message_from_django(self) -> None:
        result = self.cleaned("1", "September", "2024")
        assert result == date(2024, 9, 1)
        form = DateForm({"when_0": "1", "when_1": "x" * 40, "when_2": "2024"})
        assert not form.is_valid() and "at most" not in str(form.errors)
        assert 'maxlength="4"' not in str(DateForm()["when"])

    def test_an_empty_optional_date_is_none_and_a_missing_required_one_asks_for_it(self) -> None:
        form = DateForm({"when_0": "", "when_1": "", "when_2": "", "optional_0": "", "optional_1": ""})
        assert not form.is_valid() and form.errors["when"] == ["Enter the date it happened"]
        assert "optional" not in form.errors
        form = DateForm({"when_0": "2", "when_1": "jun", "when_2": "25", "optional_0": "1", "optional_1": "1"})
        assert form.errors["optional"] == ["The review date must include a year"]
        assert DateForm({"when_0": "2", "when_1": "jun", "when_2": "25"}).is_valid()


class LongTextTests(SimpleTestCase):
    def test_too_much_text_is_refused_with_its_count_and_kept_whole(self) -> None:
        words = "a" * 450
        form = NotesForm({"notes": words})
        assert not form.is_valid()
        assert form.errors["notes"] == ["The notes must be 300 characters or fewer (it has 450)"]
        assert textarea(str(form["notes"]), "notes") == words

    def test_the_box_has_no_maxlength_so_a_paste_is_never_cut(self) -> None:
        rendered = str(NotesForm()["notes"])
        assert "maxlength" not in rendered and "govuk-js-character-count" in rendered

    def test_a_new_line_counts_as_one_character_as_the_counter_counts_it(self) -> None:
        text = "line\r\n" * 50  # 300 characters as the browser sends them, 250 as the counter shows them
        form = NotesForm({"notes": text})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["notes"] == ("line\n" * 50).strip()


@time_machine.travel(TODAY, tick=False)
class WhatHappenedTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        answer_until(self.client, "what-happened")

    def test_the_box_is_a_govuk_character_count_without_a_maxlength(self) -> None:
        html = page(self.client.get(f"{BASE}/complain/what-happened/"))
        assert 'class="govuk-form-group govuk-character-count"' in html
        assert 'data-module="govuk-character-count" data-maxlength="10000"' in html
        assert '<div id="id_description-info" class="govuk-hint govuk-character-count__message">' in html
        assert "You can enter up to 10,000 characters" in html
        box = re.search(r"<textarea[^>]*>", html)
        assert box and "maxlength" not in box.group(0) and "govuk-js-character-count" in box.group(0)
        assert "id_description_hint id_description-info" in box.group(0)

    def test_pasting_too_much_is_refused_with_the_count_and_every_word_kept(self) -> None:
        words = "The damp came back. " * 522 + "<script>alert('x')</script>"  # 10,467 characters
        response = self.client.post(f"{BASE}/complain/what-happened/", {"description": words})
        html = page(response)
        assert response.status_code == 200 and "<title>Error: What happened?" in html
        assert "What happened must be 10,000 characters or fewer (it has 10,467)" in html
        assert '<a href="#id_description">What happened must be 10,000 characters or fewer' in html
        assert textarea(html, "description") == words
        assert "<script>alert('x')</script>" not in html and "&lt;script&gt;alert(" in html
        assert "description" not in journey.answers(self.client.session, self.cast.landlord)

    def test_text_at_the_limit_is_kept_as_typed(self) -> None:
        words = "x" * 10_000
        assert self.client.post(f"{BASE}/complain/what-happened/", {"description": words}).status_code == 302
        assert journey.answers(self.client.session, self.cast.landlord)["description"] == words

    def test_every_long_answer_of_the_journey_has_a_count(self) -> None:
        self.client.post(f"{BASE}/complain/what-happened/", dict(ANSWERS)["what-happened"])
        self.client.post(WHEN, dict(ANSWERS)["when"])
        html = page(self.client.get(f"{BASE}/complain/outcome/"))
        assert 'data-maxlength="5000"' in html and "You can enter up to 5,000 characters" in html
        assert "maxlength=" not in html.replace("data-maxlength=", "")


@time_machine.travel(TODAY, tick=False)
class WhenItHappenedTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        answer_until(self.client, "when")

    def post_when(self, day: str, month: str, year: str) -> object:
        return self.client.post(WHEN, {"issue_date_0": day, "issue_date_1": month, "issue_date_2": year})

    def test_a_future_date_is_refused_on_its_own_page_naming_the_question(self) -> None:
        response = self.post_when("1", "7", "2025")
        html = page(response)
        assert response.status_code == 200  # type: ignore[attr-defined]
        assert '<a href="#id_issue_date_0">The date it happened must be today or in the past</a>' in html
        assert 'value="1"' in html and 'value="7"' in html  # what was typed stays in the boxes
        assert "issue_date" not in journey.answers(self.client.session, self.cast.landlord)

    def test_a_month_typed_as_a_word_is_understood(self) -> None:
        response = self.post_when("2", "June", "25")
        assert response["Location"] == f"{BASE}/complain/outcome/"  # type: ignore[index]
        assert journey.answers(self.client.session, self.cast.landlord)["issue_date"] == "2025-06-02"

    def test_october_is_a_month_not_a_length_error(self) -> None:
        html = page(self.post_when("40", "October", "2024"))
        assert "The date it happened must be a real date" in html and "at most" not in html

    def test_a_date_before_the_record_can_keep_is_refused_on_the_page(self) -> None:
        html = page(self.post_when("31", "12", "1999"))
        assert "The date it happened must be on or after 1 January 2000" in html


@time_machine.travel(TODAY, tick=False)
class CheckYourAnswersTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def keep_answer(self, **values: object) -> None:
        session = self.client.session
        journey.save_answers(session, self.cast.landlord, values)
        session.save()

    def test_an_answer_its_page_now_refuses_links_to_that_question_and_nothing_is_sent(self) -> None:
        token = answer_all(self.client)
        # Kept before the page checked dates: the answer is in the session, the page would refuse it.
        self.keep_answer(issue_date="2025-07-01")
        html = page(self.client.get(CHECK))
        link = f'<a href="{BASE}/complain/when/?change=1#id_issue_date_0">'
        assert link + "The date it happened must be today or in the past</a>" in html
        response = submit(self.client, token)
        assert response.status_code == 422 and link in page(response)
        assert Complaint.objects.count() == 0
        # The question's page shows the same error beside the date, with the date kept to correct.
        question = page(self.client.get(f"{BASE}/complain/when/?change=1"))
        assert "The date it happened must be today or in the past" in question
        assert 'name="issue_date_1" value="7"' in question
        changed = self.client.post(
            f"{BASE}/complain/when/?change=1", {"issue_date_0": "1", "issue_date_1": "jun", "issue_date_2": "25"}
        )
        assert changed["Location"] == CHECK
        assert submit(self.client, token).status_code == 302 and Complaint.objects.get().issue_date == date(2025, 6, 1)

    def test_too_long_text_kept_from_before_links_to_its_page(self) -> None:
        token = answer_all(self.client)
        self.keep_answer(outcome_sought="y" * 5_001)
        html = page(self.client.get(CHECK))
        assert f'<a href="{BASE}/complain/outcome/?change=1#id_outcome_sought">' in html
        assert "What you would like us to do must be 5,000 characters or fewer (it has 5,001)" in html
        assert submit(self.client, token).status_code == 422 and Complaint.objects.count() == 0

    def test_a_refusal_from_the_record_names_its_question_and_links_to_its_page(self) -> None:
        token = answer_all(self.client)
        refusal = InvalidInput({"outcome_sought": "This is not something we can record"})
        with mock.patch("putright.portal.views.actions.resident_log_complaint", side_effect=refusal):
            response = submit(self.client, token)
        html = page(response)
        assert response.status_code == 422
        assert (
            f'<a href="{BASE}/complain/outcome/?change=1">What would you like us to do to put things right: '
            "this is not something we can record</a>"
        ) in html
        assert Complaint.objects.count() == 0

    def test_answers_that_pass_their_pages_show_no_errors(self) -> None:
        answer_all(self.client)
        response = self.client.get(CHECK)
        assert response.status_code == 200 and "govuk-error-summary" not in page(response)


@time_machine.travel(TODAY, tick=False)
class StaffLongTextTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_a_staff_form_counts_characters_and_refuses_too_many_keeping_them(self) -> None:
        client = signed_in(self.cast.handler)
        html = page(client.get("/staff/complaints/new/"))
        assert 'data-module="govuk-character-count" data-maxlength="20000"' in html
        assert "You can enter up to 20,000 characters" in html
        assert "maxlength=" not in html.replace("data-maxlength=", "").split('name="description"')[1].split(">")[0]
        words = "w" * 20_005
        refused = page(client.post("/staff/complaints/new/", log_form(TODAY, description=words)))
        assert "The complaint must be 20,000 characters or fewer (it has 20,005)" in refused
        assert textarea(refused, "description") == words
        assert Complaint.objects.count() == 0

    def test_a_long_text_field_can_still_be_hidden(self) -> None:
        form = NotesForm()
        form.fields["notes"].widget = forms.HiddenInput()
        assert 'type="hidden"' in str(form["notes"])
        field = form.fields["notes"]
        assert isinstance(field, LongTextField) and field.character_limit is None
