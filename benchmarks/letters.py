"""Benchmark: letters and their email, from the action that issues them to the mail server.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/putright_bench .venv/bin/python benchmarks/letters.py

In a database loaded by load_complaints.py (it loads 100,000 complaints first if there are fewer),
for --letters new complaints of landlord bench-b:
- acknowledging each through the real action, which composes, checks and keeps the stage 1
  acknowledgement letter and writes its email to the outbox in the same transaction (p50, p95);
- rendering each letter's PDF with WeasyPrint, as the worker does (p50, p95);
- sending the outbox through a real SMTP server on loopback (aiosmtpd), in batches of 100
  (messages a second, one process).
No target is set by the issue; these are the figures to watch.
"""

from __future__ import annotations

import argparse
import socket
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402

LANDLORD = "bench-b"
OFFICER, HANDLER = "bnb-officer1", "bnb-handler2"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--letters", type=int, default=200)
    args = parser.parse_args()
    bench.configure()
    import load_complaints
    from aiosmtpd.controller import Controller
    from aiosmtpd.handlers import Sink
    from django.conf import settings
    from django.contrib.auth.models import User

    from putright import clock
    from putright.complaints import actions
    from putright.complaints.models import Complaint
    from putright.correspondence import rendering, sending
    from putright.correspondence.models import Letter, OutboxMessage
    from putright.landlords.models import Landlord

    print(bench.describe_machine())
    have = Complaint.objects.filter(landlord__slug__startswith="bench-").count()
    if have < 100_000:
        load_complaints.load(100_000 - have, quiet=True)
    landlord = Landlord.objects.get(slug=LANDLORD)
    officer, handler = User.objects.get(username=OFFICER), User.objects.get(username=HANDLER)
    today = clock.today()
    # Older outbox rows of earlier runs are not this run's to send.
    OutboxMessage.objects.filter(landlord=landlord, state=OutboxMessage.State.PENDING).update(
        state=OutboxMessage.State.FAILED, last_error="Left by an earlier benchmark run"
    )
    complaints = [
        actions.log_complaint(
            landlord,
            officer,
            resident=actions.ResidentDetails(name=f"Letter Reader {n}", email=f"reader{n}@example.org"),
            channel="email",
            received_on=today,
            description="The kitchen ceiling leaks whenever it rains and the repair was missed twice.",
            outcome_sought="Fix the roof and the ceiling.",
            service_area="repairs",
        )
        for n in range(args.letters)
    ]

    def acknowledge(complaint: Complaint) -> None:
        actions.acknowledge(
            complaint,
            handler,
            on=today,
            understanding="Rain comes through the kitchen ceiling and two repair visits were missed.",
            outcomes_sought="A repaired roof and ceiling.",
            points=["The roof still leaks", "Two repair visits were missed"],
            responsible_for="Roof and ceiling repairs.",
            conflict_of_interest=False,
        )

    issuing = []
    for complaint in complaints:
        started = time.perf_counter()
        acknowledge(complaint)
        issuing.append(time.perf_counter() - started)
    letters = list(Letter.objects.filter(complaint__in=complaints).values_list("pk", flat=True))
    assert len(letters) == args.letters
    pdfs = []
    for pk in letters:
        started = time.perf_counter()
        assert rendering.render_letter(pk) == "rendered"
        pdfs.append(time.perf_counter() - started)

    with socket.socket() as probe:  # a free port on loopback for the mail server
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Sink(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        started = time.perf_counter()
        report = sending.send_all_due(batch=100)
        spent = time.perf_counter() - started
    finally:
        controller.stop()
    assert report.sent == args.letters, report
    print(f"  acknowledge with its letter: {bench.summary(issuing)}")
    print(f"  render the letter's PDF: {bench.summary(pdfs)}")
    print(f"  send {report.sent} letters' emails with their PDFs: {spent:.2f} s, {report.sent / spent:.0f} a second")


if __name__ == "__main__":
    main()
