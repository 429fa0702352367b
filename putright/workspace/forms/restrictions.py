"""Contact restrictions (5.14, 5.15): proposing one, deciding on it, reviewing it and ending it."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms

from putright.people.models import ContactRestriction
from putright.web.forms import DateField, Form, long_text, radios, text, yes_no


class ProposeRestrictionForm(Form):
    behaviour = long_text(
        "What has the resident done?",
        what="the behaviour and when it happened",
        max_length=5_000,
        help_text="Describe the behaviour and when it happened, in words you would show the resident",
    )
    evidence = long_text(
        "What is the evidence?",
        what="the evidence of the behaviour",
        max_length=5_000,
        help_text="Call notes, emails, staff accounts: what shows it happened (Code 5.14)",
    )
    evidence_documents = forms.MultipleChoiceField(
        label="Documents on this complaint that show it (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose documents that are on this complaint's record"},
    )
    scope = forms.MultipleChoiceField(
        label="What will the restriction be?",
        choices=ContactRestriction.Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply. Keep it to what is needed to stop the behaviour (Code 5.15)",
        error_messages={"required": "Select what the restriction is", "invalid_choice": "Select from the list"},
    )
    channels = text(
        "The ways the resident can still contact us",
        required=False,
        max_length=300,
        help_text="Needed if you chose only some ways, for example letter or email",
    )
    contact_point = text(
        "The one person the resident should contact",
        required=False,
        max_length=200,
        help_text="Needed if you chose one named person: their name and role",
    )
    contact_times = text(
        "When the resident can contact us",
        required=False,
        max_length=300,
        help_text="Needed if you chose set times, for example Tuesdays 10am to 12pm",
    )
    other_terms = long_text(
        "The restriction, if something else",
        required=False,
        max_length=2_000,
        rows=3,
        help_text="Needed if you chose something else",
    )
    equality_considerations = long_text(
        "How have you had regard to the Equality Act 2010 and the resident's needs?",
        what="the regard had to the Equality Act 2010 and the resident's needs",
        max_length=5_000,
        help_text="Could a disability or other circumstance explain the behaviour? Is the restriction "
        "proportionate, and does it still let them reach us in a way that works for them? (Code 5.15)",
    )
    review_on = DateField(
        what="the date it will be reviewed by",
        label="When will it be reviewed?",
        help_text="No more than 6 months from today (Code 5.14). For example, 27 3 2026",
    )

    def __init__(self, *args: Any, documents: Sequence[tuple[int, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["evidence_documents"]
        assert isinstance(field, forms.ChoiceField)
        if documents:
            field.choices = [(str(pk), name) for pk, name in documents]
        else:
            del self.fields["evidence_documents"]


class DecideRestrictionForm(Form):
    decision = radios(
        "Do you approve this restriction?",
        (("approve", "Yes, approve it and write to the resident"), ("refuse", "No, refuse it")),
        what="whether you approve the restriction",
    )
    reasons = long_text(
        "Your reasons",
        required=False,
        max_length=5_000,
        rows=4,
        help_text="Needed if you refuse it. If you approve it, anything you add here is included in the letter",
    )
    review_on = DateField(
        what="the date it will be reviewed by",
        label="When will it be reviewed?",
        help_text="No more than 6 months from today (Code 5.14)",
        required=False,
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("decision") == "refuse" and not (data.get("reasons") or "").strip():
            self.add_error("reasons", "Enter why the restriction is refused")
        return data


class ReviewRestrictionForm(Form):
    outcome = radios(
        "What did the review decide?",
        (("continue", "Keep it in force"), ("end", "End it")),
        what="what the review decided",
    )
    notes = long_text("What the review found", what="what the review found", max_length=5_000, rows=4)
    next_review_on = DateField(
        what="the date of the next review",
        label="If it stays in force, when will it next be reviewed?",
        help_text="No more than 6 months from today (Code 5.14)",
        required=False,
    )
    send_letter = yes_no(
        "If it ends, write to the resident to tell them?", what="whether to write to the resident", required=False
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == "continue" and not data.get("next_review_on") and "next_review_on" not in self.errors:
            self.add_error("next_review_on", "Enter the date of the next review")
        if data.get("outcome") == "end" and self.data.get("send_letter") not in ("yes", "no"):
            self.add_error("send_letter", "Select whether to write to the resident")
        return data


class EndRestrictionForm(Form):
    reason = long_text("Why is it ending?", what="why the restriction is ending", max_length=5_000, rows=4)
    send_letter = yes_no("Write to the resident to tell them?", what="whether to write to the resident")
