"""Benchmark loader: put N complaints, with their stages, definition points and events, into PostgreSQL fast.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench \\
        .venv/bin/python benchmarks/load_complaints.py --count N

Target: 1,000,000 complaints in under 10 minutes on 2 cores. Each run adds N complaints to what is
there, so the API benchmarks grow one database from 10k to 100k to 1M.

This deliberately does not call the domain actions: a million complaints through `log_complaint`,
`acknowledge`, `respond` and the rest would take hours, and the actions are measured on their own
(api_logging.py, and the demo). Instead the rows the actions would have written are generated
directly and streamed in with PostgreSQL's COPY, one worker process generating the next batch
while the main process copies the last. The rows keep every rule the domain and the database
hold: references unique per landlord (with the reference counters moved on past them, so that
`log_complaint` carries on without a clash), every acknowledged stage with a definition and a
point, stage 2 only after a stage 1 response and with a reviewer who did not handle stage 1, the
stored next deadline equal to the open stage's, refusals with a ground and a decider, events in
order. Constraints and foreign keys stay on and are checked by PostgreSQL as the rows arrive.

The mix, for a landlord some years into using Putright: 76% closed (15% of them after stage 2),
5.5% not accepted, 3.5% withdrawn, 4.5% responded and waiting, 10.5% open (received, stage 1 or
stage 2), the open ones with deadlines from 15 days ago to 25 days ahead. Service areas, channels and
the outcome of each response are drawn for each complaint on its own, whatever its landlord: service
areas in the proportions of the Housing Ombudsman's findings by subject, read at run time from the
shared data folder (../shared/data/housing_ombudsman_complaint_findings.csv), channels and outcomes in
the proportions landlords' annual reports commonly show.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import random
import sys
import time
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

LANDLORDS = 10
HANDLERS, REVIEWERS = 20, 5
CHUNK = 25_000
EVENT_SLOTS = 8  # event ids are allotted 8 to a complaint, stage ids 2, point ids 2: gaps are harmless
HISTORY_DAYS = 4 * 365
NULL = "\\N"

STATUS_MIX = (
    ("closed", 76.0),
    ("not-accepted", 5.5),
    ("withdrawn", 3.5),
    ("stage1-responded", 3.5),
    ("stage2-responded", 1.0),
    ("received", 2.0),
    ("stage1-open", 6.5),
    ("stage2-open", 2.0),
)
# Drawn for each complaint on its own, whatever its landlord: how complaints reach a landlord, and the
# outcomes of responses at each stage, in the proportions landlords' annual reports commonly show.
CHANNELS = (("phone", 34), ("online", 26), ("email", 20), ("in-person", 8), ("letter", 7), ("social-media", 3),
            ("councillor-or-mp", 2))  # fmt: skip
DECISIONS = {1: (("not-upheld", 42), ("partly-upheld", 25), ("upheld", 33)),
             2: (("not-upheld", 45), ("partly-upheld", 30), ("upheld", 25))}  # fmt: skip
# Service areas in the proportions of the Ombudsman's findings by subject (read from the shared data at
# run time, see service_areas()); these only when that file is absent.
AREAS = (("repairs", 55), ("damp-mould", 14), ("asb", 8), ("estate", 6), ("rent", 5), ("allocations", 4),
         ("tenancy", 3), ("staff-conduct", 3), ("other", 2))  # fmt: skip


@dataclass(frozen=True)
class BenchLandlord:
    id: int
    prefix: str
    policy_version_id: int
    handlers: tuple[int, ...]
    reviewers: tuple[int, ...]
    officer: int
    first_number: int  # the next reference number free at this landlord, whatever the year


@dataclass(frozen=True)
class Plan:
    """Everything a worker needs to generate its batches, fixed before the load starts."""

    landlords: tuple[BenchLandlord, ...]
    today: date
    first_complaint: int
    first_person: int
    first_stage: int
    first_point: int
    first_event: int
    first_area: int
    offset: int  # complaints already loaded by earlier runs: keeps person and reference numbering going
    count: int
    seed: int
    descriptions: tuple[str, ...]
    areas: tuple[tuple[str, int], ...]  # service areas with their weights
    tails: dict[str, str]  # values for columns this loader does not know of (added by later migrations)


# -- setting up the landlords -------------------------------------------------------------------


def _clean(text: str) -> str:
    return " ".join(text.replace("\\", "/").split())


def descriptions() -> tuple[str, ...]:
    """Residents' words, as the demo makes them (from the Ombudsman's findings when present)."""
    from putright.demo import wording

    rng = random.Random(7)
    subjects = wording.subjects_by_area()
    made = []
    for area in ("repairs", "damp-mould", "asb", "estate", "rent", "allocations", "other"):
        for subject in rng.sample(subjects[area], min(40, len(subjects[area]))):
            made.append(_clean(wording.resident_words(rng, area, subject)[0]))
    return tuple(made)


def service_areas() -> tuple[tuple[str, int], ...]:
    """Service areas weighted as the Ombudsman's findings spread over them (one finding, one count), from the
    findings file in the shared data folder; AREAS when it is not there. Findings about complaint handling
    are left out: a first complaint is never about how a complaint was handled."""
    import csv

    from putright.demo import wording

    path = wording.shared_data_dir() / wording.FINDINGS_FILE
    if not path.is_file():
        return AREAS
    counts: Counter[str] = Counter()
    with path.open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            area = wording.CATEGORY_AREAS.get(row.get("category") or "")
            if area == "other":
                area = next((a for pattern, a in wording.OTHER_KEYWORDS if pattern.search(row["complaint"])), area)
            if area:
                counts[str(area)] += 1
    return tuple(counts.most_common()) or AREAS


def _cumulative(weights: tuple[tuple[str, int], ...]) -> tuple[list[str], list[int]]:
    names, totals, total = [], [], 0
    for name, weight in weights:
        total += weight
        names.append(name)
        totals.append(total)
    return names, totals


def ensure_landlords() -> list[BenchLandlord]:
    """Ten benchmark landlords on the Code's own policy, each with handlers, reviewers and an officer."""
    from django.contrib.auth.hashers import make_password
    from django.contrib.auth.models import User
    from django.db.models import Max

    from putright.complaints.models import ReferenceCounter
    from putright.landlords.actions import adopt_policy
    from putright.landlords.models import Landlord, StaffMember, StaffRole
    from putright.rules.policy import CODE_POLICY

    password = make_password("benchmark-password")
    landlords = []
    for n in range(LANDLORDS):
        letter = chr(ord("A") + n)
        landlord, created = Landlord.objects.get_or_create(
            slug=f"bench-{letter.lower()}",
            defaults={"name": f"Benchmark Housing {letter}", "reference_prefix": f"BN{letter}"},
        )
        if created:
            adopt_policy(landlord, CODE_POLICY, date(2020, 1, 1))
        staff = []
        for role, how_many in (
            (StaffRole.HANDLER, HANDLERS),
            (StaffRole.REVIEWER, REVIEWERS),
            (StaffRole.COMPLAINTS_OFFICER, 1),
        ):
            for i in range(1, how_many + 1):
                username = f"bn{letter.lower()}-{role.value}{i}"
                user, made = User.objects.get_or_create(
                    username=username, defaults={"password": password, "first_name": role.label, "last_name": str(i)}
                )
                if made:
                    StaffMember.objects.create(user=user, landlord=landlord, role=role)
                staff.append((role, user.pk))
        counters = ReferenceCounter.objects.filter(landlord=landlord, kind="C").aggregate(last=Max("last"))
        landlords.append(
            BenchLandlord(
                id=landlord.pk,
                prefix=landlord.reference_prefix,
                policy_version_id=landlord.policy_versions.get().pk,
                handlers=tuple(pk for role, pk in staff if role == StaffRole.HANDLER),
                reviewers=tuple(pk for role, pk in staff if role == StaffRole.REVIEWER),
                officer=next(pk for role, pk in staff if role == StaffRole.COMPLAINTS_OFFICER),
                first_number=(counters["last"] or 0) + 1,
            )
        )
    return landlords


