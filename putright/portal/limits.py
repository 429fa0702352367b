"""Rate limits on what the public can ask for, counted in the database so that every web process
shares them: per address and per email address, in windows of an hour."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpRequest

from putright import clock
from putright.portal.models import RateCounter

WINDOW = timedelta(hours=1)
SUBMISSIONS_PER_ADDRESS = 10
SUBMISSIONS_PER_EMAIL = 5
CODES_PER_ADDRESS = 10
CODES_PER_EMAIL = 5


def client_address(request: HttpRequest) -> str:
    # REMOTE_ADDR as the web server saw it: behind a proxy, the proxy must set it from the client.
    return str(request.META.get("REMOTE_ADDR") or "unknown")


def email_key(email: str) -> str:
    # Counters outlive the requests they count: keep a digest, not the address itself.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def _count(key: str) -> int:
    now = clock.now()
    start = now - timedelta(seconds=now.timestamp() % WINDOW.total_seconds())
    counters = RateCounter.objects.filter(key=key, window_start=start)
    if not counters.update(count=F("count") + 1):
        try:
            with transaction.atomic():
                RateCounter.objects.create(key=key, window_start=start, count=1)
                return 1
        except IntegrityError:  # another request created this window's counter first
            counters.update(count=F("count") + 1)
    return counters.values_list("count", flat=True).get()


def allow(action: str, request: HttpRequest, email: str, *, per_address: int, per_email: int) -> bool:
    """Count one more `action` from this address and this email; False once either is over its limit."""
    by_address = _count(f"{action}:address:{client_address(request)}") <= per_address
    by_email = _count(f"{action}:email:{email_key(email)}") <= per_email
    return by_address and by_email
