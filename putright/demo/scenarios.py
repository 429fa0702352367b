"""What will happen to each demo complaint, decided up front from a seeded random generator.

A Scenario is a plan in working-day offsets ("acknowledged 2 working days after receipt, answered
3 working days before the deadline, escalated 12 days later"); `stories` turns it into dated calls
of the domain actions and stops at today, so recent complaints are naturally still open. A fixed
set of scenarios guarantees every state the demo must show (due today, due soon, overdue,
extended beyond the cap, each status) whatever the number of complaints asked for.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from putright.complaints.models import Channel
from putright.demo import people, wording
from putright.people.models import Person
from putright.rules import timescales
from putright.rules.calendar import WorkingCalendar
from putright.rules.policy import LEGAL_PROCEEDINGS, OUT_OF_TIME, Policy

HISTORY_DAYS = 548  # about 18 months

# Where a forced scenario stops: the named step and everything after it never happen.
ACKNOWLEDGE, RESPOND, CLOSE = "acknowledge", "respond", "close"
STAGE2_ACKNOWLEDGE, STAGE2_RESPOND, STAGE2_CLOSE = "stage2-acknowledge", "stage2-respond", "stage2-close"

CHANNELS = (
    (Channel.ONLINE, 30),
    (Channel.EMAIL, 25),
    (Channel.PHONE, 25),
    (Channel.LETTER, 7),
    (Channel.IN_PERSON, 5),
    (Channel.SOCIAL_MEDIA, 4),
    (Channel.STAFF, 4),
)
AREAS = (
    ("repairs", 38),
    ("damp-mould", 16),
    ("asb", 10),
    ("estate", 9),
    ("rent", 7),
    ("allocations", 5),
    ("staff-conduct", 5),
    ("tenancy", 3),
    ("contractor", 3),
    ("homelessness", 1),
    ("other", 3),
)
ANY_DAY_CHANNELS = (Channel.ONLINE, Channel.EMAIL, Channel.SOCIAL_MEDIA)


@dataclass(frozen=True)
class StageHistory:
    """One stage's course in working days; None where the step never happens."""

    ack_after: int | None = 2  # working days after the stage opened (the resident's request at stage 2)
    extensions: tuple[int, ...] = ()  # working days each; beyond the cap needs (and gets) a good reason
    extend_early: bool = False  # recorded soon after acknowledgement rather than just before the deadline
    update_interval: bool = False  # agree how often to update the resident once the response will be late
    updates_late: bool = False  # one of those updates goes a day or two after it was due
    respond_slack: int | None = -2  # working days from the response deadline: negative early, positive late
    leaning: float = 0.45  # how likely each point is upheld
    financial: bool = False
    action: bool = False
    action_days: int = 20  # working days after the response the outstanding action is due
    action_late_days: int = 0  # working days after its due date it is done (0: on time, or a little early)
    close_after: int | None = 10  # working days after the response


@dataclass(frozen=True)
class Scenario:
    received: date
    person: Person
    area: str
    subject: str
    channel: str
    representative: people.RepresentativeChoice | None = None
    issue_days_before: int = 10
    outside_window: bool = False
    not_accepted: str | None = None  # the ground
    assign_first: bool = True
    related_issue: bool = False
    separate_issue: bool = False
    early_remedy: bool = False
    withdraw_after: int | None = None  # working days after acknowledgement
    stage1: StageHistory = StageHistory()
    escalate_after: int | None = None  # calendar days after the stage 1 response
    escalate_on: date | None = None  # or on this date
    escalate_after_close: bool = False
    refuse_escalation: bool = False
    stage2: StageHistory = StageHistory(ack_after=3, respond_slack=-3, close_after=10)
    referral_after: int | None = None  # calendar days after the final closure
    stop_before: str | None = None
    label: str = ""  # the state a forced scenario is there to show


def _weighted(rng: random.Random, choices: Sequence[tuple[str, int]]) -> str:
    return rng.choices([c for c, _ in choices], weights=[w for _, w in choices])[0]


def _wording(rng: random.Random, area: str) -> str:
    subjects = wording.subjects_by_area()
    return rng.choice(subjects[area] or wording.BUILT_IN_SUBJECTS[area])


def _receipt_day(calendar: WorkingCalendar, channel: str, day: date, today: date) -> date:
    """Phone calls, letters and visits arrive on working days; online forms and emails any day."""
    if channel in ANY_DAY_CHANNELS or calendar.is_working_day(day):
        return day
    following = calendar.next_working_day(day)
    return following if following <= today else day - timedelta(days=day.weekday() - 4)


