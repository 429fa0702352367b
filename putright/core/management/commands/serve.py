"""putright serve: the development server with DEBUG on, gunicorn otherwise."""

from __future__ import annotations

import os
import shutil
import sys
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandParser


class Command(BaseCommand):
    help = "Serve Putright: Django's development server when DEBUG is on, gunicorn when it is off."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--bind", default="127.0.0.1:8000", help="HOST:PORT (default 127.0.0.1:8000)")
        parser.add_argument("--workers", type=int, default=2, help="gunicorn worker processes (default 2)")

    def handle(self, *args: Any, **options: Any) -> None:
        bind: str = options["bind"]
        host, _, port = bind.rpartition(":")
        self.stdout.write(f"Putright is at http://{host or '127.0.0.1'}:{port}/  (Ctrl+C stops it)")
        if settings.DEBUG:
            call_command("runserver", bind)
            return
        call_command("collectstatic", interactive=False, verbosity=0)
        gunicorn = shutil.which("gunicorn", path=os.path.dirname(sys.executable)) or "gunicorn"
        os.execv(  # noqa: S606 - replaces this process with gunicorn; arguments are not from a shell
            gunicorn,
            [
                gunicorn,
                "putright.wsgi",
                "--bind",
                bind,
                "--workers",
                str(options["workers"]),
                "--access-logfile",
                "-",
            ],
        )
