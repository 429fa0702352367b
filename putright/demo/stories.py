"""Turn a Scenario into the real domain actions, each on its own day, and stop at today.

A story is a generator: it yields the day of its next step, and the driver runs that step with
the clock moved to that day (`putright.clock.moved_to`), so every action checks its dates and
writes its Event exactly as it would have on the day. A step dated after today is not run, and
nothing after it either: the complaint is left as it stands today.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Generator, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from functools import partial

from django.contrib.auth.models import User
from django.utils import timezone

from putright import clock
from putright.complaints import actions
from putright.complaints.models import Complaint, OutstandingAction, Remedy, Stage
from putright.demo import scenarios, wording
from putright.demo.organisation import Team
from putright.demo.scenarios import Scenario, StageHistory
from putright.landlords.models import Landlord
from putright.rules.calendar import WorkingCalendar
from putright.rules.policy import LEGAL_PROCEEDINGS, Policy

Steps = list[tuple[date, Callable[[], object]]]


@dataclass
class Context:
    """What every story of one landlord shares."""

    landlord: Landlord
    team: Team
    policy: Policy
    calendar: WorkingCalendar


class Moments:
    """Times of day for one complaint's steps: working hours, never going backwards, never after now."""

    def __init__(self, rng: random.Random, now: datetime) -> None:
        self.rng = rng
        self.now = now
        self.last: datetime | None = None

    def at(self, day: date) -> datetime:
        if self.last is not None and timezone.localdate(self.last) == day:
            moment = self.last + timedelta(minutes=self.rng.randint(3, 30))
        else:
            start = datetime.combine(day, time(8, 30), tzinfo=timezone.get_default_timezone())
            moment = start + timedelta(minutes=self.rng.randint(0, 420))
        self.last = min(moment, self.now)
        return self.last


def play(story: Iterator[date], moments: Moments, today: date) -> None:
    """Run a story's steps in order, each with the clock on its day, until one is due after today."""
    day = next(story, None)
    while day is not None and day <= today:
        with clock.moved_to(moments.at(day)):
            following = next(story, None)
        if following is not None and following < day:
            raise AssertionError(f"a demo story went back in time from {day} to {following}")
        day = following
    if isinstance(story, Generator):
        story.close()


def _shift(calendar: WorkingCalendar, day: date, days: int) -> date:
    return calendar.add_working_days(day, days) if days >= 0 else scenarios.working_days_before(calendar, day, -days)


def _remedies(rng: random.Random, s: Scenario, history: StageHistory, upheld: bool) -> list[actions.RemedyInput]:
    if not upheld:
        return []
    remedies = [actions.RemedyInput("apology", rng.choice(wording.APOLOGIES))]
    if history.financial:
        time_and_trouble = Decimal(rng.choice([50, 75, 100, 150, 200, 250]))
        distress = Decimal(rng.choice([0, 0, 50, 100, 150, 300]))
        loss = Decimal(rng.randint(0, 1) * rng.randint(2000, 40000)) / 100
        statutory = Decimal(rng.choice([0, 0, 0, 10, 25]))
        parts = [f"£{time_and_trouble} for your time and trouble"]
        if distress:
            parts.append(f"£{distress} for the distress and inconvenience")
        if loss:
            parts.append(f"£{loss} to refund the extra electricity for heaters")
        if statutory:
            parts.append(f"£{statutory} under the Right to Repair scheme")
        remedies.append(
            actions.RemedyInput(
                "financial",
                "Compensation of " + ", ".join(parts) + ".",
                amount_statutory=statutory,
                amount_quantifiable_loss=loss,
                amount_time_and_trouble=time_and_trouble,
                amount_distress=distress,
            )
        )
    if history.action:
        remedies.append(actions.RemedyInput("action", rng.choice(wording.ACTIONS.get(s.area, wording.GENERAL_ACTIONS))))
    return remedies


