"""putright report: the measures as JSON, the annual and governance reports and the self-assessment as files,
complaint exports, and importing a TP09 perception survey.

    putright report measures --landlord ashford --year 2024
    putright report measures --landlord ashford --from 2024-07-01 --to 2024-09-30 --service-area repairs
    putright report annual --landlord ashford --year 2024 --pdf annual-2024.pdf
    putright report self-assessment --landlord ashford --year 2024 --xlsx sa-2024.xlsx --pdf sa-2024.pdf
    putright report governance --landlord ashford --year 2024 --quarter 2 --pdf q2.pdf
    putright report complaints --landlord ashford --from 2024-04-01 --to 2025-03-31 --csv complaints.csv
    putright report tp09 --landlord ashford --year 2024 --as olu.officer survey.csv
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand, CommandParser

from putright import clock
from putright.complaints.errors import ComplaintError, InvalidInput
from putright.complaints.models import ServiceArea
from putright.documents.pdf import render_pdf
from putright.insight import actions, exports, reports
from putright.insight.measures import compute
from putright.insight.periods import Period, reporting_year_of, year_label
from putright.landlords.management.arguments import get_landlord, parse_count, parse_date, usage_error
from putright.landlords.models import Landlord


def _write(path: str, content: bytes) -> None:
    if path == "-":
        sys.stdout.buffer.write(content)
        return
    Path(path).write_bytes(content)


class Command(BaseCommand):
    help = "Complaint measures and reports: measures (JSON), annual, self-assessment, governance, complaints, tp09."

    def add_arguments(self, parser: CommandParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        def with_landlord(name: str, text: str) -> CommandParser:
            command = sub.add_parser(name, help=text)
            command.add_argument("--landlord", required=True, help="the landlord's slug")
            return command

        measures = with_landlord("measures", "every measure for a reporting year or any dates, as JSON")
        measures.add_argument("--year", help="the reporting year by the year it starts (default: the current one)")
        measures.add_argument("--from", dest="start", help="YYYY-MM-DD: the first day, instead of --year")
        measures.add_argument("--to", dest="end", help="YYYY-MM-DD: the last day")
        measures.add_argument("--service-area", default="", help="only complaints about this service area")
        annual = with_landlord("annual", "the annual complaints performance and service improvement report (PDF)")
        annual.add_argument("--year", required=True)
        annual.add_argument("--pdf", required=True, help="the file to write, or - for standard output")
        assessment = with_landlord("self-assessment", "the self-assessment in the Ombudsman's five columns")
        assessment.add_argument("--year", required=True)
        assessment.add_argument("--xlsx", help="write it as a spreadsheet to this file")
        assessment.add_argument("--pdf", help="write it as a PDF to this file")
        governance = with_landlord("governance", "the quarterly governance report (9.7) as a PDF")
        governance.add_argument("--year", required=True)
        governance.add_argument("--quarter", required=True, help="1 (April to June) to 4 (January to March)")
        governance.add_argument("--pdf", required=True)
        complaints = with_landlord("complaints", "export complaints received in a period as CSV or XLSX")
        complaints.add_argument("--from", dest="start")
        complaints.add_argument("--to", dest="end")
        complaints.add_argument("--service-area", default="")
        complaints.add_argument("--csv", help="the CSV file to write, or - for standard output")
        complaints.add_argument("--xlsx", help="the spreadsheet to write")
        survey = with_landlord("tp09", "import a perception survey export (CSV) for TP09")
        survey.add_argument("file")
        survey.add_argument("--year", required=True)
        survey.add_argument("--as", dest="actor", required=True, help="the username of the officer importing it")

    def handle(self, *args: Any, **options: Any) -> None:
        landlord = get_landlord(options["landlord"])
        getattr(self, "do_" + options["action"].replace("-", "_"))(landlord, options)

    def _year(self, value: str | None) -> int:
        year = parse_count(value, "year") if value else reporting_year_of(clock.today())
        if not 2000 <= year <= 2200:
            raise usage_error(f"year {year} is not a reporting year Putright can report on")
        return year

    def _period(self, options: dict[str, Any]) -> Period:
        start, end = options.get("start"), options.get("end")
        if bool(start) != bool(end):
            raise usage_error("give both --from and --to, or neither")
        if start and end:
            if options.get("year"):
                raise usage_error("give --year, or --from and --to, not both")
            try:
                return Period(parse_date(start, "--from"), parse_date(end, "--to"))
            except ValueError as error:
                raise usage_error(str(error)) from None
        return Period.reporting_year(self._year(options.get("year")))

    def _area(self, options: dict[str, Any]) -> str:
        area = options.get("service_area") or ""
        if area and area not in ServiceArea.values:
            raise usage_error(f"unknown service area {area!r}: choose one of {', '.join(ServiceArea.values)}")
        return area

    def do_measures(self, landlord: Landlord, options: dict[str, Any]) -> None:
        figures = compute(landlord, self._period(options), self._area(options))
        self.stdout.write(json.dumps(figures.as_data(), indent=2))

    def do_annual(self, landlord: Landlord, options: dict[str, Any]) -> None:
        view = reports.annual_report(landlord, self._year(options["year"]))
        _write(options["pdf"], render_pdf("insight/annual/pdf.html", {"report": view}, attachments=view.attachments))
        if options["pdf"] != "-":
            self.stdout.write(f"Wrote the {view.label} annual report to {options['pdf']}")

    def do_self_assessment(self, landlord: Landlord, options: dict[str, Any]) -> None:
        year = self._year(options["year"])
        if not options.get("xlsx") and not options.get("pdf"):
            raise usage_error("give --xlsx FILE, --pdf FILE or both")
        assessment = reports.load_assessment(landlord, year)
        if assessment is None:
            raise usage_error(f"{landlord.slug} has no self-assessment for {year_label(year)}")
        view = reports.assessment_view(assessment)
        if options.get("xlsx"):
            _write(options["xlsx"], exports.self_assessment_xlsx(view))
        if options.get("pdf"):
            context = {"view": view, "label": year_label(year), "generated_on": clock.today()}
            _write(options["pdf"], render_pdf("insight/assessment/pdf.html", context))

    def do_governance(self, landlord: Landlord, options: dict[str, Any]) -> None:
        quarter = parse_count(options["quarter"], "quarter")
        if quarter not in (1, 2, 3, 4):
            raise usage_error("--quarter must be 1, 2, 3 or 4")
        view = reports.governance_report(landlord, self._year(options["year"]), quarter)
        _write(options["pdf"], render_pdf("insight/governance/pdf.html", {"report": view}))

    def do_complaints(self, landlord: Landlord, options: dict[str, Any]) -> None:
        if not options.get("csv") and not options.get("xlsx"):
            raise usage_error("give --csv FILE (or -), --xlsx FILE, or both")
        start, end = options.get("start"), options.get("end")
        chosen = exports.ComplaintFilter(
            received_from=parse_date(start, "--from") if start else None,
            received_to=parse_date(end, "--to") if end else None,
            service_area=self._area(options),
        )
        if options.get("csv"):
            _write(options["csv"], "".join(exports.complaints_csv(landlord, chosen)).encode("utf-8"))
        if options.get("xlsx"):
            _write(options["xlsx"], exports.complaints_xlsx(landlord, chosen))

    def do_tp09(self, landlord: Landlord, options: dict[str, Any]) -> None:
        actor = User.objects.filter(username=options["actor"]).first()
        if actor is None:
            raise usage_error(f"no user {options['actor']!r}")
        path = Path(options["file"])
        if not path.is_file():
            raise usage_error(f"no file {options['file']!r}")
        try:
            year = self._year(options["year"])
            content = path.read_bytes()
            survey = actions.import_perception_survey(
                landlord, actor, year_starting=year, file_name=path.name, content=content
            )
        except InvalidInput as refusal:
            raise usage_error("; ".join(refusal.errors.values())) from None
        except ComplaintError as refusal:
            raise usage_error(refusal.message) from None
        self.stdout.write(
            f"Imported {survey.rows:,} respondents for {year_label(survey.year_starting)}: TP09 LCRA "
            f"{survey.lcra_satisfied:,} of {survey.lcra_complainants:,}, LCHO {survey.lcho_satisfied:,} of "
            f"{survey.lcho_complainants:,} satisfied."
        )
