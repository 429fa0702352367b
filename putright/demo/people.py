"""Invented residents and representatives: names, example.org addresses, needs and adjustments.

Every name is made up from common first names and surnames; every email address is at
example.org or example.com and every phone number is in Ofcom's range reserved for drama
(07700 900000 to 900999), so nothing here can reach a real person.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, timedelta

from putright.landlords.models import Landlord
from putright.people.models import ContactMethod, Person, ReasonableAdjustment, Representative, Vulnerability

FIRST_NAMES = (
    "Amara", "Aisha", "Alan", "Amelia", "Bartek", "Bernadette", "Callum", "Chloe", "Chidi", "Connor", "Daniel",
    "Deborah", "Delroy", "Eilidh", "Elena", "Farah", "Fatima", "Gareth", "Grace", "Hannah", "Harjit", "Ivy",
    "Jack", "Jade", "Jamal", "Joanne", "Kai", "Karen", "Kwame", "Leah", "Liam", "Lorraine", "Marek", "Maria",
    "Mohammed", "Nadia", "Niamh", "Oliver", "Olivia", "Patrick", "Priya", "Rhys", "Rosa", "Ruth", "Samir",
    "Sandra", "Sean", "Shanice", "Stephen", "Tariq", "Tracey", "Uchenna", "Wendy", "Yusuf", "Zainab", "Zofia",
)  # fmt: skip
SURNAMES = (
    "Adeyemi", "Ahmed", "Ali", "Atkinson", "Baker", "Begum", "Bennett", "Brennan", "Campbell", "Chaudhry",
    "Clarke", "Collins", "Davies", "Edwards", "Evans", "Fletcher", "Green", "Hall", "Harris", "Hughes", "Hussain",
    "Jackson", "James", "Kaur", "Kowalski", "Lewis", "Mensah", "Mitchell", "Moore", "Morgan", "Murphy", "Nowak",
    "Okafor", "O'Brien", "Owusu", "Patel", "Phillips", "Price", "Roberts", "Robinson", "Scott", "Shah", "Singh",
    "Taylor", "Thomas", "Turner", "Walker", "Ward", "Watson", "White", "Williams", "Wilson", "Wright", "Young",
)  # fmt: skip
STREETS = (
    "Orchard Way", "Willow Court", "Station Road", "Beech House", "Mill Lane", "Elm Grove", "Victoria Street",
    "Jubilee Close", "Church Walk", "Meadow View", "Kingfisher House", "Riverside", "Oak Tree Road", "Park Crescent",
)  # fmt: skip
VULNERABILITIES = (
    "Mobility impairment: uses a wheelchair",
    "Hearing loss: prefers written contact",
    "Mental health condition: anxiety",
    "Visual impairment",
    "Long-term illness: COPD, affected by damp",
    "Learning disability: has a support worker",
    "Recently bereaved",
    "Over 80 and lives alone",
)
ADJUSTMENTS = (
    (ReasonableAdjustment.Kind.LARGE_PRINT, "Letters in 16-point type"),
    (ReasonableAdjustment.Kind.PHONE_CALL, "Call after 2pm on weekdays"),
    (ReasonableAdjustment.Kind.INTERPRETER, "Polish interpreter for calls and visits"),
    (ReasonableAdjustment.Kind.INTERPRETER, "Bengali interpreter"),
    (ReasonableAdjustment.Kind.EASY_READ, "Easy read letters, copied to her support worker"),
    (ReasonableAdjustment.Kind.AUDIO, "Letters read out by phone"),
)
COUNCILLORS = ("Cllr Pat Hemmings", "Cllr Rukhsana Iqbal", "Cllr Tom Ashworth")
MPS = ("Helen Marsh MP", "David Okonjo MP")


@dataclass(frozen=True)
class RepresentativeChoice:
    name: str
    relationship: str
    authority: str
    email: str


def _name(rng: random.Random) -> tuple[str, str]:
    return rng.choice(FIRST_NAMES), rng.choice(SURNAMES)


def make_residents(rng: random.Random, landlord: Landlord, count: int, town: str, today: date) -> list[Person]:
    """`count` invented residents of `landlord`, a few with disclosed needs and agreed adjustments (5.10)."""
    people = []
    for n in range(1, count + 1):
        first, last = _name(rng)
        domain = "example.org" if n % 3 else "example.com"
        email = f"{first}.{last}.{n}@{domain}".lower().replace("'", "") if rng.random() < 0.8 else ""
        people.append(
            Person(
                landlord=landlord,
                name=f"{first} {last}",
                email=email,
                phone=f"07700 900{rng.randrange(1000):03d}",
                address=f"{rng.randrange(1, 140)} {rng.choice(STREETS)}, {town}",
                preferred_contact=ContactMethod.EMAIL
                if email
                else rng.choice([ContactMethod.PHONE, ContactMethod.LETTER]),
                tenancy_reference=f"{landlord.reference_prefix}T{rng.randrange(10_000, 99_999)}",
            )
        )
    Person.objects.bulk_create(people)
    people = list(Person.objects.filter(landlord=landlord).order_by("id"))
    vulnerabilities, adjustments = [], []
    for person in people:
        if rng.random() < 0.15:
            disclosed = today - timedelta(days=rng.randrange(30, 900))
            vulnerabilities.append(
                Vulnerability(
                    person=person,
                    description=rng.choice(VULNERABILITIES),
                    disclosed_on=disclosed,
                    review_on=disclosed + timedelta(days=365),
                    # 5.10: kept only with the resident's consent, given when they told us.
                    consent_from=Vulnerability.ConsentFrom.RESIDENT,
                    consent_how=Vulnerability.ConsentHow.VERBAL,
                    consent_on=disclosed,
                )
            )
        if rng.random() < 0.1:
            kind, detail = rng.choice(ADJUSTMENTS)
            agreed = today - timedelta(days=rng.randrange(30, 700))
            adjustments.append(
                ReasonableAdjustment(
                    person=person, kind=kind, detail=detail, agreed_on=agreed, review_on=agreed + timedelta(days=365)
                )
            )
    Vulnerability.objects.bulk_create(vulnerabilities)
    ReasonableAdjustment.objects.bulk_create(adjustments)
    return people


def representative(rng: random.Random, kind: str | None = None) -> RepresentativeChoice:
    """Someone acting for a resident (3.6): councillors and MPs are presumed to have consent."""
    kind = kind or rng.choice(["relative", "relative", "advocate", "councillor", "mp", "solicitor"])
    if kind == "councillor":
        name = rng.choice(COUNCILLORS)
        return RepresentativeChoice(name, Representative.Relationship.COUNCILLOR, "", "councillor@example.org")
    if kind == "mp":
        return RepresentativeChoice(rng.choice(MPS), Representative.Relationship.MP, "", "mp.office@example.org")
    first, last = _name(rng)
    if kind == "advocate":
        return RepresentativeChoice(
            f"{first} {last} (Citizens Advice)",
            Representative.Relationship.ADVOCATE,
            Representative.Authority.WRITTEN,
            "advice@example.org",
        )
    if kind == "solicitor":
        return RepresentativeChoice(
            f"{first} {last}, Example Law LLP",
            Representative.Relationship.SOLICITOR,
            Representative.Authority.WRITTEN,
            "housing@example.com",
        )
    return RepresentativeChoice(
        f"{first} {last}",
        Representative.Relationship.RELATIVE,
        Representative.Authority.VERBAL,
        f"{first}.{last}@example.com".lower().replace("'", ""),
    )
