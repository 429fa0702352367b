"""Every change to a complaint, one function per step of the Code's two-stage process.

Each action takes the acting user, locks the complaint row, refuses a stale version, checks the
user's role and the complaint's state, makes its change in one transaction, and writes an Event
with what was true before and after (STYLE.md habit 3). Views, the API, commands and tests all
call these; nothing else writes complaints. What follows beyond the complaint (a letter, an email
to staff) is a reaction to the Event (`putright.complaints.reactions`).

The actions live in a module per family of steps, as zulip's `zerver/actions/` does, and callers
keep writing `actions.acknowledge(...)`:

- intake: logging complaints and service requests, raising one from the other, not accepting
- stage: assigning, acknowledging, clarification, extensions, updates, new issues, the response
- remedies: remedies and outstanding actions, followed through to completion
- endings: escalation and its refusal, withdrawal, closure, referral to the Ombudsman
- learning: what was learned, and the root cause
- confidentiality: complaints about a named member of staff, and others marked confidential
- triage: priority by complexity and risk (6.1), suggested from the record and changed with a reason
- areas: the service areas a complaint touches, one leading, and the landlord's own list of areas
- attachments: documents added to the record by staff
- contacts: calls, meetings, visits and texts on the record (5.12), and representatives (3.6)
- calendar: deadlines moved when a landlord's calendar changes
- resident: what the resident does themselves through the portal
- base: what every action does (locking, checking, the Event, the row's next deadline)
"""

from putright.complaints.actions import needs
from putright.complaints.actions.areas import AreaChoice, add_landlord_area, change_landlord_area, set_service_areas
from putright.complaints.actions.attachments import attach_file
from putright.complaints.actions.calendar import Recomputed, change_closure_day, change_holiday, recompute_deadlines
from putright.complaints.actions.confidentiality import set_confidentiality
from putright.complaints.actions.contacts import (
    ContactInput,
    RepresentativeInput,
    end_representative,
    record_contact,
    set_representative,
)
from putright.complaints.actions.endings import close, escalate, record_ombudsman_referral, refuse_escalation, withdraw
from putright.complaints.actions.intake import (
    CONTACT_NEEDS,
    AdjustmentInput,
    RepresentativeDetails,
    ResidentDetails,
    complete_service_request,
    log_complaint,
    log_service_request,
    not_accept,
    raise_from_service_request,
)
from putright.complaints.actions.learning import record_learning
from putright.complaints.actions.remedies import ActionInput, RemedyInput, add_remedy, update_action, update_remedy
from putright.complaints.actions.resident import (
    ResidentEscalation,
    resident_add_information,
    resident_attach_files,
    resident_escalate,
    resident_log_complaint,
    resident_withdraw,
)
from putright.complaints.actions.restrictions import (
    RestrictionInput,
    decide_restriction,
    end_restriction,
    propose_restriction,
    review_restriction,
)
from putright.complaints.actions.stage import (
    MAX_EXTENSION_DAYS,
    MAX_POINTS,
    PointDecisionInput,
    acknowledge,
    add_issue,
    agree_update_interval,
    assign_handler,
    extend,
    request_clarification,
    respond,
    send_update,
)
from putright.complaints.actions.triage import Suggestion, Triage, set_priority, suggest
from putright.documents.limits import ResidentFile

__all__ = [
    "AreaChoice",
    "add_landlord_area",
    "change_landlord_area",
    "set_service_areas",
    "set_confidentiality",
    "CONTACT_NEEDS",
    "RestrictionInput",
    "decide_restriction",
    "end_restriction",
    "propose_restriction",
    "review_restriction",
    "needs",
    "ContactInput",
    "RepresentativeInput",
    "end_representative",
    "record_contact",
    "set_representative",
    "MAX_EXTENSION_DAYS",
    "MAX_POINTS",
    "ActionInput",
    "AdjustmentInput",
    "PointDecisionInput",
    "Recomputed",
    "RemedyInput",
    "RepresentativeDetails",
    "ResidentDetails",
    "ResidentEscalation",
    "ResidentFile",
    "Suggestion",
    "Triage",
    "acknowledge",
    "add_issue",
    "add_remedy",
    "agree_update_interval",
    "assign_handler",
    "attach_file",
    "change_closure_day",
    "change_holiday",
    "close",
    "complete_service_request",
    "escalate",
    "extend",
    "log_complaint",
    "log_service_request",
    "not_accept",
    "raise_from_service_request",
    "recompute_deadlines",
    "record_learning",
    "record_ombudsman_referral",
    "refuse_escalation",
    "request_clarification",
    "resident_add_information",
    "resident_attach_files",
    "resident_escalate",
    "resident_log_complaint",
    "resident_withdraw",
    "respond",
    "send_update",
    "set_priority",
    "suggest",
    "update_action",
    "update_remedy",
    "withdraw",
]
