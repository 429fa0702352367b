"""/staff/insight/: measures, reports, the self-assessment, learning and exports.

Every view signs the user in through the workspace's `staff_view`, then asks putright.insight.access
whether their role may read (or change) insight; everything shown is their own landlord's.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse, JsonResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from putright import clock
from putright.complaints import access as complaint_access
from putright.complaints import actions as complaint_actions
from putright.complaints.errors import ComplaintError, InvalidInput
from putright.complaints.models import Complaint, RootCause, ServiceArea
from putright.complaints.queries import touching_area
from putright.governance import presented as governance_presented
from putright.insight import access, actions, exports, forms, headline, other_reports, policy_findings, reports
from putright.insight import cache as figures_cache
from putright.insight import measures as m
from putright.insight.code_wording import wording_for
from putright.insight.job_pages import Report, ask_or_build
from putright.insight.jobs import BACKGROUND_ROWS, ReportJob
from putright.insight.models import AnnualReport, CodeWording, PerceptionSurvey, SelfAssessment, ServiceImprovement
from putright.insight.periods import reporting_year_of, year_label
from putright.insight.restrictions import restriction_counts
from putright.landlords import actions as landlord_actions
from putright.landlords.calendars import policy_version_in_force
from putright.landlords.models import PolicyVersion, StaffMember
from putright.rules.provisions import is_provision, provision
from putright.surveys import access as survey_access
from putright.surveys import queries as survey_queries
from putright.web.authorise import StaffRequest, staff_view
from putright.web.forms import Form

LEARNING_PAGE = 50


def _context(staff: StaffMember, section: str, **extra: Any) -> dict[str, Any]:
    return {
        "section": section,
        "landlord": staff.landlord,
        "can_edit": access.can_edit(staff),
        # Called only by a page that shows approval: it looks up the Member Responsible for Complaints.
        "can_approve": lambda: access.can_approve(staff),
        "can_respond": access.can_respond(staff),
        **extra,
    }


def _attempt(request: StaffRequest, form: Form, commit: Callable[[], Any], success: str) -> bool:
    """Run a domain action for a valid form; put its refusal on the form. True when it worked."""
    try:
        commit()
    except InvalidInput as refusal:
        form.add_domain_errors(refusal.errors)
        return False
    except ComplaintError as refusal:
        if refusal.status == 403:
            raise
        form.add_error(None, refusal.message)
        return False
    messages.success(request, success)
    return True


def _year(year: int) -> int:
    if not 2000 <= year <= reporting_year_of(clock.today()) + 1:
        raise Http404("No such reporting year")
    return year


# -- measures ---------------------------------------------------------------------------------


@require_GET
@staff_view
def dashboard(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    form = forms.PeriodForm(request.GET or None)
    period, area = form.period(), form.chosen_area()
    landlord, today = staff.landlord, clock.today()
    # A period still running is counted afresh by `compute` (a closed one it keeps itself); here it is kept for
    # a few minutes under the landlord's generation and today's date, as are the open stages, so that a second
    # reader is answered at once and any change is seen by the next request after it (putright.insight.cache).
    figures = (
        m.compute(landlord, period, area)
        if period.end < today
        else figures_cache.kept(
            lambda: (
                f"{figures_cache.closed_period_key(landlord, period.start, period.end, area, period.year_starting)}"
                f":{today.isoformat()}"
            ),
            lambda: m.compute(landlord, period, area),
            figures_cache.KEPT_FOR_TODAY,
        )
    )
    open_now = figures_cache.kept(
        lambda: figures_cache.current_key(landlord, "open-stages", today, area),
        lambda: headline.open_stages(landlord, area, today),
        figures_cache.KEPT_FOR_TODAY,
    )
    a_year_ago = headline.a_year_before(today)
    open_then = figures_cache.kept(
        lambda: figures_cache.past_day_key(landlord, "open-stages-on", a_year_ago, area),
        lambda: headline.open_stages_on(landlord, area, a_year_ago),
    )
    previous = m.compute(landlord, period.previous_year(), area)
    at_a_glance = headline.headline(figures, previous, open_now, today, open_then)
    query = request.GET.urlencode()
    return render(
        request,
        "insight/dashboard.html",
        _context(
            staff,
            "dashboard",
            form=form,
            errors=form.error_links(),
            # Folded unless the reader chose something, or must correct what they chose.
            filtered=any(request.GET.values()),
            figures=figures,
            headline=at_a_glance,
            trends=reports.trend_charts(figures),
            breakdowns=reports.breakdown_charts(figures),
            query=query,
            area_label=dict(ServiceArea.choices).get(area, ""),
            restrictions=restriction_counts(landlord, period.start, period.end, today),
        ),
    )


@require_GET
@staff_view
def measures_json(request: StaffRequest) -> JsonResponse:
    staff = access.require_reader(request.user)
    form = forms.PeriodForm(request.GET or None)
    if request.GET and not form.is_valid():
        return JsonResponse({"errors": {k: [str(e) for e in v] for k, v in form.errors.items()}}, status=422)
    return JsonResponse(m.compute(staff.landlord, form.period(), form.chosen_area()).as_data())


# -- the policy and the Code -------------------------------------------------------------------


def _policy_page(
    request: StaffRequest, staff: StaffMember, version: PolicyVersion | None, in_force: PolicyVersion | None
) -> HttpResponse:
    versions = list(PolicyVersion.objects.filter(landlord=staff.landlord).only("pk", "name", "effective_from"))
    comparison = policy_findings.compare(staff.landlord, version)
    return render(
        request,
        "insight/policy.html",
        _context(
            staff,
            "policy",
            comparison=comparison,
            versions=versions,
            in_force=in_force,
            today=clock.today(),
        ),
    )


@require_GET
@staff_view
def policy_and_code(request: StaffRequest) -> HttpResponse:
    """The policy in force today beside the Code: where it is stricter, falls short or is silent."""
    staff = access.require_reader(request.user)
    in_force = policy_version_in_force(staff.landlord, clock.today())
    return _policy_page(request, staff, in_force, in_force)


@require_GET
@staff_view
def policy_version(request: StaffRequest, pk: int) -> HttpResponse:
    staff = access.require_reader(request.user)
    # Scoped to the reader's landlord: another landlord's version is not found, not forbidden.
    version = get_object_or_404(PolicyVersion, pk=pk, landlord=staff.landlord)
    return _policy_page(request, staff, version, policy_version_in_force(staff.landlord, clock.today()))


@require_http_methods(["GET", "POST"])
@staff_view
def policy_review_date(request: StaffRequest, pk: int) -> HttpResponse:
    """Set or change when a version of the policy is to be reviewed (a complaints officer or manager)."""
    staff = access.require_editor(request.user)
    version = get_object_or_404(PolicyVersion, pk=pk, landlord=staff.landlord)
    form = forms.PolicyReviewForm(request.POST or None, initial={"review_due_on": version.review_due_on})
    if request.method == "POST" and form.is_valid():
        try:
            landlord_actions.set_policy_review_date(version, form.cleaned_data["review_due_on"], request.user)
        except landlord_actions.ReviewDateRefused as refusal:
            form.add_error("review_due_on", refusal.message)
        else:
            messages.success(request, "The review date is saved")
            return redirect("insight:policy-version", pk=version.pk)
    return render(
        request,
        "insight/policy_review_date.html",
        _context(staff, "policy", form=form, errors=form.error_links(), version=version),
    )


# -- the annual report ------------------------------------------------------------------------


@require_GET
@staff_view
def annual_index(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    years = [int(value) for value, _ in forms.year_choices()]
    kept = {r.year_starting: r for r in AnnualReport.objects.filter(landlord=staff.landlord)}
    # In number order, so that each year keeps its latest self-assessment (a year can hold several).
    assessed = {
        a.year_starting: a
        for a in SelfAssessment.objects.filter(landlord=staff.landlord).order_by("year_starting", "sequence")
    }
    responses = governance_presented.responses_by_year(staff.landlord_id)
    rows = [(year, year_label(year), kept.get(year), assessed.get(year), responses.get(year)) for year in years]
    return render(request, "insight/annual/index.html", _context(staff, "annual", rows=rows))


@require_GET
@staff_view
def annual_page(request: StaffRequest, year: int) -> HttpResponse:
    staff = access.require_reader(request.user)
    view = reports.annual_report(staff.landlord, _year(year))
    return render(request, "insight/annual/page.html", _context(staff, "annual", report=view))


@require_http_methods(["GET", "POST"])
@staff_view
def annual_pdf(request: StaffRequest, year: int) -> HttpResponseBase:
    """Built by the worker: the page's button (a POST) starts the build, or finds it, and shows its progress."""
    staff = access.require_reader(request.user)
    report = Report(
        ReportJob.Kind.ANNUAL_PDF,
        {"year": _year(year)},
        title=f"Annual complaints performance and service improvement report {year_label(year)}",
        file_name=f"{staff.landlord.slug}-complaints-report-{year}.pdf",
    )
    return ask_or_build(request, report, section="annual", back=reverse("insight:annual", kwargs={"year": year}))


