"""/staff/mail/: the intake queue of email no complaint claimed, each message, and its triage.

Every member of a landlord's staff may read its email; caseworkers triage it (auditors read only).
Another landlord's message is a 404, exactly like one that does not exist, and so is one on a
complaint the reader may not read (a confidential one: `access.on_readable_complaint`). A message's HTML is
never rendered: the page shows its text, and its sanitised HTML only as source, escaped.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from putright.complaints import access
from putright.complaints.access import Capability
from putright.correspondence import inbound
from putright.correspondence.access import on_readable_complaint
from putright.correspondence.models import InboundAttachment, InboundMessage
from putright.web.authorise import StaffRequest, staff_view
from putright.web.forms import Form, long_text, radios, submit
from putright.web.paging import PAGE_SIZE, page_number

Outcome = InboundMessage.Outcome
NEXT_STEP = {
    Outcome.COMPLAINT: ("workspace:complaint-log", "Log the complaint"),
    Outcome.SERVICE_REQUEST: ("workspace:service-request-log", "Log the service request"),
}


class TriageForm(Form):
    outcome = radios(
        "What is this email?",
        [
            (Outcome.COMPLAINT, "A new complaint"),
            (Outcome.SERVICE_REQUEST, "A service request, such as asking for a repair"),
            (Outcome.NEITHER, "Neither"),
        ],
        what="what this email is",
    )
    note = long_text(
        "Note",
        required=False,
        max_length=2_000,
        what="the note",
        rows=3,
        help_text="Required if it is neither: say why, for example 'Marketing email'",
    )

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("outcome") == Outcome.NEITHER and not (data.get("note") or "").strip():
            self.add_error("note", "Enter why this email is neither a complaint nor a service request")
        return data


def _messages_for(request: StaffRequest) -> QuerySet[InboundMessage]:
    staff = request.staff
    return InboundMessage.objects.filter(on_readable_complaint(staff), landlord_id=staff.landlord_id)


def _message_for(request: StaffRequest, message_id: int) -> InboundMessage:
    try:
        return _messages_for(request).select_related("complaint", "triaged_by").get(pk=message_id)
    except InboundMessage.DoesNotExist:
        raise Http404("No such email") from None


@require_GET
@staff_view
def queue(request: StaffRequest) -> HttpResponse:
    waiting = request.GET.get("show") != "all"
    page = page_number(request)
    found = _messages_for(request).select_related("complaint").annotate(attachment_count=Count("attachments"))
    if waiting:
        found = found.filter(state=InboundMessage.State.TO_TRIAGE)
    rows = list(found.order_by("-received_at", "-id")[(page - 1) * PAGE_SIZE : page * PAGE_SIZE + 1])
    return render(
        request,
        "correspondence/queue.html",
        {"rows": rows[:PAGE_SIZE], "waiting": waiting, "page": page, "more": len(rows) > PAGE_SIZE},
    )


@require_GET
@staff_view
def message_page(request: StaffRequest, message_id: int) -> HttpResponse:
    message = _message_for(request, message_id)
    can_triage = message.state == InboundMessage.State.TO_TRIAGE and access.can(request.staff, Capability.LOG)
    next_step = NEXT_STEP.get(Outcome(message.outcome)) if message.outcome else None
    return render(
        request,
        "correspondence/message.html",
        {
            "message": message,
            "attachments": message.attachments.all(),
            "problems": [line for line in message.problems.splitlines() if line],
            "can_triage": can_triage,
            # The log form starts from what the email says: its sender, date and words.
            "next_step": (f"{reverse(next_step[0])}?from_email={message.pk}", next_step[1]) if next_step else None,
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view
def triage(request: StaffRequest, message_id: int) -> HttpResponse:
    message = _message_for(request, message_id)
    access.require(request.staff, Capability.LOG)
    form = TriageForm(request.POST or None)

    def done(result: InboundMessage) -> str:
        if result.outcome == Outcome.NEITHER:
            return reverse("correspondence:queue")
        return reverse("correspondence:message", args=[result.pk])

    return submit(
        request,
        form,
        lambda: inbound.triage(
            message, request.user, outcome=form.cleaned_data["outcome"], note=form.cleaned_data["note"]
        ),
        template="correspondence/triage.html",
        context={"message": message},
        done=done,
        message=lambda result: (
            f"Email from {result.from_address or 'an unknown sender'} recorded as "
            f"{result.get_outcome_display().lower()}"
        ),
    )


def _download(file: object, name: str, content_type: str) -> FileResponse:
    response = FileResponse(file, as_attachment=True, filename=name, content_type=content_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@staff_view
def attachment(request: StaffRequest, message_id: int, attachment_id: int) -> HttpResponseBase:
    message = _message_for(request, message_id)
    found = InboundAttachment.objects.filter(message=message, pk=attachment_id).first()
    if found is None:
        raise Http404("No such attachment")
    return _download(found.file.open("rb"), found.download_name, found.content_type)


@require_GET
@staff_view
def raw(request: StaffRequest, message_id: int) -> HttpResponseBase:
    message = _message_for(request, message_id)
    if not message.raw:
        raise Http404("This email was too large to keep")
    # Served as a download of opaque bytes: a browser never interprets a hostile message.
    return _download(message.raw.open("rb"), f"email-{message.pk}.eml", "application/octet-stream")
