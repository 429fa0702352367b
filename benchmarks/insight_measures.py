"""Benchmark: every measure for a landlord-year of 50,000 complaints, against the same figures by hand-written SQL.

    createdb -h 127.0.0.1 -U postgres putright_insight_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_insight_bench \\
        .venv/bin/python benchmarks/insight_measures.py [--count 50000] [--rebuild]

Targets (issue 7): `putright.insight.measures.compute` for the reporting year in under 1 second on
PostgreSQL, and within 2x of one hand-written SQL statement computing the same figures with a
working-day calendar passed in as arrays. Both are timed warm (the first run of each is not
counted) and the figures they give are compared before anything is printed.

The rows are made with bulk inserts, not the domain actions (50,000 complaints through the actions
would take many minutes and measure the actions, not the reports), but keep every rule the domain
and the database hold. Beside the landlord-year there is a year before it and a second landlord,
so that every query has rows to leave out. It refuses any database but putright_insight_bench.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import time
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY))
DATABASE = "putright_insight_bench"
YEAR = 2024
SLUG = "insight-bench"

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
os.environ.setdefault("SECRET_KEY", "benchmarks-only-secret-key-not-for-any-real-installation")
os.environ.setdefault("LOG_LEVEL", "WARNING")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")


def configure() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")) or url.rstrip("/").rsplit("/", 1)[-1] != DATABASE:
        sys.exit(f"Set DATABASE_URL to postgres://…/{DATABASE}: this benchmark uses no other database")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


# -- the data ---------------------------------------------------------------------------------


@dataclass
class Made:
    complaints: int = 0
    stages: int = 0
    extensions: int = 0
    remedies: int = 0


def build(count: int, rebuild: bool) -> Any:  # noqa: C901 - one generator, one branch per kind of row
    from django.contrib.auth.models import User
    from django.db import connection, transaction
    from django.utils import timezone

    from putright.complaints.models import Complaint, Extension, Remedy, Stage
    from putright.landlords.calendars import working_calendar
    from putright.landlords.models import HomesCount, Landlord, StaffMember
    from putright.people.models import Person

    landlord = Landlord.objects.filter(slug=SLUG).first()
    if landlord is not None and not rebuild:
        have = Complaint.objects.filter(landlord=landlord, received_on__year__gte=YEAR).count()
        if have >= count:
            print(f"Using the {have:,} complaints already loaded (--rebuild to make them again)")
            return landlord
    with connection.cursor() as cursor:  # a clean slate, quickly: only this benchmark's database is ever used
        cursor.execute(
            "TRUNCATE complaints_event, complaints_extension, complaints_remedy, complaints_definitionpoint, "
            "complaints_outstandingaction, complaints_stage, insight_serviceimprovement_complaints, "
            "complaints_complaint, people_representative, people_person, insight_perceptionsurvey, "
            "landlords_homescount, landlords_staffmember, landlords_policyversion, landlords_closureday, "
            "landlords_holidaychange, insight_selfassessmententry, insight_selfassessment, insight_annualreport, "
            "insight_serviceimprovement, complaints_referencecounter, complaints_servicerequest, "
            "landlords_landlord CASCADE"
        )
    rng = random.Random(7)
    started = time.perf_counter()
    now = timezone.now()
    with transaction.atomic():
        user, _ = User.objects.get_or_create(username="bench-insight-officer")
        landlords = [
            Landlord.objects.create(slug=SLUG, name="Benchmark Housing", reference_prefix="BEN"),
            Landlord.objects.create(slug=SLUG + "-other", name="Another Housing", reference_prefix="OTH"),
        ]
        StaffMember.objects.create(user=user, landlord=landlords[0], role="officer")
        for landlord in landlords:
            for year, homes in ((YEAR, 120_000), (YEAR - 1, 118_000)):
                HomesCount.objects.create(landlord=landlord, year_starting=year, low_cost_rental=homes,
                                          low_cost_home_ownership=homes // 20)  # fmt: skip
        made = Made()
        plan = [(landlords[0], YEAR, count), (landlords[0], YEAR - 1, count // 5), (landlords[1], YEAR, count // 5)]
        for landlord, year, how_many in plan:
            calendar = working_calendar(landlord)
            people = Person.objects.bulk_create(
                Person(landlord=landlord, name=f"Resident {n}") for n in range(max(1, how_many // 10))
            )
            first, days = date(year, 4, 1), (date(year + 1, 3, 31) - date(year, 4, 1)).days + 1
            complaints, plans = [], []
            for n in range(how_many):
                received = first + timedelta(days=rng.randrange(days))
                roll = rng.random()
                status = ("not-accepted" if roll < 0.05 else "withdrawn" if roll < 0.08 else
                          "stage1-open" if roll < 0.11 else "closed")  # fmt: skip
                complaint = Complaint(
                    landlord=landlord, reference=f"{landlord.reference_prefix}-{year}-{n + 1:06d}",
                    person=people[n % len(people)], channel=rng.choice(("online", "email", "phone", "phone", "letter")),
                    service_area=rng.choice(("repairs", "repairs", "damp-mould", "asb", "estate", "rent", "")),
                    received_on=received, description="Benchmark complaint",
                    tenure="lcho" if rng.random() < 0.06 else "other" if rng.random() < 0.03 else "lcra",
                    status=status, stage=1, created_by=user, created_at=now, updated_at=now,
                )  # fmt: skip
                complaints.append(complaint)
                stage_specs: list[dict[str, Any]] = []
                plans.append(stage_specs)
                if status == "not-accepted":
                    complaint.refusal_ground = rng.choice(("out-of-time", "legal-proceedings", "previously-considered"))
                    complaint.refused_by, complaint.refused_on = user, calendar.add_working_days(received, 2)
                    continue
                acknowledged = calendar.add_working_days(received, rng.choice((0, 1, 2, 2, 3, 3, 4, 5, 5, 6, 8)))
                stage1: dict[str, Any] = {
                    "number": 1, "opened_on": received, "acknowledged_on": acknowledged,
                    "acknowledge_due": calendar.add_working_days(received, 5),
                    "original_response_due": calendar.add_working_days(acknowledged, 10),
                }  # fmt: skip
                stage1["response_due"] = stage1["original_response_due"]
                stage_specs.append(stage1)
                if status == "withdrawn":
                    complaint.withdrawn_on = calendar.add_working_days(acknowledged, 3)
                    continue
                if status == "stage1-open":
                    continue
                extension = rng.choice((5, 8, 10, 15)) if rng.random() < 0.2 else 0
                responded = calendar.add_working_days(
                    acknowledged, rng.choice((4, 6, 8, 9, 10, 10, 11, 13)) + extension
                )
                stage1.update(extension_days=extension, responded_on=responded,
                              response_due=calendar.add_working_days(stage1["original_response_due"], extension),
                              decision=rng.choice(("upheld", "partly-upheld", "not-upheld", "not-upheld")),
                              late=rng.random() < 0.1)  # fmt: skip
                complaint.closed_on = calendar.add_working_days(responded, 2)
                if rng.random() < 0.12:
                    asked = calendar.add_working_days(responded, rng.randrange(1, 30))
                    acknowledged2 = calendar.add_working_days(asked, rng.choice((1, 2, 3, 5, 6)))
                    responded2 = calendar.add_working_days(acknowledged2, rng.choice((12, 15, 18, 20, 22, 25)))
                    stage_specs.append({
                        "number": 2, "opened_on": asked, "acknowledged_on": acknowledged2,
                        "acknowledge_due": calendar.add_working_days(asked, 5),
                        "original_response_due": calendar.add_working_days(acknowledged2, 20),
                        "response_due": calendar.add_working_days(acknowledged2, 20), "responded_on": responded2,
                        "decision": rng.choice(("upheld", "partly-upheld", "not-upheld")),
                    })  # fmt: skip
                    complaint.stage, complaint.closed_on = 2, calendar.add_working_days(responded2, 2)
                    if rng.random() < 0.1:
                        complaint.ombudsman_referred_on = responded2 + timedelta(days=rng.randrange(10, 60))
            Complaint.objects.bulk_create(complaints, batch_size=5000)
            made.complaints += len(complaints)
            stages, extensions_for, remedies_for = [], [], []
            for complaint, stage_specs in zip(complaints, plans, strict=True):
                for spec in stage_specs:
                    late = spec.pop("late", False)
                    stage = Stage(
                        complaint=complaint, landlord_id=complaint.landlord_id, understanding="Benchmark", **spec
                    )
                    stages.append(stage)
                    if stage.extension_days:
                        extensions_for.append((stage, stage.extension_days, late, stage.extension_days > 10))
                    if stage.responded_on:
                        remedies_for.append(stage)
            Stage.objects.bulk_create(stages, batch_size=5000)
            made.stages += len(stages)
            extensions = []
            for stage, days, late, beyond in extensions_for:
                previous = stage.original_response_due
                extensions.append(Extension(
                    stage=stage, days=days, reason="Benchmark", good_reason="Complex repairs" if beyond else "",
                    previous_due=previous, new_due=stage.response_due,
                    resident_told_on=previous + timedelta(days=3) if late else previous - timedelta(days=2),
                    ombudsman_details_given=True, late=late, recorded_by=user, recorded_at=now,
                ))  # fmt: skip
            Extension.objects.bulk_create(extensions, batch_size=5000)
            made.extensions += len(extensions)
            remedies = []
            for stage in remedies_for:
                if rng.random() < 0.6:
                    remedies.append(Remedy(stage=stage, kind="apology", description="Apology", state="agreed"))
                if rng.random() < 0.15:
                    remedies.append(Remedy(
                        stage=stage, kind="financial", description="Compensation",
                        amount_time_and_trouble=Decimal(rng.choice((25, 50, 100))),
                        amount_distress=Decimal(rng.choice((0, 50, 150))),
                        state=rng.choice(("delivered", "delivered", "agreed", "declined")),
                        delivered_on=stage.responded_on + timedelta(days=14) if stage.responded_on else None,
                    ))  # fmt: skip
            Remedy.objects.bulk_create(remedies, batch_size=5000)
            made.remedies += len(remedies)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print(
        f"Loaded {made.complaints:,} complaints, {made.stages:,} stages, {made.extensions:,} extensions and "
        f"{made.remedies:,} remedies in {time.perf_counter() - started:.1f} s"
    )
    return landlords[0]


# -- the same figures by hand-written SQL ------------------------------------------------------

HAND_WRITTEN = """
WITH cal AS (
    SELECT * FROM unnest(%(days)s::date[], %(ranks)s::int[], %(working)s::bool[]) AS t(day, rank, working)
),
wday AS (SELECT rank, day FROM cal WHERE working),
ext AS (
    SELECT stage_id, SUM(days) FILTER (WHERE NOT late) AS told, bool_or(NOT late AND good_reason <> '') AS good
    FROM complaints_extension GROUP BY stage_id
),
st AS (
    SELECT s.number, s.opened_on, s.acknowledged_on, s.responded_on, s.decision, s.extension_days, c.tenure,
           co.rank AS r_open, ca.rank AS r_ack, cr.rank AS r_resp, ad.day AS ack_due,
           COALESCE(e.told, 0) AS told, COALESCE(e.good, false) AS good,
           CASE WHEN s.number = 1 THEN 10 ELSE 20 END AS code_days
    FROM complaints_stage s
    JOIN complaints_complaint c ON c.id = s.complaint_id
    JOIN cal co ON co.day = s.opened_on
    JOIN wday ad ON ad.rank = co.rank + 5
    LEFT JOIN cal ca ON ca.day = s.acknowledged_on
    LEFT JOIN cal cr ON cr.day = s.responded_on
    LEFT JOIN ext e ON e.stage_id = s.id
    WHERE c.landlord_id = %(landlord)s
      AND (s.acknowledged_on BETWEEN %(start)s AND %(end)s OR s.responded_on BETWEEN %(start)s AND %(end)s)
),
based AS (
    SELECT st.*,
           CASE WHEN acknowledged_on <= ack_due THEN r_ack ELSE r_open + 5 END AS r_base,
           CASE WHEN good THEN told ELSE LEAST(told, code_days) END AS allowed
    FROM st
),
judged AS (
    SELECT b.*, d.day AS due, x.day AS due_extended
    FROM based b
    LEFT JOIN wday d ON d.rank = b.r_base + b.code_days
    LEFT JOIN wday x ON x.rank = b.r_base + b.code_days + b.allowed
)
SELECT number,
       COUNT(*) FILTER (WHERE acknowledged_on BETWEEN %(start)s AND %(end)s) AS acknowledged,
       COUNT(*) FILTER (WHERE acknowledged_on BETWEEN %(start)s AND %(end)s AND acknowledged_on <= ack_due),
       SUM(r_ack - r_open) FILTER (WHERE acknowledged_on BETWEEN %(start)s AND %(end)s),
       COUNT(*) FILTER (WHERE responded_on BETWEEN %(start)s AND %(end)s) AS responded,
       COUNT(*) FILTER (WHERE responded_on BETWEEN %(start)s AND %(end)s AND responded_on <= due_extended),
       COUNT(*) FILTER (WHERE responded_on BETWEEN %(start)s AND %(end)s AND responded_on <= due),
       COUNT(*) FILTER (WHERE responded_on BETWEEN %(start)s AND %(end)s AND extension_days > 0),
       SUM(r_resp - r_ack) FILTER (WHERE responded_on BETWEEN %(start)s AND %(end)s),
       COUNT(*) FILTER (WHERE responded_on BETWEEN %(start)s AND %(end)s AND decision = 'upheld'),
       COUNT(*) FILTER (WHERE responded_on BETWEEN %(start)s AND %(end)s AND decision = 'partly-upheld'),
       COUNT(*) FILTER (WHERE responded_on BETWEEN %(start)s AND %(end)s AND decision = 'not-upheld')
