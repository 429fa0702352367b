"""Helpers for the portal tests: a resident's answers, page by page, and the way to follow a complaint."""

from __future__ import annotations

import re
import struct
import threading
import zlib
from typing import Any

from django.core import mail
from django.test import Client
from django_tasks.base import TaskResult
from django_tasks.signals import task_enqueued

from putright.complaints.models import Complaint
from putright.correspondence import sending
from putright.correspondence.models import OutboxMessage
from putright.portal import codes

BASE = "/ashford"

ANSWERS: list[tuple[str, dict[str, Any]]] = [
    ("what-you-want", {"kind": "complaint"}),
    ("who", {"who": "self"}),
    ("contact", {"name": "Rosa Resident", "email": "rosa@example.org", "phone": "07700 900123", "address": ""}),
    ("contact-preference", {"preferred_contact": "email"}),
    ("what-happened", {"description": "The boiler has not worked for three weeks. <script>alert('x')</script>"}),
    ("when", {"issue_date_0": "2", "issue_date_1": "6", "issue_date_2": "2025"}),
    ("outcome", {"outcome_sought": "Fix the boiler"}),
    ("service", {"service_area": "repairs"}),
    ("documents", {"action": "continue"}),
    ("help", {"adjustments": ["large-print", "phone-call"], "adjustment_detail": "Call after 2pm"}),
]


def answer_all(client: Client, base: str = BASE, changes: dict[str, dict[str, Any]] | None = None) -> str:
    """Answer every page; returns the submission token from the check-your-answers page."""
    for page, data in ANSWERS:
        if page == "who" and changes and "acting-for" in changes:
            data = {"who": "someone-else"}
        response = client.post(f"{base}/complain/{page}/", {**data, **(changes or {}).get(page, {})})
        assert response.status_code == 302, (page, response.content.decode()[:3000])
        if page == "who" and changes and "acting-for" in changes:
            response = client.post(f"{base}/complain/acting-for/", changes["acting-for"])
            assert response.status_code == 302, response.content.decode()[:3000]
    check = client.get(f"{base}/complain/check-your-answers/")
    assert check.status_code == 200
    token = re.search(r'name="token" value="([^"]+)"', check.content.decode())
    assert token
    return token.group(1)


def submit(client: Client, token: str, base: str = BASE, **extra: str) -> Any:
    return client.post(f"{base}/complain/check-your-answers/", {"token": token, **extra})


def make_complaint(client: Client, base: str = BASE) -> Complaint:
    submit(client, answer_all(client, base), base)
    return Complaint.objects.latest("id")


# Requests for a code, queued for the worker in any thread (the browser tests' server too): the
# suite's task backend only records tasks, so `deliver_codes` does the worker's part.
_code_requests: list[tuple[Any, ...]] = []
_code_requests_lock = threading.Lock()


def _keep_code_request(sender: Any, task_result: TaskResult[Any], **kwargs: Any) -> None:
    if task_result.task.module_path == codes.send_code.module_path:
        with _code_requests_lock:
            _code_requests.append(tuple(task_result.args))


task_enqueued.connect(_keep_code_request, weak=False, dispatch_uid="tests.portal_support.code_requests")


def deliver_codes() -> int:
    """What the worker does for the codes asked for so far: run each request, then send the code
    emails it wrote to the outbox (only those: other mail waits for the tests that look at it)."""
    with _code_requests_lock:
        asked, _code_requests[:] = list(_code_requests), []
    for args in asked:
        codes.send_code.call(*args)
    pending = OutboxMessage.objects.filter(state=OutboxMessage.State.PENDING, body__startswith="Your code is")
    for message in pending:
        sending.build_email(message).send()
        OutboxMessage.objects.filter(pk=message.pk).update(state=OutboxMessage.State.SENT)
    return len(asked)


def forget_code_requests() -> None:
    with _code_requests_lock:
        _code_requests.clear()


def emailed_code() -> str:
    deliver_codes()
    sent = [message.body for message in mail.outbox if "Your code is" in message.body]
    assert sent
    found = re.search(r"Your code is (\d{6})", sent[-1])
    assert found
    return found.group(1)


def follow(client: Client, reference: str, email: str = "rosa@example.org", base: str = BASE) -> Any:
    client.post(f"{base}/follow/", {"reference": reference, "email": email})
    return client.post(f"{base}/follow/code/", {"code": emailed_code()})


def png(width: int = 4, height: int = 3) -> bytes:
    """A real PNG image (grey pixels), small enough to upload in a test."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    rows = b"".join(b"\x00" + b"\x80" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)  # 8-bit greyscale
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows)) + chunk(b"IEND", b"")
