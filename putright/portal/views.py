"""The resident portal: make a complaint, then follow it with a one-time code sent by email.

Views parse the request, call one domain action, and render. A resident sees only the complaint
their session was opened for, at the landlord whose address they are on.
"""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from putright import clock
from putright.complaints import actions
from putright.complaints.errors import ComplaintError, InvalidInput
from putright.complaints.models import Complaint, Stage
from putright.correspondence.models import Letter
from putright.correspondence.opening import rendered_on_open
from putright.documents import staging
from putright.documents.limits import (
    ATTACHMENT_MAX_BYTES,
    MAX_MEGABYTES,
    RESIDENT_MAX_FILES,
    VIDEO_MAX_BYTES,
    VIDEO_MAX_MEGABYTES,
)
from putright.landlords.calendars import policy_in_force
from putright.landlords.models import Landlord
from putright.portal import codes, explain, journey, limits, notices
from putright.portal.forms import (
    AddInformationForm,
    CodeForm,
    DocumentsForm,
    EscalateForm,
    FollowForm,
    WithdrawForm,
)
from putright.portal.models import Submission
from putright.rules import responses

HONEYPOT = "website"


def _landlord(slug: str) -> Landlord:
    return get_object_or_404(Landlord, slug=slug)


def _page(request: HttpRequest, landlord: Landlord, template: str, status: int = 200, **context: Any) -> HttpResponse:
    context.update(landlord=landlord, ombudsman=responses)
    return render(request, f"portal/{template}.html", context, status=status)


def _url(name: str, landlord: Landlord, **kwargs: str) -> str:
    return reverse(f"portal:{name}", kwargs={"landlord": landlord.slug, **kwargs})


def _is_bot(request: HttpRequest) -> bool:
    return bool(request.POST.get(HONEYPOT))


def _refused(request: HttpRequest, landlord: Landlord) -> HttpResponse:
    return _page(request, landlord, "refused", status=400)


# -- make a complaint -------------------------------------------------------------------------


