"""Report builders: the dashboard, the annual report (8.1) and the quarterly governance report (9.7).

Each builder reads everything it needs in a fixed number of queries and returns plain objects for
a template, so the web page and the PDF are made from the same thing.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q

from putright import clock
from putright.complaints.models import OPEN_STATUSES, Complaint, RootCause, ServiceArea, other_areas
from putright.governance import presented
from putright.governance.action_plan import ActionPlanReport
from putright.governance.action_plan import report_for as action_plan_report
from putright.governance.models import Presentation
from putright.governance.presented import Oversight, oversight_for
from putright.insight import charts
from putright.insight import measures as m
from putright.insight.models import AnnualReport, Comply, SelfAssessment, SelfAssessmentEntry, ServiceImprovement
from putright.insight.ombudsman_outcomes import DeterminedCase, OrdersInQuarter, determined_cases, orders_in_quarter
from putright.insight.other_reports import OtherReport, other_reports_for
from putright.insight.periods import Period, quarter_label, year_label
from putright.landlords.models import Landlord, ServiceAreaName
from putright.rules.provisions import SECTIONS, Provision, provision


def show_number(value: float | int | None, suffix: str = "") -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:,.1f}{suffix}"
    return f"{value:,}{suffix}"


def show_percent(share: m.Share) -> str:
    return show_number(share.percent, "%")


def show_money(value: Decimal) -> str:
    return f"£{value:,.2f}"


# -- charts -----------------------------------------------------------------------------------


def trend_charts(figures: m.Measures, prefix: str = "trend") -> list[charts.Chart]:
    """Monthly and quarterly volumes and timeliness."""
    months, quarters = figures.monthly, figures.quarterly
    result = []
    for points, name, header in ((months, "monthly", "Month"), (quarters, "quarterly", "Quarter")):
        labels = [p.label for p in points]
        result.append(
            charts.column_chart(
                f"{prefix}-{name}-received",
                f"Complaints received, {name}",
                labels,
                [
                    charts.Series("Stage 1", [p.stage1_received for p in points]),
                    charts.Series("Stage 2", [p.stage2_received for p in points]),
                ],
                first_header=header,
            )
        )
        result.append(
            charts.column_chart(
                f"{prefix}-{name}-stage1-timeliness",
                f"Stage 1 timeliness, {name}",
                labels,
                [
                    charts.Series(
                        "Acknowledged within 5 working days", [p.stage1_acknowledged_within.percent for p in points]
                    ),
                    charts.Series(
                        "Responded within the Code's timescale", [p.stage1_within_timescale.percent for p in points]
                    ),
                ],
                unit="%",
                percent=True,
                first_header=header,
                description=f"Percentage of stage 1 acknowledgements and responses on time, by {header.lower()}; "
                "a period with none has no bar.",
            )
        )
        result.append(
            charts.column_chart(
                f"{prefix}-{name}-stage2-timeliness",
                f"Stage 2 timeliness, {name}",
                labels,
                [
                    charts.Series(
                        "Acknowledged within 5 working days", [p.stage2_acknowledged_within.percent for p in points]
                    ),
                    charts.Series(
                        "Responded within the Code's timescale", [p.stage2_within_timescale.percent for p in points]
                    ),
                ],
                unit="%",
                percent=True,
                first_header=header,
            )
        )
    return result


def breakdown_charts(figures: m.Measures, prefix: str = "breakdown") -> list[charts.Chart]:
    s1, s2 = figures.stage1, figures.stage2
    outcome_labels = [label for _, label in m.OUTCOMES]
    return [
        charts.bar_chart(
            f"{prefix}-service-area",
            "Stage 1 complaints by service area",
            [(row.label, row.count) for row in figures.by_service_area],
            first_header="Service area",
        ),
        charts.bar_chart(
            f"{prefix}-channel",
            "Stage 1 complaints by channel",
            [(row.label, row.count) for row in figures.by_channel],
            first_header="Channel",
        ),
        charts.column_chart(
            f"{prefix}-outcomes",
            "Outcomes by stage",
            outcome_labels,
            [
                charts.Series("Stage 1", [o.count for o in s1.outcomes]),
                charts.Series("Stage 2", [o.count for o in s2.outcomes]),
            ],
            first_header="Outcome",
        ),
        charts.column_chart(
            f"{prefix}-acknowledge-days",
            "Working days to acknowledge",
            [band.label for band in s1.to_acknowledge.bands],
            [
                charts.Series("Stage 1", [band.count for band in s1.to_acknowledge.bands]),
                charts.Series("Stage 2", [band.count for band in s2.to_acknowledge.bands]),
            ],
            first_header="Working days",
        ),
        charts.column_chart(
            f"{prefix}-respond-days",
            "Working days from acknowledgement to response",
            [band.label for band in s1.to_respond.bands],
            [
                charts.Series("Stage 1", [band.count for band in s1.to_respond.bands]),
                charts.Series("Stage 2", [band.count for band in s2.to_respond.bands]),
            ],
            first_header="Working days",
        ),
        charts.bar_chart(
            f"{prefix}-not-accepted",
            "Complaints not accepted, by ground",
            [(row.label, row.count) for row in figures.refusals.by_ground],
            first_header="Ground",
        ),
        charts.bar_chart(
            f"{prefix}-remedies",
            "Remedies in responses, by kind",
            [(row.label, row.count) for row in figures.remedies.by_kind],
            first_header="Remedy",
        ),
    ]


# -- headline figures with a comparison --------------------------------------------------------


@dataclass(frozen=True)
class Comparison:
    measure: str
    reference: str
    now: str
    before: str
    earlier: str = "–"  # two years before, for the annual report's three-year trend


def show_rate(rate: m.PerHomes) -> str:
    """A per-1,000 rate with the homes count behind it, so a reader can check it (CH01)."""
    if not rate.homes:
        return "– (number of homes not recorded)"
    return f"{show_number(rate.per_1000)} per 1,000 of our {rate.homes:,} homes"


def _rows(now: m.Measures, before: m.Measures | None) -> list[tuple[str, str, Callable[[m.Measures], str]]]:
    def tp09(part: str) -> Callable[[m.Measures], str]:
        return lambda x: show_percent(getattr(x.tp09, part)) if x.tp09 else "–"

    return [
        ("Stage 1 complaints received", "CH01(1) count", lambda x: show_number(x.stage1.received)),
        ("Stage 2 complaints received", "CH01(2) count", lambda x: show_number(x.stage2.received)),
        ("Complaints referred to the Ombudsman", "8.1(c)", lambda x: show_number(x.ombudsman.referrals)),
        ("Stage 1 complaints per 1,000 LCRA homes", "CH01(1)", lambda x: show_rate(x.stage1.lcra)),
        ("Stage 1 complaints per 1,000 LCHO homes", "CH01(1)", lambda x: show_rate(x.stage1.lcho)),
        ("Stage 2 complaints per 1,000 LCRA homes", "CH01(2)", lambda x: show_rate(x.stage2.lcra)),
        ("Stage 2 complaints per 1,000 LCHO homes", "CH01(2)", lambda x: show_rate(x.stage2.lcho)),
        (
            "Stage 1 responses within the Code's timescales",
            "CH02(1)",
            lambda x: show_percent(x.stage1.within_timescale),
        ),
        ("… not counting extensions", "CH02(1)", lambda x: show_percent(x.stage1.within_without_extensions)),
        (
            "Stage 2 responses within the Code's timescales",
            "CH02(2)",
            lambda x: show_percent(x.stage2.within_timescale),
        ),
        ("… not counting extensions", "CH02(2)", lambda x: show_percent(x.stage2.within_without_extensions)),
        ("Stage 1 acknowledged within 5 working days", "6.2", lambda x: show_percent(x.stage1.acknowledged_within)),
        ("Stage 2 acknowledged within 5 working days", "6.11", lambda x: show_percent(x.stage2.acknowledged_within)),
        ("Average working days to respond, stage 1", "6.3", lambda x: show_number(x.stage1.to_respond.average_days)),
        ("Average working days to respond, stage 2", "6.14", lambda x: show_number(x.stage2.to_respond.average_days)),
        ("Stage 1 responses escalated to stage 2", "6.10", lambda x: show_percent(x.escalated)),
        ("Complaints not accepted", "2.1, 8.1(b)", lambda x: show_number(x.refusals.not_accepted)),
        ("Compensation offered", "7.1", lambda x: show_money(x.remedies.compensation.offered)),
        ("Compensation paid", "7.3", lambda x: show_money(x.remedies.compensation.paid)),
        ("Satisfied with complaint handling, LCRA", "TP09", tp09("lcra")),
        ("Satisfied with complaint handling, LCHO", "TP09", tp09("lcho")),
    ]


def comparisons(now: m.Measures, before: m.Measures | None, earlier: m.Measures | None = None) -> list[Comparison]:
    return [
        Comparison(name, reference, show(now), show(before) if before else "–", show(earlier) if earlier else "–")
        for name, reference, show in _rows(now, before)
    ]


# -- learning ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Theme:
    key: str
    label: str
    now: int
    before: int
    areas: list[str]


def learning_themes(landlord: Landlord, period: Period, previous: Period | None) -> list[Theme]:
    """Root causes of the complaints closed in the period, with the year before and the areas they came from."""
    spans = [("now", period)] + ([("before", previous)] if previous else [])
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    areas: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    earliest = min(p.start for _, p in spans)
    closed = Complaint.objects.filter(landlord=landlord, closed_on__range=(earliest, period.end)).exclude(root_cause="")
    area_labels = dict(ServiceArea.choices)
    # A complaint in several areas (issue 19) is listed under each of them, and counted once.
    rows = closed.order_by().values("root_cause", "service_area", "other_areas", "closed_on").annotate(n=Count("id"))
    for row in rows:
        for name, span in spans:
            if span.start <= row["closed_on"] <= span.end:
                counts[row["root_cause"]][name] += row["n"]
                if name == "now":
                    for area in [row["service_area"], *other_areas(row["other_areas"])]:
                        areas[row["root_cause"]][area_labels.get(area, m.NOT_RECORDED)] += row["n"]
    themes = [
        Theme(
            key,
            label,
            counts[key]["now"],
            counts[key]["before"],
            [f"{area} ({n})" for area, n in sorted(areas[key].items(), key=lambda item: (-item[1], item[0]))],
        )
        for key, label in RootCause.choices
        if counts[key]["now"] or counts[key]["before"]
    ]
    return sorted(themes, key=lambda theme: (-theme.now, -theme.before, theme.label))


def learning_examples(landlord: Landlord, period: Period, limit: int = 8) -> list[Complaint]:
    return list(
        Complaint.objects.filter(landlord=landlord, closed_on__range=(period.start, period.end))
        .exclude(learning_outcome="")
        .order_by("-closed_on", "-id")[:limit]
    )


def improvements_for(landlord: Landlord, period: Period) -> list[ServiceImprovement]:
    """Improvements made or under way in the period: completed in it; or still open and either recorded by its
    end or prompted by a complaint received in it (a report written after the year still shows them)."""
    span = (period.start, period.end)
    prompted = ServiceImprovement.complaints.through.objects.filter(
        serviceimprovement=OuterRef("pk"), complaint__received_on__range=span
    )
    still_open = Q(status__in=(ServiceImprovement.Status.PROPOSED, ServiceImprovement.Status.IN_PROGRESS))
    return list(
        ServiceImprovement.objects.filter(landlord=landlord)
        .filter(Q(completed_on__range=span) | (still_open & (Q(created_at__date__lte=period.end) | Exists(prompted))))
        .annotate(linked=Count("complaints"))
        .order_by("status", "target_date", "id")
    )


def you_said_we_did(landlord: Landlord) -> list[ServiceImprovement]:
    return list(
        ServiceImprovement.objects.filter(landlord=landlord, publish=True).order_by(
            "-completed_on", "-updated_at", "-id"
        )
    )


# -- the self-assessment -------------------------------------------------------------------------


@dataclass(frozen=True)
class AssessedProvision:
    provision: Provision
    entry: SelfAssessmentEntry


@dataclass(frozen=True)
class AssessedSection:
    number: int
    title: str
    rows: list[AssessedProvision]


@dataclass
class AssessmentView:
    assessment: SelfAssessment
    sections: list[AssessedSection]
    totals: dict[str, int]
    action_plan: list[AssessedProvision]

    @property
    def short_of_yes(self) -> list[AssessedProvision]:
        return [row for row in self.action_plan if row.entry.short_of_yes]


def assessment_view(assessment: SelfAssessment) -> AssessmentView:
    entries = sorted(assessment.entries.all(), key=lambda e: (e.section, e.item))
    rows = [AssessedProvision(provision(e.provision), e) for e in entries]
    sections = [
        AssessedSection(s.number, s.title, [r for r in rows if r.provision.section.number == s.number])
        for s in SECTIONS
    ]
    totals = {label: sum(1 for r in rows if r.entry.comply == key) for key, label in Comply.choices}
    totals["Not yet assessed"] = sum(1 for r in rows if not r.entry.comply)
    plan = [r for r in rows if r.entry.action]
    return AssessmentView(assessment, sections, totals, plan)


def load_assessment(landlord: Landlord, year_starting: int) -> SelfAssessment | None:
    return (
        SelfAssessment.objects.filter(landlord=landlord, year_starting=year_starting)
        .select_related("drafted_by", "submitted_by", "approved_by", "landlord")
        .prefetch_related("entries")
        .first()
    )


# -- the annual report (8.1) ------------------------------------------------------------------


@dataclass
class AnnualReportView:
    landlord: Landlord
    year_starting: int
    period: Period
    figures: m.Measures
    previous: m.Measures
    earlier: m.Measures  # two years before: the report shows a three-year trend
    comparisons: list[Comparison]
    report: AnnualReport | None
    assessment: AssessmentView | None
    themes: list[Theme]
    examples: list[Complaint]
    improvements: list[ServiceImprovement]
    you_said_we_did: list[ServiceImprovement]
    referrals: list[Complaint]
    determined: list[DeterminedCase]  # every case the Ombudsman determined in the year, whenever referred (8.1 c)
    other_reports: list[OtherReport]  # the Ombudsman's other reports about the landlord's work (8.1 f)
    area_names: dict[str, str]  # the landlord's own names for Putright's service areas, by area key
    charts: dict[str, charts.Chart] = field(default_factory=dict)
    generated_on: date = field(default_factory=clock.today)
    presented: list[Presentation] = field(
        default_factory=list
    )  # to the governing body and the MRC, with responses (8.2)

    @property
    def label(self) -> str:
        return year_label(self.year_starting)

    @property
    def previous_label(self) -> str:
        return year_label(self.year_starting - 1)

    @property
    def earlier_label(self) -> str:
        return year_label(self.year_starting - 2)

    @property
    def years(self) -> list[tuple[str, m.Measures]]:
        """The year and the two before it, newest first."""
        return [(self.label, self.figures), (self.previous_label, self.previous), (self.earlier_label, self.earlier)]

    @property
    def attachments(self) -> list[tuple[str, bytes]]:
        """The files the PDF carries: the Ombudsman's annual report (8.1 e) and other reports uploaded (8.1 f)."""
        files = []
        if self.report and self.report.ombudsman_letter:
            with self.report.ombudsman_letter.open("rb") as letter:
                files.append((self.report.ombudsman_letter_name or "ombudsman-annual-report.pdf", letter.read()))
        for other in self.other_reports:
            if other.file:
                with other.file.open("rb") as upload:
                    files.append((other.file_name or f"{other.title}.pdf", upload.read()))
        return files

    @property
    def determined_referred_earlier(self) -> int:
        """Of the cases determined in the year, those referred in an earlier one (Dartford's 3.7.2)."""
        return sum(1 for case in self.determined if case.referred_earlier)

    @property
    def tsm(self) -> list[Comparison]:
        """The tenant satisfaction measures among the comparisons."""
        return [c for c in self.comparisons if c.reference in ("CH01(1)", "CH01(2)", "CH02(1)", "CH02(2)", "TP09")]

    @property
    def opened(self) -> list[tuple[str, int, int, int]]:
        """Dartford's first table, over three years: complaints received, stage 2 escalations and Ombudsman
        referrals, each counted on its own line. They are never added up: an escalation is a complaint already
        counted at stage 1, and an Ombudsman case is one already counted at stage 1 or 2 (or both)."""
        now, before, earlier = self.figures, self.previous, self.earlier
        return [
            ("Complaints received (stage 1)", now.stage1.received, before.stage1.received, earlier.stage1.received),
            ("Escalated to stage 2", now.stage2.received, before.stage2.received, earlier.stage2.received),
            (
                "Referred to the Housing Ombudsman",
                now.ombudsman.referrals,
                before.ombudsman.referrals,
                earlier.ombudsman.referrals,
            ),
        ]

    @property
    def by_service_area(self) -> list[tuple[str, int, int, int]]:
        stage1 = {row.key: row for row in self.figures.by_service_area}
        stage2 = {row.key: row for row in self.figures.stage2_by_service_area}
        keys = list(stage1) + [key for key in stage2 if key not in stage1]
        rows = []
        for key in keys:
            label = self.area_names.get(key) or (stage1.get(key) or stage2[key]).label
            one, two = stage1[key].count if key in stage1 else 0, stage2[key].count if key in stage2 else 0
            rows.append((label, one, two, one + two))
        return sorted(rows, key=lambda row: -row[3])


