"""The letters on a complaint, in the portal: listed on the follow page, each PDF downloadable only by
the session that was opened for that complaint."""

from __future__ import annotations

import shutil
import tempfile
from datetime import date

import time_machine
from django.db import connection
from django.test import Client, TestCase, override_settings
from django.test.utils import CaptureQueriesContext

from putright.complaints import actions
from putright.complaints.models import Complaint
from putright.correspondence import rendering
from putright.correspondence.models import Letter
from tests.cast import acknowledge, log, make_cast
from tests.portal_support import BASE, follow, make_complaint

TODAY = date(2025, 6, 16)
PAGE = f"{BASE}/your-complaint/"


def letter_url(letter: Letter) -> str:
    return f"{BASE}/your-complaint/letters/{letter.pk}/"


@time_machine.travel(TODAY, tick=False)
class LettersInThePortalTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        self.media = tempfile.mkdtemp(prefix="putright-media-")
        self.addCleanup(shutil.rmtree, self.media, True)
        self.enterContext(override_settings(MEDIA_ROOT=self.media))
        self.complaint = make_complaint(self.client)
        follow(self.client, self.complaint.reference)

    def acknowledged(self, complaint: Complaint) -> Letter:
        acknowledge(self.cast, complaint, TODAY)
        return Letter.objects.get(complaint=complaint, letter_type="stage1-acknowledgement")

    def test_before_any_letter_the_page_says_so(self) -> None:
        html = self.client.get(PAGE).content.decode()
        assert "Letters" in html and "We have not sent you any letters about this complaint yet" in html

    def test_a_letter_is_listed_as_being_prepared_until_its_pdf_is_made_then_can_be_downloaded(self) -> None:
        letter = self.acknowledged(self.complaint)
        html = self.client.get(PAGE).content.decode()
        assert "Stage 1 acknowledgement" in html and "16 June 2025" in html and "Being prepared" in html
        assert letter_url(letter) not in html
        assert self.client.get(letter_url(letter)).status_code == 404

        rendering.render_letter(letter.pk)
        html = self.client.get(PAGE).content.decode()
        assert f'href="{letter_url(letter)}"' in html and "Being prepared" not in html
        assert 'Download<span class="govuk-visually-hidden"> the stage 1 acknowledgement letter' in html
        response = self.client.get(letter_url(letter))
        content = b"".join(response.streaming_content)
        assert response.status_code == 200 and content.startswith(b"%PDF")
        assert response["Content-Type"] == "application/pdf" and response["Cache-Control"] == "private, no-store"
        assert response["Content-Disposition"] == (
            f'attachment; filename="{self.complaint.reference}-stage1-acknowledgement.pdf"'
        )

    def test_the_page_costs_the_same_queries_however_many_letters(self) -> None:
        self.acknowledged(self.complaint)
        self.client.get(PAGE)  # the session is saved once, on the first page
        with CaptureQueriesContext(connection) as one:
            assert self.client.get(PAGE).content.decode().count("Being prepared") == 1
        for day in (17, 18):
            actions.request_clarification(self.complaint, self.cast.handler, on=TODAY, question=f"Day {day}?")
        with self.assertNumQueries(len(one.captured_queries)):
            assert self.client.get(PAGE).content.decode().count("Being prepared") == 3

    def test_another_complaints_letter_is_not_found(self) -> None:
        other = log(self.cast, TODAY, resident=actions.ResidentDetails(name="Ola Other", email="ola@example.org"))
        theirs = self.acknowledged(other)
        rendering.render_letter(theirs.pk)
        assert self.client.get(letter_url(theirs)).status_code == 404
        assert letter_url(theirs) not in self.client.get(PAGE).content.decode()

    def test_a_letter_of_another_landlords_complaint_is_not_found(self) -> None:
        elsewhere = Client()
        medway = make_complaint(elsewhere, base="/medway")
        follow(elsewhere, medway.reference, base="/medway")
        letter = self.acknowledged(self.complaint)
        rendering.render_letter(letter.pk)
        assert elsewhere.get(f"/medway/your-complaint/letters/{letter.pk}/").status_code == 404

    def test_without_opening_a_complaint_the_download_asks_to_follow_one(self) -> None:
        letter = self.acknowledged(self.complaint)
        rendering.render_letter(letter.pk)
        response = Client().get(letter_url(letter))
        assert response.status_code == 302 and response["Location"] == f"{BASE}/follow/"
        self.client.post(f"{BASE}/follow/sign-out/")
        assert self.client.get(letter_url(letter))["Location"] == f"{BASE}/follow/"
