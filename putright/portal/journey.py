"""The make-a-complaint journey: its pages in order, and the answers kept in the session until submitted."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.contrib.sessions.backends.base import SessionBase

from putright.complaints.actions import AdjustmentInput, RepresentativeDetails, ResidentDetails
from putright.complaints.models import ServiceArea
from putright.landlords.models import Landlord
from putright.people.models import ContactMethod, ReasonableAdjustment, Representative
from putright.portal import forms
from putright.web.forms import DateField


def _always(answers: dict[str, Any]) -> bool:
    return True


def _for_someone_else(answers: dict[str, Any]) -> bool:
    return answers.get("who") == "someone-else"


@dataclass(frozen=True)
class Step:
    slug: str
    form: type[forms.StepForm]
    title: str
    applies: Callable[[dict[str, Any]], bool] = _always


DOCUMENTS = "documents"
STEPS = (
    Step("what-you-want", forms.KindForm, "What would you like to do?"),
    Step("who", forms.WhoForm, "Who is the complaint for?"),
    Step("acting-for", forms.ActingForForm, "About the person you are acting for", _for_someone_else),
    Step("contact", forms.ContactForm, "Your contact details"),
    Step("contact-preference", forms.PreferenceForm, "How would you like us to contact you?"),
    Step("what-happened", forms.WhatHappenedForm, "What happened?"),
    Step("when", forms.WhenForm, "When did it happen, or when did you find out about it?"),
    Step("outcome", forms.OutcomeForm, "What would you like us to do to put things right?"),
    Step("service", forms.ServiceForm, "Which service is your complaint about?"),
    # Optional: passing the page is its answer; the files wait in PendingAttachment (documents.staging).
    Step(DOCUMENTS, forms.DocumentsForm, "Photos and documents"),
    Step("help", forms.HelpForm, "Do you need any help from us?"),
)
BY_SLUG = {step.slug: step for step in STEPS}

# Where a refusal from the domain about a field sends the resident back to.
DOMAIN_FIELD_STEPS = {
    "resident.name": "acting-for",
    "resident.title": "contact",
    "resident.email": "contact",
    "resident.phone": "contact",
    "resident.address": "contact",
    "resident.preferred_contact": "contact-preference",
    "representative.name": "contact",
    "representative.email": "contact",
    "representative.phone": "contact",
    "representative.relationship": "acting-for",
    "representative.authority": "acting-for",
    "description": "what-happened",
    "issue_date": "when",
    "outcome_sought": "outcome",
    "service_area": "service",
    "documents": DOCUMENTS,
}


def _key(landlord: Landlord) -> str:
    return f"portal:answers:{landlord.pk}"


def answers(session: SessionBase, landlord: Landlord) -> dict[str, Any]:
    stored: dict[str, Any] = session.get(_key(landlord), {})
    return dict(stored)


def save_answers(session: SessionBase, landlord: Landlord, values: dict[str, Any]) -> None:
    stored = answers(session, landlord)
    for name, value in values.items():
        stored[name] = value.isoformat() if isinstance(value, date) else value
    session[_key(landlord)] = stored


def token(session: SessionBase, landlord: Landlord) -> str:
    """The journey's submission token: it makes a repeated submission find the complaint already
    made, and it is the key to the files uploaded on the way."""
    stored = answers(session, landlord)
    if "token" not in stored:
        save_answers(session, landlord, {"token": secrets.token_urlsafe(32)})
    return str(answers(session, landlord)["token"])


def clear_answers(session: SessionBase, landlord: Landlord) -> None:
    session.pop(_key(landlord), None)


def initial(step: Step, stored: dict[str, Any]) -> dict[str, Any]:
    values = {name: stored[name] for name in step.form.base_fields if name in stored}
    if "issue_date" in values and values["issue_date"]:
        values["issue_date"] = date.fromisoformat(values["issue_date"])
    return values


def answered(step: Step, stored: dict[str, Any]) -> bool:
    return all(name in stored for name in step.form.base_fields)


def posted(step: Step, stored: dict[str, Any]) -> dict[str, Any]:
    """A page's stored answers as its form posts them (a date as its day, month and year)."""
    data: dict[str, Any] = {}
    for name, field in step.form.base_fields.items():
        value = stored.get(name)
        if isinstance(field, DateField):
            when = date.fromisoformat(value) if value else None
            parts = (when.day, when.month, when.year) if when else ("", "", "")
            data.update({f"{name}_{index}": str(part) for index, part in enumerate(parts)})
        elif value is not None:
            data[name] = value
    return data


def recheck(step: Step, stored: dict[str, Any]) -> forms.StepForm | None:
    """The page's form holding its stored answers, with their errors, when they no longer pass the
    page's own checks (a limit changed, or answers kept from before a check was added); else None."""
    if step.slug == DOCUMENTS or not answered(step, stored):
        return None
    form = step.form(posted(step, stored), answers=stored)
    return None if form.is_valid() else form


