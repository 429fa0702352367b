"""The worker's periodic sweep: what the due columns say must happen, whatever wake-ups were lost.

Tasks queued on commit do the work promptly; the sweep is what makes it certain. It queues again
letters whose PDF is still waiting (their task was lost, or rendering failed and is to be tried
again), writes the reminders due now, and sends every message that is due. Each step reads the
database afresh and is safe to run twice or on two workers at once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timedelta

from django.dispatch import Signal
from django_tasks_db.models import DBTaskResult

from putright import clock
from putright.correspondence import reminders, sending, tasks
from putright.correspondence.models import Letter

log = logging.getLogger(__name__)

# A letter still waiting this long after it was issued has lost its task (or is to be tried again).
RENDERING_LATE = timedelta(minutes=5)
MOST_LETTERS = 200  # at a time: a backlog is worked through over several sweeps

# A resident's request for a one-time code queues a task whose arguments are the reference and email they
# typed; once the task has run, its row in the task queue is deleted within the hour. Named by its path, so
# that correspondence does not import the portal.
CODE_REQUEST_TASK = "putright.portal.codes.send_code"
CODE_REQUEST_KEPT = timedelta(hours=1)

# Sent after each sweep, so that apps above correspondence (the retention schedule's daily step) sweep
# too without correspondence importing them. A receiver that fails is logged; the sweep goes on.
swept = Signal()


@dataclass(frozen=True)
class SweepReport:
    letters_requeued: int
    reminders: reminders.Planned
    sent: sending.SendReport

    def __str__(self) -> str:
        return (
            f"{self.letters_requeued} letters queued again to render, {self.reminders.total} reminders written, "
            f"{self.sent.sent} emails sent, {self.sent.failed} to try again, {self.sent.gave_up} failed"
        )

    @property
    def anything(self) -> bool:
        return bool(self.letters_requeued or self.reminders.total or self.sent.claimed)


def requeue_late_letters() -> int:
    late = (
        Letter.objects.filter(rendering=Letter.Rendering.QUEUED, issued_at__lte=clock.now() - RENDERING_LATE)
        .order_by("issued_at", "pk")
        .values_list("pk", flat=True)[:MOST_LETTERS]
    )
    found = list(late)
    for letter_id in found:
        tasks.render_soon(letter_id)
    return len(found)


def forget_code_requests() -> int:
    """Delete the finished code-request tasks older than an hour; the number deleted."""
    deleted, _ = (
        DBTaskResult.objects.finished()
        .filter(task_path=CODE_REQUEST_TASK, finished_at__lte=clock.now() - CODE_REQUEST_KEPT)
        .delete()
    )
    return deleted


def sweep(keep_going: Callable[[], bool] = lambda: True) -> SweepReport:
    """Run every step once; reminders first, so that those written now are sent in the same sweep.
    Sending stops between batches once `keep_going` says so (the worker is stopping)."""
    requeued = requeue_late_letters()
    planned = reminders.plan()
    sent = sending.send_all_due(keep_going=keep_going)
    forgotten = forget_code_requests()
    if forgotten:
        log.info("Deleted %s finished code requests from the task queue", forgotten)
    report = SweepReport(requeued, planned, sent)
    for receiver, outcome in swept.send_robust(sender=SweepReport):
        if isinstance(outcome, Exception):
            log.error("A step after the sweep failed (%s)", receiver, exc_info=outcome)
    if report.anything:
        # The worker prints one line for the sweep and the tasks it set off together.
        log.debug("Sweep: %s", report)
    return report
