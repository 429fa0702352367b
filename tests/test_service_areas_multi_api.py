"""The API for several service areas per complaint, one leading (issue 19), and the landlord's own areas."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

import time_machine

from putright.complaints import actions
from putright.complaints.models import Complaint, ComplaintArea, Event
from putright.landlords.models import LandlordServiceArea
from tests.cast import log
from tests.test_api_auth import ApiTestCase

TODAY = date(2025, 3, 3)  # the day ApiTestCase lives on


@time_machine.travel(TODAY, tick=False)
class ServiceAreaApiTests(ApiTestCase):
    voids: LandlordServiceArea
    foreign: LandlordServiceArea

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.voids = actions.add_landlord_area(
            cls.cast.landlord, cls.cast.officer, name="Voids", standard_area="repairs"
        )
        cls.foreign = LandlordServiceArea.objects.create(
            landlord=cls.cast.other_landlord, name="Gardens", standard_area="estate"
        )

    def send(self, method: str, path: str, data: Any, as_: str = "handler", key: str | None = None) -> Any:
        headers = self.auth(as_) | ({"Idempotency-Key": key} if key else {})
        return self.client.generic(
            method, f"/api/v1{path}", json.dumps(data), content_type="application/json", headers=headers
        )

    def test_a_complaint_shows_its_areas_lead_first(self) -> None:
        complaint = log(self.cast, TODAY)
        actions.set_service_areas(
            complaint,
            self.cast.handler,
            areas=[actions.AreaChoice("asb"), actions.AreaChoice(landlord_area_id=self.voids.pk, lead=True)],
        )
        body = self.get(f"/complaints/{complaint.reference}").json()
        assert body["service_area"] == "repairs"
        assert body["service_areas"] == [
            {"area": "repairs", "name": "Voids", "lead": True, "landlord_area": self.voids.pk},
            {"area": "asb", "name": "Anti-social behaviour", "lead": False, "landlord_area": None},
        ]

    def test_a_complaint_logged_through_the_api_has_its_area_as_lead(self) -> None:
        body = {
            "resident": {"name": "Rosa Resident", "email": "rosa@example.org"},
            "channel": "email",
            "received_on": "2025-03-03",
            "description": "Mould in the bathroom",
            "service_area": "damp-mould",
        }
        logged = self.post("/complaints", body)
        assert logged.status_code == 201, logged.json()
        assert logged.json()["service_areas"] == [
            {"area": "damp-mould", "name": "Damp and mould", "lead": True, "landlord_area": None}
        ]

    def test_put_sets_the_areas_once_with_an_idempotency_key(self) -> None:
        complaint = log(self.cast, TODAY)
        path = f"/complaints/{complaint.reference}/service-areas"
        body = {
            "version": complaint.version,
            "service_areas": [{"area": "damp-mould", "lead": True}, {"landlord_area": self.voids.pk}],
        }
        first = self.send("PUT", path, body, key="areas-1")
        assert first.status_code == 200, first.json()
        assert first.json()["service_area"] == "damp-mould"
        assert [a["name"] for a in first.json()["service_areas"]] == ["Damp and mould", "Voids"]
        again = self.send("PUT", path, body, key="areas-1")
        assert again.status_code == 200 and again["Idempotent-Replayed"] == "true"
        assert again.json() == first.json()
        assert Event.objects.filter(complaint=complaint, kind="service-areas-changed").count() == 1
        stale = self.send("PUT", path, body)
        assert stale.status_code == 409

    def test_bad_lists_are_refused_with_422_naming_what_is_wrong(self) -> None:
        complaint = log(self.cast, TODAY)
        path = f"/complaints/{complaint.reference}/service-areas"
        cases = [
            ([{"area": "repairs"}, {"area": "asb"}], "lead", "Choose the area that leads the response"),
            ([{"area": "repairs", "lead": True}, {"area": "asb", "lead": True}], "lead", "Choose only one area"),
            ([{"landlord_area": self.foreign.pk, "lead": True}], "areas", f"no service area {self.foreign.pk}"),
            ([{"area": "asb", "lead": True}, {"area": "asb"}], "areas", "chosen more than once"),
            ([], "areas", "Choose at least one service area"),
        ]
        for areas, field, message in cases:
            refused = self.send("PUT", path, {"service_areas": areas})
            assert refused.status_code == 422, refused.json()
            assert message in refused.json()["errors"][field], refused.json()
        unknown = self.send("PUT", path, {"service_areas": [{"area": "plumbing", "lead": True}]})
        assert unknown.status_code == 422
        assert list(ComplaintArea.objects.filter(complaint=complaint).values_list("standard_area", flat=True)) == [
            "repairs"
        ]

    def test_another_landlords_staff_get_404_and_the_auditor_403(self) -> None:
        complaint = log(self.cast, TODAY)
        path = f"/complaints/{complaint.reference}/service-areas"
        body = {"service_areas": [{"area": "asb", "lead": True}]}
        assert self.send("PUT", path, body, as_="stranger").status_code == 404
        assert self.send("PUT", path, body, as_="auditor").status_code == 403
        assert Complaint.objects.get(pk=complaint.pk).service_area == "repairs"
        assert (
            self.send("PATCH", f"/service-areas/{self.voids.pk}", {"name": "Mine"}, as_="stranger").status_code == 404
        )
        assert (
            self.send("PATCH", f"/service-areas/{self.foreign.pk}", {"name": "Mine"}, as_="officer").status_code == 404
        )

    def test_the_landlords_areas_are_read_by_all_staff_and_changed_by_officers_and_managers(self) -> None:
        listed = self.get("/service-areas", as_="auditor")
        assert listed.status_code == 200
        assert listed.json() == [{"id": self.voids.pk, "name": "Voids", "standard_area": "repairs", "active": True}]
        assert [a["name"] for a in self.get("/service-areas", as_="stranger").json()] == ["Gardens"]

        added = self.post("/service-areas", {"name": "Grounds", "standard_area": "estate"}, as_="officer", key="g-1")
        assert added.status_code == 201, added.json()
        replay = self.post("/service-areas", {"name": "Grounds", "standard_area": "estate"}, as_="officer", key="g-1")
        assert replay.json() == added.json()
        assert LandlordServiceArea.objects.filter(name="Grounds").count() == 1
        duplicate = self.post("/service-areas", {"name": "grounds", "standard_area": "estate"}, as_="manager")
        assert (
            duplicate.status_code == 422 and "already one of your service areas" in duplicate.json()["errors"]["name"]
        )
        for person in ("handler", "auditor"):
            refused = self.post("/service-areas", {"name": "Lifts", "standard_area": "repairs"}, as_=person)
            assert refused.status_code == 403
        grounds = added.json()["id"]
        changed = self.send("PATCH", f"/service-areas/{grounds}", {"active": False, "name": "Grounds care"}, "manager")
        assert changed.status_code == 200
        assert changed.json() == {"id": grounds, "name": "Grounds care", "standard_area": "estate", "active": False}
        assert self.send("PATCH", f"/service-areas/{grounds}", {"active": True}, as_="auditor").status_code == 403

    def test_names_with_markup_come_back_as_text(self) -> None:
        name = "<img src=x onerror=alert(1)>"
        added = self.post("/service-areas", {"name": name, "standard_area": "estate"}, as_="officer")
        assert added.status_code == 201 and added.json()["name"] == name
        assert added["Content-Type"].startswith("application/json")
