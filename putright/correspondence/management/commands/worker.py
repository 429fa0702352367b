"""putright worker: runs the background tasks, and every so often the sweep.

With the database task backend (the default) it runs django-tasks-db's worker over every queue;
with TASKS_BACKEND=redis, an RQ worker over the backend's queues. Either way the sweep
(`putright.correspondence.sweep`) runs at start and then every --sweep-seconds: email due is sent,
letters left waiting are rendered, reminders due are written. --once does all that is due now and
exits, for cron and tests.

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
from types import FrameType
from typing import Any

import django_rq
import redis
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import close_old_connections, connections
from django.utils.crypto import get_random_string
from django_tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django_tasks.backends.base import BaseTaskBackend
from django_tasks_db.backend import DatabaseBackend
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_rq.backend import Job, RQBackend
from rq.worker import SimpleWorker

from putright.correspondence.sweep import sweep

log = logging.getLogger("putright.worker")


def positive_seconds(value: str) -> float:
    try:
        seconds = float(value)
    except ValueError:
        raise ArgumentTypeError(f"must be a number of seconds, not {value!r}") from None
    if not 0 < seconds <= 24 * 3600:
        raise ArgumentTypeError(f"must be more than 0 and at most a day (86400), not {value}")
    return seconds


class Sweeper:
    """Runs the sweep when it is due; a sweep that fails is logged and tried at the next one."""

    def __init__(self, every: float, keep_going: Callable[[], bool] = lambda: True) -> None:
        self.every = every
        self.keep_going = keep_going
        self.next_at = time.monotonic()

    @property
    def due(self) -> bool:
        return time.monotonic() >= self.next_at

    def run(self) -> None:
        self.next_at = time.monotonic() + self.every
        close_old_connections()
        try:
            sweep(self.keep_going)
        except Exception:  # the worker outlives a bad sweep: the database or mail server may be back next time
            log.exception("The sweep failed; it runs again in %s seconds", self.every)
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
        if options["verbosity"] < 2:
            # django-tasks-db logs each pass over an empty queue; its failures are logged by django-tasks.
            logging.getLogger("django_tasks_db").setLevel(logging.WARNING)
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        self.stopping = False
        self.stop_task: Callable[[], None] | None = None
        try:
            runner = self._runner(backend, interval)
            if once:
                runner.drain()
                Sweeper(sweep_seconds).run()
                runner.drain()  # what the sweep queued: letters to render, and then their email
                return
            self.stdout.write(
                f"Worker started ({runner.name}); sweeping every {sweep_seconds:g} seconds. Ctrl+C stops it."
            )
            runner.forever(Sweeper(sweep_seconds, keep_going=lambda: not self.stopping), self)
        except redis.ConnectionError as error:
            raise CommandError(f"Cannot reach Redis at {settings.REDIS_URL} (TASKS_BACKEND=redis): {error}") from None
        self.stdout.write("Worker stopped.")

    def _runner(self, backend: BaseTaskBackend, interval: float) -> Runner:
        if isinstance(backend, DatabaseBackend):
            return DatabaseRunner(backend, interval)
        if isinstance(backend, RQBackend):
            return RedisRunner(backend)
        return Runner(backend)

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
                sweeper.run()
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
            self.drain()
            if command.stopping:
                break
            if sweeper.due:
                sweeper.run()
                continue  # run at once what the sweep queued
            command.pause(self.interval)


class RedisRunner(Runner):
    """An RQ worker in this process (no fork per job, so the sweep's thread is safe beside it),
    with the sweep in a thread of its own."""

    def __init__(self, backend: BaseTaskBackend) -> None:
        super().__init__(backend)
        self.name = f"Redis task queue (RQ): {', '.join(sorted(backend.queues))}"
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
                    sweeper.run()
                    if stop.wait(sweeper.every):
                        return
            finally:
                connections.close_all()

        sweeping = threading.Thread(target=sweep_until_stopped, name="putright-sweep", daemon=True)
        sweeping.start()
        try:
            # RQ handles SIGTERM and SIGINT itself: a warm shutdown after the job under way.
            self.worker.work(logging_level="INFO")
        finally:
            stop.set()
            sweeping.join()