def problems(stored: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(page slug, anchor on the page, message) for each stored answer its page would now refuse,
    for the check-your-answers page to link each to its question."""
    found = []
    for step in applicable(stored):
        form = recheck(step, stored)
        if form is not None:
            found += [(step.slug, href, message) for href, message in form.error_links()]
    return found


def refusals(errors: Mapping[str, str]) -> list[tuple[str, str]]:
    """(page slug, message) for each of the domain's refusals of the answers, the message naming
    the question that page asks ("What happened: ...")."""
    found = []
    for field, message in errors.items():
        slug = DOMAIN_FIELD_STEPS.get(field, "what-happened")
        found.append((slug, f"{BY_SLUG[slug].title.rstrip('?')}: {message[:1].lower()}{message[1:]}"))
    return found


def applicable(stored: dict[str, Any]) -> list[Step]:
    return [step for step in STEPS if step.applies(stored)]


def first_unanswered(stored: dict[str, Any]) -> Step | None:
    """The first page still to answer; the journey goes no further than a complaint."""
    for step in applicable(stored):
        if not answered(step, stored):
            return step
        if step.slug == "what-you-want" and stored.get("kind") != "complaint":
            return step
    return None


def next_step(current: Step, stored: dict[str, Any]) -> Step | None:
    steps = applicable(stored)
    later = steps[steps.index(current) + 1 :] if current in steps else steps
    return later[0] if later else None


def _label(choices: Any, value: str) -> str:
    return str(dict(choices).get(value, value))


def summary(stored: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(question, answer, page slug) for the check-your-answers page."""
    someone_else = _for_someone_else(stored)
    rows = [("Who the complaint is for", "Someone else" if someone_else else "Me", "who")]
    if someone_else:
        rows += [
            ("Their name", stored["their_name"], "acting-for"),
            ("Their address", stored.get("their_address") or "Not given", "acting-for"),
            (
                "Your relationship to them",
                _label(Representative.Relationship.choices, stored["relationship"]),
                "acting-for",
            ),
            (
                "How they agreed",
                _label(forms.AUTHORITY_CHOICES, stored["authority"]),
                "acting-for",
            ),
        ]
    rows += [
        *([("Your title", stored["title"], "contact")] if stored.get("title") and not someone_else else []),
        ("Your name", stored["name"], "contact"),
        ("Email address", stored.get("email") or "Not given", "contact"),
        ("Phone number", stored.get("phone") or "Not given", "contact"),
        ("Your address", stored.get("address") or "Not given", "contact"),
        ("How to contact you", _label(ContactMethod.choices, stored["preferred_contact"]), "contact-preference"),
        ("What happened", stored["description"], "what-happened"),
        ("When it happened or you found out", f"{date.fromisoformat(stored['issue_date']):%-d %B %Y}", "when"),
        ("What you would like us to do", stored["outcome_sought"], "outcome"),
        (
            "Service",
            _label(ServiceArea.choices, stored["service_area"]) if stored["service_area"] else "Not sure",
            "service",
        ),
        ("Help you need", _help(stored), "help"),
    ]
    return rows


def _help(stored: dict[str, Any]) -> str:
    kinds = [_label(ReasonableAdjustment.Kind.choices, kind) for kind in stored.get("adjustments", [])]
    if not kinds:
        return "None"
    detail = stored.get("adjustment_detail") or ""
    return ", ".join(kinds) + (f". {detail}" if detail else "")


def submission(stored: dict[str, Any]) -> dict[str, Any]:
    """The answers as the arguments of `resident_log_complaint`."""
    someone_else = _for_someone_else(stored)
    resident = ResidentDetails(
        title="" if someone_else else stored.get("title", ""),
        name=stored["their_name"] if someone_else else stored["name"],
        email="" if someone_else else stored.get("email", ""),
        phone="" if someone_else else stored.get("phone", ""),
        address=stored.get("their_address", "") if someone_else else stored.get("address", ""),
        preferred_contact=stored["preferred_contact"],
    )
    representative = None
    if someone_else:
        representative = RepresentativeDetails(
            name=stored["name"],
            relationship=stored["relationship"],
            authority=stored["authority"],
            email=stored.get("email", ""),
            phone=stored.get("phone", ""),
        )
    detail = (stored.get("adjustment_detail") or "").strip()
    return {
        "resident": resident,
        "representative": representative,
        "description": stored["description"],
        "issue_date": date.fromisoformat(stored["issue_date"]),
        "outcome_sought": stored["outcome_sought"],
        "service_area": stored["service_area"],
        "adjustments": [AdjustmentInput(kind, detail) for kind in stored.get("adjustments", [])],
    }