def annual_report(landlord: Landlord, year_starting: int) -> AnnualReportView:
    period = Period.reporting_year(year_starting)
    previous_period = Period.reporting_year(year_starting - 1)
    measures = measures_once(landlord)
    figures = measures(period)
    previous = measures(previous_period)
    earlier = measures(Period.reporting_year(year_starting - 2))
    assessment = load_assessment(landlord, year_starting)
    view = AnnualReportView(
        landlord=landlord,
        year_starting=year_starting,
        period=period,
        figures=figures,
        previous=previous,
        earlier=earlier,
        comparisons=comparisons(figures, previous, earlier),
        report=AnnualReport.objects.filter(landlord=landlord, year_starting=year_starting)
        .select_related("response_recorded_by")
        .first(),
        assessment=assessment_view(assessment) if assessment else None,
        themes=learning_themes(landlord, period, previous_period),
        examples=learning_examples(landlord, period),
        improvements=improvements_for(landlord, period),
        you_said_we_did=[i for i in you_said_we_did(landlord) if not i.completed_on or i.completed_on <= period.end],
        referrals=list(
            Complaint.objects.filter(
                landlord=landlord, ombudsman_referred_on__range=(period.start, period.end)
            ).order_by("ombudsman_referred_on", "id")
        ),
        determined=determined_cases(landlord, period, clock.today()),
        other_reports=other_reports_for(landlord, year_starting),
        area_names=dict(ServiceAreaName.objects.filter(landlord=landlord).values_list("area", "name")),
        presented=presented.annual(landlord.pk, year_starting),
    )
    all_charts = trend_charts(figures, "annual") + breakdown_charts(figures, "annual")
    view.charts = {chart.id.removeprefix("annual-").replace("-", "_"): chart for chart in all_charts}
    return view


