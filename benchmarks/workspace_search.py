"""Benchmark: the workspace's search by part of a resident's name, with and without the trigram index.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench .venv/bin/python benchmarks/workspace_search.py

Run after benchmarks/insight_exports.py (or load_complaints.py) has loaded complaints. For a name that
matches nobody and one that matches many, the worklist query as the complaints officer sends it
(`putright.complaints.queries.staff_worklist`): its time over 20 runs and PostgreSQL's plan, first with
the index (people migration 0007), then with it dropped inside a transaction that is rolled back.
"""

from __future__ import annotations

import statistics
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

INDEX = "people_person_name_trgm"


def main() -> None:
    bench.configure()
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from putright.complaints import queries
    from putright.landlords.models import StaffMember, StaffRole

    officer = StaffMember.objects.filter(role=StaffRole.COMPLAINTS_OFFICER).select_related("user").first()
    assert officer is not None, "Load complaints first (benchmarks/insight_exports.py)"
    print(bench.describe_machine())

    def search(text: str) -> list[object]:
        return list(queries.staff_worklist(officer.user, queries.WorklistFilter(), queries.WorkSearch(text=text)))

    def measure(label: str) -> None:
        for text in ("Zebedee", "qbal"):
            found = len(search(text))
            spent = [s * 1000 for s in bench.timed(lambda text=text: search(text), 20, warm_up=3)]
            with CaptureQueriesContext(connection) as captured:
                search(text)
            with connection.cursor() as cursor:
                cursor.execute("EXPLAIN ANALYZE " + captured.captured_queries[-1]["sql"])
                plan = [row[0] for row in cursor.fetchall()]
            print(f"{label}, {text!r} ({found} shown): median {statistics.median(spent):.1f} ms")
            for line in plan:
                if "people_person" in line or "Execution Time" in line or "Seq Scan" in line:
                    print("    " + line.strip())

    measure("With the trigram index")
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX {INDEX}")
        measure("Without it")
        transaction.set_rollback(True)


if __name__ == "__main__":
    main()
