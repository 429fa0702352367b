"""Who may open which workspace page: every URL of the workspace, for every role, a landlord's
other staff and someone signed out, with the status each gets and, for a refusal, the reason it
names. The table is checked against the workspace's URL patterns, so a new page without a row here
fails this test until someone decides who may open it.

Every member of a landlord's staff reads its complaints (pages and API alike, one answer from
putright.complaints.access); the auditor only reads; staff of another landlord see nothing (a 404,
as if the complaint did not exist). What a role may change follows the Code: a stage is worked on by
its handler or a supervisor (4.1 to 4.3), stage 2 never by the person who handled stage 1 (6.13).
"""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import time_machine
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client, TestCase
from django.urls import URLPattern, URLResolver, reverse

from putright import clock
from putright.api import tokens
from putright.api.models import ApiToken
from putright.bundles import actions as bundle_actions
from putright.bundles import tasks as bundle_tasks
from putright.complaints import access, actions
from putright.complaints.models import AdjustmentTask, Complaint, OutstandingAction, Remedy, ServiceRequest, Stage
from putright.correspondence.models import Letter, OutboxMessage
from putright.documents.models import Attachment
from putright.landlords.models import LandlordServiceArea, StaffMember, StaffRole
from putright.ombudsman import actions as ombudsman_actions
from putright.ombudsman.models import EvidenceRequest, OmbudsmanCase, Order
from putright.people.models import ContactRestriction, ReasonableAdjustment, SafeguardingConcern, Vulnerability
from putright.workspace import urls as workspace_urls
from tests.cast import RESIDENT, Cast, acknowledge, log, make_cast, respond, staff
from tests.test_workspace_support import complaint_url, page, signed_in
from tests.test_workspace_worklists import rows

TODAY = date(2025, 6, 16)  # a Monday
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"

ROLES = ("handler", "reviewer", "officer", "manager", "auditor", "other_manager", "anonymous")
# What the POSTs send: a version no complaint has, so a form that would pass is refused as out of date.
STALE = {"expected_version": "0"}
LOGIN = "sign-in"  # a redirect to the sign-in page
CHANGE = "change"  # allowed to post: the form answers (200) or sends the person on (302); nothing is refused

# Shorthands for a row's statuses, in the order of ROLES.
READ_ON_RECORD = (200, 200, 200, 200, 200, 404, LOGIN)  # anything on a complaint's record (Capability.READ)
READ_AT_LANDLORD = (200, 200, 200, 200, 200, 200, LOGIN)  # a list of the reader's own landlord
PUBLIC = (200,) * 7  # the account pages, before and after signing in
STAGE_WORK = (200, 403, 200, 200, 403, 404, LOGIN)  # Hana handles stage 1: the reviewer is not its handler
SUPERVISOR_STEP = (403, 403, 200, 200, 403, 404, LOGIN)
LOG_AT_LANDLORD = (200, 200, 200, 200, 403, 200, LOGIN)
LOG_ON_RECORD = (200, 200, 200, 200, 403, 404, LOGIN)
LETTERS_READ = (403, 403, 200, 200, 200, 200, LOGIN)  # the wording, letterhead and outbox (4.2)
STAGE_WORK_POST = (CHANGE, 403, CHANGE, CHANGE, 403, 404, LOGIN)
SUPERVISOR_POST = (403, 403, CHANGE, CHANGE, 403, 404, LOGIN)
LOG_AT_LANDLORD_POST = (CHANGE, CHANGE, CHANGE, CHANGE, 403, CHANGE, LOGIN)
LOG_ON_RECORD_POST = (CHANGE, CHANGE, CHANGE, CHANGE, 403, 404, LOGIN)

READ_ONLY = "Your role (Auditor) is read-only"
STAGE_HANDLER = "Only the handler of stage 1, a complaints officer or a manager"
SUPERVISORS = "Only a complaints officer or a manager can"
ACTION_PEOPLE = "Only the person the action is for, the complaint's handler, a complaints officer or a manager"
LETTER_KEEPERS = "does not allow you to see the letter wording or the outbox"
LETTER_EDITORS = "does not allow you to change the letter wording or resend email"
NEEDS_KEEPERS = "Only a complaints officer, a manager or someone working one of this resident's complaints"
CASEWORK = "Only a complaints officer or a manager can work on Ombudsman cases"
RESET_SIGN_IN = "Only a complaints officer or a manager can reset a colleague's sign-in"
AREA_KEEPERS = "Only a complaints officer or a manager can change the landlord's service areas."


@dataclass(frozen=True)
class Fixture:
    complaint: Complaint  # stage 1, acknowledged, handled by Hana, with a remedy, a document and letters
    responded: Complaint  # stage 1 responded, handled by Hana, with an action for Omar
    action: OutstandingAction
    remedy: Remedy
    attachment: Attachment
    letter: Letter
    email: OutboxMessage  # waiting to be sent: retrying it changes nothing
    service_request: ServiceRequest


