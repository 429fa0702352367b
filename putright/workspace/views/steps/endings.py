"""The pages for escalation, refusals, withdrawal, closure and referral to the Ombudsman."""

from __future__ import annotations

from django.db import transaction
from django.http import HttpResponse
from django.views.decorators.http import require_http_methods

from putright import clock
from putright.complaints import actions, queries
from putright.complaints.access import Capability
from putright.complaints.models import Complaint, Remedy
from putright.complaints.policies import policy_for
from putright.web.authorise import StaffRequest, staff_view
from putright.workspace import forms, steps
from putright.workspace.views.common import complaint_url
from putright.workspace.views.steps.base import begin_step, flow_for, initial_values, step_template


@require_http_methods(["GET", "POST"])
@staff_view
def escalate(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, "escalate")
    if away:
        return away
    flow = flow_for(request, complaint, situation, "escalate")
    stage1 = situation.stages[1]
    reviewers = (
        queries.colleagues_who_can_handle(complaint, 2, stage1.handler_id) if situation.can(Capability.ASSIGN) else []
    )
    form = forms.EscalateForm(
        flow.answers,
        initial=initial_values(complaint, requested_on=clock.today()),
        reviewers=reviewers,
        escalate_by=stage1.escalate_by,
    )

    def commit() -> Complaint:
        data = form.cleaned_data
        reviewer = form.chosen_reviewer()
        # Escalating and choosing the reviewer succeed or fail together.
        with transaction.atomic():
            escalated = actions.escalate(
                complaint,
                request.user,
                requested_on=data["requested_on"],
                reason=data["reason"],
                discretion=data.get("discretion", ""),
                expected_version=data["expected_version"],
            )
            if reviewer is not None:
                escalated = actions.assign_handler(
                    escalated,
                    request.user,
                    handler=reviewer,
                    conflict_of_interest=False,
                    expected_version=escalated.version,
                )
        return escalated

    return flow.respond(
        form,
        commit,
        template=step_template("escalate"),
        context={"complaint": complaint, "stage1": stage1},
        done=complaint_url,
        message=lambda c: f"Escalated to stage 2. The acknowledgement is due by {c.next_due:%-d %B %Y}.",
    )


def _refusal(request: StaffRequest, reference: str, slug: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, slug)
    if away:
        return away
    flow = flow_for(request, complaint, situation, slug)
    policy = policy_for(complaint)
    form = forms.RefusalForm(
        flow.answers, initial=initial_values(complaint, on=clock.today()), grounds=policy.exclusions
    )
    action = actions.not_accept if slug == "not-accept" else actions.refuse_escalation

    def commit() -> Complaint:
        data = form.cleaned_data
        return action(
            complaint,
            request.user,
            ground=data["ground"],
            explanation=data["explanation"],
            ombudsman_rights_given=data["ombudsman_rights_given"],
            on=data["on"],
            review_note=data["review_note"],
            expected_version=data["expected_version"],
        )

    return flow.respond(
        form,
        commit,
        template=step_template("refuse"),
        context={"complaint": complaint, "escalation": slug == "refuse-escalation", "policy": policy},
        done=complaint_url,
        message=lambda c: "Recorded as not accepted" if slug == "not-accept" else "Escalation refused",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def not_accept(request: StaffRequest, reference: str) -> HttpResponse:
    return _refusal(request, reference, "not-accept")


@require_http_methods(["GET", "POST"])
@staff_view
def refuse_escalation(request: StaffRequest, reference: str) -> HttpResponse:
    return _refusal(request, reference, "refuse-escalation")


@require_http_methods(["GET", "POST"])
@staff_view
def withdraw(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, "withdraw")
    if away:
        return away
    flow = flow_for(request, complaint, situation, "withdraw")
    form = forms.WithdrawForm(flow.answers, initial=initial_values(complaint, on=clock.today()))
    return flow.respond(
        form,
        lambda: actions.withdraw(
            complaint,
            request.user,
            how=form.cleaned_data["how"],
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=step_template("withdraw"),
        context={"complaint": complaint},
        done=complaint_url,
        message=lambda c: "Complaint withdrawn",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def close(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, "close")
    if away:
        return away
    flow = flow_for(request, complaint, situation, "close")
    form = forms.CloseForm(flow.answers, initial=initial_values(complaint, on=clock.today()))
    remedies = Remedy.objects.filter(stage__complaint=complaint).select_related("stage").order_by("stage", "id")
    return flow.respond(
        form,
        lambda: actions.close(
            complaint, request.user, on=form.cleaned_data["on"], expected_version=form.cleaned_data["expected_version"]
        ),
        template=step_template("close"),
        context={
            "complaint": complaint,
            "remedies": remedies,
            "can_update_remedies": steps.REMEDY.permitted(situation),
        },
        done=complaint_url,
        message=lambda c: "Complaint closed. Outstanding actions carry on until they are done.",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def ombudsman_referral(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = begin_step(request, reference, "ombudsman-referral")
    if away:
        return away
    flow = flow_for(request, complaint, situation, "ombudsman-referral")
    form = forms.OmbudsmanReferralForm(flow.answers, initial=initial_values(complaint, on=clock.today()))
    return flow.respond(
        form,
        lambda: actions.record_ombudsman_referral(
            complaint,
            request.user,
            on=form.cleaned_data["on"],
            ombudsman_reference=form.cleaned_data["ombudsman_reference"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=step_template("ombudsman_referral"),
        context={"complaint": complaint},
        done=complaint_url,
        message=lambda c: "Ombudsman referral recorded",
    )
