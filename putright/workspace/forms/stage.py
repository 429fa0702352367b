"""The work of an open stage: assigning, acknowledging, clarification, extensions, updates, new
issues, and the response."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from django import forms
from django.contrib.auth.models import User

from putright.complaints import actions
from putright.complaints.models import Decision, Remedy
from putright.web.forms import DateField, VersionedForm, confirm, long_text, radios, select, yes_no
from putright.workspace.forms.choices import staff_choices


class AssignForm(VersionedForm):
    domain_fields = {"conflict_of_interest": "no_conflict"}
    handler = select("Handler", [], what="a handler")
    no_conflict = confirm(
        "They have declared no conflict of interest in this complaint (Code 5.8)",
        message="Confirm they have declared no conflict of interest",
    )
    note = long_text("Note", required=False, max_length=2_000, rows=2)

    def __init__(self, *args: Any, handlers: Sequence[User], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.handlers = {str(user.pk): user for user in handlers}
        field = self.fields["handler"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = staff_choices(handlers, blank="Choose a handler")

    def chosen(self) -> User:
        return self.handlers[self.cleaned_data["handler"]]


class AcknowledgeForm(VersionedForm):
    on = DateField(
        what="the date of the acknowledgement", label="Date acknowledged", help_text="For example, 27 3 2025"
    )
    understanding = long_text(
        "Our understanding of the complaint",
        what="our understanding of the complaint",
        help_text="In plain words the resident will recognise (Code 5.6)",
    )
    outcomes_sought = long_text(
        "The outcomes the resident wants", what="the outcomes the resident wants", max_length=5_000, rows=3
    )
    points = long_text(
        "The points we will answer",
        what="at least one point to answer",
        max_length=60_000,
        rows=5,
        help_text="Put each point on its own line. The response answers each one with a decision and reasons.",
    )
    responsible_for = long_text(
        "What we are responsible for", required=False, max_length=5_000, rows=3, help_text="Code 5.7"
    )
    not_responsible_for = long_text(
        "What we are not responsible for",
        required=False,
        max_length=5_000,
        rows=3,
        help_text="For example, another organisation's part, with who to contact",
    )
    conflict_of_interest = yes_no(
        "Do you have a conflict of interest in this complaint?",
        what="whether you have a conflict of interest",
        help_text="You will become the handler of this stage (Code 5.8)",
    )
    discretion_note = long_text(
        "The discretion considered in accepting it",
        required=False,
        max_length=5_000,
        rows=3,
        help_text="The issue is outside the acceptance window: say why it is accepted (Code 2.3, 2.5)",
    )

    def __init__(self, *args: Any, declare: bool = True, needs_discretion: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not declare:
            del self.fields["conflict_of_interest"]
        if not needs_discretion:
            del self.fields["discretion_note"]

    def point_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["points"].splitlines() if line.strip()]


class ClarificationForm(VersionedForm):
    question = long_text(
        "What do you need the resident to clarify?",
        what="what the resident needs to clarify",
        max_length=5_000,
        help_text="Ask when part of the complaint is unclear, before or while defining it (Code 5.6)",
    )
    on = DateField(what="the date you asked", label="When did you ask?", help_text="For example, 27 3 2025")


class ExtendForm(VersionedForm):
    days = forms.IntegerField(
        label="How many more working days?",
        min_value=1,
        max_value=actions.MAX_EXTENSION_DAYS,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter how many more working days",
            "invalid": "The number of working days must be a whole number, like 5",
            "min_value": "The number of working days must be 1 or more",
            "max_value": f"The number of working days must be {actions.MAX_EXTENSION_DAYS} or fewer",
        },
    )
    reason = long_text("Why is more time needed?", what="why more time is needed", max_length=5_000, rows=4)
    good_reason = long_text(
        "Good reason for going beyond the policy's limit",
        required=False,
        max_length=5_000,
        rows=3,
        help_text="Needed only when extensions add up to more than the policy allows, and explained to the resident "
        "(Code 6.4, 6.15)",
    )
    resident_told_on = DateField(
        what="the date the resident was told", label="When was the resident told?", help_text="For example, 27 3 2025"
    )
    ombudsman_details_given = confirm(
        "The resident was given the Housing Ombudsman's contact details with the extension notice (Code 6.5, 6.16)",
        message="Confirm the resident was given the Housing Ombudsman's contact details",
    )


class UpdateIntervalForm(VersionedForm):
    every_days = forms.IntegerField(
        label="How often will the resident hear from us, in working days?",
        min_value=1,
        max_value=20,
        help_text="Agree this with the resident when the response will be later than the Code's timescales (Code 5.9)",
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        error_messages={
            "required": "Enter how often the resident will hear from us",
            "invalid": "How often must be a whole number of working days, like 5",
            "min_value": "How often must be 1 working day or more",
            "max_value": "How often must be 20 working days or fewer",
        },
    )
    agreed_on = DateField(
        what="the date it was agreed", label="When was it agreed?", help_text="For example, 27 3 2025"
    )


class SendUpdateForm(VersionedForm):
    update = long_text(
        "What is the update?",
        what="the update",
        max_length=5_000,
        rows=8,
        help_text="Where things are and what happens next. It goes to the resident as a letter (Code 5.9)",
    )
    on = DateField(what="the date of the update", label="Date of the update", help_text="For example, 27 3 2025")


class AddIssueForm(VersionedForm):
    description = long_text("The new issue", what="the new issue", max_length=5_000)
    related = yes_no(
        "Is it related to this complaint?",
        what="whether it is related",
        help_text="A related issue raised before the stage 1 response joins this complaint; otherwise it becomes "
        "a new complaint linked to this one (Code 6.8)",
    )
    on = DateField(what="the date it was raised", label="When was it raised?", help_text="For example, 27 3 2025")


class RespondForm(VersionedForm):
    """The response, point by point against the definition (6.7, 6.18), with remedies (7.1 to 7.4)
    and outstanding actions (6.6, 6.17). Remedy and action rows grow with 'Add another'."""

    MAX_ROWS = 10
    on = DateField(what="the date of the response", label="Date of the response", help_text="For example, 27 3 2025")
    summary = long_text(
        "Summary of the response",
        required=False,
        max_length=20_000,
        rows=4,
        help_text="Optional: the letter opens with this",
    )

    def __init__(
        self,
        *args: Any,
        points: Sequence[Any],
        owners: Sequence[User],
        remedies: int = 1,
        outstanding: int = 1,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.points = list(points)
        self.remedy_count = max(0, min(self.MAX_ROWS, remedies))
        self.action_count = max(0, min(self.MAX_ROWS, outstanding))
        self.owners = {str(user.pk): user for user in owners}
        # The action numbers remedies and actions by their place in the list it is given; these map
        # that place back to the row on the page, since empty rows are left out.
        self.remedy_slots: list[int] = []
        self.action_slots: list[int] = []
        for point in self.points:
            self.fields[f"decision_{point.number}"] = radios(
                f"Decision on point {point.number}",
                Decision.choices,
                what=f"a decision on point {point.number}",
                required=False,
            )
            self.fields[f"reasons_{point.number}"] = long_text(
                f"Reasons for the decision on point {point.number}",
                required=False,
                what=f"the reasons for point {point.number}",
                rows=4,
                help_text="Cite the policy, law or good practice the decision rests on",
            )
        for i in range(self.remedy_count):
            self.fields[f"remedy_{i}_kind"] = select(
                "Kind of remedy",
                [("", "Choose a kind of remedy"), *Remedy.Kind.choices],
                what="a kind of remedy",
                required=False,
            )
            self.fields[f"remedy_{i}_description"] = long_text(
                "What we will do, or have done", required=False, what="the remedy", max_length=5_000, rows=3
            )
            for part, label in (
                ("statutory", "Statutory payment"),
                ("quantifiable_loss", "Quantifiable loss"),
                ("time_and_trouble", "Time and trouble"),
                ("distress", "Distress and inconvenience"),
            ):
                self.fields[f"remedy_{i}_{part}"] = forms.DecimalField(
                    label=f"{label} (£)",
                    required=False,
                    min_value=Decimal(0),
                    max_value=Decimal(1_000_000),
                    decimal_places=2,
                    widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "govuk-input--width-5"}),
                    error_messages={
                        "invalid": "Enter an amount in pounds, like 50 or 50.00",
                        "min_value": "The amount cannot be negative",
                        "max_value": "The amount must be £1,000,000 or less",
                        "max_decimal_places": "Enter pence as two digits, like 50.25",
                        "max_digits": "The amount must be £1,000,000 or less",
                    },
                )
            self.fields[f"remedy_{i}_due_on"] = DateField(
                what="the date the remedy is due",
                label="To be done by",
                required=False,
                help_text="Optional. For example, 27 3 2025",
            )
        for i in range(self.action_count):
            self.fields[f"action_{i}_description"] = long_text(
                "What is still to be done", required=False, what="the outstanding action", max_length=5_000, rows=2
            )
            self.fields[f"action_{i}_owner"] = select(
                "Who will do it",
                staff_choices(owners, blank="Choose who will do it"),
                what="who will do it",
                required=False,
            )
            self.fields[f"action_{i}_due_on"] = DateField(
                what="the date the action is due", label="Due by", required=False, help_text="For example, 27 3 2025"
            )

    def field_for(self, key: str) -> str | None:
        # decisions[2].reasons -> reasons_2; remedies[0].description -> remedy_0_description; ...
        name = key
        if key.startswith("decisions[") and "]." in key:
            number, _, part = key[len("decisions[") :].partition("].")
            name = f"{part}_{number}"
        elif key.startswith(("remedies[", "actions[")) and "]." in key:
            remedy = key.startswith("remedies[")
            number, _, part = key.split("[", 1)[1].partition("].")
            slots = self.remedy_slots if remedy else self.action_slots
            row = slots[int(number)] if number.isdigit() and int(number) < len(slots) else number
            name = f"{'remedy' if remedy else 'action'}_{row}_{'statutory' if part == 'amount' else part}"
        return name if name in self.fields else None

    def error_links(self) -> list[tuple[str, str]]:
        # The action's list of what the response still lacks points at the checklist beside the form.
        return [
            ("#checklist-title" if message.startswith("The response cannot be issued") else href, message)
            for href, message in super().error_links()
        ]

    def point_rows(self) -> list[tuple[Any, forms.BoundField, forms.BoundField]]:
        return [(p, self[f"decision_{p.number}"], self[f"reasons_{p.number}"]) for p in self.points]

    def remedy_fields(self) -> list[list[forms.BoundField]]:
        return [[self[f"remedy_{i}_{part}"] for part in ("kind", "description")] for i in range(self.remedy_count)]

    def remedy_amounts(self) -> list[list[forms.BoundField]]:
        return [
            [self[f"remedy_{i}_{part}"] for part in ("statutory", "quantifiable_loss", "time_and_trouble", "distress")]
            for i in range(self.remedy_count)
        ]

    def remedy_rows_bound(self) -> list[tuple[int, list[forms.BoundField], list[forms.BoundField], forms.BoundField]]:
        return [
            (i + 1, fields, amounts, self[f"remedy_{i}_due_on"])
            for i, (fields, amounts) in enumerate(zip(self.remedy_fields(), self.remedy_amounts(), strict=True))
        ]

    def action_rows_bound(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (i + 1, [self[f"action_{i}_{part}"] for part in ("description", "owner", "due_on")])
            for i in range(self.action_count)
        ]

    def decisions(self) -> list[actions.PointDecisionInput]:
        data = self.cleaned_data
        # A point left without a decision is left out, so the action reports it as missing (6.9(c)).
        return [
            actions.PointDecisionInput(p.number, data[f"decision_{p.number}"], data[f"reasons_{p.number}"])
            for p in self.points
            if data.get(f"decision_{p.number}")
        ]

    def remedies(self) -> list[actions.RemedyInput]:
        data, rows = self.cleaned_data, []
        self.remedy_slots = []
        for i in range(self.remedy_count):
            amounts = [
                data.get(f"remedy_{i}_{part}") or Decimal(0)
                for part in ("statutory", "quantifiable_loss", "time_and_trouble", "distress")
            ]
            if not (data.get(f"remedy_{i}_kind") or data.get(f"remedy_{i}_description") or any(amounts)):
                continue
            self.remedy_slots.append(i)
            rows.append(
                actions.RemedyInput(
                    kind=data.get(f"remedy_{i}_kind") or "",
                    description=data.get(f"remedy_{i}_description") or "",
                    amount_statutory=amounts[0],
                    amount_quantifiable_loss=amounts[1],
                    amount_time_and_trouble=amounts[2],
                    amount_distress=amounts[3],
                    due_on=data.get(f"remedy_{i}_due_on"),
                )
            )
        return rows

    def outstanding_actions(self) -> list[actions.ActionInput]:
        data, rows = self.cleaned_data, []
        self.action_slots = []
        for i in range(self.action_count):
            description = data.get(f"action_{i}_description") or ""
            owner = self.owners.get(data.get(f"action_{i}_owner") or "")
            due = data.get(f"action_{i}_due_on")
            if not (description or owner or due):
                continue
            if due is None:
                self.add_error(f"action_{i}_due_on", "Enter the date the action is due")
                continue
            self.action_slots.append(i)
            rows.append(actions.ActionInput(description=description, due_on=due, owner=owner))
        return rows

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for i in range(self.action_count):
            if (
                (data.get(f"action_{i}_description") or data.get(f"action_{i}_owner"))
                and not data.get(f"action_{i}_due_on")
                and f"action_{i}_due_on" not in self.errors
            ):
                self.add_error(f"action_{i}_due_on", "Enter the date the action is due")
        return data
