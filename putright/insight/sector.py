"""Beside the sector: the Housing Ombudsman's published findings, and a landlord's finding rates
beside landlords of its type and a similar size.

The Ombudsman publishes its decisions; a CSV of them (one row per element of a complaint it
determined) is imported with `putright import_ombudsman_findings FILE`. Rows are keyed by the
decision, the case and the element's place in the decision, so importing the same file again
changes nothing and a newer file updates what changed. docs/sector.md says how every figure is made.
"""

from __future__ import annotations

import csv
import statistics
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from django.db import models, transaction
from django.db.models import Count, Max, Min, Q

from putright.landlords.models import HomesCount, Landlord, LandlordType
from putright.ombudsman.models import ADVERSE_FINDINGS, FINDINGS_ON_MERITS, Determination, Finding


class PublishedFinding(models.Model):
    """One element of a complaint the Ombudsman determined, as its published findings give it."""

    decision_id = models.PositiveIntegerField()
    case_id = models.CharField(max_length=20)
    element = models.PositiveSmallIntegerField(help_text="The element's place in the decision, from 1")
    landlord_name = models.CharField(max_length=200, help_text="As the Ombudsman names the landlord")
    landlord_type = models.CharField(max_length=60, blank=True)
    stock_size = models.PositiveIntegerField(null=True, blank=True, help_text="Homes, where published")
    decided_on = models.DateField(null=True, blank=True)
    amended_at_review = models.BooleanField(default=False)
    category = models.CharField(max_length=100, blank=True)
    complaint = models.TextField(blank=True, help_text="The element, in the Ombudsman's words")
    finding = models.CharField(max_length=30, choices=Finding.choices)
    extracted_from = models.CharField(max_length=20, blank=True, help_text="Where in the decision it was read")

    class Meta:
        ordering = ["decision_id", "case_id", "element"]
        constraints = [
            models.UniqueConstraint(
                fields=["decision_id", "case_id", "element"], name="one_published_finding_per_element"
            ),
        ]
        indexes = [
            models.Index(fields=["landlord_name", "finding"], name="published_findings_by_landlord"),
            models.Index(fields=["landlord_type", "stock_size"], name="published_findings_by_type"),
        ]

    def __str__(self) -> str:
        return f"{self.landlord_name}, decision {self.decision_id} element {self.element}: {self.finding}"


# -- reading the file -----------------------------------------------------------------------------

# The columns the import reads; the file's others (id, landlord_seq, decision_date) are ignored.
REQUIRED_COLUMNS = (
    "decision_id",
    "case_id",
    "landlord",
    "landlord_type",
    "decision_date_iso",
    "amended_at_review",
    "category",
    "complaint",
    "finding",
    "extracted_from",
    "stock_size",
)
# The values kept for each row, in the order compared with what is stored.
STORED_FIELDS = (
    "landlord_name",
    "landlord_type",
    "stock_size",
    "decided_on",
    "amended_at_review",
    "category",
    "complaint",
    "finding",
    "extracted_from",
)
PUBLISHED_FINDING_NAMES = {label.lower(): value for value, label in Finding.choices}
YES, NO = frozenset({"1", "true", "yes", "y"}), frozenset({"0", "false", "no", "n", ""})
LIMITS = {"landlord_name": 200, "landlord_type": 60, "category": 100, "extracted_from": 20}

Key = tuple[int, str, int]
Values = tuple[object, ...]


class FindingsFileError(Exception):
    """The file cannot be read as the Ombudsman's published findings: nothing was imported."""


@dataclass
class ImportSummary:
    """What an import did, row by row of the file."""

    read: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: Counter[str] = field(default_factory=Counter)

    def line(self) -> str:
        skipped = sum(self.skipped.values())
        why = ", ".join(f"{count:,} {reason}" for reason, count in sorted(self.skipped.items()))
        return (
            f"Read {self.read:,} rows: {self.added:,} added, {self.updated:,} updated, "
            f"{self.unchanged:,} unchanged, {skipped:,} skipped{f' ({why})' if why else ''}."
        )


class SkipRow(Exception):
    """A row the import leaves out, and why (counted in the summary)."""