@dataclass(frozen=True)
class Row:
    args: Callable[[Fixture], list[Any]]
    get: tuple[int | str, ...]
    post: tuple[int | str, ...] | None = None  # None: a POST changes nothing here, or the page takes none
    reason: str = ""  # what a 403 to anyone but the auditor says
    auditor_reason: str = READ_ONLY


def none(_: Fixture) -> list[Any]:
    return []


def ref(f: Fixture) -> list[Any]:
    return [f.complaint.reference]


def restriction(f: Fixture) -> list[Any]:
    return [f.complaint.reference, ContactRestriction.objects.get(person_id=f.complaint.person_id).pk]


def wording(_: Fixture) -> list[Any]:
    return ["stage1-acknowledgement"]


def adjustment(f: Fixture) -> list[Any]:
    return [f.complaint.reference, ReasonableAdjustment.objects.filter(person=f.complaint.person).earliest("id").pk]


def vulnerability(f: Fixture) -> list[Any]:
    return [f.complaint.reference, Vulnerability.objects.get(person=f.complaint.person).pk]


def concern(f: Fixture) -> list[Any]:
    return [f.complaint.reference, SafeguardingConcern.objects.get(person=f.complaint.person).pk]


def ombudsman_case(f: Fixture) -> list[Any]:
    return [OmbudsmanCase.objects.get(complaint=f.responded).pk]


def evidence_request(f: Fixture) -> list[Any]:
    asked = EvidenceRequest.objects.get(case__complaint=f.responded)
    return [asked.case_id, asked.pk]


def ombudsman_order(f: Fixture) -> list[Any]:
    order = Order.objects.get(case__complaint=f.responded)
    return [order.case_id, order.pk]


def ombudsman_bundle(f: Fixture) -> list[Any]:
    return [OmbudsmanCase.objects.get(complaint=f.responded).pk, 1]


def format_task(f: Fixture) -> list[Any]:
    return [f.complaint.reference, AdjustmentTask.objects.get(stage__complaint=f.complaint).pk]


def own_area(f: Fixture) -> list[Any]:
    area, _ = LandlordServiceArea.objects.get_or_create(
        landlord_id=f.complaint.landlord_id, name="Voids", defaults={"standard_area": "repairs"}
    )
    return [area.pk]


