"""Every staff page starts here, wherever it lives: who is asking, and what they may see (STYLE.md
habit 5).

`staff_view` turns away anyone who is not signed in (to the sign-in page), sends anyone who must
give a second factor and has not yet in this session to give one (`second_factor_due`), turns away
anyone who is not a landlord's staff (403), keeps an active session alive, and answers a refusal
from the domain (NotPermitted) with a 403 page, drawn in the workspace's page chrome, which every
staff page shares. `complaint_for` and `record_for` fetch through the access layer, so another
landlord's complaint is a 404, exactly like one that does not exist.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

from django.contrib.auth.models import AnonymousUser, User
from django.contrib.auth.views import redirect_to_login
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.cache import add_never_cache_headers
from django.utils.http import urlencode
from django_otp import DEVICE_ID_SESSION_KEY, devices_for_user  # type: ignore[import-untyped]

from putright import clock
from putright.complaints import access, queries
from putright.complaints.errors import NotPermitted
from putright.complaints.models import Complaint
from putright.landlords import accounts as sign_in_records
from putright.landlords.models import StaffMember, StaffRole

# The session key of the landlord a person who works for several has chosen to act for (the workspace's
# "Acting for" bar); a page about one record acts for the record's landlord whatever it says.
ACTING_FOR = "putright_acting_for"

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
        acting = request.session.get(ACTING_FOR)
        if isinstance(acting, int):
            access.act_for(request.user, acting)
        staff = access.staff_of(request.user)
        if second_factor_due(request, staff):
            return to_second_factor(request)
        if staff is None:
            return forbidden(request, "Your account is not on the staff of a landlord, so it cannot use the workspace.")
        _keep_alive(request)
        readers = access.reading_places(request.user) if staff.role == StaffRole.MEMBER else []
        if readers and not _in_insight(request):
            # The Member at one landlord who works complaints at another: outside insight they act for the
            # latter (a page about one record then acts for the record's own landlord).
            staff = access.act_for(request.user, readers[0].landlord_id) or staff
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


# Who must give a second factor whatever their landlord says (issue 21): the roles that configure
# the service and see every complaint (kept with the sign-in records), and whoever can open /admin/.
SECOND_FACTOR_ROLES = sign_in_records.SECOND_FACTOR_ROLES


def second_factor_verified(request: HttpRequest) -> bool:
    """Whether this session has given a second factor since its password (django_otp.login marks it).

    Read from the session alone, not the device's row, so a verified page costs no extra query."""
    return bool(request.session.get(DEVICE_ID_SESSION_KEY))


def second_factor_required(user: User | AnonymousUser, staff: StaffMember | None) -> bool:
    """Whether this person must give a second factor: an officer, a manager or a Django admin always;
    anyone else when their landlord asks it of every role, or when they have set one up themselves."""
    if not user.is_authenticated:
        return False
    if user.is_staff or user.is_superuser:
        return True
    # One sign-in for every landlord they work for: the strictest of their places decides.
    held = access.places(user) or ([staff] if staff is not None else [])
    if any(place.role in SECOND_FACTOR_ROLES or place.landlord.second_factor_for_all_roles for place in held):
        return True
    return any(devices_for_user(user, confirmed=True))


def second_factor_due(request: HttpRequest, staff: StaffMember | None) -> bool:
    return not second_factor_verified(request) and second_factor_required(request.user, staff)


def to_second_factor(request: HttpRequest) -> HttpResponse:
    """To the page that asks for a code (or sets up the app first), coming back here after."""
    return redirect(f"{reverse('workspace:second-factor')}?{urlencode({'next': request.get_full_path()})}")


class AdminSecondFactorMiddleware:
    """/admin/ asks for the second factor as the workspace does, once its own sign-in has been passed.
    The admin's sign-in and sign-out pages stay open: a password comes first."""

    OPEN = ("/admin/login/", "/admin/logout/")

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        path = request.path_info
        if (
            path.startswith("/admin/")
            and not path.startswith(self.OPEN)
            and request.user.is_authenticated
            and (request.user.is_staff or request.user.is_superuser)
            and not second_factor_verified(request)
        ):
            return to_second_factor(request)
        return self.get_response(request)


def _in_insight(request: HttpRequest) -> bool:
    """Insight's pages, and what the landlord has published from them (the member reads both)."""
    match = request.resolver_match
    return match is not None and (
        bool({"insight", "publications"} & set(match.namespaces))
        or match.view_name == "contributions:insight-contractors"
    )


def acting_for_record(request: StaffRequest, landlord_id: int) -> StaffMember:
    """The rest of this request acts for the landlord of the record it fetched: the page says so, and every
    check runs on the user's place there (the record was fetched through the access layer, so they have one)."""
    place = access.act_for(request.user, landlord_id)
    if place is None:
        raise Http404("No such record")
    request.staff = place
    return place


def complaint_for(request: StaffRequest, reference: str) -> Complaint:
    try:
        complaint = access.get_complaint_for_staff(request.user, reference)
    except Complaint.DoesNotExist:
        raise Http404("No such complaint") from None
    acting_for_record(request, complaint.landlord_id)
    return complaint


def record_for(request: StaffRequest, reference: str) -> Complaint:
    try:
        complaint = queries.complaint_record(request.user, reference)
    except Complaint.DoesNotExist:
        raise Http404("No such complaint") from None
    acting_for_record(request, complaint.landlord_id)
    return complaint
