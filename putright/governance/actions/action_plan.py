"""Every change to the self-assessment's action plan (Code 8.1(a), seed 003 Annex 2).

Each function takes the acting user, checks their role through putright.governance.access, validates
everything before writing and runs in one transaction. Lines come from an approved self-assessment
(`lines_from_assessment`, called by insight when it records the approval) or are added by hand; their
progress is a series of updates, each of which may change the line's status.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth.models import User
from django.db import transaction

from putright import clock
from putright.complaints.actions.base import clean_text, raise_invalid
from putright.complaints.errors import TransitionNotAllowed
from putright.governance import access
from putright.governance.models import ActionPlanItem, ActionPlanUpdate, LineStatus
from putright.governance.models.action_plan import OPEN_LINE_STATUSES
from putright.landlords.models import Landlord, StaffMember, StaffRole
from putright.rules.provisions import is_provision

ACTION_LIMIT = 5_000
NAME_LIMIT = 200


@dataclass(frozen=True)
class Shortfall:
    """An approved self-assessment's entry short of yes, as insight hands it over: governance never
    reads insight's models, so the caller copies out what the plan needs."""

    entry_id: int
    provision: str
    action: str
    target_date: date | None
    responsible: str


@dataclass
class FromAssessment:
    """What `lines_from_assessment` did: new lines, and open lines carried forward into this assessment."""

    created: list[ActionPlanItem] = field(default_factory=list)
    carried_forward: list[ActionPlanItem] = field(default_factory=list)


def _day(on: date) -> str:
    return f"{on.day} {on:%B %Y}"


def _line_fields(
    errors: dict[str, str],
    landlord: Landlord,
    *,
    provision: str,
    action: str,
    owner: User | None,
    owner_name: str,
    target_date: date | None,
    earlier_target: date | None = None,
) -> tuple[str, str, str]:
    provision = (provision or "").strip()
    if not provision:
        errors["provision"] = "Enter the Code provision, for example 6.2"
    elif not is_provision(provision):
        errors["provision"] = "Enter a provision of the Code from 1.2 to 9.8, for example 6.2"
    action = clean_text(errors, "action", action, missing="Enter what will be done", limit=ACTION_LIMIT)
    owner_name = (owner_name or "").strip()
    if owner is not None:
        if not StaffMember.objects.filter(user=owner, landlord=landlord).exists():
            errors["owner"] = "Choose a member of your landlord's staff as the owner"
        elif not owner_name:
            owner_name = owner.get_full_name() or owner.username
    if not owner_name and "owner" not in errors:
        errors["owner_name"] = "Enter who owns this action: a name or a role"
    elif len(owner_name) > NAME_LIMIT:
        errors["owner_name"] = f"The owner must be {NAME_LIMIT} characters or fewer"
    if target_date is None:
        errors["target_date"] = "Enter the target date"
    elif target_date < clock.today() and target_date != earlier_target:
        errors["target_date"] = "The target date must be today or in the future"
    return provision, action, owner_name


@transaction.atomic
def add_line(
    landlord: Landlord,
    actor: User,
    *,
    provision: str,
    action: str,
    target_date: date | None,
    owner: User | None = None,
    owner_name: str = "",
) -> ActionPlanItem:
    """Add a line to the plan by hand: a provision, what will be done, its owner and target date.

    The same line twice in a row (a double submit) is refused rather than added again."""
    staff = access.require_editor(actor)
    access.require_at(staff, landlord.pk)
    errors: dict[str, str] = {}
    provision, action, owner_name = _line_fields(
        errors,
        landlord,
        provision=provision,
        action=action,
        owner=owner,
        owner_name=owner_name,
        target_date=target_date,
    )
    raise_invalid(errors)
    Landlord.objects.select_for_update().get(pk=landlord.pk)  # one add at a time per landlord
    if ActionPlanItem.objects.filter(
        landlord=landlord, provision=provision, action=action, status__in=OPEN_LINE_STATUSES
    ).exists():
        raise TransitionNotAllowed(f"This action for provision {provision} is already on the plan.")
    now = clock.now()
    return ActionPlanItem.objects.create(
        landlord=landlord,
        provision=provision,
        action=action,
        owner=owner,
        owner_name=owner_name,
        target_date=target_date,
        created_by=actor,
        created_at=now,
        updated_at=now,
    )


def _locked(item: ActionPlanItem, actor: User) -> ActionPlanItem:
    staff = access.require_editor(actor)
    access.require_at(staff, item.landlord_id)
    return ActionPlanItem.objects.select_for_update().get(pk=item.pk)


