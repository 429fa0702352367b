"""Counters kept in the database: one more, in one statement, on PostgreSQL and SQLite alike.

`count_up` adds one to a counter column of each row named by its unique key, making the row (at 1) where it
is missing: an INSERT ... ON CONFLICT ... DO UPDATE ... RETURNING, so two requests at once each add their one
and each reads its own count, with no read-then-write, no savepoint and one round trip for all the rows. The
row stays locked until the caller's transaction ends, so a number taken inside one is never given twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from django.db import connection
from django.db.models import Field, Model

Key = tuple[int | str | datetime, ...]


def count_up(model: type[Model], counter: str, key: Sequence[str], rows: Sequence[Key]) -> list[int]:
    """Add one to `counter` of each of `rows` (values of the unique `key` columns); each row's count after it, in
    the order of `rows`. The rows' first values must differ from one another: the counts are matched by them
    (a database gives other values, dates above all, back in its own form)."""
    if not rows:
        return []
    assert len({row[0] for row in rows}) == len(rows), "count_up matches its rows by their first value"
    quote = connection.ops.quote_name

    def column(name: str) -> str:
        field = model._meta.get_field(name)
        assert isinstance(field, Field) and field.column
        return quote(field.column)

    table = quote(model._meta.db_table)
    columns = [column(name) for name in key]
    count = column(counter)
    values = ", ".join("(" + ", ".join(["%s"] * (len(key) + 1)) + ")" for _ in rows)
    params: list[Any] = [value for row in rows for value in (*row, 1)]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}, {count}) VALUES {values} "  # noqa: S608 (no input in SQL)
            f"ON CONFLICT ({', '.join(columns)}) DO UPDATE SET {count} = {table}.{count} + 1 "
            f"RETURNING {columns[0]}, {count}",
            params,
        )
        counts = dict(cursor.fetchall())
    return [counts[row[0]] for row in rows]