def _stage_history(rng: random.Random, policy: Policy, number: int) -> StageHistory:
    timescale = policy.stage(number)
    late_ack = rng.random() < 0.08
    ack_after = timescale.acknowledge_days + rng.randint(1, 4) if late_ack else rng.randint(0, 3)
    extensions: tuple[int, ...] = ()
    roll = rng.random()
    if roll < 0.03:
        extensions = (timescale.extension_cap_days, rng.randint(3, 8))
    elif roll < 0.15:
        extensions = (rng.randint(5, min(10, timescale.extension_cap_days)),)
    # A well-run landlord: most responses on time, a few late, and none very late.
    late = rng.random() < 0.14
    slack = rng.randint(1, 8) if late else -rng.randint(0, 6)
    leaning = rng.uniform(0.15, 0.65)
    return StageHistory(
        ack_after=ack_after,
        extensions=extensions,
        extend_early=rng.random() < 0.4,
        update_interval=late and rng.random() < 0.6,
        updates_late=rng.random() < 0.1,
        respond_slack=slack,
        leaning=leaning,
        financial=rng.random() < 0.45,
        action=rng.random() < 0.45,
        action_days=rng.randint(10, 40),
        action_late_days=rng.randint(1, 5) if rng.random() < 0.1 else 0,
        close_after=rng.randint(2, 18),
    )


def random_scenario(
    rng: random.Random, policy: Policy, calendar: WorkingCalendar, residents: Sequence[Person], today: date
) -> Scenario:
    """A complaint received in the last 18 months, with a history like most landlords' records."""
    area = _weighted(rng, AREAS)
    rep = people.representative(rng) if rng.random() < 0.12 else None
    channel: str
    if rep is not None and rep.relationship in ("councillor", "mp"):
        channel = Channel.COUNCILLOR_OR_MP
    elif rep is not None:
        channel = rng.choice([Channel.REPRESENTATIVE, Channel.EMAIL])
    else:
        channel = _weighted(rng, CHANNELS)
    received = _receipt_day(calendar, channel, today - timedelta(days=rng.randint(1, HISTORY_DAYS)), today)
    outside = rng.random() < 0.05
    window_days = policy.acceptance_window_months * 31
    issue_days_before = window_days + rng.randint(20, 150) if outside else rng.randint(0, min(60, window_days - 5))
    grounds = dict(policy.exclusions)
    not_accepted = None
    if outside and OUT_OF_TIME in grounds and rng.random() < 0.4:
        not_accepted = OUT_OF_TIME
    elif rng.random() < 0.035:
        not_accepted = LEGAL_PROCEEDINGS if LEGAL_PROCEEDINGS in grounds else next(iter(grounds))
    escalate = rng.random() < 0.2
    recent = received >= today - timedelta(days=30)
    return Scenario(
        received=received,
        person=rng.choice(residents),
        area=area,
        subject=_wording(rng, area),
        channel=channel,
        representative=rep,
        issue_days_before=issue_days_before,
        outside_window=outside,
        not_accepted=not_accepted,
        assign_first=rng.random() < 0.6,
        related_issue=rng.random() < 0.06,
        separate_issue=recent and rng.random() < 0.1,
        early_remedy=rng.random() < 0.08,
        withdraw_after=rng.randint(1, 8) if rng.random() < 0.04 else None,
        stage1=_stage_history(rng, policy, 1),
        escalate_after=rng.randint(2, 40) if escalate else None,
        escalate_after_close=escalate and rng.random() < 0.4,
        refuse_escalation=escalate and rng.random() < 0.12,
        stage2=_stage_history(rng, policy, 2),
        referral_after=rng.randint(20, 120) if escalate and rng.random() < 0.3 else None,
    )


# -- the fixed scenarios ------------------------------------------------------------------------


def working_days_before(calendar: WorkingCalendar, day: date, days: int) -> date:
    """The working day `days` working days before `day` (`day` itself for 0)."""
    if days <= 0:
        return day
    return calendar.working_days_in(day - timedelta(days=3 * days + 14), day - timedelta(days=1))[-days]


def _received_for(
    calendar: WorkingCalendar, today: date, wanted: Callable[[date], bool], earliest_days: int = 1
) -> date:
    """The latest working day at least `earliest_days` ago for which `wanted(received)` holds."""
    for back in range(earliest_days, 120):
        day = today - timedelta(days=back)
        if calendar.is_working_day(day) and wanted(day):
            return day
    raise LookupError("no receipt date gives the deadline wanted")


