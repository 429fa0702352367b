"""Benchmark: complaint exports at 100,000 complaints, reports built by the worker, and a warm first request.

    createdb -h 127.0.0.1 -U postgres putright_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench \\
        .venv/bin/python benchmarks/insight_exports.py [--count 100000] [--skip-warm]

The complaints are loaded (once) by load_complaints.py's loader, all at one landlord. Then:

1. The CSV of every complaint, as the export streams it: time to the first complaint's line, and to the
   last. Targets (issue 22): first byte under 1 s, the whole under 5 s.
2. The spreadsheet of one reporting year, written in openpyxl's write-only mode.
3. The same CSV built as a report job by the worker's task (`putright.insight.jobs.build`), with its
   progress written as it goes: what a landlord waits for when an export is over 20,000 rows.
4. The first request of a fresh web process, without and with the warm start (`putright serve`
   sets PUTRIGHT_WARM_START=1): the OpenAPI document, the sign-in page and a PDF, each for the first
   time in that process, each process started afresh.

The search's trigram index has its own benchmark: benchmarks/workspace_search.py.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

REPOSITORY = Path(__file__).resolve().parent.parent


def loaded(count: int) -> None:
    """At least `count` complaints at the first landlord, loaded as load_complaints.py loads them."""
    import load_complaints

    from putright.complaints.models import Complaint
    from putright.landlords.models import Landlord

    first = Landlord.objects.order_by("id").first()
    have = Complaint.objects.filter(landlord=first).count() if first else 0
    if have >= count:
        return
    load_complaints.LANDLORDS = 1  # every complaint at one landlord: the export of a large landlord
    print(f"Loading {count - have:,} complaints at one landlord")
    load_complaints.load(count - have, seed=20261206, workers=1)


def timed_csv(landlord: object, chosen: object) -> tuple[float, float, int]:
    from putright.insight import exports

    started = time.perf_counter()
    parts = exports.complaints_csv(landlord, chosen)  # type: ignore[arg-type]
    next(parts)  # the heading, sent before any row is read
    next(parts)  # the first lines of complaints
    first = time.perf_counter() - started
    size = sum(len(part) for part in parts)
    return first, time.perf_counter() - started, size


FIRST_REQUEST = """
import os, sys, time
started = time.perf_counter()
import putright.wsgi
ready = time.perf_counter() - started
from django.conf import settings
# Without collectstatic's manifest, static files go by their plain names (no template was rendered yet).
plain = {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}
settings.STORAGES = {**settings.STORAGES, "staticfiles": plain}
from django.test import Client
from putright.documents.pdf import render_pdf
client = Client()
at = time.perf_counter()
assert client.get("/api/v1/openapi.json").status_code == 200
api = time.perf_counter() - at
at = time.perf_counter()
assert client.get("/api/v1/openapi.json").status_code == 200
again = time.perf_counter() - at
at = time.perf_counter()
assert client.get("/staff/sign-in/").status_code == 200
page = time.perf_counter() - at
at = time.perf_counter()
render_pdf("core/warm.html", {})
pdf = time.perf_counter() - at
print(f"{ready:.2f} {api:.2f} {page:.2f} {pdf:.2f} {again:.2f}")
"""


def first_request(warm: bool) -> list[float]:
    environment = {**os.environ, "PUTRIGHT_WARM_START": "1" if warm else "0"}
    done = subprocess.run(  # noqa: S603 - this same Python, no shell
        [sys.executable, "-c", FIRST_REQUEST],
        cwd=REPOSITORY,
        env=environment,
        capture_output=True,
        text=True,
        timeout=300,
        check=True,
    )
    return [float(part) for part in done.stdout.split()[-5:]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100_000, help="complaints at the landlord (default 100,000)")
    parser.add_argument("--skip-warm", action="store_true", help="leave out the first-request measurement")
    args = parser.parse_args()
    bench.configure()
    loaded(args.count)
    from putright import clock
    from putright.complaints.models import Complaint
    from putright.insight import exports, jobs
    from putright.landlords.models import Landlord, StaffMember, StaffRole

    landlord = Landlord.objects.order_by("id").first()
    assert landlord is not None
    total = Complaint.objects.filter(landlord=landlord).count()
    print(bench.describe_machine())
    print(f"{total:,} complaints at {landlord.name}, {Complaint.objects.count():,} in the database")

    everything = exports.ComplaintFilter()
    for attempt in range(2):  # the first run reads the tables from disk; the second from memory
        first, whole, size = timed_csv(landlord, everything)
        print(
            f"CSV of every complaint ({'cold' if attempt == 0 else 'warm'}): first complaints after {first:.2f} s, "
            f"all {total:,} in {whole:.2f} s ({size / 1e6:.1f} MB)"
        )
    newest = Complaint.objects.filter(landlord=landlord).order_by("-received_on").values_list("received_on", flat=True)
    last = newest.first() or clock.today()
    year = exports.ComplaintFilter(received_from=date(last.year - 1, 4, 1), received_to=date(last.year, 3, 31))
    rows = exports.count_complaints(landlord, year)
    started = time.perf_counter()
    content = exports.complaints_xlsx(landlord, year)
    print(
        f"XLSX of one reporting year ({rows:,} complaints): {time.perf_counter() - started:.2f} s, "
        f"{len(content) / 1e6:.1f} MB"
    )

    officer = StaffMember.objects.filter(landlord=landlord, role=StaffRole.COMPLAINTS_OFFICER).first()
    assert officer is not None
    job = jobs.ReportJob.objects.create(
        landlord=landlord,
        requested_by_id=officer.user_id,
        requested_at=clock.now(),
        kind=jobs.ReportJob.Kind.COMPLAINTS_CSV,
        parameters="{}",
        title="Benchmark export",
        file_name="benchmark.csv",
        steps_total=total,
    )
    started = time.perf_counter()
    assert jobs.build(job.pk) == "ready"
    job.refresh_from_db()
    print(
        f"The CSV as a report job (the worker's task): {time.perf_counter() - started:.2f} s, "
        f"{job.steps_done:,} of {job.steps_total:,} counted, {job.size / 1e6:.1f} MB kept"
    )
    job.file.delete(save=False)
    job.delete()

    if not args.skip_warm:
        for warm in (False, True, False, True):
            ready, api, page, pdf, again = first_request(warm)
            print(
                f"First requests of a fresh process, {'warm start' if warm else 'no warm start'}: "
                f"start-up {ready:.2f} s; then the OpenAPI document {api:.2f} s, the sign-in page {page:.2f} s, "
                f"a PDF {pdf:.2f} s: {api + page + pdf:.2f} s in all (the OpenAPI document again: {again:.2f} s)"
            )


if __name__ == "__main__":
    main()
