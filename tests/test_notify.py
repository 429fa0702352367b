"""Email through GOV.UK Notify: the real client, against a stand-in for Notify's API on loopback.

GOV.UK Notify itself cannot be reached from CI (and must never be sent test traffic), so these
tests run an HTTP server in a thread on 127.0.0.1 that checks what the real
notifications-python-client sends, as Notify would: POST /v2/notifications/email, a JSON body of
the documented shape, and a JWT bearer token signed with HS256 by the key's secret, issued by the
service id and issued at about now. It answers as Notify's API documents, 201 with the
notification's id, or an error with Notify's error body.
"""

from __future__ import annotations

import base64
import json
import threading
import time
import uuid
from datetime import UTC, date, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import jwt
import pytest
import time_machine
from django.core.exceptions import ImproperlyConfigured
from django.test import TestCase, override_settings

from putright.correspondence import outbox, rendering, sending
from putright.correspondence.models import Letter, OutboxMessage
from putright.correspondence.notify import NotifyEmailBackend
from tests.cast import acknowledge, log, make_cast
from tests.test_settings import start

SERVICE_ID = str(uuid.uuid4())
SECRET = str(uuid.uuid4())
API_KEY = f"putright_test-{SERVICE_ID}-{SECRET}"
TEMPLATE_ID = str(uuid.uuid4())
FILE_TEMPLATE_ID = str(uuid.uuid4())
NOW = datetime(2025, 6, 17, 10, 0, tzinfo=UTC)


def _error(status: int, kind: str, message: str) -> tuple[int, dict[str, Any]]:
    return status, {"errors": [{"error": kind, "message": message}], "status_code": status}


class FakeNotify(BaseHTTPRequestHandler):
    """Notify's email endpoint, checking each request as Notify does."""

    received: list[dict[str, Any]]
    answer_with: tuple[int, dict[str, Any]] | None

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - http.server's name
        pass

    def _check(self) -> tuple[int, dict[str, Any]]:
        if self.path != "/v2/notifications/email":
            return _error(404, "NotFound", f"{self.path} is not a Notify endpoint")
        if self.headers.get("Content-Type") != "application/json":
            return _error(400, "BadRequestError", "Content-Type must be application/json")
        if not self.headers.get("User-Agent", "").startswith("NOTIFY-API-PYTHON-CLIENT/"):
            return _error(400, "BadRequestError", "unexpected client")
        scheme, _, token = self.headers.get("Authorization", "").partition(" ")
        if scheme != "Bearer" or not token:
            return _error(401, "AuthError", "Unauthorized: authentication token must be provided")
        try:
            header = jwt.get_unverified_header(token)
            claims = jwt.decode(token, SECRET, algorithms=["HS256"], options={"verify_iat": False})
        except jwt.PyJWTError:
            return _error(403, "AuthError", "Invalid token: signature, api token not found")
        if header != {"typ": "JWT", "alg": "HS256"} or claims.get("iss") != SERVICE_ID:
            return _error(403, "AuthError", "Invalid token: service not found")
        if abs(time.time() - claims.get("iat", 0)) > 30:
            return _error(403, "AuthError", "Error: Your system clock must be accurate to within 30 seconds")
        body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
        allowed = {"email_address", "template_id", "personalisation", "reference", "email_reply_to_id"}
        if set(body) - allowed or not {"email_address", "template_id"} <= set(body):
            return _error(400, "ValidationError", f"unexpected fields: {sorted(body)}")
        self.received.append({"claims": claims, "body": body})
        if self.answer_with is not None:
            return self.answer_with
        notification = str(uuid.uuid4())
        personalisation = body.get("personalisation", {})
        return 201, {
            "id": notification,
            "reference": body.get("reference"),
            "content": {
                "subject": personalisation.get("subject", ""),
                "body": personalisation.get("body", ""),
                "from_email": "ashford@notifications.service.gov.uk",
                "one_click_unsubscribe_url": None,
            },
            "uri": f"https://api.notifications.service.gov.uk/v2/notifications/{notification}",
            "template": {"id": body["template_id"], "version": 1, "uri": "https://api.notifications.service.gov.uk"},
        }

    def do_POST(self) -> None:  # noqa: N802 - http.server's name
        status, answer = self._check()
        data = json.dumps(answer).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)


