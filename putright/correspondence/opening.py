"""A letter kept as history, its PDF made when someone first opens it.

It sits above both rendering and the worker's tasks: a PDF that cannot be made when it is opened
is handed to the worker, which tries again as it does for any letter.
"""

from __future__ import annotations

import logging

from django.db import transaction
from django.db.models import F

from putright.correspondence import rendering, tasks
from putright.correspondence.models import Letter

log = logging.getLogger(__name__)


def rendered_on_open(letter: Letter) -> Letter:
    """The letter, with its PDF made now if it was left to be rendered when first opened.

    The row is locked while the PDF is made (on SQLite, the database's one write lock), so a second
    reader at the same moment waits and then finds it ready: rendered once, never failing for
    having come second. If it cannot be made now, it is handed to the worker, which tries again
    as it does for any letter, and the caller finds it not ready. Any other letter is returned as
    it is: the worker's to render.
    """
    if letter.rendering != Letter.Rendering.ON_OPEN:
        return letter
    try:
        with transaction.atomic():
            # OF self: on PostgreSQL only the letter's row waits, not its complaint's or landlord's.
            joined = Letter.objects.select_related("complaint__person", "landlord")
            locked = joined.select_for_update(of=("self",)).get(pk=letter.pk)
            if locked.rendering == Letter.Rendering.ON_OPEN:
                rendering.keep_pdf(locked, rendering.pdf_bytes(locked))
    except Exception as error:  # WeasyPrint can fail in many ways; the worker retries with backoff
        log.exception("Rendering letter %s when it was opened failed; the worker will try again", letter.pk)
        Letter.objects.filter(pk=letter.pk, rendering=Letter.Rendering.ON_OPEN).update(
            rendering=Letter.Rendering.QUEUED, render_attempts=F("render_attempts") + 1, render_error=str(error)[:2000]
        )
        tasks.render_soon(letter.pk)
        letter.refresh_from_db(fields=["rendering", "render_attempts", "render_error"])
        return letter
    for name in ("pdf", "pdf_sha256", "rendering", "rendered_at", "render_attempts", "render_error"):
        setattr(letter, name, getattr(locked, name))
    return letter
