"""Who oversees complaint handling and what they were presented (issue 17): the governing body, appointments
(one current holder per role), presentations and responses, the Member Responsible for Complaints as a
staff role that reads insight but never an individual complaint, the MRC approving the self-assessment, the
annual report's response kept on its presentation (one record), and the oversight pages."""

from __future__ import annotations

import io
import zipfile
from datetime import date

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import TestCase
from django.test.utils import CaptureQueriesContext

from putright import clock
from putright.api import tokens
from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.governance.actions import bodies
from putright.governance.models import Appointment, GoverningBody, OversightRole, Presentation, ReportKind
from putright.insight import access as insight_access
from putright.insight import actions as insight_actions
from putright.insight import reports
from putright.insight.models import SelfAssessment
from putright.landlords.models import StaffRole
from tests.cast import acknowledge, log, make_cast, staff
from tests.test_workspace_support import complaint_url, date_fields, page, signed_in

TODAY = date(2025, 7, 10)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


def word_document() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<document/>")
    return buffer.getvalue()


class GovernanceCase(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.member = staff("clare.member", cls.cast.landlord, StaffRole.MEMBER)
        with time_machine.travel(TODAY, tick=False):
            cls.cabinet = bodies.add_governing_body(
                cls.cast.landlord, cls.cast.officer, name="Cabinet", kind=GoverningBody.Kind.GOVERNING_BODY
            )

    def appoint_member(self, user: object = None) -> Appointment:
        return bodies.appoint(
            self.cast.landlord,
            self.cast.officer,
            role=OversightRole.MRC,
            name="Cllr Clare Member",
            title="Portfolio Holder for Housing",
            starts_on=date(2024, 5, 20),
            user=self.member if user is None else user,  # type: ignore[arg-type]
        )

    def present(self, **changes: object) -> Presentation:
        fields: dict[str, object] = {
            "report": ReportKind.GOVERNANCE,
            "year_starting": 2025,
            "quarter": 1,
            "body": self.cabinet,
            "to_member": True,
            "meeting": "Cabinet, 8 July 2025",
            "presented_on": date(2025, 7, 8),
        }
        fields.update(changes)
        return bodies.record_presentation(self.cast.landlord, self.cast.officer, **fields)  # type: ignore[arg-type]


@time_machine.travel(TODAY, tick=False)
class BodiesAndAppointmentsTests(GovernanceCase):
    def test_at_most_one_active_governing_body_and_names_once(self) -> None:
        with self.assertRaises(InvalidInput) as refused:
            bodies.add_governing_body(self.cast.landlord, self.cast.manager, name="Board", kind="governing_body")
        assert "already recorded" in refused.exception.errors["kind"]
        with self.assertRaises(InvalidInput) as refused:
            bodies.add_governing_body(self.cast.landlord, self.cast.manager, name="cabinet", kind="committee")
        assert refused.exception.errors["name"] == "cabinet is already recorded"
        board = bodies.add_governing_body(
            self.cast.landlord, self.cast.manager, name="Housing Advisory Board", kind="committee"
        )
        assert board.kind == GoverningBody.Kind.COMMITTEE
        bodies.retire_governing_body(self.cabinet, self.cast.officer)
        with self.assertRaises(TransitionNotAllowed):
            bodies.retire_governing_body(self.cabinet, self.cast.officer)
        assert bodies.add_governing_body(self.cast.landlord, self.cast.officer, name="Board", kind="governing_body")

    def test_only_the_officer_or_a_manager_keeps_the_records(self) -> None:
        for user in (self.cast.auditor, self.cast.handler, self.member, self.cast.stranger):
            with self.assertRaises(NotPermitted):
                bodies.add_governing_body(self.cast.landlord, user, name="Scrutiny", kind="committee")

    def test_appointing_a_new_holder_ends_the_last(self) -> None:
        first = self.appoint_member()
        second = bodies.appoint(
            self.cast.landlord,
            self.cast.manager,
            role=OversightRole.MRC,
            name="Cllr New Member",
            starts_on=date(2025, 5, 22),
        )
        first.refresh_from_db()
        assert first.ends_on == date(2025, 5, 21)
        assert second.ends_on is None
        with self.assertRaises(InvalidInput) as refused:
            bodies.appoint(
                self.cast.landlord, self.cast.officer, role="mrc", name="Too early", starts_on=date(2025, 5, 1)
            )
        assert refused.exception.errors["starts_on"].startswith("The date must be after 22 May 2025")

    def test_appointments_are_validated(self) -> None:
        with self.assertRaises(InvalidInput) as refused:
            bodies.appoint(
                self.cast.landlord,
                self.cast.officer,
                role="king",
                name=" ",
                starts_on=date(2025, 8, 1),
                user=self.cast.stranger,
            )
        assert refused.exception.errors == {
            "role": "Select the role",
            "name": "Enter the name of the person who holds the role",
            "starts_on": "The date cannot be in the future",
            "user": "Select an account of your own landlord's staff",
        }

    def test_ending_an_appointment(self) -> None:
        appointment = self.appoint_member()
        with self.assertRaises(InvalidInput) as refused:
            bodies.end_appointment(appointment, self.cast.officer, ends_on=date(2024, 1, 1))
        assert "before 20 May 2024" in refused.exception.errors["ends_on"]
        bodies.end_appointment(appointment, self.cast.officer, ends_on=date(2025, 6, 30))
        with self.assertRaises(TransitionNotAllowed):
            bodies.end_appointment(appointment, self.cast.officer, ends_on=date(2025, 6, 30))


@time_machine.travel(TODAY, tick=False)
class PresentationTests(GovernanceCase):
    def test_a_presentation_with_its_minutes_and_the_mrcs_name(self) -> None:
        self.appoint_member()
        made = self.present(file_name="Cabinet minutes.pdf", content=PDF)
        assert made.member_name == "Cllr Clare Member"
        assert made.document_type == "application/pdf"
        assert made.document.read() == PDF
        assert made.audience == "Cabinet and the Member Responsible for Complaints (Cllr Clare Member)"
        word = self.present(quarter=4, year_starting=2024, file_name="minutes.docx", content=word_document())
        assert word.document_type.endswith("wordprocessingml.document")

    def test_the_same_report_to_the_same_body_on_the_same_day_is_refused(self) -> None:
        self.present()
        with self.assertRaises(InvalidInput) as refused:
            self.present()
        assert refused.exception.errors == {
            "presented_on": "This report is already recorded as presented to them on that date"
        }
        assert Presentation.objects.count() == 1

    def test_bad_input_is_refused_field_by_field(self) -> None:
        other = GoverningBody.objects.create(
            landlord=self.cast.other_landlord, name="Cabinet", added_by=self.cast.stranger, added_at=clock.now()
        )
        with self.assertRaises(InvalidInput) as refused:
            self.present(
                report="minutes",
                year_starting=1990,
                body=other,
                meeting="",
                presented_on=date(2025, 8, 1),
                content=b"MZ not a document",
            )
        assert refused.exception.errors == {
            "report": "Select the report that was presented",
            "year_starting": "Enter the reporting year it covers, from 2000 to 2025",
            "body": "Select one of your own governing bodies or committees",
            "meeting": "Enter the meeting, like Cabinet, 12 June 2025",
            "presented_on": "The date it was presented cannot be in the future",
            "document": "The selected file must be a PDF or a Word document (.docx)",
        }
        with self.assertRaises(InvalidInput) as refused:
            self.present(quarter=None, body=None, to_member=False)
        assert refused.exception.errors == {
            "quarter": "Select the quarter the governance report covers",
            "body": "Select who it was presented to: a governing body or committee, the MRC, or both",
        }

    def test_the_member_records_the_response_and_the_auditor_cannot(self) -> None:
        self.appoint_member()
        made = self.present()
        with self.assertRaises(NotPermitted):
            bodies.record_response(made, self.cast.auditor, response="Noted", on=TODAY)
        with self.assertRaises(NotPermitted):
            bodies.record_response(made, self.cast.stranger, response="Noted", on=TODAY)
        with self.assertRaises(InvalidInput) as refused:
            bodies.record_response(made, self.member, response=" ", on=date(2025, 7, 1))
        assert refused.exception.errors == {
            "response": "Enter what the governing body or the MRC said",
            "on": "The response cannot come before the report was presented (8 July 2025)",
        }
        bodies.record_response(made, self.member, response="Cabinet noted the report.", on=date(2025, 7, 9))
        made.refresh_from_db()
        assert (made.response, made.response_on, made.response_recorded_by) == (
            "Cabinet noted the report.",
            date(2025, 7, 9),
            self.member,
        )
        # The member may not record presentations.
        with self.assertRaises(NotPermitted):
            bodies.record_presentation(
                self.cast.landlord,
                self.member,
                report="annual",
                year_starting=2024,
                body=self.cabinet,
                meeting="Cabinet",
                presented_on=TODAY,
            )

    def test_the_governance_report_shows_what_was_presented_and_who_holds_the_roles(self) -> None:
        self.appoint_member()
        made = self.present()
        bodies.record_response(made, self.cast.officer, response="Noted <script>x</script>", on=TODAY)
        view = reports.governance_report(self.cast.landlord, 2025, 1)
        assert view.oversight.presented == [made]
        assert [a.name for a in view.oversight.holders] == ["Cllr Clare Member"]
        html = page(signed_in(self.member).get("/staff/insight/governance/?year=2025&quarter=1"))
        assert "What the governing body and the MRC received" in html
        assert "Governance report, Q1 2025/26" in html and "Cabinet, 8 July 2025" in html
        assert "Noted &lt;script&gt;x&lt;/script&gt;" in html
        assert "Member Responsible for Complaints: Cllr Clare Member, Portfolio Holder for Housing" in html


@time_machine.travel(TODAY, tick=False)
class TheAnnualResponseIsKeptOnItsPresentationTests(GovernanceCase):
    def test_recording_the_response_makes_or_finds_the_presentation(self) -> None:
        insight_actions.record_governing_body_response(
            self.cast.landlord,
            self.cast.officer,
            year_starting=2024,
            response="Cabinet endorsed the report.",
            on=date(2025, 6, 26),
            governing_body="Cabinet",
        )
        shown = Presentation.objects.get(report=ReportKind.ANNUAL, year_starting=2024)
        assert (shown.body, shown.presented_on, shown.response) == (
            self.cabinet,
            date(2025, 6, 26),
            "Cabinet endorsed the report.",
        )
        # Again, changed: the same presentation, not a second one.
        insight_actions.record_governing_body_response(
            self.cast.landlord,
            self.member,
            year_starting=2024,
            response="Cabinet endorsed the report and the action plan.",
            on=date(2025, 6, 27),
        )
        assert Presentation.objects.filter(report=ReportKind.ANNUAL).count() == 1
        view = reports.annual_report(self.cast.landlord, 2024)
        assert [p.response for p in view.presented] == ["Cabinet endorsed the report and the action plan."]
        html = page(signed_in(self.cast.auditor).get("/staff/insight/annual/"))
        assert "Recorded 27 June 2025" in html

    def test_the_member_cannot_invent_a_presentation(self) -> None:
        with self.assertRaises(NotPermitted):
            insight_actions.record_governing_body_response(
                self.cast.landlord, self.member, year_starting=2024, response="Noted", on=TODAY
            )
        assert not Presentation.objects.exists()


@time_machine.travel(TODAY, tick=False)
class TheMemberReadsInsightOnlyTests(GovernanceCase):
    def test_the_workspace_refuses_the_member_saying_why(self) -> None:
        complaint = log(self.cast, date(2025, 7, 1))
        acknowledge(self.cast, complaint, date(2025, 7, 2))
        client = signed_in(self.member)
        for url in (complaint_url(complaint), "/staff/team/", "/staff/complaints/new/", "/staff/mail/"):
            response = client.get(url)
            assert response.status_code == 403, (url, response.status_code)
            assert "not individual complaints" in page(response), url
        # The landing page after signing in sends the member to insight.
        response = client.get("/staff/")
        assert response.status_code == 302 and response["Location"] == "/staff/insight/"
        assert client.get("/staff/insight/").status_code == 200
        assert "Workspace</a>" not in page(client.get("/staff/insight/"))

    def test_the_api_refuses_the_member_complaints_but_not_governance(self) -> None:
        token = tokens.issue(self.member)[1]
        headers = {"Authorization": f"Bearer {token}"}
        response = self.client.get("/api/v1/complaints", headers=headers)
        assert response.status_code == 403
        assert "not individual complaints" in response.json()["detail"]
        assert self.client.get("/api/v1/governance/presentations", headers=headers).status_code == 200

    def test_the_member_is_refused_by_every_complaint_action(self) -> None:
        from putright.complaints import access

        with self.assertRaises(NotPermitted) as refused:
            access.require_staff(self.member)
        assert refused.exception.message == access.INSIGHT_ONLY


@time_machine.travel(TODAY, tick=False)
class TheMemberApprovesTheSelfAssessmentTests(GovernanceCase):
    def submitted(self) -> SelfAssessment:
        assessment = insight_actions.start_self_assessment(self.cast.landlord, self.cast.officer, year_starting=2024)
        for entry in assessment.entries.all():
            insight_actions.update_entry(entry, self.cast.officer, comply="yes", evidence="Complaints policy")
        return insight_actions.submit_self_assessment(assessment, self.cast.officer)

    def test_without_an_mrc_account_a_manager_approves(self) -> None:
        assert insight_access.approved_by_manager(self.cast.landlord.pk)
        approved = insight_actions.approve_self_assessment(self.submitted(), self.cast.manager)
        assert approved.state == SelfAssessment.State.APPROVED

    def test_the_mrc_with_an_account_approves_and_a_manager_may_not(self) -> None:
        self.appoint_member()
        assessment = self.submitted()
        with self.assertRaises(NotPermitted) as refused:
            insight_actions.approve_self_assessment(assessment, self.cast.manager)
        assert refused.exception.message == (
            "Only the Member Responsible for Complaints (Cllr Clare Member) can approve the self-assessment."
        )
        approved = insight_actions.approve_self_assessment(assessment, self.member, note="Approved at Cabinet")
        assert (approved.state, approved.approved_by) == (SelfAssessment.State.APPROVED, self.member)
        assert not insight_access.approved_by_manager(self.cast.landlord.pk)


@time_machine.travel(TODAY, tick=False)
class OversightPagesTests(GovernanceCase):
    def test_the_hub_lists_bodies_roles_and_presentations(self) -> None:
        self.appoint_member()
        self.present()
        html = page(signed_in(self.cast.auditor).get("/staff/insight/oversight/"))
        assert "Cabinet" in html and "Cllr Clare Member, Portfolio Holder for Housing, since 20 May 2024" in html
        assert "Governance report, Q1 2025/26" in html
        assert "Record a report presented" not in html  # the auditor reads only
        assert signed_in(self.cast.auditor).get("/staff/insight/oversight/presentations/add/").status_code == 403
        assert signed_in(self.cast.handler).get("/staff/insight/oversight/").status_code == 403

    def test_recording_a_presentation_with_a_file_then_again_is_refused(self) -> None:
        client = signed_in(self.cast.officer)
        form = {
            "report": "governance",
            "year": "2025",
            "quarter": "1",
            "body": str(self.cabinet.pk),
            "to_member": "on",
            "meeting": "Cabinet, 8 July 2025",
            **date_fields("presented_on", date(2025, 7, 8)),
        }
        response = client.post(
            "/staff/insight/oversight/presentations/add/",
            {**form, "document": SimpleUploadedFile("minutes.pdf", PDF, content_type="application/pdf")},
        )
        assert response.status_code == 302, page(response)
        made = Presentation.objects.get()
        assert client.get(f"/staff/insight/oversight/presentations/{made.pk}/document/").status_code == 200
        again = client.post("/staff/insight/oversight/presentations/add/", form)
        assert again.status_code == 200
        assert "This report is already recorded as presented to them on that date" in page(again)
        assert Presentation.objects.count() == 1

    def test_the_response_page_escapes_and_another_landlords_record_is_not_found(self) -> None:
        made = self.present()
        client = signed_in(self.member)
        url = f"/staff/insight/oversight/presentations/{made.pk}/response/"
        response = client.post(url, {"response": "<script>alert(1)</script>", **date_fields("on", TODAY)})
        assert response.status_code == 302
        html = page(client.get("/staff/insight/oversight/"))
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert(1)" not in html
        assert signed_in(self.cast.stranger).get(url).status_code == 404
        empty = client.post(url, {"response": ""})
        assert empty.status_code == 200 and "There is a problem" in page(empty)

    def test_appointing_from_the_page(self) -> None:
        client = signed_in(self.cast.manager)
        response = client.post(
            "/staff/insight/oversight/appoint/",
            {
                "role": "mrc",
                "name": "Cllr Clare Member",
                "title": "Portfolio Holder for Housing",
                "user": str(self.member.pk),
                **date_fields("starts_on", date(2024, 5, 20)),
            },
        )
        assert response.status_code == 302, page(response)
        assert Appointment.objects.get().user == self.member

    def test_the_hub_reads_the_same_number_of_queries_however_many_records(self) -> None:
        self.appoint_member()
        self.present(file_name="minutes.pdf", content=PDF)
        client = signed_in(self.cast.manager)
        client.get("/staff/insight/oversight/")  # warm the session and the user
        with CaptureQueriesContext(connection) as one:
            assert "Governance report, Q1 2025/26" in page(client.get("/staff/insight/oversight/"))
        for name in ("Housing Scrutiny Committee", "Audit Committee"):
            bodies.add_governing_body(self.cast.landlord, self.cast.officer, name=name, kind="committee")
        committee = GoverningBody.objects.get(name="Audit Committee")
        bodies.appoint(
            self.cast.landlord,
            self.cast.officer,
            role=OversightRole.SENIOR_LEAD,
            name="Sam Lead",
            starts_on=date(2024, 4, 1),
            user=self.cast.manager,
        )
        bodies.appoint(
            self.cast.landlord, self.cast.officer, role=OversightRole.MRC, name="Cllr Pat New", starts_on=TODAY
        )
        for quarter, year in ((2, 2024), (3, 2024), (4, 2024)):
            made = self.present(
                year_starting=year, quarter=quarter, body=committee, meeting=f"Audit, Q{quarter}", presented_on=TODAY
            )
            bodies.record_response(made, self.cast.officer, response=f"Noted Q{quarter}", on=TODAY)
        self.present(report=ReportKind.ANNUAL, quarter=None, year_starting=2024, file_name="report.pdf", content=PDF)
        assert Presentation.objects.count() == 5 and Appointment.objects.count() == 3
        with self.assertNumQueries(len(one)):
            html = page(client.get("/staff/insight/oversight/"))
        assert "Audit Committee" in html and "Noted Q4" in html and "Cllr Pat New" in html and "Sam Lead" in html
