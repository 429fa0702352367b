"""Reading Ombudsman cases: the list, one case with all it holds, what falls due for reminders,
and the count of determinations by finding."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import date

from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db.models import Count, F, Prefetch, Q, QuerySet

from putright.landlords.models import Landlord
from putright.ombudsman.access import cases_visible_to
from putright.ombudsman.models import (
    ADVERSE_FINDINGS,
    FINDINGS_ON_MERITS,
    Determination,
    EvidenceRequest,
    Finding,
    OmbudsmanCase,
    Order,
    OrderUpdate,
)

LIST_LIMIT = 200


def case_list(user: AbstractBaseUser | AnonymousUser | None, *, today: date, stage: str = "") -> list[OmbudsmanCase]:
    """The landlord's cases, open first and newest first, each with how much is outstanding (one query)."""
    cases = cases_visible_to(user).select_related("complaint")
    if stage:
        cases = cases.filter(stage=stage)
    open_orders = Q(orders__completed_on__isnull=True)
    cases = cases.annotate(
        evidence_awaited=Count("evidence_requests", filter=Q(evidence_requests__sent_on__isnull=True), distinct=True),
        orders_open=Count("orders", filter=open_orders, distinct=True),
        orders_overdue=Count("orders", filter=open_orders & Q(orders__due_on__lt=today), distinct=True),
    )
    ordered = cases.order_by(F("closed_on").asc(nulls_first=True), "-enquiry_received_on", "-id")
    return list(ordered[:LIST_LIMIT])


def case_record(user: AbstractBaseUser | AnonymousUser | None, case_id: int) -> OmbudsmanCase:
    """One case the user may read, with its requests, determinations, orders and their updates
    fetched in a fixed number of queries. DoesNotExist for another landlord's."""
    return (
        cases_visible_to(user)
        .select_related("complaint", "opened_by")
        .prefetch_related(
            Prefetch(
                "evidence_requests",
                EvidenceRequest.objects.select_related("sent_by", "bundle").prefetch_related("documents"),
            ),
            Prefetch("determinations", Determination.objects.order_by("determined_on", "id")),
            Prefetch(
                "orders",
                Order.objects.select_related("owner", "determination").prefetch_related(
                    "documents", Prefetch("updates", OrderUpdate.objects.select_related("recorded_by"))
                ),
            ),
        )
        .get(pk=case_id)
    )


def cases_on(complaint_id: int) -> QuerySet[OmbudsmanCase]:
    return OmbudsmanCase.objects.filter(complaint_id=complaint_id).order_by("-enquiry_received_on", "-id")


def evidence_due_by(landlord: Landlord, horizon: date) -> list[EvidenceRequest]:
    """Evidence not yet sent on open cases, due by `horizon`: for reminders."""
    return list(
        EvidenceRequest.objects.filter(
            case__landlord=landlord, sent_on__isnull=True, due_on__lte=horizon, case__closed_on__isnull=True
        )
        .select_related("case__complaint__handler")
        .order_by("due_on", "pk")
    )


def orders_due_by(landlord: Landlord, horizon: date) -> list[Order]:
    """Orders and recommendations not yet complied with, due by `horizon`: for reminders."""
    return list(
        Order.objects.filter(case__landlord=landlord, completed_on__isnull=True, due_on__lte=horizon)
        .select_related("case__complaint", "owner")
        .order_by("due_on", "pk")
    )


@dataclass(frozen=True)
class Findings:
    """The Ombudsman's determinations in a period: how many of each finding, and the landlord's
    maladministration rate (findings of a failing among findings on the merits, as the Ombudsman
    publishes it)."""

    counts: list[tuple[str, int]]
    on_merits: int
    adverse: int

    @property
    def total(self) -> int:
        return sum(count for _, count in self.counts)

    @property
    def maladministration_rate(self) -> float | None:
        return self.adverse / self.on_merits if self.on_merits else None


def findings_between(landlord_id: int, first: date, last: date) -> Findings:
    """Count the determinations made from `first` to `last`, whenever the case was referred."""
    found = Counter(
        Determination.objects.filter(case__landlord_id=landlord_id, determined_on__range=(first, last)).values_list(
            "finding", flat=True
        )
    )
    return Findings(
        counts=[(label, found[value]) for value, label in Finding.choices],
        on_merits=sum(found[value] for value in FINDINGS_ON_MERITS),
        adverse=sum(found[value] for value in ADVERSE_FINDINGS),
    )
