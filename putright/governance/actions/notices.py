"""Every change to a notice of provisions that cannot be met (Code 8.5).

The Code asks a landlord that cannot comply because of exceptional circumstances to inform the
Ombudsman, to tell the residents who may be affected, to publish it on its website, and to give a
timescale for returning to compliance. `record_notice` records the decision with that timescale;
each step is then recorded once (a second attempt is refused as already recorded), and
`record_return` closes the notice.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.contrib.auth.models import User
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction

from putright import clock
from putright.complaints.actions.base import clean_text, raise_invalid
from putright.complaints.errors import TransitionNotAllowed
from putright.governance import access
from putright.governance.models import ComplianceNotice
from putright.landlords.models import Landlord
from putright.rules.provisions import is_provision, provision_key

TEXT_LIMIT = 5_000
SHORT_LIMIT = 500


def _day(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


def _past(errors: dict[str, str], name: str, on: date | None, missing: str, what: str) -> None:
    if on is None:
        errors[name] = missing
    elif on > clock.today():
        errors[name] = f"{what} cannot be in the future"


def provisions_from(errors: dict[str, str], given: Iterable[str] | str) -> list[str]:
    """The provisions typed or chosen ("6.2, 6.3" or ["6.2", "6.3"]), checked, each once, in the Code's order."""
    if isinstance(given, str):
        given = given.replace(";", ",").replace(" ", ",").split(",")
    numbers = [number.strip() for number in given if number and number.strip()]
    unknown = [number for number in numbers if not is_provision(number)]
    if not numbers:
        errors["provisions"] = "Enter the provisions of the Code that cannot be met, for example 6.2, 6.3"
    elif unknown:
        errors["provisions"] = (
            f"{', '.join(unknown)} {'is not a provision' if len(unknown) == 1 else 'are not provisions'} "
            "of the Code: enter provisions from 1.2 to 9.8, for example 6.2"
        )
    # Sorted only once every number is a provision: a number that is not has no place in the Code's order.
    return numbers if unknown else sorted(set(numbers), key=provision_key)


@transaction.atomic
def record_notice(
    landlord: Landlord,
    actor: User,
    *,
    provisions: Iterable[str] | str,
    circumstances: str,
    reasons: str,
    unable_from: date | None,
    expected_return: date | None,
    decided_by: str,
) -> ComplianceNotice:
    """Record that exceptional circumstances stop the landlord meeting some provisions (8.5): which,
    why, from when, who decided, and when it expects to comply again (the timescale the Code asks
    for, so it is required). The same notice recorded twice is refused as already recorded."""
    staff = access.require_editor(actor)
    access.require_at(staff, landlord.pk)
    errors: dict[str, str] = {}
    numbers = provisions_from(errors, provisions)
    circumstances = clean_text(
        errors,
        "circumstances",
        circumstances,
        missing="Enter the exceptional circumstances, for example a cyber incident",
        limit=TEXT_LIMIT,
    )
    reasons = clean_text(errors, "reasons", reasons, missing="Enter why the provisions cannot be met", limit=TEXT_LIMIT)
    decided_by = clean_text(errors, "decided_by", decided_by, missing="Enter who decided, with their role", limit=200)
    if unable_from is None:
        errors["unable_from"] = "Enter the date from which the provisions cannot be met"
    if expected_return is None:
        errors["expected_return"] = "Enter when you expect to comply again: the Code asks for a timescale"
    elif unable_from is not None and expected_return <= unable_from:
        errors["expected_return"] = "The expected date of return must be after the date the problem began"
    raise_invalid(errors)
    assert unable_from is not None and expected_return is not None  # checked above
    Landlord.objects.select_for_update().get(pk=landlord.pk)  # a double submit waits, then finds the first
    if ComplianceNotice.objects.filter(
        landlord=landlord, unable_from=unable_from, provisions=numbers, circumstances=circumstances
    ).exists():
        raise TransitionNotAllowed("This notice has already been recorded.")
    now = clock.now()
    return ComplianceNotice.objects.create(
        landlord=landlord,
        provisions=numbers,
        circumstances=circumstances,
        reasons=reasons,
        unable_from=unable_from,
        expected_return=expected_return,
        decided_by=decided_by,
        recorded_by=actor,
        created_at=now,
        updated_at=now,
    )


