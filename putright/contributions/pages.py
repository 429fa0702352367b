"""/staff/contractors/, a complaint's requests for information, and /staff/insight/contractors/.

Every page fetches and authorises first: the contractors through the reader's place at their
landlord (officers and managers change them, every reader reads); a complaint through
`web.authorise.complaint_for` (another landlord's is a 404) and then the asker's check, so the
auditor is refused with its sentence. Each POST calls one action of `putright.contributions.actions`;
a request's form carries a token, so the same form sent twice sends one request.
"""

from __future__ import annotations

import secrets
from datetime import date
from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.models import User
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils.cache import add_never_cache_headers
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from putright import clock
from putright.complaints.errors import TransitionNotAllowed
from putright.complaints.models import Complaint, ServiceArea
from putright.contributions import access, actions, queries
from putright.contributions.models import (
    ANSWER_LIMIT,
    DEFAULT_DUE_DAYS,
    DUE_DAYS_RANGE,
    QUESTION_LIMIT,
    REASON_LIMIT,
    ComplaintContractor,
    Contractor,
    InformationRequest,
    PartyKind,
)
from putright.insight import access as insight_access
from putright.landlords.models import StaffMember
from putright.web.authorise import (
    StaffRequest,
    complaint_for,
    staff_view,
)
from putright.web.forms import DateField, Form, long_text, radios, select, submit, text

LOW, HIGH = DUE_DAYS_RANGE


def _complaint_url(complaint: Complaint) -> str:
    return reverse("workspace:complaint", args=[complaint.reference]) + "#information-requests"


# -- contractors ----------------------------------------------------------------------------------


