"""The workspace's forms: one per page, each field's error message written in the GDS style.

Forms check the shape of what was typed (a real date, a choice from the list); whether it may be
done is the domain action's decision, and its refusals are added back to these forms.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from typing import Any

from crispy_forms_gds.layout import Div, Field, Fieldset, Layout, Size  # type: ignore[import-untyped]
from django import forms
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.models import User

from putright.complaints import actions
from putright.complaints.models import Channel, Decision, Remedy, RootCause, ServiceArea, Status, Tenure
from putright.people.models import ContactMethod, Representative
from putright.web.forms import (
    DateField,
    Form,
    GovForm,
    VersionedForm,
    confirm,
    long_text,
    radios,
    select,
    text,
    yes_no,
)

BLANK = ("", "")


def _person_name(user: User) -> str:
    return user.get_full_name() or user.username


def staff_choices(users: Sequence[User], blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(str(user.pk), _person_name(user)) for user in users]
    return [("", blank), *choices] if blank is not None else choices


# -- signing in --------------------------------------------------------------------------------


class SignInForm(GovForm, auth_forms.AuthenticationForm):
    error_messages = {
        "invalid_login": "Enter a correct username and password (both are case-sensitive)",
        "inactive": "This account is not active: ask your complaints officer",
    }

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["username"].error_messages["required"] = "Enter your username"
        self.fields["password"].error_messages["required"] = "Enter your password"
        self.fields["username"].widget.attrs.update({"class": "govuk-!-width-one-half", "spellcheck": "false"})
        self.fields["password"].widget.attrs.update({"class": "govuk-!-width-one-half"})
        self.setup_helper()


class ResetPasswordForm(GovForm, auth_forms.PasswordResetForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        email = self.fields["email"]
        email.label = "Email address"
        email.help_text = "The email address your account was set up with"
        email.error_messages.update(
            {
                "required": "Enter your email address",
                "invalid": "Enter an email address in the correct format, like name@example.org",
            }
        )
        self.setup_helper()


class NewPasswordForm(GovForm, auth_forms.SetPasswordForm):  # type: ignore[type-arg]
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_password1"].error_messages["required"] = "Enter a new password"
        self.fields["new_password2"].error_messages["required"] = "Enter the new password again"
        self.setup_helper()


# -- lists -------------------------------------------------------------------------------------


class WorkFilterForm(Form):
    """Filters for My work and Team work (read from the query string; never an error page)."""

    q = text("Reference or resident's name", required=False, max_length=200)
    stage = select("Stage", [("", "Any stage"), ("1", "Stage 1"), ("2", "Stage 2")], what="a stage", required=False)
    status = select("Status", [("", "Any status"), *Status.choices], what="a status", required=False)
    service_area = select(
        "Service area", [("", "Any service area"), *ServiceArea.choices], what="a service area", required=False
    )
    handler = select("Handler", [], what="a handler", required=False)
    overdue = forms.BooleanField(label="Overdue", required=False)
    due_this_week = forms.BooleanField(label="Due this week", required=False)
    vulnerable = forms.BooleanField(label="Vulnerable or needs adjustments", required=False)
    after = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args: Any, handlers: Sequence[User] = (), team: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if handlers:
            field = self.fields["handler"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "Anyone"), ("none", "Nobody yet"), *staff_choices(handlers)]
        else:
            del self.fields["handler"]
        self.helper.layout = Layout(
            Field.text("q"),
            *[Field.select(name) for name in ("stage", "status", "service_area", "handler") if name in self.fields],
            Fieldset(
                Div(
                    Field.checkbox("overdue", small=True),
                    Field.checkbox("due_this_week", small=True),
                    Field.checkbox("vulnerable", small=True),
                    css_class="putright-filters__checks",
                ),
                legend="Show only",
                legend_size=Size.SMALL,
            ),
        )


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


# -- logging complaints and service requests ---------------------------------------------------


class ResidentFields(forms.Form):
    """The resident's details, as `actions.ResidentDetails` takes them."""

    resident_name = text("Full name", max_length=200, what="the resident's full name")
    resident_email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    resident_phone = text("Phone number", required=False, max_length=40, what="the phone number")
    resident_address = long_text("Address", required=False, max_length=500, what="the address", rows=3)
    tenancy_reference = text("Tenancy or property reference", required=False, max_length=60)
    preferred_contact = radios(
        "How does the resident prefer to be contacted?",
        ContactMethod.choices,
        what="how the resident prefers to be contacted",
        initial=ContactMethod.EMAIL,
    )

    def resident(self) -> actions.ResidentDetails:
        data = self.cleaned_data
        return actions.ResidentDetails(
            name=data["resident_name"],
            email=data["resident_email"],
            phone=data["resident_phone"],
            address=data["resident_address"],
            preferred_contact=data["preferred_contact"],
            tenancy_reference=data["tenancy_reference"],
        )


