"""Reading complaints: the worklist and the whole record of one, in a fixed number of queries."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser, User
from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet

from putright.complaints import access
from putright.complaints.models import (
    ACTIVE_STATUSES,
    OPEN_STATUSES,
    ActionUpdate,
    Complaint,
    ComplaintArea,
    DefinitionPoint,
    Event,
    Extension,
    OutstandingAction,
    Priority,
    Remedy,
    ServiceRequest,
    Stage,
    Status,
)
from putright.complaints.policies import policy_for, written_policy_for
from putright.landlords.calendars import policy_in_force, working_calendar
from putright.landlords.models import Landlord, PolicyVersion, StaffRole
from putright.people.models import ContactRestriction, ReasonableAdjustment, Vulnerability
from putright.rules import floor, timescales
from putright.rules.policy import CODE_POLICY, OUT_OF_TIME


@dataclass(frozen=True)
class WorklistFilter:
    status: str | None = None
    stage: int | None = None
    handler_id: int | None = None
    service_area: str | None = None
    overdue_on: date | None = None
    due_before: date | None = None
    received_from: date | None = None
    received_to: date | None = None
    open_only: bool = False
    landlord_id: int | None = None  # one of the landlords the reader works for (all of them when None)


def worklist(
    user: AbstractBaseUser | AnonymousUser | None,
    filters: WorklistFilter,
    *,
    after: tuple[date | None, int] | None = None,
    limit: int = 50,
) -> list[Complaint]:
    """Complaints the user may see, by next deadline (those with none last), then by id.

    Keyset pagination: `after` is the (next_due, id) of the last row of the previous page, so pages
    stay stable while complaints are added and the cost of a page does not grow with its depth.
    """
    complaints = _filtered(access.complaints_visible_to(user), filters)
    if after is not None:
        due, last_id = after
        if due is None:
            complaints = complaints.filter(next_due__isnull=True, id__gt=last_id)
        else:
            complaints = complaints.filter(
                Q(next_due__gt=due) | Q(next_due=due, id__gt=last_id) | Q(next_due__isnull=True)
            )
    # Explicitly NULLs last: PostgreSQL and SQLite disagree on where NULLs sort by default.
    ordered = complaints.select_related("person", "handler", "policy_version", "landlord").order_by(
        F("next_due").asc(nulls_last=True), "id"
    )
    return list(ordered[:limit])


def touching_area(area: str, prefix: str = "") -> Q:
    """The complaints that touch a standard service area, leading or not (issue 19): one condition on the row,
    with an indexed semi-join, so a complaint is found once however many of its areas map to `area`. The lead
    area is the complaint's own `service_area`, so a complaint whose areas were never listed is found too.
    `prefix` reaches them from a related row ("complaint__")."""
    return Q(**{f"{prefix}service_area": area}) | Q(
        **{f"{prefix}pk__in": ComplaintArea.objects.filter(standard_area=area).values("complaint_id")}
    )


def _filtered(complaints: QuerySet[Complaint], f: WorklistFilter) -> QuerySet[Complaint]:
    if f.landlord_id:
        complaints = complaints.filter(landlord_id=f.landlord_id)
    if f.open_only:
        complaints = complaints.filter(status__in=OPEN_STATUSES)
    if f.status:
        complaints = complaints.filter(status=f.status)
    if f.stage:
        complaints = complaints.filter(stage=f.stage)
    if f.handler_id:
        complaints = complaints.filter(handler_id=f.handler_id)
    if f.service_area:
        complaints = complaints.filter(touching_area(f.service_area))
    if f.overdue_on:
        complaints = complaints.filter(status__in=OPEN_STATUSES, next_due__lt=f.overdue_on)
    if f.due_before:
        complaints = complaints.filter(next_due__lt=f.due_before)
    if f.received_from:
        complaints = complaints.filter(received_on__gte=f.received_from)
    if f.received_to:
        complaints = complaints.filter(received_on__lte=f.received_to)
    return complaints


def timeline(complaint: Complaint) -> list[dict[str, Any]]:
    """The complaint's events, oldest first, as plain rows with the actor's username: one query,
    and no model objects, so a long history stays cheap to show."""
    rows = (
        Event.objects.filter(complaint=complaint)
        .order_by("at", "id")
        .values("at", "kind", "stage", "summary", "before", "after", actor_name=F("actor__username"))
    )
    return [dict(row) for row in rows]


def complaint_record(
    user: AbstractBaseUser | AnonymousUser | None, reference: str, *, with_events: bool = True
) -> Complaint:
    """One complaint with everything recorded on it, in a fixed number of queries.

    Raises Complaint.DoesNotExist for a reference that does not exist or is another landlord's.
    With `with_events=False` the timeline is left to `timeline()`.
    """
    # People are shown by name only: loading just those columns keeps a long timeline cheap.
    names = ("username", "first_name", "last_name")
    stages = Stage.objects.select_related("handler").prefetch_related(
        Prefetch("points", DefinitionPoint.objects.order_by("number")),
        Prefetch("extensions", Extension.objects.select_related("recorded_by").order_by("id")),
        Prefetch("remedies", Remedy.objects.order_by("id")),
    )
    actions = OutstandingAction.objects.select_related("owner").prefetch_related(
        Prefetch("updates", ActionUpdate.objects.select_related("recorded_by"))
    )
    events = Event.objects.select_related("actor").only(
        "complaint_id", "at", "kind", "stage", "summary", "before", "after", *(f"actor__{n}" for n in names)
    )
    # A narrow join for what every complaint has; what only some have is fetched only when present
    # (a prefetch of an empty foreign key costs no query), which keeps PostgreSQL's planning short.
    complaint = (
        access.complaints_visible_to(user)
        .select_related("person", "handler", "landlord")
        .prefetch_related(
            "representative",
            "refused_by",
            "service_request",
            "related_to",
            Prefetch("stages", stages.order_by("number")),
            Prefetch("areas", ComplaintArea.objects.select_related("landlord_area")),
            Prefetch("actions", actions),
            *([Prefetch("events", events.order_by("at", "id"))] if with_events else []),
        )
        .get(reference=reference.strip().upper())
    )
    access.act_for(user, complaint.landlord_id)  # the rest of the request acts for the complaint's landlord
    return complaint


# -- the staff workspace -----------------------------------------------------------------------


@dataclass(frozen=True)
class WorkSearch:
    """What a member of staff narrows a worklist by, beyond `WorklistFilter`."""

    text: str = ""  # a complaint reference, or part of the resident's name
    vulnerable: bool = False  # the resident disclosed a vulnerability or agreed an adjustment (5.10)
    active_only: bool = False  # leave out closed, withdrawn and not accepted complaints
    unassigned: bool = False  # only complaints with no handler
    high_priority: bool = False  # only complaints triaged as high priority (6.1)


REFERENCE = re.compile(r"^[A-Z]{2,6}-(SR-)?\d{4}-\d{1,8}$")


def staff_worklist(
    user: AbstractBaseUser | AnonymousUser | None,
    filters: WorklistFilter,
    search: WorkSearch = WorkSearch(),
    *,
    after: tuple[int, date | None, int] | None = None,
    limit: int = 50,
) -> list[Complaint]:
    """The worklist with search and markers, high priority first and then by next deadline (6.1),
    in one query whatever the size.

    Each complaint carries `resident_vulnerable` and `resident_adjusted` (5.10, 6.1), answered by
    indexed EXISTS subqueries, so the page stays one query. Keyset pagination: `after` is the last
    row's (priority, next deadline, id).
    """
    complaints = _filtered(access.complaints_visible_to(user), filters)
    # Only needs that stand: an ended adjustment or vulnerability no longer marks the row.
    vulnerable = Exists(Vulnerability.objects.filter(person_id=OuterRef("person_id"), ended_on__isnull=True))
    adjusted = Exists(ReasonableAdjustment.objects.filter(person_id=OuterRef("person_id"), ended_on__isnull=True))
    # A contact restriction in force (5.14): shown wherever someone might contact the resident.
    restricted = Exists(ContactRestriction.objects.in_force().filter(person_id=OuterRef("person_id")))
    complaints = complaints.annotate(
        resident_vulnerable=vulnerable, resident_adjusted=adjusted, resident_restricted=restricted
    )
    if search.active_only:
        complaints = complaints.filter(status__in=ACTIVE_STATUSES)
    if search.unassigned:
        complaints = complaints.filter(handler__isnull=True)
    if search.vulnerable:
        complaints = complaints.filter(Q(resident_vulnerable=True) | Q(resident_adjusted=True))
    if search.high_priority:
        complaints = complaints.filter(priority=Priority.HIGH)
    text = " ".join(search.text.split())[:200]
    if text:
        if REFERENCE.match(text.upper()):
            complaints = complaints.filter(reference=text.upper())
        elif text.isdigit():
            complaints = complaints.filter(reference__endswith=f"-{int(text):05d}")
        else:
            complaints = complaints.filter(person__name__icontains=text)
    if after is not None:
        priority, due, last_id = after
        if due is None:
            same_priority = Q(next_due__isnull=True, id__gt=last_id)
        else:
            same_priority = Q(next_due__gt=due) | Q(next_due=due, id__gt=last_id) | Q(next_due__isnull=True)
        complaints = complaints.filter(Q(priority__gt=priority) | (Q(priority=priority) & same_priority))
    # The representative joins too, for whether letters can reach the resident (5.12): no query more.
    ordered = complaints.select_related("person", "representative", "handler", "policy_version", "landlord").order_by(
        "priority", F("next_due").asc(nulls_last=True), "id"
    )
    return list(ordered[:limit])


def find_by_reference(user: AbstractBaseUser | AnonymousUser | None, text: str) -> Complaint | None:
    """The complaint whose full reference was typed, if the user may see it (one indexed query)."""
    reference = " ".join(text.split()).upper()
    if not REFERENCE.match(reference):
        return None
    return access.complaints_visible_to(user).filter(reference=reference).first()


def similar_open_complaints(
    user: AbstractBaseUser | AnonymousUser | None,
    *,
    name: str,
    email: str = "",
    phone: str = "",
    tenancy_reference: str = "",
    limit: int = 10,
) -> list[Complaint]:
    """Active complaints by what looks like the same resident: the same email, phone, tenancy
    reference, or exactly the same name. Shown as a warning before logging another one."""
    same = Q(person__name__iexact=name.strip()) if name.strip() else Q(pk__in=[])
    if email.strip():
        same |= Q(person__email__iexact=email.strip())
    if phone.strip():
        same |= Q(person__phone=phone.strip())
    if tenancy_reference.strip():
        same |= Q(person__tenancy_reference__iexact=tenancy_reference.strip())
    return list(
        access.complaints_visible_to(user)
        .filter(same, status__in=ACTIVE_STATUSES)
        .select_related("person")
        .order_by("-received_on", "-id")[:limit]
    )


def outstanding_actions(user: AbstractBaseUser | AnonymousUser | None, *, limit: int = 200) -> list[OutstandingAction]:
    """Actions not yet done on complaints the user handles or that are theirs to do (6.6, 6.17),
    the soonest due first, with their updates, in two queries."""
    staff = access.staff_of(user)
    if staff is None:
        return []
    mine = Q(owner_id=staff.user_id) | Q(complaint__handler_id=staff.user_id)
    return list(
        access.actions_visible_to(user)
        .filter(mine, completed_on__isnull=True)
        .select_related("complaint__landlord", "owner")
        .prefetch_related(Prefetch("updates", ActionUpdate.objects.select_related("recorded_by")))
        .order_by("due_on", "id")[:limit]
    )


def outstanding_action_for_staff(user: AbstractBaseUser | AnonymousUser | None, action_id: int) -> OutstandingAction:
    """One outstanding action on a complaint at the user's landlord; DoesNotExist for any other."""
    staff = access.staff_of(user)
    if staff is None:
        raise OutstandingAction.DoesNotExist
    return access.actions_visible_to(user).select_related("complaint", "owner").get(pk=action_id)


