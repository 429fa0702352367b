"""The copy of everything about a resident (UK GDPR Art. 15): each complaint, letter, email and
document, their needs and survey answers, listed in an index that escapes what it shows, built by
the worker, and holding nothing about anyone else."""

from __future__ import annotations

import io
import json
import zipfile
from datetime import date
from email import message_from_bytes, policy

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase

from putright.complaints import actions as complaint_actions
from putright.complaints.models import Complaint
from putright.correspondence import inbound, outbox
from putright.correspondence.models import InboundMessage, Letter, LetterStyle, OutboxMessage
from putright.documents.models import Attachment
from putright.people.models import Person
from putright.privacy import actions, tasks
from putright.privacy.export import build_subject_access_export
from putright.privacy.models import RightsRequest, SubjectAccessExport
from tests.cast import RESIDENT, Cast, acknowledge, log, make_cast
from tests.pdf_text import PdfText, page_texts
from tests.test_mail_in import MAILBOX, email
from tests.test_ombudsman_cases import responded
from tests.test_workspace_support import page, signed_in

TODAY = date(2025, 6, 16)  # a Monday
NEEDS = complaint_actions.needs


def document(cast: Cast, complaint: Complaint, name: str, content: bytes) -> Attachment:
    """A document on the complaint's record, added as the workspace adds one."""
    complaint = Complaint.objects.get(pk=complaint.pk)
    event = complaint_actions.attach_file(
        complaint, cast.handler, name=name, content_type="application/pdf", size=len(content), description=name
    )
    return Attachment.objects.create(
        complaint=complaint,
        event=event,
        file=SimpleUploadedFile(name, content),
        name=name,
        content_type="application/pdf",
        size=len(content),
        description=name,
        uploaded_by=cast.handler,
        uploaded_at=event.at,
    )


def pdf(marker: str) -> bytes:
    return f"%PDF-1.4\n% {marker}\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n".encode()


def resident_with_record(cast: Cast) -> tuple[Person, list[Complaint]]:
    """Rosa: two complaints (one responded, one acknowledged), their letters, an email out and one
    in on each, a document on each, an adjustment and a vulnerability."""
    LetterStyle.objects.create(landlord=cast.landlord, email=MAILBOX)
    first = responded(cast)
    second = acknowledge(cast, log(cast, date(2025, 6, 2), resident=first.person), date(2025, 6, 3))
    for number, complaint in enumerate((first, second), start=1):
        document(cast, complaint, f"rosa-photo-{number}.pdf", pdf(f"rosa document {number}"))
        outbox.queue(
            landlord=cast.landlord,
            kind=OutboxMessage.Kind.LETTER,
            to_address="rosa@example.org",
            subject=f"About complaint {number}",
            body=f"Dear Rosa, news about complaint number {number}.",
            complaint=complaint,
        )
        reply = email(to=outbox.reply_address(complaint), subject=f"Re: complaint {number}", text=f"Reply {number}")
        assert inbound.receive(reply.as_bytes()).message.complaint_id == complaint.pk
    NEEDS.record_adjustment(first.person, cast.handler, kind="large-print", detail="Size 18 please")
    NEEDS.record_vulnerability(
        first.person,
        cast.handler,
        description="Hearing loss in one ear",
        disclosed_on=TODAY,
        consent_given=True,
        consent_from="resident",
        consent_how="verbal",
        consent_on=TODAY,
    )
    return Person.objects.get(pk=first.person_id), [first, Complaint.objects.get(pk=second.pk)]


def someone_else(cast: Cast) -> Complaint:
    """Another resident of the same landlord, with a document and an email of their own."""
    other = log(
        cast,
        date(2025, 6, 4),
        resident=RESIDENT.__class__(name="Olive Other", email="olive@example.org", phone="07700 900999"),
        description="Olive's own complaint about the lift.",
    )
    document(cast, other, "olive-secret.pdf", pdf("olive document"))
    inbound.receive(
        email(sender="Olive <olive@example.org>", to=outbox.reply_address(other), text="Olive's").as_bytes()
    )
    return other


