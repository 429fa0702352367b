"""Forms that forgive: money typed as people type it, error summaries that say which remedy or action
row is wrong, and a response missing what the Code requires (6.9, 6.19) marked on the fields that
supply each missing element, one line each."""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal

import time_machine
from django import forms
from django.test import SimpleTestCase, TestCase

from putright.complaints.models import Complaint, Remedy, Status
from putright.web.forms import Form, money
from tests.cast import acknowledge, log, make_cast
from tests.test_workspace_support import complaint_url, date_fields, page, respond_form, signed_in

TODAY = date(2025, 6, 16)


class PaymentForm(Form):
    time_and_trouble = money("Time and trouble (£)", what="the time and trouble payment")


def cleaned(typed: str) -> tuple[Decimal | None, list[str]]:
    form = PaymentForm({"time_and_trouble": typed})
    form.is_valid()
    return form.cleaned_data.get("time_and_trouble"), form.errors.get("time_and_trouble", [])


class MoneyFieldTests(SimpleTestCase):
    def test_amounts_are_taken_as_people_type_them_and_kept_in_pence(self) -> None:
        for typed, amount in (
            ("£120.00", "120.00"),
            ("120", "120.00"),
            ("1,200.50", "1200.50"),
            ("£ 75", "75.00"),
            (" 75.5 ", "75.50"),
            ("£1,000,000", "1000000.00"),
            ("0", "0.00"),
        ):
            value, errors = cleaned(typed)
            assert errors == [], (typed, errors)
            assert value == Decimal(amount) and str(value) == amount, (typed, value)

    def test_an_empty_optional_amount_is_none(self) -> None:
        assert cleaned("") == (None, []) and cleaned("   ") == (None, [])

    def test_what_is_not_an_amount_of_pounds_and_pence_is_refused_naming_the_field(self) -> None:
        named = "Enter the time and trouble payment in pounds and pence, like £75.00"
        for typed in ("12.345", "abc", "£1,00,0", "1,2345", "12.", "£", "1e3", "NaN", "75p"):
            assert cleaned(typed) == (None, [named]), typed
        for typed in ("-5", "£-5", "-£5", "\u22125"):
            assert cleaned(typed) == (None, ["The time and trouble payment must be £0.00 or more"]), typed
        assert cleaned("1,000,000.01") == (None, ["The time and trouble payment must be £1,000,000.00 or less"])

    def test_a_required_amount_left_empty_is_named_too(self) -> None:
        class Required(Form):
            amount = money("Amount (£)", what="the amount", required=True)

        form = Required({"amount": ""})
        assert not form.is_valid() and form.errors["amount"] == ["Enter the amount"]

    def test_an_amount_read_back_shows_with_pence_and_commas(self) -> None:
        form = PaymentForm(initial={"time_and_trouble": Decimal("1200.5")})
        assert 'value="1,200.50"' in str(form["time_and_trouble"])
        assert 'inputmode="decimal"' in str(form["time_and_trouble"])
        assert isinstance(form.fields["time_and_trouble"].widget, forms.TextInput)


def marked(html: str, field: str) -> bool:
    """Whether a field's form group has the GOV.UK error styling."""
    group = re.search(rf'<div id="div_id_{field}" class="govuk-form-group([^"]*)"', html)
    assert group, f"no form group for {field}"
    return "govuk-form-group--error" in group.group(1)


def summary(html: str) -> list[tuple[str, str]]:
    """The error summary's (href, message) pairs, in order."""
    box = html.split('class="govuk-error-summary"', 1)[1].split("</ul>", 1)[0]
    return re.findall(r'<a href="([^"]+)">([^<]+)</a>', box)


@time_machine.travel(TODAY, tick=False)
class OfferRemedyAmountTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = acknowledge(cls.cast, log(cls.cast, date(2025, 6, 9)), date(2025, 6, 10))

    def offer(self, **amounts: str) -> str:
        data = {"expected_version": self.complaint.version, "kind": "financial", "description": "Compensation"}
        return page(signed_in(self.cast.handler).post(complaint_url(self.complaint, "offer-remedy"), data | amounts))

    def test_pounds_with_a_sign_and_commas_are_stored_to_the_penny_5_13(self) -> None:
        self.offer(amount_time_and_trouble="£1,200.50", amount_distress=" 75.5 ")
        remedy = Remedy.objects.get(stage__complaint=self.complaint)
        assert remedy.amount_time_and_trouble == Decimal("1200.50") and remedy.amount_distress == Decimal("75.50")
        assert remedy.total == Decimal("1276.00")

    def test_a_bad_amount_is_refused_by_name_and_nothing_is_offered(self) -> None:
        html = self.offer(amount_time_and_trouble="12.345", amount_statutory="-5")
        assert summary(html) == [
            ("#id_amount_statutory", "The statutory payment must be £0.00 or more"),
            ("#id_amount_time_and_trouble", "Enter the time and trouble payment in pounds and pence, like £75.00"),
        ]
        assert 'value="12.345"' in html  # what was typed stays, to be corrected
        assert not Remedy.objects.exists()

    def test_a_financial_remedy_without_an_amount_is_marked_on_the_amounts_7_4(self) -> None:
        html = self.offer()
        assert ("#id_amount_statutory", "A financial remedy needs an amount") in summary(html)
        assert marked(html, "amount_statutory") and not marked(html, "amount_distress")


