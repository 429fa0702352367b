"""The Ombudsman's wording of the Code: the landlord uploads the Ombudsman's self-assessment form (XLSX), Putright
reads each provision's requirement from it, and the self-assessment's pages and exports carry that wording, saying
so, with Putright's summary only where the form has none. The forms are made here with openpyxl, in the shapes real
exports take: title rows above the header, section rows, HTML in the cells, numbers as numbers or as text."""

from __future__ import annotations

import io
import zipfile
from datetime import UTC, datetime
from unittest import mock

import pytest
import time_machine
from django.db import connection
from django.test import SimpleTestCase, TestCase
from django.test.utils import CaptureQueriesContext
from openpyxl import Workbook, load_workbook  # type: ignore[import-untyped]

from putright.complaints.errors import InvalidInput, NotPermitted
from putright.insight import actions
from putright.insight.code_wording import MINIMUM_PROVISIONS, clean_requirement, read_code_wording
from putright.insight.evidence import YearEvidence
from putright.insight.models import CodeWording, SelfAssessment
from putright.landlords.models import Landlord
from putright.rules.provisions import PROVISIONS, provision
from tests.cast import Cast, make_cast
from tests.conftest import REPOSITORY
from tests.pdf_text import pdf_text
from tests.report_jobs import built

ARTIFACTS = REPOSITORY / "test-artifacts" / "insight"
IMPORTED = datetime(2025, 11, 3, 10, 0, tzinfo=UTC)
LEFT_OUT = ("7.4", "9.8")  # rows the made-up form does not have, so Putright's summary stands in
URL = "/staff/insight/self-assessment/"


def wording(number: str) -> str:
    return f"Made-up requirement {number}: the landlord must do what provision {number} asks."


def ombudsman_form(
    *, left_out: tuple[str, ...] = LEFT_OUT, header: tuple[str, str] = ("Code provision", "Code requirement")
) -> bytes:
    """A form like the Ombudsman's: sections 1 to 6 on the first sheet, 7 to 9 on a second, and a notes sheet."""
    book = Workbook()
    first = book.active
    first.title = "Sections 1 to 6"
    first.append(["Complaint Handling Code self-assessment form"])
    first.append(["Landlord name:", None, "Date of assessment:"])
    first.append([])
    first.append([header[0], header[1], "Comply: Yes / No", "Evidence", "Commentary / explanation"])
    second = book.create_sheet("Sections 7 to 9")
    second.append([header[0], header[1], "Comply: Yes / No", "Evidence", "Commentary / explanation"])
    titled: set[int] = set()
    for p in PROVISIONS:
        sheet = first if p.section.number <= 6 else second
        if p.section.number not in titled:
            titled.add(p.section.number)
            sheet.append([f"Section {p.section.number}: {p.section.title}"])
        if p.number in left_out:
            continue
        section, item = p.key
        if p.number == "1.3":
            text = "<p>Made-up requirement 1.3:&nbsp;the landlord must</p><p>  accept   a complaint &amp; say so.</p>"
        elif p.number == "2.4":
            text = "<script>alert('wording')</script>"
        else:
            text = f"  {wording(p.number)}\n"
        # Numbers as Excel keeps them where that is unambiguous, text where 5.1 and 5.10 would collide.
        cell: object = float(p.number) if item < 10 and section % 2 else p.number
        sheet.append([cell, text, None, None, None])
    first.append(["Note: complete every row", "Junk that is not a provision"])
    first.append([5.99, "Not a provision of the Code"])
    first.append(["10.1", "Not a provision either"])
    notes = book.create_sheet("Guidance")
    notes.append(["How to fill in this form"])
    notes.append(["1.2", "A provision number outside any header, which is not read"])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def single_sheet(rows: list[list[object]]) -> bytes:
    book = Workbook()
    sheet = book.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


