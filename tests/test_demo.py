"""`putright demo`: staff, residents and complaints in every state, made through the real actions, with
a history that looks managed and leaves the worker only today's work; and the history's letters,
rendered when someone first opens one."""

from __future__ import annotations

import random
import tempfile
import threading
from datetime import date, datetime, time
from io import StringIO
from pathlib import Path
from zoneinfo import ZoneInfo

import time_machine
from django.contrib.auth.models import User
from django.core.management import call_command
from django.db import connection
from django.db.models import Count, F, Q
from django.test import Client, TestCase, TransactionTestCase, override_settings
from django.urls import reverse
from django.utils import timezone
from django_tasks import default_task_backend

from putright.complaints.independence import independent_at_stage2
from putright.complaints.models import (
    OPEN_STATUSES,
    Complaint,
    DefinitionPoint,
    Event,
    Extension,
    OutstandingAction,
    Remedy,
    Stage,
    Status,
)
from putright.complaints.policies import policy_for
from putright.correspondence.models import Letter, OutboxMessage
from putright.demo import load, scenarios, wording
from putright.landlords.calendars import policy_in_force, working_calendar
from putright.landlords.models import HomesCount, Landlord, StaffMember, StaffRole
from putright.people.models import Person, ReasonableAdjustment, Representative, Vulnerability
from putright.rules.policy import CODE_GROUNDS, CODE_POLICY, OUT_OF_TIME
from putright.rules.timescales import acceptance_check
from tests.cast import Cast, acknowledge, log, make_cast
from tests.conftest import needs_postgresql
from tests.portal_support import BASE, follow, make_complaint
from tests.test_api_auth import ApiTestCase

LONDON = ZoneInfo("Europe/London")
# A Wednesday, so that something can be due today.
DEMO_DAY = datetime(2026, 3, 11, 15, 30, tzinfo=LONDON)
COMPLAINTS = 48
# A well-run landlord: a few things a little late, none forgotten.
MOST_OVERDUE = 10  # working days
MOST_OVERDUE_SHARE = 0.25


def demo(*args: str) -> str:
    out = StringIO()
    call_command("demo", "--complaints", str(COMPLAINTS), *args, stdout=out)
    return out.getvalue()


def due_dates() -> list[tuple[int, date, str]]:
    """(landlord, date, what) for everything open that is due by a date: a complaint's next deadline,
    the next update agreed with the resident (5.9), an outstanding action, a remedy not yet delivered."""
    sources = {
        "deadline": Complaint.objects.filter(status__in=OPEN_STATUSES).values_list("landlord_id", "next_due"),
        "update": Stage.objects.filter(complaint__status__in=OPEN_STATUSES, number=F("complaint__stage")).values_list(
            "complaint__landlord_id", "next_update_due"
        ),
        "action": OutstandingAction.objects.filter(completed_on=None).values_list("complaint__landlord_id", "due_on"),
        "remedy": Remedy.objects.filter(state__in=(Remedy.State.OFFERED, Remedy.State.AGREED)).values_list(
            "stage__complaint__landlord_id", "due_on"
        ),
    }
    return [(landlord, day, what) for what, rows in sources.items() for landlord, day in rows if day is not None]


def totals() -> dict[str, int]:
    return {
        model.__name__: model.objects.count()
        for model in (Landlord, User, StaffMember, HomesCount, Person, Complaint, Stage, Event, Remedy)
    }