MATRIX: dict[str, Row] = {
    # Signing in and out, and resetting a password: the same for everyone (Django's own views).
    "sign-in": Row(none, (302, 302, 302, 302, 302, 302, 200)),
    "sign-out": Row(none, (405,) * 7),
    "signed-out": Row(none, PUBLIC),
    "password-reset": Row(none, PUBLIC),
    "password-reset-sent": Row(none, PUBLIC),
    "password-reset-confirm": Row(lambda f: ["MQ", "not-a-token"], PUBLIC),
    "password-reset-done": Row(none, PUBLIC),
    # The second factor (tests/test_staff_sign_in.py): everyone here has given one, so is sent on.
    "second-factor": Row(none, (302,) * 6 + (LOGIN,), (302,) * 6 + (LOGIN,)),
    "second-factor-setup": Row(none, (302,) * 6 + (LOGIN,), (302,) * 6 + (LOGIN,)),
    # Your sign-in: every member of staff manages their own apps and passkeys (a device that is not
    # theirs is one already removed: back to the list). Officers and managers reset a colleague's.
    "account-security": Row(none, READ_AT_LANDLORD),
    "account-security-app": Row(none, READ_AT_LANDLORD, (CHANGE,) * 6 + (LOGIN,)),
    "account-security-remove": Row(lambda f: ["app", 999_999], (302,) * 6 + (LOGIN,), (302,) * 6 + (LOGIN,)),
    "colleague-second-factor-reset": Row(
        lambda f: [User.objects.get(username="omar.handler").pk],
        SUPERVISOR_STEP,
        SUPERVISOR_POST,
        RESET_SIGN_IN,
        RESET_SIGN_IN,
    ),
    # Acting for another of one's landlords (issue 19): a POST naming one of them; the form sends nothing here.
    "acting-for": Row(
        none,
        (405,) * 7,
        (403,) * 6 + (LOGIN,),
        "Choose one of the landlords you work for",
        "Choose one of the landlords you work for",
    ),
    # The lists: every member of staff reads their own landlord's.
    "my-work": Row(none, READ_AT_LANDLORD),
    "team-work": Row(none, READ_AT_LANDLORD),
    "actions": Row(none, READ_AT_LANDLORD),
    "action-update": Row(
        lambda f: [f.action.pk],
        (200, 403, 200, 200, 403, 404, LOGIN),
        (CHANGE, 403, CHANGE, CHANGE, 403, 404, LOGIN),
        reason=ACTION_PEOPLE,
    ),
    "service-requests": Row(none, READ_AT_LANDLORD),
    "service-request-log": Row(none, LOG_AT_LANDLORD, LOG_AT_LANDLORD_POST),
    "service-request-raise": Row(lambda f: [f.service_request.reference], LOG_ON_RECORD, LOG_ON_RECORD_POST),
    "service-request-complete": Row(lambda f: [f.service_request.reference], LOG_ON_RECORD, LOG_ON_RECORD_POST),
    "complaint-log": Row(none, LOG_AT_LANDLORD, LOG_AT_LANDLORD_POST),
    # A complaint's record: every member of its landlord's staff reads it.
    "complaint": Row(ref, READ_ON_RECORD),
    "complaint-attach": Row(ref, LOG_ON_RECORD, LOG_ON_RECORD_POST),
    "complaint-document": Row(lambda f: [f.complaint.reference, f.attachment.pk], READ_ON_RECORD),
    # Contacts on the record (5.12): whoever works complaints, since whoever took the call records it.
    "complaint-contact": Row(ref, LOG_ON_RECORD, LOG_ON_RECORD_POST),
    # Who acts for the resident (3.6): the stage's handler or a supervisor. With nobody to end, the
    # page goes back to the complaint.
    "complaint-representative": Row(ref, STAGE_WORK, STAGE_WORK_POST, STAGE_HANDLER),
    "complaint-representative-end": Row(ref, (302, 403, 302, 302, 403, 404, LOGIN), STAGE_WORK_POST, STAGE_HANDLER),
    # Contact restrictions (5.14, 5.15): any caseworker proposes; a complaints officer or manager who
    # did not propose it decides, reviews and ends it. The fixture's is proposed (by Hana), so
    # reviewing or ending it sends the page back to the complaint.
    "complaint-restriction-propose": Row(ref, LOG_ON_RECORD, LOG_ON_RECORD_POST),
    "complaint-restriction-decide": Row(
        restriction, SUPERVISOR_STEP, SUPERVISOR_POST, SUPERVISORS + " decide on a contact restriction"
    ),
    "complaint-restriction-review": Row(
        restriction, (403, 403, 302, 302, 403, 404, LOGIN), SUPERVISOR_POST, SUPERVISORS + " review a contact"
    ),
    "complaint-restriction-end": Row(
        restriction, (403, 403, 302, 302, 403, 404, LOGIN), SUPERVISOR_POST, SUPERVISORS + " end a contact"
    ),
    "complaint-letter": Row(lambda f: [f.complaint.reference, f.letter.pk], READ_ON_RECORD),
    # 409 to every reader: the worker has not rendered the PDF yet (the letter page says so).
    "complaint-letter-pdf": Row(lambda f: [f.complaint.reference, f.letter.pk], (409, 409, 409, 409, 409, 404, LOGIN)),
    "complaint-letter-docx": Row(lambda f: [f.complaint.reference, f.letter.pk], READ_ON_RECORD),
    # The steps of a stage: its handler, or a supervisor. A step the state does not allow now
    # (acknowledging twice, escalating before the response) sends its page back to the complaint.
    "complaint-acknowledge": Row(ref, (302, 403, 302, 302, 403, 404, LOGIN), STAGE_WORK_POST, STAGE_HANDLER),
    "complaint-extend": Row(ref, STAGE_WORK, STAGE_WORK_POST, STAGE_HANDLER),
    "complaint-respond": Row(ref, STAGE_WORK, STAGE_WORK_POST, STAGE_HANDLER),
    "complaint-clarification": Row(ref, STAGE_WORK, STAGE_WORK_POST, STAGE_HANDLER),
    "complaint-update-interval": Row(ref, STAGE_WORK, STAGE_WORK_POST, STAGE_HANDLER),
    "complaint-send-update": Row(ref, STAGE_WORK, STAGE_WORK_POST, STAGE_HANDLER),
    "complaint-offer-remedy": Row(ref, STAGE_WORK, STAGE_WORK_POST, STAGE_HANDLER),
    "complaint-remedy": Row(lambda f: [f.complaint.reference, f.remedy.pk], STAGE_WORK, STAGE_WORK_POST, STAGE_HANDLER),
    "complaint-withdraw": Row(ref, STAGE_WORK, STAGE_WORK_POST, STAGE_HANDLER),
    "complaint-learning": Row(ref, STAGE_WORK, STAGE_WORK_POST, STAGE_HANDLER),
    # Triage (6.1): whoever works the stage changes its priority, with a reason.
    "complaint-priority": Row(ref, STAGE_WORK, STAGE_WORK_POST, STAGE_HANDLER),
    # The service areas a complaint touches (issue 19): as for its triage.
    "complaint-areas": Row(ref, STAGE_WORK, STAGE_WORK_POST, STAGE_HANDLER),
    # The landlord's own service areas: every member of staff reads them; officers and managers change them.
    "service-areas": Row(none, READ_AT_LANDLORD),
    "service-area-new": Row(
        none, (403, 403, 200, 200, 403, 200, LOGIN), (403, 403, CHANGE, CHANGE, 403, CHANGE, LOGIN), AREA_KEEPERS
    ),
    "service-area-change": Row(
        own_area, (403, 403, 200, 200, 403, 404, LOGIN), (403, 403, CHANGE, CHANGE, 403, 404, LOGIN), AREA_KEEPERS
    ),
    # Confidential complaints: complaints officers and managers mark them, and clear them.
    "complaint-confidentiality": Row(
        ref, SUPERVISOR_STEP, SUPERVISOR_POST, SUPERVISORS + " mark a complaint confidential"
    ),
    "complaint-close": Row(ref, (302, 403, 302, 302, 403, 404, LOGIN), STAGE_WORK_POST, STAGE_HANDLER),
    "complaint-add-issue": Row(ref, LOG_ON_RECORD, LOG_ON_RECORD_POST),
    "complaint-escalate": Row(ref, (302, 302, 302, 302, 403, 404, LOGIN), LOG_ON_RECORD_POST),
    # Supervisors' steps (4.1 to 4.3): assigning, refusing, recording a referral.
    "complaint-assign": Row(ref, SUPERVISOR_STEP, SUPERVISOR_POST, SUPERVISORS + " assign handlers"),
    "complaint-not-accept": Row(ref, SUPERVISOR_STEP, SUPERVISOR_POST, SUPERVISORS + " decide not to accept"),
    "complaint-refuse-escalation": Row(
        ref, (403, 403, 302, 302, 403, 404, LOGIN), SUPERVISOR_POST, SUPERVISORS + " decide not to accept"
    ),
    "complaint-ombudsman-referral": Row(
        ref, SUPERVISOR_STEP, SUPERVISOR_POST, SUPERVISORS + " record Ombudsman referrals"
    ),
    # A resident's needs (5.10): complaints officers, managers and whoever works one of the
    # resident's complaints (Hana); the reviewer works none of Rosa's, so is refused like the auditor.
    "needs-adjustment-new": Row(ref, STAGE_WORK, STAGE_WORK_POST, NEEDS_KEEPERS),
    "needs-adjustment-change": Row(adjustment, STAGE_WORK, STAGE_WORK_POST, NEEDS_KEEPERS),
    "needs-adjustment-end": Row(adjustment, STAGE_WORK, STAGE_WORK_POST, NEEDS_KEEPERS),
    "needs-phone-call": Row(adjustment, STAGE_WORK, STAGE_WORK_POST, NEEDS_KEEPERS),
    "needs-vulnerability-new": Row(ref, STAGE_WORK, STAGE_WORK_POST, NEEDS_KEEPERS),
    "needs-vulnerability-change": Row(vulnerability, STAGE_WORK, STAGE_WORK_POST, NEEDS_KEEPERS),
    "needs-vulnerability-end": Row(vulnerability, STAGE_WORK, STAGE_WORK_POST, NEEDS_KEEPERS),
    "needs-safeguarding-new": Row(ref, STAGE_WORK, STAGE_WORK_POST, NEEDS_KEEPERS),
    "needs-safeguarding-update": Row(concern, STAGE_WORK, STAGE_WORK_POST, NEEDS_KEEPERS),
    "needs-format-sent": Row(format_task, STAGE_WORK, STAGE_WORK_POST, NEEDS_KEEPERS),
    # The landlord's letters: kept by the complaints officer and managers, read by the auditor.
    "letters": Row(none, LETTERS_READ, reason=LETTER_KEEPERS),
    "letter-style": Row(
        none, LETTERS_READ, (403, 403, CHANGE, CHANGE, 403, CHANGE, LOGIN), LETTER_KEEPERS, LETTER_EDITORS
    ),
    "letter-wording": Row(
        wording, LETTERS_READ, (403, 403, CHANGE, CHANGE, 403, CHANGE, LOGIN), LETTER_KEEPERS, LETTER_EDITORS
    ),
    "letter-wording-reset": Row(
        wording,
        (403, 403, 302, 302, 403, 302, LOGIN),
        (403, 403, CHANGE, CHANGE, 403, CHANGE, LOGIN),
        LETTER_EDITORS,
        LETTER_EDITORS,
    ),
    # The link a mailbox confirmation email carries (issue 21): only the landlord's letter editors confirm it;
    # a token that is not theirs shows its problem and changes nothing.
    "letter-mailbox-confirm": Row(
        lambda f: ["not-a-token"],
        (403, 403, 200, 200, 403, 200, LOGIN),
        (403, 403, CHANGE, CHANGE, 403, CHANGE, LOGIN),
        LETTER_EDITORS,
        LETTER_EDITORS,
    ),
    "outbox": Row(none, LETTERS_READ, reason=LETTER_KEEPERS),
    "outbox-retry": Row(
        lambda f: [f.email.pk], (405,) * 7, (403, 403, CHANGE, CHANGE, 403, 404, LOGIN), LETTER_EDITORS, LETTER_EDITORS
    ),
    # Ombudsman casework (issue 16): every reader reads cases; complaints officers and managers work
    # them; an order's owner (Olu, here) records its progress.
    "ombudsman-cases": Row(none, READ_AT_LANDLORD),
    "ombudsman-enquiry": Row(
        none, (403, 403, 200, 200, 403, 200, LOGIN), (403, 403, CHANGE, CHANGE, 403, CHANGE, LOGIN), CASEWORK
    ),
    "complaint-ombudsman": Row(ref, READ_ON_RECORD),
    "complaint-ombudsman-open": Row(ref, SUPERVISOR_STEP, SUPERVISOR_POST, CASEWORK),
    "ombudsman-case": Row(ombudsman_case, READ_ON_RECORD),
    "ombudsman-case-change": Row(ombudsman_case, SUPERVISOR_STEP, SUPERVISOR_POST, CASEWORK),
    "ombudsman-case-move": Row(ombudsman_case, SUPERVISOR_STEP, SUPERVISOR_POST, CASEWORK),
    "ombudsman-evidence-new": Row(ombudsman_case, SUPERVISOR_STEP, SUPERVISOR_POST, CASEWORK),
    "ombudsman-evidence-sent": Row(evidence_request, SUPERVISOR_STEP, SUPERVISOR_POST, CASEWORK),
    "ombudsman-determination-new": Row(ombudsman_case, SUPERVISOR_STEP, SUPERVISOR_POST, CASEWORK),
    "ombudsman-order-new": Row(ombudsman_case, SUPERVISOR_STEP, SUPERVISOR_POST, CASEWORK),
    "ombudsman-order-update": Row(
        ombudsman_order, SUPERVISOR_STEP, SUPERVISOR_POST, "Only the person the order is for, a complaints officer"
    ),
    # The fixture's order is not complied with yet: its confirmation page sends the page back to the case.
    "ombudsman-order-confirm": Row(ombudsman_order, (403, 403, 302, 302, 403, 404, LOGIN), SUPERVISOR_POST, CASEWORK),
    # The evidence bundle: built by those who work cases, downloaded by them and the auditor.
    "ombudsman-bundle-build": Row(ombudsman_case, (405,) * 7, SUPERVISOR_POST, CASEWORK),
    "ombudsman-bundle": Row(ombudsman_bundle, READ_ON_RECORD),
    "ombudsman-bundle-download": Row(
        ombudsman_bundle,
        (403, 403, 200, 200, 200, 404, LOGIN),
        reason="Only a complaints officer, a manager or the auditor can download the evidence bundle",
        auditor_reason="",
    ),
    # Only with DEBUG and the development email backend: a 404 here.
    "development-email": Row(none, (404,) * 7),
}


