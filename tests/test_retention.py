"""Retention under the landlord's schedule, and anonymisation that keeps every measure true.

The year of complaints is the known year of tests/insight_cases.py (Ashford's 2024/25, every outcome),
ended and given letters, an email in, a document, a need and a survey answer. Six years and a grace
period later the worker anonymises it all, and every figure of that year is what it was.
"""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from email.message import EmailMessage
from typing import Any
from zoneinfo import ZoneInfo

import openpyxl  # type: ignore[import-untyped]
import time_machine
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import CommandError, call_command
from django.db import models, transaction
from django.test import TestCase

from putright.complaints import actions
from putright.complaints.errors import NotPermitted
from putright.complaints.models import Complaint, Event, Status
from putright.correspondence import inbound, outbox, sweep
from putright.correspondence.models import InboundMessage, Letter, LetterStyle, OutboxMessage
from putright.documents.models import Attachment
from putright.insight import measures as m
from putright.insight import reports
from putright.insight.evidence import evidence_for
from putright.insight.exports import ComplaintFilter, complaint_rows, complaints_csv, complaints_xlsx
from putright.insight.periods import Period
from putright.ombudsman import actions as ombudsman_actions
from putright.ombudsman.models import OmbudsmanCase
from putright.people.models import Person, Vulnerability
from putright.retention import actions as retention
from putright.retention.anonymise import ANONYMISED_NAME, anonymise_complaint, anonymise_person
from putright.retention.errors import AnonymisationRefused, InvalidInput, RetentionRefused
from putright.retention.models import ComplaintRetention, RetentionSchedule, RetentionState, ScheduleChange
from putright.retention.schedule import Schedule, years_after, years_before
from putright.surveys.actions import answer_survey
from putright.surveys.models import SurveyInvitation, SurveyResponse
from tests.cast import Cast, acknowledge, log, make_cast, respond
from tests.insight_cases import BOTH_NOT_UPHELD, BUILT_ON, agree_remedies, build_known_year, close_with_learning

MAILBOX = "complaints@ashford.example.org"
# Everything that identifies Rosa, or that she or staff wrote about her case, in the known year.
SECRETS = (
    "Rosa Resident",
    "rosa@example.org",
    "07700 900123",
    "The boiler has not worked",
    "Fix the boiler and compensate",
    "Cllr Cole",
    "compensation for running heaters",
    "Surveys for damp must be booked",
    "injunction claim",
    "Phoned to say the repair is done",
    "The engineer still has not come",
    "Uses a wheelchair",
    "rosa-photo",
    "Lovely staff in the end",
    "Waiting for the surveyor",
    "Asbestos must be ruled out",
    "bedroom of Flat 4",
)
# Columns of the complaints export that carry free text: everything else must be unchanged.
PERSONAL_COLUMNS = {"learning_outcome"}
PERSONAL_HEADERS = {"Learning"}
# Four days after the last complaint ends, plus six years and 90 days.
REVIEW_DAY = date(2031, 7, 1)
ANONYMISE_DAY = date(2031, 9, 29)


