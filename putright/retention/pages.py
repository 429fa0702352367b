"""/staff/privacy/retention/: the records under review or held under the landlord's retention schedule.

The complaints officer and managers change the schedule, hold a record for longer (with a reason and
a new review date) or anonymise it now after a confirmation page; the auditor reads; handlers,
reviewers and the Member Responsible for Complaints are refused with a sentence. Another landlord's
complaint is not found. Each page calls one action of `putright.retention.actions`.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from putright import clock
from putright.complaints.access import readable_by
from putright.complaints.models import Complaint
from putright.landlords.models import StaffMember
from putright.retention import access, actions
from putright.retention.anonymise import Anonymised, closure_date, refusal
from putright.retention.models import GRACE_RANGE, YEARS_RANGE, ComplaintRetention, RetentionState
from putright.retention.schedule import schedule_for
from putright.web.authorise import StaffRequest, staff_view
from putright.web.forms import DateField, Form, long_text, submit

PAGE_SIZE = 50


def _whole_number(label: str, *, what: str, low: int, high: int, **kwargs: Any) -> forms.IntegerField:
    return forms.IntegerField(
        label=label,
        min_value=low,
        max_value=high,
        error_messages={
            "required": f"Enter {what}",
            "invalid": f"{what[:1].upper()}{what[1:]} must be a whole number, like {kwargs.pop('example')}",
            "min_value": f"{what[:1].upper()}{what[1:]} must be between {low} and {high}",
            "max_value": f"{what[:1].upper()}{what[1:]} must be between {low} and {high}",
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
        **kwargs,
    )


class ScheduleForm(Form):
    years_after_closure = _whole_number(
        "Years after a complaint ends before its record is reviewed",
        what="the number of years",
        low=YEARS_RANGE[0],
        high=YEARS_RANGE[1],
        example=6,
        help_text="Commonly 6: the time in which a claim about it could be brought",
    )
    grace_days = _whole_number(
        "Days a record stays under review before it is anonymised",
        what="the number of days",
        low=GRACE_RANGE[0],
        high=GRACE_RANGE[1],
        example=90,
        help_text="Time for the complaints officer to hold a record that is still needed",
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class HoldForm(Form):
    reason = long_text(
        "Why is the record being kept for longer?",
        max_length=actions.HOLD_REASON_LIMIT,
        rows=4,
        what="why the record is being kept for longer",
        help_text="For example, an Ombudsman case, a legal claim or an ongoing tenancy issue",
    )
    until = DateField(
        what="the date it is reviewed again",
        label="When should it be reviewed again?",
        help_text="For example, 27 3 2031",
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def clean_until(self) -> date | None:
        until = self.cleaned_data.get("until")
        problem = actions.review_date_problem(until, clock.today())
        if problem:
            raise forms.ValidationError(problem)
        return until


class AnonymiseForm(Form):
    reason = long_text(
        "Why is it no longer needed? (optional)",
        required=False,
        max_length=500,
        rows=3,
        what="why the record is no longer needed",
        help_text="Kept with the record of the anonymisation. Do not name the resident",
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def _context(staff: StaffMember, **extra: Any) -> dict[str, Any]:
    return {"landlord": staff.landlord, "can_edit": access.can_edit(staff), **extra}


def _complaint(staff: StaffMember, reference: str) -> Complaint:
    """The complaint under the complaint's own reading rule: the person it is about never finds it."""
    return get_object_or_404(Complaint.objects.filter(readable_by(staff)), landlord=staff.landlord, reference=reference)


@require_GET
@staff_view
def index(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    schedule = schedule_for(staff.landlord)
    rows = (
        ComplaintRetention.objects.filter(
            landlord=staff.landlord, state__in=(RetentionState.REVIEW, RetentionState.HELD)
        )
        .filter(readable_by(staff, "complaint__"))
        .select_related("complaint")
        .order_by("state", "anonymise_after", "held_until", "pk")
    )
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    shown = [(row, closure_date(row.complaint)) for row in page.object_list]
    form = ScheduleForm(
        initial={
            "years_after_closure": schedule.years_after_closure,
            "grace_days": schedule.grace_days,
            "expected_version": schedule.version,
        }
    )
    return render(
        request,
        "retention/index.html",
        _context(staff, schedule=schedule, rows=shown, page=page, form=form, today=clock.today()),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def change_schedule(request: StaffRequest) -> HttpResponse:
    staff = access.require_editor(request.user)
    schedule = schedule_for(staff.landlord)
    form = ScheduleForm(
        request.POST or None,
        initial={
            "years_after_closure": schedule.years_after_closure,
            "grace_days": schedule.grace_days,
            "expected_version": schedule.version,
        },
    )

    def commit() -> object:
        data = form.cleaned_data
        return actions.change_schedule(
            staff.landlord,
            request.user,
            years_after_closure=data["years_after_closure"],
            grace_days=data["grace_days"],
            expected_version=data["expected_version"],
        )

    return submit(
        request,
        form,
        commit,
        template="retention/schedule.html",
        context=_context(staff, schedule=schedule),
        done=lambda _: reverse("retention:index"),
        message=lambda _: "The retention schedule is saved",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def hold(request: StaffRequest, reference: str) -> HttpResponse:
    staff = access.require_editor(request.user)
    complaint = _complaint(staff, reference)
    row = actions.state_of(complaint)
    form = HoldForm(
        request.POST or None,
        initial={
            "reason": row.held_reason if row else "",
            "expected_version": row.version if row else None,
        },
    )

    def commit() -> object:
        data = form.cleaned_data
        return actions.hold(
            complaint,
            request.user,
            reason=data["reason"],
            until=data["until"],
            expected_version=data["expected_version"],
        )

    return submit(
        request,
        form,
        commit,
        template="retention/hold.html",
        context=_context(staff, complaint=complaint, row=row),
        done=lambda _: reverse("retention:index"),
        message=lambda _: f"{complaint.reference} is held: it will be reviewed again",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def anonymise(request: StaffRequest, reference: str) -> HttpResponse:
    staff = access.require_editor(request.user)
    complaint = _complaint(staff, reference)
    row = actions.state_of(complaint)
    form = AnonymiseForm(request.POST or None, initial={"expected_version": row.version if row else None})

    def commit() -> Anonymised:
        return actions.anonymise_now(
            complaint,
            request.user,
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["expected_version"],
        )

    return submit(
        request,
        form,
        commit,
        template="retention/anonymise.html",
        context=_context(
            staff, complaint=complaint, row=row, ended=closure_date(complaint), problem=refusal(complaint)
        ),
        done=lambda _: reverse("retention:index"),
        message=lambda done: f"{complaint.reference} {'was already anonymised' if done.already else 'is anonymised'}",
    )


urlpatterns = [
    path("", index, name="index"),
    path("schedule/", change_schedule, name="schedule"),
    path("<str:reference>/hold/", hold, name="hold"),
    path("<str:reference>/anonymise/", anonymise, name="anonymise"),
]
