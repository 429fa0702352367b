"""What every request meets first: a limit on its size, and a plain answer when the database is lost.

RequestSizeLimitMiddleware refuses a body larger than Putright takes from its Content-Length header,
before a byte of it is read: 413, with the limit in words. Django reads a WSGI body only as far as
its Content-Length, so a body the header understates is cut short, never read beyond it; a chunked
body (no Content-Length) is refused with 411, since Django would never read it (docs/security.md).

DatabaseFaultMiddleware answers a lost or refused database connection (the driver's OperationalError
or InterfaceError) with 503 and Retry-After rather than a 500: the request can simply be sent again
once the database is back. The API's own error handler answers the same way in JSON
(putright.api.errors), through `database_fault_response`.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.signals import got_request_exception
from django.db import InterfaceError, OperationalError
from django.http import HttpRequest, HttpResponse, HttpResponseBase, JsonResponse
from django.template.loader import render_to_string

logger = logging.getLogger(__name__)

API_PREFIX = "/api/"
_FAULTED = "_putright_database_fault"
DATABASE_FAULTS = (OperationalError, InterfaceError)
UNAVAILABLE = "Sorry, there is a problem with the service. Try again in a few minutes."


def megabytes(size: int) -> str:
    """A limit in words: '1 MB', '251 MB', '64 KB'."""
    if size >= 1024 * 1024:
        return f"{size // (1024 * 1024)} MB"
    return f"{size // 1024} KB"


def body_limit(request: HttpRequest) -> int:
    """The largest body this request may have: uploads (a multipart form) may be large, nothing else is."""
    content_type = request.META.get("CONTENT_TYPE", "").lower()
    if content_type.startswith("multipart/form-data"):
        return int(settings.UPLOAD_REQUEST_MAX_BYTES)
    return int(settings.REQUEST_MAX_BYTES)


def _wants_json(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def _page(request: HttpRequest, template: str, context: dict[str, Any], status: int, fallback: str) -> HttpResponse:
    """A GOV.UK page without the request's context processors, which could need the database or the
    body; if even that cannot be drawn, the words alone."""
    try:
        html = render_to_string(template, context)
    except Exception:
        logger.exception("The %s page could not be drawn", status)
        return HttpResponse(fallback, status=status, content_type="text/plain; charset=utf-8")
    return HttpResponse(html, status=status)


def _refusal(request: HttpRequest, status: int, detail: str, heading: str) -> HttpResponse:
    if _wants_json(request):
        response: HttpResponse = JsonResponse({"detail": detail}, status=status)
    else:
        response = _page(request, "errors/request-refused.html", {"heading": heading, "detail": detail}, status, detail)
    # No "Connection: close" here: WSGI leaves hop-by-hop headers to the server (gunicorn's sync
    # workers close every connection after its answer anyway).
    return response


class RequestSizeLimitMiddleware:
    """Refuse a body larger than Putright takes, from its headers alone."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        refusal = self.refusal(request)
        if refusal is not None:
            logger.warning(
                "Refused %s %s: %s (Content-Length %r)",
                request.method,
                request.path,
                refusal.status_code,
                request.META.get("CONTENT_LENGTH", ""),
            )
            return refusal
        return self.get_response(request)

    def refusal(self, request: HttpRequest) -> HttpResponse | None:
        raw = (request.META.get("CONTENT_LENGTH") or "").strip()
        if not raw:
            if "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
                return _refusal(
                    request,
                    411,
                    "Send the request with a Content-Length header: a body sent in chunks is not accepted.",
                    "Sorry, this request cannot be accepted",
                )
            return None
        if not raw.isdigit():
            return _refusal(
                request, 400, "The request's Content-Length is not a number.", "Sorry, this request is not valid"
            )
        limit = body_limit(request)
        if int(raw) <= limit:
            return None
        if limit == settings.UPLOAD_REQUEST_MAX_BYTES:
            detail = (
                f"The files you sent are too large: everything sent at once must be smaller than "
                f"{megabytes(limit)}. Send fewer or smaller files at a time."
            )
            heading = "The files you sent are too large"
        else:
            detail = f"The request is too large: it must be smaller than {megabytes(limit)}."
            heading = "What you sent is too large"
        return _refusal(request, 413, detail, heading)


def log_database_fault(request: HttpRequest, error: BaseException) -> str:
    """Log the fault with its traceback; returns the Retry-After value to answer with (seconds)."""
    logger.error("The database failed during %s %s", request.method, request.path, exc_info=error)
    return str(int(settings.DATABASE_RETRY_AFTER_SECONDS))


def database_fault_response(request: HttpRequest, error: BaseException) -> HttpResponse:
    """503 with Retry-After, logged: JSON for the API, the GOV.UK 'problem with the service' page for the rest."""
    retry_after = log_database_fault(request, error)
    if _wants_json(request):
        response: HttpResponse = JsonResponse({"detail": UNAVAILABLE}, status=503)
    else:
        response = _page(request, "errors/service-unavailable.html", {}, 503, UNAVAILABLE)
    response["Retry-After"] = retry_after
    response["Cache-Control"] = "no-store"
    return response


def _mark_database_fault(sender: object, request: HttpRequest | None = None, **kwargs: Any) -> None:
    """Django turns an error raised in another middleware into a 500 before this one sees it: this
    receiver of got_request_exception notes which of those were the database's."""
    import sys

    error = sys.exc_info()[1]
    if request is not None and isinstance(error, DATABASE_FAULTS):
        request.__dict__[_FAULTED] = error


got_request_exception.connect(_mark_database_fault, dispatch_uid="putright.web.middleware.database_fault")


class DatabaseFaultMiddleware:
    """A database that cannot be reached answers 503 with Retry-After, on pages and in the API."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        response = self.get_response(request)
        fault = request.__dict__.pop(_FAULTED, None)
        if fault is not None and response.status_code == 500:
            return database_fault_response(request, fault)
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, DATABASE_FAULTS):
            return database_fault_response(request, exception)
        return None
