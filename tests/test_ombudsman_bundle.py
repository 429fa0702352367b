"""The evidence bundle: the complaint's whole record handed to the Ombudsman in one zip (5.12), built
in the background, checksummed, kept as the record of what was sent, and built again as a new
version only when something new has happened.
"""

from __future__ import annotations

import hashlib
import io
import zipfile
from datetime import date
from email import message_from_bytes, policy

import time_machine
from django.test import TestCase

from putright.bundles import tasks
from putright.bundles.actions import request_bundle
from putright.complaints.errors import NotPermitted, TransitionNotAllowed
from putright.complaints.models import Complaint, Event
from putright.correspondence import inbound, outbox
from putright.correspondence.models import InboundMessage, Letter, LetterStyle, OutboxMessage
from putright.documents.models import Attachment
from putright.ombudsman import actions
from putright.ombudsman.models import EvidenceBundle, EvidenceRequest, OmbudsmanCase
from tests.cast import Cast, make_cast
from tests.pdf_text import PdfText, page_texts
from tests.test_api_auth import ApiTestCase
from tests.test_mail_in import MAILBOX, PDF, email
from tests.test_ombudsman_cases import attach, responded
from tests.test_workspace_support import date_fields, page, signed_in

TODAY = date(2025, 6, 16)  # a Monday


def built(bundle: EvidenceBundle) -> EvidenceBundle:
    """Run the worker's task, as `putright worker` would once the request commits."""
    assert tasks.build_bundle.call(bundle.pk) == "ready"
    return EvidenceBundle.objects.get(pk=bundle.pk)


def opened(bundle: EvidenceBundle) -> zipfile.ZipFile:
    with bundle.file.open("rb") as stored:
        return zipfile.ZipFile(io.BytesIO(stored.read()))


def with_record(cast: Cast) -> tuple[Complaint, OmbudsmanCase]:
    """A complaint with letters (acknowledgement, response), emails out, an email in with an
    attachment, and two documents, with its Ombudsman case open."""
    LetterStyle.objects.create(landlord=cast.landlord, email=MAILBOX)
    complaint = responded(cast)
    attach(cast, complaint, "repair-log.pdf")
    attach(cast, complaint, "damp survey (final).pdf")
    outbox.queue(
        landlord=cast.landlord,
        kind=OutboxMessage.Kind.LETTER,
        to_address="rosa@example.org",
        subject="About your boiler",
        body="Dear Rosa, the engineer will call on Tuesday.",
        complaint=complaint,
    )
    reply = email(to=outbox.reply_address(complaint), subject="Re: About your boiler", text="Nobody came.")
    reply.add_attachment(PDF, maintype="application", subtype="pdf", filename="photo-of-damp.pdf")
    received = inbound.receive(reply.as_bytes())
    assert received.message.complaint_id == complaint.pk, received.message.state
    case = actions.open_case(complaint, cast.officer, reference="202412345", enquiry_received_on=TODAY)
    return complaint, case


