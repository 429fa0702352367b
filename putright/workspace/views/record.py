"""A complaint's page: everything recorded on it, and the steps this person may take now.

Every member of the landlord's staff may read it (access.Capability.READ), except a confidential
complaint, which only some read (complaints.access); a link or button the reader's role cannot use is
left off rather than offered and refused. What the page shows of sensitive records is put in the
access log (putright.access_log).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.contrib import messages
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from putright import clock
from putright.access_log import AccessKind, Shown, record_shown
from putright.complaints import access, actions, queries
from putright.complaints.errors import ComplaintError, InvalidInput, NotPermitted
from putright.complaints.models import Complaint, Stage, Status
from putright.complaints.needs import Needs
from putright.complaints.policies import policy_for
from putright.correspondence import access as correspondence_access
from putright.correspondence.models import Letter, OutboxMessage
from putright.documents import filetypes
from putright.documents.models import Attachment
from putright.landlords.calendars import working_calendar
from putright.web.authorise import StaffRequest, complaint_for, record_for, staff_view
from putright.workspace import steps
from putright.workspace.forms import AttachmentForm
from putright.workspace.late_responses import late_responses
from putright.workspace.presenters import Deadline, deadline
from putright.workspace.views import contacts
from putright.workspace.views.common import complaint_url
from putright.workspace.views.needs import needs_panel
from putright.workspace.views.restrictions import RestrictionPanel, restriction_panel
from putright.workspace.views.triage import can_change_priority


@dataclass(frozen=True)
class StagePanel:
    stage: Stage
    current: bool
    acknowledge: Deadline | None
    respond: Deadline | None


@dataclass(frozen=True)
class LetterRow:
    letter: Letter
    emails: list[OutboxMessage]


def correspondence_of(complaint_id: int) -> tuple[list[LetterRow], list[OutboxMessage]]:
    """The complaint's letters, each with the emails it went in, and every email about the complaint:
    two queries however many there are."""
    names = ("username", "first_name", "last_name")
    emails = list(
        OutboxMessage.objects.filter(complaint_id=complaint_id)
        .only(
            "letter_id",
            "kind",
            "to_address",
            "subject",
            "state",
            "attempts",
            "last_error",
            "created_at",
            "sent_at",
            "once_key",
        )
        .order_by("created_at", "id")
    )
    by_letter: dict[int, list[OutboxMessage]] = {}
    for email in emails:
        if email.letter_id is not None:
            by_letter.setdefault(email.letter_id, []).append(email)
    letters = (
        Letter.objects.filter(complaint_id=complaint_id)
        .select_related("issued_by")
        .only(
            "letter_type",
            "stage_number",
            "subject",
            "issued_on",
            "issued_at",
            "rendering",
            "pdf_sha256",
            "html_sha256",
            "large_print",
            "complaint_id",
            *(f"issued_by__{n}" for n in names),
        )
        .order_by("issued_at", "id")
    )
    return [LetterRow(letter, by_letter.get(letter.pk, [])) for letter in letters], emails


def sensitive_shown(complaint: Complaint, needs: Needs, restrictions: RestrictionPanel) -> list[Shown]:
    """What of the page goes in the access log: a confidential complaint, and the detail of the
    resident's vulnerabilities, safeguarding concerns and contact restrictions when the reader sees it.
    Adjustments, which every reader sees so that letters and calls honour them, are not logged here."""
    shown = []
    if complaint.is_confidential:
        shown.append(Shown(AccessKind.CONFIDENTIAL_COMPLAINT, complaint.reference, complaint.pk))
    if needs.detail and needs.vulnerabilities:
        shown.append(Shown(AccessKind.VULNERABILITY, complaint.reference, complaint.person_id))
    if needs.detail and needs.concerns:
        shown.append(Shown(AccessKind.SAFEGUARDING, complaint.reference, complaint.person_id))
    if restrictions.detail and (restrictions.current or restrictions.past):
        shown.append(Shown(AccessKind.RESTRICTION, complaint.reference, complaint.person_id))
    return shown


@require_GET
@staff_view
def complaint_page(request: StaffRequest, reference: str) -> HttpResponse:
    complaint = record_for(request, reference)
    stages = list(complaint.stages.all())
    situation = steps.situation(request.staff, complaint, stages)
    calendar = working_calendar(complaint.landlord)
    policy = policy_for(complaint)
    today = clock.today()

    def due(day: date) -> Deadline:
        return deadline(calendar, day, today, policy.amber_days)

    panels = []
    for stage in stages:
        live = stage.number == complaint.stage and complaint.is_open
        panels.append(
            StagePanel(
                stage,
                stage.number == complaint.stage,
                due(stage.acknowledge_due) if live and stage.acknowledged_on is None else None,
                due(stage.response_due) if live and stage.responded_on is None else None,
            )
        )
    letters, emails = correspondence_of(complaint.pk)
    needs = needs_panel(request.staff, complaint)
    restrictions = restriction_panel(request.staff, complaint, stages)
    record_shown(request.user, complaint.landlord_id, request.path, sensitive_shown(complaint, needs, restrictions))
    failed = sum(1 for email in emails if email.state == OutboxMessage.State.FAILED)
    events = list(complaint.events.all())
    attachments = list(Attachment.objects.filter(complaint=complaint).select_related("uploaded_by"))
    updatable_actions = {
        a.pk
        for a in complaint.actions.all()
        if a.completed_on is None and access.can_update_action(request.staff, a, complaint)
    }
    return render(
        request,
        "workspace/complaint.html",
        {
            "complaint": complaint,
            "panels": panels,
            "policy": policy,
            "floor_notes": queries.floor_notes(complaint, complaint.stage) if complaint.is_open else [],
            "buttons": steps.offered(situation),
            "late_responses": late_responses(situation, today),
            "can_attach": steps.ATTACH.permitted(situation),
            "can_update_remedies": steps.REMEDY.permitted(situation) and steps.REMEDY.applies(situation),
            "can_update_actions": bool(updatable_actions),
            "updatable_actions": updatable_actions,
            "attachments": attachments,
            "needs": needs,
            "restrictions": restrictions,
            "about_staff_shown": access.sees_about_staff(request.staff),
            "can_mark_confidential": access.can_keep_confidentiality(request.staff, complaint),
            "contacts_panel": contacts.panel(complaint, request.staff, stages),
            "events": events,
            "start_page": "My work" if access.has_work(request.staff) else "Team work",
            "responded": complaint.status in (Status.STAGE1_RESPONDED, Status.STAGE2_RESPONDED),
            "letters": letters,
            "emails": emails,
            "emails_failed": failed,
            "can_retry": correspondence_access.can_edit(request.staff),
            "can_change_priority": can_change_priority(situation),
        },
    )


@require_http_methods(["GET", "POST"])
@staff_view
def attach(request: StaffRequest, reference: str) -> HttpResponse:
    complaint = complaint_for(request, reference)
    steps.ATTACH.require(steps.situation(request.staff, complaint))
    form = AttachmentForm(request.POST or None, request.FILES or None, initial={"expected_version": complaint.version})
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            # The Event and the stored file go together: if either fails, neither is kept.
            with transaction.atomic():
                event = actions.attach_file(
                    complaint,
                    request.user,
                    name=upload.name or "upload",
                    content_type=filetypes.content_type(upload),
                    size=upload.size or 0,
                    description=form.cleaned_data["description"],
                    expected_version=form.cleaned_data["expected_version"],
                )
                Attachment.objects.create(
                    complaint=complaint,
                    event=event,
                    file=upload,
                    name=event.after["name"],
                    content_type=event.after["content_type"],
                    size=event.after["size"],
                    description=form.cleaned_data["description"],
                    uploaded_by=request.user,
                    uploaded_at=event.at,
                )
        except NotPermitted:
            raise
        except InvalidInput as refusal:
            form.add_domain_errors(refusal.errors)
        except ComplaintError as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(request, f"{event.after['name']} added")
            return redirect(complaint_url(complaint) + "#documents")
    return render(
        request, "workspace/steps/attach.html", {"complaint": complaint, "form": form, "errors": form.error_links()}
    )


@require_GET
@staff_view
def download(request: StaffRequest, reference: str, attachment_id: int) -> HttpResponseBase:
    complaint = complaint_for(request, reference)
    attachment = Attachment.objects.filter(complaint=complaint, pk=attachment_id).first()
    if attachment is None:
        raise Http404("No such document")
    response = FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.download_name,  # its extension from its content: the name as sent is only shown
        content_type=attachment.content_type,
    )
    response["Cache-Control"] = "private, no-store"
    return response
