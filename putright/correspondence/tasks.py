"""Background work, through Django's task API (the django-tasks backport).

The database backend is the default and `putright worker` runs it; `TASKS_BACKEND=redis` puts the
queue in Redis instead. Tasks carry ids only and each one reads what it needs afresh, so running a
task twice does no harm: a rendered letter is not rendered again, a sent message is not sent again.

Queueing a task is only ever a wake-up: if it cannot be queued (Redis is down, say), the worker's
sweep finds the letter still to render and the message still to send a minute later.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django_tasks import task

from putright.correspondence import sending

log = logging.getLogger(__name__)

_held: ContextVar[bool] = ContextVar("putright_wake_ups_held", default=False)


@contextmanager
def wake_ups_held() -> Iterator[None]:
    """Queue no task inside this block, including from transactions that commit inside it.

    For writing history in bulk (`putright demo`): thousands of wake-ups for letters and email
    the caller settles itself would each be a task for the worker. Safe for the same reason a
    lost wake-up is: whatever is left waiting, the worker's sweep finds.
    """
    token = _held.set(True)
    try:
        yield
    finally:
        _held.reset(token)


@dataclass
class Done:
    """What the tasks run in this process have done: the worker reports it a batch at a time."""

    letters_rendered: int = 0
    letters_failed: int = 0  # attempts that failed, to be tried again (or given up after MAX_ATTEMPTS)
    sent: sending.SendReport = field(default_factory=sending.SendReport)

    def __bool__(self) -> bool:
        return bool(self.letters_rendered or self.letters_failed or self.sent.claimed)


_done = Done()
_done_lock = threading.Lock()  # with Redis, tasks run on the worker's main thread and the sweep on another


def take_done() -> Done:
    """What this process's tasks have done since the last call, and start counting afresh."""
    global _done
    with _done_lock:
        done, _done = _done, Done()
    return done


@task()
def render_letter(letter_id: int) -> str:
    # Imported here: WeasyPrint takes most of a second to import, and only the worker renders.
    from putright.correspondence import rendering

    try:
        result = rendering.render_letter(letter_id)
    except Exception:
        with _done_lock:
            _done.letters_failed += 1
        raise
    if result == "rendered":
        with _done_lock:
            _done.letters_rendered += 1
        send_soon()  # its email was waiting for the PDF
    return result


@task()
def send_outbox() -> dict[str, int]:
    report = sending.send_all_due()
    with _done_lock:
        _done.sent += report
    return {"sent": report.sent, "failed": report.failed, "gave_up": report.gave_up}


def render_soon(letter_id: int) -> None:
    """Queue the letter's PDF for the worker (called after the issuing transaction commits)."""
    if _held.get():
        return
    try:
        render_letter.enqueue(letter_id)
    except Exception:  # the sweep renders letters left waiting; the action has already committed
        log.exception("Could not queue letter %s for rendering; the worker's sweep will", letter_id)


def send_soon() -> None:
    """Wake the sender (called after a transaction that wrote to the outbox commits)."""
    if _held.get():
        return
    try:
        send_outbox.enqueue()
    except Exception:  # the sweep sends whatever is due
        log.exception("Could not queue the outbox sender; the worker's sweep will send")
