"""The resident's own complaint, beyond its letters: the files they sent, and their answer to a remedy.

Each view finds the complaint the session was opened for first, and then only that complaint's
file or remedy: anything else is not found.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect
from django.views.decorators.http import require_GET, require_http_methods

from putright import clock
from putright.complaints.actions.remedies import DECLINE_REASON_LIMIT, resident_answer_remedy
from putright.complaints.errors import ComplaintError, InvalidInput, TransitionNotAllowed
from putright.complaints.models import ACTIVE_STATUSES, Complaint, Event, Remedy
from putright.documents.models import Attachment
from putright.landlords.models import Landlord
from putright.portal import explain, notices
from putright.portal.views import _done, _followed, _landlord, _page, _url
from putright.web.forms import Form, long_text


class AcceptRemedyForm(Form):
    """Nothing to fill in: the button is the answer."""


class DeclineRemedyForm(Form):
    reason = long_text(
        "Why do you not accept this remedy?",
        max_length=DECLINE_REASON_LIMIT,
        rows=6,
        what="why you do not accept this remedy",
        help_text=f"Up to {DECLINE_REASON_LIMIT:,} characters. Tell us what would put things right for you.",
    )


@require_GET
def document(request: HttpRequest, landlord: str, document_id: int) -> HttpResponseBase:
    """A photo or document the resident sent, only from the complaint this session was opened for."""
    found = _landlord(landlord)
    followed = _followed(request, found)
    if followed is None:
        return redirect(_url("follow", found))
    sent = Attachment.objects.filter(pk=document_id, complaint=followed, uploaded_by__isnull=True).first()
    if sent is None:
        raise Http404("No such document")
    response = FileResponse(
        sent.file.open("rb"), as_attachment=True, filename=sent.download_name, content_type=sent.content_type
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _remedy(followed: Complaint, remedy_id: int) -> Remedy:
    remedy = Remedy.objects.select_related("stage").filter(pk=remedy_id, stage__complaint=followed).first()
    if remedy is None:
        raise Http404("No such remedy")
    remedy.stage.complaint = followed
    return remedy


def _already(followed: Complaint, remedy: Remedy) -> str:
    moves = Event.objects.filter(complaint=followed, kind="remedy-updated", after__remedy=remedy.pk).order_by("at")
    return explain.already(remedy, explain.remedy_answers(list(moves)).get(remedy.pk))


def _answer(request: HttpRequest, landlord: str, remedy_id: int, *, accept: bool) -> HttpResponse:
    found = _landlord(landlord)
    followed = _followed(request, found)
    if followed is None:
        return redirect(_url("follow", found))
    remedy = _remedy(followed, remedy_id)
    # An acceptance posts nothing but its CSRF token: the form is bound by the method, not by its data.
    data = request.POST if request.method == "POST" else None
    form: Form = AcceptRemedyForm(data) if accept else DeclineRemedyForm(data)
    answerable = remedy.state == Remedy.State.OFFERED and followed.status in ACTIVE_STATUSES
    if answerable and request.method == "POST" and form.is_valid():
        reason = "" if accept else form.cleaned_data["reason"]
        try:
            with transaction.atomic():
                resident_answer_remedy(remedy, accept=accept, reason=reason, on=clock.today())
                _tell_handler(followed, remedy, accept, reason)
        except InvalidInput as refusal:
            form.add_domain_errors(refusal.errors)
        except TransitionNotAllowed:
            # Answered meanwhile (a second click, another tab): say what was recorded, change nothing.
            remedy.refresh_from_db(fields=["state", "delivered_on"])
            answerable = False
        except ComplaintError as refusal:
            form.add_error(None, refusal.message)
        else:
            return _answered(request, found, followed, remedy, accept, reason)
    context: dict[str, Any] = {
        "complaint": followed,
        "remedy": explain.show_remedy(followed, remedy, None),
        "form": form if answerable else None,
        "already": "" if answerable else _already(followed, remedy),
    }
    return _page(request, found, "remedy_accept" if accept else "remedy_decline", **context)


def _tell_handler(followed: Complaint, remedy: Remedy, accept: bool, reason: str) -> None:
    what = "accepted" if accept else "declined"
    notices.tell_handler(
        followed,
        "remedy-answered",
        f"{followed.reference}: the resident {what} a remedy online",
        f"Remedy ({remedy.get_kind_display().lower()}): {remedy.description}"
        + (f"\n\nWhy they do not accept it: {reason}" if reason else ""),
    )


def _answered(
    request: HttpRequest, landlord: Landlord, followed: Complaint, remedy: Remedy, accept: bool, reason: str
) -> HttpResponse:
    kind, told = remedy.get_kind_display().lower(), explain.who_is_told(followed)
    if accept:
        return _done(request, landlord, f"You have accepted the remedy ({kind}) and we have told {told}")
    # Declining can lead to stage 2 (6.10): the reason given is offered as the start of the request.
    request.session[f"portal:declined:{landlord.pk}"] = True
    if explain.can_escalate(followed) and explain.stage2_asked_on(followed) is None:
        request.session[f"portal:escalate-why:{landlord.pk}"] = {"complaint": followed.pk, "why": reason}
    return _done(request, landlord, f"You have declined the remedy ({kind}) and we have told {told}")


@require_http_methods(["GET", "POST"])
def accept_remedy(request: HttpRequest, landlord: str, remedy_id: int) -> HttpResponse:
    return _answer(request, landlord, remedy_id, accept=True)


@require_http_methods(["GET", "POST"])
def decline_remedy(request: HttpRequest, landlord: str, remedy_id: int) -> HttpResponse:
    return _answer(request, landlord, remedy_id, accept=False)
