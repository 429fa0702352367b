"""Answers kept between a form and its confirmation page, in the signed-in user's session.

A step that sends something (a letter to a resident) takes two requests: the answers, then "Send"
once the person has seen what will go. Between the two the answers wait here under a random token,
scoped to the page they belong to. Sending turns the draft into a record of what was done, so the
same token sent again (a double click, Back and Send again, a second tab on the same confirmation)
finds that it was done already and does nothing.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from typing import Any

from django.http import HttpRequest, QueryDict

from putright import clock

SESSION_KEY = "putright_drafts"
KEEP = 12  # drafts a session holds at most; the oldest go first
NOT_ANSWERS = frozenset({"csrfmiddlewaretoken", "send", "confirm", "change"})


@dataclass(frozen=True)
class Done:
    at: str
    url: str
    message: str


@dataclass(frozen=True)
class Draft:
    token: str
    scope: str
    answers: QueryDict
    done: Done | None


def _all(request: HttpRequest) -> dict[str, dict[str, Any]]:
    drafts = request.session.get(SESSION_KEY)
    return drafts if isinstance(drafts, dict) else {}


def _store(request: HttpRequest, drafts: dict[str, dict[str, Any]]) -> None:
    newest = sorted(drafts.items(), key=lambda item: str(item[1].get("saved", "")), reverse=True)[:KEEP]
    request.session[SESSION_KEY] = dict(newest)


def save(request: HttpRequest, scope: str, posted: QueryDict) -> str:
    """Keep the posted answers (less the CSRF token and the flow's own fields); return the token."""
    token = secrets.token_urlsafe(16)
    drafts = _all(request)
    drafts[token] = {
        "scope": scope,
        "saved": clock.now().isoformat(),
        "answers": {key: posted.getlist(key) for key in posted if key not in NOT_ANSWERS},
    }
    _store(request, drafts)
    return token


def load(request: HttpRequest, scope: str, token: str) -> Draft | None:
    """The draft under `token` for this page, or None if there is none (expired, another page's)."""
    kept = _all(request).get(token)
    if not isinstance(kept, dict) or kept.get("scope") != scope:
        return None
    answers = QueryDict(mutable=True)
    for key, values in (kept.get("answers") or {}).items():
        answers.setlist(key, [str(value) for value in values])
    done = kept.get("done")
    return Draft(
        token=token,
        scope=scope,
        answers=answers,
        done=Done(at=done["at"], url=done["url"], message=done["message"]) if isinstance(done, dict) else None,
    )


def mark_done(request: HttpRequest, token: str, *, url: str, message: str) -> None:
    """Record that the draft was sent: its answers go, what was done stays for a later look."""
    drafts = _all(request)
    kept = drafts.get(token)
    if kept is None:
        return
    drafts[token] = {
        "scope": kept["scope"],
        "saved": kept["saved"],
        "done": {"at": clock.now().isoformat(), "url": url, "message": message},
    }
    _store(request, drafts)