@require_http_methods(["GET", "POST"])
@staff_view
def annual_edit(request: StaffRequest, year: int) -> HttpResponse:
    staff = access.require_editor(request.user)
    form = forms.AnnualReportForm(request.POST or None, initial=_annual_text(staff, _year(year)))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            request,
            form,
            lambda: actions.save_annual_report(staff.landlord, request.user, year_starting=year, **data),
            "The report's text is saved",
        )
        if done:
            return redirect("insight:annual", year=year)
    return _annual_edit_page(request, staff, year, form, forms.OtherReportForm(prefix="other"))


def _annual_text(staff: StaffMember, year: int) -> dict[str, object]:
    report = AnnualReport.objects.filter(landlord=staff.landlord, year_starting=year).first()
    return {f: getattr(report, f) for f in forms.AnnualReportForm.base_fields} if report else {}


def _annual_edit_page(
    request: StaffRequest, staff: StaffMember, year: int, form: forms.AnnualReportForm, other: forms.OtherReportForm
) -> HttpResponse:
    """The annual report's edit page: its text, and the other relevant reports listed in it (8.1 f)."""
    return render(
        request,
        "insight/annual/edit.html",
        _context(
            staff,
            "annual",
            form=form,
            other=other,
            others=other_reports.other_reports_for(staff.landlord, year),
            errors=form.error_links() + other.error_links(),
            year=year,
            label=year_label(year),
        ),
    )


