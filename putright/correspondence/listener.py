"""An SMTP server that takes email for the landlords' complaints mailboxes (`putright mail listen`).

It accepts mail only for a complaints mailbox (with or without a complaint's +token), refuses a
message over INBOUND_MAX_BYTES before it is sent, and keeps each message through
`inbound.receive`, so mail over SMTP is threaded exactly like mail fetched from a mailbox. It
relays nothing. Put it behind the landlord's mail server (as a transport for the complaints
addresses), not on the open internet: it has no TLS and no authentication of its own.
"""

from __future__ import annotations

import logging
from typing import Any

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, Envelope, Session
from asgiref.sync import sync_to_async
from django.db import connections

from putright.correspondence import inbound

logger = logging.getLogger(__name__)


def _accepts(address: str) -> bool:
    try:
        return inbound.mailbox_of(address) in inbound.landlord_mailboxes()
    finally:
        connections.close_all()


def _deliver(content: bytes, recipients: list[str]) -> inbound.Received:
    try:
        return inbound.receive(content, recipients=recipients)
    finally:
        connections.close_all()  # this runs in a worker thread: its connections end with the message


class Handler:
    async def handle_RCPT(
        self, server: SMTP, session: Session, envelope: Envelope, address: str, rcpt_options: list[str]
    ) -> str:
        if not await sync_to_async(_accepts, thread_sensitive=False)(address):
            return "550 5.1.1 No complaints mailbox with that address here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server: SMTP, session: Session, envelope: Envelope) -> str:
        content = envelope.original_content or b""
        try:
            received = await sync_to_async(_deliver, thread_sensitive=False)(content, list(envelope.rcpt_tos))
        except Exception:
            logger.exception("Could not keep a message from %s", envelope.mail_from)
            return "451 4.3.0 Could not keep the message: try again later"
        logger.info("Kept message %s from %s (%s)", received.message.pk, envelope.mail_from, received.message.state)
        return "250 2.0.0 Message accepted"


def listener(host: str, port: int, **options: Any) -> Controller:
    """An SMTP server on host:port, not yet started (`.start()` it; `.stop()` ends it)."""
    return Controller(
        Handler(), hostname=host, port=port, data_size_limit=inbound.max_bytes(), enable_SMTPUTF8=True, **options
    )
