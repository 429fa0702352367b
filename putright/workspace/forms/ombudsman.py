"""The forms of Ombudsman casework: opening a case (or logging the Ombudsman's enquiry about a
complaint not yet handled), its stage, evidence requests and what was sent, determinations, and
orders with their progress and the Ombudsman's confirmation."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django import forms
from django.contrib.auth.models import User

from putright.complaints.models import ServiceArea
from putright.documents.models import Attachment
from putright.ombudsman.models import Determination, Finding, Order
from putright.web.forms import DateField, Form, long_text, radios, select, text
from putright.workspace.forms.choices import staff_choices

REFERENCE_HINT = "9 digits, as on the Ombudsman's letters, for example 202412345"


class CaseForm(Form):
    """A form that changes a case: the case's version goes back with it, so a change made meanwhile
    by someone else is refused rather than overwritten."""

    expected_version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"invalid": "Reload the case and try again"},
    )


def _documents_field(form: forms.Form, documents: Sequence[Attachment], label: str) -> None:
    if documents:
        form.fields["documents"] = forms.MultipleChoiceField(
            label=label,
            choices=[(str(d.pk), d.description or d.name) for d in documents],
            required=False,
            widget=forms.CheckboxSelectMultiple,
            help_text="Documents already on the complaint's record. Add any others to the complaint first.",
            error_messages={"invalid_choice": "Choose documents that are on this complaint's record"},
        )


class OpenCaseForm(Form):
    reference = text("The Ombudsman's reference", max_length=20, help_text=REFERENCE_HINT)
    enquiry_received_on = DateField(
        what="the date the Ombudsman's enquiry was received",
        label="When did the Ombudsman's enquiry reach you?",
        help_text="For example, 27 3 2026",
    )
    referred_on = DateField(
        what="the date the complaint was referred",
        label="When was the complaint referred to the Ombudsman? (optional)",
        required=False,
        help_text="If the Ombudsman's letter gives it. Leave empty for an enquiry before any referral.",
    )


class EnquiryForm(Form):
    """The Ombudsman asks about a complaint the landlord has not handled: the resident, what the
    complaint is about, and the case."""

    domain_fields = {
        "resident.name": "resident_name",
        "resident.email": "resident_email",
        "resident.phone": "resident_phone",
        "resident.address": "resident_address",
        "resident.preferred_contact": "resident_email",
        "received_on": "enquiry_received_on",
    }
    reference = text("The Ombudsman's reference", max_length=20, help_text=REFERENCE_HINT)
    enquiry_received_on = DateField(
        what="the date the Ombudsman's enquiry was received",
        label="When did the Ombudsman's enquiry reach you?",
        help_text="The complaint's clock starts on this day (Code 6.2). For example, 27 3 2026",
    )
    resident_name = text("Resident's full name", max_length=200, what="the resident's full name")
    resident_email = forms.EmailField(
        label="Resident's email address (optional)",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    resident_phone = text("Resident's phone number (optional)", required=False, max_length=40)
    resident_address = long_text("Resident's postal address (optional)", required=False, max_length=500, rows=3)
    description = long_text("What the complaint is about", max_length=20_000, help_text="As the Ombudsman describes it")
    outcome_sought = long_text("What the resident wants to happen (optional)", required=False, max_length=5_000)
    service_area = select(
        "Service area (optional)",
        [("", "Not known yet"), *ServiceArea.choices],
        what="the service area",
        required=False,
    )


class ChangeCaseForm(CaseForm):
    reference = text("The Ombudsman's reference", max_length=20, help_text=REFERENCE_HINT)
    referred_on = DateField(
        what="the date the complaint was referred",
        label="When was the complaint referred to the Ombudsman? (optional)",
        required=False,
    )


class MoveCaseForm(CaseForm):
    to = radios("Where is the case now?", [], what="where the case is now")
    on = DateField(what="the date it moved", label="Since when?", help_text="For example, 27 3 2026")

    def __init__(self, *args: Any, stages: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["to"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = list(stages)


class EvidenceRequestForm(CaseForm):
    what = long_text("What did the Ombudsman ask for?", max_length=5_000, rows=4, what="what the Ombudsman asked for")
    requested_on = DateField(
        what="the date the Ombudsman asked", label="When did the Ombudsman ask?", help_text="For example, 27 3 2026"
    )
    ombudsman_due_on = DateField(
        what="the date the Ombudsman gave",
        label="The date the Ombudsman gave for the evidence (optional)",
        required=False,
        help_text="Leave empty if it gave none: the date from your complaints policy then applies.",
    )


class EvidenceSentForm(CaseForm):
    response = long_text("What was sent?", max_length=10_000, rows=4, what="what was sent")
    sent_on = DateField(what="the date it was sent", label="When was it sent?", help_text="For example, 27 3 2026")

    def __init__(
        self, *args: Any, documents: Sequence[Attachment] = (), bundle_versions: Sequence[int] = (), **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        _documents_field(self, documents, "Documents sent")
        if bundle_versions:
            self.fields["bundle_version"] = forms.TypedChoiceField(
                label="Evidence bundle sent (optional)",
                choices=[("", "None")] + [(str(v), f"Version {v}") for v in bundle_versions],
                coerce=int,
                empty_value=None,
                required=False,
                error_messages={"invalid_choice": "Choose a version of the evidence bundle that has been built"},
            )


class DeterminationForm(CaseForm):
    element = long_text("The element of the complaint", max_length=2_000, rows=3, help_text="In the Ombudsman's words")
    finding = radios("The Ombudsman's finding", Finding.choices, what="the Ombudsman's finding")
    determined_on = DateField(
        what="the date of the determination", label="Date of the determination", help_text="For example, 27 3 2026"
    )


class OrderForm(CaseForm):
    kind = radios("What is it?", Order.Kind.choices, what="whether it is an order, a recommendation or a CHFO")
    what = long_text("What must be done?", max_length=5_000, rows=4, what="what must be done")
    owner = select("Who will do it?", [], what="who will do it")
    due_on = DateField(what="the deadline", label="By when?", help_text="For example, 27 3 2026")
    determination = select("The finding it follows (optional)", [], what="the finding", required=False)

    def __init__(
        self,
        *args: Any,
        owners: Sequence[User] = (),
        determinations: Sequence[Determination] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.owners = {str(user.pk): user for user in owners}
        self.determinations = {str(d.pk): d for d in determinations}
        owner = self.fields["owner"]
        assert isinstance(owner, forms.ChoiceField)
        owner.choices = staff_choices(owners, blank="Choose who will do it")
        if determinations:
            found = self.fields["determination"]
            assert isinstance(found, forms.ChoiceField)
            found.choices = [("", "None in particular")] + [
                (str(d.pk), f"{d.get_finding_display()}: {d.element[:80]}") for d in determinations
            ]
        else:
            del self.fields["determination"]

    def chosen_owner(self) -> User:
        return self.owners[self.cleaned_data["owner"]]

    def chosen_determination(self) -> Determination | None:
        return self.determinations.get(self.cleaned_data.get("determination") or "")


class OrderUpdateForm(CaseForm):
    domain_fields = {"completed_on": "completed_on"}
    note = long_text("Progress made (optional if it is complied with)", required=False, max_length=5_000, rows=3)
    done = forms.BooleanField(label="It has been complied with", required=False)
    completed_on = DateField(what="the date it was complied with", label="Complied with on", required=False)
    evidence = long_text("The evidence that it was complied with", required=False, max_length=10_000, rows=4)

    def __init__(self, *args: Any, documents: Sequence[Attachment] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _documents_field(self, documents, "Documents that show it")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("done"):
            if not data.get("completed_on") and "completed_on" not in self.errors:
                self.add_error("completed_on", "Enter the date it was complied with")
            if not (data.get("evidence") or "").strip():
                self.add_error("evidence", "Describe the evidence that it was complied with")
        elif not (data.get("note") or "").strip():
            self.add_error("note", "Enter the progress made, or tick that it has been complied with")
        return data


class ConfirmComplianceForm(CaseForm):
    on = DateField(
        what="the date the Ombudsman confirmed compliance",
        label="When did the Ombudsman confirm it?",
        help_text="For example, 27 3 2026",
    )
