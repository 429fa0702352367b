"""A letter's PDF: WeasyPrint, tagged for screen readers, in large print when the resident asked.

The PDF is drawn from the letter's stored HTML, never from the complaint as it is now, so what a
resident downloads is what was issued. It is kept through Django's storage with its SHA-256.

The worker renders each letter soon after it is issued. Letters kept as history in bulk (the demo's)
wait instead until someone first opens one (`opening.rendered_on_open`), so nobody waits on thousands of PDFs
that may never be read.
"""

from __future__ import annotations

import logging
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction

from putright import clock
from putright.correspondence.compose import sha256
from putright.correspondence.letterhead import style_for
from putright.correspondence.models import Letter
from putright.correspondence.web_addresses import kept_whole
from putright.documents.pdf import render_pdf

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5


def letter_context(letter: Letter) -> dict[str, Any]:
    complaint = letter.complaint
    return {
        "letter": letter,
        "style": style_for(letter.landlord),
        "landlord": letter.landlord,
        "address": complaint.person.address,
        # Sanitised with nh3 when the letter was composed, and stored unchanged since; its web and
        # email addresses are kept from wrapping at a hyphen as it is shown.
        "body": kept_whole(letter.html),
    }


def pdf_bytes(letter: Letter) -> bytes:
    return render_pdf("correspondence/letter-pdf.html", letter_context(letter))


def keep_pdf(letter: Letter, content: bytes) -> None:
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
        keep_pdf(locked, content)
    return "rendered"
