"""Reading the access log: one landlord's rows, newest first, filtered by who, what kind, when and which record."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.db.models import QuerySet
from django.utils import timezone

from putright.access_log.models import AccessKind, SensitiveAccess

CSV_CHUNK = 2_000
CSV_COLUMNS = ("When", "Username", "Name", "What", "Record", "Record id", "Page or API path")
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


@dataclass(frozen=True)
class AccessFilter:
    user_id: int | None = None
    kind: str = ""
    since: date | None = None  # from the start of this day, in Europe/London
    until: date | None = None  # to the end of this day
    record: str = ""  # a label as the log shows it: a complaint reference, "Resident 41"


def _start_of(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def log_of(landlord_id: int, f: AccessFilter) -> QuerySet[SensitiveAccess]:
    """The landlord's access log as `f` narrows it, newest first, with who opened each record."""
    rows = SensitiveAccess.objects.filter(landlord_id=landlord_id)
    if f.user_id is not None:
        rows = rows.filter(user_id=f.user_id)
    if f.kind:
        rows = rows.filter(kind=f.kind)
    if f.since is not None:
        rows = rows.filter(at__gte=_start_of(f.since))
    if f.until is not None:
        rows = rows.filter(at__lt=_start_of(f.until + timedelta(days=1)))
    if f.record.strip():
        # References are stored in capitals; "resident 41" is found as typed or with its capital.
        typed = f.record.strip()
        rows = rows.filter(object_label__in={typed, typed.upper(), typed[:1].upper() + typed[1:].lower()})
    return rows.select_related("user").order_by("-at", "-id")


def _cell(value: object) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def csv_lines(rows: QuerySet[SensitiveAccess]) -> Iterator[str]:
    """The rows as CSV, a line at a time, read from the database in chunks (for a streamed download)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: tuple[object, ...]) -> str:
        buffer.seek(0)
        buffer.truncate()
        writer.writerow([_cell(v) for v in values])
        return buffer.getvalue()

    labels = dict(AccessKind.choices)
    yield line(CSV_COLUMNS)
    for row in rows.iterator(chunk_size=CSV_CHUNK):
        user = row.user
        yield line(
            (
                timezone.localtime(row.at).isoformat(timespec="seconds"),
                user.username if user else "(account removed)",
                (user.get_full_name() if user else ""),
                labels.get(row.kind, row.kind),
                row.object_label,
                row.object_id,
                row.path,
            )
        )
