"""Issuing, revoking and checking API tokens.

A token reads `prt_<prefix>_<secret>`: the prefix finds the row, the secret is compared by its
SHA-256 hash in constant time. A token acts as its user, so it can do exactly what that member
of staff can do in the workspace, and nothing once they leave the landlord's staff.
"""

from __future__ import annotations

import hashlib
import hmac
import re
import secrets
from datetime import timedelta

from django.contrib.auth.models import User
from django.db import transaction

from putright import clock
from putright.api.models import ApiToken
from putright.complaints import access

_TOKEN = re.compile(r"prt_(?P<prefix>[0-9a-f]{8})_(?P<secret>[A-Za-z0-9_-]{43})")
# Recording every use would write a row on every read; once a minute is enough to see a token is alive.
LAST_USED_RESOLUTION = timedelta(minutes=1)


class TokenError(Exception):
    """A token cannot be issued or revoked; the message says why."""


def _hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@transaction.atomic
def issue(user: User, name: str = "") -> tuple[ApiToken, str]:
    """Make a token for a member of staff; returns the row and the token, which is never shown again."""
    if access.staff_of(user) is None:
        raise TokenError(f"{user.username} is not active staff of a landlord, so cannot have an API token")
    if len(name) > 100:
        raise TokenError("the token's name must be 100 characters or fewer")
    while True:
        prefix = secrets.token_hex(4)
        if not ApiToken.objects.filter(prefix=prefix).exists():
            break
    secret = secrets.token_urlsafe(32)
    token = ApiToken.objects.create(
        user=user, name=name.strip(), prefix=prefix, secret_hash=_hash(secret), created_at=clock.now()
    )
    return token, f"prt_{prefix}_{secret}"


def revoke(prefix: str) -> ApiToken:
    """Stop a token working from now on. Revoking a revoked token changes nothing."""
    prefix = prefix.strip().removeprefix("prt_")[:8]
    token = ApiToken.objects.filter(prefix=prefix).first()
    if token is None:
        raise TokenError(f"no API token has the prefix {prefix!r}")
    if token.revoked_at is None:
        token.revoked_at = clock.now()
        token.save(update_fields=["revoked_at"])
    return token


def staff_user(raw: str) -> User | None:
    """The active member of staff a token belongs to, or None for a malformed, unknown or revoked token."""
    match = _TOKEN.fullmatch(raw.strip())
    if match is None:
        return None
    try:
        token = ApiToken.objects.select_related("user__staff__landlord").get(
            prefix=match["prefix"], revoked_at__isnull=True
        )
    except ApiToken.DoesNotExist:
        return None
    if not hmac.compare_digest(token.secret_hash, _hash(match["secret"])):
        return None
    if access.staff_of(token.user) is None:
        return None
    now = clock.now()
    if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
