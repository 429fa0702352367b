"""Letters in the workspace: each issued letter as it was sent, the landlord's wording and
letterhead, and the outbox of email that has not gone yet.

An issued letter is read from what was stored when it was issued (its sanitised HTML, its PDF),
never composed again, so staff see exactly what the resident was sent. The PDF is the worker's:
until it has been rendered the download says so with a 409. Only a letter kept as history to be
rendered when first opened (the demo's) is rendered here, once.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.db.models import Count, Q
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from putright.complaints.errors import ComplaintError, InvalidInput, NotPermitted
from putright.correspondence import access, actions, mailboxes
from putright.correspondence import outbox as correspondence_outbox
from putright.correspondence.compose import (
    ALLOWED_FILTERS,
    ALLOWED_TAGS,
    FIELDS,
    INLINE_FIELDS,
    LetterIncomplete,
    check_template,
    default_template,
)
from putright.correspondence.docx import letter_docx
from putright.correspondence.letterhead import Handler, style_for, who_to_contact
from putright.correspondence.models import Letter, LetterStyle, LetterTemplate, OutboxMessage
from putright.correspondence.opening import rendered_on_open
from putright.correspondence.preview import sample_letter
from putright.correspondence.rendering import letter_context
from putright.correspondence.web_addresses import kept_whole
from putright.rules.letters import LetterType, elements
from putright.web.authorise import StaffRequest, complaint_for, staff_view
from putright.web.forms import submit
from putright.workspace.forms import LetterStyleForm, LetterWordingForm

OUTBOX_ROWS = 100
# What the wording pages say about the letter language, and the made-up addressee of a preview.
LANGUAGE = {
    "tags": sorted(ALLOWED_TAGS),
    "filters": sorted(ALLOWED_FILTERS - {"upper"}),
    "example_field": "{{ resident_name }}",
    "example_if": "{% if outstanding_actions %} ... {% endif %}",
    "example_filter": "{{ landlord_name|upper }}",
    "sample_addressee": "Alex Example",
    "sample_address": "1 Example Road\nExampletown\nEX1 2MP",
}
DOCX_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


# -- a complaint's letters ---------------------------------------------------------------------


def _letter(request: StaffRequest, reference: str, letter_id: int) -> Letter:
    complaint = complaint_for(request, reference)
    letter = (
        Letter.objects.select_related("complaint__person", "landlord", "issued_by")
        .filter(complaint=complaint, pk=letter_id)
        .first()
    )
    if letter is None:
        raise Http404("No such letter")
    return letter


def _filename(letter: Letter, extension: str) -> str:
    return f"{letter.complaint.reference}-{letter.letter_type}.{extension}"


@require_GET
@staff_view
def letter_page(request: StaffRequest, reference: str, letter_id: int) -> HttpResponse:
    letter = _letter(request, reference, letter_id)
    sent = letter.messages.only("to_address", "state", "sent_at", "letter_id").order_by("id")
    return render(
        request,
        "workspace/letters/letter.html",
        {**letter_context(letter), "complaint": letter.complaint, "sent": sent},
    )


@require_GET
@staff_view
def letter_pdf(request: StaffRequest, reference: str, letter_id: int) -> HttpResponseBase:
    letter = rendered_on_open(_letter(request, reference, letter_id))
    if letter.rendering != Letter.Rendering.READY or not letter.pdf:
        # 409: the letter exists, but its PDF is the worker's to make; rendering it here would
        # hold a request for seconds and race the worker.
        return render(
            request, "workspace/letters/not_ready.html", {"letter": letter, "complaint": letter.complaint}, status=409
        )
    response = FileResponse(
        letter.pdf.open("rb"), as_attachment=True, filename=_filename(letter, "pdf"), content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    return response


@require_GET
@staff_view
def letter_word(request: StaffRequest, reference: str, letter_id: int) -> HttpResponse:
    letter = _letter(request, reference, letter_id)
    response = HttpResponse(letter_docx(letter), content_type=DOCX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{_filename(letter, "docx")}"'
    response["Cache-Control"] = "private, no-store"
    return response


# -- the landlord's wording --------------------------------------------------------------------


def _letter_type(value: str) -> LetterType:
    try:
        return LetterType(value)
    except ValueError:
        raise Http404("No such letter type") from None


@require_GET
@staff_view
def wording_list(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    own = {
        t.letter_type: t
        for t in LetterTemplate.objects.filter(landlord_id=staff.landlord_id)
        .select_related("updated_by")
        .only(
            "letter_type",
            "version",
            "updated_at",
            *(f"updated_by__{n}" for n in ("username", "first_name", "last_name")),
        )
    }
    return render(
        request,
        "workspace/letters/wording_list.html",
        {
            "rows": [(kind, own.get(kind.value)) for kind in LetterType],
            "style": style_for(staff.landlord),
            "can_edit": access.can_edit(staff),
        },
    )


def _fields(kind: LetterType) -> list[dict[str, Any]]:
    """Every field a template may use, those this letter must show first, with their provisions."""
    required = {e.key: e for e in elements(kind)}
    rows = [
        {
            "name": name,
            "placeholder": "{{ " + name + " }}",
            "description": description,
            "required": required.get(name),
            "inline": name in INLINE_FIELDS,
        }
        for name, description in FIELDS.items()
    ]
    return sorted(rows, key=lambda row: row["required"] is None)


def _preview(request: StaffRequest, kind: LetterType, subject: str, body: str) -> dict[str, Any]:
    """The wording as a letter with made-up details; raises LetterIncomplete as issuing would."""
    composed = sample_letter(request.staff.landlord, kind, request.user, subject, body)
    # compose() sanitised the HTML with nh3: only the letter language's tags, no attributes.
    return {"subject": composed.subject, "body": kept_whole(composed.html)}


@require_http_methods(["GET", "POST"])
@staff_view
def wording_page(request: StaffRequest, letter_type: str) -> HttpResponse:
    staff = access.require_reader(request.user)
    kind = _letter_type(letter_type)
    if request.method == "POST":
        access.require_editor(request.user)
    own = LetterTemplate.objects.filter(landlord_id=staff.landlord_id, letter_type=kind).select_related("updated_by")
    template = own.first()
    default_subject, default_body = default_template(kind)
    if template is not None:
        subject, body, version = template.subject, template.body, template.version
    else:
        subject, body, version = default_subject, default_body, 0
    context: dict[str, Any] = {
        "kind": kind,
        "template": template,
        "fields": _fields(kind),
        "can_edit": access.can_edit(staff),
        "landlord": staff.landlord,
        "style": style_for(staff.landlord),
        "preview": None,
        "default_subject": default_subject,
        "default_body": default_body,
        **LANGUAGE,
    }
    if not context["can_edit"]:
        # The auditor reads the wording, and sees it as a letter, but is given nothing to change.
        try:
            context["preview"] = _preview(request, kind, subject, body)
        except LetterIncomplete:
            context["preview"] = None
        return render(request, "workspace/letters/wording_read.html", {**context, "subject": subject, "body": body})

    form = LetterWordingForm(
        request.POST or None, initial={"subject": subject, "body": body, "expected_version": version}
    )
    page = "workspace/letters/wording.html"
    if request.method == "POST" and "preview" in request.POST:
        if form.is_valid():
            data = form.cleaned_data
            problems = check_template(kind, data["subject"], data["body"])
            form.add_domain_errors(problems)
            if not problems:
                try:
                    context["preview"] = _preview(request, kind, data["subject"], data["body"])
                except LetterIncomplete as gaps:
                    form.add_error("body", "The wording cannot be used: " + "; ".join(gaps.gaps))
        return render(request, page, {**context, "form": form, "errors": form.error_links()})

    def saved(result: LetterTemplate | None) -> str:
        if result is None or (template is not None and result.version == template.version):
            return f"{kind.label}: nothing has changed, so nothing was saved"
        return f"{kind.label}: your wording is saved as version {result.version}. Letters issued from now on use it."

    return submit(
        request,
        form,
        lambda: actions.save_template(
            staff.landlord,
            request.user,
            kind,
            subject=form.cleaned_data["subject"],
            body=form.cleaned_data["body"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template=page,
        context=context,
        done=lambda _: reverse("workspace:letters"),
        message=saved,
    )


@require_http_methods(["GET", "POST"])
@staff_view
def wording_reset(request: StaffRequest, letter_type: str) -> HttpResponse:
    staff = access.require_editor(request.user)
    kind = _letter_type(letter_type)
    template = LetterTemplate.objects.filter(landlord_id=staff.landlord_id, letter_type=kind).first()
    if template is None:
        messages.info(request, f"{kind.label}: you already use Putright's wording")
        return redirect("workspace:letter-wording", letter_type=kind.value)
    if request.method == "POST":
        actions.reset_template(staff.landlord, request.user, kind)
        messages.success(request, f"{kind.label}: letters issued from now on use Putright's wording")
        return redirect("workspace:letters")
    return render(request, "workspace/letters/wording_reset.html", {"kind": kind, "template": template})


@require_http_methods(["GET", "POST"])
@staff_view
def style_page(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    style = style_for(staff.landlord)
    # What an acknowledgement says now about who to contact, with the reader as the example handler.
    saying = who_to_contact(staff.landlord, style, Handler.of(request.user, staff.landlord_id))
    if not access.can_edit(staff):
        if request.method == "POST":
            access.require_editor(request.user)
        return render(request, "workspace/letters/style_read.html", {"style": style, "contact_example": saying})
    fields = ("address", "phone", "email", "website", "signatory_name", "signatory_role", "contact", "team_name")
    form = LetterStyleForm(request.POST or None, initial={name: getattr(style, name) for name in fields})
    return submit(
        request,
        form,
        lambda: actions.save_style(staff.landlord, request.user, **{name: form.cleaned_data[name] for name in fields}),
        template="workspace/letters/style.html",
        context={"style": style, "contact_example": saying},
        done=lambda _: reverse("workspace:letters"),
        message=_style_saved,
    )


def _style_saved(style: LetterStyle) -> str:
    saved = "Letterhead and signatory saved. Letters issued from now on use them."
    if not style.email_requested:
        return saved
    return (
        f"{saved} We have sent a link to {style.email_requested}: it becomes your complaints mailbox once "
        "you open the link and confirm it. Until then, letters give "
        f"{style.email or 'the mailbox they give now'}."
    )


@require_http_methods(["GET", "POST"])
@staff_view
def mailbox_confirm(request: StaffRequest, token: str) -> HttpResponse:
    """The page the link in a mailbox confirmation opens: the editor confirms the change with a POST
    (a mail scanner following the link changes nothing)."""
    staff = access.require_editor(request.user)
    style = style_for(staff.landlord)
    requested = mailboxes.read(token)
    problem = ""
    if request.method == "POST":
        try:
            actions.confirm_mailbox(staff.landlord, request.user, token)
        except NotPermitted:
            raise
        except InvalidInput as refusal:
            problem = refusal.errors.get("email", "")
        except ComplaintError as refusal:
            problem = refusal.message
        else:
            messages.success(request, f"{style_for(staff.landlord).email} is now your complaints mailbox.")
            return redirect("workspace:letter-style")
    elif requested is None or not mailboxes.waits_for(style, requested):
        problem = (
            "This link has expired, is for another change of mailbox, or is not for your landlord. "
            "Save the mailbox again on the letterhead page to get a new link."
        )
    return render(
        request,
        "workspace/letters/mailbox_confirm.html",
        {"style": style, "problem": problem, "can_confirm": not problem and requested is not None},
    )


# -- the outbox --------------------------------------------------------------------------------


@require_GET
@staff_view
def outbox(request: StaffRequest) -> HttpResponse:
    staff = access.require_reader(request.user)
    # Email on a complaint the reader may not read (a confidential one) is left out, its subject with it.
    waiting = OutboxMessage.objects.filter(
        access.on_readable_complaint(staff),
        landlord_id=staff.landlord_id,
        state__in=(OutboxMessage.State.FAILED, OutboxMessage.State.PENDING),
    )
    counts = waiting.aggregate(
        failed=Count("id", filter=Q(state=OutboxMessage.State.FAILED)),
        pending=Count("id", filter=Q(state=OutboxMessage.State.PENDING)),
    )
    rows = waiting.select_related("complaint").only(
        "kind",
        "to_address",
        "subject",
        "state",
        "attempts",
        "last_error",
        "created_at",
        "next_attempt_at",
        "once_key",
        "complaint__reference",
    )
    unsendable = list(
        correspondence_outbox.no_way_to_send(staff.landlord_id).filter(
            access.on_readable_complaint(staff, or_none=False)
        )[: OUTBOX_ROWS + 1]
    )
    return render(
        request,
        "workspace/letters/outbox.html",
        {
            "unsendable": unsendable[:OUTBOX_ROWS],
            "unsendable_more": len(unsendable) > OUTBOX_ROWS,
            "failed": rows.filter(state=OutboxMessage.State.FAILED).order_by("-created_at", "-id")[:OUTBOX_ROWS],
            "pending": rows.filter(state=OutboxMessage.State.PENDING).order_by("next_attempt_at", "id")[:OUTBOX_ROWS],
            "counts": counts,
            "limit": OUTBOX_ROWS,
            "can_retry": access.can_edit(staff),
        },
    )


@require_POST
@staff_view
def outbox_retry(request: StaffRequest, message_id: int) -> HttpResponse:
    staff = access.require_editor(request.user)
    message = OutboxMessage.objects.filter(
        access.on_readable_complaint(staff), landlord_id=staff.landlord_id, pk=message_id
    ).first()
    if message is None:
        raise Http404("No such message")
    if message.state != OutboxMessage.State.FAILED:
        state = "has been sent" if message.state == OutboxMessage.State.SENT else "is already waiting to be sent"
        messages.info(request, f"The email to {message.to_address} {state}, so there is nothing to retry")
        return redirect("workspace:outbox")
    try:
        actions.retry(message, request.user)
    except NotPermitted:
        raise
    except ComplaintError as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, f"The email to {message.to_address} will be sent again shortly")
    return redirect("workspace:outbox")