@time_machine.travel(DEMO_DAY, tick=False)
class DemoDataTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        default_task_backend.clear()  # type: ignore[attr-defined]  # the tests' DummyBackend keeps what is queued
        cls.output = demo()
        cls.tasks_queued = len(default_task_backend.results)  # type: ignore[attr-defined]
        cls.today = timezone.localdate()

    def test_every_status_appears(self) -> None:
        statuses = set(Complaint.objects.values_list("status", flat=True))
        assert statuses == set(Status.values), set(Status.values) - statuses

    def test_the_number_of_complaints_is_the_number_asked_for(self) -> None:
        # A new issue raised on an open complaint may be logged as a further, linked complaint (6.8).
        unlinked = Complaint.objects.filter(related_to__isnull=True).count()
        assert COMPLAINTS - 2 <= unlinked <= COMPLAINTS + 2
        assert f"({Complaint.objects.count()} in all" in self.output

    def test_the_persons_side_is_there_to_see(self) -> None:
        # 5.12, 5.14, 5.15 and Medway 5.10.17: each landlord shows contacts on the record, a restriction in
        # force with its letter and one awaiting a decision, and complaints with no name or only a phone.
        from putright.correspondence.models import ContactRecord, Letter
        from putright.people.models import ContactRestriction, Person

        for landlord in Landlord.objects.all():
            restrictions = ContactRestriction.objects.filter(person__landlord=landlord)
            assert sorted(restrictions.values_list("state", flat=True)) == ["in-force", "proposed"]
            assert Letter.objects.filter(landlord=landlord, letter_type="contact-restriction").count() == 1
            assert ContactRecord.objects.filter(complaint__landlord=landlord).exists()
            assert Person.objects.filter(landlord=landlord, anonymous=True).count() == 1
            phone_only = Person.objects.get(landlord=landlord, name="Pat Morgan")
            assert phone_only.email == "" and phone_only.address == "" and phone_only.preferred_contact == "phone"

    def test_each_landlord_has_staff_in_every_role_and_three_years_of_homes(self) -> None:
        for landlord in Landlord.objects.all():
            roles = set(StaffMember.objects.filter(landlord=landlord).values_list("role", flat=True))
            assert roles == set(StaffRole.values)
            assert HomesCount.objects.filter(landlord=landlord).count() == 3
            assert Complaint.objects.filter(landlord=landlord).exists()
        assert User.objects.get(username="ash-handler1").check_password("putright-demo")
        assert "ash-handler1" in self.output and "putright-demo" in self.output

    def test_residents_are_invented_with_needs_and_representatives(self) -> None:
        emails = [e for e in Person.objects.values_list("email", flat=True) if e]
        assert emails and all(e.endswith(("@example.org", "@example.com")) for e in emails)
        assert Vulnerability.objects.exists() and ReasonableAdjustment.objects.exists()
        relationships = set(Representative.objects.values_list("relationship", flat=True))
        assert {"councillor", "mp"} <= relationships
        assert not Representative.objects.filter(relationship__in=["councillor", "mp"]).exclude(authority="presumed")

    def test_deadlines_today_soon_and_overdue(self) -> None:
        open_complaints = Complaint.objects.filter(status__in=OPEN_STATUSES)
        assert open_complaints.filter(next_due=self.today).exists()
        soon = working_calendar(Landlord.objects.first()).add_working_days(self.today, 2)  # type: ignore[arg-type]
        assert open_complaints.filter(next_due__gt=self.today, next_due__lte=soon).exists()
        assert open_complaints.filter(next_due__lt=self.today).exists()

    def test_extensions_escalations_remedies_and_actions_are_shown(self) -> None:
        assert Extension.objects.exclude(good_reason="").exists()
        assert Complaint.objects.filter(status=Status.STAGE2_OPEN, next_due_kind="acknowledge").exists()
        assert Complaint.objects.filter(escalation_refused=True, status=Status.CLOSED).exists()
        assert Complaint.objects.exclude(ombudsman_referred_on=None).exists()
        financial = Remedy.objects.filter(kind=Remedy.Kind.FINANCIAL, stage__complaint__status=Status.CLOSED)
        assert financial.filter(amount_time_and_trouble__gt=0).exists()
        assert OutstandingAction.objects.filter(completed_on=None, complaint__status=Status.CLOSED).exists()
        assert Complaint.objects.filter(inside_acceptance_window=False).exclude(discretion_note="").exists()

    def test_history_is_dated_in_the_past_in_order(self) -> None:
        now = timezone.now()
        assert not Event.objects.filter(at__gt=now).exists()
        assert Complaint.objects.filter(received_on__lt=self.today.replace(year=self.today.year - 1)).exists()
        for complaint in Complaint.objects.prefetch_related("events"):
            times = [event.at for event in complaint.events.all().order_by("id")]
            assert times == sorted(times), complaint.reference
            assert timezone.localdate(times[0]) == complaint.received_on

    def test_no_code_rule_is_broken(self) -> None:
        # Every acknowledged stage has a complaint definition with points to answer (5.6).
        acknowledged = Stage.objects.exclude(acknowledged_on=None)
        assert not acknowledged.filter(understanding="").exists()
        assert not acknowledged.annotate(n=Count("points")).filter(n=0).exists()
        # Every response answers every point with reasons, and gives the route onwards (6.7, 6.9, 6.18, 6.19).
        responded = DefinitionPoint.objects.filter(stage__responded_on__isnull=False)
        assert not responded.filter(decision="").exists() and not responded.filter(reasons="").exists()
        assert not Stage.objects.exclude(responded_on=None).filter(escalation_route="").exists()
        # Stage 2 is never considered by anyone who considered stage 1 (6.13).
        with_stage2 = Stage.objects.filter(number=2).values_list("complaint_id", flat=True)
        assert all(independent_at_stage2(with_stage2).values())
        # The landlords run under the floor: nothing refused as out of time inside the Code's 12 months of
        # receipt (2.3), and every refusal on a ground of the landlord's own has its review recorded (2.2, 2.5).
        refused = Complaint.objects.filter(Q(status=Status.NOT_ACCEPTED) | Q(escalation_refused=True))
        assert refused.exists()
        for complaint in refused:
            if complaint.refusal_ground == OUT_OF_TIME:
                assert complaint.issue_date is not None
                assert not acceptance_check(CODE_POLICY, complaint.issue_date, complaint.received_on).inside
            if complaint.refusal_ground not in CODE_GROUNDS:
                kinds = ("not-accepted", "escalation-refused")
                summary = complaint.events.filter(kind__in=kinds).values_list("summary", flat=True).get()
                assert "Ground reviewed (2.2, 2.5)" in summary, complaint.reference
        # Extensions beyond the policy's cap carry a good reason (6.4, 6.15).
        for stage in Stage.objects.filter(extension_days__gt=0).select_related("complaint"):
            cap = policy_for(stage.complaint).stage(stage.number).extension_cap_days
            total = 0
            for extension in stage.extensions.order_by("id"):
                total += extension.days
                assert total <= cap or extension.good_reason, stage
        # Nothing is closed while a remedy is only offered; every refusal has a ground from the policy.
        assert not Remedy.objects.filter(stage__complaint__status=Status.CLOSED, state=Remedy.State.OFFERED).exists()
        for complaint in Complaint.objects.filter(status=Status.NOT_ACCEPTED):
            assert policy_for(complaint).exclusion_label(complaint.refusal_ground), complaint
        # Stored deadlines agree with the open stage.
        for complaint in Complaint.objects.filter(status__in=OPEN_STATUSES):
            stage = complaint.stages.get(number=complaint.stage)
            expected = stage.acknowledge_due if stage.acknowledged_on is None else stage.response_due
            assert complaint.next_due == expected
        # Most responses are on time, some are late.
        stages = Stage.objects.exclude(responded_on=None)
        late = stages.filter(responded_on__gt=F("response_due")).count()
        assert 0 < late < stages.count() / 2

    def test_each_landlord_is_loaded_behind_a_progress_bar_with_counts(self) -> None:
        planned = [line for line in self.output.splitlines() if line.startswith(("Ashford ", "Medway ", "Cheshire "))]
        assert len(planned) == 3, self.output
        bar = planned[0]
        assert bar.startswith("Ashford        [" + "#" * 30 + "] ") and " complaints, " in bar and bar.endswith(" s")

    def test_nothing_open_falls_due_on_a_day_its_landlord_is_closed(self) -> None:
        calendars = {landlord.pk: working_calendar(landlord) for landlord in Landlord.objects.all()}
        rows = due_dates()
        assert {what for _, _, what in rows} == {"deadline", "update", "action", "remedy"}, rows
        closed = [(what, day) for landlord, day, what in rows if not calendars[landlord].is_working_day(day)]
        assert not closed

    def test_a_few_things_are_overdue_and_none_by_much(self) -> None:
        calendars = {landlord.pk: working_calendar(landlord) for landlord in Landlord.objects.all()}
        rows = due_dates()
        late = [
            calendars[landlord].working_days_between(day, self.today) for landlord, day, _ in rows if day < self.today
        ]
        assert late, "the demo shows something overdue"
        assert len(late) <= MOST_OVERDUE_SHARE * len(rows), (len(late), len(rows))
        assert max(late) <= MOST_OVERDUE, sorted(late)

    def test_the_history_leaves_the_worker_only_todays_letters_and_email(self) -> None:
        start_of_today = datetime.combine(self.today, time.min, tzinfo=LONDON)
        waiting = Letter.objects.filter(rendering=Letter.Rendering.QUEUED)
        pending = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING)
        assert not waiting.filter(issued_at__lt=start_of_today).exists()
        assert not pending.filter(created_at__lt=start_of_today).exists()
        assert waiting.count() + pending.count() <= 20
        # The rest is history: each letter rendered when first opened, each email sent when written.
        assert Letter.objects.filter(rendering=Letter.Rendering.ON_OPEN).count() > Complaint.objects.count()
        sent = OutboxMessage.objects.filter(state=OutboxMessage.State.SENT)
        assert sent.count() > Complaint.objects.count()
        assert not sent.exclude(sent_at=F("created_at")).exists()
        # One task for each of today's letters and one wake-up of the sender per landlord, at most.
        assert self.tasks_queued <= waiting.count() + Landlord.objects.count()

    def test_a_letter_of_the_history_is_rendered_when_first_opened_and_only_then(self) -> None:
        letter = Letter.objects.filter(rendering=Letter.Rendering.ON_OPEN).select_related("complaint").first()
        assert letter is not None
        self.client.force_login(User.objects.get(username=f"{letter.complaint.reference[:3].lower()}-officer1"))
        path = reverse("workspace:complaint-letter-pdf", args=[letter.complaint.reference, letter.pk])
        first = self.client.get(path)
        assert first.status_code == 200 and first["Content-Type"] == "application/pdf"
        content = b"".join(first.streaming_content)  # type: ignore[attr-defined]
        assert content.startswith(b"%PDF")
        letter.refresh_from_db()
        assert letter.rendering == Letter.Rendering.READY and letter.render_attempts == 1
        again = self.client.get(path)
        assert b"".join(again.streaming_content) == content  # type: ignore[attr-defined]
        letter.refresh_from_db()
        assert letter.render_attempts == 1

    def test_running_it_again_changes_nothing(self) -> None:
        before = totals()
        output = demo()
        assert totals() == before
        assert "Ashford        kept: it already has complaints." in output

    def test_the_same_seed_plans_the_same_complaints(self) -> None:
        landlord = Landlord.objects.get(slug="medway")
        residents = list(Person.objects.filter(landlord=landlord))
        policy, calendar = policy_in_force(landlord, self.today), working_calendar(landlord)

        def plan(seed: str) -> list[scenarios.Scenario]:
            rng = random.Random(seed)
            fixed = scenarios.forced_scenarios(rng, policy, calendar, self.today, residents)
            return fixed + [scenarios.random_scenario(rng, policy, calendar, residents, self.today) for _ in range(50)]

        assert plan("1:medway") == plan("1:medway")
        assert plan("1:medway") != plan("2:medway")