def url_names(patterns: Sequence[URLPattern | URLResolver]) -> list[str]:
    names: list[str] = []
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names += url_names(pattern.url_patterns)
        elif pattern.name:
            names.append(pattern.name)
    return names


def build(cast: Cast) -> Fixture:
    handler, officer = cast.handler, cast.officer
    complaint = actions.assign_handler(
        log(cast, date(2025, 6, 9)), officer, handler=handler, conflict_of_interest=False
    )
    # 5.10: Rosa reads Braille (her acknowledgement waits to be sent again so), and is vulnerable.
    needs = actions.needs
    needs.record_adjustment(complaint.person, handler, kind="braille")
    complaint = acknowledge(cast, complaint, date(2025, 6, 10))
    needs.record_vulnerability(
        complaint.person,
        handler,
        description="Registered blind",
        disclosed_on=date(2025, 6, 10),
        consent_given=True,
        consent_from="resident",
        consent_how="verbal",
        consent_on=date(2025, 6, 10),
    )
    needs.record_safeguarding(complaint.person, handler, seen="Seen at the visit", seen_on=date(2025, 6, 10))
    complaint = actions.agree_update_interval(complaint, handler, every_days=5, agreed_on=date(2025, 6, 10))
    remedy = actions.add_remedy(complaint, handler, actions.RemedyInput("apology", "We apologise for the delay."))
    actions.propose_restriction(
        complaint,
        handler,
        actions.RestrictionInput(
            behaviour="Swore at staff.",
            evidence="Call log.",
            scope=["written"],
            equality_considerations="Considered.",
            review_on=clock.today() + timedelta(days=60),
        ),
    )
    complaint = Complaint.objects.get(pk=complaint.pk)
    uploaded = signed_in(handler).post(
        complaint_url(complaint, "documents/new"),
        {"expected_version": complaint.version, "file": SimpleUploadedFile("photo.pdf", PDF), "description": ""},
    )
    assert uploaded.status_code == 302, page(uploaded)
    other = actions.assign_handler(log(cast, date(2025, 6, 2)), officer, handler=handler, conflict_of_interest=False)
    responded = respond(
        cast,
        acknowledge(cast, other, date(2025, 6, 3)),
        date(2025, 6, 13),
        actions=[actions.ActionInput("Ventilation survey", date(2025, 6, 27), cast.other_handler)],
    )
    service_request = actions.log_service_request(
        cast.landlord,
        handler,
        resident=RESIDENT,
        service_area="repairs",
        description="The kitchen tap drips.",
        received_on=date(2025, 6, 12),
    )
    # Ombudsman casework: a determined case on the responded complaint, with evidence asked for and an order for Olu.
    case = ombudsman_actions.open_case(responded, officer, reference="202412345", enquiry_received_on=date(2025, 6, 13))
    ombudsman_actions.request_evidence(case, officer, what="The repair log", requested_on=date(2025, 6, 13))
    ombudsman_actions.record_determination(
        case, officer, element="The repair", finding="maladministration", determined_on=date(2025, 6, 16)
    )
    ombudsman_actions.add_order(case, officer, kind="order", what="Apologise", owner=officer, due_on=date(2025, 7, 1))
    assert bundle_tasks.build_bundle.call(bundle_actions.request_bundle(case, officer).pk) == "ready"
    return Fixture(
        complaint=Complaint.objects.get(pk=complaint.pk),
        responded=responded,
        action=OutstandingAction.objects.get(complaint=responded),
        remedy=remedy,
        attachment=Attachment.objects.get(complaint=complaint),
        letter=Letter.objects.filter(complaint=complaint).earliest("id"),
        email=OutboxMessage.objects.filter(complaint=complaint, state=OutboxMessage.State.PENDING).earliest("id"),
        service_request=service_request,
    )


