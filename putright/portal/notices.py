"""Emails the portal sends, and notices it keeps when an email cannot go now.

The correspondence issue will replace `PendingNotification` with its outbox; until then a row
records what must still be sent, so nothing is lost when the mail server is down.
"""

from __future__ import annotations

import logging
import smtplib
from typing import Any

from django.core.mail import send_mail
from django.template.loader import render_to_string

from putright import clock
from putright.complaints.models import Complaint
from putright.portal.models import PendingNotification

log = logging.getLogger(__name__)


def _render(template: str, context: dict[str, Any]) -> tuple[str, str]:
    subject = " ".join(render_to_string(f"portal/emails/{template}-subject.txt", context).split())
    return subject, render_to_string(f"portal/emails/{template}-body.txt", context)


def _send(subject: str, body: str, to: str) -> str:
    """ "" when sent, else why not."""
    try:
        send_mail(subject, body, None, [to])
    except (smtplib.SMTPException, OSError) as error:
        log.warning("Could not send %r: %s", subject, error)
        return f"Sending failed: {error}"[:300]
    return ""


def send_to_resident(complaint: Complaint, kind: str, to: str, template: str, context: dict[str, Any]) -> bool:
    """Send an email to the resident now; if it cannot go, keep it to send later."""
    subject, body = _render(template, context)
    failure = _send(subject, body, to)
    if failure:
        PendingNotification.objects.create(
            complaint=complaint, kind=kind, to=to, subject=subject, body=body, reason=failure, created_at=clock.now()
        )
    return not failure


def send_code(to: str, context: dict[str, Any]) -> bool:
    """Send a one-time code; a code that cannot go now is never kept (only its hash is stored)."""
    subject, body = _render("access-code", context)
    return not _send(subject, body, to)


def tell_handler(complaint: Complaint, kind: str, subject: str, body: str) -> PendingNotification:
    """A notice for the complaint's handler (or its team, while no handler is assigned)."""
    handler = complaint.handler
    return PendingNotification.objects.create(
        complaint=complaint,
        kind=kind,
        to=handler.email if handler else "",
        subject=subject[:300],
        body=body,
        reason="Staff notices wait for the correspondence outbox",
        created_at=clock.now(),
    )