RESIDENT_DOMAIN_FIELDS = {
    "resident.name": "resident_name",
    "resident.email": "resident_email",
    "resident.phone": "resident_phone",
    "resident.address": "resident_address",
    "resident.preferred_contact": "preferred_contact",
    "resident.tenancy_reference": "tenancy_reference",
}


class LogComplaintForm(Form, ResidentFields):
    domain_fields = {
        **RESIDENT_DOMAIN_FIELDS,
        "representative.name": "rep_name",
        "representative.relationship": "rep_relationship",
        "representative.authority": "rep_authority",
        "on": "received_on",
    }

    tenure = radios(
        "The resident's tenure",
        Tenure.choices,
        what="the resident's tenure",
        initial=Tenure.LCRA,
        help_text="Complaints are counted per 1,000 homes of each kind (TSM CH01)",
    )
    channel = radios("How did the complaint arrive?", Channel.choices, what="how the complaint arrived")
    received_on = DateField(
        what="the date the complaint was received",
        label="When was it received?",
        help_text="For example, 27 3 2025. The clock starts on this day: it can be earlier than today, never later.",
    )
    service_area = select(
        "Service area", [("", "Choose a service area"), *ServiceArea.choices], what="a service area", required=False
    )
    description = long_text(
        "The complaint, in the resident's own words", max_length=20_000, what="the complaint", rows=8
    )
    outcome_sought = long_text("What would the resident like to happen?", required=False, max_length=5_000, rows=3)
    issue_date = DateField(
        what="the date of the issue",
        label="When did the issue happen, or the resident become aware of it?",
        required=False,
        help_text="Optional. Used to check the acceptance window (Code 2.3).",
    )
    discretion_note = long_text(
        "Discretion considered",
        required=False,
        max_length=5_000,
        rows=3,
        help_text="If the issue is outside the acceptance window, why it is being accepted (Code 2.3).",
    )
    rep_name = text("Their name", required=False, max_length=200, what="the representative's name")
    rep_relationship = select(
        "Who are they?",
        [("", "Choose who they are"), *Representative.Relationship.choices],
        what="who the representative is",
        required=False,
    )
    rep_authority = select(
        "What authority did the resident give them?",
        [("", "Choose the authority"), *Representative.Authority.choices],
        what="the authority the resident gave",
        required=False,
        help_text="Councillors and MPs are presumed to act with the resident's consent (Code 3.6).",
    )
    rep_email = forms.EmailField(
        label="Their email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.org"},
    )
    rep_phone = text("Their phone number", required=False, max_length=40, what="their phone number")
    outcome = radios(
        "Is the complaint accepted?",
        (("accept", "Yes: log it at stage 1"), ("not-accept", "No: log it as not accepted")),
        what="whether the complaint is accepted",
        initial="accept",
    )
    ground = radios("Why is it not accepted?", (), what="why the complaint is not accepted", required=False)
    explanation = long_text("Explanation for the resident", required=False, what="the explanation for the resident")
    ombudsman_rights_given = confirm(
        "The resident has been told why, and that they can take this decision to the Housing Ombudsman (Code 2.4)",
        message="Confirm the resident has been told they can go to the Housing Ombudsman",
        required=False,
    )
    confirmed_new = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, can_decide: bool = False, grounds: Sequence[tuple[str, str]] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if can_decide:
            ground = self.fields["ground"]
            assert isinstance(ground, forms.ChoiceField)
            ground.choices = list(grounds)
        else:
            for name in ("outcome", "ground", "explanation", "ombudsman_rights_given"):
                del self.fields[name]
        resident = Fieldset(
            Field.text("resident_name", field_width=20),
            Field.text("resident_email", field_width=20),
            Field.text("resident_phone", field_width=20),
            Field.textarea("resident_address", rows=3),
            Field.text("tenancy_reference", field_width=20),
            Field.radios("preferred_contact", inline=True),
            Field.radios("tenure"),
            legend="The resident",
            legend_size=Size.MEDIUM,
        )
        representative = Fieldset(
            Field.text("rep_name", field_width=20),
            Field.select("rep_relationship"),
            Field.select("rep_authority"),
            Field.text("rep_email", field_width=20),
            Field.text("rep_phone", field_width=20),
            legend="Someone acting for the resident (leave empty if nobody is)",
            legend_size=Size.MEDIUM,
        )
        complaint = Fieldset(
            Field.radios("channel"),
            Field("received_on"),
            Field.select("service_area"),
            Field.textarea("description", rows=8),
            Field.textarea("outcome_sought", rows=3),
            Field("issue_date"),
            Field.textarea("discretion_note", rows=3),
            legend="The complaint",
            legend_size=Size.MEDIUM,
        )
        parts: list[Any] = [resident, representative, complaint]
        if can_decide:
            parts.append(
                Fieldset(
                    Field.radios("outcome"),
                    Field.radios("ground"),
                    Field.textarea("explanation", rows=4),
                    Field.checkbox("ombudsman_rights_given"),
                    legend="Outcome",
                    legend_size=Size.MEDIUM,
                )
            )
        parts.append(Field("confirmed_new"))
        self.helper.layout = Layout(*parts)

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("rep_name") and not data.get("rep_relationship"):
            self.add_error("rep_relationship", "Select who the representative is")
        if not data.get("rep_name") and (data.get("rep_relationship") or data.get("rep_authority")):
            self.add_error("rep_name", "Enter the representative's name, or leave all their details empty")
        if data.get("outcome") == "not-accept":
            if not data.get("ground"):
                self.add_error("ground", "Select why the complaint is not accepted")
            if not data.get("explanation"):
                self.add_error("explanation", "Enter the explanation for the resident")
            if not data.get("ombudsman_rights_given"):
                self.add_error(
                    "ombudsman_rights_given", "Confirm the resident has been told they can go to the Housing Ombudsman"
                )
        return data

    @property
    def not_accepted(self) -> bool:
        return self.cleaned_data.get("outcome") == "not-accept"

    def representative(self) -> actions.RepresentativeDetails | None:
        data = self.cleaned_data
        if not data["rep_name"]:
            return None
        return actions.RepresentativeDetails(
            name=data["rep_name"],
            relationship=data["rep_relationship"],
            authority=data["rep_authority"],
            email=data["rep_email"],
            phone=data["rep_phone"],
        )


