"""The filters of My work and Team work."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from crispy_forms_gds.layout import Div, Field, Fieldset, Layout, Size  # type: ignore[import-untyped]
from django import forms
from django.contrib.auth.models import User

from putright.complaints.models import ServiceArea, Status
from putright.landlords.models import Landlord
from putright.web.forms import Form, select, text
from putright.workspace.forms.choices import staff_choices


class WorkFilterForm(Form):
    """Filters for My work and Team work (read from the query string; never an error page)."""

    q = text("Reference or resident's name", required=False, max_length=200)
    stage = select("Stage", [("", "Any stage"), ("1", "Stage 1"), ("2", "Stage 2")], what="a stage", required=False)
    status = select("Status", [("", "Any status"), *Status.choices], what="a status", required=False)
    service_area = select(
        "Service area", [("", "Any service area"), *ServiceArea.choices], what="a service area", required=False
    )
    handler = select("Handler", [], what="a handler", required=False)
    landlord = select("Landlord", [], what="a landlord", required=False)
    overdue = forms.BooleanField(label="Overdue", required=False)
    due_this_week = forms.BooleanField(label="Due this week", required=False)
    vulnerable = forms.BooleanField(label="Vulnerable or needs adjustments", required=False)
    high_priority = forms.BooleanField(label="High priority", required=False)
    after = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        handlers: Sequence[User] = (),
        team: bool = False,
        landlords: Sequence[Landlord] = (),
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        if len(landlords) > 1:
            # Someone who works for several landlords sees all their work at once, or one landlord's.
            field = self.fields["landlord"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "All your landlords"), *((str(landlord.pk), landlord.name) for landlord in landlords)]
        else:
            del self.fields["landlord"]
        if handlers:
            field = self.fields["handler"]
            assert isinstance(field, forms.ChoiceField)
            field.choices = [("", "Anyone"), ("none", "Nobody yet"), *staff_choices(handlers)]
        else:
            del self.fields["handler"]
        self.helper.layout = Layout(
            Field.text("q"),
            *[
                Field.select(name)
                for name in ("landlord", "stage", "status", "service_area", "handler")
                if name in self.fields
            ],
            Fieldset(
                Div(
                    Field.checkbox("overdue", small=True),
                    Field.checkbox("due_this_week", small=True),
                    Field.checkbox("vulnerable", small=True),
                    Field.checkbox("high_priority", small=True),
                    css_class="putright-filters__checks",
                ),
                legend="Show only",
                legend_size=Size.SMALL,
            ),
        )