@require_POST
@staff_view
def annual_other_report_add(request: StaffRequest, year: int) -> HttpResponse:
    """List another relevant report in the year's annual report (8.1 f), from the report's edit page."""
    staff = access.require_editor(request.user)
    year = _year(year)
    other = forms.OtherReportForm(request.POST, request.FILES, prefix="other")
    if other.is_valid():
        data, upload = other.cleaned_data, other.cleaned_data["file"]
        done = _attempt(
            request,
            other,
            lambda: other_reports.add_other_report(
                staff.landlord,
                request.user,
                year_starting=year,
                title=data["title"],
                published_on=data["published_on"],
                summary=data["summary"],
                link=data["link"],
                file_name=upload.name if upload else "",
                content=upload.read() if upload else None,
            ),
            "The report is added",
        )
        if done:
            return redirect("insight:annual-edit", year=year)
    return _annual_edit_page(request, staff, year, forms.AnnualReportForm(initial=_annual_text(staff, year)), other)


@require_POST
@staff_view
def annual_other_report_remove(request: StaffRequest, year: int, pk: int) -> HttpResponse:
    staff = access.require_editor(request.user)
    report = get_object_or_404(other_reports.OtherReport, pk=pk, landlord=staff.landlord, year_starting=_year(year))
    other_reports.remove_other_report(report, request.user)
    messages.success(request, f"{report.title} is removed from the report")
    return redirect("insight:annual-edit", year=year)


@require_GET
@staff_view
def annual_other_report_file(request: StaffRequest, year: int, pk: int) -> HttpResponseBase:
    staff = access.require_reader(request.user)
    report = get_object_or_404(other_reports.OtherReport, pk=pk, landlord=staff.landlord, year_starting=_year(year))
    if not report.file:
        raise Http404("No file uploaded")
    name = report.file_name or "report.pdf"
    return FileResponse(report.file.open("rb"), content_type="application/pdf", filename=name)


@require_http_methods(["GET", "POST"])
@staff_view
def annual_letter(request: StaffRequest, year: int) -> HttpResponseBase:
    staff = access.require_reader(request.user)
    report = AnnualReport.objects.filter(landlord=staff.landlord, year_starting=_year(year)).first()
    if request.method == "GET":
        if not report or not report.ombudsman_letter:
            raise Http404("No letter uploaded")
        name = report.ombudsman_letter_name or "ombudsman-annual-report.pdf"
        return FileResponse(report.ombudsman_letter.open("rb"), content_type="application/pdf", filename=name)
    staff = access.require_editor(request.user)
    form = forms.UploadForm(request.POST, request.FILES)
    if form.is_valid():
        upload = form.cleaned_data["file"]
        done = _attempt(
            request,
            form,
            lambda: actions.upload_ombudsman_letter(
                staff.landlord, request.user, year_starting=year, file_name=upload.name, content=upload.read()
            ),
            "The Ombudsman's annual report is uploaded",
        )
        if done:
            return redirect("insight:annual", year=year)
    return render(
        request,
        "insight/annual/letter.html",
        _context(staff, "annual", form=form, errors=form.error_links(), year=year, label=year_label(year)),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def annual_response(request: StaffRequest, year: int) -> HttpResponse:
    staff = access.require_responder(request.user)
    report = AnnualReport.objects.filter(landlord=staff.landlord, year_starting=_year(year)).first()
    shown = governance_presented.annual(staff.landlord_id, year)
    initial: dict[str, object] = {"governing_body": report.governing_body if report else ""}
    if shown:
        first = shown[0]
        initial = {
            "governing_body": first.body.name if first.body else initial["governing_body"],
            "response": first.response,
            "on": first.response_on,
        }
    form = forms.ResponseForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            request,
            form,
            lambda: actions.record_governing_body_response(
                staff.landlord,
                request.user,
                year_starting=year,
                response=data["response"],
                on=data["on"],
                governing_body=data["governing_body"],
            ),
            "The governing body's response is recorded",
        )
        if done:
            return redirect("insight:annual", year=year)
    return render(
        request,
        "insight/annual/response.html",
        _context(staff, "annual", form=form, errors=form.error_links(), year=year, label=year_label(year)),
    )


