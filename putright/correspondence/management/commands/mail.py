"""putright mail: fetch email from a mailbox into Putright, or take it over SMTP.

`fetch` reads a Maildir, an mbox file or an IMAP mailbox once (run it from cron or a timer);
`listen` runs an SMTP server until stopped. Either way each message goes through
`putright.correspondence.inbound.receive`, which keeps it once and threads it or queues it.
"""

from __future__ import annotations

import imaplib
import ipaddress
import mailbox
import os
import re
import socket
import ssl
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from putright.correspondence import inbound
from putright.correspondence.models import InboundMessage

USAGE_ERROR = 2
IMAP_TIMEOUT_SECONDS = 30
_BIND = re.compile(r"^(?:\[(?P<v6>[0-9a-fA-F:.]+)\]|(?P<host>[A-Za-z0-9.-]+)):(?P<port>[0-9]{1,5})$")


def usage_error(message: str) -> CommandError:
    return CommandError(message, returncode=USAGE_ERROR)


@dataclass
class Tally:
    fetched: int = 0
    threaded: int = 0
    to_triage: int = 0
    duplicates: int = 0
    problems: int = 0

    def add(self, received: inbound.Received) -> None:
        self.fetched += 1
        if not received.created:
            self.duplicates += 1
            return
        if received.message.state == InboundMessage.State.THREADED:
            self.threaded += 1
        else:
            self.to_triage += 1
        if received.message.problems:
            self.problems += 1

    def summary(self) -> str:
        return (
            f"{self.fetched} message{'s' if self.fetched != 1 else ''}: {self.threaded} threaded, "
            f"{self.to_triage} to triage, {self.duplicates} duplicate{'s' if self.duplicates != 1 else ''}, "
            f"{self.problems} with problems"
        )


@dataclass(frozen=True)
class ImapAddress:
    secure: bool
    host: str
    port: int
    user: str
    password: str
    folder: str


def parse_imap_url(value: str) -> ImapAddress:
    """imaps://user:password@host:993/INBOX; the user and password may come from IMAP_USER and IMAP_PASSWORD."""
    shape = "the IMAP URL must look like imaps://user:password@host:993/INBOX"
    try:
        url = urlsplit(value.strip())
        port = url.port
    except ValueError as error:
        raise usage_error(f"{shape} ({error})") from None
    if url.scheme not in ("imap", "imaps"):
        raise usage_error(f"{shape}: it must start with imaps:// (or imap:// for STARTTLS or this machine)")
    if not url.hostname:
        raise usage_error(f"{shape}: it has no host")
    user = unquote(url.username or "") or os.environ.get("IMAP_USER", "")
    password = unquote(url.password or "") or os.environ.get("IMAP_PASSWORD", "")
    if not user or not password:
        raise usage_error("give the IMAP user and password in the URL or in IMAP_USER and IMAP_PASSWORD")
    secure = url.scheme == "imaps"
    folder = unquote(url.path.lstrip("/")) or "INBOX"
    return ImapAddress(secure, url.hostname, port or (993 if secure else 143), user, password, folder)


def parse_bind(value: str) -> tuple[str, int]:
    found = _BIND.match(value.strip())
    port = int(found["port"]) if found else 0
    if not found or not 0 < port < 65536:
        raise usage_error(f"--bind must be HOST:PORT, such as 127.0.0.1:2525 or [::1]:2525, not {value!r}")
    return found["v6"] or found["host"], port


def _loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _receive(raw: bytes) -> inbound.Received:
    try:
        return inbound.receive(raw)
    except DatabaseError as error:
        # Stopped before the message is marked seen or removed, so the next run reads it again.
        raise CommandError(f"could not keep a message, so fetching stopped: {error}") from None


def _can_move(connection: imaplib.IMAP4) -> bool:
    """Whether the server has MOVE (RFC 6851): asked after login, when servers list everything."""
    status, data = connection.capability()
    words = b" ".join(item for item in data or [] if isinstance(item, bytes)).upper().split()
    return status == "OK" and b"MOVE" in words


