"""Benchmark: one complaint's whole record through the REST API, for a complaint with 100 events.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench .venv/bin/python benchmarks/api_detail.py

The complaint is made through the real actions (logged, assigned, acknowledged with three points,
extended, update interval agreed, a remedy offered, responded with remedies and two outstanding
actions, then 93 updates on those actions), in a database loaded by load_complaints.py (it loads
100,000 complaints first if there are fewer). Reported: p50 and p95 of GET /api/v1/complaints/{reference}
over 200 requests after 20 not counted, and the SQL queries of one request.
Targets: p95 under 20 ms, at most 12 queries.
"""

from __future__ import annotations

import argparse
import sys
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

LANDLORD = "bench-b"
OFFICER, HANDLER = "bnb-officer1", "bnb-handler2"
MARKER = "Benchmark: a complaint with a long history."
EVENTS = 100


def long_history() -> str:
    """The reference of the complaint with 100 events, made through the actions the first time."""
    from django.contrib.auth.models import User

    from putright import clock
    from putright.complaints import actions
    from putright.complaints.models import Complaint, Event, OutstandingAction
    from putright.landlords.models import Landlord

    existing = Complaint.objects.filter(landlord__slug=LANDLORD, description=MARKER).first()
    if existing is not None:
        return existing.reference
    landlord = Landlord.objects.get(slug=LANDLORD)
    officer, handler = User.objects.get(username=OFFICER), User.objects.get(username=HANDLER)
    today = clock.today()
    complaint = actions.log_complaint(
        landlord,
        officer,
        resident=actions.ResidentDetails(name="Lena Long", email="lena.long@example.org"),
        channel="email",
        received_on=today,
        description=MARKER,
        outcome_sought="A working boiler and compensation.",
        service_area="repairs",
        representative=actions.RepresentativeDetails(name="Cllr Pat Hemmings", relationship="councillor"),
    )
    actions.assign_handler(complaint, officer, handler=handler, conflict_of_interest=False)
    actions.acknowledge(
        complaint,
        handler,
        on=today,
        understanding="The boiler has failed three times and two repair appointments were missed.",
        outcomes_sought="A working boiler, an apology and compensation for electric heaters.",
        points=["The boiler repairs took too long", "Two appointments were missed", "Nobody called back"],
        responsible_for="Boiler repairs and appointments.",
    )
    actions.extend(
        complaint,
        handler,
        days=5,
        reason="Waiting for the engineer's report.",
    )
    actions.agree_update_interval(complaint, handler, every_days=5, agreed_on=today)
    actions.add_remedy(complaint, handler, actions.RemedyInput("action", "Temporary heaters delivered."))
    actions.respond(
        complaint,
        handler,
        on=today,
        decisions=[
            actions.PointDecisionInput(1, "upheld", "The repair took 21 days against our 7-day target."),
            actions.PointDecisionInput(2, "upheld", "Both appointments were missed without notice."),
            actions.PointDecisionInput(3, "partly-upheld", "One call was returned late; one was not returned."),
        ],
        remedies=[
            actions.RemedyInput("apology", "We apologise for the delays and missed appointments."),
            actions.RemedyInput(
                "financial",
                "£250: £150 for time and trouble, £60.40 for the heaters' electricity, £39.60 under Right to Repair.",
                amount_time_and_trouble=Decimal("150"),
                amount_quantifiable_loss=Decimal("60.40"),
                amount_statutory=Decimal("39.60"),
            ),
        ],
        actions=[
            actions.ActionInput("Replace the boiler.", today, handler),
            actions.ActionInput("Service the boiler after three months.", today, handler),
        ],
    )
    outstanding = list(OutstandingAction.objects.filter(complaint=complaint))
    n = 0
    while Event.objects.filter(complaint=complaint).count() < EVENTS:
        n += 1
        actions.update_action(
            outstanding[n % 2], handler, note=f"Update {n}: the resident was called with progress.", resident_told=True
        )
    return complaint.reference


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=200)
    args = parser.parse_args()
    bench.configure()
    import load_complaints

    from putright.complaints.models import Complaint, Event

    print(bench.describe_machine())
    have = Complaint.objects.filter(landlord__slug__startswith="bench-").count()
    if have < 100_000:
        load_complaints.load(100_000 - have, quiet=True)
    reference = long_history()
    typical = Complaint.objects.filter(landlord__slug=LANDLORD, status="closed", stage=2).first()
    assert typical is not None
    client = bench.api_client(OFFICER)
    print(f"{Complaint.objects.count():,} complaints in the database")
    rows = []
    for name, ref in (("100 events", reference), ("a loaded closed stage 2 complaint", typical.reference)):
        url = f"/api/v1/complaints/{ref}"
        response = client.get(url)
        assert response.status_code == 200, response.content[:500]
        events = Event.objects.filter(complaint__reference=ref).count()
        assert len(response.json()["events"]) == events
        queries, _ = bench.count_queries(lambda url=url: client.get(url))
        spent = bench.timed(lambda url=url: client.get(url), args.requests, warm_up=20)
        size = len(response.content)
        print(f"  {ref} ({name}, {events} events, {size:,} bytes): {bench.summary(spent)}; {queries} queries")
        rows.append((name, events, spent, queries, size))
    print("\n| complaint | events | p50 | p95 | queries | response |\n|---|---|---|---|---|---|")
    for name, events, spent, queries, size in rows:
        ms = [s * 1000 for s in spent]
        print(
            f"| {name} | {events} | {bench.percentile(ms, 0.5):.1f} ms | {bench.percentile(ms, 0.95):.1f} ms "
            f"| {queries} | {size / 1024:.0f} KiB |"
        )


if __name__ == "__main__":
    main()
