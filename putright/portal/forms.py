"""The questions the portal asks, one page at a time, in GOV.UK form layouts.

The form plumbing (error summaries, date inputs, plain error messages) is the workspace's, reused.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any, ClassVar

from crispy_forms.helper import FormHelper  # type: ignore[import-untyped]
from crispy_forms_gds.layout import Field, Layout, Size  # type: ignore[import-untyped]
from django import forms

from putright.complaints.actions.base import EARLIEST_DATE
from putright.complaints.models import ServiceArea
from putright.documents import staging
from putright.documents.limits import RESIDENT_MAX_FILES, ResidentFile
from putright.people.models import ContactMethod, ReasonableAdjustment, Representative
from putright.rules.letters import TITLE_MAX, clean_title
from putright.web.forms import DateField, Form, long_text, radios, text

DESCRIPTION_LIMIT = 10_000
OUTCOME_LIMIT = 5_000


AUTHORITY_CHOICES = (
    (Representative.Authority.WRITTEN, "They gave me permission in writing"),
    (Representative.Authority.VERBAL, "They told me they agree"),
    (Representative.Authority.LEGAL, "I have legal authority, such as a power of attorney"),
)


class _LaidOutWhenShown(FormHelper):  # type: ignore[misc]
    """A form helper whose layout is made when the page is shown, not when the form is made: the final submit
    checks every page's answers again with its form and shows none of them."""

    make: Callable[[], Layout] | None = None
    _layout: Layout | None = None

    @property
    def layout(self) -> Layout | None:
        if self._layout is None and self.make is not None:
            self._layout = self.make()
        return self._layout

    @layout.setter
    def layout(self, value: Layout | None) -> None:
        self._layout = value


