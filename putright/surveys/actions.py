"""The survey's two steps: offering it when a complaint is closed, and recording the answer.

The resident answers without signing in: the invitation (reached by the signed link in the email,
or by following the complaint on the portal) stands for them, as the complaint does for the
portal's other resident actions. An answer is not a complaint (1.6): recording one changes nothing
about the complaint, and a dissatisfied one is recorded as told how to complain.
"""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from putright import clock
from putright.complaints.errors import InvalidInput, TransitionNotAllowed
from putright.complaints.models import Complaint, Event, Status
from putright.correspondence import notices, outbox
from putright.correspondence.models import OutboxMessage
from putright.surveys import links
from putright.surveys.models import (
    COMMENT_LIMIT,
    DISSATISFIED,
    KeptInformed,
    Satisfaction,
    SurveyInvitation,
    SurveyResponse,
    Via,
)

log = logging.getLogger(__name__)

# How long the offer stands after closure: long enough for a resident who is away, short enough
# that the answer is still about this complaint's handling.
OFFER_DAYS = 30


# Reasons not to offer the survey at all, registered by the apps above surveys (which surveys never
# imports): a resident who has restricted the processing of their data (UK GDPR Art. 18) is one.
_withheld: list[Callable[[Complaint], bool]] = []


def withhold_when(check: Callable[[Complaint], bool]) -> None:
    """Offer no survey for a complaint when `check(complaint)` is true (once, however often registered)."""
    if check not in _withheld:
        _withheld.append(check)


class AlreadyAnswered(TransitionNotAllowed):
    """The complaint's survey was answered already: a second answer, or the same one sent again."""

    def __init__(self) -> None:
        super().__init__("You have already told us, thank you")


def survey_address(complaint: Complaint) -> str:
    """Where the offer is emailed: the resident's address, or while they have none, that of a
    representative who acts for them and is sent their letters (3.6); empty when there is neither."""
    if complaint.person.email:
        return complaint.person.email
    rep = complaint.representative
    if rep is not None and rep.email and rep.receives_letters(clock.today()):
        return rep.email
    return ""


def survey_link(invitation: SurveyInvitation) -> str:
    """The signed link to the survey, whole when SITE_URL is set (it always is where email goes out)."""
    path = reverse(
        "portal:survey-link",
        kwargs={"landlord": invitation.landlord.slug, "token": links.token_for(invitation.pk, invitation.nonce)},
    )
    return f"{settings.SITE_URL}{path}"


def is_open(invitation: SurveyInvitation) -> bool:
    return clock.now() < invitation.expires_at


@transaction.atomic
def offer_survey(complaint: Complaint, *, stage_number: int, closed_on: date) -> SurveyInvitation | None:
    """Offer the survey for a complaint just closed after a response, and email the link once.

    Called by the reaction to a complaint's closure. Nothing is offered when the complaint's survey
    is answered already (one answer per complaint); a complaint closed again at stage 2 is offered
    it afresh, with a new link, while it is unanswered.
    """
    if SurveyResponse.objects.filter(complaint=complaint).exists():
        return None
    if any(check(complaint) for check in _withheld):
        return None
    now = clock.now()
    # Open until the end of the last day, as the email says ("until 5 January 2027").
    last_day = clock.today() + timedelta(days=OFFER_DAYS)
    ends = timezone.make_aware(datetime.combine(last_day + timedelta(days=1), time.min))
    invitation, created = SurveyInvitation.objects.get_or_create(
        complaint=complaint,
        stage_number=stage_number,
        defaults={
            "landlord_id": complaint.landlord_id,
            "closed_on": closed_on,
            "nonce": secrets.token_urlsafe(24),
            "emailed_to": survey_address(complaint),
            "created_at": now,
            "expires_at": ends,
        },
    )
    if created and invitation.emailed_to:
        _email(complaint, invitation)
    return invitation


