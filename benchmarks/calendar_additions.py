"""Benchmark: one million additions each of 5, 10 and 20 working days.

Target (Foundation issue): computing deadlines for a million complaints must not be the slow
part of anything; one million additions of 5, 10 and 20 working days in under 3 seconds in
total on a 2-core machine. Start dates are spread over 2012 to 2030, as deadlines are.

Run: .venv/bin/python benchmarks/calendar_additions.py [--count N]
The calendar is plain Python (putright.rules), so no database is involved.
"""

from __future__ import annotations

import argparse
import platform
import random
import time
from datetime import date, timedelta

from putright.rules.calendar import Region, WorkingCalendar


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--count", type=int, default=1_000_000, help="additions per length (default 1,000,000)")
    args = parser.parse_args()

    started = time.perf_counter()
    calendar = WorkingCalendar(
        Region.ENGLAND_AND_WALES, closures=[date(y, 12, d) for y in range(2012, 2031) for d in (29, 30, 31)]
    )
    build = time.perf_counter() - started

    rng = random.Random(20241220)
    first = date(2012, 1, 1)
    starts = [first + timedelta(days=rng.randrange(365 * 19)) for _ in range(args.count)]
    add = calendar.add_working_days

    print(f"Python {platform.python_version()} on {platform.machine()}; building the calendar: {build * 1000:.0f} ms")
    total = 0.0
    for days in (5, 10, 20):
        started = time.perf_counter()
        for start in starts:
            add(start, days)
        elapsed = time.perf_counter() - started
        total += elapsed
        each = elapsed / args.count * 1e9
        print(f"{args.count:>9,} additions of {days:>2} working days: {elapsed:.3f} s ({each:.0f} ns each)")
    print(f"total for {3 * args.count:,} additions: {total:.3f} s (target: under 3 s)")


if __name__ == "__main__":
    main()