@time_machine.travel(TODAY, tick=False)
class BuildingTheBundleTests(TestCase):
    cast: Cast
    complaint: Complaint
    case: OmbudsmanCase

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint, cls.case = with_record(cls.cast)

    def test_the_zip_holds_every_letter_email_and_document_listed_in_the_index_with_checksums(self) -> None:
        # 5.12: the landlord gives the Ombudsman the complaint's whole record.
        bundle = request_bundle(self.case, self.cast.officer)
        assert bundle.state == EvidenceBundle.State.QUEUED and bundle.version == 1
        bundle = built(bundle)
        assert bundle.state == EvidenceBundle.State.READY
        assert bundle.files_done == bundle.files_total == len(bundle.manifest)
        with bundle.file.open("rb") as stored:
            content = stored.read()
        assert hashlib.sha256(content).hexdigest() == bundle.sha256 and len(content) == bundle.size
        archive = opened(bundle)
        names = archive.namelist()
        assert names == sorted(names) and names[0] == "00-index.pdf"
        assert "01-timeline.pdf" in names and "02-policy-in-force.json" in names
        letters = [n for n in names if n.startswith("03-letters/")]
        assert len(letters) == Letter.objects.filter(complaint=self.complaint).count() >= 2
        for name in letters:
            assert archive.read(name).startswith(b"%PDF")
        emails = [n for n in names if n.startswith("04-emails/")]
        sent = OutboxMessage.objects.filter(complaint=self.complaint).count()
        assert len(emails) == sent + InboundMessage.objects.filter(complaint=self.complaint).count()
        incoming = [message_from_bytes(archive.read(n), policy=policy.default) for n in emails if "-in-" in n]
        assert [m["Subject"] for m in incoming] == ["Re: About your boiler"]
        assert [a.get_filename() for a in incoming[0].iter_attachments()] == ["photo-of-damp.pdf"]
        subjects = [message_from_bytes(archive.read(n), policy=policy.default)["Subject"] for n in emails]
        assert "About your boiler" in subjects
        documents = [n for n in names if n.startswith("05-documents/")]
        assert documents == ["05-documents/001-repair-log.pdf", "05-documents/002-damp-survey-final-.pdf"]
        for name in documents:
            assert archive.read(name) == PDF
        index = PdfText(page_texts(archive.read("00-index.pdf")))
        for entry in bundle.manifest[1:]:
            assert entry["sha256"] == hashlib.sha256(archive.read(str(entry["name"]))).hexdigest()
            assert str(entry["name"]) in index and str(entry["sha256"]) in index
        # The complaint definition (5.6) travels with it.
        assert "The boiler has been broken since May" in index
        timeline = PdfText(page_texts(archive.read("01-timeline.pdf")))
        assert "Ombudsman case 202412345 opened" in timeline
        event = Event.objects.filter(complaint=self.complaint, kind="ombudsman-bundle-built").get()
        assert event.summary == f"Evidence bundle version 1 built: {len(names)} files, SHA-256 {bundle.sha256}."

    def test_building_again_after_a_new_event_makes_version_2_and_with_nothing_new_says_so(self) -> None:
        first = built(request_bundle(self.case, self.cast.officer))
        with self.assertRaisesMessage(TransitionNotAllowed, "since version 1 of the evidence bundle was built"):
            request_bundle(self.case, self.cast.manager)
        assert EvidenceBundle.objects.filter(case=self.case).count() == 1
        actions.request_evidence(self.case, self.cast.officer, what="The repair records", requested_on=TODAY)
        second = built(request_bundle(self.case, self.cast.manager))
        assert second.version == 2 and second.sha256 != first.sha256
        assert "01-timeline.pdf" in opened(second).namelist()
        timeline = PdfText(page_texts(opened(second).read("01-timeline.pdf")))
        assert "The Ombudsman asked on 16 June 2025 for: The repair records" in timeline

    def test_a_bundle_is_not_built_twice_at_once(self) -> None:
        request_bundle(self.case, self.cast.officer)
        with self.assertRaisesMessage(TransitionNotAllowed, "Version 1 of the evidence bundle is being built"):
            request_bundle(self.case, self.cast.officer)

    def test_a_build_left_unfinished_is_given_up_and_built_again_under_its_number(self) -> None:
        request_bundle(self.case, self.cast.officer)
        with time_machine.travel("2025-06-16 12:30Z", tick=False):
            again = request_bundle(self.case, self.cast.manager)
        assert (again.version, again.state, again.requested_by) == (1, EvidenceBundle.State.QUEUED, self.cast.manager)
        assert built(again).version == 1 and EvidenceBundle.objects.count() == 1

    def test_the_evidence_sent_names_the_bundle_version(self) -> None:
        bundle = built(request_bundle(self.case, self.cast.officer))
        asked = actions.request_evidence(self.case, self.cast.officer, what="Everything", requested_on=TODAY)
        with self.assertRaisesMessage(Exception, "Choose a version of the evidence bundle"):
            actions.record_evidence_sent(asked, self.cast.officer, sent_on=TODAY, response="All", bundle_version=7)
        sent = actions.record_evidence_sent(
            asked, self.cast.officer, sent_on=TODAY, response="The bundle", bundle_version=1
        )
        assert sent.bundle == bundle
        event = Event.objects.filter(complaint=self.complaint, kind="ombudsman-evidence-sent").get()
        assert f"with evidence bundle version 1 (SHA-256 {bundle.sha256})" in event.summary

    def test_a_handler_or_the_auditor_may_not_build_it(self) -> None:
        with self.assertRaisesMessage(NotPermitted, "Only a complaints officer or a manager"):
            request_bundle(self.case, self.cast.handler)
        with self.assertRaisesMessage(NotPermitted, "not work on Ombudsman cases"):
            request_bundle(self.case, self.cast.auditor)

    def test_unsafe_names_are_made_safe(self) -> None:
        from putright.bundles.build import safe_name

        assert safe_name("../../etc/passwd") == "passwd"
        assert safe_name("Café report.pdf") == "Cafe-report.pdf"
        assert safe_name("...") == "file"
        assert Attachment.objects.filter(complaint=self.complaint).count() == 2


