"""/complaints/{reference}/letters: the letters issued on a complaint, their PDFs, and the 5.9 update.

Letters are issued by the domain actions themselves (acknowledging issues the acknowledgement, and
so on); this router lists them, hands out the PDF the worker rendered (or, for a letter kept as
history, renders it when first asked for), and sends the update letter.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import Router
from ninja.errors import HttpError

from putright.api import schemas as s
from putright.api.auth import caller
from putright.api.complaints import READ_REFUSALS, REFUSALS, _complaint, record
from putright.api.errors import NotFound
from putright.complaints import actions
from putright.complaints.models import Complaint
from putright.correspondence.models import Letter
from putright.correspondence.opening import rendered_on_open
from putright.rules.letters import LetterType

router = Router(tags=["letters"])


@router.get("/complaints/{reference}/letters", response={200: list[s.LetterOut], **READ_REFUSALS})
def list_letters(request: HttpRequest, reference: s.Reference) -> list[dict[str, object]]:
    """Every letter issued on the complaint, oldest first, with the SHA-256 it was kept with."""
    complaint = _complaint(request, reference)
    rows = Letter.objects.filter(complaint=complaint).select_related("issued_by").order_by("issued_at", "id")
    return [
        {
            "id": letter.pk,
            "letter_type": letter.letter_type,
            "label": LetterType(letter.letter_type).label,
            "stage": letter.stage_number,
            "subject": letter.subject,
            "issued_on": letter.issued_on,
            "issued_by": letter.issued_by.username if letter.issued_by else None,
            "html_sha256": letter.html_sha256,
            "rendering": letter.rendering,
            "pdf_sha256": letter.pdf_sha256 or None,
            "large_print": letter.large_print,
        }
        for letter in rows
    ]


@router.get(
    "/complaints/{reference}/letters/{letter_id}/pdf",
    response={200: None, 409: s.ErrorOut, **READ_REFUSALS},
    openapi_extra={"responses": {200: {"description": "The letter as a PDF", "content": {"application/pdf": {}}}}},
)
def letter_pdf(request: HttpRequest, reference: s.Reference, letter_id: s.Id) -> HttpResponse:
    """The letter's PDF as issued; 409 while the worker has not rendered it yet."""
    complaint: Complaint = _complaint(request, reference)
    letter = Letter.objects.filter(complaint=complaint, pk=letter_id).first()
    if letter is None:
        raise NotFound("letter")
    letter = rendered_on_open(letter)  # a letter kept as history is rendered when first asked for
    if letter.rendering != Letter.Rendering.READY:
        raise HttpError(409, "The letter's PDF is still being prepared by the worker: try again in a minute.")
    with letter.pdf.open("rb") as file:
        content = file.read()
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{complaint.reference}-{letter.letter_type}.pdf"'
    response["X-Content-SHA256"] = letter.pdf_sha256
    return response


@router.post("/complaints/{reference}/updates", response={200: s.ComplaintDetail, **REFUSALS})
def send_update(request: HttpRequest, reference: s.Reference, payload: s.UpdateIn) -> Complaint:
    """Send the resident the update agreed while a response is delayed (5.9), as a letter."""
    complaint = actions.send_update(
        _complaint(request, reference),
        caller(request),
        on=payload.on,
        update=payload.update,
        expected_version=payload.version,
    )
    return record(request, complaint.reference)
