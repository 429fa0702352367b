"""Emails the portal sends, all through the outbox.

An email to a resident or to staff is written to the correspondence outbox, which the worker sends
and retries, so a mail server that is down loses nothing. A one-time code goes the same way, written
by the worker (putright.portal.codes.send_code), never in the resident's request.
"""

from __future__ import annotations

import logging
from typing import Any

from django.template.loader import render_to_string

from putright.complaints.models import Complaint
from putright.correspondence import notices, outbox
from putright.correspondence.models import OutboxMessage

log = logging.getLogger(__name__)


def _render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    subject = " ".join(render_to_string(f"portal/emails/{template}-subject.txt", context).split())
    return subject, render_to_string(f"portal/emails/{template}-body.txt", context)


def send_to_resident(
    complaint: Complaint, kind: str, to: str, template: str, context: dict[str, Any], once_key: str | None = None
) -> OutboxMessage:
    """Write an email to the resident into the outbox (`kind` names it in the log); the worker sends it."""
    subject, body = _render(template, context)
    message = outbox.queue(
        landlord=complaint.landlord,
        kind=OutboxMessage.Kind.PORTAL,
        to_address=to,
        subject=subject,
        body=body,
        complaint=complaint,
        once_key=once_key,
    )
    assert message is not None  # only a message with a once_key is ever refused
    log.info("Queued the %s email for complaint %s as outbox message %s", kind, complaint.pk, message.pk)
    return message


# What the resident did, as the outbox knows it: each is something a handler must look at.
STAFF_NOTICES = {
    "information-added": OutboxMessage.Kind.RESIDENT_INFORMATION,
    "escalation-requested": OutboxMessage.Kind.RESIDENT_INFORMATION,
    "remedy-answered": OutboxMessage.Kind.RESIDENT_INFORMATION,
}


def tell_handler(complaint: Complaint, kind: str, subject: str, body: str) -> list[OutboxMessage]:
    """Email the complaint's handler (or, while it has none, the complaints officers) about
    something the resident did through the portal."""
    if kind not in STAFF_NOTICES:
        raise ValueError(f"{kind!r} is not a notice the portal sends staff: use one of {', '.join(STAFF_NOTICES)}")
    return notices.tell_resident_added(complaint, subject, body, kind=STAFF_NOTICES[kind])
