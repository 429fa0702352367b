"""Changes to who oversees complaint handling and to what they were presented (Code 4.1, 8.2, 9.4 to 9.7).

Each function takes the acting user, checks their role through putright.governance.access, validates
everything (raising InvalidInput with a message per field) and writes in one transaction."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import IntegrityError, transaction

from putright import clock
from putright.complaints.actions.base import clean_text, raise_invalid
from putright.complaints.errors import InvalidInput, TransitionNotAllowed
from putright.documents.filetypes import WORD, content_type
from putright.governance import access, people
from putright.governance.models import Appointment, GoverningBody, OversightRole, Presentation, ReportKind
from putright.landlords.models import Landlord, StaffMember

EARLIEST_YEAR = 2000
FILE_MAX_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {"application/pdf": "pdf", WORD: "docx"}


def _past(errors: dict[str, str], name: str, value: date | None, missing: str, future: str) -> None:
    if value is None:
        errors[name] = missing
    elif value > clock.today():
        errors[name] = future


def _editor_at(actor: User, landlord_id: int) -> StaffMember:
    staff = access.require_editor(actor)
    access.require_at(staff, landlord_id)
    return staff


# -- governing bodies and committees -------------------------------------------------------------


@transaction.atomic
def add_governing_body(landlord: Landlord, actor: User, *, name: str, kind: str) -> GoverningBody:
    """Record the governing body (at most one active) or a committee that receives complaint reports."""
    _editor_at(actor, landlord.pk)
    Landlord.objects.select_for_update().get(pk=landlord.pk)  # one add at a time per landlord
    errors: dict[str, str] = {}
    name = clean_text(
        errors, "name", name, missing="Enter the name of the governing body or committee, like Cabinet", limit=200
    )
    if kind not in GoverningBody.Kind.values:
        errors["kind"] = "Select whether this is the governing body or a committee"
    if name and GoverningBody.objects.filter(landlord=landlord, name__iexact=name).exists():
        errors["name"] = f"{name} is already recorded"
    elif (
        kind == GoverningBody.Kind.GOVERNING_BODY
        and GoverningBody.objects.filter(landlord=landlord, kind=kind, active=True).exists()
    ):
        errors["kind"] = "Your governing body is already recorded: add this as a committee, or retire the other first"
    raise_invalid(errors)
    return GoverningBody.objects.create(landlord=landlord, name=name, kind=kind, added_by=actor, added_at=clock.now())


@transaction.atomic
def retire_governing_body(body: GoverningBody, actor: User) -> GoverningBody:
    """Stop offering a body for new presentations (after a restructure); what it received stays recorded."""
    _editor_at(actor, body.landlord_id)
    body = GoverningBody.objects.select_for_update().get(pk=body.pk)
    if not body.active:
        raise TransitionNotAllowed(f"{body.name} is already retired.")
    body.active = False
    body.save(update_fields=["active"])
    return body


# -- appointments --------------------------------------------------------------------------------


@transaction.atomic
def appoint(
    landlord: Landlord,
    actor: User,
    *,
    role: str,
    name: str,
    title: str = "",
    starts_on: date | None,
    user: User | None = None,
) -> Appointment:
    """Record who holds a role from a date; the previous holder's appointment ends the day before."""
    _editor_at(actor, landlord.pk)
    Landlord.objects.select_for_update().get(pk=landlord.pk)
    errors: dict[str, str] = {}
    if role not in OversightRole.values:
        errors["role"] = "Select the role"
    name = clean_text(errors, "name", name, missing="Enter the name of the person who holds the role", limit=200)
    title = (title or "").strip()
    if len(title) > 200:
        errors["title"] = "The title must be 200 characters or fewer"
    _past(errors, "starts_on", starts_on, "Enter the date they took on the role", "The date cannot be in the future")
    if user is not None and not StaffMember.objects.filter(user=user, landlord=landlord).exists():
        errors["user"] = "Select an account of your own landlord's staff"
    current = Appointment.objects.filter(landlord=landlord, role=role, ends_on__isnull=True).first()
    if current is not None and starts_on is not None and starts_on <= current.starts_on:
        errors["starts_on"] = (
            f"The date must be after {current.starts_on:%-d %B %Y}, when {current.name} took on the role"
        )
    raise_invalid(errors)
    assert starts_on is not None
    if current is not None:
        current.ends_on = starts_on - timedelta(days=1)
        current.save(update_fields=["ends_on"])
    return Appointment.objects.create(
        landlord=landlord,
        role=role,
        name=name,
        title=title,
        user=user,
        starts_on=starts_on,
        recorded_by=actor,
        recorded_at=clock.now(),
    )