class WordingTests(TestCase):
    def test_findings_become_a_residents_subject(self) -> None:
        cases = {
            "The landlord’s handling of the resident’s reports of damp and mould": "{my} reports of damp and mould",
            "Reports of noise disturbance.": "reports of noise disturbance",
            "In accordance with paragraph 52 of the Scheme, there was maladministration in the landlord’s handling "
            "of repairs to the boiler": "repairs to the boiler",
            "Maladministration in the landlord’s complaint handling.": None,
            "The landlord’s response to the resident’s concerns about the windows": "{my} concerns about the windows",
        }
        for finding, subject in cases.items():
            assert wording.subject_from_finding(finding) == subject, finding

    def test_without_the_shared_data_the_built_in_wording_is_used(self) -> None:
        with tempfile.TemporaryDirectory() as empty:
            subjects = wording.subjects_by_area(Path(empty))
        assert all(subjects[area] for area in subjects)
        assert subjects["repairs"][0] == wording.BUILT_IN_SUBJECTS["repairs"][0]


# -- letters kept as history, rendered when first opened -------------------------------------------

ISSUED = date(2025, 6, 16)  # a Monday: the letter is issued, and the next day it is history
NEXT_DAY = datetime(2025, 6, 17, 10, 0, tzinfo=LONDON)


