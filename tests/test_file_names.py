"""Files are stored and downloaded under the extension their content shows, never the one their name
claims: a PDF that is also a web page downloads as a .pdf, an Office file with macros is refused
however it is named, and "invoice.pdf.exe" is kept only as text. Staff uploads, a resident's uploads
and email attachments all go the same way. (The API takes no file uploads.)"""

from __future__ import annotations

import io
import zipfile
from datetime import date

import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import SimpleTestCase
from django.urls import reverse

from putright.complaints.models import Complaint
from putright.correspondence import inbound, outbox
from putright.correspondence.models import LetterStyle
from putright.documents import filetypes, staging
from putright.documents.limits import ResidentFile
from putright.documents.models import Attachment, PendingAttachment
from tests.cast import log, make_cast
from tests.portal_support import BASE, follow, make_complaint
from tests.test_mail_in import MAILBOX, email
from tests.test_portal_documents import EXECUTABLE, PAGE, MediaTestCase, answer_until_documents, send_files, upload
from tests.test_workspace_documents import docx
from tests.test_workspace_support import complaint_url, page, signed_in

TODAY = date(2025, 6, 16)
# A PDF whose first kilobyte is also a web page with a script: a browser told it was HTML would run it.
POLYGLOT = b"%PDF-1.4\n<html><body><script>alert(document.cookie)</script></body></html>\n1 0 obj <<>> endobj\n%%EOF\n"
# A web page that a PDF reader would also open, because "%PDF-" is in its first kilobyte.
HTML_THAT_IS_A_PDF = b"<html><body><script>alert(1)</script>\n%PDF-1.4\n1 0 obj <<>> endobj\n%%EOF\n</body></html>"
MACRO_TYPES = {
    "docm": ("word/document.xml", "application/vnd.ms-word.document.macroEnabled.main+xml"),
    "xlsm": ("xl/workbook.xml", "application/vnd.ms-excel.sheet.macroEnabled.main+xml"),
    "pptm": ("ppt/presentation.xml", "application/vnd.ms-powerpoint.presentation.macroEnabled.main+xml"),
}


def office_with_macros(kind: str, *, declared: bool = True) -> bytes:
    """An Office package with a VBA project, as Word, Excel or PowerPoint save one with macros."""
    main, content_type = MACRO_TYPES[kind]
    folder = main.split("/")[0]
    declared_type = content_type if declared else "application/vnd.openxmlformats-officedocument.main+xml"
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            f'<Types><Override PartName="/{main}" ContentType="{declared_type}"/>'
            '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>'
            if declared
            else f'<Types><Override PartName="/{main}" ContentType="{declared_type}"/></Types>',
        )
        archive.writestr(main, "<document/>")
        archive.writestr(f"{folder}/vbaProject.bin", b"\xd0\xcf\x11\xe0macros")
    return buffer.getvalue()


def sniff(name: str, content: bytes) -> str:
    return filetypes.content_type(SimpleUploadedFile(name, content))


class WhatAFileIsTests(SimpleTestCase):
    def test_a_pdf_that_is_also_a_web_page_is_a_pdf_and_downloads_as_one(self) -> None:
        assert sniff("statement.html", POLYGLOT) == "application/pdf"
        assert filetypes.download_name("statement.html", "application/pdf") == "statement.pdf"

    def test_a_web_page_that_a_pdf_reader_would_open_is_neither(self) -> None:
        assert sniff("statement.pdf", HTML_THAT_IS_A_PDF) == ""

    def test_office_files_with_macros_are_recognised_whatever_their_name(self) -> None:
        for kind in MACRO_TYPES:
            assert sniff(f"macro.{kind}", office_with_macros(kind)) == filetypes.MACRO_OFFICE, kind
        # Renamed to .docx, and with the macro content type left out: the VBA project still shows.
        assert sniff("report.docx", office_with_macros("docm", declared=False)) == filetypes.MACRO_OFFICE
        assert sniff("report.docx", docx()) == filetypes.WORD

    def test_a_name_with_two_extensions_downloads_with_only_the_one_its_content_shows(self) -> None:
        assert filetypes.download_name("invoice.pdf.exe", "application/pdf") == "invoice.pdf"
        assert filetypes.download_name("invoice.pdf.exe", "application/octet-stream") == "invoice.bin"
        assert filetypes.download_name("Repair v1.2 final.pdf", "application/pdf") == "Repair v1.2 final.pdf"
        assert filetypes.download_name('a"b;c\\d.docx', filetypes.WORD) == "d.docx"
        assert filetypes.download_name("notes.html", "text/plain") == "notes.txt"
        assert filetypes.download_name("photo", "image/png") == "photo.png"


