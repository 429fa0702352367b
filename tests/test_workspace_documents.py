"""Documents on a complaint's record (5.12): the type read from the content, a size limit, and
downloads only for the landlord's own staff."""

from __future__ import annotations

import io
import shutil
import tempfile
import zipfile
from datetime import date

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import TestCase, override_settings

from putright.complaints.models import Complaint
from putright.documents.limits import ATTACHMENT_MAX_BYTES
from putright.documents.models import Attachment
from tests.cast import log, make_cast
from tests.test_workspace_support import complaint_url, page, signed_in

TODAY = date(2025, 6, 16)
PDF = b"%PDF-1.4\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


def docx() -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("word/document.xml", "<w:document/>")
    return buffer.getvalue()


@time_machine.travel(TODAY, tick=False)
class DocumentTests(TestCase):
    @classmethod
    def setUpClass(cls) -> None:
        cls.media = tempfile.mkdtemp(prefix="putright-media-")
        cls.enterClassContext(override_settings(MEDIA_ROOT=cls.media))
        super().setUpClass()

    @classmethod
    def tearDownClass(cls) -> None:
        super().tearDownClass()
        shutil.rmtree(cls.media, ignore_errors=True)

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = log(cls.cast, date(2025, 6, 11))

    def upload(self, user, name: str, content: bytes, description: str = ""):  # type: ignore[no-untyped-def]
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        return signed_in(user).post(
            complaint_url(complaint, "documents/new"),
            {
                "expected_version": complaint.version,
                "file": SimpleUploadedFile(name, content),
                "description": description,
            },
        )

    def test_a_pdf_is_kept_shown_on_the_timeline_and_downloaded_as_uploaded(self) -> None:
        response = self.upload(self.cast.handler, "letter.pdf", PDF, "Letter from the <b>resident</b>")
        assert response["Location"] == complaint_url(self.complaint) + "#documents"
        attachment = Attachment.objects.get()
        assert attachment.content_type == "application/pdf" and attachment.size == len(PDF)
        assert "letter.pdf" not in attachment.file.name  # stored under a name of its own
        html = page(signed_in(self.cast.auditor).get(complaint_url(self.complaint)))
        assert "letter.pdf" in html and "Document added: letter.pdf (PDF, 1 KB)" in html
        assert "Letter from the &lt;b&gt;resident&lt;/b&gt;" in html
        download = signed_in(self.cast.auditor).get(complaint_url(self.complaint, f"documents/{attachment.pk}"))
        assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"] == 'attachment; filename="letter.pdf"'
        assert b"".join(download.streaming_content) == PDF  # type: ignore[attr-defined]

    def test_word_png_and_text_files_are_recognised_by_their_content(self) -> None:
        for name, content, kind in (
            ("report.docx", docx(), "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
            ("photo", PNG, "image/png"),
            ("notes.txt", "Called the résident at 10:00".encode(), "text/plain"),
        ):
            assert self.upload(self.cast.handler, name, content).status_code == 302, name
            assert Attachment.objects.latest("id").content_type == kind

    def test_a_file_pretending_to_be_a_pdf_or_too_large_is_refused(self) -> None:
        renamed = page(self.upload(self.cast.handler, "invoice.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00" * 10))
        assert '<a href="#id_file">The selected file must be a PDF, JPEG, PNG' in renamed
        zipped = page(self.upload(self.cast.handler, "archive.docx", b"PK\x03\x04not really a zip"))
        assert "The selected file must be a PDF" in zipped
        large = page(self.upload(self.cast.handler, "big.pdf", PDF + b"0" * ATTACHMENT_MAX_BYTES))
        assert "The selected file must be smaller than 10 MB" in large
        assert not Attachment.objects.exists()

    def test_an_auditor_cannot_add_and_another_landlord_cannot_download(self) -> None:
        assert self.upload(self.cast.auditor, "letter.pdf", PDF).status_code == 403
        self.upload(self.cast.handler, "letter.pdf", PDF)
        attachment = Attachment.objects.get()
        url = complaint_url(self.complaint, f"documents/{attachment.pk}")
        assert signed_in(self.cast.stranger).get(url).status_code == 404
        other = log(self.cast, TODAY)
        assert signed_in(self.cast.handler).get(complaint_url(other, f"documents/{attachment.pk}")).status_code == 404
