"""My work, Team work, Actions: the lists a member of staff starts the day from.

Every member of staff may read every complaint of their landlord (access.Capability.READ), so Team
work is open to every role; what a role cannot do (assigning) is left off the page, not refused.
The auditor has no work of their own: their start page is Team work, and their Actions page lists
every outstanding action at the landlord, to read.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from putright import clock
from putright.complaints import access, actions, queries
from putright.complaints.models import ActionUpdate, Complaint, OutstandingAction
from putright.complaints.policies import policy_for
from putright.landlords.calendars import working_calendar
from putright.web.authorise import StaffRequest, staff_view
from putright.web.forms import submit
from putright.web.paging import PAGE_SIZE
from putright.workspace import steps
from putright.workspace.forms import ActionUpdateForm, WorkFilterForm
from putright.workspace.presenters import Deadline, deadline


@dataclass(frozen=True)
class Row:
    complaint: Complaint
    deadline: Deadline | None
    can_assign: bool = False  # by the reader's role at this complaint's landlord


def _after(value: str) -> tuple[int, date | None, int] | None:
    """The keyset cursor 'PRIORITY.YYYY-MM-DD.ID' (or 'PRIORITY.none.ID' for complaints with no
    deadline): the worklist is ordered by priority, then deadline (6.1). Anything else: the first page."""
    priority, due, last = (value.split(".") + ["", "", ""])[:3]
    try:
        return (int(priority), None if due == "none" else date.fromisoformat(due), int(last))
    except ValueError:
        return None


def _cursor(complaint: Complaint) -> str:
    return f"{complaint.priority}.{complaint.next_due.isoformat() if complaint.next_due else 'none'}.{complaint.pk}"


def _worklist(request: StaffRequest, *, team: bool) -> HttpResponse:
    staff = request.staff
    access.require(staff, access.Capability.READ)
    handlers = queries.colleagues(request.user) if team else []
    landlords = [place.landlord for place in access.reading_places(request.user)]
    form = WorkFilterForm(request.GET, handlers=handlers, team=team, landlords=landlords)
    data = form.cleaned_data if form.is_valid() else {}
    today = clock.today()
    handler = data.get("handler") or ""
    filters = queries.WorklistFilter(
        status=data.get("status") or None,
        stage=int(data["stage"]) if data.get("stage") else None,
        handler_id=(int(handler) if handler.isdigit() else None) if team else staff.user_id,
        service_area=data.get("service_area") or None,
        overdue_on=today if data.get("overdue") else None,
        # Due by the end of this week, Monday to Sunday: anything before next Monday.
        due_before=today + timedelta(days=7 - today.weekday()) if data.get("due_this_week") else None,
        # Team work is for sharing out work still to do: the open complaints, by an index of their own.
        open_only=team and not data.get("status"),
        landlord_id=int(data["landlord"]) if data.get("landlord") else None,
    )
    search = queries.WorkSearch(
        text=data.get("q") or "",
        vulnerable=bool(data.get("vulnerable")),
        high_priority=bool(data.get("high_priority")),
        active_only=not team and not data.get("status"),
        unassigned=team and handler == "none",
    )
    after = _after(data.get("after") or "")
    found = queries.staff_worklist(request.user, filters, search, after=after, limit=PAGE_SIZE + 1)
    page, more = found[:PAGE_SIZE], len(found) > PAGE_SIZE
    # Each complaint's deadline by its own landlord's calendar, and what the reader may do by their role there.
    calendars = {landlord.pk: working_calendar(landlord) for landlord in {c.landlord for c in page}}
    rows = [
        Row(
            c,
            deadline(calendars[c.landlord_id], c.next_due, today, policy_for(c).amber_days) if c.next_due else None,
            access.can(staff, access.Capability.ASSIGN, c),
        )
        for c in page
    ]
    query = {key: value for key, value in request.GET.items() if key != "after" and value}
    # A reference typed into My work for a complaint that is not mine: offer the complaint itself.
    elsewhere = queries.find_by_reference(request.user, search.text) if not page and search.text else None
    return render(
        request,
        "workspace/worklist.html",
        {
            "team": team,
            "form": form,
            "rows": rows,
            "filtered": bool(query),
            "next_query": urlencode({**query, "after": _cursor(page[-1])}) if more else "",
            "first_query": urlencode(query) if after else "",
            "today": today,
            "elsewhere": elsewhere,
            "can_assign": any(row.can_assign for row in rows) or access.can(staff, access.Capability.ASSIGN),
            "several_landlords": len(landlords) > 1,
            # The auditor is shown Team work as their start page: nothing is ever assigned to them.
            "start_page": team and request.resolver_match is not None and request.resolver_match.url_name == "my-work",
        },
    )


@require_GET
@staff_view
def my_work(request: StaffRequest) -> HttpResponse:
    return _worklist(request, team=not access.has_work(request.staff))


@require_GET
@staff_view
def team_work(request: StaffRequest) -> HttpResponse:
    return _worklist(request, team=True)


@require_GET
@staff_view
def action_list(request: StaffRequest) -> HttpResponse:
    staff = request.staff
    access.require(staff, access.Capability.READ)
    today = clock.today()
    if access.has_work(staff):
        outstanding = queries.outstanding_actions(request.user)
    else:
        # The auditor owns no actions and handles no complaints: they read every one still to do.
        outstanding = list(
            access.actions_visible_to(request.user)
            .filter(completed_on__isnull=True)
            .select_related("complaint__landlord", "owner")
            .prefetch_related(Prefetch("updates", ActionUpdate.objects.select_related("recorded_by")))
            .order_by("due_on", "id")[:200]
        )
    calendars = {place.landlord_id: working_calendar(place.landlord) for place in access.places(request.user)}
    rows = [
        (
            action,
            deadline(calendars[action.complaint.landlord_id], action.due_on, today, 2),
            access.can_update_action(staff, action),
        )
        for action in outstanding
    ]
    return render(
        request,
        "workspace/actions.html",
        {
            "rows": rows,
            "can_update": any(row[2] for row in rows),
            "everyone": not access.has_work(staff),
            "several_landlords": len(access.reading_places(request.user)) > 1,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view
def action_update(request: StaffRequest, action_id: int) -> HttpResponse:
    try:
        action = queries.outstanding_action_for_staff(request.user, action_id)
    except OutstandingAction.DoesNotExist:
        raise Http404("No such action") from None
    steps.require_action_update(request.staff, action)
    form = ActionUpdateForm(request.POST or None, initial={"expected_version": action.complaint.version})

    def commit() -> OutstandingAction:
        data = form.cleaned_data
        done = (data["completed_on"] or clock.today()) if data["done"] else None
        return actions.update_action(
            action,
            request.user,
            note=data["note"],
            resident_told=data["resident_told"],
            completed_on=done,
            expected_version=data["expected_version"],
        )

    return submit(
        request,
        form,
        commit,
        template="workspace/action_update.html",
        context={"action": action},
        done=lambda _: reverse("workspace:actions"),
        message=lambda updated: "Action marked as done" if updated.completed_on else "Update recorded",
    )