def kept_as_history(letter: Letter) -> Letter:
    """The letter settled as the demo settles its history the next day: to be rendered when first opened."""
    with time_machine.travel(NEXT_DAY, tick=False):
        settled = load.settle_history(letter.landlord, NEXT_DAY.date())
    assert settled.letters >= 1
    letter.refresh_from_db()
    assert letter.rendering == Letter.Rendering.ON_OPEN
    return letter


class LettersKeptAsHistoryTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def letter(self) -> Letter:
        with time_machine.travel(datetime.combine(ISSUED, time(11), tzinfo=LONDON), tick=False):
            complaint = acknowledge(self.cast, log(self.cast, ISSUED), ISSUED)
        return kept_as_history(Letter.objects.get(complaint=complaint))

    def test_a_resident_opening_one_in_the_portal_gets_its_pdf(self) -> None:
        with time_machine.travel(datetime.combine(ISSUED, time(11), tzinfo=LONDON), tick=False):
            complaint = make_complaint(self.client)
            acknowledge(self.cast, complaint, ISSUED)
        letter = kept_as_history(Letter.objects.get(complaint=complaint))
        with time_machine.travel(NEXT_DAY, tick=False):
            follow(self.client, complaint.reference)
            page = self.client.get(f"{BASE}/your-complaint/").content.decode()
            url = f"{BASE}/your-complaint/letters/{letter.pk}/"
            assert url in page and "Being prepared" not in page
            response = self.client.get(url)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        letter.refresh_from_db()
        assert letter.rendering == Letter.Rendering.READY
        with letter.pdf.open("rb") as stored:
            assert b"".join(response.streaming_content) == stored.read()  # type: ignore[attr-defined]

    def test_staff_see_a_link_to_its_pdf_not_a_wait(self) -> None:
        letter = self.letter()
        self.client.force_login(self.cast.handler)
        html = self.client.get(reverse("workspace:complaint", args=[letter.complaint.reference])).content.decode()
        assert reverse("workspace:complaint-letter-pdf", args=[letter.complaint.reference, letter.pk]) in html
        assert "PDF being prepared" not in html

    def test_one_that_cannot_be_rendered_now_is_handed_to_the_worker(self) -> None:
        letter = self.letter()
        self.client.force_login(self.cast.handler)
        default_task_backend.clear()  # type: ignore[attr-defined]
        # A real failure: the PDF cannot be stored (nothing can be made under /proc, even by root).
        with override_settings(MEDIA_ROOT="/proc/putright-cannot-store-here"):
            response = self.client.get(
                reverse("workspace:complaint-letter-pdf", args=[letter.complaint.reference, letter.pk])
            )
        assert response.status_code == 409 and "The PDF is being prepared" in response.content.decode()
        letter.refresh_from_db()
        assert letter.rendering == Letter.Rendering.QUEUED and letter.render_attempts == 1 and letter.render_error
        assert [result.args for result in default_task_backend.results] == [[letter.pk]]  # type: ignore[attr-defined]


