"""Every change to what insight keeps: improvements, survey results, self-assessments, annual reports.

As in putright.complaints.actions, each function takes the acting user, checks their role through
putright.insight.access, validates everything before writing, and runs in one transaction. None of
them changes a complaint: learning on a complaint is recorded by `complaints.actions.record_learning`.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.db import transaction

from putright import clock
from putright.complaints import insight_generation
from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.complaints.models import Complaint, ServiceArea
from putright.governance.actions import action_plan
from putright.governance.actions import bodies as governance_bodies
from putright.governance.actions import calendar as governance_calendar
from putright.governance.models import Presentation
from putright.insight import access
from putright.insight.code_wording import read_code_wording
from putright.insight.evidence import evidence_for
from putright.insight.models import (
    AnnualReport,
    CodeWording,
    Comply,
    PerceptionSurvey,
    SelfAssessment,
    SelfAssessmentEntry,
    ServiceImprovement,
)
from putright.insight.survey import read_survey
from putright.landlords.models import Landlord, StaffMember
from putright.rules.provisions import PROVISIONS, provision_key

LETTER_MAX_BYTES = 10 * 1024 * 1024
EARLIEST_YEAR = 2000


def _text(errors: dict[str, str], name: str, value: str | None, *, required: bool = True, limit: int = 5_000) -> str:
    text = (value or "").strip()
    if required and not text:
        errors[name] = "Enter this: it cannot be left empty"
    elif len(text) > limit:
        errors[name] = f"This must be {limit:,} characters or fewer (it is {len(text):,})"
    return text


def _raise(errors: dict[str, str]) -> None:
    if errors:
        raise InvalidInput(errors)


def _at(staff: StaffMember, landlord: Landlord) -> None:
    if staff.landlord_id != landlord.pk:
        raise NotPermitted("You can only act for your own landlord.")


def _year(errors: dict[str, str], year_starting: int) -> None:
    if not EARLIEST_YEAR <= year_starting <= clock.today().year:
        errors["year"] = f"Choose a reporting year from {EARLIEST_YEAR} to {clock.today().year}"


# -- the service improvement register (9.1 to 9.3) -------------------------------------------


@transaction.atomic
def save_improvement(
    landlord: Landlord,
    actor: User,
    *,
    improvement: ServiceImprovement | None = None,
    title: str,
    learning: str,
    action: str,
    responsible: str,
    status: str = ServiceImprovement.Status.PROPOSED,
    service_area: str = "",
    target_date: date | None = None,
    completed_on: date | None = None,
    you_said: str = "",
    we_did: str = "",
    publish: bool = False,
    complaint_references: Sequence[str] = (),
) -> ServiceImprovement:
    """Add an improvement to the register, or change one, with the complaints that prompted it.

    A completed improvement needs the date it was completed; one published on the "you said, we did"
    list needs both halves of it, in words fit for residents.
    """
    staff = access.require_editor(actor)
    _at(staff, landlord)
    if improvement is not None and improvement.landlord_id != landlord.pk:
        raise NotPermitted("You can only change your own landlord's register.")
    errors: dict[str, str] = {}
    title = _text(errors, "title", title, limit=200)
    learning = _text(errors, "learning", learning)
    action = _text(errors, "action", action)
    responsible = _text(errors, "responsible", responsible, limit=200)
    you_said = _text(errors, "you_said", you_said, required=publish, limit=2_000)
    we_did = _text(errors, "we_did", we_did, required=publish, limit=2_000)
    if status not in ServiceImprovement.Status.values:
        errors["status"] = f"Choose a status: {', '.join(ServiceImprovement.Status.values)}"
    if service_area and service_area not in ServiceArea.values:
        errors["service_area"] = f"Choose a service area: {', '.join(ServiceArea.values)}"
    if status == ServiceImprovement.Status.COMPLETED and completed_on is None:
        errors["completed_on"] = "Enter the date the improvement was completed"
    if completed_on is not None and completed_on > clock.today():
        errors["completed_on"] = "The date completed cannot be in the future"
    references = sorted({r.strip().upper() for r in complaint_references if r and r.strip()})
    found = list(Complaint.objects.filter(landlord=landlord, reference__in=references))
    unknown = sorted(set(references) - {c.reference for c in found})
    if unknown:
        errors["complaints"] = f"No complaint {', '.join(unknown)} at this landlord"
    _raise(errors)
    now = clock.now()
    if improvement is None:
        improvement = ServiceImprovement(landlord=landlord, created_by=actor, created_at=now)
    improvement.title, improvement.learning, improvement.action = title, learning, action
    improvement.responsible, improvement.status, improvement.service_area = responsible, status, service_area
    improvement.target_date = target_date
    improvement.completed_on = completed_on if status == ServiceImprovement.Status.COMPLETED else None
    improvement.you_said, improvement.we_did, improvement.publish = you_said, we_did, publish
    improvement.updated_at = now
    improvement.save()
    improvement.complaints.set(found)
    return improvement


# -- TP09 --------------------------------------------------------------------------------------


@transaction.atomic
def import_perception_survey(
    landlord: Landlord, actor: User, *, year_starting: int, file_name: str, content: bytes
) -> PerceptionSurvey:
    """Count a perception survey export for TP09, replacing any earlier import for the year.

    The file is checked line by line and refused whole if any line is wrong (InvalidInput names
    the lines); only the counts are kept.
    """
    staff = access.require_editor(actor)
    _at(staff, landlord)
    errors: dict[str, str] = {}
    _year(errors, year_starting)
    survey = read_survey(content)
    if not survey.valid:
        errors["file"] = " ".join(error.rstrip(".") + "." for error in survey.errors)
    _raise(errors)
    counts = survey.counts
    row, _ = PerceptionSurvey.objects.update_or_create(
        landlord=landlord,
        year_starting=year_starting,
        defaults={
            "rows": counts.rows,
            "lcra_complainants": counts.lcra_complainants,
            "lcra_satisfied": counts.lcra_satisfied,
            "lcho_complainants": counts.lcho_complainants,
            "lcho_satisfied": counts.lcho_satisfied,
            "not_counted": counts.not_counted,
            "file_name": (file_name or "survey.csv")[:200],
            "imported_by": actor,
            "imported_at": clock.now(),
        },
    )
    insight_generation.move_on(landlord.pk)  # TP09 is among the cached measures
    return row


# -- the self-assessment (Code Appendix A, 8.1 to 8.4) ----------------------------------------


def open_assessment(landlord: Landlord) -> SelfAssessment | None:
    """The landlord's assessment still being drafted or waiting for approval, if there is one."""
    return (
        SelfAssessment.objects.filter(
            landlord=landlord, state__in=(SelfAssessment.State.DRAFT, SelfAssessment.State.SUBMITTED)
        )
        .order_by("-created_at", "-id")
        .first()
    )


