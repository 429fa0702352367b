"""`Authorization: Bearer <token>`: who is calling, checked once per request."""

from __future__ import annotations

from typing import cast

from django.contrib.auth.models import User
from django.http import HttpRequest
from ninja.security import HttpBearer

from putright.api import tokens

_CHECKED = "_putright_api_user"


class StaffToken(HttpBearer):
    """A token of active staff: the request then acts as that person, at their landlord, in their role."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        # The idempotency check needs the user before the view runs: look the token up only once.
        if _CHECKED not in request.__dict__:
            request.__dict__[_CHECKED] = tokens.staff_user(token)
        return cast(User | None, request.__dict__[_CHECKED])


staff_token = StaffToken()


def caller(request: HttpRequest) -> User:
    """The member of staff the request's token belongs to (the view only runs once there is one)."""
    return cast(User, request.auth)  # type: ignore[attr-defined]
