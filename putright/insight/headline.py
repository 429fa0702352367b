"""The dashboard's headline: the few figures a board reads first, each beside the same days a year earlier.

The period's figures come from the measures (putright.insight.measures), computed once for the period
and once for the same days a year before. Open and overdue stages are counted as they stand today
from the complaint rows themselves (their status, stage and next deadline, kept by the domain actions,
as the worklists read them), and as they stood a year ago read back from the stages' own dates: one
query each, whatever the number of complaints, and each reading only the stages still open (or never
answered), not the landlord's whole history.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from putright.complaints.models import OPEN_STATUSES, Complaint, DueKind, Extension, Stage, Status
from putright.complaints.queries import touching_area
from putright.insight import measures as m
from putright.insight import plans
from putright.insight.periods import Period
from putright.landlords.models import Landlord

UP, DOWN, SAME = "up", "down", "the same"
NEVER = date(9999, 12, 31)  # the answer date of a stage never answered, as the index stages_unanswered_on holds it


@dataclass(frozen=True)
class Change:
    """One figure for the period and the same figure a year earlier; `share` when it is a percentage."""

    now: float | None
    before: float | None
    share: m.Share | None = None
    share_before: m.Share | None = None

    @property
    def direction(self) -> str:
        """Up, down or the same; empty when either year has no figure to compare."""
        if self.now is None or self.before is None:
            return ""
        return UP if self.now > self.before else DOWN if self.now < self.before else SAME


@dataclass(frozen=True)
class ByStage:
    stage1: Change
    stage2: Change

    def __iter__(self) -> Iterator[tuple[int, Change]]:
        yield 1, self.stage1
        yield 2, self.stage2


@dataclass(frozen=True)
class OpenStages:
    """Open stages on a day, and those past the deadline they were waiting on, per stage."""

    open: tuple[int, int]
    overdue_acknowledgement: tuple[int, int]
    overdue_response: tuple[int, int]

    def overdue(self, number: int) -> int:
        return self.overdue_acknowledgement[number - 1] + self.overdue_response[number - 1]

    @property
    def stages(self) -> list[tuple[int, int, int, int, int]]:
        """(stage, open, overdue, overdue for acknowledgement, overdue for a response) for each stage."""
        return [
            (n, self.open[n - 1], self.overdue(n), self.overdue_acknowledgement[n - 1], self.overdue_response[n - 1])
            for n in (1, 2)
        ]


@dataclass(frozen=True)
class Headline:
    period: Period
    previous: Period
    per_1000_lcra: ByStage  # CH01, low-cost rental
    per_1000_lcho: ByStage  # CH01, low-cost home ownership
    has_lcho: bool  # the landlord counts shared owners' homes (else CH01 for LCHO says nothing)
    within_timescale: ByStage  # CH02
    acknowledged_within: ByStage  # 6.2, 6.11
    open_now: OpenStages
    today: date
    open_then: OpenStages  # as they stood a year before today
    year_ago: date

    @property
    def overdue(self) -> ByStage:
        now, then = self.open_now, self.open_then
        return ByStage(*(Change(now.overdue(n), then.overdue(n)) for n in (1, 2)))

    @property
    def open(self) -> ByStage:
        now, then = self.open_now.open, self.open_then.open
        return ByStage(Change(now[0], then[0]), Change(now[1], then[1]))


def open_stages(landlord: Landlord, service_area: str, today: date) -> OpenStages:
    """Today's open stages and the overdue among them (past the acknowledgement or response date they
    wait on, as stored on the complaint; a deadline of today is not yet missed)."""
    plans.without_jit()
    complaints = Complaint.objects.filter(landlord=landlord, status__in=OPEN_STATUSES)
    if service_area:
        complaints = complaints.filter(touching_area(service_area))  # leading or not, each once (issue 19)
    late = Q(next_due__lt=today)
    counts = complaints.order_by().aggregate(
        **{
            f"{name}{n}": Count("id", filter=Q(stage=n) & extra)
            for n in (1, 2)
            for name, extra in (
                ("open", Q()),
                ("ack", late & Q(next_due_kind=DueKind.ACKNOWLEDGE)),
                ("respond", late & Q(next_due_kind=DueKind.RESPOND)),
            )
        }
    )
    return OpenStages(
        open=(counts["open1"], counts["open2"]),
        overdue_acknowledgement=(counts["ack1"], counts["ack2"]),
        overdue_response=(counts["respond1"], counts["respond2"]),
    )


def open_stages_on(landlord: Landlord, service_area: str, day: date) -> OpenStages:
    """The stages that were open at the end of `day` and the overdue among them, read back from their dates.

    Open: opened by then, not yet responded to, and the complaint not yet withdrawn, refused or closed.
    Overdue: waiting for an acknowledgement due before `day`, or acknowledged and waiting for a response due
    before `day`, as the due date then stood: an extension recorded after `day` had not yet moved it.
    """
    plans.without_jit()
    # Read by the stage's own landlord, its answer date (never answered reads as the last day there is) and its
    # opening: one range of the index complaints migration 0011 made for exactly this expression, so only the
    # stages unanswered on `day` are read (those open, and those whose complaint ended without an answer),
    # never the landlord's history of answered ones; their complaints are then read one by one by key.
    stages = (
        Stage.objects.filter(landlord=landlord, opened_on__lte=day)
        .alias(answered_on=Coalesce(F("responded_on"), Value(NEVER)))
        .filter(answered_on__gt=day)
    )
    if service_area:
        stages = stages.filter(touching_area(service_area, "complaint__"))
    stages = stages.filter(
        (Q(complaint__withdrawn_on__isnull=True) | Q(complaint__withdrawn_on__gt=day))
        & (Q(complaint__closed_on__isnull=True) | Q(complaint__closed_on__gt=day))
        & ~Q(complaint__status=Status.NOT_ACCEPTED, complaint__refused_on__lte=day)
    )
    first_later_extension = (
        Extension.objects.filter(stage=OuterRef("pk"), resident_told_on__gt=day)
        .order_by("resident_told_on", "pk")
        .values("previous_due")[:1]
    )
    waiting_for_acknowledgement = Q(acknowledged_on__isnull=True) | Q(acknowledged_on__gt=day)
    counts = (
        stages.order_by()
        .annotate(response_due_then=Coalesce(Subquery(first_later_extension), F("response_due")))
        .aggregate(
            **{
                f"{name}{n}": Count("id", filter=Q(number=n) & extra)
                for n in (1, 2)
                for name, extra in (
                    ("open", Q()),
                    ("ack", waiting_for_acknowledgement & Q(acknowledge_due__lt=day)),
                    ("respond", ~waiting_for_acknowledgement & Q(response_due_then__lt=day)),
                )
            }
        )
    )
    return OpenStages(
        open=(counts["open1"], counts["open2"]),
        overdue_acknowledgement=(counts["ack1"], counts["ack2"]),
        overdue_response=(counts["respond1"], counts["respond2"]),
    )


def a_year_before(day: date) -> date:
    """The same day a year earlier (29 February becomes 28 February), as periods compare."""
    return Period(day, day).previous_year().start


def _shares(now: m.Share, before: m.Share) -> Change:
    return Change(now.percent, before.percent, now, before)


def headline(
    figures: m.Measures, previous: m.Measures, open_now: OpenStages, today: date, open_then: OpenStages
) -> Headline:
    """The headline of `figures`, set beside `previous` (the same measures for the same days a year earlier);
    today's open stages beside those open a year before today."""
    s1, s2, p1, p2 = figures.stage1, figures.stage2, previous.stage1, previous.stage2
    return Headline(
        period=figures.period,
        previous=previous.period,
        per_1000_lcra=ByStage(Change(s1.lcra.per_1000, p1.lcra.per_1000), Change(s2.lcra.per_1000, p2.lcra.per_1000)),
        per_1000_lcho=ByStage(Change(s1.lcho.per_1000, p1.lcho.per_1000), Change(s2.lcho.per_1000, p2.lcho.per_1000)),
        has_lcho=bool(figures.homes and figures.homes.lcho),
        within_timescale=ByStage(
            _shares(s1.within_timescale, p1.within_timescale), _shares(s2.within_timescale, p2.within_timescale)
        ),
        acknowledged_within=ByStage(
            _shares(s1.acknowledged_within, p1.acknowledged_within),
            _shares(s2.acknowledged_within, p2.acknowledged_within),
        ),
        open_now=open_now,
        today=today,
        open_then=open_then,
        year_ago=a_year_before(today),
    )
