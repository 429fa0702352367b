"""One page per step of the Code's process, each posting to one domain action.

Each view fetches the complaint through the access layer (404 for another landlord's), refuses a
role that may never take the step (403), and otherwise shows a GOV.UK form whose version field
makes a change from a stale page a clear conflict rather than an overwrite.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.views.decorators.http import require_http_methods

from putright import clock
from putright.complaints import actions, queries
from putright.complaints.access import Capability
from putright.complaints.errors import InvalidInput
from putright.complaints.models import Complaint, Remedy, Stage
from putright.complaints.policies import policy_for
from putright.rules.responses import required_elements
from putright.web.authorise import StaffRequest, complaint_for, staff_view
from putright.web.forms import only_errors_for, show, submit
from putright.workspace import forms, steps
from putright.workspace.presenters import response_checklist
from putright.workspace.views.common import complaint_url


def _begin(request: StaffRequest, reference: str, slug: str) -> tuple[Complaint, steps.Situation, HttpResponse | None]:
    """The complaint and the user's situation on it, refusing a role that may never take this step.

    Opening a step the complaint's state does not allow now goes back to the complaint with the
    reason; posting one anyway reaches the action, which refuses it with its own message.
    """
    complaint = complaint_for(request, reference)
    situation = steps.situation(request.staff, complaint)
    step = steps.STEPS[slug]
    step.require(situation)
    if request.method == "GET" and not step.applies(situation):
        messages.error(
            request,
            f"You cannot {step.label.lower()} {complaint.reference} now: it is "
            f"{complaint.get_status_display().lower()}.",
        )
        return complaint, situation, redirect(complaint_url(complaint))
    return complaint, situation, None


def _initial(complaint: Complaint, **values: Any) -> dict[str, Any]:
    return {"expected_version": complaint.version, **values}


def _page(name: str) -> str:
    return f"workspace/steps/{name}.html"


@require_http_methods(["GET", "POST"])
@staff_view
def acknowledge(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = _begin(request, reference, "acknowledge")
    if away:
        return away
    stage = situation.current
    today = clock.today()
    sought = complaint.outcome_sought if stage.number == 1 else situation.stages[1].outcomes_sought
    form = forms.AcknowledgeForm(
        request.POST or None,
        # Stage 2 starts from what the resident wanted at stage 1; the reviewer can change it.
        initial=_initial(complaint, on=today, outcomes_sought=sought),
        declare=stage.handler_id is None,
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
            expected_version=data["expected_version"],
        )

    return submit(
        request,
        form,
        commit,
        template=_page("acknowledge"),
        context={"complaint": complaint, "stage": stage},
        done=complaint_url,
        message=lambda c: f"Stage {stage.number} acknowledged. The response is due by {c.next_due:%-d %B %Y}.",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def extend(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = _begin(request, reference, "extend")
    if away:
        return away
    stage = situation.current
    policy = policy_for(complaint)
    form = forms.ExtendForm(request.POST or None, initial=_initial(complaint, resident_told_on=clock.today()))
    preview = None

    def context(preview: queries.ExtensionPreview | None) -> dict[str, Any]:
        return {
            "complaint": complaint,
            "stage": stage,
            "preview": preview,
            "policy": policy,
            "cap": policy.stage(stage.number).extension_cap_days,
        }

    if request.method == "POST":
        form.is_valid()
        if "days" in form.cleaned_data:
            preview = queries.extension_preview(complaint, stage, form.cleaned_data["days"])
        if "preview" in request.POST:
            only_errors_for(form, ("days",))
            return show(request, form, template=_page("extend"), context=context(preview))

    def commit() -> Any:
        data = form.cleaned_data
        return actions.extend(
            complaint,
            request.user,
            days=data["days"],
            reason=data["reason"],
            good_reason=data["good_reason"],
            resident_told_on=data["resident_told_on"],
            ombudsman_details_given=data["ombudsman_details_given"],
            expected_version=data["expected_version"],
        )

    return submit(
        request,
        form,
        commit,
        template=_page("extend"),
        context=context(preview),
        done=lambda _: complaint_url(complaint),
        message=lambda extension: (
            f"Stage {stage.number} extended. The response is now due by {extension.new_due:%-d %B %Y}."
        ),
    )


def _rows(request: StaffRequest, name: str, default: int, more: str) -> int:
    try:
        rows = int(request.POST.get(name, default))
    except ValueError:
        rows = default
    return rows + (1 if request.POST.get("more") == more else 0)


@require_http_methods(["GET", "POST"])
@staff_view
def respond(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = _begin(request, reference, "respond")
    if away:
        return away
    stage = Stage.objects.prefetch_related("points", "remedies").get(pk=situation.current.pk)
    points = list(stage.points.all())
    existing = list(stage.remedies.all())
    form = forms.RespondForm(
        request.POST or None,
        initial=_initial(complaint, on=clock.today()),
        points=points,
        owners=queries.colleagues(request.user),
        remedies=_rows(request, "remedy_rows", 1, "remedy"),
        outstanding=_rows(request, "action_rows", 1, "action"),
    )
    context = {
        "complaint": complaint,
        "stage": stage,
        "existing_remedies": existing,
        "checklist": response_checklist(stage, points, existing, request.POST if request.method == "POST" else None),
        "elements": required_elements(stage.number),
    }
    if request.method == "POST" and request.POST.get("more"):
        form.is_valid()
        only_errors_for(form, ())
        return show(request, form, template=_page("respond"), context=context)

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

    return submit(
        request,
        form,
        commit,
        template=_page("respond"),
        context=context,
        done=complaint_url,
        message=lambda c: f"Stage {stage.number} response recorded",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def escalate(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = _begin(request, reference, "escalate")
    if away:
        return away
    stage1 = situation.stages[1]
    reviewers = (
        queries.colleagues_who_can_handle(complaint, 2, stage1.handler_id) if situation.can(Capability.ASSIGN) else []
    )
    form = forms.EscalateForm(
        request.POST or None,
        initial=_initial(complaint, requested_on=clock.today()),
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

    return submit(
        request,
        form,
        commit,
        template=_page("escalate"),
        context={"complaint": complaint, "stage1": stage1},
        done=complaint_url,
        message=lambda c: f"Escalated to stage 2. The acknowledgement is due by {c.next_due:%-d %B %Y}.",
    )


def _refusal(request: StaffRequest, reference: str, slug: str) -> HttpResponse:
    complaint, situation, away = _begin(request, reference, slug)
    if away:
        return away
    policy = policy_for(complaint)
    form = forms.RefusalForm(
        request.POST or None, initial=_initial(complaint, on=clock.today()), grounds=policy.exclusions
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
            expected_version=data["expected_version"],
        )

    return submit(
        request,
        form,
        commit,
        template=_page("refuse"),
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
    complaint, _, away = _begin(request, reference, "withdraw")
    if away:
        return away
    form = forms.WithdrawForm(request.POST or None, initial=_initial(complaint, on=clock.today()))
    return submit(
        request,
        form,
        lambda: actions.withdraw(
            complaint,
            request.user,
            how=form.cleaned_data["how"],
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=_page("withdraw"),
        context={"complaint": complaint},
        done=complaint_url,
        message=lambda c: "Complaint withdrawn",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def close(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = _begin(request, reference, "close")
    if away:
        return away
    form = forms.CloseForm(request.POST or None, initial=_initial(complaint, on=clock.today()))
    remedies = Remedy.objects.filter(stage__complaint=complaint).select_related("stage").order_by("stage", "id")
    return submit(
        request,
        form,
        lambda: actions.close(
            complaint, request.user, on=form.cleaned_data["on"], expected_version=form.cleaned_data["expected_version"]
        ),
        template=_page("close"),
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
def learning(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, _, away = _begin(request, reference, "learning")
    if away:
        return away
    form = forms.LearningForm(
        request.POST or None,
        initial=_initial(
            complaint,
            on=clock.today(),
            learning_outcome=complaint.learning_outcome,
            root_cause=complaint.root_cause,
        ),
    )
    return submit(
        request,
        form,
        lambda: actions.record_learning(
            complaint,
            request.user,
            learning_outcome=form.cleaned_data["learning_outcome"],
            root_cause=form.cleaned_data["root_cause"],
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=_page("learning"),
        context={"complaint": complaint},
        done=complaint_url,
        message=lambda c: "Learning recorded",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def add_issue(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, _, away = _begin(request, reference, "add-issue")
    if away:
        return away
    form = forms.AddIssueForm(request.POST or None, initial=_initial(complaint, on=clock.today()))
    return submit(
        request,
        form,
        lambda: actions.add_issue(
            complaint,
            request.user,
            description=form.cleaned_data["description"],
            related=form.cleaned_data["related"],
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=_page("add_issue"),
        context={"complaint": complaint},
        done=complaint_url,
        message=lambda c: (
            "Issue added to this complaint"
            if c.pk == complaint.pk
            else f"Logged as a new complaint, {c.reference}, linked to {complaint.reference}"
        ),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def assign(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = _begin(request, reference, "assign")
    if away:
        return away
    handlers = queries.colleagues_who_can_handle(complaint, complaint.stage, situation.stage1_handler_id)
    current = situation.current.handler_id
    form = forms.AssignForm(
        request.POST or None,
        initial=_initial(complaint, handler=str(current) if current else ""),
        handlers=handlers,
    )
    return submit(
        request,
        form,
        lambda: actions.assign_handler(
            complaint,
            request.user,
            handler=form.chosen(),
            conflict_of_interest=not form.cleaned_data["no_conflict"],
            note=form.cleaned_data["note"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=_page("assign"),
        context={"complaint": complaint, "stage": situation.current},
        done=complaint_url,
        message=lambda c: f"Stage {c.stage} assigned to {form.chosen().get_full_name() or form.chosen().username}",
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
    form = forms.RemedyForm(request.POST or None, initial=_initial(complaint, on=clock.today()), remedy=found)
    return submit(
        request,
        form,
        lambda: actions.update_remedy(
            found,
            request.user,
            state=form.cleaned_data["state"],
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=_page("remedy"),
        context={"complaint": complaint, "remedy": found},
        done=lambda _: complaint_url(complaint),
        message=lambda r: f"Remedy recorded as {r.get_state_display().lower()}",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def clarification(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, _, away = _begin(request, reference, "clarification")
    if away:
        return away
    form = forms.ClarificationForm(request.POST or None, initial=_initial(complaint, on=clock.today()))
    return submit(
        request,
        form,
        lambda: actions.request_clarification(
            complaint,
            request.user,
            on=form.cleaned_data["on"],
            question=form.cleaned_data["question"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=_page("clarification"),
        context={"complaint": complaint},
        done=complaint_url,
        message=lambda c: "Request for clarification recorded",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def update_interval(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, _, away = _begin(request, reference, "update-interval")
    if away:
        return away
    form = forms.UpdateIntervalForm(request.POST or None, initial=_initial(complaint, agreed_on=clock.today()))
    return submit(
        request,
        form,
        lambda: actions.agree_update_interval(
            complaint,
            request.user,
            every_days=form.cleaned_data["every_days"],
            agreed_on=form.cleaned_data["agreed_on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=_page("update_interval"),
        context={"complaint": complaint},
        done=complaint_url,
        message=lambda c: "Update interval agreed",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def send_update(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, situation, away = _begin(request, reference, "send-update")
    if away:
        return away
    form = forms.SendUpdateForm(request.POST or None, initial=_initial(complaint, on=clock.today()))
    return submit(
        request,
        form,
        lambda: actions.send_update(
            complaint,
            request.user,
            on=form.cleaned_data["on"],
            update=form.cleaned_data["update"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=_page("send_update"),
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
def offer_remedy(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, _, away = _begin(request, reference, "offer-remedy")
    if away:
        return away
    form = forms.OfferRemedyForm(request.POST or None, initial=_initial(complaint))
    return submit(
        request,
        form,
        lambda: actions.add_remedy(
            complaint, request.user, form.remedy(), expected_version=form.cleaned_data["expected_version"]
        ),
        template=_page("offer_remedy"),
        context={"complaint": complaint},
        done=lambda _: complaint_url(complaint),
        message=lambda r: f"Remedy offered: {r.get_kind_display().lower()}",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def ombudsman_referral(request: StaffRequest, reference: str) -> HttpResponse:
    complaint, _, away = _begin(request, reference, "ombudsman-referral")
    if away:
        return away
    form = forms.OmbudsmanReferralForm(request.POST or None, initial=_initial(complaint, on=clock.today()))
    return submit(
        request,
        form,
        lambda: actions.record_ombudsman_referral(
            complaint,
            request.user,
            on=form.cleaned_data["on"],
            ombudsman_reference=form.cleaned_data["ombudsman_reference"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=_page("ombudsman_referral"),
        context={"complaint": complaint},
        done=complaint_url,
        message=lambda c: "Ombudsman referral recorded",
    )
