"""Why an action was refused, in words a member of staff can act on.

Each error carries the HTTP status the API answers with, so every front door refuses alike.
"""

from __future__ import annotations


class ComplaintError(Exception):
    status = 409

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class TransitionNotAllowed(ComplaintError):
    """The complaint's state does not allow this action (for example responding before acknowledging)."""


class StaleVersion(ComplaintError):
    """Someone else changed the complaint since the caller last read it."""


class NotPermitted(ComplaintError):
    """The user's role, or the Code, does not let this person take this action."""

    status = 403


class InvalidInput(ComplaintError):
    """Input that cannot be accepted, with a message for each field."""

    status = 422

    def __init__(self, errors: dict[str, str]) -> None:
        super().__init__("; ".join(f"{field}: {message}" for field, message in errors.items()))
        self.errors = errors
