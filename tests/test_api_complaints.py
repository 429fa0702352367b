"""/api/v1/complaints: the worklist, one complaint's record, logging, and a POST for each step of the Code."""

from __future__ import annotations

from datetime import date
from typing import Any

from putright.complaints import actions
from putright.complaints.models import Complaint, Event, OutstandingAction, Remedy, Status
from putright.landlords.actions import adopt_policy
from putright.rules.policy import load_policy
from tests.cast import acknowledge, log, respond
from tests.conftest import EXAMPLE_POLICIES
from tests.test_api_auth import TODAY, ApiTestCase

NEW_COMPLAINT: dict[str, Any] = {
    "resident": {"name": "Rosa Resident", "email": "rosa@example.org", "phone": "07700 900123"},
    "channel": "email",
    "received_on": "2025-02-24",
    "issue_date": "2025-02-10",
    "description": "Mould in the bedroom has come back after the last treatment.",
    "outcome_sought": "Treat the mould properly and fix the ventilation.",
    "service_area": "damp-mould",
}
DEFINITION: dict[str, Any] = {
    "on": "2025-02-26",
    "understanding": "Mould has returned in the bedroom after treatment in January.",
    "outcomes_sought": "A lasting repair and a working extractor fan.",
    "points": ["The mould treatment did not last", "The extractor fan has not been repaired"],
    "responsible_for": "Mould treatment and the fan.",
    "conflict_of_interest": False,
}
RESPONSE: dict[str, Any] = {
    "on": "2025-03-03",
    "decisions": [
        {"number": 1, "decision": "upheld", "reasons": "The treatment was not followed by a ventilation check."},
        {"number": 2, "decision": "not-upheld", "reasons": "The fan was replaced on 12 February."},
    ],
    "summary": "We are sorry the mould came back.",
    "remedies": [{"kind": "apology", "description": "We apologise that the mould returned."}],
    "actions": [{"description": "Ventilation survey", "due_on": "2025-03-17", "owner": "hana.handler"}],
}