@transaction.atomic
def start_self_assessment(
    landlord: Landlord,
    actor: User,
    *,
    year_starting: int,
    reason: str = SelfAssessment.Reason.ANNUAL,
    reason_detail: str = "",
) -> SelfAssessment:
    """Start a self-assessment, for the year or because something calls for a new one (8.3, 8.4).

    Every provision 1.2 to 9.8, carried forward from the last assessment started, whatever its year:
    its answers, evidence, commentary and open actions are copied for staff to revise, and the earlier
    assessment is left exactly as it was. What the records show, and the answer they support, are
    worked out afresh for the year; an entry the last assessment left unanswered takes the records'
    answer. Refused while another assessment is a draft or waiting for approval: finish that first.
    """
    staff = access.require_editor(actor)
    _at(staff, landlord)
    errors: dict[str, str] = {}
    _year(errors, year_starting)
    if reason not in SelfAssessment.Reason.values:
        errors["reason"] = "Choose why this self-assessment is being done"
    reason_detail = _text(
        errors, "reason_detail", reason_detail, required=reason == SelfAssessment.Reason.OTHER, limit=300
    )
    if reason == SelfAssessment.Reason.OTHER and not reason_detail:
        errors["reason_detail"] = "Describe why this self-assessment is being done"
    _raise(errors)
    # One start at a time per landlord, so that two people cannot both start one.
    Landlord.objects.select_for_update().filter(pk=landlord.pk).first()
    unfinished = open_assessment(landlord)
    if unfinished is not None:
        state = "still a draft" if unfinished.state == SelfAssessment.State.DRAFT else "waiting for approval"
        raise TransitionNotAllowed(f"The {describe(unfinished)}, is {state}: finish it before starting another.")
    previous = SelfAssessment.objects.filter(landlord=landlord).order_by("-created_at", "-id").first()
    earlier = {entry.provision: entry for entry in previous.entries.all()} if previous else {}
    latest_in_year = (
        SelfAssessment.objects.filter(landlord=landlord, year_starting=year_starting).order_by("-sequence").first()
    )
    now = clock.now()
    assessment = SelfAssessment.objects.create(
        landlord=landlord,
        year_starting=year_starting,
        sequence=latest_in_year.sequence + 1 if latest_in_year else 1,
        reason=reason,
        reason_detail=reason_detail if reason == SelfAssessment.Reason.OTHER else "",
        started_from=previous,
        drafted_by=actor,
        created_at=now,
        updated_at=now,
    )
    found = evidence_for(landlord, year_starting)
    entries = []
    for provision in PROVISIONS:
        last = earlier.get(provision.number)
        section, item = provision.key
        supported = _supported(found.answers, provision.number)
        entries.append(
            SelfAssessmentEntry(
                assessment=assessment,
                provision=provision.number,
                section=section,
                item=item,
                comply=(last.comply if last else "") or supported,
                evidence=last.evidence if last else "",
                commentary=last.commentary if last else "",
                action=last.action if last and last.short_of_yes else "",
                target_date=last.target_date if last and last.short_of_yes else None,
                responsible=last.responsible if last and last.short_of_yes else "",
                from_data=found.sentences.get(provision.number, ""),
                records_answer=supported,
            )
        )
    SelfAssessmentEntry.objects.bulk_create(entries)
    return assessment


