"""`{% processing_restricted_notice person_id %}`: the "Processing restricted" notice on staff pages
about a resident whose data's processing is restricted (UK GDPR Art. 18)."""

from __future__ import annotations

from typing import Any

from django import template

from putright.privacy import queries

register = template.Library()


@register.inclusion_tag("privacy/includes/restricted-notice.html")
def processing_restricted_notice(person_id: int) -> dict[str, Any]:
    return {"restricted": queries.processing_restricted(person_id)}
