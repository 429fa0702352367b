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
from putright.rules.policy import CODE_GROUNDS, LEGAL_PROCEEDINGS, Policy

# Follow-through steps, each planned for a day and taking the day it runs on: a step planned after
# the resident asks for stage 2 runs by that day instead (see `story`).
Steps = list[tuple[date, Callable[[date], object]]]

UPDATE_EVERY = 5  # working days between the updates agreed while a response is late (5.9)
PAYMENT_DAYS = 20  # working days from the response in which compensation is promised


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


def _remedies(
    rng: random.Random, ctx: Context, s: Scenario, history: StageHistory, upheld: bool, on: date
) -> list[actions.RemedyInput]:
    if not upheld:
        return []
    remedies = [actions.RemedyInput("apology", rng.choice(wording.APOLOGIES))]
    if history.financial:
        time_and_trouble = Decimal(rng.choice([50, 75, 100, 150, 200, 250]))
        distress = Decimal(rng.choice([0, 0, 50, 100, 150, 300]))
        loss = Decimal(rng.randint(0, 1) * rng.randint(2000, 40000)) / 100
        statutory = Decimal(rng.choice([0, 0, 0, 10, 25]))
        # The letter says each amount and what it is for (rules.letters.remedy_sentence); the
        # description says why, as a handler would.
        why = ["We are sorry for how long it took us to put this right."]
        if loss:
            why.append("The payment includes the cost of the extra electricity for your heaters.")
        if statutory:
            why.append("The statutory part is due under the Right to Repair scheme.")
        remedies.append(
            actions.RemedyInput(
                "financial",
                " ".join(why),
                amount_statutory=statutory,
                amount_quantifiable_loss=loss,
                amount_time_and_trouble=time_and_trouble,
                amount_distress=distress,
                due_on=ctx.calendar.add_working_days(on, PAYMENT_DAYS),
            )
        )
    if history.action:
        remedies.append(
            actions.RemedyInput(
                "action",
                rng.choice(wording.ACTIONS.get(s.area, wording.GENERAL_ACTIONS)),
                due_on=ctx.calendar.add_working_days(on, history.action_days),
            )
        )
    return remedies


def _respond(
    rng: random.Random, ctx: Context, s: Scenario, complaint: Complaint, number: int, actor: User, on: date
) -> Complaint:
    history = s.stage1 if number == 1 else s.stage2
    stage = Stage.objects.get(complaint=complaint, number=number)
    points = list(stage.points.order_by("number"))
    chosen = wording.decisions(rng, [p.text for p in points], history.leaning)
    upheld = any(d != "not-upheld" for d in chosen)
    remedies = _remedies(rng, ctx, s, history, upheld, on)
    owner = rng.choice(ctx.team.handlers)
    # Due on a working day, as a person agreeing a date with the resident would set it.
    outstanding = (
        [actions.ActionInput(remedies[-1].description, ctx.calendar.add_working_days(on, history.action_days), owner)]
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
        )
        due = ctx.calendar.add_working_days(due, days)
    responding = history.respond_slack is not None and s.stop_before != (
        scenarios.RESPOND if number == 1 else scenarios.STAGE2_RESPOND
    )
    responded = max(_shift(ctx.calendar, due, history.respond_slack or 0), last) if responding else None
    if history.update_interval:
        last = max(due, last)
        yield last
        actions.agree_update_interval(complaint, worker, every_days=UPDATE_EVERY, agreed_on=clock.today())
        yield from _updates(rng, ctx, complaint, worker, last, responded, history.updates_late)
    if responded is None:
        return
    yield max(responded, last)
    _respond(rng, ctx, s, complaint, number, worker, max(responded, last))


