"""putright token: make an API token for a member of staff, or revoke one."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandError, CommandParser

from putright.api import tokens

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "API tokens: `create --user USERNAME [--name NAME]` prints a new token once; `revoke PREFIX` stops one."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = sub.add_parser("create", help="make a token that acts as USERNAME (printed once, never stored)")
        create.add_argument("--user", required=True, metavar="USERNAME")
        create.add_argument("--name", default="", help="what the token is for, e.g. 'CRM sync'")
        revoke = sub.add_parser("revoke", help="stop the token with this prefix working")
        revoke.add_argument("prefix")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            if options["action"] == "create":
                self.create(options["user"], options["name"])
            else:
                self.revoke(options["prefix"])
        except tokens.TokenError as error:
            raise CommandError(str(error), returncode=USAGE_ERROR) from None

    def create(self, username: str, name: str) -> None:
        user = User.objects.filter(username=username.strip()).first()
        if user is None:
            raise tokens.TokenError(f"no user is called {username!r}")
        token, secret = tokens.issue(user, name)
        self.stderr.write(f"Token {token.prefix} for {user.username}: keep it safe, it is not shown again.")
        self.stdout.write(secret)

    def revoke(self, prefix: str) -> None:
        token = tokens.revoke(prefix)
        assert token.revoked_at is not None
        self.stdout.write(
            f"Token {token.prefix} of {token.user.username} is revoked (since {token.revoked_at:%Y-%m-%d %H:%M})."
        )
