"""The access log: who opened a resident's needs, vulnerabilities, safeguarding concerns, contact
restrictions or a confidential complaint; read by complaints officers and managers only."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import time_machine
from django.db import connection
from django.test import Client, TestCase
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from putright import clock
from putright.access_log import AccessKind, record_access
from putright.access_log.models import SensitiveAccess
from putright.api import tokens
from putright.api.models import ApiToken
from putright.complaints import actions
from putright.landlords.models import StaffRole
from tests.cast import acknowledge, log, make_cast, staff
from tests.test_workspace_support import complaint_url, page, signed_in

TODAY = date(2025, 6, 16)  # a Monday
LOG_URL = "/staff/privacy/access-log/"
CSV_URL = "/staff/privacy/access-log/access-log.csv"
REFUSAL = "Only a complaints officer or a manager can read who opened"


def _at(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


@time_machine.travel(TODAY, tick=False)
class WritingTests(TestCase):
    """Each page or API operation that shows a sensitive record writes exactly one row; nothing else does."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cast = cls.cast
        complaint = actions.assign_handler(
            log(cast, date(2025, 6, 9)), cast.officer, handler=cast.handler, conflict_of_interest=False
        )
        cls.complaint = acknowledge(cast, complaint, date(2025, 6, 10))
        person = cls.complaint.person
        cls.adjustment = actions.needs.record_adjustment(person, cast.handler, kind="braille")
        cls.vulnerability = actions.needs.record_vulnerability(
            person,
            cast.handler,
            description="Registered blind",
            disclosed_on=date(2025, 6, 10),
            consent_given=True,
            consent_from="resident",
            consent_how="verbal",
            consent_on=date(2025, 6, 10),
        )
        cls.concern = actions.needs.record_safeguarding(person, cast.handler, seen="Seen at the visit", seen_on=TODAY)
        cls.restriction = actions.propose_restriction(
            cls.complaint,
            cast.handler,
            actions.RestrictionInput(
                behaviour="Swore at staff.",
                evidence="Call log.",
                scope=["written"],
                equality_considerations="Considered.",
                review_on=TODAY + timedelta(days=60),
            ),
        )
        cls.plain = log(cast, date(2025, 6, 11), resident=actions.ResidentDetails(name="Ann Other", email="a@b.org"))
        cls.token = tokens.issue(cast.officer, days=tokens.MAX_DAYS)[1]
        ApiToken.objects.update(last_used_at=clock.now())

    def rows(self) -> list[tuple[int | None, str, str, str]]:
        return list(SensitiveAccess.objects.order_by("id").values_list("user_id", "kind", "object_label", "path"))

    def test_recording_is_one_insert_and_no_read(self) -> None:
        with self.assertNumQueries(1):
            row = record_access(self.cast.manager, self.cast.landlord.pk, "subject-access", "Resident 7", "/x/")
        assert (row.kind, row.object_label, row.user_id) == (
            AccessKind.SUBJECT_ACCESS,
            "Resident 7",
            self.cast.manager.pk,
        )

    def test_each_needs_page_that_shows_a_record_writes_one_row(self) -> None:
        ref = self.complaint.reference
        client = signed_in(self.cast.officer)
        cases = [
            ("workspace:needs-adjustment-change", self.adjustment.pk, AccessKind.NEEDS),
            ("workspace:needs-adjustment-end", self.adjustment.pk, AccessKind.NEEDS),
            ("workspace:needs-vulnerability-change", self.vulnerability.pk, AccessKind.VULNERABILITY),
            ("workspace:needs-vulnerability-end", self.vulnerability.pk, AccessKind.VULNERABILITY),
            ("workspace:needs-safeguarding-update", self.concern.pk, AccessKind.SAFEGUARDING),
            ("workspace:complaint-restriction-decide", self.restriction.pk, AccessKind.RESTRICTION),
        ]
        for name, pk, kind in cases:
            SensitiveAccess.objects.all().delete()
            url = reverse(name, args=[ref, pk])
            assert client.get(url).status_code == 200, name
            assert self.rows() == [(self.cast.officer.pk, kind, ref, url)], name

    def test_sending_a_form_back_and_a_new_record_form_write_nothing(self) -> None:
        client = signed_in(self.cast.officer)
        client.post(reverse("workspace:needs-vulnerability-change", args=[self.complaint.reference, 1]), {})
        client.get(reverse("workspace:needs-vulnerability-new", args=[self.complaint.reference]))
        assert self.rows() == []

    def test_the_complaint_page_writes_one_row_for_each_kind_of_detail_it_shows(self) -> None:
        url = complaint_url(self.complaint)
        signed_in(self.cast.officer).get(url)
        kinds = {row[1] for row in self.rows()}
        assert kinds == {AccessKind.VULNERABILITY, AccessKind.SAFEGUARDING, AccessKind.RESTRICTION}
        assert {row[2] for row in self.rows()} == {self.complaint.reference}

    def test_readers_who_see_no_detail_write_nothing(self) -> None:
        # The auditor reads the complaint but not the detail of the resident's needs or restrictions.
        signed_in(self.cast.auditor).get(complaint_url(self.complaint))
        signed_in(self.cast.officer).get(complaint_url(self.plain))
        signed_in(self.cast.officer).get(reverse("workspace:team-work"))
        assert self.rows() == []

    def test_the_api_writes_one_row_where_it_shows_a_record(self) -> None:
        client = Client(headers={"Authorization": f"Bearer {self.token}"})
        person = self.complaint.person_id
        assert client.get(f"/api/v1/residents/{person}/needs").status_code == 200
        assert self.rows() == [
            (self.cast.officer.pk, AccessKind.NEEDS, f"Resident {person}", f"/api/v1/residents/{person}/needs")
        ]
        SensitiveAccess.objects.all().delete()
        path = f"/api/v1/complaints/{self.complaint.reference}/restrictions"
        assert client.get(path).status_code == 200
        assert self.rows() == [(self.cast.officer.pk, AccessKind.RESTRICTION, self.complaint.reference, path)]
        SensitiveAccess.objects.all().delete()
        client.get(f"/api/v1/complaints/{self.plain.reference}")
        assert self.rows() == []
        actions.set_confidentiality(self.plain, self.cast.manager, confidential=True, reason="A sensitive matter")
        path = f"/api/v1/complaints/{self.plain.reference}"
        assert client.get(path).status_code == 200
        assert self.rows() == [(self.cast.officer.pk, AccessKind.CONFIDENTIAL_COMPLAINT, self.plain.reference, path)]

    def test_an_api_change_that_answers_with_a_restrictions_detail_writes_one_row(self) -> None:
        client = Client(headers={"Authorization": f"Bearer {self.token}"})
        path = f"/api/v1/complaints/{self.complaint.reference}/restrictions/{self.restriction.pk}/decision"
        with CaptureQueriesContext(connection) as done:
            decided = client.post(path, {"approve": True}, content_type="application/json")
        assert decided.status_code == 200, decided.json()
        assert decided.json()["detail"] is True and decided.json()["behaviour"] == "Swore at staff."
        inserts = [
            q["sql"] for q in done.captured_queries if q["sql"].startswith("INSERT") and "access_log" in q["sql"]
        ]
        assert len(inserts) == 1
        assert self.rows() == [(self.cast.officer.pk, AccessKind.RESTRICTION, self.complaint.reference, path)]
        assert SensitiveAccess.objects.get().object_id == self.restriction.pk

    def test_an_api_change_whose_answer_holds_no_detail_writes_nothing(self) -> None:
        # Rita, a stage 2 reviewer, may propose a restriction but is not working the complaint: the
        # answer leaves out the behaviour, evidence and considerations, so nothing was shown.
        token = tokens.issue(self.cast.reviewer, days=tokens.MAX_DAYS)[1]
        client = Client(headers={"Authorization": f"Bearer {token}"})
        proposal = {
            "behaviour": "Shouted at the visit.",
            "evidence": "Visit notes.",
            "scope": ["written"],
            "equality_considerations": "Considered.",
            "review_on": (TODAY + timedelta(days=60)).isoformat(),
        }
        proposed = client.post(
            f"/api/v1/complaints/{self.complaint.reference}/restrictions", proposal, content_type="application/json"
        )
        assert proposed.status_code == 201, proposed.json()
        assert proposed.json()["detail"] is False and proposed.json()["behaviour"] is None
        assert self.rows() == []

    def test_a_refused_reader_writes_nothing(self) -> None:
        url = reverse("workspace:needs-vulnerability-change", args=[self.complaint.reference, self.vulnerability.pk])
        assert signed_in(self.cast.reviewer).get(url).status_code == 403
        assert signed_in(self.cast.stranger).get(url).status_code == 404
        assert self.rows() == []


