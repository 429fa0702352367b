"""A Django email backend that sends through GOV.UK Notify.

Set EMAIL_BACKEND=putright.correspondence.notify.NotifyEmailBackend with NOTIFY_API_KEY,
NOTIFY_TEMPLATE_ID and NOTIFY_FILE_TEMPLATE_ID (README). Notify sends from a template, so each
email fills two placeholders, ((subject)) and ((body)); an email with a PDF (a letter) uses the
file template, whose ((link_to_file)) becomes a link to download it (Notify does not attach
files). Notify sets the From address and the reply-to address itself, from the service's
settings (NOTIFY_REPLY_TO_ID chooses among its reply-to addresses), so a complaint's own reply
address cannot be used: replies go to the landlord's mailbox with the reference in the subject.

Notify sends to one address at a time: an email to several is one request for each. Notify's id
for the notification is left on the email as `provider_id` (the outbox keeps it).
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from notifications_python_client.notifications import NotificationsAPIClient
from notifications_python_client.utils import prepare_upload

# How long Notify keeps a letter's PDF for the resident to download (it allows 1 to 78 weeks).
FILE_RETENTION = "78 weeks"


class NotifyError(Exception):
    """An email Notify cannot send as it stands."""


class NotifyEmailBackend(BaseEmailBackend):
    def __init__(self, fail_silently: bool = False, **kwargs: Any) -> None:
        super().__init__(fail_silently=fail_silently)
        if not settings.NOTIFY_API_KEY or not settings.NOTIFY_TEMPLATE_ID or not settings.NOTIFY_FILE_TEMPLATE_ID:
            raise ImproperlyConfigured(
                "The GOV.UK Notify email backend needs NOTIFY_API_KEY, NOTIFY_TEMPLATE_ID and NOTIFY_FILE_TEMPLATE_ID"
            )
        self.client = NotificationsAPIClient(  # type: ignore[no-untyped-call]  # the client has no annotations
            settings.NOTIFY_API_KEY, base_url=settings.NOTIFY_BASE_URL, timeout=settings.EMAIL_TIMEOUT
        )

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        sent = 0
        for message in email_messages:
            try:
                self._send(message)
            except Exception:
                if not self.fail_silently:
                    raise
            else:
                sent += 1
        return sent

    def _personalisation(self, message: EmailMessage) -> tuple[str, dict[str, Any]]:
        personalisation: dict[str, Any] = {"subject": message.subject, "body": message.body}
        files = [a for a in message.attachments if isinstance(a, tuple)]
        if len(files) != len(message.attachments) or len(files) > 1:
            raise NotifyError("GOV.UK Notify sends one file with an email, given as (name, content, type)")
        if not files:
            return settings.NOTIFY_TEMPLATE_ID, personalisation
        name, content, _ = files[0]
        data = content.encode() if isinstance(content, str) else content
        # prepare_upload refuses files over Notify's 2MB limit with a ValueError that says so.
        personalisation["link_to_file"] = prepare_upload(  # type: ignore[no-untyped-call]
            io.BytesIO(data), filename=name, confirm_email_before_download=True, retention_period=FILE_RETENTION
        )
        return settings.NOTIFY_FILE_TEMPLATE_ID, personalisation

    def _send(self, message: EmailMessage) -> None:
        recipients = message.recipients()
        if not recipients:
            raise NotifyError("The email has no recipient")
        template_id, personalisation = self._personalisation(message)
        ids = []
        for address in recipients:
            response = self.client.send_email_notification(  # type: ignore[no-untyped-call]
                email_address=address,
                template_id=template_id,
                personalisation=personalisation,
                # Notify's reference must hold no personal data: the Message-ID is random.
                reference=message.extra_headers.get("Message-ID", "")[:100] or None,
                email_reply_to_id=settings.NOTIFY_REPLY_TO_ID or None,
            )
            if not isinstance(response, dict) or not response.get("id"):
                raise NotifyError(f"GOV.UK Notify's answer had no notification id: {response!r}"[:300])
            ids.append(str(response["id"]))
        message.provider_id = ",".join(ids)  # type: ignore[attr-defined]
