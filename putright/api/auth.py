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
# Which landlord a landlord-wide call (measures, configuration, lists of one landlord) acts for, by its slug,
# for someone who works for several; without it, the first of their landlords by name.
LANDLORD_HEADER = "Putright-Landlord"
# What the Member Responsible for Complaints may call: insight's measures and the governance records, never
# an individual complaint, resident or letter (putright.complaints.access.INSIGHT_ONLY).
INSIGHT_PATHS = ("/measures", "/governance/", "/action-plan", "/compliance-notices", "/places")


class StaffToken(HttpBearer):
    """A token of active staff: the request then acts as that person, at their landlord, in their role."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        # The idempotency check needs the user before the view runs: look the token up only once.
        if _CHECKED not in request.__dict__:
            request.__dict__[_CHECKED] = tokens.staff_user(token)
        user = cast(User | None, request.__dict__[_CHECKED])
        chosen = request.headers.get(LANDLORD_HEADER, "").strip()
        if user is not None and chosen:
            # Someone who works for several landlords says which one a landlord-wide call is for; a call on
            # one complaint acts for the complaint's landlord whatever this says.
            place = next((p for p in access.places(user) if p.landlord.slug == chosen), None)
            if place is None:
                raise HttpError(
                    403,
                    f"You do not work for a landlord called '{chosen[:40]}'. Send {LANDLORD_HEADER} with one of: "
                    + ", ".join(p.landlord.slug for p in access.places(user)),
                )
            access.act_for(user, place.landlord_id)
        staff = access.staff_of(user)
        if staff is not None and staff.role == StaffRole.MEMBER and not _insight_path(request.path):
            readers = access.reading_places(user)
            if chosen or not readers:
                raise HttpError(403, access.INSIGHT_ONLY)
            # The Member at one landlord who works complaints at another, naming no landlord: a call that is
            # not insight's acts for the latter (a call about one record acts for the record's own landlord).
            access.act_for(user, readers[0].landlord_id)
        return user


def _insight_path(path: str) -> bool:
    below = path.split("/api/v1", 1)[-1]
    return any(below == prefix.rstrip("/") or below.startswith(prefix) for prefix in INSIGHT_PATHS)


staff_token = StaffToken()


def caller(request: HttpRequest) -> User:
    """The member of staff the request's token belongs to (the view only runs once there is one)."""
    return cast(User, request.auth)  # type: ignore[attr-defined]
