"""A resident's needs, reached from one of their complaints (5.10): reasonable adjustments and
vulnerabilities recorded, changed, reviewed and ended, safeguarding concerns and their referral, and
the tasks adjustments set the complaint's stage.

Every page authorises before it reads: the complaint through the access layer (another landlord's
is a 404), then `access.require_needs_keeper` (a 403 naming who can) before any need is read. The
complaint page's panel comes from `needs_panel`.
"""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.http import Http404, HttpResponse
from django.views.decorators.http import require_http_methods

from putright import clock
from putright.access_log import AccessKind, record_access
from putright.complaints import access, actions
from putright.complaints.models import AdjustmentTask, Complaint
from putright.complaints.needs import Needs, needs_of
from putright.landlords.models import StaffMember
from putright.people.models import ReasonableAdjustment, SafeguardingConcern, Vulnerability
from putright.web.authorise import StaffRequest, complaint_for, staff_view
from putright.web.forms import submit
from putright.workspace import forms
from putright.workspace.forms.choices import staff_choices
from putright.workspace.views.common import complaint_url

TEMPLATE = "workspace/needs/form.html"
ANCHOR = "#needs"


def needs_panel(staff: StaffMember, complaint: Complaint) -> Needs:
    """The resident's needs for the complaint page's panel: two queries, whatever is recorded."""
    return needs_of(staff, complaint)


def _begin(request: StaffRequest, reference: str) -> Complaint:
    complaint = complaint_for(request, reference)
    access.require_needs_keeper(request.staff, complaint.landlord_id, complaint.person_id)
    return complaint


def _opened(request: StaffRequest, complaint: Complaint, kind: AccessKind, record_id: int) -> None:
    """A page that shows an existing need or concern puts its opening in the access log (when it is
    read: the form sent back changes it, and the Event records that)."""
    if request.method == "GET":
        record_access(request.user, complaint.landlord_id, kind, complaint.reference, request.path, object_id=record_id)


def _back(complaint: Complaint) -> Any:
    return lambda _: complaint_url(complaint) + ANCHOR


def _page(complaint: Complaint, heading: str, intro: str = "", submit_label: str = "Save", **more: Any) -> Any:
    return {"complaint": complaint, "heading": heading, "intro": intro, "submit_label": submit_label, **more}


def _adjustment(complaint: Complaint, adjustment_id: int) -> ReasonableAdjustment:
    found = ReasonableAdjustment.objects.filter(pk=adjustment_id, person_id=complaint.person_id).first()
    if found is None:
        raise Http404("No such adjustment")
    return found


def _vulnerability(complaint: Complaint, vulnerability_id: int) -> Vulnerability:
    found = Vulnerability.objects.filter(pk=vulnerability_id, person_id=complaint.person_id).first()
    if found is None:
        raise Http404("No such vulnerability")
    return found


def _colleagues(request: StaffRequest) -> tuple[list[tuple[str, str]], dict[str, User]]:
    users = list(
        User.objects.filter(staff__landlord_id=request.staff.landlord_id, is_active=True).order_by(
            "first_name", "last_name", "username"
        )
    )
    return staff_choices(users), {str(user.pk): user for user in users}


