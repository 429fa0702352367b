"""Several service areas per complaint, one leading the response (issue 19; Medway 5.6.1: one response led by one
person), and the landlord's own areas, each counting under one of Putright's standard areas."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import TestCase

from putright.complaints import actions, queries
from putright.complaints.errors import InvalidInput, NotPermitted, StaleVersion, TransitionNotAllowed
from putright.complaints.models import Complaint, ComplaintArea, Event
from putright.insight import exports, measures, reports
from putright.insight.periods import Period
from putright.landlords.models import LandlordServiceArea, ServiceAreaName
from tests.cast import Cast, acknowledge, log, make_cast, respond
from tests.test_workspace_support import complaint_url, page, signed_in

TODAY = date(2025, 6, 16)
YEAR = Period.reporting_year(2025)
Area = actions.AreaChoice


def counts(rows: list[measures.Counted]) -> dict[str, int]:
    return {row.key: row.count for row in rows}


@time_machine.travel(TODAY, tick=False)
class ComplaintAreaTests(TestCase):
    cast: Cast
    voids: LandlordServiceArea
    foreign: LandlordServiceArea

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.voids = actions.add_landlord_area(
            cls.cast.landlord, cls.cast.officer, name="Voids", standard_area="repairs"
        )
        cls.foreign = LandlordServiceArea.objects.create(
            landlord=cls.cast.other_landlord, name="Gardens", standard_area="estate"
        )

    def test_a_complaint_logged_with_an_area_has_it_as_its_lead(self) -> None:
        complaint = log(self.cast, TODAY, service_area="damp-mould")
        [row] = ComplaintArea.objects.filter(complaint=complaint)
        assert (row.standard_area, row.lead, row.landlord_area_id) == ("damp-mould", True, None)
        assert not ComplaintArea.objects.filter(complaint=log(self.cast, TODAY, service_area="")).exists()

    def test_setting_areas_keeps_the_lead_on_the_complaint_and_writes_an_event(self) -> None:
        complaint = log(self.cast, TODAY)
        changed = actions.set_service_areas(
            complaint,
            self.cast.handler,
            areas=[Area("repairs"), Area(landlord_area_id=self.voids.pk), Area("damp-mould", lead=True)],
            expected_version=complaint.version,
        )
        assert changed.service_area == "damp-mould" and changed.version == complaint.version + 1
        rows = list(ComplaintArea.objects.filter(complaint=complaint).order_by("-lead", "id"))
        assert [(r.standard_area, r.landlord_area_id, r.lead) for r in rows] == [
            ("damp-mould", None, True),
            ("repairs", None, False),
            ("repairs", self.voids.pk, False),
        ]
        event = Event.objects.get(complaint=complaint, kind="service-areas-changed")
        assert event.actor == self.cast.handler
        assert "Damp and mould (lead), Repairs and maintenance, Voids" in event.summary
        assert "they were Repairs and maintenance (lead)" in event.summary
        assert [a["name"] for a in event.after["service_areas"]] == [
            "Damp and mould",
            "Repairs and maintenance",
            "Voids",
        ]

    def test_the_lead_can_move_to_another_area(self) -> None:
        complaint = log(self.cast, TODAY)
        complaint = actions.set_service_areas(
            complaint, self.cast.handler, areas=[Area("repairs", lead=True), Area("asb")]
        )
        complaint = actions.set_service_areas(
            complaint, self.cast.handler, areas=[Area("repairs"), Area(landlord_area_id=self.voids.pk, lead=True)]
        )
        lead = ComplaintArea.objects.get(complaint=complaint, lead=True)
        assert lead.landlord_area == self.voids and lead.name == "Voids"
        assert Complaint.objects.get(pk=complaint.pk).service_area == "repairs"
        assert ComplaintArea.objects.filter(complaint=complaint).count() == 2

    def test_bad_lists_are_refused_with_what_is_wrong_and_change_nothing(self) -> None:
        complaint = log(self.cast, TODAY)
        cases = [
            ([], "areas", "Choose at least one service area"),
            ([Area("repairs"), Area("asb")], "lead", "Choose the area that leads the response"),
            ([Area("repairs", lead=True), Area("asb", lead=True)], "lead", "Choose only one area to lead"),
            ([Area("plumbing", lead=True)], "areas", "There is no service area plumbing"),
            ([Area(landlord_area_id=self.foreign.pk, lead=True)], "areas", f"no service area {self.foreign.pk} at"),
            ([Area("asb", lead=True), Area("asb")], "areas", "Anti-social behaviour is chosen more than once"),
            ([Area("asb", landlord_area_id=self.voids.pk, lead=True)], "areas", "either a standard area or one"),
            ([Area("repairs", lead=True)], "areas", "Nothing has changed"),
        ]
        for areas, field, message in cases:
            with pytest.raises(InvalidInput) as refused:
                actions.set_service_areas(complaint, self.cast.handler, areas=areas)
            assert message in refused.value.errors[field], (areas, refused.value.errors)
        assert list(ComplaintArea.objects.filter(complaint=complaint).values_list("standard_area", "lead")) == [
            ("repairs", True)
        ]
        assert Complaint.objects.get(pk=complaint.pk).version == complaint.version
        assert not Event.objects.filter(kind="service-areas-changed").exists()

    def test_a_stale_copy_an_auditor_and_a_closed_complaint_are_refused(self) -> None:
        complaint = log(self.cast, TODAY)
        actions.set_service_areas(complaint, self.cast.handler, areas=[Area("repairs", lead=True), Area("asb")])
        with pytest.raises(StaleVersion):
            actions.set_service_areas(
                complaint, self.cast.handler, areas=[Area("asb", lead=True)], expected_version=complaint.version
            )
        with pytest.raises(NotPermitted, match="read-only"):
            actions.set_service_areas(complaint, self.cast.auditor, areas=[Area("asb", lead=True)])
        with pytest.raises(NotPermitted):
            actions.set_service_areas(complaint, self.cast.stranger, areas=[Area("asb", lead=True)])
        actions.withdraw(complaint, self.cast.officer, on=TODAY, how="Phoned to say it was sorted")
        with pytest.raises(TransitionNotAllowed):
            actions.set_service_areas(complaint, self.cast.handler, areas=[Area("asb", lead=True)])

    def test_an_area_no_longer_used_stays_on_its_complaints_but_cannot_be_chosen_again(self) -> None:
        gardens = actions.add_landlord_area(
            self.cast.landlord, self.cast.officer, name="Gardens", standard_area="estate"
        )
        complaint = log(self.cast, TODAY)
        actions.set_service_areas(
            complaint, self.cast.handler, areas=[Area("repairs", lead=True), Area(landlord_area_id=gardens.pk)]
        )
        actions.change_landlord_area(gardens, self.cast.manager, active=False)
        # Kept where it is, with the lead moving.
        actions.set_service_areas(
            complaint, self.cast.handler, areas=[Area("repairs"), Area(landlord_area_id=gardens.pk, lead=True)]
        )
        other = log(self.cast, TODAY)
        with pytest.raises(InvalidInput) as refused:
            actions.set_service_areas(other, self.cast.handler, areas=[Area(landlord_area_id=gardens.pk, lead=True)])
        assert refused.value.errors["areas"] == "Gardens is no longer in use: choose another area"


@time_machine.travel(TODAY, tick=False)
class LandlordAreaTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_several_own_areas_map_to_one_standard_area(self) -> None:
        for name in ("Voids", "Responsive repairs", "Planned works"):
            actions.add_landlord_area(self.cast.landlord, self.cast.officer, name=name, standard_area="repairs")
        own = LandlordServiceArea.objects.filter(landlord=self.cast.landlord)
        assert sorted(own.values_list("name", "standard_area")) == [
            ("Planned works", "repairs"),
            ("Responsive repairs", "repairs"),
            ("Voids", "repairs"),
        ]

    def test_names_are_checked_and_only_officers_and_managers_change_the_list(self) -> None:
        landlord = self.cast.landlord
        actions.add_landlord_area(landlord, self.cast.officer, name="  Voids  ", standard_area="repairs")
        assert LandlordServiceArea.objects.get(landlord=landlord).name == "Voids"
        with pytest.raises(InvalidInput) as refused:
            actions.add_landlord_area(landlord, self.cast.manager, name="VOIDS", standard_area="plumbing")
        assert refused.value.errors == {
            "name": "VOIDS is already one of your service areas: choose another name",
            "standard_area": "Choose the standard area it counts under: "
            + ", ".join(
                ["repairs", "damp-mould", "asb", "tenancy", "rent", "estate", "allocations", "homelessness"]
                + ["staff-conduct", "contractor", "other"]
            ),
        }
        with pytest.raises(InvalidInput, match="Enter the name"):
            actions.add_landlord_area(landlord, self.cast.manager, name="   ", standard_area="repairs")
        for person in (self.cast.handler, self.cast.auditor, self.cast.stranger):
            with pytest.raises(NotPermitted):
                actions.add_landlord_area(landlord, person, name="Gardens", standard_area="estate")
        # The same name at another landlord is theirs to use.
        actions.add_landlord_area(self.cast.other_landlord, self.cast.stranger, name="Voids", standard_area="repairs")

    def test_an_area_on_complaints_keeps_its_standard_area(self) -> None:
        voids = actions.add_landlord_area(self.cast.landlord, self.cast.officer, name="Voids", standard_area="repairs")
        actions.change_landlord_area(voids, self.cast.officer, standard_area="estate", name="Empty homes")
        voids.refresh_from_db()
        assert (voids.name, voids.standard_area) == ("Empty homes", "estate")
        complaint = log(self.cast, TODAY)
        actions.set_service_areas(complaint, self.cast.handler, areas=[Area(landlord_area_id=voids.pk, lead=True)])
        with pytest.raises(InvalidInput) as refused:
            actions.change_landlord_area(voids, self.cast.officer, standard_area="repairs")
        assert refused.value.errors["standard_area"].startswith("Empty homes is recorded on 1 complaint,")

    def test_the_names_for_standard_areas_still_work_beside_the_own_areas(self) -> None:
        ServiceAreaName.objects.create(landlord=self.cast.landlord, area="estate", name="Communal areas")
        actions.add_landlord_area(self.cast.landlord, self.cast.officer, name="Communal areas", standard_area="estate")
        assert ServiceAreaName.objects.get(landlord=self.cast.landlord).name == "Communal areas"


@time_machine.travel(TODAY, tick=False)
class FiguresByAreaTests(TestCase):
    """A complaint in two areas counts under each in every figure by area, and once in every total."""

    cast: Cast
    voids: LandlordServiceArea
    two: Complaint
    one: Complaint
    none: Complaint

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cast = cls.cast
        cls.voids = actions.add_landlord_area(cast.landlord, cast.officer, name="Voids", standard_area="repairs")
        cls.two = log(cast, date(2025, 5, 1))
        actions.set_service_areas(
            cls.two,
            cast.handler,
            areas=[Area("repairs", lead=True), Area(landlord_area_id=cls.voids.pk), Area("damp-mould")],
        )
        cls.one = log(cast, date(2025, 5, 2), service_area="asb")
        cls.none = log(cast, date(2025, 5, 3), service_area="")

    def test_the_worklist_filter_finds_a_complaint_by_an_area_it_does_not_lead(self) -> None:
        found = queries.worklist(self.cast.officer, queries.WorklistFilter(service_area="damp-mould"))
        assert [c.reference for c in found] == [self.two.reference]
        found = queries.worklist(self.cast.officer, queries.WorklistFilter(service_area="repairs"))
        assert [c.reference for c in found] == [self.two.reference]  # once, though two of its areas are repairs
        html = page(signed_in(self.cast.officer).get("/staff/team/", {"service_area": "damp-mould"}))
        assert self.two.reference in html and self.one.reference not in html

    def test_measures_by_area_count_it_under_each_and_the_year_once(self) -> None:
        m = measures.compute(self.cast.landlord, YEAR)
        assert m.stage1.received == 3
        assert counts(m.by_service_area) == {"repairs": 1, "damp-mould": 1, "asb": 1, "": 1}
        assert sum(counts(m.by_channel).values()) == 3

    def test_the_complaint_keeps_its_other_areas_beside_its_rows(self) -> None:
        # Repairs leads; Voids maps to repairs too, so only damp and mould is another area.
        assert Complaint.objects.get(pk=self.two.pk).other_areas == "damp-mould"
        assert Complaint.objects.get(pk=self.one.pk).other_areas == ""
        actions.set_service_areas(
            self.two, self.cast.handler, areas=[Area("rent", lead=True), Area("repairs"), Area("damp-mould")]
        )
        assert Complaint.objects.get(pk=self.two.pk).other_areas == "damp-mould,repairs"
        actions.set_service_areas(self.two, self.cast.handler, areas=[Area("rent", lead=True)])
        assert Complaint.objects.get(pk=self.two.pk).other_areas == ""

    def test_every_figure_by_area_counts_a_complaint_under_each_area_and_every_total_once(self) -> None:
        cast = self.cast
        # Escalated in the year, in repairs (twice, one through Voids) and damp and mould.
        k = acknowledge(cast, self.two, date(2025, 5, 2))
        k = respond(cast, k, date(2025, 5, 9))
        k = actions.escalate(k, cast.officer, requested_on=date(2025, 5, 20))
        # Not accepted, in anti-social behaviour and rent.
        refused = log(cast, date(2025, 5, 5), service_area="asb")
        actions.set_service_areas(refused, cast.handler, areas=[Area("asb", lead=True), Area("rent")])
        actions.not_accept(
            refused,
            cast.officer,
            ground="legal-proceedings",
            ombudsman_rights_given=True,
            explanation="An injunction claim has been filed at court.",
            on=date(2025, 5, 6),
        )
        # Referred to the Ombudsman and closed with a root cause (the reading side only: set on the rows).
        Complaint.objects.filter(pk=self.two.pk).update(
            ombudsman_referred_on=date(2025, 6, 1), closed_on=date(2025, 6, 2), root_cause="delay"
        )
        m = measures.compute(cast.landlord, YEAR)
        assert m.stage2.received == 1
        assert counts(m.stage2_by_service_area) == {"repairs": 1, "damp-mould": 1}
        assert m.refusals.not_accepted == 1
        assert counts(m.refusals.by_service_area) == {"asb": 1, "rent": 1}
        assert m.ombudsman.referrals == 1
        assert counts(m.ombudsman.by_service_area) == {"repairs": 1, "damp-mould": 1}
        themes = reports.learning_themes(cast.landlord, YEAR, None)
        assert [(t.key, t.now, t.areas) for t in themes] == [
            ("delay", 1, ["Damp and mould (1)", "Repairs and maintenance (1)"])
        ]

    def test_measures_for_one_area_include_complaints_it_does_not_lead(self) -> None:
        damp = measures.compute(self.cast.landlord, YEAR, service_area="damp-mould")
        assert damp.stage1.received == 1
        assert counts(damp.by_service_area) == {"repairs": 1, "damp-mould": 1}
        assert measures.compute(self.cast.landlord, YEAR, service_area="repairs").stage1.received == 1
        assert measures.compute(self.cast.landlord, YEAR, service_area="rent").stage1.received == 0

    def test_the_export_shows_every_area_lead_first_and_filters_by_any(self) -> None:
        rows = {r["reference"]: r for r in exports.complaint_rows(self.cast.landlord, exports.ComplaintFilter())}
        assert rows[self.two.reference]["service_area"] == "Repairs and maintenance; Voids; Damp and mould"
        assert rows[self.one.reference]["service_area"] == "Anti-social behaviour"
        assert rows[self.none.reference]["service_area"] == ""
        damp = exports.complaint_rows(self.cast.landlord, exports.ComplaintFilter(service_area="damp-mould"))
        assert [r["reference"] for r in damp] == [self.two.reference]
        assert exports.count_complaints(self.cast.landlord, exports.ComplaintFilter(service_area="repairs")) == 1


@time_machine.travel(TODAY, tick=False)
class AreaPageTests(TestCase):
    cast: Cast
    voids: LandlordServiceArea

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.voids = actions.add_landlord_area(
            cls.cast.landlord, cls.cast.officer, name="<script>alert(1)</script>", standard_area="repairs"
        )

    def test_the_complaint_page_shows_the_areas_and_links_to_change_them(self) -> None:
        complaint = log(self.cast, TODAY)
        actions.set_service_areas(
            complaint, self.cast.handler, areas=[Area("repairs", lead=True), Area(landlord_area_id=self.voids.pk)]
        )
        html = page(signed_in(self.cast.handler).get(complaint_url(complaint)))
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
        assert complaint_url(complaint, "service-areas") in html
        assert complaint_url(complaint, "service-areas") not in page(
            signed_in(self.cast.auditor).get(complaint_url(complaint))
        )

    def test_a_handler_ticks_areas_and_chooses_the_lead(self) -> None:
        complaint = log(self.cast, TODAY)
        client = signed_in(self.cast.handler)
        url = complaint_url(complaint, "service-areas")
        form = page(client.get(url))
        assert f'value="own-{self.voids.pk}"' in form and "&lt;script&gt;" in form and "<script>alert" not in form
        post = {"areas": ["repairs", "asb"], "lead": "asb", "expected_version": complaint.version}
        response = client.post(url, post)
        assert response.status_code == 302 and response["Location"].endswith("#service-areas")
        complaint.refresh_from_db()
        assert complaint.service_area == "asb"
        # The same form again, from the old version: refused, nothing changed twice.
        again = page(client.post(url, post))
        assert "changed by someone else" in again
        assert Event.objects.filter(complaint=complaint, kind="service-areas-changed").count() == 1

    def test_the_form_says_what_is_missing(self) -> None:
        complaint = log(self.cast, TODAY)
        client = signed_in(self.cast.handler)
        html = page(client.post(complaint_url(complaint, "service-areas"), {"expected_version": complaint.version}))
        assert "Select the area that leads the response" in html
        # A lead from another landlord's list, or a made-up one, is not on the form's list.
        forged = {"areas": ["asb"], "lead": "own-999999", "expected_version": complaint.version}
        assert "Select the area that leads the response" in page(
            client.post(complaint_url(complaint, "service-areas"), forged)
        )
        assert Complaint.objects.get(pk=complaint.pk).version == complaint.version

    def test_another_landlords_staff_get_404_and_the_auditor_403(self) -> None:
        complaint = log(self.cast, TODAY)
        url = complaint_url(complaint, "service-areas")
        assert signed_in(self.cast.stranger).get(url).status_code == 404
        assert signed_in(self.cast.stranger).post(url, {"lead": "asb"}).status_code == 404
        assert signed_in(self.cast.auditor).get(url).status_code == 403
        post = {"areas": ["asb"], "lead": "asb", "expected_version": complaint.version}
        assert signed_in(self.cast.auditor).post(url, post).status_code == 403
        assert Complaint.objects.get(pk=complaint.pk).service_area == "repairs"

    def test_the_landlords_areas_page_officers_edit_others_read(self) -> None:
        officer = signed_in(self.cast.officer)
        listing = page(officer.get("/staff/settings/service-areas/"))
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in listing and "Add a service area" in listing
        response = officer.post("/staff/settings/service-areas/new/", {"name": "Gardens", "standard_area": "estate"})
        assert response.status_code == 302
        gardens = LandlordServiceArea.objects.get(name="Gardens")
        refused = page(officer.post("/staff/settings/service-areas/new/", {"name": "gardens", "standard_area": "rent"}))
        assert "gardens is already one of your service areas" in refused
        change = f"/staff/settings/service-areas/{gardens.pk}/"
        officer.post(change, {"name": "Grounds", "standard_area": "estate", "active": "no"})
        gardens.refresh_from_db()
        assert (gardens.name, gardens.active) == ("Grounds", False)

        for reader in (self.cast.handler, self.cast.auditor):
            client = signed_in(reader)
            html = page(client.get("/staff/settings/service-areas/"))
            assert "Grounds" in html and "Add a service area" not in html
            assert client.get("/staff/settings/service-areas/new/").status_code == 403
            assert client.post(change, {"name": "Mine", "standard_area": "rent", "active": "yes"}).status_code == 403
        stranger = signed_in(self.cast.stranger)
        assert "Grounds" not in page(stranger.get("/staff/settings/service-areas/"))
        assert stranger.post(change, {"name": "Mine", "standard_area": "rent", "active": "yes"}).status_code == 404
        gardens.refresh_from_db()
        assert gardens.name == "Grounds"


class ListCostTests(TestCase):
    """The landlord's areas, on the page and in the API, cost the same however many there are."""

    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        actions.add_landlord_area(cls.cast.landlord, cls.cast.officer, name="Voids", standard_area="repairs")

    def test_the_areas_page_and_the_api_list_cost_the_same_at_one_and_at_six(self) -> None:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        from putright.api import tokens

        officer = signed_in(self.cast.officer)
        headers = {"Authorization": f"Bearer {tokens.issue(self.cast.officer)[1]}"}

        def cost() -> tuple[int, int]:
            officer.get("/staff/settings/service-areas/")
            with CaptureQueriesContext(connection) as on_page:
                assert officer.get("/staff/settings/service-areas/").status_code == 200
            self.client.get("/api/v1/service-areas", headers=headers)
            with CaptureQueriesContext(connection) as in_api:
                assert self.client.get("/api/v1/service-areas", headers=headers).status_code == 200
            return len(on_page), len(in_api)

        one = cost()
        for n in range(5):
            actions.add_landlord_area(self.cast.landlord, self.cast.officer, name=f"Area {n}", standard_area="estate")
        assert cost() == one
