"""Who oversees complaint handling and what they received (Code 4.1, 8.2, 9.4 to 9.7), and the reporting
calendar: /staff/insight/oversight/ and /staff/insight/oversight/due/.

Every page authorises first through putright.governance.access and fetches records of the user's own landlord
only (another landlord's record is a 404). The complaints officer and managers keep the records; the Member
Responsible for Complaints records responses; the auditor reads."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from putright import clock
from putright.complaints.errors import ComplaintError, InvalidInput
from putright.governance import access, deadlines, people, presented
from putright.governance.actions import bodies as actions
from putright.governance.actions import calendar as calendar_actions
from putright.governance.models import (
    FROM_RECORDS,
    Appointment,
    DeadlineKind,
    GoverningBody,
    OversightRole,
    Presentation,
    ReportKind,
)
from putright.landlords.models import StaffMember
from putright.web.authorise import StaffRequest, staff_view
from putright.web.forms import DateField, Form, long_text, radios, select, text

# -- forms -----------------------------------------------------------------------------------------


def _years() -> list[tuple[str, str]]:
    latest = clock.today().year
    return [(str(y), f"{y}/{str(y + 1)[-2:]}") for y in range(latest, latest - 6, -1)]


class BodyForm(Form):
    name = text("Name", what="the name of the governing body or committee", help_text="For example: Cabinet")
    kind = radios("What it is", GoverningBody.Kind.choices, what="whether it is the governing body or a committee")


class AppointForm(Form):
    role = radios("Role", OversightRole.choices, what="the role")
    name = text("Name", what="the name of the person who holds the role")
    title = text(
        "Title", required=False, help_text="For example: Cabinet Portfolio Holder for Housing", what="the title"
    )
    starts_on = DateField(what="the date they took on the role", label="From", help_text="For example, 20 5 2024")
    user = select("Sign-in account (optional)", [], what="an account", required=False)

    def __init__(self, *args: Any, staff: StaffMember, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        accounts = StaffMember.objects.filter(landlord_id=staff.landlord_id, user__is_active=True).select_related(
            "user"
        )
        self.fields["user"].choices = [("", "No account")] + [  # type: ignore[attr-defined]
            (str(s.user_id), f"{s.user.get_full_name() or s.user.username} ({s.get_role_display()})")
            for s in accounts.order_by("user__first_name", "user__last_name", "user__username")
        ]


class EndForm(Form):
    ends_on = DateField(
        what="the date they stopped holding the role", label="Last day", help_text="For example, 31 3 2025"
    )


class PresentationForm(Form):
    domain_fields = {"year_starting": "year"}
    report = radios("Report", ReportKind.choices, what="the report that was presented")
    year = select("Reporting year it covers", [], what="the reporting year")
    quarter = select(
        "Quarter (governance report only)",
        [("", "Not a governance report"), ("1", "Q1 (April to June)"), ("2", "Q2 (July to September)"),
         ("3", "Q3 (October to December)"), ("4", "Q4 (January to March)")],
        what="the quarter",
        required=False,
    )  # fmt: skip
    body = select("Presented to", [], what="the governing body or committee", required=False)
    to_member = forms.BooleanField(label="Also presented to the Member Responsible for Complaints", required=False)
    meeting = text("Meeting", what="the meeting", help_text="For example: Cabinet, 12 June 2025")
    presented_on = DateField(
        what="the date it was presented", label="Date presented", help_text="For example, 12 6 2025"
    )
    document = forms.FileField(label="Minutes or response (PDF or Word, optional)", required=False)

    def __init__(self, *args: Any, staff: StaffMember, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()  # type: ignore[attr-defined]
        bodies = GoverningBody.objects.filter(landlord_id=staff.landlord_id, active=True)
        self.fields["body"].choices = [("", "Only the Member Responsible for Complaints")] + [  # type: ignore[attr-defined]
            (str(b.pk), b.name) for b in bodies
        ]


class ResponseForm(Form):
    response = long_text(
        "What they said", max_length=20_000, rows=8, what="what the governing body or the MRC said about the report"
    )
    on = DateField(what="the date of the response", label="Date of the response", help_text="For example, 23 6 2025")


class DoneForm(Form):
    domain_fields = {"year_starting": "year"}
    kind = radios(
        "Deadline",
        [(k, DeadlineKind(k).label) for k in DeadlineKind.values if k not in FROM_RECORDS],
        what="the deadline",
    )
    year = select("Reporting year", [], what="the reporting year")
    done_on = DateField(what="the date it was done", label="Done on", help_text="For example, 28 6 2025")
    note = text("Where or how (optional)", required=False, max_length=300, what="the note")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = _years()  # type: ignore[attr-defined]


class DueDateForm(Form):
    kind = radios("Deadline", DeadlineKind.choices, what="the deadline")
    day = forms.IntegerField(
        label="Day", error_messages={"required": "Enter the day", "invalid": "Enter the day as a number"}
    )
    month = forms.IntegerField(
        label="Month", error_messages={"required": "Enter the month", "invalid": "Enter the month as a number"}
    )


# -- helpers ---------------------------------------------------------------------------------------


def _attempt(request: StaffRequest, form: Form, commit: Callable[[], Any], success: str) -> bool:
    try:
        commit()
    except InvalidInput as refusal:
        form.add_domain_errors(refusal.errors)
        return False
    except ComplaintError as refusal:
        if refusal.status == 403:
            raise
        form.add_error(None, refusal.message)
        return False
    messages.success(request, success)
    return True


def _form_page(request: StaffRequest, form: Form, **context: Any) -> HttpResponse:
    return render(
        request,
        "insight/governance/oversight_form.html",
        {
            "section": "oversight",
            "landlord": request.staff.landlord,
            "form": form,
            "errors": form.error_links(),
            **context,
        },
    )


def _presentation(request: StaffRequest, pk: int) -> Presentation:
    return get_object_or_404(presented.presentations(request.staff.landlord_id), pk=pk)


# -- pages -----------------------------------------------------------------------------------------


@require_GET
@staff_view
def oversight(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    appointments = Appointment.objects.filter(landlord_id=staff.landlord_id).select_related("user")
    holders = people.holders(staff.landlord_id)
    shown = presented.presentations(staff.landlord_id).order_by("-year_starting", "-presented_on", "-id")
    by_year: dict[int, list[Presentation]] = {}
    for p in shown:
        by_year.setdefault(p.year_starting, []).append(p)
    return render(
        request,
        "insight/governance/oversight.html",
        {
            "section": "oversight",
            "landlord": staff.landlord,
            "can_edit": staff.role in access.EDITORS,
            "can_respond": staff.role in access.RESPONDERS,
            "bodies": GoverningBody.objects.filter(landlord_id=staff.landlord_id),
            "roles": [(value, label, holders.get(value)) for value, label in OversightRole.choices],
            "member_approves": bool((mrc := holders.get(OversightRole.MRC)) and mrc.user_id),
            "appointments": appointments,
            "by_year": sorted(by_year.items(), reverse=True),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view
def body_add(request: StaffRequest) -> HttpResponse:
    staff = access.require_editor(request.user)
    form = BodyForm(request.POST or None, initial={"kind": GoverningBody.Kind.GOVERNING_BODY})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            request,
            form,
            lambda: actions.add_governing_body(staff.landlord, request.user, name=data["name"], kind=data["kind"]),
            f"{data['name']} is recorded",
        ):
            return redirect("insight:oversight")
    return _form_page(request, form, heading="Add a governing body or committee", submit="Add it")


@require_POST
@staff_view
def body_retire(request: StaffRequest, pk: int) -> HttpResponse:
    access.require_editor(request.user)
    body = get_object_or_404(GoverningBody, pk=pk, landlord_id=request.staff.landlord_id)
    try:
        actions.retire_governing_body(body, request.user)
        messages.success(request, f"{body.name} is retired: what it received stays recorded")
    except ComplaintError as refusal:
        if refusal.status == 403:
            raise
        messages.error(request, refusal.message)
    return redirect("insight:oversight")


@require_http_methods(["GET", "POST"])
@staff_view
def appoint(request: StaffRequest) -> HttpResponse:
    staff = access.require_editor(request.user)
    initial = {"role": request.GET.get("role", "")} if request.GET.get("role") in OversightRole.values else {}
    form = AppointForm(request.POST or None, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        account = (
            User.objects.filter(pk=data["user"], staff__landlord_id=staff.landlord_id).first() if data["user"] else None
        )
        if _attempt(
            request,
            form,
            lambda: actions.appoint(
                staff.landlord,
                request.user,
                role=data["role"],
                name=data["name"],
                title=data["title"],
                starts_on=data["starts_on"],
                user=account,
            ),
            f"{data['name']} is recorded as {OversightRole(data['role']).label}",
        ):
            return redirect("insight:oversight")
    return _form_page(
        request,
        form,
        heading="Record who holds a role",
        intro="Recording a new holder ends the current holder's appointment the day before.",
        submit="Save",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def appointment_end(request: StaffRequest, pk: int) -> HttpResponse:
    staff = access.require_editor(request.user)
    appointment = get_object_or_404(Appointment, pk=pk, landlord_id=staff.landlord_id)
    form = EndForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _attempt(
            request,
            form,
            lambda: actions.end_appointment(appointment, request.user, ends_on=form.cleaned_data["ends_on"]),
            f"{appointment.name}'s appointment has ended",
        ):
            return redirect("insight:oversight")
    return _form_page(
        request,
        form,
        heading=f"End {appointment.name}'s appointment",
        caption=appointment.get_role_display(),
        submit="End it",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def presentation_add(request: StaffRequest) -> HttpResponse:
    staff = access.require_editor(request.user)
    initial: dict[str, Any] = {"to_member": people.member_responsible(staff.landlord_id) is not None}
    body = GoverningBody.objects.filter(
        landlord_id=staff.landlord_id, active=True, kind=GoverningBody.Kind.GOVERNING_BODY
    ).first()
    if body is not None:
        initial["body"] = str(body.pk)
    for key in ("report", "year", "quarter"):
        if request.GET.get(key):
            initial[key] = request.GET[key]
    form = PresentationForm(request.POST or None, request.FILES or None, staff=staff, initial=initial)
    if request.method == "POST" and form.is_valid():
        data, upload = form.cleaned_data, form.cleaned_data["document"]
        chosen = (
            GoverningBody.objects.filter(pk=data["body"], landlord_id=staff.landlord_id).first()
            if data["body"]
            else None
        )
        if _attempt(
            request,
            form,
            lambda: actions.record_presentation(
                staff.landlord,
                request.user,
                report=data["report"],
                year_starting=int(data["year"]),
                quarter=int(data["quarter"]) if data["quarter"] else None,
                body=chosen,
                to_member=data["to_member"],
                meeting=data["meeting"],
                presented_on=data["presented_on"],
                file_name=upload.name if upload else "",
                content=upload.read() if upload else None,
            ),
            "The presentation is recorded",
        ):
            return redirect("insight:oversight")
    return _form_page(
        request,
        form,
        heading="Record a report presented",
        intro="A report presented to the governing body, a committee or the Member Responsible for Complaints "
        "(Code 8.2, 9.6, 9.7).",
        submit="Save",
        multipart=True,
    )


@require_http_methods(["GET", "POST"])
@staff_view
def presentation_response(request: StaffRequest, pk: int) -> HttpResponse:
    staff = access.require_responder(request.user)
    presentation = _presentation(request, pk)
    initial = {"response": presentation.response, "on": presentation.response_on}
    form = ResponseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            request,
            form,
            lambda: actions.record_response(presentation, request.user, response=data["response"], on=data["on"]),
            "The response is recorded",
        ):
            if presentation.report == ReportKind.GOVERNANCE and staff.role == "member":
                url = reverse("insight:governance")
                return redirect(f"{url}?year={presentation.year_starting}&quarter={presentation.quarter}")
            return redirect("insight:oversight")
    return _form_page(
        request,
        form,
        heading="Record the response",
        caption=f"{presentation.report_label}: {presentation.meeting}, {presentation.presented_on:%-d %B %Y}",
        intro=f"What {presentation.audience} said about the report.",
        submit="Save the response",
    )


@require_GET
@staff_view
def presentation_document(request: StaffRequest, pk: int) -> HttpResponseBase:
    access.require_reader(request.user)
    presentation = _presentation(request, pk)
    if not presentation.document:
        raise Http404("No document")
    return FileResponse(
        presentation.document.open("rb"),
        as_attachment=True,
        filename=presentation.document_name or "document",
        content_type=presentation.document_type or "application/octet-stream",
    )


@require_GET
@staff_view
def due(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    years = deadlines.current_years()
    return render(
        request,
        "insight/governance/due.html",
        {
            "section": "oversight",
            "landlord": staff.landlord,
            "can_edit": staff.role in access.EDITORS,
            "deadlines": deadlines.deadlines(staff.landlord_id, years),
            "dates": [
                (DeadlineKind(kind).label, f"{date(2024, month, day):%-d %B}")
                for kind, (month, day) in deadlines.due_dates(staff.landlord_id).items()
            ],
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view
def due_done(request: StaffRequest) -> HttpResponse:
    staff = access.require_editor(request.user)
    initial = {k: request.GET[k] for k in ("kind", "year") if request.GET.get(k)}
    form = DoneForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            request,
            form,
            lambda: calendar_actions.mark_done(
                staff.landlord,
                request.user,
                kind=data["kind"],
                year_starting=int(data["year"]),
                done_on=data["done_on"],
                note=data["note"],
            ),
            "The deadline is marked done",
        ):
            return redirect("insight:governance-due")
    return _form_page(request, form, heading="Mark a deadline done", submit="Save", back="insight:governance-due")


@require_http_methods(["GET", "POST"])
@staff_view
def due_dates(request: StaffRequest) -> HttpResponse:
    staff = access.require_editor(request.user)
    form = DueDateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        if _attempt(
            request,
            form,
            lambda: calendar_actions.set_due_date(
                staff.landlord, request.user, kind=data["kind"], month=data["month"], day=data["day"]
            ),
            "The due date is changed",
        ):
            return redirect("insight:governance-due")
    return _form_page(
        request,
        form,
        heading="Change a due date",
        intro="The day and month each year's deadline falls on, in the year after the reporting year starts "
        "(a reporting year runs from 1 April to 31 March).",
        submit="Save",
        back="insight:governance-due",
    )


urlpatterns = [
    path("oversight/", oversight, name="oversight"),
    path("oversight/bodies/add/", body_add, name="oversight-body-add"),
    path("oversight/bodies/<int:pk>/retire/", body_retire, name="oversight-body-retire"),
    path("oversight/appoint/", appoint, name="oversight-appoint"),
    path("oversight/appointments/<int:pk>/end/", appointment_end, name="oversight-appointment-end"),
    path("oversight/presentations/add/", presentation_add, name="presentation-add"),
    path("oversight/presentations/<int:pk>/response/", presentation_response, name="presentation-response"),
    path("oversight/presentations/<int:pk>/document/", presentation_document, name="presentation-document"),
    path("oversight/due/", due, name="governance-due"),
    path("oversight/due/done/", due_done, name="governance-due-done"),
    path("oversight/due/dates/", due_dates, name="governance-due-dates"),
]
