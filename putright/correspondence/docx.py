"""A letter as a Word document, for staff who must edit it before posting it by hand.

It is drawn from the letter's stored HTML, as the PDF is, so it starts from exactly what was
issued: the letterhead, the addressee, then the body's headings, paragraphs, lists and tables.
The stored HTML uses only the letter language's short list of tags (compose.ALLOWED_TAGS, without
attributes), which html.parser reads here; anything else would be dropped, never interpreted.
A letter for a resident who asked for large print is set in 18 point, as its PDF is.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from html.parser import HTMLParser

from docx import Document
from docx.document import Document as WordDocument
from docx.enum.text import WD_BREAK
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from putright.correspondence.letterhead import style_for
from putright.correspondence.models import Letter

TEXT_COLOUR = RGBColor(0x0B, 0x0C, 0x0C)
FONT = "Arial"
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Sizes:
    body: float
    letterhead: float
    heading: float
    subheading: float


STANDARD = Sizes(body=11, letterhead=16, heading=13, subheading=11.5)
LARGE_PRINT = Sizes(body=18, letterhead=24, heading=21, subheading=19)


@dataclass
class _Piece:
    text: str
    bold: bool = False
    italic: bool = False
    line_break: bool = False


@dataclass
class _Cell:
    header: bool
    pieces: list[_Piece] = field(default_factory=list)


class _Body(HTMLParser):
    """Writes the letter's body into the document as html.parser reads it."""

    def __init__(self, document: WordDocument) -> None:
        super().__init__(convert_charrefs=True)
        self.document = document
        self.paragraph: Paragraph | None = None
        self.fresh = True  # nothing written in the paragraph yet: its leading space is dropped
        self.bold = 0
        self.italic = 0
        self.lists: list[list[int]] = []  # per open list: [ordered (1 or 0), items so far]
        self.rows: list[list[_Cell]] | None = None
        self.cell: _Cell | None = None

    def _begin(self, style: str | None = None) -> Paragraph:
        self.paragraph = self.document.add_paragraph(style=style)
        self.fresh = True
        return self.paragraph

    def _item(self) -> None:
        if not self.lists:
            self.lists.append([0, 0])
        depth = min(len(self.lists), 3)
        ordered, count = self.lists[-1]
        self.lists[-1][1] = count + 1
        if ordered:
            # Numbered by hand: Word's own numbering would carry on from one list to the next.
            paragraph = self._begin()
            paragraph.paragraph_format.left_indent = Mm(8 * depth)
            paragraph.paragraph_format.first_line_indent = Mm(-6)
            paragraph.add_run(f"{count + 1}.\t")
        else:
            self._begin("List Bullet" if depth == 1 else f"List Bullet {depth}")

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "p":
            self._begin()
        elif tag == "h2":
            self._begin("Heading 2")
        elif tag == "h3":
            self._begin("Heading 3")
        elif tag in ("ul", "ol"):
            self.lists.append([1 if tag == "ol" else 0, 0])
            self.paragraph = None
        elif tag == "li":
            self._item()
        elif tag == "strong":
            self.bold += 1
        elif tag == "em":
            self.italic += 1
        elif tag == "br":
            self.handle_startendtag(tag, attrs)
        elif tag == "table":
            self.rows = []
            self.paragraph = None
        elif tag == "tr" and self.rows is not None:
            self.rows.append([])
        elif tag in ("th", "td") and self.rows is not None:
            if not self.rows:
                self.rows.append([])
            self.cell = _Cell(header=tag == "th")
            self.rows[-1].append(self.cell)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag != "br":
            self.handle_starttag(tag, attrs)
        elif self.cell is not None:
            self.cell.pieces.append(_Piece("", line_break=True))
        elif self.paragraph is not None:
            self.paragraph.add_run().add_break(WD_BREAK.LINE)
            self.fresh = True

    def handle_endtag(self, tag: str) -> None:
        if tag in ("p", "h2", "h3", "li"):
            self.paragraph = None
        elif tag in ("ul", "ol"):
            if self.lists:
                self.lists.pop()
            self.paragraph = None
        elif tag == "strong":
            self.bold = max(0, self.bold - 1)
        elif tag == "em":
            self.italic = max(0, self.italic - 1)
        elif tag in ("th", "td"):
            self.cell = None
        elif tag == "table":
            self._table()

    def handle_data(self, data: str) -> None:
        text = _SPACE.sub(" ", data)
        if self.cell is not None:
            self.cell.pieces.append(_Piece(text, bool(self.bold), bool(self.italic)))
            return
        if self.rows is not None:
            return  # whitespace between a table's rows and cells
        if self.paragraph is None:
            if not text.strip():
                return
            self._begin()
        if self.fresh:
            text = text.lstrip()
        if not text:
            return
        assert self.paragraph is not None
        run = self.paragraph.add_run(text)
        run.bold = True if self.bold else None
        run.italic = True if self.italic else None
        self.fresh = False

    def _table(self) -> None:
        rows, self.rows, self.cell = self.rows or [], None, None
        columns = max((len(row) for row in rows), default=0)
        if not columns:
            return
        table = self.document.add_table(rows=len(rows), cols=columns)
        table.style = "Table Grid"
        for r, row in enumerate(rows):
            for c, cell in enumerate(row):
                paragraph = table.cell(r, c).paragraphs[0]
                fresh = True
                for piece in cell.pieces:
                    if piece.line_break:
                        paragraph.add_run().add_break(WD_BREAK.LINE)
                        fresh = True
                        continue
                    text = piece.text.lstrip() if fresh else piece.text
                    if text:
                        run = paragraph.add_run(text)
                        run.bold = True if piece.bold or cell.header else None
                        run.italic = True if piece.italic else None
                        fresh = False
        self.paragraph = None


