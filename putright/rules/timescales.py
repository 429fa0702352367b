"""Deadlines: when each step of a complaint is due, from a policy and a working-day calendar.

Every deadline Putright stores is computed here and nowhere else, so the Code's arithmetic can
be read and tested on its own (6.2, 6.3, 6.4, 6.11, 6.14, 6.15, 2.3).
"""

from __future__ import annotations

import calendar as gregorian
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from putright.rules.calendar import WorkingCalendar
from putright.rules.policy import EscalationUnit, NonWorkingDayReceipt, Policy, RespondFrom


class Rag(StrEnum):
    """How close a deadline is; always shown with words, never by colour alone."""

    GREEN = "on track"
    AMBER = "due soon"
    RED = "overdue"


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, or the month's last day if it has no such day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return date(year, month, min(day.day, gregorian.monthrange(year, month)[1]))


def clock_start(policy: Policy, calendar: WorkingCalendar, received: date) -> date:
    """The day 0 from which a stage's acknowledgement is counted.

    By default a complaint received on a non-working day keeps that day as day 0, so the next
    working day is day 1. A policy may instead treat it as received on the next working day.
    """
    if (
        policy.received_on_non_working_day is NonWorkingDayReceipt.TREAT_AS_RECEIVED_NEXT_WORKING_DAY
        and not calendar.is_working_day(received)
    ):
        return calendar.next_working_day(received)
    return received


def acknowledgement_due(policy: Policy, calendar: WorkingCalendar, stage: int, received: date) -> date:
    """When a stage must be acknowledged, defined and logged (6.2, 6.11).

    For stage 1 `received` is the day the complaint was received; for stage 2 it is the day the
    escalation request was received.
    """
    return calendar.add_working_days(clock_start(policy, calendar, received), policy.stage(stage).acknowledge_days)


def response_due(
    policy: Policy, calendar: WorkingCalendar, stage: int, received: date, acknowledged: date | None
) -> date:
    """When a stage's response is due before any extension (6.3, 6.14).

    The Code counts from the acknowledgement. Until a stage is acknowledged the response is
    shown as due the full response time after the acknowledgement deadline, the latest the Code
    would allow. A policy may count from receipt instead, which is stricter.
    """
    timescales = policy.stage(stage)
    if timescales.respond_from is RespondFrom.RECEIPT:
        start = clock_start(policy, calendar, received)
    elif acknowledged is not None:
        start = acknowledged
    else:
        start = acknowledgement_due(policy, calendar, stage, received)
    return calendar.add_working_days(start, timescales.respond_days)


def extended_due(calendar: WorkingCalendar, due: date, extension_days: Iterable[int]) -> date:
    """The response date after extensions, each counted in working days on from the last due date."""
    return calendar.add_working_days(due, sum(extension_days))


@dataclass(frozen=True)
class ExtensionCheck:
    total_days: int
    cap_days: int
    within_cap: bool

    @property
    def needs_good_reason(self) -> bool:
        return not self.within_cap


def check_extension(policy: Policy, stage: int, earlier_days: Iterable[int], new_days: int) -> ExtensionCheck:
    """Whether extensions adding up to more than the cap need a recorded good reason (6.4, 6.15)."""
    if new_days < 1:
        raise ValueError("an extension must be at least one working day")
    total = sum(earlier_days) + new_days
    cap = policy.stage(stage).extension_cap_days
    return ExtensionCheck(total_days=total, cap_days=cap, within_cap=total <= cap)


def escalation_deadline(policy: Policy, calendar: WorkingCalendar, responded: date) -> date | None:
    """The last day the resident may ask for stage 2 under the policy, or None for no limit."""
    window = policy.escalation_window
    if window.unit is EscalationUnit.NONE:
        return None
    if window.unit is EscalationUnit.WORKING_DAYS:
        return calendar.add_working_days(responded, window.length)
    if window.unit is EscalationUnit.CALENDAR_DAYS:
        return responded + timedelta(days=window.length)
    return add_months(responded, window.length)


@dataclass(frozen=True)
class AcceptanceCheck:
    """Whether a complaint is inside the policy's acceptance window (2.3)."""

    issue_date: date
    received: date
    last_day: date
    months: int

    @property
    def inside(self) -> bool:
        return self.received <= self.last_day


def acceptance_check(policy: Policy, issue_date: date, received: date) -> AcceptanceCheck:
    """Compare the date the issue happened (or the resident became aware of it) with the window."""
    months = policy.acceptance_window_months
    return AcceptanceCheck(issue_date, received, add_months(issue_date, months), months)


@dataclass(frozen=True)
class DeadlineStatus:
    due: date
    today: date
    working_days_left: int  # 0 when due today; negative once overdue
    rag: Rag

    @property
    def overdue(self) -> bool:
        return self.rag is Rag.RED

    def describe(self) -> str:
        if self.today > self.due:
            late = -self.working_days_left
            if late <= 0:
                return f"overdue (was due {self.due:%-d %B %Y})"
            return f"{late} working day{'s' if late != 1 else ''} overdue"
        if self.working_days_left == 0:
            return "due today"
        left = self.working_days_left
        return f"{left} working day{'s' if left != 1 else ''} left"


def deadline_status(calendar: WorkingCalendar, due: date, today: date, amber_days: int) -> DeadlineStatus:
    """Working days left (or overdue) on `today`, and red / amber / green.

    Red once the due date has passed; amber from `amber_days` working days before it, including
    the day it is due; green before that.
    """
    left = calendar.working_days_between(today, due)
    if today > due:
        rag = Rag.RED
    elif left <= amber_days:
        rag = Rag.AMBER
    else:
        rag = Rag.GREEN
    return DeadlineStatus(due=due, today=today, working_days_left=left, rag=rag)