class WorklistTests(ApiTestCase):
    def test_the_worklist_lists_complaints_soonest_deadline_first(self) -> None:
        later = log(self.cast, date(2025, 2, 24))
        sooner = log(self.cast, date(2025, 2, 20))
        response = self.get("/complaints")
        assert response.status_code == 200
        body = response.json()
        assert [item["reference"] for item in body["items"]] == [sooner.reference, later.reference]
        assert body["next_cursor"] is None
        assert body["items"][0] == {
            "reference": sooner.reference,
            "landlord": "ashford",
            "status": "received",
            "stage": 1,
            "resident_name": "Rosa Resident",
            "handler": None,
            "received_on": "2025-02-20",
            "next_due": "2025-02-27",
            "next_due_kind": "acknowledge",
            "service_area": "repairs",
            "version": 1,
            "confidential": False,
        }

    def test_another_landlords_complaints_never_appear(self) -> None:
        log(self.cast, date(2025, 2, 20))
        assert self.get("/complaints", as_="stranger").json()["items"] == []

    def test_filters_narrow_the_worklist(self) -> None:
        received = log(self.cast, date(2025, 2, 24))
        open_ = acknowledge(self.cast, log(self.cast, date(2025, 2, 3), service_area="rent"), date(2025, 2, 4))
        withdrawn = actions.withdraw(log(self.cast, date(2025, 1, 6)), self.cast.officer, how="By phone", on=TODAY)

        def refs(**query: Any) -> list[str]:
            response = self.get("/complaints", **query)
            assert response.status_code == 200, response.json()
            return [item["reference"] for item in response.json()["items"]]

        assert refs(status="received") == [received.reference]
        assert refs(status="withdrawn") == [withdrawn.reference]
        assert refs(service_area="rent") == [open_.reference]
        assert refs(handler="hana.handler") == [open_.reference]
        assert refs(open="true") == [open_.reference, received.reference]
        assert refs(overdue_on="2025-03-03") == [open_.reference]  # its response was due on 18 February
        assert refs(due_before="2025-03-03") == [open_.reference]
        assert refs(received_from="2025-02-01", received_to="2025-02-28") == [open_.reference, received.reference]
        assert refs(stage=1, status="stage1-open") == [open_.reference]

    def test_bad_filters_are_refused_field_by_field(self) -> None:
        response = self.get("/complaints", handler="sam.stranger", limit=500, stage=3, overdue_on="2025-02-30")
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"limit", "stage", "overdue_on"}
        response = self.get("/complaints", handler="sam.stranger")
        assert response.status_code == 422
        assert response.json()["errors"] == {
            "handler": "Choose a member of your landlord's staff (give their username)"
        }
        for cursor in ("not-a-cursor", "W10", "WyIyMDI1LTAyLTMwIiwgMV0"):  # garbage, [], ["2025-02-30", 1]
            response = self.get("/complaints", cursor=cursor)
            assert response.status_code == 422 and "cursor" in response.json()["errors"], cursor

    def test_pages_walk_every_complaint_exactly_once_in_deadline_order(self) -> None:
        made = [log(self.cast, date(2025, 2, day)) for day in (3, 3, 3, 10, 10, 17, 24, 24)]
        for complaint in made[:2]:
            acknowledge(self.cast, complaint, date(2025, 2, 5))
        for complaint in made[5:7]:  # no deadline: they come last, by id
            actions.withdraw(complaint, self.cast.officer, how="By email", on=TODAY)
        seen: list[dict[str, Any]] = []
        cursor = None
        pages = 0
        while True:
            query: dict[str, Any] = {"limit": 3} | ({"cursor": cursor} if cursor else {})
            body = self.get("/complaints", **query).json()
            seen += body["items"]
            pages += 1
            cursor = body["next_cursor"]
            if cursor is None:
                break
            # A complaint logged mid-walk, due later than this page, is met on a later page, once.
            if pages == 1:
                made.append(log(self.cast, date(2025, 2, 28)))
        assert pages == 3
        assert sorted(item["reference"] for item in seen) == sorted(c.reference for c in made)
        keys = [(item["next_due"] is None, item["next_due"] or "", item["reference"]) for item in seen]
        assert keys == sorted(keys)

    def test_a_page_costs_the_same_queries_however_many_complaints_there_are(self) -> None:
        for _ in range(3):
            log(self.cast, date(2025, 2, 24))
        with self.assertNumQueries(3):  # the token; their places; the page with residents and handlers
            small = self.get("/complaints", limit=200)
        for _ in range(30):
            acknowledge(self.cast, log(self.cast, date(2025, 2, 20)), date(2025, 2, 21))
        with self.assertNumQueries(3):
            large = self.get("/complaints", limit=200)
        assert len(small.json()["items"]) == 3 and len(large.json()["items"]) == 33
        with self.assertNumQueries(4):  # and one to find the handler filtered on
            self.get("/complaints", handler="hana.handler")