def _respond(
    rng: random.Random, ctx: Context, s: Scenario, complaint: Complaint, number: int, actor: User, on: date
) -> Complaint:
    history = s.stage1 if number == 1 else s.stage2
    stage = Stage.objects.get(complaint=complaint, number=number)
    points = list(stage.points.order_by("number"))
    chosen = wording.decisions(rng, [p.text for p in points], history.leaning)
    upheld = any(d != "not-upheld" for d in chosen)
    remedies = _remedies(rng, s, history, upheld)
    owner = rng.choice(ctx.team.handlers)
    outstanding = (
        [actions.ActionInput(remedies[-1].description, on + timedelta(days=history.action_days), owner)]
        if upheld and history.action
        else []
    )
    return actions.respond(
        complaint,
        actor,
        on=on,
        decisions=[
            actions.PointDecisionInput(p.number, d, wording.reasons(rng, d))
            for p, d in zip(points, chosen, strict=True)
        ],
        summary=f"Stage {number} response to the complaint about {s.subject.replace(wording.MY, 'your')}.",
        remedies=remedies,
        actions=outstanding,
    )


def _stage_work(
    rng: random.Random, ctx: Context, s: Scenario, complaint: Complaint, number: int, worker: User, opened: date
) -> Iterator[date]:
    """Acknowledge, extend, agree updates and respond for one stage; yields each step's day."""
    history = s.stage1 if number == 1 else s.stage2
    officer = rng.choice(ctx.team.supervisors)
    last = opened
    if s.assign_first or number == 2:
        last = ctx.calendar.working_day_on_or_after(opened)
        yield last
        complaint = actions.assign_handler(complaint, officer, handler=worker, conflict_of_interest=False)
    if s.stop_before == (scenarios.ACKNOWLEDGE if number == 1 else scenarios.STAGE2_ACKNOWLEDGE):
        return
    assert history.ack_after is not None
    acknowledged = max(ctx.calendar.add_working_days(opened, history.ack_after), last)
    yield acknowledged
    definition = wording.definition(rng, s.area, s.subject, complaint.outcome_sought or "A response.", number)
    complaint = actions.acknowledge(
        complaint,
        worker,
        on=acknowledged,
        understanding=definition.understanding,
        outcomes_sought=definition.outcomes_sought,
        points=definition.points,
        responsible_for=definition.responsible_for,
        not_responsible_for=definition.not_responsible_for,
        conflict_of_interest=False,
    )
    stage = Stage.objects.get(complaint=complaint, number=number)
    last = acknowledged
    if number == 1 and s.related_issue:
        last = ctx.calendar.add_working_days(acknowledged, 2)
        yield last
        actions.add_issue(
            complaint,
            worker,
            description="The resident also says the repair team left the hallway in a mess on their last visit.",
            related=True,
            on=clock.today(),
        )
    if number == 1 and s.separate_issue:
        last = max(last, ctx.calendar.add_working_days(acknowledged, 1))
        yield last
        actions.add_issue(
            complaint,
            worker,
            description="The resident now also complains that her parking permit application was refused.",
            related=False,
            on=clock.today(),
        )
    if number == 1 and s.early_remedy:
        last = max(last, ctx.calendar.add_working_days(acknowledged, 1))
        yield last
        actions.add_remedy(
            complaint,
            worker,
            actions.RemedyInput("action", "We have booked the repair for the first available appointment."),
        )
    if number == 1 and s.withdraw_after is not None:
        yield max(last, ctx.calendar.add_working_days(acknowledged, s.withdraw_after))
        actions.withdraw(complaint, worker, how=rng.choice(wording.WITHDRAWALS), on=clock.today())
        return
    due = stage.response_due
    for n, days in enumerate(history.extensions):
        cap = ctx.policy.stage(number).extension_cap_days
        if history.extend_early:
            day = ctx.calendar.add_working_days(acknowledged, 3 + n)
        else:
            day = scenarios.working_days_before(ctx.calendar, due, 1)
        last = day = max(day, last)
        yield day
        total = sum(history.extensions[: n + 1])
        actions.extend(
            complaint,
            worker,
            days=days,
            reason=rng.choice(wording.EXTENSION_REASONS),
            good_reason=rng.choice(wording.GOOD_REASONS) if total > cap else "",
            resident_told_on=day,
            ombudsman_details_given=True,
        )
        due = ctx.calendar.add_working_days(due, days)
    if history.update_interval:
        last = max(due, last)
        yield last
        actions.agree_update_interval(complaint, worker, every_days=5, agreed_on=clock.today())
    if history.respond_slack is None or s.stop_before == (
        scenarios.RESPOND if number == 1 else scenarios.STAGE2_RESPOND
    ):
        return
    responded = max(_shift(ctx.calendar, due, history.respond_slack), last)
    yield responded
    _respond(rng, ctx, s, complaint, number, worker, responded)