@require_GET
def start(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    policy = policy_in_force(found, clock.today())
    return _page(request, found, "start", policy=explain.policy_in_plain_words(policy))


@require_http_methods(["GET", "POST"])
def step(request: HttpRequest, landlord: str, page: str) -> HttpResponse:
    found = _landlord(landlord)
    current = journey.BY_SLUG.get(page)
    stored = journey.answers(request.session, found)
    if current is None or not current.applies(stored):
        return redirect(_url("step", found, page=journey.STEPS[0].slug))
    # Pages are answered in order: a page further on waits until the ones before it are done.
    pending = journey.first_unanswered(stored)
    steps = journey.applicable(stored)
    if pending is not None and steps.index(current) > steps.index(pending):
        return redirect(_url("step", found, page=pending.slug))
    if current.slug == journey.DOCUMENTS:
        return _documents(request, found, current, stored)
    form = current.form(request.POST or None, initial=journey.initial(current, stored), answers=stored)
    if request.method == "GET":
        # An answer kept that the page would now refuse is shown with its error, to correct here.
        form = journey.recheck(current, stored) or form
    if request.method == "POST" and form.is_valid():
        journey.save_answers(request.session, found, form.cleaned_data)
        stored = journey.answers(request.session, found)
        if current.slug == "what-you-want" and stored["kind"] == "request":
            return redirect(_url("service-request", found))
        return _onward(request, found, current)
    back = _back(found, current, stored)
    return _page(request, found, "step", form=form, step=current, back=back)


def _onward(request: HttpRequest, landlord: Landlord, current: journey.Step) -> HttpResponse:
    stored = journey.answers(request.session, landlord)
    following = journey.first_unanswered(stored)
    if following is None and (request.GET.get("change") or journey.next_step(current, stored) is None):
        return redirect(_url("check", landlord))
    upcoming = journey.next_step(current, stored)
    target = following if following is not None else upcoming
    return redirect(_url("step", landlord, page=target.slug) if target else _url("check", landlord))


def _documents(request: HttpRequest, landlord: Landlord, current: journey.Step, stored: dict[str, Any]) -> HttpResponse:
    """Photos and documents: upload some (several times if need be), see them, remove any, continue."""
    token = journey.token(request.session, landlord)
    kept = staging.kept(landlord, token)
    form = DocumentsForm(request.POST or None, request.FILES or None, kept=len(kept), answers=stored)
    if request.method == "POST" and form.is_valid():
        staging.keep(landlord, token, form.cleaned_data["documents"])
        if request.POST.get("action") == "upload":
            return redirect(request.get_full_path())
        journey.save_answers(request.session, landlord, {"documents": True})
        return _onward(request, landlord, current)
    return _page(
        request,
        landlord,
        "documents",
        form=form,
        step=current,
        back=_back(landlord, current, stored),
        kept=kept,
        room=RESIDENT_MAX_FILES - len(kept),
        change=bool(request.GET.get("change")),
        **_upload_limits(),
    )


def _upload_limits() -> dict[str, int]:
    """The limits the upload pages state before a file is chosen, and their script checks before sending."""
    return {
        "max_files": RESIDENT_MAX_FILES,
        "max_megabytes": MAX_MEGABYTES,
        "max_bytes": ATTACHMENT_MAX_BYTES,
        "video_max_megabytes": VIDEO_MAX_MEGABYTES,
        "video_max_bytes": VIDEO_MAX_BYTES,
    }


@require_POST
def remove_document(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    token = journey.answers(request.session, found).get("token")
    document = request.POST.get("document", "")
    if token and document.isdigit():
        staging.remove(found, token, int(document))
    if request.POST.get("back") == "check":
        return redirect(_url("check", found) + "#documents")
    change = "?change=1" if request.POST.get("change") else ""
    return redirect(_url("step", found, page=journey.DOCUMENTS) + change)


def _back(landlord: Landlord, current: journey.Step, stored: dict[str, Any]) -> str:
    steps = journey.applicable(stored)
    index = steps.index(current)
    return _url("start", landlord) if index == 0 else _url("step", landlord, page=steps[index - 1].slug)


@require_GET
def service_request(request: HttpRequest, landlord: str) -> HttpResponse:
    return _page(request, _landlord(landlord), "service_request")


@require_http_methods(["GET", "POST"])
def check(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    if request.method == "POST":
        return _submit(request, found)
    stored = journey.answers(request.session, found)
    pending = journey.first_unanswered(stored)
    if pending is not None:
        return redirect(_url("step", found, page=pending.slug))
    journey.token(request.session, found)
    return _check_page(request, found, journey.answers(request.session, found))


def _check_page(
    request: HttpRequest, landlord: Landlord, stored: dict[str, Any], errors: list[tuple[str, str]] | None = None
) -> HttpResponse:
    if errors is None:
        # Each answer its page would now refuse, linked to that question's page.
        errors = [
            (_url("step", landlord, page=slug) + f"?change=1{anchor}", message)
            for slug, anchor, message in journey.problems(stored)
        ]
    status = 429 if errors and errors[0][0] == "#submit" else (422 if errors else 200)
    return _page(
        request,
        landlord,
        "check",
        status=status,
        rows=journey.summary(stored),
        token=stored["token"],
        errors=errors,
        documents=staging.kept(landlord, stored["token"]),
    )


def _submit(request: HttpRequest, landlord: Landlord) -> HttpResponse:
    """Commit the complaint with its reference before anything is shown: the token makes a repeat
    of this request (a double click, the back button, a retry) find the complaint already made."""
    if _is_bot(request):
        return _refused(request, landlord)
    token = request.POST.get("token", "")
    done = _made_by(token, landlord)
    if done is not None:
        return _sent(request, landlord, done)
    stored = journey.answers(request.session, landlord)
    if not token or stored.get("token") != token or journey.first_unanswered(stored) is not None:
        # The same submission sent twice at once: the other request may have made the complaint, and then
        # cleared the answers, between the two reads above. Its complaint commits before its session does.
        done = _made_by(token, landlord)
        return _sent(request, landlord, done) if done is not None else redirect(_url("start", landlord))
    if journey.problems(stored):
        return _check_page(request, landlord, stored)
    # Both counts in one statement, committed at once: they are kept whether or not the complaint is then
    # made, so a refused or failing submission still counts.
    allowed = limits.allow(
        "submit",
        request,
        # Without an email address, the phone number stands for the person (or the address).
        stored.get("email") or stored.get("phone") or stored.get("address") or "",
        per_address=limits.SUBMISSIONS_PER_ADDRESS,
        per_email=limits.SUBMISSIONS_PER_EMAIL,
    )
    if not allowed:
        message = "You have sent a lot of complaints in a short time. Wait an hour and try again, or call us."
        return _check_page(request, landlord, stored, [("#submit", message)])
    try:
        # The complaint, its files, the submission and the email saying it arrived are made together
        # or not at all: a second sending of the same token fails on the submission and takes back
        # the files it claimed, and the email is written once, with the complaint it is about.
        with transaction.atomic():
            complaint = actions.resident_log_complaint(
                landlord, received_on=clock.today(), **journey.submission(stored)
            )
            files = staging.take(landlord, token)
            if files:
                actions.resident_attach_files(complaint, files, on=clock.today())
            Submission.objects.create(token=token, complaint=complaint, submitted_at=clock.now())
            if stored.get("email"):
                stage = Stage.objects.get(complaint=complaint, number=1)
                notices.send_to_resident(
                    complaint,
                    "complaint-received",
                    stored["email"],
                    "complaint-received",
                    {"complaint": complaint, "landlord": landlord, "stage": stage, "name": stored["name"]},
                )
    except IntegrityError:
        # The same submission, sent twice at once: the other request made the complaint.
        done = _made_by(token, landlord)
        if done is None:
            raise
        return _sent(request, landlord, done)
    except InvalidInput as refusal:
        # Each refusal names its question and links to the page that asks it.
        errors = [
            (_url("step", landlord, page=page) + "?change=1", message)
            for page, message in journey.refusals(refusal.errors)
        ]
        return _check_page(request, landlord, stored, errors)
    return _sent(request, landlord, complaint)


def _made_by(token: str, landlord: Landlord) -> Complaint | None:
    """The complaint this landlord's journey token already made, if any."""
    done = Submission.objects.filter(token=token).select_related("complaint").first() if token else None
    return done.complaint if done is not None and done.complaint.landlord_id == landlord.pk else None


def _sent(request: HttpRequest, landlord: Landlord, complaint: Complaint) -> HttpResponse:
    journey.clear_answers(request.session, landlord)
    request.session[f"portal:sent:{landlord.pk}"] = complaint.pk
    return redirect(_url("confirmation", landlord))


@require_GET
def confirmation(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    complaint_id = request.session.get(f"portal:sent:{found.pk}")
    complaint = Complaint.objects.filter(pk=complaint_id, landlord=found).first() if complaint_id else None
    if complaint is None:
        return redirect(_url("start", found))
    stage = Stage.objects.get(complaint=complaint, number=1)
    return _page(request, found, "confirmation", complaint=complaint, stage=stage)


# -- follow a complaint -----------------------------------------------------------------------


def _challenge_key(landlord: Landlord) -> str:
    return f"portal:challenge:{landlord.pk}"


def _followed_key(landlord: Landlord) -> str:
    return f"portal:following:{landlord.pk}"


@require_http_methods(["GET", "POST"])
def follow(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    form = FollowForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _is_bot(request):
            return _refused(request, found)
        reference, email = form.cleaned_data["reference"], form.cleaned_data["email"]
        # Limited per address and per reference with email, never per email alone: made-up
        # references typed with a resident's email must not lock the resident out.
        if not limits.allow_code(request, reference, email):
            form.add_error(None, "You have asked for a lot of codes in a short time. Wait an hour and try again.")
            return _page(request, found, "follow", form=form, status=429)
        # The same work and the same answer whether or not the pair matches a complaint: the worker
        # matches it and sends the code, so nothing here (not even the time taken, or the mail
        # server's) tells a stranger which references exist or whose email goes with them.
        codes.send_code.enqueue(found.pk, reference, email)
        request.session[_challenge_key(found)] = {"reference": reference, "email": email}
        return redirect(_url("follow-code", found))
    return _page(request, found, "follow", form=form)


@require_http_methods(["GET", "POST"])
def follow_code(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    challenge = request.session.get(_challenge_key(found))
    if not challenge or "reference" not in challenge:
        return redirect(_url("follow", found))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        complaint = codes.redeem_for(found, challenge["reference"], challenge["email"], form.cleaned_data["code"])
        if complaint is not None:
            request.session.cycle_key()  # a new session id once the resident has proved who they are
            request.session.pop(_challenge_key(found), None)
            request.session[_followed_key(found)] = complaint.pk
            return redirect(_url("complaint", found))
        form.add_error(
            "code",
            "The code is not right, or it has expired or been tried too many times. Check it, or ask for a new code.",
        )
    return _page(request, found, "follow_code", form=form, email=challenge["email"])


def _followed(request: HttpRequest, landlord: Landlord) -> Complaint | None:
    complaint_id = request.session.get(_followed_key(landlord))
    if not complaint_id:
        return None
    return Complaint.objects.filter(pk=complaint_id, landlord=landlord).select_related("person").first()


@require_GET
def complaint(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    followed = _followed(request, found)
    if followed is None:
        return redirect(_url("follow", found))
    shown = explain.case(followed)
    return _page(
        request,
        found,
        "complaint",
        complaint=followed,
        status_text=explain.status_for_resident(followed),
        case=shown,
        can_escalate=explain.can_escalate(followed) and shown.stage2_requested_on is None,
        is_active=followed.status not in ("closed", "withdrawn", "not-accepted"),
        done=request.session.pop(f"portal:done:{found.pk}", ""),
        declined=request.session.pop(f"portal:declined:{found.pk}", False),
        letters=Letter.objects.filter(complaint=followed).order_by("issued_at", "id"),
    )


@require_GET
def letter(request: HttpRequest, landlord: str, letter_id: int) -> HttpResponseBase:
    """A letter's PDF, only from the complaint this session was opened for."""
    found = _landlord(landlord)
    followed = _followed(request, found)
    if followed is None:
        return redirect(_url("follow", found))
    on_offer = (Letter.Rendering.READY, Letter.Rendering.ON_OPEN)
    issued = Letter.objects.filter(pk=letter_id, complaint=followed, rendering__in=on_offer).first()
    if issued is None:
        raise Http404("No such letter")
    issued = rendered_on_open(issued)  # a letter kept as history is rendered when first asked for
    if issued.rendering != Letter.Rendering.READY or not issued.pdf:
        return redirect(_url("complaint", found))  # handed to the worker: the page says it is being prepared
    response = FileResponse(
        issued.pdf.open("rb"),
        as_attachment=True,
        filename=f"{followed.reference}-{issued.letter_type}.pdf",
        content_type="application/pdf",
    )
    response["Cache-Control"] = "private, no-store"
    return response


def _done(request: HttpRequest, landlord: Landlord, message: str) -> HttpResponse:
    request.session[f"portal:done:{landlord.pk}"] = message
    return redirect(_url("complaint", landlord))


@require_http_methods(["GET", "POST"])
def add_information(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    followed = _followed(request, found)
    if followed is None:
        return redirect(_url("follow", found))
    told = explain.who_is_told(followed)
    form = AddInformationForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        information, files = form.cleaned_data["information"], form.cleaned_data["documents"]
        try:
            with transaction.atomic():
                summaries = []
                if information.strip():
                    event = actions.resident_add_information(followed, information=information, on=clock.today())
                    summaries.append(event.summary)
                if files:
                    added = actions.resident_attach_files(followed, files, on=clock.today())
                    summaries += [attachment.event.summary for attachment in added]
                notices.tell_handler(
                    followed,
                    "information-added",
                    f"{followed.reference}: the resident added information",
                    "\n\n".join(summaries),
                )
        except InvalidInput as refusal:
            form.add_domain_errors(refusal.errors)
        except ComplaintError as refusal:
            form.add_error(None, refusal.message)
        else:
            added_what = (
                "information" if not files else ("files" if not information.strip() else "information and files")
            )
            return _done(request, found, f"We have added your {added_what} to your complaint and told {told}")
    hint = form.fields["information"]
    hint.help_text = str(hint.help_text).replace("your handler", told)
    return _page(request, found, "add_information", form=form, complaint=followed, **_upload_limits())


@require_http_methods(["GET", "POST"])
def escalate(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    followed = _followed(request, found)
    if followed is None:
        return redirect(_url("follow", found))
    asked_on = explain.stage2_asked_on(followed)
    # A request written on declining a remedy is offered again here, for the resident to send or change.
    written = request.session.get(f"portal:escalate-why:{found.pk}") or {}
    why = written.get("why", "") if written.get("complaint") == followed.pk else ""
    form = EscalateForm(request.POST or None, initial={"why": why})
    if request.method == "POST" and asked_on is None and form.is_valid():
        try:
            with transaction.atomic():
                result = actions.resident_escalate(followed, requested_on=clock.today(), why=form.cleaned_data["why"])
                if not result.opened:
                    notices.tell_handler(
                        followed,
                        "escalation-requested",
                        f"{followed.reference}: the resident asked for stage 2 after the deadline",
                        "Accept it with discretion or refuse it under section 2 of the Code (5.11).",
                    )
        except InvalidInput as refusal:
            form.add_domain_errors(refusal.errors)
        except ComplaintError as refusal:
            form.add_error(None, refusal.message)
        else:
            request.session.pop(f"portal:escalate-why:{found.pk}", None)
            if result.opened:
                return _done(request, found, "Your complaint has moved to stage 2")
            return _done(request, found, "We have your request for stage 2 and will tell you what happens next")
    return _page(
        request,
        found,
        "escalate",
        form=form,
        complaint=followed,
        asked_on=asked_on,
        can_escalate=asked_on is None and explain.can_escalate(followed),
        time_ended=explain.escalation_time_ended(followed),
    )


@require_http_methods(["GET", "POST"])
def withdraw(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    followed = _followed(request, found)
    if followed is None:
        return redirect(_url("follow", found))
    form = WithdrawForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            actions.resident_withdraw(followed, on=clock.today(), why=form.cleaned_data["why"])
        except InvalidInput as refusal:
            form.add_domain_errors(refusal.errors)
        except ComplaintError as refusal:
            form.add_error(None, refusal.message)
        else:
            return _done(request, found, "You have withdrawn your complaint")
    return _page(request, found, "withdraw", form=form, complaint=followed)


@require_POST
def sign_out(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    request.session.pop(_followed_key(found), None)
    return redirect(_url("start", found))