def _tails(columns: dict[str, list[str]]) -> dict[str, str]:
    """Default values for any column a later migration added that this loader does not fill."""
    from django.db import connection
    from psycopg.types.json import Jsonb

    from putright.complaints.models import Complaint, ComplaintArea, DefinitionPoint, Event, Stage
    from putright.people.models import Person

    tails = {}
    for model in (Person, Complaint, Stage, DefinitionPoint, Event, ComplaintArea):
        table = model._meta.db_table
        with connection.cursor() as cursor:
            in_database = {column.name for column in connection.introspection.get_table_description(cursor, table)}
        tail = []
        for field in model._meta.concrete_fields:
            if field.column in columns[table] or field.column not in in_database:
                continue
            # Django's own default: the field's default, "" for a text field without one, else None.
            value = field.get_db_prep_save(field.get_default(), connection=connection)
            if isinstance(value, Jsonb):  # a JSONField's default comes wrapped for psycopg: COPY wants the text
                value = json.dumps(value.obj)
            if value is None and not field.null:
                sys.exit(f"{table}.{field.column} is new and has no default: teach load_complaints.py to fill it")
            columns[table].append(field.column)
            tail.append(
                NULL if value is None else _clean(str(value).lower() if isinstance(value, bool) else str(value))
            )
        tails[table] = "".join("\t" + value for value in tail)
    return tails


