"""Issuing a letter: gathered from the complaint, checked, kept, and sent.

`issue` runs inside the transaction of the action that causes the letter. It gathers the letter's
fields as plain data, composes it with the landlord's wording (or Putright's), and refuses with
`InvalidInput` if any required element is missing, so the action fails whole. The letter is kept
with the SHA-256 of its HTML, an Event puts it on the timeline, a message to the resident and any
representative goes in the outbox, and its PDF is rendered by the worker after commit.
"""

from __future__ import annotations

import html as html_lib
import re
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date
from decimal import Decimal
from typing import Any, TypeVar

from django.contrib.auth.models import User
from django.db import transaction

from putright import clock
from putright.complaints.actions import needs
from putright.complaints.errors import InvalidInput
from putright.complaints.models import Complaint, Event, Extension, OutstandingAction, Remedy, Stage
from putright.correspondence import outbox, restriction_letters, tasks
from putright.correspondence.compose import LetterIncomplete, compose, default_template
from putright.correspondence.contacts import first_acknowledgement
from putright.correspondence.letterhead import (
    Handler,
    contact_line,
    handler_name,
    names_staff,
    style_for,
    who_to_contact,
)
from putright.correspondence.models import Letter, LetterStyle, LetterTemplate, OutboxMessage
from putright.landlords.models import Landlord
from putright.rules.letters import LetterType, greeting, remedy_sentence, remedy_state_sentence
from putright.rules.responses import (
    OMBUDSMAN_CONTACT,
    OMBUDSMAN_EMAIL,
    OMBUDSMAN_NAME,
    OMBUDSMAN_PHONE,
    OMBUDSMAN_WEBSITE,
)

OMBUDSMAN_ANY_TIME = (
    f"The {OMBUDSMAN_NAME} can give you advice and support at any time while your complaint is with us. "
    f"Website: {OMBUDSMAN_WEBSITE}. Telephone: {OMBUDSMAN_PHONE}. Email: {OMBUDSMAN_EMAIL}."
)
OMBUDSMAN_RIGHT = (
    f"You can ask the {OMBUDSMAN_NAME} to consider this decision. Contact them: {OMBUDSMAN_CONTACT}. "
    "They can also give you advice at any time."
)


NAMELESS_ADDRESSEE = "The resident"

T = TypeVar("T")
_kept: ContextVar[dict[tuple[object, ...], Any] | None] = ContextVar("putright_letter_wording_kept", default=None)


@contextmanager
def wording_kept() -> Iterator[None]:
    """Inside this block, issuing reads each landlord's letterhead and wording once rather than for
    every letter: for writing history in bulk (`putright demo`), where nobody edits them meanwhile."""
    token = _kept.set({})
    try:
        yield
    finally:
        _kept.reset(token)


def _kept_or(key: tuple[object, ...], read: Callable[[], T]) -> T:
    kept = _kept.get()
    if kept is None:
        return read()
    if key not in kept:
        kept[key] = read()
    found: T = kept[key]
    return found


def _day(value: date | None) -> str:
    return f"{value:%-d %B %Y}" if value else ""


def wording(landlord: Landlord, letter_type: LetterType) -> tuple[str, str, int]:
    """The landlord's subject and body for this letter type, and their version (0: Putright's own)."""
    template = LetterTemplate.objects.filter(landlord=landlord, letter_type=letter_type).first()
    if template is not None:
        return template.subject, template.body, template.version
    subject, body = default_template(letter_type)
    return subject, body, 0


def _signatory(landlord: Landlord, style: LetterStyle, actor: User | None) -> str:
    # A landlord that names no staff in its letters signs them as the team, unless it named a signatory.
    sender = (actor.get_full_name() or actor.username) if actor and names_staff(style) else ""
    name = style.signatory_name or sender
    role = style.signatory_role or f"Complaints team, {landlord.name}"
    return f"{name}, {role}" if name else role


def _remedy_line(remedy: Remedy) -> str:
    amounts: dict[str, Decimal] = {
        "statutory": remedy.amount_statutory,
        "quantifiable_loss": remedy.amount_quantifiable_loss,
        "time_and_trouble": remedy.amount_time_and_trouble,
        "distress": remedy.amount_distress,
    }
    return remedy_sentence(remedy.description, amounts, _day(remedy.due_on))


def _offered_at_stage1(complaint: Complaint) -> list[str] | str:
    """What stage 1 offered to put things right, each with where it stands now, for the final response."""
    remedies = Remedy.objects.filter(stage__complaint=complaint, stage__number=1).order_by("id")
    found = [f"{_remedy_line(r)} {remedy_state_sentence(r.state, _day(r.delivered_on))}".strip() for r in remedies]
    return found or "At stage 1 we did not offer anything to put things right."