def _updates(
    rng: random.Random,
    ctx: Context,
    complaint: Complaint,
    worker: User,
    agreed: date,
    responded: date | None,
    late: bool,
) -> Iterator[date]:
    """The updates agreed while the response is late (5.9): each on its due date or the day before,
    until the response (one of them a day or two late, if `late`); with no response, on until today."""
    previous = agreed
    while True:
        due = ctx.calendar.add_working_days(previous, UPDATE_EVERY)
        if late and rng.random() < 0.5:
            sent, late = ctx.calendar.add_working_days(due, rng.randint(1, 2)), False
        else:
            sent = max(scenarios.working_days_before(ctx.calendar, due, rng.randint(0, 1)), previous)
        if responded is not None and sent >= responded:
            return
        yield sent
        actions.send_update(complaint, worker, on=sent, update=rng.choice(wording.UPDATES))
        previous = sent


def _follow_through(
    rng: random.Random, ctx: Context, complaint: Complaint, responded: date, history: StageHistory
) -> tuple[Steps, date]:
    """Remedies delivered, agreed (or declined) and paid; outstanding actions updated and done.

    On working days, and on time as a well-run landlord would: an apology is given in the response
    itself; a payment is made by its due date; an action is done by its due date, or a few working
    days after it (`history.action_late_days`), and its remedy is delivered with it. Whatever falls
    after today is still to come, so what is open today is mostly on track and a few days late at worst.
    """
    officer = rng.choice(ctx.team.supervisors)
    calendar = ctx.calendar
    steps: Steps = []
    agreed_by = responded
    done_on: dict[str, date] = {}  # the actions' descriptions (their remedies have the same) to the day done
    open_actions = OutstandingAction.objects.filter(complaint=complaint, completed_on__isnull=True)
    for action in open_actions.select_related("complaint", "owner"):
        owner = action.owner or officer
        update = calendar.add_working_days(responded, rng.randint(2, 6))
        note = rng.choice(wording.ACTION_UPDATES)
        steps.append((update, partial(_action_step, action, owner, note, False)))
        if history.action_late_days:
            done = calendar.add_working_days(action.due_on, history.action_late_days)
        else:
            done = scenarios.working_days_before(calendar, action.due_on, rng.randint(0, 4))
        done = max(done, calendar.add_working_days(update, 1))
        done_on[action.description] = done
        steps.append(
            (done, partial(_action_step, action, owner, "Work completed and checked with the resident.", True))
        )
    offered = Remedy.objects.filter(stage__complaint=complaint, state=Remedy.State.OFFERED)
    for remedy in offered.select_related("stage__complaint"):
        if remedy.kind == Remedy.Kind.APOLOGY:
            steps.append((responded, partial(_remedy_step, remedy, officer, Remedy.State.DELIVERED)))
            continue
        on = calendar.add_working_days(responded, rng.randint(1, 4))
        agreed_by = max(agreed_by, on)
        state = Remedy.State.DECLINED if rng.random() < 0.08 else Remedy.State.AGREED
        steps.append((on, partial(_remedy_step, remedy, officer, state)))
        if state != Remedy.State.AGREED:
            continue
        if remedy.kind == Remedy.Kind.FINANCIAL:
            due = remedy.due_on or calendar.add_working_days(on, PAYMENT_DAYS)
            paid = max(
                scenarios.working_days_before(calendar, due, rng.randint(0, 10)), calendar.add_working_days(on, 1)
            )
            steps.append((paid, partial(_remedy_step, remedy, officer, Remedy.State.DELIVERED)))
        elif remedy.description in done_on:
            done = max(done_on[remedy.description], on)
            steps.append((done, partial(_remedy_step, remedy, officer, Remedy.State.DELIVERED)))
    return steps, agreed_by


def _action_step(action: OutstandingAction, owner: User, note: str, completed: bool, day: date) -> None:
    actions.update_action(action, owner, note=note, resident_told=True, completed_on=day if completed else None)


def _remedy_step(remedy: Remedy, officer: User, state: str, day: date) -> None:
    actions.update_remedy(remedy, officer, state=state, on=day)


