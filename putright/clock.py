"""The one place Putright asks what the time is.

Nothing else reads the clock: tests move it with time-machine, and the demo loader and the
benchmarks set it with `moved_to` so that history they create carries its own dates.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime

from django.utils import timezone

_moved_to: ContextVar[datetime | None] = ContextVar("putright_clock", default=None)


def now() -> datetime:
    return _moved_to.get() or timezone.now()


def today() -> date:
    """Today's date in Europe/London."""
    return timezone.localdate(now())


@contextmanager
def moved_to(moment: datetime) -> Iterator[None]:
    if timezone.is_naive(moment):
        raise ValueError("moved_to needs an aware datetime")
    token = _moved_to.set(moment)
    try:
        yield
    finally:
        _moved_to.reset(token)
