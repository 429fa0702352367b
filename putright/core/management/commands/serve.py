"""putright serve: the development server with DEBUG on, gunicorn otherwise.

--with-worker also starts `putright worker` beside it (what `make run` does, so that letters are
rendered and email sent on a laptop) and stops it when the server stops.

Once the server answers, it says where Putright is, at the address and port it was given: the
last thing a newcomer reads after `make run`, below the server's own start-up lines.
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import threading
import time
from types import FrameType
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.urls import reverse

from putright.core import warm
from putright.correspondence import development_email
from putright.demo.organisation import DEMO_ADMIN, DEMO_PASSWORD, FIRST_ACCOUNTS

WORKER_STOP_SECONDS = 30
SERVER_START_SECONDS = 120  # how long to wait for the server to answer before saying where it is
CONSOLE_EMAIL = "django.core.mail.backends.console.EmailBackend"


def _stop_on_sigterm(signum: int, frame: FrameType | None) -> None:
    raise SystemExit(0)  # so that `finally` stops the worker


def address(bind: str) -> tuple[str, str, int]:
    """(the base URL to show, the host to connect to, the port) for a --bind of HOST:PORT.

    A server bound to every address (0.0.0.0, or [::]) is shown, and checked, at the loopback one."""
    host, _, port_text = bind.rpartition(":")
    try:
        port = int(port_text)
    except ValueError:
        raise CommandError(f"--bind must be HOST:PORT, such as 127.0.0.1:8000, not {bind!r}") from None
    if not 0 < port < 65536:
        raise CommandError(f"The port must be between 1 and 65535, not {port}")
    shown = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "[::]": "[::1]"}.get(host, host)  # noqa: S104 - compared, not bound
    return f"http://{shown}:{port}/", shown.strip("[]"), port


def answers(host: str, port: int) -> bool:
    try:
        with socket.create_connection((host, port), timeout=0.5):
            return True
    except OSError:
        return False


# What gunicorn takes before Django sees a request (docs/security.md): a request line (method, path and
# query) of at most 4 KB, at most 100 headers of at most 8 KB each. Bodies are limited by
# putright.web.middleware, from their Content-Length, before they are read.
GUNICORN_LIMITS = (
    "--limit-request-line",
    "4094",
    "--limit-request-fields",
    "100",
    "--limit-request-field_size",
    "8190",
)


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
        base, host, port = address(bind)
        if not settings.DEBUG:
            os.environ[warm.ENVIRONMENT] = "1"  # gunicorn's master warms up before forking its workers
        # The development server's autoreloader runs this command again in a child process
        # (RUN_MAIN), and again after every change: only the first one checks the port, says
        # where Putright is and starts the worker.
        first = os.environ.get("RUN_MAIN") != "true"
        if first and answers(host, port):
            other = f"{bind.rpartition(':')[0] or '127.0.0.1'}:{port + 1}"
            raise CommandError(
                f"Something is already listening on {bind}: stop it, or serve on another port "
                f"(make run PORT={port + 1}, or putright serve --bind {other})."
            )
        if not (options["with_worker"] and first):
            if settings.DEBUG:
                if first:
                    self._say_when_serving(base, host, port)
                call_command("runserver", bind)
                return
            call_command("collectstatic", interactive=False, verbosity=0)
            # gunicorn takes this process over, waiting thread and all: say it now, above its "Listening at".
            self.stdout.write("\n".join(self.welcome(base)))
            self.stdout.flush()
            os.execv(self._gunicorn(), self._gunicorn_args(bind, options["workers"]))  # noqa: S606 - no shell
        self._say_when_serving(base, host, port)
        worker = self._start_worker()
        previous = signal.signal(signal.SIGTERM, _stop_on_sigterm)
        try:
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

    def welcome(self, base: str) -> list[str]:
        """Where Putright is, and with the demo loaded in development, who to sign in as."""
        lines = [
            f"Putright is serving at {base}  (Ctrl+C stops it)",
            f"  Residents make and follow complaints:  {base}",
            f"  Staff:                                 {base}staff/",
            f"  Configuration:                         {base}admin/",
            f"  The API's documentation:               {base}api/v1/docs",
        ]
        if settings.DEBUG and get_user_model().objects.filter(username__in=FIRST_ACCOUNTS).exists():
            lines.append(
                f"  Demo accounts: {' or '.join(FIRST_ACCOUNTS)} for the staff pages, '{DEMO_ADMIN}' for the "
                f"configuration, all with the password '{DEMO_PASSWORD}'."
            )
        if development_email.available():
            page = base + reverse("workspace:development-email").lstrip("/")
            lines.append(f"  Email is not sent: it is printed here, and listed at {page}")
        elif settings.EMAIL_BACKEND == CONSOLE_EMAIL:
            lines.append("  Email is not sent: it is printed here.")
        return lines

    def _say_when_serving(self, base: str, host: str, port: int) -> None:
        # Read now, on this thread: the one that waits never touches the database.
        lines = self.welcome(base)

        def wait_then_say() -> None:
            deadline = time.monotonic() + SERVER_START_SECONDS
            while time.monotonic() < deadline:
                if answers(host, port):
                    self.stdout.write("\n".join(lines))
                    return
                time.sleep(0.2)

        threading.Thread(target=wait_then_say, name="putright-serving", daemon=True).start()

    def _gunicorn(self) -> str:
        return shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"

    def _gunicorn_args(self, bind: str, workers: int) -> list[str]:
        return [
            self._gunicorn(),
            "putright.wsgi",
            "--bind",
            bind,
            "--workers",
            str(workers),
            "--access-logfile",
            "-",
            # Load (and warm, putright.core.warm) the application once, then fork warm workers.
            "--preload",
            *GUNICORN_LIMITS,
        ]

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