class ReadingTheFormTests(SimpleTestCase):
    def test_every_provision_in_the_form_is_read_with_its_wording_cleaned(self) -> None:
        read = read_code_wording(ombudsman_form())
        assert read.valid, read.error
        assert len(read.requirements) == len(PROVISIONS) - len(LEFT_OUT)
        assert list(read.requirements) == [p.number for p in PROVISIONS if p.number not in LEFT_OUT]
        assert read.requirements["6.2"] == wording("6.2")
        assert read.requirements["1.3"] == "Made-up requirement 1.3: the landlord must\naccept a complaint & say so."
        assert read.requirements["2.4"] == "alert('wording')"
        # 5.10 is text in the form and is not read as 5.1; both are there with their own wording.
        assert read.requirements["5.1"] == wording("5.1") and read.requirements["5.10"] == wording("5.10")
        assert read.requirements["9.7"] == wording("9.7")

    def test_5_10_typed_as_a_number_is_read_as_5_10_after_5_1(self) -> None:
        rows: list[list[object]] = [["Provision", "Code requirement"]]
        rows += [[p.number, wording(p.number)] for p in PROVISIONS if p.number not in ("5.1", "5.10")]
        rows += [[5.1, wording("5.1")], [5.1, wording("5.10")]]
        read = read_code_wording(single_sheet(rows))
        assert read.valid, read.error
        assert (read.requirements["5.1"], read.requirements["5.10"]) == (wording("5.1"), wording("5.10"))

    def test_text_numbers_are_read_as_written(self) -> None:
        rows: list[list[object]] = [["Code provision:", "Code requirement"]]
        rows += [[f" {p.number}. ", wording(p.number)] for p in PROVISIONS]
        rows += [["5.100", "not a provision"], ["1.2.3", "not a provision"], [True, "not a provision"]]
        read = read_code_wording(single_sheet(rows))
        assert read.valid and len(read.requirements) == len(PROVISIONS)

    def test_html_and_stray_whitespace_are_cleaned(self) -> None:
        assert clean_requirement("<p>One&nbsp; two</p>\n\n<ul><li>three</li><li>four &lt;5&gt;</li></ul>") == (
            "One two\nthree\nfour <5>"
        )
        assert clean_requirement(None) == "" and clean_requirement(6.2) == "6.2"

    def test_a_file_that_is_not_an_xlsx_is_refused(self) -> None:
        assert read_code_wording(b"provision,requirement\n1.2,Text\n").error == (
            "The selected file must be a spreadsheet in XLSX format (Excel 2007 or later)"
        )
        assert read_code_wording(b"%PDF-1.7 not a spreadsheet").error.startswith("The selected file must be a")
        assert read_code_wording(b"").error == "The selected file is empty"
        archive = io.BytesIO()
        with zipfile.ZipFile(archive, "w") as not_a_workbook:
            not_a_workbook.writestr("notes.txt", "a zip file, but no spreadsheet in it")
        assert read_code_wording(archive.getvalue()).error.startswith("The selected file must be a spreadsheet")

    def test_a_spreadsheet_without_the_forms_header_is_refused(self) -> None:
        rows: list[list[object]] = [["Number", "Text"]] + [[p.number, wording(p.number)] for p in PROVISIONS]
        assert read_code_wording(single_sheet(rows)).error.startswith(
            "The selected file has no header row with a “Code provision” column and a “Code requirement” column"
        )

    def test_a_form_with_too_few_provisions_is_refused(self) -> None:
        rows: list[list[object]] = [["Code provision", "Code requirement"]]
        rows += [[p.number, wording(p.number)] for p in PROVISIONS[:10]]
        error = read_code_wording(single_sheet(rows)).error
        assert error == (
            f"The selected file has the wording of 10 of the Code's 72 provisions; it needs at least "
            f"{MINIMUM_PROVISIONS}: upload the Ombudsman's self-assessment form for the 2024 Code"
        )


class RecordsSayNothing:
    def __call__(self, landlord: Landlord, year_starting: int) -> YearEvidence:
        return YearEvidence(year_starting, {})


