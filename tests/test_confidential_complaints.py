"""Complaints about a named member of staff, and complaints marked confidential with a reason.

Read only by complaints officers, managers, auditors and the people working them; never by the person
a complaint is about, whatever their role. Every way of reading follows from complaints.access: the
worklists, search, the complaint page, the API, letters, documents, actions and service requests.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase
from django.urls import reverse

from putright.access_log.models import AccessKind, SensitiveAccess
from putright.complaints import access, actions
from putright.complaints.errors import InvalidInput, NotPermitted
from putright.complaints.models import Complaint, Event, OutstandingAction
from putright.correspondence import inbound, outbox
from putright.correspondence.models import Letter, LetterStyle, OutboxMessage
from putright.documents.models import Attachment
from putright.insight import exports, measures
from putright.insight.periods import Period
from putright.landlords.models import StaffRole
from putright.ombudsman import access as ombudsman_access
from putright.ombudsman import actions as ombudsman_actions
from putright.ombudsman.models import OmbudsmanCase
from putright.privacy import actions as privacy_actions
from putright.privacy import tasks as privacy_tasks
from tests.cast import RESIDENT, acknowledge, log, make_cast, respond, staff
from tests.test_api_auth import ApiTestCase
from tests.test_mail_in import MAILBOX, MediaTestCase, email
from tests.test_workspace_support import complaint_url, page, signed_in
from tests.test_workspace_worklists import rows

TODAY = date(2025, 6, 16)  # a Monday
API_TODAY = date(2025, 3, 3)  # the API tests' day (tests.test_api_auth), a Monday
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
WHY = "The resident's neighbour works for us: keep it to those who need to know."


def _setup(cls: type, today: date = TODAY) -> None:
    cast = cls.cast  # type: ignore[attr-defined]
    # About Omar, a handler: logged by Hana, who then acknowledges it and so handles it.
    about = log(cast, today - timedelta(days=7), about_staff=cast.other_handler)
    cls.about = acknowledge(cast, about, today - timedelta(days=6))  # type: ignore[attr-defined]
    marked = log(cast, today - timedelta(days=5))
    cls.marked = actions.set_confidentiality(  # type: ignore[attr-defined]
        marked, cast.officer, confidential=True, reason=WHY
    )
    cls.plain = log(cast, today - timedelta(days=4))  # type: ignore[attr-defined]


@time_machine.travel(TODAY, tick=False)
class ReadingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        _setup(cls)

    def visible(self, who: str) -> set[str]:
        return set(access.complaints_visible_to(getattr(self.cast, who)).values_list("reference", flat=True))

    def test_a_complaint_about_a_named_member_of_staff_is_confidential_from_logging(self) -> None:
        assert self.about.is_confidential and self.about.about_staff_id == self.cast.other_handler.pk
        event = Event.objects.get(complaint=self.about, kind="confidentiality-set")
        assert event.summary == "Logged as a complaint about a named member of staff, so confidential."
        assert event.after == {"confidential": True, "about_named_staff": True}  # who: on the row, for officers

    def test_who_reads_which_complaint(self) -> None:
        about, marked, plain = self.about.reference, self.marked.reference, self.plain.reference
        assert self.visible("other_handler") == {plain}  # the person it is about: never
        assert self.visible("reviewer") == {plain}  # works neither confidential complaint
        assert self.visible("handler") == {about, plain}  # handles the one about Omar
        assert self.visible("officer") == self.visible("manager") == self.visible("auditor") == {about, marked, plain}
        assert self.visible("stranger") == set()

    def test_team_work_my_work_and_search_leave_out_what_the_reader_cannot_see(self) -> None:
        team = reverse("workspace:team-work")
        assert rows(page(signed_in(self.cast.reviewer).get(team))) == [self.plain.reference]
        assert set(rows(page(signed_in(self.cast.officer).get(team)))) == {
            self.about.reference,
            self.marked.reference,
            self.plain.reference,
        }
        assert rows(page(signed_in(self.cast.other_handler).get(team, {"q": self.about.reference}))) == []
        assert rows(page(signed_in(self.cast.other_handler).get(team, {"q": "Rosa"}))) == [self.plain.reference]
        assert rows(page(signed_in(self.cast.handler).get(reverse("workspace:my-work")))) == [self.about.reference]

    def test_the_complaint_page_is_a_404_to_those_who_cannot_read_it(self) -> None:
        for who in ("other_handler", "reviewer", "stranger"):
            assert signed_in(getattr(self.cast, who)).get(complaint_url(self.about)).status_code == 404, who
        assert signed_in(self.cast.reviewer).get(complaint_url(self.marked)).status_code == 404

    def test_the_page_shows_the_tag_and_the_reason_and_names_the_person_to_officers_only(self) -> None:
        officer = page(signed_in(self.cast.officer).get(complaint_url(self.about)))
        assert 'govuk-tag--red putright-heading-tag">Confidential' in officer
        assert "About a named member of staff: Omar Handler." in officer
        assert reverse("workspace:complaint-confidentiality", args=[self.about.reference]) in officer
        handler = page(signed_in(self.cast.handler).get(complaint_url(self.about)))
        assert "Confidential" in handler and "Omar Handler" not in handler
        assert "complaint-confidentiality" not in handler and "confidentiality/" not in handler
        marked = page(signed_in(self.cast.auditor).get(complaint_url(self.marked)))
        assert WHY.replace("'", "&#x27;") in marked

    def test_every_reading_of_a_confidential_complaint_is_logged_the_auditors_too(self) -> None:
        signed_in(self.cast.auditor).get(complaint_url(self.marked))
        row = SensitiveAccess.objects.get()
        assert (row.user_id, row.kind, row.object_label) == (
            self.cast.auditor.pk,
            AccessKind.CONFIDENTIAL_COMPLAINT,
            self.marked.reference,
        )
        signed_in(self.cast.officer).get(complaint_url(self.plain))
        assert SensitiveAccess.objects.count() == 1  # an ordinary complaint is not a sensitive record

    def test_letters_and_documents_hang_off_the_complaint(self) -> None:
        uploaded = signed_in(self.cast.handler).post(
            complaint_url(self.about, "documents/new"),
            {"expected_version": self.about.version, "file": SimpleUploadedFile("note.pdf", PDF), "description": ""},
        )
        assert uploaded.status_code == 302
        letter = Letter.objects.filter(complaint=self.about).earliest("id")
        document = Attachment.objects.get(complaint=self.about)
        letter_url = reverse("workspace:complaint-letter", args=[self.about.reference, letter.pk])
        document_url = reverse("workspace:complaint-document", args=[self.about.reference, document.pk])
        for url in (letter_url, document_url):
            assert signed_in(self.cast.other_handler).get(url).status_code == 404
            assert signed_in(self.cast.reviewer).get(url).status_code == 404
            assert signed_in(self.cast.handler).get(url).status_code == 200

    def test_action_owners_read_it_and_the_named_person_never_does(self) -> None:
        responded = respond(
            self.cast,
            self.about,
            date(2025, 6, 13),
            actions=[
                actions.ActionInput("Replace the boiler", date(2025, 6, 27), self.cast.reviewer),
                actions.ActionInput("Check the timer", date(2025, 6, 27), self.cast.reviewer),
            ],
        )
        assert responded.reference in self.visible("reviewer")
        assert responded.reference not in self.visible("other_handler")
        mine = access.actions_visible_to(self.cast.other_handler)
        assert not mine.filter(complaint=responded).exists()
        assert access.actions_visible_to(self.cast.reviewer).filter(complaint=responded).count() == 2
        listed = page(signed_in(self.cast.other_handler).get(reverse("workspace:actions")))
        assert responded.reference not in listed and "Check the timer" not in listed
        assert responded.reference in page(signed_in(self.cast.reviewer).get(reverse("workspace:actions")))

    def test_the_named_person_cannot_be_made_the_owner_of_one_of_its_actions(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            respond(
                self.cast,
                self.about,
                date(2025, 6, 13),
                actions=[
                    actions.ActionInput("Replace the boiler", date(2025, 6, 27), self.cast.reviewer),
                    actions.ActionInput("Check the timer", date(2025, 6, 27), self.cast.other_handler),
                ],
            )
        assert refused.value.errors == {
            "actions[1].owner": "This complaint is about Omar Handler, so they cannot own any of its outstanding "
            "actions: choose another member of staff"
        }
        fresh = Complaint.objects.get(pk=self.about.pk)
        assert (fresh.status, fresh.version) == (self.about.status, self.about.version)  # nothing half-written
        assert not OutstandingAction.objects.filter(complaint=self.about).exists()

    def test_a_service_request_that_became_a_confidential_complaint_is_hidden_with_it(self) -> None:
        request = actions.log_service_request(
            self.cast.landlord,
            self.cast.handler,
            resident=RESIDENT,
            service_area="repairs",
            description="The kitchen tap drips.",
            received_on=date(2025, 6, 12),
        )
        other = actions.log_service_request(
            self.cast.landlord,
            self.cast.handler,
            resident=RESIDENT,
            service_area="repairs",
            description="The gate is broken.",
            received_on=date(2025, 6, 12),
        )
        log(self.cast, date(2025, 6, 13), service_request=request, about_staff=self.cast.other_handler)
        for who in ("other_handler", "reviewer"):
            seen = set(access.service_requests_visible_to(getattr(self.cast, who)))
            assert seen == {other}, who
        assert set(access.service_requests_visible_to(self.cast.manager)) == {request, other}

    def test_the_named_person_never_reads_it_even_as_complaints_officer(self) -> None:
        about_olu = log(self.cast, date(2025, 6, 13), about_staff=self.cast.officer)
        assert signed_in(self.cast.officer).get(complaint_url(about_olu)).status_code == 404
        assert about_olu.reference not in self.visible("officer")
        staff = access.require_staff(self.cast.officer)
        with pytest.raises(NotPermitted, match="This complaint is about you") as refused:
            access.require(staff, access.Capability.ASSIGN, about_olu)
        assert "a manager must handle it" in refused.value.message
        with pytest.raises(NotPermitted, match="This complaint is about you"):
            actions.set_confidentiality(about_olu, self.cast.officer, confidential=False, reason="Not about me")
        assert about_olu.reference in self.visible("manager")

    def test_exports_keep_the_row_without_its_words_for_a_reader_who_cannot_read_it(self) -> None:
        about_olu = actions.assign_handler(
            log(self.cast, date(2025, 6, 13), about_staff=self.cast.officer),
            self.cast.manager,
            handler=self.cast.handler,
            conflict_of_interest=False,
        )
        actions.record_learning(
            about_olu,
            self.cast.manager,
            learning_outcome="Coach the team on tone",
            root_cause="staff-conduct",
            on=TODAY,
        )
        member = staff("mo.member", self.cast.landlord, StaffRole.MEMBER)

        def row(reader_id: int | None) -> dict[str, object]:
            chosen = exports.ComplaintFilter(reader_id=reader_id)
            rows = {r["reference"]: r for r in exports.complaint_rows(self.cast.landlord, chosen)}
            assert len(rows) == 4  # every complaint is counted, whoever reads
            return rows[about_olu.reference]

        assert (row(self.cast.manager.pk)["learning_outcome"], row(self.cast.manager.pk)["s1_handler"]) == (
            "Coach the team on tone",
            "Hana Handler",
        )
        for reader in (self.cast.officer, member):
            assert (row(reader.pk)["learning_outcome"], row(reader.pk)["s1_handler"]) == ("", ""), reader
        assert row(None)["learning_outcome"] == "Coach the team on tone"  # the operator's command: no reader
        exported = signed_in(self.cast.officer).get(reverse("insight:export", args=["csv"]), {"status": ""})
        text = b"".join(exported.streaming_content).decode() if exported.streaming else page(exported)
        assert about_olu.reference in text and "Coach the team on tone" not in text
        # Nor with no query string at all (the export's own default filter).
        bare = signed_in(self.cast.officer).get(reverse("insight:export", args=["csv"]))
        text = b"".join(bare.streaming_content).decode() if bare.streaming else page(bare)
        assert about_olu.reference in text and "Coach the team on tone" not in text
        assert (
            "Coach the team on tone"
            in b"".join(
                signed_in(self.cast.manager)
                .get(reverse("insight:export", args=["csv"]), {"status": ""})
                .streaming_content
            ).decode()
        )

    def test_measures_count_confidential_complaints_as_any_other(self) -> None:
        period = Period(date(2025, 4, 1), date(2026, 3, 31))
        before = measures.as_data(measures.compute(self.cast.landlord, period))
        actions.set_confidentiality(self.plain, self.cast.manager, confidential=True, reason="A sensitive matter")
        actions.set_confidentiality(
            Complaint.objects.get(pk=self.marked.pk), self.cast.manager, confidential=False, reason="No longer"
        )
        assert measures.as_data(measures.compute(self.cast.landlord, period)) == before


@time_machine.travel(TODAY, tick=False)
class MarkingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        _setup(cls)

    def test_assigning_the_person_it_is_about_is_refused_at_either_stage(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            actions.assign_handler(
                self.about, self.cast.manager, handler=self.cast.other_handler, conflict_of_interest=False
            )
        assert refused.value.errors["handler"].startswith("This complaint is about Omar Handler, so they cannot")
        officer_named = log(self.cast, date(2025, 6, 13), about_staff=self.cast.officer)
        with pytest.raises(InvalidInput, match="is about Olu Officer"):
            actions.assign_handler(
                officer_named, self.cast.manager, handler=self.cast.officer, conflict_of_interest=False
            )
        assigned = actions.assign_handler(
            officer_named, self.cast.manager, handler=self.cast.manager, conflict_of_interest=False
        )
        assert assigned.handler_id == self.cast.manager.pk

    def test_only_complaints_officers_and_managers_mark_or_clear_it(self) -> None:
        with pytest.raises(NotPermitted, match="Only a complaints officer or a manager can mark a complaint"):
            actions.set_confidentiality(self.plain, self.cast.handler, confidential=True, reason="Because")
        with pytest.raises(NotPermitted, match="read-only"):
            actions.set_confidentiality(self.plain, self.cast.auditor, confidential=True, reason="Because")
        with pytest.raises(NotPermitted, match="a landlord you work for"):
            actions.set_confidentiality(self.plain, self.cast.stranger, confidential=True, reason="Because")
        assert not Complaint.objects.get(pk=self.plain.pk).is_confidential

    def test_bad_input_is_refused_field_by_field_and_writes_nothing(self) -> None:
        events = Event.objects.count()
        with pytest.raises(InvalidInput) as refused:
            actions.set_confidentiality(self.plain, self.cast.officer, confidential=True, reason="  ")
        assert "Enter why this complaint is confidential" in refused.value.errors["reason"]
        with pytest.raises(InvalidInput) as refused:
            actions.set_confidentiality(
                self.plain, self.cast.officer, confidential=True, about_staff=self.cast.stranger
            )
        assert refused.value.errors["about_staff"] == "Choose a member of this landlord's staff"
        with pytest.raises(InvalidInput, match="handles stage 1 of this complaint"):
            actions.set_confidentiality(self.about, self.cast.officer, confidential=True, about_staff=self.cast.handler)
        with pytest.raises(InvalidInput, match="about yourself"):
            actions.set_confidentiality(self.plain, self.cast.officer, confidential=True, about_staff=self.cast.officer)
        with pytest.raises(InvalidInput, match="no longer needs to be confidential"):
            actions.set_confidentiality(self.marked, self.cast.officer, confidential=False)
        with pytest.raises(InvalidInput, match="2,000 characters or fewer"):
            actions.set_confidentiality(self.plain, self.cast.officer, confidential=True, reason="x" * 2_001)
        assert Event.objects.count() == events
        assert not Complaint.objects.get(pk=self.plain.pk).is_confidential

    def test_marking_twice_has_its_effect_once_and_clearing_opens_it_again(self) -> None:
        for _ in range(2):
            actions.set_confidentiality(self.plain, self.cast.officer, confidential=True, reason=WHY)
        assert Event.objects.filter(complaint=self.plain, kind="confidentiality-set").count() == 1
        assert self.plain.reference not in access.complaints_visible_to(self.cast.reviewer).values_list(
            "reference", flat=True
        )
        cleared = actions.set_confidentiality(
            self.plain, self.cast.manager, confidential=False, reason="Checked: nobody named"
        )
        assert not cleared.is_confidential and cleared.confidential_reason == ""
        event = Event.objects.get(complaint=self.plain, kind="confidentiality-cleared")
        assert "Checked: nobody named" in event.summary and "boiler" not in event.summary.lower()
        assert access.complaints_visible_to(self.cast.reviewer).filter(pk=self.plain.pk).exists()

    def test_a_stale_version_is_refused(self) -> None:
        from putright.complaints.errors import StaleVersion

        with pytest.raises(StaleVersion):
            actions.set_confidentiality(
                self.plain, self.cast.officer, confidential=True, reason=WHY, expected_version=self.plain.version + 5
            )

    def test_the_page_marks_a_complaint_about_a_chosen_member_of_staff(self) -> None:
        client = signed_in(self.cast.officer)
        url = reverse("workspace:complaint-confidentiality", args=[self.plain.reference])
        shown = page(client.get(url))
        assert "Not about a named member of staff" in shown and "Omar Handler" in shown
        refused = client.post(url, {"expected_version": self.plain.version, "confidential": "yes", "reason": ""})
        assert "Enter why this complaint is confidential, or choose the member of staff" in page(refused)
        contradiction = client.post(
            url,
            {
                "expected_version": self.plain.version,
                "confidential": "no",
                "about_staff": str(self.cast.other_handler.pk),
            },
        )
        assert "always confidential" in page(contradiction)
        done = client.post(
            url,
            {"expected_version": self.plain.version, "confidential": "yes", "about_staff": str(self.cast.reviewer.pk)},
        )
        assert done.status_code == 302
        assert Complaint.objects.get(pk=self.plain.pk).about_staff_id == self.cast.reviewer.pk
        assert signed_in(self.cast.reviewer).get(complaint_url(self.plain)).status_code == 404

    def test_the_intake_form_asks_whether_it_is_about_a_member_of_staff(self) -> None:
        from tests.test_workspace_support import log_form

        client = signed_in(self.cast.handler)
        shown = page(client.get(reverse("workspace:complaint-log")))
        assert "Is this complaint about a member of staff?" in shown
        data = log_form(date(2025, 6, 16), about_staff=str(self.cast.other_handler.pk))
        check = client.post(reverse("workspace:complaint-log"), data)
        assert "About a member of staff" in page(check) and "Omar Handler" in page(check)
        logged = client.post(reverse("workspace:complaint-log"), data | {"step": "log", "confirmed_new": "yes"})
        assert logged.status_code == 302 and logged["Location"] == reverse("workspace:my-work"), page(logged)
        complaint = Complaint.objects.latest("id")
        assert "It is about a member of staff, so it is confidential" in page(client.get(logged["Location"]))
        assert complaint.about_staff_id == self.cast.other_handler.pk and complaint.is_confidential


@time_machine.travel(API_TODAY, tick=False)
class ApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        _setup(cls, API_TODAY)

    def refs(self, as_: str) -> set[str]:
        return {item["reference"] for item in self.get("/complaints", as_=as_).json()["items"]}

    def test_the_list_follows_the_same_rule_and_says_which_are_confidential(self) -> None:
        assert self.refs("reviewer") == self.refs("other_handler") == {self.plain.reference}
        assert self.refs("handler") == {self.about.reference, self.plain.reference}
        items = {i["reference"]: i["confidential"] for i in self.get("/complaints", as_="auditor").json()["items"]}
        assert items == {self.about.reference: True, self.marked.reference: True, self.plain.reference: False}
        assert self.refs("stranger") == set()

    def test_the_record_names_the_person_to_officers_and_managers_only(self) -> None:
        officer = self.get(f"/complaints/{self.about.reference}", as_="officer").json()
        assert (officer["confidential"], officer["about_staff"]) == (True, "omar.handler")
        handler = self.get(f"/complaints/{self.about.reference}", as_="handler").json()
        assert (handler["confidential"], handler["about_staff"]) == (True, None)
        auditor = self.get(f"/complaints/{self.marked.reference}", as_="auditor").json()
        assert (auditor["confidential_reason"], auditor["about_staff"]) == (WHY, None)
        for who in ("other_handler", "reviewer", "stranger"):
            assert self.get(f"/complaints/{self.about.reference}", as_=who).status_code == 404, who

    def test_letters_are_a_404_to_those_who_cannot_read_the_complaint(self) -> None:
        assert self.get(f"/complaints/{self.about.reference}/letters", as_="other_handler").status_code == 404
        assert self.get(f"/complaints/{self.about.reference}/letters", as_="handler").status_code == 200

    def test_officers_mark_and_clear_with_a_post_retried_once(self) -> None:
        path = f"/complaints/{self.plain.reference}/confidentiality"
        body = {"confidential": True, "about_staff": "rita.reviewer", "reason": "Named in the complaint"}
        first = self.post(path, body, as_="officer", key="mark-1")
        again = self.post(path, body, as_="officer", key="mark-1")
        assert first.status_code == again.status_code == 200, first.json()
        assert first.json()["about_staff"] == "rita.reviewer" and first.json()["confidential"] is True
        assert Event.objects.filter(complaint=self.plain, kind="confidentiality-set").count() == 1
        refused = self.post(path, {"confidential": False}, as_="manager")
        assert refused.status_code == 422 and "reason" in refused.json()["errors"]
        cleared = self.post(path, {"confidential": False, "reason": "Checked"}, as_="manager")
        assert cleared.json()["confidential"] is False

    def test_other_roles_are_refused_with_a_sentence(self) -> None:
        path = f"/complaints/{self.plain.reference}/confidentiality"
        refused = self.post(path, {"confidential": True, "reason": "Because"}, as_="handler")
        assert refused.status_code == 403
        assert refused.json()["detail"].startswith("Only a complaints officer or a manager can mark")
        assert self.post(path, {"confidential": True, "reason": "x"}, as_="stranger").status_code == 404
        unknown = self.post(path, {"confidential": True, "about_staff": "sam.stranger"}, as_="officer")
        assert unknown.status_code == 422 and "about_staff" in unknown.json()["errors"]

    def test_the_api_refuses_the_named_person_as_an_actions_owner(self) -> None:
        body = {
            "on": "2025-02-28",
            "decisions": [
                {"number": 1, "decision": "upheld", "reasons": "The repair was late."},
                {"number": 2, "decision": "not-upheld", "reasons": "The resident rearranged it."},
            ],
            "remedies": [{"kind": "apology", "description": "We apologise for the delay."}],
            "actions": [{"description": "Check the timer", "due_on": "2025-03-14", "owner": "omar.handler"}],
        }
        refused = self.post(f"/complaints/{self.about.reference}/respond", body, as_="handler")
        assert refused.status_code == 422, refused.json()
        assert refused.json()["errors"]["actions[0].owner"].startswith("This complaint is about Omar Handler")
        assert not OutstandingAction.objects.filter(complaint=self.about).exists()

    def test_a_complaint_logged_about_a_member_of_staff_is_confidential(self) -> None:
        body = {
            "resident": {"name": "Rosa Resident", "email": "rosa@example.org"},
            "channel": "email",
            "received_on": "2025-03-03",
            "description": "The officer was rude to me on the phone.",
            "about_staff": "omar.handler",
        }
        logged = self.client.post(
            "/api/v1/complaints", json.dumps(body), content_type="application/json", headers=self.auth("handler")
        )
        assert logged.status_code == 201, logged.json()
        assert logged.json()["confidential"] is True
        assert self.get(f"/complaints/{logged.json()['reference']}", as_="other_handler").status_code == 404


def test_a_member_responsible_for_complaints_never_reads_one(db: None) -> None:
    with time_machine.travel(TODAY, tick=False):
        cast = make_cast()
        member = staff("mo.member", cast.landlord, StaffRole.MEMBER)
        log(cast, TODAY - timedelta(days=1), about_staff=cast.other_handler)
        assert not access.complaints_visible_to(member).exists()


# -- paths once scoped by landlord only: Ombudsman cases, the outbox, email that came in ----------------


def _about_officer(cast: object, today: date = TODAY, **changes: object) -> Complaint:
    """A complaint about Olu, the complaints officer, handled by Hana: every manager reads it, Olu never."""
    about = log(cast, today - timedelta(days=3), about_staff=cast.officer, **changes)  # type: ignore[attr-defined]
    return actions.assign_handler(
        about,
        cast.manager,  # type: ignore[attr-defined]
        handler=cast.handler,  # type: ignore[attr-defined]
        conflict_of_interest=False,
    )


@time_machine.travel(TODAY, tick=False)
class OmbudsmanCaseTests(TestCase):
    """A case on a confidential complaint follows the complaint's reading rule."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        _setup(cls)
        cls.about_olu = _about_officer(cls.cast)
        cls.case = ombudsman_actions.open_case(
            cls.about, cls.cast.officer, reference="202412345", enquiry_received_on=TODAY
        )
        cls.olu_case = ombudsman_actions.open_case(
            cls.about_olu, cls.cast.manager, reference="202412346", enquiry_received_on=TODAY
        )
        cls.plain_case = ombudsman_actions.open_case(
            cls.plain, cls.cast.officer, reference="202412347", enquiry_received_on=TODAY
        )

    def test_a_colleague_who_cannot_read_the_complaint_gets_a_404_for_its_case(self) -> None:
        for who, case in (("other_handler", self.case), ("reviewer", self.case), ("officer", self.olu_case)):
            client = signed_in(getattr(self.cast, who))
            for step in ("", "change/", "stage/", "bundles/new/"):
                url = reverse("workspace:ombudsman-case", args=[case.pk]) + step
                method = client.post if step == "bundles/new/" else client.get
                assert method(url).status_code == 404, (who, url)
            assert client.get(complaint_url(case.complaint, "ombudsman")).status_code == 404, who
        assert (
            signed_in(self.cast.handler).get(reverse("workspace:ombudsman-case", args=[self.case.pk])).status_code
            == 200
        )
        assert (
            signed_in(self.cast.manager).get(reverse("workspace:ombudsman-case", args=[self.olu_case.pk])).status_code
            == 200
        )

    def test_the_list_of_cases_leaves_out_those_the_reader_cannot_read(self) -> None:
        listed = page(signed_in(self.cast.officer).get(reverse("workspace:ombudsman-cases")))
        assert "202412345" in listed and "202412347" in listed
        assert "202412346" not in listed and self.about_olu.reference not in listed
        manager = page(signed_in(self.cast.manager).get(reverse("workspace:ombudsman-cases")))
        assert all(ref in manager for ref in ("202412345", "202412346", "202412347"))
        seen = set(ombudsman_access.cases_visible_to(self.cast.reviewer).values_list("reference", flat=True))
        assert seen == {"202412347"}

    def test_the_officer_named_in_a_complaint_cannot_work_its_case(self) -> None:
        client = signed_in(self.cast.officer)
        url = reverse("workspace:ombudsman-case", args=[self.olu_case.pk])
        assert client.get(url + "stage/").status_code == 404
        assert client.post(url + "stage/", {"stage": "investigation"}).status_code == 404
        assert OmbudsmanCase.objects.get(pk=self.olu_case.pk).stage == "enquiry"


