"""The link in the survey email: signed, so it cannot be made up, and single-use, because the
invitation it names accepts one answer. Nothing in it identifies the resident or the complaint to
someone who reads it; the invitation's number is signed with a random secret kept beside it."""

from __future__ import annotations

from django.core import signing
from django.utils.crypto import constant_time_compare

SALT = "putright.surveys.link"


def token_for(invitation_id: int, nonce: str) -> str:
    return signing.dumps({"i": invitation_id, "n": nonce}, salt=SALT, compress=False)


def read(token: str) -> tuple[int, str] | None:
    """(invitation id, nonce) from a token this installation signed, or None for one it did not."""
    try:
        value = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(value, dict) or not isinstance(value.get("i"), int) or not isinstance(value.get("n"), str):
        return None
    return value["i"], value["n"]


def matches(nonce: str, expected: str) -> bool:
    return constant_time_compare(nonce, expected)
