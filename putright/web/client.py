"""The address a request came from, as far as Putright can trust it.

Behind reverse proxies every request connects from the nearest proxy, so limits counted by the
connecting address would count every resident together. Each proxy appends the address it was
reached from to X-Forwarded-For; settings.TRUSTED_PROXY_COUNT says how many of them are Putright's
own. The client's address is the one the outermost trusted proxy saw: the Nth from the right. Any
addresses further left were written by the client and are ignored, so nobody can choose the address
their requests are counted under.
"""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _address(text: str) -> str:
    """A written address in its normal form, or "" when it is not an IP address."""
    text = text.strip()
    if text.startswith("[") and "]" in text:  # [2001:db8::1]:443
        text = text[1 : text.index("]")]
    elif text.count(":") == 1:  # 192.0.2.1:443
        text = text.partition(":")[0]
    try:
        return str(ipaddress.ip_address(text))
    except ValueError:
        return ""


def client_address(request: HttpRequest) -> str:
    """The client's address: REMOTE_ADDR with no trusted proxy, else the address the outermost
    trusted proxy saw. A request that did not come through all the proxies (a header too short,
    or an address that is not one) is counted under the connecting address. "" when there is no
    address at all (a request made inside a test): never a word where an address is stored
    (django-axes keeps it in an address column, which PostgreSQL checks)."""
    connecting = _address(str(request.META.get("REMOTE_ADDR") or ""))
    proxies: int = settings.TRUSTED_PROXY_COUNT
    if proxies <= 0:
        return connecting
    forwarded = [part for part in str(request.META.get("HTTP_X_FORWARDED_FOR") or "").split(",") if part.strip()]
    if len(forwarded) < proxies:
        return connecting
    return _address(forwarded[-proxies]) or connecting