@time_machine.travel(TODAY, tick=False)
class RolePageMatrixTests(TestCase):
    cast: Cast
    other_manager: User
    fixture: Fixture

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.other_manager = staff("max.manager", cls.cast.other_landlord, StaffRole.MANAGER)
        cls.fixture = build(cls.cast)

    def setUp(self) -> None:
        self.signed_in = self.clients()
        assert tuple(self.signed_in) == ROLES

    def clients(self) -> dict[str, Client]:
        people = {
            "handler": self.cast.handler,
            "reviewer": self.cast.reviewer,
            "officer": self.cast.officer,
            "manager": self.cast.manager,
            "auditor": self.cast.auditor,
            "other_manager": self.other_manager,
        }
        return {role: signed_in(user) for role, user in people.items()} | {"anonymous": Client()}

    def check(self, method: str, name: str, row: Row, expected: tuple[int | str, ...]) -> list[str]:
        url = reverse(f"workspace:{name}", args=row.args(self.fixture))
        problems = []
        for (role, client), want in zip(self.signed_in.items(), expected, strict=True):
            response = client.get(url) if method == "GET" else client.post(url, STALE)
            got = response.status_code
            where = f"{method} {url} as {role}"
            if want == LOGIN:
                if got != 302 or not response["Location"].startswith("/staff/sign-in/"):
                    problems.append(f"{where}: {got}, not a redirect to sign in")
            elif want == CHANGE:
                if got not in (200, 302) or response.get("Location", "").startswith("/staff/sign-in/"):
                    problems.append(f"{where}: {got}, not the form or a redirect")
            elif got != want:
                problems.append(f"{where}: {got}, not {want}")
            elif got == 403:
                reason = row.auditor_reason if role == "auditor" else row.reason
                if reason and reason not in html.unescape(page(response)):
                    problems.append(f"{where}: the 403 does not say {reason!r}")
        return problems

    def test_every_workspace_url_has_a_row(self) -> None:
        names = url_names(workspace_urls.urlpatterns)
        assert not [name for name in names if name not in MATRIX], "add these pages to MATRIX with who may open them"
        assert not [name for name in MATRIX if name not in names], "these rows are for pages that no longer exist"

    def test_each_role_gets_the_status_its_row_says_on_get(self) -> None:
        problems = [p for name, row in MATRIX.items() for p in self.check("GET", name, row, row.get)]
        assert not problems, "\n".join(problems)

    def test_each_role_gets_the_status_its_row_says_on_post_and_nothing_changes(self) -> None:
        before = {c.pk: c.version for c in Complaint.objects.all()}
        problems = [p for name, row in MATRIX.items() if row.post for p in self.check("POST", name, row, row.post)]
        assert not problems, "\n".join(problems)
        assert {c.pk: c.version for c in Complaint.objects.all()} == before  # empty forms change nothing

    def test_a_refusal_names_the_role_that_can_and_never_the_wrong_reason(self) -> None:
        # The handler on Team work was once told their role "does not allow you to assign handlers".
        team = page(signed_in(self.cast.handler).get("/staff/team/"))
        assert "assign handlers" not in team and "You cannot do this" not in team
        refused = signed_in(self.cast.handler).get(complaint_url(self.fixture.complaint, "assign"))
        assert refused.status_code == 403
        assert "Only a complaints officer or a manager can assign handlers." in page(refused)
        refused = signed_in(self.cast.auditor).post(complaint_url(self.fixture.complaint, "extend"), STALE)
        assert "Your role (Auditor) is read-only: you can read your landlord's complaints, but not" in html.unescape(
            page(refused)
        )