@time_machine.travel(TODAY, tick=False)
class StaffUploadTests(MediaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        cls.complaint = log(cls.cast, date(2025, 6, 11))

    def upload(self, name: str, content: bytes):  # type: ignore[no-untyped-def]
        complaint = Complaint.objects.get(pk=self.complaint.pk)
        return signed_in(self.cast.handler).post(
            complaint_url(complaint, "documents/new"),
            {"expected_version": complaint.version, "file": SimpleUploadedFile(name, content), "description": ""},
        )

    def download(self, attachment: Attachment):  # type: ignore[no-untyped-def]
        return signed_in(self.cast.auditor).get(complaint_url(self.complaint, f"documents/{attachment.pk}"))

    def test_a_pdf_named_as_a_web_page_is_stored_and_downloaded_as_a_pdf(self) -> None:
        assert self.upload("statement.html", POLYGLOT).status_code == 302
        attachment = Attachment.objects.get()
        assert attachment.name == "statement.html" and attachment.file.name.endswith(".pdf")
        download = self.download(attachment)
        assert download["Content-Type"] == "application/pdf"
        assert download["Content-Disposition"] == 'attachment; filename="statement.pdf"'

    def test_office_files_with_macros_are_refused_however_they_are_named(self) -> None:
        for name, content in (
            ("macro.docm", office_with_macros("docm")),
            ("budget.xlsm", office_with_macros("xlsm")),
            ("slides.pptm", office_with_macros("pptm")),
            ("harmless.docx", office_with_macros("docm", declared=False)),
        ):
            html = page(self.upload(name, content))
            assert "The selected file has macros in it, which can harm a computer" in html, name
        assert not Attachment.objects.exists() and self.stored() == set()

    def test_a_program_named_as_a_pdf_is_refused_and_a_pdf_named_as_a_program_is_kept_as_a_pdf(self) -> None:
        refused = page(self.upload("invoice.pdf.exe", EXECUTABLE))
        assert "The selected file must be a PDF, JPEG, PNG, Word document or plain text file" in refused
        assert self.upload("invoice.pdf.exe", POLYGLOT).status_code == 302
        attachment = Attachment.objects.get()
        assert attachment.name == "invoice.pdf.exe" and attachment.file.name.endswith(".pdf")
        assert self.download(attachment)["Content-Disposition"] == 'attachment; filename="invoice.pdf"'
        html = page(signed_in(self.cast.auditor).get(complaint_url(self.complaint)))
        assert "invoice.pdf.exe" in html  # shown as it came, as text

    def test_a_name_with_markup_is_shown_as_text_and_not_used_for_the_download(self) -> None:
        assert self.upload("<img src=x onerror=alert(1)>.html", b"Notes from the visit").status_code == 302
        attachment = Attachment.objects.get()
        html = page(signed_in(self.cast.auditor).get(complaint_url(self.complaint)))
        assert "&lt;img src=x onerror=alert(1)&gt;.html" in html and "<img src=x" not in html
        disposition = self.download(attachment)["Content-Disposition"]
        assert disposition.endswith('.txt"') and "html" not in disposition


@time_machine.travel(TODAY, tick=False)
class ResidentUploadTests(MediaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def test_a_residents_office_file_with_macros_is_refused_with_what_to_do(self) -> None:
        answer_until_documents(self.client)
        html = send_files(self.client, upload("macro.docm", office_with_macros("docm"))).content.decode()
        assert "macro.docm has macros in it, which can harm a computer" in html
        assert "Save it as a Word document (.docx) or a PDF" in html
        assert not PendingAttachment.objects.exists() and self.stored() == set()

    def test_a_residents_pdf_named_as_a_web_page_is_kept_as_a_pdf_and_they_download_it_so(self) -> None:
        answer_until_documents(self.client)
        assert send_files(self.client, upload("statement.html", POLYGLOT))["Location"] == PAGE
        pending = PendingAttachment.objects.get()
        assert pending.name == "statement.html" and pending.file.name.endswith(".pdf")
        assert [name.rsplit(".", 1)[1] for name in self.stored()] == ["pdf"]
        complaint = make_complaint(self.client)
        attachment = Attachment.objects.get(complaint=complaint)
        assert attachment.file.name.endswith(".pdf")
        follow(self.client, complaint.reference)
        download = self.client.get(f"{BASE}/your-complaint/documents/{attachment.pk}/")
        assert download["Content-Disposition"] == 'attachment; filename="statement.pdf"'

    def test_a_checked_file_keeps_its_name_only_as_text(self) -> None:
        checked = staging.check(SimpleUploadedFile("invoice.pdf.exe", POLYGLOT))
        assert isinstance(checked, ResidentFile)
        assert (checked.name, checked.content_type) == ("invoice.pdf.exe", "application/pdf")
        assert staging.check(SimpleUploadedFile("invoice.pdf.exe", EXECUTABLE)) == (
            "invoice.pdf.exe must be a JPEG, PNG, PDF or Word document, a photo from an iPhone (HEIC), "
            "or an MP4 or MOV video"
        )


@time_machine.travel(TODAY, tick=False)
class EmailAttachmentTests(MediaTestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        LetterStyle.objects.create(landlord=cls.cast.landlord, email=MAILBOX)
        cls.complaint = log(cls.cast, date(2025, 6, 11))

    def test_attachments_are_stored_and_downloaded_as_what_they_are_and_macros_are_not_kept(self) -> None:
        message = email(to=outbox.reply_address(self.complaint))
        message.add_attachment(POLYGLOT, maintype="text", subtype="html", filename="statement.html")
        message.add_attachment(EXECUTABLE, maintype="application", subtype="pdf", filename="invoice.pdf.exe")
        macro = office_with_macros("docm")
        message.add_attachment(macro, maintype="application", subtype="octet-stream", filename="macro.docm")
        kept = inbound.ingest(message.as_bytes())
        files = {a.name: a for a in kept.attachments.all()}
        assert set(files) == {"statement.html", "invoice.pdf.exe"}
        assert files["statement.html"].file.name.endswith(".pdf")
        assert files["invoice.pdf.exe"].file.name.endswith(".bin")
        assert "'macro.docm' is an Office file with macros" in kept.problems
        client = signed_in(self.cast.handler)
        for name, expected in (("statement.html", "statement.pdf"), ("invoice.pdf.exe", "invoice.bin")):
            url = reverse("correspondence:attachment", args=[kept.pk, files[name].pk])
            assert client.get(url)["Content-Disposition"] == f'attachment; filename="{expected}"'
