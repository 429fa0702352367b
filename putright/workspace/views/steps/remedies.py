"""The pages for offering a remedy and recording what became of it."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views.decorators.http import require_http_methods

from putright import clock
from putright.complaints import actions
from putright.complaints.models import Remedy
from putright.web.authorise import StaffRequest, complaint_for, staff_view
from putright.workspace import forms, steps
from putright.workspace.views.common import complaint_url
from putright.workspace.views.steps.base import begin_step, flow_for, initial_values, step_template
from putright.workspace.views.steps.flow import StepFlow


@require_http_methods(["GET", "POST"])
@staff_view
def offer_remedy(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, "offer-remedy")
    if away:
        return away
    flow = flow_for(request, complaint, situation, "offer-remedy")
    form = forms.OfferRemedyForm(flow.answers, initial=initial_values(complaint))
    flow.guard(form)
    return flow.respond(
        form,
        lambda: actions.add_remedy(
            complaint, request.user, form.remedy(), expected_version=form.cleaned_data["expected_version"]
        ),
        template=step_template("offer_remedy"),
        context={"complaint": complaint},
        done=lambda _: complaint_url(complaint),
        message=lambda r: f"Remedy offered: {r.get_kind_display().lower()}",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def remedy(request: StaffRequest, reference: str, remedy_id: int) -> HttpResponse:
    complaint = complaint_for(request, reference)
    situation = steps.situation(request.staff, complaint)
    steps.REMEDY.require(situation)
    found = Remedy.objects.filter(stage__complaint=complaint, pk=remedy_id).select_related("stage").first()
    if found is None:
        raise Http404("No such remedy")
    flow = StepFlow(request, complaint, "remedy", situation.current.number, url=request.path)
    form = forms.RemedyForm(flow.answers, initial=initial_values(complaint, on=clock.today()), remedy=found)
    return flow.respond(
        form,
        lambda: actions.update_remedy(
            found,
            request.user,
            state=form.cleaned_data["state"],
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=step_template("remedy"),
        context={"complaint": complaint, "remedy": found},
        done=lambda _: complaint_url(complaint),
        message=lambda r: f"Remedy recorded as {r.get_state_display().lower()}",
    )