def forced_scenarios(
    rng: random.Random, policy: Policy, calendar: WorkingCalendar, today: date, residents: Sequence[Person]
) -> list[Scenario]:
    """One complaint in every state the demo must show, with dates worked out from the landlord's rules."""

    def ack_due(received: date) -> date:
        return timescales.acknowledgement_due(policy, calendar, 1, received)

    def response_due(received: date, ack_after: int) -> date:
        acknowledged = calendar.add_working_days(received, ack_after)
        return timescales.response_due(policy, calendar, 1, received, acknowledged)

    # Deadlines fall on working days: at a weekend "due today" becomes due on the next working day.
    due_today = calendar.working_day_on_or_after(today)
    soon = calendar.add_working_days(due_today, 1)
    overdue = working_days_before(calendar, today, 3)
    cap = policy.stage(1).extension_cap_days

    def base(received: date, label: str, area: str = "repairs", **changes: object) -> Scenario:
        scenario = Scenario(
            received=_receipt_day(calendar, Channel.PHONE, received, today),
            person=rng.choice(residents),
            area=area,
            subject=_wording(rng, area),
            channel=Channel.PHONE,
            label=label,
        )
        return replace(scenario, **changes)  # type: ignore[arg-type]

    def extended_open(received: date, days: tuple[int, ...]) -> bool:
        """Extended (soon after acknowledgement) by now, and the extended deadline still to come."""
        extended = calendar.add_working_days(received, 2 + 2 + len(days))
        return extended <= today < calendar.add_working_days(response_due(received, 2), sum(days))

    late_stage = StageHistory(ack_after=2, respond_slack=None, update_interval=True)
    return [
        base(_received_for(calendar, today, lambda r: ack_due(r) == due_today), "acknowledgement due today",
             stop_before=ACKNOWLEDGE),
        base(_received_for(calendar, today, lambda r: ack_due(r) == soon, 0), "acknowledgement due soon",
             area="damp-mould", channel=Channel.ONLINE, assign_first=False, stop_before=ACKNOWLEDGE),
        base(_received_for(calendar, today, lambda r: response_due(r, 2) == due_today), "response due today",
             stop_before=RESPOND),
        base(_received_for(calendar, today, lambda r: response_due(r, 1) == soon), "response due soon",
             area="asb", stage1=StageHistory(ack_after=1), stop_before=RESPOND),
        base(_received_for(calendar, today, lambda r: ack_due(r) == overdue), "acknowledgement overdue",
             area="estate", stop_before=ACKNOWLEDGE),
        base(_received_for(calendar, today, lambda r: response_due(r, 2) == overdue), "response overdue",
             area="damp-mould", representative=people.representative(rng, "advocate"), channel=Channel.REPRESENTATIVE,
             stage1=late_stage, stop_before=RESPOND),
        base(_received_for(calendar, today, lambda r: extended_open(r, (8,))), "extended, within the cap",
             stage1=StageHistory(extensions=(8,), extend_early=True), stop_before=RESPOND),
        base(_received_for(calendar, today, lambda r: extended_open(r, (cap, 5))), "extended beyond the cap",
             area="damp-mould", stage1=StageHistory(extensions=(cap, 5), extend_early=True), stop_before=RESPOND),
        base(today - timedelta(days=32), "stage 1 responded, waiting", area="rent",
             stage1=StageHistory(respond_slack=-3, financial=True), stop_before=CLOSE),
        base(today - timedelta(days=42), "stage 2 requested, not yet acknowledged", escalate_on=today - timedelta(2),
             stage1=StageHistory(respond_slack=-4), stop_before=STAGE2_ACKNOWLEDGE),
        base(today - timedelta(days=64), "stage 2 open, extended", area="asb", escalate_on=today - timedelta(24),
             stage1=StageHistory(respond_slack=-4), stage2=StageHistory(extensions=(10,), extend_early=True),
             stop_before=STAGE2_RESPOND),
        base(today - timedelta(days=75), "stage 2 responded", escalate_after=8,
             stage1=StageHistory(respond_slack=-2, leaning=0.1),
             stage2=StageHistory(respond_slack=-3, leaning=0.9, financial=True), stop_before=STAGE2_CLOSE),
        base(today - timedelta(days=130), "closed with compensation; an action still open",
             representative=people.representative(rng, "councillor"), channel=Channel.COUNCILLOR_OR_MP,
             stage1=StageHistory(leaning=1.0, financial=True, action=True, action_days=100)),
        base(today - timedelta(days=240), "closed after stage 2, taken to the Ombudsman", area="damp-mould",
             representative=people.representative(rng, "mp"), channel=Channel.COUNCILLOR_OR_MP, escalate_after=10,
             stage1=StageHistory(leaning=0.3, close_after=5), stage2=StageHistory(leaning=0.8, financial=True),
             escalate_after_close=True, referral_after=40),
        base(today - timedelta(days=45), "not accepted", not_accepted=LEGAL_PROCEEDINGS
             if LEGAL_PROCEEDINGS in dict(policy.exclusions) else policy.exclusions[0][0]),
        base(today - timedelta(days=90), "escalation refused", escalate_after=12, refuse_escalation=True,
             stage1=StageHistory(leaning=0.0, close_after=28)),
        base(today - timedelta(days=55), "withdrawn", channel=Channel.EMAIL, withdraw_after=4),
        base(today - timedelta(days=160), "outside the window, accepted with discretion", area="repairs",
             outside_window=True, issue_days_before=policy.acceptance_window_months * 31 + 40,
             stage1=StageHistory(leaning=0.7, financial=True)),
    ]  # fmt: skip