def _locked(notice: ComplianceNotice, actor: User) -> ComplianceNotice:
    staff = access.require_editor(actor)
    access.require_at(staff, notice.landlord_id)
    return ComplianceNotice.objects.select_for_update().get(pk=notice.pk)


def _once(done_on: date | None, what: str) -> None:
    if done_on is not None:
        raise TransitionNotAllowed(f"{what} is already recorded, on {_day(done_on)}.")


@transaction.atomic
def record_ombudsman_informed(notice: ComplianceNotice, actor: User, *, on: date | None, how: str) -> ComplianceNotice:
    """Record when and how the Housing Ombudsman was told (8.5)."""
    notice = _locked(notice, actor)
    _once(notice.ombudsman_informed_on, "Informing the Ombudsman")
    errors: dict[str, str] = {}
    _past(errors, "on", on, "Enter the date the Ombudsman was informed", "The date the Ombudsman was informed")
    how = clean_text(
        errors, "how", how, missing="Enter how the Ombudsman was informed, for example by email", limit=SHORT_LIMIT
    )
    raise_invalid(errors)
    notice.ombudsman_informed_on, notice.ombudsman_informed_how = on, how
    notice.updated_at = clock.now()
    notice.save()
    return notice


@transaction.atomic
def record_residents_informed(
    notice: ComplianceNotice, actor: User, *, on: date | None, how: str, who: str
) -> ComplianceNotice:
    """Record when and how the residents who may be affected were told, and which residents (8.5)."""
    notice = _locked(notice, actor)
    _once(notice.residents_informed_on, "Telling the residents")
    errors: dict[str, str] = {}
    _past(errors, "on", on, "Enter the date the residents were told", "The date the residents were told")
    how = clean_text(
        errors, "how", how, missing="Enter how the residents were told, for example by letter", limit=SHORT_LIMIT
    )
    who = clean_text(errors, "who", who, missing="Enter which residents were told, or all residents", limit=SHORT_LIMIT)
    raise_invalid(errors)
    notice.residents_informed_on, notice.residents_informed_how, notice.residents_informed_who = on, how, who
    notice.updated_at = clock.now()
    notice.save()
    return notice


@transaction.atomic
def record_published(notice: ComplianceNotice, actor: User, *, on: date | None, address: str) -> ComplianceNotice:
    """Record when the notice was published on the landlord's website, and where (8.5)."""
    notice = _locked(notice, actor)
    _once(notice.published_on, "Publishing the notice")
    errors: dict[str, str] = {}
    _past(errors, "on", on, "Enter the date the notice was published", "The date the notice was published")
    address = clean_text(
        errors, "address", address, missing="Enter the address of the page on your website", limit=SHORT_LIMIT
    )
    if "address" not in errors:
        try:
            URLValidator(schemes=["https", "http"])(address)
        except ValidationError:
            errors["address"] = "Enter the address of the page in full, like https://www.example.gov.uk/complaints"
    raise_invalid(errors)
    notice.published_on, notice.published_at = on, address
    notice.updated_at = clock.now()
    notice.save()
    return notice


@transaction.atomic
def record_return(notice: ComplianceNotice, actor: User, *, on: date | None) -> ComplianceNotice:
    """Record the day the landlord complied again: the notice is then closed."""
    notice = _locked(notice, actor)
    _once(notice.returned_on, "The return to compliance")
    errors: dict[str, str] = {}
    _past(errors, "on", on, "Enter the date you complied again", "The date you complied again")
    if on is not None and on < notice.unable_from:
        errors["on"] = f"The date you complied again cannot be before the problem began ({_day(notice.unable_from)})"
    raise_invalid(errors)
    notice.returned_on = on
    notice.updated_at = clock.now()
    notice.save()
    return notice
