"""What the landlord publishes (Code 3.4, 8.1 to 8.3, 9.3): each report published by an explicit action as a
snapshot, new editions beside earlier ones, withdrawal, roles, landlord separation, and the public pages."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
import time_machine
from django.test import TestCase

from putright.complaints.errors import InvalidInput, NotPermitted, TransitionNotAllowed
from putright.governance.models import DeadlineDone, DeadlineKind
from putright.insight import actions as insight_actions
from putright.insight.models import SelfAssessment
from putright.landlords.models import StaffRole
from putright.publications import actions
from putright.publications.models import Edition, Kind
from tests.cast import make_cast, staff

TODAY = datetime(2026, 6, 1, 10, 0, tzinfo=UTC)  # reporting year 2026 runs; 2025/26 has ended
ENDED = 2025


def approved_assessment(cast: object, year: int = ENDED) -> SelfAssessment:
    landlord, officer, manager = cast.landlord, cast.officer, cast.manager  # type: ignore[attr-defined]
    assessment = insight_actions.start_self_assessment(landlord, officer, year_starting=year)
    for entry in assessment.entries.all():
        insight_actions.update_entry(
            entry, officer, comply="yes", evidence="Complaints policy, section 4", commentary="As the policy says."
        )
    insight_actions.submit_self_assessment(assessment, officer)
    return insight_actions.approve_self_assessment(assessment, manager, note="Approved at Cabinet")


@time_machine.travel(TODAY, tick=False)
class PublishingTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.landlord = cls.cast.landlord

    def annual(self, **changes: str) -> None:
        insight_actions.save_annual_report(
            self.landlord, self.cast.officer, year_starting=ENDED, governing_body="Cabinet", **changes
        )

    def test_an_officer_publishes_the_annual_report_and_residents_read_it_with_its_pdf(self) -> None:
        self.annual(introduction="Our year of complaints, told plainly.")
        edition = actions.publish_annual_report(self.landlord, self.cast.officer, year_starting=ENDED)
        assert (edition.kind, edition.number, edition.year_starting) == (Kind.ANNUAL_REPORT, 1, ENDED)
        assert edition.title == "Complaints performance and service improvement report 2025/26"
        assert (edition.published_by, edition.published_at) == (self.cast.officer, TODAY)
        assert bytes(edition.pdf).startswith(b"%PDF") and edition.pdf_name == "ashford-complaints-report-2025.pdf"
        # The residents' copy links to nothing behind the staff sign-in.
        assert "/staff/" not in edition.body
        page = self.client.get("/ashford/published/annual-report/")
        assert page.status_code == 200
        self.assertContains(page, "Our year of complaints, told plainly.")
        self.assertContains(page, "Published on 1 June 2026.")
        self.assertContains(page, "Analysis of complaint handling performance")
        pdf = self.client.get("/ashford/published/annual-report/1/edition.pdf")
        assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
        assert pdf.content.startswith(b"%PDF") and "ashford-complaints-report-2025.pdf" in pdf["Content-Disposition"]
        index = self.client.get("/ashford/published/")
        self.assertContains(
            index, "Complaints performance and service improvement report 2025/26</a>, published 1 June 2026"
        )

    def test_the_published_edition_stays_as_it_was_when_the_records_change_and_a_new_edition_sits_beside_it(
        self,
    ) -> None:
        self.annual(introduction="First words.")
        first = actions.publish_annual_report(self.landlord, self.cast.officer, year_starting=ENDED)
        self.annual(introduction="Second words, after the Cabinet met.")
        assert "First words." in self.client.get("/ashford/published/annual-report/").content.decode()
        with time_machine.travel(datetime(2026, 6, 8, 9, 0, tzinfo=UTC), tick=False):
            second = actions.publish_annual_report(self.landlord, self.cast.manager, year_starting=ENDED)
        assert second.number == 2 and second.published_by == self.cast.manager
        latest = self.client.get("/ashford/published/annual-report/")
        self.assertContains(latest, "Second words, after the Cabinet met.")
        self.assertNotContains(latest, "First words.")
        self.assertContains(latest, "Earlier editions")
        self.assertContains(latest, 'href="/ashford/published/annual-report/1/"')
        earlier = self.client.get("/ashford/published/annual-report/1/")
        self.assertContains(earlier, "First words.")
        self.assertContains(earlier, "This is an earlier edition")
        first.refresh_from_db()
        assert "First words." in first.body

    def test_publishing_the_same_report_again_unchanged_does_nothing_twice(self) -> None:
        self.annual(introduction="Unchanged.")
        actions.publish_annual_report(self.landlord, self.cast.officer, year_starting=ENDED)
        with pytest.raises(TransitionNotAllowed, match="already published"):
            actions.publish_annual_report(self.landlord, self.cast.officer, year_starting=ENDED)
        # A double submit on the page: the second says so and publishes nothing.
        self.client.force_login(self.cast.officer)
        again = self.client.post("/staff/insight/publish/annual-report/2025/")
        assert again.status_code == 200
        self.assertContains(again, "nothing in it has changed since")
        assert Edition.objects.count() == 1

    def test_the_annual_report_is_published_only_for_a_year_that_has_ended(self) -> None:
        for year in (2026, 1999, None):
            with pytest.raises(InvalidInput) as caught:
                actions.publish_annual_report(self.landlord, self.cast.officer, year_starting=year)
            assert caught.value.errors == {"year": "Choose a reporting year that has ended, from 2000/01 to 2025/26"}
        assert not Edition.objects.exists()

    def test_only_an_approved_self_assessment_can_be_published(self) -> None:
        with pytest.raises(TransitionNotAllowed, match="There is no self-assessment for 2025/26"):
            actions.publish_self_assessment(self.landlord, self.cast.officer, year_starting=ENDED)
        draft = insight_actions.start_self_assessment(self.landlord, self.cast.officer, year_starting=ENDED)
        with pytest.raises(TransitionNotAllowed, match=r"2026, is not approved yet \(draft\)"):
            actions.publish_self_assessment(self.landlord, self.cast.officer, year_starting=ENDED)
        draft.delete()
        approved = approved_assessment(self.cast)
        edition = actions.publish_self_assessment(self.landlord, self.cast.officer, year_starting=ENDED)
        assert edition.self_assessment == approved and edition.kind == Kind.SELF_ASSESSMENT
        assert edition.pdf_name == "ashford-self-assessment-2025.pdf" and bytes(edition.pdf).startswith(b"%PDF")
        page = self.client.get("/ashford/published/self-assessment/")
        self.assertContains(page, "Self-assessment against the Complaint Handling Code 2025/26")
        self.assertContains(page, "Approved by Mei Manager, Member Responsible for Complaints, on 1 June 2026.")
        self.assertContains(page, "Section 9:")
        self.assertNotContains(page, "/staff/")
        pdf = self.client.get(f"/ashford/published/self-assessment/{edition.number}/edition.pdf")
        assert pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")

    def test_publishing_both_yearly_reports_meets_the_publication_deadline_in_the_reporting_calendar(self) -> None:
        actions.publish_annual_report(self.landlord, self.cast.officer, year_starting=ENDED)
        assert not DeadlineDone.objects.filter(kind=DeadlineKind.PUBLICATION).exists()
        approved_assessment(self.cast)
        actions.publish_self_assessment(self.landlord, self.cast.officer, year_starting=ENDED)
        done = DeadlineDone.objects.get(kind=DeadlineKind.PUBLICATION)
        assert (done.landlord, done.year_starting, done.done_on, done.recorded_by) == (
            self.landlord,
            ENDED,
            date(2026, 6, 1),
            self.cast.officer,
        )
        assert done.note == "Published on Putright's complaints pages"
        # A later edition leaves the date the deadline was first met.
        self.annual(introduction="Changed.")
        actions.publish_annual_report(self.landlord, self.cast.manager, year_starting=ENDED)
        assert DeadlineDone.objects.filter(kind=DeadlineKind.PUBLICATION).count() == 1

    def test_you_said_we_did_is_published_from_the_register_and_escapes_what_staff_typed(self) -> None:
        with pytest.raises(TransitionNotAllowed, match="There is nothing to publish"):
            actions.publish_you_said_we_did(self.landlord, self.cast.officer)
        insight_actions.save_improvement(
            self.landlord,
            self.cast.officer,
            title="Repair appointments <script>alert(1)</script>",
            learning="Missed appointments.",
            action="Text reminders.",
            responsible="Head of repairs",
            you_said="Contractors did not turn up <b>at all</b>",
            we_did="We now text you the day before",
            publish=True,
        )
        edition = actions.publish_you_said_we_did(self.landlord, self.cast.officer)
        assert edition.year_starting is None and not edition.has_pdf
        page = self.client.get("/ashford/published/you-said-we-did/")
        self.assertContains(page, "Repair appointments &lt;script&gt;alert(1)&lt;/script&gt;")
        self.assertContains(page, "Contractors did not turn up &lt;b&gt;at all&lt;/b&gt;")
        self.assertNotContains(page, "<script>alert(1)")
        self.assertNotContains(page, "Download it as a PDF")
        assert self.client.get(f"/ashford/published/you-said-we-did/{edition.number}/edition.pdf").status_code == 404

    def test_the_annual_report_escapes_the_words_staff_wrote(self) -> None:
        self.annual(introduction='<script>alert("x")</script> & more')
        actions.publish_annual_report(self.landlord, self.cast.officer, year_starting=ENDED)
        page = self.client.get("/ashford/published/annual-report/")
        self.assertContains(page, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; more")
        self.assertNotContains(page, '<script>alert("x")')

    def test_withdrawing_hides_an_edition_from_residents_and_keeps_it_for_the_record(self) -> None:
        self.annual(introduction="First.")
        first = actions.publish_annual_report(self.landlord, self.cast.officer, year_starting=ENDED)
        self.annual(introduction="Second, with a mistake.")
        second = actions.publish_annual_report(self.landlord, self.cast.officer, year_starting=ENDED)
        with pytest.raises(InvalidInput) as caught:
            actions.withdraw(second, self.cast.manager, reason="  ")
        assert caught.value.errors == {"reason": "Enter why the edition is being withdrawn"}
        actions.withdraw(second, self.cast.manager, reason="The figures for March were wrong")
        second.refresh_from_db()
        assert (second.withdrawn_by, second.withdrawn_at, second.live) == (self.cast.manager, TODAY, False)
        with pytest.raises(TransitionNotAllowed, match="already withdrawn on 1 June 2026"):
            actions.withdraw(second, self.cast.manager, reason="Again")
        assert self.client.get(f"/ashford/published/annual-report/{second.number}/").status_code == 404
        assert self.client.get(f"/ashford/published/annual-report/{second.number}/edition.pdf").status_code == 404
        # The latest the residents see is now the edition before.
        latest = self.client.get("/ashford/published/annual-report/")
        self.assertContains(latest, "First.")
        self.assertNotContains(latest, "Earlier editions")
        # Staff still read it, with who withdrew it and why; the auditor too.
        self.client.force_login(self.cast.auditor)
        kept = self.client.get(f"/staff/insight/publish/editions/{second.pk}/")
        self.assertContains(kept, "The figures for March were wrong")
        self.assertContains(kept, "Second, with a mistake.")
        self.assertNotContains(kept, "Withdraw this edition")
        assert self.client.get(f"/staff/insight/publish/editions/{second.pk}/edition.pdf").status_code == 200
        actions.withdraw(first, self.cast.officer, reason="Replaced by a corrected report")
        assert self.client.get("/ashford/published/annual-report/").status_code == 404
        self.assertContains(self.client.get("/ashford/published/"), "Not published yet.", count=3)

    def test_only_the_complaints_officer_and_managers_publish_and_withdraw(self) -> None:
        for person in (self.cast.handler, self.cast.reviewer, self.cast.auditor):
            with pytest.raises(NotPermitted):
                actions.publish_annual_report(self.landlord, person, year_starting=ENDED)
            with pytest.raises(NotPermitted):
                actions.publish_you_said_we_did(self.landlord, person)
        edition = actions.publish_annual_report(self.landlord, self.cast.officer, year_starting=ENDED)
        with pytest.raises(NotPermitted):
            actions.withdraw(edition, self.cast.auditor, reason="No")
        self.client.force_login(self.cast.auditor)
        assert self.client.get("/staff/insight/publish/").status_code == 200
        confirm = self.client.get("/staff/insight/publish/annual-report/2025/")
        self.assertContains(confirm, "Only the complaints officer or a manager can publish.")
        assert self.client.post("/staff/insight/publish/annual-report/2025/").status_code == 403
        assert self.client.get(f"/staff/insight/publish/editions/{edition.pk}/withdraw/").status_code == 403
        # The Member Responsible for Complaints reads what was published, as every insight reader does.
        self.client.force_login(staff("mo.member", self.landlord, StaffRole.MEMBER))
        read = self.client.get("/staff/insight/publish/")
        assert read.status_code == 200, read
        self.assertContains(read, "What you publish for residents")
        assert self.client.post("/staff/insight/publish/annual-report/2025/").status_code == 403
        self.client.force_login(self.cast.handler)
        assert self.client.get("/staff/insight/publish/").status_code == 403
        assert Edition.objects.count() == 1 and edition.live

    def test_another_landlords_staff_and_residents_see_nothing_of_it(self) -> None:
        with pytest.raises(NotPermitted):
            actions.publish_annual_report(self.landlord, self.cast.stranger, year_starting=ENDED)
        edition = actions.publish_annual_report(self.landlord, self.cast.officer, year_starting=ENDED)
        with pytest.raises(NotPermitted):
            actions.withdraw(edition, self.cast.stranger, reason="Not mine")
        self.client.force_login(self.cast.stranger)
        for path in ("", "edition.pdf", "withdraw/"):
            assert self.client.get(f"/staff/insight/publish/editions/{edition.pk}/{path}").status_code == 404
        self.assertNotContains(self.client.get("/staff/insight/publish/"), "2025/26")
        self.client.logout()
        assert self.client.get("/medway/published/annual-report/").status_code == 404
        assert self.client.get(f"/medway/published/annual-report/{edition.number}/").status_code == 404
        assert self.client.get(f"/medway/published/annual-report/{edition.number}/edition.pdf").status_code == 404
        self.assertContains(self.client.get("/medway/published/"), "Not published yet.", count=3)

    def test_nothing_unpublished_is_public(self) -> None:
        self.annual(introduction="A draft nobody has published.")
        assert self.client.get("/ashford/published/annual-report/").status_code == 404
        assert self.client.get("/ashford/published/annual-report/1/").status_code == 404
        assert self.client.get("/ashford/published/self-assessment/").status_code == 404
        assert self.client.get("/ashford/published/secret-reports/").status_code == 404
        assert self.client.get("/nowhere/published/").status_code == 404
        index = self.client.get("/ashford/published/")
        self.assertContains(index, "Not published yet.", count=3)
        self.assertNotContains(index, "A draft nobody has published.")

    def test_the_publish_page_offers_no_button_for_what_cannot_be_published_yet(self) -> None:
        insight_actions.start_self_assessment(self.landlord, self.cast.officer, year_starting=ENDED)
        self.client.force_login(self.cast.officer)
        draft = self.client.get("/staff/insight/publish/self-assessment/2025/")
        self.assertContains(draft, "started 1 June 2026, is not approved yet (draft).")
        self.assertNotContains(draft, 'id="publish"')
        running = self.client.get("/staff/insight/publish/annual-report/2026/")
        self.assertContains(running, "The reporting year has not ended yet")
        self.assertNotContains(running, 'id="publish"')
        nothing = self.client.get("/staff/insight/publish/you-said-we-did/")
        self.assertContains(nothing, "Nothing is marked to publish in the improvement register yet")
        self.assertNotContains(nothing, 'id="publish"')
        # Posted anyway (an old tab): refused, said at the top of the page, and nothing published.
        refused = self.client.post("/staff/insight/publish/self-assessment/2025/")
        self.assertContains(refused, 'href="#main-content">Only an approved self-assessment can be published')
        assert self.client.get("/staff/insight/publish/annual-report/2030/").status_code == 404
        assert not Edition.objects.exists()

    def test_the_staff_pages_publish_on_an_explicit_step_and_link_from_the_reports(self) -> None:
        approved_assessment(self.cast)
        self.client.force_login(self.cast.officer)
        self.assertContains(
            self.client.get("/staff/insight/annual/2025/"),
            'href="/staff/insight/publish/annual-report/2025/">Publish the 2025/26 annual report</a>',
        )
        self.assertContains(
            self.client.get("/staff/insight/self-assessment/2025/"),
            'href="/staff/insight/publish/self-assessment/2025/">Publish the 2025/26 self-assessment</a>',
        )
        self.assertContains(
            self.client.get("/staff/insight/you-said-we-did/"), "/staff/insight/publish/you-said-we-did/"
        )
        confirm = self.client.get("/staff/insight/publish/annual-report/2025/")
        self.assertContains(confirm, "The governing body's response is not recorded yet.")
        assert not Edition.objects.exists()  # reading the page publishes nothing
        done = self.client.post("/staff/insight/publish/annual-report/2025/")
        edition = Edition.objects.get()
        self.assertRedirects(done, f"/staff/insight/publish/editions/{edition.pk}/", fetch_redirect_response=False)
        shown = self.client.get(done["Location"])
        self.assertContains(shown, "edition 1 is published for residents")
        self.assertContains(shown, 'href="/ashford/published/annual-report/1/"')
        self.client.post("/staff/insight/publish/self-assessment/2025/")
        assert Edition.objects.filter(kind=Kind.SELF_ASSESSMENT).count() == 1
        withdrawn = self.client.post(f"/staff/insight/publish/editions/{edition.pk}/withdraw/", {"reason": ""})
        self.assertContains(withdrawn, "Enter why the edition is being withdrawn")
        self.client.post(f"/staff/insight/publish/editions/{edition.pk}/withdraw/", {"reason": "Wrong year"})
        edition.refresh_from_db()
        assert edition.withdrawn_reason == "Wrong year"
        with self.assertNumQueries(4):
            index = self.client.get("/staff/insight/publish/")
        self.assertContains(index, "Withdrawn</strong> on 1 June 2026")
        self.client.logout()
        with self.assertNumQueries(4):
            self.client.get("/ashford/published/")

    def test_the_policy_page_promises_the_codes_numbers_wherever_the_policy_is_weaker(self) -> None:
        page = self.client.get("/ashford/published/complaints-policy/")
        assert page.status_code == 200
        self.assertContains(page, "Legal proceedings have started about the issue")
        self.assertContains(page, "At most 5 working days (provision 6.2)")
        self.assertContains(page, "At least 12 months (provision 2.3)")
        self.assertContains(self.client.get("/ashford/"), 'href="/ashford/published/"')


@time_machine.travel(TODAY, tick=False)
class WeakerPolicyTests(TestCase):
    def test_a_weaker_policy_is_shown_with_the_codes_timescales(self) -> None:
        make_cast(policy="dartford-2024.toml")  # 7 working days to acknowledge at stage 1; the Code allows 5
        page = self.client.get("/ashford/published/complaints-policy/")
        rows = page.content.decode()
        start = rows.index("Acknowledging your complaint (stage 1)")
        assert '<td class="govuk-table__cell">5 working days</td>' in rows[start : start + 200]
        self.assertNotContains(page, "7 working days")