FROM judged GROUP BY number ORDER BY number;

SELECT COUNT(*) FILTER (WHERE status <> 'not-accepted' AND tenure = 'lcra'),
       COUNT(*) FILTER (WHERE status <> 'not-accepted' AND tenure = 'lcho'),
       COUNT(*) FILTER (WHERE status = 'not-accepted')
FROM complaints_complaint WHERE landlord_id = %(landlord)s AND received_on BETWEEN %(start)s AND %(end)s;

SELECT COUNT(*) FROM complaints_stage s JOIN complaints_complaint c ON c.id = s.complaint_id
WHERE c.landlord_id = %(landlord)s AND c.status = 'withdrawn' AND c.withdrawn_on BETWEEN %(start)s AND %(end)s
  AND s.number = c.stage AND s.responded_on IS NULL;

SELECT COUNT(*) FILTER (WHERE c.tenure = 'lcra'), COUNT(*) FILTER (WHERE c.tenure = 'lcho')
FROM complaints_stage s JOIN complaints_complaint c ON c.id = s.complaint_id
WHERE c.landlord_id = %(landlord)s AND s.number = 2 AND s.opened_on BETWEEN %(start)s AND %(end)s;

SELECT COUNT(*), COUNT(*) FILTER (WHERE EXISTS (
           SELECT 1 FROM complaints_stage t WHERE t.complaint_id = s.complaint_id AND t.number = 2
           AND t.opened_on <= %(end)s))
