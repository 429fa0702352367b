"""An answer to a request for information, by email: found by the request's own reply address, or
by the request's email it answers (In-Reply-To, References), and taken only from the party asked.

Inbound email (putright.correspondence.inbound) keeps every message and threads what it can; it
then says so (`message_kept`), and this takes a reply meant for a request: the request is answered,
and a reply from a contractor or another team, whom the inbound rules do not know as a party, is
joined to the complaint on the request's word. Anything else is left exactly as inbound left it.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Sequence

from django.db import transaction

from putright.contributions import actions
from putright.contributions.models import InformationRequest, RequestEmail
from putright.correspondence.models import InboundMessage

log = logging.getLogger(__name__)
_MESSAGE_ID = re.compile(r"<[^<>\s]{1,250}>")
RELATED = ("complaint__landlord", "contractor", "colleague", "asked_by")


def _by_address(recipients: Sequence[str]) -> InformationRequest | None:
    for address in recipients:
        local, _, _domain = address.lower().rpartition("@")
        token = local.partition("+")[2]
        if not token.startswith("ask"):
            continue
        request = InformationRequest.objects.filter(reply_token=token).select_related(*RELATED).first()
        # The token counts only on the mailbox of the complaint's own landlord.
        if request is not None and actions.same_mailbox(request.complaint.landlord, address):
            return request
    return None


def _by_message_ids(message: InboundMessage) -> InformationRequest | None:
    ids = _MESSAGE_ID.findall(f"{message.in_reply_to} {message.references}")
    if not ids:
        return None
    sent = RequestEmail.objects.filter(message__message_id__in=ids).select_related(*(f"request__{r}" for r in RELATED))
    found = {email.message.message_id: email.request for email in sent.select_related("message")}
    for message_id in reversed(ids):
        if message_id in found:
            return found[message_id]
    return None


def find_request(message: InboundMessage, recipients: Sequence[str]) -> InformationRequest | None:
    return _by_address(recipients) or _by_message_ids(message)


def attach(message: InboundMessage, recipients: Sequence[str], *, trusted: bool) -> bool:
    """Answer the request this message replies to, if it does and comes from the party asked."""
    if not trusted or not message.from_address:
        return False
    request = find_request(message, recipients)
    if request is None or request.party_email.lower() != message.from_address.lower():
        return False
    if message.complaint_id is not None and message.complaint_id != request.complaint_id:
        return False
    try:
        with transaction.atomic():
            return actions.answer_by_email(request, message)
    except Exception:
        # The message is kept whatever happens here: a mailbox must not stop on one reply.
        log.exception("The reply %s could not be recorded as the answer to request %s", message.pk, request.pk)
        return False