# -- the self-assessment ----------------------------------------------------------------------


def _assessment(staff: StaffMember, year: int) -> SelfAssessment:
    """The year's latest self-assessment: the one the year's URLs are about."""
    assessment = reports.load_assessment(staff.landlord, _year(year))
    if assessment is None:
        raise Http404("No self-assessment for this year")
    return assessment


def _numbered(staff: StaffMember, year: int, sequence: int) -> SelfAssessment:
    """Any of the year's self-assessments, by its number within the year."""
    return get_object_or_404(
        SelfAssessment.objects.select_related("drafted_by", "submitted_by", "approved_by", "landlord")
        .prefetch_related("entries")
        .filter(landlord=staff.landlord, year_starting=_year(year)),
        sequence=sequence,
    )


def _assessment_url(assessment: SelfAssessment, latest: bool) -> str:
    if latest:
        return reverse("insight:assessment", kwargs={"year": assessment.year_starting})
    return reverse(
        "insight:assessment-earlier", kwargs={"year": assessment.year_starting, "sequence": assessment.sequence}
    )


def _links(assessment: SelfAssessment, latest: bool) -> dict[str, str]:
    """The page and its exports: by year for the year's latest, by year and number for an earlier one."""
    if latest:
        year = {"year": assessment.year_starting}
        return {
            "page": reverse("insight:assessment", kwargs=year),
            "xlsx": reverse("insight:assessment-xlsx", kwargs=year),
            "pdf": reverse("insight:assessment-pdf", kwargs=year),
        }
    numbered = {"year": assessment.year_starting, "sequence": assessment.sequence}
    return {
        "page": reverse("insight:assessment-earlier", kwargs=numbered),
        "xlsx": reverse("insight:assessment-earlier-xlsx", kwargs=numbered),
        "pdf": reverse("insight:assessment-earlier-pdf", kwargs=numbered),
    }


def _listed(landlord_assessments: list[SelfAssessment]) -> list[tuple[SelfAssessment, str]]:
    latest: dict[int, int] = {}
    for a in landlord_assessments:
        latest[a.year_starting] = max(latest.get(a.year_starting, 0), a.sequence)
    return [(a, _assessment_url(a, a.sequence == latest[a.year_starting])) for a in landlord_assessments]


