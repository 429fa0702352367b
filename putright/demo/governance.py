"""The demo's oversight of complaint handling: each landlord's governing body, its Member Responsible for
Complaints (with a sign-in account, role "member"), its senior lead and complaints officer, the last quarters'
governance reports presented with responses, and last year's publication and submission marked done.

Idempotent: what already exists is kept, so loading the demo again changes nothing."""

from __future__ import annotations

from datetime import date, timedelta

from django.contrib.auth.models import User
from django.utils import timezone

from putright.demo.organisation import hashed_password, reporting_year
from putright.governance.models import (
    Appointment,
    DeadlineDone,
    DeadlineKind,
    GoverningBody,
    OversightRole,
    Presentation,
    ReportKind,
)
from putright.landlords.models import Landlord, LandlordType, StaffMember, StaffRole

MEMBER_NAME = ("Morgan", "Mills")
QUARTER_ENDS = ((6, 30), (9, 30), (12, 31), (3, 31))
RESPONSES = (
    "Noted the figures. Asked for the repairs trend to be looked at again next quarter.",
    "Noted the report and the learning from complaints; no further questions.",
    "Welcomed the improvement in response times and asked for the Ombudsman's orders to be tracked to completion.",
    "Noted the report. Asked for a briefing on the service improvements still open.",
)


def _quarter_end(year_starting: int, quarter: int) -> date:
    month, day = QUARTER_ENDS[quarter - 1]
    return date(year_starting + (1 if quarter == 4 else 0), month, day)


def ensure_governance(landlord: Landlord, password: str, today: date) -> None:
    council = landlord.landlord_type == LandlordType.LOCAL_AUTHORITY
    now = timezone.now()
    officer = (
        StaffMember.objects.filter(landlord=landlord, role=StaffRole.COMPLAINTS_OFFICER).select_related("user").first()
    )
    manager = StaffMember.objects.filter(landlord=landlord, role=StaffRole.MANAGER).select_related("user").first()
    if officer is None or manager is None:
        return
    recorder = officer.user
    body, _ = GoverningBody.objects.get_or_create(
        landlord=landlord,
        name="Cabinet" if council else "Board",
        defaults={"kind": GoverningBody.Kind.GOVERNING_BODY, "added_by": recorder, "added_at": now},
    )
    username = f"{landlord.reference_prefix.lower()}-member1"
    member, created = User.objects.get_or_create(
        username=username,
        defaults={
            "first_name": MEMBER_NAME[0],
            "last_name": MEMBER_NAME[1],
            "email": f"{username}@example.org",
            "password": hashed_password(password),
        },
    )
    if created:
        StaffMember.objects.create(user=member, landlord=landlord, role=StaffRole.MEMBER)
    since = date(reporting_year(today) - 1, 5, 20)
    for role, name, title, user in (
        (
            OversightRole.MRC,
            member.get_full_name(),
            "Cabinet Portfolio Holder for Housing" if council else "Board member responsible for complaints",
            member,
        ),
        (OversightRole.SENIOR_LEAD, manager.user.get_full_name(), "Director of Housing", manager.user),
        (OversightRole.COMPLAINTS_OFFICER, officer.user.get_full_name(), "Complaints officer", officer.user),
    ):
        if not Appointment.objects.filter(landlord=landlord, role=role).exists():
            Appointment.objects.create(
                landlord=landlord,
                role=role,
                name=name,
                title=title,
                user=user,
                starts_on=since,
                recorded_by=recorder,
                recorded_at=now,
            )
    # The governance reports of the last four quarters that ended at least a month ago, each presented
    # to the governing body and the MRC about a month after the quarter ended, with the response.
    year = reporting_year(today)
    shown: list[tuple[int, int]] = []
    for back in range(8):
        y, q = year - (1 if back >= 4 else 0), 4 - back % 4
        if _quarter_end(y, q) + timedelta(days=35) <= today and len(shown) < 4:
            shown.append((y, q))
    for number, (y, q) in enumerate(sorted(shown)):
        on = _quarter_end(y, q) + timedelta(days=28)
        Presentation.objects.get_or_create(
            landlord=landlord,
            report=ReportKind.GOVERNANCE,
            year_starting=y,
            quarter=q,
            body=body,
            presented_on=on,
            defaults={
                "to_member": True,
                "member_name": member.get_full_name(),
                "meeting": f"{body.name}, {on:%-d %B %Y}",
                "response": RESPONSES[number % len(RESPONSES)],
                "response_on": on,
                "response_recorded_by": recorder,
                "response_recorded_at": now,
                "recorded_by": recorder,
                "recorded_at": now,
            },
        )
    # Last year's reports were published and sent to the Ombudsman on time (the defaults' dates).
    last = reporting_year(today) - 1
    if date(last + 1, 6, 30) < today:
        on = date(last + 1, 6, 24)
        Presentation.objects.get_or_create(
            landlord=landlord,
            report=ReportKind.ANNUAL,
            year_starting=last,
            body=body,
            presented_on=on,
            defaults={
                "to_member": True,
                "member_name": member.get_full_name(),
                "meeting": f"{body.name}, {on:%-d %B %Y}",
                "response": "Noted the annual complaints report and endorsed the self-assessment's action plan.",
                "response_on": on,
                "response_recorded_by": recorder,
                "response_recorded_at": now,
                "recorded_by": recorder,
                "recorded_at": now,
            },
        )
        for kind in (DeadlineKind.PUBLICATION, DeadlineKind.SUBMISSION):
            DeadlineDone.objects.get_or_create(
                landlord=landlord,
                kind=kind,
                year_starting=last,
                defaults={"done_on": date(last + 1, 6, 27), "recorded_by": recorder, "recorded_at": now},
            )