def unzipped(content: bytes) -> zipfile.ZipFile:
    return zipfile.ZipFile(io.BytesIO(content))


@time_machine.travel(TODAY, tick=False)
class TheExportTests(TestCase):
    cast: Cast
    person: Person
    complaints: list[Complaint]
    other: Complaint

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.person, cls.complaints = resident_with_record(cls.cast)
        cls.other = someone_else(cls.cast)

    def test_the_zip_holds_each_complaint_letter_email_and_document_listed_in_the_index_and_nothing_else(
        self,
    ) -> None:
        archive = unzipped(build_subject_access_export(self.person))
        names = archive.namelist()
        index = archive.read("index.html").decode()
        for name in names:
            if name not in ("index.html", "export.css"):
                assert f'href="{name}"' in index, name
        # The pages' look is a stylesheet beside the index, linked from every page: no inline style.
        assert "font-family" in archive.read("export.css").decode()
        assert '<link rel="stylesheet" href="export.css">' in index and "<style" not in index
        for complaint in self.complaints:
            folder = f"complaints/{complaint.reference}"
            record = json.loads(archive.read(f"{folder}/complaint.json"))
            assert record["reference"] == complaint.reference and record["your_words"] == complaint.description
            assert record["timeline"] and record["stages"][0]["our_understanding"]
            shown = archive.read(f"{folder}/complaint.html").decode()
            assert complaint.reference in shown
            assert '<link rel="stylesheet" href="../../export.css">' in shown and "<style" not in shown
            # Each letter as its PDF, read back.
            letters = [n for n in names if n.startswith(f"{folder}/letters/")]
            assert len(letters) == Letter.objects.filter(complaint=complaint).count() >= 1
            for name in letters:
                text = PdfText(page_texts(archive.read(name)))
                assert complaint.reference in text
            # Each email, in and out, as an .eml with its body.
            emails = {
                n: message_from_bytes(archive.read(n), policy=policy.default) for n in names if n.endswith(".eml")
            }
            mine = {n: m for n, m in emails.items() if n.startswith(f"{folder}/emails/")}
            sent = OutboxMessage.objects.filter(complaint=complaint, to_user__isnull=True)
            assert len(mine) == sent.count() + InboundMessage.objects.filter(complaint=complaint).count()
            bodies = [m.get_body(preferencelist=("plain",)).get_content() for m in mine.values()]  # type: ignore[union-attr]
            number = self.complaints.index(complaint) + 1
            assert any(f"news about complaint number {number}" in b for b in bodies)
            assert any(f"Reply {number}" in b for b in bodies)
            # Each document's bytes.
            documents = [n for n in names if n.startswith(f"{folder}/documents/")]
            assert [archive.read(n) for n in documents] == [pdf(f"rosa document {number}")]
        needs = json.loads(archive.read("you/needs.json"))
        assert needs["reasonable_adjustments"][0]["detail"] == "Size 18 please"
        assert needs["vulnerabilities"][0]["description"] == "Hearing loss in one ear"
        assert json.loads(archive.read("you/details.json"))["email"] == "rosa@example.org"
        # Nothing from another resident.
        everything = b"".join(archive.read(n) for n in names)
        for theirs in (b"Olive", b"olive@example.org", b"olive document", self.other.reference.encode()):
            assert theirs not in everything, theirs

    def test_html_and_script_in_every_text_field_are_escaped_in_the_index(self) -> None:
        nasty = '<script>alert("x")</script><b>bold</b>'
        Person.objects.filter(pk=self.person.pk).update(
            name=nasty, email="rosa@example.org", phone=nasty, address=nasty, tenancy_reference=nasty, title="<i>"
        )
        document(self.cast, self.complaints[0], "<img src=x onerror=alert(1)>.pdf", pdf("nasty"))
        Letter.objects.filter(complaint=self.complaints[0]).update(subject=nasty)
        OutboxMessage.objects.filter(complaint=self.complaints[0]).update(subject=nasty)
        Complaint.objects.filter(pk=self.complaints[0].pk).update(description=nasty, outcome_sought=nasty)
        archive = unzipped(build_subject_access_export(Person.objects.get(pk=self.person.pk)))
        for name in ("index.html", f"complaints/{self.complaints[0].reference}/complaint.html"):
            html = archive.read(name).decode()
            assert "<script>" not in html and "<b>bold</b>" not in html and "<img" not in html and "<i>" not in html
            assert "&lt;script&gt;" in html

    def test_the_worker_builds_it_and_the_request_is_then_done_and_downloadable(self) -> None:
        rights = actions.record_request(self.person, self.cast.officer, kind="access", received_on=TODAY)
        with self.captureOnCommitCallbacks(execute=True):
            export = actions.complete_access(rights, self.cast.officer)
        assert export.state == "queued" and RightsRequest.objects.get().state == "open"
        with self.assertRaisesMessage(Exception, "is being built"):
            actions.complete_access(rights, self.cast.manager)
        assert tasks.build_export.call(export.pk) == "ready"
        export.refresh_from_db()
        rights.refresh_from_db()
        assert rights.state == "done" and rights.decided_by == self.cast.officer and export.sha256
        officer = signed_in(self.cast.officer)
        shown = page(officer.get(f"/staff/privacy/requests/{rights.pk}/"))
        assert "Download" in shown and "Ready" in shown
        response = officer.get(f"/staff/privacy/requests/{rights.pk}/exports/1/download/")
        assert response.status_code == 200 and response["Content-Type"] == "application/zip"
        content = response.getvalue()
        assert "index.html" in unzipped(content).namelist()
        from putright.access_log.models import SensitiveAccess

        logged = SensitiveAccess.objects.get()
        assert (logged.user, logged.kind) == (self.cast.officer, "subject-access")


