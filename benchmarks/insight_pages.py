"""Benchmark: the insight pages a complaints officer opens, at a million complaints.

    createdb -h 127.0.0.1 -U postgres putright_insight_1m
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_insight_1m \\
        .venv/bin/python benchmarks/insight_pages.py [--count 1000000] [--times 10]

Loads complaints with load_complaints.py until the database holds `--count` of them (ten
landlords, so a tenth at the measured landlord, Benchmark Housing A), or reuses what is there,
then times whole requests through Django's test client signed in as that landlord's complaints
officer (with the second factor given, as the tests do): the dashboard and the measures JSON for
the current reporting year and for the last whole one, the annual report page and PDF for the
last whole year, and the governance report page for its last quarter. Each round asks for every
page once, in turn, so that a busy moment on the machine spreads over all of them; p50 and p95
are over `--times` rounds after one round that is not counted.

Closed periods are served from the measures cache when it holds them, and the dashboard keeps the
current period's figures and the open stages there for a few minutes: each page is timed three times,
"cold" with the cache emptied before every request (every figure from SQL), "warm" (the cache
as a second visitor finds it) and "changed" (the first visitor after an everyday change: the officer
records a call on one of this year's complaints, committed, just before each request, which moves the
landlord's generation on; last year's figures stay cached, this year's are counted again). The number
of queries of each page in each mode is printed too: it must be the same at 10,000 complaints as at a
million. The database must be called putright_insight_*.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from datetime import date
from functools import partial
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

SLUG = "bench-a"
OFFICER = "bna-officer1"


def pages(today: date) -> list[tuple[str, str]]:
    from putright.insight.periods import reporting_year_of

    current = reporting_year_of(today)
    closed = current - 1
    return [
        ("dashboard, current year", f"/staff/insight/?year={current}"),
        ("dashboard, last whole year", f"/staff/insight/?year={closed}"),
        ("measures JSON, current year", f"/staff/insight/measures.json?year={current}"),
        ("measures JSON, last whole year", f"/staff/insight/measures.json?year={closed}"),
        ("annual report page", f"/staff/insight/annual/{closed}/"),
        ("annual report PDF", f"/staff/insight/annual/{closed}/report.pdf"),
        ("governance report, Q4", f"/staff/insight/governance/?year={closed}&quarter=4"),
    ]


def ensure_complaints(count: int) -> int:
    from putright.complaints.models import Complaint

    have = Complaint.objects.filter(landlord__slug__startswith="bench-").count()
    if have < count:
        import load_complaints

        print(f"Loading {count - have:,} complaints onto {have:,} (this takes minutes at a million)")
        result = load_complaints.load(count - have, workers=1, quiet=False)
        print(f"  loaded in {result['total']:.0f} s")
        have = Complaint.objects.filter(landlord__slug__startswith="bench-").count()
    return have


def worker_pdf(year: int) -> Callable[[], Any]:
    """Where the PDF is built by the worker (the page answers with a redirect to the job), the build itself:
    the annual report's figures and WeasyPrint, as putright.insight.jobs does them."""
    from putright.documents.pdf import render_pdf
    from putright.insight import reports
    from putright.landlords.models import Landlord

    landlord = Landlord.objects.get(slug=SLUG)

    def build() -> Any:
        view = reports.annual_report(landlord, year)
        return render_pdf("insight/annual/pdf.html", {"report": view}, attachments=view.attachments)

    return build


def signed_in_client() -> Any:
    from django.contrib.auth.models import User
    from django.test import Client
    from django_otp import DEVICE_ID_SESSION_KEY
    from django_otp.plugins.otp_totp.models import TOTPDevice

    officer = User.objects.get(username=OFFICER)
    device = TOTPDevice.objects.filter(user=officer, confirmed=True).first()
    if device is None:
        device = TOTPDevice.objects.create(user=officer, name="Benchmark app", confirmed=True)
    client = Client()
    client.force_login(officer)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    return client


