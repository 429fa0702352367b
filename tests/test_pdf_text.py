"""The tests' PDF reader (tests/pdf_text.py) finds words however WeasyPrint wraps them, and only words there."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from weasyprint import HTML  # type: ignore[import-untyped]

from tests.pdf_text import PdfText, attachment_names, is_tagged, keep, opened, page_texts, pdf_text, word_height

ADDRESS = "www.housing-ombudsman.org.uk"


def pdf(body: str, style: str = "") -> bytes:
    html = f"<html><head><style>@page {{ size: A5 }} {style}</style></head><body>{body}</body></html>"
    return bytes(HTML(string=html).write_pdf())


def baseline(content: bytes, word: str) -> float:
    """How far up the first page `word` begins, in points."""
    with opened(content) as document:
        text = document[0].get_textpage()
        found = text.search(word, match_case=True).get_next()
        assert found is not None
        return float(text.get_charbox(found[0])[1])


def test_an_address_that_wraps_at_its_hyphen_is_found() -> None:
    # A column too narrow for the address: it breaks at its hyphen, "ombudsman" going on the next line.
    content = pdf(f'<p style="width: 11em">Housing Ombudsman Service: {ADDRESS}, telephone 0300 111 3000.</p>')
    assert baseline(content, "ombudsman.org.uk") < baseline(content, "www.housing") - 10
    text = PdfText(page_texts(content))
    assert f"Housing Ombudsman Service: {ADDRESS}, telephone 0300 111 3000." in text
    assert "www.housingombudsman.org.uk" not in text  # the hyphen is kept
    assert "telephone 0300 111 3001" not in text


def test_a_word_broken_at_a_soft_hyphen_reads_whole() -> None:
    content = pdf('<p style="width: 6em">Our com&shy;plaints&shy;handling&shy;procedure is here.</p>')
    assert len(page_texts(content)[0].splitlines()) > 1
    text = PdfText(page_texts(content))
    assert "Our complaintshandlingprocedure is here." in text
    assert "complaints-handling" not in text


def test_words_that_are_not_in_the_pdf_are_not_found() -> None:
    text = PdfText(page_texts(pdf("<p>We have partly upheld your complaint.</p>")))
    assert "We have partly upheld your complaint." in text
    assert "We have upheld your complaint." not in text
    with pytest.raises(ValueError):
        text.index("not upheld")


def test_running_footers_and_bullets_are_left_out_where_asked() -> None:
    footer = '<div style="position: fixed; bottom: 0">ASH-2025-00001 Page 1 of 1</div>'
    content = pdf(f"{footer}<ul><li>Replace the pump</li></ul><p>Yours sincerely,</p>")
    assert "Page 1 of 1" in PdfText(page_texts(content))
    text = PdfText(page_texts(content, leave_out=re.compile(r"ASH-\d{4}-\d{5} Page \d+ of \d+")))
    assert "Page 1 of 1" not in text and "•" not in str(text)
    assert "Replace the pump" in text and "Yours sincerely," in text


def test_the_order_of_headings_and_the_pages(tmp_path: Path) -> None:
    content = pdf('<h1>Cover</h1><h2 style="break-before: page">1. Introduction</h2><p>2. Summary</p>')
    text = pdf_text(content, tmp_path / "report.pdf", dpi=20)
    assert text.index("1. Introduction") < text.index("2. Summary")
    assert "Cover" in text.page(1) and "Introduction" not in text.page(1)
    assert (tmp_path / "report.pdf").read_bytes() == content
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["report-1.png", "report-2.png"]


def test_page_images_for_the_first_pages_only(tmp_path: Path) -> None:
    content = pdf("".join(f'<p style="break-after: page">Page {n}</p>' for n in range(1, 6)))
    keep(content, tmp_path / "long.pdf", dpi=20, image_pages=2)
    assert sorted(p.name for p in tmp_path.glob("*.png")) == ["long-1.png", "long-2.png"]
    assert (tmp_path / "long-1.png").read_bytes().startswith(b"\x89PNG")


def test_word_height_follows_the_font_size() -> None:
    small = word_height(pdf('<p style="font-size: 11pt">Dear Rosa</p>'), "Dear")
    large = word_height(pdf('<p style="font-size: 18pt">Dear Rosa</p>'), "Dear")
    assert 11 <= small < 18 <= large
    assert large / small == pytest.approx(18 / 11, rel=0.05)
    with pytest.raises(AssertionError, match="'Dearest' is not on the first page"):
        word_height(pdf("<p>Dear Rosa</p>"), "Dearest")


def test_untagged_pdfs_and_attachments() -> None:
    assert not is_tagged(pdf("<p>Plain</p>"))
    assert is_tagged(bytes(HTML(string="<p>Tagged</p>").write_pdf(pdf_tags=True)))
    assert attachment_names(pdf("<p>None attached</p>")) == []