def service_requests(
    user: AbstractBaseUser | AnonymousUser | None, *, open_only: bool = False, offset: int = 0, limit: int = 50
) -> list[ServiceRequest]:
    """The landlord's service requests, newest first, with how many complaints each raised (1.4, 1.5)."""
    requests = access.service_requests_visible_to(user)
    if open_only:
        requests = requests.filter(status=ServiceRequest.State.OPEN)
    requests = requests.select_related("person", "landlord").annotate(complaint_count=Count("complaints"))
    return list(requests.order_by("-received_on", "-id")[offset : offset + limit])


def colleagues_who_can_handle(complaint: Complaint, stage: int, stage1_handler_id: int | None) -> list[User]:
    """Staff of the complaint's landlord who could handle `stage`: never the stage 1 handler at
    stage 2 (6.13), and only reviewers and supervisors at stage 2."""
    roles: tuple[StaffRole, ...] = (StaffRole.REVIEWER, *access.SUPERVISORS)
    if stage == 1:
        roles = (StaffRole.HANDLER, *roles)
    # One condition on the same place: their role at this complaint's landlord, whatever it is elsewhere.
    users = User.objects.filter(staff__landlord_id=complaint.landlord_id, staff__role__in=roles, is_active=True)
    if stage == 2 and stage1_handler_id is not None:
        users = users.exclude(pk=stage1_handler_id)
    return list(users.order_by("first_name", "last_name", "username"))