# -- the quarterly governance report (9.7) -------------------------------------------------------


@dataclass
class GovernanceReportView:
    landlord: Landlord
    year_starting: int
    quarter: int
    period: Period
    figures: m.Measures
    previous_quarter: m.Measures
    year_to_date: m.Measures
    themes: list[Theme]
    referrals: list[Complaint]
    orders: OrdersInQuarter  # the Ombudsman's orders and recommendations, to compliance (9.7 c)
    improvements: list[ServiceImprovement]
    open_now: dict[str, int]  # when the report was produced
    charts: list[charts.Chart]
    generated_on: date = field(default_factory=clock.today)
    action_plan: ActionPlanReport = field(default_factory=ActionPlanReport)  # and open 8.5 notices
    oversight: Oversight = field(default_factory=Oversight)  # what the governing body and the MRC received (9.7)

    @property
    def label(self) -> str:
        return quarter_label(self.year_starting, self.quarter)

    @property
    def overdue_improvements(self) -> list[ServiceImprovement]:
        return [
            i for i in self.improvements if i.target_date and i.target_date < self.generated_on and not i.completed_on
        ]


def measures_once(landlord: Landlord) -> Callable[[Period], m.Measures]:
    """The measures of each period a report needs, counted once however often the report asks (the first
    quarter's year to date is the quarter itself); closed periods come from the cache (insight.cache)."""
    found: dict[Period, m.Measures] = {}

    def figures(period: Period) -> m.Measures:
        if period not in found:
            found[period] = m.compute(landlord, period)
        return found[period]

    return figures


