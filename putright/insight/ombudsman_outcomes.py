"""The Ombudsman's casework in the reports: the cases it determined in a year, with its findings on
each element and the orders that followed (the annual report, 8.1 c); the orders and
recommendations a quarter's governance report follows to compliance (9.7 c); and what the casework
shows for the self-assessment's provisions that mention the Ombudsman (4.1, 7.4, 8.1, 9.7).

Each reads in a fixed number of queries, however many cases there are. docs/measures.md defines
every count.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Max, Prefetch, Q

from putright.insight.measures import Ombudsman, Share
from putright.insight.periods import Period, reporting_year_of, year_label
from putright.landlords.models import Landlord
from putright.ombudsman.models import Determination, EvidenceRequest, Finding, OmbudsmanCase, Order


def _n(count: int, one: str, many: str | None = None) -> str:
    return f"{count:,} {one if count == 1 else (many or one + 's')}"


def _day(value: date) -> str:
    return f"{value:%-d %B %Y}"


# -- an order's progress ---------------------------------------------------------------------------


@dataclass(frozen=True)
class OrderProgress:
    """An order, recommendation or complaint handling failure order and where it stood on `on`."""

    order: Order
    on: date

    @property
    def overdue(self) -> bool:
        complied = self.order.completed_on is not None and self.order.completed_on <= self.on
        return not complied and self.order.due_on < self.on

    @property
    def status(self) -> str:
        order, on = self.order, self.on
        if order.completed_on is not None and order.completed_on <= on:
            late = f" (after its deadline of {_day(order.due_on)})" if order.completed_on > order.due_on else ""
            complied = f"Complied with on {_day(order.completed_on)}{late}"
            if order.confirmed_on is not None and order.confirmed_on <= on:
                return f"{complied}; the Ombudsman confirmed compliance on {_day(order.confirmed_on)}"
            return f"{complied}; waiting for the Ombudsman to confirm compliance"
        if order.due_on < on:
            return f"Not complied with: it was due on {_day(order.due_on)}"
        return f"Due on {_day(order.due_on)}"


# -- the annual report: cases determined in the year (8.1 c) -----------------------------------------


@dataclass(frozen=True)
class DeterminedCase:
    """A case the Ombudsman determined in the reporting year, whenever it was referred."""

    case: OmbudsmanCase
    period: Period
    determined_on: date  # the last determination in the year
    orders: list[OrderProgress]

    @property
    def complaint_reference(self) -> str:
        """The landlord's reference for the complaint; not for a confidential one, since the annual report is
        published (8.1): the Ombudsman's own reference and the findings are enough to follow the case."""
        complaint = self.case.complaint
        return "(confidential: reference withheld)" if complaint.is_confidential else complaint.reference

    @property
    def referred_on(self) -> date:
        """The referral date; for a case that began as an enquiry with none, the day the enquiry arrived."""
        return self.case.referred_on or self.case.complaint.ombudsman_referred_on or self.case.enquiry_received_on

    @property
    def referred_earlier(self) -> bool:
        return self.referred_on < self.period.start

    @property
    def findings(self) -> list[Determination]:
        return list(self.case.determinations.all())

    @property
    def summary(self) -> str:
        """In the plain words of Dartford's report (seed 003, 3.7): when it came and when it was decided."""
        came = "Referred" if self.case.referred_on or self.case.complaint.ombudsman_referred_on else "Enquiry received"
        if self.referred_earlier:
            year = year_label(reporting_year_of(self.referred_on))
            return (
                f"{came} on {_day(self.referred_on)}, in {year}, and determined by the Ombudsman in this reporting "
                f"year, on {_day(self.determined_on)}."
            )
        return f"{came} on {_day(self.referred_on)} and determined by the Ombudsman on {_day(self.determined_on)}."


def determined_cases(landlord: Landlord, period: Period, on: date) -> list[DeterminedCase]:
    """Every case with a determination made in `period`, in the order they were determined, with its
    findings on each element and its orders as they stood on `on` (three queries)."""
    in_period = Q(determinations__determined_on__range=(period.start, period.end))
    cases = (
        OmbudsmanCase.objects.filter(landlord=landlord)
        .annotate(determined_in_period=Max("determinations__determined_on", filter=in_period))
        .filter(determined_in_period__isnull=False)
        .select_related("complaint")
        .prefetch_related(
            Prefetch("determinations", Determination.objects.order_by("determined_on", "id")),
            Prefetch("orders", Order.objects.select_related("owner").order_by("due_on", "id")),
        )
        .order_by("determined_in_period", "id")
    )
    return [
        DeterminedCase(
            case,
            period,
            case.determined_in_period,
            [OrderProgress(order, on) for order in case.orders.all()],
        )
        for case in cases
    ]


# -- the governance report: orders and their compliance in a quarter (9.7 c) -------------------------


@dataclass(frozen=True)
class OrdersInQuarter:
    """The orders and recommendations the governing body follows in a quarter, each as it stood at
    the quarter's end (or today, for the quarter in progress)."""

    period: Period
    as_at: date
    orders: list[OrderProgress]

    def _count(self, test: Callable[[Order], object]) -> int:
        return sum(1 for row in self.orders if test(row.order))

    @property
    def due(self) -> int:
        return self._count(lambda o: self.period.start <= o.due_on <= self.period.end)

    @property
    def due_met(self) -> int:
        """Of those due in the quarter, complied with by their deadline."""
        return self._count(
            lambda o: (
                self.period.start <= o.due_on <= self.period.end
                and o.completed_on is not None
                and o.completed_on <= o.due_on
            )
        )

    @property
    def completed(self) -> int:
        return self._count(lambda o: o.completed_on and self.period.start <= o.completed_on <= self.as_at)

    @property
    def completed_late(self) -> int:
        return self._count(
            lambda o: o.completed_on and self.period.start <= o.completed_on <= self.as_at and o.completed_on > o.due_on
        )

    @property
    def confirmed(self) -> int:
        return self._count(lambda o: o.confirmed_on and self.period.start <= o.confirmed_on <= self.as_at)

    @property
    def overdue(self) -> int:
        return sum(1 for row in self.orders if row.overdue)

    @property
    def awaiting_confirmation(self) -> int:
        return self._count(
            lambda o: (
                o.completed_on
                and o.completed_on <= self.as_at
                and not (o.confirmed_on and o.confirmed_on <= self.as_at)
            )
        )