@require_http_methods(["GET", "POST"])
@staff_view
def assessments(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    form = forms.StartAssessmentForm(request.POST if request.method == "POST" else None)
    unfinished = actions.open_assessment(staff.landlord)
    errors = form.error_links()
    if request.method == "POST":
        access.require_editor(request.user)
        if form.is_valid():
            year, data = int(form.cleaned_data["year"]), form.cleaned_data
            done = _attempt(
                request,
                form,
                lambda: actions.start_self_assessment(
                    staff.landlord,
                    request.user,
                    year_starting=year,
                    reason=data["reason"],
                    reason_detail=data.get("reason_detail", ""),
                ),
                f"The {year_label(year)} self-assessment is started",
            )
            if done:
                return redirect("insight:assessment", year=year)
        errors = form.error_links()
    kept = list(
        SelfAssessment.objects.filter(landlord=staff.landlord)
        .select_related("approved_by")
        .order_by("-year_starting", "-sequence")
    )
    listed = _listed(kept)
    open_one = next(((a, url) for a, url in listed if unfinished and a.pk == unfinished.pk), None)
    if open_one is not None and form.is_bound and form.non_field_errors():
        # The refusal names the unfinished assessment: the error summary links to it.
        refusals = set(form.non_field_errors())
        errors = [(open_one[1] if message in refusals else href, message) for href, message in errors]
    return render(
        request,
        "insight/assessment/index.html",
        _context(
            staff,
            "assessment",
            form=form,
            errors=errors,
            assessments=listed,
            unfinished=open_one,
            wording=wording_for(staff.landlord),
        ),
    )


def _assessment_context(staff: StaffMember, assessment: SelfAssessment, latest: bool) -> dict[str, Any]:
    view = reports.assessment_view(assessment)
    later = None if latest else assessment.replaced_by()
    return _context(
        staff,
        "assessment",
        view=view,
        problems=actions.incomplete([row.entry for section in view.sections for row in section.rows]),
        label=year_label(assessment.year_starting),
        note_form=forms.NoteForm(),
        return_form=forms.ReturnForm(),
        wording=wording_for(staff.landlord),
        latest=latest,
        links=_links(assessment, latest),
        later=later,
        later_url=_assessment_url(later, True) if later else "",
    )


@require_GET
@staff_view
def assessment_page(request: StaffRequest, year: int) -> HttpResponse:
    staff = access.require_reader(request.user)
    assessment = _assessment(staff, year)
    return render(request, "insight/assessment/page.html", _assessment_context(staff, assessment, latest=True))


@require_GET
@staff_view
def assessment_earlier(request: StaffRequest, year: int, sequence: int) -> HttpResponse:
    """An earlier self-assessment of the year, read-only; the year's latest lives at the year's own URL."""
    staff = access.require_reader(request.user)
    assessment = _numbered(staff, year, sequence)
    if assessment.replaced_by() is None:
        return redirect("insight:assessment", year=year)
    return render(request, "insight/assessment/page.html", _assessment_context(staff, assessment, latest=False))


@require_http_methods(["GET", "POST"])
@staff_view
def assessment_entry(request: StaffRequest, year: int, number: str) -> HttpResponse:
    staff = access.require_editor(request.user)
    assessment = _assessment(staff, year)
    if not is_provision(number):
        raise Http404("No such provision")
    entry = get_object_or_404(assessment.entries, provision=number)
    initial = {f: getattr(entry, f) for f in forms.EntryForm.base_fields}
    form = forms.EntryForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            request,
            form,
            lambda: actions.update_entry(entry, request.user, **data),
            f"Provision {number} is saved",
        )
        if done:
            return redirect(reverse("insight:assessment", kwargs={"year": year}) + f"#provision-{number}")
    return render(
        request,
        "insight/assessment/entry.html",
        _context(
            staff,
            "assessment",
            form=form,
            errors=form.error_links(),
            entry=entry,
            provision=provision(number),
            requirement=wording_for(staff.landlord).requirement(number),
            assessment=assessment,
            label=year_label(year),
            year=year,
        ),
    )


def _assessment_step(request: StaffRequest, year: int, step: str) -> HttpResponse:
    staff = access.require_reader(request.user)
    assessment = _assessment(staff, year)
    form: Form = forms.ReturnForm(request.POST) if step == "return" else forms.NoteForm(request.POST)
    if form.is_valid():
        note = form.cleaned_data.get("note", "")
        commit, success = {
            "submit": (lambda: actions.submit_self_assessment(assessment, request.user), "Sent for approval"),
            "approve": (
                lambda: actions.approve_self_assessment(assessment, request.user, note=note),
                "The self-assessment is approved",
            ),
            "return": (lambda: actions.return_self_assessment(assessment, request.user, note=note), "Sent back"),
            "refresh": (
                lambda: actions.refresh_evidence(assessment, request.user),
                "Evidence from the records updated",
            ),
        }[step]
        if _attempt(request, form, commit, success):
            return redirect("insight:assessment", year=year)
    for _, message in form.error_links():
        messages.error(request, message)
    return redirect("insight:assessment", year=year)


@require_POST
@staff_view
def assessment_step(request: StaffRequest, year: int, step: str) -> HttpResponse:
    if step not in ("submit", "approve", "return", "refresh"):
        raise Http404("No such step")
    return _assessment_step(request, year, step)


def _xlsx(assessment: SelfAssessment) -> HttpResponse:
    content = exports.self_assessment_xlsx(reports.assessment_view(assessment))
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    name = f"{assessment.landlord.slug}-self-assessment-{assessment.year_starting}"
    if assessment.sequence > 1:
        name += f"-{assessment.sequence}"
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response


def _assessment_pdf(request: StaffRequest, assessment: SelfAssessment, latest: bool) -> HttpResponseBase:
    """Built by the worker (putright.insight.jobs): the page's button starts it, or finds it, and shows its
    progress."""
    name = f"{assessment.landlord.slug}-self-assessment-{assessment.year_starting}"
    if assessment.sequence > 1:
        name += f"-{assessment.sequence}"
    report = Report(
        ReportJob.Kind.ASSESSMENT_PDF,
        {"assessment": assessment.pk},
        title=f"Self-assessment against the Code {year_label(assessment.year_starting)} ({assessment.which})",
        file_name=f"{name}.pdf",
    )
    return ask_or_build(request, report, section="assessment", back=_links(assessment, latest)["page"])


@require_GET
@staff_view
def assessment_xlsx(request: StaffRequest, year: int) -> HttpResponse:
    staff = access.require_reader(request.user)
    return _xlsx(_assessment(staff, year))


