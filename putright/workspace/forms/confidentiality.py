"""Marking a complaint confidential, or clearing that (complaints officers and managers)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crispy_forms_gds.layout import Field, Layout  # type: ignore[import-untyped]
from django import forms

from putright.web.forms import VersionedForm, long_text, radios, select

NOT_NAMED = ""


class ConfidentialityForm(VersionedForm):
    confidential = radios(
        "Should this complaint be confidential?",
        [
            ("yes", "Yes: only complaints officers, managers, auditors and the people working it can read it"),
            ("no", "No: everyone at the landlord who reads complaints can read it"),
        ],
        what="whether this complaint should be confidential",
    )
    about_staff = select(
        "Is it about a named member of staff?",
        [],
        what="the member of staff it is about",
        required=False,
        help_text="The person it is about can never read it, handle it or review it, whatever their role",
    )
    reason = long_text(
        "Why?",
        required=False,
        max_length=2_000,
        rows=3,
        what="why",
        help_text="Needed unless it is about a named member of staff; when clearing it, say why it no longer needs "
        "to be confidential. Do not copy the complaint's own words here.",
    )

    def __init__(self, *args: Any, colleagues: Sequence[tuple[str, str]] = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["about_staff"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(NOT_NAMED, "Not about a named member of staff"), *colleagues]
        self.helper.layout = Layout(
            Field.radios("confidential"),
            Field.select("about_staff"),
            Field.textarea("reason", rows=3),
            Field("expected_version"),
            Field("read_at"),
        )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("confidential") == "no" and data.get("about_staff"):
            self.add_error(
                "about_staff",
                "A complaint about a named member of staff is always confidential: select Yes, or select "
                "'Not about a named member of staff'",
            )
        return data