class ComplaintRecordTests(ApiTestCase):
    def test_the_record_has_stages_remedies_actions_and_the_timeline(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 2, 3)), date(2025, 2, 5))
        actions.extend(
            complaint, self.cast.handler, days=3, reason="Waiting for the surveyor", told_by_phone_on=date(2025, 2, 13)
        )
        respond(
            self.cast,
            complaint,
            date(2025, 2, 24),
            actions=[actions.ActionInput("Replace the boiler", date(2025, 3, 10), self.cast.other_handler)],
        )
        action = OutstandingAction.objects.get()
        actions.update_action(action, self.cast.other_handler, note="Boiler ordered", resident_told=True)
        with self.assertNumQueries(11):  # with one for its service areas and one for their places (issue 19)
            body = self.get(f"/complaints/{complaint.reference.lower()}").json()
        assert body["status"] == "stage1-responded" and body["version"] == 5 and body["handler"] == "hana.handler"
        [stage] = body["stages"]
        assert stage["points"][0] == {
            "number": 1,
            "text": "The boiler repair has taken too long",
            "decision": "upheld",
            "reasons": "The repair took 21 days against a 7-day target in our policy.",
        }
        assert stage["decision"] == "partly-upheld" and stage["escalate_by"] is None
        assert "escalate your complaint to stage 2" in stage["escalation_route"]
        assert stage["extensions"][0] | {"id": 0} == {
            "id": 0,
            "days": 3,
            "reason": "Waiting for the surveyor",
            "good_reason": "",
            "previous_due": "2025-02-19",
            "new_due": "2025-02-24",
            "resident_told_on": "2025-03-03",  # the day Putright issued the extension letter
            "ombudsman_details_given": True,
            "told_by_phone_on": "2025-02-13",
            "late": True,  # recorded after the deadline it extended
            "recorded_by": "hana.handler",
            "recorded_at": "2025-03-03T00:00:00Z",
        }
        assert stage["remedies"][0]["kind"] == "apology" and stage["remedies"][0]["total"] == "0.00"
        assert body["actions"][0]["owner"] == "omar.handler"
        assert body["actions"][0]["updates"] == [
            {
                "note": "Boiler ordered",
                "resident_told": True,
                "recorded_by": "omar.handler",
                "recorded_at": "2025-03-03T00:00:00Z",
            }
        ]
        kinds = [event["kind"] for event in body["events"]]
        assert kinds == [
            "logged",
            "acknowledged",
            "letter-issued",
            "extended",
            "letter-issued",
            "responded",
            "letter-issued",
            "action-updated",
        ]
        responded = body["events"][5]
        assert responded["actor"] == "hana.handler" and responded["stage"] == 1
        assert responded["before"]["status"] == "stage1-open" and responded["after"]["status"] == "stage1-responded"

    def test_the_record_costs_the_same_queries_however_long_its_timeline(self) -> None:
        complaint = log(self.cast, date(2025, 2, 3))
        # The token, the complaint, and one for each kind of thing on it, its service areas among them (a tenth
        # for the updates of any outstanding actions).
        with self.assertNumQueries(10):
            self.get(f"/complaints/{complaint.reference}")
        complaint = acknowledge(self.cast, complaint, date(2025, 2, 5))
        for day in range(6, 21):
            actions.request_clarification(complaint, self.cast.handler, on=date(2025, 2, day), question="When?")
        respond(self.cast, complaint, date(2025, 2, 24))
        # Every acknowledgement, clarification and response also issues a letter, with its own event.
        assert Event.objects.filter(complaint=complaint).count() == 35
        with self.assertNumQueries(10):
            body = self.get(f"/complaints/{complaint.reference}").json()
        assert len(body["events"]) == 35

    def test_another_landlords_complaint_is_answered_like_one_that_does_not_exist(self) -> None:
        complaint = log(self.cast, date(2025, 2, 3))
        theirs = self.get(f"/complaints/{complaint.reference}", as_="stranger")
        missing = self.get("/complaints/ASH-2025-09999")
        assert theirs.status_code == missing.status_code == 404
        assert theirs.content == missing.content
        for path in ("/acknowledge", "/close", "/remedies/1", "/actions/1/updates"):
            theirs = self.post(f"/complaints/{complaint.reference}{path}", {"on": "2025-03-03"}, as_="stranger")
            missing = self.post(f"/complaints/ASH-2025-09999{path}", {"on": "2025-03-03"})
            assert theirs.status_code == 422 or theirs.content == missing.content, path


