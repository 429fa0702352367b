"""The cast every complaint test uses: a landlord, its staff in each role, and a stranger's staff."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import User

from putright.complaints import actions
from putright.complaints.models import Complaint
from putright.landlords.actions import adopt_policy
from putright.landlords.models import Landlord, StaffMember, StaffRole
from putright.rules.policy import load_policy
from tests.conftest import EXAMPLE_POLICIES


@dataclass
class Cast:
    landlord: Landlord
    handler: User  # Hana, a complaint handler
    other_handler: User  # Omar, another handler
    reviewer: User  # Rita, a stage 2 reviewer
    officer: User  # Olu, the complaints officer
    manager: User  # Mei, a manager
    auditor: User  # Aziz, read only
    other_landlord: Landlord
    stranger: User  # Sam, a complaints officer at the other landlord


def staff(username: str, landlord: Landlord, role: StaffRole) -> User:
    first, _, last = username.partition(".")
    user = User.objects.create_user(
        username, f"{username}@example.org", "a-long-test-password", first_name=first.title(), last_name=last.title()
    )
    StaffMember.objects.create(user=user, landlord=landlord, role=role)
    return user


def make_cast(policy: str = "code-2024.toml") -> Cast:
    landlord = Landlord.objects.create(slug="ashford", name="Ashford Borough Council", reference_prefix="ASH")
    adopt_policy(landlord, load_policy(EXAMPLE_POLICIES / policy), date(2020, 1, 1))
    other = Landlord.objects.create(slug="medway", name="Medway Council", reference_prefix="MED")
    adopt_policy(other, load_policy(EXAMPLE_POLICIES / "code-2024.toml"), date(2020, 1, 1))
    return Cast(
        landlord=landlord,
        handler=staff("hana.handler", landlord, StaffRole.HANDLER),
        other_handler=staff("omar.handler", landlord, StaffRole.HANDLER),
        reviewer=staff("rita.reviewer", landlord, StaffRole.REVIEWER),
        officer=staff("olu.officer", landlord, StaffRole.COMPLAINTS_OFFICER),
        manager=staff("mei.manager", landlord, StaffRole.MANAGER),
        auditor=staff("aziz.auditor", landlord, StaffRole.AUDITOR),
        other_landlord=other,
        stranger=staff("sam.stranger", other, StaffRole.COMPLAINTS_OFFICER),
    )


RESIDENT = actions.ResidentDetails(name="Rosa Resident", email="rosa@example.org", phone="07700 900123")


def log(cast: Cast, received_on: date, **changes: object) -> Complaint:
    fields: dict[str, object] = {
        "resident": RESIDENT,
        "channel": "phone",
        "received_on": received_on,
        "description": "The boiler has not worked for three weeks and nobody came to the appointment.",
        "outcome_sought": "Fix the boiler and compensate me for the heaters.",
        "service_area": "repairs",
        "issue_date": received_on,
    }
    fields.update(changes)
    actor = fields.pop("actor", cast.handler)
    return actions.log_complaint(cast.landlord, actor, **fields)  # type: ignore[arg-type]


def acknowledge(cast: Cast, complaint: Complaint, on: date, actor: User | None = None, **changes: object) -> Complaint:
    fields: dict[str, object] = {
        "on": on,
        "understanding": "The boiler has been broken since May and a repair appointment was missed.",
        "outcomes_sought": "A working boiler and compensation for running heaters.",
        "points": ["The boiler repair has taken too long", "The appointment on 3 June was missed"],
        "responsible_for": "Repairs to the boiler and the appointment booking.",
        "not_responsible_for": "The energy supplier's charges.",
        "conflict_of_interest": False,
    }
    fields.update(changes)
    return actions.acknowledge(complaint, actor or cast.handler, **fields)  # type: ignore[arg-type]


def respond(cast: Cast, complaint: Complaint, on: date, actor: User | None = None, **changes: object) -> Complaint:
    fields: dict[str, object] = {
        "on": on,
        "decisions": [
            actions.PointDecisionInput(1, "upheld", "The repair took 21 days against a 7-day target in our policy."),
            actions.PointDecisionInput(2, "not-upheld", "Our contractor's log shows the resident rearranged it."),
        ],
        "remedies": [actions.RemedyInput("apology", "We apologise for the delay in repairing the boiler.")],
    }
    fields.update(changes)
    return actions.respond(complaint, actor or cast.handler, **fields)  # type: ignore[arg-type]