@time_machine.travel(TODAY, tick=False)
class PagesAndApiAgreeTests(TestCase):
    """The pages and the API give each role the same complaints, through the same access layer."""

    cast: Cast
    other_manager: User
    fixture: Fixture
    theirs: Complaint
    people: dict[str, User]
    tokens: dict[str, str]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.other_manager = staff("max.manager", cls.cast.other_landlord, StaffRole.MANAGER)
        cls.fixture = build(cls.cast)
        # Theirs: never on this landlord's lists, nor this landlord's on theirs.
        cls.theirs = actions.log_complaint(
            cls.cast.other_landlord,
            cls.cast.stranger,
            resident=RESIDENT,
            channel="phone",
            received_on=TODAY,
            description="Their own complaint.",
        )
        cls.people = {
            "handler": cls.cast.handler,
            "other_handler": cls.cast.other_handler,
            "reviewer": cls.cast.reviewer,
            "officer": cls.cast.officer,
            "manager": cls.cast.manager,
            "auditor": cls.cast.auditor,
            "other_manager": cls.other_manager,
        }
        cls.tokens = {role: tokens.issue(user)[1] for role, user in cls.people.items()}
        ApiToken.objects.update(last_used_at=clock.now())

    def api(self, role: str, path: str, **query: Any) -> Any:
        return self.client.get(f"/api/v1{path}", query, headers={"Authorization": f"Bearer {self.tokens[role]}"})

    def test_team_work_lists_what_the_api_lists_for_every_role(self) -> None:
        for role, user in self.people.items():
            listed = rows(page(signed_in(user).get("/staff/team/")))
            answered = self.api(role, "/complaints", open="true")
            assert answered.status_code == 200, role
            assert listed == [item["reference"] for item in answered.json()["items"]], role
            assert listed, role  # every member of staff has something to read

    def test_a_complaint_reads_the_same_on_its_page_and_in_the_api_for_every_role(self) -> None:
        for complaint in (self.fixture.complaint, self.fixture.responded, self.theirs):
            for role, user in self.people.items():
                on_page = signed_in(user).get(complaint_url(complaint)).status_code
                in_api = self.api(role, f"/complaints/{complaint.reference}").status_code
                letters = self.api(role, f"/complaints/{complaint.reference}/letters").status_code
                assert on_page == in_api == letters, (role, complaint.reference, on_page, in_api, letters)
                mine = (complaint.landlord_id == self.cast.landlord.pk) == (role != "other_manager")
                assert on_page == (200 if mine else 404), (role, complaint.reference)

    def test_service_requests_list_the_same_on_the_page_and_in_the_api(self) -> None:
        for role, user in self.people.items():
            listed = page(signed_in(user).get("/staff/service-requests/"))
            items = self.api(role, "/service-requests").json()["items"]
            for item in items:
                assert item["reference"] in listed, role
            assert (self.fixture.service_request.reference in listed) == (role != "other_manager"), role


