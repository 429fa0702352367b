"""putright token: make an API token for a member of staff, or revoke one."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import timezone

from putright.api import tokens

USAGE_ERROR = 2


def _when(moment: datetime) -> str:
    return f"{timezone.localtime(moment):%Y-%m-%d %H:%M}"


class Command(BaseCommand):
    help = (
        "API tokens: `create --user USERNAME [--name NAME] [--days N]` prints a new token once; "
        "`rotate PREFIX` replaces one, the old one working for a day more; `revoke PREFIX` stops one."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = sub.add_parser("create", help="make a token that acts as USERNAME (printed once, never stored)")
        create.add_argument("--user", required=True, metavar="USERNAME")
        create.add_argument("--name", default="", help="what the token is for, e.g. 'CRM sync'")
        days_help = "how many days the token works for (default API_TOKEN_DAYS, 90 unless set; at most 366)"
        create.add_argument("--days", type=int, default=None, help=days_help)
        rotate = sub.add_parser("rotate", help="make a new token to replace the one with this prefix (printed once)")
        rotate.add_argument("prefix")
        rotate.add_argument("--days", type=int, default=None, help=days_help)
        rotate.add_argument(
            "--overlap-hours",
            type=int,
            default=int(tokens.DEFAULT_OVERLAP.total_seconds() // 3600),
            help="how long the old token keeps working, for the change-over (default 24; 0 stops it at once)",
        )
        revoke = sub.add_parser("revoke", help="stop the token with this prefix working")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                self.create(options["user"], options["name"], options["days"])
            elif options["action"] == "rotate":
                self.rotate(options["prefix"], options["days"], options["overlap_hours"])
            else:
                self.revoke(options["prefix"])
        except tokens.TokenError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None

    def create(self, username: str, name: str, days: int | None) -> None:
        user = User.objects.filter(username=username.strip()).first()
        if user is None:
            raise tokens.TokenError(f"no user is called {username!r}")
        token, secret = tokens.issue(user, name, days=days)
        self.stderr.write(
            f"Token {token.prefix} for {user.username}, working until {_when(token.expires_at)}: "
            "keep it safe, it is not shown again."
        )
        self.stdout.write(secret)

    def rotate(self, prefix: str, days: int | None, overlap_hours: int) -> None:
        if overlap_hours < 0:
            raise tokens.TokenError("the overlap must be from 0 hours")
        token, secret = tokens.rotate(prefix, days=days, overlap=timedelta(hours=overlap_hours))
        old = token.replaces
        assert old is not None
        self.stderr.write(
            f"Token {token.prefix} replaces {old.prefix} for {token.user.username}, working until "
            f"{_when(token.expires_at)}; {old.prefix} stops at {_when(old.expires_at)}. "
            "Keep the new token safe, it is not shown again."
        )
        self.stdout.write(secret)

    def revoke(self, prefix: str) -> None:
        token = tokens.revoke(prefix)
        assert token.revoked_at is not None
        self.stdout.write(
            f"Token {token.prefix} of {token.user.username} is revoked (since {token.revoked_at:%Y-%m-%d %H:%M})."
        )