# -- adjustments ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view
def adjustment_new(request: StaffRequest, reference: str) -> HttpResponse:
    complaint = _begin(request, reference)
    form = forms.needs.AdjustmentForm(request.POST or None, initial={"agreed_on": clock.today()})
    return submit(
        request,
        form,
        lambda: actions.needs.record_adjustment(
            complaint.person,
            request.user,
            kind=form.cleaned_data["kind"],
            detail=form.cleaned_data["detail"],
            agreed_on=form.cleaned_data["agreed_on"],
            review_on=form.cleaned_data["review_on"],
        ),
        template=TEMPLATE,
        context=_page(
            complaint,
            "Record a reasonable adjustment",
            "An adjustment agreed with the resident so they can use the complaints process fairly (Code 5.10). "
            "It is recorded on every complaint of theirs in progress, and letters honour it.",
        ),
        done=_back(complaint),
        message=lambda a: f"Adjustment recorded: {a}",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def adjustment_change(request: StaffRequest, reference: str, adjustment_id: int) -> HttpResponse:
    complaint = _begin(request, reference)
    adjustment = _adjustment(complaint, adjustment_id)
    _opened(request, complaint, AccessKind.NEEDS, adjustment.pk)
    form = forms.needs.ChangeAdjustmentForm(
        request.POST or None,
        initial={"kind": adjustment.kind, "detail": adjustment.detail, "review_on": adjustment.review_on},
    )
    return submit(
        request,
        form,
        lambda: actions.needs.change_adjustment(
            adjustment,
            request.user,
            kind=form.cleaned_data["kind"],
            detail=form.cleaned_data["detail"],
            review_on=form.cleaned_data["review_on"],
            reviewed=form.cleaned_data["reviewed"],
        ),
        template=TEMPLATE,
        context=_page(complaint, f"Change or review an adjustment: {adjustment}", need=adjustment),
        done=_back(complaint),
        message=lambda a: f"Adjustment saved: {a}",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def adjustment_end(request: StaffRequest, reference: str, adjustment_id: int) -> HttpResponse:
    complaint = _begin(request, reference)
    adjustment = _adjustment(complaint, adjustment_id)
    _opened(request, complaint, AccessKind.NEEDS, adjustment.pk)
    form = forms.needs.EndNeedForm(request.POST or None, initial={"on": clock.today()})
    return submit(
        request,
        form,
        lambda: actions.needs.end_adjustment(
            adjustment,
            request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            on=form.cleaned_data["on"],
        ),
        template=TEMPLATE,
        context=_page(
            complaint,
            f"End an adjustment: {adjustment}",
            "It stays on the resident's record with the reason, and letters stop honouring it.",
            "End adjustment",
            need=adjustment,
        ),
        done=_back(complaint),
        message=lambda a: f"Adjustment ended: {a}",
    )


# -- vulnerabilities ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view
def vulnerability_new(request: StaffRequest, reference: str) -> HttpResponse:
    complaint = _begin(request, reference)
    today = clock.today()
    form = forms.needs.VulnerabilityForm(request.POST or None, initial={"disclosed_on": today, "consent_on": today})
    return submit(
        request,
        form,
        lambda: actions.needs.record_vulnerability(
            complaint.person,
            request.user,
            description=form.cleaned_data["description"],
            disclosed_on=form.cleaned_data["disclosed_on"],
            consent_given=form.cleaned_data["consent_given"],
            consent_from=form.cleaned_data["consent_from"],
            consent_how=form.cleaned_data["consent_how"],
            consent_on=form.cleaned_data["consent_on"],
            review_on=form.cleaned_data["review_on"],
        ),
        template=TEMPLATE,
        context=_page(
            complaint,
            "Record a vulnerability",
            "A disability or vulnerability the resident has told us about (Code 5.10). It can only be recorded "
            "with their consent. Only complaints officers, managers and the people working their complaints "
            "see what you write here; everyone else sees that a vulnerability is recorded.",
        ),
        done=_back(complaint),
        message=lambda v: "Vulnerability recorded",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def vulnerability_change(request: StaffRequest, reference: str, vulnerability_id: int) -> HttpResponse:
    complaint = _begin(request, reference)
    vulnerability = _vulnerability(complaint, vulnerability_id)
    _opened(request, complaint, AccessKind.VULNERABILITY, vulnerability.pk)
    form = forms.needs.ChangeVulnerabilityForm(
        request.POST or None,
        initial={"description": vulnerability.description, "review_on": vulnerability.review_on},
    )
    return submit(
        request,
        form,
        lambda: actions.needs.change_vulnerability(
            vulnerability,
            request.user,
            description=form.cleaned_data["description"],
            review_on=form.cleaned_data["review_on"],
            reviewed=form.cleaned_data["reviewed"],
        ),
        template=TEMPLATE,
        context=_page(complaint, "Change or review a vulnerability", need=vulnerability),
        done=_back(complaint),
        message=lambda v: "Vulnerability saved",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def vulnerability_end(request: StaffRequest, reference: str, vulnerability_id: int) -> HttpResponse:
    complaint = _begin(request, reference)
    vulnerability = _vulnerability(complaint, vulnerability_id)
    _opened(request, complaint, AccessKind.VULNERABILITY, vulnerability.pk)
    form = forms.needs.EndNeedForm(request.POST or None, initial={"on": clock.today()})
    return submit(
        request,
        form,
        lambda: actions.needs.end_vulnerability(
            vulnerability,
            request.user,
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
            on=form.cleaned_data["on"],
        ),
        template=TEMPLATE,
        context=_page(
            complaint,
            "End a vulnerability",
            "It stays on the resident's record with the reason.",
            "End vulnerability",
            need=vulnerability,
        ),
        done=_back(complaint),
        message=lambda v: "Vulnerability ended",
    )


# -- safeguarding ---------------------------------------------------------------------------------


def _referral(form: Any, people: dict[str, User]) -> actions.needs.Referral:
    data = form.cleaned_data
    return actions.needs.Referral(data["referred_to"], data["referred_on"], people.get(data["referred_by"] or ""))


@require_http_methods(["GET", "POST"])
@staff_view
def safeguarding_new(request: StaffRequest, reference: str) -> HttpResponse:
    complaint = _begin(request, reference)
    choices, people = _colleagues(request)
    form = forms.needs.SafeguardingForm(request.POST or None, colleagues=choices, initial={"seen_on": clock.today()})
    return submit(
        request,
        form,
        lambda: actions.needs.record_safeguarding(
            complaint.person,
            request.user,
            seen=form.cleaned_data["seen"],
            seen_on=form.cleaned_data["seen_on"],
            referral=_referral(form, people),
        ),
        template=TEMPLATE,
        context=_page(
            complaint,
            "Record a safeguarding concern",
            "What was seen or heard that suggests the resident, or someone in their home, may be at risk, and "
            "the referral made. Follow your landlord's safeguarding procedure. Only complaints officers, "
            "managers and the people working the resident's complaints see it.",
        ),
        done=_back(complaint),
        message=lambda c: "Safeguarding concern recorded",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def safeguarding_update(request: StaffRequest, reference: str, concern_id: int) -> HttpResponse:
    complaint = _begin(request, reference)
    concern = SafeguardingConcern.objects.filter(pk=concern_id, person_id=complaint.person_id).first()
    if concern is None:
        raise Http404("No such concern")
    _opened(request, complaint, AccessKind.SAFEGUARDING, concern.pk)
    choices, people = _colleagues(request)
    form = forms.needs.SafeguardingUpdateForm(
        request.POST or None,
        colleagues=choices,
        initial={
            "referred_to": concern.referred_to,
            "referred_on": concern.referred_on,
            "referred_by": str(concern.referred_by_id or ""),
            "outcome": concern.outcome,
            "outcome_on": concern.outcome_on,
        },
    )
    return submit(
        request,
        form,
        lambda: actions.needs.update_safeguarding(
            concern,
            request.user,
            referral=_referral(form, people),
            outcome=form.cleaned_data["outcome"],
            outcome_on=form.cleaned_data["outcome_on"],
        ),
        template=TEMPLATE,
        context=_page(
            complaint, "Record the referral or its outcome", f"Concern of {concern.seen_on:%-d %B %Y}: {concern.seen}"
        ),
        done=_back(complaint),
        message=lambda c: "Safeguarding concern updated",
    )


# -- the tasks adjustments set a stage ------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view
def phone_call(request: StaffRequest, reference: str, adjustment_id: int) -> HttpResponse:
    complaint = _begin(request, reference)
    adjustment = _adjustment(complaint, adjustment_id)
    _opened(request, complaint, AccessKind.NEEDS, adjustment.pk)
    form = forms.needs.DoneForm(request.POST or None, initial={"on": clock.today()})
    return submit(
        request,
        form,
        lambda: actions.needs.record_phone_call(
            complaint, request.user, adjustment, on=form.cleaned_data["on"], note=form.cleaned_data["note"]
        ),
        template=TEMPLATE,
        context=_page(
            complaint,
            "Record the phone call before letters",
            f"The resident asked for a phone call before we write ({adjustment.detail or 'Code 5.10'}). Record "
            f"the call made at stage {complaint.stage}.",
            "Record the call",
        ),
        done=_back(complaint),
        message=lambda t: "Phone call recorded",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def format_sent(request: StaffRequest, reference: str, task_id: int) -> HttpResponse:
    complaint = _begin(request, reference)
    task = AdjustmentTask.objects.filter(pk=task_id, stage__complaint=complaint).first()
    if task is None:
        raise Http404("No such item")
    form = forms.needs.DoneForm(request.POST or None, initial={"on": clock.today()})
    return submit(
        request,
        form,
        lambda: actions.needs.record_format_sent(
            task, request.user, on=form.cleaned_data["on"], note=form.cleaned_data["note"]
        ),
        template=TEMPLATE,
        context=_page(complaint, "Record a letter sent in another format", task.what, "Record as sent"),
        done=_back(complaint),
        message=lambda t: "Recorded as sent",
    )
