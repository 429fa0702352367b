"""Logging complaints and service requests, and raising a complaint from a service request."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crispy_forms_gds.layout import Field, Fieldset, Layout, Size  # type: ignore[import-untyped]
from django import forms

from putright.complaints import actions
from putright.complaints.models import Channel, Complexity, Priority, RiskFactor, ServiceArea, Tenure
from putright.people.models import ContactMethod, Representative
from putright.rules.letters import TITLE_MAX, clean_title
from putright.web.forms import DateField, Form, VersionedForm, confirm, long_text, radios, select, text


class TriageFields(forms.Form):
    """The triage of complexity and risk (Code 6.1), as `actions.Triage` takes it."""

    priority = forms.TypedChoiceField(
        label="Priority",
        choices=[(value, f"{label} priority") for value, label in Priority.choices],
        coerce=int,
        widget=forms.RadioSelect,
        initial=Priority.NORMAL,
        help_text="High priority complaints are listed first in the worklists",
        error_messages={"required": "Select the priority", "invalid_choice": "Select the priority"},
    )
    complexity = radios(
        "Complexity",
        Complexity.choices,
        what="the complexity",
        initial=Complexity.SIMPLE,
        help_text="Complex: several services or issues, other organisations, or a long history",
    )
    risk_factors = forms.MultipleChoiceField(
        label="Risk factors",
        choices=RiskFactor.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Select risk factors from the list"},
    )

    def triage(self, reason: str = "") -> actions.Triage | None:
        """The triage staff confirmed; None when no priority was given, to take what the record suggests."""
        data = self.cleaned_data
        if data.get("priority") in (None, ""):
            return None
        complexity = data.get("complexity") or Complexity.SIMPLE
        return actions.Triage(data["priority"], complexity, tuple(data.get("risk_factors") or ()), reason)


TRIAGE_LAYOUT = (
    Field.radios("priority", inline=True),
    Field.radios("complexity", inline=True),
    Field.checkboxes("risk_factors", small=True),
)


class ResidentFields(forms.Form):
    """The resident's details, as `actions.ResidentDetails` takes them."""

    resident_title = text(
        "Title",
        required=False,
        max_length=TITLE_MAX,
        what="the resident's title",
        help_text="Optional. For example, Mr, Mrs, Ms, Miss, Mx or Dr. Letters then begin 'Dear Ms Khan'",
    )
    resident_name = text("Full name", required=False, max_length=200, what="the resident's full name")
    anonymous = forms.BooleanField(
        label="The complainant did not give their name",
        required=False,
        help_text="The complaint is logged and investigated all the same (Medway 5.10.17)",
    )
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
        required=False,
        help_text="Only a way we have their details for. Leave it unselected if they gave no way to contact them",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not data.get("resident_name") and not data.get("anonymous") and "resident_name" not in self.errors:
            self.add_error(
                "resident_name",
                "Enter the resident's full name, or select that the complainant did not give their name",
            )
        if data.get("anonymous") and data.get("resident_name"):
            self.add_error("resident_name", "Leave the name empty for a complainant who did not give their name")
        # Asked here as well as by the action, so that it is said before the answers are checked (5.12).
        method = data.get("preferred_contact") or ""
        field, missing = actions.CONTACT_NEEDS.get(method, ("", ""))
        if field and not (data.get(f"resident_{field}") or "").strip() and "preferred_contact" not in self.errors:
            self.add_error(
                "preferred_contact",
                f"There is no {missing} for the resident, so they cannot prefer {ContactMethod(method).label.lower()}: "
                "enter it, or choose a way of contact we have",
            )
        return data

    @property
    def unreachable(self) -> bool:
        """No email address and no postal address: no letter can reach them (5.12)."""
        data = self.cleaned_data
        return not (data.get("resident_email") or "").strip() and not (data.get("resident_address") or "").strip()

    def clean_resident_title(self) -> str:
        title, problem = clean_title(self.cleaned_data.get("resident_title") or "")
        if problem:
            raise forms.ValidationError(problem)
        return title

    def resident(self) -> actions.ResidentDetails:
        data = self.cleaned_data
        return actions.ResidentDetails(
            title=data["resident_title"],
            name=data["resident_name"],
            anonymous=data["anonymous"],
            email=data["resident_email"],
            phone=data["resident_phone"],
            address=data["resident_address"],
            preferred_contact=data["preferred_contact"],
            tenancy_reference=data["tenancy_reference"],
        )


