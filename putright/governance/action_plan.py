"""What the action plan shows: its lines with their latest progress, what is overdue, and what was
done in a period (for the plan's page, the API and the quarterly governance report)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, QuerySet

from putright.governance.models import ActionPlanItem, ActionPlanUpdate, ComplianceNotice
from putright.governance.models.action_plan import OPEN_LINE_STATUSES, LineStatus
from putright.governance.notices import open_notices
from putright.landlords.models import Landlord
from putright.rules.provisions import provision_key


def lines(landlord: Landlord) -> QuerySet[ActionPlanItem]:
    """The landlord's lines with their owner and updates (newest first) fetched in two queries."""
    return (
        ActionPlanItem.objects.filter(landlord=landlord)
        .select_related("owner")
        .prefetch_related(
            Prefetch("updates", queryset=ActionPlanUpdate.objects.select_related("by").order_by("-at", "-id"))
        )
    )


@dataclass(frozen=True)
class Line:
    item: ActionPlanItem
    latest: ActionPlanUpdate | None
    overdue: bool
    under_notice: bool  # a notice of 8.5 covers the provision


def _line(item: ActionPlanItem, today: date, noticed: set[str]) -> Line:
    updates = list(item.updates.all())
    overdue = item.is_open and item.target_date is not None and item.target_date < today
    return Line(item, updates[0] if updates else None, overdue, item.provision in noticed)


def _in_code_order(found: list[Line]) -> list[Line]:
    return sorted(found, key=lambda line: (provision_key(line.item.provision), line.item.target_date or date.max))


@dataclass
class ActionPlanReport:
    """The plan as the governance report shows it: open lines, lines done in the quarter, open notices."""

    open_lines: list[Line] = field(default_factory=list)
    done_in_period: list[Line] = field(default_factory=list)
    open_notices: list[ComplianceNotice] = field(default_factory=list)

    @property
    def overdue(self) -> int:
        return sum(1 for line in self.open_lines if line.overdue)


def plan_page(landlord: Landlord, today: date) -> tuple[list[Line], list[Line], list[ComplianceNotice]]:
    """Open lines in the Code's order, then closed ones (latest first), and the open notices."""
    notices = open_notices(landlord)
    noticed = {number for notice in notices for number in notice.provisions}
    found = [_line(item, today, noticed) for item in lines(landlord)]
    open_ = _in_code_order([line for line in found if line.item.is_open])
    closed = sorted(
        (line for line in found if not line.item.is_open), key=lambda line: line.item.updated_at, reverse=True
    )
    return open_, closed, notices


def report_for(landlord: Landlord, start: date, end: date, today: date) -> ActionPlanReport:
    """For the quarterly governance report: every open line, the lines done between start and end."""
    notices = open_notices(landlord)
    noticed = {number for notice in notices for number in notice.provisions}
    found = lines(landlord).filter(status__in=[*OPEN_LINE_STATUSES, LineStatus.DONE])
    rows = [_line(item, today, noticed) for item in found]
    return ActionPlanReport(
        open_lines=_in_code_order([line for line in rows if line.item.is_open]),
        done_in_period=_in_code_order(
            [
                line
                for line in rows
                if line.item.status == LineStatus.DONE
                and line.item.done_on is not None
                and start <= line.item.done_on <= end
            ]
        ),
        open_notices=notices,
    )
