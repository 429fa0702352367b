"""The landlord's policy and a complaint's progress, in words a resident can follow."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from django.db.models import Prefetch, prefetch_related_objects
from django.utils import timezone

from putright import clock
from putright.complaints.models import (
    ACTIVE_STATUSES,
    OPEN_STATUSES,
    ActionUpdate,
    Complaint,
    DefinitionPoint,
    Event,
    Extension,
    OutstandingAction,
    Remedy,
    Stage,
    Status,
)
from putright.complaints.policies import policy_for
from putright.documents.models import Attachment
from putright.rules import floor
from putright.rules.policy import EscalationUnit, Policy, RespondFrom, StageTimescales


def _days(number: int) -> str:
    return f"{number} working day{'s' if number != 1 else ''}"


def _stage(stage: StageTimescales, asked: str) -> str:
    start = "our acknowledgement" if stage.respond_from == RespondFrom.ACKNOWLEDGEMENT else asked
    return (
        f"We will acknowledge it within {_days(stage.acknowledge_days)} and send you our full response within "
        f"{_days(stage.respond_days)} of {start}. If we need longer, we will tell you why and the new date: "
        f"no more than {_days(stage.extension_cap_days)} more unless there is a good reason."
    )


def policy_in_plain_words(policy: Policy) -> list[tuple[str, str]]:
    """(heading, text) for each part of the policy, with the numbers Putright works to.

    Residents are only ever promised the effective numbers: the Code's wherever the landlord's
    policy is weaker or silent, the policy's own where it is stricter (putright.rules.floor).
    """
    policy = floor.effective(policy)
    window = policy.escalation_window
    if window.unit == EscalationUnit.NONE:
        when = "You can ask at any time after our stage 1 response."
    else:
        when = f"Ask within {window.describe()} of our stage 1 response."
    return [
        ("Stage 1", _stage(policy.stage1, "receiving your complaint")),
        (
            "Stage 2",
            "If you are still unhappy, you can ask us to look again. You do not have to give a reason. "
            f"{when} {_stage(policy.stage2, 'your request')}",
        ),
        (
            "When you can complain",
            f"Complain within {policy.acceptance_window_months} months of the problem happening or of when you found "
            "out about it. If it was longer ago, tell us anyway: we will consider it.",
        ),
    ]


RESIDENT_STATUS = {
    Status.RECEIVED: "Received: we will acknowledge it soon",
    Status.STAGE1_OPEN: "We are looking into it (stage 1)",
    Status.STAGE1_RESPONDED: "We have sent our stage 1 response",
    Status.STAGE2_OPEN: "We are reviewing it again (stage 2)",
    Status.STAGE2_RESPONDED: "We have sent our stage 2 response",
    Status.CLOSED: "Closed",
    Status.WITHDRAWN: "Withdrawn",
    Status.NOT_ACCEPTED: "Not accepted as a complaint",
}


def status_for_resident(complaint: Complaint) -> str:
    return RESIDENT_STATUS.get(Status(complaint.status), complaint.get_status_display())


def who_is_told(complaint: Complaint) -> str:
    """Who hears of what the resident sends: their handler, or while there is none, the complaints team."""
    return "your handler" if complaint.handler_id else "the complaints team"


def can_escalate(complaint: Complaint) -> bool:
    return complaint.status == Status.STAGE1_RESPONDED or (
        complaint.status == Status.CLOSED and complaint.stage == 1 and not complaint.escalation_refused
    )


def escalation_time_ended(complaint: Complaint) -> date | None:
    """The last day the policy gave to ask for stage 2, once it has passed (None while it has not, or without one)."""
    ask_by = Stage.objects.filter(complaint=complaint, number=1).values_list("escalate_by", flat=True).first()
    return ask_by if ask_by is not None and ask_by < clock.today() else None


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def stage2_asked_on(complaint: Complaint) -> date | None:
    """The day the resident asked for stage 2: stage 2 opened then, or a late request waits for staff."""
    stage2 = Stage.objects.filter(complaint=complaint, number=2).first()
    if stage2 is not None:
        return stage2.opened_on
    if complaint.stage != 1 or complaint.escalation_refused:
        return None
    request = Event.objects.filter(complaint=complaint, kind="escalation-requested").order_by("-at", "-id").first()
    return timezone.localdate(request.at) if request else None


def dates(
    complaint: Complaint, stage: Stage, *, stage2_requested_on: date | None = None, has_stage2: bool = False
) -> list[tuple[str, str]]:
    """(what, when) for the dates of a stage that still apply to the complaint as it is now.

    A date the landlord promised is shown only while it can still be kept: the acknowledgement and
    response dates while the stage is open, the last day to ask for stage 2 while it can be asked
    (once passed, as the day the time to ask ended). A date that has happened is always shown.
    """
    rows = [("Received" if stage.number == 1 else "You asked for stage 2", _day(stage.opened_on))]
    waiting = complaint.stage == stage.number and complaint.status in OPEN_STATUSES
    if stage.acknowledged_on:
        rows.append(("Acknowledged", _day(stage.acknowledged_on)))
    elif waiting:
        rows.append(("We will acknowledge it by", _day(stage.acknowledge_due)))
    if stage.responded_on:
        rows.append(("Response sent", _day(stage.responded_on)))
    elif waiting:
        rows.append(("Our response is due by", _day(stage.response_due)))
    if stage.number == 1 and not has_stage2:
        if stage2_requested_on is not None:
            rows.append(("You asked for stage 2", _day(stage2_requested_on)))
        elif stage.escalate_by and can_escalate(complaint):
            # Once the policy's window has passed the date is no longer one to ask by: a request is
            # still taken, for staff to accept with discretion (5.11), and the escalate page says so.
            passed = stage.escalate_by < clock.today()
            rows.append(("Time to ask for stage 2 ended" if passed else "Ask for stage 2 by", _day(stage.escalate_by)))
    return rows


def pounds(amount: Decimal) -> str:
    return f"£{amount:,.2f}"


AMOUNTS = (
    ("statutory", "Statutory payment"),
    ("quantifiable_loss", "For money you lost or had to spend"),
    ("time_and_trouble", "For your time and trouble"),
    ("distress", "For distress and inconvenience"),
)


@dataclass(frozen=True)
class RemedyShown:
    pk: int
    kind: str
    description: str
    amounts: list[tuple[str, str]]  # ("For your time and trouble", "£75.00") for each part of a payment
    total: str  # "£1,234.50", or empty without a payment
    due_on: date | None
    state: str  # Remedy.State
    state_text: str  # in the resident's words, with the date it changed where known
    answerable: bool  # offered, on a complaint in progress: the resident can accept or decline it


@dataclass(frozen=True)
class ActionShown:
    description: str
    due_on: date
    completed_on: date | None
    latest_update: str  # the latest update the resident was told of, never an internal note
    latest_update_on: date | None


@dataclass(frozen=True)
class StageShown:
    stage: Stage
    dates: list[tuple[str, str]]
    points: list[DefinitionPoint]
    remedies: list[RemedyShown]
    actions: list[ActionShown]
    extensions: list[Extension]


@dataclass(frozen=True)
class Added:
    """Information the resident added through the portal."""

    on: datetime
    information: str


@dataclass(frozen=True)
class Case:
    stages: list[StageShown]
    added: list[Added]
    files: list[Attachment]
    stage2_requested_on: date | None  # a late request for stage 2, waiting for staff to decide
    refusal_ground: str  # why a complaint was not accepted, in the policy's words


def remedy_answers(events: Sequence[Event]) -> dict[int, tuple[str, date, bool]]:
    """Each remedy's latest move, from its Events: (state, the day, whether the resident made it online)."""
    answers: dict[int, tuple[str, date, bool]] = {}
    for event in events:
        if event.kind == "remedy-updated" and isinstance(event.after.get("remedy"), int):
            on = date.fromisoformat(event.after["on"]) if event.after.get("on") else timezone.localdate(event.at)
            answers[event.after["remedy"]] = (event.after.get("state", ""), on, event.actor_id is None)
    return answers


