"""What the demo's residents complain about, in their words, and what staff write back.

Subjects come from the Housing Ombudsman's published findings when the shared data folder is
present (`PUTRIGHT_SHARED_DATA`, else `shared/data` beside the checkout): the issue as the
Ombudsman worded it ("the landlord's handling of reports of damp and mould") is cut down to its
subject and put into a resident's first person by template. The file is read at run time and
never copied into the repository. Without it, a built-in list of our own wording is used.
"""

from __future__ import annotations

import csv
import os
import random
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from django.conf import settings

from putright.complaints.models import ServiceArea

FINDINGS_FILE = "housing_ombudsman_complaint_findings.csv"
MY = "{my}"  # stands for the resident's possessive: "my" in their words, "your" in ours

# The Ombudsman's categories (assigned by a keyword rule in the compilation) to our service areas.
# "Complaint Handling" is left out: a first complaint cannot be about how the complaint was handled.
CATEGORY_AREAS = {
    "Repairs & Maintenance": ServiceArea.REPAIRS,
    "Leaks & Water Ingress": ServiceArea.REPAIRS,
    "Damp & Mould": ServiceArea.DAMP_MOULD,
    "Anti-Social Behaviour (ASB)": ServiceArea.ASB,
    "Estate Management": ServiceArea.ESTATE,
    "Pest Control": ServiceArea.ESTATE,
    "Rent & Service Charges": ServiceArea.RENT,
    "Rehousing & Allocations": ServiceArea.ALLOCATIONS,
    "Other": ServiceArea.OTHER,
}
OTHER_KEYWORDS = (
    (re.compile(r"tenanc|succession|mutual exchange|lease\b|assignment", re.I), ServiceArea.TENANCY),
    (re.compile(r"staff|conduct|communicat|customer service|record", re.I), ServiceArea.STAFF_CONDUCT),
    (re.compile(r"contractor|operative", re.I), ServiceArea.CONTRACTOR),
    (re.compile(r"homeless|temporary accommodation", re.I), ServiceArea.HOMELESSNESS),
)

# Our own wording, used when the findings file is absent and to fill areas it has few rows for.
BUILT_IN_SUBJECTS: dict[str, tuple[str, ...]] = {
    ServiceArea.REPAIRS: (
        "repairs to {my} boiler",
        "the leak from the bathroom ceiling",
        "repairs to {my} front door, which does not lock",
        "the broken kitchen extractor fan",
        "repairs to the windows in {my} bedroom",
        "the heating, which keeps cutting out",
        "the missed repair appointments at {my} home",
        "a blocked drain at the back of {my} home",
    ),
    ServiceArea.DAMP_MOULD: (
        "reports of damp and mould in {my} bedroom",
        "black mould in the bathroom",
        "condensation and mould in {my} children's room",
        "the damp patch on the living room wall",
    ),
    ServiceArea.ASB: (
        "reports of noise from the flat above",
        "reports of harassment by a neighbour",
        "drug dealing in the stairwell",
        "reports of a neighbour's dog barking through the night",
    ),
    ServiceArea.ESTATE: (
        "the cleaning of the communal stairs",
        "overflowing bins and fly-tipping by the block",
        "a mice infestation in the communal areas",
        "the broken door entry system",
        "the grass cutting on the estate",
    ),
    ServiceArea.RENT: (
        "the increase in {my} service charge",
        "a letter about rent arrears that I do not owe",
        "{my} request for a breakdown of the service charge",
    ),
    ServiceArea.ALLOCATIONS: (
        "{my} request for a management transfer",
        "the banding of {my} housing application",
        "the condition of {my} home when I moved in",
    ),
    ServiceArea.TENANCY: (
        "{my} application to succeed to the tenancy",
        "{my} request for a mutual exchange",
    ),
    ServiceArea.STAFF_CONDUCT: (
        "the way a housing officer spoke to me",
        "calls and emails that were never returned",
    ),
    ServiceArea.CONTRACTOR: (
        "the contractor who left {my} kitchen in a mess",
        "the damage the contractor did to {my} flooring",
    ),
    ServiceArea.HOMELESSNESS: ("the temporary accommodation I was placed in",),
    ServiceArea.OTHER: (
        "{my} request to install a ramp at the front door",
        "the fire safety works in {my} block",
    ),
}

