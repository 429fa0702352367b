"""putright worker: runs the background tasks, and every so often the sweep.

With the database task backend (the default) it runs django-tasks-db's worker over every queue;
with TASKS_BACKEND=redis, an RQ worker over the backend's queues. Either way the sweep
(`putright.correspondence.sweep`) runs at start and then every --sweep-seconds: email due is sent,
letters left waiting are rendered, reminders due are written. --once does all that is due now and
exits, for cron and tests.

It prints one line for each batch of work ("sent 12 emails, rendered 3 letters, wrote 2 reminders
in 1.4 s"), and nothing when there was nothing to do: the tasks' own log lines (one or two for
every task) are shown only with --verbosity 2.

SIGTERM or Ctrl+C stops it cleanly: the task or sweep under way finishes first. A second signal
stops it at once.
"""

from __future__ import annotations

import logging
import signal
import threading
import time
from argparse import ArgumentTypeError
from collections.abc import Callable
from dataclasses import dataclass
from types import FrameType
from typing import Any

import django_rq
import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connections
from django.utils import timezone
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.base import BaseTaskBackend
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_rq.backend import Job, RQBackend
from rq.worker import SimpleWorker

from putright.correspondence import tasks
from putright.correspondence.sending import SendReport
from putright.correspondence.sweep import SweepReport, sweep

log = logging.getLogger("putright.worker")


def positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise ArgumentTypeError(f"must be a number of seconds, not {value!r}") from None
    if not 0 < seconds <= 24 * 3600:
        raise ArgumentTypeError(f"must be more than 0 and at most a day (86400), not {value}")
    return seconds


def _count(n: int, thing: str) -> str:
    return f"{n} {thing}{'' if n == 1 else 's'}"


@dataclass(frozen=True)
class Batch:
    """One batch of work: what a sweep did and the tasks that ran with it, told in one line."""

    swept: SweepReport | None
    done: tasks.Done

    def __bool__(self) -> bool:
        return bool(self.done) or (self.swept is not None and self.swept.anything)

    def describe(self) -> str:
        sent = self.done.sent + (self.swept.sent if self.swept else SendReport())
        reminders = self.swept.reminders.total if self.swept else 0
        requeued = self.swept.letters_requeued if self.swept else 0
        parts = [
            f"sent {_count(sent.sent, 'email')}" if sent.sent else "",
            f"rendered {_count(self.done.letters_rendered, 'letter')}" if self.done.letters_rendered else "",
            f"wrote {_count(reminders, 'reminder')}" if reminders else "",
            f"queued {_count(requeued, 'letter')} again to render" if requeued else "",
            f"{_count(sent.failed, 'email')} to try again later" if sent.failed else "",
            f"gave up on {_count(sent.gave_up, 'email')} (`putright outbox failed` lists them)" if sent.gave_up else "",
            f"{_count(self.done.letters_failed, 'letter')} not rendered yet (tried again later)"
            if self.done.letters_failed
            else "",
        ]
        return ", ".join(part for part in parts if part)


class Sweeper:
    """Runs the sweep when it is due; a sweep that fails is logged and tried at the next one."""

    def __init__(self, every: float, keep_going: Callable[[], bool] = lambda: True) -> None:
        self.every = every
        self.keep_going = keep_going
        self.next_at = time.monotonic()

    @property
    def due(self) -> bool:
        return time.monotonic() >= self.next_at

    def run(self) -> SweepReport | None:
        self.next_at = time.monotonic() + self.every
        close_old_connections()
        try:
            return sweep(self.keep_going)
        except Exception:  # the worker outlives a bad sweep: the database or mail server may be back next time
            log.exception("The sweep failed; it runs again in %s seconds", self.every)
            return None
        finally:
            close_old_connections()


