"""One-time codes sent by email, so that a resident can follow their complaint without a password.

A keyed hash of each code is kept to check it; a code expires, works once, and can be tried only a few
times. The request that asks for one only queues `send_code` for the worker, whatever was typed: the
worker matches the reference and email, makes the code and writes its email to the outbox, which sends
and retries it as it does all mail. So a pair that matches a complaint is answered in the same time as
one that does not, and the mail server's speed or failure never shows (benchmarks/follow_timing.py).
The code is in that email's text in the outbox only until it is sent (then the text is blanked), and no
staff page shows it; in any case it is useless once used or 15 minutes old. The request's task, which holds
the reference and email typed, is deleted from the task queue within an hour of running (the worker's sweep).
"""

from __future__ import annotations

import logging
import secrets
from datetime import timedelta

from django.db import transaction
from django.utils.crypto import constant_time_compare, salted_hmac
from django_tasks import task

from putright import clock
from putright.complaints.models import Complaint
from putright.correspondence.models import ACCESS_CODE_KEY
from putright.landlords.models import Landlord
from putright.portal import notices
from putright.portal.models import AccessCode

log = logging.getLogger(__name__)

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


def matching_complaint(landlord: Landlord, reference: str, email: str) -> Complaint | None:
    """The landlord's complaint with this reference (any case) whose resident, or whose representative
    while they may follow it, has this email; None otherwise."""
    complaint = (
        Complaint.objects.filter(landlord=landlord, reference__iexact=reference.strip())
        .select_related("person", "representative", "landlord")
        .first()
    )
    if complaint is None:
        return None
    known = {complaint.person.email.lower()}
    # 3.6: a representative follows the complaint only while they act for the resident, if allowed to.
    if complaint.representative and complaint.representative.may_follow(clock.today()):
        known.add(complaint.representative.email.lower())
    return complaint if email.strip().lower() in known - {""} else None


@task()
def send_code(landlord_id: int, reference: str, email: str) -> bool:
    """Run by the worker for every request for a code: when the reference and email match, make a code
    and write its email to the outbox (in one transaction); otherwise do nothing. True if one was made."""
    landlord = Landlord.objects.filter(pk=landlord_id).first()
    complaint = matching_complaint(landlord, reference, email) if landlord is not None else None
    if complaint is None:
        return False
    address = email.strip().lower()
    with transaction.atomic():
        access, code = issue(complaint, address)
        context = {
            "code": code,
            "landlord": complaint.landlord,
            "complaint": complaint,
            "minutes": LIFETIME.seconds // 60,
        }
        message = notices.send_to_resident(
            complaint, "access code", address, "access-code", context, once_key=f"{ACCESS_CODE_KEY}{access.pk}"
        )
    log.info("Code %s for complaint %s queued as outbox message %s", access.pk, complaint.pk, message.pk)
    return True


def redeem_for(landlord: Landlord, reference: str, email: str, code: str) -> Complaint | None:
    """The complaint that the code opens for this reference and email, or None (every try counts)."""
    complaint = matching_complaint(landlord, reference, email)
    if complaint is None:
        return None
    latest = (
        AccessCode.objects.filter(complaint=complaint, email__iexact=email.strip(), used_at__isnull=True)
        .order_by("-created_at", "-pk")
        .values_list("pk", flat=True)
        .first()
    )
    return redeem(latest, code) if latest is not None else None
