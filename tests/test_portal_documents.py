"""Photos and documents from the resident: checked by their content, kept until the complaint is sent,
joined to it once in the same transaction, and shown to staff as the resident's."""

from __future__ import annotations

import shutil
import tempfile
import threading
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from unittest import mock

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test import Client, TestCase, TransactionTestCase, override_settings

from putright.complaints import actions
from putright.complaints.errors import InvalidInput, TransitionNotAllowed
from putright.complaints.models import Complaint, Event
from putright.documents import staging as documents
from putright.documents.models import Attachment, PendingAttachment
from tests.cast import log, make_cast
from tests.conftest import needs_postgresql
from tests.portal_support import ANSWERS, BASE, answer_all, follow, make_complaint, png, submit
from tests.test_workspace_documents import docx
from tests.test_workspace_support import complaint_url, signed_in

TODAY = date(2025, 6, 16)
PAGE = f"{BASE}/complain/documents/"
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
HTML = b"<!doctype html><html><body><script>fetch('/steal')</script></body></html>"
EXECUTABLE = b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff\x00\x00" + b"\x00" * 64


def upload(name: str, content: bytes, content_type: str = "image/png") -> SimpleUploadedFile:
    # The content type a browser claims is ignored: only the content counts.
    return SimpleUploadedFile(name, content, content_type=content_type)


def answer_until_documents(client: Client) -> None:
    for page, data in ANSWERS:
        if page == "documents":
            return
        response = client.post(f"{BASE}/complain/{page}/", data)
        assert response.status_code == 302, (page, response.content.decode()[:2000])


def send_files(client: Client, *files: SimpleUploadedFile, action: str = "upload") -> Any:
    return client.post(PAGE, {"documents": list(files), "action": action})


class MediaTestCase(TestCase):
    """Each test stores its files in a folder of its own, deleted afterwards."""

    def setUp(self) -> None:
        self.media = tempfile.mkdtemp(prefix="putright-media-")
        self.addCleanup(shutil.rmtree, self.media, True)
        self.enterContext(override_settings(MEDIA_ROOT=self.media))

    def stored(self) -> set[str]:
        root = Path(self.media)
        return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


