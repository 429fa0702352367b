"""Each demo landlord's staff, one or more in every role, and its homes for the last three reporting years."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import cache

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import User

from putright.correspondence.models import LetterStyle
from putright.landlords.models import HomesCount, Landlord, LandlordType, ManagingAgent, StaffMember, StaffRole

DEMO_ADMIN = "admin"
DEMO_PASSWORD = "putright-demo"  # noqa: S105 - documented in the README; demo data only
# The accounts a newcomer is pointed to first: a complaint handler and the complaints officer.
FIRST_ACCOUNTS = ("ash-handler1", "ash-officer1")

# (role, how many, invented names): usernames are the landlord's prefix, the role and a number,
# such as ash-handler1; every demo account has the one demo password the command prints.
STAFF_PLAN: tuple[tuple[StaffRole, tuple[str, ...]], ...] = (
    (StaffRole.HANDLER, ("Hana Hughes", "Omar Osei", "Ffion Pryce")),
    (StaffRole.REVIEWER, ("Rita Rahman", "Victor Vance")),
    (StaffRole.COMPLAINTS_OFFICER, ("Olu Okoro",)),
    (StaffRole.MANAGER, ("Mei Marshall",)),
    (StaffRole.AUDITOR, ("Aziz Azam",)),
)


@dataclass
class Team:
    """A landlord's demo staff by role."""

    handlers: list[User] = field(default_factory=list)
    reviewers: list[User] = field(default_factory=list)
    officers: list[User] = field(default_factory=list)
    managers: list[User] = field(default_factory=list)
    auditors: list[User] = field(default_factory=list)

    def add(self, role: str, user: User) -> None:
        {
            StaffRole.HANDLER: self.handlers,
            StaffRole.REVIEWER: self.reviewers,
            StaffRole.COMPLAINTS_OFFICER: self.officers,
            StaffRole.MANAGER: self.managers,
            StaffRole.AUDITOR: self.auditors,
        }[StaffRole(role)].append(user)

    @property
    def supervisors(self) -> list[User]:
        return self.officers + self.managers


def username(landlord: Landlord, role: StaffRole, number: int) -> str:
    return f"{landlord.reference_prefix.lower()}-{role.value}{number}"


@cache
def hashed_password(password: str) -> str:
    """One hash for every demo account (and the administrator): each takes most of a second to make.
    The password is the demo's published one, so keeping its hash in memory gives nothing away."""
    return make_password(password)


def ensure_staff(landlord: Landlord, password: str) -> Team:
    """Create the landlord's demo staff if missing, and return them by role (existing accounts are kept).

    Each has a direct line (invented, in Ofcom's range for drama) that acknowledgements give residents
    where the landlord's letters name the person handling a complaint.
    """
    hashed = hashed_password(password)
    team = Team()
    line = 0
    for role, names in STAFF_PLAN:
        for number, full_name in enumerate(names, start=1):
            line += 1
            first, _, last = full_name.partition(" ")
            name = username(landlord, role, number)
            user, created = User.objects.get_or_create(
                username=name,
                defaults={
                    "first_name": first,
                    "last_name": last,
                    "email": f"{name}@example.org",
                    "password": hashed,
                },
            )
            if created:
                StaffMember.objects.create(
                    user=user, landlord=landlord, role=role, direct_phone=f"01632 960 {100 + line:03d}"
                )
            held = StaffMember.objects.filter(user=user, landlord=landlord).values_list("role", flat=True).first()
            team.add(held or role, user)
    return team


# Cheshire West and Chester's homes are managed by ForHousing, whose complaints team handles the council's
# complaints under the council's policy (seed 004). The council's auditor and Member Responsible for
# Complaints are its own; the caseworkers hold their places as the agent's staff. One of the agent's handlers
# also works on a second landlord's complaints (Dartford's, in the demo): one sign-in, both landlords' work.
MANAGING_AGENT = ("forhousing", "ForHousing")
MANAGED_BY_AGENT = "cheshire-west"
AGENT_HANDLER = "fh-handler1"
AGENT_HANDLER_ALSO_AT = "dartford"
AGENT_ROLES = (StaffRole.HANDLER, StaffRole.REVIEWER, StaffRole.COMPLAINTS_OFFICER, StaffRole.MANAGER)


