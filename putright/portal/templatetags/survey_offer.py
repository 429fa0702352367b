"""The survey's offer on the page of a complaint the resident follows: `{% survey_offer complaint as offer %}`."""

from __future__ import annotations

from django import template

from putright.complaints.models import Complaint
from putright.surveys import queries

register = template.Library()


@register.simple_tag
def survey_offer(complaint: Complaint) -> queries.Offer | None:
    return queries.offer_for(complaint)
