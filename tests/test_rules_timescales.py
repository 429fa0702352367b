"""Deadlines from a policy and a calendar (6.2, 6.3, 6.4, 6.11, 6.14, 6.15, 2.3)."""

from __future__ import annotations

from datetime import date

import pytest

from putright.rules.calendar import Region, WorkingCalendar
from putright.rules.policy import (
    CODE_POLICY,
    EscalationUnit,
    EscalationWindow,
    NonWorkingDayReceipt,
    RespondFrom,
    StageTimescales,
    with_changes,
)
from putright.rules.timescales import (
    Rag,
    acceptance_check,
    acknowledgement_due,
    add_months,
    check_extension,
    deadline_status,
    escalation_deadline,
    extended_due,
    response_due,
)

ENGLAND = WorkingCalendar(Region.ENGLAND_AND_WALES)


def test_stage1_acknowledgement_is_due_five_working_days_after_receipt_6_2() -> None:
    assert acknowledgement_due(CODE_POLICY, ENGLAND, 1, date(2024, 12, 20)) == date(2024, 12, 31)


def test_stage1_response_is_due_ten_working_days_after_acknowledgement_6_3() -> None:
    assert response_due(CODE_POLICY, ENGLAND, 1, date(2024, 12, 20), date(2024, 12, 23)) == date(2025, 1, 9)


def test_an_unacknowledged_stage_shows_the_latest_response_date_the_code_allows() -> None:
    # acknowledgement due 31 December, then ten working days
    assert response_due(CODE_POLICY, ENGLAND, 1, date(2024, 12, 20), None) == date(2025, 1, 15)


def test_stage2_timescales_6_11_and_6_14() -> None:
    escalated = date(2025, 4, 14)  # Monday before Easter
    assert acknowledgement_due(CODE_POLICY, ENGLAND, 2, escalated) == date(2025, 4, 23)
    assert response_due(CODE_POLICY, ENGLAND, 2, escalated, date(2025, 4, 16)) == date(2025, 5, 19)


def test_a_policy_counting_from_receipt_makes_the_response_due_sooner() -> None:
    stage1 = StageTimescales(5, 10, 10, RespondFrom.RECEIPT)
    policy = with_changes(CODE_POLICY, stage1=stage1)
    assert response_due(policy, ENGLAND, 1, date(2024, 6, 3), date(2024, 6, 7)) == date(2024, 6, 17)


def test_a_complaint_received_on_a_saturday_counts_monday_as_day_one() -> None:
    saturday = date(2024, 6, 1)
    assert acknowledgement_due(CODE_POLICY, ENGLAND, 1, saturday) == date(2024, 6, 7)
    treated_as_monday = with_changes(
        CODE_POLICY, received_on_non_working_day=NonWorkingDayReceipt.TREAT_AS_RECEIVED_NEXT_WORKING_DAY
    )
    assert acknowledgement_due(treated_as_monday, ENGLAND, 1, saturday) == date(2024, 6, 10)
    # a working-day receipt is unaffected by the setting
    assert acknowledgement_due(treated_as_monday, ENGLAND, 1, date(2024, 6, 3)) == date(2024, 6, 10)


def test_extensions_move_the_due_date_on_in_working_days_6_4() -> None:
    assert extended_due(ENGLAND, date(2024, 12, 20), [5]) == date(2024, 12, 31)
    assert extended_due(ENGLAND, date(2024, 12, 20), [3, 2]) == date(2024, 12, 31)


def test_extensions_beyond_the_cap_need_a_good_reason_6_4_6_15() -> None:
    assert check_extension(CODE_POLICY, 1, [], 10).within_cap
    over = check_extension(CODE_POLICY, 1, [6], 5)
    assert (over.total_days, over.cap_days, over.needs_good_reason) == (11, 10, True)
    assert check_extension(CODE_POLICY, 2, [10], 10).within_cap
    with pytest.raises(ValueError, match="at least one working day"):
        check_extension(CODE_POLICY, 1, [], 0)


def test_escalation_deadlines_in_each_unit() -> None:
    responded = date(2024, 1, 31)
    assert escalation_deadline(CODE_POLICY, ENGLAND, responded) is None
    months = with_changes(CODE_POLICY, escalation_window=EscalationWindow(EscalationUnit.MONTHS, 1))
    assert escalation_deadline(months, ENGLAND, responded) == date(2024, 2, 29)
    calendar_days = with_changes(CODE_POLICY, escalation_window=EscalationWindow(EscalationUnit.CALENDAR_DAYS, 20))
    assert escalation_deadline(calendar_days, ENGLAND, responded) == date(2024, 2, 20)
    working = with_changes(CODE_POLICY, escalation_window=EscalationWindow(EscalationUnit.WORKING_DAYS, 20))
    assert escalation_deadline(working, ENGLAND, responded) == date(2024, 2, 28)


def test_the_acceptance_window_is_twelve_months_from_the_issue_2_3() -> None:
    inside = acceptance_check(CODE_POLICY, date(2023, 6, 15), date(2024, 6, 15))
    assert inside.inside and inside.last_day == date(2024, 6, 15)
    outside = acceptance_check(CODE_POLICY, date(2023, 6, 15), date(2024, 6, 16))
    assert not outside.inside
    three_months = with_changes(CODE_POLICY, acceptance_window_months=3)
    assert not acceptance_check(three_months, date(2024, 1, 1), date(2024, 4, 2)).inside


def test_add_months_keeps_to_the_end_of_short_months() -> None:
    assert add_months(date(2024, 8, 31), 6) == date(2025, 2, 28)
    assert add_months(date(2023, 12, 15), 2) == date(2024, 2, 15)
    assert add_months(date(2024, 2, 29), 12) == date(2025, 2, 28)


def test_red_amber_green_and_working_days_left() -> None:
    due = date(2024, 6, 14)  # a Friday
    assert deadline_status(ENGLAND, due, date(2024, 6, 10), 2).rag is Rag.GREEN
    amber = deadline_status(ENGLAND, due, date(2024, 6, 12), 2)
    assert (amber.rag, amber.working_days_left, amber.describe()) == (Rag.AMBER, 2, "2 working days left")
    today = deadline_status(ENGLAND, due, due, 2)
    assert (today.rag, today.describe()) == (Rag.AMBER, "due today")
    saturday = deadline_status(ENGLAND, due, date(2024, 6, 15), 2)
    assert saturday.overdue and saturday.describe() == "overdue (was due 14 June 2024)"
    late = deadline_status(ENGLAND, due, date(2024, 6, 18), 2)
    assert (late.rag, late.working_days_left, late.describe()) == (Rag.RED, -2, "2 working days overdue")
    assert deadline_status(ENGLAND, due, date(2024, 6, 13), 0).rag is Rag.GREEN