class LoggingTests(ApiTestCase):
    def test_a_complaint_is_logged_with_its_deadlines(self) -> None:
        response = self.post("/complaints", NEW_COMPLAINT)
        assert response.status_code == 201, response.json()
        body = response.json()
        assert body["reference"] == "ASH-2025-00001" and body["status"] == "received"
        assert body["next_due"] == "2025-03-03" and body["next_due_kind"] == "acknowledge"
        assert body["inside_acceptance_window"] is True
        assert body["resident"]["email"] == "rosa@example.org"
        assert body["events"][0]["kind"] == "logged" and body["events"][0]["actor"] == "hana.handler"

    def test_a_representative_and_an_existing_resident_and_links(self) -> None:
        first = log(self.cast, date(2025, 2, 3))
        service_request = actions.log_service_request(
            self.cast.landlord,
            self.cast.handler,
            resident=first.person,
            service_area="repairs",
            description="Tap",
            received_on=date(2025, 2, 1),
        )
        data = NEW_COMPLAINT | {
            "resident": None,
            "resident_id": first.person_id,
            "representative": {"name": "Cllr Patel", "relationship": "councillor"},
            "related_to": first.reference,
            "service_request": service_request.reference,
            "channel": "councillor-or-mp",
        }
        body = self.post("/complaints", data).json()
        assert body["resident"]["id"] == first.person_id
        assert body["representative"]["authority"] == "presumed"  # 3.6
        assert body["related_to"] == first.reference and body["service_request"] == service_request.reference

    def test_tenure_is_taken_and_comes_back_in_the_record(self) -> None:
        for tenure in ("lcra", "lcho", "other"):
            body = self.post("/complaints", NEW_COMPLAINT | {"tenure": tenure}).json()
            assert body["tenure"] == tenure
            assert Complaint.objects.get(reference=body["reference"]).tenure == tenure
            assert self.get(f"/complaints/{body['reference']}").json()["tenure"] == tenure
        assert self.post("/complaints", NEW_COMPLAINT).json()["tenure"] == "lcra"  # a tenant unless said otherwise

    def test_a_field_the_api_does_not_know_is_422_naming_it_never_dropped(self) -> None:
        for data, field in (
            (NEW_COMPLAINT | {"tenur": "other"}, "tenur"),
            (NEW_COMPLAINT | {"resident": {"name": "Rosa", "nickname": "Ro"}}, "resident.nickname"),
            (
                NEW_COMPLAINT | {"representative": {"name": "Jo", "relationship": "councillor", "x": 1}},
                "representative.x",
            ),
        ):
            response = self.post("/complaints", data)
            assert response.status_code == 422, response.content
            body = response.json()
            assert set(body["errors"]) == {field} and "does not take this field" in body["errors"][field]
            assert field in body["detail"]
        assert not Complaint.objects.exists()
        ref = log(self.cast, date(2025, 2, 3)).reference
        response = self.post(
            f"/complaints/{ref}/withdraw", {"how": "Phoned", "on": "2025-03-03", "reason": "x"}, as_="officer"
        )
        assert response.status_code == 422 and set(response.json()["errors"]) == {"reason"}
        assert Complaint.objects.get(reference=ref).status == "received"

    def test_html_and_script_are_kept_as_text(self) -> None:
        script = '<script>alert("x")</script> & <b>bold</b> \u202e \U0001f600'
        data = NEW_COMPLAINT | {"description": script, "resident": {"name": "<img src=x onerror=alert(1)>"}}
        response = self.post("/complaints", data)
        assert response["Content-Type"] == "application/json; charset=utf-8"
        body = response.json()
        assert body["description"] == script and body["resident"]["name"] == "<img src=x onerror=alert(1)>"
        assert self.get(f"/complaints/{body['reference']}").json()["description"] == script
        assert Complaint.objects.get().description == script

    def test_bad_input_is_refused_field_by_field_never_with_a_server_error(self) -> None:
        cases: list[tuple[dict[str, Any], set[str]]] = [
            ({}, {"channel", "received_on", "description"}),
            (NEW_COMPLAINT | {"received_on": "2025-02-30", "issue_date": "yesterday"}, {"received_on", "issue_date"}),
            (NEW_COMPLAINT | {"received_on": "2025-03-04"}, {"received_on"}),  # the future
            (NEW_COMPLAINT | {"description": "x" * 20_001}, {"description"}),
            (NEW_COMPLAINT | {"description": "   "}, {"description"}),
            (NEW_COMPLAINT | {"description": "nul\x00"}, {"description"}),
            (NEW_COMPLAINT | {"channel": "carrier-pigeon", "service_area": 7}, {"channel", "service_area"}),
            (NEW_COMPLAINT | {"resident": {"name": ["Rosa"], "email": "not an email"}}, {"resident.name"}),
            (NEW_COMPLAINT | {"resident": {"name": "Rosa", "email": "not an email"}}, {"resident.email"}),
            (NEW_COMPLAINT | {"resident_id": -1}, {"resident_id"}),
            (NEW_COMPLAINT | {"resident_id": 10**30}, {"resident_id"}),
            (NEW_COMPLAINT | {"resident": None}, {"resident"}),
            (NEW_COMPLAINT | {"resident_id": 999_999}, {"resident"}),
            (NEW_COMPLAINT | {"related_to": "ASH-2025-09999"}, {"related_to"}),
            (
                NEW_COMPLAINT | {"representative": {"name": "Jo", "relationship": "relative"}},
                {"representative.authority"},
            ),
        ]
        for data, fields in cases:
            response = self.post("/complaints", data)
            assert response.status_code == 422, (data, response.content)
            assert set(response.json()["errors"]) == fields, (fields, response.json())
            assert response.json()["detail"]
        for body in ("[", "null", '"text"', "[1, 2]", b"\xff\xfe"):
            response = self.post("/complaints", body)
            assert response.status_code in (400, 422), body
            assert set(response.json()) <= {"detail", "errors"}
        assert not Complaint.objects.exists()

    def test_a_body_too_large_to_read_is_413_and_a_huge_field_is_422(self) -> None:
        response = self.post("/complaints", NEW_COMPLAINT | {"description": "x" * 3_000_000}, key="big")
        assert response.status_code == 413
        assert response.json() == {"detail": "The request is too large: it must be smaller than 1 MB."}
        # Within the request limit (each emoji is 12 bytes of JSON), but far beyond the field's.
        response = self.post("/complaints", NEW_COMPLAINT | {"outcome_sought": "\U0001f600" * 50_000})
        assert response.status_code == 422 and set(response.json()["errors"]) == {"outcome_sought"}
        response = self.get("/complaints", handler="h" * 100_000)
        assert response.status_code == 422 and set(response.json()["errors"]) == {"handler"}

    def test_the_auditor_cannot_log_a_complaint(self) -> None:
        response = self.post("/complaints", NEW_COMPLAINT, as_="auditor")
        assert response.status_code == 403
        assert response.json() == {
            "detail": "Your role (Auditor) is read-only: you can read your landlord's complaints,"
            " but not log complaints and service requests."
        }

    def test_a_resident_or_service_request_of_another_landlord_cannot_be_used(self) -> None:
        theirs = actions.log_complaint(
            self.cast.other_landlord,
            self.cast.stranger,
            resident=actions.ResidentDetails(name="Their resident"),
            channel="email",
            received_on=date(2025, 2, 3),
            description="Theirs",
        )
        response = self.post("/complaints", NEW_COMPLAINT | {"resident": None, "resident_id": theirs.person_id})
        assert response.json()["errors"] == {"resident_id": "There is no resident with this id at your landlord"}
        response = self.post("/complaints", NEW_COMPLAINT | {"related_to": theirs.reference})
        assert response.json()["errors"] == {"related_to": "There is no complaint with this reference"}


