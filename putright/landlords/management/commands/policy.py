"""putright policy: check a policy file against the Code, adopt it for a landlord, show one."""

from __future__ import annotations

import getpass
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from putright.landlords import actions
from putright.landlords.calendars import policy_version_in_force
from putright.landlords.management.arguments import get_landlord, parse_date, usage_error
from putright.rules.policy import (
    Finding,
    FindingKind,
    Policy,
    PolicyError,
    check_against_code,
    falls_short,
    load_policy,
)

FALLS_SHORT_STATUS = 1


class Command(BaseCommand):
    help = "Complaints policies: check FILE against the Code, load FILE for a landlord, show a landlord's."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        check = sub.add_parser("check", help="list every way FILE falls short of the Code (exit 1 if any)")
        check.add_argument("file")
        load = sub.add_parser("load", help="adopt FILE as a landlord's policy from its effective date")
        load.add_argument("file")
        load.add_argument("--landlord", required=True)
        load.add_argument("--effective-from", help="YYYY-MM-DD (default: the file's effective_from)")
        load.add_argument(
            "--confirm-falls-short",
            action="store_true",
            help="adopt FILE even though it falls short of the Code (recorded on the version, with who ran this)",
        )
        show = sub.add_parser("show", help="the policy a landlord has in force on a date, checked")
        show.add_argument("--landlord", required=True)
        show.add_argument("--on", help="YYYY-MM-DD (default: today)")

    def handle(self, *args: Any, **options: Any) -> None:
        getattr(self, "do_" + options["action"])(options)

    def _load(self, file: str) -> Policy:
        try:
            return load_policy(Path(file))
        except PolicyError as error:
            raise usage_error(str(error)) from None

    def _report(self, policy: Policy) -> list[Finding]:
        findings = check_against_code(policy)
        short = [f for f in findings if f.kind is FindingKind.FALLS_SHORT]
        self.stdout.write(f"{policy.name}")
        if short:
            self.stdout.write(f"Falls short of the Code in {len(short)} way{'s' if len(short) != 1 else ''}.")
        else:
            self.stdout.write("Meets every timescale and rule of the Code that a policy file can show.")
        for kind in FindingKind:
            for finding in (f for f in findings if f.kind is kind):
                self.stdout.write(f"  {kind.value.upper():<11} {finding.provision:<6} {finding.setting}")
                self.stdout.write(f"              {finding.message}")
        return findings

    def do_check(self, options: dict[str, Any]) -> None:
        if falls_short(self._report(self._load(options["file"]))):
            raise SystemExit(FALLS_SHORT_STATUS)

    def do_load(self, options: dict[str, Any]) -> None:
        landlord = get_landlord(options["landlord"])
        policy = self._load(options["file"])
        effective = options.get("effective_from")
        effective_from = parse_date(effective, "effective date") if effective else policy.effective_from
        if effective_from is None:
            raise usage_error("the file has no effective_from: give --effective-from YYYY-MM-DD")
        findings = check_against_code(policy)
        if falls_short(findings) and not options["confirm_falls_short"]:
            self.stderr.write(f"Not loaded: {policy.name} falls short of the Code.")
            for finding in findings:
                if finding.kind is FindingKind.FALLS_SHORT:
                    self.stderr.write(f"  {finding.provision:<6} {finding.setting}: {finding.message}")
            raise usage_error(
                "run again with --confirm-falls-short to adopt it anyway (the Code's numbers still apply "
                "wherever the policy is weaker, and your confirmation is recorded)"
            )
        # The operator's account is who confirmed: a command line has no signed-in user.
        operator = f"{getpass.getuser()} (putright policy load)" if falls_short(findings) else ""
        version = actions.adopt_policy(
            landlord,
            policy,
            effective_from,
            falls_short_confirmed_by_name=operator,
        )
        self.stdout.write(f"{landlord} follows {version.name} for complaints received from {effective_from}")
        self._report(policy)

    def do_show(self, options: dict[str, Any]) -> None:
        landlord = get_landlord(options["landlord"])
        on = parse_date(options["on"]) if options.get("on") else timezone.localdate()
        version = policy_version_in_force(landlord, on)
        if version is None:
            self.stdout.write(f"{landlord} has no policy recorded for {on}: the Code's own numbers apply.")
            return
        self.stdout.write(f"In force on {on} (from {version.effective_from}):")
        self._report(version.policy())
