"""The measures: TSMs CH01 and CH02, timeliness, volumes, outcomes, refusals, remedies, the Ombudsman, TP09.

Every definition, with its provision or regulator reference and the edge cases decided, is in
docs/measures.md; the comments here only say how each is computed. Everything is counted by SQL
aggregates in a fixed number of queries, whatever the number of complaints. Working days cannot
be counted in portable SQL, so the timeliness queries group stages by their dates (a few
thousand groups a year at most, however many complaints) and the landlord's working-day
calendar is applied to each group in Python. Timeliness is always judged against the Code's own
numbers (CODE_POLICY), never the landlord's policy: a policy may be more generous than the Code,
and the regulator asks about the Code.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field, fields, is_dataclass
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from functools import cache
from typing import Any

from django.db.models import (
    BooleanField,
    Count,
    DecimalField,
    Exists,
    ExpressionWrapper,
    F,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth

from putright import clock
from putright.complaints.models import (
    Channel,
    Complaint,
    Decision,
    Extension,
    Remedy,
    ResidentUpdate,
    ServiceArea,
    Stage,
    Status,
    Tenure,
    other_areas,
)
from putright.complaints.queries import touching_area
from putright.complaints.updates import agreed_updates
from putright.insight import cache as figures_cache
from putright.insight import plans
from putright.insight.models import PerceptionSurvey
from putright.insight.periods import Period, month_start, quarter_label, quarter_of
from putright.landlords.calendars import policy_in_force, working_calendar
from putright.landlords.models import HomesCount, Landlord
from putright.ombudsman.models import ADVERSE_FINDINGS, FINDINGS_ON_MERITS, Determination, Finding
from putright.ombudsman.queries import Findings, findings_between
from putright.rules import floor, timescales
from putright.rules.policy import CODE_EXCLUSIONS, CODE_POLICY, Policy, PolicyError, RespondFrom
from putright.rules.updates import AgreedUpdate, Kept, kept

AddWorkingDays = Callable[[date, int], date]
ONE_DECIMAL = Decimal("0.1")
PENCE = Decimal("0.01")
WITHDRAWN = "withdrawn"
OUTCOMES = (*Decision.choices, (WITHDRAWN, "Withdrawn"))
NOT_RECORDED = "Not recorded"

# Working days to acknowledge, and to respond (counted from the acknowledgement), in bands.
ACKNOWLEDGE_BANDS = ((0, 0, "Same day"), (1, 1, "1"), (2, 2, "2"), (3, 3, "3"), (4, 4, "4"), (5, 5, "5"),
                     (6, 10, "6 to 10"), (11, None, "More than 10"))  # fmt: skip
RESPOND_BANDS = ((0, 5, "0 to 5"), (6, 10, "6 to 10"), (11, 15, "11 to 15"), (16, 20, "16 to 20"),
                 (21, 30, "21 to 30"), (31, 40, "31 to 40"), (41, None, "More than 40"))  # fmt: skip


def percent(part: int, whole: int) -> float | None:
    """`part` as a percentage of `whole`, one decimal place, halves rounded up; None when `whole` is 0."""
    if not whole:
        return None
    return float((Decimal(part) * 100 / Decimal(whole)).quantize(ONE_DECIMAL, ROUND_HALF_UP))


def per_thousand(count: int, homes: int | None) -> float | None:
    if not homes:
        return None
    return float((Decimal(count) * 1000 / Decimal(homes)).quantize(ONE_DECIMAL, ROUND_HALF_UP))


def average(total: int, count: int) -> float | None:
    if not count:
        return None
    return float((Decimal(total) / Decimal(count)).quantize(ONE_DECIMAL, ROUND_HALF_UP))


def money(value: Decimal | None) -> Decimal:
    return (value or Decimal(0)).quantize(PENCE, ROUND_HALF_UP)


# -- the figures --------------------------------------------------------------------------------


@dataclass(frozen=True)
class Counted:
    key: str
    label: str
    count: int


@dataclass(frozen=True)
class Share:
    part: int
    whole: int

    @property
    def percent(self) -> float | None:
        return percent(self.part, self.whole)

    def __add__(self, other: Share) -> Share:
        return Share(self.part + other.part, self.whole + other.whole)


@dataclass(frozen=True)
class Band:
    label: str
    count: int


@dataclass(frozen=True)
class Timing:
    """How many working days something took: how many, the average, and how they spread."""

    count: int
    total_days: int
    bands: list[Band]

    @property
    def average_days(self) -> float | None:
        return average(self.total_days, self.count)


@dataclass(frozen=True)
class PerHomes:
    complaints: int
    homes: int | None

    @property
    def per_1000(self) -> float | None:
        return per_thousand(self.complaints, self.homes)


@dataclass(frozen=True)
class OwnTarget:
    """A timescale where the landlord's policy is stricter than the Code (Medway's 10 working days at
    stage 2), and the share of the period's acknowledgements or responses that met it."""

    what: str  # "Responded within 10 working days of the acknowledgement (your policy)"
    provision: str  # the Code's provision it is stricter than
    within: Share


