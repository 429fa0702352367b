"""Every change to a landlord's configuration that affects deadlines goes through here."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.db.models import F

from putright.landlords.models import ClosureDay, HolidayChange, Landlord, PolicyVersion
from putright.rules.policy import Policy


def _calendar_changed(landlord: Landlord) -> None:
    Landlord.objects.filter(pk=landlord.pk).update(calendar_version=F("calendar_version") + 1)
    landlord.refresh_from_db(fields=["calendar_version"])


@transaction.atomic
def set_closure_day(landlord: Landlord, day: date, reason: str = "") -> ClosureDay:
    closure, _ = ClosureDay.objects.update_or_create(landlord=landlord, date=day, defaults={"reason": reason})
    _calendar_changed(landlord)
    return closure


@transaction.atomic
def clear_closure_day(landlord: Landlord, day: date) -> bool:
    deleted, _ = ClosureDay.objects.filter(landlord=landlord, date=day).delete()
    if deleted:
        _calendar_changed(landlord)
    return bool(deleted)


@transaction.atomic
def set_holiday_change(landlord: Landlord, day: date, change: str, title: str = "") -> HolidayChange:
    if change not in HolidayChange.Change.values:
        raise ValueError(f"a holiday change is 'add' or 'remove', not {change!r}")
    holiday, _ = HolidayChange.objects.update_or_create(
        landlord=landlord, date=day, defaults={"change": change, "title": title}
    )
    _calendar_changed(landlord)
    return holiday


@transaction.atomic
def clear_holiday_change(landlord: Landlord, day: date) -> bool:
    deleted, _ = HolidayChange.objects.filter(landlord=landlord, date=day).delete()
    if deleted:
        _calendar_changed(landlord)
    return bool(deleted)


@transaction.atomic
def adopt_policy(landlord: Landlord, policy: Policy, effective_from: date) -> PolicyVersion:
    """Record `policy` as the landlord's policy from `effective_from` (replacing one from that same day)."""
    version, _ = PolicyVersion.objects.update_or_create(
        landlord=landlord,
        effective_from=effective_from,
        defaults={"name": policy.name, "settings": policy.to_data()},
    )
    return version