@time_machine.travel(TODAY, tick=False)
class BundlePagesTests(TestCase):
    cast: Cast
    complaint: Complaint
    case: OmbudsmanCase

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint, cls.case = with_record(cls.cast)

    def url(self, step: str = "") -> str:
        return f"/staff/ombudsman/{self.case.pk}/" + step

    def test_an_officer_builds_it_from_the_case_page_checks_its_progress_and_downloads_it(self) -> None:
        officer = signed_in(self.cast.officer)
        case_page = page(officer.get(self.url()))
        assert "Build the evidence bundle" in case_page and "No evidence bundle has been built" in case_page
        with self.captureOnCommitCallbacks(execute=True):
            asked = officer.post(self.url("bundles/new/"))
        assert asked.status_code == 302 and asked["Location"] == self.url("bundles/1/")
        waiting = page(officer.get(asked["Location"]))
        # No page that refreshes itself (WCAG 2.2.1): a "Check again" link instead.
        assert "http-equiv" not in waiting and "Waiting to be built" in waiting and "Check again" in waiting
        bundle = built(EvidenceBundle.objects.get(case=self.case))
        ready = page(officer.get(asked["Location"]))
        assert "Check again" not in ready and bundle.sha256 in ready and "00-index.pdf" in ready
        assert bundle.sha256 in page(officer.get(self.url()))
        download = officer.get(self.url("bundles/1/download/"))
        assert download.status_code == 200 and download["Content-Type"] == "application/zip"
        content = b"".join(download.streaming_content)  # type: ignore[attr-defined]
        assert hashlib.sha256(content).hexdigest() == bundle.sha256
        assert "evidence-bundle-202412345-v1.zip" in download["Content-Disposition"]
        again = officer.post(self.url("bundles/new/"), follow=True)
        assert "Nothing has happened on" in page(again) and EvidenceBundle.objects.count() == 1

    def test_a_handler_may_not_build_or_download_it_and_is_told_why(self) -> None:
        built(request_bundle(self.case, self.cast.officer))
        handler = signed_in(self.cast.handler)
        refused = handler.post(self.url("bundles/new/"))
        assert refused.status_code == 403
        assert "Only a complaints officer or a manager can work on Ombudsman cases" in page(refused)
        refused = handler.get(self.url("bundles/1/download/"))
        assert refused.status_code == 403
        assert "Only a complaints officer, a manager or the auditor can download the evidence bundle" in page(refused)
        assert signed_in(self.cast.auditor).get(self.url("bundles/1/download/")).status_code == 200
        assert "Build the evidence bundle" not in page(handler.get(self.url()))

    def test_another_landlords_staff_get_404(self) -> None:
        built(request_bundle(self.case, self.cast.officer))
        stranger = signed_in(self.cast.stranger)
        assert stranger.post(self.url("bundles/new/")).status_code == 404
        assert stranger.get(self.url("bundles/1/")).status_code == 404
        assert stranger.get(self.url("bundles/1/download/")).status_code == 404
        assert not EvidenceBundle.objects.exclude(version=1).exists()

    def test_a_version_not_built_is_404_and_one_still_building_is_not_downloaded(self) -> None:
        officer = signed_in(self.cast.officer)
        assert officer.get(self.url("bundles/9/")).status_code == 404
        request_bundle(self.case, self.cast.officer)
        early = officer.get(self.url("bundles/1/download/"), follow=True)
        assert "Version 1 of the evidence bundle is not built yet" in page(early)

    def test_the_evidence_sent_form_names_a_built_bundle_version(self) -> None:
        bundle = built(request_bundle(self.case, self.cast.officer))
        asked = actions.request_evidence(self.case, self.cast.officer, what="Everything", requested_on=TODAY)
        officer = signed_in(self.cast.officer)
        form_url = self.url(f"evidence/{asked.pk}/sent/")
        assert "Evidence bundle sent (optional)" in page(officer.get(form_url))
        case = OmbudsmanCase.objects.get(pk=self.case.pk)
        fields = {
            "expected_version": case.version,
            "response": "The bundle",
            **date_fields("sent_on", TODAY),
        }
        refused = officer.post(form_url, {**fields, "bundle_version": "5"})
        assert refused.status_code == 200
        assert "Choose a version of the evidence bundle that has been built" in page(refused)
        sent = officer.post(form_url, {**fields, "bundle_version": "1"})
        assert sent.status_code == 302, page(sent)
        assert EvidenceRequest.objects.get(pk=asked.pk).bundle == bundle
        assert "evidence bundle version 1" in page(officer.get(self.url()))


