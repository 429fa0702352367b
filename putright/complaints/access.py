"""Who may see and do what: every list, detail, export and API call fetches through here.

Reading: every active member of a landlord's staff may read that landlord's complaints, service
requests, outstanding actions and letters, whatever their role (`Capability.READ`); the workspace's
pages and the API both fetch through the `*_visible_to` functions below, so they cannot disagree
about who may read what. Staff of another landlord see nothing (a 404, as if it did not exist).

Confidential complaints are the exception: one about a named member of staff, or one a complaints
officer or manager marked confidential with a reason, is read only by complaints officers, managers,
auditors (who audit: every time they open one the access log records it) and the people working it
(its handler, each stage's handler, the owners of its actions). The person it is about never reads
it, whatever their role: to them it does not exist (404), nor do its service request, actions,
letters and documents, which hang off it.

Changing: what staff may change depends on their role and, for the work of a stage, on whether the
stage is theirs (STYLE.md habit 5). The auditor reads and changes nothing. A refusal names the real
reason: the auditor's role is read-only; for anyone else, which roles can take the step.
"""

from __future__ import annotations

import operator
from enum import StrEnum
from functools import reduce

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Q, QuerySet

from putright.complaints.errors import NotPermitted
from putright.complaints.models import Complaint, OutstandingAction, ServiceRequest, Stage
from putright.landlords.models import Landlord, StaffMember, StaffRole

R = StaffRole
SUPERVISORS = (R.COMPLAINTS_OFFICER, R.MANAGER)
CASEWORKERS = (R.HANDLER, R.REVIEWER, R.COMPLAINTS_OFFICER, R.MANAGER)
READERS = (*CASEWORKERS, R.AUDITOR)
READ_ONLY = "Your role (Auditor) is read-only: you can read your landlord's complaints,"
ABOUT_YOU = (
    "This complaint is about you, so you cannot read it or work on it, whatever your role: another complaints "
    "officer or a manager must handle it."
)
CONFIDENTIALITY_KEEPERS = "Only a complaints officer or a manager can mark a complaint confidential or clear that."
# The Member Responsible for Complaints (9.5) signs in as staff but reads only insight: the measures, reports and
# governance records, never an individual complaint.
INSIGHT_ONLY = (
    "Your role (Member Responsible for Complaints) lets you read complaint measures, reports and governance "
    "records in Insight, not individual complaints, residents or letters."
)


class Capability(StrEnum):
    READ = "read complaints, service requests, actions and letters"
    LOG = "log complaints and service requests"
    WORK = "work on this stage"
    ASSIGN = "assign handlers"
    ESCALATE = "record a request to escalate"
    DECIDE = "decide not to accept a complaint or to refuse escalation"
    FINISH = "withdraw or close complaints"
    REFER = "record Ombudsman referrals"


# -- places: one person, one role at each landlord they work for ----------------------------------

# Where a user's places are kept for the rest of the request once read (one query a request), and which
# landlord the request acts for when it names none (set by the workspace from the session, by the API
# from the Putright-Landlord header, and by fetching a complaint, which acts for the complaint's landlord).
_PLACES = "_putright_places"
_ACTING = "_putright_acting_for"


def places(user: AbstractBaseUser | AnonymousUser | None) -> list[StaffMember]:
    """Every landlord `user` works for, with their role there, by landlord name; [] for anyone not active staff."""
    if user is None or not user.is_authenticated or not user.is_active:
        return []
    held: list[StaffMember] | None = getattr(user, _PLACES, None)
    if held is None:
        held = list(
            StaffMember.objects.filter(user_id=user.pk)
            .select_related("landlord", "landlord__managing_agent", "agent")
            .order_by("landlord__name", "landlord_id")
        )
        for place in held:
            place.user = user  # type: ignore[assignment]
        setattr(user, _PLACES, held)
    return held


def forget_places(user: AbstractBaseUser | AnonymousUser | None) -> None:
    """Read the user's places afresh next time (after one is added or removed)."""
    if user is not None and hasattr(user, _PLACES):
        delattr(user, _PLACES)


def act_for(user: AbstractBaseUser | AnonymousUser | None, landlord_id: int | None) -> StaffMember | None:
    """Act for `landlord_id` for the rest of this request, if the user works there: their place, or None."""
    place = staff_of(user, landlord_id) if landlord_id is not None else None
    if user is not None and place is not None:
        setattr(user, _ACTING, place.landlord_id)
    return place


