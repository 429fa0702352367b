"""The words for contacts on the record (5.12): what kind of contact, with whom, and how a letter
says an acknowledgement was first given when it was given by phone or in person before the letter."""

from __future__ import annotations

from datetime import date

# Each kind of contact, as staff choose it, and how a letter says it was made.
KINDS: dict[str, str] = {
    "call-in": "Phone call from them",
    "call-out": "Phone call to them",
    "video": "Video call",
    "meeting": "Meeting in person",
    "home-visit": "Home visit",
    "text-in": "Text message from them",
    "text-out": "Text message to them",
}
HOW: dict[str, str] = {
    "call-in": "by phone",
    "call-out": "by phone",
    "video": "by video call",
    "meeting": "in person",
    "home-visit": "in person, at your home",
    "text-in": "by text message",
    "text-out": "by text message",
}
WITH: dict[str, str] = {
    "resident": "The resident",
    "representative": "Their representative",
    "other": "Someone else",
}
assert set(KINDS) == set(HOW)


def first_acknowledged(kind: str, on: date) -> str:
    """The sentence an acknowledgement letter carries when the complaint was first acknowledged by a
    call, a meeting or a text (Medway telephones at acknowledgement; Cheshire West acknowledges
    verbally). The written acknowledgement is still required (5.6): this only tells its story."""
    return f"We first acknowledged your complaint {HOW[kind]} on {on:%-d %B %Y}."
