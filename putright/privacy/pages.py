"""/staff/privacy/: residents' requests to see, erase or restrict the processing of their data.

The complaints officer and managers record a request (finding the resident by a complaint
reference, tenancy reference, name or email), decide it, and build and download the copy of the
resident's data; the auditor reads. Handlers and stage 2 reviewers are refused with a sentence
(403), and another landlord's request does not exist (404). Each page fetches and authorises
together, calls one action from `putright.privacy.actions`, and renders.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Any

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from putright import clock
from putright.access_log.access import LOG_READERS
from putright.complaints.errors import ComplaintError, InvalidInput, NotPermitted
from putright.people.models import Person
from putright.privacy import access, actions, queries
from putright.privacy.export import download as export_download
from putright.privacy.models import DETAIL_LIMIT, REASON_LIMIT, RightsRequest, SubjectAccessExport
from putright.retention import access as retention_access
from putright.web.authorise import StaffRequest, staff_view
from putright.web.forms import DateField, Form, GovForm, long_text, radios, text, yes_no
from putright.web.paging import PAGE_SIZE, page_number

# -- forms -------------------------------------------------------------------------------------------


class SearchForm(Form):
    q = text(
        "Find the resident",
        max_length=200,
        what="a complaint reference, tenancy reference, name or email address",
        help_text="A complaint reference (such as ASH-2026-00042), tenancy reference, name or email address",
    )


class RecordForm(Form):
    kind = radios("What did the resident ask for?", RightsRequest.Kind.choices, what="what the resident asked for")
    received_on = DateField(
        label="When did we receive the request?",
        what="the date the request was received",
        not_future=True,
        help_text="The month to answer starts on this day. For example, 27 3 2026",
    )
    detail = long_text(
        "What did they ask for, in their words?",
        required=False,
        max_length=DETAIL_LIMIT,
        what="what the resident asked for",
        rows=4,
    )
    once = forms.CharField(widget=forms.HiddenInput, max_length=64)


class ReasonForm(Form):
    reason = long_text("Reason", max_length=REASON_LIMIT, what="the reason", rows=4)

    def __init__(self, *args: Any, label: str = "Reason", what: str = "the reason", **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["reason"]
        field.label = label
        field.error_messages["required"] = f"Enter {what}"


class ErasureForm(Form):
    lawful_reason = long_text(
        "Is there another lawful reason to keep all of their records?",
        required=False,
        max_length=REASON_LIMIT,
        what="the reason the records are kept",
        rows=4,
        help_text="For example, a legal claim that is expected or under way. Leave this empty to erase what can be "
        "erased: complaints still in progress or with the Housing Ombudsman are kept, and the resident is told why",
    )


class RestrictionForm(Form):
    restrict = yes_no("Restrict the processing of the resident's data?", what="whether to restrict the processing")
    until = DateField(
        label="Until when? (optional)",
        what="the day the restriction ends",
        required=False,
        help_text="Leave empty to restrict it until it is lifted",
    )
    reason = long_text(
        "What is the resident told?",
        required=False,
        max_length=REASON_LIMIT,
        what="what the resident is told",
        rows=4,
        help_text="Needed if you do not restrict it: the reason",
    )


# -- fetching ----------------------------------------------------------------------------------------


def _request_for(request: StaffRequest, pk: int) -> RightsRequest:
    """The request at the reader's landlord: any other is a 404, as if it did not exist."""
    staff = access.require_reader(request.user)
    return get_object_or_404(
        RightsRequest.objects.select_related("person", "recorded_by", "decided_by"), pk=pk, landlord=staff.landlord
    )


def _forms(rights: RightsRequest, data: Any = None, posted: str = "") -> dict[str, GovForm]:
    """The forms the request's page offers, the one posted bound to its data."""

    def bound(name: str) -> Any:
        return data if posted == name else None

    found: dict[str, GovForm] = {}
    if rights.is_open:
        if rights.extended_on is None:
            found["extend"] = ReasonForm(
                bound("extend"), prefix="extend", label="Why is more time needed?", what="why more time is needed"
            )
        found["refuse"] = ReasonForm(
            bound("refuse"),
            prefix="refuse",
            label="Why is the request refused? (the resident is told)",
            what="the reason the resident is told",
        )
        if rights.kind == RightsRequest.Kind.ERASURE:
            found["erasure"] = ErasureForm(bound("erasure"), prefix="erasure")
        if rights.kind == RightsRequest.Kind.RESTRICTION:
            found["restriction"] = RestrictionForm(bound("restriction"), prefix="restriction")
    if rights.restricting_on(clock.today()):
        found["lift"] = ReasonForm(
            bound("lift"), prefix="lift", label="Why is the restriction lifted?", what="why the restriction is lifted"
        )
    return found