def colleagues(user: AbstractBaseUser | AnonymousUser | None) -> list[User]:
    """Active staff of the user's landlord who can be given work (everyone but auditors)."""
    staff = access.staff_of(user)
    if staff is None:
        return []
    givable = [role for role in StaffRole if role not in (StaffRole.AUDITOR, StaffRole.MEMBER)]
    return list(
        User.objects.filter(staff__landlord_id=staff.landlord_id, staff__role__in=givable, is_active=True).order_by(
            "first_name", "last_name", "username"
        )
    )


@dataclass(frozen=True)
class ExtensionPreview:
    stage: int
    current_due: date
    new_due: date
    days: int
    total_days: int
    cap_days: int

    @property
    def needs_good_reason(self) -> bool:
        return self.total_days > self.cap_days


def extension_preview(complaint: Complaint, stage: Stage, days: int) -> ExtensionPreview:
    """What extending `stage` by `days` working days would make its response date, and whether the
    total passes the policy's cap (6.4, 6.15): nothing is changed."""
    check = timescales.check_extension(policy_for(complaint), stage.number, [stage.extension_days], days)
    new_due = working_calendar(complaint.landlord).add_working_days(stage.response_due, days)
    return ExtensionPreview(stage.number, stage.response_due, new_due, days, check.total_days, check.cap_days)


