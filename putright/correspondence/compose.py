"""The letter language: a landlord's wording with fields in double braces, safely.

A template is HTML from a short list of tags with `{{ field }}` placeholders and simple
`{% if %}` blocks, run in Jinja's immutable sandbox with every value escaped. It is given only
the letter's own fields as strings, so it cannot reach anything else on the server: no includes,
no loops, no attribute or method access, no filters beyond a few that change case. The output is
sanitised again with nh3, so whatever a template says, a letter holds no script, style or link.

A template that leaves out a required element of its letter type cannot be saved: it is rendered
with a marker for every field, and each required element's marker must appear. When a letter is
issued the same check is made with the real fields, so a condition cannot hide one either.
"""

from __future__ import annotations

import hashlib
import html as html_lib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import nh3
from jinja2 import StrictUndefined, Template, TemplateError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment
from markupsafe import Markup, escape

from putright.correspondence.defaults import DEFAULTS
from putright.rules.letters import LetterType, elements, shown_by

ALLOWED_TAGS = {"p", "h2", "h3", "ul", "ol", "li", "strong", "em", "br", "table", "thead", "tbody", "tr", "th", "td"}
ALLOWED_FILTERS = {"upper", "lower", "capitalize", "title"}
_ALLOWED_NODES = (
    nodes.Template,
    nodes.Output,
    nodes.TemplateData,
    nodes.Name,
    nodes.If,
    nodes.Const,
    nodes.Compare,
    nodes.Operand,
    nodes.Not,
    nodes.And,
    nodes.Or,
    nodes.CondExpr,
    nodes.Filter,
)

# What a template may use, and what each field holds. Inline fields sit inside a sentence; block
# fields are whole paragraphs or lists and stand on their own.
INLINE_FIELDS = {
    "reference": "The complaint reference, such as ASH-2026-00042",
    "resident_name": "The name of the resident the letter is to",
    "greeting": "How the letter opens: 'Dear Ms Khan' with a title, else 'Dear Amina Khan' (it names the resident)",
    "date": "The date of the letter",
    "signatory": "The name and role of the person signing",
    "landlord_name": "Your organisation's name",
    "landlord_contact": "How to contact the complaints team: phone, email and address",
    "stage": "The stage, as 'stage 1' or 'stage 2'",
    "received_on": "The date the complaint was received",
    "response_due": "The date we will respond by",
    "new_date": "The new response date after an extension",
    "previous_date": "The date we had told the resident before an extension",
    "next_update": "The date of the next update",
    "handler_name": "The name of the person handling the complaint, or the team's where letters name no staff",
    "review_on": "For a contact restriction: the date it will be reviewed by",
    "ended_on": "For a contact restriction that has ended: the day it ended",
}
BLOCK_FIELDS = {
    "definition": "Our understanding of the complaint",
    "points": "The points of the complaint, numbered",
    "outcomes_sought": "What the resident would like us to do",
    "responsibility": "What we are and are not responsible for",
    "ombudsman": "The Housing Ombudsman's contact details, and that it can help at any time",
    "contact": "Who is handling the complaint and how to reach them (the person or the team, as your letterhead says)",
    "reason": "The reason for an extension",
    "decision": "The decision",
    "reasons": "The reasons: for a response, the decision and reasons for each point",
    "remedy": "The remedy offered, itemised, or why none is offered",
    "stage1_remedies": "For a final response: what stage 1 offered to put things right, and where each stands",
    "outstanding_actions": "What is still to be done and by when",
    "escalation": "How to take the complaint further (stage 2, or the Ombudsman after stage 2)",
    "ombudsman_right": "The right to take a decision to the Housing Ombudsman, with its details",
    "question": "What we need the resident to clarify",
    "update": "The update on a late complaint",
    "further": "How to take the complaint further after closure",
    "first_acknowledged": "When the complaint was first acknowledged by phone or in person, if it was (5.12)",
    "behaviour": "For a contact restriction: the behaviour that led to it, and the reasons",
    "restriction": "For a contact restriction: how the resident may contact us while it lasts",
    "complaints_continue": "For a contact restriction: that complaints will still be logged and answered",
    "challenge": "For a contact restriction: how to challenge the decision",
}
FIELDS = {**INLINE_FIELDS, **BLOCK_FIELDS}

_ENV = ImmutableSandboxedEnvironment(autoescape=True, undefined=StrictUndefined, loader=None)
_TAG = re.compile(r"<\s*(/?)\s*([a-zA-Z][a-zA-Z0-9]*)([^>]*)>")


class LetterIncomplete(Exception):
    def __init__(self, gaps: list[str]) -> None:
        super().__init__("; ".join(gaps))
        self.gaps = gaps


def sanitise(html: str) -> str:
    return nh3.clean(html, tags=ALLOWED_TAGS, attributes={}, link_rel=None, strip_comments=True)


def sha256(text: str | bytes) -> str:
    return hashlib.sha256(text.encode() if isinstance(text, str) else text).hexdigest()


# -- fields as HTML ---------------------------------------------------------------------------


def _paragraphs(text: str) -> Markup:
    parts = [p.strip() for p in re.split(r"\n\s*\n", text.strip()) if p.strip()]
    return Markup("\n").join(Markup("<p>{}</p>").format(Markup("<br>").join(p.splitlines())) for p in parts)


def _list(items: list[Any], ordered: bool) -> Markup:
    inner = Markup("").join(Markup("<li>{}</li>").format(item) for item in items)
    return (Markup("<ol>{}</ol>") if ordered else Markup("<ul>{}</ul>")).format(inner)


