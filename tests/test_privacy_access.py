"""Who may see and act on residents' data protection requests, on every page and API operation: the
complaints officer and managers act, the auditor reads (but does not download the copy of a
resident's data), handlers, stage 2 reviewers and the Member Responsible for Complaints are refused
with a sentence, and staff of another landlord find nothing (404)."""

from __future__ import annotations

from datetime import date
from html import unescape

from django.contrib.auth.models import User

from putright import clock
from putright.api import tokens
from putright.api.models import ApiToken
from putright.landlords.models import StaffRole
from putright.people.models import Person
from putright.privacy import actions, tasks
from putright.privacy.access import ACT, DOWNLOAD, NOT_FOR_CASEWORK
from putright.privacy.models import RightsRequest
from tests.cast import log, staff
from tests.test_api_auth import ApiTestCase
from tests.test_workspace_support import page as raw_page
from tests.test_workspace_support import signed_in


def page(response: object) -> str:
    return unescape(raw_page(response))


TODAY = date(2025, 3, 3)  # ApiTestCase's day
INSIGHT_ONLY = "Your role (Member Responsible for Complaints) lets you read"


class AccessMatrixTests(ApiTestCase):
    member: User
    person: Person
    access_request: RightsRequest
    restriction: RightsRequest
    erasure: RightsRequest

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.member = staff("mia.member", cls.cast.landlord, StaffRole.MEMBER)
        cls.token["member"] = tokens.issue(cls.member, days=tokens.MAX_DAYS)[1]
        ApiToken.objects.update(last_used_at=clock.now())
        cls.person = log(cls.cast, date(2025, 2, 24)).person
        cls.access_request = actions.record_request(cls.person, cls.cast.officer, kind="access", received_on=TODAY)
        export = actions.complete_access(cls.access_request, cls.cast.officer)
        tasks.build_export.call(export.pk)
        cls.restriction = actions.decide_restriction(
            actions.record_request(cls.person, cls.cast.officer, kind="restriction", received_on=TODAY),
            cls.cast.officer,
            restrict=True,
        )
        cls.erasure = actions.record_request(cls.person, cls.cast.officer, kind="erasure", received_on=TODAY)

    # -- pages ---------------------------------------------------------------------------------------

    def reads(self) -> list[str]:
        base = f"/staff/privacy/requests/{self.access_request.pk}/"
        return ["/staff/privacy/requests/", base, f"/staff/privacy/requests/{self.erasure.pk}/"]

    def writes(self) -> list[tuple[str, dict[str, str]]]:
        erasure = f"/staff/privacy/requests/{self.erasure.pk}/"
        return [
            ("/staff/privacy/requests/new/?q=Rosa", {}),  # GET: finding a resident is the first step of recording
            (f"/staff/privacy/requests/new/{self.person.pk}/", {"kind": "access", "once": "x"}),
            (erasure + "extend/", {"extend-reason": "Complex"}),
            (erasure + "refuse/", {"refuse-reason": "Unfounded"}),
            (erasure + "erasure/", {"erasure-lawful_reason": "A legal claim"}),
            (f"/staff/privacy/requests/{self.restriction.pk}/lift/", {"lift-reason": "Accurate"}),
            (f"/staff/privacy/requests/{self.restriction.pk}/restriction/", {"restriction-restrict": "yes"}),
            (f"/staff/privacy/requests/new/{self.person.pk}/", {}),  # GET: the form to record one
            (f"/staff/privacy/requests/{self.access_request.pk}/exports/new/", {}),
        ]

    def download(self) -> str:
        return f"/staff/privacy/requests/{self.access_request.pk}/exports/1/download/"

    def test_handlers_reviewers_and_the_member_are_refused_every_page_with_a_sentence(self) -> None:
        for user, sentence in (
            (self.cast.handler, NOT_FOR_CASEWORK),
            (self.cast.reviewer, NOT_FOR_CASEWORK),
            (self.member, INSIGHT_ONLY),
        ):
            client = signed_in(user)
            for url in [*self.reads(), self.download()]:
                response = client.get(url)
                assert response.status_code == 403, (user, url)
                assert sentence in page(response), (user, url)
            for url, data in self.writes():
                response = client.post(url, data) if data or "exports" in url else client.get(url)
                assert response.status_code == 403, (user, url)
        self.assert_unchanged()

    def test_the_auditor_reads_but_neither_acts_nor_downloads(self) -> None:
        auditor = signed_in(self.cast.auditor)
        for url in self.reads():
            shown = page(auditor.get(url))
            assert "Rosa Resident" in shown and "Record a request" not in shown and "Decide" not in shown, url
        for url, data in self.writes():
            response = auditor.post(url, data) if data or "exports" in url else auditor.get(url)
            assert response.status_code == 403, url
            assert "read-only" in page(response) or ACT in page(response), url
        response = auditor.get(self.download())
        assert response.status_code == 403 and DOWNLOAD in page(response)
        self.assert_unchanged()

    def test_another_landlords_staff_find_nothing(self) -> None:
        stranger = signed_in(self.cast.stranger)
        assert "Rosa Resident" not in page(stranger.get("/staff/privacy/requests/"))
        assert "Rosa Resident" not in page(stranger.get("/staff/privacy/requests/new/?q=Rosa"))
        for url in [*self.reads()[1:], self.download()]:
            assert stranger.get(url).status_code == 404, url
        for url, data in self.writes()[1:]:
            assert stranger.post(url, data).status_code == 404, url
        self.assert_unchanged()

    def test_the_officer_and_managers_act_and_download(self) -> None:
        for user in (self.cast.officer, self.cast.manager):
            client = signed_in(user)
            for url in self.reads():
                assert client.get(url).status_code == 200, url
            response = client.get(self.download())
            assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        officer = signed_in(self.cast.officer)
        url, data = self.writes()[4]
        assert officer.post(url, data).status_code == 302
        assert RightsRequest.objects.get(pk=self.erasure.pk).state == "refused"

    def assert_unchanged(self) -> None:
        assert RightsRequest.objects.count() == 3
        assert RightsRequest.objects.get(pk=self.erasure.pk).state == "open"
        assert RightsRequest.objects.get(pk=self.restriction.pk).restricted_until is None
        assert self.access_request.exports.count() == 1

    # -- API -----------------------------------------------------------------------------------------

    def api_calls(self) -> list[tuple[str, str, dict[str, object] | None]]:
        erasure = f"/privacy/requests/{self.erasure.pk}"
        return [
            ("get", "/privacy/requests", None),
            ("get", erasure, None),
            ("post", "/privacy/requests", {"person_id": self.person.pk, "kind": "access", "received_on": "2025-03-03"}),
            ("post", erasure + "/extension", {"reason": "Complex"}),
            ("post", erasure + "/decision", {"carry_out": False, "reason": "A legal claim"}),
            ("post", f"/privacy/requests/{self.restriction.pk}/lift", {"reason": "Accurate"}),
            ("get", f"/privacy/requests/{self.access_request.pk}/export", None),
        ]

    def call(self, method: str, path: str, data: dict[str, object] | None, as_: str) -> object:
        return self.get(path, as_=as_) if method == "get" else self.post(path, data, as_=as_)

    def test_the_api_refuses_handlers_reviewers_and_the_member_and_hides_requests_from_other_landlords(self) -> None:
        for who, sentence in (("handler", NOT_FOR_CASEWORK), ("reviewer", NOT_FOR_CASEWORK), ("member", INSIGHT_ONLY)):
            for method, path, data in self.api_calls():
                response = self.call(method, path, data, who)
                assert response.status_code == 403, (who, path)  # type: ignore[attr-defined]
                assert sentence in response.json()["detail"], (who, path)  # type: ignore[attr-defined]
        for method, path, data in self.api_calls()[1:]:
            response = self.call(method, path, data, "stranger")
            expected = 422 if path == "/privacy/requests" else 404
            assert response.status_code == expected, path  # type: ignore[attr-defined]
        assert self.get("/privacy/requests", as_="stranger").json()["items"] == []
        self.assert_unchanged()

    def test_the_api_lets_the_auditor_read_only(self) -> None:
        for method, path, data in self.api_calls():
            response = self.call(method, path, data, "auditor")
            assert response.status_code == (200 if method == "get" and "export" not in path else 403), path  # type: ignore[attr-defined]
        self.assert_unchanged()

    def test_the_api_list_costs_the_same_however_many_requests(self) -> None:
        with self.assertNumQueries(3):
            first = self.get("/privacy/requests", as_="officer").json()
        assert [item["kind"] for item in first["items"]] == ["erasure", "restriction", "access"]
        for number in range(3):
            other = Person.objects.create(landlord=self.cast.landlord, name=f"Resident {number}")
            log(self.cast, date(2025, 2, 25), resident=other)
            actions.record_request(other, self.cast.officer, kind="access", received_on=TODAY)
        with self.assertNumQueries(3):
            assert len(self.get("/privacy/requests", as_="officer").json()["items"]) == 6

    def test_the_api_records_once_with_an_idempotency_key_and_decides(self) -> None:
        body = {"person_id": self.person.pk, "kind": "access", "received_on": "2025-02-10", "detail": "x"}
        RightsRequest.objects.filter(pk=self.access_request.pk).update(
            state="refused", decision="No", decided_at=clock.now()
        )
        first = self.post("/privacy/requests", body, as_="officer", key="sar-1")
        again = self.post("/privacy/requests", body, as_="officer", key="sar-1")
        assert first.status_code == again.status_code == 201 and again["Idempotent-Replayed"] == "true"
        assert first.json()["due_on"] == "2025-03-10" and RightsRequest.objects.filter(kind="access").count() == 2
        created = first.json()["id"]
        bad = self.post(f"/privacy/requests/{created}/decision", {"carry_out": False}, as_="manager")
        assert bad.status_code == 422 and bad.json()["errors"] == {"reason": "Enter the reason the resident is told"}
        decided = self.post(f"/privacy/requests/{created}/decision", {"carry_out": True}, as_="manager")
        assert decided.status_code == 200 and decided.json()["exports"][0]["state"] == "queued"
        erased = self.post(f"/privacy/requests/{self.erasure.pk}/decision", {"carry_out": True}, as_="officer")
        assert erased.status_code == 200 and erased.json()["state"] == "refused"
        assert "still in progress" in erased.json()["decision"]
        download = self.get(f"/privacy/requests/{self.access_request.pk}/export", as_="manager")
        assert download.status_code == 200 and download["Content-Type"] == "application/zip"


