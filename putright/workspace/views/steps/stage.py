"""The pages for the work of an open stage: assigning, acknowledging, clarification, extensions,
updates, new issues, and the response."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse, QueryDict
from django.views.decorators.http import require_http_methods

from putright import clock
from putright.complaints import actions, queries
from putright.complaints.errors import InvalidInput
from putright.complaints.models import Complaint, Stage
from putright.complaints.policies import policy_for
from putright.rules.responses import required_elements
from putright.web.authorise import StaffRequest, staff_view
from putright.web.forms import only_errors_for
from putright.workspace import forms
from putright.workspace.presenters import response_checklist, stage_one
from putright.workspace.views.common import complaint_url
from putright.workspace.views.steps.base import begin_step, flow_for, initial_values, step_template


@require_http_methods(["GET", "POST"])
@staff_view
def assign(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, "assign")
    if away:
        return away
    flow = flow_for(request, complaint, situation, "assign")
    handlers = queries.colleagues_who_can_handle(complaint, complaint.stage, situation.stage1_handler_id)
    current = situation.current.handler_id
    form = forms.AssignForm(
        flow.answers,
        initial=initial_values(complaint, handler=str(current) if current else ""),
        handlers=handlers,
    )
    return flow.respond(
        form,
        lambda: actions.assign_handler(
            complaint,
            request.user,
            handler=form.chosen(),
            conflict_of_interest=not form.cleaned_data["no_conflict"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=step_template("assign"),
        context={"complaint": complaint, "stage": situation.current},
        done=complaint_url,
        message=lambda c: f"Stage {c.stage} assigned to {form.chosen().get_full_name() or form.chosen().username}",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def acknowledge(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, "acknowledge")
    if away:
        return away
    flow = flow_for(request, complaint, situation, "acknowledge")
    stage = situation.current
    today = clock.today()
    sought = complaint.outcome_sought if stage.number == 1 else situation.stages[1].outcomes_sought
    form = forms.AcknowledgeForm(
        flow.answers,
        # Stage 1 starts from the outcome in the resident's words. Stage 2 fills in stage 1's outcomes
        # only when the reviewer chooses them ("Use the outcomes the resident sought at stage 1").
        initial=initial_values(
            complaint, on=today, **{"outcomes_sought" if stage.number == 1 else "stage_one_outcomes": sought}
        ),
        declare=stage.handler_id is None,
        # Acknowledging accepts it: outside the window, without a note from intake, one is needed (2.3).
        needs_discretion=stage.number == 1
        and complaint.inside_acceptance_window is False
        and not complaint.discretion_note,
    )

    def commit() -> Complaint:
        data = form.cleaned_data
        return actions.acknowledge(
            complaint,
            request.user,
            on=data["on"],
            understanding=data["understanding"],
            outcomes_sought=data["outcomes_sought"],
            points=form.point_list(),
            responsible_for=data["responsible_for"],
            not_responsible_for=data["not_responsible_for"],
            conflict_of_interest=data.get("conflict_of_interest"),
            discretion_note=data.get("discretion_note") or "",
            expected_version=data["expected_version"],
        )

    return flow.respond(
        form,
        commit,
        template=step_template("acknowledge"),
        context={
            "complaint": complaint,
            "stage": stage,
            "floor_notes": queries.floor_notes(complaint, stage.number, ("acknowledge_days", "respond_days")),
            "stage_one": stage_one(complaint, situation.stages[1], stage) if stage.number == 2 else None,
        },
        done=complaint_url,
        message=lambda c: f"Stage {stage.number} acknowledged. The response is due by {c.next_due:%-d %B %Y}.",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def clarification(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, "clarification")
    if away:
        return away
    flow = flow_for(request, complaint, situation, "clarification")
    form = forms.ClarificationForm(flow.answers, initial=initial_values(complaint, on=clock.today()))
    flow.guard(form)
    return flow.respond(
        form,
        lambda: actions.request_clarification(
            complaint,
            request.user,
            on=form.cleaned_data["on"],
            question=form.cleaned_data["question"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=step_template("clarification"),
        context={"complaint": complaint},
        done=complaint_url,
        message=lambda c: "Request for clarification recorded",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def extend(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, "extend")
    if away:
        return away
    flow = flow_for(request, complaint, situation, "extend")
    stage = situation.current
    policy = policy_for(complaint)
    form = forms.ExtendForm(flow.answers, initial=initial_values(complaint))
    flow.guard(form)
    preview = None

    def context(preview: queries.ExtensionPreview | None) -> dict[str, Any]:
        return {
            "complaint": complaint,
            "stage": stage,
            "preview": preview,
            "policy": policy,
            "cap": policy.stage(stage.number).extension_cap_days,
            "floor_notes": queries.floor_notes(complaint, stage.number, ("extension_cap_days",)),
        }

    if form.is_bound:
        form.is_valid()
        if "days" in form.cleaned_data:
            preview = queries.extension_preview(complaint, stage, form.cleaned_data["days"])
        if "preview" in request.POST:
            only_errors_for(form, ("days",))
            return flow.show(form, step_template("extend"), context(preview))

    def commit() -> Any:
        data = form.cleaned_data
        return actions.extend(
            complaint,
            request.user,
            days=data["days"],
            reason=data["reason"],
            good_reason=data["good_reason"],
            told_by_phone_on=data["told_by_phone_on"],
            expected_version=data["expected_version"],
        )

    return flow.respond(
        form,
        commit,
        template=step_template("extend"),
        context=context(preview),
        done=lambda _: complaint_url(complaint),
        message=lambda extension: (
            f"Stage {stage.number} extended. The response is now due by {extension.new_due:%-d %B %Y}."
        ),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def update_interval(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, "update-interval")
    if away:
        return away
    flow = flow_for(request, complaint, situation, "update-interval")
    form = forms.UpdateIntervalForm(flow.answers, initial=initial_values(complaint, agreed_on=clock.today()))
    flow.guard(form)
    return flow.respond(
        form,
        lambda: actions.agree_update_interval(
            complaint,
            request.user,
            every_days=form.cleaned_data["every_days"],
            agreed_on=form.cleaned_data["agreed_on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=step_template("update_interval"),
        context={"complaint": complaint},
        done=complaint_url,
        message=lambda c: "Update interval agreed",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def send_update(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, "send-update")
    if away:
        return away
    flow = flow_for(request, complaint, situation, "send-update")
    form = forms.SendUpdateForm(flow.answers, initial=initial_values(complaint, on=clock.today()))
    flow.guard(form)
    return flow.respond(
        form,
        lambda: actions.send_update(
            complaint,
            request.user,
            on=form.cleaned_data["on"],
            update=form.cleaned_data["update"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=step_template("send_update"),
        context={"complaint": complaint, "stage": situation.current},
        done=lambda c: complaint_url(c) + "#letters",
        message=_update_sent,
    )


def _update_sent(complaint: Complaint) -> str:
    stage = Stage.objects.only("next_update_due").get(complaint=complaint, number=complaint.stage)
    due = f" The next update is due by {stage.next_update_due:%-d %B %Y}." if stage.next_update_due else ""
    return f"Update letter issued to the resident.{due}"


@require_http_methods(["GET", "POST"])
@staff_view
def add_issue(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, "add-issue")
    if away:
        return away
    flow = flow_for(request, complaint, situation, "add-issue")
    form = forms.AddIssueForm(flow.answers, initial=initial_values(complaint, on=clock.today()))
    return flow.respond(
        form,
        lambda: actions.add_issue(
            complaint,
            request.user,
            description=form.cleaned_data["description"],
            related=form.cleaned_data["related"],
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=step_template("add_issue"),
        context={"complaint": complaint},
        done=complaint_url,
        message=lambda c: (
            "Issue added to this complaint"
            if c.pk == complaint.pk
            else f"Logged as a new complaint, {c.reference}, linked to {complaint.reference}"
        ),
    )


def _rows(answers: QueryDict | None, name: str, default: int, more: str) -> int:
    answers = answers or QueryDict()
    try:
        rows = int(answers.get(name, default))
    except ValueError:
        rows = default
    return rows + (1 if answers.get("more") == more else 0)


@require_http_methods(["GET", "POST"])
@staff_view
def respond(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, "respond")
    if away:
        return away
    flow = flow_for(request, complaint, situation, "respond")
    stage = Stage.objects.prefetch_related("points", "remedies").get(pk=situation.current.pk)
    points = list(stage.points.all())
    existing = list(stage.remedies.all())
    form = forms.RespondForm(
        flow.answers,
        initial=initial_values(complaint, on=clock.today()),
        points=points,
        owners=queries.colleagues(request.user),
        remedies=_rows(flow.answers, "remedy_rows", 1, "remedy"),
        outstanding=_rows(flow.answers, "action_rows", 1, "action"),
    )
    context = {
        "complaint": complaint,
        "stage": stage,
        "existing_remedies": existing,
        "checklist": response_checklist(stage, points, existing, flow.answers),
        "elements": required_elements(stage.number),
        "stage_one": stage_one(complaint, situation.stages[1], stage) if stage.number == 2 else None,
    }
    if request.method == "POST" and request.POST.get("more"):
        form.is_valid()
        only_errors_for(form, ())
        return flow.show(form, step_template("respond"), context)

    def commit() -> Complaint:
        data = form.cleaned_data
        outstanding = form.outstanding_actions()
        if form.errors:
            raise InvalidInput({})
        return actions.respond(
            complaint,
            request.user,
            on=data["on"],
            decisions=form.decisions(),
            summary=data["summary"],
            remedies=form.remedies(),
            actions=outstanding,
            expected_version=data["expected_version"],
        )

    return flow.respond(
        form,
        commit,
        template=step_template("respond"),
        context=context,
        done=complaint_url,
        message=lambda c: f"Stage {stage.number} response recorded",
    )
