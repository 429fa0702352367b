"""My work, Team work and Actions: deadlines in words and tags, filters, search, pages, and the
same number of queries whatever the size."""

from __future__ import annotations

from datetime import date

import time_machine
from django.contrib.auth.models import User
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from putright.complaints import actions
from putright.complaints.models import Complaint, OutstandingAction
from putright.people.models import ReasonableAdjustment, Vulnerability
from tests.cast import Cast, acknowledge, log, make_cast, respond
from tests.test_workspace_support import date_fields, page, signed_in

TODAY = date(2025, 6, 16)  # a Monday


def assign(cast: Cast, complaint: Complaint, user: User | None = None) -> Complaint:
    return actions.assign_handler(complaint, cast.officer, handler=user or cast.handler, conflict_of_interest=False)


def rows(html: str) -> list[str]:
    """The complaint references in the worklist table, in order."""
    body = html.split('<tbody class="govuk-table__body">', 1)[1] if "govuk-table__body" in html else ""
    links = [part.split('"', 1)[0] for part in body.split('href="/staff/complaints/')[1:]]
    return [link.rstrip("/") for link in links if link.count("/") == 1]


@time_machine.travel(TODAY, tick=False)
class MyWorkTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        # Overdue: received 2 June, acknowledgement was due 9 June.
        cls.overdue = assign(cls.cast, log(cls.cast, date(2025, 6, 2)))
        # Due soon: received 11 June, acknowledgement due 18 June (2 working days).
        cls.soon = assign(
            cls.cast,
            log(cls.cast, date(2025, 6, 11), resident=actions.ResidentDetails(name="Amir Patel"), service_area="asb"),
        )
        # On track, at stage 1 open: acknowledged today, response due 30 June.
        cls.later = acknowledge(cls.cast, log(cls.cast, date(2025, 6, 16)), TODAY)
        cls.others = assign(cls.cast, log(cls.cast, date(2025, 6, 3)), cls.cast.other_handler)
        Vulnerability.objects.create(person=cls.soon.person, description="Hearing loss", disclosed_on=TODAY)
        ReasonableAdjustment.objects.create(person=cls.overdue.person, kind="large-print", agreed_on=TODAY)

    def test_my_complaints_by_next_deadline_with_days_in_words_and_tags(self) -> None:
        html = page(signed_in(self.cast.handler).get("/staff/"))
        assert rows(html) == [self.overdue.reference, self.soon.reference, self.later.reference]
        assert "5 working days overdue" in html and "Overdue</strong>" in html
        assert "2 working days left" in html and "Due soon</strong>" in html
        assert "10 working days left" in html and "On track</strong>" in html
        assert "Acknowledgement by 9 Jun 2025" in html and "Response by 30 Jun 2025" in html
        assert "Vulnerable</strong>" in html and "Adjustments</strong>" in html
        assert self.others.reference not in html

    def test_filters_and_search(self) -> None:
        client = signed_in(self.cast.handler)
        cases = {
            "?overdue=on": [self.overdue.reference],
            "?due_this_week=on": [self.overdue.reference, self.soon.reference],
            "?vulnerable=on": [self.overdue.reference, self.soon.reference],
            "?status=stage1-open": [self.later.reference],
            "?stage=2": [],
            "?service_area=asb": [self.soon.reference],
            f"?q={self.soon.reference}": [self.soon.reference],
            "?q=amir": [self.soon.reference],
        }
        for query, expected in cases.items():
            assert rows(page(client.get("/staff/" + query))) == expected, query
        assert "No complaints match these filters" in page(client.get("/staff/?stage=2"))

    def test_pages_follow_the_deadline_order(self) -> None:
        client = signed_in(self.cast.handler)
        with self.settings():
            from putright.workspace.views import lists

            size, lists.PAGE_SIZE = lists.PAGE_SIZE, 2  # type: ignore[attr-defined]
            try:
                first = page(client.get("/staff/"))
                assert rows(first) == [self.overdue.reference, self.soon.reference]
                link = first.split('rel="next"')[0].rsplit('href="', 1)[1].split('"')[0].replace("&amp;", "&")
                second = page(client.get("/staff/" + link))
                assert rows(second) == [self.later.reference] and 'rel="next"' not in second
                assert "First page" in second
            finally:
                lists.PAGE_SIZE = size  # type: ignore[attr-defined]

    def test_text_typed_by_people_shows_as_text(self) -> None:
        assign(self.cast, log(self.cast, TODAY, resident=actions.ResidentDetails(name="<script>alert(1)</script>")))
        html = page(signed_in(self.cast.handler).get("/staff/?q=script"))
        assert "<script>alert(1)</script>" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html


