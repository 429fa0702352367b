"""/action-plan and /compliance-notices: the self-assessment's action plan (Code 8.1 a), with each
line's updates, and notices of provisions that cannot be met (8.5), with the steps the Code asks for.

The same rules as the pages under /staff/insight/: the complaints officer and managers change them;
the auditor and the Member Responsible for Complaints read them; handlers and stage 2 reviewers are
refused (403). Another landlord's line or notice is a 404. Registered in putright.api.main.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum

from django.http import HttpRequest
from ninja import Field, Query, Router, Schema, Status

from putright import clock
from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.complaints import REFUSALS, colleague
from putright.api.errors import NotFound
from putright.governance import access
from putright.governance import action_plan as plan
from putright.governance.actions import action_plan as plan_actions
from putright.governance.actions import notices as notice_actions
from putright.governance.models import ActionPlanItem, ActionPlanUpdate, ComplianceNotice, LineStatus
from putright.governance.notices import provisions_under_notice
from putright.landlords.models import StaffMember

router = Router(tags=["action plan and notices"])

READ_REFUSALS: dict[int | str, type] = {401: s.ErrorOut, 403: s.ErrorOut, 404: s.ErrorOut, 422: s.ErrorOut}


class ActionStatus(StrEnum):
    NOT_STARTED = "not-started"
    IN_PROGRESS = "in-progress"
    DONE = "done"
    DROPPED = "dropped"


assert [k.value for k in ActionStatus] == LineStatus.values


# -- schemas --------------------------------------------------------------------------------------


class ActionPlanUpdateOut(Schema):
    id: int
    note: str
    status_from: str
    status_to: str = Field(description="Empty when the update did not change the status")
    by: str
    at: datetime


class ActionLineOut(Schema):
    id: int
    provision: str
    action: str
    owner: str | None = Field(description="The owner's username, when they have an account")
    owner_name: str
    target_date: date | None
    status: str
    status_label: str
    done_on: date | None
    dropped_reason: str
    overdue: bool
    under_notice: bool = Field(description="An open notice of 8.5 covers this provision")
    from_assessment: int | None = Field(description="The self-assessment that last found the provision short")
    updates: list[ActionPlanUpdateOut]


class ActionLineIn(s.BodyIn):
    provision: s.Text = Field(max_length=5, description="The Code provision, 1.2 to 9.8")
    action: s.Text = Field(max_length=5_000)
    target_date: date
    owner: s.Username | None = Field(None, description="The username of the member of staff who owns it")
    owner_name: s.Text = Field(
        "", max_length=200, description="The owner's name or role as the plan shows it; default: the owner's name"
    )


class ActionPlanUpdateIn(s.BodyIn):
    note: s.Text = Field(max_length=5_000, description="What has been done; when dropping, why")
    status: ActionStatus | None = Field(None, description="A new status; default: unchanged")
    done_on: date | None = Field(None, description="Needed when the status is done")


class ActionPlanQuery(Schema):
    status: ActionStatus | None = None


class NoticeOut(Schema):
    id: int
    provisions: list[str]
    circumstances: str
    reasons: str
    unable_from: date
    expected_return: date
    decided_by: str
    ombudsman_informed_on: date | None
    ombudsman_informed_how: str
    residents_informed_on: date | None
    residents_informed_how: str
    residents_informed_who: str
    published_on: date | None
    published_at: str
    returned_on: date | None
    open: bool
    still_to_do: list[str]


class NoticeIn(s.BodyIn):
    provisions: list[s.Text] = Field(min_length=1, max_length=60, description='For example ["6.2", "6.3"]')
    circumstances: s.Text = Field(max_length=5_000)
    reasons: s.Text = Field(max_length=5_000)
    unable_from: date
    expected_return: date = Field(description="The timescale the Code asks for: when you expect to comply again")
    decided_by: s.Text = Field(max_length=200, description="Who decided, by name and role")


class OmbudsmanInformedIn(s.BodyIn):
    on: date
    how: s.Text = Field(max_length=500)


class ResidentsInformedIn(s.BodyIn):
    on: date
    how: s.Text = Field(max_length=500)
    who: s.Text = Field(max_length=500, description="Which residents, or all")


class PublishedIn(s.BodyIn):
    on: date
    address: s.Text = Field(max_length=500, description="The address of the page on your website")


class ReturnedIn(s.BodyIn):
    on: date


# -- fetching and shaping -------------------------------------------------------------------------


def _reader(request: HttpRequest) -> StaffMember:
    return access.require_reader(caller(request))


def _line(request: HttpRequest, line_id: int) -> ActionPlanItem:
    staff = _reader(request)
    found = plan.lines(staff.landlord).filter(pk=line_id).first()
    if found is None:
        raise NotFound("action plan line")
    return found


def _notice(request: HttpRequest, notice_id: int) -> ComplianceNotice:
    staff = _reader(request)
    found = ComplianceNotice.objects.filter(pk=notice_id, landlord=staff.landlord).first()
    if found is None:
        raise NotFound("notice")
    return found


def _update_out(u: ActionPlanUpdate) -> dict[str, object]:
    return {
        "id": u.pk,
        "note": u.note,
        "status_from": u.status_from,
        "status_to": u.status_to,
        "by": u.by.get_full_name() or u.by.username,
        "at": u.at,
    }


def _line_out(item: ActionPlanItem, noticed: set[str]) -> dict[str, object]:
    return {
        "id": item.pk,
        "provision": item.provision,
        "action": item.action,
        "owner": item.owner.username if item.owner is not None else None,
        "owner_name": item.owner_name,
        "target_date": item.target_date,
        "status": item.status,
        "status_label": item.get_status_display(),
        "done_on": item.done_on,
        "dropped_reason": item.dropped_reason,
        "overdue": item.is_open and item.target_date is not None and item.target_date < clock.today(),
        "under_notice": item.provision in noticed,
        "from_assessment": item.from_assessment,
        "updates": [_update_out(u) for u in item.updates.all()],
    }


def _one_line(request: HttpRequest, line_id: int) -> dict[str, object]:
    item = _line(request, line_id)
    return _line_out(item, set(provisions_under_notice(item.landlord)))


def _notice_out(n: ComplianceNotice) -> dict[str, object]:
    return {
        "id": n.pk,
        "provisions": n.provisions,
        "circumstances": n.circumstances,
        "reasons": n.reasons,
        "unable_from": n.unable_from,
        "expected_return": n.expected_return,
        "decided_by": n.decided_by,
        "ombudsman_informed_on": n.ombudsman_informed_on,
        "ombudsman_informed_how": n.ombudsman_informed_how,
        "residents_informed_on": n.residents_informed_on,
        "residents_informed_how": n.residents_informed_how,
        "residents_informed_who": n.residents_informed_who,
        "published_on": n.published_on,
        "published_at": n.published_at,
        "returned_on": n.returned_on,
        "open": n.is_open,
        "still_to_do": n.still_to_do,
    }


# -- the action plan ------------------------------------------------------------------------------


@router.get("/action-plan", response={200: list[ActionLineOut], **READ_REFUSALS})
def list_action_plan(request: HttpRequest, query: Query[ActionPlanQuery]) -> list[dict[str, object]]:
    """The lines of your landlord's action plan, by target date, each with its updates (newest first)."""
    staff = _reader(request)
    found = plan.lines(staff.landlord).order_by("target_date", "id")
    if query.status is not None:
        found = found.filter(status=query.status.value)
    noticed = set(provisions_under_notice(staff.landlord))
    return [_line_out(item, noticed) for item in found]


