"""What the notices of provisions that cannot be met (8.5) show: which are open, and which
provisions they cover."""

from __future__ import annotations

from putright.governance.models import ComplianceNotice
from putright.landlords.models import Landlord


def open_notices(landlord: Landlord) -> list[ComplianceNotice]:
    return list(ComplianceNotice.objects.filter(landlord=landlord, returned_on__isnull=True))


def provisions_under_notice(landlord: Landlord) -> dict[str, ComplianceNotice]:
    """Each provision an open notice covers, with the notice (the earliest, where two cover it)."""
    found: dict[str, ComplianceNotice] = {}
    for notice in sorted(open_notices(landlord), key=lambda n: (n.unable_from, n.pk)):
        for number in notice.provisions:
            found.setdefault(number, notice)
    return found
