"""PDFs drawn by WeasyPrint from the same templates and SVG charts as the web pages.

Nothing is fetched while rendering: the stylesheet is inlined and the charts are inline SVG, so a
URL in a template (or typed into a report) can never make the server fetch anything.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

from django.template.loader import render_to_string

# WeasyPrint reports every layout step at INFO, from its import onwards; only its warnings are worth a log line.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

from weasyprint import HTML, Attachment  # type: ignore[import-untyped]  # noqa: E402


class NoFetching(ValueError):
    pass


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise NoFetching(f"PDFs do not fetch anything ({url[:60]})")


def render_pdf(template: str, context: dict[str, Any], *, attachments: Sequence[tuple[str, bytes]] = ()) -> bytes:
    """The template rendered to a tagged PDF; `attachments` (name, content) are embedded as files."""
    html = render_to_string(template, context)
    files = [Attachment(string=content, name=name, url_fetcher=_refuse) for name, content in attachments]
    pdf: bytes = HTML(string=html, url_fetcher=_refuse, base_url="about:blank").write_pdf(
        attachments=files or None, pdf_tags=True
    )
    return pdf
