"""Every change to a member of staff's sign-in records: the authenticator app they set up as a second factor,
and the count of password reset requests that keeps resets from being sent without limit (issue 21).

The workspace's account pages call these; they hold no rules of their own."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]

from putright import clock
from putright.landlords.models import PasswordResetRequest

RESET_WINDOW = timedelta(hours=1)
RESETS_PER_EMAIL = 3
RESETS_PER_ADDRESS = 10
RESET_RECORDS_KEPT = timedelta(days=1)


def has_authenticator(user: User) -> bool:
    return bool(TOTPDevice.objects.filter(user=user, confirmed=True).exists())


@transaction.atomic
def authenticator_being_set_up(user: User) -> TOTPDevice:
    """The app the user is setting up, kept until confirmed: reloading the page shows the same QR code."""
    device = TOTPDevice.objects.select_for_update().filter(user=user, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=user, name="Authenticator app", confirmed=False)


@transaction.atomic
def confirm_authenticator(device: TOTPDevice, code: str) -> bool:
    """Confirm the app with one code from it; False (and nothing changed) for a wrong or used code."""
    if not device.verify_token(code):
        return False
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    return True


def _digest(kind: str, value: str) -> str:
    return hashlib.sha256(f"{kind}:{value.strip().lower()}".encode()).hexdigest()


@transaction.atomic
def count_reset_request(address: str, email: str) -> bool:
    """Count one more request for a reset link; False once the address or the email is over its hourly
    limit. Refused requests count too, so asking faster does not help. Only hashes are kept, for a day."""
    now = clock.now()
    address_key, email_key = _digest("address", address), _digest("email", email)
    recent = PasswordResetRequest.objects.filter(requested_at__gt=now - RESET_WINDOW)
    allowed = (
        recent.filter(address_key=address_key).count() < RESETS_PER_ADDRESS
        and recent.filter(email_key=email_key).count() < RESETS_PER_EMAIL
    )
    PasswordResetRequest.objects.create(address_key=address_key, email_key=email_key, requested_at=now)
    PasswordResetRequest.objects.filter(requested_at__lt=now - RESET_RECORDS_KEPT).delete()
    return allowed
