"""Issuing, revoking and checking API tokens.

A token reads `prt_<prefix>_<secret>`: the prefix finds the row, the secret is compared by its
SHA-256 hash in constant time. A token acts as its user, so it can do exactly what that member
of staff can do in the workspace, and nothing once they leave the landlord's staff.

Every token expires: API_TOKEN_DAYS after it is made (90 by default), or after the days given when
it is made. Rotation makes a new token for the same person and purpose and gives the old one a short
overlap (a day by default) to keep working while the program that uses it changes over; then it
stops, as if revoked (docs/security.md).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction

from putright import clock
from putright.api.models import ApiToken
from putright.complaints import access

_TOKEN = re.compile(r"prt_(?P<prefix>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{43})")
# Recording every use would write a row on every read; once a minute is enough to see a token is alive.
LAST_USED_RESOLUTION = timedelta(minutes=1)
# The longest a token may be made for, and the longest an old token may overlap its replacement.
MAX_DAYS = 366
MAX_OVERLAP_HOURS = 7 * 24
DEFAULT_OVERLAP = timedelta(hours=24)


class TokenError(Exception):
    """A token cannot be issued or revoked; the message says why."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def _lifetime(days: int | None) -> timedelta:
    chosen = settings.API_TOKEN_DAYS if days is None else days
    if not 1 <= chosen <= MAX_DAYS:
        raise TokenError(f"a token must last from 1 to {MAX_DAYS} days, not {chosen}")
    return timedelta(days=chosen)


@transaction.atomic
def issue(
    user: User, name: str = "", days: int | None = None, replaces: ApiToken | None = None
) -> tuple[ApiToken, str]:
    """Make a token for a member of staff, lasting `days` (API_TOKEN_DAYS by default); returns the
    row and the token, which is never shown again."""
    if access.staff_of(user) is None:
        raise TokenError(f"{user.username} is not active staff of a landlord, so cannot have an API token")
    if len(name) > 100:
        raise TokenError("the token's name must be 100 characters or fewer")
    lifetime = _lifetime(days)
    while True:
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    secret = secrets.token_urlsafe(32)
    now = clock.now()
    token = ApiToken.objects.create(
        user=user,
        name=name.strip(),
        prefix=prefix,
        secret_hash=_hash(secret),
        created_at=now,
        expires_at=now + lifetime,
        replaces=replaces,
    )
    return token, f"prt_{prefix}_{secret}"


def _find(prefix: str) -> ApiToken:
    prefix = prefix.strip().removeprefix("prt_")[:8]
    token = ApiToken.objects.select_for_update().filter(prefix=prefix).first()
    if token is None:
        raise TokenError(f"no API token has the prefix {prefix!r}")
    return token


@transaction.atomic
def rotate(prefix: str, days: int | None = None, overlap: timedelta = DEFAULT_OVERLAP) -> tuple[ApiToken, str]:
    """Replace a working token with a new one for the same person and purpose. The old token keeps
    working for `overlap` (at most until it would have expired anyway), then stops; a token can be
    replaced only once, and a revoked or expired one not at all."""
    if not timedelta(0) <= overlap <= timedelta(hours=MAX_OVERLAP_HOURS):
        raise TokenError(f"the overlap must be from 0 to {MAX_OVERLAP_HOURS} hours")
    old = _find(prefix)
    now = clock.now()
    if old.revoked_at is not None:
        raise TokenError(f"token {old.prefix} is revoked: make a new one with `putright token create`")
    if old.expires_at <= now:
        raise TokenError(f"token {old.prefix} has expired: make a new one with `putright token create`")
    if ApiToken.objects.filter(replaces=old).exists():
        raise TokenError(f"token {old.prefix} has already been replaced")
    token, secret = issue(old.user, old.name, days=days, replaces=old)
    old.expires_at = min(old.expires_at, now + overlap)
    old.save(update_fields=["expires_at"])
    return token, secret


@transaction.atomic
def revoke(prefix: str) -> ApiToken:
    """Stop a token working from now on. Revoking a revoked token changes nothing."""
    token = _find(prefix)
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


def staff_user(raw: str) -> User | None:
    """The active member of staff a token belongs to, or None for a malformed, unknown, revoked or expired token."""
    match = _TOKEN.fullmatch(raw.strip())
    if match is None:
        return None
    try:
        token = ApiToken.objects.select_related("user").get(prefix=match["prefix"], revoked_at__isnull=True)
    except ApiToken.DoesNotExist:
        return None
    if not hmac.compare_digest(token.secret_hash, _hash(match["secret"])):
        return None
    now = clock.now()
    if token.expires_at <= now:
        return None
    if access.staff_of(token.user) is None:
        return None
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
