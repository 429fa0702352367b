"""Contact restrictions on a complaint's page (5.14, 5.15): the panel beside the resident's details,
and the pages to propose one, decide on it, review it and end it.

Every page fetches the complaint through the access layer and refuses a role that may not take the
step before it reads the restriction. A step that writes to the resident (approval, and an end the
resident is told of) shows the letter before it is sent (StepFlow).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.views.decorators.http import require_http_methods

from putright import clock
from putright.access_log import AccessKind, record_access
from putright.complaints import access, actions
from putright.complaints.models import Complaint, Stage
from putright.documents.models import Attachment
from putright.landlords.models import StaffMember
from putright.people.models import ContactRestriction
from putright.web.authorise import StaffRequest, complaint_for, staff_view
from putright.web.forms import submit
from putright.workspace import forms
from putright.workspace.views.common import complaint_url
from putright.workspace.views.steps.flow import StepFlow, already_sent

State = ContactRestriction.State
TEMPLATES = "workspace/restrictions/"


@dataclass(frozen=True)
class RestrictionPanel:
    """What the complaint page shows of the resident's contact restrictions."""

    current: list[ContactRestriction]  # proposed or in force
    past: list[ContactRestriction]  # refused or ended
    detail: bool  # may read the behaviour, evidence and considerations
    can_propose: bool
    can_decide: bool  # a complaints officer or manager (never on their own proposal)
    today: date

    @property
    def in_force(self) -> list[ContactRestriction]:
        return [r for r in self.current if r.state == State.IN_FORCE]


def sees_detail(staff: StaffMember, complaint: Complaint, stages: Sequence[Stage] = ()) -> bool:
    """The behaviour, evidence and Equality Act considerations are sensitive: complaints officers,
    managers and the people working this complaint read them; everyone else sees the restriction itself."""
    if staff.role in access.SUPERVISORS:
        return True
    return staff.user_id in {complaint.handler_id, *(stage.handler_id for stage in stages)}


def restriction_panel(staff: StaffMember, complaint: Complaint, stages: Sequence[Stage] = ()) -> RestrictionPanel:
    """The resident's restrictions for the complaint page, in one query."""
    found = list(
        ContactRestriction.objects.filter(person_id=complaint.person_id, landlord_id=complaint.landlord_id)
        .select_related("proposed_by", "decided_by", "ended_by")
        .order_by("-proposed_at", "-id")
    )
    current = [r for r in found if r.state in (State.PROPOSED, State.IN_FORCE)]
    return RestrictionPanel(
        current=current,
        past=[r for r in found if r not in current],
        detail=sees_detail(staff, complaint, stages),
        can_propose=access.can_propose_restriction(staff, complaint),
        can_decide=staff.role in access.SUPERVISORS,
        today=clock.today(),
    )


def _restriction(complaint: Complaint, restriction_id: int) -> ContactRestriction:
    restriction = (
        ContactRestriction.objects.filter(
            pk=restriction_id, person_id=complaint.person_id, landlord_id=complaint.landlord_id
        )
        .select_related("proposed_by", "decided_by", "person")
        .first()
    )
    if restriction is None:
        raise Http404("No such contact restriction")
    return restriction


def _url(complaint: Complaint, restriction: ContactRestriction, step: str) -> str:
    return reverse(f"workspace:complaint-restriction-{step}", args=[complaint.reference, restriction.pk])


def _back(complaint: Complaint) -> str:
    return complaint_url(complaint) + "#restrictions"


def _wrong_state(
    request: StaffRequest, complaint: Complaint, restriction: ContactRestriction, doing: str
) -> HttpResponse:
    messages.error(
        request, f"This contact restriction is {restriction.get_state_display().lower()}, so you cannot {doing} now."
    )
    return redirect(_back(complaint))


def _person_context(complaint: Complaint) -> dict[str, object]:
    person = complaint.person
    return {
        "complaint": complaint,
        "vulnerabilities": list(person.vulnerabilities.all()),
        "adjustments": list(person.adjustments.all()),
    }


@require_http_methods(["GET", "POST"])
@staff_view
def propose(request: StaffRequest, reference: str) -> HttpResponse:
    complaint = complaint_for(request, reference)
    access.require_restriction_step(request.staff, complaint, "propose a contact restriction", propose=True)
    documents = list(
        Attachment.objects.filter(complaint=complaint).order_by("uploaded_at", "id").values_list("pk", "name")
    )
    form = forms.ProposeRestrictionForm(request.POST or None, documents=documents)

    def commit() -> ContactRestriction:
        data = form.cleaned_data
        return actions.propose_restriction(
            complaint,
            request.user,
            actions.RestrictionInput(
                behaviour=data["behaviour"],
                evidence=data["evidence"],
                scope=data["scope"],
                equality_considerations=data["equality_considerations"],
                review_on=data["review_on"],
                channels=data["channels"],
                contact_point=data["contact_point"],
                contact_times=data["contact_times"],
                other_terms=data["other_terms"],
                evidence_documents=[int(pk) for pk in data.get("evidence_documents", [])],
            ),
        )

    return submit(
        request,
        form,
        commit,
        template=TEMPLATES + "propose.html",
        context=_person_context(complaint),
        done=lambda r: _back(complaint),
        message=lambda r: (
            "Contact restriction proposed. A complaints officer or manager must approve it before it applies."
        ),
    )