def staff_of(user: AbstractBaseUser | AnonymousUser | None, landlord_id: int | None = None) -> StaffMember | None:
    """The user's place at `landlord_id`, or None if they do not work there. Without a landlord, the place
    this request acts for (`act_for`), else the first by landlord name; None for anyone not active staff."""
    held = places(user)
    if not held:
        return None
    explicit = landlord_id is not None
    if landlord_id is None:
        landlord_id = getattr(user, _ACTING, None)
    for place in held:
        if place.landlord_id == landlord_id:
            return place
    return None if explicit else held[0]


def at(staff: StaffMember, landlord_id: int) -> StaffMember | None:
    """The same person's place at `landlord_id`: `staff` itself if it is there, None if they do not work there.
    Every check on a record runs on the place at the record's own landlord, so acting for one landlord never
    lends its role to another."""
    if staff.landlord_id == landlord_id:
        return staff
    return staff_of(staff.user, landlord_id)


def require_at_landlord(staff: StaffMember, landlord_id: int) -> StaffMember:
    place = at(staff, landlord_id)
    if place is None:
        raise NotPermitted("You can only act for a landlord you work for.")
    return place


def require_staff(user: AbstractBaseUser | AnonymousUser | None, landlord_id: int | None = None) -> StaffMember:
    """Staff who work with complaints (at `landlord_id`, when given): the Member Responsible for Complaints
    is refused (INSIGHT_ONLY)."""
    staff = staff_of(user, landlord_id)
    if staff is None:
        raise NotPermitted(
            "Only a landlord's staff can do this."
            if not places(user)
            else "You can only act for a landlord you work for."
        )
    if staff.role == R.MEMBER:
        raise NotPermitted(INSIGHT_ONLY)
    return staff


# -- reading ------------------------------------------------------------------------------------


def reading_landlord(user: AbstractBaseUser | AnonymousUser | None) -> int | None:
    """The landlord whose records `user` may read (Capability.READ), or None: the one answer the
    pages and the API both use."""
    staff = staff_of(user)
    return staff.landlord_id if staff is not None and staff.role in READERS else None


# Who reads every confidential complaint of their landlord (except one about themselves).
CONFIDENTIAL_READERS = (*SUPERVISORS, R.AUDITOR)


def confidential(prefix: str = "") -> Q:
    """The complaints that are confidential: about a named member of staff, or marked with a reason.
    `prefix` reaches them from a related row ("complaint__")."""
    return Q(**{f"{prefix}about_staff__isnull": False}) | ~Q(**{f"{prefix}confidential_reason": ""})


def readable_by(staff: StaffMember, prefix: str = "") -> Q:
    """Of a landlord's complaints, those `staff` may read: never one about themselves; a confidential
    one only as an officer, manager or auditor, or as someone working it. One condition on the row
    (with two indexed subqueries for the workers), so every list stays one query."""
    user_id = staff.user_id
    not_about_them = ~Q(**{f"{prefix}about_staff_id": user_id})
    if staff.role in CONFIDENTIAL_READERS:
        return not_about_them
    working = (
        Q(**{f"{prefix}handler_id": user_id})
        | Q(**{f"{prefix}pk__in": Stage.objects.filter(handler_id=user_id).values("complaint_id")})
        | Q(**{f"{prefix}pk__in": OutstandingAction.objects.filter(owner_id=user_id).values("complaint_id")})
    )
    return not_about_them & (~confidential(prefix) | working)


def _reader(user: AbstractBaseUser | AnonymousUser | None) -> StaffMember | None:
    staff = staff_of(user)
    return staff if staff is not None and staff.role in READERS else None


def reading_places(user: AbstractBaseUser | AnonymousUser | None) -> list[StaffMember]:
    """The user's places whose role reads complaints (not the Member Responsible for Complaints)."""
    return [place for place in places(user) if place.role in READERS]


def readable_across(readers: list[StaffMember], prefix: str = "") -> Q:
    """What these places read, as one condition on the row: each landlord's complaints under the person's
    place there (`readable_by`). `readers` is not empty."""
    return reduce(
        operator.or_,
        (Q(**{f"{prefix}landlord_id": place.landlord_id}) & readable_by(place, prefix) for place in readers),
    )


def _across(user: AbstractBaseUser | AnonymousUser | None, prefix: str = "") -> Q | None:
    """What `user` may read at every landlord they read for; None when they read nowhere."""
    readers = reading_places(user)
    return readable_across(readers, prefix) if readers else None


