"""putright retention: sweep one landlord's records under its retention schedule now, or say what would move."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from putright import clock
from putright.landlords.models import Landlord
from putright.retention import actions
from putright.retention.schedule import schedule_for

USAGE_ERROR = 2


class Command(BaseCommand):
    help = (
        "Put under review the landlord's complaints whose retention date has come, and anonymise those whose "
        "time under review ran out without a hold (what the worker does daily). --dry-run only prints what would move."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--landlord", required=True, metavar="SLUG", help="the landlord's slug, such as ashford")
        parser.add_argument("--dry-run", action="store_true", help="change nothing: print what would move")

    def handle(self, *args: Any, landlord: str, dry_run: bool, **options: Any) -> None:
        found = Landlord.objects.filter(slug=landlord.strip()).first()
        if found is None:
            raise CommandError(f"No landlord has the slug {landlord!r}", returncode=USAGE_ERROR)
        schedule = schedule_for(found)
        today = clock.today()
        self.stdout.write(
            f"{found.name}: reviewed {schedule.years_after_closure} years after a complaint ended, anonymised "
            f"{schedule.grace_days} days later unless held. Today is {today:%-d %B %Y}."
        )
        result = actions.sweep_landlord(found, today, dry_run=dry_run)
        would = "Would put" if dry_run else "Put"
        for reference, ended in result.to_review:
            self.stdout.write(f"{would} under review: {reference} (ended {ended:%-d %B %Y})")
        for reference, until in result.back_to_review:
            self.stdout.write(f"{would} under review again: {reference} (held until {until:%-d %B %Y})")
        if dry_run:
            for reference in result.to_anonymise:
                self.stdout.write(f"Would anonymise: {reference}")
        else:
            for reference in result.anonymised:
                self.stdout.write(f"Anonymised: {reference}")
            for _reference, why in result.refused:
                self.stdout.write(f"Not anonymised: {why}")
        moved = len(result.to_review) + len(result.back_to_review)
        gone = len(result.to_anonymise) if dry_run else len(result.anonymised)
        verb = "would be" if dry_run else "were"
        self.stdout.write(f"{moved} {verb} put under review; {gone} {verb} anonymised.")
