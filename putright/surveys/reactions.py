"""Closing a complaint offers its survey, registered as a reaction to the closure.

Only the "closed" Event offers it: a complaint closed after a stage 1 or stage 2 response, the
handling of which the survey asks about. A withdrawn complaint (the resident stopped it) and a
refused one (not accepted, or stage 2 refused: the resident's next step is the Ombudsman, 2.4 and
5.11) are not asked how they were handled; docs/surveys.md says why.
"""

from __future__ import annotations

from putright.complaints import reactions
from putright.complaints.reactions import Happened
from putright.surveys import actions


def offer_on_closure(happened: Happened) -> None:
    actions.offer_survey(happened.complaint, stage_number=happened.stage.number, closed_on=happened.on)


def register() -> None:
    """Called once the apps are ready (SurveysConfig.ready), after correspondence's closure letter."""
    reactions.register("closed", offer_on_closure)
