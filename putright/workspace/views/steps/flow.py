"""Every step's page does its change exactly once, and a step that writes to the resident shows the
letter before it goes.

- **What was done already.** A step's page lists what has been done of its kind at this stage (the
  extensions made, the updates sent), and doing it again needs an explicit "yes, again".
- **A page left open.** The form carries the complaint's version and when it was read. If the
  complaint has changed since, the change is refused and the page says what changed, by whom and
  when, with a link to start again from the complaint as it is now.
- **Preview before issue.** A step that issues a letter takes two requests: the answers, then "Send"
  on a confirmation page showing the letter as the resident will receive it. The preview is the step
  itself, run in a transaction that is rolled back, so the letter shown is the letter that is issued.
  The answers wait in the session under a token (`putright.web.drafts`); sending marks the token
  done, so Send pressed twice, or Back and Send again, finds it done and does nothing.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django import forms as django_forms
from django.contrib import messages
from django.db import transaction
from django.db.models import Max
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.dateparse import parse_datetime
from django.utils.safestring import SafeString

from putright import clock
from putright.complaints.errors import ComplaintError, InvalidInput, NotPermitted, StaleVersion
from putright.complaints.models import AdjustmentTask, Complaint, Event
from putright.correspondence.models import Letter, OutboxMessage
from putright.correspondence.rendering import letter_context
from putright.people.models import ContactRestriction
from putright.web import drafts
from putright.web.authorise import StaffRequest
from putright.web.forms import GovForm, anchor, confirm

# The steps whose action issues a letter to the resident (correspondence.reactions.LETTERS).
LETTER_STEPS = frozenset(
    {"acknowledge", "clarification", "extend", "send-update", "respond", "not-accept", "refuse-escalation", "close"}
)

# Steps that can be done more than once at a stage: the Event kind that records each, and what the
# "yes, again" box says.
REPEATABLE: dict[str, tuple[str, str]] = {
    "extend": ("extended", "Yes, extend this stage again"),
    "send-update": ("update-sent", "Yes, send another update"),
    "clarification": ("clarification-requested", "Yes, ask for clarification again"),
    "update-interval": ("update-interval-agreed", "Yes, agree a new update interval"),
    "offer-remedy": ("remedy-offered", "Yes, offer another remedy"),
}

# The Event kinds a step's "already done" list shows, for steps that happen once per stage.
ONCE: dict[str, str] = {"acknowledge": "acknowledged", "respond": "responded", "close": "closed"}

CHANGES_SHOWN = 10


class _RollBack(Exception):
    """Raised inside the preview's transaction to undo the step once its letters are read."""


@dataclass(frozen=True)
class LetterPreview:
    """A letter as the step would issue it, with how it would reach the resident."""

    title: str
    subject: str
    addressee: str
    address: str
    large_print: bool
    body: SafeString
    context: dict[str, Any]
    emailed_to: tuple[str, ...]
    # 5.10: the other formats the resident needs it in, each an item on the complaint until sent.
    also_in: tuple[str, ...] = ()

    @property
    def posted(self) -> bool:
        return not self.emailed_to

    @property
    def unreachable(self) -> bool:
        return not self.emailed_to and not self.address.strip()


@dataclass(frozen=True)
class Change:
    at: datetime
    who: str
    summary: str


def _who(event: Event) -> str:
    if event.actor is None:
        return "Putright"
    return event.actor.get_full_name() or event.actor.username


def changes_since(complaint: Complaint, read_at: datetime | None) -> list[Change]:
    """What has happened to the complaint since a page was read (the last few, if not known)."""
    events = Event.objects.filter(complaint_id=complaint.pk).select_related("actor").order_by("-at", "-id")
    if read_at is not None:
        events = events.filter(at__gte=read_at)
    return [Change(e.at, _who(e), e.summary) for e in reversed(events[:CHANGES_SHOWN])]


def already_done(complaint: Complaint, stage_number: int, slug: str) -> list[Change]:
    """What has been done of this step's kind at the complaint's current stage, oldest first."""
    kind = REPEATABLE[slug][0] if slug in REPEATABLE else ONCE.get(slug)
    if kind is None:
        return []
    events = Event.objects.filter(complaint_id=complaint.pk, kind=kind, stage=stage_number).select_related("actor")
    return [Change(e.at, _who(e), e.summary) for e in events]


