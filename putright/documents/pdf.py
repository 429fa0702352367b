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
# Without HarfBuzz-Subset (a system library), WeasyPrint subsets fonts with fontTools, which reports
# each font table it prunes at INFO (dozens of lines for every PDF), and warns that it does so for
# every font of every PDF: in a worker's terminal that is all one would see. The warning once is enough.
logging.getLogger("fontTools").setLevel(logging.WARNING)


class _FontToolsWarningOnce(logging.Filter):
    def __init__(self) -> None:
        super().__init__()
        self.warned = False

    def filter(self, record: logging.LogRecord) -> bool:
        if not str(record.msg).startswith("Using fontTools instead of HarfBuzz-Subset"):
            return True
        warned, self.warned = self.warned, True
        return not warned


logging.getLogger("weasyprint").addFilter(_FontToolsWarningOnce())


class NoFetching(ValueError):
    pass


def _refuse(url: str, *args: Any, **kwargs: Any) -> dict[str, Any]:
    raise NoFetching(f"PDFs do not fetch anything ({url[:60]})")


def render_pdf(template: str, context: dict[str, Any], *, attachments: Sequence[tuple[str, bytes]] = ()) -> bytes:
    """The template rendered to a tagged PDF; `attachments` (name, content) are embedded as files."""
    # Imported here, not with this module: the URLs import this module, so every `putright` command
    # and web process would otherwise spend half a second loading WeasyPrint (and Pango) for nothing.
    from weasyprint import HTML, Attachment  # type: ignore[import-untyped]

    html = render_to_string(template, context)
    files = [Attachment(string=content, name=name, url_fetcher=_refuse) for name, content in attachments]
    pdf: bytes = HTML(string=html, url_fetcher=_refuse, base_url="about:blank").write_pdf(
        attachments=files or None, pdf_tags=True
    )
    return pdf