FROM complaints_stage s JOIN complaints_complaint c ON c.id = s.complaint_id
WHERE c.landlord_id = %(landlord)s AND s.number = 1 AND s.responded_on BETWEEN %(start)s AND %(end)s;

SELECT COALESCE(SUM(total), 0), COALESCE(SUM(total) FILTER (WHERE state = 'delivered' AND delivered_on <= %(end)s), 0),
       COUNT(*) FILTER (WHERE kind = 'apology'), COUNT(*) FILTER (WHERE kind = 'financial')
FROM (SELECT r.amount_statutory + r.amount_quantifiable_loss + r.amount_time_and_trouble + r.amount_distress AS total,
             r.state, r.delivered_on, r.kind, s.responded_on, c.landlord_id
      FROM complaints_remedy r
      JOIN complaints_stage s ON s.id = r.stage_id
      JOIN complaints_complaint c ON c.id = s.complaint_id) AS remedies
WHERE landlord_id = %(landlord)s AND responded_on BETWEEN %(start)s AND %(end)s;

SELECT COUNT(*) FROM complaints_complaint
WHERE landlord_id = %(landlord)s AND ombudsman_referred_on BETWEEN %(start)s AND %(end)s;
"""


def calendar_arrays(landlord: Any) -> dict[str, Any]:
    """Every day from 2015 to 2035 with how many working days fall on or before it, and whether it is one."""
    from putright.landlords.calendars import working_calendar

    calendar = working_calendar(landlord)
    first, last = date(2015, 1, 1), date(2035, 12, 31)
    days, ranks, working = [], [], []
    day = first
    while day <= last:
        days.append(day)
        ranks.append(calendar.working_days_between(first, day))
        working.append(calendar.is_working_day(day))
        day += timedelta(days=1)
    # Rank the first day's working day 1 if it is one, so that "the k-th working day" has rank k.
    offset = 1 if working[0] else 0
    return {"days": days, "ranks": [rank + offset for rank in ranks], "working": working}


def hand_written(landlord: Any, start: date, end: date, arrays: dict[str, Any]) -> dict[str, Any]:
    from django.db import connection

    params = {"landlord": landlord.pk, "start": start, "end": end, **arrays}
    results = []
    with connection.cursor() as cursor:
        for statement in (s.strip() for s in HAND_WRITTEN.split(";") if s.strip()):
            cursor.execute(statement, params)
            results.append(cursor.fetchall())
    stages = {row[0]: row for row in results[0]}
    lcra1, lcho1, not_accepted = results[1][0]
    withdrawn1 = results[2][0][0]
    lcra2, lcho2 = results[3][0]
    responded1, escalated = results[4][0]
    offered, paid, apologies, financial = results[5][0]
    figures: dict[str, Any] = {
        "ch01 stage 1 lcra, lcho": (lcra1, lcho1),
        "ch01 stage 2 lcra, lcho": (lcra2, lcho2),
        "not accepted": not_accepted,
        "escalated of stage 1 responses": (escalated, responded1),
        "compensation offered, paid": (
            Decimal(offered).quantize(Decimal("0.01")),
            Decimal(paid).quantize(Decimal("0.01")),
        ),
        "apologies, financial remedies": (apologies, financial),
        "ombudsman referrals": results[6][0][0],
        "withdrawn before a response": withdrawn1,
    }
    for number in (1, 2):
        row = stages.get(number, (number,) + (0,) * 11)
        figures[f"stage {number} acknowledged within, of"] = (row[2], row[1])
        figures[f"stage {number} working days to acknowledge"] = row[3] or 0
        figures[f"stage {number} within with extensions, without, of"] = (row[5], row[6], row[4])
        figures[f"stage {number} extended"] = row[7]
        figures[f"stage {number} working days to respond"] = row[8] or 0
        figures[f"stage {number} upheld, partly, not upheld"] = (row[9], row[10], row[11])
    return figures


def orm_figures(landlord: Any, start: date, end: date) -> dict[str, Any]:
    from putright.insight.measures import compute
    from putright.insight.periods import Period

    m = compute(landlord, Period(start, end))
    kinds = {k.key: k.count for k in m.remedies.by_kind}
    figures: dict[str, Any] = {
        "ch01 stage 1 lcra, lcho": (m.stage1.lcra.complaints, m.stage1.lcho.complaints),
        "ch01 stage 2 lcra, lcho": (m.stage2.lcra.complaints, m.stage2.lcho.complaints),
        "not accepted": m.refusals.not_accepted,
        "escalated of stage 1 responses": (m.escalated.part, m.escalated.whole),
        "compensation offered, paid": (m.remedies.compensation.offered, m.remedies.compensation.paid),
        "apologies, financial remedies": (kinds.get("apology", 0), kinds.get("financial", 0)),
        "ombudsman referrals": m.ombudsman.referrals,
        "withdrawn before a response": sum(
            o.count for s in (m.stage1, m.stage2) for o in s.outcomes if o.key == "withdrawn"
        ),
    }
    for stage in (m.stage1, m.stage2):
        n = stage.number
        outcomes = {o.key: o.count for o in stage.outcomes}
        figures[f"stage {n} acknowledged within, of"] = (
            stage.acknowledged_within.part,
            stage.acknowledged_within.whole,
        )
        figures[f"stage {n} working days to acknowledge"] = stage.to_acknowledge.total_days
        figures[f"stage {n} within with extensions, without, of"] = (
            stage.within_timescale.part, stage.within_without_extensions.part, stage.responded
        )  # fmt: skip
        figures[f"stage {n} extended"] = stage.extended
        figures[f"stage {n} working days to respond"] = stage.to_respond.total_days
        figures[f"stage {n} upheld, partly, not upheld"] = (
            outcomes["upheld"], outcomes["partly-upheld"], outcomes["not-upheld"]
        )  # fmt: skip
    return figures


def timed(run: Any, times: int) -> list[float]:
    run()  # warm: connections, the landlord's calendar, PostgreSQL's caches
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        spent.append(time.perf_counter() - started)
    return spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--count", type=int, default=50_000, help="complaints in the landlord-year (default 50,000)")
    parser.add_argument("--rebuild", action="store_true", help="make the rows again even if they are there")
    parser.add_argument("--times", type=int, default=7, help="timed runs of each (default 7)")
    options = parser.parse_args()
    configure()
    from django.db import connection

    landlord = build(options.count, options.rebuild)
    start, end = date(YEAR, 4, 1), date(YEAR + 1, 3, 31)
    arrays = calendar_arrays(landlord)
    ours, theirs = orm_figures(landlord, start, end), hand_written(landlord, start, end, arrays)
    differ = [key for key in ours if ours[key] != theirs[key]]
    for key in ours:
        print(f"  {key:45} {ours[key]!s:30} {'same' if key not in differ else 'DIFFERENT: ' + str(theirs[key])}")
    if differ:
        sys.exit(f"The two disagree on {', '.join(differ)}")
    from putright.insight.measures import compute
    from putright.insight.periods import Period

    period = Period(start, end)
    orm = timed(lambda: compute(landlord, period), options.times)
    sql_jit = timed(lambda: hand_written(landlord, start, end, arrays), options.times)
    with connection.cursor() as cursor:
        # The hand-written statement is costly enough for PostgreSQL to JIT-compile it, which takes longer than
        # running it; Putright's own queries stay under the JIT threshold. Compare against its better time.
        cursor.execute("SET jit = off")
    sql = timed(lambda: hand_written(landlord, start, end, arrays), options.times)
    with connection.cursor() as cursor:
        cursor.execute("RESET jit")
    from django.conf import settings
    from django.contrib.auth.models import User
    from django.test import Client, override_settings

    client = Client()
    client.force_login(User.objects.get(username="bench-insight-officer"))
    plain = {**settings.STORAGES, "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}
    with override_settings(STORAGES=plain):  # no collectstatic manifest here: static URLs play no part
        page = timed(lambda: client.get("/staff/insight/", {"year": str(YEAR)}), max(3, options.times // 2))
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0].split()[0]  # type: ignore[index]
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())

    def line(name: str, spent: list[float]) -> str:
        return (f"{name:36} median {statistics.median(spent) * 1000:5.0f} ms (min {min(spent) * 1000:.0f}, "
                f"max {max(spent) * 1000:.0f}) over {len(spent)} runs")  # fmt: skip

    print(f"\nPostgreSQL {server}, {os.cpu_count()} cores, {datetime.now(tz=UTC):%Y-%m-%d}, load average {load}; "
          f"{options.count:,} complaints in the year")  # fmt: skip
    print(line("putright.insight.measures.compute", orm))
    print(line("hand-written SQL, JIT on (default)", sql_jit))
    print(line("hand-written SQL, JIT off", sql))
    print(line("the dashboard page (/staff/insight/)", page))
    ratio = statistics.median(orm) / statistics.median(sql)
    under = "yes" if statistics.median(orm) < 1 else "NO"
    print(f"ratio {ratio:.2f}x the faster hand-written SQL (target: within 2x); under 1 s: {under}")


if __name__ == "__main__":
    main()
