"""Every staff page starts here, wherever it lives: who is asking, and what they may see (STYLE.md
habit 5).

`staff_view` turns away anyone who is not signed in (to the sign-in page) or not a landlord's staff
(403), keeps an active session alive, and answers a refusal from the domain (NotPermitted) with a
403 page, drawn in the workspace's page chrome, which every staff page shares. `complaint_for` and
`record_for` fetch through the access layer, so another landlord's complaint is a 404, exactly like
one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.models import User
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.cache import add_never_cache_headers

from putright import clock
from putright.complaints import access, queries
from putright.complaints.errors import NotPermitted
from putright.complaints.models import Complaint
from putright.landlords.models import StaffMember, StaffRole

# The session ends SESSION_COOKIE_AGE after it was last saved; saving it at most once a minute
# makes that "after 30 minutes without activity" without a database write on every request.
SESSION_RENEW_SECONDS = 60


class StaffRequest(HttpRequest):
    """A request from a signed-in member of a landlord's staff (what `staff_view` lets through)."""

    user: User
    staff: StaffMember


View = TypeVar("View", bound=Callable[..., HttpResponseBase])


def forbidden(request: HttpRequest, message: str) -> HttpResponse:
    return render(request, "workspace/forbidden.html", {"message": message}, status=403)


def _keep_alive(request: HttpRequest) -> None:
    now = int(clock.now().timestamp())
    if now - int(request.session.get("workspace_seen", 0)) >= SESSION_RENEW_SECONDS:
        request.session["workspace_seen"] = now


def staff_view(view: View) -> View:
    @wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        staff = access.staff_of(request.user)
        if staff is None:
            return forbidden(request, "Your account is not on the staff of a landlord, so it cannot use the workspace.")
        _keep_alive(request)
        if staff.role == StaffRole.MEMBER and not _in_insight(request):
            # The Member Responsible for Complaints reads insight only: their landing page is insight's.
            if request.resolver_match is not None and request.resolver_match.view_name == "workspace:my-work":
                return redirect("insight:dashboard")
            return forbidden(request, access.INSIGHT_ONLY)
        staff_request = cast(StaffRequest, request)
        staff_request.staff = staff
        try:
            response = view(staff_request, *args, **kwargs)
        except NotPermitted as refusal:
            response = forbidden(request, refusal.message)
        # Never kept by the browser: residents' details stay off shared machines' disks, and Back
        # shows a page as it is now, not as it was (a step's form is asked for again, not replayed).
        add_never_cache_headers(response)
        return response

    return cast(View, wrapper)


def _in_insight(request: HttpRequest) -> bool:
    match = request.resolver_match
    return match is not None and "insight" in match.namespaces


def complaint_for(request: StaffRequest, reference: str) -> Complaint:
    try:
        return access.get_complaint_for_staff(request.user, reference)
    except Complaint.DoesNotExist:
        raise Http404("No such complaint") from None


def record_for(request: StaffRequest, reference: str) -> Complaint:
    try:
        return queries.complaint_record(request.user, reference)
    except Complaint.DoesNotExist:
        raise Http404("No such complaint") from None
