"""Logging a complaint from any channel, and service requests (1.4, 1.5, 2.1 to 2.5, 3.1, 3.2)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.models import User
from django.db import transaction
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from putright import clock
from putright.complaints import access, actions, queries
from putright.complaints.access import Capability
from putright.complaints.errors import ComplaintError, InvalidInput, NotPermitted
from putright.complaints.models import (
    Channel,
    Complaint,
    Complexity,
    Priority,
    RiskFactor,
    ServiceArea,
    ServiceRequest,
    Tenure,
)
from putright.correspondence.access import on_readable_complaint
from putright.correspondence.models import InboundMessage
from putright.landlords.calendars import policy_in_force
from putright.people.models import ContactMethod, ContactRestriction
from putright.web.authorise import StaffRequest, staff_view
from putright.web.forms import submit
from putright.web.paging import PAGE_SIZE, page_number
from putright.workspace.forms import (
    CompleteServiceRequestForm,
    LogComplaintForm,
    RaiseComplaintForm,
    ServiceRequestForm,
)
from putright.workspace.forms.choices import staff_choices
from putright.workspace.views.common import complaint_url

# Posted fields that are not answers, left out when the answers are carried through the check page.
NOT_ANSWERS = {"csrfmiddlewaretoken", "step", "confirmed_new", "confirmed_unreachable"}


def _from_email(request: StaffRequest) -> dict[str, object]:
    """What an email triaged from the intake queue says, to start the form from (?from_email=<id>).

    Only this landlord's email the user may read: another's, one on a complaint they may not read, or
    an id that is not a number, starts an empty form.
    """
    raw = request.GET.get("from_email", "")
    readable = on_readable_complaint(request.staff)
    message = (
        InboundMessage.objects.filter(readable, pk=int(raw), landlord=request.staff.landlord).first()
        if raw.isdigit() and len(raw) <= 18
        else None
    )
    if message is None:
        return {}
    return {
        "resident_name": message.from_name or message.from_address,
        "resident_email": message.from_address,
        "channel": Channel.EMAIL,
        "received_on": timezone.localdate(message.received_at),
        "description": message.text[:20_000],
    }


@require_http_methods(["GET", "POST"])
@staff_view
def log_complaint(request: StaffRequest) -> HttpResponse:
    """The intake form, then a page to check the answers (with the acceptance window and any open
    complaint by the same resident), then one action that logs it: the GOV.UK check-answers pattern."""
    staff = request.staff
    access.require_at(staff, Capability.LOG, staff.landlord)
    today = clock.today()
    policy = policy_in_force(staff.landlord, today)
    colleagues = _colleagues(staff.landlord_id)
    form = LogComplaintForm(
        request.POST or None,
        initial={"received_on": today, "outcome": "accept"} | _from_email(request),
        can_decide=access.can(staff, Capability.DECIDE),
        grounds=policy.exclusions,
        colleagues=staff_choices(list(colleagues.values())),
    )
    step = request.POST.get("step", "")
    context = {"policy": policy}
    if request.method == "POST" and step != "change" and form.is_valid():
        data = form.cleaned_data
        acceptance = None
        if data["issue_date"] and data["issue_date"] <= data["received_on"]:
            acceptance = queries.acceptance_preview(staff.landlord, data["issue_date"], data["received_on"])
        similar = queries.similar_open_complaints(
            request.user,
            name=data["resident_name"],
            email=data["resident_email"],
            phone=data["resident_phone"],
            tenancy_reference=data["tenancy_reference"],
        )
        # 6.1: what the record suggests, for staff to confirm or change before logging.
        suggestions = actions.suggest(
            None,
            service_area=data["service_area"],
            description=data["description"],
            received_on=data["received_on"],
            earlier=similar,
        )
        confirmed = request.POST.get("confirmed_new") == "yes"
        unreachable_confirmed = request.POST.get("confirmed_unreachable") == "yes"
        errors: list[tuple[str, str]] = []
        if step == "log" and similar and not confirmed:
            errors = [("#confirmed_new", "Confirm this is a new complaint, not one of the open complaints listed")]
        if step == "log" and form.unreachable and not unreachable_confirmed:
            errors.append(
                (
                    "#confirmed_unreachable",
                    "Confirm you know no letters can be sent: there is no email address or postal address",
                )
            )
        if step == "log" and not errors:
            try:
                complaint = _log(request, form, colleagues.get(form.cleaned_data["about_staff"] or ""))
            except NotPermitted:
                raise
            except InvalidInput as refusal:
                form.add_domain_errors(refusal.errors)
            except ComplaintError as refusal:
                form.add_error(None, refusal.message)
            else:
                if not access.can_read(staff, complaint):
                    # About a member of staff: confidential, and not yet anyone's to work on.
                    messages.success(
                        request,
                        f"Complaint {complaint.reference} logged. It is about a member of staff, so it is "
                        "confidential: a complaints officer or a manager will give it to someone to handle.",
                    )
                    return redirect("workspace:my-work")
                messages.success(request, f"Complaint {complaint.reference} logged")
                return redirect(complaint_url(complaint))
        if not form.errors:
            answers = [
                (name, value) for name, values in request.POST.lists() if name not in NOT_ANSWERS for value in values
            ]
            return render(
                request,
                "workspace/log_check.html",
                {
                    **context,
                    "form": form,
                    "data": data,
                    "answers": answers,
                    "acceptance": acceptance,
                    "similar": similar,
                    # A restriction on the matched resident's contact (5.14): shown, never blocking.
                    "restrictions": ContactRestriction.objects.in_force().filter(
                        person_id__in={c.person_id for c in similar}
                    ),
                    "errors": errors,
                    "similar_error": dict(errors).get("#confirmed_new", ""),
                    "unreachable_error": dict(errors).get("#confirmed_unreachable", ""),
                    "confirmed": confirmed,
                    "unreachable": form.unreachable,
                    "unreachable_confirmed": unreachable_confirmed,
                    "suggestions": suggestions,
                    "not_selected": [s for s in suggestions if s.factor not in data["risk_factors"]],
                    "labels": {
                        "channel": Channel(data["channel"]).label,
                        "service_area": ServiceArea(data["service_area"]).label if data["service_area"] else "",
                        "preferred_contact": ContactMethod(data["preferred_contact"]).label
                        if data["preferred_contact"]
                        else "No way of contact given",
                        "priority": Priority(data["priority"]).label
                        if data["priority"] not in (None, "")
                        else "Not chosen: Putright will take what the record suggests",
                        "complexity": Complexity(data["complexity"] or Complexity.SIMPLE).label,
                        "risk_factors": ", ".join(RiskFactor(f).label for f in data["risk_factors"]) or "None",
                        "tenure": Tenure(data["tenure"]).label,
                        "ground": policy.exclusion_label(data.get("ground") or "") or "",
                        "about_staff": _name(colleagues.get(data["about_staff"] or "")),
                    },
                },
            )
    errors = form.error_links() if step != "change" else []
    return render(request, "workspace/log_complaint.html", {**context, "form": form, "errors": errors})


def _colleagues(landlord_id: int) -> dict[str, User]:
    """The landlord's staff a complaint may be about, by the value the form sends."""
    users = User.objects.filter(staff__landlord_id=landlord_id, is_active=True).order_by(
        "first_name", "last_name", "username"
    )
    return {str(user.pk): user for user in users}


