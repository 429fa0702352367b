"""/staff/insight/publish/: what the landlord publishes for residents on its complaints pages (Code 8.1 to 8.3, 9.3).

Every reader of insight sees what was published, by whom and when, and can read each edition as residents did;
the complaints officer and managers publish a new edition and withdraw one (saying why). Publishing is always
an explicit step on its own page, "Publish the 2025/26 annual report", never a side effect of saving a report.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.views.decorators.http import require_GET, require_http_methods

from putright import clock
from putright.complaints.errors import ComplaintError, InvalidInput
from putright.governance import presented
from putright.insight import access, reports
from putright.insight.models import AnnualReport, SelfAssessment
from putright.insight.periods import reporting_year_of, year_label
from putright.landlords.models import StaffMember
from putright.publications import actions
from putright.publications.models import Edition, Kind
from putright.web.authorise import StaffRequest, staff_view
from putright.web.forms import Form, long_text


class WithdrawForm(Form):
    reason = long_text(
        "Why is it being withdrawn?",
        max_length=actions.REASON_LIMIT,
        rows=4,
        what="why the edition is being withdrawn",
        help_text="Kept with the edition for the record; residents do not see it",
    )


def _context(staff: StaffMember, **extra: Any) -> dict[str, Any]:
    return {"section": "publish", "landlord": staff.landlord, "can_edit": access.can_edit(staff), **extra}


def _year(year: int) -> int:
    if not actions.EARLIEST_YEAR <= year <= reporting_year_of(clock.today()):
        raise Http404("No such reporting year")
    return year


def _edition(staff: StaffMember, pk: int) -> Edition:
    return get_object_or_404(
        Edition.objects.select_related("published_by", "withdrawn_by"), pk=pk, landlord=staff.landlord
    )


@require_GET
@staff_view
def index(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    editions = list(
        Edition.objects.filter(landlord=staff.landlord)
        .defer("body", "pdf")
        .select_related("published_by", "withdrawn_by")
        .order_by("kind", "-number")
    )
    shelves = [(kind, [e for e in editions if e.kind == kind]) for kind in Kind]
    return render(request, "insight/publish/index.html", _context(staff, shelves=shelves))


def _confirm(
    request: StaffRequest,
    staff: StaffMember,
    *,
    heading: str,
    kind: Kind,
    year_starting: int | None,
    publish: Callable[[], Edition],
    **extra: Any,
) -> HttpResponse:
    """The page that asks "Publish the 2025/26 annual report?" and, on POST, publishes it."""
    errors: list[tuple[str, str]] = []
    if request.method == "POST":
        access.require_editor(request.user)
        try:
            edition = publish()
        except InvalidInput as refusal:
            errors = [("#main-content", message) for message in refusal.errors.values()]
        except ComplaintError as refusal:
            if refusal.status == 403:
                raise
            errors = [("#main-content", refusal.message)]
        else:
            messages.success(request, f"{edition.title}: edition {edition.number} is published for residents")
            return redirect("publications:publish-edition", pk=edition.pk)
    earlier = (
        Edition.objects.of(staff.landlord_id, kind)
        .filter(year_starting=year_starting)
        .defer("body", "pdf")
        .select_related("published_by", "withdrawn_by")
    )
    return render(
        request,
        "insight/publish/confirm.html",
        _context(staff, heading=heading, errors=errors, earlier=list(earlier), **extra),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def publish_annual_report(request: StaffRequest, year: int) -> HttpResponse:
    staff = access.require_reader(request.user)
    year = _year(year)
    report = AnnualReport.objects.filter(landlord=staff.landlord, year_starting=year).first()
    responded = bool(report and report.governing_body_response) or bool(
        presented.responses_by_year(staff.landlord_id).get(year)
    )
    return _confirm(
        request,
        staff,
        heading=f"Publish the {year_label(year)} annual report",
        kind=Kind.ANNUAL_REPORT,
        year_starting=year,
        publish=lambda: actions.publish_annual_report(staff.landlord, request.user, year_starting=year),
        back=reverse("insight:annual", args=[year]),
        ready=year < reporting_year_of(clock.today()),
        responded=responded,
        what="annual report",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def publish_self_assessment(request: StaffRequest, year: int) -> HttpResponse:
    staff = access.require_reader(request.user)
    year = _year(year)
    assessment = reports.load_assessment(staff.landlord, year)
    return _confirm(
        request,
        staff,
        heading=f"Publish the {year_label(year)} self-assessment",
        kind=Kind.SELF_ASSESSMENT,
        year_starting=year,
        publish=lambda: actions.publish_self_assessment(staff.landlord, request.user, year_starting=year),
        back=reverse("insight:assessment", args=[year]) if assessment else reverse("insight:assessments"),
        assessment=assessment,
        ready=assessment is not None and assessment.state == SelfAssessment.State.APPROVED,
        what="self-assessment",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def publish_you_said_we_did(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    improvements = reports.you_said_we_did(staff.landlord)
    return _confirm(
        request,
        staff,
        heading='Publish "you said, we did"',
        kind=Kind.YOU_SAID_WE_DID,
        year_starting=None,
        publish=lambda: actions.publish_you_said_we_did(staff.landlord, request.user),
        back=reverse("insight:you-said-we-did"),
        improvements=improvements,
        ready=bool(improvements),
        what='"you said, we did" list',
    )


@require_GET
@staff_view
def edition(request: StaffRequest, pk: int) -> HttpResponse:
    staff = access.require_reader(request.user)
    found = _edition(staff, pk)
    return render(request, "insight/publish/edition.html", _context(staff, edition=found))


@require_GET
@staff_view
def edition_pdf(request: StaffRequest, pk: int) -> HttpResponse:
    staff = access.require_reader(request.user)
    found = _edition(staff, pk)
    if not found.has_pdf:
        raise Http404("This edition has no PDF")
    response = HttpResponse(bytes(found.pdf), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{found.pdf_name}"'
    return response


@require_http_methods(["GET", "POST"])
@staff_view
def withdraw(request: StaffRequest, pk: int) -> HttpResponse:
    staff = access.require_editor(request.user)
    found = _edition(staff, pk)
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.withdraw(found, request.user, reason=form.cleaned_data["reason"])
        except InvalidInput as refusal:
            form.add_domain_errors(refusal.errors)
        except ComplaintError as refusal:
            if refusal.status == 403:
                raise
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"{found.title}: edition {found.number} is withdrawn from the portal")
            return redirect("publications:publish-edition", pk=found.pk)
    return render(
        request, "insight/publish/withdraw.html", _context(staff, edition=found, form=form, errors=form.error_links())
    )


urlpatterns = [
    path("", index, name="publish"),
    path("annual-report/<int:year>/", publish_annual_report, name="publish-annual"),
    path("self-assessment/<int:year>/", publish_self_assessment, name="publish-assessment"),
    path("you-said-we-did/", publish_you_said_we_did, name="publish-you-said-we-did"),
    path("editions/<int:pk>/", edition, name="publish-edition"),
    path("editions/<int:pk>/edition.pdf", edition_pdf, name="publish-edition-pdf"),
    path("editions/<int:pk>/withdraw/", withdraw, name="publish-withdraw"),
]