class ContractorForm(Form):
    name = text("Name", what="the contractor's name")
    email = forms.EmailField(
        label="Email address",
        required=False,
        max_length=254,
        help_text="Requests for information are sent here",
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    phone = text("Phone number", required=False, max_length=40, what="the phone number")
    service_areas = forms.MultipleChoiceField(
        label="Services it works in",
        choices=ServiceArea.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"invalid_choice": "Choose service areas from the list"},
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def data_for_action(self) -> actions.ContractorInput:
        data = self.cleaned_data
        return actions.ContractorInput(
            name=data["name"], email=data["email"], phone=data["phone"], service_areas=data["service_areas"]
        )


def _contractor(staff: StaffMember, pk: int) -> Contractor:
    return get_object_or_404(Contractor, pk=pk, landlord_id=staff.landlord_id)


@require_GET
@staff_view
def contractors(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    rows = list(queries.contractors_of(staff.landlord_id))
    labels = dict(ServiceArea.choices)
    shown = [(row, [labels.get(area, area) for area in row.service_areas]) for row in rows]
    return render(
        request,
        "contributions/contractors.html",
        {"landlord": staff.landlord, "rows": shown, "can_keep": access.can_keep(staff)},
    )


@require_http_methods(["GET", "POST"])
@staff_view
def contractor_add(request: StaffRequest) -> HttpResponse:
    staff = access.require_keeper(request.user)
    form = ContractorForm(request.POST or None)
    return submit(
        request,
        form,
        lambda: actions.add_contractor(request.user, form.data_for_action(), landlord_id=staff.landlord_id),
        template="contributions/contractor_form.html",
        context={"landlord": staff.landlord, "contractor": None},
        done=lambda _: reverse("contributions:contractors"),
        message=lambda added: f"{added.name} is added to your contractors",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def contractor_edit(request: StaffRequest, pk: int) -> HttpResponse:
    staff = access.require_keeper(request.user)
    contractor = _contractor(staff, pk)
    form = ContractorForm(
        request.POST or None,
        initial={
            "name": contractor.name,
            "email": contractor.email,
            "phone": contractor.phone,
            "service_areas": contractor.service_areas,
            "expected_version": contractor.version,
        },
    )
    return submit(
        request,
        form,
        lambda: actions.edit_contractor(
            contractor, request.user, form.data_for_action(), expected_version=form.cleaned_data["expected_version"]
        ),
        template="contributions/contractor_form.html",
        context={"landlord": staff.landlord, "contractor": contractor},
        done=lambda _: reverse("contributions:contractors"),
        message=lambda changed: f"{changed.name} is saved",
    )


class ActiveForm(Form):
    active = forms.TypedChoiceField(choices=(("yes", "Yes"), ("no", "No")), coerce=lambda value: value == "yes")
    expected_version = forms.IntegerField(widget=forms.HiddenInput, required=False)


@require_POST
@staff_view
def contractor_active(request: StaffRequest, pk: int) -> HttpResponse:
    staff = access.require_keeper(request.user)
    contractor = _contractor(staff, pk)
    form = ActiveForm(request.POST)
    return submit(
        request,
        form,
        lambda: actions.set_contractor_active(
            contractor,
            request.user,
            form.cleaned_data["active"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template="contributions/contractor_form.html",
        context={"landlord": staff.landlord, "contractor": contractor},
        done=lambda _: reverse("contributions:contractors"),
        message=lambda changed: f"{changed.name} is {'active' if changed.active else 'no longer active'}",
    )


# -- contractors on a complaint -----------------------------------------------------------------------


class LinkForm(Form):
    contractor = select("Contractor", (), what="a contractor")

    def __init__(self, *args: Any, choices: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contractor"].choices = [("", "Choose a contractor"), *choices]  # type: ignore[attr-defined]


def _asking(request: StaffRequest, reference: str) -> tuple[Complaint, StaffMember]:
    complaint = complaint_for(request, reference)
    return complaint, access.require_asker(request.user, complaint)


@require_http_methods(["GET", "POST"])
@staff_view
def complaint_contractors(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, _staff = _asking(request, reference)
    linked = list(
        ComplaintContractor.objects.filter(complaint=complaint).select_related("contractor").order_by("added_at")
    )
    available = (
        queries.contractors_of(complaint.landlord_id)
        .filter(active=True)
        .exclude(pk__in=[link.contractor_id for link in linked])
    )
    form = LinkForm(request.POST or None, choices=[(str(c.pk), c.name) for c in available])

    def commit() -> object:
        chosen = Contractor.objects.filter(pk=form.cleaned_data["contractor"], landlord_id=complaint.landlord_id)
        return actions.link_contractor(complaint, request.user, chosen.first())

    return submit(
        request,
        form,
        commit,
        template="contributions/complaint_contractors.html",
        context={"complaint": complaint, "linked": linked},
        done=lambda _: reverse("contributions:complaint-contractors", args=[complaint.reference]),
        message=lambda link: f"{link.contractor.name} is recorded on {complaint.reference}",
    )


@require_POST
@staff_view
def complaint_contractor_remove(request: StaffRequest, reference: str, pk: int) -> HttpResponse:
    complaint, _staff = _asking(request, reference)
    link = get_object_or_404(
        ComplaintContractor.objects.select_related("contractor"), complaint=complaint, contractor_id=pk
    )
    try:
        actions.unlink_contractor(complaint, request.user, link.contractor)
    except TransitionNotAllowed as refusal:  # removed a moment ago (a double click, a colleague)
        messages.info(request, refusal.message)
    return redirect("contributions:complaint-contractors", complaint.reference)


# -- requests for information -------------------------------------------------------------------------


def _due_days_field() -> forms.IntegerField:
    message = f"The number of working days to answer must be between {LOW} and {HIGH}"
    return forms.IntegerField(
        label="Working days to answer",
        help_text=f"Counted in your landlord's working days, from today. Usually {DEFAULT_DUE_DAYS}",
        min_value=LOW,
        max_value=HIGH,
        error_messages={
            "required": "Enter the number of working days to answer",
            "invalid": "The number of working days must be a whole number, like 5",
            "min_value": message,
            "max_value": message,
        },
        widget=forms.TextInput(attrs={"inputmode": "numeric", "class": "govuk-input--width-3"}),
    )


class RequestForm(Form):
    party_kind = radios("Who are you asking?", PartyKind.choices, what="who you are asking")
    contractor = select("Contractor", (), what="a contractor", required=False)
    colleague = select("Colleague", (), what="a colleague", required=False)
    team_name = text("Team", required=False, what="the name of the team")
    team_email = forms.EmailField(
        label="Team's email address",
        required=False,
        max_length=254,
        error_messages={"invalid": "Enter an email address in the correct format, like name@example.com"},
    )
    question = long_text("What are you asking for?", max_length=QUESTION_LIMIT, rows=6, what="what you are asking for")
    due_days = _due_days_field()
    submission_key = forms.CharField(widget=forms.HiddenInput, max_length=64)

    def __init__(
        self, *args: Any, contractors: list[tuple[str, str]], colleagues: list[tuple[str, str]], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["contractor"].choices = [("", "Choose a contractor"), *contractors]  # type: ignore[attr-defined]
        self.fields["colleague"].choices = [("", "Choose a colleague"), *colleagues]  # type: ignore[attr-defined]


def _colleagues(complaint: Complaint) -> list[User]:
    return list(
        User.objects.filter(staff__landlord_id=complaint.landlord_id, is_active=True)
        .exclude(email="")
        .order_by("first_name", "last_name", "username")
        .distinct()
    )


@require_http_methods(["GET", "POST"])
@staff_view
def request_new(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, _staff = _asking(request, reference)
    firms = list(queries.contractors_of(complaint.landlord_id).filter(active=True).exclude(email=""))
    people = _colleagues(complaint)
    form = RequestForm(
        request.POST or None,
        initial={"due_days": DEFAULT_DUE_DAYS, "submission_key": secrets.token_urlsafe(24)},
        contractors=[(str(firm.pk), firm.name) for firm in firms],
        colleagues=[(str(person.pk), person.get_full_name() or person.username) for person in people],
    )

    def commit() -> InformationRequest:
        data = form.cleaned_data
        firm = next((f for f in firms if str(f.pk) == data["contractor"]), None)
        person = next((p for p in people if str(p.pk) == data["colleague"]), None)
        return actions.send_request(
            complaint,
            request.user,
            actions.RequestInput(
                party_kind=data["party_kind"],
                question=data["question"],
                due_days=data["due_days"],
                contractor=firm,
                colleague=person,
                team_name=data["team_name"],
                team_email=data["team_email"],
            ),
            submission_key=data["submission_key"],
        )

    return submit(
        request,
        form,
        commit,
        template="contributions/request_form.html",
        context={"complaint": complaint},
        done=lambda _: _complaint_url(complaint),
        message=lambda sent: f"Your request is sent to {sent.party_name}. The answer is due by {sent.due_on:%-d %B %Y}",
    )


def _request(complaint: Complaint, pk: int) -> InformationRequest:
    try:
        return queries.requests_on(complaint).get(pk=pk)
    except InformationRequest.DoesNotExist:
        raise Http404("No such request") from None


class AnswerForm(Form):
    answer = long_text("What did they say?", max_length=ANSWER_LIMIT, rows=8, what="what they said")
    answered_on = DateField(what="the date they answered", label="When did they answer?", required=False)
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class WithdrawForm(Form):
    reason = long_text(
        "Why is the request withdrawn?", max_length=REASON_LIMIT, rows=3, what="why the request is withdrawn"
    )
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


class RemindForm(Form):
    expected_version = forms.IntegerField(widget=forms.HiddenInput)


@require_http_methods(["GET", "POST"])
@staff_view
def request_answer(request: StaffRequest, reference: str, pk: int) -> HttpResponse:
    complaint, _staff = _asking(request, reference)
    asked = _request(complaint, pk)
    form = AnswerForm(request.POST or None, initial={"expected_version": asked.version})
    return submit(
        request,
        form,
        lambda: actions.record_answer(
            asked,
            request.user,
            form.cleaned_data["answer"],
            answered_on=form.cleaned_data["answered_on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template="contributions/request_step.html",
        context={"complaint": complaint, "asked": asked, "step": "answer"},
        done=lambda _: _complaint_url(complaint),
        message=lambda done: f"The answer from {done.party_name} is recorded",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def request_withdraw(request: StaffRequest, reference: str, pk: int) -> HttpResponse:
    complaint, _staff = _asking(request, reference)
    asked = _request(complaint, pk)
    form = WithdrawForm(request.POST or None, initial={"expected_version": asked.version})
    return submit(
        request,
        form,
        lambda: actions.withdraw_request(
            asked, request.user, form.cleaned_data["reason"], expected_version=form.cleaned_data["expected_version"]
        ),
        template="contributions/request_step.html",
        context={"complaint": complaint, "asked": asked, "step": "withdraw"},
        done=lambda _: _complaint_url(complaint),
        message=lambda done: f"The request to {done.party_name} is withdrawn",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def request_remind(request: StaffRequest, reference: str, pk: int) -> HttpResponse:
    complaint, _staff = _asking(request, reference)
    asked = _request(complaint, pk)
    form = RemindForm(request.POST or None, initial={"expected_version": asked.version})
    return submit(
        request,
        form,
        lambda: actions.send_reminder(asked, request.user, expected_version=form.cleaned_data["expected_version"]),
        template="contributions/request_step.html",
        context={"complaint": complaint, "asked": asked, "step": "remind"},
        done=lambda _: _complaint_url(complaint),
        message=lambda done: f"A reminder is sent to {done.party_name}",
    )


# -- insight: complaints by contractor --------------------------------------------------------------


class PeriodForm(Form):
    start = DateField(what="the first day of the period", label="From")
    end = DateField(what="the last day of the period", label="To")

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start"), data.get("end")
        if start and end and end < start:
            self.add_error("end", "The last day must be the same as or after the first day")
        return data


@require_GET
@staff_view
def insight_contractors(request: StaffRequest) -> HttpResponseBase:
    """Complaints by contractor for a period: one of insight's pages (the Member Responsible for Complaints
    reads it too), for the landlord acted for."""
    staff = insight_access.require_reader(request.user)
    today = clock.today()
    default_start = date(today.year - 1, today.month, 1)
    form = PeriodForm(request.GET or None, initial={"start": default_start, "end": today})
    start, end = default_start, today
    if form.is_bound and form.is_valid():
        start, end = form.cleaned_data["start"], form.cleaned_data["end"]
    rows = list(queries.complaints_by_contractor(staff.landlord_id, start, end)) if not form.errors else []
    response = render(
        request,
        "contributions/insight_contractors.html",
        {
            "section": "contractors",
            "landlord": staff.landlord,
            "form": form,
            "errors": form.error_links(),
            "rows": rows,
            "start": start,
            "end": end,
        },
    )
    add_never_cache_headers(response)
    return response


urlpatterns = [
    path("contractors/", contractors, name="contractors"),
    path("contractors/add/", contractor_add, name="contractor-add"),
    path("contractors/<int:pk>/", contractor_edit, name="contractor-edit"),
    path("contractors/<int:pk>/active/", contractor_active, name="contractor-active"),
    path("complaints/<str:reference>/contractors/", complaint_contractors, name="complaint-contractors"),
    path(
        "complaints/<str:reference>/contractors/<int:pk>/remove/",
        complaint_contractor_remove,
        name="complaint-contractor-remove",
    ),
    path("complaints/<str:reference>/information-requests/new/", request_new, name="request-new"),
    path("complaints/<str:reference>/information-requests/<int:pk>/answer/", request_answer, name="request-answer"),
    path(
        "complaints/<str:reference>/information-requests/<int:pk>/withdraw/", request_withdraw, name="request-withdraw"
    ),
    path("complaints/<str:reference>/information-requests/<int:pk>/remind/", request_remind, name="request-remind"),
    path("insight/contractors/", insight_contractors, name="insight-contractors"),
]