@transaction.atomic
def end_appointment(appointment: Appointment, actor: User, *, ends_on: date | None) -> Appointment:
    """Record that someone stopped holding a role (no one holds it until the next appointment)."""
    _editor_at(actor, appointment.landlord_id)
    appointment = Appointment.objects.select_for_update().get(pk=appointment.pk)
    if appointment.ends_on is not None:
        raise TransitionNotAllowed(
            f"{appointment.name}'s appointment already ended on {appointment.ends_on:%-d %B %Y}."
        )
    errors: dict[str, str] = {}
    _past(
        errors, "ends_on", ends_on, "Enter the date they stopped holding the role", "The date cannot be in the future"
    )
    if ends_on is not None and ends_on < appointment.starts_on:
        errors["ends_on"] = f"The date cannot be before {appointment.starts_on:%-d %B %Y}, when they took on the role"
    raise_invalid(errors)
    appointment.ends_on = ends_on
    appointment.save(update_fields=["ends_on"])
    return appointment


# -- presentations (8.2, 9.6, 9.7) ----------------------------------------------------------------


@transaction.atomic
def record_presentation(
    landlord: Landlord,
    actor: User,
    *,
    report: str,
    year_starting: int | None,
    quarter: int | None = None,
    self_assessment_id: int | None = None,
    body: GoverningBody | None = None,
    to_member: bool = False,
    meeting: str,
    presented_on: date | None,
    file_name: str = "",
    content: bytes | None = None,
) -> Presentation:
    """Record that a report was presented to the governing body (or a committee) and/or the MRC."""
    _editor_at(actor, landlord.pk)
    Landlord.objects.select_for_update().get(pk=landlord.pk)  # two submits of one form: the second is refused
    errors: dict[str, str] = {}
    if report not in ReportKind.values:
        errors["report"] = "Select the report that was presented"
    if year_starting is None or not EARLIEST_YEAR <= year_starting <= clock.today().year:
        errors["year_starting"] = f"Enter the reporting year it covers, from {EARLIEST_YEAR} to {clock.today().year}"
    if report == ReportKind.GOVERNANCE:
        if quarter not in (1, 2, 3, 4):
            errors["quarter"] = "Select the quarter the governance report covers"
    else:
        quarter = None
    if report != ReportKind.SELF_ASSESSMENT:
        self_assessment_id = None
    if body is not None and body.landlord_id != landlord.pk:
        errors["body"] = "Select one of your own governing bodies or committees"
    elif body is None and not to_member:
        errors["body"] = "Select who it was presented to: a governing body or committee, the MRC, or both"
    meeting = clean_text(errors, "meeting", meeting, missing="Enter the meeting, like Cabinet, 12 June 2025", limit=200)
    _past(
        errors,
        "presented_on",
        presented_on,
        "Enter the date it was presented",
        "The date it was presented cannot be in the future",
    )
    if presented_on is not None and year_starting is not None and presented_on.year < year_starting:
        errors["presented_on"] = "The date cannot be before the reporting year started"
    document_type = ""
    if content is not None:
        if len(content) > FILE_MAX_BYTES:
            errors["document"] = f"The selected file must be smaller than {FILE_MAX_BYTES // (1024 * 1024)} MB"
        else:
            document_type = content_type(SimpleUploadedFile(file_name or "document", content))
            if document_type not in DOCUMENT_TYPES:
                errors["document"] = "The selected file must be a PDF or a Word document (.docx)"
    member = people.member_responsible(landlord.pk, presented_on) if to_member and presented_on else None
    raise_invalid(errors)
    assert year_starting is not None and presented_on is not None
    if Presentation.objects.filter(
        landlord=landlord,
        report=report,
        year_starting=year_starting,
        quarter=quarter,
        self_assessment_id=self_assessment_id,
        body=body,
        presented_on=presented_on,
    ).exists():
        raise InvalidInput({"presented_on": "This report is already recorded as presented to them on that date"})
    presentation = Presentation(
        landlord=landlord,
        report=report,
        year_starting=year_starting,
        quarter=quarter,
        self_assessment_id=self_assessment_id,
        body=body,
        to_member=to_member,
        member_name=member.name if member is not None else "",
        meeting=meeting,
        presented_on=presented_on,
        recorded_by=actor,
        recorded_at=clock.now(),
    )
    if content is not None:
        presentation.document_name = (file_name or "minutes").rsplit("/", 1)[-1][:150]
        presentation.document_type = document_type
        presentation.document.save(
            f"{landlord.slug}-{year_starting}-{report}.{DOCUMENT_TYPES[document_type]}",
            ContentFile(content),
            save=False,
        )
    try:
        with transaction.atomic():
            presentation.save()
    except IntegrityError:
        raise InvalidInput(
            {"presented_on": "This report is already recorded as presented to them on that date"}
        ) from None
    return presentation


