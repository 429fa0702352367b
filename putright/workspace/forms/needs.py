"""A resident's needs (5.10): adjustments and vulnerabilities recorded, changed and ended,
safeguarding concerns, and the tasks adjustments set a stage."""

from __future__ import annotations

from typing import Any

from django import forms

from putright.complaints.actions.needs import CONSENT_NEEDED
from putright.people.models import EndReason, ReasonableAdjustment, Vulnerability
from putright.web.forms import DateField, Form, confirm, long_text, radios, select, text

DATE_HINT = "For example, 27 3 2026"
REVIEW_HINT = "Leave empty for 12 months from today. Needs are kept under active review (Code 5.10)"


class AdjustmentForm(Form):
    kind = radios("What has been agreed?", ReasonableAdjustment.Kind.choices, what="what has been agreed")
    detail = text(
        "Details",
        required=False,
        max_length=300,
        what="the details",
        help_text="For example, the language, the named contact, or the times and channels to use",
    )
    agreed_on = DateField(what="the date it was agreed", label="When was it agreed?", help_text=DATE_HINT)
    review_on = DateField(what="the review date", label="Review by (optional)", required=False, help_text=REVIEW_HINT)


class ChangeAdjustmentForm(Form):
    kind = radios("What has been agreed?", ReasonableAdjustment.Kind.choices, what="what has been agreed")
    detail = text("Details", required=False, max_length=300, what="the details")
    reviewed = forms.BooleanField(
        label="We reviewed this with the resident today", required=False, help_text="Records a review (Code 5.10)"
    )
    review_on = DateField(what="the date of the next review", label="Next review by", help_text=DATE_HINT)


class EndNeedForm(Form):
    reason = radios("Why is it ending?", EndReason.choices, what="why it is ending")
    note = long_text("More detail", required=False, max_length=2_000, what="more detail", rows=3)
    on = DateField(what="the date it ends", label="Ends on", help_text=DATE_HINT)


class VulnerabilityForm(Form):
    domain_fields = {"consent_given": "consent_given"}
    description = text(
        "What has the resident told us?",
        max_length=300,
        what="what the resident told us",
        help_text="Only what staff need to know to treat them fairly",
    )
    disclosed_on = DateField(what="the date they told us", label="When did they tell us?", help_text=DATE_HINT)
    consent_given = confirm("The resident agreed to us keeping this on their record", message=CONSENT_NEEDED)
    consent_from = radios("Who gave consent?", Vulnerability.ConsentFrom.choices, what="who gave consent")
    consent_how = radios("How was consent given?", Vulnerability.ConsentHow.choices, what="how consent was given")
    consent_on = DateField(what="the date consent was given", label="When was consent given?", help_text=DATE_HINT)
    review_on = DateField(what="the review date", label="Review by (optional)", required=False, help_text=REVIEW_HINT)


class ChangeVulnerabilityForm(Form):
    description = text("What has the resident told us?", max_length=300, what="what the resident told us")
    reviewed = forms.BooleanField(
        label="We reviewed this with the resident today", required=False, help_text="Records a review (Code 5.10)"
    )
    review_on = DateField(what="the date of the next review", label="Next review by", help_text=DATE_HINT)


def _colleagues(choices: list[tuple[str, str]]) -> list[tuple[str, str]]:
    return [("", "Choose who made it"), *choices]


class SafeguardingForm(Form):
    seen = long_text(
        "What was seen or heard?", max_length=5_000, what="what was seen or heard", help_text="Facts, not opinion"
    )
    seen_on = DateField(what="the date", label="When?", help_text=DATE_HINT)
    referred_to = text(
        "Referred to (if a referral was made)",
        required=False,
        max_length=300,
        what="who it was referred to",
        help_text="For example, the council's adult social care team",
    )
    referred_on = DateField(what="the date of the referral", label="Date of the referral", required=False)
    referred_by = select("Who made the referral?", (), what="who made the referral", required=False)

    def __init__(self, *args: Any, colleagues: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["referred_by"].choices = _colleagues(colleagues)  # type: ignore[attr-defined]


class SafeguardingUpdateForm(SafeguardingForm):
    outcome = long_text("Outcome", required=False, max_length=5_000, what="the outcome", rows=3)
    outcome_on = DateField(what="the date of the outcome", label="Date of the outcome", required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        del self.fields["seen"], self.fields["seen_on"]


class DoneForm(Form):
    on = DateField(what="the date", label="When?", help_text=DATE_HINT)
    note = text("Note (optional)", required=False, max_length=2_000, what="the note")
