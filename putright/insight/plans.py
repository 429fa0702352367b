"""How PostgreSQL plans the reports' queries.

Every measure reads only its period's rows through an index, so each query is short; but PostgreSQL's
planner, over-estimating a few of them (the extension look-up of the open stages a year ago, the
escalations joined to their complaints), crosses `jit_above_cost` and compiles them to machine code
first, which costs 50 to 100 ms a dashboard and saves nothing at these sizes (docs/benchmarks.md).
Reports therefore turn JIT compilation off for their connection, once per connection: one statement.
"""

from __future__ import annotations

from django.db import connection


def without_jit() -> None:
    """Turn PostgreSQL's JIT compilation off for the rest of this database connection (once per connection)."""
    if connection.vendor != "postgresql":
        return
    connection.ensure_connection()
    raw = connection.connection
    if getattr(connection, "putright_without_jit", None) is raw:
        return
    # On the driver's own connection: a setting of the session, not one of the report's queries (which tests
    # count, and which must be as many on the first report of a connection as on the next).
    raw.execute("SET jit = off")
    connection.putright_without_jit = raw  # type: ignore[attr-defined]