_SUBJECT = re.compile(
    r"(?:handling of|response to|responses to|responded to|approach to|management of|dealing with)\s+(.*)", re.I
)
_NOT_A_SUBJECT = re.compile(
    r"maladministration|redress|ombudsman|paragraph|scheme|determination|finding|complaint|investigat|"
    r"jurisdiction|satisf|offer|compensation|£|service failure|constitut|unreasonabl|insofar|as a result|"
    r"this matter|\bor by\b|\bI\b|\bits\b|\byour\b|[.:;]",
    re.I,
)
_SENTENCE_START = re.compile(
    r"(there|in accordance|the landlord (has|did|was|is)|overall|having|however|this|it)\b", re.I
)
_SPLIT = re.compile(r"\s+(?:and the landlord's|and its|and the associated|and associated|, and|including its|which)\b")
_BROKEN_WORD = re.compile(r"\b(?![aAI]\b)[a-zA-Z] [a-z]")
_PEOPLE = re.compile(r"\b(she|he|they|him|resident|residents|complainant|tenant's|landlord)\b", re.I)
_SHORT_WORDS = {"a", "an", "to", "of", "in", "on", "at", "by", "or", "is", "it", "as", "up", "no", "we", "be", "do"}
_POSSESSIVE = re.compile(
    r"\b(?:the resident's|the residents'|residents'?|leaseholder's|the leaseholder's|applicant's|her|his|their)\s+",
    re.I,
)


def shared_data_dir() -> Path:
    """The shared data folder: PUTRIGHT_SHARED_DATA, else `shared/data` beside the checkout."""
    configured = os.environ.get("PUTRIGHT_SHARED_DATA")
    return Path(configured) if configured else settings.BASE_DIR.parent / "shared" / "data"


def subject_from_finding(text: str) -> str | None:
    """The subject of a finding ("reports of damp and mould in {my} bedroom"), or None if it has none."""
    words = " ".join(text.replace("\u2019", "'").replace("{", "").replace("}", "").split()).rstrip(" .")
    match = _SUBJECT.search(words)
    if match:
        subject = match.group(1)
    elif len(words) < 90 and not _NOT_A_SUBJECT.search(words) and not _SENTENCE_START.match(words):
        subject = words
    else:
        return None
    subject = _SPLIT.split(subject)[0].strip(" .;:,")
    subject = re.sub(r"^(?:and|or|its|by)\s+", "", subject, flags=re.I)
    subject = re.sub(r"^(?:the\s+)?landlord's\s+", "", subject, flags=re.I)
    subject = re.sub(r"\bthe (?:resident's )?property\b", f"{MY} home", subject, flags=re.I)
    subject = _POSSESSIVE.sub(f"{MY} ", subject).replace(f"the {MY}", MY)
    if _NOT_A_SUBJECT.search(subject) or _BROKEN_WORD.search(subject) or _PEOPLE.search(subject):
        return None
    if any(len(word) <= 2 and word.islower() and word not in _SHORT_WORDS for word in subject.split()):
        return None  # a word broken in two by the PDF extraction ("re quests")
    if not 8 <= len(subject) <= 120:
        return None
    if len(subject) > 1 and subject[1].islower():
        subject = subject[0].lower() + subject[1:]
    return subject


def _area(category: str, subject: str) -> str | None:
    area = CATEGORY_AREAS.get(category)
    if area == ServiceArea.OTHER:
        for pattern, keyword_area in OTHER_KEYWORDS:
            if pattern.search(subject):
                return keyword_area
    return area


@cache
def subjects_by_area(folder: Path | None = None) -> dict[str, tuple[str, ...]]:
    """Complaint subjects for each service area: the Ombudsman's findings where present, then our own."""
    found: dict[str, set[str]] = {area: set() for area in ServiceArea.values}
    path = (folder or shared_data_dir()) / FINDINGS_FILE
    if path.is_file():
        with path.open(encoding="utf-8", newline="") as file:
            for row in csv.DictReader(file):
                subject = subject_from_finding(row.get("complaint") or "")
                area = _area(row.get("category") or "", subject or "")
                if subject and area:
                    found[area].add(subject)
    return {
        area: tuple(sorted(subjects)) + BUILT_IN_SUBJECTS.get(area, ())
        if len(subjects) >= 5
        else BUILT_IN_SUBJECTS.get(area, ()) + tuple(sorted(subjects))
        for area, subjects in found.items()
    }


def _mine(subject: str) -> str:
    return subject.replace(MY, "my")


def _yours(subject: str) -> str:
    return subject.replace(MY, "your")


# -- the resident's words ---------------------------------------------------------------------

