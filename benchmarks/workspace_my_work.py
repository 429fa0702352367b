"""Benchmark: the staff workspace's My work page at 10k, 100k and 1M complaints, server time.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench .venv/bin/python benchmarks/workspace_my_work.py

Grows the benchmark database with load_complaints.py as api_worklist.py does, then asks for the
HTML page through the whole Django stack in-process (django.test.Client, signed in with a session):
middleware, session, access layer, the worklist query, deadlines in working days from the
landlord's calendar, and the template. The handler is the one with the most open complaints at
the first benchmark landlord; a few of its residents are given a disclosed vulnerability (once,
idempotently) so that the vulnerable filter and markers have something to find. Reported: p50 and
p95 over 200 requests after 20 not counted, and the SQL queries of one request, which must be the
same at every size. Target (issue 4): under 150 ms at 1M.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
LANDLORD = "bench-a"
OFFICER = "bna-officer1"
PAGES = {
    "My work": ("handler", "/staff/"),
    "My work, overdue": ("handler", "/staff/?overdue=on"),
    "My work, due this week, vulnerable": ("handler", "/staff/?due_this_week=on&vulnerable=on"),
    "My work, stage 1, repairs": ("handler", "/staff/?stage=1&service_area=repairs"),
    "Team work": ("officer", "/staff/team/"),
}
TARGET_MS = 150


def busiest_handler() -> str:
    from django.db.models import Count

    from putright.complaints.models import OPEN_STATUSES, Complaint

    row = (
        Complaint.objects.filter(landlord__slug=LANDLORD, status__in=OPEN_STATUSES, handler__isnull=False)
        .values("handler__username")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if row is None:
        sys.exit(f"no open complaint at {LANDLORD} has a handler: load complaints first")
    return str(row["handler__username"])


def mark_some_residents_vulnerable(every: int = 25) -> int:
    """Give every 25th resident of the landlord a disclosed vulnerability, unless already done."""
    from django.db import connection

    from putright.landlords.models import Landlord

    landlord = Landlord.objects.get(slug=LANDLORD)
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO people_vulnerability (person_id, description, disclosed_on, review_on) "
            "SELECT p.id, 'Benchmark: disclosed vulnerability', CURRENT_DATE, NULL FROM people_person p "
            "WHERE p.landlord_id = %s AND p.id %% %s = 0 "
            "AND NOT EXISTS (SELECT 1 FROM people_vulnerability v WHERE v.person_id = p.id)",
            [landlord.pk, every],
        )
        return cursor.rowcount


def client_for(username: str):  # type: ignore[no-untyped-def]
    from django.contrib.auth.models import User
    from django.test import Client

    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def explain(sql: str) -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN (ANALYZE, BUFFERS) " + sql)
        return "\n".join(row[0] for row in cursor.fetchall())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--sizes", default=",".join(map(str, SIZES)), help="comma-separated complaint counts")
    args = parser.parse_args()
    bench.configure()
    import load_complaints
    from django.conf import settings
    from django.test.utils import override_settings

    # The page links its stylesheets by name; without collectstatic's manifest, plain names will do.
    storages = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    override_settings(STORAGES=storages).enable()

    from putright.complaints.models import OPEN_STATUSES, Complaint

    print(bench.describe_machine())
    results = []
    sizes = [int(n) for n in args.sizes.split(",")]
    for size in sizes:
        have = Complaint.objects.filter(landlord__slug__startswith="bench-").count()
        if have < size:
            loaded = load_complaints.load(size - have, quiet=True)
            print(f"loaded {size - have:,} complaints in {loaded['total']:.0f} s")
        marked = mark_some_residents_vulnerable()
        handler = busiest_handler()
        mine = Complaint.objects.filter(landlord__slug=LANDLORD, handler__username=handler)
        print(
            f"\n{Complaint.objects.count():,} complaints; {handler} handles {mine.count():,} at {LANDLORD}, "
            f"{mine.filter(status__in=OPEN_STATUSES).count():,} of them open"
            + (f" ({marked:,} more residents marked vulnerable)" if marked else "")
        )
        clients = {"handler": client_for(handler), "officer": client_for(OFFICER)}
        for name, (who, url) in PAGES.items():
            client = clients[who]
            response = client.get(url)
            assert response.status_code == 200, response.content[:500]
            if b"govuk-table" not in response.content:
                # Today's date decides what is due this week: an empty page is measured all the same.
                print(f"  {name}: no complaints match today")
            client.get(url)  # the session was renewed on the first request; the next ones only read it
            queries, sql = bench.count_queries(lambda url=url, client=client: client.get(url))
            spent = bench.timed(lambda url=url, client=client: client.get(url), args.requests, warm_up=20)
            print(f"  {name}: {bench.summary(spent)}; {queries} queries")
            results.append((size, name, spent, queries))
            if size == max(sizes) and name == "My work":
                worklist_sql = next(q for q in sql if "complaints_complaint" in q and "ORDER BY" in q)
                print("  EXPLAIN ANALYZE of the My work query:")
                print("    " + explain(worklist_sql).replace("\n", "\n    "))
    print("\n| complaints | page | p50 | p95 | queries |\n|---|---|---|---|---|")
    for size, name, spent, queries in results:
        ms = [s * 1000 for s in spent]
        print(
            f"| {size:,} | {name} | {bench.percentile(ms, 0.5):.1f} ms | {bench.percentile(ms, 0.95):.1f} ms "
            f"| {queries} |"
        )
    for name in PAGES:
        counts = {q for _, n, _, q in results if n == name}
        worst = max(bench.percentile([s * 1000 for s in spent], 0.95) for _, n, spent, _ in results if n == name)
        print(
            f"{name}: same number of queries at every size: {'yes' if len(counts) == 1 else 'NO ' + str(counts)}; "
            f"worst p95 {worst:.1f} ms ({'within' if worst < TARGET_MS else 'OVER'} the {TARGET_MS} ms target)"
        )


if __name__ == "__main__":
    main()