def _whole_number(value: str, what: str) -> int:
    try:
        number = int(value.strip().replace(",", ""))
    except ValueError:
        raise SkipRow(f"{what} not a whole number") from None
    if number < 0:
        raise SkipRow(f"{what} not a whole number")
    return number


def _row_values(row: Mapping[str, str]) -> Values:
    """The stored values of one row of the file, or SkipRow saying why it cannot be kept."""
    text = {name: (row.get(name) or "").strip() for name in REQUIRED_COLUMNS}
    if not text["landlord"]:
        raise SkipRow("with no landlord named")
    finding = PUBLISHED_FINDING_NAMES.get(" ".join(text["finding"].lower().split()))
    if finding is None:
        raise SkipRow("with a finding that is not one of the Ombudsman's")
    decided_on = None
    if text["decision_date_iso"]:
        try:
            decided_on = date.fromisoformat(text["decision_date_iso"])
        except ValueError:
            raise SkipRow("with a decision date that is not a date") from None
    stock_size = _whole_number(text["stock_size"], "with a stock size") if text["stock_size"] else None
    amended = text["amended_at_review"].lower()
    if amended not in YES | NO:
        raise SkipRow("with amended_at_review neither 0 nor 1")
    values = {
        "landlord_name": text["landlord"],
        "landlord_type": text["landlord_type"],
        "category": text["category"],
        "extracted_from": text["extracted_from"],
    }
    for name, limit in LIMITS.items():
        if len(values[name]) > limit:
            raise SkipRow(f"with a {name.replace('_', ' ')} longer than {limit} characters")
    return (
        values["landlord_name"],
        values["landlord_type"],
        stock_size,
        decided_on,
        amended in YES,
        values["category"],
        text["complaint"],
        finding,
        values["extracted_from"],
    )


def parse_findings(rows: Iterable[Mapping[str, str]], summary: ImportSummary) -> dict[Key, Values]:
    """The rows of the file by key, counting each row read and each left out (with why) in `summary`.

    An element is known by its place in the decision: the Ombudsman's decisions number no elements,
    and one decision may repeat a sentence word for word for two elements.
    """
    parsed: dict[Key, Values] = {}
    places: Counter[tuple[int, str]] = Counter()
    for row in rows:
        summary.read += 1
        try:
            case_id = (row.get("case_id") or "").strip()
            if not (row.get("decision_id") or "").strip() or not case_id:
                raise SkipRow("with no decision_id or case_id")
            decision_id = _whole_number(row["decision_id"], "with a decision_id")
            if len(case_id) > 20:
                raise SkipRow("with a case_id longer than 20 characters")
            # Counted before the row's other values are checked: a bad row keeps its place, so the
            # elements after it keep their keys when a corrected file is imported.
            places[decision_id, case_id] += 1
            parsed[decision_id, case_id, places[decision_id, case_id]] = _row_values(row)
        except SkipRow as reason:
            summary.skipped[str(reason)] += 1
    return parsed


def read_findings_file(path: Path, summary: ImportSummary) -> dict[Key, Values]:
    """Read a CSV in the layout of the Ombudsman's published findings, or FindingsFileError saying why not."""
    try:
        with path.open(encoding="utf-8-sig", newline="") as stream:
            return read_findings(stream, summary)
    except FileNotFoundError:
        raise FindingsFileError(f"There is no file at {path}") from None
    except IsADirectoryError:
        raise FindingsFileError(f"{path} is a folder: give the CSV file of published findings") from None
    except UnicodeDecodeError:
        raise FindingsFileError(f"{path} is not a CSV file in UTF-8 text") from None


def read_findings(stream: Iterable[str], summary: ImportSummary) -> dict[Key, Values]:
    reader = csv.DictReader(stream)
    try:
        columns = [name.strip().lower() for name in reader.fieldnames or ()]
    except csv.Error as error:
        raise FindingsFileError(f"The file is not a CSV file: {error}") from None
    if not columns:
        raise FindingsFileError("The file is empty: it has no header line naming its columns")
    missing = [name for name in REQUIRED_COLUMNS if name not in columns]
    if missing:
        raise FindingsFileError(
            "The file is not in the layout of the Ombudsman's published findings: it has no "
            f"{'column' if len(missing) == 1 else 'columns'} named {', '.join(missing)}"
        )
    reader.fieldnames = columns
    try:
        return parse_findings(reader, summary)
    except csv.Error as error:
        raise FindingsFileError(f"Line {reader.line_num} of the file cannot be read as CSV: {error}") from None


