"""A landlord's complaints mailbox: only ever one landlord's, and changed only once confirmed.

Mail to a complaints mailbox is the landlord's whose mailbox it is, and the landlord's letters give
it as the address to reply to. So a new mailbox is not used until someone with the landlord's rights
to change its letterhead opens a link sent to it: whoever asks for it must be able to read it. Until
then the mailbox in use stays as it was. The link is signed, names the landlord, the address and the
moment it was asked for, and lasts a week; asking for another address makes it worthless.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.core import signing
from django.urls import reverse

from putright.correspondence.models import LetterStyle
from putright.landlords.models import Landlord

LINK_LIFETIME = timedelta(days=7)
_SALT = "putright.correspondence.mailbox-confirmation"


@dataclass(frozen=True)
class Request:
    """What a confirmation link asks for: this landlord's mailbox to become this address."""

    landlord_id: int
    email: str
    requested_at: str


def mailbox_problem(landlord: Landlord, email: str) -> str:
    """Why this address cannot be the landlord's complaints mailbox; "" when it can."""
    local = email.rpartition("@")[0]
    if "+" in local:
        # Putright adds "+" and a token for each complaint's replies: the mailbox must not have its own.
        return "Enter the complaints mailbox without a + in it, like complaints@example.org"
    if LetterStyle.objects.filter(email__iexact=email).exclude(landlord=landlord).exists():
        return (
            f"{email} is another landlord's complaints mailbox. Enter a mailbox of your own: "
            "every landlord's must be different"
        )
    return ""


def token(style: LetterStyle) -> str:
    """The signed token in the link that confirms the change the style is waiting for."""
    assert style.email_requested_at is not None  # only a style waiting for a change has a link
    request = {
        "landlord": style.landlord_id,
        "email": style.email_requested.lower(),
        "at": style.email_requested_at.isoformat(),
    }
    return signing.dumps(request, salt=_SALT, compress=True)


def link(style: LetterStyle) -> str:
    """The confirmation page's address, whole when SITE_URL is set (it is wherever email goes out)."""
    path = reverse("workspace:letter-mailbox-confirm", kwargs={"token": token(style)})
    return f"{settings.SITE_URL}{path}"


def read(value: str) -> Request | None:
    """The request a link's token makes, or None if it is not one Putright signed or is over a week old."""
    try:
        data = signing.loads(value, salt=_SALT, max_age=LINK_LIFETIME)
    except signing.BadSignature:  # SignatureExpired is one
        return None
    if not isinstance(data, dict):
        return None
    try:
        return Request(landlord_id=int(data["landlord"]), email=str(data["email"]), requested_at=str(data["at"]))
    except (KeyError, TypeError, ValueError):
        return None


def waits_for(style: LetterStyle, request: Request) -> bool:
    """Whether the style is still waiting for the change this link confirms."""
    return (
        style.landlord_id == request.landlord_id
        and bool(style.email_requested)
        and style.email_requested.lower() == request.email
        and style.email_requested_at is not None
        and style.email_requested_at.isoformat() == request.requested_at
    )
