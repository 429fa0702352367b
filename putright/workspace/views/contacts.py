"""Contacts on the record (5.12) and the people who act for a resident (3.6): the complaint page's
panel, recording a call, meeting, visit or text, and recording, changing or ending a representative.

Anyone who works complaints may record a contact (whoever took the call); who acts for the resident
is changed by the stage's handler or a supervisor. The auditor reads; another landlord's staff get
a 404, as for any complaint of theirs.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.db.models import Count
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.views.decorators.http import require_http_methods

from putright import clock
from putright.complaints import access, actions
from putright.complaints.access import Capability
from putright.complaints.models import Complaint, Stage
from putright.correspondence.models import ContactRecord
from putright.documents import filetypes
from putright.documents.limits import ResidentFile
from putright.landlords.models import StaffMember
from putright.people.models import Representative
from putright.rules import contacts as words
from putright.web.authorise import StaffRequest, complaint_for, staff_view
from putright.web.forms import submit
from putright.workspace.forms import ContactForm, EndRepresentativeForm, RepresentativeForm
from putright.workspace.views.common import complaint_url


@dataclass(frozen=True)
class ContactsPanel:
    """What the complaint page shows about contacts and the representative, in one query."""

    contacts: Sequence[ContactRecord]
    counts: list[tuple[str, int]]
    representative: Representative | None
    acting: bool
    expired: bool
    can_record: bool
    can_change_representative: bool


def _may_change_representative(staff: StaffMember, complaint: Complaint, stages: list[Stage]) -> bool:
    by_number = {stage.number: stage for stage in stages}
    stage = by_number.get(complaint.stage)
    first = by_number.get(1)
    handler_1 = first.handler_id if complaint.stage == 2 and first is not None else None
    return stage is not None and access.can(staff, Capability.WORK, complaint, stage, handler_1)


def panel(complaint: Complaint, staff: StaffMember, stages: list[Stage]) -> ContactsPanel:
    """The complaint page's panel: its contacts with who spoke and how many documents each has (one
    query), and whether whoever acts for the resident still does (read with the complaint)."""
    contacts = list(
        ContactRecord.objects.filter(complaint=complaint)
        .select_related("staff")
        .annotate(files=Count("attachments"))
        .order_by("-happened_at", "-id")
    )
    by_kind = Counter(contact.kind for contact in contacts)
    today = clock.today()
    rep = complaint.representative
    return ContactsPanel(
        contacts=contacts,
        counts=[(label, by_kind[kind]) for kind, label in words.KINDS.items() if by_kind[kind]],
        representative=rep,
        acting=rep is not None and rep.acting_on(today),
        expired=rep is not None and rep.ended_on is None and rep.expired_on(today),
        can_record=access.can_record_contact(staff, complaint),
        can_change_representative=_may_change_representative(staff, complaint, stages),
    )


def _require_representative_work(request: StaffRequest, complaint: Complaint) -> None:
    stages = list(complaint.stages.all())
    if not _may_change_representative(request.staff, complaint, stages):
        current = next(stage for stage in stages if stage.number == complaint.stage)
        first = next(stage for stage in stages if stage.number == 1)
        access.require(
            request.staff, Capability.WORK, complaint, current, first.handler_id if complaint.stage == 2 else None
        )


@require_http_methods(["GET", "POST"])
@staff_view
def record_contact(request: StaffRequest, reference: str) -> HttpResponse:
    complaint = complaint_for(request, reference)
    access.require_contact(request.staff, complaint)
    stage = complaint.stages.get(number=complaint.stage)
    form = ContactForm(
        request.POST or None,
        request.FILES or None,
        initial={"expected_version": complaint.version, "with_whom": "resident"},
        acknowledged=stage.acknowledged_on is not None,
    )

    def commit() -> ContactRecord:
        data = form.cleaned_data
        upload = data.get("file")
        files = []
        if upload is not None:
            files.append(
                ResidentFile(
                    file=upload,
                    name=upload.name or "upload",
                    content_type=filetypes.content_type(upload),
                    size=upload.size or 0,
                )
            )
        happened_at = timezone.make_aware(datetime.combine(data["on"], data["at"]))
        event = actions.record_contact(
            complaint,
            request.user,
            actions.ContactInput(
                kind=data["kind"],
                happened_at=happened_at,
                with_whom=data["with_whom"],
                with_name=data["with_name"],
                summary=data["summary"],
                acknowledgement=bool(data.get("acknowledgement")),
            ),
            files=files,
            expected_version=data["expected_version"],
        )
        return ContactRecord.objects.get(event=event)

    return submit(
        request,
        form,
        commit,
        template="workspace/contacts/record.html",
        context={"complaint": complaint, "stage": stage},
        done=lambda _: complaint_url(complaint) + "#contacts",
        message=lambda contact: f"{contact.get_kind_display()} with {contact.with_name} recorded",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def representative(request: StaffRequest, reference: str) -> HttpResponse:
    complaint = complaint_for(request, reference)
    _require_representative_work(request, complaint)
    rep = complaint.representative
    current = rep if rep is not None and rep.ended_on is None else None
    initial: dict[str, object] = {
        "expected_version": complaint.version,
        "letters_copied": "yes",
        "portal_access": "yes",
    }
    if current is not None:
        initial |= {
            "name": current.name,
            "relationship": current.relationship,
            "authority": current.authority,
            "authority_given_on": current.authority_given_on,
            "authority_expires_on": current.authority_expires_on,
            "email": current.email,
            "phone": current.phone,
            "letters_copied": "yes" if current.letters_copied else "no",
            "portal_access": "yes" if current.portal_access else "no",
        }
    form = RepresentativeForm(request.POST or None, initial=initial)

    def commit() -> Complaint:
        data = form.cleaned_data
        return actions.set_representative(
            complaint,
            request.user,
            actions.RepresentativeInput(
                name=data["name"],
                relationship=data["relationship"],
                authority=data["authority"] or "",
                email=data["email"],
                phone=data["phone"],
                authority_given_on=data["authority_given_on"],
                authority_expires_on=data["authority_expires_on"],
                letters_copied=data["letters_copied"],
                portal_access=data["portal_access"],
            ),
            expected_version=data["expected_version"],
        )

    return submit(
        request,
        form,
        commit,
        template="workspace/contacts/representative.html",
        context={"complaint": complaint, "current": current},
        done=lambda _: complaint_url(complaint) + "#representative",
        message=lambda changed: f"{changed.representative.name} recorded as acting for the resident",
    )


@require_http_methods(["GET", "POST"])
@staff_view
def end_representative(request: StaffRequest, reference: str) -> HttpResponse:
    complaint = complaint_for(request, reference)
    _require_representative_work(request, complaint)
    rep = complaint.representative
    if request.method == "GET" and (rep is None or rep.ended_on is not None):
        messages.error(request, f"Nobody is recorded as acting for the resident on {complaint.reference}.")
        return redirect(complaint_url(complaint))
    form = EndRepresentativeForm(request.POST or None, initial={"expected_version": complaint.version})
    return submit(
        request,
        form,
        lambda: actions.end_representative(
            complaint,
            request.user,
            on=form.cleaned_data["on"],
            reason=form.cleaned_data["reason"],
            expected_version=form.cleaned_data["expected_version"],
        ),
        template="workspace/contacts/end_representative.html",
        context={"complaint": complaint, "representative": rep},
        done=lambda _: complaint_url(complaint) + "#representative",
        message=lambda _: f"{rep.name if rep else 'The representative'} no longer acts for the resident",
    )