def _name(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _log(request: StaffRequest, form: LogComplaintForm, about_staff: User | None = None) -> Complaint:
    data = form.cleaned_data
    # One transaction: a complaint refused at intake is logged and not accepted, or not at all.
    with transaction.atomic():
        complaint = actions.log_complaint(
            request.staff.landlord,
            request.user,
            resident=form.resident(),
            channel=data["channel"],
            received_on=data["received_on"],
            description=data["description"],
            outcome_sought=data["outcome_sought"],
            service_area=data["service_area"],
            issue_date=data["issue_date"],
            discretion_note=data["discretion_note"],
            representative=form.representative(),
            tenure=data["tenure"],
            triage=form.triage(data["priority_reason"]),
            about_staff=about_staff,
        )
        if form.not_accepted:
            complaint = actions.not_accept(
                complaint,
                request.user,
                ground=data["ground"],
                explanation=data["explanation"],
                ombudsman_rights_given=data["ombudsman_rights_given"],
                on=clock.today(),
                review_note=data["review_note"],
            )
    return complaint


@require_GET
@staff_view
def service_request_list(request: StaffRequest) -> HttpResponse:
    open_only = request.GET.get("show") != "all"
    page = page_number(request)
    found = queries.service_requests(
        request.user, open_only=open_only, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE + 1
    )
    return render(
        request,
        "workspace/service_requests.html",
        {
            "requests": found[:PAGE_SIZE],
            "open_only": open_only,
            "page": page,
            "more": len(found) > PAGE_SIZE,
            "can_log": access.can(request.staff, Capability.LOG),
            "several_landlords": len(access.reading_places(request.user)) > 1,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view
def service_request_log(request: StaffRequest) -> HttpResponse:
    staff = request.staff
    access.require_at(staff, Capability.LOG, staff.landlord)
    form = ServiceRequestForm(
        request.POST or None,
        initial={"received_on": clock.today()} | _from_email(request),
    )

    def commit() -> ServiceRequest:
        data = form.cleaned_data
        return actions.log_service_request(
            staff.landlord,
            request.user,
            resident=form.resident(),
            service_area=data["service_area"],
            description=data["description"],
            received_on=data["received_on"],
        )

    return submit(
        request,
        form,
        commit,
        template="workspace/service_request_log.html",
        context={},
        done=lambda _: reverse("workspace:service-requests"),
        message=lambda sr: f"Service request {sr.reference} logged",
    )


def _service_request(request: StaffRequest, reference: str) -> ServiceRequest:
    try:
        return (
            access.service_requests_visible_to(request.user)
            .select_related("person", "landlord")
            .get(reference=reference.strip().upper())
        )
    except ServiceRequest.DoesNotExist:
        raise Http404("No such service request") from None


@require_http_methods(["GET", "POST"])
@staff_view
def service_request_raise(request: StaffRequest, reference: str) -> HttpResponse:
    service_request = _service_request(request, reference)
    access.require_at(request.staff, Capability.LOG, service_request.landlord)
    form = RaiseComplaintForm(request.POST or None, initial={"received_on": clock.today()})

    def commit() -> Complaint:
        data = form.cleaned_data
        return actions.raise_from_service_request(
            service_request,
            request.user,
            received_on=data["received_on"],
            description=data["description"],
            channel=data["channel"],
            outcome_sought=data["outcome_sought"],
        )

    return submit(
        request,
        form,
        commit,
        template="workspace/service_request_raise.html",
        context={"service_request": service_request},
        done=complaint_url,
        message=lambda c: (
            f"Complaint {c.reference} raised from service request {service_request.reference}, which stays open"
        ),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def service_request_complete(request: StaffRequest, reference: str) -> HttpResponse:
    service_request = _service_request(request, reference)
    access.require_at(request.staff, Capability.LOG, service_request.landlord)
    form = CompleteServiceRequestForm(request.POST or None, initial={"completed_on": clock.today()})
    return submit(
        request,
        form,
        lambda: actions.complete_service_request(service_request, request.user, on=form.cleaned_data["completed_on"]),
        template="workspace/service_request_complete.html",
        context={"service_request": service_request},
        done=lambda _: reverse("workspace:service-requests"),
        message=lambda sr: f"Service request {sr.reference} completed",
    )