@dataclass(frozen=True)
class StageMeasures:
    number: int
    received: int  # CH01's count: accepted complaints (stage 1) or escalations (stage 2) received
    lcra: PerHomes  # CH01(n), low-cost rental
    lcho: PerHomes  # CH01(n), low-cost home ownership
    other_tenure: int
    acknowledged_within: Share  # within the Code's 5 working days (6.2, 6.11)
    to_acknowledge: Timing
    responded: int
    within_timescale: Share  # CH02(n): Code timescale, Code-compliant extensions counted as within
    within_without_extensions: Share
    extended: int  # responses that had any extension
    to_respond: Timing  # working days from acknowledgement to response
    outcomes: list[Counted]
    # Beside the Code's measures, never instead of them: the landlord's own targets where its policy is stricter.
    own_targets: list[OwnTarget] = field(default_factory=list)
    # Updates agreed with residents while responses were late (5.9), due in the period: how each was kept.
    updates: Kept = field(default_factory=Kept)

    @property
    def concluded(self) -> int:
        return sum(outcome.count for outcome in self.outcomes)


@dataclass(frozen=True)
class Refusals:
    not_accepted: int
    by_ground: list[Counted]
    by_service_area: list[Counted]
    escalation_refused: int
    escalation_refused_by_ground: list[Counted]


@dataclass(frozen=True)
class Compensation:
    financial_remedies: int
    offered: Decimal
    paid: Decimal  # delivered by the end of the period
    declined: Decimal
    statutory: Decimal
    quantifiable_loss: Decimal
    time_and_trouble: Decimal
    distress: Decimal


@dataclass(frozen=True)
class Remedies:
    by_kind: list[Counted]
    compensation: Compensation

    @property
    def total(self) -> int:
        return sum(kind.count for kind in self.by_kind)


@dataclass(frozen=True)
class Ombudsman:
    referrals: int
    by_service_area: list[Counted]
    # Determinations made in the period, whenever the case was referred (8.1 c, 9.7 c): the cases, and the
    # findings on each element by finding (every finding listed, so a year reads beside another).
    cases_determined: int
    findings: list[Counted]
    # The Ombudsman's maladministration rate: findings of severe maladministration, maladministration or
    # service failure, of the findings on the merits (outside jurisdiction is no finding about the landlord).
    maladministration_rate: Share


@dataclass(frozen=True)
class Tp09:
    year_starting: int
    respondents: int
    lcra: Share
    lcho: Share
    not_counted: int


@dataclass(frozen=True)
class Homes:
    year_starting: int
    lcra: int
    lcho: int