def ensure_managing_agent(landlords: dict[str, Landlord], password: str) -> User:
    """The managing agent, the landlord it manages, its staff there, and its handler who works for two
    landlords (added if missing; existing records are kept)."""
    slug, name = MANAGING_AGENT
    agent, _ = ManagingAgent.objects.get_or_create(slug=slug, defaults={"name": name})
    managed = landlords[MANAGED_BY_AGENT]
    if managed.managing_agent_id != agent.pk:
        managed.managing_agent = agent
        managed.save(update_fields=["managing_agent"])
    StaffMember.objects.filter(landlord=managed, role__in=AGENT_ROLES, agent__isnull=True).update(agent=agent)
    user, _ = User.objects.get_or_create(
        username=AGENT_HANDLER,
        defaults={
            "first_name": "Faye",
            "last_name": "Harlow",
            "email": f"{AGENT_HANDLER}@example.org",
            "password": hashed_password(password),
        },
    )
    StaffMember.objects.get_or_create(
        user=user,
        landlord=managed,
        defaults={"role": StaffRole.HANDLER, "agent": agent, "direct_phone": "01632 960 190"},
    )
    StaffMember.objects.get_or_create(
        user=user,
        landlord=landlords[AGENT_HANDLER_ALSO_AT],
        defaults={"role": StaffRole.HANDLER, "direct_phone": "01632 960 191"},
    )
    return user


def ensure_homes_counts(landlord: Landlord, homes: int, this_year: int) -> None:
    """Homes for the current reporting year and the two before it (invented figures, growing slowly)."""
    for back in range(3):
        year = this_year - back
        HomesCount.objects.get_or_create(
            landlord=landlord,
            year_starting=year,
            defaults={
                "low_cost_rental": round(homes * (1 - 0.006 * back)),
                "low_cost_home_ownership": round(homes * 0.04 * (1 - 0.02 * back)),
            },
        )


# How the Ombudsman's published findings name each demo landlord. Cheshire West's homes are managed
# by ForHousing, but the council is the landlord the Ombudsman names; all four are councils, though
# the published findings give Ashford's and Dartford's type as unknown.
OMBUDSMAN_NAMES = {
    "ashford": "Ashford",
    "medway": "Medway",
    "cheshire-west": "Cheshire West And Chester",
    "dartford": "Dartford",
}


def ensure_ombudsman_place(landlord: Landlord) -> None:
    """How the Ombudsman names the demo landlord, and its type, for the sector page (set if missing)."""
    if landlord.ombudsman_name or landlord.slug not in OMBUDSMAN_NAMES:
        return
    landlord.ombudsman_name = OMBUDSMAN_NAMES[landlord.slug]
    landlord.landlord_type = LandlordType.LOCAL_AUTHORITY
    landlord.save(update_fields=["ombudsman_name", "landlord_type"])


def reporting_year(day: date) -> int:
    """The year the reporting year (1 April to 31 March) containing `day` starts in."""
    return day.year if day.month >= 4 else day.year - 1


def ensure_letter_style(landlord: Landlord, town: str, *, name_staff: bool = True, team_name: str = "") -> None:
    """A letterhead and signatory for the demo landlord's letters (added if missing).

    `name_staff`: whether its letters name the person handling a complaint, as its policy asks;
    a landlord that names nobody signs as its team (`team_name`) too.
    """
    signatory = (
        {"signatory_name": "Alex Morgan", "signatory_role": "Complaints Manager"}
        if name_staff
        else {"signatory_name": "", "signatory_role": f"Complaints team, {landlord.name}"}
    )
    LetterStyle.objects.get_or_create(
        landlord=landlord,
        defaults={
            "address": f"Civic Offices\nHigh Street\n{town}",
            "phone": "0300 123 4567",
            "email": f"complaints@{landlord.slug}.example",
            "website": f"www.{landlord.slug}.example",
            **signatory,
            "contact": LetterStyle.Contact.HANDLER if name_staff else LetterStyle.Contact.TEAM,
            "team_name": team_name,
        },
    )
