"""The page for recording what was learned from a complaint."""

from __future__ import annotations

from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from putright import clock
from putright.complaints import actions
from putright.web.authorise import StaffRequest, staff_view
from putright.workspace import forms
from putright.workspace.views.common import complaint_url
from putright.workspace.views.steps.base import begin_step, flow_for, initial_values, step_template


@require_http_methods(["GET", "POST"])
@staff_view
def learning(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, "learning")
    if away:
        return away
    flow = flow_for(request, complaint, situation, "learning")
    form = forms.LearningForm(
        flow.answers,
        initial=initial_values(
            complaint,
            on=clock.today(),
            learning_outcome=complaint.learning_outcome,
            root_cause=complaint.root_cause,
        ),
    )
    return flow.respond(
        form,
        lambda: actions.record_learning(
            complaint,
            request.user,
            learning_outcome=form.cleaned_data["learning_outcome"],
            root_cause=form.cleaned_data["root_cause"],
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=step_template("learning"),
        context={"complaint": complaint},
        done=complaint_url,
        message=lambda c: "Learning recorded",
    )
