"""A letter's PDF: WeasyPrint, tagged for screen readers, in large print when the resident asked.

The PDF is drawn from the letter's stored HTML, never from the complaint as it is now, so what a
resident downloads is what was issued. It is kept through Django's storage with its SHA-256.

The worker renders each letter soon after it is issued. Letters kept as history in bulk (the demo's)
wait instead until someone first opens one (`rendered_on_open`), so nobody waits on thousands of PDFs
that may never be read.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F
from django.utils.safestring import mark_safe

from putright import clock
from putright.core.pdf import render_pdf
from putright.correspondence.compose import sha256
from putright.correspondence.letters import style_for
from putright.correspondence.models import Letter

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def letter_context(letter: Letter) -> dict[str, Any]:
    complaint = letter.complaint
    return {
        "letter": letter,
        "style": style_for(letter.landlord),
        "landlord": letter.landlord,
        "address": complaint.person.address,
        # Sanitised with nh3 when the letter was composed, and stored unchanged since.
        "body": mark_safe(letter.html),  # noqa: S308
    }


def pdf_bytes(letter: Letter) -> bytes:
    return render_pdf("correspondence/letter-pdf.html", letter_context(letter))


def _keep(letter: Letter, content: bytes) -> None:
    """Store the PDF on the locked row, as rendered now."""
    letter.pdf.save(f"{letter.pk}.pdf", ContentFile(content), save=False)
    letter.pdf_sha256 = sha256(content)
    letter.rendering = Letter.Rendering.READY
    letter.rendered_at = clock.now()
    letter.render_attempts += 1
    letter.render_error = ""
    letter.save(update_fields=["pdf", "pdf_sha256", "rendering", "rendered_at", "render_attempts", "render_error"])


def render_letter(letter_id: int) -> str:
    """Render and keep the letter's PDF once; a letter already rendered is left as it is."""
    letter = Letter.objects.select_related("complaint__person", "landlord").filter(pk=letter_id).first()
    if letter is None:
        return "gone"
    if letter.rendering == Letter.Rendering.READY:
        return "already rendered"
    if letter.rendering == Letter.Rendering.ON_OPEN:
        return "left for its first reader"  # history: `rendered_on_open` makes it when someone opens it
    try:
        content = pdf_bytes(letter)
    except Exception as error:  # WeasyPrint can fail in many ways; the letter is kept and retried.
        log.exception("Rendering letter %s failed", letter_id)
        attempts = letter.render_attempts + 1
        Letter.objects.filter(pk=letter_id).update(
            render_attempts=attempts,
            render_error=str(error)[:2000],
            rendering=Letter.Rendering.FAILED if attempts >= MAX_ATTEMPTS else Letter.Rendering.QUEUED,
        )
        raise
    with transaction.atomic():
        locked = Letter.objects.select_for_update().get(pk=letter_id)
        if locked.rendering == Letter.Rendering.READY:
            return "already rendered"
        _keep(locked, content)
    return "rendered"


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
                _keep(locked, pdf_bytes(locked))
    except Exception as error:  # WeasyPrint can fail in many ways; the worker retries with backoff
        log.exception("Rendering letter %s when it was opened failed; the worker will try again", letter.pk)
        from putright.correspondence import tasks

        Letter.objects.filter(pk=letter.pk, rendering=Letter.Rendering.ON_OPEN).update(
            rendering=Letter.Rendering.QUEUED, render_attempts=F("render_attempts") + 1, render_error=str(error)[:2000]
        )
        tasks.render_soon(letter.pk)
        letter.refresh_from_db(fields=["rendering", "render_attempts", "render_error"])
        return letter
    for name in ("pdf", "pdf_sha256", "rendering", "rendered_at", "render_attempts", "render_error"):
        setattr(letter, name, getattr(locked, name))
    return letter