def _page(request: StaffRequest, rights: RightsRequest, forms_: dict[str, GovForm], status: int = 200) -> HttpResponse:
    staff = request.staff
    errors = [link for form in forms_.values() for link in form.error_links()]
    context = {
        "section": "privacy",
        "rights": rights,
        "events": list(rights.events.select_related("actor")),
        "exports": list(rights.exports.select_related("requested_by").defer("manifest")),
        "can_act": access.can_act(staff),
        "forms": forms_,
        "errors": errors,
        "overdue": rights.overdue(clock.today()),
        "restricted_now": rights.restricting_on(clock.today()),
        "blockers": list(actions.erasure_blockers(rights.person).values())
        if rights.kind == RightsRequest.Kind.ERASURE and rights.is_open
        else [],
    }
    return render(request, "privacy/request.html", context, status=status)


# -- pages -------------------------------------------------------------------------------------------


@require_GET
@staff_view
def index(request: StaffRequest) -> HttpResponse:
    """Where the workspace's "Privacy" item leads: the privacy pages this reader may open."""
    staff = access.require_reader(request.user)
    pages = [
        (
            "privacy:requests",
            "Data protection requests",
            "Residents' requests to see their personal data, erase it or restrict its use, and the copy of their data.",
        )
    ]
    if staff.role in retention_access.READERS:
        pages.append(
            (
                "retention:index",
                "Retention and anonymisation",
                "How long complaint records are kept, the records due for review, holds and anonymisation.",
            )
        )
    if staff.role in LOG_READERS:
        pages.append(
            (
                "access_log:log",
                "Who opened what",
                "Who opened residents' needs, safeguarding concerns, contact restrictions and confidential "
                "complaints, and when.",
            )
        )
    return render(request, "privacy/index.html", {"section": "privacy", "pages": pages})


