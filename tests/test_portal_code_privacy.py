"""A resident's one-time code and what they typed to ask for it are kept no longer than needed: the
code's email text is never shown to staff and is blanked once sent; the request's task row is deleted
from the task queue within an hour of running."""

from __future__ import annotations

import re
from datetime import timedelta

from django.core import mail
from django.test import TestCase, override_settings
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult

from putright import clock
from putright.correspondence import sending, sweep
from putright.correspondence.models import OutboxMessage
from putright.portal import codes
from tests.cast import make_cast
from tests.portal_support import forget_code_requests, make_complaint
from tests.test_workspace_support import page, signed_in


def _task_row(path: str, status: str, finished_ago: timedelta | None) -> DBTaskResult:
    now = clock.now()
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [1, "ASH-2025-00001", "rosa@example.org"], "kwargs": {}},
        task_path=path,
        backend_name="default",
        run_after=now,
        started_at=None if finished_ago is None else now - finished_ago,
        finished_at=None if finished_ago is None else now - finished_ago,
        exception_class_path="",
        traceback="",
    )


class CodeRequestTaskRowsTests(TestCase):
    def test_the_sweep_deletes_finished_code_requests_older_than_an_hour_and_nothing_else(self) -> None:
        old_done = _task_row(sweep.CODE_REQUEST_TASK, TaskResultStatus.SUCCESSFUL, timedelta(hours=2))
        old_failed = _task_row(sweep.CODE_REQUEST_TASK, TaskResultStatus.FAILED, timedelta(minutes=61))
        recent = _task_row(sweep.CODE_REQUEST_TASK, TaskResultStatus.SUCCESSFUL, timedelta(minutes=30))
        waiting = _task_row(sweep.CODE_REQUEST_TASK, TaskResultStatus.READY, None)
        other = _task_row("putright.correspondence.tasks.send_soon", TaskResultStatus.SUCCESSFUL, timedelta(days=1))

        sweep.sweep()

        left = set(DBTaskResult.objects.values_list("pk", flat=True))
        assert old_done.pk not in left and old_failed.pk not in left
        assert {recent.pk, waiting.pk, other.pk} <= left

    def test_the_task_path_the_sweep_names_is_the_portals_code_task(self) -> None:
        assert codes.send_code.module_path == sweep.CODE_REQUEST_TASK


@override_settings(EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend")
class AccessCodeEmailTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        forget_code_requests()
        self.complaint = make_complaint(self.client)
        OutboxMessage.objects.update(state=OutboxMessage.State.SENT)  # the acknowledgement: not looked at here
        mail.outbox.clear()
        assert codes.send_code.call(self.complaint.landlord_id, self.complaint.reference, "rosa@example.org")
        self.message = OutboxMessage.objects.get(state=OutboxMessage.State.PENDING)
        found = re.search(r"Your code is (\d{6})", self.message.body)
        assert found
        self.code = found.group(1)

    def test_staff_pages_say_the_code_is_not_shown_while_waiting_or_failed(self) -> None:
        officer = signed_in(self.cast.officer)
        outbox = page(officer.get("/staff/outbox/"))
        assert "One-time code for the resident: not shown" in outbox and self.code not in outbox
        record = page(officer.get(f"/staff/complaints/{self.complaint.reference}/"))
        assert "One-time code for the resident: not shown" in record and self.code not in record

        OutboxMessage.objects.filter(pk=self.message.pk).update(state=OutboxMessage.State.FAILED, last_error="down")
        outbox = page(officer.get("/staff/outbox/"))
        assert "One-time code for the resident: not shown" in outbox and self.code not in outbox

    def test_other_emails_to_the_resident_carry_no_such_note(self) -> None:
        OutboxMessage.objects.filter(pk=self.message.pk).update(once_key=None)
        outbox = page(signed_in(self.cast.officer).get("/staff/outbox/"))
        assert "not shown" not in outbox

    def test_the_code_reaches_the_resident_and_its_text_is_blanked_once_sent(self) -> None:
        other = OutboxMessage.objects.filter(state=OutboxMessage.State.SENT).first()
        assert other is not None and other.body
        OutboxMessage.objects.filter(pk=other.pk).update(state=OutboxMessage.State.PENDING)

        sending.send_due()

        self.message.refresh_from_db()
        other.refresh_from_db()
        assert self.message.state == OutboxMessage.State.SENT and self.message.body == ""
        assert self.message.subject  # the subject holds no code, and says what the email was
        assert any(f"Your code is {self.code}" in sent.body for sent in mail.outbox)
        assert other.state == OutboxMessage.State.SENT and other.body  # other emails keep their text
