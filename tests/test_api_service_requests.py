"""/api/v1/service-requests and /api/v1/workdays."""

from __future__ import annotations

from datetime import date
from typing import Any

from putright.complaints import actions
from putright.complaints.models import ServiceRequest
from putright.landlords.actions import set_closure_day
from tests.test_api_auth import ApiTestCase

NEW_REQUEST = {
    "resident": {"name": "Sam Tenant", "tenancy_reference": "T-1001"},
    "service_area": "repairs",
    "description": "The kitchen tap drips.",
    "received_on": "2025-02-10",
}


class ServiceRequestTests(ApiTestCase):
    def test_a_service_request_is_recorded_and_read_back(self) -> None:
        response = self.post("/service-requests", NEW_REQUEST)
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["reference"] == "ASH-SR-2025-00001" and body["status"] == "open" and body["complaints"] == []
        assert body["resident"]["tenancy_reference"] == "T-1001"
        assert self.get(f"/service-requests/{body['reference'].lower()}").json() == body

    def test_a_complaint_raised_from_a_request_leaves_it_open_and_linked(self) -> None:
        reference = self.post("/service-requests", NEW_REQUEST).json()["reference"]
        response = self.post(
            f"/service-requests/{reference}/complaint",
            {"received_on": "2025-02-24", "description": "Nobody came to fix the tap.", "channel": "phone"},
        )
        assert response.status_code == 201
        complaint = response.json()
        assert complaint["service_request"] == reference and complaint["service_area"] == "repairs"
        assert complaint["events"][1]["kind"] == "raised-from-service-request"
        request = self.get(f"/service-requests/{reference}").json()
        assert request["status"] == "open" and request["complaints"] == [complaint["reference"]]

    def test_completing_a_request_and_refusing_to_complete_it_twice(self) -> None:
        reference = self.post("/service-requests", NEW_REQUEST).json()["reference"]
        response = self.post(f"/service-requests/{reference}/complete", {"on": "2025-02-12"})
        assert response.status_code == 200
        assert response.json()["status"] == "completed" and response.json()["completed_on"] == "2025-02-12"
        response = self.post(f"/service-requests/{reference}/complete", {"on": "2025-02-12"})
        assert response.status_code == 409 and response.json() == {"detail": f"{reference} is already completed."}

    def test_the_list_pages_through_requests_newest_first(self) -> None:
        for day in (3, 5, 5, 7, 11):
            self.post("/service-requests", NEW_REQUEST | {"received_on": f"2025-02-{day:02d}"})
        seen: list[tuple[str, str]] = []
        cursor = ""
        while True:
            body = self.get("/service-requests", limit="2", **({"cursor": cursor} if cursor else {})).json()
            seen += [(item["received_on"], item["reference"]) for item in body["items"]]
            cursor = body["next_cursor"]
            if cursor is None:
                break
        assert len(seen) == len(set(seen)) == 5
        assert [day for day, _ in seen] == ["2025-02-11", "2025-02-07", "2025-02-05", "2025-02-05", "2025-02-03"]
        assert self.get("/service-requests", status="completed").json()["items"] == []
        with self.assertNumQueries(4):  # the token, their places, the page, the complaints raised from them
            self.get("/service-requests")

    def test_refusals(self) -> None:
        theirs = actions.log_service_request(
            self.cast.other_landlord,
            self.cast.stranger,
            resident=actions.ResidentDetails(name="Their resident"),
            service_area="rent",
            description="Statement",
            received_on=date(2025, 2, 3),
        )
        assert self.get(f"/service-requests/{theirs.reference}").content == self.get("/service-requests/X-1").content
        response = self.post(f"/service-requests/{theirs.reference}/complete", {"on": "2025-03-03"})
        assert response.status_code == 404
        assert self.post("/service-requests", NEW_REQUEST, as_="auditor").status_code == 403
        response = self.post("/service-requests", NEW_REQUEST | {"received_on": "2025-03-04", "description": ""})
        assert response.status_code == 422 and set(response.json()["errors"]) == {"received_on", "description"}
        assert not ServiceRequest.objects.filter(landlord=self.cast.landlord).exists()


class WorkdaysTests(ApiTestCase):
    def test_adding_working_days_by_the_landlords_calendar_or_a_regions(self) -> None:
        response = self.get("/workdays/add", date="2024-12-20", days=5)
        assert response.json() == {"date": "2024-12-20", "days": 5, "result": "2024-12-31", "calendar": "ashford"}
        set_closure_day(self.cast.landlord, date(2024, 12, 27), "Christmas closure")
        assert self.get("/workdays/add", date="2024-12-20", days=5).json()["result"] == "2025-01-02"
        response = self.get("/workdays/add", date="2024-12-31", days=1, region="scotland")
        assert response.json()["result"] == "2025-01-03" and response.json()["calendar"] == "scotland"

    def test_counting_working_days_between_two_dates(self) -> None:
        assert self.get("/workdays/between", start="2024-12-20", end="2024-12-31").json()["working_days"] == 5
        assert self.get("/workdays/between", start="2024-12-31", end="2024-12-20").json()["working_days"] == -5

    def test_bad_values_are_422_with_a_message(self) -> None:
        cases: list[tuple[dict[str, Any], set[str]]] = [
            ({"date": "2024-02-30", "days": 1}, {"date"}),
            ({"date": "2024-01-01", "days": -1}, {"days"}),
            ({"date": "2024-01-01", "days": "many"}, {"days"}),
            ({"date": "2024-01-01", "days": 1, "region": "wales"}, {"region"}),
            ({"days": 1}, {"date"}),
        ]
        for query, fields in cases:
            response = self.get("/workdays/add", **query)
            assert response.status_code == 422, query
            assert set(response.json()["errors"]) == fields, response.json()
        response = self.get("/workdays/add", date="1850-01-01", days=1)
        assert response.status_code == 422
        assert response.json()["detail"].startswith("A date is outside the working-day calendar: 1850")
