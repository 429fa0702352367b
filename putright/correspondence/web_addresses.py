"""Web and email addresses in a letter, kept whole where a line wraps.

WeasyPrint and browsers both break a line after a hyphen, so "www.housing-ombudsman.org.uk" can
reach the resident as "www.housing-" and "ombudsman.org.uk", which reads as two addresses and is
typed wrongly. Each address is cut after its "/", "." and "@" into pieces that never wrap inside
(`white-space: nowrap; hyphens: none` on the class below) with a `<wbr>` between them, so a long
address can still wrap there, never at a hyphen.

This is done as a letter is shown (its PDF, its page), not to the HTML kept when it was issued,
whose SHA-256 stays that of what was composed.
"""

from __future__ import annotations

import re

from markupsafe import Markup, escape

CSS_CLASS = "putright-web-address"
# An email address, or a web address: an optional scheme, two or more dot-separated labels ending in a
# name of letters (so "£75.00" and "i.e." are not addresses), and an optional path.
_ADDRESS = re.compile(
    r"(?<![\w@.-])(?:[\w.+-]+@)?(?:https?://)?(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+[a-z]{2,}\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
)
_TRAILING = ".,;:!?)"
_TAG = re.compile(r"(<[^>]*>)")
# Where an address may wrap: after each of these, but not inside "www." or "https://".
_PIECE = re.compile(r"(?:https?://)?(?:www\.)?[^/.@]*(?:[/.@]+|$)", re.IGNORECASE)


def _pieces(address: str) -> list[str]:
    return [piece for piece in _PIECE.findall(address) if piece]


def _whole(address: str) -> str:
    return "<wbr>".join(f'<span class="{CSS_CLASS}">{piece}</span>' for piece in _pieces(address))


def _in_text(text: str) -> str:
    def kept(match: re.Match[str]) -> str:
        found = match.group(0)
        address = found.rstrip(_TRAILING)
        return _whole(address) + found[len(address) :]

    return _ADDRESS.sub(kept, text)


def kept_whole(html: str) -> Markup:
    """Sanitised HTML (a letter's body) with every address in its text kept whole.

    Only text between tags is changed; the letter language allows no attributes, so no address sits
    inside a tag. The text is already escaped, and the pieces are cut from it unchanged.
    """
    parts = _TAG.split(html)
    return Markup("".join(part if part.startswith("<") else _in_text(part) for part in parts))  # noqa: S704


def address_kept_whole(value: str) -> Markup:
    """Plain text (a letterhead's email or website) escaped, with its addresses kept whole."""
    return Markup(_in_text(str(escape(value))))  # noqa: S704
