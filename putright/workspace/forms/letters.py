"""A landlord's letter wording and letterhead."""

from __future__ import annotations

from django import forms

from putright.correspondence.models import LetterStyle
from putright.web.forms import Form, long_text, radios, text


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
        help_text="Their full name. Leave it empty to sign each letter with the name of the person who sends it, "
        "or only with the role below where letters name no member of staff",
    )
    signatory_role = text(
        "Their role",
        required=False,
        max_length=120,
        what="the signatory's role",
        help_text="For example, Complaints Manager. Left empty, letters are signed by the complaints team",
    )
    contact = radios(
        "Who should acknowledgements tell the resident to contact?",
        LetterStyle.Contact.choices,
        what="who acknowledgements tell the resident to contact",
        help_text="Some policies ask that the person handling the complaint is named with their contact details; "
        "others that staff are not named in letters. Until a handler is assigned, letters name the team.",
    )
    team_name = text(
        "The team's name in letters",
        required=False,
        max_length=120,
        what="the team's name",
        help_text="As it reads in a sentence, such as 'the Customer Resolution Team'. "
        "Left empty, letters say 'our complaints team'",
    )
