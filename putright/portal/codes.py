"""One-time codes sent by email, so that a resident can follow their complaint without a password.

Only a keyed hash of each code is kept; a code expires, works once, and can be tried only a few times.
"""

from __future__ import annotations

import secrets
from datetime import timedelta

from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac

from putright import clock
from putright.complaints.models import Complaint
from putright.portal.models import AccessCode

LIFETIME = timedelta(minutes=15)
MAX_ATTEMPTS = 5


def _digest(complaint_id: int, code: str) -> str:
    return salted_hmac("putright.portal.access-code", f"{complaint_id}:{code}", algorithm="sha256").hexdigest()


def issue(complaint: Complaint, email: str) -> tuple[AccessCode, str]:
    """A new code for the complaint; earlier unused codes stop working."""
    now = clock.now()
    code = f"{secrets.randbelow(1_000_000):06d}"
    with transaction.atomic():
        AccessCode.objects.filter(complaint=complaint, used_at__isnull=True).update(used_at=now)
        access = AccessCode.objects.create(
            complaint=complaint,
            code_hash=_digest(complaint.pk, code),
            email=email,
            created_at=now,
            expires_at=now + LIFETIME,
        )
    return access, code


def redeem(access_id: int, code: str) -> Complaint | None:
    """The complaint the code opens, or None; every try counts against the code's few attempts."""
    code = "".join(code.split())
    with transaction.atomic():
        access = AccessCode.objects.select_for_update().filter(pk=access_id).select_related("complaint").first()
        if access is None or access.used_at is not None or access.expires_at <= clock.now():
            return None
        if access.attempts >= MAX_ATTEMPTS:
            return None
        access.attempts += 1
        if not constant_time_compare(access.code_hash, _digest(access.complaint_id, code)):
            access.save(update_fields=["attempts"])
            return None
        access.used_at = clock.now()
        access.save(update_fields=["attempts", "used_at"])
        return access.complaint


def discard(access: AccessCode) -> None:
    """Forget a code that never reached the resident: not kept, even as its hash."""
    AccessCode.objects.filter(pk=access.pk).delete()
