"""Triage by complexity and risk (Code 6.1): which risks the words of a complaint point to, and the
priority that follows from the risks staff confirm. Plain Python: the complaint's data comes in as
strings, the risk factors go out as the values of `complaints.models.RiskFactor`."""

from __future__ import annotations

import re
from collections.abc import Iterable

HIGH, NORMAL = 1, 2
VULNERABILITY, HEALTH_AND_SAFETY, DISREPAIR, REPEAT = "vulnerability", "health-and-safety", "disrepair", "repeat"
FACTORS = (VULNERABILITY, HEALTH_AND_SAFETY, DISREPAIR, REPEAT)

# A risk to health or safety if left: damp and mould first among them (Awaab's Law), then the
# hazards a repairs team treats as emergencies.
_HEALTH_AND_SAFETY = re.compile(
    r"\b(damp|mou?ld|condensation|gas|carbon monoxide|electric\w*|exposed wir\w*|fire|smoke alarm|asbestos"
    r"|sewage|no heating|no hot water|flood\w*)\b",
    re.IGNORECASE,
)
_DISREPAIR = re.compile(r"\b(disrepair|repairs?|leak\w*|broken|collaps\w*|rotten|crack\w*)\b", re.IGNORECASE)

# The service areas (complaints.models.ServiceArea values) that point to a risk by themselves.
_AREA_FACTORS = {"damp-mould": HEALTH_AND_SAFETY, "repairs": DISREPAIR}

# A complaint from a resident who complained in this many months before is a repeat complaint.
REPEAT_MONTHS = 12


def factors_in_words(service_area: str, description: str) -> list[str]:
    """The risk factors the service area and the resident's own words point to, in FACTORS order."""
    found = set()
    if service_area in _AREA_FACTORS:
        found.add(_AREA_FACTORS[service_area])
    if _HEALTH_AND_SAFETY.search(description):
        found.add(HEALTH_AND_SAFETY)
    if _DISREPAIR.search(description):
        found.add(DISREPAIR)
    return [factor for factor in FACTORS if factor in found]


def suggested_priority(factors: Iterable[str]) -> int:
    """High when the resident is vulnerable or their health or safety is at risk, or when two risks
    meet (a repeat complaint about disrepair, say); otherwise normal (6.1)."""
    given = set(factors)
    if given & {VULNERABILITY, HEALTH_AND_SAFETY} or len(given) >= 2:
        return HIGH
    return NORMAL
