"""What follows from an action beyond the complaint itself: letters to the resident, email to staff.

An action writes its Event, then calls `react`: every reaction registered for the Event's kind runs
there and then, inside the action's transaction. A reaction that refuses (a letter that would be
incomplete raises InvalidInput) undoes the whole action, and whatever a reaction queues for after
commit goes only if the action commits.

Reactions are registered by the apps above complaints, from their AppConfig.ready()
(`putright.correspondence.reactions`), so the complaints domain never imports them: the arrow
points one way, and a new consequence of an announced step is a new reaction, not an edit of its
action. No post_save signals: an action says, by calling `react`, that something happened.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import ImproperlyConfigured

from putright.complaints.models import Complaint, Event, Stage

# The kinds of Event whose actions announce them (call `react`): those with something to follow.
# To react to another kind, make its action call `react` once its work is done, and add the kind
# here. A reaction registered for a kind no action announces is refused at start-up, rather than
# left never to run.
ANNOUNCED = frozenset(
    {
        "assigned",
        "acknowledged",
        "clarification-requested",
        "extended",
        "update-sent",
        "responded",
        "not-accepted",
        "escalation-refused",
        "closed",
        "contact-recorded",
        "restriction-approved",
        "restriction-ended",
        "ombudsman-referral",
    }
)


@dataclass(frozen=True)
class Happened:
    """An action's Event with what a reaction needs that the Event's row does not hold: the stage as
    the action left it (read again it would cost queries), the day the resident is told of it, and
    any detail (the question asked, the extension made, the ground of a refusal)."""

    event: Event
    stage: Stage
    on: date
    detail: Mapping[str, Any] = field(default_factory=dict)

    @property
    def complaint(self) -> Complaint:
        return self.event.complaint  # the action's own instance, held by the Event: no query

    @property
    def actor(self) -> User | None:
        return self.event.actor


Reaction = Callable[[Happened], None]

_reactions: dict[str, list[Reaction]] = {}


def register(kind: str, reaction: Reaction) -> None:
    """Run `reaction` after every action that writes an Event of this kind (once, however often
    it is registered)."""
    if kind not in ANNOUNCED:
        raise ImproperlyConfigured(
            f"No action announces {kind!r} Events, so a reaction to them would never run: make the action call "
            f"putright.complaints.reactions.react once its work is done, and add {kind!r} to ANNOUNCED."
        )
    registered = _reactions.setdefault(kind, [])
    if reaction not in registered:
        registered.append(reaction)


def react(event: Event, stage: Stage, *, on: date, **detail: Any) -> None:
    """Run the reactions to this Event's kind, in the order they were registered."""
    if event.kind not in ANNOUNCED:
        raise ValueError(f"Add {event.kind!r} to putright.complaints.reactions.ANNOUNCED before announcing it")
    happened = Happened(event, stage, on, detail)
    for reaction in _reactions.get(event.kind, ()):
        reaction(happened)
