"""/staff/insight/notices/: notices of provisions that cannot be met (Code 8.5): the list, a new
notice, the notice with its steps and what is still to do, each step recorded once, and the notice
itself in plain words, as a page and a PDF, to send to the Ombudsman and to publish."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import forms
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import URLPattern, path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from putright.documents.pdf import render_pdf
from putright.governance import access
from putright.governance.actions import notices as actions
from putright.governance.models import ComplianceNotice
from putright.landlords.models import StaffMember
from putright.rules.provisions import provision
from putright.web.authorise import StaffRequest, staff_view
from putright.web.forms import DateField, Form, long_text, submit, text

SECTION = "notices"


def context(staff: StaffMember, **extra: Any) -> dict[str, Any]:
    return {"section": SECTION, "landlord": staff.landlord, "can_edit": staff.role in access.EDITORS, **extra}


class ActionChecks(Form):
    """Every field optional here: the action checks them all, so the page shows every error at once."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False


class NoticeForm(ActionChecks):
    provisions = text(
        "Provisions that cannot be met",
        what="the provisions that cannot be met",
        help_text="The numbers of the Code's provisions, separated by commas, for example 6.2, 6.3",
    )
    circumstances = long_text(
        "The exceptional circumstances",
        max_length=5_000,
        what="the exceptional circumstances",
        help_text="What has happened, for example a cyber incident that took the housing system offline",
    )
    reasons = long_text("Why the provisions cannot be met", max_length=5_000, what="why the provisions cannot be met")
    unable_from = DateField(
        what="the date from which the provisions cannot be met",
        label="Cannot be met from",
        help_text="For example, 3 3 2025",
    )
    expected_return = DateField(
        what="when you expect to comply again",
        label="Expected return to compliance",
        help_text="The Code asks for a timescale: the date you expect to meet these provisions again",
    )
    decided_by = text(
        "Who decided", what="who decided", help_text="Name and role, for example Jo Bloggs, Director of Housing"
    )


class OmbudsmanForm(ActionChecks):
    on = DateField(what="the date the Ombudsman was informed", label="Date the Ombudsman was informed")
    how = text(
        "How",
        max_length=500,
        what="how the Ombudsman was informed",
        help_text="For example, by email to the landlord's dispute resolution adviser",
    )


class ResidentsForm(ActionChecks):
    on = DateField(what="the date the residents were told", label="Date the residents were told")
    how = text(
        "How", max_length=500, what="how the residents were told", help_text="For example, by letter and text message"
    )
    who = text(
        "Which residents",
        max_length=500,
        what="which residents were told",
        help_text="For example, all residents, or residents with an open complaint",
    )


class PublishedForm(ActionChecks):
    on = DateField(what="the date the notice was published", label="Date published")
    address = text(
        "Address of the page",
        max_length=500,
        what="the address of the page on your website",
        help_text="For example, https://www.example.gov.uk/complaints",
        widget=forms.URLInput(attrs={"spellcheck": "false"}),
    )


class ReturnedForm(ActionChecks):
    on = DateField(what="the date you complied again", label="Date you complied again")


@dataclass(frozen=True)
class Step:
    title: str
    form: type[Form]
    record: Callable[..., ComplianceNotice]
    done: str


STEPS = {
    "ombudsman": Step(
        "Record that the Ombudsman was informed",
        OmbudsmanForm,
        actions.record_ombudsman_informed,
        "ombudsman_informed_on",
    ),
    "residents": Step(
        "Record that residents were told", ResidentsForm, actions.record_residents_informed, "residents_informed_on"
    ),
    "published": Step("Record that the notice was published", PublishedForm, actions.record_published, "published_on"),
    "returned": Step("Record the return to compliance", ReturnedForm, actions.record_return, "returned_on"),
}


def _notice_for(staff: StaffMember, pk: int) -> ComplianceNotice:
    return get_object_or_404(ComplianceNotice, pk=pk, landlord=staff.landlord)


def _covered(notice: ComplianceNotice) -> list[tuple[str, str]]:
    return [(number, provision(number).requirement) for number in notice.provisions]


@require_GET
@staff_view
def index(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    notices = list(ComplianceNotice.objects.filter(landlord=staff.landlord))
    return render(
        request,
        "insight/notices/index.html",
        context(
            staff,
            open_notices=[n for n in notices if n.is_open],
            closed=[n for n in notices if not n.is_open],
        ),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def new(request: StaffRequest) -> HttpResponse:
    staff = access.require_editor(request.user)
    form = NoticeForm(request.POST or None)
    return submit(
        request,
        form,
        lambda: actions.record_notice(staff.landlord, request.user, **form.cleaned_data),
        template="insight/notices/new.html",
        context=context(staff),
        done=lambda notice: reverse("insight:notice", kwargs={"pk": notice.pk}),
        message=lambda notice: "The notice is recorded. Now inform the Ombudsman, tell the residents and publish it.",
    )


@require_GET
@staff_view
def notice(request: StaffRequest, pk: int) -> HttpResponse:
    staff = access.require_reader(request.user)
    found = _notice_for(staff, pk)
    steps = [(key, step.title, getattr(found, step.done)) for key, step in STEPS.items()]
    return render(
        request,
        "insight/notices/notice.html",
        context(staff, notice=found, covered=_covered(found), steps=steps),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def step(request: StaffRequest, pk: int, name: str) -> HttpResponse:
    staff = access.require_editor(request.user)
    found = _notice_for(staff, pk)
    chosen = STEPS.get(name)
    if chosen is None:
        raise Http404("No such step")
    form = chosen.form(request.POST or None)
    return submit(
        request,
        form,
        lambda: chosen.record(found, request.user, **form.cleaned_data),
        template="insight/notices/step.html",
        context=context(staff, notice=found, title=chosen.title),
        done=lambda changed: reverse("insight:notice", kwargs={"pk": changed.pk}),
        message=lambda changed: "The step is recorded",
    )


@require_GET
@staff_view
def printable(request: StaffRequest, pk: int) -> HttpResponse:
    staff = access.require_reader(request.user)
    found = _notice_for(staff, pk)
    return render(request, "insight/notices/print.html", context(staff, notice=found, covered=_covered(found)))


@require_GET
@staff_view
def pdf(request: StaffRequest, pk: int) -> HttpResponse:
    staff = access.require_reader(request.user)
    found = _notice_for(staff, pk)
    content = render_pdf(
        "insight/notices/pdf.html", {"notice": found, "covered": _covered(found), "landlord": staff.landlord}
    )
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = (
        f'inline; filename="{staff.landlord.slug}-code-notice-{found.unable_from.isoformat()}.pdf"'
    )
    return response


urlpatterns: list[URLPattern] = [
    path("notices/", index, name="notices"),
    path("notices/new/", new, name="notice-new"),
    path("notices/<int:pk>/", notice, name="notice"),
    path("notices/<int:pk>/notice/", printable, name="notice-print"),
    path("notices/<int:pk>/notice.pdf", pdf, name="notice-pdf"),
    path("notices/<int:pk>/<str:name>/", step, name="notice-step"),
]
