"""Reminders to staff, planned by the worker's sweep from the due dates the complaints already hold.

- due soon: the handler, `reminder_days_before` working days (a policy setting) before an
  acknowledgement or response is due;
- overdue: the handler and the landlord's managers, once the date has passed;
- an update due: the handler, before the next update agreed with the resident falls due (5.9);
- an update missed: the handler and the landlord's managers, once its date has passed unsent (5.9);
- a resident's need due for review: the handlers of their complaints in progress, or the complaints
  officers, from `reminder_days_before` working days before its review date (5.10);
- a contact restriction due for review: whoever approved it (or the complaints officers), and the
  managers once its date has passed (5.14);
- a representative's authority about to expire: the handlers of the complaints they act on, or the
  complaints officers, from `reminder_days_before` working days before its last day, once (3.6);
- the Ombudsman's evidence requests, orders and recommendations coming due: the complaint's handler
  (an order: its owner) and the complaints officers, from `reminder_days_before` working days before
  the date that applies; once more, to the managers too, once it has passed;
- a policy's review date (issue 17): the complaints officers and managers, once 30 days before it
  and once when it has passed;
- an action plan line's target date (issue 17): its owner, if they have an account, and the
  complaints officers, once from 14 days before it and once when it has passed;
- a daily digest: each complaints officer, with what is due today, what is overdue, and any
  email that could not be sent.

A complaint with no handler yet goes to the complaints officers instead, who assign handlers.

Each reminder is written once: its key (what, which stage, which date, whom) can be in the outbox
only once, so a sweep that runs twice, or two workers sweeping at once, queue nothing more. They
are written only on the landlord's working days and within WORKING_HOURS (UK time); a sweep at
other times queues nothing, and the first sweep in working hours writes what is due then.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F, Q
from django.urls import reverse

from putright import clock
from putright.complaints.models import ACTIVE_STATUSES, OPEN_STATUSES, Complaint, DueKind, Stage
from putright.complaints.policies import policy_for
from putright.correspondence import notices
from putright.correspondence.models import OutboxMessage
from putright.governance import deadlines
from putright.governance.models import ActionPlanItem
from putright.governance.models.action_plan import OPEN_LINE_STATUSES
from putright.governance.people import member_responsible
from putright.landlords.calendars import policy_version_in_force, working_calendar
from putright.landlords.models import Landlord, StaffRole
from putright.ombudsman import queries as ombudsman_queries
from putright.people.models import ContactRestriction, ReasonableAdjustment, Vulnerability
from putright.rules.calendar import WorkingCalendar
from putright.rules.policy import CODE_POLICY

UK = ZoneInfo("Europe/London")
LONGEST_NOTICE = 10  # working days: the most a policy's reminder_days_before may be
UPDATE_MISSED = "update-missed"
NEEDS_REVIEW = "needs-review"
RESTRICTION_REVIEW = "restriction-review"
REPRESENTATIVE_EXPIRY = "representative-expiry"
OMBUDSMAN_DUE = "ombudsman-due"
POLICY_REVIEW = "policy-review"
POLICY_REVIEW_NOTICE_DAYS = 30  # calendar days: a review takes longer to arrange than a reply
ACTION_PLAN_DUE = "action-plan-due"
ACTION_PLAN_NOTICE_DAYS = 14  # calendar days before an action plan line's target date
REPORTING_DEADLINE = "reporting-deadline"
REPORTING_NOTICE_DAYS = (30, 7)  # calendar days before a reporting calendar deadline; and once when it has passed
REPORTING_OVERDUE_DAYS = 60  # an unmet deadline is reminded of once, if it passed at most this long ago
DIGEST_ROWS = 50


@dataclass
class Planned:
    due_soon: int = 0
    overdue: int = 0
    update_due: int = 0
    digests: int = 0
    update_missed: int = 0
    needs_review: int = 0
    restriction_reviews: int = 0
    representative_expiries: int = 0
    policy_reviews: int = 0

    def __add__(self, other: Planned) -> Planned:
        return Planned(
            self.due_soon + other.due_soon,
            self.overdue + other.overdue,
            self.update_due + other.update_due,
            self.digests + other.digests,
            self.update_missed + other.update_missed,
            self.needs_review + other.needs_review,
            self.restriction_reviews + other.restriction_reviews,
            self.representative_expiries + other.representative_expiries,
            self.policy_reviews + other.policy_reviews,
        )

    @property
    def total(self) -> int:
        return (
            self.due_soon
            + self.overdue
            + self.update_due
            + self.digests
            + self.update_missed
            + self.needs_review
            + self.restriction_reviews
            + self.representative_expiries
            + self.policy_reviews
        )


@dataclass
class _Notice:
    """One reminder about one stage, to some users, before the ones already sent are left out."""

    kind: str
    name: str
    key: str
    complaint: Complaint | None
    users: list[User]
    context: dict[str, Any] = field(default_factory=dict)

    def keys(self) -> list[str]:
        return [f"{self.key}:{user.pk}" for user in self.users]


def in_working_hours(moment: datetime) -> bool:
    local = moment.astimezone(UK).time()
    return settings.WORKING_HOURS_OPEN <= local < settings.WORKING_HOURS_CLOSE


def _already_sent(keys: Sequence[str]) -> set[str]:
    found: set[str] = set()
    for start in range(0, len(keys), 500):
        found.update(
            key
            for key in OutboxMessage.objects.filter(once_key__in=keys[start : start + 500]).values_list(
                "once_key", flat=True
            )
            if key is not None
        )
    return found


def _who(user: User | None) -> str:
    return (user.get_full_name() or user.username) if user is not None else ""


def _stage_notices(
    landlord: Landlord, calendar: WorkingCalendar, today: date, managers: list[User]
) -> Iterable[_Notice]:
    horizon = calendar.add_working_days(today, LONGEST_NOTICE)
    stages = (
        Stage.objects.filter(
            complaint__landlord=landlord, complaint__status__in=OPEN_STATUSES, number=F("complaint__stage")
        )
        .filter(
            Q(complaint__next_due__lte=horizon) | Q(next_update_due__lte=horizon, update_interval_days__isnull=False)
        )
        .select_related("complaint__policy_version", "complaint__handler", "handler")
        .order_by("complaint__next_due", "pk")
    )
    officers = notices.staff_in_role(landlord, StaffRole.COMPLAINTS_OFFICER)
    for stage in stages:
        complaint = stage.complaint
        complaint.landlord = landlord
        days = policy_for(complaint).reminder_days_before
        # Without a handler, the complaints officers: they assign one.
        to = notices.reachable([complaint.handler]) if complaint.handler is not None else officers
        context = {
            "complaint": complaint,
            "stage": stage,
            "today": today,
            "handler": _who(complaint.handler),
            "link": notices.complaint_link(complaint),
        }
        due, kind = complaint.next_due, complaint.next_due_kind
        if due is not None and kind:
            what = DueKind(kind).label
            dated = {**context, "due": due, "what": what, "days_left": calendar.working_days_between(today, due)}
            if due < today:
                yield _Notice(
                    OutboxMessage.Kind.OVERDUE,
                    "overdue",
                    f"overdue:{stage.pk}:{kind}:{due.isoformat()}",
                    complaint,
                    to + managers,
                    dated,
                )
            elif due <= calendar.add_working_days(today, days):
                yield _Notice(
                    OutboxMessage.Kind.DUE_SOON,
                    "due-soon",
                    f"due-soon:{stage.pk}:{kind}:{due.isoformat()}",
                    complaint,
                    to,
                    dated,
                )
        update = stage.next_update_due
        if update is None or not stage.update_interval_days:
            continue
        if update < today:
            # Missed: the handler and the managers, once, as for an overdue step (5.9).
            yield _Notice(
                OutboxMessage.Kind.UPDATE_DUE,
                UPDATE_MISSED,
                f"update-missed:{stage.pk}:{update.isoformat()}",
                complaint,
                to + managers,
                {**context, "due": update},
            )
        elif update <= calendar.add_working_days(today, days):
            yield _Notice(
                OutboxMessage.Kind.UPDATE_DUE,
                "update-due",
                f"update-due:{stage.pk}:{update.isoformat()}",
                complaint,
                to,
                {**context, "due": update},
            )


def _digest_rows(complaints: Iterable[Complaint]) -> list[dict[str, Any]]:
    return [
        {
            "reference": c.reference,
            "what": DueKind(c.next_due_kind).label if c.next_due_kind else "",
            "stage": c.stage,
            "due": c.next_due,
            "handler": _who(c.handler),
        }
        for c in complaints
    ]


def _digest(landlord: Landlord, today: date) -> list[_Notice]:
    officers = notices.staff_in_role(landlord, StaffRole.COMPLAINTS_OFFICER)
    key = f"digest:{landlord.pk}:{today.isoformat()}"
    sent = _already_sent([f"{key}:{user.pk}" for user in officers])
    waiting = [user for user in officers if f"{key}:{user.pk}" not in sent]
    if not waiting:
        return []
    open_work = Complaint.objects.filter(landlord=landlord, status__in=OPEN_STATUSES).select_related("handler")
    due_today = list(open_work.filter(next_due=today).order_by("reference")[: DIGEST_ROWS + 1])
    overdue = list(open_work.filter(next_due__lt=today).order_by("next_due", "reference")[: DIGEST_ROWS + 1])
    failed = list(
        OutboxMessage.objects.filter(landlord=landlord, state=OutboxMessage.State.FAILED)
        .select_related("complaint")
        .order_by("-created_at")[: DIGEST_ROWS + 1]
    )
    if not (due_today or overdue or failed):
        return []  # nothing to tell: no email
    path = reverse("workspace:team-work")
    context = {
        "landlord": landlord,
        "today": today,
        "due_today": _digest_rows(due_today[:DIGEST_ROWS]),
        "overdue": _digest_rows(overdue[:DIGEST_ROWS]),
        "failed": failed[:DIGEST_ROWS],
        "more": max(len(due_today), len(overdue), len(failed)) > DIGEST_ROWS,
        "link": f"{settings.SITE_URL}{path}" if settings.SITE_URL else f"the staff workspace ({path})",
    }
    return [_Notice(OutboxMessage.Kind.DIGEST, "digest", key, None, waiting, context)]


def _needs_notices(landlord: Landlord, calendar: WorkingCalendar, today: date) -> list[_Notice]:
    """A resident's adjustment or vulnerability coming up for review (5.10): whoever handles their
    complaints in progress, or the complaints officers; once as it comes up and once when it has
    passed, for each need and review date. The email
    names no detail of a vulnerability: its reader may not be allowed to see it."""
    horizon = calendar.add_working_days(today, policy_for_landlord_days(landlord, today))
    due: list[tuple[str, ReasonableAdjustment | Vulnerability]] = [
        ("adjustment", a)
        for a in ReasonableAdjustment.objects.filter(
            person__landlord=landlord, ended_on__isnull=True, review_on__lte=horizon
        ).select_related("person")
    ]
    due += [
        ("vulnerability", v)
        for v in Vulnerability.objects.filter(
            person__landlord=landlord, ended_on__isnull=True, review_on__lte=horizon
        ).select_related("person")
    ]
    if not due:
        return []
    people = {need.person_id for _, need in due}
    working: dict[int, list[Complaint]] = {}
    for complaint in (
        Complaint.objects.filter(person_id__in=people, status__in=ACTIVE_STATUSES)
        .select_related("handler")
        .order_by("received_on", "pk")
    ):
        working.setdefault(complaint.person_id, []).append(complaint)
    officers = notices.staff_in_role(landlord, StaffRole.COMPLAINTS_OFFICER)
    found = []
    for what, need in due:
        assert need.review_on is not None
        complaints = working.get(need.person_id, [])
        handlers = [c.handler for c in complaints if c.handler is not None]
        context = {
            "what": "reasonable adjustment" if what == "adjustment" else "vulnerability",
            "kind": str(need) if what == "adjustment" else "",
            "person": need.person,
            "due": need.review_on,
            "today": today,
            "landlord": landlord,
            "complaints": [c.reference for c in complaints],
            "link": notices.complaint_link(complaints[0]) if complaints else "the staff workspace",
        }
        overdue = need.review_on < today
        found.append(
            _Notice(
                OutboxMessage.Kind.OVERDUE if overdue else OutboxMessage.Kind.DUE_SOON,
                NEEDS_REVIEW,
                # Once as it comes up, and once more when it has passed unreviewed.
                f"needs-review:{'overdue' if overdue else 'due'}:{what}:{need.pk}:{need.review_on.isoformat()}",
                complaints[0] if complaints else None,
                handlers or officers,
                context,
            )
        )
    return found


def policy_for_landlord_days(landlord: Landlord, today: date) -> int:
    """How many working days ahead the landlord's policy reminds staff (the Code's when it has none)."""
    version = policy_version_in_force(landlord, today)
    return version.policy().reminder_days_before if version else CODE_POLICY.reminder_days_before


def _restriction_notices(
    landlord: Landlord, calendar: WorkingCalendar, today: date, managers: list[User]
) -> list[_Notice]:
    """A contact restriction in force coming up for review (5.14): the complaints officer or manager
    who approved it (or the complaints officers), and the managers too once the date has passed;
    once per restriction and review date. The email names no behaviour: the record holds it."""
    horizon = calendar.add_working_days(today, policy_for_landlord_days(landlord, today))
    due = list(
        ContactRestriction.objects.in_force()
        .filter(landlord=landlord, review_on__lte=horizon)
        .select_related("person", "decided_by")
        .order_by("review_on", "pk")
    )
    if not due:
        return []
    officers = notices.staff_in_role(landlord, StaffRole.COMPLAINTS_OFFICER)
    found = []
    for restriction in due:
        overdue = restriction.review_on < today
        decider = notices.reachable([restriction.decided_by] if restriction.decided_by else [])
        to = (decider or officers) + (managers if overdue else [])
        path = reverse("workspace:complaint", kwargs={"reference": restriction.raised_on}) + "#restrictions"
        context = {
            "person": restriction.person,
            "due": restriction.review_on,
            "overdue": overdue,
            "today": today,
            "landlord": landlord,
            "reference": restriction.raised_on,
            "link": f"{settings.SITE_URL}{path}" if settings.SITE_URL else f"the staff workspace ({path})",
        }
        found.append(
            _Notice(
                OutboxMessage.Kind.OVERDUE if overdue else OutboxMessage.Kind.DUE_SOON,
                RESTRICTION_REVIEW,
                # Once before the date and once after it: an overdue review is told again, to the managers too.
                f"{RESTRICTION_REVIEW}{'-overdue' if overdue else ''}:{restriction.pk}:{restriction.review_on}",
                None,
                to,
                context,
            )
        )
    return found


def _representative_notices(landlord: Landlord, calendar: WorkingCalendar, today: date) -> list[_Notice]:
    """A representative's authority coming to its last day (3.6): whoever handles the complaints they
    act on (or the complaints officers), once per representative and date, so the resident can be
    asked whether it goes on. After it, letters go to the resident only and the complaint page warns."""
    horizon = calendar.add_working_days(today, policy_for_landlord_days(landlord, today))
    complaints = list(
        Complaint.objects.filter(
            landlord=landlord,
            status__in=ACTIVE_STATUSES,
            representative__ended_on__isnull=True,
            representative__authority_expires_on__range=(today, horizon),
        )
        .select_related("representative", "handler")
        .order_by("representative_id", "received_on", "pk")
    )
    if not complaints:
        return []
    officers = notices.staff_in_role(landlord, StaffRole.COMPLAINTS_OFFICER)
    by_representative: dict[int, list[Complaint]] = {}
    for complaint in complaints:
        by_representative.setdefault(complaint.representative_id or 0, []).append(complaint)
    found = []
    for theirs in by_representative.values():
        rep = theirs[0].representative
        assert rep is not None and rep.authority_expires_on is not None
        handlers = [c.handler for c in theirs if c.handler is not None]
        context = {
            "representative": rep,
            "due": rep.authority_expires_on,
            "today": today,
            "landlord": landlord,
            "complaints": [c.reference for c in theirs],
            "link": notices.complaint_link(theirs[0]),
        }
        found.append(
            _Notice(
                OutboxMessage.Kind.DUE_SOON,
                REPRESENTATIVE_EXPIRY,
                f"{REPRESENTATIVE_EXPIRY}:{rep.pk}:{rep.authority_expires_on.isoformat()}",
                theirs[0],
                handlers or officers,
                context,
            )
        )
    return found


def _ombudsman_notices(
    landlord: Landlord, calendar: WorkingCalendar, today: date, managers: list[User]
) -> list[_Notice]:
    """Evidence for the Ombudsman and its orders coming due, then overdue (the Scheme's time for
    evidence; 9.7 for orders): counted with the other reminders due soon and overdue."""
    horizon = calendar.add_working_days(today, policy_for_landlord_days(landlord, today))
    due: list[tuple[str, Any, list[User | None]]] = [
        ("evidence", request, [request.case.complaint.handler])
        for request in ombudsman_queries.evidence_due_by(landlord, horizon)
    ]
    due += [("order", order, [order.owner]) for order in ombudsman_queries.orders_due_by(landlord, horizon)]
    if not due:
        return []
    officers = notices.staff_in_role(landlord, StaffRole.COMPLAINTS_OFFICER)
    found = []
    for what, item, people in due:
        overdue = item.due_on < today
        path = reverse("workspace:ombudsman-case", kwargs={"case_id": item.case_id})
        context = {
            "what": what,
            "item": item,
            "case": item.case,
            "complaint": item.case.complaint,
            "due": item.due_on,
            "overdue": overdue,
            "today": today,
            "landlord": landlord,
            "link": f"{settings.SITE_URL}{path}" if settings.SITE_URL else f"the staff workspace ({path})",
        }
        found.append(
            _Notice(
                OutboxMessage.Kind.OVERDUE if overdue else OutboxMessage.Kind.DUE_SOON,
                OMBUDSMAN_DUE,
                f"{OMBUDSMAN_DUE}{'-overdue' if overdue else ''}:{what}:{item.pk}:{item.due_on.isoformat()}",
                item.case.complaint,
                [p for p in people if p is not None] + officers + (managers if overdue else []),
                context,
            )
        )
    return found


def _policy_review_notices(landlord: Landlord, today: date, managers: list[User]) -> list[_Notice]:
    """The policy in force coming up for review: the complaints officers and managers, once from
    POLICY_REVIEW_NOTICE_DAYS before its review date and once when the date has passed."""
    version = policy_version_in_force(landlord, today)
    if version is None or version.review_due_on is None:
        return []
    due = version.review_due_on
    if (due - today).days > POLICY_REVIEW_NOTICE_DAYS:
        return []
    overdue = due < today
    path = reverse("insight:policy-version", kwargs={"pk": version.pk})
    context = {
        "version": version,
        "due": due,
        "overdue": overdue,
        "today": today,
        "landlord": landlord,
        "link": f"{settings.SITE_URL}{path}" if settings.SITE_URL else f"the staff workspace ({path})",
    }
    officers = notices.staff_in_role(landlord, StaffRole.COMPLAINTS_OFFICER)
    return [
        _Notice(
            OutboxMessage.Kind.OVERDUE if overdue else OutboxMessage.Kind.DUE_SOON,
            POLICY_REVIEW,
            # The date is in the key: a changed review date is reminded of afresh.
            f"{POLICY_REVIEW}{'-overdue' if overdue else ''}:{version.pk}:{due.isoformat()}",
            None,
            officers + [m for m in managers if m not in officers],
            context,
        )
    ]


def _action_plan_notices(landlord: Landlord, today: date) -> list[_Notice]:
    """Open lines of the self-assessment's action plan coming up to their target date: the owner (if
    they have an account) and the complaints officers, once from ACTION_PLAN_NOTICE_DAYS before it
    and once when it has passed."""
    items = ActionPlanItem.objects.filter(
        landlord=landlord,
        status__in=OPEN_LINE_STATUSES,
        target_date__lte=today + timedelta(days=ACTION_PLAN_NOTICE_DAYS),
    ).select_related("owner")
    officers = notices.staff_in_role(landlord, StaffRole.COMPLAINTS_OFFICER)
    found = []
    for item in items.order_by("target_date", "pk"):
        due = item.target_date
        assert due is not None  # filtered on it above
        overdue = due < today
        path = reverse("insight:action-plan-line", kwargs={"pk": item.pk})
        context = {
            "item": item,
            "due": due,
            "overdue": overdue,
            "landlord": landlord,
            "link": f"{settings.SITE_URL}{path}" if settings.SITE_URL else f"the staff workspace ({path})",
        }
        owner = [item.owner] if item.owner is not None else []
        found.append(
            _Notice(
                OutboxMessage.Kind.OVERDUE if overdue else OutboxMessage.Kind.DUE_SOON,
                ACTION_PLAN_DUE,
                # The date is in the key: a changed target date is reminded of afresh.
                f"{ACTION_PLAN_DUE}{'-overdue' if overdue else ''}:{item.pk}:{due.isoformat()}",
                None,
                owner + [user for user in officers if user not in owner],
                context,
            )
        )
    return found


def _reporting_deadline_notices(landlord: Landlord, today: date) -> list[_Notice]:
    """The reporting calendar (self-assessment, annual report to the governing body, publication, submission to
    the Ombudsman): the complaints officers and the Member Responsible for Complaints (with an account), 30 and
    7 days before a deadline not yet met, and once when it has passed. Only once the landlord keeps its
    oversight records in Putright (a governing body or an appointment recorded): before that, the deadlines
    would be met outside Putright and the reminders would be noise."""
    if not deadlines.keeps_calendar(landlord.pk):
        return []
    due_list = [
        d
        for d in deadlines.deadlines(landlord.pk, deadlines.current_years(today), today)
        if not d.done and -REPORTING_OVERDUE_DAYS <= d.days <= max(REPORTING_NOTICE_DAYS)
    ]
    if not due_list:
        return []
    officers = notices.staff_in_role(landlord, StaffRole.COMPLAINTS_OFFICER)
    member = member_responsible(landlord.pk, today)
    users = officers + ([member.user] if member is not None and member.user is not None else [])
    path = reverse("insight:governance-due")
    found = []
    for deadline in due_list:
        overdue = deadline.days < 0
        stage = "overdue" if overdue else str(min(d for d in REPORTING_NOTICE_DAYS if deadline.days <= d))
        context = {
            "deadline": deadline,
            "due": deadline.due_on,
            "overdue": overdue,
            "landlord": landlord,
            "link": f"{settings.SITE_URL}{path}" if settings.SITE_URL else f"the staff workspace ({path})",
        }
        found.append(
            _Notice(
                OutboxMessage.Kind.OVERDUE if overdue else OutboxMessage.Kind.DUE_SOON,
                REPORTING_DEADLINE,
                # The stage and the date are in the key: 30 days, 7 days and overdue are each sent once.
                f"{REPORTING_DEADLINE}-{stage}:{deadline.kind}:{deadline.year_starting}:{deadline.due_on.isoformat()}",
                None,
                users,
                context,
            )
        )
    return found


def plan_for(landlord: Landlord, today: date) -> Planned:
    """Queue the reminders due today at one landlord that are not in the outbox already."""
    calendar = working_calendar(landlord)
    managers = notices.staff_in_role(landlord, StaffRole.MANAGER)
    found = list(_stage_notices(landlord, calendar, today, managers)) + _digest(landlord, today)
    found += _needs_notices(landlord, calendar, today)
    found += _restriction_notices(landlord, calendar, today, managers)
    found += _representative_notices(landlord, calendar, today)
    found += _ombudsman_notices(landlord, calendar, today, managers)
    found += _policy_review_notices(landlord, today, managers)
    found += _action_plan_notices(landlord, today)
    found += _reporting_deadline_notices(landlord, today)
    sent = _already_sent([key for notice in found for key in notice.keys()])
    planned = Planned()
    with transaction.atomic():
        for notice in found:
            users = [user for user in notices.reachable(notice.users) if f"{notice.key}:{user.pk}" not in sent]
            if not users:
                continue
            queued = notices.tell(
                users,
                landlord=landlord,
                kind=notice.kind,
                name=notice.name,
                complaint=notice.complaint,
                context=notice.context,
                once_key=notice.key,
                wake=False,
            )
            count = len(queued)
            if notice.name == POLICY_REVIEW:
                planned.policy_reviews += count
            elif notice.name == REPRESENTATIVE_EXPIRY:
                planned.representative_expiries += count
            elif notice.name == RESTRICTION_REVIEW:
                planned.restriction_reviews += count
            elif notice.name == NEEDS_REVIEW:
                planned.needs_review += count
            elif notice.kind == OutboxMessage.Kind.DUE_SOON:
                planned.due_soon += count
            elif notice.kind == OutboxMessage.Kind.OVERDUE:
                planned.overdue += count
            elif notice.name == UPDATE_MISSED:
                planned.update_missed += count
            elif notice.kind == OutboxMessage.Kind.UPDATE_DUE:
                planned.update_due += count
            else:
                planned.digests += count
    return planned


def plan(now: datetime | None = None) -> Planned:
    """Queue every landlord's reminders that are due now: nothing outside working hours, and
    nothing at a landlord on a day that is not one of its working days."""
    moment = now or clock.now()
    if not in_working_hours(moment):
        return Planned()
    today = moment.astimezone(UK).date()
    planned = Planned()
    for landlord in Landlord.objects.order_by("pk"):
        if working_calendar(landlord).is_working_day(today):
            planned += plan_for(landlord, today)
    return planned