def remedy_state(remedy: Remedy, answer: tuple[str, date, bool] | None, *, answerable: bool = True) -> str:
    """Where a remedy has got to, told to the resident."""
    when = f" on {_day(answer[1])}" if answer and answer[0] == remedy.state else ""
    if remedy.state == Remedy.State.OFFERED:
        return "Offered: tell us whether you accept it" if answerable else "Offered"
    if remedy.state == Remedy.State.AGREED:
        return f"You accepted it{when}"
    if remedy.state == Remedy.State.DECLINED:
        return f"You declined it{when}"
    return f"Done on {_day(remedy.delivered_on)}" if remedy.delivered_on else "Done"


def already(remedy: Remedy, answer: tuple[str, date, bool] | None) -> str:
    """Why an answer to a remedy is not needed again: it has moved on since it was offered."""
    when = f" on {_day(answer[1])}" if answer and answer[0] == remedy.state else ""
    if remedy.state == Remedy.State.AGREED:
        return f"You already accepted this{when}"
    if remedy.state == Remedy.State.DECLINED:
        return f"You already declined this{when}"
    if remedy.state == Remedy.State.DELIVERED:
        return f"We have already done this{when}"
    return "You can no longer answer this online: your complaint is no longer in progress"


def show_remedy(complaint: Complaint, remedy: Remedy, answer: tuple[str, date, bool] | None) -> RemedyShown:
    parts = [(label, getattr(remedy, f"amount_{part}")) for part, label in AMOUNTS]
    answerable = remedy.state == Remedy.State.OFFERED and complaint.status in ACTIVE_STATUSES
    return RemedyShown(
        pk=remedy.pk,
        kind=remedy.get_kind_display(),
        description=remedy.description,
        amounts=[(label, pounds(amount)) for label, amount in parts if amount > 0],
        total=pounds(remedy.total) if remedy.total > 0 else "",
        due_on=remedy.due_on,
        state=remedy.state,
        state_text=remedy_state(remedy, answer, answerable=answerable),
        answerable=answerable,
    )