OPENINGS = (
    "I want to make a complaint about how you have dealt with {subject}.",
    "I am complaining about your handling of {subject}.",
    "I am not happy with the way you have dealt with {subject}.",
    "Please treat this as a formal complaint about {subject}.",
    "I have had enough of waiting and want to complain about {subject}.",
)
DETAILS: dict[str, tuple[str, ...]] = {
    ServiceArea.REPAIRS: (
        "I reported it weeks ago and I have had to chase it three times.",
        "Two appointments were booked and nobody turned up to either of them.",
        "The contractor came, said a part was needed, and I have heard nothing since.",
    ),
    ServiceArea.DAMP_MOULD: (
        "The mould keeps coming back and my youngest has a constant cough.",
        "Someone came and wiped the walls but nothing was done about the cause.",
        "Clothes and a mattress have been ruined and the room smells.",
    ),
    ServiceArea.ASB: (
        "I have kept a diary of the incidents as you asked and nothing has changed.",
        "I do not feel safe coming home at night.",
        "I was told someone would call me back and nobody did.",
    ),
    ServiceArea.ESTATE: (
        "It has been like this for over a month and other residents agree with me.",
        "I have reported it online twice and the reports were closed without anything being done.",
    ),
    ServiceArea.RENT: (
        "Nobody has explained the figures to me and I am worried about the letters.",
        "I asked for the breakdown in writing and have not had a reply.",
    ),
    ServiceArea.ALLOCATIONS: (
        "My circumstances have changed and I sent the evidence, but nobody has looked at it.",
        "I have been waiting a long time and nobody can tell me where I stand.",
    ),
}
GENERAL_DETAILS = (
    "I have phoned several times and I keep being passed from one team to another.",
    "Nobody has kept me informed about what is happening.",
    "This has gone on far too long and it is affecting my health.",
    "I took a day off work for the visit and it was wasted.",
    "I was promised a call back within 48 hours and it never came.",
    "My neighbours have had the same problem and theirs was sorted quickly.",
    "I have a disability and the stress of chasing this is making things worse.",
    "Each person I speak to tells me something different.",
)
OUTCOMES: dict[str, tuple[str, ...]] = {
    ServiceArea.REPAIRS: ("Get the repair done properly and compensate me for the time I have lost.",),
    ServiceArea.DAMP_MOULD: ("Find out what is causing the damp, fix it, and replace what was ruined.",),
    ServiceArea.ASB: ("Take action so that it stops, and keep me updated.",),
    ServiceArea.RENT: ("Correct my account and explain the charges in writing.",),
    ServiceArea.ALLOCATIONS: ("Review my application properly and tell me the outcome.",),
}
GENERAL_OUTCOMES = (
    "An apology and for this to be sorted out.",
    "I want it put right and to be kept informed.",
    "Sort it out and pay me something for the trouble this has caused.",
)


def resident_words(rng: random.Random, area: str, subject: str) -> tuple[str, str]:
    """A resident's description of the complaint and the outcome they want, in the first person."""
    opening = rng.choice(OPENINGS).format(subject=_mine(subject))
    opening = opening[0].upper() + opening[1:]
    details = rng.sample(DETAILS.get(area, ()) + GENERAL_DETAILS, 2)
    outcome = rng.choice(OUTCOMES.get(area, ()) + GENERAL_OUTCOMES)
    return " ".join([opening, *details]), outcome


# -- what staff write -------------------------------------------------------------------------


@dataclass(frozen=True)
class Definition:
    understanding: str
    outcomes_sought: str
    points: tuple[str, ...]
    responsible_for: str
    not_responsible_for: str


NOT_RESPONSIBLE: dict[str, str] = {
    ServiceArea.REPAIRS: "Damage to your own contents, which your home contents insurance covers.",
    ServiceArea.DAMP_MOULD: "Your energy supplier's charges.",
    ServiceArea.ASB: "Criminal matters, which are for the police.",
    ServiceArea.RENT: "Housing Benefit decisions, which the benefits service makes.",
}


def definition(rng: random.Random, area: str, subject: str, outcome_sought: str, stage: int = 1) -> Definition:
    """The complaint definition written at acknowledgement (5.6): understanding, outcomes, points."""
    yours = _yours(subject)
    points = [f"How we dealt with {yours}", "How well we kept you informed"]
    if rng.random() < 0.35:
        points.append("Whether you should be compensated for the time and trouble")
    if stage == 2:
        points = [f"Our stage 1 response about {yours}", *points[1:]]
    return Definition(
        understanding=(
            f"You are unhappy with how we have dealt with {yours}. You told us it has gone on too long and that "
            "we have not kept you informed."
            + (" You asked us to review our stage 1 response at stage 2." if stage == 2 else "")
        ),
        outcomes_sought=outcome_sought.replace("my ", "your ").replace("me ", "you "),
        points=tuple(points),
        responsible_for=f"Dealing with {yours} and keeping you informed.",
        not_responsible_for=NOT_RESPONSIBLE.get(area, ""),
    )


