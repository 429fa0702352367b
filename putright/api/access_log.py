"""/access-log: who opened residents' sensitive records and confidential complaints, newest first.

Complaints officers and managers read their own landlord's log (as on /staff/privacy/access-log/);
every other role is refused (403). Nothing of another landlord's log is ever returned.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db.models import Q
from django.http import HttpRequest
from ninja import Field, Query, Router, Schema

from putright.access_log.access import require_log_reader
from putright.access_log.models import AccessKind, SensitiveAccess
from putright.access_log.queries import AccessFilter, log_of
from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.complaints import decode_cursor, encode_cursor, landlord_staff
from putright.complaints.errors import InvalidInput

router = Router(tags=["access log"])

REFUSALS: dict[int | str, type] = {401: s.ErrorOut, 403: s.ErrorOut, 422: s.ErrorOut}


class AccessLogQuery(s.StrictDates):
    user: s.Username | None = Field(None, description="Only what this member of staff (their username) opened")
    kind: AccessKind | None = Field(None, description="Only this kind of record")
    since: date | None = Field(None, description="From the start of this day (Europe/London)")
    until: date | None = Field(None, description="To the end of this day (Europe/London)")
    record: s.Text | None = Field(None, max_length=120, description="A complaint reference, or 'Resident 41'")
    limit: int = Field(50, ge=1, le=200)
    cursor: s.Text | None = Field(None, max_length=200)


class AccessOut(Schema):
    id: int
    at: datetime
    user: str | None = Field(description="The username; null for an account since removed")
    kind: AccessKind
    record: str = Field(description="The record's label: a complaint reference or a resident's number")
    record_id: int | None
    path: str

    @staticmethod
    def resolve_user(obj: SensitiveAccess) -> str | None:
        return obj.user.username if obj.user else None

    @staticmethod
    def resolve_record(obj: SensitiveAccess) -> str:
        return obj.object_label

    @staticmethod
    def resolve_record_id(obj: SensitiveAccess) -> int | None:
        return obj.object_id


class AccessPage(Schema):
    items: list[AccessOut]
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null on the last page")


def _after(cursor: str) -> Q:
    at, last_id = decode_cursor(cursor)
    try:
        moment = datetime.fromisoformat(at) if isinstance(at, str) else None
    except ValueError:
        moment = None
    if moment is None or not isinstance(last_id, int) or isinstance(last_id, bool) or abs(last_id) > s.MAX_ID:
        raise InvalidInput({"cursor": "This is not a cursor from this API: pass next_cursor as it was given"})
    return Q(at__lt=moment) | Q(at=moment, id__lt=last_id)


@router.get("/access-log", response={200: AccessPage, **REFUSALS})
def list_access_log(request: HttpRequest, filters: Query[AccessLogQuery]) -> dict[str, object]:
    """Who opened a resident's needs, vulnerabilities, safeguarding concerns or contact restrictions, a
    confidential complaint, or made a subject access export: newest first, a page at a time."""
    staff = require_log_reader(caller(request))
    if filters.since and filters.until and filters.until < filters.since:
        raise InvalidInput({"until": "The last day must be the same as or after the first day"})
    user_id = None
    if filters.user:
        found = landlord_staff(request, {filters.user}).get(filters.user)
        if found is None:
            raise InvalidInput({"user": "Choose a member of your landlord's staff (give their username)"})
        user_id = found.pk
    chosen = AccessFilter(
        user_id=user_id,
        kind=filters.kind or "",
        since=filters.since,
        until=filters.until,
        record=filters.record or "",
    )
    rows = log_of(staff.landlord_id, chosen)
    if filters.cursor:
        rows = rows.filter(_after(filters.cursor))
    found_rows = list(rows[: filters.limit + 1])
    items = found_rows[: filters.limit]
    more = len(found_rows) > filters.limit
    return {"items": items, "next_cursor": encode_cursor(items[-1].at.isoformat(), items[-1].pk) if more else None}