COLUMNS: dict[str, list[str]] = {
    "people_person": "id landlord_id name email phone address preferred_contact tenancy_reference created_at".split(),
    "complaints_complaint": (
        "id landlord_id reference person_id representative_id channel service_area received_on issue_date "
        "inside_acceptance_window discretion_note description outcome_sought policy_version_id service_request_id "
        "related_to_id status stage handler_id next_due next_due_kind refusal_ground refusal_explanation "
        "refused_by_id refused_on escalation_refused withdrawn_on withdrawal_how closed_on ombudsman_referred_on "
        "ombudsman_reference version created_by_id created_at updated_at other_areas"
    ).split(),
    "complaints_stage": (
        "id complaint_id landlord_id number opened_on escalation_reason escalation_discretion handler_id "
        "conflict_declaration "
        "acknowledge_due acknowledged_on understanding outcomes_sought responsible_for not_responsible_for "
        "clarification_requested_on original_response_due response_due extension_days update_interval_days "
        "next_update_due responded_on decision response_summary escalation_route escalate_by"
    ).split(),
    "complaints_definitionpoint": "id stage_id number text decision reasons".split(),
    "complaints_event": "id complaint_id at actor_id kind stage summary before after".split(),
    # Each complaint's lead area, and a second area for some (issue 19): "by area" counts both, totals once.
    "complaints_complaintarea": "id complaint_id standard_area landlord_area_id lead".split(),
}
GENERATION_TRIGGER = "complaints_event_moves_insight_on"  # complaints migration 0010
AREA_SLOTS = 2  # ids kept for each complaint's areas, so that every batch numbers its own rows
SECOND_AREA = 0.15  # the share of complaints that touch a second service area


# -- generating rows ----------------------------------------------------------------------------

FIRST_NAMES = ("Amara", "Ben", "Chloe", "Deepa", "Ewan", "Fatima", "Grace", "Hamid", "Iris", "Jon", "Kofi", "Lena")
SURNAMES = ("Adams", "Begum", "Clarke", "Dube", "Evans", "Fox", "Gill", "Hughes", "Iqbal", "Jones", "Khan", "Lewis")
UNDERSTANDING = "You are unhappy with how we dealt with the problem you reported and how we kept you informed."
POINT = "How we dealt with the problem you reported"
REASONS = "Our records show the work took longer than our published timescale."
DECLARATION = "No conflict of interest declared."
EMPTY = "{}"


def _status(rng: random.Random) -> str:
    roll, total = rng.random() * 100, 0.0
    for status, share in STATUS_MIX:
        total += share
        if roll < total:
            return status
    return "closed"