@time_machine.travel(TODAY, tick=False)
class ErasingTheExportTests(TestCase):
    """Its own record: erasure deletes the stored files, which the other tests read."""

    cast: Cast
    person: Person
    complaints: list[Complaint]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.person, cls.complaints = resident_with_record(cls.cast)

    def test_an_export_is_erased_with_the_residents_data(self) -> None:
        rights = actions.record_request(self.person, self.cast.officer, kind="access", received_on=TODAY)
        export = actions.complete_access(rights, self.cast.officer)
        tasks.build_export.call(export.pk)
        export.refresh_from_db()
        for complaint in self.complaints:
            complaint_actions.withdraw(Complaint.objects.get(pk=complaint.pk), self.cast.officer, on=TODAY, how="Phone")
        erasure = actions.record_request(self.person, self.cast.officer, kind="erasure", received_on=TODAY)
        with self.captureOnCommitCallbacks(execute=True):
            assert actions.decide_erasure(erasure, self.cast.officer).state == "done"
        stored = SubjectAccessExport.objects.get(pk=export.pk)
        assert stored.state == "erased" and not stored.file
        assert not export.file.storage.exists(export.file.name)


@time_machine.travel(TODAY, tick=False)
class SharedAddressTests(TestCase):
    """Email on no complaint, from an address two residents share (a household's one address), could be
    either's: the copy of one resident's data leaves it out; with the address theirs alone it is in."""

    def test_loose_email_from_a_shared_address_is_left_out_and_from_their_own_address_kept(self) -> None:
        cast = make_cast()
        LetterStyle.objects.create(landlord=cast.landlord, email=MAILBOX)
        rosa = log(cast, date(2025, 6, 2)).person
        inbound.receive(email(sender=f"Rosa <{rosa.email}>", subject="Bins again", text="Loose words").as_bytes())
        assert InboundMessage.objects.filter(complaint__isnull=True, subject="Bins again").exists()
        assert any(name.startswith("emails/") for name in unzipped(build_subject_access_export(rosa)).namelist())
        log(cast, date(2025, 6, 3), resident=RESIDENT.__class__(name="Ray Sharer", email=rosa.email))
        assert Person.objects.filter(email__iexact=rosa.email).count() == 2
        names = unzipped(build_subject_access_export(Person.objects.get(pk=rosa.pk))).namelist()
        assert not any(name.startswith("emails/") for name in names), names