class Command(BaseCommand):
    help = "Run background work: render letters, send email and write reminders (SIGTERM stops it cleanly)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--once", action="store_true", help="do everything due now, then exit")
        parser.add_argument(
            "--sweep-seconds",
            type=positive_seconds,
            default=60.0,
            help="how often to send due email, render waiting letters and write reminders (default 60)",
        )
        parser.add_argument(
            "--interval",
            type=positive_seconds,
            default=1.0,
            help="with the database backend, how often to look for new tasks (default 1 second)",
        )

    def handle(self, *args: Any, once: bool, sweep_seconds: float, interval: float, **options: Any) -> None:
        self.verbose = options["verbosity"] >= 2
        if not self.verbose:
            # django-tasks logs each task's start and end, and django-tasks-db each pass over an
            # empty queue: thousands of lines that bury the ones a person needs. Failures are
            # still logged, as errors. This command prints a line per batch instead (`report`).
            logging.getLogger("django_tasks").setLevel(logging.WARNING)
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        self.stopping = False
        self.stop_task: Callable[[], None] | None = None
        tasks.take_done()  # count from here
        try:
            runner = self._runner(backend, interval)
            if once:
                started = time.monotonic()
                runner.drain()
                swept = Sweeper(sweep_seconds).run()
                runner.drain()  # what the sweep queued: letters to render, and then their email
                self.report(swept, started)
                return
            # Heard from before "started" is printed, until the runner puts its own in place: a supervisor that
            # stops the worker as soon as it says it started gets a clean stop, not a death by SIGTERM.
            self.install_signals(None)
            self.stdout.write(
                f"Worker started ({runner.name}); sweeping every {sweep_seconds:g} seconds. Ctrl+C stops it."
            )
            if not self.stopping:
                runner.forever(Sweeper(sweep_seconds, keep_going=lambda: not self.stopping), self)
        except redis.ConnectionError as error:
            raise CommandError(f"Cannot reach Redis at {settings.REDIS_URL} (TASKS_BACKEND=redis): {error}") from None
        self.stdout.write("Worker stopped.")

    def _runner(self, backend: BaseTaskBackend, interval: float) -> Runner:
        if isinstance(backend, DatabaseBackend):
            return DatabaseRunner(backend, interval)
        if isinstance(backend, RQBackend):
            return RedisRunner(backend, "INFO" if self.verbose else "WARNING")
        return Runner(backend)

    def report(self, swept: SweepReport | None, started: float | None) -> None:
        """One line for a batch of work (the sweep's and the tasks' since the last line); none for nothing.

        `started`: when the batch began, for how long it took; None when the tasks ran on their own
        since the last sweep (with Redis) and only the sweep was timed."""
        batch = Batch(swept, tasks.take_done())
        if not batch:
            return
        when = timezone.localtime().strftime("%H:%M:%S")
        took = f" in {time.monotonic() - started:.1f} s" if started is not None else " since the last sweep"
        self.stdout.write(f"{when} {batch.describe()}{took}")

    # -- stopping ---------------------------------------------------------------------------------

    def install_signals(self, on_stop: Callable[[], None] | None) -> None:
        self.stop_task = on_stop
        for sig in (signal.SIGTERM, signal.SIGINT):
            signal.signal(sig, self._stop)

    def _stop(self, signum: int, frame: FrameType | None) -> None:
        if self.stopping:
            raise SystemExit(1)  # asked twice: stop now
        self.stopping = True
        log.warning("%s: stopping when the work under way is done (again to stop now)", signal.strsignal(signum))
        if self.stop_task is not None:
            self.stop_task()

    def pause(self, seconds: float) -> None:
        """Sleep, waking promptly once asked to stop."""
        deadline = time.monotonic() + seconds
        while not self.stopping and (left := deadline - time.monotonic()) > 0:
            time.sleep(min(left, 0.2))


class Runner:
    """With the immediate backend tasks run as they are queued (and the tests' dummy backend never
    runs them): only the sweep is left to run."""

    def __init__(self, backend: BaseTaskBackend) -> None:
        self.backend = backend
        self.name = f"{type(backend).__name__}: no task queue to run, only the sweep"

    def drain(self) -> None:
        """Run every task that is ready, then return."""

    def forever(self, sweeper: Sweeper, command: Command) -> None:
        command.install_signals(None)
        while not command.stopping:
            if sweeper.due:
                started = time.monotonic()
                command.report(sweeper.run(), started)
            command.pause(max(0.0, sweeper.next_at - time.monotonic()))


class DatabaseRunner(Runner):
    def __init__(self, backend: BaseTaskBackend, interval: float) -> None:
        super().__init__(backend)
        self.name = "database task queue"
        self.interval = interval
        # Batch mode: each run takes ready tasks until there are none, then returns to this loop.
        self.worker = Worker(
            queue_names=["*"],
            interval=0,
            batch=True,
            backend_name=backend.alias,
            startup_delay=False,
            max_tasks=None,
            worker_id=get_random_string(32),
            excluded_queue_names=[],
        )

    def drain(self) -> None:
        self.worker.running = True
        self.worker.run()

    def forever(self, sweeper: Sweeper, command: Command) -> None:
        def finish_task_then_stop() -> None:
            self.worker.running = False

        command.install_signals(finish_task_then_stop)
        while not command.stopping:
            started = time.monotonic()
            swept = sweeper.run() if sweeper.due else None
            if not command.stopping:
                self.drain()  # the tasks queued since the last pass, and any the sweep queued
            command.report(swept, started)
            if command.stopping:
                break
            command.pause(self.interval)


class RedisRunner(Runner):
    """An RQ worker in this process (no fork per job, so the sweep's thread is safe beside it),
    with the sweep in a thread of its own."""

    def __init__(self, backend: BaseTaskBackend, logging_level: str) -> None:
        super().__init__(backend)
        self.name = f"Redis task queue (RQ): {', '.join(sorted(backend.queues))}"
        self.logging_level = logging_level  # RQ logs every job at INFO
        self.worker = django_rq.get_worker(
            *backend.queues,
            job_class=Job,
            worker_class=SimpleWorker,  # type: ignore[arg-type]  # a Worker in all but name (rq's own base class)
        )

    def drain(self) -> None:
        # RQ takes over SIGINT and SIGTERM while it works; give them back when it is done.
        handlers = {sig: signal.getsignal(sig) for sig in (signal.SIGINT, signal.SIGTERM)}
        try:
            self.worker.work(burst=True, logging_level="WARNING")
        finally:
            for sig, handler in handlers.items():
                signal.signal(sig, handler)

    def forever(self, sweeper: Sweeper, command: Command) -> None:
        stop = threading.Event()
        sweeper.keep_going = lambda: not stop.is_set()  # RQ, not this command, hears the signals here

        def sweep_until_stopped() -> None:
            try:
                while True:
                    # RQ runs the tasks on its own between sweeps: their work is told with the sweep's.
                    command.report(sweeper.run(), None)
                    if stop.wait(sweeper.every):
                        return
            finally:
                connections.close_all()

        sweeping = threading.Thread(target=sweep_until_stopped, name="putright-sweep", daemon=True)
        sweeping.start()
        try:
            # RQ handles SIGTERM and SIGINT itself: a warm shutdown after the job under way.
            self.worker.work(logging_level=self.logging_level)
        finally:
            stop.set()
            sweeping.join()
