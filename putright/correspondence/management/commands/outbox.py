"""putright outbox: the email that could not be sent, and sending one again once the cause is fixed."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandParser

from putright.complaints.errors import ComplaintError
from putright.correspondence import actions
from putright.correspondence.models import OutboxMessage
from putright.landlords.management.arguments import get_landlord, usage_error


class Command(BaseCommand):
    help = "The outbox: list email that failed, or send one again (as a complaints officer or manager)."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        failed = sub.add_parser("failed", help="list email that failed and waits for a person")
        failed.add_argument("--landlord", help="one landlord's slug (default: every landlord)")
        retry = sub.add_parser("retry", help="send a failed email again, counting its attempts afresh")
        retry.add_argument("id", type=int, help="the message's number, from `putright outbox failed`")
        retry.add_argument("--as", dest="username", required=True, help="the officer or manager doing it")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "failed":
            self.failed(options["landlord"])
        else:
            self.retry(options["id"], options["username"])

    def failed(self, slug: str | None) -> None:
        messages = OutboxMessage.objects.filter(state=OutboxMessage.State.FAILED)
        messages = messages.select_related("landlord", "complaint")
        if slug:
            messages = messages.filter(landlord=get_landlord(slug))
        found = list(messages.order_by("created_at", "pk"))
        for message in found:
            about = f" ({message.complaint.reference})" if message.complaint else ""
            self.stdout.write(
                f"{message.pk}\t{message.landlord.slug}\t{message.get_kind_display()} to {message.to_address}{about}"
                f"\t{message.attempts} attempts\t{message.last_error[:200]}"
            )
        self.stdout.write(f"{len(found)} failed message{'s' if len(found) != 1 else ''}.")

    def retry(self, message_id: int, username: str) -> None:
        message = OutboxMessage.objects.filter(pk=message_id).first()
        if message is None:
            raise usage_error(f"there is no outbox message {message_id}")
        actor = User.objects.filter(username=username.strip()).first()
        if actor is None:
            raise usage_error(f"there is no user {username!r}")
        try:
            actions.retry(message, actor)
        except ComplaintError as error:
            raise usage_error(error.message) from None
        self.stdout.write(f"Message {message_id} will be sent again by the worker.")
