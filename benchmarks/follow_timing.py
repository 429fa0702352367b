"""Benchmark: a resident's request for a code answers a matching reference and email as fast as a pair
that matches nothing.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench .venv/bin/python benchmarks/follow_timing.py

Before, a matching pair made the code and sent its email inside the request, so it took measurably longer
than a wrong pair (and as long as the mail server took), which told anyone which references go with which
email address. Now every request counts itself against the limits and queues the same task for the
worker, which does the matching and writes the email to the outbox. This posts the follow form through
the whole Django stack in-process, 200 times for a matching pair and 200 for a wrong one, taken in turns
so that a busy moment falls on both, and prints the medians and 95th percentiles. Email goes over SMTP
to a mail server on this machine's loopback (aiosmtpd, which accepts everything at once): as fast as a
real one could be. Target: medians within 2 ms.
"""

from __future__ import annotations

import os
import socket
import statistics
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any
from unittest import mock

from aiosmtpd.controller import Controller

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

ROUNDS, WARM_UP = 200, 20
EMAIL = "bench.follow@example.org"


class Accept:
    received = 0

    async def handle_DATA(self, server: Any, session: Any, envelope: Any) -> str:  # noqa: N802 - aiosmtpd's name
        Accept.received += 1
        return "250 Message accepted for delivery"


def mail_server() -> Controller:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = Controller(Accept(), hostname="127.0.0.1", port=port)
    server.start()
    os.environ.update(EMAIL_BACKEND="django.core.mail.backends.smtp.EmailBackend", EMAIL_HOST="127.0.0.1")
    os.environ["EMAIL_PORT"] = str(port)
    return server


def main() -> None:
    server = mail_server()
    bench.configure()
    from django.contrib.auth.models import User
    from django.test import Client
    from django_tasks_db.models import DBTaskResult

    from putright import clock
    from putright.complaints import actions
    from putright.complaints.models import Complaint
    from putright.landlords.actions import adopt_policy
    from putright.landlords.models import Landlord, StaffMember, StaffRole
    from putright.portal import limits
    from putright.portal.models import AccessCode, RateCounter
    from putright.rules.policy import CODE_POLICY

    landlord, created = Landlord.objects.get_or_create(
        slug="bench-follow", defaults={"name": "Benchmark follow landlord", "reference_prefix": "BFL"}
    )
    if created:
        adopt_policy(landlord, CODE_POLICY, date(2020, 1, 1))
    handler, _ = User.objects.get_or_create(username="bench-follow-handler")
    StaffMember.objects.get_or_create(user=handler, defaults={"landlord": landlord, "role": StaffRole.HANDLER})
    complaint = Complaint.objects.filter(landlord=landlord).first() or actions.log_complaint(
        landlord,
        handler,
        resident=actions.ResidentDetails(name="Benchmark Resident", email=EMAIL),
        channel="phone",
        received_on=clock.today(),
        description="The boiler has not worked for three weeks.",
        outcome_sought="Fix the boiler.",
        service_area="repairs",
        issue_date=clock.today(),
    )
    url = f"/{landlord.slug}/follow/"

    def timed(client: Client, reference: str) -> float:
        started = time.perf_counter()
        answer = client.post(url, {"reference": reference, "email": EMAIL})
        elapsed = time.perf_counter() - started
        assert answer.status_code == 302, answer.status_code
        return elapsed

    client = Client()
    matched: list[float] = []
    unmatched: list[float] = []
    # The limits would stop the counting after a few requests: lifted here, the work of counting kept.
    with (
        mock.patch.object(limits, "CODES_PER_ADDRESS", 10**6),
        mock.patch.object(limits, "CODES_PER_PAIR", 10**6),
    ):
        for round_number in range(WARM_UP + ROUNDS):
            pair = (timed(client, complaint.reference), timed(client, "BFL-1999-99999"))
            if round_number >= WARM_UP:
                matched.append(pair[0])
                unmatched.append(pair[1])
    RateCounter.objects.filter(key__startswith="code:").delete()
    AccessCode.objects.filter(complaint=complaint).delete()
    DBTaskResult.objects.filter(task_path__endswith="send_code").delete()
    print(bench.describe_machine())
    for label, times in (("matching pair", matched), ("pair matching nothing", unmatched)):
        print(
            f"{label:22} p50 {statistics.median(times) * 1000:6.1f} ms   "
            f"p95 {bench.percentile(times, 0.95) * 1000:6.1f} ms"
        )
    print(f"difference of medians: {abs(statistics.median(matched) - statistics.median(unmatched)) * 1000:.2f} ms")
    print(f"emails the mail server received during the requests: {Accept.received}")
    server.stop()


if __name__ == "__main__":
    main()
