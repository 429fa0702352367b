"""Which landlord the workspace acts for, for someone who works for several (a managing agent's staff).

Lists (My work, Team work, actions, search) show every landlord's work at once with the landlord on each
row; a page about one record acts for that record's landlord; the rest (logging a complaint, insight,
configuration, privacy) act for the landlord chosen here, which the "Acting for" bar on every page names.
"""

from __future__ import annotations

from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from putright.complaints import access
from putright.web.authorise import ACTING_FOR, StaffRequest, forbidden, staff_view


@require_POST
@staff_view
def act_for(request: StaffRequest) -> HttpResponse:
    raw = request.POST.get("landlord", "")
    place = next((p for p in access.places(request.user) if str(p.landlord_id) == raw), None)
    if place is None:
        return forbidden(request, "Choose one of the landlords you work for.")
    request.session[ACTING_FOR] = place.landlord_id
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}, require_https=request.is_secure()):
        back = ""
    # A page about one record belongs to that record's landlord: go to the start page instead of back to it.
    if not back or back.startswith("/staff/complaints/"):
        back = "/staff/"
    return redirect(back)
