"""The complaint's referral step opens its Ombudsman case: a reaction to the "ombudsman-referral"
Event, run inside that step's transaction (putright.complaints.reactions), so the complaint's
`ombudsman_referred_on` and its case never disagree, whichever front door recorded the referral."""

from __future__ import annotations

from putright.complaints import reactions
from putright.complaints.reactions import Happened
from putright.ombudsman.actions import join_referral


def _referred(happened: Happened) -> None:
    join_referral(
        happened.complaint,
        happened.actor,
        on=happened.on,
        reference=str(happened.detail.get("ombudsman_reference", "")),
    )


def register() -> None:
    reactions.register("ombudsman-referral", _referred)