class StepForm(Form):
    """One page of the journey. When the page asks one question, that question is the page's heading."""

    question_is_heading: ClassVar[bool] = True
    helper_class = _LaidOutWhenShown

    def __init__(self, *args: Any, answers: dict[str, Any] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.answers = answers or {}
        self.helper.make = lambda: Layout(*self.layout())

    def layout(self) -> list[Any]:
        return [Field(name) for name in self.fields]


class KindForm(StepForm):
    kind = radios(
        "What would you like to do?",
        (
            ("complaint", "Make a complaint: I am unhappy with a service, something you did or did not do"),
            ("request", "Ask for something for the first time, such as a repair"),
        ),
        what="what you would like to do",
        help_text="A first request for something, such as a repair, is a service request: we can usually deal with "
        "it faster than a complaint. If you are unhappy with how we dealt with a request, choose complaint.",
    )

    def layout(self) -> list[Any]:
        return [Field.radios("kind", legend_tag="h1", legend_size=Size.LARGE)]


class WhoForm(StepForm):
    who = radios(
        "Who is the complaint for?",
        (("self", "Me: I live in the home or it is about me"), ("someone-else", "Someone else: I am acting for them")),
        what="who the complaint is for",
    )

    def layout(self) -> list[Any]:
        return [Field.radios("who", legend_tag="h1", legend_size=Size.LARGE)]


class ActingForForm(StepForm):
    question_is_heading = False
    their_name = text("Their full name", max_length=200, what="the full name of the person you are acting for")
    their_address = long_text(
        "Their address", required=False, max_length=500, rows=3, help_text="Optional, but it helps us find their home"
    )
    relationship = radios(
        "What is your relationship to them?", Representative.Relationship.choices, what="your relationship to them"
    )
    authority = radios(
        "How did they agree to you complaining for them?",
        AUTHORITY_CHOICES,
        what="how they agreed to you complaining for them",
    )

    def layout(self) -> list[Any]:
        return [
            Field.text("their_name", field_width=20),
            Field.textarea("their_address", rows=3),
            Field.radios("relationship", legend_size=Size.SMALL),
            Field.radios("authority", legend_size=Size.SMALL),
        ]


class ContactForm(StepForm):
    question_is_heading = False
    title = text(
        "Your title",
        required=False,
        max_length=TITLE_MAX,
        what="your title",
        help_text="Optional. For example, Mr, Mrs, Ms, Miss, Mx or Dr. We use it when we write to you",
    )
    name = text("Your full name", max_length=200, what="your full name")
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        required=False,
        help_text="If you have one. We will send you a confirmation and, when you ask, a code to follow your "
        "complaint online",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = text(
        "Phone number",
        required=False,
        max_length=40,
        what="your phone number",
        help_text="If you have no email address, we can phone you instead",
    )
    address = long_text(
        "Your address",
        required=False,
        max_length=500,
        rows=3,
        help_text="If you have no email address, we will send our letters here by post",
    )

    def clean(self) -> dict[str, Any]:
        # An email address, a phone number or an address: a resident without email can still complain
        # online, and hears back by post or by phone.
        data = super().clean() or {}
        given = [data.get(name) for name in ("email", "phone", "address")]
        if not any(value and str(value).strip() for value in given) and "email" not in self.errors:
            self.add_error(
                "email",
                "Enter an email address, a phone number or a postal address, so that we can tell you what happens",
            )
        return data

    def layout(self) -> list[Any]:
        # Someone acting for a resident is asked their own details here: letters go to the resident,
        # so their title is not asked (an empty title is kept, so the page still counts as answered).
        title = Field("title") if self.acting_for_someone else Field.text("title", field_width=10)
        return [
            title,
            Field.text("name", field_width=20),
            Field.text("email", field_width=20),
            Field.text("phone", field_width=20),
            Field.textarea("address", rows=3),
        ]

    def __init__(self, *args: Any, answers: dict[str, Any] | None = None, **kwargs: Any) -> None:
        self.acting_for_someone = (answers or {}).get("who") == "someone-else"
        super().__init__(*args, answers=answers, **kwargs)
        if self.acting_for_someone:
            self.fields["title"].widget = forms.HiddenInput()
        self.fields["title"].widget.attrs.update(autocomplete="honorific-prefix", spellcheck="false")
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")
        self.fields["name"].widget.attrs.update(autocomplete="name")
        self.fields["phone"].widget.attrs.update(autocomplete="tel", type="tel")

    def clean_title(self) -> str:
        if self.acting_for_someone:
            return ""
        title, problem = clean_title(self.cleaned_data.get("title") or "")
        if problem:
            raise forms.ValidationError(problem)
        return title


class PreferenceForm(StepForm):
    preferred_contact = radios(
        "How would you like us to contact you?",
        ContactMethod.choices,
        what="how you would like us to contact you",
        help_text="Our letters go by email if you gave an email address, and by post if you gave only an address. "
        "If you gave only a phone number, we will phone you to tell you what each letter says.",
    )

    def layout(self) -> list[Any]:
        return [Field.radios("preferred_contact", legend_tag="h1", legend_size=Size.LARGE)]

    def clean_preferred_contact(self) -> str:
        choice: str = self.cleaned_data["preferred_contact"]
        if choice == ContactMethod.EMAIL and not self.answers.get("email"):
            raise forms.ValidationError(
                "You did not give an email address: choose phone or letter, or go back and add one"
            )
        if choice in (ContactMethod.PHONE, ContactMethod.TEXT) and not self.answers.get("phone"):
            raise forms.ValidationError(
                "You did not give a phone number: choose email or letter, or go back and add one"
            )
        if choice == ContactMethod.LETTER and not (self.answers.get("address") or self.answers.get("their_address")):
            raise forms.ValidationError("You did not give an address: choose email, or go back and add one")
        return choice


class WhatHappenedForm(StepForm):
    description = long_text(
        "What happened?",
        max_length=DESCRIPTION_LIMIT,
        rows=10,
        what="what happened",
        help_text="In your own words. Tell us what went wrong and how it has affected you.",
    )

    def layout(self) -> list[Any]:
        return [Field.textarea("description", label_tag="h1", label_size=Size.LARGE, rows=10)]


class WhenForm(StepForm):
    issue_date = DateField(
        what="the date it happened",
        not_future=True,
        label="When did it happen, or when did you find out about it?",
        help_text="If you are not sure, give your best guess. For example, 27 3 2026 or 27 March 2026",
    )

    def layout(self) -> list[Any]:
        return [Field("issue_date", context={"legend_tag": "h1", "legend_size": Size.for_legend(Size.LARGE)})]

    def clean_issue_date(self) -> date:
        # The record refuses earlier dates as typing slips: say so here, not at the final send.
        value: date = self.cleaned_data["issue_date"]
        if value < EARLIEST_DATE:
            raise forms.ValidationError(f"The date it happened must be on or after {EARLIEST_DATE:%-d %B %Y}")
        return value


class OutcomeForm(StepForm):
    outcome_sought = long_text(
        "What would you like us to do to put things right?",
        max_length=OUTCOME_LIMIT,
        rows=6,
        what="what you would like us to do",
        help_text="For example, a repair, an apology or an explanation.",
    )

    def layout(self) -> list[Any]:
        return [Field.textarea("outcome_sought", label_tag="h1", label_size=Size.LARGE, rows=6)]


class ServiceForm(StepForm):
    service_area = radios(
        "Which service is your complaint about?",
        (*ServiceArea.choices, ("", "I am not sure")),
        what="which service your complaint is about",
        required=False,
        help_text="Optional: this helps us send it to the right team",
    )

    def layout(self) -> list[Any]:
        return [Field.radios("service_area", legend_tag="h1", legend_size=Size.LARGE)]


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class DocumentsField(forms.Field):
    """Photos and documents, several at once: each checked by its content, its size and its name."""

    widget = MultipleFileInput

    def clean(self, value: Any) -> list[ResidentFile]:
        uploads = [upload for upload in (value or []) if upload]
        if self.required and not uploads:
            raise forms.ValidationError("Select a photo or document to upload")
        if len(uploads) > RESIDENT_MAX_FILES:
            raise forms.ValidationError(f"Select up to {RESIDENT_MAX_FILES} files at a time")
        checked = [staging.check(upload) for upload in uploads]
        problems = [problem for problem in checked if isinstance(problem, str)]
        if problems:
            raise forms.ValidationError(problems)
        return [item for item in checked if isinstance(item, ResidentFile)]


class DocumentsForm(StepForm):
    """Photos and documents, with the number already uploaded on this journey counted against the limit."""

    documents = DocumentsField(required=False)

    def __init__(self, *args: Any, kept: int = 0, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kept = kept

    def clean_documents(self) -> list[ResidentFile]:
        files: list[ResidentFile] = self.cleaned_data["documents"]
        if not files and self.data.get("action") == "upload":
            raise forms.ValidationError("Select a photo or document to upload")
        room = RESIDENT_MAX_FILES - self.kept
        if len(files) > room:
            if room <= 0:
                raise forms.ValidationError(
                    f"You have added {RESIDENT_MAX_FILES} files, which is the most you can add. "
                    "Remove one to add another"
                )
            raise forms.ValidationError(
                f"You can add up to {RESIDENT_MAX_FILES} files. You have added {self.kept}, "
                f"so select {room} more at most"
            )
        return files


class HelpForm(StepForm):
    adjustments = forms.MultipleChoiceField(
        label="Do you need any help from us?",
        choices=ReasonableAdjustment.Kind.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply, or none if you do not need help",
        error_messages={"invalid_choice": "Select the help you need from the list"},
    )
    adjustment_detail = long_text(
        "Tell us more about the help you need",
        required=False,
        max_length=300,
        rows=3,
        what="more about the help you need",
        help_text="Optional. For example, which language, or the best time to call you.",
    )

    def layout(self) -> list[Any]:
        return [
            Field.checkboxes("adjustments", legend_tag="h1", legend_size=Size.LARGE),
            Field.textarea("adjustment_detail", rows=3),
        ]


class FollowForm(Form):
    reference = text(
        "Complaint reference", max_length=24, what="your complaint reference", help_text="For example, ASH-2026-00042"
    )
    email = forms.EmailField(
        label="Email address",
        max_length=254,
        help_text="The email address you gave when you made the complaint",
        error_messages={
            "required": "Enter your email address",
            "invalid": "Enter an email address in the correct format, like name@example.com",
        },
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("reference", field_width=10), Field.text("email", field_width=20))
        self.fields["email"].widget.attrs.update(autocomplete="email", spellcheck="false")


class CodeForm(Form):
    code = text("Code", max_length=12, what="the code from the email", help_text="It is 6 digits, like 123456")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.text("code", field_width=5))
        self.fields["code"].widget.attrs.update(autocomplete="one-time-code", inputmode="numeric", spellcheck="false")


class AddInformationForm(Form):
    information = long_text(
        "What would you like to add?",
        required=False,
        max_length=5_000,
        rows=8,
        what="what you would like to add",
        help_text="It will be added to your complaint and your handler will be told.",
    )
    documents = DocumentsField(required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # The file input is written by the template (portal/includes/documents_input.html).
        self.helper.layout = Layout(Field.textarea("information", label_tag="h1", label_size=Size.LARGE, rows=8))

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if not self.errors and not cleaned.get("information", "").strip() and not cleaned.get("documents"):
            self.add_error("information", "Enter what you would like to add, or select a photo or document")
        return cleaned


class EscalateForm(Form):
    why = long_text(
        "Why are you still unhappy?",
        required=False,
        max_length=5_000,
        rows=6,
        what="why you are still unhappy",
        help_text="Optional. You do not have to give a reason, but it can help the person who reviews your complaint.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("why", rows=6))


class WithdrawForm(Form):
    why = long_text(
        "Why are you withdrawing it?",
        required=False,
        max_length=2_000,
        rows=4,
        what="why you are withdrawing it",
        help_text="Optional",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.helper.layout = Layout(Field.textarea("why", rows=4))
