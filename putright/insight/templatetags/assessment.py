"""The self-assessment's "Code requirement" column: the Ombudsman's wording where imported, Putright's summary else."""

from __future__ import annotations

from typing import Any

from django import template

from putright.insight.code_wording import Requirement, Wording
from putright.insight.models import SelfAssessmentEntry
from putright.rules.provisions import provision

register = template.Library()


@register.simple_tag(takes_context=True)
def requirement(context: dict[str, Any], entry: SelfAssessmentEntry) -> Requirement:
    """`{% requirement entry as req %}`: the wording in the page's `wording`, if it has one (the annual report's
    annex has none, and shows Putright's summary)."""
    wording = context.get("wording")
    if isinstance(wording, Wording):
        return wording.requirement(entry.provision)
    return Requirement(provision(entry.provision).requirement, official=False)