def letters_it_would_issue(complaint: Complaint, commit: Callable[[], Any]) -> list[LetterPreview]:
    """Run the step in a transaction that is rolled back, and keep the letters it issued."""
    last = Letter.objects.filter(complaint_id=complaint.pk).aggregate(last=Max("pk"))["last"] or 0
    last_task = AdjustmentTask.objects.filter(stage__complaint_id=complaint.pk).aggregate(last=Max("pk"))["last"] or 0
    previews: list[LetterPreview] = []
    try:
        with transaction.atomic():
            commit()
            issued = Letter.objects.filter(complaint_id=complaint.pk, pk__gt=last).select_related(
                "complaint__person", "landlord"
            )
            tasks = list(
                AdjustmentTask.objects.filter(stage__complaint_id=complaint.pk, pk__gt=last_task).values_list(
                    "what", flat=True
                )
            )
            for letter in issued.order_by("pk"):
                context = letter_context(letter)
                emails = OutboxMessage.objects.filter(letter=letter).values_list("to_address", flat=True)
                previews.append(
                    LetterPreview(
                        title=letter.get_letter_type_display(),
                        subject=letter.subject,
                        addressee=letter.addressee,
                        address=context["address"] or "",
                        large_print=letter.large_print,
                        body=context["body"],  # as the PDF draws it, web addresses kept whole
                        context=context,
                        emailed_to=tuple(emails),
                        also_in=tuple(
                            t for t in tasks if t.startswith(f"Send the {letter.get_letter_type_display().lower()} ")
                        ),
                    )
                )
            raise _RollBack
    except _RollBack:
        pass
    return previews


def answers_summary(form: Any) -> list[tuple[str, str, str]]:
    """(label, answer, link to its input) for each answered field, for the confirmation page."""
    rows = []
    for field in form.visible_fields():
        if field.name == "again":
            continue
        value = form.cleaned_data.get(field.name)
        if value in (None, "", [], False):
            continue
        django_field = field.field
        if isinstance(django_field, django_forms.ChoiceField) and not isinstance(value, bool):
            labels = {str(key): str(label) for key, label in django_field.choices}  # type: ignore[union-attr,misc]
            shown = labels.get(str(value), str(value))
        elif value is True:
            shown = "Yes"
        elif hasattr(value, "strftime") and not isinstance(value, datetime):
            shown = value.strftime("%-d %B %Y")
        elif hasattr(value, "get_full_name"):
            shown = value.get_full_name() or value.username
        else:
            shown = str(value)
        rows.append((str(field.label or field.name), shown, anchor(field)))
    return rows


