"""Learning (9.1 to 9.3): a learning outcome and root cause on each complaint, required at closure where the
landlord says so; the service improvement register and its "you said, we did" list."""

from __future__ import annotations

from datetime import date

import pytest
import time_machine
from django.test import TestCase

from putright.complaints import actions
from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.complaints.models import Complaint, Event, Remedy, Status
from putright.insight import actions as insight
from putright.insight.models import ServiceImprovement
from tests.cast import acknowledge, log, make_cast, respond

TODAY = date(2025, 8, 29)


@time_machine.travel(TODAY, tick=False)
class RecordLearningTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def responded(self) -> Complaint:
        complaint = respond(
            self.cast, acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3)), date(2025, 6, 16)
        )
        Remedy.objects.filter(stage__complaint=complaint).update(state="agreed")
        return complaint

    def test_learning_is_recorded_with_its_root_cause_an_event_and_who_recorded_it(self) -> None:
        complaint = actions.record_learning(
            self.responded(),
            self.cast.handler,
            learning_outcome="Book boiler repairs within 3 days",
            root_cause="delay",
            on=date(2025, 6, 20),
        )
        assert (complaint.learning_outcome, complaint.root_cause) == ("Book boiler repairs within 3 days", "delay")
        assert complaint.learning_recorded_by == self.cast.handler and complaint.learning_recorded_on == date(
            2025, 6, 20
        )
        event = Event.objects.get(complaint=complaint, kind="learning-recorded")
        assert event.actor == self.cast.handler and "delay or a missed timescale" in event.summary
        assert event.before == {"learning_outcome": "", "root_cause": ""}

    def test_learning_can_be_revised_and_the_event_keeps_what_it_said_before(self) -> None:
        complaint = actions.record_learning(
            self.responded(), self.cast.officer, learning_outcome="First", root_cause="communication", on=TODAY
        )
        complaint = actions.record_learning(
            complaint, self.cast.officer, learning_outcome="Second", root_cause="quality", on=TODAY
        )
        last = Event.objects.filter(complaint=complaint, kind="learning-recorded").order_by("-id").first()
        assert last is not None and last.before == {"learning_outcome": "First", "root_cause": "communication"}

    def test_both_parts_are_needed_and_checked(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            actions.record_learning(self.responded(), self.cast.officer, learning_outcome=" ", root_cause="x", on=TODAY)
        assert set(caught.value.errors) == {"learning_outcome", "root_cause"}

    def test_only_those_who_may_close_it_may_record_its_learning(self) -> None:
        complaint = self.responded()
        for outsider in (self.cast.auditor, self.cast.other_handler, self.cast.stranger):
            with pytest.raises(NotPermitted):
                actions.record_learning(complaint, outsider, learning_outcome="x", root_cause="other", on=TODAY)

    def test_a_complaint_not_accepted_has_no_learning_to_record(self) -> None:
        refused = actions.not_accept(
            log(self.cast, date(2025, 6, 2)),
            self.cast.officer,
            ground="legal-proceedings",
            explanation="A claim is filed",
            ombudsman_rights_given=True,
            on=date(2025, 6, 3),
        )
        with pytest.raises(TransitionNotAllowed):
            actions.record_learning(refused, self.cast.officer, learning_outcome="x", root_cause="other", on=TODAY)

    def test_closing_needs_the_learning_only_where_the_landlord_requires_it(self) -> None:
        assert actions.close(self.responded(), self.cast.officer, on=TODAY).status == Status.CLOSED  # off by default
        self.cast.landlord.learning_required_at_closure = True
        self.cast.landlord.save()
        complaint = self.responded()
        with pytest.raises(InvalidInput) as caught:
            actions.close(complaint, self.cast.officer, on=TODAY)
        assert "(9.1)" in caught.value.errors["learning"]
        complaint = actions.record_learning(
            complaint,
            self.cast.handler,
            learning_outcome="Check the contractor's log",
            root_cause="contractor",
            on=TODAY,
        )
        assert actions.close(complaint, self.cast.officer, on=TODAY).status == Status.CLOSED

    def test_tenure_is_recorded_at_logging_for_ch01(self) -> None:
        assert log(self.cast, TODAY).tenure == "lcra"
        assert log(self.cast, TODAY, tenure="lcho").tenure == "lcho"
        with pytest.raises(InvalidInput) as caught:
            log(self.cast, TODAY, tenure="freehold")
        assert "tenure" in caught.value.errors


@time_machine.travel(TODAY, tick=False)
class ImprovementRegisterTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.first = log(cls.cast, date(2025, 6, 2))
        cls.second = log(cls.cast, date(2025, 6, 9))

    def save(self, actor: object = None, **changes: object) -> ServiceImprovement:
        fields: dict[str, object] = {
            "title": "Damp surveys within 10 working days",
            "learning": "Three complaints about damp waited over a month for a survey.",
            "action": "Book a survey when damp is first reported; monitor weekly.",
            "responsible": "Head of Repairs",
            "complaint_references": [self.first.reference, self.second.reference.lower()],
        }
        fields.update(changes)
        return insight.save_improvement(self.cast.landlord, actor or self.cast.officer, **fields)  # type: ignore[arg-type]

    def test_an_improvement_is_linked_to_the_complaints_that_prompted_it(self) -> None:
        improvement = self.save()
        assert set(improvement.complaints.all()) == {self.first, self.second}
        assert list(self.first.improvements.all()) == [improvement]
        assert improvement.status == "proposed" and not improvement.publish

    def test_another_landlords_complaint_cannot_be_linked(self) -> None:
        theirs = actions.log_complaint(
            self.cast.other_landlord,
            self.cast.stranger,
            resident=actions.ResidentDetails(name="Tom"),
            channel="phone",
            received_on=TODAY,
            description="Leak",
        )
        with pytest.raises(InvalidInput) as caught:
            self.save(complaint_references=[theirs.reference])
        assert theirs.reference in caught.value.errors["complaints"]

    def test_publishing_needs_both_halves_of_you_said_we_did_and_completion_needs_a_date(self) -> None:
        with pytest.raises(InvalidInput) as caught:
            self.save(publish=True, status="completed")
        assert set(caught.value.errors) == {"you_said", "we_did", "completed_on"}
        improvement = self.save(
            publish=True,
            status="completed",
            completed_on=date(2025, 8, 1),
            you_said="Damp surveys took too long",
            we_did="We now survey within 10 working days",
        )
        assert improvement.publish and improvement.completed_on == date(2025, 8, 1)

    def test_changing_an_improvement_keeps_one_row(self) -> None:
        improvement = self.save()
        changed = self.save(improvement=improvement, status="in-progress", complaint_references=[self.first.reference])
        assert changed.pk == improvement.pk and list(changed.complaints.all()) == [self.first]
        assert ServiceImprovement.objects.count() == 1

    def test_only_the_complaints_officer_and_managers_keep_the_register(self) -> None:
        assert self.save(actor=self.cast.manager).pk
        for outsider in (self.cast.handler, self.cast.reviewer, self.cast.auditor):
            with pytest.raises(NotPermitted):
                self.save(actor=outsider)
        with pytest.raises(NotPermitted):
            self.save(actor=self.cast.stranger)


@time_machine.travel(TODAY, tick=False)
class LearningPagesTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        complaint = respond(
            cls.cast, acknowledge(cls.cast, log(cls.cast, date(2025, 6, 2)), date(2025, 6, 3)), date(2025, 6, 16)
        )
        Remedy.objects.filter(stage__complaint=complaint).update(state="agreed")
        complaint = actions.record_learning(
            complaint,
            cls.cast.officer,
            learning_outcome="Confirm appointments by text",
            root_cause="missed-appointment",
            on=date(2025, 6, 17),
        )
        cls.complaint = actions.close(complaint, cls.cast.officer, on=date(2025, 6, 17))
        insight.save_improvement(
            cls.cast.landlord,
            cls.cast.officer,
            title="Text reminders",
            learning="Missed appointments",
            action="Send a text the day before",
            responsible="Head of Repairs",
            status="completed",
            completed_on=date(2025, 7, 1),
            publish=True,
            you_said="Our contractors missed appointments",
            we_did="We now send a reminder the day before",
            complaint_references=[cls.complaint.reference],
        )

    def test_the_learning_register_lists_closed_complaints_with_their_learning_and_themes(self) -> None:
        self.client.force_login(self.cast.auditor)
        page = self.client.get("/staff/insight/learning/", {"year": "2025"}).content.decode()
        assert "Confirm appointments by text" in page and self.complaint.reference in page
        assert "Missed or rearranged appointment" in page and "Text reminders" in page
        filtered = self.client.get("/staff/insight/learning/", {"year": "2025", "root_cause": "delay"})
        assert "Confirm appointments by text" not in filtered.content.decode()

    def test_the_you_said_we_did_list_shows_only_what_is_published(self) -> None:
        insight.save_improvement(
            self.cast.landlord, self.cast.officer, title="Not yet public", learning="x", action="y", responsible="z"
        )
        self.client.force_login(self.cast.officer)
        page = self.client.get("/staff/insight/you-said-we-did/").content.decode()
        assert "We now send a reminder the day before" in page and "Not yet public" not in page
        assert self.complaint.reference not in page  # nothing that identifies anyone

    def test_the_register_is_kept_through_its_pages(self) -> None:
        self.client.force_login(self.cast.officer)
        response = self.client.post(
            "/staff/insight/improvements/new/",
            {
                "title": "Named contact for damp",
                "learning": "Residents were passed around",
                "action": "One officer each",
                "responsible": "Head of Housing",
                "status": "in-progress",
                "complaints": self.complaint.reference,
            },
        )
        assert response.status_code == 302
        improvement = ServiceImprovement.objects.get(title="Named contact for damp")
        assert list(improvement.complaints.all()) == [self.complaint]
        response = self.client.post(
            f"/staff/insight/improvements/{improvement.pk}/",
            {
                "title": "Named contact for damp",
                "learning": "x",
                "action": "y",
                "responsible": "z",
                "status": "completed",
            },
        )
        assert (
            response.status_code == 200 and "Enter the date the improvement was completed" in response.content.decode()
        )
        self.client.force_login(self.cast.handler)
        assert self.client.get("/staff/insight/improvements/new/").status_code == 403

    def test_learning_can_be_recorded_from_the_register_for_a_closed_complaint_without_it(self) -> None:
        complaint = respond(
            self.cast, acknowledge(self.cast, log(self.cast, date(2025, 7, 1)), date(2025, 7, 2)), date(2025, 7, 10)
        )
        Remedy.objects.filter(stage__complaint=complaint).update(state="agreed")
        actions.close(complaint, self.cast.officer, on=date(2025, 7, 11))
        self.client.force_login(self.cast.officer)
        page = self.client.get("/staff/insight/learning/", {"year": "2025"}).content.decode()
        assert "Closed without learning recorded" in page and f"Record the learning from {complaint.reference}" in page
        url = f"/staff/insight/learning/{complaint.reference}/"
        refused = self.client.post(url, {"learning_outcome": "", "root_cause": ""}).content.decode()
        assert "Enter what was learned" in refused and "Select the root cause" in refused
        assert (
            self.client.post(
                url, {"learning_outcome": "Check boilers before winter", "root_cause": "quality"}
            ).status_code
            == 302
        )
        complaint.refresh_from_db()
        assert complaint.root_cause == "quality" and complaint.learning_recorded_by == self.cast.officer
        self.client.force_login(self.cast.auditor)
        assert self.client.post(url, {"learning_outcome": "x", "root_cause": "other"}).status_code == 403
        self.client.force_login(self.cast.stranger)
        assert self.client.get(url).status_code == 404