def _actions(complaint: Complaint) -> list[str] | str:
    rows = OutstandingAction.objects.filter(complaint=complaint, completed_on__isnull=True).order_by("due_on", "id")
    return [f"{a.description} (by {_day(a.due_on)})" for a in rows] or "There is nothing still to be done."


def _responsibility(stage: Stage) -> str:
    if not stage.responsible_for and not stage.not_responsible_for:
        return "We are responsible for all of the matters you have raised."
    parts = []
    if stage.responsible_for:
        parts.append(f"We are responsible for: {stage.responsible_for}")
    if stage.not_responsible_for:
        aspects = stage.not_responsible_for.rstrip(". ")
        parts.append(f"We are not responsible for: {aspects}. Where we can, we will tell you who is.")
    return "\n\n".join(parts)


def gather(
    letter_type: LetterType,
    complaint: Complaint,
    stage: Stage,
    *,
    on: date,
    actor: User | None,
    detail: Mapping[str, Any],
    style: LetterStyle | None = None,
) -> dict[str, Any]:
    """The letter's fields, as plain data kept with it (`style`: the landlord's, if the caller has it)."""
    landlord = complaint.landlord
    style = style or style_for(landlord)
    handler = _kept_or(("handler", stage.handler_id), lambda: Handler.of(stage.handler, complaint.landlord_id))
    person = complaint.person
    data: dict[str, Any] = {
        "reference": complaint.reference,
        # A complainant who gave no name (Medway 5.10.17) is addressed as the resident; greeted "Dear resident".
        "resident_name": person.name or NAMELESS_ADDRESSEE,
        "greeting": greeting(person.title, person.name),
        "date": _day(on),
        "signatory": _signatory(landlord, style, actor),
        "landlord_name": landlord.name,
        "landlord_contact": contact_line(landlord, style),
        "stage": f"stage {stage.number}",
        "received_on": _day(complaint.received_on),
        "response_due": _day(stage.response_due),
        "handler_name": handler_name(style, handler),
        "contact": who_to_contact(landlord, style, handler),
        "ombudsman": OMBUDSMAN_ANY_TIME,
    }
    if letter_type in (LetterType.STAGE1_ACKNOWLEDGEMENT, LetterType.STAGE2_ACKNOWLEDGEMENT):
        data |= {
            "definition": stage.understanding,
            "points": [p.text for p in stage.points.all()],
            "outcomes_sought": stage.outcomes_sought,
            "responsibility": _responsibility(stage),
            "first_acknowledged": first_acknowledgement(complaint, stage),
        }
    elif letter_type == LetterType.EXTENSION:
        extension: Extension = detail["extension"]
        reason = extension.reason + (f"\n\n{extension.good_reason}" if extension.good_reason else "")
        data |= {
            "reason": reason,
            "previous_date": _day(extension.previous_due),
            "new_date": _day(extension.new_due),
            "response_due": _day(extension.new_due),
        }
    elif letter_type in (LetterType.STAGE1_RESPONSE, LetterType.STAGE2_RESPONSE):
        points = list(stage.points.all())
        remedies = [_remedy_line(r) for r in stage.remedies.all()]
        decided = stage.get_decision_display().lower()
        summary = f"\n\n{stage.response_summary}" if stage.response_summary else ""
        data |= {
            "definition": stage.understanding,
            "decision": f"We have {decided} your complaint." + summary if decided else "",
            "reasons": [{"text": p.text, "decision": p.get_decision_display(), "reasons": p.reasons} for p in points],
            "remedy": remedies
            or "We have not offered a remedy, because we did not find that anything went wrong that needs putting "
            "right.",
            "outstanding_actions": _actions(complaint),
            "escalation": stage.escalation_route,
        }
        if letter_type == LetterType.STAGE2_RESPONSE:
            data["stage1_remedies"] = _offered_at_stage1(complaint)
    elif letter_type in (LetterType.NOT_ACCEPTED, LetterType.ESCALATION_REFUSED):
        label = detail.get("ground_label", "")
        what = (
            "We have decided not to accept your complaint into our complaints process"
            if letter_type == LetterType.NOT_ACCEPTED
            else "We have decided not to escalate your complaint to stage 2"
        )
        data |= {
            "decision": f"{what}, because: {label}." if label else "",
            "reasons": complaint.refusal_explanation,
            "ombudsman_right": OMBUDSMAN_RIGHT,
        }
    elif letter_type == LetterType.CLARIFICATION:
        data["question"] = detail.get("question", "")
    elif letter_type == LetterType.UPDATE:
        data |= {"update": detail.get("update", ""), "next_update": _day(stage.next_update_due)}
    elif letter_type in restriction_letters.RESTRICTION_LETTERS:
        data |= restriction_letters.fields(letter_type, detail["restriction"], data["landlord_contact"])
    elif letter_type == LetterType.CLOSURE:
        data |= {
            "outstanding_actions": _actions(complaint),
            "further": stage.escalation_route
            or f"If you are unhappy with how we handled your complaint, you can contact the {OMBUDSMAN_CONTACT}.",
        }
    return data


