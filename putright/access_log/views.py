"""/staff/privacy/access-log/: who opened residents' sensitive records and confidential complaints.

Complaints officers and managers read their own landlord's log; everyone else is refused with a
sentence (403). The page is one query for the rows and one for the staff to filter by, however long
the log; the CSV is streamed as it is read.
"""

from __future__ import annotations

from django.contrib.auth.models import User
from django.http import HttpResponse, StreamingHttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.views.decorators.http import require_GET

from putright import clock
from putright.access_log.access import require_log_reader
from putright.access_log.forms import AccessFilterForm
from putright.access_log.queries import AccessFilter, csv_lines, log_of
from putright.web.authorise import StaffRequest, staff_view
from putright.web.paging import PAGE_SIZE, page_number


def _colleagues(landlord_id: int) -> list[User]:
    return list(User.objects.filter(staff__landlord_id=landlord_id).order_by("first_name", "last_name", "username"))


def _chosen(form: AccessFilterForm) -> AccessFilter | None:
    """The filter the form asks for; None while it has errors (the page shows them, not rows)."""
    if not form.is_bound:
        return AccessFilter()
    if not form.is_valid():
        return None
    data = form.cleaned_data
    return AccessFilter(
        user_id=int(data["user"]) if data.get("user") else None,
        kind=data.get("kind") or "",
        since=data.get("since"),
        until=data.get("until"),
        record=data.get("record") or "",
    )


@require_GET
@staff_view
def log_page(request: StaffRequest) -> HttpResponse:
    staff = require_log_reader(request.user)
    form = AccessFilterForm(request.GET or None, colleagues=_colleagues(staff.landlord_id))
    chosen = _chosen(form)
    page = page_number(request)
    rows = []
    if chosen is not None:
        rows = list(log_of(staff.landlord_id, chosen)[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    params = request.GET.copy()
    params.pop("page", None)
    query = params.urlencode()
    return render(
        request,
        "access_log/log.html",
        {
            "form": form,
            "errors": form.error_links(),
            "rows": rows[:PAGE_SIZE],
            "page": page,
            "more": len(rows) > PAGE_SIZE,
            "query": query,
            "filtered": any(params.values()),
        },
    )


@require_GET
@staff_view
def log_csv(request: StaffRequest) -> HttpResponseBase:
    staff = require_log_reader(request.user)
    form = AccessFilterForm(request.GET or None, colleagues=_colleagues(staff.landlord_id))
    chosen = _chosen(form)
    if chosen is None:
        return render(
            request,
            "access_log/log.html",
            {"form": form, "errors": form.error_links(), "rows": [], "page": 1, "more": False, "filtered": True},
            status=400,
        )
    response = StreamingHttpResponse(csv_lines(log_of(staff.landlord_id, chosen)), content_type="text/csv")
    response["Content-Disposition"] = f'attachment; filename="access-log-{clock.today():%Y-%m-%d}.csv"'
    return response
