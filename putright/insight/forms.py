"""The insight pages' forms, in the GOV.UK form kit (putright.web.forms)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms

from putright import clock
from putright.complaints.models import Channel, RootCause, ServiceArea, Status, Tenure
from putright.insight.models import Comply, SelfAssessment, ServiceImprovement
from putright.insight.periods import Period, reporting_year_of, year_label
from putright.web.forms import DateField, Form, long_text, radios, select, text

ANY = [("", "All")]


def year_choices(earliest: int | None = None) -> list[tuple[str, str]]:
    latest = reporting_year_of(clock.today())
    first = min(earliest or latest - 4, latest)
    return [(str(year), year_label(year)) for year in range(latest, first - 1, -1)]


class PeriodForm(Form):
    """A reporting year, or any range of dates instead, and optionally one service area."""

    label_size = "s"

    year = select("Reporting year", [], what="a reporting year", required=False)
    service_area = select("Service area", ANY + list(ServiceArea.choices), what="a service area", required=False)
    start = DateField(
        what="the first day", label="Or any dates: from", required=False, help_text="For example, 1 7 2024"
    )
    end = DateField(what="the last day", label="To", required=False, help_text="For example, 30 9 2024")

    def __init__(self, *args: Any, earliest: int | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices(earliest)  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if bool(start) != bool(end) and not self.errors:
            self.add_error("end" if start else "start", "Enter both the first and the last day, or neither")
        elif start and end:
            try:
                data["period"] = Period(start, end)
            except ValueError as error:
                self.add_error("end", str(error)[:1].upper() + str(error)[1:])
        return data

    def period(self) -> Period:
        data = self.cleaned_data if self.is_valid() else {}
        if data.get("period"):
            return data["period"]  # type: ignore[no-any-return]
        year = data.get("year") or self.fields["year"].choices[0][0]  # type: ignore[attr-defined]
        return Period.reporting_year(int(year))

    def chosen_area(self) -> str:
        return (self.cleaned_data.get("service_area") or "") if self.is_valid() else ""


class LearningForm(Form):
    learning_outcome = long_text(
        "What was learned",
        max_length=5_000,
        what="what was learned",
        help_text="What the landlord takes from this complaint beyond putting it right",
    )
    root_cause = radios("Root cause", RootCause.choices, what="the root cause")


class ExportForm(Form):
    start = DateField(what="the first day received", label="Received from", required=False)
    end = DateField(what="the last day received", label="Received to", required=False)
    service_area = select("Service area", ANY + list(ServiceArea.choices), what="a service area", required=False)
    channel = select("Channel", ANY + list(Channel.choices), what="a channel", required=False)
    status = select("Status", ANY + list(Status.choices), what="a status", required=False)
    stage = select("Stage", ANY + [("1", "Stage 1"), ("2", "Stage 2")], what="a stage", required=False)
    tenure = select("Tenure", ANY + list(Tenure.choices), what="a tenure", required=False)
    root_cause = select("Root cause", ANY + list(RootCause.choices), what="a root cause", required=False)


class ImprovementForm(Form):
    title = text("Improvement", max_length=200, what="the improvement")
    learning = long_text("What the complaints showed", max_length=5_000, what="what the complaints showed")
    action = long_text("Steps being taken", max_length=5_000, what="the steps being taken")
    responsible = text(
        "Responsible officer",
        max_length=200,
        what="the responsible officer",
        help_text="A role, such as Head of Housing",
    )
    status = radios("Status", ServiceImprovement.Status.choices, what="a status")
    service_area = select(
        "Service area", [("", "Not one area")] + list(ServiceArea.choices), what="a service area", required=False
    )
    target_date = DateField(what="the target date", label="Target date", required=False)
    completed_on = DateField(
        what="the date completed", label="Date completed", required=False, help_text="Needed once it is completed"
    )
    complaints = text(
        "Complaints that prompted it",
        required=False,
        max_length=2_000,
        help_text="References separated by spaces or commas, such as ASH-2025-00042",
    )
    you_said = long_text(
        "You said",
        required=False,
        max_length=2_000,
        rows=3,
        help_text="For the published list: what residents told us, with nothing that identifies anyone",
    )
    we_did = long_text("We did", required=False, max_length=2_000, rows=3)
    publish = forms.BooleanField(label="Publish on the 'you said, we did' list", required=False)

    def references(self) -> list[str]:
        raw = self.cleaned_data.get("complaints") or ""
        return [part for part in raw.replace(",", " ").split() if part]


class PolicyReviewForm(Form):
    review_due_on = DateField(what="the review date", label="Review due by", help_text="For example, 29 6 2026")


class EntryForm(Form):
    comply = radios("Comply", Comply.choices, what="whether the landlord complies", required=False)
    evidence = long_text("Evidence", required=False, rows=4)
    commentary = long_text("Commentary and explanation", required=False, rows=4)
    action = long_text(
        "Action", required=False, max_length=5_000, rows=3, help_text="Needed for anything short of full compliance"
    )
    target_date = DateField(what="the target date", label="Target date", required=False)
    responsible = text("Responsible officer", required=False, max_length=200)


class StartAssessmentForm(Form):
    """Start a self-assessment: for the year, or because the Code calls for a new one (8.3, 8.4)."""

    label_size = "s"
    year = select("Reporting year", [], what="a reporting year")
    reason = radios(
        "Why is this self-assessment being done?",
        SelfAssessment.Reason.choices,
        what="why this self-assessment is being done",
        initial=SelfAssessment.Reason.ANNUAL,
    )
    reason_detail = text(
        "Describe the reason",
        required=False,
        max_length=300,
        what="the reason",
        help_text="Only if you chose another reason: for example, a new housing management system",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("reason") == SelfAssessment.Reason.OTHER and not (data.get("reason_detail") or "").strip():
            self.add_error("reason_detail", "Describe why this self-assessment is being done")
        return data


class CodeWordingForm(Form):
    """Upload the Ombudsman's self-assessment form, for the Code's own wording of each provision."""

    file = forms.FileField(
        label="The Ombudsman's self-assessment form (XLSX)",
        error_messages={
            "required": "Select the Ombudsman's self-assessment form",
            "empty": "The selected file is empty",
        },
    )


class NoteForm(Form):
    note = long_text("Note", required=False, max_length=2_000, rows=3)


class ReturnForm(Form):
    note = long_text("What needs to change", max_length=2_000, rows=3, what="what needs to change")


class AnnualReportForm(Form):
    introduction = long_text(
        "Introduction",
        required=False,
        rows=6,
        help_text="Shown before the figures; Putright writes a standard introduction if empty",
    )
    performance_commentary = long_text("Commentary on performance", required=False, rows=6)
    ombudsman_findings = long_text(
        "Ombudsman findings",
        required=False,
        rows=6,
        help_text="The Ombudsman's determinations in the year, including any finding of non-compliance with the Code",
    )
    governing_body = text("Governing body", required=False, max_length=200, help_text="For example: Cabinet")


class OtherReportForm(Form):
    """Another relevant report listed in the annual report (8.1 f): a link or a PDF."""

    label_size = "s"
    title = text("Title", max_length=200, what="the report's title")
    published_on = DateField(
        what="the date the report was published", label="Date published", help_text="For example, 27 3 2024"
    )
    summary = text("What it says", max_length=300, what="a line on what the report says", help_text="One line")
    link = text(
        "Link", required=False, max_length=500, what="the link", help_text="Where it is published, or upload it below"
    )
    file = forms.FileField(label="Or upload it as a PDF", required=False)


class ResponseForm(Form):
    governing_body = text("Governing body", required=False, max_length=200)
    response = long_text(
        "The governing body's response", max_length=20_000, rows=8, what="the governing body's response"
    )
    on = DateField(what="the date of the response", label="Date of the response", help_text="For example, 23 5 2025")


class UploadForm(Form):
    file = forms.FileField(label="File", error_messages={"required": "Select a file"})


class SurveyForm(UploadForm):
    year = select("Reporting year of the survey", [], what="a reporting year")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]


class GovernanceForm(Form):
    label_size = "s"
    year = select("Reporting year", [], what="a reporting year")
    quarter = select("Quarter", [(str(n), f"Q{n}") for n in (1, 2, 3, 4)], what="a quarter")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = year_choices()  # type: ignore[attr-defined]


def current_quarter(today: date) -> tuple[int, int]:
    return reporting_year_of(today), (today.month - 4) % 12 // 3 + 1
