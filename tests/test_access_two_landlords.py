"""People who work for two landlords (a managing agent's staff, issue 19): every workspace page and every API
operation answers them exactly as their role at the record's own landlord says, whichever landlord they act for.

The workspace's table of who may open what (tests/test_workspace_access_matrix.py) is the expectation:
- Hana handles complaints at Ashford and audits Medway. Acting for Ashford, every page answers her as it
  answers Ashford's handler.
- Aziz audits Ashford and manages Medway. Acting for Medway, a page about one of Ashford's records answers him
  as Ashford's auditor (read only, never the manager's steps), and a page of the landlord he acts for answers
  him as Medway's manager.

The API has no table of its own, so each operation's answer to a person with two landlords is compared with
its answer to the same role at one landlord: the same status, whatever the call changes or refuses.
"""

from __future__ import annotations

import html
import re
from typing import Any

import time_machine
from django.contrib.auth.models import User
from django.db import transaction
from django.test import Client, TestCase
from django.urls import reverse

from putright import clock
from putright.api import tokens
from putright.api.main import api
from putright.api.models import ApiToken
from putright.complaints import access, actions
from putright.complaints.errors import NotPermitted
from putright.landlords.models import StaffMember, StaffRole
from putright.ombudsman.models import OmbudsmanCase
from putright.web.authorise import ACTING_FOR
from tests.cast import RESIDENT, Cast, make_cast, staff
from tests.test_workspace_access_matrix import (
    CHANGE,
    LOGIN,
    MATRIX,
    ROLES,
    STALE,
    TODAY,
    Fixture,
    build,
)
from tests.test_workspace_support import page, signed_in

HANDLER, AUDITOR, OTHER_MANAGER = ROLES.index("handler"), ROLES.index("auditor"), ROLES.index("other_manager")


def outcome(response: Any, want: int | str) -> str | None:
    """What is wrong with `response` against one cell of the matrix, or None."""
    got = response.status_code
    if want == LOGIN:
        return None if got == 302 and response["Location"].startswith("/staff/sign-in/") else f"{got}, not sign-in"
    if want == CHANGE:
        ok = got in (200, 302) and not response.get("Location", "").startswith("/staff/sign-in/")
        return None if ok else f"{got}, not the form or a redirect"
    return None if got == want else f"{got}, not {want}"