def _block(key: str, value: Any) -> Markup:
    if key == "points" and isinstance(value, list):
        return _list(value, ordered=True)
    if key == "reasons" and isinstance(value, list) and value and isinstance(value[0], dict):
        parts = []
        for n, point in enumerate(value, start=1):
            parts.append(
                Markup("<h3>Point {}: {}</h3>\n<p><strong>{}.</strong></p>\n").format(
                    n, point["text"], point["decision"]
                )
                + _paragraphs(point["reasons"])
            )
        return Markup("\n").join(parts)
    if isinstance(value, list):
        return _list(value, ordered=False)
    return _paragraphs(str(value))


def fragments(data: Mapping[str, Any]) -> dict[str, Markup]:
    """Each field as the HTML a template inserts: inline fields escaped, block fields as paragraphs."""
    out: dict[str, Markup] = {}
    for key in FIELDS:
        value = data.get(key, "")
        out[key] = escape(str(value)) if key in INLINE_FIELDS else _block(key, value) if value else Markup("")
    return out


# -- templates --------------------------------------------------------------------------------


def default_template(letter_type: LetterType) -> tuple[str, str]:
    return DEFAULTS[letter_type]


def _syntax(source: str, field: str, errors: dict[str, str]) -> Any:
    try:
        tree = _ENV.parse(source)
    except TemplateError as error:
        line = getattr(error, "lineno", None)
        errors[field] = f"The template cannot be read{f' at line {line}' if line else ''}: {error.message}"
        return None
    for node in tree.find_all(nodes.Node):
        if not isinstance(node, _ALLOWED_NODES):
            errors[field] = (
                f"Templates can use fields in double braces and {{% if %}} blocks only, not "
                f"{type(node).__name__.lower()} (line {node.lineno})"
            )
            return None
        if isinstance(node, nodes.Name) and node.name not in FIELDS:
            errors[field] = f"There is no field called {node.name!r} (line {node.lineno}). Fields: {', '.join(FIELDS)}"
            return None
        if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
            errors[field] = f"The filter {node.name!r} is not allowed; you can use {', '.join(sorted(ALLOWED_FILTERS))}"
            return None
    return tree


def _tags(source: str, errors: dict[str, str]) -> None:
    for match in _TAG.finditer(source):
        name = match.group(2).lower()
        if name not in ALLOWED_TAGS:
            errors["body"] = f"<{name}> is not allowed in a letter. Use only: {', '.join(sorted(ALLOWED_TAGS))}"
            return
        if match.group(3).strip(" /"):
            errors["body"] = f"Tags cannot have attributes such as styles or links: <{name}{match.group(3)}>"
            return


@lru_cache(maxsize=128)
def _compiled(source: str) -> Template:
    # Compiling takes longer than rendering, and a landlord's few templates are used for every
    # letter of their type: keep the most recent. A changed wording is a new source, so a new entry.
    return _ENV.from_string(source)


def _render(source: str, context: Mapping[str, Markup]) -> str:
    return _compiled(source).render(**context)


def _sample() -> dict[str, Any]:
    return {key: f"⟦{key}⟧" for key in FIELDS}


def _shows(key: str, context: Mapping[str, Markup], output: str) -> bool:
    """Whether the letter shows a required element, through its own field or one that carries it."""
    return any(sanitise(str(context[field])) in output for field in shown_by(key))


def check_template(letter_type: LetterType, subject: str, body: str) -> dict[str, str]:
    """Why this wording cannot be saved, by field; empty when it can."""
    errors: dict[str, str] = {}
    if not subject.strip():
        errors["subject"] = "Enter the email subject"
    elif len(subject) > 200:
        errors["subject"] = "The subject must be 200 characters or fewer"
    if not body.strip():
        errors["body"] = "Enter the letter's wording"
    elif len(body) > 30_000:
        errors["body"] = "The wording must be 30,000 characters or fewer"
    if errors:
        return errors
    _tags(body, errors)
    subject_tree = _syntax(subject, "subject", errors)
    body_tree = _syntax(body, "body", errors)
    if errors or subject_tree is None or body_tree is None:
        return errors
    context = fragments(_sample())
    try:
        output = sanitise(_render(body, context))
        _render(subject, {k: v for k, v in context.items() if k in INLINE_FIELDS})
    except TemplateError as error:
        errors["body"] = f"The template cannot be used: {error}"
        return errors
    missing = [e for e in elements(letter_type) if not _shows(e.key, context, output)]
    if missing:
        errors["body"] = "The wording leaves out " + "; ".join(
            f"{{{{ {e.key} }}}}, {e.description} ({e.provision})" for e in missing
        )
    return errors


@dataclass(frozen=True)
class Composed:
    subject: str
    html: str
    sha256: str


def compose(letter_type: LetterType, subject_template: str, body_template: str, data: Mapping[str, Any]) -> Composed:
    """The letter from its data; refused if any required element is missing from the result."""
    from putright.rules.letters import missing_from

    gaps = [str(gap) for gap in missing_from(letter_type, data)]
    if gaps:
        raise LetterIncomplete(gaps)
    context = fragments(data)
    try:
        html = sanitise(_render(body_template, context))
        subject = " ".join(_render(subject_template, {k: context[k] for k in INLINE_FIELDS}).split())
    except TemplateError as error:
        raise LetterIncomplete([f"the wording could not be used: {error}"]) from None
    absent = [e for e in elements(letter_type) if not _shows(e.key, context, html)]
    if absent:
        raise LetterIncomplete([f"{e.description} ({e.provision}): the wording leaves it out" for e in absent])
    # Subjects are plain text: the escaped field values are turned back into characters.
    subject = html_lib.unescape(subject)
    return Composed(subject=subject[:300], html=html, sha256=sha256(html))
