"""/staff/insight/tp09/comments/<year>/: what residents wrote in the survey after closure (1.6).

The comments name complaints, so the complaints officer, managers and the auditor read them; the
Member Responsible for Complaints sees the year's figures on the TP09 page instead. A resident's
words are shown as text, never as markup."""

from __future__ import annotations

from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import render
from django.urls import path
from django.views.decorators.http import require_GET

from putright.insight.periods import year_label
from putright.surveys import access, queries
from putright.web.authorise import StaffRequest, staff_view
from putright.web.paging import PAGE_SIZE


@require_GET
@staff_view
def survey_comments(request: StaffRequest, year: int) -> HttpResponse:
    staff = access.require_comment_reader(request.user)
    page = Paginator(queries.comments(staff.landlord_id, year), PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "insight/survey_comments.html",
        {"section": "dashboard", "landlord": staff.landlord, "year": year, "label": year_label(year), "page": page},
    )


urlpatterns = [path("tp09/comments/<int:year>/", survey_comments, name="survey-comments")]