def _close_step(complaint: Complaint, officer: User, day: date) -> None:
    actions.close(complaint, officer, on=day)


def _nothing(day: date) -> None:
    pass


def _run(steps: Steps) -> Iterator[date]:
    for day, step in sorted(steps, key=lambda item: item[0]):
        yield day
        step(day)


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
            review_note="" if s.not_accepted in CODE_GROUNDS else wording.GROUND_REVIEW,
        )
        return

    yield from _stage_work(rng, ctx, s, complaint, 1, handler, s.received)
    complaint.refresh_from_db()
    if complaint.status != "stage1-responded":
        return
    stage1 = Stage.objects.get(complaint=complaint, number=1)
    assert stage1.responded_on is not None
    responded = stage1.responded_on
    steps, agreed_by = _follow_through(rng, ctx, complaint, responded, s.stage1)
    if s.stop_before == scenarios.CLOSE:
        yield from _run(steps)  # what was promised is still done; only the closure never comes
        return
    assert s.stage1.close_after is not None
    closed = max(
        ctx.calendar.add_working_days(responded, s.stage1.close_after), ctx.calendar.add_working_days(agreed_by, 1)
    )
    escalating = s.escalate_after is not None or s.escalate_on is not None
    if not escalating or s.escalate_after_close:
        steps.append((closed, partial(_close_step, complaint, officer)))
    if escalating:
        if s.escalate_on is not None:
            requested = s.escalate_on
        elif s.escalate_after_close:
            requested = closed + timedelta(days=s.escalate_after or 1)
        else:
            requested = responded + timedelta(days=s.escalate_after or 1)
        # What was promised at stage 1 is still done, by the day stage 2 is asked for at the latest:
        # nothing of stage 1 is left hanging (overdue) while stage 2 runs.
        steps = [(min(day, requested), step) for day, step in steps]
        steps.append((requested, _nothing))  # the escalation follows, on this day
    yield from _run(steps)
    if not escalating:
        yield from _after_closure(rng, ctx, s, complaint, closed)
        return

    # The resident asks for stage 2 (6.10): recorded by staff, refused only on a ground in the policy (5.11).
    if s.refuse_escalation:
        yield ctx.calendar.add_working_days(requested, rng.randint(1, 3))
        ground = LEGAL_PROCEEDINGS if LEGAL_PROCEEDINGS in dict(ctx.policy.exclusions) else ctx.policy.exclusions[0][0]
        actions.refuse_escalation(
            complaint,
            officer,
            ground=ground,
            explanation=wording.REFUSALS["legal-proceedings"],
            ombudsman_rights_given=True,
            on=clock.today(),
            review_note="" if ground in CODE_GROUNDS else wording.GROUND_REVIEW,
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
    if complaint.status != "stage2-responded":
        return
    stage2 = Stage.objects.get(complaint=complaint, number=2)
    assert stage2.responded_on is not None and s.stage2.close_after is not None
    steps, agreed_by = _follow_through(rng, ctx, complaint, stage2.responded_on, s.stage2)
    if s.stop_before == scenarios.STAGE2_CLOSE:
        yield from _run(steps)
        return
    closed = max(
        ctx.calendar.add_working_days(stage2.responded_on, s.stage2.close_after),
        ctx.calendar.add_working_days(agreed_by, 1),
    )
    steps.append((closed, partial(_close_step, complaint, officer)))
    yield from _run(steps)
    yield from _after_closure(rng, ctx, s, complaint, closed)


def _after_closure(rng: random.Random, ctx: Context, s: Scenario, complaint: Complaint, closed: date) -> Iterator[date]:
    if s.referral_after is not None:
        yield ctx.calendar.working_day_on_or_after(closed + timedelta(days=s.referral_after))
        actions.record_ombudsman_referral(
            complaint,
            rng.choice(ctx.team.supervisors),
            on=clock.today(),
            ombudsman_reference=f"{clock.today().year}{rng.randint(10000, 99999)}",
        )