class PrivacyIndexTests(ApiTestCase):
    """The workspace's "Privacy" item leads to a page listing the privacy pages the reader may open."""

    LINKS = {
        "/staff/privacy/requests/": "Data protection requests",
        "/staff/privacy/retention/": "Retention and anonymisation",
        "/staff/privacy/access-log/": "Who opened what",
    }

    def offered(self, user: User) -> dict[str, str]:
        shown = page(signed_in(user).get("/staff/privacy/"))
        return {href: label for href, label in self.LINKS.items() if f'href="{href}">{label}</a>' in shown}

    def test_officers_and_managers_find_all_three_and_the_auditor_those_they_may_read(self) -> None:
        assert self.offered(self.cast.officer) == self.offered(self.cast.manager) == self.LINKS
        assert list(self.offered(self.cast.auditor)) == ["/staff/privacy/requests/", "/staff/privacy/retention/"]
        for url in self.offered(self.cast.auditor):
            assert signed_in(self.cast.auditor).get(url).status_code == 200, url
        assert signed_in(self.cast.auditor).get("/staff/privacy/access-log/").status_code == 403

    def test_the_menu_item_leads_there_and_is_current_on_every_privacy_page(self) -> None:
        client = signed_in(self.cast.officer)
        for url in ("/staff/privacy/", *self.LINKS):
            shown = page(client.get(url))
            assert '<a class="govuk-service-navigation__link" href="/staff/privacy/" aria-current="page">' in shown, url

    def test_handlers_and_reviewers_are_neither_offered_it_nor_let_in(self) -> None:
        for user in (self.cast.handler, self.cast.reviewer):
            assert 'href="/staff/privacy/"' not in page(signed_in(user).get("/staff/team/")), user
            refused = signed_in(user).get("/staff/privacy/")
            assert refused.status_code == 403 and NOT_FOR_CASEWORK in page(refused), user
        assert signed_in(self.cast.stranger).get("/staff/privacy/").status_code == 200  # their own landlord's
