"""putright import_ombudsman_findings FILE: import the Housing Ombudsman's published findings (CSV).

    putright import_ombudsman_findings ../shared/data/housing_ombudsman_complaint_findings.csv

Importing the same file twice changes nothing; a newer file adds and updates rows. Prints one line:
rows read, added, updated, unchanged and skipped (with why). A file in the wrong layout is refused
whole, naming the columns it lacks (exit status 2).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from putright.insight.sector import FindingsFileError, ImportSummary, import_findings, read_findings_file
from putright.landlords.management.arguments import usage_error


class Command(BaseCommand):
    help = "Import the Housing Ombudsman's published findings from a CSV file, for the sector comparison."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the CSV of published findings")

    def handle(self, *args: Any, **options: Any) -> None:
        summary = ImportSummary()
        try:
            parsed = read_findings_file(Path(options["file"]), summary)
        except FindingsFileError as error:
            raise usage_error(f"{error}. Nothing was imported.") from None
        import_findings(parsed, summary)
        self.stdout.write(summary.line())
