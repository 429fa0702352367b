"""Every refusal in one shape: `{"detail": "...", "errors": {"field": "message"}}`.

The status comes from the domain error itself (putright.complaints.errors), so the API refuses
exactly as the workspace does: 409 for a state or version that does not allow the change, 403
for a role that does not, 422 for input the Code or the database cannot take.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from django.core.exceptions import RequestDataTooBig
from django.db import DatabaseError, InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse
from ninja.errors import AuthenticationError, HttpError, ValidationError

from putright.complaints.errors import ComplaintError, InvalidInput
from putright.rules.calendar import CalendarRangeError
from putright.web.middleware import UNAVAILABLE, log_database_fault

if TYPE_CHECKING:
    from ninja import NinjaAPI

logger = logging.getLogger(__name__)

UNAUTHORIZED = "Give a valid API token in the Authorization header, as 'Bearer <token>'."


class NotFound(HttpError):
    """A record that does not exist or is another landlord's: the two answer alike, so neither leaks."""

    def __init__(self, what: str = "record") -> None:
        super().__init__(404, f"Not found: there is no {what} with this reference that you can see.")


def error_body(detail: str, errors: dict[str, str] | None = None) -> dict[str, Any]:
    return {"detail": detail, "errors": errors} if errors else {"detail": detail}


def field_name(loc: Sequence[Any]) -> str:
    """`("body", "payload", "resident", "name")` as `resident.name`; `("query", "limit")` as `limit`."""
    source, *rest = loc
    if source == "body" and len(rest) > 1:
        rest = rest[1:]  # the view's argument name, which the caller never sees
    name = ""
    for part in rest:
        name += f"[{part}]" if isinstance(part, int) else f"{'.' if name else ''}{part}"
    return name or str(source)


def install(api: NinjaAPI) -> None:
    def respond(request: HttpRequest, status: int, detail: str, errors: dict[str, str] | None = None) -> HttpResponse:
        return api.create_response(request, error_body(detail, errors), status=status)

    @api.exception_handler(ComplaintError)
    def domain_refusal(request: HttpRequest, exc: ComplaintError) -> HttpResponse:
        errors = exc.errors if isinstance(exc, InvalidInput) else None
        return respond(request, exc.status, exc.message, errors)

    @api.exception_handler(ValidationError)
    def invalid_request(request: HttpRequest, exc: ValidationError) -> HttpResponse:
        errors: dict[str, str] = {}
        for error in exc.errors:
            message = str(error.get("msg") or "This value is not valid").removeprefix("Value error, ")
            if error.get("type") == "extra_forbidden":
                message = "This request does not take this field: check its spelling, or leave it out"
            errors.setdefault(field_name(error.get("loc") or ("body",)), message)
        return respond(request, 422, "; ".join(f"{field}: {message}" for field, message in errors.items()), errors)

    @api.exception_handler(AuthenticationError)
    def unauthorized(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
        response = respond(request, 401, UNAUTHORIZED)
        response["WWW-Authenticate"] = "Bearer"
        return response

    @api.exception_handler(HttpError)
    def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
        if exc.status_code == 400:  # the only 400 ninja raises: a body it cannot parse
            return respond(request, 400, "The request body is not valid JSON.", {"body": "Send a JSON object"})
        return respond(request, exc.status_code, str(exc))

    @api.exception_handler(CalendarRangeError)
    def outside_calendar(request: HttpRequest, exc: CalendarRangeError) -> HttpResponse:
        return respond(request, 422, f"A date is outside the working-day calendar: {exc}")

    @api.exception_handler(RequestDataTooBig)
    def too_big(request: HttpRequest, exc: RequestDataTooBig) -> HttpResponse:
        return respond(request, 413, "The request body is too large.")

    @api.exception_handler(OperationalError)
    @api.exception_handler(InterfaceError)
    def database_fault(request: HttpRequest, exc: DatabaseError) -> HttpResponse:
        # A lost database connection: 503 with Retry-After, so a program tries again (putright.web.middleware).
        response = respond(request, 503, UNAVAILABLE)
        response["Retry-After"] = log_database_fault(request, exc)
        return response

    @api.exception_handler(Exception)
    def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
        logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
        return respond(request, 500, "Something went wrong on our side; it has been logged.")
