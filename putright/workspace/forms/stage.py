"""The work of an open stage: assigning, acknowledging, clarification, extensions, updates, new
issues, and the response."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from crispy_forms_gds.helper import FormHelper  # type: ignore[import-untyped]
from crispy_forms_gds.layout import Layout  # type: ignore[import-untyped]
from django import forms
from django.contrib.auth.models import User
from django.utils.html import format_html

from putright.complaints import actions
from putright.complaints.models import Decision, Remedy
from putright.rules.responses import Element, required_elements
from putright.web.forms import DateField, VersionedForm, confirm, long_text, money, radios, select, yes_no
from putright.workspace.forms.choices import staff_choices
from putright.workspace.forms.remedies import AMOUNTS


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
        # At stage 2 the page gives what the resident sought at stage 1 (initial "stage_one_outcomes"),
        # and they are used only when the reviewer ticks the box: never filled in for them.
        self.stage_one_outcomes = str(self.initial.get("stage_one_outcomes") or "").strip()
        if self.stage_one_outcomes:
            self.fields["outcomes_sought"].required = False
            self.fields["outcomes_sought"].help_text = "What the resident wants now, in their words"
            use = forms.BooleanField(
                label="Use the outcomes the resident sought at stage 1",
                required=False,
                help_text=format_html(
                    "At stage 1 they wanted: {}<br>Anything you write above is added after them.",
                    self.stage_one_outcomes,
                ),
            )
            names = list(self.fields)
            self.fields["use_stage_one_outcomes"] = use
            self.order_fields([*names[: names.index("outcomes_sought") + 1], "use_stage_one_outcomes"])

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if self.stage_one_outcomes and "outcomes_sought" in data:
            typed = data["outcomes_sought"]
            if data.get("use_stage_one_outcomes"):
                data["outcomes_sought"] = "\n".join(part for part in (self.stage_one_outcomes, typed) if part)
            elif not typed:
                self.add_error(
                    "outcomes_sought", "Enter the outcomes the resident wants, or use the outcomes sought at stage 1"
                )
        return data

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


class _AllFieldsBut(FormHelper):  # type: ignore[misc]
    """Lays out every field the form has when it is rendered (a "yes, again" box added after the
    form is made included) except those the page places itself."""

    def __init__(self, form: forms.Form, left_out: tuple[str, ...]) -> None:
        super().__init__()
        self.form, self.left_out = form, left_out
        self.form_tag, self.disable_csrf = False, True

    @property
    def layout(self) -> Layout:
        return Layout(*(name for name in self.form.fields if name not in self.left_out))

    @layout.setter
    def layout(self, value: object) -> None:
        pass  # always worked out from the form's fields


class ExtendForm(VersionedForm):
    """Only what staff know: Putright issues the extension letter, the notice the resident is
    given with the Ombudsman's details (6.5, 6.16), dated the day it goes."""

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
    reason = long_text(
        "Why is more time needed?",
        what="why more time is needed",
        max_length=5_000,
        rows=4,
        help_text="The extension letter gives the resident this reason",
    )
    told_by_phone_on = DateField(
        what="the date you phoned the resident",
        label="If you also told the resident by phone, when?",
        required=False,
        help_text="Optional. Leave this blank if you have not phoned them. For example, 27 3 2025",
    )
    # Asked only when the extensions would add up to more than the cap: the page places it below
    # the preview that says so (extend.html), and the action refuses without it then (6.4, 6.15).
    good_reason = long_text(
        "The good reason for going beyond the limit",
        required=False,
        max_length=5_000,
        rows=3,
        help_text="The extension letter explains it to the resident (Code 6.4, 6.15)",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper = _AllFieldsBut(self, ("good_reason",))


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


# How the respond action begins its refusal of a response that lacks what the Code requires.
INCOMPLETE = "The response cannot be issued without "
_ELEMENTS = {f"({e.provision})": e for stage in (1, 2) for e in required_elements(stage)}


def _element_named_in(part: str) -> Element | None:
    """The element of 6.9 or 6.19 a part of the refusal is about, by the provision it cites."""
    return next((element for cited, element in _ELEMENTS.items() if cited in part), None)


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
            for part, (label, what) in AMOUNTS.items():
                self.fields[f"remedy_{i}_{part}"] = money(f"{label} (£)", what=what)
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

    def row_of(self, name: str) -> str:
        kind, _, rest = name.partition("_")
        row = rest.partition("_")[0]
        if kind in ("remedy", "action") and row.isdigit():
            return f"{kind.title()} {int(row) + 1}"
        return ""

    def add_domain_errors(self, errors: Mapping[str, str]) -> None:
        errors = dict(errors)
        # The action refuses a response that lacks what the Code requires under one key, "response",
        # naming each missing element with its provision; each is marked on the fields that supply it.
        incomplete = errors.pop("response", None)
        if incomplete is not None:
            self.mark_missing_elements(incomplete)
        super().add_domain_errors(errors)

    def mark_missing_elements(self, refusal: str) -> None:
        parts = refusal.removeprefix(INCOMPLETE).split("; ")
        found: dict[str, Element | None] = {part: _element_named_in(part) for part in parts}
        marked: dict[str, bool] = {}
        for part, element in found.items():
            if element is not None and element.key not in marked:
                # Reasons typed for a point without a decision are covered by the decision's error.
                marked[element.key] = self.mark_element(element) or (
                    element.key == "reasons" and marked.get("decision", False)
                )
            if element is None or not marked[element.key]:
                self.add_error(None, INCOMPLETE + part)

    def mark_element(self, element: Element) -> bool:
        """Put the error on each field that would supply `element`; False if no field on the page can."""
        data, code = self.cleaned_data, f"(Code {element.provision})"
        fields: dict[str, str] = {}
        if element.key == "decision":
            for p in self.points:
                if data.get(f"decision_{p.number}") not in Decision.values:
                    fields[f"decision_{p.number}"] = f"Select a decision on point {p.number} {code}"
        elif element.key == "reasons":
            for p in self.points:
                if not (data.get(f"reasons_{p.number}") or "").strip():
                    fields[f"reasons_{p.number}"] = f"Enter the reasons for the decision on point {p.number} {code}"
        elif element.key == "remedy":
            empty = [i for i in range(self.remedy_count) if not data.get(f"remedy_{i}_description")]
            if empty:
                fields[f"remedy_{empty[0]}_description"] = f"Describe the remedy, as a point is upheld {code}"
        elif element.key == "outstanding_actions":
            for i in range(self.action_count):
                if not data.get(f"action_{i}_description") and (
                    data.get(f"action_{i}_owner") or data.get(f"action_{i}_due_on")
                ):
                    fields[f"action_{i}_description"] = f"Enter what is still to be done {code}"
        for name, message in fields.items():
            self.add_error(name, message)
        return bool(fields)

    def error_links(self) -> list[tuple[str, str]]:
        # What the response lacks that no field supplies points at the checklist beside the form.
        return [
            ("#checklist-title" if message.startswith(INCOMPLETE) else href, message)
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
