"""Reactions: what follows from an action runs inside its transaction, and a refusal undoes the step."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date

import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import TestCase

from putright.complaints import actions, reactions
from putright.complaints.errors import InvalidInput
from putright.complaints.models import Complaint, Event
from putright.complaints.reactions import Happened, Reaction
from putright.correspondence.models import Letter
from tests.cast import log, make_cast

TODAY = date(2025, 6, 16)


@contextmanager
def registered(kind: str, reaction: Reaction) -> Iterator[None]:
    before = list(reactions._reactions.get(kind, []))
    reactions.register(kind, reaction)
    try:
        yield
    finally:
        reactions._reactions[kind] = before


@time_machine.travel(TODAY, tick=False)
class ReactionTests(TestCase):
    def setUp(self) -> None:
        self.cast = make_cast()
        self.complaint = log(self.cast, date(2025, 6, 12))

    def test_the_acknowledgement_letter_is_a_reaction_registered_by_correspondence(self) -> None:
        assert any(
            reaction.__module__ == "putright.correspondence.reactions"
            for reaction in reactions._reactions["acknowledged"]
        )

    def test_a_reaction_sees_the_event_and_the_stage_as_the_action_left_them(self) -> None:
        seen: list[Happened] = []
        with registered("clarification-requested", seen.append), registered("clarification-requested", seen.append):
            actions.request_clarification(self.complaint, self.cast.handler, on=TODAY, question="Which window?")
        assert len(seen) == 1  # registered twice, run once
        happened = seen[0]
        assert happened.event.kind == "clarification-requested" and happened.complaint.pk == self.complaint.pk
        assert happened.actor == self.cast.handler and happened.on == TODAY
        assert happened.stage.clarification_requested_on == TODAY and happened.detail == {"question": "Which window?"}

    def test_a_reaction_to_events_no_action_announces_is_refused(self) -> None:
        with pytest.raises(ImproperlyConfigured, match="No action announces 'withdrawn' Events"):
            reactions.register("withdrawn", lambda happened: None)

    def test_a_reaction_that_refuses_undoes_the_whole_step_and_what_earlier_reactions_did(self) -> None:
        def refuse(happened: Happened) -> None:
            raise InvalidInput({"letter": "The letter cannot be issued without a test"})

        # Runs after correspondence's own reaction, which has issued the letter by then.
        with registered("not-accepted", refuse), pytest.raises(InvalidInput):
            actions.not_accept(
                self.complaint,
                self.cast.officer,
                ground="legal-proceedings",
                explanation="It is before the court.",
                ombudsman_rights_given=True,
                on=TODAY,
            )
        assert Complaint.objects.get(pk=self.complaint.pk).status == "received"
        assert not Letter.objects.filter(complaint=self.complaint).exists()
        assert not Event.objects.filter(complaint=self.complaint, kind__in=["not-accepted", "letter-issued"]).exists()