@require_http_methods(["GET", "POST"])
@staff_view
def assessment_pdf(request: StaffRequest, year: int) -> HttpResponseBase:
    staff = access.require_reader(request.user)
    return _assessment_pdf(request, _assessment(staff, year), latest=True)


@require_GET
@staff_view
def assessment_earlier_xlsx(request: StaffRequest, year: int, sequence: int) -> HttpResponse:
    staff = access.require_reader(request.user)
    return _xlsx(_numbered(staff, year, sequence))


@require_http_methods(["GET", "POST"])
@staff_view
def assessment_earlier_pdf(request: StaffRequest, year: int, sequence: int) -> HttpResponseBase:
    staff = access.require_reader(request.user)
    assessment = _numbered(staff, year, sequence)
    return _assessment_pdf(request, assessment, latest=assessment.replaced_by() is None)


@require_http_methods(["GET", "POST"])
@staff_view
def code_wording(request: StaffRequest) -> HttpResponse:
    """Upload the Ombudsman's self-assessment form, for its wording of each provision; and the imports so far."""
    staff = access.require_reader(request.user)
    posted = request.method == "POST"
    form = forms.CodeWordingForm(request.POST if posted else None, request.FILES if posted else None)
    if request.method == "POST":
        access.require_editor(request.user)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            done = _attempt(
                request,
                form,
                lambda: actions.import_code_wording(
                    staff.landlord, request.user, file_name=upload.name or "", content=upload.read()
                ),
                "The Ombudsman's wording is imported",
            )
            if done:
                return redirect("insight:assessment-wording")
    imports = list(CodeWording.objects.filter(landlord=staff.landlord).select_related("imported_by")[:20])
    return render(
        request,
        "insight/assessment/wording.html",
        _context(
            staff,
            "assessment",
            form=form,
            errors=form.error_links(),
            wording=wording_for(staff.landlord),
            imports=imports,
        ),
    )


# -- learning, improvements, governance --------------------------------------------------------


@require_GET
@staff_view
def learning(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    form = forms.PeriodForm(request.GET or None)
    period, area = form.period(), form.chosen_area()
    cause = request.GET.get("root_cause", "")
    # What was learnt from a confidential complaint is read only by those who may read the complaint.
    found = Complaint.objects.filter(
        complaint_access.readable_by(staff), landlord=staff.landlord, closed_on__range=(period.start, period.end)
    ).exclude(learning_outcome="")
    if area:
        found = found.filter(touching_area(area))  # leading or not (issue 19)
    if cause in RootCause.values:
        found = found.filter(root_cause=cause)
    page = Paginator(found.order_by("-closed_on", "-id").prefetch_related("improvements"), LEARNING_PAGE).get_page(
        request.GET.get("page")
    )
    missing = Complaint.objects.filter(
        landlord=staff.landlord, closed_on__range=(period.start, period.end), learning_outcome=""
    ).order_by("-closed_on", "-id")
    if area:
        missing = missing.filter(touching_area(area))
    themes = reports.learning_themes(staff.landlord, period, period.previous_year())
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "insight/learning.html",
        _context(
            staff,
            "learning",
            form=form,
            errors=form.error_links(),
            page=page,
            themes=themes,
            period=period,
            causes=RootCause.choices,
            cause=cause,
            query=query.urlencode(),
            missing=list(missing[:LEARNING_PAGE]),
            missing_count=missing.count(),
        ),
    )


@require_http_methods(["GET", "POST"])
@staff_view
def record_learning(request: StaffRequest, reference: str) -> HttpResponse:
    """Record (or revise) a complaint's learning and root cause, through the complaints domain action."""
    access.require_editor(request.user)
    staff = request.staff
    try:
        complaint = complaint_access.get_complaint_for_staff(request.user, reference)
    except Complaint.DoesNotExist:
        raise Http404("No such complaint") from None
    initial = {"learning_outcome": complaint.learning_outcome, "root_cause": complaint.root_cause}
    form = forms.LearningForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = _attempt(
            request,
            form,
            lambda: complaint_actions.record_learning(
                complaint, request.user, learning_outcome=data["learning_outcome"], root_cause=data["root_cause"],
                on=clock.today(),
            ),
            f"Learning recorded for {complaint.reference}",
        )  # fmt: skip
        if done:
            return redirect("insight:learning")
    return render(
        request,
        "insight/record_learning.html",
        _context(staff, "learning", form=form, errors=form.error_links(), complaint=complaint),
    )