MENUS = {
    "handler": ["My work", "Team work", "Actions", "Service requests", "Log a complaint", "Email in"],
    "reviewer": ["My work", "Team work", "Actions", "Service requests", "Log a complaint", "Email in"],
    "officer": [
        "My work",
        "Team work",
        "Actions",
        "Service requests",
        "Log a complaint",
        "Ombudsman cases",
        "Letter wording",
        "Outbox",
        "Contractors",
        "Email in",
        "Privacy",
        "Insight",
    ],
    "auditor": [
        "Team work",
        "Actions",
        "Service requests",
        "Ombudsman cases",
        "Letter wording",
        "Outbox",
        "Contractors",
        "Email in",
        "Privacy",
        "Insight",
    ],
}


def menu(html: str) -> list[str]:
    nav = html.split('<nav aria-label="Menu"', 1)[1].split("</nav>", 1)[0]
    items = re.findall(r'class="govuk-service-navigation__link" href="[^"]*"[^>]*>\s*(?:<strong[^>]*>)?([^<]+)', nav)
    return [item.strip() for item in items]


@time_machine.travel(TODAY, tick=False)
class WhatEachRoleIsOfferedTests(TestCase):
    """Menus and links offer only what the role can do: nothing is offered and then refused."""

    cast: Cast
    fixture: Fixture

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.fixture = build(cls.cast)

    def test_the_menu_offers_each_role_what_it_can_do(self) -> None:
        for role, expected in MENUS.items():
            user = getattr(self.cast, role)
            assert menu(page(signed_in(user).get("/staff/team/"))) == expected, role

    def test_the_auditor_reads_every_outstanding_action_and_is_offered_no_update(self) -> None:
        html = page(signed_in(self.cast.auditor).get("/staff/actions/"))
        assert "Ventilation survey" in html and "Everything still to be done on your landlord's complaints" in html
        assert "Record an update" not in html
        # The reviewer neither owns it nor handles its complaint: it is not on their list to do.
        assert "Ventilation survey" not in page(signed_in(self.cast.reviewer).get("/staff/actions/"))
        assert "Record an update" in page(signed_in(self.cast.other_handler).get("/staff/actions/"))

    def test_a_complaints_page_offers_only_the_links_the_reader_can_use(self) -> None:
        responded = complaint_url(self.fixture.responded)
        update = f"/staff/actions/{self.fixture.action.pk}/"
        for user in (self.cast.handler, self.cast.other_handler, self.cast.officer):
            assert update in page(signed_in(user).get(responded))
        # The reviewer logs documents (any caseworker may) but neither holds this stage nor the action.
        for user, may_attach in ((self.cast.reviewer, True), (self.cast.auditor, False)):
            html = page(signed_in(user).get(responded))
            assert update not in html and "/remedies/" not in html, user
            assert ("documents/new" in html) == may_attach, user
        html = page(signed_in(self.cast.auditor).get(complaint_url(self.fixture.complaint)))
        assert 'role="button"' not in html  # no step, and no "Add a document"
        assert f"/staff/complaints/{self.fixture.complaint.reference}/letters/{self.fixture.letter.pk}/" in html
        assert "Team work</a>" in html  # the way back is the auditor's start page