@dataclass(frozen=True)
class TrendPoint:
    label: str
    start: date
    stage1_received: int
    stage2_received: int
    stage1_acknowledged_within: Share
    stage2_acknowledged_within: Share
    stage1_within_timescale: Share
    stage2_within_timescale: Share

    def __add__(self, other: TrendPoint) -> TrendPoint:
        return TrendPoint(
            self.label,
            self.start,
            self.stage1_received + other.stage1_received,
            self.stage2_received + other.stage2_received,
            self.stage1_acknowledged_within + other.stage1_acknowledged_within,
            self.stage2_acknowledged_within + other.stage2_acknowledged_within,
            self.stage1_within_timescale + other.stage1_within_timescale,
            self.stage2_within_timescale + other.stage2_within_timescale,
        )


@dataclass(frozen=True)
class Measures:
    landlord: str
    period: Period
    service_area: str
    homes: Homes | None
    stage1: StageMeasures
    stage2: StageMeasures
    by_service_area: list[Counted]  # stage 1 complaints received
    stage2_by_service_area: list[Counted]
    by_channel: list[Counted]
    via_representative: int
    refusals: Refusals
    escalated: Share  # of stage 1 responses in the period, escalated by its end
    remedies: Remedies
    ombudsman: Ombudsman
    tp09: Tp09 | None
    monthly: list[TrendPoint] = field(default_factory=list)
    quarterly: list[TrendPoint] = field(default_factory=list)

    def stage(self, number: int) -> StageMeasures:
        return self.stage1 if number == 1 else self.stage2

    def as_data(self) -> dict[str, Any]:
        """Plain data for JSON: dates as ISO strings, money as strings with pence, derived figures included."""
        data: dict[str, Any] = as_data(self)
        return data


def as_data(value: Any) -> Any:
    if isinstance(value, Period):
        return {"start": value.start.isoformat(), "end": value.end.isoformat(), "label": value.label}
    if is_dataclass(value) and not isinstance(value, type):
        data = {f.name: as_data(getattr(value, f.name)) for f in fields(value)}
        for name in ("percent", "per_1000", "average_days", "concluded", "total", "fell_due"):
            if hasattr(type(value), name) and isinstance(getattr(type(value), name), property):
                data[name] = getattr(value, name)
        return data
    if isinstance(value, list | tuple):
        return [as_data(item) for item in value]
    if isinstance(value, Mapping):
        return {str(key): as_data(item) for key, item in value.items()}
    if isinstance(value, Decimal):
        return f"{value:.2f}"
    if isinstance(value, date):
        return value.isoformat()
    return value


# -- computing them -----------------------------------------------------------------------------


def _counted(counts: Mapping[str, int], labels: Iterable[tuple[str, str]], *, keep_all: bool = False) -> list[Counted]:
    """Counts in the order of `labels`, then anything unlabelled; zero rows only if `keep_all`."""
    known = dict(labels)
    rows = [Counted(key, label, counts.get(key, 0)) for key, label in known.items() if keep_all or counts.get(key)]
    rows += [Counted(key, known.get(key) or key or NOT_RECORDED, n) for key, n in counts.items() if key not in known]
    return rows


def _bands(days: Mapping[int, int], bands: tuple[tuple[int, int | None, str], ...]) -> list[Band]:
    return [
        Band(label, sum(n for d, n in days.items() if low <= d and (high is None or d <= high)))
        for low, high, label in bands
    ]


def _timing(days: Mapping[int, int], bands: tuple[tuple[int, int | None, str], ...]) -> Timing:
    return Timing(sum(days.values()), sum(d * n for d, n in days.items()), _bands(days, bands))


def ground_labels(landlord: Landlord) -> dict[str, str]:
    """Every refusal ground the landlord's policy versions have named, newest wording first."""
    labels = dict(CODE_EXCLUSIONS)
    for version in landlord.policy_versions.order_by("effective_from"):
        try:
            labels.update(version.policy().exclusions)
        except PolicyError:
            continue
    return labels


def _add_areas(counts: dict[str, int], lead: str, others: str, n: int) -> None:
    """Count `n` complaints under their lead area and under each other area they touch (issue 19)."""
    counts[lead] += n
    for area in other_areas(others):
        counts[area] += n