def _supported(answers: dict[str, str], number: str) -> str:
    answer = answers.get(number, "")
    return answer if answer in Comply.values else ""


def describe(assessment: SelfAssessment) -> str:
    """Which assessment this is, in words: "second self-assessment of 2025/26, started 3 November 2025"."""
    return assessment.which_in_sentence


def _editable(assessment: SelfAssessment) -> None:
    if assessment.state != SelfAssessment.State.DRAFT:
        raise TransitionNotAllowed(
            f"The {describe(assessment)}, is {assessment.get_state_display().lower()}: "
            "it can only be changed while it is a draft."
        )


@transaction.atomic
def update_entry(
    entry: SelfAssessmentEntry,
    actor: User,
    *,
    comply: str,
    evidence: str = "",
    commentary: str = "",
    action: str = "",
    target_date: date | None = None,
    responsible: str = "",
) -> SelfAssessmentEntry:
    """Record a provision's answer, evidence and commentary, and its action plan line if short of yes."""
    staff = access.require_editor(actor)
    entry = SelfAssessmentEntry.objects.select_for_update().select_related("assessment").get(pk=entry.pk)
    _at(staff, entry.assessment.landlord)
    _editable(entry.assessment)
    errors: dict[str, str] = {}
    if comply and comply not in Comply.values:
        errors["comply"] = "Choose yes, no, partial or N/A"
    evidence = _text(errors, "evidence", evidence, required=False, limit=10_000)
    commentary = _text(errors, "commentary", commentary, required=False, limit=10_000)
    action = _text(errors, "action", action, required=False)
    responsible = _text(errors, "responsible", responsible, required=False, limit=200)
    _raise(errors)
    entry.comply, entry.evidence, entry.commentary = comply, evidence, commentary
    entry.action, entry.target_date, entry.responsible = action, target_date, responsible
    entry.updated_by, entry.updated_at = actor, clock.now()
    entry.save()
    SelfAssessment.objects.filter(pk=entry.assessment_id).update(updated_at=entry.updated_at)
    return entry


def incomplete(entries: Sequence[SelfAssessmentEntry]) -> dict[str, str]:
    """What stops the assessment going for approval, by provision."""
    problems = {}
    for entry in entries:
        if not entry.comply:
            problems[entry.provision] = "Say whether the landlord complies"
        elif entry.short_of_yes and not (entry.action and entry.target_date and entry.responsible):
            problems[entry.provision] = (
                "Anything short of full compliance needs an action, a target date and a responsible officer"
            )
    return problems