def _follow_through(
    rng: random.Random, ctx: Context, complaint: Complaint, responded: date, history: StageHistory
) -> tuple[Steps, date]:
    """Remedies agreed (or declined) and delivered, outstanding actions updated and completed."""
    officer = rng.choice(ctx.team.supervisors)
    steps: Steps = []
    agreed_by = responded
    offered = Remedy.objects.filter(stage__complaint=complaint, state=Remedy.State.OFFERED)
    for remedy in offered.select_related("stage__complaint"):
        on = responded + timedelta(days=rng.randint(1, 6))
        agreed_by = max(agreed_by, on)
        state = Remedy.State.DECLINED if rng.random() < 0.08 else Remedy.State.AGREED
        steps.append((on, partial(actions.update_remedy, remedy, officer, state=state, on=on)))
        if state == Remedy.State.AGREED and remedy.kind == Remedy.Kind.FINANCIAL:
            paid = on + timedelta(days=rng.randint(5, 20))
            steps.append((paid, partial(actions.update_remedy, remedy, officer, state="delivered", on=paid)))
    open_actions = OutstandingAction.objects.filter(complaint=complaint, completed_on__isnull=True)
    for action in open_actions.select_related("complaint", "owner"):
        owner = action.owner or officer
        update = responded + timedelta(days=rng.randint(3, 8))
        note = rng.choice(wording.ACTION_UPDATES)
        steps.append((update, partial(actions.update_action, action, owner, note=note, resident_told=True)))
        if history.action_done:
            done = max(update + timedelta(days=1), action.due_on - timedelta(days=rng.randint(0, 7)))
            note = "Work completed and checked with the resident."
            steps.append(
                (done, partial(actions.update_action, action, owner, note=note, resident_told=True, completed_on=done))
            )
    return steps, agreed_by


def _run(steps: Steps) -> Iterator[date]:
    for day, step in sorted(steps, key=lambda item: item[0]):
        yield day
        step()


