"""Benchmark: the resident's final submit on the portal (check your answers, then "Send"), through the whole stack.

    createdb -h 127.0.0.1 -U postgres putright_bench
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench \\
        .venv/bin/python benchmarks/portal_submit.py [--count 100] [--profile]

Each submit is a fresh resident (their own email and address, so the rate limits count each once): the
journey's pages are answered through Django's test client, then only the final POST is timed: the
rate limits, the reference counter's lock, the complaint, its first stage, the submission token, the
acknowledgement email queued and the redirect to the confirmation. Target (issue 22): median under 20 ms.
Every complaint it makes is deleted again at the end. --profile prints where the time of 30 submits goes.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import re
import statistics
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

ANSWERS: list[tuple[str, dict[str, Any]]] = [
    ("what-you-want", {"kind": "complaint"}),
    ("who", {"who": "self"}),
    ("contact", {"name": "Rosa Resident", "email": "EMAIL", "phone": "07700 900123", "address": ""}),
    ("contact-preference", {"preferred_contact": "email"}),
    ("what-happened", {"description": "The boiler has not worked for three weeks."}),
    ("when", {"issue_date_0": "2", "issue_date_1": "6", "issue_date_2": "2025"}),
    ("outcome", {"outcome_sought": "Fix the boiler"}),
    ("service", {"service_area": "repairs"}),
    ("documents", {"action": "continue"}),
    ("help", {"adjustments": ["large-print"], "adjustment_detail": "Call after 2pm"}),
]


def prepared(base: str, n: int) -> tuple[Any, str]:
    """A client that has answered every page as resident n, and its submission token."""
    from django.test import Client

    address = f"10.{n // 65536 % 256}.{n // 256 % 256}.{n % 256}"
    client = Client(REMOTE_ADDR=address)
    for page, data in ANSWERS:
        if page == "contact":
            data = {**data, "email": f"resident{n}@bench.example"}
        response = client.post(f"{base}/complain/{page}/", data)
        assert response.status_code == 302, (page, response.status_code, response.content.decode()[:2000])
    check = client.get(f"{base}/complain/check-your-answers/")
    found = re.search(r'name="token" value="([^"]+)"', check.content.decode())
    assert found, check.content.decode()[:2000]
    return client, found.group(1)


def submit(client: Any, base: str, token: str) -> None:
    response = client.post(f"{base}/complain/check-your-answers/", {"token": token})
    assert response.status_code == 302 and response["Location"].endswith("/complain/sent/"), response.status_code


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=100, help="submits timed (after 10 not counted)")
    parser.add_argument("--profile", action="store_true", help="profile 30 submits instead of timing")
    args = parser.parse_args()
    bench.configure()
    from django.conf import settings
    from django.test import override_settings

    override_settings(
        # Nothing is sent; and without collectstatic's manifest, static files go by their plain names.
        TASKS={"default": {"BACKEND": "django_tasks.backends.dummy.DummyBackend"}},
        STORAGES={
            **settings.STORAGES,
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    ).enable()
    from putright.complaints.models import Complaint
    from putright.landlords.models import Landlord

    landlord = Landlord.objects.order_by("id").first()
    assert landlord is not None, "Load complaints first (benchmarks/load_complaints.py)"
    base = f"/{landlord.slug}"
    before = Complaint.objects.order_by("-id").values_list("id", flat=True).first() or 0
    print(bench.describe_machine())
    started = time.time()
    n = int(started) % 1_000_000 * 1000  # fresh residents on every run
    try:
        if args.profile:
            ready = [prepared(base, n + i) for i in range(30)]
            profile = cProfile.Profile()
            profile.enable()
            for client, token in ready:
                submit(client, base, token)
            profile.disable()
            out = io.StringIO()
            pstats.Stats(profile, stream=out).sort_stats("cumulative").print_stats("putright", 40)
            print(out.getvalue())
            return
        spent = []
        for i in range(10 + args.count):
            client, token = prepared(base, n + i)
            at = time.perf_counter()
            submit(client, base, token)
            if i >= 10:
                spent.append(time.perf_counter() - at)
        ms = sorted(s * 1000 for s in spent)
        print(
            f"Final submit, {len(ms)} residents: median {statistics.median(ms):.1f} ms, "
            f"p95 {bench.percentile(ms, 0.95):.1f} ms, fastest {ms[0]:.1f} ms"
        )
    finally:
        made = Complaint.objects.filter(landlord=landlord, id__gt=before)
        remove(made)


def remove(made: Any) -> None:
    """Take the benchmark's complaints out again, with everything made with them."""
    from django.db import connection, transaction

    ids = list(made.values_list("id", flat=True))
    people = list(made.values_list("person_id", flat=True))
    if not ids:
        return
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        from django.apps import apps

        complaint = apps.get_model("complaints", "Complaint")
        for related in complaint._meta.related_objects:
            if related.one_to_many or related.one_to_one:
                model = related.related_model
                if model._meta.db_table.startswith(("complaints_stage",)):
                    continue
        from django.db.models.deletion import Collector

        collector = Collector(using="default")
        collector.collect(list(complaint.objects.filter(id__in=ids)))
        collector.delete()
        apps.get_model("people", "Person").objects.filter(id__in=people, complaints__isnull=True).delete()


if __name__ == "__main__":
    main()
