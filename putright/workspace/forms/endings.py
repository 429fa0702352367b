"""Escalation, refusals (not accepting, or not escalating), withdrawal, closure and referral to the
Ombudsman."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.contrib.auth.models import User

from putright.web.forms import DateField, VersionedForm, confirm, long_text, radios, select, text
from putright.workspace.forms.choices import staff_choices


class EscalateForm(VersionedForm):
    domain_fields = {"handler": "reviewer", "conflict_of_interest": "reviewer_has_no_conflict"}
    requested_on = DateField(
        what="the date the resident asked",
        label="When did the resident ask for stage 2?",
        help_text="For example, 27 3 2025",
    )
    reason = long_text(
        "The resident's reason, if they gave one",
        required=False,
        max_length=5_000,
        rows=3,
        help_text="Optional: the resident does not need to give a reason (Code 6.12). Recorded for learning.",
    )
    discretion = long_text(
        "Why a late request is being accepted",
        required=False,
        max_length=5_000,
        rows=3,
    )
    reviewer = select(
        "Stage 2 reviewer",
        [],
        what="the stage 2 reviewer",
        required=False,
        help_text="The person who handled stage 1 cannot review it (Code 6.13)",
    )
    reviewer_has_no_conflict = confirm(
        "The reviewer has declared no conflict of interest in this complaint (Code 5.8)",
        message="Confirm the reviewer has declared no conflict of interest",
        required=False,
    )

    def __init__(
        self, *args: Any, reviewers: Sequence[User] = (), escalate_by: date | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.reviewers = {str(user.pk): user for user in reviewers}
        if reviewers:
            field = self.fields["reviewer"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = staff_choices(reviewers, blank="Leave for a reviewer to pick up")
        else:
            del self.fields["reviewer"], self.fields["reviewer_has_no_conflict"]
        discretion = self.fields["discretion"]
        if escalate_by:
            discretion.help_text = (
                f"Needed only if the resident asked after {escalate_by:%-d %B %Y}, the policy's deadline"
            )
        else:
            del self.fields["discretion"]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reviewer") and not data.get("reviewer_has_no_conflict"):
            self.add_error("reviewer_has_no_conflict", "Confirm the reviewer has declared no conflict of interest")
        return data

    def chosen_reviewer(self) -> User | None:
        return self.reviewers.get(self.cleaned_data.get("reviewer") or "")


class RefusalForm(VersionedForm):
    """Not accepting a complaint (2.1 to 2.5), or refusing to escalate one (5.11)."""

    ground = radios("Ground", (), what="a ground from the policy")
    explanation = long_text(
        "Explanation for the resident",
        what="the explanation for the resident",
        help_text="The reasons, in words the resident will understand (Code 2.4)",
    )
    ombudsman_rights_given = confirm(
        "The resident has been told why, and that they can take this decision to the Housing Ombudsman (Code 2.4)",
        message="Confirm the resident has been told they can go to the Housing Ombudsman",
    )
    review_note = long_text(
        "Your review of the ground",
        required=False,
        max_length=5_000,
        help_text="Needed for a ground the Code does not name: why it is fair and reasonable for this complaint, "
        "on its own facts (Code 2.2, 2.5)",
    )
    on = DateField(what="the date of the decision", label="Date of the decision", help_text="For example, 27 3 2025")

    def __init__(self, *args: Any, grounds: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["ground"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(grounds)


class WithdrawForm(VersionedForm):
    how = text(
        "How did the resident say they want to withdraw?",
        what="how the resident withdrew",
        max_length=300,
        help_text="For example, 'By phone to Hana Hughes'",
    )
    on = DateField(what="the date the resident withdrew", label="When?", help_text="For example, 27 3 2025")


class CloseForm(VersionedForm):
    on = DateField(what="the date of closing", label="Date closed", help_text="For example, 27 3 2025")


class OmbudsmanReferralForm(VersionedForm):
    ombudsman_reference = text(
        "The Ombudsman's reference", required=False, max_length=40, help_text="Optional, if the Ombudsman has given one"
    )
    on = DateField(what="the date of the referral", label="When was it referred?", help_text="For example, 27 3 2025")
