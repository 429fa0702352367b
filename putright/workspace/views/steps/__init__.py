"""One page per step of the Code's process, each posting to one domain action.

Each view fetches the complaint through the access layer (404 for another landlord's), refuses a
role that may never take the step (403), and otherwise shows a GOV.UK form whose version field
makes a change from a stale page a clear conflict rather than an overwrite. The pages are kept in
a module per family of steps, as the actions and forms are.
"""

from putright.workspace.views.steps.endings import (
    close,
    escalate,
    not_accept,
    ombudsman_referral,
    refuse_escalation,
    withdraw,
)
from putright.workspace.views.steps.learning import learning
from putright.workspace.views.steps.remedies import offer_remedy, remedy
from putright.workspace.views.steps.stage import (
    acknowledge,
    add_issue,
    assign,
    clarification,
    extend,
    respond,
    send_update,
    update_interval,
)

__all__ = [
    "acknowledge",
    "add_issue",
    "assign",
    "clarification",
    "close",
    "escalate",
    "extend",
    "learning",
    "not_accept",
    "offer_remedy",
    "ombudsman_referral",
    "refuse_escalation",
    "remedy",
    "respond",
    "send_update",
    "update_interval",
    "withdraw",
]
