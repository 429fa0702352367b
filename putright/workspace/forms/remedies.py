"""Remedies offered and followed through, and progress on outstanding actions."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms

from putright.complaints import actions
from putright.complaints.models import Remedy
from putright.web.forms import DateField, VersionedForm, long_text, money, radios

# The parts of a financial remedy, itemised as the Ombudsman's remedies guidance does (7.4): the
# field's label, and its name in an error message.
AMOUNTS = {
    "statutory": ("Statutory payment", "the statutory payment"),
    "quantifiable_loss": ("Quantifiable loss", "the quantifiable loss"),
    "time_and_trouble": ("Time and trouble", "the time and trouble payment"),
    "distress": ("Distress and inconvenience", "the distress and inconvenience payment"),
}


class OfferRemedyForm(VersionedForm):
    """A remedy offered at any point, without waiting for the response or an escalation (5.13)."""

    # The action names the one remedy it is given remedy[0]; "needs an amount" goes by the first amount.
    domain_fields = {
        "remedy[0].kind": "kind",
        "remedy[0].description": "description",
        "remedy[0].amount": "amount_statutory",
    }
    kind = radios("What kind of remedy?", Remedy.Kind.choices, what="the kind of remedy")
    description = long_text(
        "What will we do, and by when?", what="what the remedy is", max_length=5_000, help_text="Code 7.3"
    )
    amount_statutory = money("Statutory payment (£)", what=AMOUNTS["statutory"][1])
    amount_quantifiable_loss = money("Quantifiable loss (£)", what=AMOUNTS["quantifiable_loss"][1])
    amount_time_and_trouble = money("Time and trouble (£)", what=AMOUNTS["time_and_trouble"][1])
    amount_distress = money("Distress and inconvenience (£)", what=AMOUNTS["distress"][1])

    def remedy(self) -> actions.RemedyInput:
        data = self.cleaned_data
        return actions.RemedyInput(
            kind=data["kind"],
            description=data["description"],
            amount_statutory=data["amount_statutory"] or Decimal(0),
            amount_quantifiable_loss=data["amount_quantifiable_loss"] or Decimal(0),
            amount_time_and_trouble=data["amount_time_and_trouble"] or Decimal(0),
            amount_distress=data["amount_distress"] or Decimal(0),
        )


class RemedyForm(VersionedForm):
    state = radios("What has happened?", (), what="what has happened")
    on = DateField(what="the date", label="When?", help_text="For example, 27 3 2025")

    def __init__(self, *args: Any, remedy: Remedy, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        allowed = {
            Remedy.State.OFFERED: (Remedy.State.AGREED, Remedy.State.DECLINED, Remedy.State.DELIVERED),
            Remedy.State.AGREED: (Remedy.State.DELIVERED,),
        }.get(Remedy.State(remedy.state), ())
        labels = {
            Remedy.State.AGREED: "The resident agreed to it",
            Remedy.State.DECLINED: "The resident declined it",
            Remedy.State.DELIVERED: "It has been delivered",
        }
        field = self.fields["state"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(state.value, labels[state]) for state in allowed]


class ActionUpdateForm(VersionedForm):
    note = long_text("Update", what="what has happened", max_length=5_000, rows=3)
    resident_told = forms.BooleanField(label="The resident has been told", required=False)
    done = forms.BooleanField(label="This action is done", required=False)
    completed_on = DateField(
        what="the date it was done",
        label="Date done",
        required=False,
        help_text="For example, 27 3 2025. Leave empty for today.",
    )
    domain_fields = {"completed_on": "completed_on"}