@require_GET
@staff_view
def request_list(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    number = page_number(request)
    rows = list(
        RightsRequest.objects.of_landlord(staff.landlord_id)
        .open_first()
        .select_related("person")
        .defer("detail", "decision", "extension_reason")[(number - 1) * PAGE_SIZE : number * PAGE_SIZE + 1]
    )
    today = clock.today()
    return render(
        request,
        "privacy/list.html",
        {
            "section": "privacy",
            "rows": [(r, r.overdue(today)) for r in rows[:PAGE_SIZE]],
            "page": number,
            "more": len(rows) > PAGE_SIZE,
            "can_act": access.can_act(staff),
        },
    )


@require_GET
@staff_view
def find_person(request: StaffRequest) -> HttpResponse:
    staff = access.require_actor(request.user)
    form = SearchForm(request.GET or None)
    people: list[Person] = []
    if form.is_bound and form.is_valid():
        people = list(queries.find_people(staff.landlord_id, form.cleaned_data["q"]))
    return render(
        request,
        "privacy/find.html",
        {"section": "privacy", "form": form, "errors": form.error_links(), "people": people, "searched": form.is_bound},
    )


@require_http_methods(["GET", "POST"])
@staff_view
def record(request: StaffRequest, person_id: int) -> HttpResponse:
    staff = access.require_actor(request.user)
    person = get_object_or_404(Person, pk=person_id, landlord=staff.landlord)
    if request.method == "POST":
        form = RecordForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                rights = actions.record_request(
                    person,
                    request.user,
                    kind=data["kind"],
                    received_on=data["received_on"],
                    detail=data["detail"],
                    once_key=f"page:{staff.user_id}:{data['once']}",
                )
            except InvalidInput as refusal:
                form.add_domain_errors(refusal.errors)
            except NotPermitted:
                raise
            except ComplaintError as refusal:
                form.add_error(None, refusal.message)
            else:
                messages.success(
                    request, f"{rights.get_kind_display()} request recorded: due by {rights.due_on:%-d %B %Y}"
                )
                return redirect("privacy:request", pk=rights.pk)
    else:
        form = RecordForm(initial={"once": secrets.token_urlsafe(24)})
    return render(
        request,
        "privacy/record.html",
        {"section": "privacy", "form": form, "errors": form.error_links(), "person": person},
    )


@require_GET
@staff_view
def request_page(request: StaffRequest, pk: int) -> HttpResponse:
    rights = _request_for(request, pk)
    return _page(request, rights, _forms(rights))


def _act(
    request: StaffRequest, pk: int, name: str, run: Callable[[RightsRequest, Any], object], done: str
) -> HttpResponse:
    """A decision form posted: call the action once the form is valid, or show the page again with
    the form's errors and the action's refusal beside them."""
    access.require_actor(request.user)
    rights = _request_for(request, pk)
    found = _forms(rights, request.POST, posted=name)
    form = found.get(name)
    if form is None:
        messages.error(request, "This request has moved on since you opened it: here it is as it is now.")
        return redirect("privacy:request", pk=rights.pk)
    if form.is_valid():  # type: ignore[attr-defined]
        try:
            run(rights, form.cleaned_data)  # type: ignore[attr-defined]
        except NotPermitted:
            raise
        except InvalidInput as refusal:
            form.add_domain_errors(refusal.errors)
        except ComplaintError as refusal:
            form.add_error(None, refusal.message)  # type: ignore[attr-defined]
        else:
            messages.success(request, done)
            return redirect("privacy:request", pk=rights.pk)
    return _page(request, rights, found, status=200)


@require_POST
@staff_view
def extend(request: StaffRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "extend",
        lambda rights, data: actions.extend_request(rights, request.user, reason=data["reason"]),
        "The time to answer is extended by two further months",
    )


@require_POST
@staff_view
def refuse(request: StaffRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "refuse",
        lambda rights, data: actions.refuse_request(rights, request.user, reason=data["reason"]),
        "The request is refused",
    )


@require_POST
@staff_view
def erasure(request: StaffRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "erasure",
        lambda rights, data: actions.decide_erasure(rights, request.user, lawful_reason=data["lawful_reason"]),
        "The erasure is decided",
    )


@require_POST
@staff_view
def restriction(request: StaffRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "restriction",
        lambda rights, data: actions.decide_restriction(
            rights, request.user, restrict=data["restrict"], until=data["until"], reason=data["reason"]
        ),
        "The restriction is decided",
    )


@require_POST
@staff_view
def lift(request: StaffRequest, pk: int) -> HttpResponse:
    return _act(
        request,
        pk,
        "lift",
        lambda rights, data: actions.lift_restriction(rights, request.user, reason=data["reason"]),
        "The restriction is lifted",
    )


@require_POST
@staff_view
def build_export(request: StaffRequest, pk: int) -> HttpResponse:
    access.require_actor(request.user)
    rights = _request_for(request, pk)
    try:
        export = actions.complete_access(rights, request.user)
    except NotPermitted:
        raise
    except ComplaintError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(
            request, f"Version {export.version} of the copy of the resident's data is being built: check back shortly"
        )
    return redirect("privacy:request", pk=rights.pk)


@require_GET
@staff_view
def download(request: StaffRequest, pk: int, version: int) -> HttpResponseBase:
    staff = access.require_download(request.user)
    rights = _request_for(request, pk)
    access.require_copy_readable(staff, rights.person_id)
    export = SubjectAccessExport.objects.filter(request=rights, version=version).defer("manifest").first()
    if export is None:
        raise Http404("No such copy")
    if export.state != SubjectAccessExport.State.READY:
        messages.error(request, f"Version {export.version} of the copy of the resident's data is not built yet.")
        return redirect("privacy:request", pk=rights.pk)
    return export_download(request.user, rights, export, request.path)


urlpatterns = [
    path("", index, name="index"),
    path("requests/", request_list, name="requests"),
    path("requests/new/", find_person, name="request-find"),
    path("requests/new/<int:person_id>/", record, name="request-new"),
    path("requests/<int:pk>/", request_page, name="request"),
    path("requests/<int:pk>/extend/", extend, name="request-extend"),
    path("requests/<int:pk>/refuse/", refuse, name="request-refuse"),
    path("requests/<int:pk>/erasure/", erasure, name="request-erasure"),
    path("requests/<int:pk>/restriction/", restriction, name="request-restriction"),
    path("requests/<int:pk>/lift/", lift, name="request-lift"),
    path("requests/<int:pk>/exports/new/", build_export, name="request-export-build"),
    path("requests/<int:pk>/exports/<int:version>/download/", download, name="request-export-download"),
]