def _quoted(folder: str) -> str:
    return '"' + folder.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Command(BaseCommand):
    help = "Email in: fetch a Maildir, mbox or IMAP mailbox once, or listen for it over SMTP."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        fetch = sub.add_parser("fetch", help="read new messages from a mailbox once and print what became of them")
        source = fetch.add_mutually_exclusive_group(required=True)
        source.add_argument("--maildir", metavar="PATH", help="a Maildir: unseen messages are read and marked seen")
        source.add_argument("--mbox", metavar="PATH", help="an mbox file: every message is read (each is kept once)")
        source.add_argument(
            "--imap",
            metavar="URL",
            help="imaps://user:password@host:993/INBOX (or IMAP_USER and IMAP_PASSWORD): unseen messages, "
            "marked seen once kept",
        )
        after = fetch.add_mutually_exclusive_group()
        after.add_argument("--delete", action="store_true", help="delete each message from the mailbox once kept")
        after.add_argument("--move-to", metavar="FOLDER", help="IMAP only: move each message to FOLDER once kept")

        listen = sub.add_parser("listen", help="run an SMTP server that takes mail for the complaints mailboxes")
        listen.add_argument("--bind", default="127.0.0.1:2525", help="HOST:PORT (default 127.0.0.1:2525)")

        unclaimed = sub.add_parser(
            "unclaimed", help="list email that reached no landlord (no member of staff sees it), newest first"
        )
        unclaimed.add_argument("--limit", type=int, default=50, help="at most this many (default 50)")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "listen":
            self.listen(options["bind"])
            return
        if options["action"] == "unclaimed":
            self.unclaimed(options["limit"])
            return
        tally = Tally()
        if options["move_to"] and not options["imap"]:
            raise usage_error("--move-to works with --imap only")
        if options["maildir"]:
            self.fetch_maildir(Path(options["maildir"]), tally, delete=options["delete"])
        elif options["mbox"]:
            self.fetch_mbox(Path(options["mbox"]), tally, delete=options["delete"])
        else:
            address = parse_imap_url(options["imap"])
            self.fetch_imap(address, tally, delete=options["delete"], move_to=options["move_to"] or "")
        self.stdout.write(tally.summary())

    def unclaimed(self, limit: int) -> None:
        """Email kept with no landlord: a problem for the operator, who forwards it to the right
        mailbox (the Django admin shows each in full). Exits 1 when there is any, for monitoring."""
        if limit < 1:
            raise usage_error("--limit must be a whole number of 1 or more")
        waiting = InboundMessage.objects.filter(landlord__isnull=True)
        total = waiting.count()
        rows = waiting.order_by("-received_at", "-id").only(
            "received_at", "from_address", "to_addresses", "subject", "problems"
        )[:limit]
        for message in rows:
            problem = message.problems.split("\n", 1)[0] if message.problems else "No landlord"
            self.stdout.write(
                f"{message.pk}\t{message.received_at:%Y-%m-%d %H:%M}\tfrom {message.from_address}\t"
                f"to {message.to_addresses}\t{message.subject!r}\t{problem}"
            )
        if not total:
            self.stdout.write("No email is waiting without a landlord.")
            return
        shown = f" (the newest {limit} shown)" if total > limit else ""
        self.stdout.write(
            f"{total} email{'s' if total != 1 else ''} reached no landlord{shown}: no member of staff sees "
            f"{'them' if total != 1 else 'it'}. Forward each to the right landlord's complaints mailbox."
        )
        raise CommandError("Email reached no landlord", returncode=1)

    # -- files ----------------------------------------------------------------------------------

    def fetch_maildir(self, path: Path, tally: Tally, *, delete: bool) -> None:
        if not path.is_dir():
            raise usage_error(f"there is no Maildir at {path}")
        if not (path / "new").is_dir() or not (path / "cur").is_dir():
            raise usage_error(f"{path} is not a Maildir: it has no new/ and cur/ folders")
        # Messages are read and flagged by renaming files, as every Maildir reader does: the
        # stored bytes stay exactly what arrived.
        for folder in ("new", "cur"):
            for file in sorted((path / folder).iterdir()):
                name, _, info = file.name.partition(":")
                flags = info[2:] if info.startswith("2,") else ""
                if file.name.startswith(".") or not file.is_file() or "S" in flags:
                    continue
                tally.add(_receive(file.read_bytes()))
                if delete:
                    file.unlink()
                else:
                    file.rename(path / "cur" / f"{name}:2,{''.join(sorted(set(flags + 'S')))}")

    def fetch_mbox(self, path: Path, tally: Tally, *, delete: bool) -> None:
        if not path.is_file():
            raise usage_error(f"there is no mbox file at {path}")
        box = mailbox.mbox(path, create=False)
        box.lock()
        try:
            keys = box.keys()
            for key in keys:
                tally.add(_receive(box.get_bytes(key)))
            if delete:
                for key in keys:
                    box.remove(key)
                box.flush()
        finally:
            box.unlock()
            box.close()

    # -- IMAP -----------------------------------------------------------------------------------

    def fetch_imap(self, address: ImapAddress, tally: Tally, *, delete: bool, move_to: str) -> None:
        where = f"{address.host}:{address.port}"
        try:
            connection = self._imap_connect(address)
        except (OSError, imaplib.IMAP4.error) as error:
            raise CommandError(f"could not connect to the IMAP server at {where}: {error}") from None
        try:
            try:
                connection.login(address.user, address.password)
            except imaplib.IMAP4.error as error:
                raise CommandError(
                    f"the IMAP server at {where} refused the login for {address.user}: {error}"
                ) from None
            status, _ = connection.select(_quoted(address.folder))
            if status != "OK":
                raise CommandError(f"there is no mailbox {address.folder!r} on the IMAP server at {where}")
            self._imap_fetch(connection, tally, delete=delete, move_to=move_to, can_move=_can_move(connection))
            connection.close()
        except (OSError, imaplib.IMAP4.abort) as error:
            raise CommandError(f"the connection to the IMAP server at {where} failed: {error}") from None
        finally:
            try:
                connection.logout()
            except (OSError, imaplib.IMAP4.error):
                pass  # already gone: nothing is left to tidy

    def _imap_connect(self, address: ImapAddress) -> imaplib.IMAP4:
        context = ssl.create_default_context()
        if address.secure:
            return imaplib.IMAP4_SSL(address.host, address.port, ssl_context=context, timeout=IMAP_TIMEOUT_SECONDS)
        connection = imaplib.IMAP4(address.host, address.port, timeout=IMAP_TIMEOUT_SECONDS)
        if "STARTTLS" in connection.capabilities:
            connection.starttls(ssl_context=context)
        elif not _loopback(address.host):
            connection.shutdown()
            raise CommandError(
                f"the IMAP server at {address.host}:{address.port} offers no STARTTLS, so the password would "
                "cross the network in clear: use imaps://"
            )
        return connection

    def _imap_fetch(
        self, connection: imaplib.IMAP4, tally: Tally, *, delete: bool, move_to: str, can_move: bool
    ) -> None:
        status, data = connection.uid("SEARCH", "UNSEEN")
        if status != "OK":
            raise CommandError(f"the IMAP server would not list new messages: {data!r}")
        uids = (data[0] or b"").split() if data else []
        expunge = False
        for uid in uids:
            raw = self._imap_message(connection, uid)
            if raw is None:
                self.stderr.write(f"IMAP message {uid.decode()} could not be fetched: left for the next run")
                continue
            tally.add(_receive(raw))
            self._imap_done(connection, uid, "+FLAGS", "(\\Seen)")
            if move_to:
                expunge |= self._imap_move(connection, uid, move_to, can_move)
            elif delete:
                self._imap_done(connection, uid, "+FLAGS", "(\\Deleted)")
                expunge = True
        if expunge:
            connection.expunge()

    def _imap_message(self, connection: imaplib.IMAP4, uid: bytes) -> bytes | None:
        status, data = connection.uid("FETCH", uid.decode(), "(BODY.PEEK[])")
        if status != "OK":
            return None
        for item in data or []:
            if isinstance(item, tuple) and len(item) == 2 and isinstance(item[1], bytes):
                return item[1]
        return None

    def _imap_done(self, connection: imaplib.IMAP4, uid: bytes, *command: str) -> None:
        status, data = connection.uid("STORE", uid.decode(), *command)
        if status != "OK":
            raise CommandError(f"the IMAP server would not mark message {uid.decode()}: {data!r}")

    def _imap_move(self, connection: imaplib.IMAP4, uid: bytes, folder: str, can_move: bool) -> bool:
        """Move a message to `folder`; True when the mailbox must then be expunged."""
        if can_move:
            status, data = connection.uid("MOVE", uid.decode(), _quoted(folder))
            if status != "OK":
                raise CommandError(f"the IMAP server would not move a message to {folder!r}: {data!r}")
            return False
        status, data = connection.uid("COPY", uid.decode(), _quoted(folder))
        if status != "OK":
            raise CommandError(f"the IMAP server would not copy a message to {folder!r}: {data!r}")
        self._imap_done(connection, uid, "+FLAGS", "(\\Deleted)")
        return True

    # -- SMTP -----------------------------------------------------------------------------------

    def listen(self, bind: str, wait: Callable[[], None] | None = None) -> None:
        from putright.correspondence.listener import listener

        host, port = parse_bind(bind)
        try:
            # Asked first, because the SMTP server reports a port in use only after a long wait.
            socket.create_server((host, port), family=socket.AF_INET6 if ":" in host else socket.AF_INET).close()
        except OSError as error:
            raise CommandError(f"could not listen on {bind}: {error}") from None
        server = listener(host, port)
        try:
            server.start()
        except (OSError, RuntimeError) as error:
            raise CommandError(f"could not listen on {bind}: {error}") from None
        self.stdout.write(f"Taking email over SMTP at {bind} (Ctrl+C stops it)")
        try:
            (wait or _forever)()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()


def _forever() -> None:
    while True:
        time.sleep(3600)