def complaints_visible_to(user: AbstractBaseUser | AnonymousUser | None) -> QuerySet[Complaint]:
    """Every complaint `user` may read, at every landlord they work for."""
    condition = _across(user)
    if condition is None:
        return Complaint.objects.none()
    return Complaint.objects.filter(condition)


def service_requests_visible_to(user: AbstractBaseUser | AnonymousUser | None) -> QuerySet[ServiceRequest]:
    """A service request that became a complaint the reader may not read is hidden with it."""
    readers = reading_places(user)
    if not readers:
        return ServiceRequest.objects.none()
    landlords = [place.landlord_id for place in readers]
    hidden = (
        Complaint.objects.filter(landlord_id__in=landlords, service_request__isnull=False)
        .exclude(readable_across(readers))
        .values("service_request_id")
    )
    return ServiceRequest.objects.filter(landlord_id__in=landlords).exclude(pk__in=hidden)


def actions_visible_to(user: AbstractBaseUser | AnonymousUser | None) -> QuerySet[OutstandingAction]:
    condition = _across(user, "complaint__")
    if condition is None:
        return OutstandingAction.objects.none()
    return OutstandingAction.objects.filter(condition)


def can_read(staff: StaffMember, complaint: Complaint) -> bool:
    """`readable_by` for one complaint already in hand (its stages and actions read if it is confidential)."""
    place = at(staff, complaint.landlord_id)
    if place is None or place.role not in READERS:
        return False
    staff = place
    if complaint.about_staff_id == staff.user_id:
        return False
    if not complaint.is_confidential or staff.role in CONFIDENTIAL_READERS:
        return True
    if works_on(staff, complaint):
        return True
    owned = getattr(complaint, "_prefetched_objects_cache", {}).get("actions")
    if owned is not None:
        return any(action.owner_id == staff.user_id for action in owned)
    return OutstandingAction.objects.filter(complaint_id=complaint.pk, owner_id=staff.user_id).exists()


def get_complaint_for_staff(user: AbstractBaseUser | AnonymousUser | None, reference: str) -> Complaint:
    """The complaint with `reference` at a landlord the user reads for; DoesNotExist (a 404) for any other.
    The rest of the request acts for the complaint's landlord."""
    complaint = complaints_visible_to(user).get(reference=reference.strip().upper())
    act_for(user, complaint.landlord_id)
    return complaint


# -- changing -----------------------------------------------------------------------------------


def has_work(staff: StaffMember) -> bool:
    """Whether complaints, stages or actions can be given to this member of staff (not the auditor)."""
    return staff.role in CASEWORKERS


def _can_work(staff: StaffMember, stage: Stage, stage1_handler_id: int | None) -> bool:
    if stage.number == 2 and stage1_handler_id == staff.user_id:
        return False  # 6.13: never the person who considered stage 1
    if staff.role in SUPERVISORS:
        return True
    if stage.handler_id is not None:
        return stage.handler_id == staff.user_id
    return staff.role == R.REVIEWER if stage.number == 2 else staff.role in (R.HANDLER, R.REVIEWER)


def can(
    staff: StaffMember,
    capability: Capability,
    complaint: Complaint | None = None,
    stage: Stage | None = None,
    stage1_handler_id: int | None = None,
) -> bool:
    if complaint is not None:
        place = at(staff, complaint.landlord_id)
        if place is None:
            return False
        staff = place
    if complaint is not None and complaint.about_staff_id == staff.user_id:
        return False  # never the person a complaint is about, whatever their role
    if capability is Capability.READ:
        return staff.role in READERS if complaint is None else can_read(staff, complaint)
    if staff.role == R.AUDITOR:
        return False
    if capability in (Capability.LOG, Capability.ESCALATE):
        return staff.role in CASEWORKERS
    if capability in (Capability.ASSIGN, Capability.DECIDE, Capability.REFER):
        return staff.role in SUPERVISORS
    if capability is Capability.FINISH:
        return staff.role in SUPERVISORS or (stage is not None and stage.handler_id == staff.user_id)
    if capability is Capability.WORK:
        return stage is not None and _can_work(staff, stage, stage1_handler_id)
    return False