@time_machine.travel(TODAY, tick=False)
class RespondRowErrorTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = acknowledge(cls.cast, log(cls.cast, date(2025, 6, 2)), date(2025, 6, 3))

    def post(self, **changes: str) -> str:
        url = complaint_url(self.complaint, "respond")
        return page(
            signed_in(self.cast.handler, confirm=False).post(url, respond_form(self.complaint, TODAY, **changes))
        )

    def test_each_summary_line_says_which_remedy_or_action_and_links_to_its_input(self) -> None:
        html = self.post(
            remedy_rows="2",
            action_rows="2",
            remedy_1_kind="financial",
            remedy_1_description="For the heaters",
            remedy_1_time_and_trouble="£12.345",
            remedy_1_distress="-5",
            action_0_description="Replace the boiler",
            action_1_description="Check the radiators",
            **date_fields("action_1_due_on", date(2025, 6, 30)),
        )
        assert summary(html) == [
            (
                "#id_remedy_1_time_and_trouble",
                "Remedy 2: enter the time and trouble payment in pounds and pence, like £75.00",
            ),
            ("#id_remedy_1_distress", "Remedy 2: the distress and inconvenience payment must be £0.00 or more"),
            ("#id_action_0_due_on_0", "Action 1: enter the date the action is due"),
        ]
        # Beside the field, the message is the field's own: the row's legend already says which.
        assert "Enter the time and trouble payment in pounds and pence, like £75.00" in html
        assert Complaint.objects.get(pk=self.complaint.pk).status == Status.STAGE1_OPEN

    def test_the_actions_refusal_of_a_row_names_the_row_too(self) -> None:
        html = self.post(remedy_rows="2", remedy_1_kind="financial", remedy_1_description="For the heaters")
        assert ("#id_remedy_1_statutory", "Remedy 2: a financial remedy needs an amount") in summary(html)

    def test_amounts_typed_with_a_pound_sign_are_issued_to_the_penny(self) -> None:
        url = complaint_url(self.complaint, "respond")
        response = signed_in(self.cast.handler).post(
            url,
            respond_form(
                self.complaint,
                TODAY,
                remedy_0_kind="financial",
                remedy_0_description="For your time and trouble",
                remedy_0_time_and_trouble="£120.00",
                remedy_0_distress="1,200.5",
            ),
        )
        assert response.status_code == 302
        remedy = Remedy.objects.get(stage__complaint=self.complaint)
        assert remedy.amount_time_and_trouble == Decimal("120.00") and remedy.amount_distress == Decimal("1200.50")


@time_machine.travel(TODAY, tick=False)
class MissingElementTests(TestCase):
    """6.9: the response cannot be issued without each element; the page says which, where."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = acknowledge(cls.cast, log(cls.cast, date(2025, 6, 2)), date(2025, 6, 3))

    def post(self, **changes: str) -> str:
        url = complaint_url(self.complaint, "respond")
        return page(
            signed_in(self.cast.handler, confirm=False).post(url, respond_form(self.complaint, TODAY, **changes))
        )

    def test_each_missing_element_is_its_own_line_linked_to_the_field_that_supplies_it(self) -> None:
        html = self.post(reasons_1="", decision_2="", reasons_2="", remedy_0_kind="", remedy_0_description="")
        assert summary(html) == [
            ("#id_reasons_1", "Enter the reasons for the decision on point 1 (Code 6.9(d))"),
            ("#id_decision_2_1", "Select a decision on point 2 (Code 6.9(c))"),
            ("#id_reasons_2", "Enter the reasons for the decision on point 2 (Code 6.9(d))"),
            ("#id_remedy_0_description", "Remedy 1: describe the remedy, as a point is upheld (Code 6.9(e))"),
        ]
        assert "The response cannot be issued without" not in html  # no long single sentence
        assert Complaint.objects.get(pk=self.complaint.pk).status == Status.STAGE1_OPEN

    def test_the_fields_that_supply_a_missing_element_are_marked_in_the_govuk_style(self) -> None:
        html = self.post(decision_2="", reasons_2="")
        assert marked(html, "decision_2") and marked(html, "reasons_2")
        assert not marked(html, "decision_1") and not marked(html, "reasons_1")
        assert '<span class="govuk-visually-hidden">Error:</span> Select a decision on point 2 (Code 6.9(c))' in html

    def test_reasons_typed_for_a_point_without_a_decision_are_covered_by_the_decision(self) -> None:
        html = self.post(decision_2="")
        assert summary(html) == [("#id_decision_2_1", "Select a decision on point 2 (Code 6.9(c))")]

    def test_a_remedy_already_offered_at_the_stage_satisfies_6_9_e(self) -> None:
        signed_in(self.cast.handler).post(
            complaint_url(self.complaint, "offer-remedy"),
            {"expected_version": self.complaint.version, "kind": "apology", "description": "We are sorry."},
        )
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        url = complaint_url(complaint, "respond")
        response = signed_in(self.cast.handler).post(
            url, respond_form(complaint, TODAY, remedy_0_kind="", remedy_0_description="")
        )
        assert response.status_code == 302
        assert Complaint.objects.get(pk=complaint.pk).status == Status.STAGE1_RESPONDED
