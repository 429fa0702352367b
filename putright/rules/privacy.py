"""When a resident's data protection request must be answered (UK GDPR Art. 12(3)).

A request to see, erase or restrict the processing of one's personal data (Arts. 15, 17 and 18)
is answered "without undue delay and in any event within one month of receipt". The period "may
be extended by two further months where necessary, taking into account the complexity and number
of the requests", and the resident must be told of the extension, with the reasons, within the
first month.

A month here is a calendar month, counted as the ICO counts it: from the day of receipt to the same
day of the next month; where the next month has no such day (received on 31 January), to the last
day of that month.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

ONE_MONTH = 1
FURTHER_MONTHS = 2  # Art. 12(3): "may be extended by two further months"


def add_months(day: date, months: int) -> date:
    """The same day `months` calendar months later, or the last day of that month when it is shorter."""
    if months < 0:
        raise ValueError("months must not be negative")
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def due_on(received_on: date) -> date:
    """The day a request received on `received_on` must be answered by: one calendar month (Art. 12(3))."""
    return add_months(received_on, ONE_MONTH)


def extended_due_on(received_on: date) -> date:
    """The latest day an extended request may be answered by: two further months (Art. 12(3))."""
    return add_months(received_on, ONE_MONTH + FURTHER_MONTHS)


@dataclass(frozen=True)
class ExtensionCheck:
    allowed: bool
    reason: str = ""


def may_extend(received_on: date, today: date, *, already_extended: bool) -> ExtensionCheck:
    """Whether the time to answer may still be extended today, and if not, why (Art. 12(3)).

    Once only (the two further months are all there is), and only while the first month runs: the
    resident must be told of the extension "within one month of receipt of the request"."""
    if already_extended:
        return ExtensionCheck(False, "The time to answer has already been extended by the two further months allowed")
    if today > due_on(received_on):
        return ExtensionCheck(
            False,
            f"The time to answer can only be extended within a month of receipt, by {due_on(received_on):%-d %B %Y}",
        )
    return ExtensionCheck(True)


def overdue(due: date, today: date) -> bool:
    """A request still open after its due day is overdue."""
    return today > due