def _styles(document: WordDocument, sizes: Sizes) -> None:
    styles = document.styles
    normal = styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(sizes.body)
    normal.font.color.rgb = TEXT_COLOUR
    normal.paragraph_format.space_after = Pt(sizes.body * 0.6)
    # The document's language, so a screen reader reads it in British English.
    language = OxmlElement("w:lang")
    language.set(qn("w:val"), "en-GB")
    normal.element.get_or_add_rPr().append(language)
    for name, size in (("Heading 1", sizes.letterhead), ("Heading 2", sizes.heading), ("Heading 3", sizes.subheading)):
        heading = styles[name]
        heading.font.name = FONT
        heading.font.size = Pt(size)
        heading.font.bold = True
        heading.font.color.rgb = TEXT_COLOUR
    for name in ("List Bullet", "List Bullet 2", "List Bullet 3"):
        styles[name].font.size = Pt(sizes.body)


def _lines(paragraph: Paragraph, lines: list[str]) -> None:
    for n, line in enumerate(lines):
        run = paragraph.add_run(line)
        if n < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def letter_docx(letter: Letter) -> bytes:
    """The letter as a .docx file: letterhead, addressee and body, in large print if it was issued so."""
    landlord = letter.landlord
    style = style_for(landlord)
    sizes = LARGE_PRINT if letter.large_print else STANDARD
    document = Document()
    _styles(document, sizes)
    for section in document.sections:
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = section.top_margin = Mm(18)
        section.bottom_margin = Mm(20)
        section.footer.paragraphs[0].text = f"Our reference: {letter.complaint.reference}"

    properties = document.core_properties
    properties.title = letter.subject
    properties.author = landlord.name
    properties.subject = f"{letter.get_letter_type_display()}, {letter.complaint.reference}"
    properties.keywords = letter.complaint.reference
    properties.comments = (
        f"A Word copy of the letter issued on {letter.issued_on:%-d %B %Y} (SHA-256 of the issued letter "
        f"{letter.html_sha256}). Changes made here are not recorded in Putright."
    )

    document.add_paragraph(landlord.name, style="Heading 1")
    letterhead = [line for line in style.address.splitlines() if line.strip()]
    letterhead += [f"Telephone: {style.phone}"] if style.phone else []
    letterhead += [f"Email: {style.email}"] if style.email else []
    letterhead += [style.website] if style.website else []
    if letterhead:
        _lines(document.add_paragraph(), letterhead)
    addressee = [letter.addressee, *(line for line in letter.complaint.person.address.splitlines() if line.strip())]
    block = document.add_paragraph()
    block.paragraph_format.space_before = Pt(sizes.body * 2)
    block.paragraph_format.space_after = Pt(sizes.body * 2)
    _lines(block, addressee)

    body = _Body(document)
    body.feed(letter.html)
    body.close()

    out = io.BytesIO()
    document.save(out)
    return out.getvalue()