@time_machine.travel(NOW, tick=True)
class NotifyBackendTests(TestCase):
    @classmethod
    def setUpTestData(cls) -> None:
        cls.cast = make_cast()

    def setUp(self) -> None:
        handler = type("Handler", (FakeNotify,), {"received": [], "answer_with": None})
        self.notify = handler
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        thread = threading.Thread(target=server.serve_forever, daemon=True)
        thread.start()
        self.addCleanup(server.server_close)
        self.addCleanup(server.shutdown)
        configured = override_settings(
            EMAIL_BACKEND="putright.correspondence.notify.NotifyEmailBackend",
            NOTIFY_API_KEY=API_KEY,
            NOTIFY_TEMPLATE_ID=TEMPLATE_ID,
            NOTIFY_FILE_TEMPLATE_ID=FILE_TEMPLATE_ID,
            NOTIFY_REPLY_TO_ID="",
            NOTIFY_BASE_URL=f"http://127.0.0.1:{server.server_address[1]}",
        )
        configured.enable()
        self.addCleanup(configured.disable)

    def queue(self, to: str = "rosa@example.org") -> OutboxMessage:
        message = outbox.queue(
            landlord=self.cast.landlord,
            kind=OutboxMessage.Kind.PORTAL,
            to_address=to,
            subject="Your complaint ASH-2025-00001",
            body="We received your complaint.",
        )
        assert message is not None
        return message

    def test_a_message_goes_as_a_signed_request_filling_the_template_and_notifys_id_is_kept(self) -> None:
        message = self.queue()
        assert sending.send_due() == sending.SendReport(sent=1)
        [request] = self.notify.received
        assert request["claims"]["iss"] == SERVICE_ID
        assert request["body"] == {
            "email_address": "rosa@example.org",
            "template_id": TEMPLATE_ID,
            "personalisation": {"subject": "Your complaint ASH-2025-00001", "body": "We received your complaint."},
            "reference": message.message_id,
        }
        message.refresh_from_db()
        assert message.state == OutboxMessage.State.SENT
        uuid.UUID(message.provider_id)  # Notify's notification id, kept with the message

    def test_a_letter_goes_by_the_file_template_with_its_pdf_to_download(self) -> None:
        complaint = acknowledge(self.cast, log(self.cast, date(2025, 6, 16)), date(2025, 6, 17))
        letter = Letter.objects.get(complaint=complaint)
        rendering.render_letter(letter.pk)
        letter.refresh_from_db()
        assert sending.send_due().sent == 1
        [request] = self.notify.received
        body = request["body"]
        assert body["template_id"] == FILE_TEMPLATE_ID and body["email_address"] == "rosa@example.org"
        upload = body["personalisation"]["link_to_file"]
        with letter.pdf.open("rb") as stored:
            assert base64.b64decode(upload["file"]) == stored.read()
        assert upload["filename"] == f"{complaint.reference}-stage1-acknowledgement.pdf"
        assert upload["confirm_email_before_download"] is True and upload["retention_period"] == "78 weeks"
        assert "Our letter is attached" in body["personalisation"]["body"]

    def test_an_address_notify_refuses_fails_for_good_with_notifys_reason(self) -> None:
        self.notify.answer_with = _error(400, "ValidationError", "email_address Not a valid email address")
        message = self.queue("not-an-address@")
        assert sending.send_due() == sending.SendReport(gave_up=1)
        message.refresh_from_db()
        assert message.state == OutboxMessage.State.FAILED
        assert "400 - [{'error': 'ValidationError', 'message': 'email_address Not a valid email address'}]" in (
            message.last_error
        )

    def test_notify_being_unavailable_or_limiting_us_is_tried_again_later(self) -> None:
        for status in (503, 429):
            self.notify.answer_with = _error(status, "Unavailable", "try later")
            message = self.queue()
            assert sending.send_due() == sending.SendReport(failed=1)
            message.refresh_from_db()
            assert message.state == OutboxMessage.State.PENDING and message.attempts == 1
            OutboxMessage.objects.filter(pk=message.pk).delete()

    def test_a_key_notify_does_not_know_is_refused_and_kept_to_try_again(self) -> None:
        other_secret = str(uuid.uuid4())
        with override_settings(NOTIFY_API_KEY=f"putright_test-{SERVICE_ID}-{other_secret}"):
            message = self.queue()
            assert sending.send_due().failed == 1
        message.refresh_from_db()
        assert "403" in message.last_error and "Invalid token" in message.last_error
        assert self.notify.received == []

    def test_the_backend_will_not_start_without_its_settings(self) -> None:
        with (
            override_settings(NOTIFY_FILE_TEMPLATE_ID=""),
            pytest.raises(ImproperlyConfigured, match="NOTIFY_FILE_TEMPLATE_ID"),
        ):
            NotifyEmailBackend()


def test_choosing_notify_without_its_key_or_templates_stops_the_start(tmp_path) -> None:  # type: ignore[no-untyped-def]
    base = {"SECRET_KEY": "x" * 50, "PUTRIGHT_VAR_DIR": str(tmp_path), "EMAIL_BACKEND": NotifyEmailBackend.__module__}
    base["EMAIL_BACKEND"] += ".NotifyEmailBackend"
    missing = start(base)
    assert missing.returncode != 0
    assert "set NOTIFY_API_KEY and NOTIFY_TEMPLATE_ID and NOTIFY_FILE_TEMPLATE_ID" in missing.stderr
    complete = {**base, "NOTIFY_API_KEY": API_KEY, "NOTIFY_TEMPLATE_ID": TEMPLATE_ID}
    complete["NOTIFY_FILE_TEMPLATE_ID"] = FILE_TEMPLATE_ID
    assert start(complete).returncode == 0
    bad_key = start({**complete, "NOTIFY_API_KEY": "not-a-key"})
    assert "NOTIFY_API_KEY (its service id part) must be a GOV.UK Notify id" in bad_key.stderr
    bad_template = start({**complete, "NOTIFY_TEMPLATE_ID": "welcome-email"})
    assert "NOTIFY_TEMPLATE_ID must be a GOV.UK Notify id" in bad_template.stderr
