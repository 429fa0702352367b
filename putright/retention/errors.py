"""Why a retention step was refused, in words a member of staff can act on.

Subclasses of the complaints' errors, so every front door answers them alike (409 for a state that
does not allow the step, 422 with a message per field for bad input).
"""

from __future__ import annotations

from putright.complaints.errors import ComplaintError, InvalidInput

__all__ = ["AnonymisationRefused", "InvalidInput", "RetentionRefused"]


class RetentionRefused(ComplaintError):
    """The complaint's retention state does not allow this step."""


class AnonymisationRefused(RetentionRefused):
    """The record is still needed: an open complaint, an open Ombudsman case, an open service request."""