@time_machine.travel(TODAY, tick=False)
class TeamWorkTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.hanas = assign(cls.cast, log(cls.cast, date(2025, 6, 2)))
        cls.nobodys = log(cls.cast, date(2025, 6, 10))

    def test_officers_and_managers_see_the_whole_team_and_can_reassign(self) -> None:
        for user in (self.cast.officer, self.cast.manager):
            html = page(signed_in(user).get("/staff/team/"))
            assert rows(html) == [self.hanas.reference, self.nobodys.reference]
            assert f"/staff/complaints/{self.hanas.reference}/assign/" in html and "Nobody yet" in html
        html = page(signed_in(self.cast.officer).get("/staff/team/?handler=none"))
        assert rows(html) == [self.nobodys.reference]
        html = page(signed_in(self.cast.officer).get(f"/staff/team/?handler={self.cast.handler.pk}"))
        assert rows(html) == [self.hanas.reference]

    def test_handlers_and_auditors_read_team_work_without_the_assign_links(self) -> None:
        for user in (self.cast.handler, self.cast.reviewer, self.cast.auditor):
            html = page(signed_in(user).get("/staff/team/"))
            assert rows(html) == [self.hanas.reference, self.nobodys.reference]
            assert "/assign/" not in html and "Nobody yet" in html
        assert "Team work" in page(signed_in(self.cast.handler).get("/staff/"))

    def test_the_auditors_start_page_is_team_work(self) -> None:
        html = page(signed_in(self.cast.auditor).get("/staff/"))
        assert '<h1 class="govuk-heading-l">Team work</h1>' in html and "Your role is read-only" in html
        assert rows(html) == [self.hanas.reference, self.nobodys.reference]
        assert ">My work<" not in html and "Log a complaint" not in html

    def test_reassigning_moves_the_complaint_to_the_new_handlers_work(self) -> None:
        officer = signed_in(self.cast.officer)
        url = f"/staff/complaints/{self.hanas.reference}/assign/"
        form = page(officer.get(url))
        assert "Omar Handler" in form
        refused = officer.post(url, {"expected_version": self.hanas.version, "handler": self.cast.other_handler.pk})
        assert "Confirm they have declared no conflict of interest" in page(refused)
        moved = officer.post(
            url, {"expected_version": self.hanas.version, "handler": self.cast.other_handler.pk, "no_conflict": "on"}
        )
        assert moved.status_code == 302
        assert rows(page(signed_in(self.cast.other_handler).get("/staff/"))) == [self.hanas.reference]


