"""Email on a development machine: printed in the terminal and kept where a person can read it.

With DEBUG on and no EMAIL_BACKEND set, Putright sends email through `DevelopmentEmailBackend`: each
message is printed in the terminal, as Django's console backend does, and also kept as a file under
var/dev-email/, which the workspace's development email page (/staff/development-email/) lists, the
newest first. The page is how a newcomer reads a resident's one-time code, which is sent at once and
never stored in the outbox, without searching the terminal's scrollback.

Files rather than the database or memory: the worker, another process, sends most email, and the
page must list it too. Each file is written under a hidden name and then renamed, so the page never
reads half a message, and only the newest KEPT files are kept.
"""

from __future__ import annotations

import email
import email.policy
import time
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from email.message import EmailMessage as ParsedEmail
from pathlib import Path

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.console import EmailBackend as ConsoleEmailBackend

KEPT = 100
SHOWN = 50


@dataclass(frozen=True)
class SentEmail:
    to: str
    subject: str
    sent_at: datetime
    body: str
    attachments: tuple[str, ...]


def available() -> bool:
    """The page and its links exist only with DEBUG, and only while email goes to this backend (so
    nothing it lists ever reached anyone)."""
    return bool(settings.DEBUG) and settings.EMAIL_BACKEND == settings.DEVELOPMENT_EMAIL_BACKEND


def _folder() -> Path:
    return Path(settings.DEVELOPMENT_EMAIL_DIR)


class DevelopmentEmailBackend(ConsoleEmailBackend):
    def write_message(self, message: EmailMessage) -> None:
        # Headers and the words only: a letter's PDF printed as base64 is hundreds of lines that bury the
        # one-time code a newcomer is looking for. The kept file has the whole message.
        kept = _read("0-", message.message().as_bytes(linesep="\n"))
        lines = [f"To: {kept.to}", f"Subject: {kept.subject}", "", kept.body.rstrip()]
        lines += [f"[attached: {name}]" for name in kept.attachments]
        self.stream.write("\n".join(lines) + "\n" + "-" * 79 + "\n")

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = super().send_messages(email_messages)
        if email_messages:
            folder = _folder()
            folder.mkdir(parents=True, exist_ok=True)
            for message in email_messages:
                _keep(folder, message)
            _forget_older(folder)
        return sent


def _keep(folder: Path, message: EmailMessage) -> None:
    # The name sorts by when it was sent (nanoseconds since 1970); the random part keeps two
    # processes sending in the same instant apart.
    name = f"{time.time_ns():020d}-{uuid.uuid4().hex[:12]}.eml"
    partial = folder / f".{name}.partial"
    partial.write_bytes(message.message().as_bytes(linesep="\n"))
    partial.replace(folder / name)


def _forget_older(folder: Path) -> None:
    for path in sorted(folder.glob("*.eml"))[:-KEPT]:
        path.unlink(missing_ok=True)  # another process may have removed it first


def recent(limit: int = SHOWN) -> list[SentEmail]:
    """The last `limit` emails sent, the newest first."""
    folder = _folder()
    if not folder.is_dir():
        return []
    found = []
    for path in sorted(folder.glob("*.eml"), reverse=True)[:limit]:
        try:
            raw = path.read_bytes()
        except FileNotFoundError:
            continue  # forgotten by a process sending meanwhile
        found.append(_read(path.name, raw))
    return found


def _read(name: str, raw: bytes) -> SentEmail:
    parsed = email.message_from_bytes(raw, policy=email.policy.default)
    assert isinstance(parsed, ParsedEmail)  # what the default policy makes
    text = parsed.get_body(preferencelist=("plain", "html"))
    body = text.get_content() if isinstance(text, ParsedEmail) else ""
    return SentEmail(
        to=str(parsed.get("To", "")),
        subject=str(parsed.get("Subject", "")),
        sent_at=datetime.fromtimestamp(int(name.partition("-")[0]) / 1e9, tz=UTC),
        body=body,
        attachments=tuple(part.get_filename() or "attachment" for part in parsed.iter_attachments()),
    )