def governance_report(landlord: Landlord, year_starting: int, quarter: int) -> GovernanceReportView:
    period = Period.quarter(year_starting, quarter)
    before = Period.quarter(year_starting - 1, 4) if quarter == 1 else Period.quarter(year_starting, quarter - 1)
    measures = measures_once(landlord)
    figures = measures(period)
    today = clock.today()
    open_now = (
        Complaint.objects.filter(landlord=landlord, status__in=OPEN_STATUSES)
        .order_by()
        .aggregate(total=Count("id"), overdue=Count("id", filter=Q(next_due__lt=today)))
    )
    return GovernanceReportView(
        landlord=landlord,
        year_starting=year_starting,
        quarter=quarter,
        period=period,
        figures=figures,
        previous_quarter=measures(before),
        year_to_date=measures(Period(Period.reporting_year(year_starting).start, period.end)),
        themes=learning_themes(landlord, period, before),
        referrals=list(
            Complaint.objects.filter(
                landlord=landlord, ombudsman_referred_on__range=(period.start, period.end)
            ).order_by("ombudsman_referred_on", "id")
        ),
        orders=orders_in_quarter(landlord, period, today),
        improvements=improvements_for(landlord, period),
        open_now=open_now,
        charts=trend_charts(figures, "governance")[:3] + breakdown_charts(figures, "governance")[:3],
        action_plan=action_plan_report(landlord, period.start, period.end, today),
        oversight=oversight_for(landlord.pk, year_starting, today),
    )