@transaction.atomic
def import_findings(parsed: Mapping[Key, Values], summary: ImportSummary, batch_size: int = 2_000) -> ImportSummary:
    """Add the rows not yet stored and update those that changed, in batches; count each in `summary`.

    Rows stored from an earlier file and absent from this one are kept: a file may cover only
    some years of decisions.
    """
    stored: dict[Key, tuple[int, Values]] = {
        (decision_id, case_id, element): (pk, tuple(values))
        for pk, decision_id, case_id, element, *values in PublishedFinding.objects.values_list(
            "pk", "decision_id", "case_id", "element", *STORED_FIELDS
        ).iterator(chunk_size=5_000)
    }
    added: list[PublishedFinding] = []
    replaced: list[int] = []
    for (decision_id, case_id, element), values in parsed.items():
        before = stored.get((decision_id, case_id, element))
        if before is not None and before[1] == values:
            summary.unchanged += 1
            continue
        if before is not None:
            replaced.append(before[0])
        added.append(
            PublishedFinding(
                decision_id=decision_id,
                case_id=case_id,
                element=element,
                **dict(zip(STORED_FIELDS, values, strict=True)),
            )
        )
    # A changed row is replaced whole rather than updated: nothing refers to a published finding by
    # its id (its key is the decision, case and element), and Django's bulk_update builds a CASE per
    # field per row, which took 5 s for 3,000 changed rows where this takes a fraction of one.
    for start in range(0, len(replaced), batch_size):
        PublishedFinding.objects.filter(pk__in=replaced[start : start + batch_size]).delete()
    PublishedFinding.objects.bulk_create(added, batch_size=batch_size)
    summary.added, summary.updated = len(added) - len(replaced), len(replaced)
    return summary


# -- comparing ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SizeBand:
    """A band of stock size (homes owned), ours: the Ombudsman publishes sizes but no bands."""

    lowest: int
    highest: int | None
    label: str

    def holds(self, homes: int) -> bool:
        return homes >= self.lowest and (self.highest is None or homes <= self.highest)


SIZE_BANDS = (
    SizeBand(0, 999, "fewer than 1,000 homes"),
    SizeBand(1_000, 9_999, "1,000 to 9,999 homes"),
    SizeBand(10_000, 24_999, "10,000 to 24,999 homes"),
    SizeBand(25_000, 49_999, "25,000 to 49,999 homes"),
    SizeBand(50_000, None, "50,000 homes or more"),
)

# The published findings spell a local authority's type three ways: the last two were cut short
# when the decisions were read. "Unknown" belongs to no type, so such landlords are never compared.
PUBLISHED_TYPES: dict[str, tuple[str, ...]] = {
    LandlordType.HOUSING_ASSOCIATION: ("Housing Association",),
    LandlordType.LOCAL_AUTHORITY: ("Local Authority / ALMO or TMO", "Local Authority", "Local"),
    LandlordType.FOR_PROFIT: ("For profit",),
    LandlordType.VOLUNTARY: ("Voluntary",),
}
# Fewer landlords than this of the type in the band, and the band says too little: all of the type are used.
FEWEST_IN_BAND = 5


def size_band(homes: int) -> SizeBand:
    return next(band for band in SIZE_BANDS if band.holds(homes))


@dataclass(frozen=True)
class Tally:
    """Findings by what the Ombudsman found, and the maladministration rate the Ombudsman publishes:
    severe maladministration, maladministration and service failure over the findings on the merits
    (those three, no maladministration and reasonable redress; outside jurisdiction is left out)."""

    counts: Mapping[str, int]

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    @property
    def on_merits(self) -> int:
        return sum(self.counts.get(value, 0) for value in FINDINGS_ON_MERITS)

    @property
    def adverse(self) -> int:
        return sum(self.counts.get(value, 0) for value in ADVERSE_FINDINGS)

    @property
    def rate(self) -> float | None:
        return self.adverse / self.on_merits if self.on_merits else None