@time_machine.travel(TODAY, tick=False)
class RefusalWordingTests(TestCase):
    """A refusal says who can do it, never a reason that belongs to another step."""

    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def staff_of(self, user: User) -> StaffMember:
        found = access.staff_of(user)
        assert found is not None
        return found

    def test_a_caseworker_is_told_which_roles_can(self) -> None:
        complaint = actions.assign_handler(
            log(self.cast, date(2025, 6, 9)), self.cast.officer, handler=self.cast.handler, conflict_of_interest=False
        )
        stage = complaint.stages.get(number=1)
        handler, reviewer = self.staff_of(self.cast.handler), self.staff_of(self.cast.reviewer)
        capability = access.Capability
        assert (
            access.refusal(handler, capability.ASSIGN) == "Only a complaints officer or a manager can assign handlers."
        )
        assert (
            access.refusal(handler, capability.REFER)
            == "Only a complaints officer or a manager can record Ombudsman referrals."
        )
        assert access.refusal(reviewer, capability.WORK, stage) == (
            "Only the handler of stage 1, a complaints officer or a manager can work on it."
        )
        assert access.refusal(reviewer, capability.FINISH, stage) == (
            "Only the handler of stage 1, a complaints officer or a manager can withdraw or close complaints."
        )

    def test_the_auditor_is_told_their_role_is_read_only(self) -> None:
        auditor = self.staff_of(self.cast.auditor)
        for capability in access.Capability:
            if capability is access.Capability.READ:
                assert access.can(auditor, capability)
                continue
            assert not access.can(auditor, capability)
            assert access.refusal(auditor, capability) == (
                f"{READ_ONLY}: you can read your landlord's complaints, but not {capability.value}."
            )

    def test_the_stage_1_handler_at_stage_2_is_told_6_13(self) -> None:
        stage = Stage(number=2, handler_id=None)
        handler = self.staff_of(self.cast.handler)
        assert "(Code 6.13)" in access.refusal(handler, access.Capability.WORK, stage, self.cast.handler.pk)
        assert access.refusal(handler, access.Capability.WORK, stage) == (
            "Only a stage 2 reviewer, a complaints officer or a manager can work on stage 2."
        )
