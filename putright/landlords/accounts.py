"""Every change to a member of staff's sign-in records: the second factors they set up (an authenticator
app, passkeys), their removal and a colleague's reset (each ending the sessions they confirmed), and the
count of password reset requests that keeps resets from being sent without limit (issue 21).

The workspace's account pages call these; they hold no rules of their own."""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Any

from django.contrib.auth import SESSION_KEY
from django.contrib.auth.models import User
from django.contrib.sessions.models import Session
from django.db import transaction
from django.db.models import F, Q
from django_otp import DEVICE_ID_SESSION_KEY  # type: ignore[import-untyped]
from django_otp.models import Device  # type: ignore[import-untyped]
from django_otp.plugins.otp_totp.models import TOTPDevice  # type: ignore[import-untyped]
from django_otp_webauthn.models import WebAuthnCredential  # type: ignore[import-untyped]

from putright import clock
from putright.landlords.models import PasswordResetRequest, StaffMember, StaffRole

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


# -- second factors: the app and passkeys, listed, removed and reset ------------------------------

# The roles that must give a second factor whatever their landlord says: those that configure the
# service and see every complaint. Django admins must too (`must_give_second_factor`).
SECOND_FACTOR_ROLES = frozenset({StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER})
# Who may reset a colleague's second factor at their own landlord (an admin may reset anyone's).
RESETTING_ROLES = SECOND_FACTOR_ROLES

LAST_ONE = (
    "You cannot remove your only way to confirm it is you: your role needs one. "
    "Add another (an app or a passkey) first, then remove this one"
)

log = logging.getLogger("putright.security")


class SignInError(Exception):
    """A change to someone's sign-in that cannot be made; `message` says why, for the page."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def must_give_second_factor(user: User, places: Sequence[StaffMember] | None = None) -> bool:
    """Whether the person's roles ask a second factor of them (whatever they have set up themselves): one
    sign-in for every landlord they work for, so the strictest of their places decides. `places`: all of
    them with their landlords, where the caller has them already (no query then)."""
    if user.is_staff or user.is_superuser:
        return True
    if places is not None:
        return any(p.role in SECOND_FACTOR_ROLES or p.landlord.second_factor_for_all_roles for p in places)
    asks = Q(role__in=SECOND_FACTOR_ROLES) | Q(landlord__second_factor_for_all_roles=True)
    return StaffMember.objects.filter(asks, user=user).exists()


def second_factors(user: User) -> list[Device]:
    """The person's working second factors, apps and passkeys, oldest first."""
    found: list[Device] = [
        *TOTPDevice.objects.filter(user=user, confirmed=True),
        *WebAuthnCredential.objects.filter(user=user, confirmed=True),
    ]
    return sorted(found, key=lambda device: (device.created_at or clock.now(), device.persistent_id))


def has_second_factor(user: User) -> bool:
    return has_authenticator(user) or bool(WebAuthnCredential.objects.filter(user=user, confirmed=True).exists())


def end_sessions(ended: Callable[[dict[str, Any]], bool]) -> int:
    """Delete every live session whose contents `ended` picks out; the next request from any of them
    (in any browser) starts signed out. Sessions are rows in the database (Django's default engine),
    each signed and encoded, so each live one is read: they last 30 minutes, so there are few."""
    keys = [
        session.session_key
        for session in Session.objects.filter(expire_date__gt=clock.now())
        .only("session_key", "session_data")
        .iterator()
        if ended(session.get_decoded())
    ]
    Session.objects.filter(session_key__in=keys).delete()
    return len(keys)


def _lock(user: User) -> None:
    # One change to a person's second factors at a time: two browsers removing the last two at
    # once must not leave none.
    User.objects.select_for_update().filter(pk=user.pk).first()


@transaction.atomic
def remove_second_factor(actor: User, device: Device) -> int:
    """Remove one of the actor's own second factors (an app or a passkey) and end every session,
    in any browser, that was confirmed with it. Refused (SignInError) for the last one left when the
    person's role needs a second factor. Returns how many sessions were ended."""
    if device.user_id != actor.pk:
        raise SignInError("You can only remove your own ways to confirm it is you")
    _lock(actor)
    if must_give_second_factor(actor) and len(second_factors(actor)) <= 1:
        raise SignInError(LAST_ONE)
    persistent_id = device.persistent_id
    name = device.name
    type(device).objects.filter(pk=device.pk).delete()
    ended = end_sessions(lambda data: data.get(DEVICE_ID_SESSION_KEY) == persistent_id)
    log.info("%s removed the second factor %r (%s); %d session(s) ended", actor.username, name, persistent_id, ended)
    return ended


def may_reset_second_factor(actor: User, member: User) -> bool:
    """An officer or manager for a colleague at their own landlord; a Django admin for anyone; never
    oneself (someone who has lost every factor cannot be signed in to do it)."""
    if actor.pk == member.pk:
        return False
    if actor.is_superuser:
        return True
    # At some landlord they both work for, the actor is its officer or manager.
    theirs = StaffMember.objects.filter(user=member).values("landlord_id")
    return StaffMember.objects.filter(user=actor, role__in=RESETTING_ROLES, landlord_id__in=theirs).exists()


@transaction.atomic
def reset_second_factor(actor: User, member: User) -> int:
    """Remove every app and passkey of a colleague who has lost theirs, and end all their sessions:
    they set up a new one at their next sign-in. Returns how many were removed."""
    if not may_reset_second_factor(actor, member):
        raise SignInError("Only a complaints officer or a manager at their landlord can reset a colleague's sign-in")
    _lock(member)
    apps, passkeys = TOTPDevice.objects.filter(user=member), WebAuthnCredential.objects.filter(user=member)
    removed: int = apps.count() + passkeys.count()
    apps.delete()
    passkeys.delete()  # with their attestations
    ended = end_sessions(lambda data: str(data.get(SESSION_KEY)) == str(member.pk))
    log.info("%s reset the second factor of %s: %d removed, %d session(s) ended", actor, member, removed, ended)
    return removed


@transaction.atomic
def name_new_passkey(user: User) -> None:
    """Give a passkey just set up a name the person can tell apart: "Passkey 1", "Passkey 2" ..."""
    passkeys = WebAuthnCredential.objects.select_for_update().filter(user=user).order_by("created_at", "pk")
    taken = {passkey.name for passkey in passkeys}
    for passkey in passkeys:
        if passkey.name.startswith("Passkey "):
            continue
        number = 1
        while f"Passkey {number}" in taken:
            number += 1
        passkey.name = f"Passkey {number}"
        taken.add(passkey.name)
        passkey.save(update_fields=["name"])


def colleagues_to_reset(mine: StaffMember) -> list[User]:
    """The colleagues whose second factor this member of staff may reset: everyone else at their
    landlord, for an officer or a manager; nobody for other roles. One query however many there are;
    each carries `role_label`, their role at this landlord (whatever it is at another)."""
    if mine.role not in RESETTING_ROLES:
        return []
    colleagues: list[User] = list(
        User.objects.filter(staff__landlord_id=mine.landlord_id, is_active=True)
        .exclude(pk=mine.user_id)
        .annotate(role_here=F("staff__role"))
        .order_by("last_name", "first_name", "username")
    )
    for colleague in colleagues:
        colleague.role_label = StaffRole(colleague.role_here).label  # type: ignore[attr-defined]
    return colleagues
