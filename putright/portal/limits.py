"""Rate limits on what the public can ask for, counted in the database so that every web process
shares them, in windows of an hour: complaints sent per address and per email address; codes asked
for per address and per reference-and-email pair.

A code is never limited by the email alone: anyone may type a resident's email with made-up
references, and a limit on the email would then lock the resident out of their own complaint. The
address is the client's own behind trusted proxies (`putright.web.client`)."""

from __future__ import annotations

import hashlib
from datetime import timedelta

from django.http import HttpRequest

from putright import clock
from putright.counters import count_up
from putright.portal.models import RateCounter
from putright.web.client import client_address

WINDOW = timedelta(hours=1)
SUBMISSIONS_PER_ADDRESS = 10
SUBMISSIONS_PER_EMAIL = 5
CODES_PER_ADDRESS = 10
CODES_PER_PAIR = 5


def email_key(email: str) -> str:
    # Counters outlive the requests they count: keep a digest, not the address itself.
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()[:32]


def pair_key(reference: str, email: str) -> str:
    """A digest of a reference with an email, as the follow journey matches them (any case)."""
    together = f"{reference.strip().upper()}\n{email.strip().lower()}"
    return hashlib.sha256(together.encode()).hexdigest()[:32]


def _count(*keys: str) -> list[int]:
    """Count one more for each key in this window (one statement for all of them), and give each key's count."""
    now = clock.now()
    start = now - timedelta(seconds=now.timestamp() % WINDOW.total_seconds())
    return count_up(RateCounter, "count", ("key", "window_start"), [(key, start) for key in keys])


def allow(action: str, request: HttpRequest, email: str, *, per_address: int, per_email: int) -> bool:
    """Count one more `action` from this address and this email; False once either is over its limit."""
    by_address, by_email = _count(f"{action}:address:{client_address(request)}", f"{action}:email:{email_key(email)}")
    return by_address <= per_address and by_email <= per_email


def allow_code(request: HttpRequest, reference: str, email: str) -> bool:
    """Count one more request for a code from this address for this reference and email; False
    once either is over its limit. Both are counted, so a refused request still counts."""
    by_address, by_pair = _count(f"code:address:{client_address(request)}", f"code:pair:{pair_key(reference, email)}")
    return by_address <= CODES_PER_ADDRESS and by_pair <= CODES_PER_PAIR
