"""A landlord's letterhead: how its letters look (its LetterStyle, or Putright's plain one), how a
resident reaches its complaints team, and who letters say is handling a complaint. Read by issuing,
rendering, previews and Word copies alike."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth.models import User

from putright.correspondence.models import LetterStyle
from putright.landlords.models import Landlord, StaffMember


def style_for(landlord: Landlord) -> LetterStyle:
    return LetterStyle.objects.filter(landlord=landlord).first() or LetterStyle(landlord=landlord)


def one_line(address: str) -> str:
    """A postal address kept one line to a line, printed on one line: its lines joined with ", ".

    "Civic Centre\\nTannery Lane\\nAshford TN23 1PL" reads "Civic Centre, Tannery Lane, Ashford TN23 1PL"; a line
    that already ends with a comma does not get a second one.
    """
    lines = [" ".join(line.split()).rstrip(",").strip() for line in address.splitlines()]
    return ", ".join(line for line in lines if line)


def contact_line(landlord: Landlord, style: LetterStyle) -> str:
    parts = [
        f"telephone {style.phone}" if style.phone else "",
        f"email {style.email}" if style.email else "",
        f"write to {one_line(style.address)}" if style.address else "",
    ]
    found = [p for p in parts if p]
    return ", ".join(found) if found else f"the complaints team at {landlord.name}"


def names_staff(style: LetterStyle) -> bool:
    """Whether this landlord's letters name the member of staff handling a complaint."""
    return style.contact != LetterStyle.Contact.TEAM


def team_name(style: LetterStyle) -> str:
    """The complaints team as named inside a sentence: the landlord's name for it, or "our complaints team"."""
    return " ".join(style.team_name.split()) or "our complaints team"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


@dataclass(frozen=True)
class Handler:
    """Who is handling a complaint, as a letter may give them: their name and their direct lines."""

    name: str
    email: str = ""
    phone: str = ""

    @classmethod
    def of(cls, user: User | None, landlord_id: int | None = None) -> Handler | None:
        """`user` as the letters of `landlord_id` give them: their direct line is the one of their place there."""
        if user is None:
            return None
        places = StaffMember.objects.filter(user=user)
        if landlord_id is not None:
            places = places.filter(landlord_id=landlord_id)
        phone = places.order_by("landlord_id").values_list("direct_phone", flat=True).first() or ""
        return cls(name=user.get_full_name() or user.username, email=user.email, phone=phone)


def handler_name(style: LetterStyle, handler: Handler | None) -> str:
    """The `handler_name` field: the person where the landlord names staff, else the team as named
    inside a sentence ("handled by our complaints team")."""
    if handler is not None and names_staff(style):
        return handler.name
    return team_name(style)


def who_to_contact(landlord: Landlord, style: LetterStyle, handler: Handler | None) -> str:
    """Who is handling the complaint and how the resident reaches them, in sentences.

    Where the landlord names staff and a handler is assigned: the handler, with their direct email
    and phone where we have them (the team's details where we have neither). Otherwise, or before
    anyone is assigned: the complaints team and its contact details, naming nobody.
    """
    team_contact = contact_line(landlord, style)
    if handler is None or not names_staff(style):
        return f"{_capital(team_name(style))} is handling your complaint. You can contact them: {team_contact}."
    direct = [f"email {handler.email}" if handler.email else "", f"telephone {handler.phone}" if handler.phone else ""]
    ways = " or ".join(way for way in direct if way)
    if ways:
        return f"{handler.name} is handling your complaint and is your contact for it. You can {ways}."
    return (
        f"{handler.name} is handling your complaint and is your contact for it. You can reach them through "
        f"{team_name(style)}: {team_contact}."
    )
