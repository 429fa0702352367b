"""Benchmark: building the evidence bundle of a complaint with 100 events and 20 documents.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h_bundle_bench .venv/bin/python benchmarks/evidence_bundle.py

The complaint is made through the real actions the first time (logged, assigned, acknowledged,
responded, escalated to stage 2, acknowledged and responded again: four letters and their emails;
an Ombudsman case opened; 20 documents of 250 KB attached; 5 emails out and 5 in, each reply with
an attachment; evidence requests until the timeline holds 100 events). Its letters are left for the
worker to render, so the bundle renders all four: the slowest case. Each run builds a new version
with the worker's task (run in this process) and reports its time; the request's check that
something is new is skipped, as it is no part of the build. Target: the median under 10 s.
"""

from __future__ import annotations

import argparse
import io
import os
import statistics
import sys
import time
import zipfile
from datetime import date, timedelta
from email.message import EmailMessage
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import bench  # noqa: E402
from django.db import transaction  # noqa: E402

LANDLORD = "bench-bundle"
MARKER = "Benchmark: a complaint with its whole record for the Ombudsman."
EVENTS, DOCUMENTS, EMAILS = 100, 20, 5
DOCUMENT_SIZE = 250_000
MEDIA = Path(__file__).resolve().parent.parent / "var" / "bench-media" / "evidence-bundle"