class BundleApiTests(ApiTestCase):
    def test_build_read_and_download_through_the_api(self) -> None:
        with time_machine.travel(TODAY, tick=False):
            complaint, case = with_record(self.cast)
            path = f"/ombudsman/cases/{case.pk}/bundles"
            refused = self.post(path, as_="handler")
            assert refused.status_code == 403
            assert "Only a complaints officer or a manager" in refused.json()["detail"]
            asked = self.post(path, as_="officer")
            assert asked.status_code == 202, asked.json()
            answer = asked.json()
            assert (answer["version"], answer["state"], answer["download_url"]) == (1, "queued", None)
            assert answer["url"] == f"/api/v1{path}/1"
            early = self.get(f"{path}/1/download", as_="officer")
            assert early.status_code == 409
            built(EvidenceBundle.objects.get(case=case))
            state = self.get(f"{path}/1", as_="auditor").json()
            assert state["state"] == "ready" and state["files_done"] == state["files_total"] == len(state["files"])
            download = self.get(f"{path}/1/download", as_="auditor")
            assert download.status_code == 200 and download["Content-Type"] == "application/zip"
            assert hashlib.sha256(download.content).hexdigest() == state["sha256"] == download["X-Content-SHA256"]
            assert self.get(f"{path}/1/download", as_="handler").status_code == 403
            again = self.post(path, as_="manager")
            assert again.status_code == 409 and "Nothing has happened" in again.json()["detail"]
            assert self.get(f"{path}/2", as_="officer").status_code == 404
            assert self.get(f"{path}/1", as_="stranger").status_code == 404
            assert self.get(f"{path}/1/download", as_="stranger").status_code == 404
            assert self.post(path, as_="stranger").status_code == 404
            assert EvidenceBundle.objects.filter(case__complaint=complaint).count() == 1
