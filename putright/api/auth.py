"""`Authorization: Bearer <token>`: who is calling, checked once per request."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.errors import HttpError
from ninja.security import HttpBearer

from putright.api import tokens
from putright.complaints import access
from putright.landlords.models import StaffRole

_CHECKED = "_putright_api_user"
# What the Member Responsible for Complaints may call: insight's measures and the governance records, never
# an individual complaint, resident or letter (putright.complaints.access.INSIGHT_ONLY).
INSIGHT_PATHS = ("/measures", "/governance/", "/action-plan", "/compliance-notices")


class StaffToken(HttpBearer):
    """A token of active staff: the request then acts as that person, at their landlord, in their role."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        # The idempotency check needs the user before the view runs: look the token up only once.
        if _CHECKED not in request.__dict__:
            request.__dict__[_CHECKED] = tokens.staff_user(token)
        user = cast(User | None, request.__dict__[_CHECKED])
        staff = access.staff_of(user)
        if staff is not None and staff.role == StaffRole.MEMBER and not _insight_path(request.path):
            raise HttpError(403, access.INSIGHT_ONLY)
        return user


def _insight_path(path: str) -> bool:
    below = path.split("/api/v1", 1)[-1]
    return any(below == prefix.rstrip("/") or below.startswith(prefix) for prefix in INSIGHT_PATHS)


staff_token = StaffToken()


def caller(request: HttpRequest) -> User:
    """The member of staff the request's token belongs to (the view only runs once there is one)."""
    return cast(User, request.auth)  # type: ignore[attr-defined]
