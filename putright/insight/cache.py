"""The measures of closed periods, kept in Django's cache until anything they count changes.

A period that ended before today changes only when someone records something about its complaints
(a response recorded late, a deadline recomputed, a closure, an anonymisation, a TP09 survey): every
such action moves the landlord's insight generation on (putright.complaints.insight_generation), and
the figures are kept under a key that holds it, so a change makes every figure cached for the
landlord out of date at once, in every process. The key also holds what the landlord's own
configuration adds, read from the same row: its calendar version (closure days and holidays move
working days), its policy versions (its own stricter targets) and the homes counted for the period's
year (changed in the admin); and a version of the figures' shape, moved on whenever `Measures` changes.

A closed period's key holds the changes to the landlord's complaints received up to its end's reporting year
(and to what every year counts), not every change: a complaint received after the period cannot have a date
in it, so the everyday work on this year's complaints leaves last year's figures cached.

Figures of today (the dashboard's current period and its open stages) are kept the same way for a few
minutes, under a key that also holds today's date: the generation keeps them true, the date keeps a
deadline that passed overnight from being missed.

Nothing is read from or written to the cache inside a transaction: a transaction that has changed
something has not yet moved the generation on (on PostgreSQL that happens as it commits), so it
must count afresh; and a test's transaction never commits. Entries are kept for a day at most, so anything the
generation misses (a change made outside the actions) is out of date for no longer than that.

The cache is Django's "insight" cache (settings.CACHES): local memory in each process, or Redis,
shared by every process, when REDIS_URL is set; see docs/benchmarks.md.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from typing import TypeVar

from django.core.cache import caches
from django.db import connection
from django.db.models import Count, Max, OuterRef, Subquery, Sum

from putright.complaints.models import InsightGeneration, InsightYearGeneration
from putright.insight.periods import reporting_year_of
from putright.landlords.models import HomesCount, Landlord

T = TypeVar("T")

SHAPE = 2  # move on whenever the cached dataclasses change, so that no process reads an older shape
KEPT_FOR = 24 * 60 * 60  # seconds
# Figures of today (the current period, the open stages) for a few minutes only: their key holds the generation,
# so they are true while kept; the short time bounds what a change made outside the actions could leave behind.
KEPT_FOR_TODAY = 5 * 60


def closed_period_key(landlord: Landlord, start: date, end: date, service_area: str, year_starting: int) -> str:
    """The key the figures are kept under, with the landlord's generation and configuration read now (one query)."""
    homes = HomesCount.objects.filter(landlord=OuterRef("pk"), year_starting=year_starting).order_by()
    row = (
        Landlord.objects.filter(pk=landlord.pk)
        .annotate(policies=Count("policy_versions"), last_policy=Max("policy_versions__id"))
        .values_list(
            generation_up_to(reporting_year_of(end)),
            "calendar_version",
            "policies",
            "last_policy",
            Subquery(homes.values("low_cost_rental")[:1]),
            Subquery(homes.values("low_cost_home_ownership")[:1]),
        )
        .first()
    )
    parts = ":".join(str(part) for part in row or ())
    return f"insight:measures:{SHAPE}:{landlord.pk}:{start.isoformat()}:{end.isoformat()}:{service_area or '-'}:{parts}"


def generation_up_to(year: int) -> Subquery:
    """The landlord's (OuterRef "pk") insight generation for a period ending in reporting year `year`: the changes
    to its complaints received up to then, and to what every year counts, as a subquery (NULL before any)."""
    rows = InsightYearGeneration.objects.filter(landlord=OuterRef("pk"), year__lte=year).order_by()
    return Subquery(rows.values("landlord").annotate(n=Sum("number")).values("n")[:1])


def past_day_key(landlord: Landlord, what: str, day: date, service_area: str) -> str:
    """The key of a figure that counts complaints as they stood on a day before today (the open stages a year
    ago): only a change to a complaint received by then can change it (one query)."""
    generation = generation_up_to(reporting_year_of(day))
    number = Landlord.objects.filter(pk=landlord.pk).values_list(generation, flat=True).first()
    return f"insight:{what}:{SHAPE}:{landlord.pk}:{day.isoformat()}:{service_area or '-'}:{number or 0}"


def current_key(landlord: Landlord, what: str, today: date, service_area: str) -> str:
    """The key of a figure that counts complaints as they stand today (the open stages): the landlord's
    generation and today's date, read now (one query), before the figure is counted. Any change moves the
    generation on, and a new day starts a new key, so a figure kept under it is as true as one counted now."""
    number = InsightGeneration.objects.filter(landlord=landlord).values_list("number", flat=True).first()
    return f"insight:{what}:{SHAPE}:{landlord.pk}:{today.isoformat()}:{service_area or '-'}:{number or 0}"


def kept(key: Callable[[], str], build: Callable[[], T], seconds: int = KEPT_FOR) -> T:
    """What `build` makes, from the cache under `key()` when it is there (kept for `seconds` at most);
    never inside a transaction."""
    if connection.in_atomic_block or connection.vendor not in ("postgresql", "sqlite"):  # the trigger's databases
        return build()
    cache = caches["insight"]
    name = key()
    found: T | None = cache.get(name)
    if found is not None:
        return found
    made = build()
    cache.set(name, made, seconds)
    return made
