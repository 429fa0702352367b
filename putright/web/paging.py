"""Paging through a long list, a page at a time: the page asked for, and how many rows a page has."""

from __future__ import annotations

from django.http import HttpRequest

PAGE_SIZE = 50
LAST_PAGE = 200  # deeper than anyone reads; an offset past it would only make the database work


def page_number(request: HttpRequest) -> int:
    """The `page` the query string asks for, from 1 to LAST_PAGE; anything else is the first page."""
    try:
        return max(1, min(LAST_PAGE, int(request.GET.get("page", "1"))))
    except ValueError:
        return 1