@transaction.atomic
def submit_self_assessment(assessment: SelfAssessment, actor: User) -> SelfAssessment:
    """Send the drafted assessment to the Member Responsible for Complaints for approval."""
    staff = access.require_editor(actor)
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    _at(staff, assessment.landlord)
    _editable(assessment)
    problems = incomplete(list(assessment.entries.all()))
    if problems:
        raise InvalidInput(
            {
                f"provision {number}": problem
                for number, problem in sorted(problems.items(), key=lambda item: provision_key(item[0]))
            }
        )
    assessment.state = SelfAssessment.State.SUBMITTED
    assessment.submitted_by, assessment.submitted_at = actor, clock.now()
    assessment.updated_at = assessment.submitted_at
    assessment.save()
    return assessment


@transaction.atomic
def approve_self_assessment(assessment: SelfAssessment, actor: User, *, note: str = "") -> SelfAssessment:
    """Record the approval of the Member Responsible for Complaints: the member's own account when one is
    linked to the current appointment, otherwise a manager; never the person who submitted it. The year's
    first approval meets the self-assessment deadline in the reporting calendar."""
    staff = access.require_approver(actor)
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    _at(staff, assessment.landlord)
    if assessment.state != SelfAssessment.State.SUBMITTED:
        raise TransitionNotAllowed("Only a self-assessment waiting for approval can be approved.")
    if assessment.submitted_by_id == actor.pk:
        raise NotPermitted("You submitted this self-assessment, so someone else must approve it.")
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, required=False, limit=2_000)
    _raise(errors)
    assessment.state = SelfAssessment.State.APPROVED
    assessment.approved_by, assessment.approved_at, assessment.approval_note = actor, clock.now(), note
    assessment.updated_at = assessment.approved_at
    assessment.save()
    action_plan.lines_from_assessment(
        assessment.landlord,
        actor,
        assessment_id=assessment.pk,
        approved_on=clock.today(),
        shortfalls=[
            action_plan.Shortfall(e.pk, e.provision, e.action, e.target_date, e.responsible)
            for e in assessment.entries.all()
            if e.short_of_yes
        ],
    )
    governance_calendar.record_self_assessment_approved(
        assessment.landlord, actor, year_starting=assessment.year_starting, on=clock.today()
    )
    return assessment


@transaction.atomic
def return_self_assessment(assessment: SelfAssessment, actor: User, *, note: str) -> SelfAssessment:
    """Send a submitted assessment back to draft, saying what needs to change."""
    staff = access.require_approver(actor)
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    _at(staff, assessment.landlord)
    if assessment.state != SelfAssessment.State.SUBMITTED:
        raise TransitionNotAllowed("Only a self-assessment waiting for approval can be sent back.")
    errors: dict[str, str] = {}
    note = _text(errors, "note", note, limit=2_000)
    _raise(errors)
    assessment.state, assessment.returned_note = SelfAssessment.State.DRAFT, note
    assessment.submitted_by, assessment.submitted_at = None, None
    assessment.updated_at = clock.now()
    assessment.save()
    return assessment


@transaction.atomic
def refresh_evidence(assessment: SelfAssessment, actor: User) -> SelfAssessment:
    """Recompute what the records show, and the answer they support, for each provision (while a draft).

    A provision with no answer yet takes the records' answer; one staff have answered keeps theirs, and
    the page shows the two side by side where they differ.
    """
    staff = access.require_editor(actor)
    assessment = SelfAssessment.objects.select_for_update().get(pk=assessment.pk)
    _at(staff, assessment.landlord)
    _editable(assessment)
    found = evidence_for(assessment.landlord, assessment.year_starting)
    entries = list(assessment.entries.all())
    for entry in entries:
        entry.from_data = found.sentences.get(entry.provision, "")
        entry.records_answer = _supported(found.answers, entry.provision)
        # Staff's answers stand; only an unanswered provision takes the records' answer.
        entry.comply = entry.comply or entry.records_answer
    SelfAssessmentEntry.objects.bulk_update(entries, ["from_data", "records_answer", "comply"])
    assessment.updated_at = clock.now()
    assessment.save(update_fields=["updated_at"])
    return assessment