@transaction.atomic
def change_line(
    item: ActionPlanItem,
    actor: User,
    *,
    provision: str,
    action: str,
    target_date: date | None,
    owner: User | None = None,
    owner_name: str = "",
) -> ActionPlanItem:
    """Change what an open line says: its provision, action, owner or target date. A new target date
    must not be in the past; the one the line already has may stay, even once it has passed."""
    item = _locked(item, actor)
    if not item.is_open:
        raise TransitionNotAllowed(
            f"This line is {item.get_status_display().lower()}: post an update to reopen it before changing it."
        )
    errors: dict[str, str] = {}
    provision, action, owner_name = _line_fields(
        errors,
        item.landlord,
        provision=provision,
        action=action,
        owner=owner,
        owner_name=owner_name,
        target_date=target_date,
        earlier_target=item.target_date,
    )
    raise_invalid(errors)
    item.provision, item.action, item.target_date = provision, action, target_date
    item.owner, item.owner_name = owner, owner_name
    item.updated_at = clock.now()
    item.save()
    return item


@transaction.atomic
def post_update(
    item: ActionPlanItem,
    actor: User,
    *,
    note: str,
    status: str = "",
    done_on: date | None = None,
) -> ActionPlanUpdate:
    """Record progress on a line, optionally changing its status. Done needs the date it was done
    (not in the future); dropped needs a reason, which is the note. Posting the same update twice in
    a row (a double submit) is refused rather than recorded twice."""
    item = _locked(item, actor)
    errors: dict[str, str] = {}
    note = clean_text(
        errors,
        "note",
        note,
        missing="Enter why the action is being dropped" if status == LineStatus.DROPPED else "Enter what has been done",
        limit=ACTION_LIMIT,
    )
    status = status or item.status
    if status not in LineStatus.values:
        errors["status"] = "Choose not started, in progress, done or dropped"
    elif status == LineStatus.DONE:
        if done_on is None:
            errors["done_on"] = "Enter the date the action was done"
        elif done_on > clock.today():
            errors["done_on"] = "The date the action was done cannot be in the future"
    elif done_on is not None:
        errors["done_on"] = "Leave the date done empty unless the action is done"
    raise_invalid(errors)
    last = item.updates.order_by("-at", "-id").first()
    if last is not None and last.by_id == actor.pk and last.note == note and (last.status_to or item.status) == status:
        raise TransitionNotAllowed("This update has already been recorded.")
    before = item.status
    now = clock.now()
    item.status = status
    item.done_on = done_on if status == LineStatus.DONE else None
    item.dropped_reason = note if status == LineStatus.DROPPED else ""
    item.updated_at = now
    item.save()
    return ActionPlanUpdate.objects.create(
        item=item, note=note, status_from=before, status_to=status if status != before else "", by=actor, at=now
    )


@transaction.atomic
def lines_from_assessment(
    landlord: Landlord, actor: User, *, assessment_id: int, approved_on: date, shortfalls: Sequence[Shortfall]
) -> FromAssessment:
    """Put an approved self-assessment's actions on the plan: a line for each entry short of yes, or,
    where the provision already has an open line, that line carried forward (noted in an update)
    rather than a second one. Entries already on the plan are left alone, so calling it again for the
    same assessment changes nothing.

    Insight calls this when it records the approval, after checking that the actor may approve (the
    Member Responsible for Complaints, whatever their account's role, or a manager): the lines are a
    consequence of that approval, so here the actor need only be on this landlord's staff."""
    staff = access.require_role(actor, tuple(StaffRole), "put a self-assessment's actions on the action plan")
    access.require_at(staff, landlord.pk)
    Landlord.objects.select_for_update().get(pk=landlord.pk)  # two approvals at once cannot both create
    done = FromAssessment()
    on_plan = set(
        ActionPlanItem.objects.filter(from_entry__in=[s.entry_id for s in shortfalls]).values_list(
            "from_entry", flat=True
        )
    )
    open_lines: dict[str, ActionPlanItem] = {}
    for found in ActionPlanItem.objects.filter(landlord=landlord, status__in=OPEN_LINE_STATUSES).order_by(
        "created_at", "id"
    ):
        open_lines.setdefault(found.provision, found)
    now = clock.now()
    for shortfall in shortfalls:
        if shortfall.entry_id in on_plan or not is_provision(shortfall.provision):
            continue
        carried = open_lines.get(shortfall.provision)
        if carried is not None:
            carried.from_assessment, carried.from_entry, carried.updated_at = assessment_id, shortfall.entry_id, now
            carried.save(update_fields=["from_assessment", "from_entry", "updated_at"])
            note = (
                f"Carried forward: the self-assessment approved on {_day(approved_on)} still finds this "
                "provision short of full compliance."
            )
            if shortfall.target_date and shortfall.target_date != carried.target_date:
                note += f" It gives a target date of {_day(shortfall.target_date)}."
            ActionPlanUpdate.objects.create(item=carried, note=note, by=actor, at=now)
            done.carried_forward.append(carried)
            continue
        line = ActionPlanItem.objects.create(
            landlord=landlord,
            provision=shortfall.provision,
            action=(shortfall.action or "").strip()[:ACTION_LIMIT] or "To be decided",
            owner_name=(shortfall.responsible or "").strip()[:NAME_LIMIT] or "Not named in the self-assessment",
            target_date=shortfall.target_date,
            from_assessment=assessment_id,
            from_entry=shortfall.entry_id,
            created_by=actor,
            created_at=now,
            updated_at=now,
        )
        open_lines[line.provision] = line
        done.created.append(line)
    return done