def _email(complaint: Complaint, invitation: SurveyInvitation) -> None:
    person = complaint.person
    to_resident = invitation.emailed_to.lower() == person.email.lower()
    subject, body = notices.render_email(
        "survey-invitation",
        {
            "complaint": complaint,
            "landlord": complaint.landlord,
            "name": person.name if to_resident and not person.anonymous else "",
            "link": survey_link(invitation) if settings.SITE_URL else "",
            "until": invitation.last_day,
            "closed_on": invitation.closed_on,
            "stage": invitation.stage_number,
        },
    )
    message = outbox.queue(
        landlord=complaint.landlord,
        kind=OutboxMessage.Kind.PORTAL,
        to_address=invitation.emailed_to,
        subject=subject,
        body=body,
        complaint=complaint,
        once_key=f"survey-invitation:{invitation.pk}",
    )
    if message is not None:
        log.info("Queued the survey email for complaint %s as outbox message %s", complaint.pk, message.pk)


@transaction.atomic
def answer_survey(
    invitation: SurveyInvitation,
    *,
    satisfaction: int | None,
    knew_how_to_complain: bool | None,
    kept_informed: str,
    comment: str = "",
    via: str = Via.EMAIL,
) -> SurveyResponse:
    """Record the resident's answer to the survey offered by `invitation`: once per complaint.

    Refused with AlreadyAnswered when the complaint's survey was answered (a second submission, or
    Back and submit again, records nothing), and with TransitionNotAllowed when the offer has ended
    or the complaint is no longer closed (it moved to stage 2).
    """
    # The complaint's row is the lock both links of a complaint closed twice would race for.
    complaint = Complaint.objects.select_for_update().get(pk=invitation.complaint_id)
    if SurveyResponse.objects.filter(complaint=complaint).exists():
        raise AlreadyAnswered
    if complaint.status != Status.CLOSED:
        raise TransitionNotAllowed(
            "Your complaint is open again, so we will ask you how we handled it once it is closed"
        )
    if not is_open(invitation):
        raise TransitionNotAllowed("The survey for this complaint has closed")
    errors: dict[str, str] = {}
    if satisfaction not in Satisfaction.values:
        errors["satisfaction"] = "Select how satisfied you are with how we handled your complaint"
    if knew_how_to_complain is None:
        errors["knew_how_to_complain"] = "Select yes if you knew how to complain to us"
    if kept_informed not in KeptInformed.values:
        errors["kept_informed"] = "Select whether we kept you informed about your complaint"
    comment = (comment or "").replace("\r\n", "\n").strip()
    if len(comment) > COMMENT_LIMIT:
        errors["comment"] = f"Your comment must be {COMMENT_LIMIT:,} characters or fewer (it has {len(comment):,})"
    if via not in Via.values:
        errors["via"] = "Say how the resident came to the survey"
    if errors:
        raise InvalidInput(errors)
    assert satisfaction is not None and knew_how_to_complain is not None
    now = clock.now()
    rating = Satisfaction(satisfaction)
    try:
        with transaction.atomic():
            response = SurveyResponse.objects.create(
                landlord_id=complaint.landlord_id,
                complaint=complaint,
                invitation=invitation,
                stage_number=complaint.stage,
                satisfaction=rating,
                knew_how_to_complain=knew_how_to_complain,
                kept_informed=kept_informed,
                comment=comment,
                via=via,
                told_how_to_complain=rating in DISSATISFIED,
                answered_on=clock.today(),
                answered_at=now,
            )
    except IntegrityError:
        raise AlreadyAnswered from None
    told = " They were told how to make a complaint (1.6)." if response.told_how_to_complain else ""
    Event.objects.create(
        complaint=complaint,
        at=now,
        actor=None,
        kind="survey-answered",
        stage=complaint.stage,
        summary=f"The resident answered the satisfaction survey: {rating.label.lower()}.{told}",
        after={"survey_response": response.pk},
    )
    return response
