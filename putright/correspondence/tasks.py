"""Background work, through Django's task API (the django-tasks backport).

The database backend is the default and `putright worker` runs it; `TASKS_BACKEND=redis` puts the
queue in Redis instead. Tasks carry ids only and each one reads what it needs afresh, so running a
task twice does no harm: a rendered letter is not rendered again, a sent message is not sent again.

Queueing a task is only ever a wake-up: if it cannot be queued (Redis is down, say), the worker's
sweep finds the letter still to render and the message still to send a minute later.
"""

from __future__ import annotations

import logging

from django_tasks import task

from putright.correspondence import rendering, sending

log = logging.getLogger(__name__)


@task()
def render_letter(letter_id: int) -> str:
    result = rendering.render_letter(letter_id)
    if result == "rendered":
        send_soon()  # its email was waiting for the PDF
    return result


@task()
def send_outbox() -> dict[str, int]:
    report = sending.send_all_due()
    return {"sent": report.sent, "failed": report.failed, "gave_up": report.gave_up}


def render_soon(letter_id: int) -> None:
    """Queue the letter's PDF for the worker (called after the issuing transaction commits)."""
    try:
        render_letter.enqueue(letter_id)
    except Exception:  # the sweep renders letters left waiting; the action has already committed
        log.exception("Could not queue letter %s for rendering; the worker's sweep will", letter_id)


def send_soon() -> None:
    """Wake the sender (called after a transaction that wrote to the outbox commits)."""
    try:
        send_outbox.enqueue()
    except Exception:  # the sweep sends whatever is due
        log.exception("Could not queue the outbox sender; the worker's sweep will send")