@require_GET
@staff_view
def improvements(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    rows = (
        ServiceImprovement.objects.filter(landlord=staff.landlord)
        .prefetch_related("complaints")
        .order_by("status", "target_date", "-id")
    )
    return render(request, "insight/improvements/index.html", _context(staff, "improvements", rows=rows))


@require_http_methods(["GET", "POST"])
@staff_view
def improvement(request: StaffRequest, pk: int | None = None) -> HttpResponse:
    staff = access.require_editor(request.user)
    existing = None
    initial: dict[str, Any] = {"status": ServiceImprovement.Status.PROPOSED}
    if pk is not None:
        existing = get_object_or_404(ServiceImprovement, pk=pk, landlord=staff.landlord)
        initial = {f: getattr(existing, f) for f in forms.ImprovementForm.base_fields if f != "complaints"}
        initial["complaints"] = " ".join(existing.complaints.values_list("reference", flat=True))
    form = forms.ImprovementForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "complaints"}
        done = _attempt(
            request,
            form,
            lambda: actions.save_improvement(
                staff.landlord, request.user, improvement=existing, complaint_references=form.references(), **data
            ),
            "The improvement is saved",
        )
        if done:
            return redirect("insight:improvements")
    return render(
        request,
        "insight/improvements/edit.html",
        _context(staff, "improvements", form=form, errors=form.error_links(), existing=existing),
    )