def orders_in_quarter(landlord: Landlord, period: Period, today: date) -> OrdersInQuarter:
    """Orders, recommendations and complaint handling failure orders that were live in the quarter:
    recorded or due by its end, and not confirmed by the Ombudsman before it began (one query)."""
    as_at = min(period.end, today)
    orders = (
        Order.objects.filter(case__landlord=landlord)
        .filter(Q(recorded_at__date__lte=period.end) | Q(due_on__lte=period.end))
        .exclude(confirmed_on__lt=period.start)
        .select_related("case__complaint", "owner")
        .order_by("due_on", "id")
    )
    return OrdersInQuarter(period, as_at, [OrderProgress(order, as_at) for order in orders])


# -- the self-assessment's evidence -------------------------------------------------------------------


def evidence_sentences(landlord: Landlord, period: Period, today: date, found: Ombudsman) -> dict[str, str]:
    """What the casework shows for 4.1 (Ombudsman liaison), 7.4 (the Ombudsman's remedies), 8.1 (its
    findings in the annual report) and 9.7 (orders reported to the governing body), for the reporting
    year `period`; `found` is the year's measures of the Ombudsman (three queries)."""
    span = (period.start, period.end)
    cases = (
        OmbudsmanCase.objects.filter(landlord=landlord, enquiry_received_on__range=span)
        .order_by()
        .aggregate(opened=Count("id"), referred=Count("id", filter=Q(referred_on__isnull=False)))
    )
    sent = Q(sent_on__isnull=False)
    evidence = (
        EvidenceRequest.objects.filter(case__landlord=landlord, due_on__range=span)
        .order_by()
        .aggregate(
            due=Count("id"),
            on_time=Count("id", filter=sent & Q(sent_on__lte=F("due_on"))),
            late=Count("id", filter=sent & Q(sent_on__gt=F("due_on"))),
            overdue=Count("id", filter=Q(sent_on__isnull=True, due_on__lt=today)),
            ombudsman_date=Count("id", filter=Q(ombudsman_due_on__isnull=False)),
        )
    )
    done = Q(completed_on__isnull=False)
    orders = (
        Order.objects.filter(case__landlord=landlord)
        .order_by()
        .aggregate(
            due=Count("id", filter=Q(due_on__range=span)),
            on_time=Count("id", filter=Q(due_on__range=span) & done & Q(completed_on__lte=F("due_on"))),
            late=Count("id", filter=Q(due_on__range=span) & done & Q(completed_on__gt=F("due_on"))),
            overdue=Count("id", filter=Q(due_on__range=span, completed_on__isnull=True, due_on__lt=today)),
            confirmed=Count("id", filter=Q(confirmed_on__range=span)),
            handling_failures=Count(
                "id", filter=Q(kind=Order.Kind.COMPLAINT_HANDLING_FAILURE, recorded_at__date__range=span)
            ),
        )
    )
    findings = {row.key: row.count for row in found.findings}
    elements = sum(findings.values())
    listed = "; ".join(f"{row.label.lower()} {row.count:,}" for row in found.findings if row.count) or "none"
    orders_sentence = (
        f"{_n(orders['due'], 'order or recommendation', 'orders and recommendations')} of the Ombudsman fell due in "
        f"the year: {orders['on_time']:,} complied with by the deadline, {orders['late']:,} late, "
        f"{orders['overdue']:,} overdue and not yet complied with; the Ombudsman confirmed compliance with "
        f"{_n(orders['confirmed'], 'order')} in the year."
    )
    return {
        "4.1": f"Ombudsman liaison recorded case by case: {_n(cases['opened'], 'Ombudsman case')} opened in the year "
        f"({cases['referred']:,} on a referral, the rest on an enquiry). Of {_n(evidence['due'], 'request')} for "
        f"evidence due in the year, {evidence['on_time']:,} answered by the date that applied, {evidence['late']:,} "
        f"late and {evidence['overdue']:,} overdue and not yet sent ({evidence['ombudsman_date']:,} to a date the "
        "Ombudsman set, the rest to the policy's working days).",
        "7.4": f"The Ombudsman found reasonable redress (the landlord's own remedy put things right) on "
        f"{findings.get(Finding.REASONABLE_REDRESS, 0):,} of the {_n(elements, 'element')} it determined in the "
        f"year. {orders_sentence}",
        "8.1": f"The annual report lists each of the {_n(found.cases_determined, 'case')} the Ombudsman determined "
        f"in the year, including any referred in an earlier year, with its finding on each element: {listed}; "
        f"maladministration rate {_rate(found.maladministration_rate)}. "
        f"{_n(orders['handling_failures'], 'complaint handling failure order')} recorded in the year.",
        "9.7": f"The quarterly governance report follows each order to compliance (9.7 c). {orders_sentence}",
    }


def _rate(share: Share) -> str:
    if not share.whole:
        return "not applicable (no findings on the merits)"
    return f"{share.percent}% ({share.part:,} of {share.whole:,} findings on the merits)"