@time_machine.travel(TODAY, tick=False)
class ReadingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.member = staff("mo.member", cls.cast.landlord, StaffRole.MEMBER)
        landlord = cls.cast.landlord.pk
        rows = [
            (cls.cast.handler, AccessKind.VULNERABILITY, "ASH-2025-00001", _at(date(2025, 6, 2))),
            (cls.cast.officer, AccessKind.CONFIDENTIAL_COMPLAINT, "ASH-2025-00002", _at(date(2025, 6, 9))),
            (cls.cast.handler, AccessKind.RESTRICTION, "ASH-2025-00001", _at(date(2025, 6, 12))),
            (cls.cast.manager, AccessKind.NEEDS, "Resident 4", _at(date(2025, 6, 13))),
        ]
        for user, kind, label, at in rows:
            with clock.moved_to(at):
                record_access(user, landlord, kind, label, f"/staff/complaints/{label}/")
        with clock.moved_to(_at(date(2025, 6, 13), 11)):
            record_access(cls.cast.stranger, cls.cast.other_landlord.pk, AccessKind.NEEDS, "MED-2025-00001", "/x/")
        cls.tokens = {
            name: tokens.issue(getattr(cls.cast, name), days=tokens.MAX_DAYS)[1]
            for name in ("handler", "reviewer", "officer", "manager", "auditor", "stranger")
        }
        ApiToken.objects.update(last_used_at=clock.now())

    def labels(self, response: object, *, api: bool = False) -> list[str]:
        if api:
            return [item["record"] for item in response.json()["items"]]  # type: ignore[attr-defined]
        body = page(response).split('<tbody class="govuk-table__body">', 1)[-1]
        return [cell.split("</td>", 1)[0] for cell in body.split('<td class="govuk-table__cell">')[4::5]]

    def test_the_page_lists_the_landlords_log_newest_first(self) -> None:
        response = signed_in(self.cast.officer).get(LOG_URL)
        assert response.status_code == 200
        assert self.labels(response) == ["Resident 4", "ASH-2025-00001", "ASH-2025-00002", "ASH-2025-00001"]
        assert "MED-2025-00001" not in page(response)

    def test_filters_by_who_what_when_and_which_record(self) -> None:
        client = signed_in(self.cast.manager)
        by_user = client.get(LOG_URL, {"user": str(self.cast.handler.pk)})
        assert self.labels(by_user) == ["ASH-2025-00001", "ASH-2025-00001"]
        assert self.labels(client.get(LOG_URL, {"kind": "confidential"})) == ["ASH-2025-00002"]
        dates = {
            "since_0": "9",
            "since_1": "6",
            "since_2": "2025",
            "until_0": "12",
            "until_1": "June",
            "until_2": "2025",
        }
        assert self.labels(client.get(LOG_URL, dates)) == ["ASH-2025-00001", "ASH-2025-00002"]
        assert self.labels(client.get(LOG_URL, {"record": "ash-2025-00001"})) == ["ASH-2025-00001", "ASH-2025-00001"]
        assert self.labels(client.get(LOG_URL, {"record": "resident 4"})) == ["Resident 4"]
        assert "Nothing in the log matches these filters" in page(client.get(LOG_URL, {"record": "ASH-1999-00009"}))

    def test_bad_filters_get_a_clear_error_not_rows(self) -> None:
        client = signed_in(self.cast.manager)
        backwards = {
            "since_0": "12",
            "since_1": "6",
            "since_2": "2025",
            "until_0": "9",
            "until_1": "6",
            "until_2": "2025",
        }
        shown = page(client.get(LOG_URL, backwards))
        assert "The last day must be the same as or after the first day" in shown
        assert "ASH-2025-00001" not in shown
        assert "Select a member of staff" in page(client.get(LOG_URL, {"user": str(self.cast.stranger.pk)}))
        assert client.get(CSV_URL, backwards).status_code == 400

    def test_pages_cost_the_same_queries_however_long_the_log(self) -> None:
        client = signed_in(self.cast.officer)
        client.get(LOG_URL)
        with self.assertNumQueries(5) as few:  # the session, the user, their place, the staff to filter by, the rows
            client.get(LOG_URL)
        for n in range(120):
            record_access(self.cast.handler, self.cast.landlord.pk, AccessKind.NEEDS, f"Resident {n}", "/x/")
        with self.assertNumQueries(len(few.captured_queries)):
            first = client.get(LOG_URL)
        assert self.labels(first)[0] == "Resident 119" and len(self.labels(first)) == 50
        second = client.get(LOG_URL, {"page": "3"})
        assert len(self.labels(second)) == 24 and "Previous page" in page(second) and "Next page" not in page(second)

    def test_the_csv_is_streamed_with_the_filters_and_no_formula_can_run(self) -> None:
        record_access(self.cast.officer, self.cast.landlord.pk, AccessKind.NEEDS, "=HYPERLINK(1)", "/x/")
        response = signed_in(self.cast.officer).get(CSV_URL, {"kind": "needs"})
        assert response.status_code == 200 and response.streaming
        assert response["Content-Type"] == "text/csv"
        lines = b"".join(response.streaming_content).decode().splitlines()
        assert lines[0] == "When,Username,Name,What,Record,Record id,Page or API path"
        assert [line.split(",")[4] for line in lines[1:]] == ["'=HYPERLINK(1)", "Resident 4"]
        assert "MED-2025-00001" not in "\n".join(lines)

    def test_who_may_open_the_page_and_the_csv(self) -> None:
        expected = {
            "handler": 403,
            "reviewer": 403,
            "auditor": 403,
            "member": 403,
            "officer": 200,
            "manager": 200,
            "stranger": 200,
        }
        for who, status in expected.items():
            user = self.member if who == "member" else getattr(self.cast, who)
            client = signed_in(user)
            for url in (LOG_URL, CSV_URL):
                response = client.get(url)
                assert response.status_code == status, (who, url)
                if status == 403 and who != "member":
                    assert REFUSAL in page(response), who
        stranger = signed_in(self.cast.stranger).get(LOG_URL)
        assert self.labels(stranger) == ["MED-2025-00001"]
        assert Client().get(LOG_URL).status_code == 302

    def test_the_api_answers_the_same_people_with_the_same_rows(self) -> None:
        def get(who: str, **query: object) -> object:
            headers = {"Authorization": f"Bearer {self.tokens[who]}"} if who else {}
            return self.client.get("/api/v1/access-log", query, headers=headers)

        for who in ("handler", "reviewer", "auditor"):
            refused = get(who)
            assert refused.status_code == 403 and refused.json()["detail"].startswith(REFUSAL), who  # type: ignore[attr-defined]
        assert get("").status_code == 401  # type: ignore[attr-defined]
        assert self.labels(get("stranger"), api=True) == ["MED-2025-00001"]
        listed = get("manager", limit=2)
        assert self.labels(listed, api=True) == ["Resident 4", "ASH-2025-00001"]
        more = get("manager", limit=2, cursor=listed.json()["next_cursor"])  # type: ignore[attr-defined]
        assert self.labels(more, api=True) == ["ASH-2025-00002", "ASH-2025-00001"]
        assert more.json()["next_cursor"] is None  # type: ignore[attr-defined]
        item = listed.json()["items"][0]  # type: ignore[attr-defined]
        assert (item["user"], item["kind"], item["path"]) == ("mei.manager", "needs", "/staff/complaints/Resident 4/")
        assert self.labels(get("officer", user="hana.handler", kind="restriction"), api=True) == ["ASH-2025-00001"]
        dated = get("officer", since="2025-06-09", until="2025-06-12")
        assert self.labels(dated, api=True) == ["ASH-2025-00001", "ASH-2025-00002"]
        assert get("officer", user="sam.stranger").status_code == 422  # type: ignore[attr-defined]
        assert get("officer", since="2025-06-12", until="2025-06-09").status_code == 422  # type: ignore[attr-defined]
        assert get("officer", cursor="nonsense").status_code == 422  # type: ignore[attr-defined]
        assert get("officer", kind="everything").status_code == 422  # type: ignore[attr-defined]

    def test_an_api_list_costs_the_same_queries_however_long_the_log(self) -> None:
        headers = {"Authorization": f"Bearer {self.tokens['officer']}"}
        with self.assertNumQueries(3) as few:  # the token with its user; their places; the rows with their users
            self.client.get("/api/v1/access-log", headers=headers)
        for n in range(60):
            record_access(self.cast.handler, self.cast.landlord.pk, AccessKind.NEEDS, f"Resident {n}", "/x/")
        with self.assertNumQueries(len(few.captured_queries)):
            self.client.get("/api/v1/access-log", headers=headers)


@time_machine.travel(TODAY, tick=False)
class ConfidentialOpeningTests(TestCase):
    def test_opening_a_confidential_complaint_is_logged_for_every_reader(self) -> None:
        cast = make_cast()
        complaint = log(cast, date(2025, 6, 9), about_staff=cast.other_handler)
        for who in ("officer", "manager", "auditor", "handler"):
            signed_in(getattr(cast, who)).get(complaint_url(complaint))
        got = list(SensitiveAccess.objects.values_list("user__username", "kind"))
        assert sorted(got) == sorted(
            (name, AccessKind.CONFIDENTIAL_COMPLAINT) for name in ("olu.officer", "mei.manager", "aziz.auditor")
        )  # Hana logged it but does not work it: she cannot open it, so nothing was shown to her
        assert signed_in(cast.handler).get(complaint_url(complaint)).status_code == 404