def generate(plan: Plan, chunk: int) -> dict[str, Any]:
    """The COPY text of one batch of complaints, and the highest reference number used per landlord and year.

    Dates are worked in working days (indexes into the list of working days), backwards from the
    deadline an open complaint has now, or from the last response of one that is waiting, or
    forwards from receipt for one that has ended.
    """
    from putright.rules.calendar import Region, WorkingCalendar
    from putright.rules.responses import escalation_route

    route1, route2 = _clean(escalation_route(1, None)), _clean(escalation_route(2, None))
    calendar = _calendar_cache.get("c") or _calendar_cache.setdefault("c", WorkingCalendar(Region.ENGLAND_AND_WALES))
    today = plan.today
    days = calendar.working_days_in(today - timedelta(days=HISTORY_DAYS + 200), today + timedelta(days=200))
    iso = [day.isoformat() for day in days]
    now = {day: i for i, day in enumerate(days)}[calendar.working_day_on_or_after(today)]
    if days[now] > today:
        now -= 1  # the last working day on or before today: nothing happens after today
    history = now - 100
    rng = random.Random(f"{plan.seed}:{plan.offset}:{chunk}")
    landlords, tails = plan.landlords, plan.tails
    people: list[str] = []
    complaints: list[str] = []
    stages: list[str] = []
    points: list[str] = []
    events: list[str] = []
    touched: list[str] = []
    top: dict[tuple[int, int], int] = {}
    counts: Counter[str] = Counter()
    t_person, t_complaint, t_stage = tails["people_person"], tails["complaints_complaint"], tails["complaints_stage"]
    t_point, t_event = tails["complaints_definitionpoint"], tails["complaints_event"]
    t_area = tails["complaints_complaintarea"]
    second = random.Random(plan.seed * 7919 + chunk)
    areas, area_weights = _cumulative(plan.areas)
    channels, channel_weights = _cumulative(CHANNELS)
    outcomes = {number: _cumulative(DECISIONS[number]) for number in (1, 2)}
    first_pair = plan.offset // 2
    for k in range(chunk * CHUNK, min(plan.count, (chunk + 1) * CHUNK)):
        n = plan.offset + k  # two complaints to a resident, the residents shared out between the landlords
        pair = n // 2
        landlord = landlords[pair % len(landlords)]
        cid, person = plan.first_complaint + k, plan.first_person + pair - first_pair
        if n % 2 == 0:
            people.append(
                f"{person}\t{landlord.id}\t{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}\t"
                f"resident{person}@example.org\t07700 900{person % 1000:03d}\t{person % 200 + 1} Example Road\t"
                f"email\tT{person}\t{iso[now]} 09:00:00+00{t_person}"
            )
        status = _status(rng)
        counts[status] += 1
        two_stages = status in ("stage2-open", "stage2-responded") or (status == "closed" and rng.random() < 0.15)
        late = rng.random() < 0.12
        gap1 = 10 + rng.randint(1, 6) if late else rng.randint(4, 10)  # acknowledgement to response, stage 1
        ack2 = opened2 = responded2 = -1
        stage2_ack = True
        if status == "received":
            received = now + rng.randint(-11, 4) - 5  # acknowledgement due 11 working days ago to 4 ahead
            ack1 = responded1 = -1
        elif status == "stage1-open":
            ack1 = now + rng.randint(-8, 9) - 10
            received, responded1 = ack1 - rng.randint(1, 4), -1
        else:
            if status == "stage2-open":
                stage2_ack = rng.random() < 0.7
                due = now + (rng.randint(-6, 18) if stage2_ack else rng.randint(-6, 4))
                opened2 = due - 20 - rng.randint(1, 4) if stage2_ack else due - 5
                ack2 = opened2 + (due - 20 - opened2 if stage2_ack else 0)
                responded1 = opened2 - rng.randint(3, 12)
            elif status == "stage2-responded":
                responded2 = now - rng.randint(1, 10)
                ack2 = responded2 - rng.randint(12, 24)
                opened2 = ack2 - rng.randint(1, 4)
                responded1 = opened2 - rng.randint(3, 12)
            elif status == "stage1-responded":
                responded1 = now - rng.randint(1, 15)
            else:
                responded1 = rng.randint(40, history)
                if two_stages:
                    opened2 = responded1 + rng.randint(3, 12)
                    ack2 = opened2 + rng.randint(1, 4)
                    responded2 = ack2 + rng.randint(12, 24)
            ack1 = responded1 - gap1
            received = ack1 - rng.randint(1, 4)
        if status == "not-accepted":
            ack1 = responded1 = -1
        if status == "withdrawn":
            responded1 = -1
        year = days[received].year
        number = landlord.first_number + (pair - first_pair) // len(landlords) * 2 + n % 2
        if top.get((landlord.id, year), 0) < number:
            top[landlord.id, year] = number
        assigned = status != "received" or k % 2 == 0
        handler = rng.choice(landlord.handlers) if assigned else None
        reviewer = rng.choice(landlord.reviewers)
        at = f" {9 + k % 8:02d}:{k % 60:02d}:00+00"
        ev: list[tuple[int, int | None, str, int, str]] = [
            (received, handler or landlord.officer, "logged", 1, "Complaint logged.")
        ]
        # Stage 1.
        ack_due1 = received + 5
        response_due1 = (ack1 if ack1 >= 0 else ack_due1) + 10
        decision1 = rng.choices(outcomes[1][0], cum_weights=outcomes[1][1])[0] if responded1 >= 0 else ""
        stages.append(
            f"{plan.first_stage + 2 * k}\t{cid}\t{landlord.id}\t1\t{iso[received]}\t\t\t{handler or NULL}\t"
            f"{DECLARATION if handler else ''}\t{iso[ack_due1]}\t{iso[ack1] if ack1 >= 0 else NULL}\t"
            f"{UNDERSTANDING if ack1 >= 0 else ''}\t{'A repair and an apology.' if ack1 >= 0 else ''}\t\t\t{NULL}\t"
            f"{iso[response_due1]}\t{iso[response_due1]}\t0\t{NULL}\t{NULL}\t"
            f"{iso[responded1] if responded1 >= 0 else NULL}\t{decision1}\t\t{route1 if responded1 >= 0 else ''}\t"
            f"{NULL}{t_stage}"
        )
        if ack1 >= 0:
            points.append(
                f"{plan.first_point + 2 * k}\t{plan.first_stage + 2 * k}\t1\t{POINT}\t{decision1}\t"
                f"{REASONS if responded1 >= 0 else ''}{t_point}"
            )
            ev.append((ack1, handler, "acknowledged", 1, "Stage 1 acknowledged with a definition of 1 point."))
        if responded1 >= 0:
            ev.append((responded1, handler, "responded", 1, f"Stage 1 response issued: {decision1}."))
        # Stage 2: escalated at the resident's request; its reviewer never handled stage 1 (6.13).
        final, current = responded1, handler
        if opened2 >= 0:
            current = reviewer
            acknowledged2 = ack2 >= 0 and stage2_ack
            ack_due2 = opened2 + 5
            response_due2 = (ack2 if acknowledged2 else ack_due2) + 20
            decision2 = rng.choices(outcomes[2][0], cum_weights=outcomes[2][1])[0] if responded2 >= 0 else ""
            stages.append(
                f"{plan.first_stage + 2 * k + 1}\t{cid}\t{landlord.id}\t2\t{iso[opened2]}\t\t\t{reviewer}\t"
                f"{DECLARATION}\t"
                f"{iso[ack_due2]}\t{iso[ack2] if acknowledged2 else NULL}\t{UNDERSTANDING if acknowledged2 else ''}\t"
                f"{'A review of our response.' if acknowledged2 else ''}\t\t\t{NULL}\t{iso[response_due2]}\t"
                f"{iso[response_due2]}\t0\t{NULL}\t{NULL}\t{iso[responded2] if responded2 >= 0 else NULL}\t"
                f"{decision2}\t\t{route2 if responded2 >= 0 else ''}\t{NULL}{t_stage}"
            )
            ev.append((opened2, landlord.officer, "escalated", 2, "Escalated to stage 2 at the resident's request."))
            if acknowledged2:
                points.append(
                    f"{plan.first_point + 2 * k + 1}\t{plan.first_stage + 2 * k + 1}\t1\t{POINT}\t{decision2}\t"
                    f"{REASONS if responded2 >= 0 else ''}{t_point}"
                )
                ev.append((ack2, reviewer, "acknowledged", 2, "Stage 2 acknowledged with a definition of 1 point."))
            if responded2 >= 0:
                ev.append((responded2, reviewer, "responded", 2, f"Stage 2 response issued: {decision2}."))
                final = responded2
        stage = 2 if opened2 >= 0 else 1
        next_due, due_kind = NULL, ""
        if status == "received":
            next_due, due_kind = iso[ack_due1], "acknowledge"
        elif status == "stage1-open":
            next_due, due_kind = iso[response_due1], "respond"
        elif status == "stage2-open":
            next_due, due_kind = (iso[response_due2], "respond") if acknowledged2 else (iso[ack_due2], "acknowledge")
        refusal = ("", "", NULL, NULL)
        withdrawn = closed = NULL
        if status == "not-accepted":
            refused = received + rng.randint(1, 4)
            refusal = ("legal-proceedings", "Legal proceedings have started about the issue.",
                       str(landlord.officer), iso[refused])  # fmt: skip
            ev.append((refused, landlord.officer, "not-accepted", 1, "Not accepted: legal proceedings."))
        elif status == "withdrawn":
            withdrawn = iso[ack1 + 3]
            ev.append((ack1 + 3, handler, "withdrawn", 1, "Withdrawn by the resident by phone."))
        elif status == "closed":
            ended = final + rng.randint(2, 8)
            closed = iso[ended]
            ev.append((ended, landlord.officer, "closed", stage, "Closed."))
        # Drawn in the order they always were (the channel, then the lead area), so a seed loads what it did;
        # the second area comes from its own generator.
        channel = rng.choices(channels, cum_weights=channel_weights)[0]
        lead_area = rng.choices(areas, cum_weights=area_weights)[0]
        other_area = second.choices(areas, cum_weights=area_weights)[0] if second.random() < SECOND_AREA else lead_area
        complaints.append(
            f"{cid}\t{landlord.id}\t{landlord.prefix}-{year}-{number:05d}\t{person}\t{NULL}\t"
            f"{channel}\t"
            f"{lead_area}\t{iso[received]}\t{iso[received - 10]}\ttrue\t\t"
            f"{plan.descriptions[k % len(plan.descriptions)]}\t\t{landlord.policy_version_id}\t{NULL}\t{NULL}\t"
            f"{status}\t{stage}\t{current or NULL}\t{next_due}\t{due_kind}\t{refusal[0]}\t{refusal[1]}\t"
            f"{refusal[2]}\t{refusal[3]}\tfalse\t{withdrawn}\t{'By phone.' if status == 'withdrawn' else ''}\t"
            f"{closed}\t{NULL}\t\t{len(ev)}\t{handler or landlord.officer}\t{iso[received]}{at}\t"
            f"{iso[ev[-1][0]]}{at}\t{other_area if other_area != lead_area else ''}{t_complaint}"
        )
        first_area = plan.first_area + AREA_SLOTS * k
        touched.append(f"{first_area}\t{cid}\t{lead_area}\t{NULL}\ttrue{t_area}")
        if other_area != lead_area:
            touched.append(f"{first_area + 1}\t{cid}\t{other_area}\t{NULL}\tfalse{t_area}")
        first_event = plan.first_event + EVENT_SLOTS * k
        events.extend(
            f"{first_event + j}\t{cid}\t{iso[day]}{at}\t{actor or NULL}\t{kind}\t{number_}\t{summary}\t"
            f"{EMPTY}\t{EMPTY}{t_event}"
            for j, (day, actor, kind, number_, summary) in enumerate(ev)
        )
    return {
        "people_person": "\n".join(people),
        "complaints_complaint": "\n".join(complaints),
        "complaints_stage": "\n".join(stages),
        "complaints_definitionpoint": "\n".join(points),
        "complaints_event": "\n".join(events),
        "complaints_complaintarea": "\n".join(touched),
        "top": top,
        "counts": counts,
        "rows": {"people": len(people), "stages": len(stages), "points": len(points), "events": len(events)},
    }