@time_machine.travel(TODAY, tick=False)
class QueryCountTests(TestCase):
    """My work at any size costs the same queries: the session, the user and their staff row, the
    landlord, the page of complaints (with its markers). Team work adds the list of colleagues."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def add(self, count: int) -> None:
        for i in range(count):
            complaint = assign(self.cast, log(self.cast, date(2025, 6, 2 + i % 12)))
            if i % 3 == 0:
                Vulnerability.objects.create(person=complaint.person, description="Mobility", disclosed_on=TODAY)

    def count(self, client, url: str, queries: int) -> None:  # type: ignore[no-untyped-def]
        client.get(url)  # the calendar and policy caches are per process: warm them first
        with self.assertNumQueries(queries):
            assert client.get(url).status_code == 200

    def test_my_work_and_team_work_cost_the_same_at_two_sizes(self) -> None:
        handler, officer = signed_in(self.cast.handler), signed_in(self.cast.officer)
        self.add(3)
        self.count(handler, "/staff/", 4)
        self.count(handler, "/staff/?overdue=on&vulnerable=on&q=rosa", 4)
        self.count(officer, "/staff/team/", 5)
        self.add(40)
        self.count(handler, "/staff/", 4)
        self.count(handler, "/staff/?overdue=on&vulnerable=on&q=rosa", 4)
        self.count(officer, "/staff/team/", 5)
        assert len(rows(page(handler.get("/staff/")))) == 43


@time_machine.travel(TODAY, tick=False)
class ActionsPageTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        complaint = acknowledge(cls.cast, log(cls.cast, date(2025, 6, 2)), date(2025, 6, 3))
        respond(
            cls.cast,
            complaint,
            TODAY,
            actions=[actions.ActionInput("Replace the <b>boiler</b>", date(2025, 6, 18), cls.cast.handler)],
        )
        cls.action = OutstandingAction.objects.get()

    def test_lists_my_outstanding_actions_with_their_due_dates(self) -> None:
        html = page(signed_in(self.cast.handler).get("/staff/actions/"))
        assert "Replace the &lt;b&gt;boiler&lt;/b&gt;" in html and "18 Jun 2025" in html
        assert "2 working days left" in html and "Due soon</strong>" in html
        assert "no outstanding actions" in page(signed_in(self.cast.other_handler).get("/staff/actions/"))

    def test_recording_an_update_and_marking_it_done(self) -> None:
        client = signed_in(self.cast.handler)
        url = f"/staff/actions/{self.action.pk}/"

        def version() -> int:
            return Complaint.objects.get(pk=self.action.complaint_id).version

        assert "Enter what has happened" in page(client.post(url, {"note": "", "expected_version": version()}))
        stale = version()
        assert (
            client.post(url, {"note": "Engineer booked", "resident_told": "on", "expected_version": stale}).status_code
            == 302
        )
        conflict = page(client.post(url, {"note": "Booked again", "expected_version": stale}))
        assert "was changed by someone else since you opened it" in conflict
        done = client.post(
            url,
            {
                "note": "Boiler replaced",
                "done": "on",
                "expected_version": version(),
                **date_fields("completed_on", TODAY),
            },
        )
        assert done.status_code == 302
        self.action.refresh_from_db()
        assert self.action.completed_on == TODAY and self.action.updates.count() == 2
        assert "no outstanding actions" in page(client.get("/staff/actions/"))

    def test_an_auditor_or_another_landlord_cannot_update_it(self) -> None:
        url = f"/staff/actions/{self.action.pk}/"
        assert signed_in(self.cast.auditor).get(url).status_code == 403
        assert signed_in(self.cast.auditor).post(url, {"note": "x"}).status_code == 403
        assert signed_in(self.cast.stranger).get(url).status_code == 404


@time_machine.travel(TODAY, tick=False)
class OtherPagesQueryCountTests(TestCase):
    """The complaint page, the actions page and the service requests list cost the same whatever
    the number of events, actions or requests."""

    def test_the_complaint_page_costs_the_same_with_more_events(self) -> None:
        cast = make_cast()
        complaint = acknowledge(cast, log(cast, date(2025, 6, 2)), date(2025, 6, 3))
        client = signed_in(cast.handler)
        url = f"/staff/complaints/{complaint.reference}/"
        client.get(url)
        with CaptureQueriesContext(connection) as few:
            client.get(url)
        # With its letters, the emails about it, the updates agreed (5.9), its contacts (5.12), and the
        # resident's contact restrictions (5.14), whether the resident asked to restrict processing (UK GDPR), the
        # service areas it touches, the information requested and the contractors involved (issue 19).
        assert len(few.captured_queries) <= 23
        for days in range(1, 9):
            actions.extend(
                Complaint.objects.get(pk=complaint.pk),
                cast.handler,
                days=1,
                reason=f"Wait {days}",
                good_reason="Surveyor off sick",
            )
        with self.assertNumQueries(len(few.captured_queries)):
            assert "Wait 8" in page(client.get(url))

    def test_the_actions_and_service_request_lists_cost_the_same_at_two_sizes(self) -> None:
        cast = make_cast()
        client = signed_in(cast.handler)

        def add(count: int) -> None:
            for i in range(count):
                complaint = acknowledge(cast, log(cast, date(2025, 6, 2)), date(2025, 6, 3))
                respond(cast, complaint, TODAY, actions=[actions.ActionInput(f"Action {i}", TODAY, cast.handler)])
                actions.log_service_request(
                    cast.landlord,
                    cast.handler,
                    resident=complaint.person,
                    service_area="repairs",
                    description=f"Request {i}",
                    received_on=TODAY,
                )

        add(2)
        counts = {}
        for url in ("/staff/actions/", "/staff/service-requests/"):
            client.get(url)
            with CaptureQueriesContext(connection) as captured:
                client.get(url)
            counts[url] = len(captured.captured_queries)
        add(8)
        for url, count in counts.items():
            with self.assertNumQueries(count):
                client.get(url)


@time_machine.travel(TODAY, tick=False)
class FindByReferenceTests(TestCase):
    def test_a_reference_not_in_my_work_offers_the_complaint_itself(self) -> None:
        cast = make_cast()
        complaint = assign(cast, log(cast, TODAY), cast.other_handler)
        html = page(signed_in(cast.handler).get(f"/staff/?q={complaint.reference.lower()}"))
        assert rows(html) == [] and f'href="/staff/complaints/{complaint.reference}/">open' in html
        assert "open ASH" not in page(signed_in(cast.stranger).get(f"/staff/?q={complaint.reference}"))


class InsightLinkTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_the_navigation_offers_insight_to_those_who_may_read_it(self) -> None:
        for user, shown in ((self.cast.officer, True), (self.cast.auditor, True), (self.cast.handler, False)):
            html = page(signed_in(user).get("/staff/"))
            assert ('href="/staff/insight/"' in html) is shown, user.username