@router.post("/action-plan", response={201: ActionLineOut, **REFUSALS})
def add_action_line(request: HttpRequest, payload: ActionLineIn) -> Status[dict[str, object]]:
    """Add a line to the plan: a provision, what will be done, its owner and target date."""
    staff = access.require_editor(caller(request))  # before any colleague is looked up by name
    item = plan_actions.add_line(
        staff.landlord,
        caller(request),
        provision=payload.provision,
        action=payload.action,
        target_date=payload.target_date,
        owner=colleague(request, payload.owner, "owner") if payload.owner else None,
        owner_name=payload.owner_name,
    )
    return Status(201, _one_line(request, item.pk))


@router.get("/action-plan/{line_id}", response={200: ActionLineOut, **READ_REFUSALS})
def get_action_line(request: HttpRequest, line_id: s.Id) -> dict[str, object]:
    """One line of the plan with its updates."""
    return _one_line(request, line_id)


@router.post("/action-plan/{line_id}", response={200: ActionLineOut, **REFUSALS})
def change_action_line(request: HttpRequest, line_id: s.Id, payload: ActionLineIn) -> dict[str, object]:
    """Change an open line: its provision, action, owner or target date (a new one cannot be in the past)."""
    access.require_editor(caller(request))  # before any colleague is looked up by name
    item = _line(request, line_id)
    plan_actions.change_line(
        item,
        caller(request),
        provision=payload.provision,
        action=payload.action,
        target_date=payload.target_date,
        owner=colleague(request, payload.owner, "owner") if payload.owner else None,
        owner_name=payload.owner_name,
    )
    return _one_line(request, line_id)