def ended_year() -> tuple[Cast, dict[str, Complaint]]:
    """The known year with every complaint ended, and with Rosa's letters, email, document, need and survey."""
    year = build_known_year()
    cast, cases = year.cast, year.cases
    LetterStyle.objects.update_or_create(landlord=cast.landlord, defaults={"email": MAILBOX})
    with time_machine.travel(BUILT_ON, tick=False):
        for key, complaint in cases.items():
            if complaint.status in (Status.STAGE1_RESPONDED, Status.STAGE2_RESPONDED):
                agree_remedies(year, complaint, BUILT_ON)
                cases[key] = close_with_learning(year, complaint, BUILT_ON, "quality", "Book engineers sooner.")
        cases["N"] = actions.withdraw(cases["N"], cast.officer, how="Phoned to say the repair is done", on=BUILT_ON)
        case = OmbudsmanCase.objects.get(complaint=cases["J"])
        case = ombudsman_actions.move_case(case, cast.officer, to="investigation", on=date(2024, 12, 2))
        ombudsman_actions.record_determination(
            case,
            cast.officer,
            element="The handling of the damp in the bedroom of Flat 4",
            finding="maladministration",
            determined_on=date(2025, 2, 10),
        )
        ombudsman_actions.move_case(OmbudsmanCase.objects.get(pk=case.pk), cast.officer, to="closed", on=BUILT_ON)
        complaint = cases["L"]
        Vulnerability.objects.create(
            person=complaint.person,
            description="Uses a wheelchair",
            disclosed_on=BUILT_ON,
            recorded_by=cast.handler,
        )
        with transaction.atomic():
            event = actions.attach_file(
                complaint, cast.handler, name="rosa-photo.pdf", content_type="application/pdf", size=9
            )
            Attachment.objects.create(
                complaint=complaint,
                event=event,
                file=ContentFile(b"%PDF-1.4\n", name="rosa-photo.pdf"),
                name="rosa-photo.pdf",
                content_type="application/pdf",
                size=9,
                uploaded_by=cast.handler,
                uploaded_at=event.at,
            )
        message = EmailMessage()
        message["From"] = "Rosa Resident <rosa@example.org>"
        message["To"] = outbox.reply_address(complaint)
        message["Subject"] = "Re: your complaint"
        message["Message-ID"] = "<rosa-1@mail.example>"
        message.set_content("The engineer still has not come.")
        assert inbound.ingest(message.as_bytes()).complaint_id == complaint.pk
        invitation = SurveyInvitation.objects.filter(complaint=cases["C"]).first()
        assert invitation is not None
        answer_survey(
            invitation,
            satisfaction=4,
            knew_how_to_complain=True,
            kept_informed="yes",
            comment="Lovely staff in the end",
        )
    for complaint in cases.values():
        complaint.refresh_from_db()
        assert complaint.status in (Status.CLOSED, Status.WITHDRAWN, Status.NOT_ACCEPTED), complaint.status
    return cast, cases


def export_rows(landlord: Any) -> tuple[list[dict[str, Any]], list[list[str]], list[list[Any]]]:
    rows = [
        {k: v for k, v in row.items() if k not in PERSONAL_COLUMNS}
        for row in complaint_rows(landlord, ComplaintFilter())
    ]
    table = list(csv.reader(io.StringIO("".join(complaints_csv(landlord, ComplaintFilter())))))
    keep = [i for i, header in enumerate(table[0]) if header not in PERSONAL_HEADERS]
    csv_rows = [[line[i] for i in keep] for line in table]
    sheet = openpyxl.load_workbook(io.BytesIO(complaints_xlsx(landlord, ComplaintFilter()))).active
    assert sheet is not None
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    keep = [i for i, header in enumerate(values[0]) if header not in PERSONAL_HEADERS]
    xlsx_rows = [[line[i] for i in keep] for line in values]
    return rows, csv_rows, xlsx_rows


def figures(landlord: Any) -> dict[str, Any]:
    """Every figure the annual report, the TSM return, the governance reports and the exports give for 2024/25."""
    period = Period.reporting_year(2024)
    return {
        "measures": m.compute(landlord, period),
        "measures by area": [m.compute(landlord, period, area) for area in ("repairs", "damp-mould", "asb")],
        "findings": m.ombudsman_findings(landlord, period),
        "annual report": reports.annual_report(landlord, 2024),
        "evidence": evidence_for(landlord, 2024),
        "governance": [reports.governance_report(landlord, 2024, quarter) for quarter in (1, 2, 3, 4)],
        "export": export_rows(landlord),
    }


def everything_stored() -> list[str]:
    """Every text, email, file name and JSON column of every row Putright keeps, a line per row, lower case."""
    kinds = (models.CharField, models.TextField, models.JSONField, models.FileField)
    skip = {"auth", "contenttypes", "sessions", "admin", "otp_totp", "django_tasks_database", "axes"}
    found = []
    for model in apps.get_models():
        if model._meta.app_label in skip:
            continue
        names = [f.attname for f in model._meta.concrete_fields if isinstance(f, kinds)]
        if names:
            label = model._meta.label
            found += [f"{label}: {values!r}".lower() for values in model._default_manager.values_list(*names)]
    return found


