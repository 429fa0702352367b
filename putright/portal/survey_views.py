"""How was your complaint handled? The survey a resident is offered once their complaint is closed (1.6).

The resident reaches it by the signed link in the email sent on closure, with no sign-in, or from
their complaint's page while following it. The link is exchanged for a mark in the session and
the page moves to an address without it, so the token is not left in the browser's history or
sent on as a Referer. One short page asks the three questions and offers a box for a comment:
GOV.UK's own satisfaction survey asks on one page, and these questions are about one thing.
"""

from __future__ import annotations

from typing import Any

from crispy_forms_gds.layout import Field, Layout, Size  # type: ignore[import-untyped]
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from putright.complaints.errors import InvalidInput, TransitionNotAllowed
from putright.complaints.models import Complaint, Status
from putright.landlords.models import Landlord
from putright.portal import explain
from putright.portal.views import _followed
from putright.rules import responses
from putright.surveys import actions, links, queries
from putright.surveys.models import COMMENT_LIMIT, KeptInformed, Satisfaction, SurveyInvitation, SurveyResponse, Via
from putright.web.forms import Form, long_text, radios, yes_no


class SurveyForm(Form):
    satisfaction = radios(
        "How satisfied are you with how we handled your complaint?",
        [(str(value), label) for value, label in Satisfaction.choices],
        what="how satisfied you are with how we handled your complaint",
    )
    knew_how_to_complain = yes_no(
        "Before you complained, did you know how to make a complaint to us?",
        what="yes if you knew how to make a complaint to us",
    )
    kept_informed = radios(
        "Did we keep you informed while we dealt with your complaint?",
        KeptInformed.choices,
        what="whether we kept you informed while we dealt with your complaint",
    )
    comment = long_text(
        "Is there anything else you want to tell us about how we handled your complaint?",
        required=False,
        max_length=COMMENT_LIMIT,
        rows=5,
        what="your comment",
        help_text="Optional. Do not include personal or financial information, such as your bank details.",
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["knew_how_to_complain"].choices = (("yes", "Yes"), ("no", "No"))  # type: ignore[attr-defined]
        # Each question is a heading of the page's one form, in GOV.UK's medium size.
        self.helper.layout = Layout(
            *(
                Field.radios(name, legend_size=Size.MEDIUM, legend_tag="h2")
                for name in ("satisfaction", "knew_how_to_complain", "kept_informed")
            ),
            Field.textarea("comment", label_size=Size.MEDIUM, label_tag="h2", rows=5),
        )


def _landlord(slug: str) -> Landlord:
    return get_object_or_404(Landlord, slug=slug)


def _url(name: str, landlord: Landlord) -> str:
    return reverse(f"portal:{name}", kwargs={"landlord": landlord.slug})


def _page(request: HttpRequest, landlord: Landlord, template: str, status: int = 200, **context: Any) -> HttpResponse:
    context.update(landlord=landlord, ombudsman=responses, offer_days=actions.OFFER_DAYS)
    return render(request, f"portal/survey/{template}.html", context, status=status)


def _survey_key(landlord: Landlord) -> str:
    return f"portal:survey:{landlord.pk}"


def _done_key(landlord: Landlord) -> str:
    return f"portal:survey-done:{landlord.pk}"


def _problem(request: HttpRequest, landlord: Landlord, kind: str, status: int, **context: Any) -> HttpResponse:
    return _page(request, landlord, "problem", status=status, kind=kind, **context)


def _already(request: HttpRequest, landlord: Landlord, complaint: Complaint) -> HttpResponse:
    return _page(request, landlord, "already", complaint=complaint)


@require_GET
def survey_link(request: HttpRequest, landlord: str, token: str) -> HttpResponse:
    """The link from the email: checked, kept in the session, then the survey at a clean address."""
    found = _landlord(landlord)
    signed = links.read(token)
    invitation = SurveyInvitation.objects.filter(pk=signed[0], landlord=found).only("nonce").first() if signed else None
    if signed is None or invitation is None or not links.matches(signed[1], invitation.nonce):
        return _problem(request, found, "not-right", status=404)
    request.session[_survey_key(found)] = {"invitation": invitation.pk, "via": Via.EMAIL}
    return redirect(_url("survey", found))


@require_GET
def from_complaint(request: HttpRequest, landlord: str) -> HttpResponse:
    """The survey offered on the page of a closed complaint the resident follows."""
    found = _landlord(landlord)
    followed = _followed(request, found)
    if followed is None:
        return redirect(_url("follow", found))
    if SurveyResponse.objects.filter(complaint=followed).exists():
        return _already(request, found, followed)
    invitation = queries.open_invitation(followed) if followed.status == Status.CLOSED else None
    if invitation is None:
        return _problem(request, found, "not-offered", status=404, complaint=followed)
    request.session[_survey_key(found)] = {"invitation": invitation.pk, "via": Via.PORTAL}
    return redirect(_url("survey", found))


@require_http_methods(["GET", "POST"])
def survey(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    chosen = request.session.get(_survey_key(found)) or {}
    invitation_id = chosen.get("invitation")
    invitation = (
        SurveyInvitation.objects.filter(pk=invitation_id, landlord=found).select_related("complaint").first()
        if isinstance(invitation_id, int)
        else None
    )
    if invitation is None:
        return _problem(request, found, "no-survey", status=404)
    complaint = invitation.complaint
    if SurveyResponse.objects.filter(complaint=complaint).exists():
        return _already(request, found, complaint)
    if complaint.status != Status.CLOSED:
        return _problem(request, found, "reopened", status=409, complaint=complaint)
    if not actions.is_open(invitation):
        return _problem(request, found, "expired", status=410, complaint=complaint, invitation=invitation)
    form = SurveyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        answers = form.cleaned_data
        try:
            answered = actions.answer_survey(
                invitation,
                satisfaction=int(answers["satisfaction"]),
                knew_how_to_complain=answers["knew_how_to_complain"],
                kept_informed=answers["kept_informed"],
                comment=answers["comment"],
                via=chosen.get("via", Via.EMAIL),
            )
        except actions.AlreadyAnswered:
            return _already(request, found, complaint)
        except InvalidInput as refusal:
            form.add_domain_errors(refusal.errors)
        except TransitionNotAllowed:
            return _problem(request, found, "reopened", status=409, complaint=complaint)
        else:
            request.session[_done_key(found)] = answered.pk
            return redirect(_url("survey-thanks", found))
    return _page(request, found, "form", form=form, complaint=complaint)


@require_GET
def thanks(request: HttpRequest, landlord: str) -> HttpResponse:
    found = _landlord(landlord)
    done = request.session.get(_done_key(found))
    answered = (
        SurveyResponse.objects.filter(pk=done, landlord=found).select_related("complaint").first() if done else None
    )
    if answered is None:
        return redirect(_url("start", found))
    complaint = answered.complaint
    followed = _followed(request, found)
    return _page(
        request,
        found,
        "thanks",
        answered=answered,
        complaint=complaint,
        can_escalate=explain.can_escalate(complaint) and explain.stage2_asked_on(complaint) is None,
        following=followed is not None and followed.pk == complaint.pk,
    )
