"""Who may open each page and call each operation of contractors and requests for information: every
URL of putright.contributions and every API operation, for each role, a landlord's other staff and
someone signed out; and a person with two landlords (a handler at one, an auditor at the other), who
works at the first and only reads at the second. The page table is checked against the app's URL
patterns, so a new page without a row here fails until someone decides who may open it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

import time_machine
from django.test import TestCase

from putright.api import tokens
from putright.complaints import actions as complaint_actions
from putright.contributions import actions, pages
from putright.contributions.models import Contractor, InformationRequest, PartyKind
from putright.landlords.models import StaffMember, StaffRole
from tests.cast import RESIDENT, Cast, log, make_cast
from tests.test_workspace_support import signed_in

TODAY = date(2025, 6, 16)
ROLES = ("handler", "reviewer", "officer", "manager", "auditor", "stranger", "anonymous")
LOGIN = 302
READ_AT_LANDLORD = (200, 200, 200, 200, 200, 200, LOGIN)
KEEPERS_AT_LANDLORD = (403, 403, 200, 200, 403, 200, LOGIN)
KEEPERS_ON_RECORD = (403, 403, 200, 200, 403, 404, LOGIN)
ASKERS_ON_RECORD = (200, 200, 200, 200, 403, 404, LOGIN)
POST_ONLY = (405,) * 7
INSIGHT = (403, 403, 200, 200, 200, 200, LOGIN)


@dataclass(frozen=True)
class Fixture:
    reference: str
    contractor: int
    request: int


@dataclass(frozen=True)
class Row:
    args: Callable[[Fixture], list[Any]]
    get: tuple[int, ...]


def none(_: Fixture) -> list[Any]:
    return []


PAGES: dict[str, Row] = {
    "contractors": Row(none, READ_AT_LANDLORD),
    "contractor-add": Row(none, KEEPERS_AT_LANDLORD),
    "contractor-edit": Row(lambda f: [f.contractor], KEEPERS_ON_RECORD),
    "contractor-active": Row(lambda f: [f.contractor], POST_ONLY),
    "complaint-contractors": Row(lambda f: [f.reference], ASKERS_ON_RECORD),
    "complaint-contractor-remove": Row(lambda f: [f.reference, f.contractor], POST_ONLY),
    "request-new": Row(lambda f: [f.reference], ASKERS_ON_RECORD),
    "request-answer": Row(lambda f: [f.reference, f.request], ASKERS_ON_RECORD),
    "request-withdraw": Row(lambda f: [f.reference, f.request], ASKERS_ON_RECORD),
    "request-remind": Row(lambda f: [f.reference, f.request], ASKERS_ON_RECORD),
    "insight-contractors": Row(none, INSIGHT),
}

# The API: (method, path, statuses in the order of ROLES less "anonymous", which is always 401).
API: list[tuple[str, str, tuple[int, ...]]] = [
    ("get", "/contractors", (200, 200, 200, 200, 200, 200)),
    ("post", "/contractors", (403, 403, 201, 201, 403, 201)),
    ("patch", "/contractors/{contractor}", (403, 403, 200, 200, 403, 404)),
    ("get", "/complaints/{reference}/information-requests", (200, 200, 200, 200, 200, 404)),
    ("post", "/complaints/{reference}/information-requests", (201, 201, 201, 201, 403, 404)),
    ("post", "/complaints/{reference}/information-requests/{request}/remind", (200, 409, 409, 409, 403, 404)),
    ("post", "/complaints/{reference}/information-requests/{request}/answer", (200, 409, 409, 409, 403, 404)),
    ("post", "/complaints/{reference}/information-requests/{request}/withdraw", (409, 409, 409, 409, 403, 404)),
]
BODIES: dict[str, dict[str, Any]] = {
    "/contractors": {"name": "Added by {role}"},
    "/contractors/{contractor}": {"phone": "01233 000000"},
    "/complaints/{reference}/information-requests": {
        "party_kind": "team",
        "team_name": "Voids",
        "team_email": "voids@example.org",
        "question": "When was the flat inspected?",
    },
    "/complaints/{reference}/information-requests/{request}/remind": {},
    "/complaints/{reference}/information-requests/{request}/answer": {"answer": "It was inspected in May."},
    "/complaints/{reference}/information-requests/{request}/withdraw": {"reason": "No longer needed"},
}


def url_names() -> set[str]:
    return {pattern.name for pattern in pages.urlpatterns if pattern.name}


@time_machine.travel(TODAY, tick=False)
class MatrixTests(TestCase):
    cast: Cast
    fixture: Fixture

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        complaint = log(cls.cast, TODAY)
        firm = actions.add_contractor(cls.cast.officer, actions.ContractorInput(name="Kent Heating", email="k@x.org"))
        asked = actions.send_request(
            complaint,
            cls.cast.handler,
            actions.RequestInput(party_kind=PartyKind.CONTRACTOR, question="What happened?", contractor=firm),
        )
        cls.fixture = Fixture(complaint.reference, firm.pk, asked.pk)

    def client_for(self, role: str) -> Any:
        return self.client if role == "anonymous" else signed_in(getattr(self.cast, role))

    def test_every_page_has_a_row(self) -> None:
        self.assertEqual(url_names(), set(PAGES))

    def test_each_role_gets_the_status_its_row_says(self) -> None:
        from django.urls import reverse

        for name, row in PAGES.items():
            url = reverse(f"contributions:{name}", args=row.args(self.fixture))
            for role, expected in zip(ROLES, row.get, strict=True):
                with self.subTest(page=name, role=role):
                    self.assertEqual(self.client_for(role).get(url).status_code, expected)

    def test_each_role_gets_the_status_its_row_says_from_the_api(self) -> None:
        keys = {role: tokens.issue(getattr(self.cast, role), days=tokens.MAX_DAYS)[1] for role in ROLES[:-1]}
        for method, template, statuses in API:
            for role, expected in zip(ROLES[:-1], statuses, strict=True):
                path = template.format(
                    reference=self.fixture.reference, contractor=self.fixture.contractor, request=self.fixture.request
                )
                body = {
                    k: v.format(role=role) if isinstance(v, str) else v for k, v in BODIES.get(template, {}).items()
                }
                with self.subTest(operation=f"{method.upper()} {template}", role=role):
                    call = getattr(self.client, method)
                    kwargs: dict[str, Any] = {"headers": {"Authorization": f"Bearer {keys[role]}"}}
                    if method != "get":
                        kwargs |= {"data": body, "content_type": "application/json"}
                    response = call(f"/api/v1{path}", **kwargs)
                    self.assertEqual(response.status_code, expected, response.content)
                self.assertEqual(getattr(self.client, method)(f"/api/v1{path}").status_code, 401)

    def test_a_person_with_two_landlords_works_at_one_and_only_reads_at_the_other(self) -> None:
        # Hana handles complaints at Ashford and audits Medway.
        StaffMember.objects.create(user=self.cast.handler, landlord=self.cast.other_landlord, role=StaffRole.AUDITOR)
        medway = complaint_actions.log_complaint(
            self.cast.other_landlord,
            self.cast.stranger,
            resident=RESIDENT,
            channel="phone",
            received_on=TODAY,
            description="The lift has been broken for a month.",
        )
        theirs = actions.add_contractor(
            self.cast.stranger, actions.ContractorInput(name="Medway Roofing", email="r@m.org")
        )
        client = signed_in(self.cast.handler)
        self.assertEqual(
            client.get(f"/staff/complaints/{self.fixture.reference}/information-requests/new/").status_code, 200
        )
        refused = client.get(f"/staff/complaints/{medway.reference}/information-requests/new/")
        self.assertEqual(refused.status_code, 403)
        self.assertIn("Your role (Auditor) is read-only", refused.content.decode())
        posted = client.post(
            f"/staff/complaints/{medway.reference}/information-requests/new/",
            {
                "party_kind": "contractor",
                "contractor": str(theirs.pk),
                "question": "Why?",
                "due_days": "5",
                "submission_key": "k",
            },
        )
        self.assertEqual(posted.status_code, 403)
        self.assertFalse(InformationRequest.objects.filter(complaint=medway).exists())
        self.assertEqual(Contractor.objects.filter(landlord=self.cast.other_landlord).count(), 1)
