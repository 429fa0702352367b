"""putright demo: demonstration landlords, staff, residents and complaints. Running it twice changes nothing."""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser
from django.db import transaction
from django.utils import timezone

from putright.complaints.models import Status
from putright.demo import load
from putright.landlords import actions
from putright.landlords.models import Landlord
from putright.rules.policy import load_policy

DEMO_ADMIN = "admin"
DEMO_PASSWORD = "putright-demo"  # noqa: S105 - documented in the README; demo data only
DEMO_COMPLAINTS = 600
DEMO_SEED = 2024


@dataclass(frozen=True)
class DemoLandlord:
    slug: str
    name: str
    prefix: str
    policy_file: str
    closures: tuple[tuple[int, int], ...] = ()
    homes: int = 5000  # invented, for the demo's complaints per 1,000 homes
    town: str = ""


DEMO_LANDLORDS = (
    DemoLandlord(
        "ashford",
        "Ashford Borough Council",
        "ASH",
        "ashford-2024.toml",
        ((12, 29), (12, 30), (12, 31)),
        homes=5100,
        town="Ashford",
    ),
    DemoLandlord("medway", "Medway Council", "MED", "medway-2022.toml", homes=3000, town="Chatham"),
    DemoLandlord(
        "cheshire-west",
        "Cheshire West and Chester Council (ForHousing)",
        "CWC",
        "cheshire-west-forhousing-2023.toml",
        homes=5400,
        town="Ellesmere Port",
    ),
    DemoLandlord(
        "dartford",
        "Dartford Borough Council",
        "DAR",
        "dartford-2024.toml",
        ((12, 29), (12, 30), (12, 31)),
        homes=4000,
        town="Dartford",
    ),
)


class Command(BaseCommand):
    help = (
        "Load demonstration landlords with the example policies, staff in every role, residents, and about 600 "
        "complaints with 18 months of history made through the real actions."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--complaints",
            type=int,
            default=DEMO_COMPLAINTS,
            help=f"how many complaints across all landlords (default {DEMO_COMPLAINTS})",
        )
        parser.add_argument("--seed", type=int, default=DEMO_SEED, help="seed of the random choices")

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        policies = settings.BASE_DIR / "examples" / "policies"
        now = timezone.now()
        today = timezone.localdate(now)
        this_year = today.year
        landlords = []
        for demo in DEMO_LANDLORDS:
            landlord, _ = Landlord.objects.get_or_create(
                slug=demo.slug, defaults={"name": demo.name, "reference_prefix": demo.prefix}
            )
            policy = load_policy(policies / demo.policy_file)
            assert policy.effective_from is not None, f"{demo.policy_file} has no effective_from"
            if not landlord.policy_versions.filter(effective_from=policy.effective_from).exists():
                actions.adopt_policy(landlord, policy, policy.effective_from)
            existing = set(landlord.closure_days.values_list("date", flat=True))
            for year in (this_year - 1, this_year, this_year + 1):
                for month, day in demo.closures:
                    if date(year, month, day) not in existing:
                        actions.set_closure_day(
                            landlord, date(year, month, day), "Offices closed between Christmas and New Year"
                        )
            landlords.append(landlord)
        user_model = get_user_model()
        if not user_model.objects.filter(username=DEMO_ADMIN).exists():
            user_model.objects.create_superuser(DEMO_ADMIN, "admin@putright.localhost", DEMO_PASSWORD)

        total_homes = sum(demo.homes for demo in DEMO_LANDLORDS)
        wanted = max(0, options["complaints"])
        staff: list[str] = []
        for index, (demo, landlord) in enumerate(zip(DEMO_LANDLORDS, landlords, strict=True)):
            # The fixed scenarios (one per state the demo must show) are shared out between the landlords.
            forced = range(index, 100, len(DEMO_LANDLORDS)) if wanted else range(0)
            loaded = load.populate(
                landlord,
                homes=demo.homes,
                town=demo.town,
                complaints=round(wanted * demo.homes / total_homes),
                forced=forced,
                password=DEMO_PASSWORD,
                seed=options["seed"],
                today=today,
                now=now,
            )
            staff.extend(loaded.staff)
            state = "kept (it already has complaints)" if loaded.skipped else f"{loaded.complaints} complaints"
            self.stdout.write(f"{landlord.name}: {state}.")
        counts = load.status_counts(landlords)
        self.stdout.write(
            "Complaints by status: "
            + ", ".join(f"{label.lower()} {counts.get(value, 0)}" for value, label in Status.choices)
            + f" ({sum(counts.values())} in all, {time.monotonic() - started:.0f} s)."
        )
        self.stdout.write(
            f"Demo data ready: {Landlord.objects.count()} landlords.\n"
            f"Residents: http://127.0.0.1:8000/ to make or follow a complaint.\n"
            f"Staff: http://127.0.0.1:8000/staff/ as ash-handler1 or ash-officer1, password '{DEMO_PASSWORD}'.\n"
            f"Configuration: http://127.0.0.1:8000/admin/ as '{DEMO_ADMIN}', password '{DEMO_PASSWORD}'.\n"
            f"Every staff account has the password '{DEMO_PASSWORD}': {', '.join(staff)}."
        )
