"""A web process made ready before its first request: what that request would otherwise wait for.

Left to itself, a fresh process loads WeasyPrint (Pango, fonts) the first time a letter is previewed,
builds the API's OpenAPI schema the first time it is asked for, fills the URL resolver and compiles
each template on first use: about two seconds for whoever comes first after a deploy or a restart.

`putright serve` sets PUTRIGHT_WARM_START=1 and starts gunicorn with --preload, so this runs once in
gunicorn's master process when putright.wsgi is imported and every worker is forked from a warm one.
Nothing else sets it: tests, management commands and the development server never pay for it. An
installation that runs gunicorn itself sets PUTRIGHT_WARM_START=1 (docs/benchmarks.md).
"""

from __future__ import annotations

import logging
import os
import time
from pathlib import Path
from typing import Any

log = logging.getLogger(__name__)

ENVIRONMENT = "PUTRIGHT_WARM_START"
warmed: list[str] = []  # what this process has warmed, in order: empty in any process that does not serve


def wanted() -> bool:
    return os.environ.get(ENVIRONMENT, "") == "1"


def _pdf() -> None:
    # A one-line PDF loads WeasyPrint, Pango and the fonts, and fills fontconfig's cache.
    from putright.documents.pdf import render_pdf

    render_pdf("core/warm.html", {})


def _urls_and_api() -> None:
    from django.urls import get_resolver

    from putright.api.main import api

    get_resolver().url_patterns  # noqa: B018 - imports every view module
    api.get_openapi_schema(path_prefix="/api/v1/")


def _templates() -> None:
    from django.conf import settings
    from django.template import TemplateDoesNotExist, TemplateSyntaxError
    from django.template.loader import get_template

    from putright import __file__ as package

    root = Path(package).parent
    engines: list[dict[str, Any]] = settings.TEMPLATES
    folders = [Path(d) for engine in engines for d in engine.get("DIRS", [])]
    folders += sorted(root.glob("*/templates"))
    for folder in folders:
        for file in sorted(folder.rglob("*.html")) + sorted(folder.rglob("*.txt")):
            try:
                get_template(file.relative_to(folder).as_posix())
            except (TemplateDoesNotExist, TemplateSyntaxError):  # a fragment that only makes sense included
                continue


STEPS = (("the PDF library", _pdf), ("the URLs and the API schema", _urls_and_api), ("the templates", _templates))


def warm_up() -> list[str]:
    """Do now what the first requests would do; say how long each part took. Leaves no database connection open
    (gunicorn forks its workers from this process, and a connection must not be shared)."""
    from django.db import connections

    said = []
    for name, step in STEPS:
        started = time.perf_counter()
        try:
            step()
        except Exception:  # a part that fails to warm is only slower the first time: never refuse to serve
            log.exception("Could not warm %s", name)
            continue
        said.append(f"{name} in {time.perf_counter() - started:.2f} s")
        warmed.append(name)
    connections.close_all()
    log.info("Warmed before serving: %s", ", ".join(said))
    return said