@transaction.atomic
def record_response(presentation: Presentation, actor: User, *, response: str, on: date | None) -> Presentation:
    """Record what the governing body or the MRC said about a report presented to them (8.2, 9.6)."""
    staff = access.require_responder(actor)
    access.require_at(staff, presentation.landlord_id)
    presentation = Presentation.objects.select_for_update().get(pk=presentation.pk)
    errors: dict[str, str] = {}
    response = clean_text(
        errors, "response", response, missing="Enter what the governing body or the MRC said", limit=20_000
    )
    _past(errors, "on", on, "Enter the date of the response", "The date of the response cannot be in the future")
    if on is not None and on < presentation.presented_on:
        errors["on"] = (
            f"The response cannot come before the report was presented ({presentation.presented_on:%-d %B %Y})"
        )
    raise_invalid(errors)
    presentation.response, presentation.response_on = response, on
    presentation.response_recorded_by, presentation.response_recorded_at = actor, clock.now()
    presentation.save()
    return presentation


@transaction.atomic
def record_annual_response(
    landlord: Landlord, actor: User, *, year_starting: int, body_name: str, response: str, on: date | None
) -> Presentation:
    """The governing body's response to the year's annual report (8.2), kept on its presentation: the latest
    presentation of that report to the body, or, when none is recorded, one made for the meeting that responded
    (by the complaints officer or a manager; the MRC records responses to presentations already recorded)."""
    staff = access.require_responder(actor)
    access.require_at(staff, landlord.pk)
    Landlord.objects.select_for_update().get(pk=landlord.pk)
    body_name = (body_name or "").strip()
    bodies = GoverningBody.objects.filter(landlord=landlord)
    body = (
        bodies.filter(name__iexact=body_name).first()
        if body_name
        else bodies.filter(kind=GoverningBody.Kind.GOVERNING_BODY, active=True).first()
    )
    errors: dict[str, str] = {}
    if body is None and not body_name:
        errors["governing_body"] = "Enter the name of the governing body that responded, like Cabinet"
    elif len(body_name) > 200:
        errors["governing_body"] = "The name must be 200 characters or fewer"
    response = clean_text(errors, "response", response, missing="Enter the governing body's response", limit=20_000)
    _past(
        errors,
        "on",
        on,
        "Enter the date of the response",
        "The date the governing body responded cannot be in the future",
    )
    if on is not None and on.year < year_starting:
        errors["on"] = "The response cannot come before the reporting year started"
    presentation = (
        Presentation.objects.select_for_update()
        .filter(landlord=landlord, report=ReportKind.ANNUAL, year_starting=year_starting, body=body)
        .order_by("-presented_on", "-id")
        .first()
        if body is not None
        else None
    )
    if presentation is not None and on is not None and on < presentation.presented_on:
        errors["on"] = (
            f"The response cannot come before the report was presented ({presentation.presented_on:%-d %B %Y})"
        )
    raise_invalid(errors)
    assert on is not None
    if presentation is None:
        access.require_editor(actor)  # the MRC records responses; the officer or a manager records presentations
        if body is None:
            kind = (
                GoverningBody.Kind.COMMITTEE
                if bodies.filter(kind=GoverningBody.Kind.GOVERNING_BODY, active=True).exists()
                else GoverningBody.Kind.GOVERNING_BODY
            )
            body = GoverningBody.objects.create(
                landlord=landlord, name=body_name, kind=kind, added_by=actor, added_at=clock.now()
            )
        member = people.member_responsible(landlord.pk, on)
        presentation = Presentation.objects.create(
            landlord=landlord,
            report=ReportKind.ANNUAL,
            year_starting=year_starting,
            body=body,
            to_member=member is not None,
            member_name=member.name if member is not None else "",
            meeting=f"{body.name}, {on:%-d %B %Y}",
            presented_on=on,
            recorded_by=actor,
            recorded_at=clock.now(),
        )
    presentation.response, presentation.response_on = response, on
    presentation.response_recorded_by, presentation.response_recorded_at = actor, clock.now()
    presentation.save()
    return presentation