class StepTests(ApiTestCase):
    """A complaint through both stages to closure, every step through the API."""

    def step(self, reference: str, path: str, data: dict[str, Any], as_: str = "handler", status: int = 200) -> Any:
        response = self.post(f"/complaints/{reference}/{path}", data, as_=as_)
        assert response.status_code == status, (path, response.json())
        return response.json()

    def test_both_stages_to_closure_and_the_ombudsman(self) -> None:
        ref = self.post("/complaints", NEW_COMPLAINT).json()["reference"]
        body = self.step(ref, "assign", {"handler": "hana.handler", "conflict_of_interest": False}, as_="officer")
        assert body["handler"] == "hana.handler" and body["version"] == 2
        body = self.step(ref, "acknowledge", DEFINITION | {"version": 2})
        assert body["status"] == "stage1-open" and len(body["stages"][0]["points"]) == 2
        body = self.step(ref, "clarification", {"on": "2025-02-27", "question": "Which room?"})
        assert body["stages"][0]["clarification_requested_on"] == "2025-02-27"
        body = self.step(
            ref,
            "extend",
            {"days": 2, "reason": "Surveyor"},
        )
        assert body["stages"][0]["extension_days"] == 2 and body["stages"][0]["extensions"][0]["days"] == 2
        # Putright's extension letter is the notice: told today, with the Ombudsman's details (6.5).
        extension = body["stages"][0]["extensions"][0]
        assert extension["resident_told_on"] == "2025-03-03" and extension["ombudsman_details_given"] is True
        body = self.step(ref, "update-interval", {"every_days": 5, "agreed_on": "2025-02-28"})
        assert body["stages"][0]["update_interval_days"] == 5
        body = self.step(ref, "issues", {"description": "The fan is noisy too", "related": True, "on": "2025-03-03"})
        assert body["stages"][0]["points"][2]["text"] == "The fan is noisy too"
        linked = self.step(
            ref, "issues", {"description": "Rent statement is wrong", "related": False, "on": "2025-03-03"}, status=201
        )
        assert linked["related_to"] == ref and linked["reference"] != ref
        remedy = self.post(
            f"/complaints/{ref}/remedies",
            {"kind": "financial", "description": "For the heaters", "amount_quantifiable_loss": "45.50"},
        )
        assert remedy.status_code == 201
        assert remedy.json() | {"id": 0} == {
            "id": 0,
            "stage": 1,
            "kind": "financial",
            "description": "For the heaters",
            "amount_statutory": "0.00",
            "amount_quantifiable_loss": "45.50",
            "amount_time_and_trouble": "0.00",
            "amount_distress": "0.00",
            "total": "45.50",
            "due_on": None,
            "state": "offered",
            "delivered_on": None,
        }
        decisions = RESPONSE["decisions"] + [{"number": 3, "decision": "not-upheld", "reasons": "It is quiet."}]
        body = self.step(ref, "respond", RESPONSE | {"decisions": decisions})
        assert body["status"] == "stage1-responded" and len(body["stages"][0]["remedies"]) == 2
        action_id = body["actions"][0]["id"]
        for remedy_id in Remedy.objects.values_list("id", flat=True):
            updated = self.post(f"/complaints/{ref}/remedies/{remedy_id}", {"state": "agreed", "on": "2025-03-03"})
            assert updated.status_code == 200 and updated.json()["state"] == "agreed"
        update = self.post(f"/complaints/{ref}/actions/{action_id}/updates", {"note": "Survey booked"})
        assert update.status_code == 201 and update.json()["updates"][0]["note"] == "Survey booked"
        body = self.step(ref, "escalate", {"requested_on": "2025-03-03"})
        assert body["status"] == "stage2-open" and body["next_due"] == "2025-03-10"
        body = self.step(ref, "acknowledge", DEFINITION | {"on": "2025-03-03"}, as_="reviewer")
        body = self.step(ref, "respond", RESPONSE | {"actions": []}, as_="reviewer")
        assert body["status"] == "stage2-responded"
        remedy_id = Remedy.objects.filter(state="offered").get().pk
        declined = self.post(
            f"/complaints/{ref}/remedies/{remedy_id}", {"state": "declined", "on": "2025-03-03"}, as_="reviewer"
        )
        assert declined.status_code == 200, declined.json()
        body = self.step(ref, "close", {"on": "2025-03-03"}, as_="officer")
        assert body["status"] == "closed" and body["closed_on"] == "2025-03-03"
        body = self.step(
            ref, "ombudsman-referral", {"on": "2025-03-03", "ombudsman_reference": "202500001"}, as_="officer"
        )
        assert body["ombudsman_reference"] == "202500001"
        # The referral opens the Ombudsman case (putright.ombudsman.reactions).
        assert [e["kind"] for e in body["events"][-2:]] == ["ombudsman-referral", "ombudsman-case-opened"]

    def test_not_accepting_and_withdrawing(self) -> None:
        ref = log(self.cast, date(2025, 2, 3)).reference
        refusal = {
            "ground": "legal-proceedings",
            "explanation": "Court proceedings started in January.",
            "ombudsman_rights_given": True,
            "on": "2025-03-03",
        }
        body = self.step(ref, "not-accept", refusal, as_="manager")
        assert body["status"] == "not-accepted" and body["refusal_ground"] == "legal-proceedings"
        assert body["refused_by"] == "mei.manager"
        other = log(self.cast, date(2025, 2, 3)).reference
        body = self.step(other, "withdraw", {"how": "Phoned to say it is sorted", "on": "2025-03-03"}, as_="officer")
        assert body["status"] == "withdrawn" and body["withdrawal_how"] == "Phoned to say it is sorted"

    def test_a_ground_of_the_landlords_own_needs_a_recorded_review_2_2_2_5(self) -> None:
        adopt_policy(self.cast.landlord, load_policy(EXAMPLE_POLICIES / "medway-2022.toml"), date(2025, 1, 1))
        ref = log(self.cast, date(2025, 2, 3)).reference
        refusal = {
            "ground": "repair-requests",
            "explanation": "This is a first report of a leak: we have booked the repair.",
            "ombudsman_rights_given": True,
            "on": "2025-03-03",
        }
        response = self.post(f"/complaints/{ref}/not-accept", refusal, as_="manager")
        assert response.status_code == 422 and set(response.json()["errors"]) == {"review_note"}
        assert "2.2, 2.5" in response.json()["errors"]["review_note"]
        review = "A first report, on its own facts: the repair is booked for Thursday."
        body = self.step(ref, "not-accept", refusal | {"review_note": review}, as_="manager")
        assert body["status"] == "not-accepted"
        assert any(review in event["summary"] for event in body["events"] if event["kind"] == "not-accepted")

    def test_refusing_escalation(self) -> None:
        complaint = respond(
            self.cast, acknowledge(self.cast, log(self.cast, date(2025, 2, 3)), date(2025, 2, 4)), date(2025, 2, 17)
        )
        refusal = {
            "ground": "previously-considered",
            "explanation": "Already decided in 2024.",
            "ombudsman_rights_given": True,
            "on": "2025-03-03",
        }
        body = self.step(complaint.reference, "refuse-escalation", refusal, as_="officer")
        assert body["status"] == "closed" and body["escalation_refused"] is True


