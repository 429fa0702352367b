"""`Idempotency-Key` on a POST, PUT or PATCH: its retries get the first successful answer, and change nothing.

The key's row is inserted, the action run and its answer stored in one transaction. A retry sent
while the first is still running blocks on the key's unique index (PostgreSQL) or on the write
lock (SQLite) until the first commits, then fails to insert and replays the stored answer. A
refused request rolls back with its key, so it can be corrected and sent again with the same key.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import re
from collections.abc import Callable
from functools import wraps
from typing import Any

from django.contrib.auth.models import User
from django.core.exceptions import RequestDataTooBig
from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase

from putright import clock
from putright.api.auth import staff_token
from putright.api.errors import error_body
from putright.api.models import IdempotencyKey

HEADER = "Idempotency-Key"
WRITES = ("post", "put", "patch")  # the methods whose retries are answered once (lower case, as in OpenAPI)
REPLAYED_HEADER = "Idempotent-Replayed"
KEY_PATTERN = r"^[!-~]{1,255}$"  # printable ASCII, no spaces, as a UUID or a ULID is
_KEY = re.compile(KEY_PATTERN)
JSON = "application/json; charset=utf-8"

Run = Callable[..., HttpResponseBase]


class _AlreadyAnswered(Exception):
    pass


def _fingerprint(request: HttpRequest, body: bytes) -> str:
    parts = f"{request.method}\n{request.path}\n{hashlib.sha256(body).hexdigest()}"
    return hashlib.sha256(parts.encode("utf-8", "surrogateescape")).hexdigest()


def _json(status: int, data: dict[str, Any]) -> HttpResponse:
    return HttpResponse(json.dumps(data), status=status, content_type=JSON)


def idempotent(run: Run) -> Run:
    """Wrap an operation so that a POST with an Idempotency-Key is answered once and replayed after."""

    @wraps(run)
    def once(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        key = request.headers.get(HEADER)
        if (request.method or "").lower() not in WRITES or key is None:
            return run(request, *args, **kwargs)
        user = staff_token(request)
        if user is None:
            return run(request, *args, **kwargs)  # answered 401 by the operation's own check
        if not _KEY.match(key):
            message = "Send 1 to 255 printable ASCII characters without spaces, such as a UUID"
            return _json(422, error_body(f"{HEADER}: {message}", {HEADER: message}))
        try:
            fingerprint = _fingerprint(request, request.body)
        except RequestDataTooBig:
            return run(request, *args, **kwargs)  # answered 413
        for _attempt in range(2):
            try:
                return _first_time(run, request, args, kwargs, user, key, fingerprint)
            except _AlreadyAnswered:
                stored = IdempotencyKey.objects.filter(user=user, key=key).first()
            if stored is not None:
                if not hmac.compare_digest(stored.request_fingerprint, fingerprint):
                    message = "Idempotency-Key was used for a different request"
                    return _json(422, error_body(message, {HEADER: message}))
                replay = HttpResponse(stored.response_body, status=stored.response_status, content_type=JSON)
                replay[REPLAYED_HEADER] = "true"
                return replay
            # The stored answer was removed between our insert failing and our read: run it afresh.
        return _json(409, error_body("This Idempotency-Key is in use by another request; try again."))

    return once


def _first_time(
    run: Run,
    request: HttpRequest,
    args: tuple[Any, ...],
    kwargs: dict[str, Any],
    user: User,
    key: str,
    fingerprint: str,
) -> HttpResponseBase:
    with transaction.atomic():
        try:
            with transaction.atomic():
                row = IdempotencyKey.objects.create(
                    user=user, key=key, request_fingerprint=fingerprint, created_at=clock.now()
                )
        except IntegrityError:
            raise _AlreadyAnswered from None
        response = run(request, *args, **kwargs)
        if 200 <= response.status_code < 300 and isinstance(response, HttpResponse):
            row.response_status = response.status_code
            row.response_body = response.content.decode()
            row.save(update_fields=["response_status", "response_body"])
        else:
            # Nothing of a refused request is kept, its key included: it may be put right and resent.
            transaction.set_rollback(True)
        return response
