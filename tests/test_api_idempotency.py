"""Idempotency-Key: a retried POST gets the first answer and changes nothing, even when retries race."""

from __future__ import annotations

import json
import threading
from datetime import date
from typing import Any

import time_machine
from django.db import connections
from django.test import Client, TransactionTestCase

from putright.api import tokens
from putright.api.models import IdempotencyKey
from putright.complaints.models import Complaint, Event
from tests.cast import log, make_cast
from tests.conftest import needs_postgresql
from tests.test_api_auth import TODAY, ApiTestCase
from tests.test_api_complaints import NEW_COMPLAINT


class IdempotencyKeyTests(ApiTestCase):
    def test_a_retry_gets_the_first_answer_and_logs_no_second_complaint(self) -> None:
        first = self.post("/complaints", NEW_COMPLAINT, key="6f1c0c5e-retry")
        second = self.post("/complaints", NEW_COMPLAINT, key="6f1c0c5e-retry")
        assert first.status_code == second.status_code == 201
        assert first.content == second.content and second["Idempotent-Replayed"] == "true"
        assert Complaint.objects.count() == 1
        stored = IdempotencyKey.objects.get()
        assert stored.user == self.cast.handler and stored.response_status == 201
        assert json.loads(stored.response_body)["reference"] == "ASH-2025-00001"

    def test_a_retry_of_a_step_replays_it_rather_than_refusing_it_as_stale(self) -> None:
        ref = log(self.cast, date(2025, 2, 3)).reference
        data = {"on": "2025-03-03", "question": "Which room?", "version": 1}
        first = self.post(f"/complaints/{ref}/clarification", data, key="ask-1")
        again = self.post(f"/complaints/{ref}/clarification", data, key="ask-1")
        assert first.status_code == again.status_code == 200 and first.content == again.content
        assert Event.objects.filter(kind="clarification-requested").count() == 1
        assert self.post(f"/complaints/{ref}/clarification", data).status_code == 409  # without a key: stale

    def test_a_key_reused_for_another_request_is_refused(self) -> None:
        self.post("/complaints", NEW_COMPLAINT, key="k-1")
        response = self.post("/complaints", NEW_COMPLAINT | {"description": "Something else"}, key="k-1")
        assert response.status_code == 422
        assert response.json()["detail"] == "Idempotency-Key was used for a different request"
        ref = Complaint.objects.get().reference
        response = self.post(f"/complaints/{ref}/close", {"on": "2025-03-03"}, key="k-1")
        assert response.json()["detail"] == "Idempotency-Key was used for a different request"

    def test_a_refused_request_keeps_nothing_so_it_can_be_corrected_and_resent(self) -> None:
        response = self.post("/complaints", NEW_COMPLAINT | {"received_on": "2025-03-04"}, key="k-2")
        assert response.status_code == 422
        assert not IdempotencyKey.objects.exists()
        assert self.post("/complaints", NEW_COMPLAINT, key="k-2").status_code == 201

    def test_keys_belong_to_one_user(self) -> None:
        self.post("/complaints", NEW_COMPLAINT, key="shared")
        response = self.post("/complaints", NEW_COMPLAINT, key="shared", as_="officer")
        assert response.status_code == 201 and not response.has_header("Idempotent-Replayed")
        assert Complaint.objects.count() == 2

    def test_a_malformed_key_is_refused(self) -> None:
        for key in ("x" * 256, "has space", "caf\u00e9"):
            response = self.client.post(
                "/api/v1/complaints",
                json.dumps(NEW_COMPLAINT),
                content_type="application/json",
                headers=self.auth("handler") | {"Idempotency-Key": key},
            )
            assert response.status_code == 422, key
            assert "Idempotency-Key" in response.json()["errors"]
        assert not Complaint.objects.exists()

    def test_without_a_token_the_key_is_never_looked_at(self) -> None:
        response = self.client.post(
            "/api/v1/complaints", "{}", content_type="application/json", headers={"Idempotency-Key": "k"}
        )
        assert response.status_code == 401


@needs_postgresql(
    "SQLite's in-memory test database is one shared-cache connection, where concurrent writers fail with "
    "'database table is locked' instead of waiting"
)
class ConcurrentRetryTests(TransactionTestCase):
    def test_eight_racing_retries_log_one_complaint_and_get_one_answer(self) -> None:
        with time_machine.travel(TODAY, tick=False):
            cast = make_cast()
            _, token = tokens.issue(cast.handler)
        body = json.dumps(NEW_COMPLAINT)
        start = threading.Barrier(8)
        answers: list[tuple[int, bytes]] = []

        def retry() -> None:
            try:
                client = Client()
                start.wait()
                response: Any = client.post(
                    "/api/v1/complaints",
                    body,
                    content_type="application/json",
                    headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "race-1"},
                )
                answers.append((response.status_code, response.content))
            finally:
                connections.close_all()

        with time_machine.travel(TODAY, tick=False):
            threads = [threading.Thread(target=retry) for _ in range(8)]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join(timeout=60)
        assert len(answers) == 8
        assert Complaint.objects.count() == 1
        assert {status for status, _ in answers} == {201}
        assert len({content for _, content in answers}) == 1