def story(rng: random.Random, ctx: Context, s: Scenario) -> Iterator[date]:
    """The life of one complaint, step by step; yields the day of each step before taking it."""
    team = ctx.team
    logger = rng.choice(team.handlers + team.officers)
    handler = rng.choice(team.handlers)
    yield s.received
    description, outcome = wording.resident_words(rng, s.area, s.subject)
    rep = s.representative
    complaint = actions.log_complaint(
        ctx.landlord,
        logger,
        resident=s.person,
        channel=s.channel,
        received_on=s.received,
        description=description,
        outcome_sought=outcome,
        service_area=s.area,
        issue_date=s.received - timedelta(days=s.issue_days_before),
        discretion_note=(
            "The resident was in hospital for several months and could not raise it sooner; we have accepted it."
            if s.outside_window and not s.not_accepted
            else ""
        ),
        representative=actions.RepresentativeDetails(
            name=rep.name, relationship=rep.relationship, authority=rep.authority, email=rep.email
        )
        if rep
        else None,
    )
    officer = rng.choice(team.supervisors)
    if s.not_accepted:
        yield ctx.calendar.add_working_days(s.received, rng.randint(1, 4))
        actions.not_accept(
            complaint,
            officer,
            ground=s.not_accepted,
            explanation=wording.REFUSALS.get(s.not_accepted, wording.DEFAULT_REFUSAL),
            ombudsman_rights_given=True,
            on=clock.today(),
        )
        return

    yield from _stage_work(rng, ctx, s, complaint, 1, handler, s.received)
    complaint.refresh_from_db()
    if complaint.status != "stage1-responded" or s.stop_before == scenarios.CLOSE:
        return
    stage1 = Stage.objects.get(complaint=complaint, number=1)
    assert stage1.responded_on is not None
    responded = stage1.responded_on
    steps, agreed_by = _follow_through(rng, ctx, complaint, responded, s.stage1)
    assert s.stage1.close_after is not None
    closed = max(responded + timedelta(days=s.stage1.close_after), agreed_by + timedelta(days=1))
    escalating = s.escalate_after is not None or s.escalate_on is not None
    if not escalating or s.escalate_after_close:
        steps.append((closed, partial(actions.close, complaint, officer, on=closed)))
    if escalating:
        if s.escalate_on is not None:
            requested = s.escalate_on
        elif s.escalate_after_close:
            requested = closed + timedelta(days=s.escalate_after or 1)
        else:
            requested = responded + timedelta(days=s.escalate_after or 1)
        steps = [step for step in steps if step[0] < requested]
        steps.append((requested, partial(int)))  # nothing to do: the escalation follows, on this day
    yield from _run(steps)
    if not escalating:
        yield from _after_closure(rng, ctx, s, complaint, closed)
        return

    # The resident asks for stage 2 (6.10): recorded by staff, refused only on a ground in the policy (5.11).
    if s.refuse_escalation:
        yield ctx.calendar.add_working_days(requested, rng.randint(1, 3))
        actions.refuse_escalation(
            complaint,
            officer,
            ground=LEGAL_PROCEEDINGS
            if LEGAL_PROCEEDINGS in dict(ctx.policy.exclusions)
            else ctx.policy.exclusions[0][0],
            explanation=wording.REFUSALS["legal-proceedings"],
            ombudsman_rights_given=True,
            on=clock.today(),
        )
        return
    late = stage1.escalate_by is not None and requested > stage1.escalate_by
    actions.escalate(
        complaint,
        officer,
        requested_on=requested,
        reason="The resident says the repair is still not done." if rng.random() < 0.5 else "",
        discretion="The resident was away caring for a relative; accepted late." if late else "",
    )
    reviewer = rng.choice(team.reviewers)
    yield from _stage_work(rng, ctx, s, complaint, 2, reviewer, requested)
    complaint.refresh_from_db()
    if complaint.status != "stage2-responded" or s.stop_before == scenarios.STAGE2_CLOSE:
        return
    stage2 = Stage.objects.get(complaint=complaint, number=2)
    assert stage2.responded_on is not None and s.stage2.close_after is not None
    steps, agreed_by = _follow_through(rng, ctx, complaint, stage2.responded_on, s.stage2)
    closed = max(stage2.responded_on + timedelta(days=s.stage2.close_after), agreed_by + timedelta(days=1))
    steps.append((closed, partial(actions.close, complaint, officer, on=closed)))
    yield from _run(steps)
    yield from _after_closure(rng, ctx, s, complaint, closed)


def _after_closure(rng: random.Random, ctx: Context, s: Scenario, complaint: Complaint, closed: date) -> Iterator[date]:
    if s.referral_after is not None:
        yield closed + timedelta(days=s.referral_after)
        actions.record_ombudsman_referral(
            complaint,
            rng.choice(ctx.team.supervisors),
            on=clock.today(),
            ombudsman_reference=f"{clock.today().year}{rng.randint(10000, 99999)}",
        )