@time_machine.travel(TODAY, tick=False)
class TwoLandlordPageTests(TestCase):
    cast: Cast
    other_manager: User
    fixture: Fixture

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.other_manager = staff("max.manager", cls.cast.other_landlord, StaffRole.MANAGER)
        cls.fixture = build(cls.cast)
        medway = cls.cast.other_landlord
        StaffMember.objects.create(user=cls.cast.handler, landlord=medway, role=StaffRole.AUDITOR)
        StaffMember.objects.create(user=cls.cast.auditor, landlord=medway, role=StaffRole.MANAGER)

    def acting_for_medway(self, user: User) -> Client:
        client = signed_in(user)
        session = client.session
        session[ACTING_FOR] = self.cast.other_landlord.pk
        session.save()
        return client

    def test_hana_acting_for_ashford_is_answered_as_ashfords_handler_on_every_page(self) -> None:
        client = signed_in(self.cast.handler)
        problems = []
        for name, row in MATRIX.items():
            url = reverse(f"workspace:{name}", args=row.args(self.fixture))
            for method, expected in (("GET", row.get), ("POST", row.post)):
                if expected is None:
                    continue
                response = client.get(url) if method == "GET" else client.post(url, STALE)
                wrong = outcome(response, expected[HANDLER])
                if wrong:
                    problems.append(f"{method} {url}: {wrong}")
        assert not problems, "\n".join(problems)

    def test_aziz_acting_for_medway_reads_ashfords_records_as_its_auditor_and_no_more(self) -> None:
        client = self.acting_for_medway(self.cast.auditor)
        problems = []
        for name, row in MATRIX.items():
            url = reverse(f"workspace:{name}", args=row.args(self.fixture))
            for method, expected in (("GET", row.get), ("POST", row.post)):
                if expected is None:
                    continue
                # A record of Ashford's is a 404 to Medway's own manager: for Aziz it is Ashford's auditor's answer.
                # Anything else belongs to the landlord he acts for, Medway, where he is its manager.
                record = expected[OTHER_MANAGER] == 404 and name not in OF_THE_LANDLORD_ACTED_FOR
                want = expected[AUDITOR] if record else expected[OTHER_MANAGER]
                response = client.get(url) if method == "GET" else client.post(url, STALE)
                wrong = outcome(response, want)
                if wrong:
                    problems.append(f"{method} {url} ({'Ashford record' if record else 'Medway'}): {wrong}")
                elif record and response.status_code == 403 and row.auditor_reason not in html.unescape(page(response)):
                    problems.append(f"{method} {url}: the 403 does not say {row.auditor_reason!r}")
        assert not problems, "\n".join(problems)

    def test_one_list_shows_both_landlords_work_with_the_landlord_on_each_row_and_a_filter(self) -> None:
        theirs = actions.log_complaint(
            self.cast.other_landlord,
            self.cast.stranger,
            resident=RESIDENT,
            channel="phone",
            received_on=TODAY,
            description="Medway's own complaint.",
        )
        client = signed_in(self.cast.handler)
        team = page(client.get("/staff/team/"))
        assert self.fixture.complaint.reference in team and theirs.reference in team
        assert '<th scope="col" class="govuk-table__header">Landlord</th>' in team
        assert "Medway Council" in team and "Ashford Borough Council" in team
        only_medway = page(client.get("/staff/team/", {"landlord": self.cast.other_landlord.pk}))
        assert theirs.reference in only_medway and self.fixture.complaint.reference not in only_medway
        # Hana audits Medway: its complaint's page says so and offers her no step.
        record = page(client.get(f"/staff/complaints/{theirs.reference}/"))
        assert re.search(r"Acting for <strong>Medway Council</strong> as Auditor", record)
        refused = client.post(f"/staff/complaints/{theirs.reference}/acknowledge/", STALE)
        assert refused.status_code == 403
        assert "read-only" in html.unescape(page(refused))
        # A single-landlord person sees no landlord column and no landlord filter.
        single = page(signed_in(self.cast.officer).get("/staff/team/"))
        assert "All your landlords" not in single and ">Landlord</th>" not in single

    def test_the_acting_for_choice_is_one_of_their_own_landlords(self) -> None:
        client = signed_in(self.cast.handler)
        home = page(client.get("/staff/"))
        assert re.search(r"Acting for <strong>Ashford Borough Council</strong> as Complaint handler", home)
        moved = client.post("/staff/acting-for/", {"landlord": self.cast.other_landlord.pk, "next": "/staff/team/"})
        assert moved.status_code == 302 and moved["Location"] == "/staff/team/"
        assert re.search(r"Acting for <strong>Medway Council</strong> as Auditor", page(client.get("/staff/team/")))
        refused = client.post("/staff/acting-for/", {"landlord": "999999"})
        assert refused.status_code == 403
        assert "Choose one of the landlords you work for" in page(refused)
        # Never sent off the site.
        away = client.post("/staff/acting-for/", {"landlord": self.cast.landlord.pk, "next": "https://example.com/"})
        assert away["Location"] == "/staff/"

    def test_domain_actions_authorise_by_the_complaints_own_landlord(self) -> None:
        theirs = actions.log_complaint(
            self.cast.other_landlord,
            self.cast.stranger,
            resident=RESIDENT,
            channel="phone",
            received_on=TODAY,
            description="Medway's own complaint.",
        )
        hana = User.objects.get(pk=self.cast.handler.pk)
        access.act_for(hana, self.cast.landlord.pk)  # acting for Ashford, where she handles complaints
        with self.assertRaises(NotPermitted) as refused:
            actions.assign_handler(theirs, hana, handler=hana, conflict_of_interest=False)
        assert "read-only" in refused.exception.message
        assert access.staff_of(hana, self.cast.other_landlord.pk).role == StaffRole.AUDITOR  # type: ignore[union-attr]
        assert not access.can(access.staff_of(hana), access.Capability.WORK, theirs)  # type: ignore[arg-type]