def _scoped(landlord: Landlord, service_area: str) -> tuple[QuerySet[Complaint], QuerySet[Stage]]:
    # Stages carry their complaint's landlord: every stage query below starts from an index on (landlord, date)
    # and reads only the period's rows, joining each to its complaint only where it needs the complaint.
    complaints = Complaint.objects.filter(landlord=landlord)
    stages = Stage.objects.filter(landlord=landlord)
    if service_area:
        # Every complaint that touches the area, leading or not (issue 19), each once.
        complaints = complaints.filter(touching_area(service_area))
        stages = stages.filter(touching_area(service_area, "complaint__"))
    return complaints.order_by(), stages.order_by()


@dataclass
class _StageTally:
    """What the grouped rows add up to for one stage."""

    received: dict[str, int] = field(default_factory=lambda: defaultdict(int))  # by tenure
    acknowledge_days: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    acknowledged_within: int = 0
    respond_days: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    within: int = 0
    within_without_extensions: int = 0
    extended: int = 0
    own_acknowledged_within: int = 0
    own_within: int = 0
    outcomes: dict[str, int] = field(default_factory=lambda: defaultdict(int))


@dataclass
class _MonthTally:
    received: list[int] = field(default_factory=lambda: [0, 0, 0])  # index by stage number
    acknowledged: list[list[int]] = field(default_factory=lambda: [[0, 0], [0, 0], [0, 0]])  # [within, all]
    responded: list[list[int]] = field(default_factory=lambda: [[0, 0], [0, 0], [0, 0]])


def code_response_due(add_working_days: AddWorkingDays, number: int, opened: date, acknowledged: date | None) -> date:
    """The Code's response date for a stage before any extension (6.3, 6.14).

    Counted from the acknowledgement, as the Code says, but never from later than the day the Code
    required the acknowledgement (6.2, 6.11): a late acknowledgement does not buy more time.
    """
    code = CODE_POLICY.stage(number)
    latest_start = add_working_days(opened, code.acknowledge_days)
    start = latest_start if acknowledged is None else min(acknowledged, latest_start)
    return add_working_days(start, code.respond_days)


def compliant_extension_days(number: int, told_in_time_days: int, good_reason: bool) -> int:
    """The working days of extension the Code allows to count: those the resident was told of before the
    deadline they extended, up to the Code's cap unless a good reason was recorded (6.4, 6.15)."""
    cap = CODE_POLICY.stage(number).extension_cap_days
    return told_in_time_days if good_reason else min(told_in_time_days, cap)


def _stricter_targets(policy: Policy) -> dict[int, tuple[bool, bool]]:
    """Per stage: (acknowledgement, response) where the landlord's own timescale is stricter than the Code's."""
    targets = {}
    for number in (1, 2):
        own, code = policy.stage(number), CODE_POLICY.stage(number)
        acknowledge = own.acknowledge_days < code.acknowledge_days
        respond = own.respond_days < code.respond_days or (
            own.respond_from is RespondFrom.RECEIPT and code.respond_from is not RespondFrom.RECEIPT
        )
        targets[number] = (acknowledge, respond)
    return targets


def _own_targets(policy: Policy, targets: dict[int, tuple[bool, bool]], number: int, t: _StageTally) -> list[OwnTarget]:
    own = policy.stage(number)
    ack, respond = targets[number]
    found = []
    if ack:
        provision = "6.2" if number == 1 else "6.11"
        what = f"Acknowledged within {own.acknowledge_days} working days (your policy)"
        found.append(OwnTarget(what, provision, Share(t.own_acknowledged_within, sum(t.acknowledge_days.values()))))
    if respond:
        provision = "6.3" if number == 1 else "6.14"
        start = "the acknowledgement" if own.respond_from is RespondFrom.ACKNOWLEDGEMENT else "receipt"
        what = f"Responded within {own.respond_days} working days of {start} (your policy)"
        found.append(OwnTarget(what, provision, Share(t.own_within, sum(t.respond_days.values()))))
    return found