_BLOCK_END = re.compile(r"</(p|h2|h3|li|tr)>|<br>")


def html_to_text(html: str) -> str:
    """The letter as plain text for the body of its email: one paragraph per block."""
    marked = _BLOCK_END.sub("\n\n", html.replace("<li>", "<li>- "))
    text = html_lib.unescape(re.sub(r"<[^>]+>", "", marked))
    return re.sub(r"\n{3,}", "\n\n", text).strip() + "\n"


def recipients(complaint: Complaint, on: date | None = None) -> list[tuple[str, str]]:
    """(name, email) of the resident and of a representative acting for them, where they have email.

    A representative is sent a copy only while they act for the resident, with authority that has
    not expired, and if letters are to be copied to them (3.6); otherwise the resident alone."""
    found: list[tuple[str, str]] = []
    if complaint.person.email:
        found.append((complaint.person.name, complaint.person.email))
    rep = complaint.representative
    copied = rep is not None and rep.receives_letters(on or clock.today())
    if rep is not None and copied and rep.email and rep.email.lower() not in {e.lower() for _, e in found}:
        found.append((rep.name, rep.email))
    return found


def issue(
    complaint: Complaint,
    letter_type: LetterType,
    *,
    stage: Stage,
    actor: User | None,
    on: date,
    detail: Mapping[str, Any] | None = None,
) -> Letter:
    """Issue a letter in the caller's transaction; refused with InvalidInput if it would be incomplete."""
    landlord = complaint.landlord
    style = _kept_or(("style", landlord.pk), lambda: style_for(landlord))
    data = gather(letter_type, complaint, stage, on=on, actor=actor, detail=detail or {}, style=style)
    subject_template, body_template, version = _kept_or(
        ("wording", landlord.pk, letter_type), lambda: wording(landlord, letter_type)
    )
    try:
        composed = compose(letter_type, subject_template, body_template, data)
    except LetterIncomplete as error:
        raise InvalidInput(
            {"letter": f"The {letter_type.label.lower()} letter cannot be issued without " + "; ".join(error.gaps)}
        ) from None
    # 5.10: large print, and an outstanding item for each other format the resident needs.
    large_print = needs.adjust_letter(complaint, stage, letter_type.label, on)
    letter = Letter.objects.create(
        landlord_id=complaint.landlord_id,
        complaint=complaint,
        stage_number=stage.number,
        letter_type=letter_type,
        subject=composed.subject,
        addressee=complaint.person.name or NAMELESS_ADDRESSEE,
        data=data,
        html=composed.html,
        html_sha256=composed.sha256,
        template_version=version,
        large_print=large_print,
        issued_on=on,
        issued_at=clock.now(),
        issued_by=actor,
    )
    to = recipients(complaint, on)
    opening = {complaint.person.email.lower(): data["greeting"]} if complaint.person.email else {}
    text = html_to_text(composed.html)
    box = outbox.mailbox(complaint.landlord, style)
    for name, address in to:
        outbox.queue(
            landlord=complaint.landlord,
            kind=OutboxMessage.Kind.LETTER,
            to_address=address,
            subject=composed.subject,
            body=f"{opening.get(address.lower()) or greeting('', name)},\n\n"
            f"Our letter is attached as a PDF, and its words are below.\n\n{text}",
            complaint=complaint,
            letter=letter,
            box=box,
        )
    # A letter with nowhere to go is kept on the record and said to be unsent, never passed off as
    # posted: staff are shown it on the complaint and in the outbox, to tell the resident another way.
    delivery = "email" if to else ("post" if complaint.person.address.strip() else "none")
    how = {
        "email": "emailed to " + ", ".join(a for _, a in to),
        "post": "to post: there is no email address",
        "none": "not sent: there is no email address or postal address, so it is kept on the record only",
    }[delivery]
    Event.objects.create(
        complaint=complaint,
        at=letter.issued_at,
        actor=actor,
        kind="letter-issued",
        stage=stage.number,
        summary=f"{letter_type.label} letter issued ({how}).",
        after={"letter": letter.pk, "sha256": letter.html_sha256, "large_print": large_print, "delivery": delivery},
    )
    transaction.on_commit(lambda: tasks.render_soon(letter.pk))
    return letter
