"""Reading complaints: the worklist and the whole record of one, in a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import F, Prefetch, Q, QuerySet

from putright.complaints import access
from putright.complaints.models import (
    OPEN_STATUSES,
    ActionUpdate,
    Complaint,
    DefinitionPoint,
    Event,
    Extension,
    OutstandingAction,
    Remedy,
    Stage,
)


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
    ordered = complaints.select_related("person", "handler").order_by(F("next_due").asc(nulls_last=True), "id")
    return list(ordered[:limit])


def _filtered(complaints: QuerySet[Complaint], f: WorklistFilter) -> QuerySet[Complaint]:
    if f.open_only:
        complaints = complaints.filter(status__in=OPEN_STATUSES)
    if f.status:
        complaints = complaints.filter(status=f.status)
    if f.stage:
        complaints = complaints.filter(stage=f.stage)
    if f.handler_id:
        complaints = complaints.filter(handler_id=f.handler_id)
    if f.service_area:
        complaints = complaints.filter(service_area=f.service_area)
    if f.overdue_on:
        complaints = complaints.filter(status__in=OPEN_STATUSES, next_due__lt=f.overdue_on)
    if f.due_before:
        complaints = complaints.filter(next_due__lt=f.due_before)
    if f.received_from:
        complaints = complaints.filter(received_on__gte=f.received_from)
    if f.received_to:
        complaints = complaints.filter(received_on__lte=f.received_to)
    return complaints


def complaint_record(user: AbstractBaseUser | AnonymousUser | None, reference: str) -> Complaint:
    """One complaint with everything recorded on it, in a fixed number of queries.

    Raises Complaint.DoesNotExist for a reference that does not exist or is another landlord's.
    """
    stages = Stage.objects.select_related("handler").prefetch_related(
        Prefetch("points", DefinitionPoint.objects.order_by("number")),
        Prefetch("extensions", Extension.objects.select_related("recorded_by").order_by("id")),
        Prefetch("remedies", Remedy.objects.order_by("id")),
    )
    actions = OutstandingAction.objects.select_related("owner").prefetch_related(
        Prefetch("updates", ActionUpdate.objects.select_related("recorded_by"))
    )
    return (
        access.complaints_visible_to(user)
        .select_related("person", "representative", "handler", "landlord", "service_request", "related_to")
        .prefetch_related(
            Prefetch("stages", stages.order_by("number")),
            Prefetch("actions", actions),
            Prefetch("events", Event.objects.select_related("actor").order_by("at", "id")),
        )
        .get(reference=reference.strip().upper())
    )
