"""What the governance records show for a reporting year (Code 4.1, 8.2, 9.4 to 9.7), and the answer they
support for 9.7: whether the Member Responsible for Complaints and the governing body received, in the year,
the quarterly governance report in every quarter (volumes, categories, outcomes and performance, the review of
trends, and the Ombudsman's outcomes and orders, which the governance report carries), and the annual report.

9.7 is "yes" (as putright.rules.governance reads the Code) when each of the four quarters' governance reports
went to both the governing body and the MRC, and the annual report did too; "no" when nothing went to either;
"partial" otherwise, naming what is missing.
The annual report counts when it is the year's own report or the previous year's presented during the year."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from putright.governance.models import Appointment, GoverningBody, OversightRole, Presentation, ReportKind
from putright.rules.governance import QUARTERS_PRESENTED

YES, PARTIAL, NO = "yes", "partial", "no"


@dataclass(frozen=True)
class GovernanceEvidence:
    sentences: dict[str, str]
    answers: dict[str, str] = field(default_factory=dict)


def _year_label(year: int) -> str:
    return f"{year}/{str(year + 1)[-2:]}"


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


def _held(appointments: list[Appointment], role: str, start: date, end: date) -> list[Appointment]:
    return [
        a for a in appointments if a.role == role and a.starts_on <= end and (a.ends_on is None or a.ends_on >= start)
    ]


def _who(appointments: list[Appointment]) -> str:
    return "; ".join(
        f"{a.name}{f', {a.title}' if a.title else ''}, from {_day(a.starts_on)}"
        + (f" to {_day(a.ends_on)}" if a.ends_on else "")
        for a in sorted(appointments, key=lambda a: a.starts_on)
    )


def _to_body(p: Presentation) -> bool:
    return p.body is not None and p.body.kind == GoverningBody.Kind.GOVERNING_BODY


def _line(p: Presentation) -> str:
    return f"{p.report_label} to {p.audience} on {_day(p.presented_on)} ({p.meeting})"


def governance_evidence(landlord_id: int, year_starting: int) -> GovernanceEvidence:
    """Sentences for 4.1, 8.2, 9.4, 9.5, 9.6 and 9.7, and the answer for 9.7, from two queries."""
    start, end = date(year_starting, 4, 1), date(year_starting + 1, 3, 31)
    appointments = list(Appointment.objects.filter(landlord_id=landlord_id))
    presented = list(
        Presentation.objects.filter(landlord_id=landlord_id, year_starting__in=(year_starting - 1, year_starting))
        .select_related("body")
        .order_by("presented_on", "id")
    )
    sentences: dict[str, str] = {}
    answers: dict[str, str] = {}
    members = _held(appointments, OversightRole.MRC, start, end)
    leads = _held(appointments, OversightRole.SENIOR_LEAD, start, end)
    officers = _held(appointments, OversightRole.COMPLAINTS_OFFICER, start, end)
    sentences["9.5"] = (
        f"Member Responsible for Complaints in {_year_label(year_starting)}: {_who(members)}."
        if members
        else f"No Member Responsible for Complaints is recorded for {_year_label(year_starting)}."
    )
    sentences["9.4"] = (
        f"Senior lead accountable for complaint handling: {_who(leads)}."
        if leads
        else "No senior lead accountable for complaint handling is recorded."
    )
    if officers:
        sentences["4.1"] = f"Complaints officer: {_who(officers)}."

    quarterly = [p for p in presented if p.report == ReportKind.GOVERNANCE and p.year_starting == year_starting]
    annual = [
        p
        for p in presented
        if p.report == ReportKind.ANNUAL and (p.year_starting == year_starting or start <= p.presented_on <= end)
    ]
    missing: list[str] = []
    for quarter in QUARTERS_PRESENTED:
        these = [p for p in quarterly if p.quarter == quarter]
        to_body, to_member = any(_to_body(p) for p in these), any(p.to_member for p in these)
        if not these:
            missing.append(f"the governance report for quarter {quarter}")
        elif not to_body:
            missing.append(f"quarter {quarter}'s governance report to the governing body")
        elif not to_member:
            missing.append(f"quarter {quarter}'s governance report to the Member Responsible for Complaints")
    if not annual:
        missing.append("the annual report")
    elif not any(_to_body(p) for p in annual):
        missing.append("the annual report to the governing body")
    elif not any(p.to_member for p in annual):
        missing.append("the annual report to the Member Responsible for Complaints")
    if not members:
        missing.append("a Member Responsible for Complaints (none is recorded for the year)")
    received = quarterly + annual
    listed = "; ".join(_line(p) for p in received)
    if not received:
        answers["9.7"] = NO
        sentences["9.7"] = (
            f"No report is recorded as presented to the governing body or the Member Responsible for Complaints "
            f"for {_year_label(year_starting)}."
        )
    else:
        answers["9.7"] = PARTIAL if missing else YES
        sentences["9.7"] = (
            f"Presented in {_year_label(year_starting)}: {listed}. Each governance report carries the volumes, "
            "categories, outcomes and performance, the review of trends, and the Ombudsman's outcomes and orders."
            + (f" Not recorded: {', '.join(missing)}." if missing else "")
        )
    responded = [p for p in received if p.response]
    sentences["9.6"] = f"No report is recorded as presented to the MRC for {_year_label(year_starting)}."
    if received:
        sentences["9.6"] = (
            f"{len(received)} report{'s' if len(received) != 1 else ''} presented in {_year_label(year_starting)}; "
            f"{len(responded)} with the response of the governing body or the MRC recorded."
        )
    annual_to_body = [p for p in presented if p.report == ReportKind.ANNUAL and _to_body(p)]
    previous = [p for p in annual_to_body if p.year_starting == year_starting - 1]
    if previous:
        first = previous[0]
        sentences["8.2"] = (
            f"The {_year_label(year_starting - 1)} annual report was presented to {first.audience} on "
            f"{_day(first.presented_on)}"
            + (f", which responded on {_day(first.response_on)}." if first.response and first.response_on else ".")
        )
    return GovernanceEvidence(sentences=sentences, answers=answers)
