"""/api/v1/complaints/{reference}/letters and /updates: letters issued, their PDFs, and the 5.9 update."""

from __future__ import annotations

from datetime import date

from django.db import connection
from django.test.utils import CaptureQueriesContext

from putright.complaints import actions
from putright.correspondence import rendering
from putright.correspondence.models import Letter
from tests.cast import acknowledge, log
from tests.test_api_auth import ApiTestCase


class LetterApiTests(ApiTestCase):
    def acknowledged(self):  # type: ignore[no-untyped-def]
        return acknowledge(self.cast, log(self.cast, date(2025, 2, 24)), date(2025, 2, 25))

    def test_the_letters_of_a_complaint_with_their_hashes(self) -> None:
        complaint = self.acknowledged()
        letter = Letter.objects.get(complaint=complaint)
        response = self.get(f"/complaints/{complaint.reference}/letters")
        assert response.status_code == 200
        assert response.json() == [
            {
                "id": letter.pk,
                "letter_type": "stage1-acknowledgement",
                "label": "Stage 1 acknowledgement",
                "stage": 1,
                "subject": f"Your complaint {complaint.reference}: we have received it",
                "issued_on": "2025-02-25",
                "issued_by": "hana.handler",
                "html_sha256": letter.html_sha256,
                "rendering": "queued",
                "pdf_sha256": None,
                "large_print": False,
            }
        ]

    def test_listing_costs_the_same_queries_however_many_letters(self) -> None:
        complaint = self.acknowledged()
        path = f"/complaints/{complaint.reference}/letters"
        with CaptureQueriesContext(connection) as one:
            assert len(self.get(path).json()) == 1
        for day in (26, 27):
            actions.request_clarification(complaint, self.cast.handler, on=date(2025, 2, day), question="When?")
        with self.assertNumQueries(len(one.captured_queries)):
            assert len(self.get(path).json()) == 3

    def test_the_pdf_once_the_worker_has_rendered_it(self) -> None:
        complaint = self.acknowledged()
        letter = Letter.objects.get(complaint=complaint)
        path = f"/complaints/{complaint.reference}/letters/{letter.pk}/pdf"
        waiting = self.get(path)
        assert waiting.status_code == 409 and "being prepared" in waiting.json()["detail"]
        rendering.render_letter(letter.pk)
        response = self.get(path)
        assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
        assert response.content.startswith(b"%PDF")
        assert (
            response["Content-Disposition"]
            == f'attachment; filename="{complaint.reference}-stage1-acknowledgement.pdf"'
        )
        assert response["X-Content-SHA256"] == Letter.objects.get(pk=letter.pk).pdf_sha256

    def test_another_landlords_letters_are_not_found(self) -> None:
        complaint = self.acknowledged()
        letter = Letter.objects.get(complaint=complaint)
        assert self.get(f"/complaints/{complaint.reference}/letters", as_="stranger").status_code == 404
        assert self.get(f"/complaints/{complaint.reference}/letters/{letter.pk}/pdf", as_="stranger").status_code == 404
        other = self.acknowledged()
        assert self.get(f"/complaints/{other.reference}/letters/{letter.pk}/pdf").status_code == 404

    def test_sending_an_update_issues_the_update_letter(self) -> None:
        complaint = self.acknowledged()
        path = f"/complaints/{complaint.reference}/updates"
        refused = self.post(path, {"on": "2025-02-27", "update": "We are still waiting for the surveyor."})
        assert refused.status_code == 422 and "(5.9)" in refused.json()["errors"]["update"]
        actions.agree_update_interval(complaint, self.cast.handler, every_days=5, agreed_on=date(2025, 2, 26))
        empty = self.post(path, {"on": "2025-02-27", "update": "   "})
        assert empty.status_code == 422 and "update" in empty.json()["errors"]
        response = self.post(path, {"on": "2025-02-27", "update": "<b>We are still waiting</b> for the surveyor."})
        assert response.status_code == 200, response.json()
        letter = Letter.objects.get(complaint=complaint, letter_type="update")
        assert "&lt;b&gt;We are still waiting&lt;/b&gt;" in letter.html
        assert self.post(path, {"on": "2025-02-27", "update": "x"}, as_="auditor").status_code == 403
