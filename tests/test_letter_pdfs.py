"""Every letter type as a PDF: its text (pdftotext) carries each required element.

Page images (pdftoppm) of each type, and of a large-print letter, are kept under
test-artifacts/letters/ for a person to look at.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.test import TestCase

from putright.correspondence import rendering
from putright.correspondence.compose import sha256
from putright.correspondence.models import Letter
from putright.people.models import ReasonableAdjustment
from putright.rules.letters import LetterType, elements
from tests.cast import acknowledge, log, make_cast
from tests.letter_cases import every_letter, text_pieces

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "letters"
pytestmark = pytest.mark.skipif(
    shutil.which("pdftotext") is None, reason="pdftotext and pdftoppm come from poppler-utils: apt-get install it"
)


def pdf_text(content: bytes, name: str) -> str:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.pdf"
    path.write_bytes(content)
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(path), str(ARTIFACTS / name)], check=True)  # noqa: S603, S607
    out = subprocess.run(["pdftotext", str(path), "-"], check=True, capture_output=True, text=True)  # noqa: S603, S607
    # Running footers (the reference, "Page 1 of 2") can fall inside a paragraph that crosses a page.
    lines = [line for line in out.stdout.splitlines() if not re.fullmatch(r"Page \d+ of \d+|[A-Z]+-\d{4}-\d{5}", line)]
    return " ".join(" ".join(lines).split())


class LetterPdfTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        ReasonableAdjustment.objects.create(
            person=cls.cast.landlord.people.create(name="Lena Large", email="lena@example.org"),
            kind="large-print",
            agreed_on="2025-01-01",
        )

    def test_every_letter_type_has_each_required_element_in_its_pdf(self) -> None:
        letters = every_letter(self.cast)
        for letter_type, letter in letters.items():
            assert rendering.render_letter(letter.pk) == "rendered"
            letter = Letter.objects.get(pk=letter.pk)
            content = letter.pdf.read()
            assert content.startswith(b"%PDF") and letter.pdf_sha256 == sha256(content)
            text = pdf_text(content, letter_type.value)
            for element in elements(letter_type):
                for piece in text_pieces(letter.data[element.key]):
                    assert piece in text, f"{letter_type}: {element.key} ({element.provision}) missing: {piece!r}"
            assert letter.complaint.landlord.name in text

    def test_rendering_twice_keeps_the_first_pdf(self) -> None:
        letter = every_letter(self.cast)[LetterType.EXTENSION]
        rendering.render_letter(letter.pk)
        first = Letter.objects.get(pk=letter.pk).pdf_sha256
        assert rendering.render_letter(letter.pk) == "already rendered"
        assert Letter.objects.get(pk=letter.pk).pdf_sha256 == first

    def test_the_pdf_is_tagged_for_screen_readers(self) -> None:
        letter = every_letter(self.cast)[LetterType.STAGE1_RESPONSE]
        rendering.render_letter(letter.pk)
        path = ARTIFACTS / "tagged-check.pdf"
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path.write_bytes(Letter.objects.get(pk=letter.pk).pdf.read())
        info = subprocess.run(["pdfinfo", str(path)], check=True, capture_output=True, text=True).stdout  # noqa: S603, S607
        assert re.search(r"^Tagged:\s+yes", info, re.MULTILINE), info
        assert "Your complaint" in info  # the title

    def test_large_print_when_the_resident_asked(self) -> None:
        person = self.cast.landlord.people.get(name="Lena Large")
        large = Letter.objects.get(
            complaint=acknowledge(self.cast, log(self.cast, date(2025, 6, 2), resident=person), date(2025, 6, 3))
        )
        standard = Letter.objects.get(
            complaint=acknowledge(self.cast, log(self.cast, date(2025, 6, 2)), date(2025, 6, 3))
        )
        assert large.large_print and not standard.large_print
        heights = {}
        for letter in (large, standard):
            rendering.render_letter(letter.pk)
            content = Letter.objects.get(pk=letter.pk).pdf.read()
            pdf_text(content, "large-print-acknowledgement" if letter.large_print else "standard-acknowledgement")
            heights[letter.large_print] = word_height(content, "Dear")
        # 18 point against 11 point body text.
        assert heights[True] / heights[False] > 1.5


def word_height(content: bytes, word: str) -> float:
    """The height of the first occurrence of `word` on the page, in points (pdftotext -bbox)."""
    out = subprocess.run(  # noqa: S603
        ["pdftotext", "-bbox", "-", "-"],  # noqa: S607
        input=content,
        check=True,
        capture_output=True,  # noqa: S607
    ).stdout.decode()
    found = re.search(rf'yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">{word}</word>', out)
    assert found, f"{word!r} not found in the PDF"
    return float(found.group(2)) - float(found.group(1))