def percent(rate: float | None) -> str:
    return "None on the merits" if rate is None else f"{rate:.0%}"


@dataclass(frozen=True)
class Spread:
    """The lower quartile, median and upper quartile of the compared landlords' rates."""

    lower_quartile: float
    median: float
    upper_quartile: float
    landlords: int

    def place_of(self, rate: float | None) -> str:
        if rate is None:
            return ""
        if rate > self.upper_quartile:
            return (
                "above the upper quartile: among the quarter of landlords compared with the most findings of a failing"
            )
        if rate < self.lower_quartile:
            return "below the lower quartile: among the quarter of landlords compared that fail least often"
        side = "above" if rate > self.median else "below" if rate < self.median else "at"
        return f"between the quartiles, {side} the median"


def spread_of(rates: list[float]) -> Spread | None:
    """Quartiles as the inclusive method gives them (the same as a spreadsheet's QUARTILE); None for fewer than 2."""
    if len(rates) < 2:
        return None
    lower, median, upper = statistics.quantiles(rates, n=4, method="inclusive")
    return Spread(lower, median, upper, len(rates))


@dataclass(frozen=True)
class FindingRow:
    label: str
    published: int
    recorded: int
    compared: int


@dataclass(frozen=True)
class CategoryRow:
    category: str
    own: Tally
    compared: Tally

    @property
    def own_rate(self) -> str:
        return percent(self.own.rate)

    @property
    def compared_rate(self) -> str:
        return percent(self.compared.rate)


@dataclass(frozen=True)
class Comparison:
    """A landlord's findings beside the landlords compared with it; see docs/sector.md."""

    landlord: Landlord
    homes: int | None
    homes_year: int | None
    band: SizeBand | None
    widened: bool  # too few in the band, so every landlord of the type was used
    published: Tally
    recorded: Tally
    compared: Tally
    compared_landlords: int
    spread: Spread | None
    categories: list[CategoryRow]
    rows_imported: int
    first_decision: date | None
    last_decision: date | None

    @property
    def finding_rows(self) -> list[FindingRow]:
        return [
            FindingRow(
                label,
                self.published.counts.get(value, 0),
                self.recorded.counts.get(value, 0),
                self.compared.counts.get(value, 0),
            )
            for value, label in Finding.choices
        ]

    @property
    def type_label(self) -> str:
        return LandlordType(self.landlord.landlord_type).label if self.landlord.landlord_type else ""

    @property
    def compared_with(self) -> str:
        kinds: dict[str, str] = {
            LandlordType.HOUSING_ASSOCIATION: "housing associations",
            LandlordType.LOCAL_AUTHORITY: "local authorities, ALMOs and TMOs",
            LandlordType.FOR_PROFIT: "for-profit providers",
            LandlordType.VOLUNTARY: "voluntary landlords",
        }
        kind = kinds.get(self.landlord.landlord_type, "landlords")
        if self.band is None or self.widened:
            return f"all {self.compared_landlords:,} {kind} in the published findings, of any size"
        return f"{self.compared_landlords:,} {kind} with {self.band.label}"

    @property
    def published_rate(self) -> str:
        return percent(self.published.rate)

    @property
    def recorded_rate(self) -> str:
        return percent(self.recorded.rate)

    @property
    def compared_rate(self) -> str:
        return percent(self.compared.rate)

    @property
    def place(self) -> str:
        return self.spread.place_of(self.published.rate) if self.spread else ""

    @property
    def rate_rows(self) -> list[tuple[str, str, str]]:
        """(whose, rate, from what) for the table of rates."""

        def basis(tally: Tally) -> str:
            return f"{tally.adverse:,} of {tally.on_merits:,} findings on the merits"

        rows = [
            ("Your landlord, published by the Ombudsman", self.published_rate, basis(self.published)),
            ("Your landlord, recorded in Putright", self.recorded_rate, basis(self.recorded)),
            ("The landlords compared, all their findings together", self.compared_rate, basis(self.compared)),
        ]
        if self.spread:
            across = f"across {self.spread.landlords:,} landlords with findings on the merits"
            rows += [
                ("Lower quartile of the landlords compared", percent(self.spread.lower_quartile), across),
                ("Median of the landlords compared", percent(self.spread.median), across),
                ("Upper quartile of the landlords compared", percent(self.spread.upper_quartile), across),
            ]
        return rows