def case(complaint: Complaint) -> Case:
    """Everything of the complaint the resident may see, beyond its letters, in a fixed number of queries.

    Never staff's internal notes: an action's update is shown only when the resident was told it,
    and only the files and information the resident sent themselves.
    """
    stages = list(complaint.stages.all())
    prefetch_related_objects(stages, "points", "remedies", "extensions")
    told = ActionUpdate.objects.filter(resident_told=True).order_by("-recorded_at", "-id")
    actions = list(
        OutstandingAction.objects.filter(complaint=complaint)
        .prefetch_related(Prefetch("updates", queryset=told, to_attr="told"))
        .order_by("due_on", "id")
    )
    events = list(
        Event.objects.filter(
            complaint=complaint, kind__in=("remedy-updated", "information-added", "escalation-requested")
        ).order_by("at", "id")
    )
    answers = remedy_answers(events)
    has_stage2 = any(stage.number == 2 for stage in stages)
    requested = [timezone.localdate(event.at) for event in events if event.kind == "escalation-requested"]
    requested_on = (
        requested[-1]
        if requested and not has_stage2 and not complaint.escalation_refused and complaint.stage == 1
        else None
    )
    shown = [
        StageShown(
            stage=stage,
            dates=dates(complaint, stage, stage2_requested_on=requested_on, has_stage2=has_stage2),
            points=list(stage.points.all()),
            remedies=[show_remedy(complaint, remedy, answers.get(remedy.pk)) for remedy in stage.remedies.all()],
            actions=[
                ActionShown(
                    description=action.description,
                    due_on=action.due_on,
                    completed_on=action.completed_on,
                    latest_update=action.told[0].note if action.told else "",
                    latest_update_on=timezone.localdate(action.told[0].recorded_at) if action.told else None,
                )
                for action in actions
                if action.stage_number == stage.number
            ],
            extensions=list(stage.extensions.all()),
        )
        for stage in stages
    ]
    refusal = ""
    if complaint.status == Status.NOT_ACCEPTED and complaint.refusal_ground:
        refusal = policy_for(complaint).exclusion_label(complaint.refusal_ground) or ""
    return Case(
        stages=shown,
        added=[
            Added(on=event.at, information=str(event.after.get("information", "")))
            for event in events
            if event.kind == "information-added" and event.actor_id is None
        ],
        files=list(Attachment.objects.filter(complaint=complaint, uploaded_by__isnull=True).order_by("uploaded_at")),
        stage2_requested_on=requested_on,
        refusal_ground=refusal,
    )
