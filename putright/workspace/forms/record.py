"""What joins a complaint's record besides the steps: learning, and documents."""

from __future__ import annotations

from django import forms

from putright.complaints.models import RootCause
from putright.web.forms import DateField, VersionedForm, long_text, radios, text


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
