"""Benchmark: logging complaints through POST /api/v1/complaints with an Idempotency-Key.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench .venv/bin/python benchmarks/api_logging.py

Each request is what a housing management system sends for a complaint taken by phone: a new
resident, the channel, the day received, the resident's words and an Idempotency-Key. Each one
runs the real `log_complaint` (policy in force, working-day deadline, reference number under a row
lock, the Event) and stores the key with its answer, in one transaction, through the whole Django
stack in-process (django.test.Client). Reported: the sustained rate over 2,000 requests sent one
after another by one process, then by two processes at once (one per core, each for its own
landlord, since a landlord's reference counter is a row lock that queues its loggers), p50 and
p95, and the SQL queries of one request; then that a retry with the same key is answered from the
stored answer and changes nothing. Target: at least 200 complaints a second.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import sys
import time
import uuid
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

OFFICERS = ("bnj-officer1", "bni-officer1")


def _body(n: int, today: str) -> str:
    return json.dumps(
        {
            "resident": {"name": f"Resident {n}", "email": f"resident.{n}@example.org", "phone": "07700 900123"},
            "channel": "phone",
            "received_on": today,
            "issue_date": today,
            "description": "The boiler has not worked for three weeks and nobody came to the appointment.",
            "outcome_sought": "Fix the boiler and compensate me for the heaters.",
            "service_area": "repairs",
        }
    )


def _poster(officer: str) -> Any:
    from putright import clock

    client = bench.api_client(officer)
    today = clock.today().isoformat()

    def post(n: int, key: str | None = None) -> Any:
        response = client.post(
            "/api/v1/complaints",
            _body(n, today),
            content_type="application/json",
            headers={"Idempotency-Key": key or str(uuid.uuid4())},
        )
        assert response.status_code == 201, response.content[:500]
        return response

    return post


def _run(officer: str, requests: int, start: Any, results: Any) -> None:
    """Log `requests` complaints as `officer` once every process is ready; put the seconds each took."""
    post = _poster(officer)
    for n in range(20):  # warm up: not counted
        post(n)
    start.wait(timeout=300)
    spent = []
    for n in range(requests):
        began = time.perf_counter()
        post(n)
        spent.append(time.perf_counter() - began)
    results.put(spent)


def _measure(processes: int, requests: int) -> tuple[float, list[float]]:
    from django.db import connections

    from putright.complaints.models import Complaint

    before = Complaint.objects.count()
    each = requests // processes
    connections.close_all()  # each forked process opens its own connection
    context = multiprocessing.get_context("fork")
    start, results = context.Barrier(processes + 1), context.Queue()
    workers = [context.Process(target=_run, args=(OFFICERS[i], each, start, results)) for i in range(processes)]
    for worker in workers:
        worker.start()
    start.wait(timeout=300)
    began = time.perf_counter()
    spent = [s for _ in workers for s in results.get(timeout=3600)]
    elapsed = time.perf_counter() - began
    for worker in workers:
        worker.join()
    assert Complaint.objects.count() == before + processes * (each + 20)
    return processes * each / elapsed, spent


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=2000)
    args = parser.parse_args()
    bench.configure()
    import load_complaints

    from putright.complaints.models import Complaint

    print(bench.describe_machine())
    load_complaints.ensure_landlords()
    print(f"{Complaint.objects.count():,} complaints in the database")
    post = _poster(OFFICERS[0])
    post(0)
    queries, _ = bench.count_queries(lambda: post(0))
    rows = []
    for processes in (1, 2):
        rate, spent = _measure(processes, args.requests)
        print(f"{args.requests:,} complaints by {processes} process(es): {rate:.0f} a second; {bench.summary(spent)}")
        rows.append((processes, rate, spent))
    print(f"{queries} queries for one request")
    key = str(uuid.uuid4())
    first = post(1, key)
    count = Complaint.objects.count()
    replay = post(1, key)
    assert replay["Idempotent-Replayed"] == "true" and replay.content == first.content
    assert Complaint.objects.count() == count
    replays = bench.timed(lambda: post(1, key), 200, warm_up=5)
    print(f"a retry with the same key is replayed and changes nothing: {bench.summary(replays)}")
    print("\n| processes | requests | rate | p50 | p95 | queries |\n|---|---|---|---|---|---|")
    for processes, rate, spent in rows:
        ms = [s * 1000 for s in spent]
        print(
            f"| {processes} | {args.requests:,} | {rate:.0f}/s | {bench.percentile(ms, 0.5):.1f} ms | "
            f"{bench.percentile(ms, 0.95):.1f} ms | {queries} |"
        )


if __name__ == "__main__":
    main()
