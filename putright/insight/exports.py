"""Exports: complaints for any filter as CSV or XLSX, and the self-assessment in the Ombudsman's layout.

A complaint export is one query whatever its size (both stages joined in, remedies summed in
subqueries), read in chunks; whether each stage met the Code's timescales is worked out from the
dates with the landlord's calendar, as the measures do.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from dataclasses import asdict, dataclass
from datetime import date
from decimal import Decimal
from operator import itemgetter
from typing import IO, Any

from django.db.models import (
    BooleanField,
    Case,
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    FilteredRelation,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from openpyxl import Workbook  # type: ignore[import-untyped]
from openpyxl.styles import Alignment, Font  # type: ignore[import-untyped]
from openpyxl.utils import get_column_letter  # type: ignore[import-untyped]

from putright.complaints import access
from putright.complaints.models import (
    Channel,
    Complaint,
    ComplaintArea,
    Extension,
    Remedy,
    RootCause,
    ServiceArea,
    Status,
    Tenure,
)
from putright.complaints.queries import touching_area
from putright.insight.code_wording import Wording, wording_for
from putright.insight.measures import code_response_due, compliant_extension_days, money
from putright.insight.models import SelfAssessment
from putright.insight.reports import AssessmentView
from putright.landlords.calendars import working_calendar
from putright.landlords.models import Landlord, StaffMember
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
    # Who the export is for: a confidential complaint they may not read keeps its row (the counts stay
    # whole) without its words or who handled it (complaints.access.readable_by).
    reader_id: int | None = None

    def parameters(self) -> dict[str, Any]:
        """The filter as JSON values, for a report job to build the same export later."""
        return {
            name: value.isoformat() if isinstance(value, date) else value
            for name, value in asdict(self).items()
            if value not in (None, "")
        }

    @classmethod
    def from_parameters(cls, values: dict[str, Any]) -> ComplaintFilter:
        def day(name: str) -> date | None:
            return date.fromisoformat(values[name]) if values.get(name) else None

        def word(name: str) -> str:
            return str(values.get(name) or "")

        return cls(
            received_from=day("received_from"),
            received_to=day("received_to"),
            service_area=word("service_area"),
            channel=word("channel"),
            status=word("status"),
            stage=int(values["stage"]) if values.get("stage") else None,
            tenure=word("tenure"),
            root_cause=word("root_cause"),
            reader_id=int(values["reader_id"]) if values.get("reader_id") else None,
        )


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
    if f.service_area:
        complaints = complaints.filter(touching_area(f.service_area))  # leading or not (issue 19)
    for name in ("channel", "status", "tenure", "root_cause"):
        if getattr(f, name):
            complaints = complaints.filter(**{name: getattr(f, name)})
    if f.stage:
        complaints = complaints.filter(stage=f.stage)
    return complaints


def _stage_values(prefix: str) -> dict[str, Any]:
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
    }


def _extensions_told(complaints: QuerySet[Complaint]) -> dict[tuple[int, int], tuple[int, bool]]:
    """(complaint, stage number) -> (days of extensions the resident was told of in time, any with a good reason).

    One grouped query for the whole export: few complaints are extended, so this is small however many
    complaints there are, where a subquery per row would be run for every one of them."""
    in_time = Extension.objects.filter(stage__complaint__in=complaints.values("pk"), late=False).order_by()
    grouped = in_time.values_list("stage__complaint_id", "stage__number").annotate(
        days=Sum("days"), good=Count("id", filter=~Q(good_reason=""))
    )
    return {(complaint, number): (days or 0, good > 0) for complaint, number, days, good in grouped}


def _remedies(complaints: QuerySet[Complaint]) -> dict[int, tuple[int, Decimal | None, Decimal | None]]:
    """complaint -> (remedies, compensation offered, compensation paid), in one grouped query."""
    amount: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
    total = ExpressionWrapper(
        F("amount_statutory") + F("amount_quantifiable_loss") + F("amount_time_and_trouble") + F("amount_distress"),
        output_field=amount,
    )
    grouped = (
        Remedy.objects.filter(stage__complaint__in=complaints.values("pk"))
        .order_by()
        .values_list("stage__complaint_id")
        .annotate(
            n=Count("id"),
            offered=Sum(total, output_field=amount),
            paid=Sum(total, filter=Q(state=Remedy.State.DELIVERED), output_field=amount),
        )
    )
    return {complaint: (n, offered, paid) for complaint, n, offered, paid in grouped}


def _areas(complaints: QuerySet[Complaint]) -> dict[int, str]:
    """complaint -> its service areas by name, lead first, for the complaints with more than their lead standard
    area (another area, or one of the landlord's own): one query, as small as such complaints are few; any
    other complaint's column is its standard area's name."""
    beyond = ComplaintArea.objects.filter(
        Q(lead=False) | Q(landlord_area__isnull=False), complaint__in=complaints.values("pk")
    ).values("complaint_id")
    names: dict[int, list[str]] = {}
    labels = dict(ServiceArea.choices)
    for complaint_id, area, own_name in (
        ComplaintArea.objects.filter(complaint_id__in=beyond)
        .order_by("complaint_id", "-lead", "id")
        .values_list("complaint_id", "standard_area", "landlord_area__name")
    ):
        names.setdefault(complaint_id, []).append(own_name or labels.get(area, area))
    return {complaint_id: "; ".join(shown) for complaint_id, shown in names.items()}


def count_complaints(landlord: Landlord, f: ComplaintFilter) -> int:
    """How many rows the export will have (one indexed count)."""
    return _filtered(landlord, f).count()


def _readable(landlord: Landlord, reader_id: int | None) -> Any:
    """Whether the export's reader may read each complaint: a confidential one only as
    complaints.access allows (the person it is about never)."""
    if reader_id is None:  # the operator's command, which reads everything
        return Value(True)
    staff = StaffMember.objects.filter(user_id=reader_id, landlord=landlord).first()
    readable = access.readable_by(staff) if staff is not None else ~access.confidential()
    return Case(When(readable, then=Value(True)), default=Value(False), output_field=BooleanField())


def complaint_rows(landlord: Landlord, f: ComplaintFilter) -> Iterator[dict[str, Any]]:
    """One dict per complaint, keyed as COLUMNS, in the order received.

    Four queries whatever the size: extensions, remedies and areas beyond the lead grouped by complaint first
    (small), then
    the complaints with both stages joined in, read with a server-side cursor in chunks as they are written.
    """
    chosen = _filtered(landlord, f)
    told = _extensions_told(chosen)
    remedied = _remedies(chosen)
    areas = _areas(chosen)
    rows = (
        chosen.annotate(
            s1=FilteredRelation("stages", condition=Q(stages__number=1)),
            s2=FilteredRelation("stages", condition=Q(stages__number=2)),
        )
        .values(
            "id",
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
            **_stage_values("s1"),
            **_stage_values("s2"),
            readable=_readable(landlord, f.reader_id),
        )
        .order_by("received_on", "id")
    )
    calendar = working_calendar(landlord)
    windows = {version.pk: version.policy().acceptance_window_months for version in landlord.policy_versions.all()}
    nothing: tuple[int, Decimal | None, Decimal | None] = (0, None, None)
    for row in rows.iterator(chunk_size=CHUNK):
        remedies, offered, paid = remedied.get(row["id"], nothing)
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
            "remedies": remedies,
            "compensation_offered": money(offered),
            "compensation_paid": money(paid),
            "learning_outcome": row["learning_outcome"] if row["readable"] else "",
            "ombudsman_referred_on": row["ombudsman_referred_on"],
            "ombudsman_reference": row["ombudsman_reference"],
        }
        for name, labels in _LABELS.items():
            out[name] = labels.get(row[name], row[name])
        # Every area the complaint touches, lead first (issue 19).
        out["service_area"] = areas.get(row["id"], out["service_area"])
        for prefix, number in (("s1", 1), ("s2", 2)):
            opened, acknowledged, responded = (
                row[f"{prefix}_{k}"] for k in ("opened_on", "acknowledged_on", "responded_on")
            )
            if number == 2:
                out["s2_opened_on"] = opened
            out[f"{prefix}_handler"] = (
                " ".join(filter(None, (row[f"{prefix}_handler_first"], row[f"{prefix}_handler_last"])))
                if row["readable"]
                else ""
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
                days_told, good_reason = told.get((row["id"], number), (0, False))
                extra = compliant_extension_days(number, days_told, good_reason)
                out[f"{prefix}_responded_in_time"] = (
                    "yes" if responded <= calendar.add_working_days(due, extra) else "no"
                )
        yield out


def _cell(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value  # never let a spreadsheet run a cell typed by a person as a formula
    return value


_KEYS = itemgetter(*(key for key, _ in COLUMNS))
_LABEL_ROW = [label for _, label in COLUMNS]
LINES_AT_ONCE = 500  # CSV lines sent to the browser together: fewer, larger writes, the first still at once


def _guarded(values: tuple[Any, ...]) -> list[Any]:
    # csv writes None as "" and a date as its ISO form by itself: only text needs looking at.
    return [("'" + v) if isinstance(v, str) and v.startswith(FORMULA_START) else v for v in values]


class _Echo:
    def write(self, value: str) -> str:
        return value


def complaints_csv(
    landlord: Landlord, f: ComplaintFilter, progress: Callable[[int], None] | None = None
) -> Iterator[str]:
    """The export as CSV text, for a streaming response: the heading at once, then lines as they are read.

    `progress`, if given, is told how many complaints are written after every chunk read."""
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow(_LABEL_ROW)
    lines: list[str] = []
    done = 0
    for row in complaint_rows(landlord, f):
        lines.append(writer.writerow(_guarded(_KEYS(row))))
        done += 1
        if len(lines) == LINES_AT_ONCE:
            yield "".join(lines)
            lines.clear()
        if progress is not None and done % CHUNK == 0:
            progress(done)
    if lines:
        yield "".join(lines)
    if progress is not None:
        progress(done)


def write_complaints_csv(
    landlord: Landlord, f: ComplaintFilter, out: IO[bytes], progress: Callable[[int], None] | None = None
) -> None:
    """The CSV export into a file (for a report job), UTF-8 with the mark Excel needs to read it so."""
    for text in complaints_csv(landlord, f, progress):
        out.write(text.encode("utf-8"))


def write_complaints_xlsx(
    landlord: Landlord, f: ComplaintFilter, out: IO[bytes], progress: Callable[[int], None] | None = None
) -> None:
    """The export as a spreadsheet, written row by row (openpyxl's write-only mode keeps no cells in memory)."""
    book = Workbook(write_only=True)
    sheet = book.create_sheet("Complaints")
    sheet.freeze_panes = "B2"
    for index, (key, _) in enumerate(COLUMNS, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = 14 if key != "learning_outcome" else 50
    sheet.append(_LABEL_ROW)
    done = 0
    for row in complaint_rows(landlord, f):
        sheet.append([float(v) if isinstance(v, Decimal) else v for v in _guarded(_KEYS(row))])
        done += 1
        if progress is not None and done % CHUNK == 0:
            progress(done)
    book.save(out)
    if progress is not None:
        progress(done)


def complaints_xlsx(landlord: Landlord, f: ComplaintFilter) -> bytes:
    buffer = io.BytesIO()
    write_complaints_xlsx(landlord, f, buffer)
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