def refusal(
    staff: StaffMember,
    capability: Capability,
    stage: Stage | None = None,
    stage1_handler_id: int | None = None,
) -> str:
    """Why `staff` may not do this, in words they can act on: who can."""
    if stage is not None and stage.number == 2 and stage1_handler_id == staff.user_id:
        return "You handled stage 1 of this complaint, so you cannot consider it at stage 2 (Code 6.13)."
    if staff.role == R.AUDITOR:
        return f"{READ_ONLY} but not {capability.value}."
    if capability is Capability.WORK and stage is not None:
        if stage.handler_id is not None:
            return f"Only the handler of stage {stage.number}, a complaints officer or a manager can work on it."
        if stage.number == 2:
            return "Only a stage 2 reviewer, a complaints officer or a manager can work on stage 2."
        return "Only a complaint handler, a stage 2 reviewer, a complaints officer or a manager can work on stage 1."
    if capability is Capability.FINISH and stage is not None:
        return f"Only the handler of stage {stage.number}, a complaints officer or a manager can {capability.value}."
    if capability in (Capability.LOG, Capability.ESCALATE):
        return (
            f"Only a complaint handler, a stage 2 reviewer, a complaints officer or a manager can {capability.value}."
        )
    return f"Only a complaints officer or a manager can {capability.value}."


def require_at(staff: StaffMember, capability: Capability, landlord: Landlord) -> None:
    """Refuse unless `staff` works for `landlord` and their role there has `capability`."""
    require(require_at_landlord(staff, landlord.pk), capability)


def require(
    staff: StaffMember,
    capability: Capability,
    complaint: Complaint | None = None,
    stage: Stage | None = None,
    stage1_handler_id: int | None = None,
) -> None:
    if complaint is not None:
        staff = require_at_landlord(staff, complaint.landlord_id)
    if complaint is not None and complaint.about_staff_id == staff.user_id:
        raise NotPermitted(ABOUT_YOU)
    if not can(staff, capability, complaint, stage, stage1_handler_id):
        raise NotPermitted(refusal(staff, capability, stage, stage1_handler_id))


def can_update_action(staff: StaffMember, action: OutstandingAction, complaint: Complaint | None = None) -> bool:
    """Whoever owns an action, handles its complaint, or supervises may record its progress (6.6, 6.17)."""
    complaint = complaint or action.complaint
    place = at(staff, complaint.landlord_id)
    if place is None:
        return False
    staff = place
    return staff.role in CASEWORKERS and (
        action.owner_id == staff.user_id or staff.role in SUPERVISORS or complaint.handler_id == staff.user_id
    )


def require_action_update(staff: StaffMember, action: OutstandingAction, complaint: Complaint | None = None) -> None:
    complaint = complaint or action.complaint
    staff = require_at_landlord(staff, complaint.landlord_id)
    if staff.role == R.AUDITOR:
        raise NotPermitted(f"{READ_ONLY} but not record progress on their actions.")
    if not can_update_action(staff, action, complaint):
        raise NotPermitted(
            "Only the person the action is for, the complaint's handler, a complaints officer or a manager "
            "can record progress on it."
        )


# -- contacts on the record and representatives (5.12, 3.6) ---------------------------------------


def can_record_contact(staff: StaffMember, complaint: Complaint) -> bool:
    """Whoever works complaints at the landlord may put a call, meeting, visit or text on the record
    (5.12): the person who took the call is often not the complaint's handler."""
    place = at(staff, complaint.landlord_id)
    return place is not None and place.role in CASEWORKERS


def require_contact(staff: StaffMember, complaint: Complaint) -> None:
    staff = require_at_landlord(staff, complaint.landlord_id)
    if staff.role == R.AUDITOR:
        raise NotPermitted(f"{READ_ONLY} but not record contacts or representatives.")
    if not can_record_contact(staff, complaint):
        raise NotPermitted(
            "Only a complaint handler, a stage 2 reviewer, a complaints officer or a manager can record contacts."
        )


# -- a resident's needs and safeguarding (5.10) ---------------------------------------------------

NEEDS_KEEPERS = (
    "Only a complaints officer, a manager or someone working one of this resident's complaints can see "
    "the detail of their vulnerabilities and safeguarding, or record and change their needs."
)


def works_on(staff: StaffMember, complaint: Complaint) -> bool:
    """Whether `staff` handles the complaint or one of its stages (its stages prefetched: no query)."""
    stages = getattr(complaint, "_prefetched_objects_cache", {}).get("stages")
    if stages is None:
        stages = complaint.stages.all()
    return staff.user_id in {complaint.handler_id, *(stage.handler_id for stage in stages)}


def works_for_person(staff: StaffMember, person_id: int) -> bool:
    """Whether `staff` handles one of the person's complaints or one of their stages."""
    mine = Q(handler_id=staff.user_id) | Q(stages__handler_id=staff.user_id)
    return Complaint.objects.filter(mine, person_id=person_id, landlord_id=staff.landlord_id).exists()