def _tallies(rows: Iterable[Mapping[str, object]], by: str) -> dict[str, Counter[str]]:
    tallies: dict[str, Counter[str]] = defaultdict(Counter)
    for row in rows:
        tallies[str(row[by])][str(row["finding"])] += int(row["n"])  # type: ignore[call-overload]
    return tallies


def _latest_homes(landlord: Landlord) -> HomesCount | None:
    return HomesCount.objects.filter(landlord=landlord).order_by("-year_starting").first()


def _peers(landlord: Landlord, band: SizeBand | None) -> tuple[Q, bool]:
    """Who the landlord is compared with: its type in its band, or all of its type when the band holds too few."""
    of_type = Q(landlord_type__in=PUBLISHED_TYPES[landlord.landlord_type]) & ~Q(landlord_name=landlord.ombudsman_name)
    if band is None:
        return of_type, True
    in_band = of_type & Q(stock_size__gte=band.lowest)
    if band.highest is not None:
        in_band &= Q(stock_size__lte=band.highest)
    enough = PublishedFinding.objects.filter(in_band).values("landlord_name").distinct().count() >= FEWEST_IN_BAND
    return (in_band, False) if enough else (of_type, True)


def _iter_values(query: models.QuerySet[PublishedFinding], *by: str) -> Iterator[dict[str, object]]:
    yield from query.values(*by, "finding").annotate(n=Count("id")).order_by()


def sector_comparison(landlord: Landlord) -> Comparison:
    """The landlord's published and recorded findings beside those of the landlords compared with it."""
    held = PublishedFinding.objects.aggregate(rows=Count("id"), first=Min("decided_on"), last=Max("decided_on"))
    homes_count = _latest_homes(landlord)
    homes = homes_count.low_cost_rental + homes_count.low_cost_home_ownership if homes_count else None
    band = size_band(homes) if homes is not None else None
    recorded = Tally(
        Counter(
            {
                row["finding"]: row["n"]
                for row in Determination.objects.filter(case__landlord=landlord)
                .values("finding")
                .annotate(n=Count("id"))
                .order_by()
            }
        )
    )
    published: dict[str, Counter[str]] = {}
    if landlord.ombudsman_name:
        published = _tallies(
            _iter_values(PublishedFinding.objects.filter(landlord_name=landlord.ombudsman_name), "category"),
            "category",
        )
    own = Tally(sum(published.values(), Counter()))
    peers_by_name: dict[str, Counter[str]] = {}
    by_category: dict[str, Counter[str]] = {}
    widened = False
    if landlord.landlord_type in PUBLISHED_TYPES and held["rows"]:
        peers, widened = _peers(landlord, band)
        rows = list(_iter_values(PublishedFinding.objects.filter(peers), "landlord_name", "category"))
        peers_by_name = _tallies(rows, "landlord_name")
        by_category = _tallies(rows, "category")
    rates = [rate for counts in peers_by_name.values() if (rate := Tally(counts).rate) is not None]
    # Every category either side has findings in, by name with "Other" last; none when nobody is compared.
    names = (
        sorted(set(by_category) | set(published), key=lambda name: (name in ("Other", ""), name)) if by_category else []
    )
    categories = [
        CategoryRow(name or "Not categorised", Tally(published.get(name, {})), Tally(by_category.get(name, {})))
        for name in names
    ]
    return Comparison(
        landlord=landlord,
        homes=homes,
        homes_year=homes_count.year_starting if homes_count else None,
        band=band,
        widened=widened,
        published=own,
        recorded=recorded,
        compared=Tally(sum(peers_by_name.values(), Counter())),
        compared_landlords=len(peers_by_name),
        spread=spread_of(sorted(rates)),
        categories=categories,
        rows_imported=held["rows"],
        first_decision=held["first"],
        last_decision=held["last"],
    )
