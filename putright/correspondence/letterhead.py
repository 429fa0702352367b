"""A landlord's letterhead: how its letters look (its LetterStyle, or Putright's plain one) and how
a resident reaches its complaints team. Read by issuing, rendering, previews and Word copies alike."""

from __future__ import annotations

from putright.correspondence.models import LetterStyle
from putright.landlords.models import Landlord


def style_for(landlord: Landlord) -> LetterStyle:
    return LetterStyle.objects.filter(landlord=landlord).first() or LetterStyle(landlord=landlord)


def contact_line(landlord: Landlord, style: LetterStyle) -> str:
    parts = [
        f"telephone {style.phone}" if style.phone else "",
        f"email {style.email}" if style.email else "",
        f"write to {' '.join(style.address.split())}" if style.address else "",
    ]
    found = [p for p in parts if p]
    return ", ".join(found) if found else f"the complaints team at {landlord.name}"
