"""Exports: complaints for any filter as CSV or XLSX, and the self-assessment in the Ombudsman's layout.

A complaint export is one query whatever its size (both stages joined in, remedies summed in
subqueries), read in chunks; whether each stage met the Code's timescales is worked out from the
dates with the landlord's calendar, as the measures do.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any

from django.db.models import (
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    FilteredRelation,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from putright.complaints.models import Channel, Complaint, Extension, Remedy, RootCause, ServiceArea, Status, Tenure
from putright.insight.code_wording import Wording, wording_for
from putright.insight.measures import code_response_due, compliant_extension_days, money
from putright.insight.models import SelfAssessment
from putright.insight.reports import AssessmentView
from putright.landlords.calendars import working_calendar
from putright.landlords.models import Landlord
from putright.rules.policy import CODE_POLICY
from putright.rules.timescales import add_months

CHUNK = 2_000
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class ComplaintFilter:
    received_from: date | None = None
    received_to: date | None = None
    service_area: str = ""
    channel: str = ""
    status: str = ""
    stage: int | None = None
    tenure: str = ""
    root_cause: str = ""


def _inside(months: int, issue_date: date | None, received_on: date) -> str:
    if issue_date is None:
        return ""
    return "yes" if received_on <= add_months(issue_date, months) else "no"


COLUMNS = (
    ("reference", "Reference"),
    ("received_on", "Received"),
    ("channel", "Channel"),
    ("service_area", "Service area"),
    ("tenure", "Tenure"),
    ("status", "Status"),
    ("stage", "Current stage"),
    ("resident", "Resident (record number)"),
    ("via_representative", "Through a representative"),
    ("inside_code_window", "Inside the Code's 12 months (2.3)"),
    ("inside_policy_window", "Inside the landlord's window"),
    ("s1_handler", "Stage 1 handler"),
    ("s1_acknowledge_due", "Stage 1 acknowledgement due (policy, the Code as floor)"),
    ("s1_acknowledged_on", "Stage 1 acknowledged"),
    ("s1_acknowledged_in_time", "Stage 1 acknowledged within 5 working days (Code)"),
    ("s1_response_due", "Stage 1 response due (policy, the Code as floor, with extensions)"),
    ("s1_extension_days", "Stage 1 extension days"),
    ("s1_responded_on", "Stage 1 responded"),
    ("s1_responded_in_time", "Stage 1 within the Code's timescale (CH02)"),
    ("s1_decision", "Stage 1 decision"),
    ("s2_opened_on", "Escalation requested"),
    ("s2_handler", "Stage 2 handler"),
    ("s2_acknowledged_on", "Stage 2 acknowledged"),
    ("s2_acknowledged_in_time", "Stage 2 acknowledged within 5 working days (Code)"),
    ("s2_response_due", "Stage 2 response due (policy, the Code as floor, with extensions)"),
    ("s2_extension_days", "Stage 2 extension days"),
    ("s2_responded_on", "Stage 2 responded"),
    ("s2_responded_in_time", "Stage 2 within the Code's timescale (CH02)"),
    ("s2_decision", "Stage 2 decision"),
    ("refusal_ground", "Not accepted or escalation refused: ground"),
    ("refused_on", "Refused on"),
    ("escalation_refused", "Escalation refused"),
    ("withdrawn_on", "Withdrawn"),
    ("closed_on", "Closed"),
    ("remedies", "Remedies"),
    ("compensation_offered", "Compensation offered (£)"),
    ("compensation_paid", "Compensation paid (£)"),
    ("root_cause", "Root cause"),
    ("learning_outcome", "Learning"),
    ("ombudsman_referred_on", "Referred to the Ombudsman"),
    ("ombudsman_reference", "Ombudsman reference"),
)
_LABELS = {
    "channel": dict(Channel.choices),
    "service_area": dict(ServiceArea.choices),
    "tenure": dict(Tenure.choices),
    "status": dict(Status.choices),
    "root_cause": dict(RootCause.choices),
}


def _filtered(landlord: Landlord, f: ComplaintFilter) -> QuerySet[Complaint]:
    complaints = Complaint.objects.filter(landlord=landlord)
    if f.received_from:
        complaints = complaints.filter(received_on__gte=f.received_from)
    if f.received_to:
        complaints = complaints.filter(received_on__lte=f.received_to)
    for name in ("service_area", "channel", "status", "tenure", "root_cause"):
        if getattr(f, name):
            complaints = complaints.filter(**{name: getattr(f, name)})
    if f.stage:
        complaints = complaints.filter(stage=f.stage)
    return complaints


def _stage_values(prefix: str, number: int) -> dict[str, Any]:
    in_time = Extension.objects.filter(stage__complaint=OuterRef("pk"), stage__number=number, late=False).order_by()
    told = in_time.values("stage").annotate(days=Sum("days")).values("days")[:1]
    return {
        f"{prefix}_opened_on": F(f"{prefix}__opened_on"),
        f"{prefix}_acknowledge_due": F(f"{prefix}__acknowledge_due"),
        f"{prefix}_acknowledged_on": F(f"{prefix}__acknowledged_on"),
        f"{prefix}_response_due": F(f"{prefix}__response_due"),
        f"{prefix}_extension_days": F(f"{prefix}__extension_days"),
        f"{prefix}_responded_on": F(f"{prefix}__responded_on"),
        f"{prefix}_decision": F(f"{prefix}__decision"),
        f"{prefix}_handler_first": F(f"{prefix}__handler__first_name"),
        f"{prefix}_handler_last": F(f"{prefix}__handler__last_name"),
        f"{prefix}_told": Coalesce(Subquery(told), Value(0), output_field=IntegerField()),
        f"{prefix}_good": Exists(in_time.exclude(good_reason="")),
    }


def complaint_rows(landlord: Landlord, f: ComplaintFilter) -> Iterator[dict[str, Any]]:
    """One dict per complaint, keyed as COLUMNS, in the order received."""
    amount: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
    total = ExpressionWrapper(
        F("amount_statutory") + F("amount_quantifiable_loss") + F("amount_time_and_trouble") + F("amount_distress"),
        output_field=amount,
    )
    remedies = Remedy.objects.filter(stage__complaint=OuterRef("pk")).order_by().values("stage__complaint")

    def summed(**condition: Any) -> Subquery:
        return Subquery(remedies.filter(**condition).annotate(s=Sum(total)).values("s")[:1], output_field=amount)

    counted = Subquery(remedies.annotate(n=Count("id")).values("n")[:1], output_field=IntegerField())
    rows = (
        _filtered(landlord, f)
        .annotate(
            s1=FilteredRelation("stages", condition=Q(stages__number=1)),
            s2=FilteredRelation("stages", condition=Q(stages__number=2)),
        )
        .values(
            "reference",
            "received_on",
            "channel",
            "service_area",
            "tenure",
            "status",
            "stage",
            "person_id",
            "representative_id",
            "issue_date",
            "policy_version_id",
            "refusal_ground",
            "refused_on",
            "escalation_refused",
            "withdrawn_on",
            "closed_on",
            "root_cause",
            "learning_outcome",
            "ombudsman_referred_on",
            "ombudsman_reference",
            **_stage_values("s1", 1),
            **_stage_values("s2", 2),
            remedies=counted,
            offered=summed(),
            paid=summed(state=Remedy.State.DELIVERED),
        )
        .order_by("received_on", "id")
    )
    calendar = working_calendar(landlord)
    windows = {version.pk: version.policy().acceptance_window_months for version in landlord.policy_versions.all()}
    for row in rows.iterator(chunk_size=CHUNK):
        out: dict[str, Any] = {
            "reference": row["reference"],
            "received_on": row["received_on"],
            "stage": row["stage"],
            "resident": row["person_id"],
            "via_representative": "yes" if row["representative_id"] else "no",
            # The Code's 12 months (2.3) and the landlord's own window, apart: a shorter window in the
            # policy never decides a complaint, but the export shows where it would have.
            "inside_code_window": _inside(CODE_POLICY.acceptance_window_months, row["issue_date"], row["received_on"]),
            "inside_policy_window": _inside(
                windows.get(row["policy_version_id"], CODE_POLICY.acceptance_window_months),
                row["issue_date"],
                row["received_on"],
            ),
            "refusal_ground": row["refusal_ground"],
            "refused_on": row["refused_on"],
            "escalation_refused": "yes" if row["escalation_refused"] else "no",
            "withdrawn_on": row["withdrawn_on"],
            "closed_on": row["closed_on"],
            "remedies": row["remedies"] or 0,
            "compensation_offered": money(row["offered"]),
            "compensation_paid": money(row["paid"]),
            "learning_outcome": row["learning_outcome"],
            "ombudsman_referred_on": row["ombudsman_referred_on"],
            "ombudsman_reference": row["ombudsman_reference"],
        }
        for name, labels in _LABELS.items():
            out[name] = labels.get(row[name], row[name])
        for prefix, number in (("s1", 1), ("s2", 2)):
            opened, acknowledged, responded = (
                row[f"{prefix}_{k}"] for k in ("opened_on", "acknowledged_on", "responded_on")
            )
            if number == 2:
                out["s2_opened_on"] = opened
            out[f"{prefix}_handler"] = " ".join(
                filter(None, (row[f"{prefix}_handler_first"], row[f"{prefix}_handler_last"]))
            )
            if number == 1:
                out["s1_acknowledge_due"] = row["s1_acknowledge_due"]
            out[f"{prefix}_acknowledged_on"] = acknowledged
            out[f"{prefix}_response_due"] = row[f"{prefix}_response_due"]
            out[f"{prefix}_extension_days"] = row[f"{prefix}_extension_days"]
            out[f"{prefix}_responded_on"] = responded
            out[f"{prefix}_decision"] = row[f"{prefix}_decision"]
            out[f"{prefix}_acknowledged_in_time"] = ""
            out[f"{prefix}_responded_in_time"] = ""
            if opened is None:
                continue
            if acknowledged is not None:
                days = CODE_POLICY.stage(number).acknowledge_days
                out[f"{prefix}_acknowledged_in_time"] = (
                    "yes" if acknowledged <= calendar.add_working_days(opened, days) else "no"
                )
            if responded is not None:
                due = code_response_due(calendar.add_working_days, number, opened, acknowledged)
                extra = compliant_extension_days(number, row[f"{prefix}_told"], row[f"{prefix}_good"])
                out[f"{prefix}_responded_in_time"] = (
                    "yes" if responded <= calendar.add_working_days(due, extra) else "no"
                )
        yield out


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # never let a spreadsheet run a cell typed by a person as a formula
    return value


def _csv_value(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    return str(_cell(value))


class _Echo:
    def write(self, value: str) -> str:
        return value


def complaints_csv(landlord: Landlord, f: ComplaintFilter) -> Iterator[str]:
    """The export as CSV lines, for a streaming response."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([label for _, label in COLUMNS])
    for row in complaint_rows(landlord, f):
        yield writer.writerow([_csv_value(row[key]) for key, _ in COLUMNS])