@require_GET
@staff_view
def you_said_we_did(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    rows = reports.you_said_we_did(staff.landlord)
    return render(request, "insight/improvements/you_said_we_did.html", _context(staff, "improvements", rows=rows))


def _governance_quarter(data: Any) -> tuple[int, int, forms.GovernanceForm]:
    """The quarter chosen in `data` (a GET's query or a POST's form), else the current one."""
    year, quarter = forms.current_quarter(clock.today())
    form = forms.GovernanceForm(data or None, initial={"year": year, "quarter": quarter})
    if form.is_bound and form.is_valid():
        year, quarter = int(form.cleaned_data["year"]), int(form.cleaned_data["quarter"])
    return year, quarter, form


def _governance_page(
    request: StaffRequest, staff: StaffMember, year: int, quarter: int, form: forms.GovernanceForm, status: int = 200
) -> HttpResponse:
    view = reports.governance_report(staff.landlord, year, quarter)
    context = _context(staff, "governance", report=view, form=form, errors=form.error_links() if status >= 400 else [])
    return render(request, "insight/governance/page.html", context, status=status)


@require_GET
@staff_view
def governance(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    year, quarter, form = _governance_quarter(request.GET)
    return _governance_page(request, staff, year, quarter, form)


@require_http_methods(["GET", "POST"])
@staff_view
def governance_pdf(request: StaffRequest) -> HttpResponseBase:
    """Built by the worker: the page's button (a POST) starts the build, or finds it, and shows its progress."""
    staff = access.require_reader(request.user)
    year, quarter, form = _governance_quarter(request.POST if request.method == "POST" else request.GET)
    if form.is_bound and not form.is_valid():
        # No report is asked for a quarter that is not one: the page says what to choose instead.
        return _governance_page(request, staff, year, quarter, form, status=400)
    report = Report(
        ReportJob.Kind.GOVERNANCE_PDF,
        {"year": year, "quarter": quarter},
        title=f"Governance report, {year_label(year)} quarter {quarter}",
        file_name=f"{staff.landlord.slug}-governance-{year}-q{quarter}.pdf",
    )
    back = f"{reverse('insight:governance')}?{urlencode({'year': year, 'quarter': quarter})}"
    fields = [("year", str(year)), ("quarter", str(quarter))]
    return ask_or_build(request, report, section="governance", back=back, fields=fields)


@require_http_methods(["GET", "POST"])
@staff_view
def tp09(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    form = forms.SurveyForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        access.require_editor(request.user)
        if form.is_valid():
            upload, year = form.cleaned_data["file"], int(form.cleaned_data["year"])
            done = _attempt(
                request,
                form,
                lambda: actions.import_perception_survey(
                    staff.landlord, request.user, year_starting=year, file_name=upload.name, content=upload.read()
                ),
                f"The {year_label(year)} survey is imported",
            )
            if done:
                return redirect("insight:tp09")
    surveys = PerceptionSurvey.objects.filter(landlord=staff.landlord).select_related("imported_by")
    rows = [
        (s, m.Share(s.lcra_satisfied, s.lcra_complainants), m.Share(s.lcho_satisfied, s.lcho_complainants))
        for s in surveys
    ]
    # Beside the perception survey: Putright's own survey of residents whose complaint was closed (1.6).
    after_closure = [
        (
            y,
            m.Share(y.satisfied, y.responses),
            m.Share(y.knew_how_to_complain, y.responses),
            m.Share(y.kept_informed, y.responses),
        )
        for y in survey_queries.year_figures(staff.landlord_id)
    ]
    return render(
        request,
        "insight/tp09.html",
        _context(
            staff,
            "dashboard",
            form=form,
            errors=form.error_links(),
            surveys=rows,
            after_closure=after_closure,
            can_read_comments=survey_access.can_read_comments(staff),
        ),
    )


# -- exports ----------------------------------------------------------------------------------

EXPORT_KINDS = ("csv", "xlsx")


def _export_filter(
    request: StaffRequest, data: Any
) -> tuple[StaffMember, forms.ExportForm, exports.ComplaintFilter | None]:
    """The complaints chosen in `data` (a GET's query or a POST's form): None if none are chosen yet or the
    choice is wrong (the form then says why)."""
    staff = access.require_reader(request.user)
    form = forms.ExportForm(data or None)
    if not form.is_bound:
        return staff, form, None
    if not form.is_valid():
        return staff, form, None
    d = form.cleaned_data
    chosen = exports.ComplaintFilter(
        received_from=d.get("start"),
        received_to=d.get("end"),
        service_area=d.get("service_area") or "",
        channel=d.get("channel") or "",
        status=d.get("status") or "",
        stage=int(d["stage"]) if d.get("stage") else None,
        tenure=d.get("tenure") or "",
        root_cause=d.get("root_cause") or "",
        reader_id=staff.user_id,
    )
    return staff, form, chosen


def _in_background(kind: str, rows: int) -> bool:
    """Whether an export of this many rows is built by the worker rather than while the browser waits.
    A spreadsheet takes about four times as long a row as CSV: it goes to the worker sooner."""
    return rows > (BACKGROUND_ROWS if kind == "csv" else BACKGROUND_ROWS // 4)


def _export_choices(data: Any) -> list[tuple[str, str]]:
    """The export's choices as the page's button sends them again (the CSRF token aside)."""
    return [(name, value) for name, value in data.items() if name in forms.ExportForm.base_fields]


def _export_page(
    request: StaffRequest,
    staff: StaffMember,
    form: forms.ExportForm,
    chosen: exports.ComplaintFilter | None,
    status: int = 200,
) -> HttpResponse:
    data = request.POST if request.method == "POST" else request.GET
    ready = chosen is not None or not form.is_bound
    rows = None
    if ready:
        rows = exports.count_complaints(staff.landlord, chosen or exports.ComplaintFilter(reader_id=staff.user_id))
    return render(
        request,
        "insight/exports.html",
        _context(
            staff,
            "exports",
            form=form,
            errors=form.error_links(),
            query=urlencode(_export_choices(data)),
            ready=ready,
            rows=rows,
            # A format over its threshold is a button (a POST: it starts a build); one under it a link.
            in_background={kind: rows is not None and _in_background(kind, rows) for kind in EXPORT_KINDS},
            fields=_export_choices(data),
        ),
        status=status,
    )


@require_GET
@staff_view
def export_page(request: StaffRequest) -> HttpResponse:
    staff, form, chosen = _export_filter(request, request.GET)
    return _export_page(request, staff, form, chosen)


@require_http_methods(["GET", "POST"])
@staff_view
def export_file(request: StaffRequest, kind: str) -> HttpResponseBase:
    """A small export streams to the browser at once (a GET: it changes nothing). A large one is built by
    the worker: the export page's button (a POST) starts it; a GET shows the job or the button."""
    data = request.POST if request.method == "POST" else request.GET
    staff, form, chosen = _export_filter(request, data)
    if kind not in EXPORT_KINDS:
        raise Http404("No such format")
    if form.is_bound and chosen is None:
        if request.method == "POST":
            return _export_page(request, staff, form, None, status=400)
        return redirect(reverse("insight:exports") + "?" + request.GET.urlencode())
    chosen = chosen or exports.ComplaintFilter(reader_id=staff.user_id)
    name = f"{staff.landlord.slug}-complaints-{clock.today():%Y-%m-%d}"
    rows = exports.count_complaints(staff.landlord, chosen)
    if request.method == "POST" or _in_background(kind, rows):
        # Too many to make while the browser waits: the worker builds it, and its page shows how far it has got.
        report = Report(
            ReportJob.Kind.COMPLAINTS_CSV if kind == "csv" else ReportJob.Kind.COMPLAINTS_XLSX,
            chosen.parameters(),
            title=f"Complaints export ({rows:,} complaints)",
            file_name=f"{name}.{kind}",
            steps=rows,
        )
        back = f"{reverse('insight:exports')}?{urlencode(_export_choices(data))}"
        return ask_or_build(request, report, section="exports", back=back, fields=_export_choices(data))
    if kind == "csv":
        response: HttpResponseBase = StreamingHttpResponse(
            exports.complaints_csv(staff.landlord, chosen), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}.csv"'
        return response
    response = HttpResponse(
        exports.complaints_xlsx(staff.landlord, chosen),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.xlsx"'
    return response
