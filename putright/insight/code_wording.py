"""The Code's wording from the Ombudsman's self-assessment form (an XLSX), and the wording pages and exports show.

The Ombudsman publishes the form for landlords to fill in: a header row with a "Code provision" (or
"Provision") column and a "Code requirement" column, then a row for each provision. Real exports carry
HTML such as <p> in the requirement cells, and a provision number may be a number (1.2) or text ("1.2").
A number cell cannot tell 5.1 from 5.10 (Excel keeps both as 5.1), so a second 5.1 is read as 5.10 when
5.10 has not been seen; a text cell "5.10" is always 5.10. Rows that are not provisions (section titles,
notes, blank lines) are passed over, and every sheet with such a header is read.
"""

from __future__ import annotations

import html
import io
import re
import zipfile
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone
from openpyxl import load_workbook  # type: ignore[import-untyped]
from openpyxl.utils.exceptions import InvalidFileException  # type: ignore[import-untyped]

from putright.insight.models import CodeWording
from putright.landlords.models import Landlord
from putright.rules.provisions import PROVISIONS, is_provision, provision

MAX_BYTES = 10 * 1024 * 1024
HEADER_ROWS = 30  # the header is near the top of a sheet
MAX_ROWS = 2_000
REQUIREMENT_LIMIT = 5_000
# A form with fewer of the provisions than this is not the 2024 Code's form (or not that form at all).
MINIMUM_SHARE = 0.75
MINIMUM_PROVISIONS = int(len(PROVISIONS) * MINIMUM_SHARE)

_NUMBER = re.compile(r"\s*(?:provision\s+)?(\d{1,2})\.(\d{1,2})\.?\s*", re.IGNORECASE)
_BREAK = re.compile(r"<\s*(?:br\s*/?|/p|/li|/div|p|li|div)(?:\s[^>]*)?>", re.IGNORECASE)
_TAG = re.compile(r"<[^>]*>")


@dataclass
class WordingFile:
    requirements: dict[str, str] = field(default_factory=dict)
    error: str = ""

    @property
    def valid(self) -> bool:
        return not self.error


def clean_requirement(value: Any) -> str:
    """The requirement as plain text: HTML tags and entities gone, a paragraph a line, no stray spaces."""
    text = _BREAK.sub("\n", str(value or ""))
    text = html.unescape(_TAG.sub("", text)).replace("\xa0", " ")
    lines = (" ".join(line.split()) for line in text.splitlines())
    return "\n".join(line for line in lines if line)[:REQUIREMENT_LIMIT]


def _provision_number(value: Any, seen: set[str]) -> str:
    """The provision a cell names, or "" if it names none."""
    if isinstance(value, bool) or value is None:
        return ""
    if isinstance(value, int | float):
        number = f"{value:.2f}".rstrip("0").rstrip(".")
        if "." not in number:
            return ""
        if number in seen and is_provision(number + "0") and number + "0" not in seen:
            number += "0"  # 5.10 typed as a number is stored as 5.1
        return number if is_provision(number) else ""
    match = _NUMBER.fullmatch(str(value))
    if not match:
        return ""
    number = f"{int(match[1])}.{int(match[2])}"
    return number if is_provision(number) else ""


def _is_provision_header(value: str) -> bool:
    return value in ("provision", "code provision", "provision number", "code provision number")


def _header(rows: list[tuple[Any, ...]]) -> tuple[int, int, int] | None:
    """(row index, provision column, requirement column) of the header row, if the sheet has one."""
    for index, row in enumerate(rows[:HEADER_ROWS]):
        cells = [" ".join(str(c).split()).lower().rstrip(":") if c is not None else "" for c in row]
        number = next((i for i, c in enumerate(cells) if _is_provision_header(c)), None)
        requirement = next((i for i, c in enumerate(cells) if "requirement" in c), None)
        if number is not None and requirement is not None:
            return index, number, requirement
    return None


def read_code_wording(content: bytes) -> WordingFile:
    """Read the wording of each provision from the Ombudsman's form; `error` says why a file was refused."""
    if not content:
        return WordingFile(error="The selected file is empty")
    if len(content) > MAX_BYTES:
        return WordingFile(error=f"The selected file must be smaller than {MAX_BYTES // (1024 * 1024)} MB")
    try:
        book = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError):
        return WordingFile(error="The selected file must be a spreadsheet in XLSX format (Excel 2007 or later)")
    requirements: dict[str, str] = {}
    found_header = False
    try:
        for sheet in book.worksheets:
            rows = list(sheet.iter_rows(max_row=MAX_ROWS, values_only=True))
            header = _header(rows)
            if header is None:
                continue
            found_header = True
            start, number_column, requirement_column = header
            for row in rows[start + 1 :]:
                if len(row) <= max(number_column, requirement_column):
                    continue
                number = _provision_number(row[number_column], set(requirements))
                text = clean_requirement(row[requirement_column])
                if number and text and number not in requirements:
                    requirements[number] = text
    finally:
        book.close()
    if not found_header:
        return WordingFile(
            error="The selected file has no header row with a “Code provision” column and a “Code requirement” "
            "column: upload the Ombudsman's self-assessment form"
        )
    if len(requirements) < MINIMUM_PROVISIONS:
        return WordingFile(
            error=f"The selected file has the wording of {len(requirements)} of the Code's {len(PROVISIONS)} "
            f"provisions; it needs at least {MINIMUM_PROVISIONS}: upload the Ombudsman's self-assessment form "
            "for the 2024 Code"
        )
    return WordingFile(requirements=dict(sorted(requirements.items(), key=lambda item: provision(item[0]).key)))


# -- which wording the pages and exports show ------------------------------------------------------


@dataclass(frozen=True)
class Requirement:
    text: str
    official: bool  # the Ombudsman's wording, not Putright's summary


@dataclass(frozen=True)
class Wording:
    """The wording in use for a landlord: the latest import, or Putright's summaries if there is none."""

    imported: CodeWording | None

    def requirement(self, number: str) -> Requirement:
        if self.imported is not None:
            text = self.imported.requirements.get(number, "")
            if text:
                return Requirement(text, official=True)
        return Requirement(provision(number).requirement, official=False)

    @property
    def falls_back(self) -> bool:
        """Some rows show Putright's summary although the Ombudsman's form was imported."""
        return self.imported is not None and any(not self.imported.requirements.get(p.number) for p in PROVISIONS)

    @property
    def source(self) -> str:
        """The header line that says which wording the "Code requirement" column carries."""
        if self.imported is None:
            return (
                "Code requirement: Putright's summary of each provision; import the Ombudsman's form to use its wording"
            )
        on = timezone.localdate(self.imported.imported_at)
        line = (
            f"Code requirement: the Housing Ombudsman's wording, from {self.imported.file_name} imported on "
            f"{on.day} {on:%B %Y}"
        )
        if self.falls_back:
            line += "; Putright's summary where the form has no wording for a provision"
        return line


def wording_for(landlord: Landlord) -> Wording:
    return Wording(CodeWording.objects.filter(landlord=landlord).select_related("imported_by").first())
