"""putright demo: demonstration landlords, policies and accounts. Running it twice changes nothing."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from putright.landlords import actions
from putright.landlords.models import Landlord
from putright.rules.policy import load_policy

DEMO_ADMIN = "admin"
DEMO_PASSWORD = "putright-demo"  # noqa: S105 - documented in the README; demo data only


@dataclass(frozen=True)
class DemoLandlord:
    slug: str
    name: str
    prefix: str
    policy_file: str
    closures: tuple[tuple[int, int], ...] = ()


DEMO_LANDLORDS = (
    DemoLandlord("ashford", "Ashford Borough Council", "ASH", "ashford-2024.toml", ((12, 29), (12, 30), (12, 31))),
    DemoLandlord("medway", "Medway Council", "MED", "medway-2022.toml"),
    DemoLandlord(
        "cheshire-west",
        "Cheshire West and Chester Council (ForHousing)",
        "CWC",
        "cheshire-west-forhousing-2023.toml",
    ),
    DemoLandlord("dartford", "Dartford Borough Council", "DAR", "dartford-2024.toml", ((12, 29), (12, 30), (12, 31))),
)


class Command(BaseCommand):
    help = "Load demonstration landlords with the example policies and a demo administrator."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        policies = settings.BASE_DIR / "examples" / "policies"
        this_year = timezone.localdate().year
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
        user_model = get_user_model()
        if not user_model.objects.filter(username=DEMO_ADMIN).exists():
            user_model.objects.create_superuser(DEMO_ADMIN, "admin@putright.localhost", DEMO_PASSWORD)
        self.stdout.write(
            f"Demo data ready: {Landlord.objects.count()} landlords.\n"
            f"Sign in at http://127.0.0.1:8000/admin/ as '{DEMO_ADMIN}' with the password '{DEMO_PASSWORD}'."
        )
