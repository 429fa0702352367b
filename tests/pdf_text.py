"""Reading back the PDFs Putright makes, with PDFium (pypdfium2, from PyPI): no system package is needed.

Words are compared as a reader finds them, whatever the line wrap: with every space and line break taken out
of both sides, so "www.housing-" at the end of one line and "ombudsman.org.uk" at the start of the next still
read "www.housing-ombudsman.org.uk", while a sentence that is not in the PDF still is not found.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pypdfium2 as pdfium  # type: ignore[import-untyped]

# PDFium joins a word broken after a hyphen at the end of a line and puts U+FFFE where the hyphen was; the
# hyphen was printed, so it is read back as one.
_JOINED_AT_HYPHEN = "\ufffe"
# WeasyPrint draws the hyphen of a soft hyphen (&shy;) it broke a line at as U+2010; that hyphen is not part
# of the word, so it goes with the line break.
_SOFT_HYPHEN_BREAK = re.compile("\u2010[ \t]*\r?\n")
# WeasyPrint draws a list's bullets after the page's text, so PDFium reads each one on a line of its own, where
# it may fall inside a paragraph that crosses the page: such a line is no word of the document.
_BULLET_ONLY = re.compile("[\u2022\u25e6\u25aa\u2023]")


def squash(words: str) -> str:
    """The characters of `words` without any whitespace: what no line wrap can change."""
    return "".join(words.split())


class PdfText:
    """The text of a PDF's pages, searched with whitespace and line breaks ignored (see the module's docstring)."""

    def __init__(self, pages: list[str]) -> None:
        self.pages = pages
        self.squashed = squash("".join(pages))

    def __contains__(self, words: str) -> bool:
        return squash(words) in self.squashed

    def index(self, words: str, start: int = 0) -> int:
        """Where `words` first appear at or after `start`; positions count characters other than whitespace."""
        return self.squashed.index(squash(words), start)

    def page(self, number: int) -> PdfText:
        """Page `number` (from 1) on its own."""
        return PdfText([self.pages[number - 1]])

    def __str__(self) -> str:
        return " ".join(" ".join(self.pages).split())

    def __repr__(self) -> str:
        return f"PdfText({str(self)!r})"


@contextmanager
def opened(content: bytes) -> Iterator[pdfium.PdfDocument]:
    document = pdfium.PdfDocument(content)
    try:
        yield document
    finally:
        document.close()


def page_texts(content: bytes, *, leave_out: re.Pattern[str] | None = None) -> list[str]:
    """Each page's text, line by line as PDFium reads it, without the lines that `leave_out` matches in full."""
    pages = []
    with opened(content) as document:
        for page in document:
            text = page.get_textpage().get_text_range()
            text = _SOFT_HYPHEN_BREAK.sub("", text.replace(_JOINED_AT_HYPHEN, "-"))
            lines = [line for line in text.splitlines() if not _BULLET_ONLY.fullmatch(line.strip())]
            if leave_out is not None:
                lines = [line for line in lines if not leave_out.fullmatch(line.strip())]
            pages.append("\n".join(lines))
    return pages


def keep(content: bytes, path: Path, *, dpi: int, image_pages: int | None = None) -> None:
    """Save the PDF as `path` and, beside it, an image of each page (`<name>-1.png`, ...) for a person to look at.

    Only the first `image_pages` pages get an image when it is given: enough to see the layout of a long report.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(content)
    with opened(content) as document:
        for number in range(min(len(document), image_pages or len(document))):
            bitmap = document[number].render(scale=dpi / 72)
            bitmap.to_pil().save(path.with_name(f"{path.stem}-{number + 1}.png"))


def pdf_text(
    content: bytes,
    path: Path,
    *,
    dpi: int,
    image_pages: int | None = None,
    leave_out: re.Pattern[str] | None = None,
) -> PdfText:
    """The PDF's text, having kept the file and its page images (see `keep`)."""
    keep(content, path, dpi=dpi, image_pages=image_pages)
    return PdfText(page_texts(content, leave_out=leave_out))


def word_height(content: bytes, word: str) -> float:
    """The height in points of the first `word` on the first page, from its font's ascent to its descent."""
    with opened(content) as document:
        text = document[0].get_textpage()
        found = text.search(word, match_case=True, match_whole_word=True).get_next()
        assert found is not None, f"{word!r} is not on the first page"
        start, count = found
        boxes = [text.get_charbox(index, loose=True) for index in range(start, start + count)]
    return float(max(top for _, _, _, top in boxes) - min(bottom for _, bottom, _, _ in boxes))


def is_tagged(content: bytes) -> bool:
    """Whether the PDF is tagged (has a structure tree for screen readers)."""
    with opened(content) as document:
        return bool(document.is_tagged())


def title(content: bytes) -> str:
    with opened(content) as document:
        return str(document.get_metadata_value("Title"))


def attachment_names(content: bytes) -> list[str]:
    """The names of the files embedded in the PDF."""
    with opened(content) as document:
        return [document.get_attachment(index).get_name() for index in range(document.count_attachments())]