# Pages that belong to the landlord acted for, though they name a record: a colleague's sign-in (the colleague
# must work there), a message in that landlord's outbox and one of its own service areas. Another landlord's is a
# 404 there, as it is to anyone who does not work for it.
OF_THE_LANDLORD_ACTED_FOR = {"colleague-second-factor-reset", "outbox-retry", "service-area-change"}
# In the API: the landlord's data protection work (rights requests, retention) and its governance (the action
# plan, the Code notices) are those of the landlord acted for.
API_OF_THE_LANDLORD_ACTED_FOR = (
    "/api/v1/privacy/",
    "/api/v1/retention/",
    "/api/v1/action-plan",
    "/api/v1/compliance-notices",
    "/api/v1/governance/",
)


# -- the API --------------------------------------------------------------------------------------------


def operations() -> list[tuple[str, str]]:
    schema = api.get_openapi_schema()
    return [
        (method.upper(), path)
        for path, methods in schema["paths"].items()
        for method in methods
        if method in ("get", "post", "put", "patch", "delete")
    ]


class Rollback(Exception):
    pass


@time_machine.travel(TODAY, tick=False)
class TwoLandlordApiTests(TestCase):
    """Every operation, called with an empty body by a person with two landlords and by the same role at one."""

    cast: Cast
    fixture: Fixture
    max: User
    mia: User
    secrets: dict[int, str]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.fixture = build(cls.cast)
        cls.max = staff("max.manager", cls.cast.other_landlord, StaffRole.MANAGER)
        cls.mia = staff("mia.auditor", cls.cast.other_landlord, StaffRole.AUDITOR)
        cls.secrets = {
            user.pk: tokens.issue(user)[1]
            for user in (cls.cast.handler, cls.cast.auditor, cls.max, cls.mia, cls.cast.stranger)
        }
        ApiToken.objects.update(last_used_at=clock.now())

    def fill(self, path: str) -> str:
        case = OmbudsmanCase.objects.get(complaint=self.fixture.responded)
        values = {
            "reference": self.fixture.complaint.reference,
            "case_id": str(case.pk),
            "remedy_id": str(self.fixture.remedy.pk),
            "action_id": str(self.fixture.action.pk),
            "letter_id": str(self.fixture.letter.pk),
        }
        return "/api/v1" + re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "999999"), path).removeprefix(
            "/api/v1"
        )

    def answers(self, user: User, landlord: str = "") -> dict[tuple[str, str], int]:
        """Each operation's status for `user`, each call undone afterwards, so every call sees the same records."""
        headers = {"Authorization": f"Bearer {self.secrets[user.pk]}"}
        if landlord:
            headers["Putright-Landlord"] = landlord
        got: dict[tuple[str, str], int] = {}
        client = Client()
        for method, path in operations():
            url = self.fill(path)
            try:
                with transaction.atomic():
                    response = client.generic(method, url, b"{}", "application/json", headers=headers)
                    got[(method, path)] = response.status_code
                    raise Rollback
            except Rollback:
                pass
        return got

    def test_every_operation_answers_hana_with_two_landlords_as_it_answers_her_with_one(self) -> None:
        alone = self.answers(self.cast.handler)
        StaffMember.objects.create(user=self.cast.handler, landlord=self.cast.other_landlord, role=StaffRole.AUDITOR)
        both = self.answers(self.cast.handler)
        differ = {op: (alone[op], both[op]) for op in alone if alone[op] != both[op]}
        assert not differ, differ
        assert len(alone) >= 60  # every operation was called
        assert {200, 403, 422} <= set(alone.values()), "the calls reached the operations, not only 404s"

    def test_every_operation_answers_aziz_acting_for_medway_as_ashfords_auditor_or_medways_manager(self) -> None:
        as_auditor = self.answers(self.cast.auditor)
        as_manager = self.answers(self.max)
        StaffMember.objects.create(user=self.cast.auditor, landlord=self.cast.other_landlord, role=StaffRole.MANAGER)
        both = self.answers(self.cast.auditor, landlord="medway")
        problems = []
        for op, status in both.items():
            # A call about one of Ashford's records answers as Ashford's auditor; anything else as Medway's manager.
            about_a_record = (
                as_manager[op] == 404 and as_auditor[op] != 404 and not op[1].startswith(API_OF_THE_LANDLORD_ACTED_FOR)
            )
            want = as_auditor[op] if about_a_record else as_manager[op]
            if status != want:
                problems.append(f"{op}: {status}, not {want} ({'Ashford record' if about_a_record else 'Medway'})")
        assert not problems, "\n".join(problems)

    def test_hana_acting_for_medway_is_answered_on_ashfords_records_as_ashfords_handler(self) -> None:
        as_handler = self.answers(self.cast.handler)
        as_medway_auditor = self.answers(self.mia)
        StaffMember.objects.create(user=self.cast.handler, landlord=self.cast.other_landlord, role=StaffRole.AUDITOR)
        both = self.answers(self.cast.handler, landlord="medway")
        problems = []
        for op, status in both.items():
            about_a_record = (
                as_medway_auditor[op] == 404
                and as_handler[op] != 404
                and not op[1].startswith(API_OF_THE_LANDLORD_ACTED_FOR)
            )
            want = as_handler[op] if about_a_record else as_medway_auditor[op]
            if status != want:
                problems.append(f"{op}: {status}, not {want} ({'Ashford record' if about_a_record else 'Medway'})")
        assert not problems, "\n".join(problems)

    def test_who_a_confidential_complaint_is_about_follows_the_role_at_its_landlord_not_the_one_acted_for(
        self,
    ) -> None:
        about_omar = actions.log_complaint(
            self.cast.landlord,
            self.cast.officer,
            resident=RESIDENT,
            channel="phone",
            received_on=TODAY,
            description="Omar was rude on the phone.",
            about_staff=self.cast.other_handler,
        )
        StaffMember.objects.create(user=self.cast.auditor, landlord=self.cast.other_landlord, role=StaffRole.MANAGER)
        headers = {"Authorization": f"Bearer {self.secrets[self.cast.auditor.pk]}", "Putright-Landlord": "medway"}
        read = Client().get(f"/api/v1/complaints/{about_omar.reference}", headers=headers)
        assert read.status_code == 200, read.status_code
        # Ashford's auditor is not told who it is about, though Aziz manages Medway and acts for it.
        assert read.json()["about_staff"] is None
        officer = Client().get(
            f"/api/v1/complaints/{about_omar.reference}",
            headers={"Authorization": f"Bearer {tokens.issue(self.cast.officer)[1]}", "Putright-Landlord": "ashford"},
        )
        assert officer.json()["about_staff"] == "omar.handler"

    def test_a_landlord_header_naming_a_landlord_they_do_not_work_for_is_refused(self) -> None:
        response = Client().get(
            "/api/v1/complaints",
            headers={"Authorization": f"Bearer {self.secrets[self.cast.handler.pk]}", "Putright-Landlord": "medway"},
        )
        assert response.status_code == 403
        assert "You do not work for a landlord called 'medway'" in response.json()["detail"]
        StaffMember.objects.create(user=self.cast.handler, landlord=self.cast.other_landlord, role=StaffRole.AUDITOR)
        listed = Client().get(
            "/api/v1/complaints",
            {"landlord": "medway"},
            headers={"Authorization": f"Bearer {self.secrets[self.cast.handler.pk]}"},
        )
        assert listed.status_code == 200
        assert all(item["landlord"] == "medway" for item in listed.json()["items"])
        wrong = Client().get(
            "/api/v1/complaints",
            {"landlord": "nowhere"},
            headers={"Authorization": f"Bearer {self.secrets[self.cast.handler.pk]}"},
        )
        assert wrong.status_code == 422

    def test_places_lists_each_landlord_with_the_role_there_and_which_one_the_call_acts_for(self) -> None:
        StaffMember.objects.create(user=self.cast.handler, landlord=self.cast.other_landlord, role=StaffRole.AUDITOR)
        token = {"Authorization": f"Bearer {self.secrets[self.cast.handler.pk]}"}
        default = Client().get("/api/v1/places", headers=token).json()
        assert [(p["landlord"], p["role"], p["acting"]) for p in default] == [
            ("ashford", "handler", True),
            ("medway", "auditor", False),
        ]
        chosen = Client().get("/api/v1/places", headers={**token, "Putright-Landlord": "medway"}).json()
        assert [p["landlord"] for p in chosen if p["acting"]] == ["medway"]