def acceptance_preview(landlord: Landlord, issue_date: date, received_on: date) -> timescales.AcceptanceCheck:
    """Whether a complaint about an issue of `issue_date` received on `received_on` is inside the
    acceptance window of the policy in force that day (2.3)."""
    return timescales.acceptance_check(policy_in_force(landlord, received_on), issue_date, received_on)


@dataclass(frozen=True)
class AcceptanceFacts:
    """The acceptance window (2.3) over a set of complaints: the Code's 12 months and the landlord's
    own window apart, since a weaker window in the policy never decides a complaint."""

    policy_windows: tuple[int | None, ...]  # each window the policies state, in months; None: not stated
    accepted_outside_code: int
    accepted_outside_code_with_note: int
    refused_inside_code: int  # refused as out of time inside the Code's 12 months: a finding

    @property
    def policy_window_text(self) -> str:
        stated = sorted({months for months in self.policy_windows if months is not None})
        if not self.policy_windows:
            return "has no version recorded, so the Code's applies"
        if not stated:
            return "does not state one, so the Code's applies"
        months = " and ".join(f"{n}" for n in stated)
        return f"states {months} month{'s' if stated[-1] != 1 else ''}" + (
            "" if all(n >= CODE_POLICY.acceptance_window_months for n in stated) else " (the Code's 12 apply)"
        )


def acceptance_facts(complaints: QuerySet[Complaint]) -> AcceptanceFacts:
    """Count, over `complaints`, those accepted from outside the Code's 12 months (and whether each
    records the discretion considered) and those refused as out of time inside them."""
    rows = list(
        complaints.order_by().values_list(
            "issue_date", "received_on", "status", "refusal_ground", "discretion_note", "policy_version_id"
        )
    )
    version_ids = {row[5] for row in rows if row[5] is not None}
    windows = {
        version.pk: None if "acceptance_window_months" in policy.not_stated else policy.acceptance_window_months
        for version in PolicyVersion.objects.filter(pk__in=version_ids)
        for policy in (version.policy(),)
    }
    outside = with_note = refused_inside = 0
    for issue_date, received_on, status, ground, note, _ in rows:
        if issue_date is None:
            continue
        inside = timescales.acceptance_check(CODE_POLICY, issue_date, received_on).inside
        if status == Status.NOT_ACCEPTED:
            if ground == OUT_OF_TIME and inside:
                refused_inside += 1
        elif not inside:
            outside += 1
            if note:
                with_note += 1
    return AcceptanceFacts(tuple(windows.values()), outside, with_note, refused_inside)


def floor_notes(complaint: Complaint, stage: int, settings: tuple[str, ...] | None = None) -> list[str]:
    """The short lines staff see where the landlord's policy says otherwise and the Code applies
    (the Code is the floor), for a stage's timescales and cap, and at stage 1 the acceptance window;
    or for just the `settings` named ("extension_cap_days")."""
    wanted = settings or ("acknowledge_days", "respond_days", "extension_cap_days")
    names = {f"stage{stage}.{key}" for key in wanted}
    if stage == 1 and settings is None:
        names.add("acceptance_window_months")
    written = written_policy_for(complaint)
    return [o.describe(complaint.landlord.name) for o in floor.overrides(written) if o.setting in names]