_calendar_cache: dict[str, Any] = {}
_plan: Plan | None = None


def _work(chunk: int) -> dict[str, Any]:
    assert _plan is not None
    return generate(_plan, chunk)


def _start_worker(plan: Plan) -> None:
    global _plan
    _plan = plan


# -- loading -----------------------------------------------------------------------------------


def _next_ids() -> dict[str, int]:
    from django.db import connection

    ids = {}
    with connection.cursor() as cursor:
        for table in COLUMNS:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) + 1 FROM {table}")
            ids[table] = cursor.fetchone()[0]
    return ids


def load(count: int, *, seed: int = 20261122, workers: int = 1, quiet: bool = False) -> dict[str, Any]:
    """Add `count` complaints; returns timings and row counts. Django must be set up."""
    from django.db import connection, transaction
    from django.utils import timezone

    from putright.complaints import insight_generation
    from putright.complaints.models import Complaint, ReferenceCounter

    say = (lambda *_: None) if quiet else print
    started = time.perf_counter()
    landlords = ensure_landlords()
    ids = _next_ids()
    offset = Complaint.objects.filter(landlord_id__in=[landlord.id for landlord in landlords]).count()
    columns = {table: list(names) for table, names in COLUMNS.items()}
    plan = Plan(
        landlords=tuple(landlords),
        today=timezone.localdate(),
        first_complaint=ids["complaints_complaint"],
        first_person=ids["people_person"],
        first_stage=ids["complaints_stage"],
        first_point=ids["complaints_definitionpoint"],
        first_event=ids["complaints_event"],
        first_area=ids["complaints_complaintarea"],
        offset=offset + offset % 2,  # keep two complaints to a person
        count=count,
        seed=seed,
        descriptions=descriptions(),
        areas=service_areas(),
        tails=_tails(columns),
    )
    chunks = range((count + CHUNK - 1) // CHUNK)
    top: dict[tuple[int, int], int] = {}
    counts: Counter[str] = Counter()
    rows: Counter[str] = Counter()
    copying = 0.0
    setup = time.perf_counter() - started
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL synchronous_commit = off")
        # Each event row would move its landlord's insight generation on as the load commits (a deferred trigger
        # per row: tens of minutes for ten million events on one row each). The trigger is off for the load, in
        # this transaction only, and each landlord's generation is moved on once at the end instead.
        cursor.execute(f"ALTER TABLE complaints_event DISABLE TRIGGER {GENERATION_TRIGGER}")
        raw = cursor.connection
        context = multiprocessing.get_context("fork")
        with context.Pool(workers, initializer=_start_worker, initargs=(plan,)) as pool:
            for done, batch in enumerate(pool.imap(_work, chunks), start=1):
                began = time.perf_counter()
                with raw.cursor() as copier:
                    for table, names in columns.items():
                        if batch[table]:
                            with copier.copy(f"COPY {table} ({', '.join(names)}) FROM STDIN") as copy:
                                copy.write(batch[table])
                copying += time.perf_counter() - began
                for key, number in batch["top"].items():
                    top[key] = max(top.get(key, 0), number)
                counts.update(batch["counts"])
                rows.update(batch["rows"])
                if done % 8 == 0 or done == len(chunks):
                    say(f"  {min(done * CHUNK, count):>9,} complaints in {time.perf_counter() - started:6.1f} s")
        # References go on from the highest number used, in every year, so log_complaint never repeats one.
        for (landlord_id, year), number in top.items():
            counter, _ = ReferenceCounter.objects.get_or_create(landlord_id=landlord_id, kind="C", year=year)
            if counter.last < number:
                counter.last = number
                counter.save(update_fields=["last"])
        for table in COLUMNS:
            cursor.execute(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT MAX(id) FROM {table}))")
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the foreign keys checked now: no ALTER with checks pending
        cursor.execute(f"ALTER TABLE complaints_event ENABLE TRIGGER {GENERATION_TRIGGER}")
        for landlord in landlords:
            insight_generation.move_on(landlord.id)
    loaded = time.perf_counter() - started
    with connection.cursor() as cursor:
        for table in COLUMNS:
            cursor.execute(f"VACUUM (ANALYZE) {table}")
    total = time.perf_counter() - started
    return {
        "count": count,
        "setup": setup,
        "copying": copying,
        "loaded": loaded,
        "vacuum": total - loaded,
        "total": total,
        "counts": counts,
        "rows": rows,
    }