@router.post("/action-plan/{line_id}/updates", response={201: ActionLineOut, **REFUSALS})
def post_action_update(request: HttpRequest, line_id: s.Id, payload: ActionPlanUpdateIn) -> Status[dict[str, object]]:
    """Record progress on a line, optionally changing its status (done needs done_on; dropped, a reason)."""
    item = _line(request, line_id)
    plan_actions.post_update(
        item,
        caller(request),
        note=payload.note,
        status=payload.status.value if payload.status else "",
        done_on=payload.done_on,
    )
    return Status(201, _one_line(request, line_id))


# -- notices of provisions that cannot be met (8.5) ------------------------------------------------


@router.get("/compliance-notices", response={200: list[NoticeOut], **READ_REFUSALS})
def list_compliance_notices(request: HttpRequest) -> list[dict[str, object]]:
    """Your landlord's notices of provisions that cannot be met, latest first."""
    staff = _reader(request)
    return [_notice_out(n) for n in ComplianceNotice.objects.filter(landlord=staff.landlord)]


@router.post("/compliance-notices", response={201: NoticeOut, **REFUSALS})
def record_compliance_notice(request: HttpRequest, payload: NoticeIn) -> Status[dict[str, object]]:
    """Record that exceptional circumstances stop you meeting provisions of the Code (8.5), with the
    expected date of return to compliance."""
    staff = _reader(request)
    notice = notice_actions.record_notice(staff.landlord, caller(request), **payload.model_dump())
    return Status(201, _notice_out(notice))


@router.get("/compliance-notices/{notice_id}", response={200: NoticeOut, **READ_REFUSALS})
def get_compliance_notice(request: HttpRequest, notice_id: s.Id) -> dict[str, object]:
    """One notice, with the steps recorded and what is still to do."""
    return _notice_out(_notice(request, notice_id))


@router.post("/compliance-notices/{notice_id}/ombudsman-informed", response={200: NoticeOut, **REFUSALS})
def record_ombudsman_informed(request: HttpRequest, notice_id: s.Id, payload: OmbudsmanInformedIn) -> dict[str, object]:
    """Record when and how the Housing Ombudsman was informed (once)."""
    notice = _notice(request, notice_id)
    return _notice_out(
        notice_actions.record_ombudsman_informed(notice, caller(request), on=payload.on, how=payload.how)
    )


@router.post("/compliance-notices/{notice_id}/residents-informed", response={200: NoticeOut, **REFUSALS})
def record_residents_informed(request: HttpRequest, notice_id: s.Id, payload: ResidentsInformedIn) -> dict[str, object]:
    """Record when, how and which residents who may be affected were told (once)."""
    notice = _notice(request, notice_id)
    return _notice_out(
        notice_actions.record_residents_informed(
            notice, caller(request), on=payload.on, how=payload.how, who=payload.who
        )
    )


@router.post("/compliance-notices/{notice_id}/published", response={200: NoticeOut, **REFUSALS})
def record_notice_published(request: HttpRequest, notice_id: s.Id, payload: PublishedIn) -> dict[str, object]:
    """Record when and where on your website the notice was published (once)."""
    notice = _notice(request, notice_id)
    return _notice_out(notice_actions.record_published(notice, caller(request), on=payload.on, address=payload.address))


@router.post("/compliance-notices/{notice_id}/returned", response={200: NoticeOut, **REFUSALS})
def record_notice_return(request: HttpRequest, notice_id: s.Id, payload: ReturnedIn) -> dict[str, object]:
    """Record the day you complied again: the notice is then closed."""
    notice = _notice(request, notice_id)
    return _notice_out(notice_actions.record_return(notice, caller(request), on=payload.on))
