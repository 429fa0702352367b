"""putright demo: demonstration landlords, staff, residents and complaints. Running it twice changes nothing.

Each landlord is loaded in a transaction of its own, behind a progress bar: a run that is stopped
part-way keeps the landlords it finished, and running it again loads the rest. The history's
letters and email are settled as history (`load.settle_history`): the worker is left only today's.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandParser, OutputWrapper
from django.db import transaction
from django.utils import timezone

from putright.complaints.models import Status
from putright.correspondence import letters, tasks
from putright.demo import load
from putright.demo.organisation import (
    DEMO_ADMIN,
    DEMO_PASSWORD,
    FIRST_ACCOUNTS,
    ensure_managing_agent,
    hashed_password,
)
from putright.landlords import actions
from putright.landlords.models import Landlord
from putright.rules.policy import load_policy

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
    # Who acknowledgements tell residents to contact, from each policy: Ashford's acknowledgement gives
    # "the name and contact details of the person handling the complaint"; Cheshire West's policy says
    # "Staff members or third parties should not, where possible, be named in correspondence".
    name_staff: bool = True
    team_name: str = ""

    @property
    def label(self) -> str:
        """A short name for the progress bar."""
        return self.slug.replace("-", " ").title()


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
        name_staff=False,
        team_name="the ForHousing complaints team",
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


class ProgressBar:
    """`Ashford        [##########....................]  58/176 complaints`, redrawn in place on a
    terminal; elsewhere (a log, a test) only the finished line is written."""

    WIDTH = 30

    def __init__(self, out: OutputWrapper, label: str) -> None:
        self.out = out
        self.label = label
        self.live = out.isatty()
        self.drawn_at = 0.0

    def line(self, done: int, planned: int) -> str:
        filled = self.WIDTH * done // planned if planned else self.WIDTH
        bar = "#" * filled + "." * (self.WIDTH - filled)
        return f"{self.label:<14} [{bar}] {done:>3}/{planned} complaints"

    def show(self, done: int, planned: int) -> None:
        if not self.live or (done < planned and time.monotonic() - self.drawn_at < 0.1):
            return
        self.drawn_at = time.monotonic()
        self.out.write("\r" + self.line(done, planned), ending="")
        self.out.flush()

    def finish(self, done: int, planned: int, note: str) -> None:
        self.out.write(("\r" if self.live else "") + self.line(done, planned) + note)


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

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.monotonic()
        now = timezone.now()
        today = timezone.localdate(now)
        with transaction.atomic():
            landlords = self._landlords(today)
        total_homes = sum(demo.homes for demo in DEMO_LANDLORDS)
        wanted = max(0, options["complaints"])
        staff: list[str] = []
        for index, (demo, landlord) in enumerate(zip(DEMO_LANDLORDS, landlords, strict=True)):
            # The fixed scenarios (one per state the demo must show) are shared out between the landlords.
            forced = range(index, 100, len(DEMO_LANDLORDS)) if wanted else range(0)
            bar = ProgressBar(self.stdout, demo.label)
            began = time.monotonic()
            # The stories' thousands of wake-ups for the worker are held back: their letters and
            # email are settled as history before this commits, and only today's are then queued.
            with tasks.wake_ups_held(), letters.wording_kept(), transaction.atomic():
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
                    progress=bar.show,
                    name_staff=demo.name_staff,
                    team_name=demo.team_name,
                )
                if not loaded.skipped:
                    load.settle_history(landlord, today)
            staff.extend(loaded.staff)
            if loaded.skipped:
                self.stdout.write(f"{demo.label:<14} kept: it already has complaints.")
                continue
            load.wake_worker(landlord)
            bar.finish(loaded.planned, loaded.planned, f", {time.monotonic() - began:.0f} s")
        with transaction.atomic():
            agent_handler = ensure_managing_agent({landlord.slug: landlord for landlord in landlords}, DEMO_PASSWORD)
            load.give_work(agent_handler, today)
        staff.append(agent_handler.username)
        counts = load.status_counts(landlords)
        self.stdout.write(
            f"Demo data ready: {Landlord.objects.count()} landlords. Complaints by status: "
            + ", ".join(f"{label.lower()} {counts.get(value, 0)}" for value, label in Status.choices)
            + f" ({sum(counts.values())} in all, {time.monotonic() - started:.0f} s)."
        )
        self.stdout.write(
            f"Sign in to the staff pages as {' or '.join(FIRST_ACCOUNTS)}, and to the configuration pages as "
            f"'{DEMO_ADMIN}', with the password '{DEMO_PASSWORD}': `putright serve` says where once it is serving.\n"
            f"Every staff account has the password '{DEMO_PASSWORD}': {', '.join(staff)}."
        )

    def _landlords(self, today: date) -> list[Landlord]:
        """The demo landlords with their policies, closure days and an administrator (added if missing)."""
        policies = settings.BASE_DIR / "examples" / "policies"
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
            admin = user_model(username=DEMO_ADMIN, email="admin@putright.localhost", is_staff=True, is_superuser=True)
            admin.password = hashed_password(DEMO_PASSWORD)  # the staff's hash: one fewer to make
            admin.save()
        return landlords