class RefusalTests(ApiTestCase):
    def test_a_step_the_state_does_not_allow_is_409(self) -> None:
        ref = log(self.cast, date(2025, 2, 3)).reference
        response = self.post(f"/complaints/{ref}/respond", RESPONSE)
        assert response.status_code == 409
        assert response.json() == {"detail": f"{ref} is received, so you cannot respond (acknowledge it first)."}
        response = self.post(f"/complaints/{ref}/escalate", {"requested_on": "2025-03-03"})
        assert response.status_code == 409

    def test_a_role_that_does_not_allow_the_step_is_403(self) -> None:
        ref = log(self.cast, date(2025, 2, 3)).reference
        response = self.post(f"/complaints/{ref}/acknowledge", DEFINITION, as_="auditor")
        assert response.status_code == 403
        assert "Auditor" in response.json()["detail"]
        response = self.post(
            f"/complaints/{ref}/not-accept",
            {"ground": "legal-proceedings", "explanation": "x", "ombudsman_rights_given": True, "on": "2025-03-03"},
        )
        assert response.status_code == 403

    def test_a_response_missing_what_the_code_requires_is_422_naming_it(self) -> None:
        ref = acknowledge(self.cast, log(self.cast, date(2025, 2, 3)), date(2025, 2, 4)).reference
        response = self.post(
            f"/complaints/{ref}/respond",
            {"on": "2025-03-03", "decisions": [{"number": 1, "decision": "upheld", "reasons": "Too slow."}]},
        )
        assert response.status_code == 422
        message = response.json()["errors"]["response"]
        assert "the decision on the complaint (6.9(c)): point 2 has no decision" in message
        assert "the details of any remedy offered to put things right (6.9(e))" in message
        assert response.json()["detail"].startswith("response: The response cannot be issued without")
        assert Complaint.objects.get(reference=ref).status == Status.STAGE1_OPEN

    def test_a_stale_version_is_409(self) -> None:
        complaint = log(self.cast, date(2025, 2, 3))
        acknowledge(self.cast, complaint, date(2025, 2, 4))
        response = self.post(
            f"/complaints/{complaint.reference}/clarification",
            {"on": "2025-03-03", "question": "Which room?", "version": 1},
        )
        assert response.status_code == 409
        assert "was changed by someone else since you opened it" in response.json()["detail"]
        respond(
            self.cast,
            Complaint.objects.get(),
            date(2025, 2, 17),
            actions=[actions.ActionInput("Fix", date(2025, 3, 10))],
        )
        action = OutstandingAction.objects.get()
        response = self.post(
            f"/complaints/{complaint.reference}/actions/{action.pk}/updates", {"note": "Done", "version": 2}
        )
        assert response.status_code == 409

    def test_bad_input_to_a_step_is_422_field_by_field(self) -> None:
        ref = log(self.cast, date(2025, 2, 3)).reference
        response = self.post(f"/complaints/{ref}/acknowledge", DEFINITION | {"points": [], "on": "2025-01-01"})
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"points", "on"}
        response = self.post(f"/complaints/{ref}/extend", {"days": -5, "reason": "x", "told_by_phone_on": "2025-03-04"})
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"days", "told_by_phone_on"}
        # The attestations Putright now records itself are refused as unknown fields, not silently dropped.
        response = self.post(
            f"/complaints/{ref}/extend",
            {"days": 5, "reason": "x", "resident_told_on": "2025-03-03", "ombudsman_details_given": True},
        )
        assert response.status_code == 422
        assert set(response.json()["errors"]) == {"resident_told_on", "ombudsman_details_given"}
        assert "does not take this field" in response.json()["errors"]["resident_told_on"]
        response = self.post(
            f"/complaints/{ref}/remedies", {"kind": "financial", "description": "£", "amount_distress": "-5"}
        )
        assert response.status_code == 422 and set(response.json()["errors"]) == {"remedy[0].amount"}
        response = self.post(
            f"/complaints/{ref}/assign", {"handler": "sam.stranger", "conflict_of_interest": False}, as_="officer"
        )
        assert response.json()["errors"] == {
            "handler": "Choose a member of your landlord's staff (give their username)"
        }
        for path, body in (
            ("remedies/999999", {"state": "agreed", "on": "2025-03-03"}),
            ("actions/999999/updates", {"note": "x"}),
        ):
            response = self.post(f"/complaints/{ref}/{path}", body)
            assert response.status_code == 404, path
