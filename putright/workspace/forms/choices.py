"""Choice lists made of the landlord's staff, for the forms that pick a person."""

from __future__ import annotations

from collections.abc import Sequence

from django.contrib.auth.models import User


def _person_name(user: User) -> str:
    return user.get_full_name() or user.username


def staff_choices(users: Sequence[User], blank: str | None = None) -> list[tuple[str, str]]:
    choices = [(str(user.pk), _person_name(user)) for user in users]
    return [("", blank), *choices] if blank is not None else choices
