"""Every letter type as a PDF, tagged for screen readers: its text (read with PDFium) carries each required element.

The PDF and page images of each type, and of a large-print letter, are kept under test-artifacts/letters/ for a
person to look at.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

from django.test import TestCase

from putright.correspondence import rendering
from putright.correspondence.compose import sha256
from putright.correspondence.models import Letter
from putright.people.models import ReasonableAdjustment
from putright.rules.letters import LetterType, elements
from tests.cast import Cast, acknowledge, log, make_cast
from tests.letter_cases import every_letter, text_pieces
from tests.pdf_text import PdfText, is_tagged, pdf_text, title, word_height

ARTIFACTS = Path(__file__).resolve().parent.parent / "test-artifacts" / "letters"
# The running footer (the reference and "Page 1 of 2") can fall inside a paragraph that crosses a page.
FOOTER = re.compile(r"(?:[A-Z]+-\d{4}-\d{5})?\s*(?:Page \d+ of \d+)?")


def letter_text(content: bytes, name: str) -> PdfText:
    return pdf_text(content, ARTIFACTS / f"{name}.pdf", dpi=50, leave_out=FOOTER)


class LetterPdfTests(TestCase):
    cast: Cast
    letters: dict[LetterType, Letter]

    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()
        ReasonableAdjustment.objects.create(
            person=cls.cast.landlord.people.create(name="Lena Large", email="lena@example.org"),
            kind="large-print",
            agreed_on="2025-01-01",
        )
        # Issued once for the class: each test sees them afresh, not yet rendered.
        cls.letters = every_letter(cls.cast)

    def test_every_letter_type_has_each_required_element_in_its_tagged_pdf(self) -> None:
        assert len(self.letters) == len(LetterType)
        for letter_type, letter in self.letters.items():
            assert rendering.render_letter(letter.pk) == "rendered"
            letter = Letter.objects.get(pk=letter.pk)
            content = letter.pdf.read()
            assert content.startswith(b"%PDF") and letter.pdf_sha256 == sha256(content)
            text = letter_text(content, letter_type.value)
            for element in elements(letter_type):
                for piece in text_pieces(letter.data[element.key]):
                    assert piece in text, f"{letter_type}: {element.key} ({element.provision}) missing: {piece!r}"
            assert letter.complaint.landlord.name in text
            # Tagged, with a title, for screen readers.
            assert is_tagged(content) and title(content).startswith("Your complaint"), letter_type

    def test_rendering_twice_keeps_the_first_pdf(self) -> None:
        letter = self.letters[LetterType.EXTENSION]
        rendering.render_letter(letter.pk)
        first = Letter.objects.get(pk=letter.pk).pdf_sha256
        assert rendering.render_letter(letter.pk) == "already rendered"
        assert Letter.objects.get(pk=letter.pk).pdf_sha256 == first

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
            letter_text(content, "large-print-acknowledgement" if letter.large_print else "standard-acknowledgement")
            heights[letter.large_print] = word_height(content, "Dear")
        # 18 point against 11 point body text.
        assert heights[True] / heights[False] > 1.5