class HistoricLetterApiTests(ApiTestCase):
    def test_the_api_renders_one_when_first_asked_for_its_pdf(self) -> None:
        with time_machine.travel(datetime.combine(ISSUED, time(11), tzinfo=LONDON), tick=False):
            complaint = acknowledge(self.cast, log(self.cast, ISSUED), ISSUED)
        letter = kept_as_history(Letter.objects.get(complaint=complaint))
        [listed] = self.get(f"/complaints/{complaint.reference}/letters").json()
        assert listed["rendering"] == "on-open" and listed["pdf_sha256"] is None
        response = self.get(f"/complaints/{complaint.reference}/letters/{letter.pk}/pdf")
        assert response.status_code == 200 and response.content.startswith(b"%PDF")
        letter.refresh_from_db()
        assert response["X-Content-SHA256"] == letter.pdf_sha256 and letter.rendering == Letter.Rendering.READY


@needs_postgresql("row locks between threads")
class OpenedTwiceAtOnceTests(TransactionTestCase):
    def test_two_readers_at_once_get_the_same_pdf_rendered_once(self) -> None:
        cast = make_cast()
        with time_machine.travel(datetime.combine(ISSUED, time(11), tzinfo=LONDON), tick=False):
            complaint = acknowledge(cast, log(cast, ISSUED), ISSUED)
        letter = kept_as_history(Letter.objects.get(complaint=complaint))
        path = reverse("workspace:complaint-letter-pdf", args=[complaint.reference, letter.pk])
        barrier = threading.Barrier(2)
        answers: list[tuple[int, bytes]] = []

        def read() -> None:
            client = Client()
            client.force_login(cast.handler)
            try:
                barrier.wait()
                response = client.get(path)
                answers.append((response.status_code, b"".join(response.streaming_content)))  # type: ignore[attr-defined]
            finally:
                connection.close()

        readers = [threading.Thread(target=read) for _ in range(2)]
        with tempfile.TemporaryDirectory() as media, override_settings(MEDIA_ROOT=media):
            for reader in readers:
                reader.start()
            for reader in readers:
                reader.join()
            made = list(Path(media).rglob("*.pdf"))
        assert [status for status, _ in answers] == [200, 200]
        assert answers[0][1] == answers[1][1] and answers[0][1].startswith(b"%PDF")
        assert len(made) == 1, made  # rendered and stored once
        letter.refresh_from_db()
        assert letter.rendering == Letter.Rendering.READY and letter.render_attempts == 1
