"""Every change to a landlord's configuration that affects deadlines goes through here."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F

from putright import clock
from putright.landlords.models import ClosureDay, HolidayChange, Landlord, PolicyVersion
from putright.rules.policy import Finding, Policy, check_against_code, falls_short


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
def adopt_policy(
    landlord: Landlord,
    policy: Policy,
    effective_from: date,
    *,
    falls_short_confirmed_by: User | None = None,
    falls_short_confirmed_by_name: str = "",
) -> PolicyVersion:
    """Record `policy` as the landlord's policy from `effective_from` (replacing one from that same day).

    This records without asking: setting up a landlord (the demo, tests) goes through here. A person
    changing a policy goes through `adopt_checked_policy`, which checks against the Code first.
    """
    confirmed = bool(falls_short_confirmed_by or falls_short_confirmed_by_name)
    name = falls_short_confirmed_by_name
    if falls_short_confirmed_by is not None and not name:
        name = falls_short_confirmed_by.get_full_name() or falls_short_confirmed_by.get_username()
    version, _ = PolicyVersion.objects.update_or_create(
        landlord=landlord,
        effective_from=effective_from,
        defaults={
            "name": policy.name,
            "settings": policy.to_data(),
            "falls_short_confirmed_at": clock.now() if confirmed else None,
            "falls_short_confirmed_by": falls_short_confirmed_by,
            "falls_short_confirmed_by_name": name,
            "review_due_on": policy_review_due(policy, effective_from),
            "review_date_set_by_name": "",
        },
    )
    return version


def policy_review_due(policy: Policy, effective_from: date) -> date | None:
    """The review date the policy's own words give, counted from the day this version takes effect."""
    return policy.review_due() if policy.review_by else replace(policy, effective_from=effective_from).review_due()


class ReviewDateRefused(ValueError):
    def __init__(self, message: str) -> None:
        self.message = message
        super().__init__(message)


@transaction.atomic
def set_policy_review_date(version: PolicyVersion, review_due_on: date, actor: User) -> PolicyVersion:
    """Set or change when the landlord is to review a version of its policy; reminders follow the new date."""
    if review_due_on <= version.effective_from:
        raise ReviewDateRefused(
            f"The review date must be after the policy takes effect ({version.effective_from:%-d %B %Y})"
        )
    version.review_due_on = review_due_on
    version.review_date_set_by_name = actor.get_full_name() or actor.get_username()
    version.save(update_fields=["review_due_on", "review_date_set_by_name"])
    return version


class PolicyNotAdopted(ValueError):
    """A policy change refused; `field` names the setting to change and `findings` say why, if any."""

    def __init__(self, field: str, message: str, findings: list[Finding] | None = None) -> None:
        self.field = field
        self.message = message
        self.findings = findings or []
        super().__init__(message)


@transaction.atomic
def adopt_checked_policy(
    landlord: Landlord,
    policy: Policy,
    effective_from: date,
    *,
    confirm_falls_short: bool,
    actor: User | None = None,
    actor_name: str = "",
    earliest: date | None = None,
) -> PolicyVersion:
    """Adopt a changed policy as a new version, never rewriting the version complaints already follow.

    A change takes effect from a day on or after `earliest` (today in the admin): complaints keep
    the version in force on the day they were received, so a version from a day that has already
    had complaints would change their rules behind them. A version that falls short of the Code is
    adopted only with `confirm_falls_short`, and whoever confirmed it is recorded on the version.
    """
    # Two editors saving at once are taken one after the other, each checked against what the other saved.
    Landlord.objects.select_for_update().filter(pk=landlord.pk).first()
    if earliest is not None and effective_from < earliest:
        raise PolicyNotAdopted(
            "effective_from",
            f"The date the policy takes effect must be today or later ({earliest:%-d %B %Y}): "
            "complaints already received keep the version that was in force when they arrived.",
        )
    # Complaints are tied to a version when they are logged: one received on the new version's first
    # day already follows the old one, and moving it would change its rules behind the resident's back.
    if landlord.complaints.filter(received_on__gte=effective_from).exists():
        raise PolicyNotAdopted(
            "effective_from",
            f"Complaints received on or after {effective_from:%-d %B %Y} have already been logged under the "
            "version in force: choose a later date.",
        )
    if PolicyVersion.objects.filter(landlord=landlord, effective_from=effective_from).exists():
        raise PolicyNotAdopted(
            "effective_from",
            f"There is already a version of the policy from {effective_from:%-d %B %Y}: choose another date.",
        )
    if policy.review_by is not None and policy.review_by <= effective_from:
        # A review date copied from the version before would make the new one overdue from its first day.
        raise PolicyNotAdopted(
            "settings",
            f"The review date in the settings (review_by, {policy.review_by:%-d %B %Y}) must be after the day the "
            "policy takes effect: change it, or remove it.",
        )
    findings = check_against_code(policy)
    if falls_short(findings) and not confirm_falls_short:
        raise PolicyNotAdopted(
            "confirm_falls_short",
            "This policy falls short of the Code: confirm that you want to adopt it anyway. "
            "The Code's numbers still apply wherever the policy is weaker.",
            findings,
        )
    confirmed = falls_short(findings)
    return adopt_policy(
        landlord,
        policy,
        effective_from,
        falls_short_confirmed_by=actor if confirmed else None,
        falls_short_confirmed_by_name=actor_name if confirmed else "",
    )