def _flow(
    request: StaffRequest,
    complaint: Complaint,
    restriction: ContactRestriction,
    step: str,
    letter_when: tuple[str, str],
) -> StepFlow:
    """The step's page, with the letter shown before it is sent when the answers mean one goes."""
    flow = StepFlow(
        request,
        complaint,
        f"restriction-{restriction.pk}-{step}",
        complaint.stage,
        url=_url(complaint, restriction, step),
    )
    answers = flow.answers
    name, value = letter_when
    flow.sends_letter = answers is not None and answers.get(name) == value
    return flow


def _begin(
    request: StaffRequest, reference: str, restriction_id: int, step: str, doing: str, state: str
) -> tuple[Complaint, ContactRestriction, HttpResponse | None]:
    complaint = complaint_for(request, reference)
    access.require_restriction_step(request.staff, complaint, doing)
    restriction = _restriction(complaint, restriction_id)
    if step == "decide":
        access.require_restriction_step(request.staff, complaint, doing, proposed_by_id=restriction.proposed_by_id)
    sent = already_sent(request, complaint.reference, f"restriction-{restriction.pk}-{step}")
    if sent:
        return complaint, restriction, sent
    if request.method == "GET" and restriction.state != state:
        return complaint, restriction, _wrong_state(request, complaint, restriction, doing)
    if request.method == "GET":  # the page shows the restriction's behaviour, evidence and considerations
        record_access(
            request.user,
            complaint.landlord_id,
            AccessKind.RESTRICTION,
            complaint.reference,
            request.path,
            object_id=restriction.pk,
        )
    return complaint, restriction, None


@require_http_methods(["GET", "POST"])
@staff_view
def decide(request: StaffRequest, reference: str, restriction_id: int) -> HttpResponse:
    doing = "decide on a contact restriction"
    complaint, restriction, away = _begin(request, reference, restriction_id, "decide", doing, State.PROPOSED)
    if away:
        return away
    flow = _flow(request, complaint, restriction, "decide", ("decision", "approve"))
    form = forms.DecideRestrictionForm(flow.answers, initial={"review_on": restriction.review_on})

    def commit() -> ContactRestriction:
        data = form.cleaned_data
        return actions.decide_restriction(
            restriction,
            complaint,
            request.user,
            approve=data["decision"] == "approve",
            reasons=data["reasons"],
            review_on=data.get("review_on"),
        )

    return flow.respond(
        form,
        commit,
        template=TEMPLATES + "decide.html",
        context={**_person_context(complaint), "restriction": restriction},
        done=lambda r: _back(complaint),
        message=lambda r: (
            "Contact restriction approved: it is in force and the resident has been written to"
            if r.state == State.IN_FORCE
            else "Contact restriction refused"
        ),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def review(request: StaffRequest, reference: str, restriction_id: int) -> HttpResponse:
    doing = "review a contact restriction"
    complaint, restriction, away = _begin(request, reference, restriction_id, "review", doing, State.IN_FORCE)
    if away:
        return away
    flow = _flow(request, complaint, restriction, "review", ("send_letter", "yes"))
    answers = flow.answers
    if answers is not None and answers.get("outcome") != "end":
        flow.sends_letter = False
    form = forms.ReviewRestrictionForm(answers)

    def commit() -> object:
        data = form.cleaned_data
        keep = data["outcome"] == "continue"
        return actions.review_restriction(
            restriction,
            complaint,
            request.user,
            notes=data["notes"],
            keep=keep,
            next_review_on=data.get("next_review_on") if keep else None,
            send_letter=not keep and data.get("send_letter") is True,
        )

    return flow.respond(
        form,
        commit,
        template=TEMPLATES + "review.html",
        context={**_person_context(complaint), "restriction": restriction},
        done=lambda r: _back(complaint),
        message=lambda r: (
            "Review recorded: the restriction stays in force"
            if r.outcome == "continue"
            else "Review recorded: the restriction has ended"
        ),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def end(request: StaffRequest, reference: str, restriction_id: int) -> HttpResponse:
    doing = "end a contact restriction"
    complaint, restriction, away = _begin(request, reference, restriction_id, "end", doing, State.IN_FORCE)
    if away:
        return away
    flow = _flow(request, complaint, restriction, "end", ("send_letter", "yes"))
    form = forms.EndRestrictionForm(flow.answers)

    def commit() -> ContactRestriction:
        data = form.cleaned_data
        return actions.end_restriction(
            restriction, complaint, request.user, reason=data["reason"], send_letter=data["send_letter"] is True
        )

    return flow.respond(
        form,
        commit,
        template=TEMPLATES + "end.html",
        context={**_person_context(complaint), "restriction": restriction},
        done=lambda r: _back(complaint),
        message=lambda r: "The contact restriction has ended",
    )
