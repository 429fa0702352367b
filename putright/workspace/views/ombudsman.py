"""Ombudsman casework pages: the list of cases, a complaint's cases, one case, and a page for each
thing recorded on it (putright.ombudsman.actions).

Every reader of the landlord's complaints reads its cases; complaints officers and managers act on
them, and the owner of an order records its progress (putright.ombudsman.access). Another
landlord's case or complaint is a 404, as if it did not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from putright import clock
from putright.bundles import actions as bundle_actions
from putright.complaints import actions as complaint_actions
from putright.complaints import queries as complaint_queries
from putright.complaints.errors import TransitionNotAllowed
from putright.documents.models import Attachment
from putright.ombudsman import access, actions, queries
from putright.ombudsman.models import CaseStage, EvidenceBundle, EvidenceRequest, OmbudsmanCase, Order
from putright.web.authorise import StaffRequest, acting_for_record, complaint_for, staff_view
from putright.web.forms import GovForm, submit
from putright.workspace.forms import ombudsman as forms
from putright.workspace.views.common import complaint_url

FORM = "workspace/ombudsman/form.html"


def case_url(case: OmbudsmanCase) -> str:
    return reverse("workspace:ombudsman-case", kwargs={"case_id": case.pk})


def _case(request: StaffRequest, case_id: int, *, work: bool = False) -> OmbudsmanCase:
    """The case, read through the access layer (404 for another landlord's); with `work`, refused
    (403) unless the user's role works Ombudsman cases."""
    try:
        case = access.cases_visible_to(request.user).select_related("complaint").get(pk=case_id)
    except OmbudsmanCase.DoesNotExist:
        raise Http404("No such Ombudsman case") from None
    acting_for_record(request, case.landlord_id)
    if work:
        access.require_work(request.staff, case.landlord_id)
    return case


def _form_page(
    request: StaffRequest,
    form: GovForm,
    commit: Callable[[], Any],
    *,
    case: OmbudsmanCase | None,
    heading: str,
    submit_label: str,
    message: Callable[[Any], str],
    back: str,
    done: Callable[[Any], str] | None = None,
    **context: Any,
) -> HttpResponse:
    return submit(
        request,
        form,
        commit,
        template=FORM,
        context={"case": case, "heading": heading, "submit_label": submit_label, "back": back, **context},
        done=done or (lambda _: case_url(case) if case else back),
        message=message,
    )


def _documents(case: OmbudsmanCase) -> list[Attachment]:
    return list(Attachment.objects.filter(complaint_id=case.complaint_id).order_by("uploaded_at", "id"))


def _version(case: OmbudsmanCase) -> dict[str, Any]:
    return {"expected_version": case.version}


def _back_to_case(request: StaffRequest, case: OmbudsmanCase, message: str) -> HttpResponse:
    """A step already done (or not yet possible) opened from an old link: say so, back to the case."""
    messages.info(request, message)
    return redirect(case_url(case))


# -- reading ----------------------------------------------------------------------------------------


@require_GET
@staff_view
def case_list(request: StaffRequest) -> HttpResponse:
    staff = request.staff
    stage = request.GET.get("stage", "")
    stage = stage if stage in CaseStage.values else ""
    today = clock.today()
    return render(
        request,
        "workspace/ombudsman/list.html",
        {
            "cases": queries.case_list(request.user, today=today, stage=stage),
            "stages": CaseStage.choices,
            "stage": stage,
            "can_work": access.can_work(staff),
            "limit": queries.LIST_LIMIT,
        },
    )


@require_GET
@staff_view
def complaint_cases(request: StaffRequest, reference: str) -> HttpResponse:
    complaint = complaint_for(request, reference)
    cases = list(queries.cases_on(complaint.pk))
    return render(
        request,
        "workspace/ombudsman/complaint.html",
        {
            "complaint": complaint,
            "cases": cases,
            "can_open": access.can_work(request.staff, complaint.landlord_id) and not any(c.is_open for c in cases),
        },
    )


@require_GET
@staff_view
def case_page(request: StaffRequest, case_id: int) -> HttpResponse:
    try:
        case = queries.case_record(request.user, case_id)
    except OmbudsmanCase.DoesNotExist:
        raise Http404("No such Ombudsman case") from None
    staff = acting_for_record(request, case.landlord_id)
    today = clock.today()
    orders = list(case.orders.all())
    return render(
        request,
        "workspace/ombudsman/case.html",
        {
            "case": case,
            "complaint": case.complaint,
            "requests": list(case.evidence_requests.all()),
            "determinations": list(case.determinations.all()),
            "orders": [
                (order, order.overdue_on(today), access.can_update_order(staff, order, case.landlord_id))
                for order in orders
            ],
            "can_work": access.can_work(staff, case.landlord_id),
            "can_download": access.can_download_bundle(staff, case.landlord_id),
            "bundles": list(case.bundles.order_by("-version")),
            "today": today,
        },
    )


# -- opening a case --------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view
def case_open(request: StaffRequest, reference: str) -> HttpResponse:
    complaint = complaint_for(request, reference)
    access.require_work(request.staff, complaint.landlord_id)
    form = forms.OpenCaseForm(request.POST or None, initial={"reference": complaint.ombudsman_reference})
    return _form_page(
        request,
        form,
        lambda: actions.open_case(
            complaint,
            request.user,
            reference=form.cleaned_data["reference"],
            enquiry_received_on=form.cleaned_data["enquiry_received_on"],
            referred_on=form.cleaned_data["referred_on"],
        ),
        case=None,
        heading="Open an Ombudsman case",
        caption=complaint.reference,
        intro="Record the Housing Ombudsman's enquiry about this complaint. You then record its requests for "
        "evidence, its determination and any orders on the case.",
        submit_label="Open the case",
        back=complaint_url(complaint),
        done=case_url,
        message=lambda case: f"Ombudsman case {case.reference} opened",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def enquiry(request: StaffRequest) -> HttpResponse:
    staff = request.staff
    access.require_work(staff, staff.landlord_id)
    form = forms.EnquiryForm(request.POST or None)

    def commit() -> OmbudsmanCase:
        data = form.cleaned_data
        return actions.log_enquiry(
            staff.landlord,
            request.user,
            resident=complaint_actions.ResidentDetails(
                name=data["resident_name"],
                email=data["resident_email"],
                phone=data["resident_phone"],
                address=data["resident_address"],
            ),
            description=data["description"],
            outcome_sought=data["outcome_sought"],
            service_area=data["service_area"],
            reference=data["reference"],
            enquiry_received_on=data["enquiry_received_on"],
        )

    return _form_page(
        request,
        form,
        commit,
        case=None,
        heading="Log an enquiry about a complaint you have not handled",
        intro="When the Ombudsman asks about a complaint that has not been through your process, it is logged "
        "as a complaint received via the Housing Ombudsman, which starts your process, and the case is opened "
        "on it.",
        submit_label="Log the complaint and open the case",
        back=reverse("workspace:ombudsman-cases"),
        done=case_url,
        message=lambda case: f"Complaint {case.complaint.reference} logged and Ombudsman case {case.reference} opened",
    )


# -- the case --------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view
def case_change(request: StaffRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, work=True)
    form = forms.ChangeCaseForm(
        request.POST or None,
        initial={**_version(case), "reference": case.reference, "referred_on": case.referred_on},
    )
    return _form_page(
        request,
        form,
        lambda: actions.change_case(
            case,
            request.user,
            reference=form.cleaned_data["reference"],
            referred_on=form.cleaned_data["referred_on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        case=case,
        heading="Change the case's reference or referral date",
        submit_label="Save the changes",
        back=case_url(case),
        message=lambda _: "Case details saved",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def case_move(request: StaffRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, work=True)
    form = forms.MoveCaseForm(
        request.POST or None, initial={**_version(case), "on": clock.today()}, stages=case.allowed_stages
    )
    return _form_page(
        request,
        form,
        lambda: actions.move_case(
            case,
            request.user,
            to=form.cleaned_data["to"],
            on=form.cleaned_data["on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        case=case,
        heading="Change where the case is",
        intro=f"It is at {case.get_stage_display().lower()}. A case closes once the Ombudsman has confirmed "
        "compliance with every order.",
        submit_label="Save",
        back=case_url(case),
        message=lambda moved: f"The case is now at {moved.get_stage_display().lower()}",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def evidence_new(request: StaffRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, work=True)
    due = actions.evidence_due(case.complaint, clock.today())
    form = forms.EvidenceRequestForm(request.POST or None, initial={**_version(case), "requested_on": clock.today()})
    return _form_page(
        request,
        form,
        lambda: actions.request_evidence(
            case,
            request.user,
            what=form.cleaned_data["what"],
            requested_on=form.cleaned_data["requested_on"],
            ombudsman_due_on=form.cleaned_data["ombudsman_due_on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        case=case,
        heading="Record a request for evidence",
        intro="Your complaints policy gives the time to send the Ombudsman its evidence in working days: asked "
        f"today, it would be due by {due:%-d %B %Y}. If the Ombudsman gives a date, that is the one to meet.",
        submit_label="Save the request",
        back=case_url(case),
        message=lambda r: f"Request recorded: the evidence is due by {r.due_on:%-d %B %Y} ({r.due_from})",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def evidence_sent(request: StaffRequest, case_id: int, request_id: int) -> HttpResponse:
    case = _case(request, case_id, work=True)
    asked = EvidenceRequest.objects.filter(case=case, pk=request_id).first()
    if asked is None:
        raise Http404("No such request")
    asked.case = case
    if request.method == "GET" and asked.sent_on is not None:
        return _back_to_case(
            request, case, f"The evidence asked for on {asked.requested_on:%-d %B %Y} was already sent."
        )
    form = forms.EvidenceSentForm(
        request.POST or None,
        initial={**_version(case), "sent_on": clock.today()},
        documents=_documents(case),
        bundle_versions=list(
            case.bundles.filter(state=EvidenceBundle.State.READY).order_by("-version").values_list("version", flat=True)
        ),
    )
    return _form_page(
        request,
        form,
        lambda: actions.record_evidence_sent(
            asked,
            request.user,
            sent_on=form.cleaned_data["sent_on"],
            response=form.cleaned_data["response"],
            documents=[int(pk) for pk in form.cleaned_data.get("documents", [])],
            bundle_version=form.cleaned_data.get("bundle_version"),
            expected_version=form.cleaned_data["expected_version"],
        ),
        case=case,
        heading="Record the evidence sent",
        intro=f"Asked for on {asked.requested_on:%-d %B %Y}: {asked.what}",
        submit_label="Save",
        back=case_url(case),
        message=lambda _: "Evidence recorded as sent",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def determination_new(request: StaffRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, work=True)
    form = forms.DeterminationForm(request.POST or None, initial=_version(case))
    return _form_page(
        request,
        form,
        lambda: actions.record_determination(
            case,
            request.user,
            element=form.cleaned_data["element"],
            finding=form.cleaned_data["finding"],
            determined_on=form.cleaned_data["determined_on"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        case=case,
        heading="Record a determination",
        intro="One element of the complaint at a time, with the Ombudsman's finding on it.",
        submit_label="Save the determination",
        back=case_url(case),
        message=lambda d: f"Determination recorded: {d.get_finding_display().lower()}",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def order_new(request: StaffRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, work=True)
    form = forms.OrderForm(
        request.POST or None,
        initial=_version(case),
        owners=complaint_queries.colleagues(request.user),
        determinations=list(case.determinations.all()),
    )
    return _form_page(
        request,
        form,
        lambda: actions.add_order(
            case,
            request.user,
            kind=form.cleaned_data["kind"],
            what=form.cleaned_data["what"],
            owner=form.chosen_owner(),
            due_on=form.cleaned_data["due_on"],
            determination=form.chosen_determination(),
            expected_version=form.cleaned_data["expected_version"],
        ),
        case=case,
        heading="Record an order or recommendation",
        intro="Who carries it out gets a reminder before its deadline, and again with the managers if it passes.",
        submit_label="Save",
        back=case_url(case),
        message=lambda order: f"{order.get_kind_display()} recorded",
    )


def _order(case: OmbudsmanCase, order_id: int) -> Order:
    order = Order.objects.filter(case=case, pk=order_id).select_related("owner").first()
    if order is None:
        raise Http404("No such order")
    order.case = case
    return order


@require_http_methods(["GET", "POST"])
@staff_view
def order_update(request: StaffRequest, case_id: int, order_id: int) -> HttpResponse:
    case = _case(request, case_id)
    order = _order(case, order_id)
    access.require_order_update(request.staff, order, case.landlord_id)
    if request.method == "GET" and order.completed_on is not None:
        return _back_to_case(request, case, f"This {order.get_kind_display().lower()} was already complied with.")
    form = forms.OrderUpdateForm(
        request.POST or None,
        initial={**_version(case), "completed_on": clock.today()},
        documents=_documents(case),
    )
    return _form_page(
        request,
        form,
        lambda: actions.update_order(
            order,
            request.user,
            note=form.cleaned_data["note"],
            completed_on=form.cleaned_data["completed_on"] if form.cleaned_data["done"] else None,
            evidence=form.cleaned_data["evidence"],
            documents=[int(pk) for pk in form.cleaned_data.get("documents", [])],
            expected_version=form.cleaned_data["expected_version"],
        ),
        case=case,
        heading=f"Record progress on the {order.get_kind_display().lower()}",
        intro=f"{order.what} (due {order.due_on:%-d %B %Y})",
        submit_label="Save",
        back=case_url(case),
        message=lambda o: "Recorded as complied with" if o.completed_on else "Progress recorded",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def order_confirm(request: StaffRequest, case_id: int, order_id: int) -> HttpResponse:
    case = _case(request, case_id, work=True)
    order = _order(case, order_id)
    if request.method == "GET" and (order.completed_on is None or order.confirmed_on is not None):
        return _back_to_case(
            request,
            case,
            "The Ombudsman's confirmation was already recorded."
            if order.confirmed_on
            else "Record that it was complied with, and the evidence, before the Ombudsman's confirmation.",
        )
    form = forms.ConfirmComplianceForm(request.POST or None, initial={**_version(case), "on": clock.today()})
    return _form_page(
        request,
        form,
        lambda: actions.confirm_compliance(
            order, request.user, on=form.cleaned_data["on"], expected_version=form.cleaned_data["expected_version"]
        ),
        case=case,
        heading="Record the Ombudsman's confirmation of compliance",
        intro=f"{order.get_kind_display()}: {order.what}",
        submit_label="Save",
        back=case_url(case),
        message=lambda _: "The Ombudsman's confirmation is recorded",
    )


# -- the evidence bundle ------------------------------------------------------------------------------


def bundle_url(bundle: EvidenceBundle) -> str:
    return reverse("workspace:ombudsman-bundle", kwargs={"case_id": bundle.case_id, "version": bundle.version})


def _bundle(case: OmbudsmanCase, version: int) -> EvidenceBundle:
    bundle = EvidenceBundle.objects.filter(case=case, version=version).select_related("requested_by").first()
    if bundle is None:
        raise Http404("No such version of the evidence bundle")
    bundle.case = case
    return bundle


@require_POST
@staff_view
def bundle_build(request: StaffRequest, case_id: int) -> HttpResponse:
    case = _case(request, case_id, work=True)
    try:
        bundle = bundle_actions.request_bundle(case, request.user)
    except TransitionNotAllowed as refusal:
        return _back_to_case(request, case, refusal.message)
    return redirect(bundle_url(bundle))


@require_GET
@staff_view
def bundle_page(request: StaffRequest, case_id: int, version: int) -> HttpResponse:
    """One version of the bundle: its progress while the worker builds it (the page refreshes
    itself, no script needed), then its checksum, size and contents."""
    case = _case(request, case_id)
    bundle = _bundle(case, version)
    return render(
        request,
        "workspace/ombudsman/bundle.html",
        {
            "case": case,
            "complaint": case.complaint,
            "bundle": bundle,
            "can_download": access.can_download_bundle(request.staff, case.landlord_id),
        },
    )


@require_GET
@staff_view
def bundle_download(request: StaffRequest, case_id: int, version: int) -> HttpResponseBase:
    case = _case(request, case_id)
    access.require_bundle_download(request.staff, case.landlord_id)
    bundle = _bundle(case, version)
    if bundle.state != EvidenceBundle.State.READY:
        return _back_to_case(request, case, f"Version {bundle.version} of the evidence bundle is not built yet.")
    response = FileResponse(
        bundle.file.open("rb"), as_attachment=True, filename=bundle.filename, content_type="application/zip"
    )
    response["Cache-Control"] = "private, no-store"
    return response
