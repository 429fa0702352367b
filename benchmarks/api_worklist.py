"""Benchmark: a landlord's worklist through the REST API at 10k, 100k and 1M complaints.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench .venv/bin/python benchmarks/api_worklist.py

The database grows between measurements (load_complaints.py adds what is missing), so one run
measures all three sizes. Each request goes through the whole Django stack in-process
(django.test.Client, `Authorization: Bearer`): a complaints officer asks for the landlord's open
stage 1 complaints, soonest deadline first, the first page of 50; then the same narrowed to one
handler. Reported: p50 and p95 over 200 requests after 20 not counted, and the SQL queries of one
request, which must not grow with the database. Target: p95 under 50 ms at 1M.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

SIZES = (10_000, 100_000, 1_000_000)
LANDLORD = "bench-a"
OFFICER, HANDLER = "bna-officer1", "bna-handler1"
WORKLISTS = {
    "open stage 1": "/api/v1/complaints?open=true&stage=1&limit=50",
    "open stage 1, one handler": f"/api/v1/complaints?open=true&stage=1&handler={HANDLER}&limit=50",
}


def explain(sql: str) -> str:
    """PostgreSQL's plan for the worklist query, run for real (EXPLAIN ANALYZE)."""
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

    from putright.complaints.models import Complaint

    print(bench.describe_machine())
    results = []
    for size in (int(n) for n in args.sizes.split(",")):
        have = Complaint.objects.filter(landlord__slug__startswith="bench-").count()
        if have < size:
            loaded = load_complaints.load(size - have, quiet=True)
            print(f"loaded {size - have:,} complaints in {loaded['total']:.0f} s")
        total = Complaint.objects.count()
        at_landlord = Complaint.objects.filter(landlord__slug=LANDLORD)
        open_here = at_landlord.filter(status__in=["received", "stage1-open", "stage2-open"]).count()
        print(f"\n{total:,} complaints; {at_landlord.count():,} at {LANDLORD}, {open_here:,} of them open")
        client = bench.api_client(OFFICER)
        for name, url in WORKLISTS.items():
            response = client.get(url)
            assert response.status_code == 200, response.content[:500]
            items = response.json()["items"]
            assert len(items) == 50 or not response.json()["next_cursor"], "a short page with more to come"
            dues = [item["next_due"] for item in items]
            assert dues == sorted(dues), "not in deadline order"
            queries, sql = bench.count_queries(lambda url=url, client=client: client.get(url))
            spent = bench.timed(lambda url=url, client=client: client.get(url), args.requests, warm_up=20)
            print(f"  {name}: {len(items)} rows, {bench.summary(spent)}; {queries} queries")
            results.append((size, name, spent, queries, len(items)))
            if size == max(SIZES):
                worklist_sql = next(q for q in sql if "complaints_complaint" in q and "ORDER BY" in q)
                print("  EXPLAIN ANALYZE of the worklist query:")
                print("    " + explain(worklist_sql).replace("\n", "\n    "))
    print("\n| complaints | worklist | rows | p50 | p95 | queries |\n|---|---|---|---|---|---|")
    for size, name, spent, queries, rows in results:
        ms = [s * 1000 for s in spent]
        print(
            f"| {size:,} | {name} | {rows} | {bench.percentile(ms, 0.5):.1f} ms | {bench.percentile(ms, 0.95):.1f} ms "
            f"| {queries} |"
        )
    by_size = {name: {q for _, n, _, q, _ in results if n == name} for name in WORKLISTS}
    for name, counts in by_size.items():
        print(f"{name}: the same number of queries at every size: {'yes' if len(counts) == 1 else 'NO ' + str(counts)}")


if __name__ == "__main__":
    main()
