"""A landlord's working-day calendar and the policy in force on a date."""

from __future__ import annotations

import json
import os
import tempfile
from datetime import date
from functools import cache
from pathlib import Path
from threading import Lock

import requests
from django.conf import settings
from django.db.models import Prefetch

from putright.landlords.models import ClosureDay, HolidayChange, Landlord, PolicyVersion
from putright.rules.calendar import (
    BankHolidaySource,
    Region,
    WorkingCalendar,
    load_govuk_data,
    validate_govuk_data,
)
from putright.rules.floor import effective
from putright.rules.policy import CODE_POLICY, Policy

_calendars: dict[tuple[int, int], WorkingCalendar] = {}
_lock = Lock()


@cache
def bank_holiday_source() -> BankHolidaySource:
    """GOV.UK's dates as last refreshed by the operator, else as shipped, with computed years beyond."""
    return BankHolidaySource(load_govuk_data(settings.BANK_HOLIDAYS_FILE))


@cache
def region_calendar(region: Region) -> WorkingCalendar:
    return WorkingCalendar(region, source=bank_holiday_source())


def working_calendar(landlord: Landlord) -> WorkingCalendar:
    """The landlord's calendar: its region's bank holidays, its one-off changes and its closure days.

    Calendars are cached per process and rebuilt when the landlord's `calendar_version` moves on.
    """
    key = (landlord.pk, landlord.calendar_version)
    calendar = _calendars.get(key)
    if calendar is None:
        changes = list(HolidayChange.objects.filter(landlord=landlord).values_list("date", "change"))
        calendar = WorkingCalendar(
            Region(landlord.region),
            closures=ClosureDay.objects.filter(landlord=landlord).values_list("date", flat=True),
            extra_holidays=[day for day, change in changes if change == HolidayChange.Change.ADD],
            removed_holidays=[day for day, change in changes if change == HolidayChange.Change.REMOVE],
            source=bank_holiday_source(),
        )
        with _lock:
            for stale in [k for k in _calendars if k[0] == landlord.pk]:
                del _calendars[stale]
            _calendars[key] = calendar
    return calendar


def policy_version_in_force(landlord: Landlord, on: date) -> PolicyVersion | None:
    return landlord.policy_versions.filter(effective_from__lte=on).order_by("-effective_from").first()


def policy_in_force(landlord: Landlord, on: date) -> Policy:
    """The policy a complaint received on `on` is worked to, with the Code as its floor: each
    number the stricter of the policy's and the Code's (putright/rules/floor.py).

    Before the landlord's first recorded version, the Code's own numbers apply: the Code binds
    every landlord whatever its policy says.
    """
    return effective(written_policy_in_force(landlord, on))


def written_policy_in_force(landlord: Landlord, on: date) -> Policy:
    """The policy in force on `on` as the landlord wrote it: for showing it and where the Code
    applies instead, never for working out a date."""
    version = policy_version_in_force(landlord, on)
    return version.policy() if version else CODE_POLICY


def landlords_with_policies(on: date) -> list[tuple[Landlord, Policy]]:
    """Every landlord with the policy in force on `on`, in two queries."""
    in_force = PolicyVersion.objects.filter(effective_from__lte=on).order_by("-effective_from")
    landlords = Landlord.objects.prefetch_related(Prefetch("policy_versions", in_force, to_attr="in_force"))
    return [
        (landlord, effective(landlord.in_force[0].policy()) if landlord.in_force else CODE_POLICY)
        for landlord in landlords
    ]


def refresh_bank_holidays(timeout: float = 20) -> Path:
    """Download GOV.UK's bank holidays into BANK_HOLIDAYS_FILE, replacing the file atomically."""
    response = requests.get(settings.BANK_HOLIDAYS_URL, timeout=timeout)
    response.raise_for_status()
    data = validate_govuk_data(response.json())
    target: Path = settings.BANK_HOLIDAYS_FILE
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".bank-holidays-")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        json.dump(data, file)
    os.replace(temporary, target)
    bank_holiday_source.cache_clear()
    region_calendar.cache_clear()
    _calendars.clear()
    return target