def change_this_years_complaint() -> Callable[[], Any]:
    """An everyday change, committed as a server commits it: the officer records a phone call on an open complaint
    received this reporting year. It moves the landlord's generation on, as every action does."""
    from django.contrib.auth.models import User
    from django.utils import timezone

    from putright import clock
    from putright.complaints import actions
    from putright.complaints.models import OPEN_STATUSES, Complaint
    from putright.insight.periods import Period, reporting_year_of

    officer = User.objects.get(username=OFFICER)
    year = Period.reporting_year(reporting_year_of(clock.today()))
    complaint = (
        Complaint.objects.filter(landlord__slug=SLUG, status__in=OPEN_STATUSES, received_on__gte=year.start)
        .order_by("id")
        .first()
    )
    assert complaint is not None, "no open complaint received this year at the measured landlord"

    def change() -> Any:
        return actions.record_contact(
            Complaint.objects.get(pk=complaint.pk),
            officer,
            actions.ContactInput(
                kind="call-out",
                happened_at=timezone.now(),
                with_whom="resident",
                summary="Rang the resident: the contractor comes on Friday.",
            ),
        )

    return change


def empty_cache() -> None:
    from django.core.cache import caches

    caches["insight"].clear()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1_000_000, help="complaints the database should hold")
    parser.add_argument("--times", type=int, default=10, help="rounds timed (default 10)")
    parser.add_argument(
        "--modes",
        default="cold,warm,changed",
        help="cold (cache emptied), warm (cache kept), changed (a change to this year's complaints just before): "
        "any of them, by commas (default all three)",
    )
    args = parser.parse_args()
    name = os.environ.get("DATABASE_URL", "").rstrip("/").rsplit("/", 1)[-1]
    if not name.startswith("putright_insight_"):
        sys.exit("Set DATABASE_URL to a database called putright_insight_* (e.g. putright_insight_1m)")
    bench.configure()
    from django.conf import settings
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from putright import clock
    from putright.complaints.models import Complaint

    # Pages link their stylesheets by the manifest collectstatic writes; static files play no part here.
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    total = ensure_complaints(args.count)
    at_landlord = Complaint.objects.filter(landlord__slug=SLUG).count()
    print(bench.describe_machine())
    print(f"{total:,} complaints, {at_landlord:,} at {SLUG}; {args.times} rounds after one not counted")
    client = signed_in_client()
    asked: list[tuple[str, Callable[[], Any]]] = []
    for label, url in pages(clock.today()):
        response = client.get(url)
        # A PDF is built by the worker: its address answers with the job (302) or with a page whose button starts
        # one (200, HTML): either way, what is timed is the build itself.
        built_by_worker = response.status_code == 302 or not response.get("Content-Type", "").startswith(
            "application/pdf"
        )
        if url.endswith(".pdf") and response.status_code in (200, 302) and built_by_worker:
            label, run = f"{label} (built by the worker)", worker_pdf(int(url.split("/")[-2]))
        elif response.status_code != 200:
            sys.exit(f"{label}: {url} answered {response.status_code}")
        else:
            run = partial(client.get, url)
        asked.append((label, run))

    # Queries of each page with the cache emptied, then asked again at once (the cache as a second visitor finds
    # it), then again after a change.
    change = change_this_years_complaint()
    queries: dict[str, dict[str, int]] = {"cold": {}, "warm": {}, "changed": {}}
    for label, run in asked:
        empty_cache()
        for mode in ("cold", "warm", "changed"):
            if mode == "changed":
                change()
            with CaptureQueriesContext(connection) as captured:
                run()
            queries[mode][label] = len(captured.captured_queries)

    for mode in args.modes.split(","):
        spent: dict[str, list[float]] = {label: [] for label, _ in asked}
        for round_ in range(args.times + 1):
            for label, run in asked:
                if mode == "cold":
                    empty_cache()
                elif mode == "changed":
                    change()
                started = time.perf_counter()
                run()
                if round_:
                    spent[label].append(time.perf_counter() - started)
        described = {
            "cold": "cache emptied before every request",
            "warm": "cache kept between requests",
            "changed": "cache kept, and a call recorded on one of this year's complaints just before every request",
        }
        print(f"\n{mode}: {described[mode]}")
        print(f"| page | p50 | p95 | queries ({total:,} complaints) |")
        print("|---|---|---|---|")
        for label, _ in asked:
            times = spent[label]
            print(
                f"| {label} | {bench.percentile(times, 0.5) * 1000:,.0f} ms | "
                f"{bench.percentile(times, 0.95) * 1000:,.0f} ms | {queries[mode][label]} |"
            )
    print("\n" + bench.describe_machine())


if __name__ == "__main__":
    main()