@transaction.atomic
def the_complaint() -> int:
    """The id of the Ombudsman case on the benchmark's complaint, made the first time."""
    from django.contrib.auth.models import User
    from django.core.files.base import ContentFile

    from putright import clock
    from putright.complaints import actions
    from putright.complaints.models import Complaint, Event
    from putright.correspondence import inbound, outbox
    from putright.correspondence.models import LetterStyle, OutboxMessage
    from putright.documents.models import Attachment
    from putright.landlords.actions import adopt_policy
    from putright.landlords.models import Landlord, StaffMember, StaffRole
    from putright.ombudsman import actions as ombudsman_actions
    from putright.ombudsman.models import OmbudsmanCase
    from putright.rules.policy import load_policy

    existing = OmbudsmanCase.objects.filter(complaint__description=MARKER).first()
    if existing is not None:
        return existing.pk
    landlord = Landlord.objects.create(slug=LANDLORD, name="Bench Bundle Homes", reference_prefix="BBH")
    policies = Path(__file__).resolve().parent.parent / "examples" / "policies"
    adopt_policy(landlord, load_policy(policies / "code-2024.toml"), date(2020, 1, 1))
    LetterStyle.objects.create(landlord=landlord, email="complaints@bundle.example.org")

    def member(username: str, role: str) -> User:
        user = User.objects.create_user(username, f"{username}@example.org", None, first_name=username.title())
        StaffMember.objects.create(user=user, landlord=landlord, role=role)
        return user

    officer = member("bbh-officer", StaffRole.COMPLAINTS_OFFICER)
    handler = member("bbh-handler", StaffRole.HANDLER)
    reviewer = member("bbh-reviewer", StaffRole.REVIEWER)
    today = clock.today()
    start = today - timedelta(days=60)
    complaint = actions.log_complaint(
        landlord,
        officer,
        resident=actions.ResidentDetails(name="Bea Bundle", email="bea@example.org"),
        channel="email",
        received_on=start,
        description=MARKER,
        outcome_sought="A dry home and compensation.",
        service_area="repairs",
    )
    complaint = actions.assign_handler(complaint, officer, handler=handler, conflict_of_interest=False)
    definition = {
        "understanding": "Damp in the bedroom has returned three times since the first repair.",
        "outcomes_sought": "A lasting repair and compensation for damaged belongings.",
        "points": ["The damp repair failed three times", "Nobody replied to two emails"],
        "responsible_for": "The repairs and our replies.",
        "not_responsible_for": "The resident's contents insurance.",
        "conflict_of_interest": False,
    }
    complaint = actions.acknowledge(complaint, handler, on=start + timedelta(days=1), **definition)  # type: ignore[arg-type]
    decisions = [
        actions.PointDecisionInput(1, "upheld", "The repair did not last."),
        actions.PointDecisionInput(2, "upheld", "Two emails went unanswered."),
    ]
    remedies = [actions.RemedyInput("apology", "We apologise for the failed repairs.")]
    complaint = actions.respond(
        complaint, handler, on=start + timedelta(days=8), decisions=decisions, remedies=remedies
    )
    complaint = actions.escalate(
        complaint, handler, requested_on=start + timedelta(days=10), reason="The repair still fails."
    )
    complaint = actions.assign_handler(complaint, officer, handler=reviewer, conflict_of_interest=False)
    complaint = actions.acknowledge(complaint, reviewer, on=start + timedelta(days=11), **definition)  # type: ignore[arg-type]
    complaint = actions.respond(
        complaint, reviewer, on=start + timedelta(days=20), decisions=decisions, remedies=remedies
    )
    for number in range(1, DOCUMENTS + 1):
        complaint = Complaint.objects.get(pk=complaint.pk)
        name = f"damp-photo-{number:02d}.jpg"
        event = actions.attach_file(
            complaint, handler, name=name, content_type="image/jpeg", size=DOCUMENT_SIZE, description=name
        )
        Attachment.objects.create(
            complaint=complaint,
            event=event,
            file=ContentFile(os.urandom(DOCUMENT_SIZE), name=name),  # a photo hardly compresses
            name=name,
            content_type="image/jpeg",
            size=DOCUMENT_SIZE,
            description=name,
            uploaded_by=handler,
            uploaded_at=event.at,
        )
    for number in range(1, EMAILS + 1):
        outbox.queue(
            landlord=landlord,
            kind=OutboxMessage.Kind.LETTER,
            to_address="bea@example.org",
            subject=f"Your repair, update {number}",
            body="Dear Bea,\n\nThe surveyor will call next week.\n" * 20,
            complaint=complaint,
        )
        reply = EmailMessage()
        reply["From"] = "Bea Bundle <bea@example.org>"
        reply["To"] = outbox.reply_address(complaint)
        reply["Subject"] = f"Re: Your repair, update {number}"
        reply["Message-ID"] = f"<bench-bundle-{number}@mail.example>"
        reply.set_content("The damp is back again.\n" * 20)
        reply.add_attachment(os.urandom(100_000), maintype="image", subtype="jpeg", filename=f"reply-{number}.jpg")
        inbound.receive(reply.as_bytes())
    case = ombudsman_actions.open_case(complaint, officer, reference="202499999", enquiry_received_on=today)
    asked = 0
    while Event.objects.filter(complaint=complaint).count() < EVENTS:
        asked += 1
        ombudsman_actions.request_evidence(case, officer, what=f"Evidence item {asked}", requested_on=today)
    return case.pk


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    bench.configure()

    from django.test import override_settings

    from putright.bundles import build
    from putright.complaints.models import Event
    from putright.correspondence import tasks as correspondence_tasks
    from putright.ombudsman.models import EvidenceBundle, OmbudsmanCase

    print(bench.describe_machine())
    # The benchmark's own media folder, kept between runs with the complaint's documents.
    with override_settings(MEDIA_ROOT=MEDIA):
        with correspondence_tasks.wake_ups_held():
            case = OmbudsmanCase.objects.select_related("complaint").get(pk=the_complaint())
        complaint = case.complaint
        EvidenceBundle.objects.filter(case=case).delete()
        Event.objects.filter(complaint=complaint, kind=build.BUILT).delete()
        events = Event.objects.filter(complaint=complaint).count()
        print(f"complaint {complaint.reference}: {events} events, {build.count_files(complaint)} files to gather")
        spent, sizes, files = [], [], []
        for run in range(1, options.runs + 1):
            bundle = EvidenceBundle.objects.create(
                case=case,
                version=run,
                requested_by=case.opened_by,
                requested_at=case.opened_at,
                files_total=build.count_files(complaint),
            )
            started = time.perf_counter()
            assert build.build(bundle.pk) == "ready"
            spent.append(time.perf_counter() - started)
            bundle.refresh_from_db()
            with bundle.file.open("rb") as stored:
                names = zipfile.ZipFile(io.BytesIO(stored.read())).namelist()
            sizes.append(bundle.size)
            files.append(len(names))
            print(f"  run {run}: {spent[-1]:.2f} s, {len(names)} files, {bundle.size / 1e6:.1f} MB")
        print(
            f"median of {options.runs}: {statistics.median(spent):.2f} s; {files[-1]} files, "
            f"{sizes[-1] / 1e6:.1f} MB (target: under 10 s)"
        )


if __name__ == "__main__":
    main()