def compute(landlord: Landlord, period: Period, service_area: str = "") -> Measures:
    """Every measure for `landlord` over `period`, optionally for one service area only.

    A period that ended before today is kept in the cache until the landlord's insight generation moves on
    (putright.insight.cache); the current one is always counted afresh.
    """
    if period.end >= clock.today():
        return _compute(landlord, period, service_area)
    return figures_cache.kept(
        lambda: figures_cache.closed_period_key(landlord, period.start, period.end, service_area, period.year_starting),
        lambda: _compute(landlord, period, service_area),
    )


def _compute(landlord: Landlord, period: Period, service_area: str) -> Measures:
    plans.without_jit()
    start, end = period.start, period.end
    within_period = (start, end)
    complaints, stages = _scoped(landlord, service_area)
    calendar = working_calendar(landlord)
    # The groups share a few hundred dates between them: ask the calendar about each date only once.
    add_working_days: AddWorkingDays = cache(calendar.add_working_days)
    working_days_between: Callable[[date, date], int] = cache(calendar.working_days_between)
    tally = {1: _StageTally(), 2: _StageTally()}
    months: dict[date, _MonthTally] = defaultdict(_MonthTally)
    # The landlord's own targets are those of the policy in force at the period's end: a report reads
    # "against your current policy". The Code's measures above stay the ones the Ombudsman counts.
    own_policy = floor.effective(policy_in_force(landlord, period.end))
    own_targets = _stricter_targets(own_policy)

    homes_row = HomesCount.objects.filter(landlord=landlord, year_starting=period.year_starting).order_by().first()
    homes = (
        Homes(period.year_starting, homes_row.low_cost_rental, homes_row.low_cost_home_ownership) if homes_row else None
    )

    # Stage 1 received (CH01(1)): accepted complaints by the day received; not accepted ones are refusals.
    # By area, a complaint counts under its lead area and under each other area it touches, read from the same
    # rows (Complaint.other_areas, issue 19); in the totals, once.
    represented = ExpressionWrapper(Q(representative__isnull=False), output_field=BooleanField())
    by_area: dict[str, int] = defaultdict(int)
    by_channel: dict[str, int] = defaultdict(int)
    via_representative = 0
    received = complaints.filter(received_on__range=within_period).exclude(status=Status.NOT_ACCEPTED)
    for row in received.values(
        "tenure", "service_area", "other_areas", "channel", month=TruncMonth("received_on"), represented=represented
    ).annotate(n=Count("id")):
        n = row["n"]
        _add_areas(by_area, row["service_area"], row["other_areas"], n)
        tally[1].received[row["tenure"]] += n
        by_channel[row["channel"]] += n
        via_representative += n if row["represented"] else 0
        months[row["month"]].received[1] += n

    # Stage 2 received (CH01(2)): escalations by the day the resident asked for stage 2. By month from the stages
    # alone; by tenure and area from their complaints, asked for as a set, so that PostgreSQL may read them from
    # the index complaints are counted by (a complaint has one stage 2 at most).
    stage2_by_area: dict[str, int] = defaultdict(int)
    escalations = stages.filter(number=2, opened_on__range=within_period)
    for row in escalations.values(month=TruncMonth("opened_on")).annotate(n=Count("id")):
        months[row["month"]].received[2] += row["n"]
    escalated_complaints = complaints.filter(pk__in=escalations.values("complaint_id"))
    for row in escalated_complaints.values("tenure", "service_area", "other_areas").annotate(n=Count("id")):
        _add_areas(stage2_by_area, row["service_area"], row["other_areas"], row["n"])
        tally[2].received[row["tenure"]] += row["n"]

    # Acknowledgements in the period, grouped by the two dates that decide their timeliness.
    acknowledge_days = {n: CODE_POLICY.stage(n).acknowledge_days for n in (1, 2)}
    for number, opened, acknowledged, n in (
        stages.filter(acknowledged_on__range=within_period)
        .values("number", "opened_on", "acknowledged_on")
        .annotate(n=Count("id"))
        .values_list("number", "opened_on", "acknowledged_on", "n")
    ):
        assert acknowledged is not None  # filtered on it
        days = working_days_between(opened, acknowledged)
        within = acknowledged <= add_working_days(opened, acknowledge_days[number])
        tally[number].acknowledge_days[days] += n
        tally[number].acknowledged_within += n if within else 0
        if own_targets[number][0]:
            own_due = timescales.acknowledgement_due(own_policy, calendar, number, opened)
            tally[number].own_acknowledged_within += n if acknowledged <= own_due else 0
        counts = months[month_start(acknowledged)].acknowledged[number]
        counts[0] += n if within else 0
        counts[1] += n

    # Responses in the period (CH02) and their outcomes. Those without an extension (most) are grouped by the
    # dates that decide their timeliness; those with one come one row per stage, its extensions summed, so
    # that no correlated subquery runs for each response (PostgreSQL would also JIT-compile such a plan).
    responses = stages.filter(responded_on__range=within_period)
    plain = (
        responses.filter(extension_days=0)
        .values("number", "opened_on", "acknowledged_on", "responded_on", "decision")
        .annotate(n=Count("id"))
        .values_list("number", "opened_on", "acknowledged_on", "responded_on", "decision", "n")
    )
    extensions = Extension.objects.filter(stage__in=responses.filter(extension_days__gt=0).values("pk"))
    extended = (
        extensions.order_by()
        .values("stage_id", "stage__number", "stage__opened_on", "stage__acknowledged_on", "stage__responded_on",
                "stage__decision")
        .annotate(
            told=Coalesce(Sum("days", filter=Q(late=False)), Value(0)),
            good=Count("id", filter=Q(late=False) & ~Q(good_reason="")),
        )
        .values_list("stage__number", "stage__opened_on", "stage__acknowledged_on", "stage__responded_on",
                     "stage__decision", "told", "good")
    )  # fmt: skip
    groups = [(*row, 0, False, False) for row in plain] + [(*row[:5], 1, row[5], row[6] > 0, True) for row in extended]
    for number, opened, acknowledged, responded, decision, n, told, good, any_extension in groups:
        due = code_response_due(add_working_days, number, opened, acknowledged)
        extended_due = add_working_days(due, compliant_extension_days(number, told, good)) if told else due
        stage = tally[number]
        stage.within += n if responded <= extended_due else 0
        stage.within_without_extensions += n if responded <= due else 0
        stage.extended += n if any_extension else 0
        if own_targets[number][1]:
            own_ack_due = timescales.acknowledgement_due(own_policy, calendar, number, opened)
            # As for the Code's: a late acknowledgement does not buy more time.
            own_start = own_ack_due if acknowledged is None else min(acknowledged, own_ack_due)
            own_due = timescales.response_due(own_policy, calendar, number, opened, own_start)
            cap = own_policy.stage(number).extension_cap_days
            own_due = add_working_days(own_due, (told if good else min(told, cap)) if told else 0)
            stage.own_within += n if responded <= own_due else 0
        stage.respond_days[working_days_between(acknowledged or opened, responded)] += n
        stage.outcomes[decision] += n
        counts = months[month_start(responded)].responded[number]
        counts[0] += n if responded <= extended_due else 0
        counts[1] += n

    # Stages withdrawn before their response: found from the complaints withdrawn in the period.
    for row in (
        stages.filter(
            complaint__landlord=landlord,
            number=F("complaint__stage"),
            responded_on__isnull=True,
            complaint__status=Status.WITHDRAWN,
            complaint__withdrawn_on__range=within_period,
        )
        .values("number")
        .annotate(n=Count("id"))
    ):
        tally[row["number"]].outcomes[WITHDRAWN] += row["n"]

    # Escalation rate: the stage 1 responses in the period (counted above), and how many were escalated by its
    # end: those whose complaint has a stage 2 asked for by then. A semi-join of the two sets of stages, each
    # read from its own index, never from the complaints.
    escalated_by_end = Exists(
        Stage.objects.filter(landlord=landlord, number=2, opened_on__lte=end, complaint_id=OuterRef("complaint_id"))
    )
    escalated = stages.filter(escalated_by_end, number=1, responded_on__range=within_period).count()

    # Refusals: complaints not accepted (by the day received) and escalations refused (by the day refused).
    labels = ground_labels(landlord)
    not_accepted: dict[str, int] = defaultdict(int)
    not_accepted_areas: dict[str, int] = defaultdict(int)
    refused_escalation: dict[str, int] = defaultdict(int)
    refusals = complaints.filter(
        Q(status=Status.NOT_ACCEPTED, received_on__range=within_period)
        | Q(escalation_refused=True, refused_on__range=within_period)
    )
    for row in refusals.values("escalation_refused", "refusal_ground", "service_area", "other_areas").annotate(
        n=Count("id")
    ):
        if row["escalation_refused"]:
            refused_escalation[row["refusal_ground"]] += row["n"]
        else:
            not_accepted[row["refusal_ground"]] += row["n"]
            _add_areas(not_accepted_areas, row["service_area"], row["other_areas"], row["n"])

    # Remedies in the responses issued in the period; money offered, paid by the end, declined.
    amount: DecimalField[Decimal, Decimal] = DecimalField(max_digits=12, decimal_places=2)
    total = ExpressionWrapper(
        F("amount_statutory") + F("amount_quantifiable_loss") + F("amount_time_and_trouble") + F("amount_distress"),
        output_field=amount,
    )
    remedies = Remedy.objects.filter(stage__in=stages.filter(responded_on__range=within_period).values("pk"))
    kinds: dict[str, int] = {}
    sums: dict[str, Decimal] = defaultdict(Decimal)
    financial = 0
    for row in (
        remedies.order_by()
        .values("kind")
        .annotate(
            n=Count("id"),
            offered=Sum(total, output_field=amount),
            paid=Sum(total, filter=Q(state=Remedy.State.DELIVERED, delivered_on__lte=end), output_field=amount),
            declined=Sum(total, filter=Q(state=Remedy.State.DECLINED), output_field=amount),
            statutory=Sum("amount_statutory"),
            quantifiable_loss=Sum("amount_quantifiable_loss"),
            time_and_trouble=Sum("amount_time_and_trouble"),
            distress=Sum("amount_distress"),
        )
    ):
        kinds[row["kind"]] = row["n"]
        financial += row["n"] if row["kind"] == Remedy.Kind.FINANCIAL else 0
        for name in ("offered", "paid", "declined", "statutory", "quantifiable_loss", "time_and_trouble", "distress"):
            sums[name] += row[name] or Decimal(0)

    ombudsman_areas: dict[str, int] = defaultdict(int)
    referrals = 0
    referred = complaints.filter(ombudsman_referred_on__range=within_period)
    for row in referred.values("service_area", "other_areas").annotate(n=Count("id")):
        _add_areas(ombudsman_areas, row["service_area"], row["other_areas"], row["n"])
        referrals += row["n"]
    determinations = Determination.objects.filter(case__landlord=landlord, determined_on__range=within_period)
    if service_area:
        determinations = determinations.filter(touching_area(service_area, "case__complaint__"))
    determined = list(determinations.order_by().values_list("case_id", "finding"))
    findings = Counter(finding for _, finding in determined)

    # Updates agreed with residents (5.9) that fell due in the period, by stage: how each went, as of today.
    today = clock.today()
    agreed: dict[int, list[AgreedUpdate]] = {1: [], 2: []}
    for number, update in agreed_updates(
        ResidentUpdate.objects.filter(stage__in=stages.values("pk"), due_on__range=within_period).order_by()
    ):
        agreed[number].append(update)

    survey = None
    if period.within_one_reporting_year:
        survey = (
            PerceptionSurvey.objects.filter(landlord=landlord, year_starting=period.year_starting).order_by().first()
        )

    def stage_measures(number: int) -> StageMeasures:
        t = tally[number]
        responded = sum(t.respond_days.values())
        return StageMeasures(
            number=number,
            received=sum(t.received.values()),
            lcra=PerHomes(t.received[Tenure.LCRA], homes.lcra if homes else None),
            lcho=PerHomes(t.received[Tenure.LCHO], homes.lcho if homes else None),
            other_tenure=t.received[Tenure.OTHER],
            acknowledged_within=Share(t.acknowledged_within, sum(t.acknowledge_days.values())),
            to_acknowledge=_timing(t.acknowledge_days, ACKNOWLEDGE_BANDS),
            responded=responded,
            within_timescale=Share(t.within, responded),
            within_without_extensions=Share(t.within_without_extensions, responded),
            extended=t.extended,
            to_respond=_timing(t.respond_days, RESPOND_BANDS),
            outcomes=_counted(t.outcomes, OUTCOMES, keep_all=True),
            own_targets=_own_targets(own_policy, own_targets, number, t),
            updates=kept(agreed[number], today),
        )

    monthly = [_trend_point(f"{month:%b %Y}", month, months[month]) for month in period.months()]
    quarterly: dict[tuple[int, int], TrendPoint] = {}
    for point in monthly:
        key = quarter_of(point.start)
        quarterly[key] = quarterly[key] + point if key in quarterly else _relabel(point, quarter_label(*key))

    return Measures(
        landlord=landlord.slug,
        period=period,
        service_area=service_area,
        homes=homes,
        stage1=stage_measures(1),
        stage2=stage_measures(2),
        by_service_area=_counted(by_area, ServiceArea.choices),
        stage2_by_service_area=_counted(stage2_by_area, ServiceArea.choices),
        by_channel=_counted(by_channel, Channel.choices),
        via_representative=via_representative,
        refusals=Refusals(
            not_accepted=sum(not_accepted.values()),
            by_ground=_counted(not_accepted, labels.items()),
            by_service_area=_counted(not_accepted_areas, ServiceArea.choices),
            escalation_refused=sum(refused_escalation.values()),
            escalation_refused_by_ground=_counted(refused_escalation, labels.items()),
        ),
        escalated=Share(escalated, sum(tally[1].respond_days.values())),
        remedies=Remedies(
            by_kind=_counted(kinds, Remedy.Kind.choices),
            compensation=Compensation(financial_remedies=financial, **{name: money(sums[name]) for name in _MONEY}),
        ),
        ombudsman=Ombudsman(
            referrals=referrals,
            by_service_area=_counted(ombudsman_areas, ServiceArea.choices),
            cases_determined=len({case for case, _ in determined}),
            findings=_counted(findings, Finding.choices, keep_all=True),
            maladministration_rate=Share(
                sum(findings[f] for f in ADVERSE_FINDINGS), sum(findings[f] for f in FINDINGS_ON_MERITS)
            ),
        ),
        tp09=Tp09(
            survey.year_starting,
            survey.rows,
            Share(survey.lcra_satisfied, survey.lcra_complainants),
            Share(survey.lcho_satisfied, survey.lcho_complainants),
            survey.not_counted,
        )
        if survey
        else None,
        monthly=monthly,
        quarterly=list(quarterly.values()),
    )


_MONEY = ("offered", "paid", "declined", "statutory", "quantifiable_loss", "time_and_trouble", "distress")


def _trend_point(label: str, month: date, t: _MonthTally) -> TrendPoint:
    return TrendPoint(
        label,
        month,
        t.received[1],
        t.received[2],
        Share(*t.acknowledged[1]),
        Share(*t.acknowledged[2]),
        Share(*t.responded[1]),
        Share(*t.responded[2]),
    )


def _relabel(point: TrendPoint, label: str) -> TrendPoint:
    return TrendPoint(label, *(getattr(point, f.name) for f in fields(point)[1:]))


def ombudsman_findings(landlord: Landlord, period: Period) -> Findings:
    """The Ombudsman's determinations made in the period, counted by finding, with the landlord's
    maladministration rate (failings found among findings on the merits). Every case determined in
    the period counts, whenever it was referred: one query (docs/ombudsman.md)."""
    return findings_between(landlord.pk, period.start, period.end)
