"""How figures read on a page: a dash for "none to count", percentages with what they are of."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import template

from putright.insight.measures import Share
from putright.insight.periods import year_label
from putright.insight.reports import show_money, show_number, show_percent

register = template.Library()


@register.filter
def num(value: Any) -> str:
    return show_number(value)


@register.filter
def pc(share: Share) -> str:
    return show_percent(share)


@register.filter
def share(value: Share) -> str:
    """'80.0% (8 of 10)', or 'None in the period'."""
    if value.whole == 0:
        return "None in the period"
    return f"{show_percent(value)} ({value.part:,} of {value.whole:,})"


@register.filter
def money(value: Decimal) -> str:
    return show_money(value)


@register.filter
def lines(value: str) -> list[str]:
    return [line for line in (value or "").splitlines() if line.strip()]


@register.filter
def yearlabel(year_starting: int) -> str:
    """2024 as '2024/25'."""
    return year_label(int(year_starting))
