"""Benchmark: importing the Ombudsman's published findings (about 33,000 rows) and the sector page's figures.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench .venv/bin/python benchmarks/ombudsman_findings.py

Reads ../shared/data/housing_ombudsman_complaint_findings.csv (or the file given with --file) and
times, three times each: an import into an empty table (the table is emptied first: use the
benchmark database only), the same file again (nothing changes), a newer file with one finding in
ten changed, and `sector_comparison` for a council compared with every council in the findings and
for a housing association in its size band. Target: each import in seconds, not minutes.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from functools import partial
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

DEFAULT_FILE = (
    Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "housing_ombudsman_complaint_findings.csv"
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--file", type=Path, default=DEFAULT_FILE)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    bench.configure()

    from django.db import connection, reset_queries

    from putright.insight.sector import (
        ImportSummary,
        PublishedFinding,
        import_findings,
        read_findings_file,
        sector_comparison,
    )
    from putright.landlords.models import HomesCount, Landlord, LandlordType
    from putright.ombudsman.models import Finding

    def timed_import(parsed: dict, label: str) -> None:  # type: ignore[type-arg]
        started = time.perf_counter()
        summary = ImportSummary(read=len(parsed))
        import_findings(parsed, summary)
        print(f"  {label}: {time.perf_counter() - started:.2f} s ({summary.line()})")

    print(bench.describe_machine())
    started = time.perf_counter()
    read_summary = ImportSummary()
    parsed = read_findings_file(options.file, read_summary)
    print(f"reading and checking the file: {time.perf_counter() - started:.2f} s ({read_summary.read:,} rows)")
    # One finding in ten changed, as a newer file might: the same rows, some findings revised on review.
    findings = list(Finding.values)
    newer = {
        key: (*values[:7], findings[(findings.index(str(values[7])) + 1) % len(findings)], *values[8:])
        if number % 10 == 0
        else values
        for number, (key, values) in enumerate(parsed.items())
    }
    for run in range(1, options.runs + 1):
        print(f"run {run}")
        PublishedFinding.objects.all().delete()
        timed_import(parsed, "into an empty table")
        timed_import(parsed, "the same file again")
        timed_import(newer, "a newer file, one finding in ten changed")

    council, _ = Landlord.objects.get_or_create(
        slug="bench-sector-council", defaults={"name": "Bench Council", "reference_prefix": "BSC"}
    )
    association, _ = Landlord.objects.get_or_create(
        slug="bench-sector-association", defaults={"name": "Bench Homes", "reference_prefix": "BSH"}
    )
    Landlord.objects.filter(pk=council.pk).update(ombudsman_name="Medway", landlord_type=LandlordType.LOCAL_AUTHORITY)
    Landlord.objects.filter(pk=association.pk).update(
        ombudsman_name="ForHousing", landlord_type=LandlordType.HOUSING_ASSOCIATION
    )
    for landlord, homes in ((council, 5_000), (association, 24_000)):
        HomesCount.objects.update_or_create(landlord=landlord, year_starting=2025, defaults={"low_cost_rental": homes})
    for landlord in Landlord.objects.filter(pk__in=[council.pk, association.pk]):
        connection.force_debug_cursor = True
        reset_queries()
        comparison = sector_comparison(landlord)
        queries = len(connection.queries)
        connection.force_debug_cursor = False
        spent = bench.timed(partial(sector_comparison, landlord), times=20, warm_up=3)
        print(
            f"sector_comparison, {landlord.name} beside {comparison.compared_with}: "
            f"median {statistics.median(spent) * 1000:.0f} ms, max {max(spent) * 1000:.0f} ms, {queries} queries"
        )


if __name__ == "__main__":
    main()