class ImportingTheWordingTests(TestCase):
    cast: Cast

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        patcher = mock.patch("putright.insight.actions.evidence_for", RecordsSayNothing())
        patcher.start()
        self.addCleanup(patcher.stop)

    def import_form(self, name: str = "self-assessment-form-2025.xlsx", **form: object) -> CodeWording:
        with time_machine.travel(IMPORTED, tick=False):
            return actions.import_code_wording(
                self.cast.landlord,
                self.cast.officer,
                file_name=name,
                content=ombudsman_form(**form),  # type: ignore[arg-type]
            )

    def assessment(self) -> SelfAssessment:
        with time_machine.travel(IMPORTED, tick=False):
            return actions.start_self_assessment(self.cast.landlord, self.cast.officer, year_starting=2025)

    def test_the_import_is_kept_for_the_landlord_with_who_and_when_and_the_latest_is_used(self) -> None:
        first = self.import_form("C:\\Users\\olu\\Downloads\\first.xlsx")
        assert (first.file_name, first.imported_by, first.imported_at) == ("first.xlsx", self.cast.officer, IMPORTED)
        assert first.requirements["6.2"] == wording("6.2") and "9.8" not in first.requirements
        later = self.import_form("second.xlsx", left_out=())
        assert list(CodeWording.objects.filter(landlord=self.cast.landlord)) == [later, first]
        assert "9.8" in later.requirements

    def test_a_bad_file_is_refused_whole_and_only_the_landlords_staff_who_edit_may_import(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            actions.import_code_wording(self.cast.landlord, self.cast.officer, file_name="x.csv", content=b"a,b\n")
        assert list(refused.value.errors) == ["file"]
        with pytest.raises(NotPermitted):
            actions.import_code_wording(
                self.cast.landlord, self.cast.stranger, file_name="x.xlsx", content=ombudsman_form()
            )
        with pytest.raises(NotPermitted):
            actions.import_code_wording(
                self.cast.landlord, self.cast.auditor, file_name="x.xlsx", content=ombudsman_form()
            )
        assert not CodeWording.objects.exists()

    def test_the_exports_carry_the_ombudsmans_wording_and_say_so(self) -> None:
        self.assessment()
        self.client.force_login(self.cast.auditor)
        before = load_workbook(io.BytesIO(self.client.get(f"{URL}2025/self-assessment.xlsx").content))
        rows = list(before["Self-assessment"].iter_rows(values_only=True))
        assert rows[2][0] == (
            "Code requirement: Putright's summary of each provision; import the Ombudsman's form to use its wording"
        )
        by_number = {row[0]: row for row in rows if row[0] and str(row[0])[:1].isdigit()}
        assert by_number["6.2"][1] == provision("6.2").requirement

        self.import_form()
        book = load_workbook(io.BytesIO(self.client.get(f"{URL}2025/self-assessment.xlsx").content))
        rows = list(book["Self-assessment"].iter_rows(values_only=True))
        assert rows[2][0] == (
            "Code requirement: the Housing Ombudsman's wording, from self-assessment-form-2025.xlsx imported on "
            "3 November 2025; Putright's summary where the form has no wording for a provision"
        )
        by_number = {row[0]: row for row in rows if row[0] and str(row[0])[:1].isdigit()}
        assert by_number["6.2"][1] == wording("6.2")
        assert by_number["1.3"][1] == "Made-up requirement 1.3: the landlord must\naccept a complaint & say so."
        assert by_number["9.8"][1] == (
            f"Putright's summary (the imported form has no wording for 9.8): {provision('9.8').requirement}"
        )
        about = dict(book["About"].iter_rows(values_only=True))
        assert about["Code requirement"] == rows[2][0]

        pdf = built(self.client, self.client.post(f"{URL}2025/self-assessment.pdf"))
        text = pdf_text(pdf.content, ARTIFACTS / "self-assessment-ombudsman-wording.pdf", dpi=50, image_pages=1)
        assert "Code requirement: the Housing Ombudsman's wording, from self-assessment-form-2025.xlsx" in text
        assert wording("6.2") in text and "the imported form has no wording for 9.8" in text

    def test_another_landlords_import_changes_nothing_here(self) -> None:
        self.assessment()
        actions.import_code_wording(
            self.cast.other_landlord, self.cast.stranger, file_name="theirs.xlsx", content=ombudsman_form()
        )
        self.client.force_login(self.cast.officer)
        page = self.client.get(f"{URL}2025/").content.decode()
        assert "theirs.xlsx" not in page and wording("6.2") not in page
        assert "Putright&#x27;s summary of each provision" in page
        assert "theirs.xlsx" not in self.client.get(f"{URL}code-wording/").content.decode()

    @time_machine.travel(IMPORTED, tick=False)
    def test_uploading_the_form_on_the_page(self) -> None:
        self.assessment()
        self.client.force_login(self.cast.officer)
        upload = io.BytesIO(ombudsman_form())
        upload.name = "ombudsman-form.xlsx"
        response = self.client.post(f"{URL}code-wording/", {"file": upload})
        assert response.status_code == 302 and response["Location"] == f"{URL}code-wording/"
        page = self.client.get(f"{URL}code-wording/").content.decode()
        assert "ombudsman-form.xlsx" in page and "In use" in page and "70" in page
        assessment = self.client.get(f"{URL}2025/").content.decode()
        assert wording("6.2") in assessment
        assert "&lt;script&gt;alert(&#x27;wording&#x27;)&lt;/script&gt;" not in assessment  # the tags were cleaned
        assert "<script>alert('wording')</script>" not in assessment
        assert "the imported form has no wording for 9.8" in assessment
        entry = self.client.get(f"{URL}2025/provisions/6.2/").content.decode()
        assert wording("6.2") in entry

        bad = io.BytesIO(b"not a spreadsheet")
        bad.name = "form.xlsx"
        refused = self.client.post(f"{URL}code-wording/", {"file": bad})
        assert refused.status_code == 200
        assert 'href="#id_file"' in refused.content.decode()
        assert "must be a spreadsheet in XLSX format" in refused.content.decode()
        assert CodeWording.objects.count() == 1
        empty = self.client.post(f"{URL}code-wording/", {}).content.decode()
        assert "Select the Ombudsman&#x27;s self-assessment form" in empty

    def test_readers_see_the_imports_but_cannot_upload(self) -> None:
        self.import_form()
        self.client.force_login(self.cast.auditor)
        page = self.client.get(f"{URL}code-wording/").content.decode()
        assert "self-assessment-form-2025.xlsx" in page and "Import the wording" not in page
        upload = io.BytesIO(ombudsman_form())
        upload.name = "form.xlsx"
        assert self.client.post(f"{URL}code-wording/", {"file": upload}).status_code == 403
        assert CodeWording.objects.count() == 1

    def test_the_page_reads_the_same_number_of_queries_however_many_imports(self) -> None:
        self.import_form("first.xlsx")
        self.client.force_login(self.cast.auditor)
        self.client.get(f"{URL}code-wording/")  # warm the session and the user
        with CaptureQueriesContext(connection) as one:
            assert "first.xlsx" in self.client.get(f"{URL}code-wording/").content.decode()
        count = len(one)
        for number, who in enumerate((self.cast.manager, self.cast.officer, self.cast.manager, self.cast.officer)):
            with time_machine.travel(IMPORTED, tick=False):
                actions.import_code_wording(
                    self.cast.landlord, who, file_name=f"import-{number}.xlsx", content=ombudsman_form()
                )
        assert CodeWording.objects.filter(landlord=self.cast.landlord).count() == 5
        with self.assertNumQueries(count):
            page = self.client.get(f"{URL}code-wording/").content.decode()
        assert all(f"import-{number}.xlsx" in page for number in range(4)) and "first.xlsx" in page
        assert "by Mei Manager on 3 November 2025" in page and "by Olu Officer on" in page