class StepFlow:
    """A step's page, from first sight to done, exactly once."""

    def __init__(
        self, request: StaffRequest, complaint: Complaint, slug: str, stage_number: int, *, url: str = ""
    ) -> None:
        self.request = request
        self._url = url
        self.complaint = complaint
        self.slug = slug
        self.scope = f"{complaint.reference}/{slug}"
        self.sends_letter = slug in LETTER_STEPS
        self.history = already_done(complaint, stage_number, slug)
        token = request.POST.get("send") if request.method == "POST" else request.GET.get("confirm")
        change = request.GET.get("change") if request.method == "GET" else None
        self.sending = request.method == "POST" and bool(token)
        self.draft = drafts.load(request, self.scope, token or change or "") if (token or change) else None
        self.confirming = request.method == "GET" and bool(token)

    @property
    def url(self) -> str:
        if self._url:
            return self._url
        return reverse(f"workspace:complaint-{self.slug}", args=[self.complaint.reference])

    @property
    def answers(self) -> QueryDict | None:
        """What the form is bound to: the answers just posted, or those of the draft being sent,
        confirmed or changed; None for a fresh form."""
        if self.draft is not None and self.draft.done is None:
            return self.draft.answers
        if self.request.method == "POST" and not self.sending:
            return self.request.POST
        return None

    def guard(self, form: Any) -> None:
        """Add the "yes, again" box when this stage has had this step already."""
        if self.slug in REPEATABLE and self.history:
            label = REPEATABLE[self.slug][1]
            last = self.history[-1]
            form.fields["again"] = confirm(
                label,
                message=f"{label.removeprefix('Yes, ').capitalize()} only if you mean to: "
                f"this was last done on {last.at:%-d %B %Y} ({last.summary})",
            )

    def _stale(self, form: Any) -> bool:
        posted = form.data.get("expected_version")
        return bool(posted) and str(posted).strip() != str(self.complaint.version)

    def _read_at(self, form: Any) -> datetime | None:
        value = form.data.get("read_at") if form.is_bound else None
        return parse_datetime(value) if value else None

    def _page(
        self, form: Any, template: str, context: dict[str, Any], changes: list[Change] | None = None
    ) -> HttpResponse:
        return render(
            self.request,
            template,
            {
                **context,
                "form": form,
                "errors": form.error_links(),
                "history": self.history,
                "changes": changes,
                "start_again": self.url,
                "sends_letter": self.sending or self.sends_letter,
            },
        )

    def show(self, form: Any, template: str, context: dict[str, Any]) -> HttpResponse:
        """The form again without acting (after "Preview the new date" or "Add another")."""
        return self._page(form, template, context)

    def _refused(self, form: Any, refusal: ComplaintError) -> list[Change] | None:
        if isinstance(refusal, NotPermitted):
            raise refusal
        if isinstance(refusal, InvalidInput):
            form.add_domain_errors(refusal.errors)
            return None
        form.add_error(None, refusal.message)
        if isinstance(refusal, StaleVersion):
            return changes_since(self.complaint, self._read_at(form))
        return None

    def respond(
        self,
        form: GovForm,
        commit: Callable[[], Any],
        *,
        template: str,
        context: dict[str, Any],
        done: Callable[[Any], str],
        message: Callable[[Any], str],
    ) -> HttpResponse:
        request = self.request
        if self.sending or self.confirming:
            if self.draft is None:
                messages.error(request, "That confirmation page has expired. Enter your answers again.")
                return redirect(self.url)
            if self.draft.done is not None:  # begin_step normally answers this first
                return redirect(self.draft.done.url)
        valid = form.is_valid() if form.is_bound else False  # type: ignore[attr-defined]
        if form.is_bound and self._stale(form):  # type: ignore[attr-defined]
            # Read before the last change: say what changed rather than what else is wrong.
            form.errors.clear()  # type: ignore[attr-defined]
            form.add_error(  # type: ignore[attr-defined]
                None,
                f"{self.complaint.reference} has changed since you opened this page, so nothing was done. "
                "Check what changed below, then send your answers again or start again.",
            )
            changes = changes_since(self.complaint, self._read_at(form))
            # The answers stay, now read at the current version: having seen what changed, the person
            # may send them again deliberately (a repeat still needs its "yes, again").
            data = form.data.copy()  # type: ignore[attr-defined]
            data["expected_version"] = str(self.complaint.version)
            data["read_at"] = clock.now().isoformat()
            form.data = data  # type: ignore[attr-defined]
            return self._page(form, template, context, changes)
        if self.sending and valid:
            assert self.draft is not None
            try:
                result = commit()
            except ComplaintError as refusal:
                return self._page(form, template, context, self._refused(form, refusal))
            url, said = done(result), message(result)
            drafts.mark_done(request, self.draft.token, url=url, message=said)
            messages.success(request, said)
            return redirect(url)
        if self.sends_letter and valid and (self.confirming or request.method == "POST"):
            try:
                letters = letters_it_would_issue(self.complaint, commit)
            except ComplaintError as refusal:
                return self._page(form, template, context, self._refused(form, refusal))
            if request.method == "POST":
                token = drafts.save(request, self.scope, request.POST)
                return redirect(f"{self.url}?confirm={token}")
            assert self.draft is not None
            return render(
                request,
                "workspace/steps/confirm.html",
                {
                    **context,
                    "letters": letters,
                    "answers": answers_summary(form),
                    "token": self.draft.token,
                    # Whoever sends a letter should know of a restriction on contact (5.14).
                    "restrictions": ContactRestriction.objects.in_force().filter(person_id=self.complaint.person_id),
                    "change_url": f"{self.url}?change={self.draft.token}",
                    "step_url": self.url,
                },
            )
        if not self.sends_letter and request.method == "POST" and valid:
            try:
                result = commit()
            except ComplaintError as refusal:
                return self._page(form, template, context, self._refused(form, refusal))
            messages.success(request, message(result))
            return redirect(done(result))
        if self.draft is not None and not self.sending and request.method == "GET":
            form.errors.clear()  # type: ignore[attr-defined]  # changing answers already checked
        return self._page(form, template, context)


def already_sent(request: StaffRequest, reference: str, slug: str) -> HttpResponse | None:
    """A confirmation page or Send for a draft already sent: go to what it did, and say so."""
    token = request.POST.get("send") if request.method == "POST" else request.GET.get("confirm")
    if not token:
        return None
    draft = drafts.load(request, f"{reference.strip().upper()}/{slug}", token)
    if draft is None or draft.done is None:
        return None
    when = parse_datetime(draft.done.at)
    at = f" at {when:%H:%M} on {when:%-d %B %Y}" if when else ""
    messages.info(request, f"This was already done{at}: {draft.done.message}. Nothing was done again.")
    return redirect(draft.done.url)