@time_machine.travel(TODAY, tick=False)
class PhotosAndDocumentsWhileMakingAComplaintTests(MediaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        super().setUp()
        answer_until_documents(self.client)

    def test_the_page_states_the_types_and_sizes_before_anything_is_uploaded(self) -> None:
        html = self.client.get(PAGE).content.decode()
        assert "<title>Photos and documents – Ashford Borough Council" in html
        assert 'enctype="multipart/form-data"' in html and 'type="file"' in html and " multiple" in html
        assert "JPEG, PNG, PDF or Word document (.docx)" in html and "smaller than 10&nbsp;MB" in html
        assert "You can send up to 5 files, or none" in html and "You can select up to 5 files" in html
        assert 'href="/ashford/complain/service/"' in html  # back to the page before

    def test_the_page_comes_after_the_service_and_before_the_help_needed(self) -> None:
        assert self.client.get(f"{BASE}/complain/help/")["Location"] == PAGE
        assert send_files(self.client, action="continue")["Location"] == f"{BASE}/complain/help/"

    def test_a_photo_and_a_pdf_are_kept_shown_and_joined_to_the_complaint_when_it_is_sent(self) -> None:
        response = send_files(self.client, upload("boiler.png", png()), upload("letter.pdf", PDF, "text/plain"))
        assert response["Location"] == PAGE
        html = self.client.get(PAGE).content.decode()
        assert "boiler.png" in html and "letter.pdf" in html and "Add another file" in html
        assert "You can select up to 3 files" in html
        assert PendingAttachment.objects.count() == 2 and Attachment.objects.count() == 0
        send_files(self.client, action="continue")
        token = answer_all(self.client)
        check = self.client.get(f"{BASE}/complain/check-your-answers/").content.decode()
        assert (
            "boiler.png" in check
            and "letter.pdf" in check
            and 'Remove<span class="govuk-visually-hidden"> boiler.png' in check
        )

        submit(self.client, token)
        complaint = Complaint.objects.get()
        attachments = list(Attachment.objects.filter(complaint=complaint))
        assert [(a.name, a.content_type, a.uploaded_by) for a in attachments] == [
            ("boiler.png", "image/png", None),
            ("letter.pdf", "application/pdf", None),
        ]
        assert attachments[0].file.read() == png() and attachments[0].file.name.startswith(
            f"attachments/{self.cast.landlord.pk}/"
        )
        events = Event.objects.filter(complaint=complaint, kind="attachment-added")
        assert [e.actor for e in events] == [None, None]
        assert "Document added by the resident on 16 June 2025: boiler.png (PNG image, 1 KB)." in [
            e.summary for e in events
        ]
        assert PendingAttachment.objects.count() == 0
        assert self.stored() == {a.file.name for a in attachments}

    def test_a_word_document_and_a_jpeg_are_accepted(self) -> None:
        jpeg = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
        send_files(self.client, upload("notes.docx", docx()), upload("photo.jpg", jpeg))
        assert sorted(PendingAttachment.objects.values_list("content_type", flat=True)) == [
            "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            "image/jpeg",
        ]

    def test_a_png_that_is_really_a_web_page_or_a_program_is_refused_and_nothing_is_kept(self) -> None:
        response = send_files(
            self.client, upload("photo.png", HTML), upload("setup.png", EXECUTABLE), upload("ok.png", png())
        )
        html = response.content.decode()
        assert response.status_code == 200 and "<title>Error: Photos and documents" in html
        assert "photo.png must be a JPEG, PNG, PDF or Word document" in html
        assert "setup.png must be a JPEG, PNG, PDF or Word document" in html
        assert 'href="#id_documents"' in html and "govuk-file-upload--error" in html
        assert PendingAttachment.objects.count() == 0 and self.stored() == set()

    def test_plain_text_is_refused_from_residents_even_though_staff_may_keep_it(self) -> None:
        html = send_files(self.client, upload("notes.txt", b"Just some words", "text/plain")).content.decode()
        assert "notes.txt must be a JPEG, PNG, PDF or Word document" in html

    def test_a_file_of_10_mb_or_more_is_refused(self) -> None:
        big = png() + b"\x00" * (10 * 1024 * 1024)
        html = send_files(self.client, upload("huge.png", big)).content.decode()
        assert "huge.png must be smaller than 10 MB" in html
        assert PendingAttachment.objects.count() == 0

    def test_an_empty_file_is_refused(self) -> None:
        html = send_files(self.client, upload("blank.pdf", b"")).content.decode()
        assert "blank.pdf is empty" in html

    def test_uploading_without_choosing_a_file_asks_for_one(self) -> None:
        html = send_files(self.client).content.decode()
        assert "Select a photo or document to upload" in html and "<title>Error: " in html

    def test_no_more_than_five_files_in_all(self) -> None:
        html = send_files(self.client, *[upload(f"{n}.png", png()) for n in range(6)]).content.decode()
        assert "Select up to 5 files at a time" in html
        send_files(self.client, *[upload(f"{n}.png", png()) for n in range(4)])
        html = send_files(self.client, upload("a.png", png()), upload("b.png", png())).content.decode()
        assert "You can add up to 5 files. You have added 4, so select 1 more at most" in html
        assert send_files(self.client, upload("a.png", png())).status_code == 302
        html = self.client.get(PAGE).content.decode()
        assert "the most you can send with your complaint" in html and 'type="file"' not in html
        html = send_files(self.client, upload("b.png", png())).content.decode()
        assert "You have added 5 files, which is the most you can add. Remove one to add another" in html
        assert PendingAttachment.objects.count() == 5

    def test_html_in_a_file_name_is_shown_as_text(self) -> None:
        name = "<img src=x onerror=alert(1)>.png"
        html = send_files(self.client, upload(name, HTML)).content.decode()
        assert "&lt;img src=x onerror=alert(1)&gt;.png must be a JPEG" in html and "<img src=x" not in html
        send_files(self.client, upload(name, png()))
        html = self.client.get(PAGE).content.decode()
        assert "&lt;img src=x onerror=alert(1)&gt;.png" in html and "<img src=x" not in html

    def test_a_file_name_is_kept_to_200_characters_with_its_extension(self) -> None:
        assert documents.display_name("C:\\Users\\rosa\\" + "x" * 300 + ".png") == "x" * 196 + ".png"
        assert documents.display_name("bad\x00name\n.pdf") == "badname.pdf"
        assert documents.display_name("\x07") == "file"

    def test_a_file_removed_on_check_your_answers_is_not_sent_and_its_file_is_deleted(self) -> None:
        send_files(self.client, upload("keep.png", png()), upload("drop.png", png()))
        token = answer_all(self.client)
        dropped = PendingAttachment.objects.get(name="drop.png")
        with self.captureOnCommitCallbacks(execute=True):
            response = self.client.post(f"{BASE}/complain/documents/remove/", {"document": dropped.pk, "back": "check"})
        assert response["Location"] == f"{BASE}/complain/check-your-answers/#documents"
        assert dropped.file.name not in self.stored()
        check = self.client.get(f"{BASE}/complain/check-your-answers/").content.decode()
        assert "keep.png" in check and "drop.png" not in check
        submit(self.client, token)
        assert list(Attachment.objects.values_list("name", flat=True)) == ["keep.png"]

    def test_a_file_can_be_removed_on_the_documents_page(self) -> None:
        send_files(self.client, upload("drop.png", png()))
        dropped = PendingAttachment.objects.get()
        response = self.client.post(f"{BASE}/complain/documents/remove/", {"document": dropped.pk, "back": "documents"})
        assert response["Location"] == PAGE and not PendingAttachment.objects.exists()
        # A second click on Remove finds nothing to remove and does no harm.
        assert self.client.post(f"{BASE}/complain/documents/remove/", {"document": dropped.pk})["Location"] == PAGE

    def test_another_session_can_neither_see_nor_remove_the_files(self) -> None:
        send_files(self.client, upload("mine.png", png()))
        kept = PendingAttachment.objects.get()
        stranger = Client()
        answer_until_documents(stranger)
        assert "mine.png" not in stranger.get(PAGE).content.decode()
        stranger.post(f"{BASE}/complain/documents/remove/", {"document": kept.pk})
        assert PendingAttachment.objects.filter(pk=kept.pk).exists()
        token = answer_all(stranger)
        submit(stranger, token)
        assert not Attachment.objects.exists()

    def test_a_double_submit_joins_the_files_to_one_complaint_once(self) -> None:
        send_files(self.client, upload("boiler.png", png()), upload("letter.pdf", PDF))
        token = answer_all(self.client)
        first, second = submit(self.client, token), submit(self.client, token)
        assert first["Location"] == second["Location"] == f"{BASE}/complain/sent/"
        assert Complaint.objects.count() == 1 and Attachment.objects.count() == 2
        assert Event.objects.filter(kind="attachment-added").count() == 2

    def test_nothing_is_half_written_when_sending_fails(self) -> None:
        send_files(self.client, upload("boiler.png", png()))
        token = answer_all(self.client)
        with (
            mock.patch("putright.portal.views.Submission.objects.create", side_effect=RuntimeError("database gone")),
            self.assertRaises(RuntimeError),
        ):
            submit(self.client, token)
        assert not Complaint.objects.exists() and not Attachment.objects.exists()
        assert PendingAttachment.objects.count() == 1
        submit(self.client, token)  # trying again sends the complaint with its file
        assert Attachment.objects.get().complaint == Complaint.objects.get()

    def test_the_files_of_an_abandoned_journey_are_deleted_after_a_day(self) -> None:
        send_files(self.client, upload("left.png", png()))
        left = PendingAttachment.objects.get()
        with time_machine.travel(TODAY + timedelta(days=2), tick=False):
            someone = Client()
            answer_until_documents(someone)
            with self.captureOnCommitCallbacks(execute=True):
                send_files(someone, upload("new.png", png()))
        assert list(PendingAttachment.objects.values_list("name", flat=True)) == ["new.png"]
        assert left.file.name not in self.stored()

    def test_staff_see_the_residents_files_and_can_download_them(self) -> None:
        send_files(self.client, upload("boiler.png", png()))
        submit(self.client, answer_all(self.client))
        complaint = Complaint.objects.get()
        staff = signed_in(self.cast.officer)
        html = staff.get(complaint_url(complaint)).content.decode()
        assert "boiler.png" in html and "by the resident" in html
        attachment = Attachment.objects.get()
        response = staff.get(complaint_url(complaint, f"documents/{attachment.pk}"))
        assert response.status_code == 200 and b"".join(response.streaming_content) == png()
        assert response["Content-Disposition"] == 'attachment; filename="boiler.png"'
        assert signed_in(self.cast.stranger).get(
            complaint_url(complaint, f"documents/{attachment.pk}")
        ).status_code in (403, 404)


@time_machine.travel(TODAY, tick=False)
class PhotosAndDocumentsWhenAddingInformationTests(MediaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        super().setUp()
        self.complaint = make_complaint(self.client)
        follow(self.client, self.complaint.reference)
        self.url = f"{BASE}/your-complaint/add-information/"

    def test_the_page_takes_files_and_states_the_limits(self) -> None:
        html = self.client.get(self.url).content.decode()
        assert 'enctype="multipart/form-data"' in html and "Photos or documents (optional)" in html
        assert "smaller than 10&nbsp;MB" in html and "You can select up to 5 files" in html

    def test_a_resident_adds_words_and_a_photo_together(self) -> None:
        response = self.client.post(
            self.url, {"information": "Here is the mould.", "documents": [upload("m.png", png())]}
        )
        assert response["Location"] == f"{BASE}/your-complaint/"
        html = self.client.get(response["Location"]).content.decode()
        assert "We have added your information and files to your complaint" in html
        assert "Photos and documents you sent" in html and "m.png" in html
        attachment = Attachment.objects.get(complaint=self.complaint)
        assert attachment.uploaded_by is None and attachment.file.read() == png()
        kinds = list(Event.objects.filter(complaint=self.complaint).values_list("kind", flat=True))
        assert kinds[-2:] == ["information-added", "attachment-added"]

    def test_a_file_alone_is_enough(self) -> None:
        response = self.client.post(self.url, {"information": "", "documents": [upload("letter.pdf", PDF)]})
        assert response.status_code == 302
        assert not Event.objects.filter(complaint=self.complaint, kind="information-added").exists()
        assert Attachment.objects.get().name == "letter.pdf"

    def test_neither_words_nor_a_file_is_refused(self) -> None:
        html = self.client.post(self.url, {"information": " "}).content.decode()
        assert "Enter what you would like to add, or select a photo or document" in html

    def test_a_bad_file_adds_nothing_not_even_the_words(self) -> None:
        html = self.client.post(
            self.url, {"information": "Words", "documents": [upload("photo.png", HTML)]}
        ).content.decode()
        assert "photo.png must be a JPEG, PNG, PDF or Word document" in html
        assert not Attachment.objects.exists()
        assert not Event.objects.filter(complaint=self.complaint, kind="information-added").exists()


@time_machine.travel(TODAY, tick=False)
class ResidentAttachFilesActionTests(MediaTestCase):
    """The domain action checks again what the portal checked: a caller that skipped it is refused."""

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def resident_file(self, name: str, content: bytes, content_type: str) -> actions.ResidentFile:
        return actions.ResidentFile(upload(name, content), name, content_type, len(content))

    def test_each_file_becomes_an_attachment_with_an_event_and_the_version_moves_on(self) -> None:
        complaint = log(self.cast, TODAY)
        made = actions.resident_attach_files(complaint, [self.resident_file("a.png", png(), "image/png")], on=TODAY)
        assert [(a.name, a.uploaded_by, a.event.kind, a.event.actor) for a in made] == [
            ("a.png", None, "attachment-added", None)
        ]
        assert Complaint.objects.get().version == complaint.version + 1

    def test_text_too_many_or_none_are_refused_and_nothing_is_kept(self) -> None:
        complaint = log(self.cast, TODAY)
        for files, message in (
            ([self.resident_file("a.txt", b"words", "text/plain")], "a.txt must be a JPEG, PNG, PDF or Word document"),
            ([self.resident_file(f"{n}.png", png(), "image/png") for n in range(6)], "up to 5 files at a time"),
            ([], "Select a file"),
        ):
            with self.assertRaises(InvalidInput) as refusal:
                actions.resident_attach_files(complaint, files, on=TODAY)
            assert message in refusal.exception.errors["documents"]
        assert not Attachment.objects.exists() and self.stored() == set()

    def test_a_withdrawn_complaint_takes_no_more_files(self) -> None:
        complaint = actions.resident_withdraw(log(self.cast, TODAY), on=TODAY)
        with self.assertRaises(TransitionNotAllowed):
            actions.resident_attach_files(complaint, [self.resident_file("a.png", png(), "image/png")], on=TODAY)


@needs_postgresql("concurrent writers between threads")
class ConcurrentSubmissionWithFilesTests(TransactionTestCase):
    def test_the_same_submission_twice_at_once_joins_the_files_once(self) -> None:
        media = tempfile.mkdtemp(prefix="putright-media-")
        self.addCleanup(shutil.rmtree, media, True)
        self.enterContext(override_settings(MEDIA_ROOT=media))
        with time_machine.travel(TODAY, tick=False):
            make_cast()
            first = Client()
            answer_until_documents(first)
            send_files(first, upload("boiler.png", png()), upload("letter.pdf", PDF))
            token = answer_all(first)
        second = Client()
        second.cookies = first.cookies  # the same browser, sending twice
        barrier = threading.Barrier(2)
        locations: list[str] = []

        def send(client: Client) -> None:
            try:
                with time_machine.travel(TODAY, tick=False):
                    barrier.wait()
                    locations.append(submit(client, token)["Location"])
            finally:
                connection.close()

        threads = [threading.Thread(target=send, args=(client,)) for client in (first, second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert locations == [f"{BASE}/complain/sent/"] * 2
        assert Complaint.objects.count() == 1 and Attachment.objects.count() == 2
        assert not PendingAttachment.objects.exists()
