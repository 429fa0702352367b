"""What follows from an action beyond the complaint itself: letters to the resident, email to staff.

An action writes its Event, then calls `react`: every reaction registered for the Event's kind runs
there and then, inside the action's transaction. A reaction that refuses (a letter that would be
incomplete raises InvalidInput) undoes the whole action, and whatever a reaction queues for after
commit goes only if the action commits.

Reactions are registered by the apps above complaints, from their AppConfig.ready()
(`putright.correspondence.reactions`), so the complaints domain never imports them: the arrow
points one way, and a new consequence of an action is a new reaction, not an edit of the action.
No post_save signals: an action says, by calling `react`, that something happened.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.contrib.auth.models import User

from putright.complaints.models import Complaint, Event, Stage


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
    registered = _reactions.setdefault(kind, [])
    if reaction not in registered:
        registered.append(reaction)


def react(event: Event, stage: Stage, *, on: date, **detail: Any) -> None:
    """Run the reactions to this Event's kind, in the order they were registered."""
    happened = Happened(event, stage, on, detail)
    for reaction in _reactions.get(event.kind, ()):
        reaction(happened)
