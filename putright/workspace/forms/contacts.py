"""Contacts on the record (5.12) and the people who act for a resident (3.6)."""

from __future__ import annotations

import re
from datetime import time
from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from putright.people.models import Representative
from putright.rules import contacts as words
from putright.web.forms import DateField, VersionedForm, long_text, radios, text, yes_no

# "14:30", "9:05", "2pm", "2.30pm", "2:30 pm": what people type for a time of day.
_TIME = re.compile(r"^(\d{1,2})(?:[:.](\d{2}))?\s*([ap]\.?m\.?)?$", re.IGNORECASE)


class TimeOfDayField(forms.CharField):
    """A time of day typed as people type it, cleaned to a `time` (GOV.UK has no time input)."""

    def __init__(self, *, what: str, **kwargs: Any) -> None:
        self.what = what
        kwargs.setdefault("widget", forms.TextInput(attrs={"class": "govuk-input--width-5", "autocomplete": "off"}))
        example = f"Enter {what} like 14:30 or 2:30pm"
        super().__init__(max_length=20, error_messages={"required": f"Enter {what}", "max_length": example}, **kwargs)

    def clean(self, value: Any) -> time | None:
        typed = super().clean(value).strip()
        if not typed:
            return None
        match = _TIME.match(typed)
        if match is None:
            raise ValidationError(self.error_messages["max_length"])
        hour, minute = int(match.group(1)), int(match.group(2) or 0)
        suffix = (match.group(3) or "").lower().replace(".", "")
        if suffix:
            if not 1 <= hour <= 12:
                raise ValidationError(self.error_messages["max_length"])
            hour = hour % 12 + (12 if suffix == "pm" else 0)
        if hour > 23 or minute > 59:
            raise ValidationError(f"{self.what[:1].upper()}{self.what[1:]} must be a real time, like 14:30")
        return time(hour, minute)


class ContactForm(VersionedForm):
    domain_fields = {"happened_at": "on", "files": "file"}

    kind = radios("What kind of contact was it?", list(words.KINDS.items()), what="what kind of contact it was")
    with_whom = radios(
        "Who was it with?",
        [
            ("resident", "The resident"),
            ("representative", "Their representative"),
            ("other", "Someone else"),
        ],
        what="who the contact was with",
    )
    with_name = text(
        "If someone else, their name",
        required=False,
        what="the name of the person spoken to",
        help_text="For example, a neighbour, a support worker or a contractor",
    )
    on = DateField(what="the date of the contact", label="Date", help_text="For example, 8 12 2026")
    at = TimeOfDayField(what="the time of the contact", label="Time", help_text="For example, 14:30 or 2:30pm")
    summary = long_text(
        "What was said?",
        what="what was said",
        max_length=5_000,
        help_text="A summary for the record: what the resident told you, and what you told them or agreed",
    )
    acknowledgement = forms.BooleanField(
        label="The complaint was acknowledged in this contact",
        required=False,
        help_text="Before the written acknowledgement, which is still sent: the letter will say when and how",
    )
    file = forms.FileField(
        label="Add a document (optional)",
        required=False,
        help_text="For example, a call note, photo or text message screenshot: PDF, JPEG, PNG, Word or plain "
        "text, smaller than 10 MB",
        error_messages={"empty": "The selected file is empty"},
    )

    def __init__(self, *args: Any, acknowledged: bool = False, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if acknowledged:
            del self.fields["acknowledgement"]  # only a contact before the written acknowledgement can be it

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if cleaned.get("with_whom") == "other" and not (cleaned.get("with_name") or "").strip():
            self.add_error("with_name", "Enter the name of the person spoken to")
        return cleaned


class RepresentativeForm(VersionedForm):
    name = text("Their name", what="the representative's name")
    relationship = radios("Who are they?", Representative.Relationship.choices, what="who the representative is")
    authority = radios(
        "What authority did the resident give?",
        Representative.Authority.choices,
        what="the authority the resident gave",
        required=False,
        help_text="Not needed for a councillor or MP, nor for an advice agency where your policy presumes consent",
    )
    authority_given_on = DateField(
        what="the date the authority was given",
        label="When was it given? (optional)",
        help_text="For example, 1 12 2026",
        required=False,
    )
    authority_expires_on = DateField(
        what="the date the authority ends",
        label="When does it end? (optional)",
        help_text="The last day they may act for the resident, if the resident set one",
        required=False,
    )
    email = forms.EmailField(
        label="Email address (optional)",
        required=False,
        max_length=254,
        error_messages={
            "invalid": "Enter an email address in the correct format, like name@example.com",
            "max_length": "Their email address must be 254 characters or fewer",
        },
    )
    phone = text("Phone number (optional)", required=False, max_length=40, what="their phone number")
    letters_copied = yes_no("Should our letters be copied to them?", what="whether letters are copied to them")
    portal_access = yes_no("May they follow the complaint online?", what="whether they may follow the complaint online")


class EndRepresentativeForm(VersionedForm):
    on = DateField(
        what="the date they stopped acting",
        label="When did they stop acting for the resident?",
        help_text="For example, 8 12 2026",
    )
    reason = long_text(
        "Why?",
        what="why they no longer act for the resident",
        max_length=2_000,
        rows=3,
        help_text="For example, the resident withdrew their consent",
    )
