"""The service areas a complaint touches, one leading; and the landlord's own list of areas (issue 19)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from crispy_forms_gds.layout import Field, Layout  # type: ignore[import-untyped]
from django import forms

from putright.complaints import actions
from putright.complaints.actions.areas import NAME_MAX
from putright.complaints.models import ComplaintArea, ServiceArea
from putright.landlords.models import LandlordServiceArea
from putright.web.forms import Form, VersionedForm, radios, select, text

OWN = "own-"  # the prefix of a landlord's own area's choice, before its id; a standard area is its key


def area_key(row: ComplaintArea) -> str:
    return f"{OWN}{row.landlord_area_id}" if row.landlord_area_id is not None else row.standard_area


def area_choices(own: Iterable[LandlordServiceArea]) -> list[tuple[str, str]]:
    """The landlord's own areas first (with the standard area each counts under), then Putright's standard ones."""
    labels = dict(ServiceArea.choices)
    mine = [
        (f"{OWN}{area.pk}", f"{area.name} (counts under {labels.get(area.standard_area, area.standard_area).lower()})")
        for area in own
    ]
    return [*mine, *ServiceArea.choices]


class ComplaintAreasForm(VersionedForm):
    """Tick every area the complaint touches, and choose the one that leads the response."""

    areas = forms.MultipleChoiceField(
        label="Which service areas does the complaint touch?",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Select all that apply",
        error_messages={"invalid_choice": "Select service areas from the list"},
    )
    lead = radios("Which area leads the response?", [], what="the area that leads the response")

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in ("areas", "lead"):
            field = self.fields[name]
            assert isinstance(field, forms.ChoiceField)
            field.choices = choices
        self.fields["lead"].help_text = "One person leads one response, whatever areas it covers"
        self.helper.layout = Layout(
            Field.checkboxes("areas", small=True),
            Field.radios("lead", small=True),
            Field("expected_version"),
            Field("read_at"),
        )

    def choices_made(self) -> list[actions.AreaChoice]:
        """The areas ticked, with the lead among them (ticked or not: leading it, it is one of them)."""
        data = self.cleaned_data
        lead = data.get("lead") or ""
        keys = list(dict.fromkeys([*(data.get("areas") or []), *([lead] if lead else [])]))
        chosen = []
        for key in keys:
            if key.startswith(OWN):
                chosen.append(actions.AreaChoice(landlord_area_id=int(key[len(OWN) :]), lead=key == lead))
            else:
                chosen.append(actions.AreaChoice(standard_area=key, lead=key == lead))
        return chosen


class LandlordAreaForm(Form):
    """One of the landlord's own service areas: its name, and the standard area it counts under."""

    name = text("Name of the service area", max_length=NAME_MAX, what="the name of the service area")
    standard_area = select(
        "Which of Putright's standard areas does it count under?",
        [("", "Choose a standard area"), *ServiceArea.choices],
        what="the standard area it counts under",
        help_text="The measures, the annual report and the Ombudsman's comparisons count its complaints there",
    )


class ChangeLandlordAreaForm(LandlordAreaForm):
    active = radios(
        "Is the area still in use?",
        [("yes", "Yes"), ("no", "No, stop offering it (complaints already in it keep it)")],
        what="whether the area is still in use",
    )
