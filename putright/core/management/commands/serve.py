"""putright serve: the development server with DEBUG on, gunicorn otherwise.

--with-worker also starts `putright worker` beside it (what `make run` does, so that letters are
rendered and email sent on a laptop) and stops it when the server stops.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from types import FrameType
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser

WORKER_STOP_SECONDS = 30


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)  # so that `finally` stops the worker


class Command(BaseCommand):
    help = "Serve Putright: Django's development server when DEBUG is on, gunicorn when it is off."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="HOST:PORT (default 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")
        parser.add_argument(
            "--with-worker",
            action="store_true",
            help="also run `putright worker` (background tasks and reminders), stopped with the server",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bind: str = options["bind"]
        host, _, port = bind.rpartition(":")
        # The development server's autoreloader runs this command again in a child process
        # (RUN_MAIN): only the first one starts the worker.
        with_worker = options["with_worker"] and os.environ.get("RUN_MAIN") != "true"
        if not with_worker:
            self.stdout.write(f"Putright is at http://{host or '127.0.0.1'}:{port}/  (Ctrl+C stops it)")
            if settings.DEBUG:
                call_command("runserver", bind)
                return
            call_command("collectstatic", interactive=False, verbosity=0)
            os.execv(self._gunicorn(), self._gunicorn_args(bind, options["workers"]))  # noqa: S606 - no shell
        worker = self._start_worker()
        previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
        try:
            self.stdout.write(f"Putright is at http://{host or '127.0.0.1'}:{port}/  (Ctrl+C stops it)")
            if settings.DEBUG:
                call_command("runserver", bind)
            else:
                call_command("collectstatic", interactive=False, verbosity=0)
                server = subprocess.Popen(self._gunicorn_args(bind, options["workers"]))  # noqa: S603 - no shell
                try:
                    server.wait()
                finally:
                    self._stop(server, "gunicorn")
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
            self._stop(worker, "the worker")

    def _gunicorn(self) -> str:
        return shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"

    def _gunicorn_args(self, bind: str, workers: int) -> list[str]:
        return [self._gunicorn(), "putright.wsgi", "--bind", bind, "--workers", str(workers), "--access-logfile", "-"]

    def _start_worker(self) -> subprocess.Popen[bytes]:
        # Its own session: Ctrl+C in the terminal reaches the server only, and the worker is then
        # stopped once, with SIGTERM, so that it finishes the task under way.
        worker = subprocess.Popen(  # noqa: S603 - this same Python, this same command, no shell
            [sys.executable, "-m", "putright", "worker"], start_new_session=True
        )
        self.stdout.write(f"Worker started (process {worker.pid}): letters, email and reminders")
        return worker

    def _stop(self, process: subprocess.Popen[bytes], name: str) -> None:
        if process.poll() is not None:
            return
        process.terminate()
        try:
            process.wait(timeout=WORKER_STOP_SECONDS)
        except subprocess.TimeoutExpired:
            self.stderr.write(f"{name} did not stop within {WORKER_STOP_SECONDS} seconds: killing it")
            process.kill()
            process.wait()
        self.stdout.write(f"Stopped {name}.")
