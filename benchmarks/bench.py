"""What every database benchmark shares: Django set up against PostgreSQL, timing, and an API client.

The scripts in this folder import this first (they run as `python benchmarks/NAME.py`, so this
folder is on the path). They need DATABASE_URL pointing at a PostgreSQL database kept for
benchmarks (putright_bench), never at a database anyone else uses.
"""

from __future__ import annotations

import os
import platform
import statistics
import sys
import time
import warnings
from collections.abc import Callable, Sequence
from typing import Any

# Benchmark settings: a fixed key (nothing here is served to anyone) and the in-process client's host.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "putright.settings")
os.environ.setdefault("SECRET_KEY", "benchmarks-only-secret-key-not-for-any-real-installation")
os.environ.setdefault("ALLOWED_HOSTS", "testserver")
os.environ.setdefault("LOG_LEVEL", "WARNING")
# WhiteNoise warns once that collectstatic has not been run: static files play no part here.
warnings.filterwarnings("ignore", message="No directory at")


def configure() -> None:
    """Set Django up, refusing anything but PostgreSQL, and bring the schema up to date."""
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "Set DATABASE_URL to the benchmark database, e.g. "
            "DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench"
        )
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def describe_machine() -> str:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        server = cursor.fetchone()[0]
    load = ", ".join(f"{n:.1f}" for n in os.getloadavg())
    return (
        f"Python {platform.python_version()}, PostgreSQL {server.split()[0]}, {os.cpu_count()} cores, "
        f"Django {__import__('django').get_version()}; load average {load} (other work on the machine skews figures)"
    )


def percentile(values: Sequence[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(run: Callable[[], Any], times: int, warm_up: int = 10) -> list[float]:
    """Seconds each of `times` calls took, after `warm_up` calls that are not counted."""
    for _ in range(warm_up):
        run()
    spent = []
    for _ in range(times):
        started = time.perf_counter()
        run()
        spent.append(time.perf_counter() - started)
    return spent


def summary(spent: Sequence[float]) -> str:
    ms = [s * 1000 for s in spent]
    return (
        f"p50 {percentile(ms, 0.5):.1f} ms, p95 {percentile(ms, 0.95):.1f} ms, "
        f"mean {statistics.fmean(ms):.1f} ms over {len(ms)}"
    )


def api_client(username: str) -> Any:
    """A django.test.Client that sends `Authorization: Bearer` with a fresh token for `username`."""
    from django.contrib.auth.models import User
    from django.test import Client

    from putright.api import tokens

    _, secret = tokens.issue(User.objects.get(username=username), "benchmark")
    return Client(HTTP_AUTHORIZATION=f"Bearer {secret}")


def count_queries(run: Callable[[], Any]) -> tuple[int, list[str]]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        run()
    return len(captured.captured_queries), [q["sql"] for q in captured.captured_queries]