@time_machine.travel(API_TODAY, tick=False)
class OmbudsmanApiTests(ApiTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        _setup(cls, API_TODAY)
        cls.case = ombudsman_actions.open_case(
            cls.about, cls.cast.officer, reference="202412345", enquiry_received_on=API_TODAY
        )

    def test_the_api_answers_a_404_for_a_case_on_a_complaint_the_caller_cannot_read(self) -> None:
        for who in ("other_handler", "reviewer", "stranger"):
            assert self.get(f"/ombudsman/cases/{self.case.pk}", as_=who).status_code == 404, who
            assert self.get("/ombudsman/cases", as_=who).json()["items"] == [], who
            refused = self.post(f"/ombudsman/cases/{self.case.pk}/bundles", as_=who)
            assert refused.status_code == 404, who
        assert self.get(f"/ombudsman/cases/{self.case.pk}", as_="handler").status_code == 200
        assert [c["id"] for c in self.get("/ombudsman/cases", as_="auditor").json()["items"]] == [self.case.pk]


@time_machine.travel(datetime(2025, 6, 16, 17, tzinfo=UTC), tick=False)
class MailTests(MediaTestCase):
    """The outbox and email that came in show a confidential complaint's mail only to its readers."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        _setup(cls)
        cls.about_olu = _about_officer(cls.cast)
        LetterStyle.objects.create(landlord=cls.cast.landlord, email=MAILBOX)
        cls.threaded = inbound.ingest(
            email(
                to=outbox.reply_address(cls.about), subject="About Omar's visit", text="He shouted at me."
            ).as_bytes(),
            received_at=datetime(2025, 6, 16, 9, tzinfo=UTC),
        )
        cls.loose = inbound.ingest(
            email(sender="pat@public.example", subject="My neighbour's bins").as_bytes(),
            received_at=datetime(2025, 6, 16, 10, tzinfo=UTC),
        )
        for complaint, subject in ((cls.about_olu, "Olu's conduct"), (cls.plain, "Your boiler")):
            outbox.queue(
                landlord=cls.cast.landlord,
                kind=OutboxMessage.Kind.values[0],
                to_address="rosa@example.org",
                subject=subject,
                body="The words of the email.",
                complaint=complaint,
                wake=False,
            )
        OutboxMessage.objects.filter(subject="Olu's conduct").update(state=OutboxMessage.State.FAILED, attempts=5)
        # A resident we can only phone: the acknowledgement has no way to be sent.
        cls.unreachable = acknowledge(
            cls.cast,
            _about_officer(cls.cast, resident=actions.ResidentDetails(name="Nia Phoneonly", phone="07700 900999")),
            TODAY - timedelta(days=2),
        )

    def test_email_in_on_a_confidential_complaint_is_a_404_to_a_colleague_who_cannot_read_it(self) -> None:
        base = f"/staff/mail/{self.threaded.pk}/"
        for who in ("other_handler", "reviewer"):
            client = signed_in(getattr(self.cast, who))
            queue = page(client.get("/staff/mail/", {"show": "all"}))
            assert "About Omar" not in queue and "My neighbour" in queue, who
            for url in (base, base + "raw/", base + "triage/"):
                assert client.get(url).status_code == 404, (who, url)
            # Nor does the log form start from its words.
            started = page(client.get(reverse("workspace:complaint-log"), {"from_email": self.threaded.pk}))
            assert "He shouted at me" not in started, who
        handler = signed_in(self.cast.handler)
        assert "About Omar" in page(handler.get("/staff/mail/", {"show": "all"}))
        assert handler.get(base).status_code == 200
        assert "He shouted at me" in page(
            handler.get(reverse("workspace:complaint-log"), {"from_email": self.threaded.pk})
        )

    def test_the_outbox_leaves_out_email_on_a_complaint_the_reader_cannot_read(self) -> None:
        officer = page(signed_in(self.cast.officer).get(reverse("workspace:outbox")))
        assert "Olu&#x27;s conduct" not in officer and self.about_olu.reference not in officer
        assert "Your boiler" in officer and "Failed (0)" in officer
        manager = page(signed_in(self.cast.manager).get(reverse("workspace:outbox")))
        assert "Olu&#x27;s conduct" in manager and "Failed (1)" in manager
        assert "Nia Phoneonly" not in officer and self.unreachable.reference not in officer
        assert "Nia Phoneonly" in manager and self.unreachable.reference in manager
        failed = OutboxMessage.objects.get(subject="Olu's conduct")
        retry = reverse("workspace:outbox-retry", args=[failed.pk])
        assert signed_in(self.cast.officer).post(retry).status_code == 404
        assert OutboxMessage.objects.get(pk=failed.pk).state == OutboxMessage.State.FAILED


@time_machine.travel(API_TODAY, tick=False)
class CopyOfTheResidentsDataTests(ApiTestCase):
    """The copy of a resident's data holds each of their complaints whole: not for the person one is about."""

    @classmethod
    def setUpTestData(cls) -> None:
        super().setUpTestData()
        cls.about_olu = _about_officer(cls.cast, API_TODAY)
        rights = privacy_actions.record_request(
            cls.about_olu.person, cls.cast.manager, kind="access", received_on=API_TODAY
        )
        export = privacy_actions.complete_access(rights, cls.cast.manager)
        privacy_tasks.build_export.call(export.pk)
        cls.rights = rights

    def test_the_officer_a_complaint_is_about_cannot_download_the_copy_and_a_manager_can(self) -> None:
        page_url = f"/staff/privacy/requests/{self.rights.pk}/exports/1/download/"
        refused = signed_in(self.cast.officer).get(page_url)
        assert refused.status_code == 403
        assert "One of this resident&#x27;s complaints is about you" in page(refused)
        api = self.get(f"/privacy/requests/{self.rights.pk}/export", as_="officer")
        assert api.status_code == 403 and api.json()["detail"].startswith("One of this resident's complaints")
        assert not SensitiveAccess.objects.filter(kind=AccessKind.SUBJECT_ACCESS).exists()
        assert signed_in(self.cast.manager).get(page_url).status_code == 200
        assert self.get(f"/privacy/requests/{self.rights.pk}/export", as_="manager").status_code == 200


@time_machine.travel(TODAY, tick=False)
class DestroyingTheRecordTests(TestCase):
    """The person a complaint is about can neither find it under the retention schedule nor erase it."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.about_olu = _about_officer(cls.cast)

    def test_the_retention_pages_do_not_find_it_for_the_officer_it_is_about(self) -> None:
        officer, manager = signed_in(self.cast.officer), signed_in(self.cast.manager)
        for name in ("retention:hold", "retention:anonymise"):
            url = reverse(name, args=[self.about_olu.reference])
            assert officer.get(url).status_code == 404, name
            assert officer.post(url, {"reason": "Gone", "until": "1 1 2030"}).status_code == 404, name
            assert manager.get(url).status_code == 200, name

    def test_the_retention_actions_refuse_the_officer_it_is_about(self) -> None:
        from putright.retention import actions as retention_actions

        with pytest.raises(NotPermitted, match="This complaint is about you"):
            retention_actions.hold(self.about_olu, self.cast.officer, reason="Legal claim", until=date(2030, 1, 1))
        with pytest.raises(NotPermitted, match="This complaint is about you"):
            retention_actions.anonymise_now(self.about_olu, self.cast.officer, reason="Past its time")

    def test_an_erasure_request_cannot_be_decided_by_the_officer_it_is_about(self) -> None:
        rights = privacy_actions.record_request(
            self.about_olu.person, self.cast.manager, kind="erasure", received_on=TODAY
        )
        with pytest.raises(NotPermitted, match="One of this resident's complaints is about you"):
            privacy_actions.decide_erasure(rights, self.cast.officer)
        assert Complaint.objects.get(pk=self.about_olu.pk).description == self.about_olu.description

    def test_the_learning_page_leaves_out_what_was_learnt_from_a_complaint_the_reader_cannot_read(self) -> None:
        about = respond(
            self.cast,
            acknowledge(self.cast, self.about_olu, TODAY - timedelta(days=2)),
            TODAY,
            remedies=[],
            decisions=[
                actions.PointDecisionInput(1, "not-upheld", "The officer's notes show the visit was polite."),
                actions.PointDecisionInput(2, "not-upheld", "The resident rearranged the visit herself."),
            ],
        )
        actions.record_learning(
            about, self.cast.manager, learning_outcome="Coach the team on tone", root_cause="staff-conduct", on=TODAY
        )
        actions.close(Complaint.objects.get(pk=about.pk), self.cast.manager, on=TODAY)
        url = reverse("insight:learning")
        assert "Coach the team on tone" in page(signed_in(self.cast.manager).get(url))
        assert "Coach the team on tone" not in page(signed_in(self.cast.officer).get(url))
