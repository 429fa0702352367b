"""Fill one demo landlord: staff, homes, residents, and complaints with 18 months of history."""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time

from django.contrib.auth.models import User
from django.db.models import F
from django.utils import timezone

from putright.complaints import actions, policies
from putright.complaints.models import Complaint, Status
from putright.correspondence import tasks
from putright.correspondence.models import Letter, OutboxMessage
from putright.demo import governance, organisation, people, people_records, scenarios, stories
from putright.landlords.calendars import policy_in_force, working_calendar
from putright.landlords.models import Landlord, StaffMember, StaffRole


@dataclass
class Loaded:
    staff: list[str] = field(default_factory=list)
    residents: int = 0
    planned: int = 0  # the stories played; a few of them log a second, linked complaint
    complaints: int = 0
    skipped: bool = False


def populate(
    landlord: Landlord,
    *,
    homes: int,
    town: str,
    complaints: int,
    forced: Sequence[int],
    password: str,
    seed: int,
    today: date,
    now: datetime,
    progress: Callable[[int, int], None] = lambda done, planned: None,
    name_staff: bool = True,
    team_name: str = "",
) -> Loaded:
    """Staff and homes counts (added if missing), then residents and complaints unless it has complaints already.

    `forced` picks which of the fixed scenarios (`scenarios.forced_scenarios`) this landlord shows;
    the rest of `complaints` are random. Everything is drawn from a generator seeded with `seed`
    and the landlord's slug, so a given day's demo is the same every time. `progress` is told how
    many of the planned complaints are done, after each one. `name_staff` and `team_name` say who
    its letters tell residents to contact (`organisation.ensure_letter_style`).
    """
    loaded = Loaded()
    team = organisation.ensure_staff(landlord, password)
    loaded.staff = [user.username for role in vars(team).values() for user in role]
    organisation.ensure_homes_counts(landlord, homes, organisation.reporting_year(today))
    organisation.ensure_ombudsman_place(landlord)
    organisation.ensure_letter_style(landlord, town, name_staff=name_staff, team_name=team_name)
    governance.ensure_governance(landlord, password, today)
    # Never mix demo complaints into a landlord that has complaints: the second run changes nothing.
    if Complaint.objects.filter(landlord=landlord).exists():
        loaded.skipped = True
        return loaded

    # The actions keep parsed policies by PolicyVersion id and never notice a version changed in
    # place (or, in a test run, an id reused by another landlord's policy): start from what is stored.
    policies.forget_parsed_policies()
    rng = random.Random(f"{seed}:{landlord.slug}")  # noqa: S311 - demo data, not security
    residents = people.make_residents(rng, landlord, max(20, round(complaints * 0.6)), town, today)
    loaded.residents = len(residents)
    policy = policy_in_force(landlord, today)
    calendar = working_calendar(landlord)
    fixed = scenarios.forced_scenarios(rng, policy, calendar, today, residents)
    planned = [fixed[i] for i in forced if i < len(fixed)]
    planned += [
        scenarios.random_scenario(rng, policy, calendar, residents, today)
        # The person's side of the demo logs a few complaints of its own (`people_records.COMPLAINTS`).
        for _ in range(max(0, complaints - len(planned) - people_records.COMPLAINTS))
    ]
    # In the order received, so references run in date order as they would have been given.
    planned.sort(key=lambda scenario: scenario.received)
    context = stories.Context(landlord=landlord, team=team, policy=policy, calendar=calendar)
    loaded.planned = len(planned)
    progress(0, len(planned))
    for done, scenario in enumerate(planned, start=1):
        story = stories.story(rng, context, scenario)
        stories.play(story, stories.Moments(rng, now), today)
        progress(done, len(planned))
    if planned:
        people_records.add_people_records(rng, landlord, team, today)
    loaded.complaints = Complaint.objects.filter(landlord=landlord).count()
    return loaded


@dataclass(frozen=True)
class Settled:
    letters: int  # left to be rendered when first opened
    emails: int  # recorded as sent when they were written


def settle_history(landlord: Landlord, today: date) -> Settled:
    """Letters and email from before `today` are history, not work: nothing is left for the worker.

    Their PDFs are rendered when someone first opens them (`Letter.Rendering.ON_OPEN`), and their
    emails are recorded as sent when they were written, as they would have been on the day. What
    happened today is still work in progress, and the worker renders and sends it as usual.
    """
    start_of_today = datetime.combine(today, time.min, tzinfo=timezone.get_default_timezone())
    letters = Letter.objects.filter(
        landlord=landlord, rendering=Letter.Rendering.QUEUED, issued_at__lt=start_of_today
    ).update(rendering=Letter.Rendering.ON_OPEN)
    emails = OutboxMessage.objects.filter(
        landlord=landlord, state=OutboxMessage.State.PENDING, created_at__lt=start_of_today
    ).update(state=OutboxMessage.State.SENT, sent_at=F("created_at"), attempts=1)
    return Settled(letters=letters, emails=emails)


def wake_worker(landlord: Landlord) -> None:
    """Queue the work left after `settle_history` (today's letters and email) once it has committed:
    the stories' own wake-ups were held (`tasks.wake_ups_held`)."""
    for letter_id in Letter.objects.filter(landlord=landlord, rendering=Letter.Rendering.QUEUED).values_list(
        "pk", flat=True
    ):
        tasks.render_soon(letter_id)
    if OutboxMessage.objects.filter(landlord=landlord, state=OutboxMessage.State.PENDING).exists():
        tasks.send_soon()


def status_counts(landlords: Sequence[Landlord]) -> Counter[str]:
    return Counter(Complaint.objects.filter(landlord__in=landlords).values_list("status", flat=True))


def give_work(handler: User, today: date) -> None:
    """Give the agent's handler who works for two landlords two complaints at each to acknowledge, through
    the real assignment (each landlord's complaints officer assigns), unless they have work there already."""
    for place in StaffMember.objects.filter(user=handler).select_related("landlord"):
        landlord = place.landlord
        if Complaint.objects.filter(landlord=landlord, handler=handler).exists():
            continue
        officer = (
            StaffMember.objects.filter(landlord=landlord, role=StaffRole.COMPLAINTS_OFFICER)
            .select_related("user")
            .first()
        )
        waiting = Complaint.objects.filter(
            landlord=landlord,
            status__in=(Status.RECEIVED, Status.STAGE1_OPEN),
            stages__number=1,
            stages__acknowledged_on__isnull=True,
            about_staff__isnull=True,
            confidential_reason="",
        ).order_by("next_due", "pk")[:2]
        if officer is None:
            continue
        for complaint in waiting:
            actions.assign_handler(
                complaint,
                officer.user,
                handler=handler,
                conflict_of_interest=False,
                note="Shared with the agent's team",
            )