class ServiceRequestForm(Form, ResidentFields):
    domain_fields = RESIDENT_DOMAIN_FIELDS

    service_area = select("Service area", [("", "Choose a service area"), *ServiceArea.choices], what="a service area")
    description = long_text("What has the resident asked for?", what="what the resident asked for")
    received_on = DateField(
        what="the date the request was received", label="When was it received?", help_text="For example, 27 3 2025"
    )


class RaiseComplaintForm(Form):
    channel = radios("How did the complaint arrive?", Channel.choices, what="how the complaint arrived")
    received_on = DateField(
        what="the date the complaint was received", label="When was it received?", help_text="For example, 27 3 2025"
    )
    description = long_text(
        "What is the resident unhappy about in how the request was handled?",
        what="the complaint",
        max_length=20_000,
        rows=6,
    )
    outcome_sought = long_text("What would the resident like to happen?", required=False, max_length=5_000, rows=3)


class CompleteServiceRequestForm(Form):
    completed_on = DateField(
        what="the date the request was completed", label="When was it completed?", help_text="For example, 27 3 2025"
    )


# -- steps on a complaint ------------------------------------------------------------------------


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

    def __init__(self, *args: Any, declare: bool = True, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not declare:
            del self.fields["conflict_of_interest"]

    def point_list(self) -> list[str]:
        return [line.strip() for line in self.cleaned_data["points"].splitlines() if line.strip()]


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


class AddIssueForm(VersionedForm):
    description = long_text("The new issue", what="the new issue", max_length=5_000)
    related = yes_no(
        "Is it related to this complaint?",
        what="whether it is related",
        help_text="A related issue raised before the stage 1 response joins this complaint; otherwise it becomes "
        "a new complaint linked to this one (Code 6.8)",
    )
    on = DateField(what="the date it was raised", label="When was it raised?", help_text="For example, 27 3 2025")


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


class LearningForm(VersionedForm):
    learning_outcome = long_text(
        "What have we learned from this complaint?",
        what="what was learned",
        max_length=5_000,
        help_text="Beyond putting it right for this resident: what will change (Code 9.1 to 9.3)",
    )
    root_cause = radios("Why did the complaint arise?", RootCause.choices, what="why the complaint arose")
    on = DateField(what="the date", label="Date recorded", help_text="For example, 27 3 2025")


class AttachmentForm(VersionedForm):
    file = forms.FileField(
        label="Upload a file",
        help_text="PDF, JPEG, PNG, Word document or plain text, smaller than 10 MB",
        error_messages={"required": "Select a file", "empty": "The selected file is empty"},
    )
    description = text(
        "What is it?",
        required=False,
        max_length=500,
        help_text="Optional, for example 'Photo of the damp in the bedroom'",
    )


class ClarificationForm(VersionedForm):
    question = long_text(
        "What do you need the resident to clarify?",
        what="what the resident needs to clarify",
        max_length=5_000,
        help_text="Ask when part of the complaint is unclear, before or while defining it (Code 5.6)",
    )
    on = DateField(what="the date you asked", label="When did you ask?", help_text="For example, 27 3 2025")


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


class OmbudsmanReferralForm(VersionedForm):
    ombudsman_reference = text(
        "The Ombudsman's reference", required=False, max_length=40, help_text="Optional, if the Ombudsman has given one"
    )
    on = DateField(what="the date of the referral", label="When was it referred?", help_text="For example, 27 3 2025")


def _pounds(label: str) -> forms.DecimalField:
    """An optional amount of money, itemised as the Ombudsman's remedies guidance does (7.4)."""
    return forms.DecimalField(
        label=label,
        required=False,
        min_value=Decimal(0),
        max_value=Decimal(1_000_000),
        decimal_places=2,
        error_messages={"invalid": "Enter an amount in pounds, like 50.00"},
    )


class OfferRemedyForm(VersionedForm):
    """A remedy offered at any point, without waiting for the response or an escalation (5.13)."""

    kind = radios("What kind of remedy?", Remedy.Kind.choices, what="the kind of remedy")
    description = long_text(
        "What will we do, and by when?", what="what the remedy is", max_length=5_000, help_text="Code 7.3"
    )
    amount_statutory = _pounds("Statutory payment (£)")
    amount_quantifiable_loss = _pounds("Quantifiable loss (£)")
    amount_time_and_trouble = _pounds("Time and trouble (£)")
    amount_distress = _pounds("Distress and inconvenience (£)")

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


# -- letters -----------------------------------------------------------------------------------


class LetterWordingForm(Form):
    """A landlord's wording for one letter type; the letter language's own check decides if it can be kept."""

    subject = text(
        "Email subject",
        what="the email subject",
        help_text="The subject of the email the letter is sent with. It can use the short fields, like {{ reference }}",
        widget=forms.TextInput(attrs={"spellcheck": "true"}),
    )
    body = long_text(
        "The letter",
        what="the letter's wording",
        max_length=30_000,
        rows=24,
        help_text="HTML from the short list of tags below, with fields in double braces, like {{ resident_name }}",
    )
    # The version the editor opened (0: Putright's wording), so a change saved meanwhile is not lost.
    expected_version = forms.IntegerField(
        widget=forms.HiddenInput,
        min_value=0,
        error_messages={"required": "Open the wording again and try again", "invalid": "Open the wording again"},
    )


class LetterStyleForm(Form):
    address = long_text(
        "Postal address",
        required=False,
        max_length=500,
        rows=5,
        help_text="On the letterhead, one line per line of the address",
    )
    phone = text(
        "Telephone number",
        required=False,
        max_length=40,
        widget=forms.TextInput(attrs={"type": "tel", "autocomplete": "off", "class": "govuk-input--width-20"}),
    )
    email = forms.EmailField(
        label="Complaints email address",
        required=False,
        max_length=254,
        help_text="On the letterhead; replies to letters and emails come back to it",
        error_messages={
            "invalid": "Enter an email address in the correct format, like complaints@example.org",
            "max_length": "The email address must be 254 characters or fewer",
        },
        widget=forms.EmailInput(attrs={"spellcheck": "false", "autocomplete": "off"}),
    )
    website = text(
        "Website",
        required=False,
        help_text="For example, www.example.org/complaints",
        widget=forms.TextInput(attrs={"spellcheck": "false"}),
    )
    signatory_name = text(
        "Who signs the letters?",
        required=False,
        max_length=120,
        what="the signatory's name",
        help_text="Their full name. Leave it empty to sign each letter with the name of the person who sends it",
    )
    signatory_role = text(
        "Their role",
        required=False,
        max_length=120,
        what="the signatory's role",
        help_text="For example, Complaints Manager. Left empty, letters are signed by the complaints team",
    )