@transaction.atomic
def import_code_wording(landlord: Landlord, actor: User, *, file_name: str, content: bytes) -> CodeWording:
    """Keep the Code's wording from the Ombudsman's self-assessment form (XLSX) the landlord uploaded.

    The file is refused whole if it is not an XLSX, has no "Code provision" and "Code requirement" header,
    or has the wording of too few provisions. Each import is kept; the latest is the one in use.
    """
    staff = access.require_editor(actor)
    _at(staff, landlord)
    read = read_code_wording(content)
    if not read.valid:
        raise InvalidInput({"file": read.error})
    name = (file_name or "self-assessment-form.xlsx").replace("\\", "/").rsplit("/", 1)[-1][:200]
    return CodeWording.objects.create(
        landlord=landlord,
        file_name=name,
        requirements=read.requirements,
        imported_by=actor,
        imported_at=clock.now(),
    )


# -- the annual report (8.1, 8.2) --------------------------------------------------------------


def _report(landlord: Landlord, actor: User, year_starting: int) -> AnnualReport:
    report = AnnualReport.objects.select_for_update().filter(landlord=landlord, year_starting=year_starting).first()
    return report or AnnualReport(landlord=landlord, year_starting=year_starting, updated_by=actor)


@transaction.atomic
def save_annual_report(
    landlord: Landlord,
    actor: User,
    *,
    year_starting: int,
    introduction: str = "",
    performance_commentary: str = "",
    ombudsman_findings: str = "",
    governing_body: str = "",
) -> AnnualReport:
    """The words of the annual report that the data cannot supply."""
    staff = access.require_editor(actor)
    _at(staff, landlord)
    errors: dict[str, str] = {}
    _year(errors, year_starting)
    introduction = _text(errors, "introduction", introduction, required=False, limit=10_000)
    performance_commentary = _text(
        errors, "performance_commentary", performance_commentary, required=False, limit=10_000
    )
    ombudsman_findings = _text(errors, "ombudsman_findings", ombudsman_findings, required=False, limit=10_000)
    governing_body = _text(errors, "governing_body", governing_body, required=False, limit=200)
    _raise(errors)
    report = _report(landlord, actor, year_starting)
    report.introduction, report.performance_commentary = introduction, performance_commentary
    report.ombudsman_findings, report.governing_body = ombudsman_findings, governing_body
    report.updated_by, report.updated_at = actor, clock.now()
    report.save()
    return report


@transaction.atomic
def upload_ombudsman_letter(
    landlord: Landlord, actor: User, *, year_starting: int, file_name: str, content: bytes
) -> AnnualReport:
    """Keep the Ombudsman's annual report on the landlord (a PDF) with the year's annual report (8.1 e)."""
    staff = access.require_editor(actor)
    _at(staff, landlord)
    errors: dict[str, str] = {}
    _year(errors, year_starting)
    if not content:
        errors["file"] = "The selected file is empty"
    elif len(content) > LETTER_MAX_BYTES:
        errors["file"] = f"The selected file must be smaller than {LETTER_MAX_BYTES // (1024 * 1024)} MB"
    elif not content.startswith(b"%PDF-"):
        errors["file"] = "The selected file must be a PDF"
    _raise(errors)
    report = _report(landlord, actor, year_starting)
    if report.ombudsman_letter:
        report.ombudsman_letter.delete(save=False)
    name = (file_name or "ombudsman-annual-report.pdf").rsplit("/", 1)[-1][:150]
    report.ombudsman_letter.save(f"{landlord.slug}-{year_starting}.pdf", ContentFile(content), save=False)
    report.ombudsman_letter_name = name
    report.updated_by, report.updated_at = actor, clock.now()
    report.save()
    return report


@transaction.atomic
def record_governing_body_response(
    landlord: Landlord, actor: User, *, year_starting: int, response: str, on: date | None, governing_body: str = ""
) -> Presentation:
    """Record the governing body's response to the year's report, once it has met (8.2). The response is kept
    on the report's presentation to that body (putright.governance), the one record the report, its PDF and
    the evidence read; the complaints officer, a manager or the Member Responsible for Complaints records it."""
    errors: dict[str, str] = {}
    _year(errors, year_starting)
    _raise(errors)
    kept = AnnualReport.objects.filter(landlord=landlord, year_starting=year_starting).first()
    return governance_bodies.record_annual_response(
        landlord,
        actor,
        year_starting=year_starting,
        body_name=governing_body.strip() or (kept.governing_body if kept else ""),
        response=response,
        on=on,
    )
