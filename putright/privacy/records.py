"""What every action on a request writes: its RequestEvent, and the decision with who made it."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User

from putright import clock
from putright.privacy.models import RequestEvent, RightsRequest


def write_event(
    request: RightsRequest,
    actor: User | None,
    kind: str,
    summary: str,
    *,
    before: dict[str, Any] | None = None,
    after: dict[str, Any] | None = None,
) -> RequestEvent:
    return RequestEvent.objects.create(
        request=request,
        at=clock.now(),
        actor=actor,
        kind=kind,
        summary=summary[:2_000],
        before=before or {},
        after=after or {},
    )


def decide(request: RightsRequest, actor: User, state: str, decision: str) -> None:
    """Set the decision (what the resident is told) and who made it; the caller saves."""
    request.state, request.decision = state, decision[:10_000]
    request.decided_by, request.decided_at = actor, clock.now()


DECIDED_FIELDS = ["state", "decision", "decided_by", "decided_at"]
