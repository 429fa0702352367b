"""6.13: stage 2 is considered by someone who did not consider the complaint at stage 1; and a
complaint about a named member of staff is never handled or reviewed, at any stage, by that person.

"Considered" is read from the record, not from the stage 1 handler field alone: anyone who handled
stage 1 (each handler it had, as the assignment events record them), defined it (acknowledged it or
added an issue to its definition), extended it or issued its response. The actions refuse such a
person at stage 2 and the self-assessment's 6.13 evidence counts by the same rule: both call here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.contrib.auth import get_user_model

from putright.complaints.models import Complaint, Event, Stage

# Event kinds whose actor considered the stage (an assignment's actor may be a manager handing the
# work out: the handler it named is read from the event's record instead).
CONSIDERING_KINDS = ("acknowledged", "issue-added", "extended", "responded")
STAGE2_KINDS = ("acknowledged", "responded")


def stage1_considerers(complaint_ids: Iterable[int]) -> dict[int, set[int]]:
    """For each complaint, the users (by pk) who considered it at stage 1."""
    ids = list(complaint_ids)
    people: dict[int, set[int]] = defaultdict(set)
    usernames: dict[int, set[str]] = defaultdict(set)
    for complaint_id, handler_id in Stage.objects.filter(
        complaint_id__in=ids, number=1, handler__isnull=False
    ).values_list("complaint_id", "handler_id"):
        people[complaint_id].add(handler_id)
    events = Event.objects.filter(complaint_id__in=ids, stage=1, kind__in=(*CONSIDERING_KINDS, "assigned"))
    for complaint_id, actor_id, kind, after in events.values_list("complaint_id", "actor_id", "kind", "after"):
        if kind != "assigned" and actor_id is not None:
            people[complaint_id].add(actor_id)
        handler = after.get("handler") if isinstance(after, dict) else None
        if handler:
            usernames[complaint_id].add(str(handler))
    names = {name for named in usernames.values() for name in named}
    if names:
        pks = dict(get_user_model().objects.filter(username__in=names).values_list("username", "pk"))
        for complaint_id, named in usernames.items():
            people[complaint_id].update(pks[name] for name in named if name in pks)
    return {complaint_id: people.get(complaint_id, set()) for complaint_id in ids}


def considered_stage1(complaint: Complaint, user_id: int) -> bool:
    """Whether this user considered the complaint at stage 1, and so may not consider stage 2."""
    return user_id in stage1_considerers([complaint.pk])[complaint.pk]


def independent_at_stage2(complaint_ids: Iterable[int]) -> dict[int, bool]:
    """For each complaint with a stage 2: whether nobody who considered stage 1 handled, acknowledged
    or responded to stage 2. Complaints whose stage 2 nobody has yet taken count as independent."""
    ids = list(complaint_ids)
    earlier = stage1_considerers(ids)
    later: dict[int, set[int]] = defaultdict(set)
    for complaint_id, handler_id in Stage.objects.filter(
        complaint_id__in=ids, number=2, handler__isnull=False
    ).values_list("complaint_id", "handler_id"):
        later[complaint_id].add(handler_id)
    for complaint_id, actor_id in Event.objects.filter(
        complaint_id__in=ids, stage=2, kind__in=STAGE2_KINDS, actor__isnull=False
    ).values_list("complaint_id", "actor_id"):
        later[complaint_id].add(actor_id)
    return {complaint_id: not (earlier[complaint_id] & later[complaint_id]) for complaint_id in ids}


def named_in(complaint: Complaint, user_id: int | None) -> bool:
    """Whether the complaint is about this member of staff, who may then never handle or review any
    of its stages (nor read it: complaints.access)."""
    return user_id is not None and complaint.about_staff_id == user_id


def about_them(name: str) -> str:
    """The refusal when someone would give a complaint to the person it is about."""
    return (
        f"This complaint is about {name}, so they cannot handle or review any stage of it: choose another "
        "member of staff (a manager can take it if no complaints officer can)"
    )


def owner_named(name: str) -> str:
    """The refusal when someone would give one of a complaint's outstanding actions to the person it is about."""
    return (
        f"This complaint is about {name}, so they cannot own any of its outstanding actions: choose another "
        "member of staff"
    )


def stages_handled_by(complaint: Complaint, user_id: int) -> list[int]:
    """The numbers of the complaint's stages this user handles now."""
    return list(
        Stage.objects.filter(complaint=complaint, handler_id=user_id)
        .order_by("number")
        .values_list("number", flat=True)
    )