def complaints_xlsx(landlord: Landlord, f: ComplaintFilter) -> bytes:
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Complaints")
    sheet.freeze_panes = "B2"
    for index, (key, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 14 if key != "learning_outcome" else 50
    sheet.append([label for _, label in COLUMNS])
    for row in complaint_rows(landlord, f):
        sheet.append([_cell(row[key]) if not isinstance(row[key], Decimal) else float(row[key]) for key, _ in COLUMNS])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


# -- the self-assessment in the Ombudsman's five columns ------------------------------------------

ASSESSMENT_COLUMNS = (
    "Code provision",
    "Code requirement",
    "Comply: Yes / No / Partial / N/A",
    "Evidence",
    "Commentary / explanation",
)
PLAN_COLUMNS = ("Code provision", "Code requirement", "Action", "Target date", "Responsible officer")


def evidence_text(evidence: str, from_data: str) -> str:
    if from_data:
        return f"{evidence}\n\nFrom Putright's records: {from_data}".strip()
    return evidence


def requirement_text(wording: Wording, number: str) -> str:
    """The "Code requirement" cell: the Ombudsman's wording, or Putright's summary marked where it falls back."""
    requirement = wording.requirement(number)
    if requirement.official or wording.imported is None:
        return requirement.text
    return f"Putright's summary (the imported form has no wording for {number}): {requirement.text}"


def assessment_header(assessment: SelfAssessment, wording: Wording) -> list[str]:
    """The lines above the table in both exports: which assessment, why, and whose wording."""
    lines = [
        f"{assessment.landlord.name}: self-assessment against the Complaint Handling Code",
        f"{assessment.headline}. {assessment.get_state_display()}.",
    ]
    later = assessment.replaced_by()
    if later is not None:
        lines.append(f"Replaced by a later assessment: the {later.which_in_sentence}.")
    lines.append(wording.source)
    return lines


def self_assessment_xlsx(view: AssessmentView, wording: Wording | None = None) -> bytes:
    """Sheet 1 the five columns, section by section; sheet 2 the action plan; sheet 3 who drafted and approved it.

    Sheet 1 opens with which assessment it is, why it was done and whose wording the requirements are in,
    then a blank row and the Ombudsman's column headings.
    """
    assessment = view.assessment
    wording = wording or wording_for(assessment.landlord)
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.title = "Self-assessment"
    wrap = Alignment(wrap_text=True, vertical="top")
    bold = Font(bold=True)
    for index, width in enumerate((10, 55, 14, 60, 60), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    for number, line in enumerate(assessment_header(assessment, wording)):
        sheet.append([_cell(line)])
        if number == 0:
            sheet.cell(sheet.max_row, 1).font = bold
    sheet.append([])
    sheet.append(list(ASSESSMENT_COLUMNS))
    for cell in sheet[sheet.max_row]:
        cell.font, cell.alignment = bold, wrap
    sheet.freeze_panes = f"A{sheet.max_row + 1}"
    for section in view.sections:
        sheet.append([f"Section {section.number}: {section.title}"])
        sheet.cell(sheet.max_row, 1).font = bold
        for row in section.rows:
            entry = row.entry
            sheet.append(
                [
                    entry.provision,
                    _cell(requirement_text(wording, entry.provision)),
                    entry.get_comply_display() if entry.comply else "",
                    _cell(evidence_text(entry.evidence, entry.from_data)),
                    _cell(entry.commentary),
                ]
            )
            for cell in sheet[sheet.max_row]:
                cell.alignment = wrap
    plan = book.create_sheet("Action plan")
    for index, width in enumerate((10, 55, 60, 14, 30), start=1):
        plan.column_dimensions[get_column_letter(index)].width = width
    plan.append(list(PLAN_COLUMNS))
    for cell in plan[1]:
        cell.font, cell.alignment = bold, wrap
    for row in view.action_plan:
        entry = row.entry
        plan.append(
            [
                entry.provision,
                _cell(requirement_text(wording, entry.provision)),
                _cell(entry.action),
                entry.target_date,
                _cell(entry.responsible),
            ]
        )
        for cell in plan[plan.max_row]:
            cell.alignment = wrap
        if entry.target_date:
            plan.cell(plan.max_row, 4).number_format = "d mmmm yyyy"
    about = book.create_sheet("About")
    about.column_dimensions["A"].width, about.column_dimensions["B"].width = 30, 60
    people = [
        ("Landlord", assessment.landlord.name),
        ("Reporting year", f"1 April {assessment.year_starting} to 31 March {assessment.year_starting + 1}"),
        ("Assessment", assessment.which),
        ("Reason", assessment.reason_text),
        ("State", assessment.get_state_display()),
        ("Code requirement", wording.source),
        ("Drafted by", assessment.drafted_by.get_full_name() or assessment.drafted_by.username),
    ]
    if assessment.approved_by and assessment.approved_at:
        people += [
            (
                "Approved by (Member Responsible for Complaints)",
                assessment.approved_by.get_full_name() or assessment.approved_by.username,
            ),
            ("Approved on", assessment.approved_at.date().isoformat()),
            ("Approval note", assessment.approval_note),
        ]
    for label, value in people:
        about.append([label, _cell(value)])
        about.cell(about.max_row, 1).font = bold
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