def holding(rows: list[str], secret: str) -> list[str]:
    return [row for row in rows if secret.lower() in row]


class DoneWhenTests(TestCase):
    def test_a_year_anonymised_by_the_worker_keeps_every_measure_exactly(self) -> None:
        cast, cases = ended_year()
        stored = Attachment.objects.get(complaint=cases["L"]).file.name
        self.assertTrue(default_storage.exists(stored))
        # Someone else's complaint, ended too recently to be due, keeps everything.
        with time_machine.travel(date(2030, 1, 10), tick=False):
            other = log(
                cast,
                date(2030, 1, 6),
                resident=actions.ResidentDetails(name="Stan Other", email="stan@x.org"),
                description="The lift has been out of order for a week.",
                outcome_sought="A working lift.",
            )
            other = acknowledge(
                cast,
                other,
                date(2030, 1, 7),
                understanding="The lift at Cedar House has been broken for a week.",
                outcomes_sought="A working lift.",
                points=["The lift was not repaired", "Nobody called back"],
                responsible_for="The lift.",
                not_responsible_for="",
            )
            other = respond(cast, other, date(2030, 1, 8), decisions=BOTH_NOT_UPHELD, remedies=[])
            other = actions.record_learning(
                other, cast.officer, learning_outcome="x", root_cause="other", on=date(2030, 1, 9)
            )
            other = actions.close(other, cast.officer, on=date(2030, 1, 9))
        rows = everything_stored()
        for secret in SECRETS:
            self.assertTrue(holding(rows, secret), f"{secret!r} was never stored: the test proves nothing")

        with time_machine.travel(REVIEW_DAY, tick=False):
            moved = retention.daily()
        self.assertEqual(len(moved["ashford"].to_review), len(cases))
        self.assertEqual(moved["ashford"].anonymised, [])
        with time_machine.travel(ANONYMISE_DAY, tick=False):
            before = figures(cast.landlord)
            with self.captureOnCommitCallbacks(execute=True):
                done = retention.daily()
            after = figures(cast.landlord)

        self.assertEqual(sorted(done["ashford"].anonymised), sorted(c.reference for c in cases.values()))
        self.assertEqual(done["ashford"].refused, [])
        for name, value in before.items():
            self.assertEqual(value, after[name], name)
        rows = everything_stored()
        for secret in SECRETS:
            self.assertEqual(holding(rows, secret), [], secret)
        self.assertTrue(holding(rows, "Stan Other"))
        self.assertFalse(default_storage.exists(stored))
        person = Person.objects.get(pk=cases["L"].person_id)
        self.assertEqual((person.name, person.email, person.phone), (ANONYMISED_NAME, "", ""))
        # The rows stay, so every count stays: letters, emails, documents, events.
        self.assertTrue(Letter.objects.filter(complaint=cases["L"]).exists())
        self.assertEqual(InboundMessage.objects.filter(complaint=cases["L"]).count(), 1)
        self.assertEqual(Attachment.objects.get(complaint=cases["L"]).size, 0)
        self.assertEqual(SurveyResponse.objects.get(complaint=cases["C"]).satisfaction, 4)
        self.assertEqual(Event.objects.filter(kind="anonymised").count(), len(cases))
        self.assertFalse(ComplaintRetention.objects.filter(complaint=other).exists())

        # The next day, or a second worker the same day, changes nothing more.
        with time_machine.travel(ANONYMISE_DAY, tick=False):
            self.assertEqual(retention.daily(), {})
        with time_machine.travel(date(2031, 9, 30), tick=False):
            again = retention.daily()
        self.assertFalse(again["ashford"].anything)
        self.assertEqual(Event.objects.filter(kind="anonymised").count(), len(cases))


def closed_complaint(cast: Cast, closed_on: date = date(2024, 6, 27), **changes: Any) -> Complaint:
    with time_machine.travel(closed_on, tick=False):
        k = log(cast, date(2024, 6, 3), **changes)
        k = acknowledge(cast, k, date(2024, 6, 4))
        k = respond(cast, k, date(2024, 6, 10), decisions=BOTH_NOT_UPHELD, remedies=[])
        return actions.close(k, cast.officer, on=closed_on)


class AnonymiseTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_a_closed_complaint_loses_the_residents_words_and_keeps_its_dates(self) -> None:
        k = closed_complaint(self.cast)
        with time_machine.travel(date(2031, 1, 1), tick=False):
            done = anonymise_complaint(k, by=self.cast.officer, reason="Erasure request agreed")
        k.refresh_from_db()
        self.assertEqual(done.complaints, [k.reference])
        self.assertIn("[removed on 1 January 2031 under the retention schedule]", k.description)
        self.assertEqual((k.received_on, k.closed_on, k.status), (date(2024, 6, 3), date(2024, 6, 27), "closed"))
        stage = k.stages.get(number=1)
        self.assertEqual(stage.understanding, "[removed on 1 January 2031 under the retention schedule]")
        self.assertEqual(stage.decision, "not-upheld")
        event = Event.objects.get(complaint=k, kind="anonymised")
        self.assertEqual(event.actor, self.cast.officer)
        self.assertNotIn("Rosa", event.summary)
        # The person still has... only this complaint, but anonymising a complaint leaves the shared person.
        self.assertEqual(k.person.name, "Rosa Resident")

    def test_anonymising_twice_changes_nothing_the_second_time(self) -> None:
        k = closed_complaint(self.cast)
        anonymise_complaint(k, by=None, reason="Schedule")
        again = anonymise_complaint(k, by=None, reason="Schedule")
        self.assertEqual((again.complaints, again.already), ([], [k.reference]))
        self.assertEqual(Event.objects.filter(complaint=k, kind="anonymised").count(), 1)

    def test_an_open_complaint_is_never_anonymised(self) -> None:
        with time_machine.travel(date(2024, 6, 28), tick=False):
            k = log(self.cast, date(2024, 6, 3))
        with self.assertRaisesMessage(AnonymisationRefused, "it is still in progress (received)"):
            anonymise_complaint(k, by=self.cast.officer, reason="Test")
        k.refresh_from_db()
        self.assertIn("boiler", k.description)
        self.assertFalse(Event.objects.filter(complaint=k, kind="anonymised").exists())

    def test_a_complaint_with_an_open_ombudsman_case_is_never_anonymised(self) -> None:
        k = closed_complaint(self.cast)
        with time_machine.travel(date(2024, 9, 2), tick=False):
            ombudsman_actions.open_case(
                k, self.cast.officer, reference="202400001", enquiry_received_on=date(2024, 9, 2)
            )
        with self.assertRaisesMessage(AnonymisationRefused, "the Housing Ombudsman has an open case on it"):
            anonymise_complaint(k, by=self.cast.officer, reason="Test")
        with self.assertRaises(AnonymisationRefused):
            anonymise_person(k.person, by=self.cast.officer, reason="Test")
        k.refresh_from_db()
        self.assertIn("boiler", k.description)
        self.assertEqual(Person.objects.get(pk=k.person_id).name, "Rosa Resident")

    def test_erasing_a_person_takes_all_their_complaints_or_none(self) -> None:
        first = closed_complaint(self.cast)
        with time_machine.travel(date(2024, 7, 1), tick=False):
            second = log(self.cast, date(2024, 7, 1), resident=first.person)
        with self.assertRaisesMessage(AnonymisationRefused, second.reference):
            anonymise_person(first.person, by=self.cast.officer, reason="Erasure")
        first.refresh_from_db()
        self.assertIn("boiler", first.description)
        with time_machine.travel(date(2024, 7, 2), tick=False):
            actions.withdraw(second, self.cast.officer, how="Rang us", on=date(2024, 7, 2))
            done = anonymise_person(first.person, by=self.cast.officer, reason="Erasure")
        self.assertEqual(sorted(done.complaints), sorted([first.reference, second.reference]))
        self.assertTrue(done.person)
        person = Person.objects.get(pk=first.person_id)
        self.assertEqual((person.name, person.email, person.phone, person.address), (ANONYMISED_NAME, "", "", ""))
        again = anonymise_person(person, by=self.cast.officer, reason="Erasure")
        self.assertEqual(again.complaints, [])
        self.assertEqual(sorted(again.already), sorted([first.reference, second.reference]))

    def test_erasing_a_person_removes_their_email_that_waits_for_triage_too(self) -> None:
        k = closed_complaint(self.cast)
        LetterStyle.objects.update_or_create(landlord=self.cast.landlord, defaults={"email": MAILBOX})
        message = EmailMessage()
        message["From"] = "Rosa Resident <rosa@example.org>"
        message["To"] = MAILBOX
        message["Subject"] = "My neighbour's dog"
        message["Message-ID"] = "<rosa-2@mail.example>"
        message.set_content("The dog at number 6 barks all night.")
        with time_machine.travel(date(2024, 7, 1), tick=False):
            waiting = inbound.ingest(message.as_bytes())
        self.assertIsNone(waiting.complaint_id)
        with self.captureOnCommitCallbacks(execute=True):
            done = anonymise_person(k.person, by=self.cast.officer, reason="Erasure")
        waiting.refresh_from_db()
        self.assertEqual((waiting.from_address, waiting.raw.name), ("", ""))
        self.assertNotIn("dog", waiting.text + waiting.subject)
        self.assertGreaterEqual(done.emails, 1)

    def test_a_failure_part_way_leaves_everything_as_it_was_and_every_file_in_place(self) -> None:
        k = closed_complaint(self.cast)
        with time_machine.travel(date(2024, 6, 28), tick=False), transaction.atomic():
            event = actions.attach_file(k, self.cast.officer, name="photo.pdf", content_type="application/pdf", size=9)
            document = Attachment.objects.create(
                complaint=k,
                event=event,
                file=ContentFile(b"%PDF-1.4\n", name="photo.pdf"),
                name="photo.pdf",
                content_type="application/pdf",
                size=9,
                uploaded_by=self.cast.officer,
                uploaded_at=event.at,
            )
        original = Complaint.objects.get(pk=k.pk).description
        with self.captureOnCommitCallbacks(execute=True) as callbacks:
            with self.assertRaises(RuntimeError), transaction.atomic():
                anonymise_complaint(k, by=None, reason="Schedule")
                raise RuntimeError("the disk filled up")
        self.assertEqual(callbacks, [])
        self.assertEqual(Complaint.objects.get(pk=k.pk).description, original)
        self.assertFalse(ComplaintRetention.objects.filter(complaint=k).exists())
        self.assertTrue(default_storage.exists(document.file.name))
        with self.captureOnCommitCallbacks(execute=True):
            anonymise_complaint(k, by=None, reason="Schedule")
        self.assertFalse(default_storage.exists(document.file.name))


class TransitionTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_a_complaint_is_reviewed_on_its_anniversary_and_anonymised_after_the_grace_period(self) -> None:
        k = closed_complaint(self.cast)
        with time_machine.travel(date(2030, 6, 26), tick=False):
            self.assertEqual(retention.sweep_landlord(self.cast.landlord).to_review, [])
        with time_machine.travel(date(2030, 6, 27), tick=False):
            self.assertEqual(retention.sweep_landlord(self.cast.landlord).to_review, [(k.reference, date(2024, 6, 27))])
        row = ComplaintRetention.objects.get(complaint=k)
        self.assertEqual((row.state, row.anonymise_after), (RetentionState.REVIEW, date(2030, 9, 25)))
        with time_machine.travel(date(2030, 9, 24), tick=False):
            self.assertEqual(retention.sweep_landlord(self.cast.landlord).anonymised, [])
        with time_machine.travel(date(2030, 9, 25), tick=False):
            self.assertEqual(retention.sweep_landlord(self.cast.landlord).anonymised, [k.reference])

    def test_a_hold_keeps_it_until_its_date_then_it_is_reviewed_again(self) -> None:
        k = closed_complaint(self.cast)
        with time_machine.travel(date(2030, 6, 27), tick=False):
            retention.sweep_landlord(self.cast.landlord)
        with time_machine.travel(date(2030, 7, 1), tick=False):
            held = retention.hold(
                k, self.cast.officer, reason="A disrepair claim is before the court", until=date(2031, 7, 1)
            )
            self.assertEqual(held.state, RetentionState.HELD)
        with time_machine.travel(date(2030, 9, 25), tick=False):
            self.assertEqual(retention.sweep_landlord(self.cast.landlord).anonymised, [])
        with time_machine.travel(date(2031, 7, 1), tick=False):
            result = retention.sweep_landlord(self.cast.landlord)
        self.assertEqual(result.back_to_review, [(k.reference, date(2031, 7, 1))])
        row = ComplaintRetention.objects.get(complaint=k)
        self.assertEqual((row.state, row.anonymise_after), (RetentionState.REVIEW, date(2031, 9, 29)))
        with time_machine.travel(date(2031, 9, 29), tick=False):
            self.assertEqual(retention.sweep_landlord(self.cast.landlord).anonymised, [k.reference])
        kinds = list(Event.objects.filter(complaint=k, kind__startswith="retention").values_list("kind", flat=True))
        self.assertEqual(kinds, ["retention-review", "retention-held", "retention-review"])

    def test_the_sweep_leaves_a_complaint_the_ombudsman_took_up_under_review(self) -> None:
        k = closed_complaint(self.cast)
        with time_machine.travel(date(2030, 6, 27), tick=False):
            retention.sweep_landlord(self.cast.landlord)
            ombudsman_actions.open_case(
                k, self.cast.officer, reference="203000001", enquiry_received_on=date(2030, 6, 27)
            )
        with time_machine.travel(date(2030, 9, 25), tick=False):
            result = retention.sweep_landlord(self.cast.landlord)
        self.assertEqual(result.anonymised, [])
        self.assertIn("open case", result.refused[0][1])
        self.assertEqual(ComplaintRetention.objects.get(complaint=k).state, RetentionState.REVIEW)

    def test_an_open_complaint_cannot_be_held_or_anonymised_now(self) -> None:
        with time_machine.travel(date(2024, 6, 28), tick=False):
            k = log(self.cast, date(2024, 6, 3))
            with self.assertRaisesMessage(RetentionRefused, "is still in progress"):
                retention.hold(k, self.cast.officer, reason="Claim", until=date(2025, 1, 1))
            with self.assertRaisesMessage(RetentionRefused, "not yet due for review"):
                retention.anonymise_now(k, self.cast.officer)

    def test_a_hold_needs_a_reason_and_a_future_date(self) -> None:
        k = closed_complaint(self.cast)
        with time_machine.travel(date(2030, 7, 1), tick=False):
            with self.assertRaises(InvalidInput) as refused:
                retention.hold(k, self.cast.officer, reason="  ", until=date(2030, 7, 1))
        self.assertEqual(
            refused.exception.errors,
            {
                "reason": "Enter why the record is being kept for longer",
                "until": "The date it is reviewed again must be in the future (today is 1 July 2030)",
            },
        )
        self.assertFalse(ComplaintRetention.objects.filter(complaint=k).exists())

    def test_the_same_hold_twice_is_recorded_once(self) -> None:
        k = closed_complaint(self.cast)
        with time_machine.travel(date(2030, 7, 1), tick=False):
            retention.hold(k, self.cast.officer, reason="Claim", until=date(2031, 1, 1))
            retention.hold(k, self.cast.officer, reason="Claim", until=date(2031, 1, 1))
        self.assertEqual(Event.objects.filter(complaint=k, kind="retention-held").count(), 1)

    def test_the_command_prints_what_would_move_and_changes_nothing_on_a_dry_run(self) -> None:
        k = closed_complaint(self.cast)
        out = io.StringIO()
        with time_machine.travel(date(2030, 6, 27), tick=False):
            call_command("retention", "--landlord", "ashford", "--dry-run", stdout=out)
        self.assertIn(f"Would put under review: {k.reference} (ended 27 June 2024)", out.getvalue())
        self.assertFalse(ComplaintRetention.objects.exists())
        with time_machine.travel(date(2030, 6, 27), tick=False):
            call_command("retention", "--landlord", "ashford", stdout=out)
        self.assertEqual(ComplaintRetention.objects.get(complaint=k).state, RetentionState.REVIEW)

    def test_the_command_names_a_landlord_it_does_not_know(self) -> None:
        with self.assertRaisesMessage(CommandError, "No landlord has the slug 'nowhere'"):
            call_command("retention", "--landlord", "nowhere", "--dry-run", stdout=io.StringIO())

    def test_the_worker_sweep_runs_the_daily_step_once_a_day(self) -> None:
        k = closed_complaint(self.cast)
        with time_machine.travel(
            datetime(2030, 6, 27, 20, 0, tzinfo=ZoneInfo("Europe/London")), tick=False
        ):  # outside working hours: no reminders
            sweep.sweep()
            sweep.sweep()
        self.assertEqual(ComplaintRetention.objects.get(complaint=k).state, RetentionState.REVIEW)
        self.assertEqual(Event.objects.filter(complaint=k, kind="retention-review").count(), 1)
        self.assertFalse(OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED).exists())


class ScheduleTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_the_schedule_takes_1_to_20_years_and_0_to_365_days(self) -> None:
        with self.assertRaises(InvalidInput) as refused:
            retention.change_schedule(self.cast.landlord, self.cast.officer, years_after_closure=0, grace_days=400)
        self.assertEqual(
            refused.exception.errors,
            {
                "years_after_closure": "The number of years must be between 1 and 20",
                "grace_days": "The number of days must be between 0 and 365",
            },
        )
        with self.assertRaises(InvalidInput):
            retention.change_schedule(self.cast.landlord, self.cast.officer, years_after_closure=None, grace_days=90)
        self.assertFalse(RetentionSchedule.objects.exists())

    def test_a_change_is_audited_once_and_the_same_values_again_change_nothing(self) -> None:
        row = retention.change_schedule(self.cast.landlord, self.cast.officer, years_after_closure=7, grace_days=30)
        again = retention.change_schedule(self.cast.landlord, self.cast.manager, years_after_closure=7, grace_days=30)
        self.assertEqual((again.version, again.changed_by), (row.version, self.cast.officer))
        change = ScheduleChange.objects.get()
        self.assertEqual(change.before, {"years_after_closure": 6, "grace_days": 90})
        self.assertEqual(change.after, {"years_after_closure": 7, "grace_days": 30})
        with self.assertRaisesMessage(RetentionRefused, "changed by someone else"):
            retention.change_schedule(
                self.cast.landlord, self.cast.manager, years_after_closure=8, grace_days=30, expected_version=1
            )

    def test_the_first_schedule_is_set_from_the_defaults_read_as_version_0(self) -> None:
        row = retention.change_schedule(
            self.cast.landlord, self.cast.officer, years_after_closure=7, grace_days=30, expected_version=0
        )
        self.assertEqual(row.years_after_closure, 7)
        with self.assertRaisesMessage(RetentionRefused, "changed by someone else"):
            retention.change_schedule(
                self.cast.landlord, self.cast.manager, years_after_closure=8, grace_days=30, expected_version=0
            )

    def test_a_handler_cannot_change_the_schedule(self) -> None:
        with self.assertRaisesMessage(NotPermitted, "does not allow you to change the retention schedule"):
            retention.change_schedule(self.cast.landlord, self.cast.handler, years_after_closure=7, grace_days=30)

    def test_29_february_is_reviewed_on_1_march_in_a_common_year(self) -> None:
        self.assertEqual(years_after(date(2024, 2, 29), 6), date(2030, 3, 1))
        self.assertEqual(years_before(date(2028, 2, 29), 6), date(2022, 2, 28))
        schedule = Schedule(6, 90)
        self.assertFalse(schedule.ended_by(date(2030, 2, 28)) >= date(2024, 2, 29))
        self.assertTrue(schedule.ended_by(date(2030, 3, 1)) >= date(2024, 2, 29))