def needs_check_of_work(staff: StaffMember, complaint: Complaint) -> bool:
    """Whether `can_see_needs` for this reader on this complaint turns on their other complaints:
    a handler or reviewer who does not work this one (the page reads that with what it shows)."""
    return staff.role in (R.HANDLER, R.REVIEWER) and not works_on(staff, complaint)


def can_see_needs(
    staff: StaffMember, person_id: int, complaint: Complaint | None = None, *, works_elsewhere: bool | None = None
) -> bool:
    """Whether `staff` may read the detail of the person's vulnerabilities and safeguarding concerns,
    and record or change their needs: complaints officers and managers, and the people working one
    of the person's complaints. Everyone else who reads the complaint (the auditor, other handlers)
    sees only that there is something recorded. Adjustments themselves are read by every reader, so
    that letters and calls honour them. `works_elsewhere`, when the caller has read it already,
    saves the query of the person's other complaints."""
    if complaint is not None:
        place = at(staff, complaint.landlord_id)
        if place is None:
            return False
        staff = place
    if staff.role in SUPERVISORS:
        return True
    if staff.role not in (R.HANDLER, R.REVIEWER):
        return False
    if complaint is not None and complaint.person_id == person_id and works_on(staff, complaint):
        return True
    return works_for_person(staff, person_id) if works_elsewhere is None else works_elsewhere


def require_needs_keeper(staff: StaffMember, landlord_id: int, person_id: int) -> None:
    staff = require_at_landlord(staff, landlord_id)
    if staff.role == R.AUDITOR:
        raise NotPermitted(f"{READ_ONLY} but not record or change a resident's needs.")
    if not can_see_needs(staff, person_id):
        raise NotPermitted(NEEDS_KEEPERS)


# -- contact restrictions (5.14, 5.15) ------------------------------------------------------------


def can_propose_restriction(staff: StaffMember, complaint: Complaint) -> bool:
    """Any caseworker may propose restricting contact; it does nothing until someone else decides."""
    place = at(staff, complaint.landlord_id)
    return place is not None and place.role in CASEWORKERS


def can_decide_restriction(staff: StaffMember, proposed_by_id: int | None = None) -> bool:
    """A complaints officer or a manager who did not propose it (Ashford: "taken at a senior level").
    Reviewing and ending one in force is theirs too."""
    return staff.role in SUPERVISORS and staff.user_id != proposed_by_id


def require_restriction_step(
    staff: StaffMember, complaint: Complaint, doing: str, *, proposed_by_id: int | None = None, propose: bool = False
) -> None:
    """Refuse a step on a contact restriction with the real reason (`doing`: "decide on a contact restriction")."""
    staff = require_at_landlord(staff, complaint.landlord_id)
    if staff.role == R.AUDITOR:
        raise NotPermitted(f"{READ_ONLY} but not {doing}.")
    if propose:
        if not can_propose_restriction(staff, complaint):
            raise NotPermitted(
                f"Only a complaint handler, a stage 2 reviewer, a complaints officer or a manager can {doing}."
            )
        return
    if staff.role in SUPERVISORS and staff.user_id == proposed_by_id:
        raise NotPermitted(
            "You proposed this contact restriction, so another complaints officer or manager must decide on it."
        )
    if not can_decide_restriction(staff, proposed_by_id):
        raise NotPermitted(f"Only a complaints officer or a manager can {doing}.")


# -- confidential complaints ----------------------------------------------------------------------


def can_keep_confidentiality(staff: StaffMember, complaint: Complaint) -> bool:
    """Complaints officers and managers mark a complaint confidential or clear it (not one about themselves)."""
    place = at(staff, complaint.landlord_id)
    return place is not None and place.role in SUPERVISORS and complaint.about_staff_id != staff.user_id


def require_confidentiality_keeper(staff: StaffMember, complaint: Complaint) -> None:
    staff = require_at_landlord(staff, complaint.landlord_id)
    if complaint.about_staff_id == staff.user_id:
        raise NotPermitted(ABOUT_YOU)
    if staff.role == R.AUDITOR:
        raise NotPermitted(f"{READ_ONLY} but not mark them confidential.")
    if not can_keep_confidentiality(staff, complaint):
        raise NotPermitted(CONFIDENTIALITY_KEEPERS)


def sees_about_staff(staff: StaffMember | None) -> bool:
    """Who a confidential complaint is about is shown to complaints officers and managers only."""
    return staff is not None and staff.role in SUPERVISORS