RESIDENT_DOMAIN_FIELDS = {
    "resident.title": "resident_title",
    "resident.name": "resident_name",
    "resident.anonymous": "anonymous",
    "resident.email": "resident_email",
    "resident.phone": "resident_phone",
    "resident.address": "resident_address",
    "resident.preferred_contact": "preferred_contact",
    "resident.tenancy_reference": "tenancy_reference",
}


class LogComplaintForm(Form, ResidentFields, TriageFields):
    domain_fields = {
        **RESIDENT_DOMAIN_FIELDS,
        "priority": "priority",
        "complexity": "complexity",
        "risk_factors": "risk_factors",
        "priority_reason": "priority_reason",
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
    review_note = long_text(
        "Your review of the ground",
        required=False,
        what="your review of the ground",
        help_text="Needed for a ground the Code does not name: why it is fair and reasonable for this complaint, "
        "on its own facts (Code 2.2, 2.5)",
    )
    priority_reason = long_text(
        "Why this priority?",
        required=False,
        max_length=2_000,
        rows=2,
        help_text="Optional. For example, 'Young children in the home, mould in the bedroom'",
    )
    about_staff = select(
        "Is this complaint about a member of staff?",
        [],
        what="the member of staff it is about",
        required=False,
        help_text="Optional. A complaint about a named member of staff is confidential: they will never see it, "
        "handle it or review it.",
    )
    confirmed_new = forms.BooleanField(required=False, widget=forms.HiddenInput)
    confirmed_unreachable = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        can_decide: bool = False,
        grounds: Sequence[tuple[str, str]] = (),
        colleagues: Sequence[tuple[str, str]] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        about_staff = self.fields["about_staff"]
        assert isinstance(about_staff, forms.ChoiceField)
        about_staff.choices = [("", "No, not about a named member of staff"), *colleagues]
        # Shown with normal and simple chosen; a post without them takes what the record suggests.
        self.fields["priority"].required = self.fields["complexity"].required = False
        if can_decide:
            ground = self.fields["ground"]
            assert isinstance(ground, forms.ChoiceField)
            ground.choices = list(grounds)
        else:
            for name in ("outcome", "ground", "explanation", "ombudsman_rights_given", "review_note"):
                del self.fields[name]
        resident = Fieldset(
            Field.text("resident_title", field_width=10),
            Field.text("resident_name", field_width=20),
            Field.checkbox("anonymous"),
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
            Field.select("about_staff"),
            legend="The complaint",
            legend_size=Size.MEDIUM,
        )
        triage = Fieldset(
            *TRIAGE_LAYOUT,
            Field.textarea("priority_reason", rows=2),
            legend="Priority by complexity and risk (Code 6.1)",
            legend_size=Size.MEDIUM,
        )
        parts: list[Any] = [resident, representative, complaint, triage]
        if can_decide:
            parts.append(
                Fieldset(
                    Field.radios("outcome"),
                    Field.radios("ground"),
                    Field.textarea("explanation", rows=4),
                    Field.checkbox("ombudsman_rights_given"),
                    Field.textarea("review_note", rows=3),
                    legend="Outcome",
                    legend_size=Size.MEDIUM,
                )
            )
        parts.extend([Field("confirmed_new"), Field("confirmed_unreachable")])
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


class PriorityForm(VersionedForm, TriageFields):
    """Changing a complaint's triage later (6.1): always with a reason."""

    domain_fields = {"priority_reason": "reason"}

    reason = long_text("Why is it changing?", max_length=2_000, rows=3, what="why the priority is changing")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(*TRIAGE_LAYOUT, Field.textarea("reason", rows=3), Field("expected_version"))


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
