"""Reading a resident's needs as the reader may see them (5.10): the one answer the complaint page,
the needs pages and the API all use.

Every reader sees the adjustments (letters and calls must honour them) and whether a vulnerability
or a safeguarding concern is recorded; only `access.can_see_needs` readers see their detail. On a
complaint's page it costs two queries, whatever is recorded: the adjustments with the tasks they
set this complaint (one join), and the vulnerabilities with the safeguarding concerns (one union).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import CharField, DateField, F, FilteredRelation, Q, QuerySet, TextField, Value

from putright import clock
from putright.complaints import access
from putright.complaints.models import OPEN_STATUSES, AdjustmentTask, Complaint
from putright.landlords.models import StaffMember
from putright.people.models import ReasonableAdjustment, SafeguardingConcern, Vulnerability

Kind = ReasonableAdjustment.Kind


@dataclass(frozen=True)
class Restricted:
    """A vulnerability or a safeguarding concern, as the union query reads it."""

    kind: str  # "vulnerability" or "safeguarding"
    pk: int
    text: str
    on: date
    review_on: date | None  # a vulnerability's review; a concern's referral date
    referred_to: str
    outcome: str
    outcome_on: date | None

    def review_overdue(self, today: date) -> bool:
        return self.kind == "vulnerability" and self.review_on is not None and self.review_on < today


@dataclass(frozen=True)
class FormatItem:
    pk: int
    what: str


@dataclass
class Needs:
    """A resident's needs as one reader may see them, with what they ask of the complaint now."""

    detail: bool  # the reader may see vulnerabilities and safeguarding, and record and change needs
    today: date = field(default_factory=clock.today)
    adjustments: list[ReasonableAdjustment] = field(default_factory=list)
    vulnerabilities: list[Restricted] = field(default_factory=list)  # empty without `detail`
    concerns: list[Restricted] = field(default_factory=list)  # empty without `detail`
    vulnerable: bool = False
    safeguarding: bool = False
    phone_first: list[ReasonableAdjustment] = field(default_factory=list)  # no call yet at the current stage
    formats_outstanding: list[FormatItem] = field(default_factory=list)

    @property
    def anything(self) -> bool:
        return bool(self.adjustments or self.vulnerable or self.safeguarding or self.formats_outstanding)

    def reviews_overdue(self, today: date) -> int:
        return sum(a.review_overdue(today) for a in self.adjustments) + sum(
            v.review_overdue(today) for v in self.vulnerabilities
        )


def _restricted(person_id: int, works: StaffMember | None = None) -> tuple[list[Restricted], bool]:
    """The person's standing vulnerabilities and all their safeguarding concerns, and (with `works`)
    whether that member of staff handles one of the person's complaints: one query."""
    text: TextField[str, str] = TextField()
    vulnerabilities = Vulnerability.objects.filter(person_id=person_id, ended_on__isnull=True).values_list(
        Value("vulnerability", output_field=CharField()),
        "pk",
        F("description"),
        F("disclosed_on"),
        F("review_on"),
        Value("", output_field=text),
        Value("", output_field=text),
        Value(None, output_field=DateField()),
    )
    concerns = SafeguardingConcern.objects.filter(person_id=person_id).values_list(
        Value("safeguarding", output_field=CharField()),
        "pk",
        F("seen"),
        F("seen_on"),
        F("referred_on"),
        F("referred_to"),
        F("outcome"),
        F("outcome_on"),
    )
    parts: list[QuerySet[Any, Any]] = [concerns.order_by()]
    if works is not None:
        mine = Q(handler_id=works.user_id) | Q(stages__handler_id=works.user_id)
        parts.append(
            Complaint.objects.filter(mine, person_id=person_id, landlord_id=works.landlord_id)
            .values_list(
                Value("works", output_field=CharField()),
                "pk",
                Value("", output_field=text),
                F("received_on"),
                Value(None, output_field=DateField()),
                Value("", output_field=text),
                Value("", output_field=text),
                Value(None, output_field=DateField()),
            )
            .order_by()
        )
    rows = [Restricted(*row) for row in vulnerabilities.order_by().union(*parts, all=True)]
    found = sorted((r for r in rows if r.kind != "works"), key=lambda r: (r.kind, r.on, r.pk))
    return found, any(r.kind == "works" for r in rows)


def needs_of(staff: StaffMember, complaint: Complaint) -> Needs:
    """The needs of the complaint's resident as `staff` may see them, with the tasks they set its
    stages (the complaint's stages prefetched, as `queries.complaint_record` does)."""
    stages = list(complaint.stages.all())
    current = next((s for s in stages if s.number == complaint.stage), None)
    live = current is not None and complaint.status in OPEN_STATUSES
    tasks = FilteredRelation(
        "tasks",
        condition=Q(tasks__stage_id__in=[s.pk for s in stages])
        & (Q(tasks__done_on__isnull=True) | Q(tasks__stage_id=current.pk if live and current else 0)),
    )
    rows = (
        ReasonableAdjustment.objects.filter(person_id=complaint.person_id)
        .select_related("recorded_by")
        .annotate(
            shown=tasks,
            task_id=F("shown__id"),
            task_kind=F("shown__kind"),
            task_what=F("shown__what"),
            task_done=F("shown__done_on"),
        )
        .filter(Q(ended_on__isnull=True) | Q(task_id__isnull=False, task_done__isnull=True))
        .order_by("agreed_on", "id", "task_id")
    )
    needs = Needs(detail=False)
    seen: dict[int, ReasonableAdjustment] = {}
    called: set[int] = set()
    for row in rows:
        if row.pk not in seen and row.ended_on is None:
            seen[row.pk] = row
            needs.adjustments.append(row)
        if row.task_id is None:
            continue
        if row.task_kind == AdjustmentTask.Kind.PHONE_FIRST:
            called.add(row.pk)
        elif row.task_done is None:
            needs.formats_outstanding.append(FormatItem(row.task_id, row.task_what))
    if live:
        needs.phone_first = [a for a in needs.adjustments if a.kind == Kind.PHONE_FIRST and a.pk not in called]
    check = access.needs_check_of_work(staff, complaint)
    restricted, works = _restricted(complaint.person_id, staff if check else None)
    needs.vulnerable = any(r.kind == "vulnerability" for r in restricted)
    needs.safeguarding = any(r.kind == "safeguarding" for r in restricted)
    needs.detail = access.can_see_needs(staff, complaint.person_id, complaint, works_elsewhere=works)
    if needs.detail:
        needs.vulnerabilities = [r for r in restricted if r.kind == "vulnerability"]
        needs.concerns = [r for r in restricted if r.kind == "safeguarding"]
    return needs


def person_needs(staff: StaffMember, person_id: int) -> Needs:
    """A resident's needs as `staff` may see them, without a complaint (the API's resident view)."""
    adjustments = list(ReasonableAdjustment.objects.filter(person_id=person_id, ended_on__isnull=True))
    restricted, _ = _restricted(person_id)
    detail = access.can_see_needs(staff, person_id)
    return Needs(
        detail=detail,
        adjustments=adjustments,
        vulnerabilities=[r for r in restricted if r.kind == "vulnerability"] if detail else [],
        concerns=[r for r in restricted if r.kind == "safeguarding"] if detail else [],
        vulnerable=any(r.kind == "vulnerability" for r in restricted),
        safeguarding=any(r.kind == "safeguarding" for r in restricted),
    )