REASONS = {
    "upheld": (
        "Our records show the work was not completed within our published timescale and you had to chase us.",
        "We did not call you back when we said we would, and we should have.",
        "The appointment was missed and no one told you beforehand.",
    ),
    "partly-upheld": (
        "Some of the delay was caused by waiting for a specialist part, but we should have told you about it.",
        "We acted on your reports, but took longer than we should have to arrange the follow-up visit.",
    ),
    "not-upheld": (
        "Our records show we attended within the timescale and the work was signed off as complete.",
        "We contacted you on each of the dates you mention; copies of our letters are enclosed.",
    ),
}


def reasons(rng: random.Random, decision: str) -> str:
    return rng.choice(REASONS[decision])


def decisions(rng: random.Random, points: Sequence[str], leaning: float) -> list[str]:
    """A decision per point: upheld more often when `leaning` is high (0 to 1)."""
    chosen = []
    for _ in points:
        roll = rng.random()
        chosen.append("upheld" if roll < leaning else "partly-upheld" if roll < leaning + 0.2 else "not-upheld")
    return chosen


APOLOGIES = (
    "We apologise for the delay and for not keeping you informed.",
    "We are sorry that we did not put this right sooner.",
    "We apologise for the missed appointments and the inconvenience they caused.",
)
ACTIONS: dict[str, tuple[str, ...]] = {
    ServiceArea.REPAIRS: ("Complete the outstanding repair and inspect the work afterwards.",),
    ServiceArea.DAMP_MOULD: (
        "Carry out a damp survey and fit a mechanical extractor fan in the bathroom.",
        "Treat the mould, redecorate the bedroom and check the ventilation three months later.",
    ),
    ServiceArea.ASB: ("Review the case with the neighbourhood team and agree an action plan with you.",),
    ServiceArea.ESTATE: ("Add the block to the weekly cleaning rota and check it monthly.",),
    ServiceArea.RENT: ("Correct the rent account and send you a statement.",),
}
GENERAL_ACTIONS = ("Call you every two weeks with an update until the work is finished.",)
ACTION_UPDATES = (
    "Contractor booked; the resident was told the date by phone.",
    "Materials ordered; the resident was updated by email.",
    "Visit carried out; follow-up inspection booked.",
    "Spoke to the resident, who is happy with progress so far.",
)
UPDATES = (
    "We are still waiting for the contractor's report. We have chased it and expect it within the week.",
    "The survey has been done and we are now looking at what it found. We will write again as agreed.",
    "We have spoken to the repairs team about your complaint and are checking their records of each visit.",
    "We are still looking into your complaint. Nothing has changed since our last update; we will write as agreed.",
)
WITHDRAWALS = (
    "Phoned to say the repair has now been done and she no longer wishes to complain.",
    "Emailed to say the matter has been sorted out with the housing officer.",
    "Told the housing officer at a home visit that he wants to withdraw the complaint.",
)
EXTENSION_REASONS = (
    "We are waiting for the contractor's report, which we need to answer the complaint fully.",
    "We need to inspect your home again and the earliest appointment you could make is next week.",
    "The complaint involves three teams and we need their records to give you a full answer.",
)
GOOD_REASONS = (
    "A specialist damp survey is needed to answer the complaint and the surveyor cannot attend sooner; "
    "the resident agreed to the new date.",
    "The neighbouring leaseholder's consent is needed for access to the roof; we explained this to the resident.",
)
REFUSALS = {
    "legal-proceedings": "A disrepair claim about the same issues has been issued in the county court, so the "
    "court will decide them.",
    "out-of-time": "The issue happened well before the time limit in our policy and there is no reason it could not "
    "have been raised sooner.",
}
DEFAULT_REFUSAL = "After looking at it carefully, this falls within an exclusion in our complaints policy."
# The recorded review a ground of the landlord's own (not one the Code names) needs (2.2, 2.5).
GROUND_REVIEW = (
    "Reviewed on its own facts: the matter is being dealt with under the process the policy names, which "
    "gives the resident a fair route; refusing it here is reasonable and not a blanket rule."
)