def check_domain_accepts() -> list[str]:
    """Take the next step on loaded complaints through the real actions, then roll it all back.

    Logs a new complaint (the reference counters must have moved on), acknowledges a received one,
    responds to a stage 1 one, escalates a responded one, and checks stored deadlines against stages.
    """
    from django.contrib.auth.models import User
    from django.db import transaction
    from django.db.models import F, Q

    from putright import clock
    from putright.complaints import actions
    from putright.complaints.models import Complaint, Stage

    done = []
    with transaction.atomic():
        bench_complaints = Complaint.objects.filter(landlord__slug__startswith="bench-")
        wrong = Stage.objects.filter(complaint__in=bench_complaints.filter(status__in=["received", "stage1-open"]))
        wrong = wrong.filter(number=F("complaint__stage")).exclude(
            Q(acknowledged_on__isnull=True, acknowledge_due=F("complaint__next_due"))
            | Q(acknowledged_on__isnull=False, response_due=F("complaint__next_due"))
        )
        assert not wrong.exists(), "a stored next deadline disagrees with its stage"
        received = bench_complaints.filter(status="received", handler__isnull=False).select_related("handler").first()
        open1 = bench_complaints.filter(status="stage1-open").select_related("handler").first()
        responded = bench_complaints.filter(status="stage1-responded").first()
        assert received and open1 and responded and received.handler and open1.handler
        officer = User.objects.get(username=f"bn{received.landlord.slug[-1]}-officer1")
        new = actions.log_complaint(
            received.landlord,
            officer,
            resident=received.person,
            channel="phone",
            received_on=clock.today(),
            description="Checking that a new complaint gets a fresh reference.",
        )
        done.append(f"logged {new.reference}")
        actions.acknowledge(
            received,
            received.handler,
            on=clock.today(),
            understanding="Checking.",
            outcomes_sought="None.",
            points=["One point"],
        )
        done.append(f"acknowledged {received.reference}")
        actions.respond(
            open1,
            open1.handler,
            on=clock.today(),
            decisions=[actions.PointDecisionInput(1, "not-upheld", "Checked.")],
        )
        done.append(f"responded to {open1.reference}")
        officer = User.objects.get(username=f"bn{responded.landlord.slug[-1]}-officer1")
        actions.escalate(responded, officer, requested_on=clock.today())
        done.append(f"escalated {responded.reference}")
        transaction.set_rollback(True)
    return done


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="complaints to add (default 1,000,000)")
    parser.add_argument("--workers", type=int, default=1, help="processes generating rows (default 1)")
    parser.add_argument("--seed", type=int, default=20261122)
    args = parser.parse_args()
    bench.configure()
    from putright.complaints.models import Complaint

    print(bench.describe_machine())
    print(f"Loading {args.count:,} complaints ({Complaint.objects.count():,} already there)")
    result = load(args.count, seed=args.seed, workers=args.workers)
    rows = result["rows"]
    print(
        f"Loaded {result['count']:,} complaints, {rows['stages']:,} stages, {rows['points']:,} definition points, "
        f"{rows['events']:,} events and {rows['people']:,} residents in {result['loaded']:.1f} s "
        f"({result['count'] / result['loaded']:,.0f} complaints/s; COPY {result['copying']:.1f} s); "
        f"VACUUM ANALYZE {result['vacuum']:.1f} s; total {result['total']:.1f} s"
    )
    mix = ", ".join(f"{status} {n / result['count']:.1%}" for status, n in result["counts"].most_common())
    print(f"Status mix: {mix}")
    print(f"Now {Complaint.objects.count():,} complaints in the database")
    print("The domain accepts the rows (rolled back): " + "; ".join(check_domain_accepts()))


if __name__ == "__main__":
    main()
